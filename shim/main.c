/* SPDX-License-Identifier: Apache-2.0 */
/* hardened-runc: parse argv, dispatch, and turn errors into runc-style log
 * lines and exit codes.  Nothing else happens here. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "command.h"
#include "error.h"
#include "explain.h"
#include "json.h"
#include "runc_log.h"
#include "report.h"
#include "runtime.h"
#include "util.h"

static int
exit_code (const struct hr_error *e)
{
  switch (e->kind)
    {
    case HR_ERR_USAGE:
      return EXIT_USAGE;
    case HR_ERR_REFUSED:
    case HR_ERR_FORBIDDEN:
      return EXIT_REFUSED;
    case HR_ERR_INPUT:
      return EXIT_INVALID;
    case HR_ERR_INTERNAL:
    default:
      return EXIT_INTERNAL;
    }
}

static int
report (const struct runc_cli *cli, hr_err err)
{
  cleanup_free char *msg = xasprintf ("hardened-runc: %s", err->msg);
  int rc = exit_code (err);

  runc_log (cli->log_path, cli->log_format, "error", msg);
  hr_error_free (err);
  return rc;
}

/* Every subcommand: one of the shim's own tools (TOOL, run on its own
 * arguments), or a runc subcommand the shim judges (JUDGE) before it
 * execs the real runtime.  The last row is every other runc subcommand,
 * --version and --help. */
struct command
{
  const char *name;
  enum cli_command runc; /* the runc subcommand, as cli_parse reads it */
  int (*tool) (int argc, char **argv);
  bool tool_profile; /* the tool takes the global --profile and --root */
  int (*judge) (struct runc_cli *cli, char **runtime, hr_err *err);
};

static const struct command commands[] = {
  { "explain", .tool = explain_main, .tool_profile = true },
  { "validate-policy", .tool = validate_policy_main },
  { "report", .tool = report_main },
  { "create", CLI_CREATE, .judge = cmd_create },
  { "run", CLI_RUN, .judge = cmd_create },
  { "restore", CLI_RESTORE, .judge = cmd_create },
  { "exec", CLI_EXEC, .judge = cmd_exec },
  { "update", CLI_UPDATE, .judge = cmd_update },
  { NULL, CLI_PASSTHROUGH, .judge = cmd_passthrough },
};

static const struct command *
tool_named (const char *name)
{
  for (size_t k = 0; name && k < ARRAY_SIZE (commands); k++)
    if (commands[k].tool && strcmp (name, commands[k].name) == 0)
      return &commands[k];
  return NULL;
}

static const struct command *
judge_of (enum cli_command runc)
{
  for (size_t k = 0; k < ARRAY_SIZE (commands); k++)
    if (commands[k].judge && commands[k].runc == runc)
      return &commands[k];
  return &commands[ARRAY_SIZE (commands) - 1];
}

/* A tool after global options ("hardened-runc --policy FILE --profile P
 * explain CONFIG"): the global --policy, --profile and --root go to it as
 * its options. */
static int
run_tool (const struct command *c, const struct runc_cli *cli)
{
  cleanup_free char **argv = NULL;
  cleanup_free char *policy = NULL, *profile = NULL, *root = NULL;
  size_t i = 1, n = 0;

  /* the passthrough argv is the caller's: the tool's own arguments
   * follow it */
  while (i < cli->argc && cli->argv[i] != cli->subcommand)
    i++;
  argv = xcalloc (cli->argc + 4, sizeof *argv);
  argv[n++] = (char *) cli->subcommand;
  if (cli->policy_path)
    argv[n++] = policy = xasprintf ("--policy=%s", cli->policy_path);
  if (c->tool_profile && cli->profile)
    argv[n++] = profile = xasprintf ("--profile=%s", cli->profile);
  if (c->tool_profile && cli->root)
    argv[n++] = root = xasprintf ("--root=%s", cli->root);
  for (i++; i < cli->argc; i++)
    argv[n++] = cli->argv[i];
  return c->tool ((int) n, argv);
}

/* A closed 0, 1 or 2 would be taken by the next file the shim opens (the
 * audit log, the memfd handed to runc) and then read or written as that
 * standard stream: hold each closed one with /dev/null first. */
static void
standard_streams_open (void)
{
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    if (fcntl (fd, F_GETFD) < 0 && errno == EBADF && open ("/dev/null", O_RDWR) != fd)
      {
        /* nowhere to say it but the exit code: stderr may be the closed one */
        _exit (EXIT_INTERNAL);
      }
}

int
main (int argc, char **argv)
{
  struct runc_cli cli = { 0 };
  hr_err err = NULL;
  cleanup_free char *runtime = NULL;
  const struct command *c;
  int rc;

  standard_streams_open ();
  if (argc >= 2 && (c = tool_named (argv[1])) != NULL)
    return c->tool (argc - 1, argv + 1);

  if (cli_parse (argc, argv, &cli, &err) == 0 && cli.command == CLI_PASSTHROUGH
      && (c = tool_named (cli.subcommand)) != NULL)
    {
      rc = run_tool (c, &cli);
      cli_release (&cli);
      return rc;
    }
  /* one document per process from here on: no freeing piece by piece */
  json_use_arena ();
  rc = err ? -1 : judge_of (cli.command)->judge (&cli, &runtime, &err);

  if (rc == 0 && cli.command != CLI_PASSTHROUGH)
    cli_build_argv (&cli); /* runc runs what the shim judged, not the caller's tokens */
  if (rc == 0)
    runtime_exec (runtime, cli.argv, &err);

  rc = report (&cli, err);
  cli_release (&cli);
  return rc;
}
