/* SPDX-License-Identifier: Apache-2.0 */
/* runc's command line, modelled: global options, the subcommand and its
 * options, parsed exactly as runc 1.1 parses them (urfave/cli v1.22.1 over
 * Go's flag package: one or two dashes, "=", short aliases, argument
 * reordering, Go's strconv for booleans and numbers).  The shim's own
 * options (--policy, --profile) are recognised among the global options.
 *
 * For the hardened subcommands (create, run, exec, update, restore) runc
 * never sees the caller's tokens: cli_build_argv writes a canonical argv
 * from the model the shim judged.  Every other subcommand is passed on as
 * given, minus the shim's options. */
#ifndef HARDENED_CLI_H
#define HARDENED_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum cli_command
{
  CLI_PASSTHROUGH = 0, /* anything the shim does not rewrite, and help */
  CLI_CREATE,
  CLI_RUN,
  CLI_EXEC,
  CLI_UPDATE,
  CLI_RESTORE, /* from a checkpoint: a create the "restore" rule judges */
};

/* How runc declares an option (urfave/cli flag types). */
enum cli_kind
{
  CLI_BOOL,    /* BoolFlag: strconv.ParseBool */
  CLI_STRING,  /* StringFlag: last one wins */
  CLI_INT,     /* IntFlag: strconv.ParseInt (s, 0, 64) */
  CLI_STRINGS, /* StringSliceFlag: every occurrence, in order */
  CLI_INT64S,  /* Int64SliceFlag: strconv.ParseInt (s, 10, 64) each */
};

/* One option as runc will see it.  A scalar option appears once (its last
 * value); a slice option once per value, in order. */
struct cli_option
{
  const char *name; /* canonical long name, e.g. "pids-limit" */
  enum cli_kind kind;
  const char *value; /* the string, "true"/"false", or the number in decimal */
  bool on;           /* CLI_BOOL */
  int64_t number;    /* CLI_INT, CLI_INT64S */
};

struct runc_cli
{
  /* argv for the real runtime: [0] is the shim's argv[0], NULL-terminated.
   * Passthrough: the caller's tokens minus the shim's options; hardened
   * subcommands: written by cli_build_argv. */
  char **argv;
  size_t argc;

  /* the shim's own options */
  const char *policy_path;
  const char *profile;

  /* runc's global options, canonical (as struct cli_option) */
  struct cli_option *globals;
  size_t n_globals;
  const char *log_path;
  const char *log_format; /* "text" (runc's default) or "json" */
  const char *root;       /* --root: runc's state directory, or NULL */

  const char *subcommand; /* NULL when there is none (runc --version) */
  enum cli_command command;
  bool help; /* runc would print help and do nothing else: argv says only that */
  bool version; /* --version (-v): runc prints its version and does nothing else */
  const char *container_id;
  char **args; /* exec: the command after the container id */
  size_t n_args;

  /* create/run/restore */
  const char *bundle; /* NULL: the current directory */

  /* the subcommand's options, scalars once, slices in order */
  struct cli_option *options;
  size_t n_options;

  /* strings this struct allocated */
  char **owned;
  size_t n_owned;
};

/* Parse ARGV (argv[0] is the shim).  Nothing is printed.  *OUT is filled
 * even on failure (for --log); always cli_release it.  A command line runc
 * would reject, or one the shim cannot model exactly, is refused
 * (HR_ERR_USAGE) with one sentence. */
int cli_parse (int argc, char **argv, struct runc_cli *out, hr_err *err);
void cli_release (struct runc_cli *cli);

/* The option named NAME (the last one for a slice), or NULL. */
const struct cli_option *cli_find (const struct runc_cli *cli, const char *name);
/* Set a string or number option (replacing a scalar, appending to a
 * slice); the value is copied. */
void cli_set (struct runc_cli *cli, const char *name, const char *value);
/* Set a boolean option. */
void cli_set_bool (struct runc_cli *cli, const char *name, bool on);
/* Drop every value of option NAME. */
void cli_remove (struct runc_cli *cli, const char *name);
/* Drop the command after the container id (exec). */
void cli_drop_args (struct runc_cli *cli);
/* Write cli->argv for a hardened subcommand from the model: canonical
 * global options, the subcommand, "--name=value" options (booleans as
 * "--name" when true, left out when false), "--", the container id and,
 * for exec, the command. */
void cli_build_argv (struct runc_cli *cli);

/* Go's strconv, exactly: ParseBool; ParseInt (S, BASE, 64) with BASE 0
 * (prefixes 0x 0o 0b 0, underscores) or 10; ParseUint (S, 10, 64); and
 * go-units' RAMInBytes as runc 1.1 uses it for update's sizes ("-1"
 * handled by the caller).  False when Go would return an error, and for
 * RAMInBytes also when the result would not fit in an int64 (Go's
 * conversion of such a float is undefined: refused, not guessed). */
bool cli_go_parse_bool (const char *s, bool *out);
bool cli_go_parse_int (const char *s, int base, int64_t *out);
bool cli_go_parse_uint (const char *s, uint64_t *out);
bool cli_go_ram_in_bytes (const char *s, int64_t *out);

#endif
