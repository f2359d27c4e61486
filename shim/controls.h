/* SPDX-License-Identifier: Apache-2.0 */
/* The controls and rules, one family per file; harden.c's table says which
 * run on a whole spec (create, run, restore) and which on a process (exec,
 * and the spec's process). */
#ifndef HARDENED_CONTROLS_H
#define HARDENED_CONTROLS_H

#include <stdint.h>

#include "decision.h"
#include "util.h"


/* Deny rules (rules.c): run first, on what the caller asked for.  A deny
 * returns HR_ERR_REFUSED naming the rule; every match is a finding. */
int rules_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* The rule families rules_check runs, one file each. */
/* devices.c: host devices and device cgroup rules beyond the allowed
 * ones; removed when MUTATE (--privileged stripped back), else judged
 * under ACTION. */
int devices_check (struct harden_ctx *ctx, struct json_value *root, enum rule_action action, bool mutate,
                   hr_err *err);
/* A device cgroup rule allowing read/write to every device. */
bool devices_allow_all (const struct json_value *root);
/* privileged.c: every capability and every device. */
int privileged_check (struct harden_ctx *ctx, struct json_value *root, struct json_value *process, hr_err *err);
/* namespaces.c: the rule host_namespaces. */
int namespaces_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* sysctls.c: only the allowed sysctls. */
int sysctls_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* propagation.c: the rule mount_propagation. */
int propagation_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* Bind mounts (binds.c): the sensitive_mounts rule, called by rules_check. */
int binds_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* Remove a container's staging mounts (runc delete); best effort. */
#define BINDS_STAGING_ROOT HR_STATE_DIR "/binds"
int binds_unpin (const char *container_id);
/* workdir.c: process.cwd under /proc/.../fd (CVE-2024-21626), also
 * through the image's links and the mounts: always refused. */
int workdir_check (struct harden_ctx *ctx, const struct json_value *process, const char *path, hr_err *err);
/* Where each of MOUNTS (config.json's) lands in the container, as runc
 * mounts them in order: its destination with the links followed inside
 * the container's root, through the image ROOTFS (NULL: not followed) and
 * the binds mounted before it (those IS_BIND names; sources relative to
 * BASE_FD).  A clean path
 * per mount (as many as MOUNTS has), NULL where a mount has no
 * destination; the caller frees each and the array. */
char **workdir_mount_destinations (const char *rootfs, int base_fd, const struct json_value *mounts,
                                   bool (*is_bind) (const struct json_value *m));
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
/* caps.c: the profile's capabilities. */
int caps_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
/* privileges.c: no_new_privileges. */
int privileges_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
int mounts_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
/* A bind mount: type "bind" or a "bind"/"rbind" option. */
bool mounts_is_bind (const struct json_value *m);
/* Does runc mount it read-only: OPTS (an array, or NULL) in order, the
 * last of "ro" and "rw" wins, as runc applies them. */
bool mounts_options_readonly (const struct json_value *opts);
/* TYPE is on the profile's allowed_filesystems list. */
bool mounts_filesystem_allowed (const struct policy_profile *p, const char *type);
/* Add OPTION to mount M's options (made when absent), recorded as a change
 * of CONTROL. */
void mounts_add_option (struct harden_ctx *ctx, struct json_value *m, const char *control, const char *option);
/* Swap never exceeds memory: memory+swap is at most twice MEMORY (> 0),
 * saturating at INT64_MAX.  create and update both use it. */
int64_t limits_swap_max (int64_t memory);
int limits_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
int rlimits_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
/* linux.seccomp = the intersection of the container's profile and the
 * policy's (sysfilter.c; the sysfilter_*.h modules). */
int sysfilter_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err);


/* process.cwd and process.user of a process (exec's, or the spec's). */
int rules_check_process (struct harden_ctx *ctx, struct json_value *process, hr_err *err);

#endif
