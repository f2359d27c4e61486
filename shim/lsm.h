/* SPDX-License-Identifier: Apache-2.0 */
/* LSM labels: an AppArmor profile and a per-container SELinux MCS label.
 *
 * Detection and label generation go through struct lsm_env, whose
 * filesystem roots (securityfs profile list, lxc_contexts file, the MCS
 * reservation directory) tests point at prepared directories.  The two
 * questions no file can answer on a machine without the LSM -- is it
 * enabled, and does the loaded policy accept a context -- are function
 * pointers: libapparmor and libselinux in production, the prepared
 * directory in tests. */
#ifndef HARDENED_LSM_H
#define HARDENED_LSM_H

#include <stdbool.h>

#include "error.h"
#include "decision.h"
#include "json.h"

struct lsm_env
{
  const char *apparmor_profiles; /* securityfs: "<name> (<mode>)" lines */
  const char *lxc_contexts;      /* NULL: libselinux's selinux_lxc_contexts_path() */
  const char *mcs_dir;           /* reservations of category pairs */
  const char *runc_root;         /* runc's state directory (containers that exist) */
  const char *test_root;         /* tests: the prepared directory the hooks read */
  bool (*apparmor_enabled) (const struct lsm_env *env);
  bool (*selinux_enabled) (const struct lsm_env *env);
  bool (*context_valid) (const struct lsm_env *env, const char *context);
};

/* The machine's: libapparmor, libselinux, /sys/kernel/security,
 * /run/hardened-runc/mcs.  RUNC_ROOT may be NULL (/run/runc). */
void lsm_env_system (struct lsm_env *env, const char *runc_root);

/* The hooks over a prepared directory ROOT: apparmor/enabled (Y/N),
 * apparmor/profiles, selinux/enabled (exists), selinux/valid-types (one
 * type per line), lxc_contexts, mcs/.  For tests; the paths live in
 * per-thread storage, so one prepared environment per thread at a time. */
void lsm_env_prepared (struct lsm_env *env, const char *root);

bool lsm_apparmor_profile_loaded (const struct lsm_env *env, const char *name);
bool lsm_apparmor_profile_enforced (const struct lsm_env *env, const char *name);

/* The "process" and "file" contexts of the lxc_contexts file (without a
 * level), allocated; -1 with an error naming the file and line. */
int lsm_selinux_contexts (const struct lsm_env *env, char **process, char **file, hr_err *err);

/* Reserve a category pair no other living container holds, for container
 * ID: "c12,c345" (allocated). */
int lsm_mcs_reserve (const struct lsm_env *env, const char *id, char **pair, hr_err *err);

/* PAIR's reservation may be reused: its container is gone from runc's
 * state directory and it is older than a create can take. */
bool lsm_mcs_stale (const struct lsm_env *env, const char *pair);

/* "user:role:type:s0:c12,c345" from CONTEXT (its level replaced). */
char *lsm_with_level (const char *context, const char *pair);

/* The control (create/run): process.apparmorProfile, process.selinuxLabel
 * and linux.mountLabel as the profile's modes say.  ENV NULL: the
 * machine's.  ID: the container's id (for the reservation). */
int lsm_apply (struct harden_ctx *ctx, const struct lsm_env *env, const char *id, struct json_value *root,
               hr_err *err);

/* exec: the process gets the container's labels (CONTAINER_AA,
 * CONTAINER_SE: what runc's state recorded, may be NULL), replacing
 * unconfined/empty/other ones.  APPARMOR and LABEL point at the process
 * values (may be NULL: absent); on return they hold what to use (NULL:
 * leave absent).  Allocated strings are returned through them. */
int lsm_exec (struct harden_ctx *ctx, const struct lsm_env *env, const char *container_aa, const char *container_se,
              char **apparmor, char **label, hr_err *err);

#endif
