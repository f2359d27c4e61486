/* SPDX-License-Identifier: Apache-2.0 */
/* The policy file (hardened-runc-policy(5)): loaded, validated key by key,
 * and turned into profiles the controls apply. */
#ifndef HARDENED_POLICY_H
#define HARDENED_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define POLICY_SYSTEM_PATH "/etc/hardened-runc/policy.json"
#define POLICY_DEFAULT_AUDIT_LOG "/var/log/hardened-runc/audit.log"
#define POLICY_MAX_BYTES (4u * 1024 * 1024)
#define POLICY_MAX_DEPTH 32

enum policy_mode
{
  POLICY_MODE_INHERIT = 0, /* profile: use the policy's mode */
  POLICY_MODE_ENFORCE,
  POLICY_MODE_AUDIT,
};

/* A value with an optional default (applied when unset) and an optional
 * maximum (larger values are clamped). */
struct policy_limit
{
  bool has_default, has_max;
  int64_t def, max;
};

struct policy_rlimit
{
  char *type; /* "RLIMIT_NOFILE" */
  bool has_default, has_max;
  uint64_t def, max;
};

struct policy_tmpfs
{
  char *path;
  char **options;
  size_t n_options;
};

struct policy_strings
{
  char **items;
  size_t len;
};

/* An OCI hook a profile lets through ("allowed_hooks"): the hook's binary
 * is the file PATH names (same device and inode, so /proc/PID/exe of that
 * program matches), and its args start with ARGS. */
struct policy_hook
{
  char *path;
  struct policy_strings args;
  unsigned kinds; /* bit per hook kind (hooks.c); 0: every kind */
};

struct policy_profile;

/* A profile's list when it sets one (HAS), else the built-in default DEF
 * (NULL-terminated); the items are borrowed. */
struct policy_list
{
  const char *const *items;
  size_t len;
};
struct policy_list policy_list_pick (bool has, const struct policy_strings *s, const char *const *def);

/* Deny rules (hardened-runc-policy(5), "rules"). */
enum rule_id
{
  RULE_PRIVILEGED,
  RULE_HOST_NAMESPACES,
  RULE_SENSITIVE_MOUNTS,
  RULE_DEVICES,
  RULE_SYSCTLS,
  RULE_MOUNT_PROPAGATION,
  RULE_RUN_AS_ROOT,
  RULE_RESTORE,
  /* mounts by type and bind sources by identity (mounts.c, binds.c) */
  RULE_MOUNT_TYPES,
  RULE_TMPFS_OPTIONS,
  RULE_READONLY_BINDS,
  /* the fields of config.json judged since the surface review */
  RULE_HOOKS,
  RULE_OOM,
  RULE_REALTIME,
  RULE_PERSONALITY,
  RULE_ROOT_GROUP,
  RULE_CGROUPS_PATH,
  RULE_INTEL_RDT,
  /* the container's /dev (mounts.c) */
  RULE_DEV_TMPFS,
  /* mount options runc obeys that undo a judged mount (mounts.c) */
  RULE_MOUNT_OPTIONS,
  RULE_COUNT,
  /* findings of the LSM controls (not rules: no action in "rules") */
  FINDING_APPARMOR = RULE_COUNT,
  FINDING_SELINUX,
};

enum rule_action
{
  RULE_DEFAULT = 0, /* not named: the rule's documented default */
  RULE_ALLOW,
  RULE_WARN,
  RULE_MUTATE,
  RULE_DENY,
};

const char *policy_rule_name (enum rule_id id);

/* A device pattern of the policy ("c 1:3", "b 8:*", "a *:*"): the type and
 * the numbers, -1 for "*". */
struct policy_devspec
{
  char type; /* 'a', 'b', 'c' */
  long major, minor; /* -1: any */
};
bool policy_device_pattern_parse (const char *s, struct policy_devspec *d);
const char *policy_action_name (enum rule_action a);
/* The action in force: the profile's, else the rule's default. */
enum rule_action policy_rule_action (const struct policy_profile *p, enum rule_id id);

/* AppArmor / SELinux (hardened-runc-policy(5), "apparmor", "selinux"). */
enum lsm_mode
{
  LSM_OFF = 0, /* not touched */
  LSM_PREFER,  /* applied where available, else allowed and audited */
  LSM_REQUIRE, /* refused where not available */
};
const char *policy_lsm_mode_name (enum lsm_mode m);

struct policy_profile
{
  char *name;
  enum policy_mode mode;

  bool has_capabilities; /* bounding/effective/permitted allow list */
  uint64_t capabilities; /* bit N = capability N */
  bool capabilities_all;
  bool has_inheritable; /* inheritable/ambient allow list */
  uint64_t inheritable;
  bool inheritable_all;

  bool no_new_privileges;
  bool readonly_rootfs;
  struct policy_tmpfs *tmpfs;
  size_t n_tmpfs;

  struct policy_limit pids;
  struct policy_limit memory;
  struct policy_limit cpu_shares;
  struct policy_rlimit *rlimits;
  size_t n_rlimits;

  struct policy_strings masked_paths;
  struct policy_strings readonly_paths;

  char *seccomp; /* a shipped profile name or an absolute path; NULL: off */
  enum lsm_mode apparmor;
  char *apparmor_profile; /* the AppArmor profile's name */
  enum lsm_mode selinux;

  enum rule_action rules[RULE_COUNT];
  bool has_sensitive_mounts, has_sensitive_mount_roots, has_readonly_mounts, has_allowed_mount_sources;
  bool has_allowed_devices, has_allowed_sysctls;
  struct policy_strings sensitive_mounts;      /* path, beneath and parents */
  struct policy_strings sensitive_mount_roots; /* path and parents only */
  struct policy_strings readonly_mounts;       /* beneath: allowed read-only */
  struct policy_strings allowed_mount_sources; /* exact exceptions */
  struct policy_strings allowed_devices;       /* "c 1:3", "c 136:*" */
  struct policy_strings allowed_sysctls;       /* "net.ipv4.tcp_syncookies" */

  /* mounts by type, bind sources by identity (mounts.c, binds.c) */
  bool has_allowed_filesystems, has_allowed_bind_sources, has_allowed_sockets, has_tmpfs_max_size;
  struct policy_strings allowed_filesystems;  /* extra types: "fuse", "debugfs" */
  struct policy_strings allowed_bind_sources; /* the only sources accepted (patterns) */
  struct policy_strings allowed_sockets;      /* unix sockets that may be bound */
  int64_t tmpfs_max_size;                     /* bytes; tmpfs sizes are capped to it */
  bool tmpfs_exec;                            /* a tmpfs may keep an explicit "exec" */
  /* hooks, device rules the engines add, cgroup parents */
  bool has_allowed_hooks, has_removed_devices, has_allowed_cgroup_parents;
  struct policy_hook *allowed_hooks;
  size_t n_allowed_hooks;
  struct policy_strings removed_devices;        /* "c 5:1": cgroup rules taken out */
  struct policy_strings allowed_cgroup_parents; /* "/docker", "system.slice:docker:" */
};

/* Kubernetes pods started through containerd's CRI plugin
 * (hardened-runc-policy(5), "namespace_profiles", "sandbox_profiles"): a
 * pod's namespace -> a profile name; "*" matches every other namespace. */
struct policy_namespace_profile
{
  char *ns;
  char *profile;
};

struct policy_namespace_map
{
  struct policy_namespace_profile *items;
  size_t len;
};

/* The profile M names for namespace NS (exactly, else "*"); NULL: none. */
const char *policy_namespace_profile (const struct policy_namespace_map *m, const char *ns);

/* What containerd's CRI plugin writes into every pod's config.json after
 * the pod's own annotations (so a pod cannot set them), and the containerd
 * namespace it runs pods in: containerd's runc shim passes
 * --root <Root>/k8s.io to runc. */
#define POLICY_CRI_CONTAINER_TYPE "io.kubernetes.cri.container-type"
#define POLICY_CRI_SANDBOX_NAMESPACE "io.kubernetes.cri.sandbox-namespace"
#define POLICY_CRI_CONTAINERD_NAMESPACE "k8s.io"

struct policy
{
  char *source; /* file name, or "embedded default policy" */
  enum policy_mode mode;
  char *runtime;   /* NULL: search for runc */
  char *audit_log;    /* never NULL */
  char *metrics_file; /* Prometheus text file, or NULL */
  char *default_profile;
  struct policy_strings annotation_profiles; /* selectable by annotation */
  struct policy_namespace_map namespace_profiles; /* CRI pods by namespace */
  struct policy_namespace_map sandbox_profiles;   /* their pod sandboxes */
  struct policy_profile *profiles;
  size_t n_profiles;
};

/* Parse and validate policy text; SOURCE names it in messages. */
int policy_parse (const char *buf, size_t len, const char *source, struct policy **out, hr_err *err);
/* Load a policy file (a symlink to a regular file is fine). */
int policy_load_file (const char *path, struct policy **out, hr_err *err);
/* PATH if given, else POLICY_SYSTEM_PATH if it exists, else the embedded
 * default compiled from policy/default.json. */
int policy_load (const char *path, struct policy **out, hr_err *err);
/* The embedded default's text. */
const char *policy_embedded_text (size_t *len);

#define POLICY_PROFILE_ANNOTATION "org.hardened-runc.profile"

/* NAME, or the default profile when NAME is NULL; error if unknown. */
int policy_select_profile (const struct policy *p, const char *name, const struct policy_profile **out, hr_err *err);
enum policy_mode policy_profile_mode (const struct policy *p, const struct policy_profile *prof);

void policy_free (struct policy *p);
void cleanup_policy_freep (struct policy **p);
#define cleanup_policy __attribute__ ((cleanup (cleanup_policy_freep)))

/* Hook kinds: "prestart", "createRuntime", ...; -1 if unknown. */
int policy_hook_kind (const char *name);
const char *policy_hook_kind_name (int kind);
#define POLICY_HOOK_KINDS 6

/* Capability names: "CHOWN", "CAP_CHOWN", any case.  -1 if unknown. */
int policy_capability_from_name (const char *name);

#endif
