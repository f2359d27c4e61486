/* SPDX-License-Identifier: Apache-2.0 */
#include "compliance.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

#define RULE(name, cis, pss) { COMPLIANCE_RULE, name, cis, pss, NULL }
#define RULE_NONE(name, why) { COMPLIANCE_RULE, name, NULL, NULL, why }
#define CONTROL(path, cis, pss) { COMPLIANCE_CONTROL, path, cis, pss, NULL }
#define CONTROL_NONE(path, why) { COMPLIANCE_CONTROL, path, NULL, NULL, why }

/* The mapping, one row per rule, finding and control.  A row with neither
 * a CIS item nor a PSS control says why (the unit tests check every rule
 * has a row). */
static const struct compliance_entry table[] = {
  RULE ("privileged", "5.5 5.23", "baseline: Privileged Containers"),
  RULE ("host_namespaces", "5.10 5.16 5.17 5.21 5.31", "baseline: Host Namespaces"),
  RULE ("sensitive_mounts", "5.6 5.32", "baseline: HostPath Volumes"),
  RULE ("devices", "5.18", NULL),
  RULE ("sysctls", NULL, "baseline: Sysctls"),
  RULE ("mount_propagation", "5.20", NULL),
  RULE ("run_as_root", "5.24", "restricted: Running as Non-root"),
  RULE_NONE ("restore", "a checkpoint image brings credentials, capabilities and filters config.json does not "
                        "show; neither catalogue covers restore"),
  RULE ("mount_types", NULL, "baseline: /proc Mount Type"),
  RULE_NONE ("tmpfs_options", "noexec, nosuid and size on tmpfs mounts go beyond both catalogues"),
  RULE_NONE ("readonly_binds", "read-only bind mounts go beyond both catalogues (5.13 covers the root only)"),
  RULE_NONE ("hooks", "OCI hooks run on the host; no engine option sets them and neither catalogue has them"),
  RULE_NONE ("oom", "oomScoreAdj is in neither catalogue"),
  RULE ("realtime", "5.12", NULL),
  RULE_NONE ("personality", "execution domains (personality) are in neither catalogue"),
  RULE ("root_group", NULL, "restricted: Running as Non-root"),
  RULE ("cgroups_path", "5.25", NULL),
  RULE_NONE ("intel_rdt", "Intel RDT classes are in neither catalogue"),
  RULE_NONE ("dev_tmpfs", "a fresh /dev is what runc assumes; neither catalogue names it"),
  RULE_NONE ("mount_options", "mount options that undo read-only, nosuid, nodev or noexec after the fact are in "
                              "neither catalogue"),
  RULE ("apparmor", "5.2", "baseline: AppArmor"),
  RULE ("selinux", "5.3", "baseline: SELinux"),

  CONTROL ("process.capabilities", "5.4", "baseline: Capabilities; restricted: Capabilities"),
  CONTROL ("process.noNewPrivileges", "5.26", "restricted: Privilege Escalation"),
  CONTROL ("process.rlimits", "5.19", NULL),
  CONTROL ("process.user", "5.24", "restricted: Running as Non-root"),
  CONTROL ("process.apparmorProfile", "5.2", "baseline: AppArmor"),
  CONTROL ("process.selinuxLabel", "5.3", "baseline: SELinux"),
  CONTROL_NONE ("process.oomScoreAdj", "oomScoreAdj is in neither catalogue"),
  CONTROL ("linux.mountLabel", "5.3", "baseline: SELinux"),
  CONTROL ("linux.namespaces", "5.10 5.16 5.17 5.21 5.31", "baseline: Host Namespaces"),
  CONTROL ("linux.resources.memory", "5.11", NULL),
  CONTROL ("linux.resources.cpu", "5.12", NULL),
  CONTROL ("linux.resources.pids", "5.29", NULL),
  CONTROL ("linux.resources.devices", "5.18", NULL),
  CONTROL ("linux.devices", "5.18", NULL),
  CONTROL ("linux.seccomp", "5.22", "baseline: Seccomp; restricted: Seccomp"),
  CONTROL ("linux.maskedPaths", NULL, "baseline: /proc Mount Type"),
  CONTROL ("linux.readonlyPaths", NULL, "baseline: /proc Mount Type"),
  CONTROL ("linux.sysctl", NULL, "baseline: Sysctls"),
  CONTROL ("linux.rootfsPropagation", "5.20", NULL),
  CONTROL ("root.readonly", "5.13", NULL),
  CONTROL_NONE ("mounts", "tmpfs and mount options go beyond both catalogues; a sensitive mount's removal is "
                          "named by its rule, sensitive_mounts (CIS 5.6)"),
  CONTROL_NONE ("hooks", "OCI hooks run on the host; neither catalogue has them"),
};

static const struct cis_item cis_items[] = {
  { "5.1", "swarm mode not enabled, if not needed", CIS_OUTSIDE, "the engine's setting" },
  { "5.2", "AppArmor profile enabled", CIS_ENFORCED, "the apparmor setting and finding" },
  { "5.3", "SELinux security options set", CIS_ENFORCED, "the selinux setting and finding" },
  { "5.4", "Linux kernel capabilities restricted", CIS_ENFORCED, "the capability sets" },
  { "5.5", "privileged containers not used", CIS_ENFORCED, "rule privileged" },
  { "5.6", "sensitive host system directories not mounted", CIS_ENFORCED, "rule sensitive_mounts" },
  { "5.7", "sshd not run within containers", CIS_OUTSIDE, "what the image runs later is not in config.json" },
  { "5.8", "privileged ports not mapped", CIS_OUTSIDE, "port mappings are the engine's (network namespace setup)" },
  { "5.9", "only needed ports open", CIS_OUTSIDE, "port mappings are the engine's" },
  { "5.10", "host network namespace not shared", CIS_ENFORCED, "rule host_namespaces" },
  { "5.11", "memory usage limited", CIS_ENFORCED, "the memory limit" },
  { "5.12", "CPU priority set appropriately", CIS_ENFORCED, "CPU shares; rule realtime" },
  { "5.13", "root filesystem mounted read only", CIS_ENFORCED, "root.readonly" },
  { "5.14", "incoming traffic bound to a specific host interface", CIS_OUTSIDE, "port bindings are the engine's" },
  { "5.15", "'on-failure' restart policy limited to 5", CIS_OUTSIDE,
    "restart policies are the engine's; the runtime sees each start alone" },
  { "5.16", "host PID namespace not shared", CIS_ENFORCED, "rule host_namespaces" },
  { "5.17", "host IPC namespace not shared", CIS_ENFORCED, "rule host_namespaces" },
  { "5.18", "host devices not directly exposed", CIS_ENFORCED, "rule devices" },
  { "5.19", "default ulimit overwritten only if needed", CIS_ENFORCED, "process.rlimits" },
  { "5.20", "mount propagation mode not shared", CIS_ENFORCED, "rule mount_propagation" },
  { "5.21", "host UTS namespace not shared", CIS_ENFORCED, "rule host_namespaces" },
  { "5.22", "default seccomp profile not disabled", CIS_ENFORCED, "the seccomp control" },
  { "5.23", "docker exec not used with --privileged", CIS_PARTLY,
    "seen only as runc exec --process capabilities; rule privileged on exec" },
  { "5.24", "docker exec not used with --user=root", CIS_PARTLY, "seen only as runc exec; rule run_as_root" },
  { "5.25", "cgroup usage confirmed", CIS_ENFORCED, "rule cgroups_path" },
  { "5.26", "container restricted from acquiring additional privileges", CIS_ENFORCED, "noNewPrivileges" },
  { "5.27", "container health checked at runtime", CIS_OUTSIDE, "health checks are the engine's" },
  { "5.28", "docker commands use the latest image version", CIS_OUTSIDE, "image choice is the engine's" },
  { "5.29", "PIDs cgroup limit used", CIS_ENFORCED, "the pids limit" },
  { "5.30", "Docker's default bridge docker0 not used", CIS_OUTSIDE, "networks are the engine's" },
  { "5.31", "host user namespace not shared", CIS_ENFORCED, "rule host_namespaces" },
  { "5.32", "Docker socket not mounted inside containers", CIS_ENFORCED, "rule sensitive_mounts" },
};

const struct compliance_entry *
compliance_table (size_t *n)
{
  *n = ARRAY_SIZE (table);
  return table;
}

const struct compliance_entry *
compliance_of_rule (const char *name)
{
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    if (table[i].kind == COMPLIANCE_RULE && strcmp (table[i].subject, name) == 0)
      return &table[i];
  return NULL;
}

const struct compliance_entry *
compliance_of_control (const char *control)
{
  const struct compliance_entry *best = NULL;
  for (size_t i = 0; i < ARRAY_SIZE (table); i++)
    {
      size_t len = strlen (table[i].subject);
      if (table[i].kind != COMPLIANCE_CONTROL || strncmp (control, table[i].subject, len) != 0)
        continue;
      /* a whole path element: "mounts[/tmp]" and "mounts.x", not "mountsX" */
      if (control[len] != '\0' && control[len] != '.' && control[len] != '[')
        continue;
      if (best == NULL || len > strlen (best->subject))
        best = &table[i];
    }
  return best;
}

const char *
compliance_label (const struct compliance_entry *e)
{
  static char buf[512];
  if (e->cis == NULL && e->pss == NULL)
    snprintf (buf, sizeof buf, "none: %s", e->none);
  else
    snprintf (buf, sizeof buf, "%s%s%s%s%s", e->cis ? "CIS " : "", e->cis ? e->cis : "",
              e->cis && e->pss ? "; " : "", e->pss ? "PSS " : "", e->pss ? e->pss : "");
  return buf;
}

const struct cis_item *
compliance_cis_items (size_t *n)
{
  *n = ARRAY_SIZE (cis_items);
  return cis_items;
}

const char *
compliance_coverage_name (enum cis_coverage c)
{
  switch (c)
    {
    case CIS_ENFORCED:
      return "enforced here";
    case CIS_PARTLY:
      return "partly";
    case CIS_OUTSIDE:
    default:
      return "outside a runtime's view";
    }
}

int
compliance_cis_has (const char *list, const char *id)
{
  size_t len = strlen (id);
  for (const char *p = list; p && *p;)
    {
      if (strncmp (p, id, len) == 0 && (p[len] == ' ' || p[len] == '\0'))
        return 1;
      p = strchr (p, ' ');
      if (p)
        p++;
    }
  return 0;
}
