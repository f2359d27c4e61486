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
  CLI_EXEC,
  CLI_UPDATE,
  CLI_RESTORE, /* from a checkpoint: a create the "restore" rule judges */
};

/* One option of the subcommand as given. */
struct cli_option
{
  const char *name;   /* canonical long name, e.g. "pids-limit" */
  const char *value;  /* NULL for a boolean */
  size_t value_index; /* index in argv of the token holding the value */
  bool inline_value;  /* given as --name=value */
};

struct runc_cli
{
  /* argv for the real runtime: [0] is a placeholder the caller sets, the
   * shim's options removed, NULL-terminated; room for CLI_SPARE_ARGS more. */
  char **argv;
  size_t argc;

  /* the shim's own options */
  const char *policy_path;
  const char *profile;

  /* runc's global options the shim uses */
  const char *log_path;
  const char *log_format; /* "text" (runc's default) or "json" */
  const char *root;       /* --root: runc's state directory, or NULL */

  const char *subcommand; /* NULL when there is none (runc --version) */
  size_t subcommand_index;
  enum cli_command command;
  const char *container_id;
  size_t container_id_index;

  /* create/run/restore */
  const char *bundle; /* NULL: the current directory */

  /* the subcommand's options, in order */
  struct cli_option *options;
  size_t n_options;

  /* strings this struct allocated (replaced argv values) */
  char **owned;
  size_t n_owned;
};

#define CLI_SPARE_ARGS 4

/* Parse ARGV (argv[0] is the shim).  Nothing is printed.  *OUT is filled
 * even on failure (for --log); always cli_release it. */
int cli_parse (int argc, char **argv, struct runc_cli *out, hr_err *err);
void cli_release (struct runc_cli *cli);

/* The last option named NAME, or NULL. */
const struct cli_option *cli_find (const struct runc_cli *cli, const char *name);
/* Replace the value of option OPT in argv (keeps its form). */
void cli_set_value (struct runc_cli *cli, const struct cli_option *opt, const char *value);
/* Insert a token just before the container id (a boolean option). */
void cli_insert_before_id (struct runc_cli *cli, const char *token);
/* Drop the option OPT (and its separate value token) from argv. */
void cli_remove_option (struct runc_cli *cli, const struct cli_option *opt);

#endif
