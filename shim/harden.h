/* SPDX-License-Identifier: Apache-2.0 */
/* The rewrite engine: applies a profile to a parsed config.json and records
 * every change it makes. */
#ifndef HARDENED_HARDEN_H
#define HARDENED_HARDEN_H

#include "error.h"
#include "json.h"
#include "policy.h"

struct change
{
  char *control;             /* "process.capabilities.bounding" */
  struct json_value *before; /* NULL: absent */
  struct json_value *after;  /* NULL: removed */
};

struct changes
{
  struct change *items;
  size_t len, cap;
};

/* Records a change with copies of BEFORE and AFTER (either may be NULL). */
void changes_add (struct changes *c, const char *control, const struct json_value *before,
                  const struct json_value *after);
void changes_release (struct changes *c);

/* A rule that matched: refused (deny), changed (mutate) or logged (warn). */
struct finding
{
  enum rule_id rule;
  enum rule_action action;
  char *detail; /* one sentence: what was found and what to change */
};

struct findings
{
  struct finding *items;
  size_t len, cap;
};

void findings_add (struct findings *f, enum rule_id rule, enum rule_action action, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));
void findings_release (struct findings *f);

struct lsm_env;

/* What a control needs to know. */
struct harden_ctx
{
  const char *source; /* config.json's name, for messages */
  const struct policy_profile *profile;
  struct changes *changes;
  struct findings *findings; /* may be NULL */
  const struct lsm_env *lsm;  /* NULL: the machine's */
  const char *container_id;   /* NULL: explain (nothing is reserved) */
  bool restore;               /* runc restore: the "restore" rule applies */
  const char *cgroup_root;    /* NULL: /sys/fs/cgroup (tests point elsewhere) */
  const char *rootfs;         /* the container's root file system on the host, or NULL: the
                               * working-directory check then does not follow its links */
  const struct json_value *mounts; /* the container's mounts (config.json's or runc's state), for
                                    * the working-directory check; NULL: config.json's in
                                    * rules_check, none for exec */
  bool has_bundle;            /* bundle_fd is the bundle directory (runc's */
  int bundle_fd;              /* base for relative paths) */
  bool pin_binds;             /* bind sources handed to runc through staging mounts (binds.c) */
};

/* Which profile a container gets, most trusted first: EXPLICIT (--profile,
 * from the operator's runtimeArgs); else, for a pod container or sandbox
 * of containerd's CRI plugin (RUNTIME_ROOT, runc's --root, is
 * ".../k8s.io" and the CRI annotations are there), its namespace's entry
 * in sandbox_profiles (sandboxes only), then in namespace_profiles (exact
 * name, then "*"); else the annotation org.hardened-runc.profile when the
 * policy lists that profile in annotation_profiles; else default_profile.
 * Unknown names refuse. */
int harden_choose_profile (const struct policy *p, const char *explicit_name, const char *runtime_root,
                           const char *source, const struct json_value *root, const struct policy_profile **out,
                           hr_err *err);

/* Apply every control of CTX->profile to the spec ROOT (a config.json
 * object), in place.  Refusals return HR_ERR_REFUSED; malformed input
 * HR_ERR_INPUT. */
int harden_spec (struct harden_ctx *ctx, struct json_value *root, hr_err *err);

/* Deny rules (rules.c): run first, on what the caller asked for.  A deny
 * returns HR_ERR_REFUSED naming the rule; every match is a finding. */
int rules_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* Bind mounts (binds.c): the sensitive_mounts rule, called by rules_check. */
int binds_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* Remove a container's staging mounts (runc delete); best effort. */
#define BINDS_STAGING_ROOT "/run/hardened-runc/binds"
int binds_unpin (const char *container_id);
/* "c 1:3", "b 8:*", "a *:*". */
bool rules_device_pattern_valid (const char *pattern);
/* process.cwd under /proc/.../fd (CVE-2024-21626): always refused. */
int rules_check_cwd (struct harden_ctx *ctx, const struct json_value *process, const char *path, hr_err *err);
/* process.user: the run_as_root rule. */
int rules_check_user (struct harden_ctx *ctx, const struct json_value *process, const char *path, hr_err *err);

/* Hooks (hooks.c): only the profile's allowed_hooks run on the host. */
int hooks_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* Process fields (process.c): rules oom, realtime, personality and
 * root_group.  process_check_exec judges an exec's process JSON. */
int process_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
int process_check_exec (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
int process_check_root_group (struct harden_ctx *ctx, const struct json_value *process, const char *path,
                              hr_err *err);
/* linux.cgroupsPath and linux.intelRdt (cgroups.c). */
int cgroups_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);

/* Controls, one family per file. */
int caps_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
int privileges_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
int mounts_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* A bind mount: type "bind" or a "bind"/"rbind" option. */
bool mounts_is_bind (const struct json_value *m);
/* TYPE is on the profile's allowed_filesystems list. */
bool mounts_filesystem_allowed (const struct policy_profile *p, const char *type);
int limits_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
int rlimits_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);

#endif
