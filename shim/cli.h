/* SPDX-License-Identifier: Apache-2.0 */
/* runc's command line, modelled: global options, the subcommand and its
 * options, as runc (urfave/cli) parses them.  The shim's own options
 * (--policy, --profile) are recognised among the global options and
 * removed from what the real runtime gets. */
#ifndef HARDENED_CLI_H
#define HARDENED_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum cli_command
{
  CLI_PASSTHROUGH = 0, /* anything the shim does not rewrite */
  CLI_CREATE,
  CLI_RUN,
};

struct runc_cli
{
  /* argv for the real runtime: [0] is a placeholder the caller sets, the
   * shim's options removed, NULL-terminated. */
  char **argv;
  size_t argc;

  /* the shim's own options */
  const char *policy_path;
  const char *profile;

  /* runc's global options the shim uses */
  const char *log_path;
  const char *log_format; /* "text" (runc's default) or "json" */

  const char *subcommand; /* NULL when there is none (runc --version) */
  enum cli_command command;

  /* create/run */
  const char *bundle; /* NULL: the current directory */
  const char *container_id;
};

/* Parse ARGV (argv[0] is the shim).  Nothing is printed.  *OUT is filled
 * even on failure (for --log); always cli_release it. */
int cli_parse (int argc, char **argv, struct runc_cli *out, hr_err *err);
void cli_release (struct runc_cli *cli);

#endif
