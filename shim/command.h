/* SPDX-License-Identifier: Apache-2.0 */
/* The runc subcommands the shim judges, one file each family (cmd_*.c),
 * and what they share: one decision (policy, profile, mode, runtime, the
 * audit log) begun, audited and released in the same way, a refusal
 * downgraded in audit mode in one place, the container a later command
 * names, and the sealed memfd that hands runc the judged JSON. */
#ifndef HARDENED_COMMAND_H
#define HARDENED_COMMAND_H

#include <stdbool.h>

#include "cli.h"
#include "decision.h"
#include "error.h"
#include "json.h"
#include "policy.h"

/* ------------------------------------------------------------------ */
/* The commands (main.c's table).  On success *RUNTIME is the real
 * runtime to exec. */

/* create/run/restore (cmd_create.c): load the policy, harden
 * BUNDLE/config.json (or, in audit mode, only record what would change),
 * write the audit record.  On failure config.json is as it was. */
int cmd_create (struct runc_cli *cli, char **runtime, hr_err *err);

/* exec (cmd_exec.c): the process (--process FILE, or the flags) gets the
 * profile's capabilities, no_new_privileges, rlimits, cwd and user rules.
 * The rewritten process JSON reaches runc through a memfd. */
int cmd_exec (struct runc_cli *cli, char **runtime, hr_err *err);

/* update (cmd_update.c): limits can be lowered, never removed or raised
 * above the profile's maxima (--resources FILE|-, or the flags). */
int cmd_update (struct runc_cli *cli, char **runtime, hr_err *err);

/* Any other subcommand, --version and --help (cmd_passthrough.c): the
 * shim's own lines first, then which runtime to exec.  Reads the policy
 * only for its "runtime"; a broken policy does not block managing
 * containers that already exist (a warning line says why the default
 * runtime was used). */
int cmd_passthrough (struct runc_cli *cli, char **runtime, hr_err *err);

/* ------------------------------------------------------------------ */
/* What the commands share (command.c). */

/* Everything one decision needs, released by command_release. */
struct command_decision
{
  const struct runc_cli *cli;
  struct policy *policy;
  const struct policy_profile *profile;
  enum policy_mode mode;
  char *runtime;
  int audit_fd;
  struct changes changes;
  struct findings findings;
};

/* Policy, runtime and audit log: everything that must work before a
 * container may be touched. */
int command_begin (struct command_decision *d, const struct runc_cli *cli, hr_err *err);
void command_release (struct command_decision *d);
/* The profile the decision is made under (and that profile's mode). */
void command_choose (struct command_decision *d, const struct policy_profile *p);
/* Write the audit record (and the counters) of the decision; FAILURE is
 * the error it ended with, or NULL. */
int command_audit (struct command_decision *d, const struct hr_error *failure, hr_err *err);
/* A failed decision is recorded (best effort: it already failed).
 * Returns -1. */
int command_fail (struct command_decision *d, hr_err *err);

/* In audit mode a refusal by a rule is only recorded: true when E is such
 * a refusal under D's mode. */
bool command_only_recorded (const struct command_decision *d, const struct hr_error *e);
/* Record the refusal *ERR that command_only_recorded let through, and
 * clear it. */
void command_record_refusal (struct command_decision *d, hr_err *err);
/* The end of a decision refused by a rule: in audit mode only recorded,
 * and runc runs the configuration as given (0, *RUNTIME set); anything
 * else fails (-1). */
int command_refusal (struct command_decision *d, hr_err *err, char **runtime);

/* What runc recorded about a container that exec and update need: the LSM
 * labels exec joins, the bundle exec reads config.json from, the root
 * file system. */
struct command_container
{
  char *apparmor, *selinux, *bundle, *rootfs;
  struct json_value *mounts; /* runc's form: destination, device, source */
};
void command_container_release (struct command_container *c);

/* exec and update: the profile the container was created with (runc
 * keeps the spec's annotations as "key=value" labels in
 * <root>/<id>/state.json); INFO (may be NULL) gets what runc recorded. */
int command_container_profile (struct command_decision *d, const struct runc_cli *cli,
                               const struct policy_profile **out, struct command_container *info, hr_err *err);

/* V as JSON in a sealed memfd at or above MIN_FD (*OUT). */
int command_memfd (const char *name, const struct json_value *v, int min_fd, int *out, hr_err *err);

/* The descriptors runc hands the container (socket activation when
 * WITH_LISTEN_FDS, and --preserve-fds): a directory or O_PATH descriptor
 * among them is refused in every mode.  *END is the first descriptor runc
 * does not pass. */
int command_check_passed_fds (const struct runc_cli *cli, bool with_listen_fds, int *end, hr_err *err);

#endif
