/* SPDX-License-Identifier: Apache-2.0 */
/* What the shim does for one runc invocation, before exec'ing runc. */
#ifndef HARDENED_REWRITE_H
#define HARDENED_REWRITE_H

#include "cli.h"
#include "error.h"

/* create/run: load the policy, harden BUNDLE/config.json (or, in audit
 * mode, only record what would change), write the audit record.  On
 * success *runtime is the real runtime to exec.  On failure config.json is
 * as it was. */
int rewrite_create (const struct runc_cli *cli, char **runtime, hr_err *err);

/* exec: the process (--process FILE, or the flags) gets the profile's
 * capabilities, no_new_privileges, rlimits, cwd and user rules.  The
 * rewritten process JSON reaches runc through a memfd. */
int rewrite_exec (struct runc_cli *cli, char **runtime, hr_err *err);

/* update: limits can be lowered, never removed or raised above the
 * profile's maxima (--resources FILE|-, or the flags). */
int rewrite_update (struct runc_cli *cli, char **runtime, hr_err *err);

/* Any other subcommand: which runtime to exec.  Reads the policy only for
 * its "runtime"; a broken policy does not block managing containers that
 * already exist (*warning says why the default runtime was used). */
int rewrite_passthrough (const struct runc_cli *cli, char **runtime, char **warning, hr_err *err);

#endif
