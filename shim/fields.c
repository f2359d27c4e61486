/* SPDX-License-Identifier: Apache-2.0 */
/* The spec surface as data: one row per config.json field path that any
 * covered runtime-spec version defines, with its decision.  A unit test
 * holds the table against the list derived from the published schemas
 * (test/spec-fields/), so a field cannot be forgotten. */
#include "fields.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "spec.h"
#include "util.h"

static int annotations_check (const struct fields_env *env, const struct json_value *v, const char *where,
                              hr_err *err);
static int mappings_check (const struct fields_env *env, const struct json_value *v, const char *where, hr_err *err);
static int rootfs_check (const struct fields_env *env, const struct json_value *v, const char *where, hr_err *err);
static int unified_check (const struct fields_env *env, const struct json_value *v, const char *where, hr_err *err);

#define J FIELD_JUDGED
#define P FIELD_PASSED
#define R FIELD_REFUSED

/* Reasons used by several rows. */
#define BENEATH "its members, each decided by its own row"
#define OTHER_OS "another platform's section: runc on Linux never reads it"
#define HOOKS "rule hooks: refused unless the binary and first argument are on the policy's allow list"
#define CAPS "control capabilities: reduced to the profile's set"
#define MOUNTS "control mounts and rule sensitive_mounts: judged by type, destination and what the source is"
#define DEVICES "rule devices: only the default device set"
#define NAMESPACES                                                                                             \
  "rule host_namespaces: the host's namespaces are refused, judged by the namespace itself, and any existing " \
  "mount namespace"
#define SECCOMP "control seccomp: the filter is rebuilt from the profile's and the container's"
#define BLKIO "an I/O weight or throttle only restricts the container's own I/O"
#define CPU "CPU shares, quotas and sets only restrict the container's own CPU time"
#define RDMA "an RDMA limit only restricts the container"
#define NETCLS "tags the container's own traffic for the host's traffic control"
#define MAPPING "this module: a mapping may make host root no other container id but 0"
#define IDMAP "an id-mapped mount makes host files appear owned by a container user; refused"
#define USER "rule run_as_root and rule root_group judge the numbers runc will use"
#define TIMENS "an offset of the container's own new time namespace (rule host_namespaces judges joining one)"
#define RDT "rule intel_rdt: Intel RDT groups are host-wide state (closID names a group others share)"
#define SCHED "rule realtime: real-time policies and the real-time I/O class are refused"

/* Sorted by path (strcmp order): the unit test checks it.  Every member
 * has a row of its own, even where it repeats its parent's reason: the
 * walk judges only the paths it finds here, and the unit test holds the
 * rows one to one against the schemas' list of fields. */
static const struct field_row rows[] = {
  { "annotations", J, "this module: keys runc itself reads (org.systemd.property.*, org.criu.config) are refused",
    annotations_check },
  { "annotations.{}", P, "other annotations are read by no runtime code (the shim's own profile choice aside)", NULL },
  { "domainname", P, "sets the container's own UTS namespace (rule host_namespaces refuses the host's)", NULL },
  { "hooks", J, HOOKS, NULL },
  { "hooks.createContainer", J, HOOKS, NULL },
  { "hooks.createContainer[].args", J, HOOKS, NULL },
  { "hooks.createContainer[].env", J, HOOKS, NULL },
  { "hooks.createContainer[].path", J, HOOKS, NULL },
  { "hooks.createContainer[].timeout", J, HOOKS, NULL },
  { "hooks.createRuntime", J, HOOKS, NULL },
  { "hooks.createRuntime[].args", J, HOOKS, NULL },
  { "hooks.createRuntime[].env", J, HOOKS, NULL },
  { "hooks.createRuntime[].path", J, HOOKS, NULL },
  { "hooks.createRuntime[].timeout", J, HOOKS, NULL },
  { "hooks.poststart", J, HOOKS, NULL },
  { "hooks.poststart[].args", J, HOOKS, NULL },
  { "hooks.poststart[].env", J, HOOKS, NULL },
  { "hooks.poststart[].path", J, HOOKS, NULL },
  { "hooks.poststart[].timeout", J, HOOKS, NULL },
  { "hooks.poststop", J, HOOKS, NULL },
  { "hooks.poststop[].args", J, HOOKS, NULL },
  { "hooks.poststop[].env", J, HOOKS, NULL },
  { "hooks.poststop[].path", J, HOOKS, NULL },
  { "hooks.poststop[].timeout", J, HOOKS, NULL },
  { "hooks.prestart", J, HOOKS, NULL },
  { "hooks.prestart[].args", J, HOOKS, NULL },
  { "hooks.prestart[].env", J, HOOKS, NULL },
  { "hooks.prestart[].path", J, HOOKS, NULL },
  { "hooks.prestart[].timeout", J, HOOKS, NULL },
  { "hooks.startContainer", J, HOOKS, NULL },
  { "hooks.startContainer[].args", J, HOOKS, NULL },
  { "hooks.startContainer[].env", J, HOOKS, NULL },
  { "hooks.startContainer[].path", J, HOOKS, NULL },
  { "hooks.startContainer[].timeout", J, HOOKS, NULL },
  { "hostname", P, "sets the container's own UTS namespace (rule host_namespaces refuses the host's)", NULL },
  { "linux", J, BENEATH, NULL },
  { "linux.cgroupsPath", J, "rule cgroups_path: inside the engine's parents, never inside another container", NULL },
  { "linux.devices", J, DEVICES, NULL },
  { "linux.devices[].fileMode", J, DEVICES, NULL },
  { "linux.devices[].gid", J, DEVICES, NULL },
  { "linux.devices[].major", J, DEVICES, NULL },
  { "linux.devices[].minor", J, DEVICES, NULL },
  { "linux.devices[].path", J, DEVICES, NULL },
  { "linux.devices[].type", J, DEVICES, NULL },
  { "linux.devices[].uid", J, DEVICES, NULL },
  { "linux.gidMappings", J, MAPPING, mappings_check },
  { "linux.gidMappings[].containerID", J, MAPPING, NULL },
  { "linux.gidMappings[].hostID", J, MAPPING, NULL },
  { "linux.gidMappings[].size", J, MAPPING, NULL },
  { "linux.intelRdt", J, RDT, NULL },
  { "linux.intelRdt.closID", J, RDT, NULL },
  { "linux.intelRdt.enableCMT", J, RDT, NULL },
  { "linux.intelRdt.enableMBM", J, RDT, NULL },
  { "linux.intelRdt.l3CacheSchema", J, RDT, NULL },
  { "linux.intelRdt.memBwSchema", J, RDT, NULL },
  { "linux.maskedPaths", J, "control mounts: the profile's masked paths are always added back", NULL },
  { "linux.mountLabel", J, "control selinux: the label is chosen by the policy", NULL },
  { "linux.namespaces", J, NAMESPACES, NULL },
  { "linux.namespaces[].path", J, NAMESPACES, NULL },
  { "linux.namespaces[].type", J, NAMESPACES, NULL },
  { "linux.personality", J, "rule personality: only LINUX and LINUX32 without flags, as Docker allows", NULL },
  { "linux.personality.domain", J, "rule personality", NULL },
  { "linux.personality.flags", J, "rule personality", NULL },
  { "linux.readonlyPaths", J, "control mounts: the profile's read-only paths are always added back", NULL },
  { "linux.resources", J, BENEATH, NULL },
  { "linux.resources.blockIO", P, BLKIO, NULL },
  { "linux.resources.blockIO.leafWeight", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleReadBpsDevice", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleReadBpsDevice[].major", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleReadBpsDevice[].minor", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleReadBpsDevice[].rate", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleReadIOPSDevice", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleReadIOPSDevice[].major", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleReadIOPSDevice[].minor", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleReadIOPSDevice[].rate", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleWriteBpsDevice", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleWriteBpsDevice[].major", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleWriteBpsDevice[].minor", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleWriteBpsDevice[].rate", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleWriteIOPSDevice", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleWriteIOPSDevice[].major", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleWriteIOPSDevice[].minor", P, BLKIO, NULL },
  { "linux.resources.blockIO.throttleWriteIOPSDevice[].rate", P, BLKIO, NULL },
  { "linux.resources.blockIO.weight", P, BLKIO, NULL },
  { "linux.resources.blockIO.weightDevice", P, BLKIO, NULL },
  { "linux.resources.blockIO.weightDevice[].leafWeight", P, BLKIO, NULL },
  { "linux.resources.blockIO.weightDevice[].major", P, BLKIO, NULL },
  { "linux.resources.blockIO.weightDevice[].minor", P, BLKIO, NULL },
  { "linux.resources.blockIO.weightDevice[].weight", P, BLKIO, NULL },
  { "linux.resources.cpu", P, CPU, NULL },
  { "linux.resources.cpu.burst", P, CPU, NULL },
  { "linux.resources.cpu.cpus", P, CPU, NULL },
  { "linux.resources.cpu.idle", P, CPU, NULL },
  { "linux.resources.cpu.mems", P, CPU, NULL },
  { "linux.resources.cpu.period", P, CPU, NULL },
  { "linux.resources.cpu.quota", P, CPU, NULL },
  { "linux.resources.cpu.realtimePeriod", P,
    "a real-time budget only limits; running real-time needs CAP_SYS_NICE or RLIMIT_RTPRIO, both controlled", NULL },
  { "linux.resources.cpu.realtimeRuntime", P,
    "a real-time budget only limits; running real-time needs CAP_SYS_NICE or RLIMIT_RTPRIO, both controlled", NULL },
  { "linux.resources.cpu.shares", P, CPU, NULL },
  { "linux.resources.devices", J, DEVICES, NULL },
  { "linux.resources.devices[].access", J, DEVICES, NULL },
  { "linux.resources.devices[].allow", J, DEVICES, NULL },
  { "linux.resources.devices[].major", J, DEVICES, NULL },
  { "linux.resources.devices[].minor", J, DEVICES, NULL },
  { "linux.resources.devices[].type", J, DEVICES, NULL },
  { "linux.resources.hugepageLimits", P, "a huge page limit only restricts the container", NULL },
  { "linux.resources.hugepageLimits[].limit", P, "a huge page limit only restricts the container", NULL },
  { "linux.resources.hugepageLimits[].pageSize", P, "a huge page limit only restricts the container", NULL },
  { "linux.resources.memory", J, BENEATH, NULL },
  { "linux.resources.memory.checkBeforeUpdate", P, "only makes an update fail earlier", NULL },
  { "linux.resources.memory.disableOOMKiller", J, "rule oom: cleared, the kernel's OOM killer stays on", NULL },
  { "linux.resources.memory.kernel", P, "a kernel memory limit only restricts the container", NULL },
  { "linux.resources.memory.kernelTCP", P, "a TCP buffer limit only restricts the container", NULL },
  { "linux.resources.memory.limit", J, "control limits: default and maximum from the profile", NULL },
  { "linux.resources.memory.reservation", J, "control limits: never above the memory limit", NULL },
  { "linux.resources.memory.swap", J, "control limits: at most twice the memory limit", NULL },
  { "linux.resources.memory.swappiness", P, "how the container's own memory is reclaimed", NULL },
  { "linux.resources.memory.useHierarchy", P, "cgroup v1 accounting of the container's own sub-groups", NULL },
  { "linux.resources.network", P, NETCLS, NULL },
  { "linux.resources.network.classID", P, NETCLS, NULL },
  { "linux.resources.network.priorities", P, NETCLS, NULL },
  { "linux.resources.network.priorities[].name", P, NETCLS, NULL },
  { "linux.resources.network.priorities[].priority", P, NETCLS, NULL },
  { "linux.resources.pids", J, BENEATH, NULL },
  { "linux.resources.pids.limit", J, "control limits: default and maximum from the profile", NULL },
  { "linux.resources.rdma", P, RDMA, NULL },
  { "linux.resources.rdma.{}", P, RDMA, NULL },
  { "linux.resources.rdma.{}.hcaHandles", P, RDMA, NULL },
  { "linux.resources.rdma.{}.hcaObjects", P, RDMA, NULL },
  { "linux.resources.unified", J,
    "this module: memory.*, pids.*, cgroup.* and devices keys would override what the limits control set; refused",
    unified_check },
  { "linux.resources.unified.{}", J, "with linux.resources.unified", NULL },
  { "linux.rootfsPropagation", J, "rule mount_propagation: shared propagation made private", NULL },
  { "linux.seccomp", J, SECCOMP, NULL },
  { "linux.seccomp.architectures", J, SECCOMP, NULL },
  { "linux.seccomp.defaultAction", J, SECCOMP, NULL },
  { "linux.seccomp.defaultErrnoRet", J, SECCOMP, NULL },
  { "linux.seccomp.flags", J, SECCOMP, NULL },
  { "linux.seccomp.listenerMetadata", P, "read only by a listener, and linux.seccomp.listenerPath is refused", NULL },
  { "linux.seccomp.listenerPath", R,
    "an agent on the host that gets the notifications can let any notified call run past the filter", NULL },
  { "linux.seccomp.syscalls", J, SECCOMP, NULL },
  { "linux.seccomp.syscalls[].action", J, SECCOMP, NULL },
  { "linux.seccomp.syscalls[].args", J, SECCOMP, NULL },
  { "linux.seccomp.syscalls[].args[].index", J, SECCOMP, NULL },
  { "linux.seccomp.syscalls[].args[].op", J, SECCOMP, NULL },
  { "linux.seccomp.syscalls[].args[].value", J, SECCOMP, NULL },
  { "linux.seccomp.syscalls[].args[].valueTwo", J, SECCOMP, NULL },
  { "linux.seccomp.syscalls[].errnoRet", J, SECCOMP, NULL },
  { "linux.seccomp.syscalls[].names", J, SECCOMP, NULL },
  { "linux.sysctl", J, "rule sysctls: only the namespaced, allowed keys", NULL },
  { "linux.sysctl.{}", J, "rule sysctls", NULL },
  { "linux.timeOffsets", P, TIMENS, NULL },
  { "linux.timeOffsets.boottime", P, TIMENS, NULL },
  { "linux.timeOffsets.boottime.nanosecs", P, TIMENS, NULL },
  { "linux.timeOffsets.boottime.secs", P, TIMENS, NULL },
  { "linux.timeOffsets.monotonic", P, TIMENS, NULL },
  { "linux.timeOffsets.monotonic.nanosecs", P, TIMENS, NULL },
  { "linux.timeOffsets.monotonic.secs", P, TIMENS, NULL },
  { "linux.uidMappings", J, MAPPING, mappings_check },
  { "linux.uidMappings[].containerID", J, MAPPING, NULL },
  { "linux.uidMappings[].hostID", J, MAPPING, NULL },
  { "linux.uidMappings[].size", J, MAPPING, NULL },
  { "mounts", J, MOUNTS, NULL },
  { "mounts[].destination", J, MOUNTS, NULL },
  { "mounts[].gidMappings", R, IDMAP, NULL },
  { "mounts[].gidMappings[].containerID", R, IDMAP, NULL },
  { "mounts[].gidMappings[].hostID", R, IDMAP, NULL },
  { "mounts[].gidMappings[].size", R, IDMAP, NULL },
  { "mounts[].options", J,
    "rule mount_options: remount, rrw, rsuid, rdev and rexec are refused; ro and rw are read in runc's order", NULL },
  { "mounts[].source", J, MOUNTS, NULL },
  { "mounts[].type", J, MOUNTS, NULL },
  { "mounts[].uidMappings", R, IDMAP, NULL },
  { "mounts[].uidMappings[].containerID", R, IDMAP, NULL },
  { "mounts[].uidMappings[].hostID", R, IDMAP, NULL },
  { "mounts[].uidMappings[].size", R, IDMAP, NULL },
  { "ociVersion", P, "runc only reports it; the runtime's own spec range is checked (runc features)", NULL },
  { "process", J, BENEATH, NULL },
  { "process.apparmorProfile", J, "control apparmor: the profile is chosen by the policy", NULL },
  { "process.args", P, "the container's own command, run inside it", NULL },
  { "process.capabilities", J, CAPS, NULL },
  { "process.capabilities.ambient", J, CAPS, NULL },
  { "process.capabilities.bounding", J, CAPS, NULL },
  { "process.capabilities.effective", J, CAPS, NULL },
  { "process.capabilities.inheritable", J, CAPS, NULL },
  { "process.capabilities.permitted", J, CAPS, NULL },
  { "process.commandLine", P, "Windows only: runc never reads it", NULL },
  { "process.consoleSize", P, "the size of the container's terminal", NULL },
  { "process.consoleSize.height", P, "the size of the container's terminal", NULL },
  { "process.consoleSize.width", P, "the size of the container's terminal", NULL },
  { "process.cwd", J, "check cwd (workdir.c): never under /proc/*/fd (CVE-2024-21626), refused in every mode", NULL },
  { "process.env", P, "the environment of the container's own processes", NULL },
  { "process.execCPUAffinity", P, "CPU affinity inside the container's own cpuset", NULL },
  { "process.execCPUAffinity.final", P, "CPU affinity inside the container's own cpuset", NULL },
  { "process.execCPUAffinity.initial", P, "CPU affinity inside the container's own cpuset", NULL },
  { "process.ioPriority", J, SCHED, NULL },
  { "process.ioPriority.class", J, SCHED, NULL },
  { "process.ioPriority.priority", J, SCHED, NULL },
  { "process.noNewPrivileges", J, "control privileges: always true", NULL },
  { "process.oomScoreAdj", J, "rule oom: a negative score is raised to 0", NULL },
  { "process.rlimits", J, "control rlimits: defaults and maxima from the profile", NULL },
  { "process.rlimits[].hard", J, "control rlimits", NULL },
  { "process.rlimits[].soft", J, "control rlimits", NULL },
  { "process.rlimits[].type", J, "control rlimits", NULL },
  { "process.scheduler", J, SCHED, NULL },
  { "process.scheduler.deadline", J, SCHED, NULL },
  { "process.scheduler.flags", J, SCHED, NULL },
  { "process.scheduler.nice", J, SCHED, NULL },
  { "process.scheduler.period", J, SCHED, NULL },
  { "process.scheduler.policy", J, SCHED, NULL },
  { "process.scheduler.priority", J, SCHED, NULL },
  { "process.scheduler.runtime", J, SCHED, NULL },
  { "process.selinuxLabel", J, "control selinux: the label is chosen by the policy", NULL },
  { "process.terminal", P, "gives the container a terminal of its own", NULL },
  { "process.user", J, USER, NULL },
  { "process.user.additionalGids", J, USER, NULL },
  { "process.user.gid", J, USER, NULL },
  { "process.user.uid", J, USER, NULL },
  { "process.user.umask", P, "the mode mask of the container's own new files", NULL },
  { "process.user.username", P, "Windows only: runc never reads it", NULL },
  { "root", J, BENEATH, NULL },
  { "root.path", J,
    "this module: never the host's root or a system directory (judged by what it is); rule sensitive_mounts judges "
    "it like a bind source",
    rootfs_check },
  { "root.readonly", J, "control mounts: the profile's read-only root", NULL },
  { "solaris", P, OTHER_OS, NULL },
  { "vm", P, OTHER_OS, NULL },
  { "windows", P, OTHER_OS, NULL },
  { "zos", P, OTHER_OS, NULL },
};

#undef J
#undef P
#undef R

const struct field_row *
fields_table (size_t *len)
{
  *len = ARRAY_SIZE (rows);
  return rows;
}

const struct field_row *
fields_lookup (const char *path)
{
  size_t lo = 0, hi = ARRAY_SIZE (rows);

  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;
      int c = strcmp (path, rows[mid].path);
      if (c == 0)
        return &rows[mid];
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return NULL;
}

const char *
fields_decision_name (enum field_decision d)
{
  switch (d)
    {
    case FIELD_JUDGED:
      return "judged";
    case FIELD_PASSED:
      return "passed";
    case FIELD_REFUSED:
      return "refused";
    default:
      return "?";
    }
}

/* ------------------------------------------------------------------ */
/* checks done here */

/* Every message names the place in config.json: "SOURCE:LINE:COL: ...",
 * after "refused: " when the configuration is refused rather than
 * malformed. */
static int error_at (hr_err *err, enum hr_error_kind kind, const struct fields_env *env, uint32_t line, uint32_t col,
                     const char *fmt, va_list ap) __attribute__ ((format (printf, 6, 0)));

static int
error_at (hr_err *err, enum hr_error_kind kind, const struct fields_env *env, uint32_t line, uint32_t col,
          const char *fmt, va_list ap)
{
  cleanup_free char *msg = NULL;

  if (vasprintf (&msg, fmt, ap) < 0)
    oom ();
  return hr_error_set (err, kind, 0, "%s%s:%u:%u: %s", kind == HR_ERR_REFUSED ? "refused: " : "", env->source, line,
                       col, msg);
}

static int refuse_at (hr_err *err, const struct fields_env *env, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));

static int
refuse_at (hr_err *err, const struct fields_env *env, uint32_t line, uint32_t col, const char *fmt, ...)
{
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = error_at (err, HR_ERR_REFUSED, env, line, col, fmt, ap);
  va_end (ap);
  return r;
}

static int invalid_at (hr_err *err, const struct fields_env *env, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__ ((format (printf, 5, 6)));

static int
invalid_at (hr_err *err, const struct fields_env *env, uint32_t line, uint32_t col, const char *fmt, ...)
{
  va_list ap;
  int r;

  va_start (ap, fmt);
  r = error_at (err, HR_ERR_INPUT, env, line, col, fmt, ap);
  va_end (ap);
  return r;
}

/* runc itself reads these annotations: with --systemd-cgroup every
 * org.systemd.property.NAME becomes a property of the container's systemd
 * unit (DeviceAllow=, Delegate=...), and org.criu.config names a host file
 * CRIU reads as its configuration on checkpoint and restore. */
static int
annotations_check (const struct fields_env *env, const struct json_value *v, const char *where, hr_err *err)
{
  (void) where;
  if (v->type != JSON_OBJECT)
    return 0; /* the type is judged where the annotations are read */
  for (size_t i = 0; i < v->u.obj.len; i++)
    {
      const struct json_member *m = &v->u.obj.members[i];
      if (strncmp (m->key, "org.systemd.property.", 21) == 0 || strcmp (m->key, "org.criu.config") == 0)
        return refuse_at (err, env, m->line, m->col,
                          "the annotation \"%s\" is read by runc itself (%s), outside every control; remove it",
                          m->key,
                       m->key[4] == 's' ? "it sets a property of the container's systemd unit"
                                        : "it names a host file CRIU reads as its configuration");
    }
  return 0;
}

/* A user namespace mapping is a statement about host ids: container id N
 * runs as host id M.  Only container id 0 may be host id 0 (as it is with
 * no user namespace at all); any other id mapped onto host root would be
 * host root under a name every rule takes for an ordinary user. */
static int
mappings_check (const struct fields_env *env, const struct json_value *v, const char *where, hr_err *err)
{
  if (v->type != JSON_ARRAY)
    return 0;
  for (size_t i = 0; i < v->u.arr.len; i++)
    {
      const struct json_value *m = v->u.arr.items[i];
      const struct json_value *c = m->type == JSON_OBJECT ? json_object_get (m, "containerID") : NULL;
      const struct json_value *h = m->type == JSON_OBJECT ? json_object_get (m, "hostID") : NULL;
      const struct json_value *s = m->type == JSON_OBJECT ? json_object_get (m, "size") : NULL;
      uint64_t cid, hid, size;

      if (c == NULL || h == NULL || s == NULL || c->type != JSON_NUMBER || h->type != JSON_NUMBER
          || s->type != JSON_NUMBER || !parse_u64 (c->u.str.s, c->u.str.len, &cid)
          || !parse_u64 (h->u.str.s, h->u.str.len, &hid) || !parse_u64 (s->u.str.s, s->u.str.len, &size)
          || cid > UINT32_MAX || hid > UINT32_MAX || size > UINT32_MAX)
        return invalid_at (err, env, m->line, m->col,
                           "%s[%zu]: expected containerID, hostID and size as 32-bit unsigned numbers", where, i);
      if (size == 0)
        continue;
      /* does [hid, hid+size) hold host id 0 for a container id other than 0? */
      if (hid == 0 && cid != 0)
        return refuse_at (err, env, m->line, m->col,
                          "%s[%zu] maps container id %" PRIu64
                          " to host id 0: that id would be host root while every rule takes it for an ordinary user",
                          where, i, cid);
    }
  return 0;
}

/* What the root filesystem is, not how it is spelled: runc resolves
 * root.path from the bundle and follows symlinks, so stat does the same
 * from the bundle's directory. */
static int
rootfs_check (const struct fields_env *env, const struct json_value *v, const char *where, hr_err *err)
{
  static const char *const system_dirs[] = { "/",     "/bin",  "/boot", "/dev",  "/etc", "/home", "/lib",
                                              "/lib64", "/opt",  "/proc", "/root", "/run", "/sbin", "/srv",
                                              "/sys",  "/usr",  "/var",  "/var/lib", "/var/log", NULL };
  struct stat st, sys;

  if (v->type != JSON_STRING || env->bundle_fd < 0)
    return 0;
  if (fstatat (env->bundle_fd, v->u.str.s, &st, 0) < 0)
    return 0; /* runc cannot start it either: it says why */
  for (size_t i = 0; system_dirs[i]; i++)
    if (stat (system_dirs[i], &sys) == 0 && sys.st_dev == st.st_dev && sys.st_ino == st.st_ino)
      return refuse_at (err, env, v->line, v->col,
                        "%s \"%s\" is the host's %s; a container's root filesystem must be its own image", where,
                        v->u.str.s, system_dirs[i]);
  return 0;
}

/* cgroup v2 files named directly: the ones that would undo a control's
 * limit or widen the container's devices are refused; the rest (cpu.*,
 * io.*, hugetlb.*, rdma.*, misc.*, cpuset.*) can only restrict. */
static int
unified_check (const struct fields_env *env, const struct json_value *v, const char *where, hr_err *err)
{
  static const char *const refused_prefixes[] = { "memory.", "pids.", "cgroup.", "devices.", NULL };

  if (v->type != JSON_OBJECT)
    return 0;
  for (size_t i = 0; i < v->u.obj.len; i++)
    {
      const struct json_member *m = &v->u.obj.members[i];
      for (size_t k = 0; refused_prefixes[k]; k++)
        if (strncmp (m->key, refused_prefixes[k], strlen (refused_prefixes[k])) == 0)
          return refuse_at (err, env, m->line, m->col,
                            "%s sets \"%s\", which would override the limits the policy sets; use "
                            "linux.resources (--memory, --pids-limit) instead",
                            where, m->key);
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* the walk */

/* Is there a row PARENT.X (or X at the top) whose X folds to KEY?  Returns
 * that row's last component, or NULL. */
static const char *
folded_field (const char *parent, const char *key, size_t keylen)
{
  size_t plen = strlen (parent);
  char exact[256];

  /* Go looks for the exact spelling first (one lookup here); a key that
   * holds a separator or a NUL names no single field, so it only takes
   * the folding scan below, which never matches it. */
  if (plen + 1 + keylen < sizeof exact && strcspn (key, ".[{") >= keylen)
    {
      const struct field_row *row;
      size_t off = plen ? plen + 1 : 0;

      memcpy (exact, parent, plen);
      exact[plen] = '.';
      memcpy (exact + off, key, keylen);
      exact[off + keylen] = '\0';
      row = fields_lookup (exact);
      if (row)
        return row->path + off;
    }
  for (size_t i = 0; i < ARRAY_SIZE (rows); i++)
    {
      const char *p = rows[i].path, *last;
      if (plen)
        {
          if (strncmp (p, parent, plen) != 0 || p[plen] != '.')
            continue;
          last = p + plen + 1;
        }
      else
        last = p;
      if (strpbrk (last, ".[") != NULL)
        continue;
      if (json_key_folds_to (key, keylen, last))
        return last;
    }
  return NULL;
}

static int walk (const struct fields_env *env, const struct json_value *v, char *path, size_t len, size_t cap,
                 hr_err *err);

/* PATH holds LEN bytes in a buffer of CAP; descend into V at PATH+SUFFIX. */
static int
descend (const struct fields_env *env, const struct json_value *v, char *path, size_t len, size_t cap,
         const char *sep, const char *name, hr_err *err)
{
  size_t seplen = strlen (sep), namelen = strlen (name), add = seplen + namelen;
  int r;

  if (len + add + 1 > cap)
    return 0; /* deeper than any row: nothing below is read by runc */
  memcpy (path + len, sep, seplen);
  memcpy (path + len + seplen, name, namelen + 1);
  r = walk (env, v, path, len + add, cap, err);
  path[len] = '\0';
  return r;
}

static int
walk (const struct fields_env *env, const struct json_value *v, char *path, size_t len, size_t cap, hr_err *err)
{
  const struct field_row *row = len ? fields_lookup (path) : NULL;
  bool item = len >= 2 && path[len - 2] == '[' && path[len - 1] == ']';

  if (len && row == NULL && !item)
    return 0; /* not a spec field: kept as it is, runc never reads it */
  if (v->type == JSON_NULL)
    return 0; /* Go: null is absent */
  if (row && row->decision == FIELD_REFUSED)
    return refuse_at (err, env, v->line, v->col, "%s is set; %s", path, row->why);
  if (row && row->check && row->check (env, v, path, err) < 0)
    return -1;

  if (v->type == JSON_ARRAY)
    {
      for (size_t i = 0; i < v->u.arr.len; i++)
        if (descend (env, v->u.arr.items[i], path, len, cap, "[]", "", err) < 0)
          return -1;
      return 0;
    }
  if (v->type != JSON_OBJECT)
    return 0;
  {
    /* a map (free keys): its values all have the path PATH.{} */
    bool is_map = false;
    if (len + 4 <= cap)
      {
        memcpy (path + len, ".{}", 4);
        is_map = fields_lookup (path) != NULL;
        path[len] = '\0';
      }
    for (size_t i = 0; i < v->u.obj.len; i++)
      {
        const struct json_member *m = &v->u.obj.members[i];
        const char *field;

        if (is_map)
          {
            if (descend (env, m->value, path, len, cap, len ? "." : "", "{}", err) < 0)
              return -1;
            continue;
          }
        field = folded_field (path, m->key, m->keylen);
        if (field == NULL)
          continue; /* defined by no spec version: kept, never read */
        if (strlen (field) != m->keylen || memcmp (field, m->key, m->keylen) != 0)
          return invalid_at (err, env, m->line, m->col,
                             "key \"%s\" in %s is not spelled \"%s\" but runc would read it as that; "
                             "refusing an ambiguous configuration",
                             m->key, len ? path : "the top level", field);
        if (descend (env, m->value, path, len, cap, len ? "." : "", field, err) < 0)
          return -1;
      }
  }
  return 0;
}

int
fields_check (const struct fields_env *env, const struct json_value *root, const char *base, hr_err *err)
{
  char path[256];
  size_t len = strlen (base);

  if (len >= sizeof path)
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "fields_check: base path too long");
  memcpy (path, base, len + 1);
  return walk (env, root, path, len, sizeof path, err);
}
