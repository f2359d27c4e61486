/* SPDX-License-Identifier: Apache-2.0 */
/* hardened-runc: parse argv, dispatch, and turn errors into runc-style log
 * lines and exit codes.  Nothing else happens here. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "error.h"
#include "explain.h"
#include "json.h"
#include "log.h"
#include "report.h"
#include "rewrite.h"
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

  log_runc (cli->log_path, cli->log_format, "error", msg);
  hr_error_free (err);
  return rc;
}

/* The shim's own subcommands, also after global options
 * ("hardened-runc --policy FILE --profile P explain CONFIG"): the global
 * --policy, --profile and --root go to the subcommand as its options. */
static int
shim_subcommand (const struct runc_cli *cli)
{
  static const struct
  {
    const char *name;
    int (*run) (int argc, char **argv);
    bool profile; /* takes --profile and --root */
  } commands[] = {
    { "explain", explain_main, true },
    { "validate-policy", validate_policy_main, false },
    { "report", report_main, false },
  };
  cleanup_free char **argv = NULL;
  cleanup_free char *policy = NULL, *profile = NULL, *root = NULL;
  size_t i = 1, n = 0;

  if (cli->subcommand == NULL)
    return -1;
  for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
    if (strcmp (cli->subcommand, commands[k].name) == 0)
      {
        /* the passthrough argv is the caller's: the subcommand's own
         * arguments follow it */
        while (i < cli->argc && cli->argv[i] != cli->subcommand)
          i++;
        argv = xcalloc (cli->argc + 4, sizeof *argv);
        argv[n++] = (char *) cli->subcommand;
        if (cli->policy_path)
          argv[n++] = policy = xasprintf ("--policy=%s", cli->policy_path);
        if (commands[k].profile && cli->profile)
          argv[n++] = profile = xasprintf ("--profile=%s", cli->profile);
        if (commands[k].profile && cli->root)
          argv[n++] = root = xasprintf ("--root=%s", cli->root);
        for (i++; i < cli->argc; i++)
          argv[n++] = cli->argv[i];
        return commands[k].run ((int) n, argv);
      }
  return -1;
}

int
main (int argc, char **argv)
{
  struct runc_cli cli = { 0 };
  hr_err err = NULL;
  cleanup_free char *runtime = NULL;
  cleanup_free char *warning = NULL;
  int rc;

  if (argc >= 2 && strcmp (argv[1], "explain") == 0)
    return explain_main (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "validate-policy") == 0)
    return validate_policy_main (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "report") == 0)
    return report_main (argc - 1, argv + 1);

  if (cli_parse (argc, argv, &cli, &err) == 0 && cli.command == CLI_PASSTHROUGH
      && (rc = shim_subcommand (&cli)) >= 0)
    {
      cli_release (&cli);
      return rc;
    }
  /* one document per process from here on: no freeing piece by piece */
  json_use_arena ();
  if (err)
    rc = -1;
  else if (cli.command == CLI_CREATE || cli.command == CLI_RUN || cli.command == CLI_RESTORE)
    rc = rewrite_create (&cli, &runtime, &err);
  else if (cli.command == CLI_EXEC)
    rc = rewrite_exec (&cli, &runtime, &err);
  else if (cli.command == CLI_UPDATE)
    rc = rewrite_update (&cli, &runtime, &err);
  else
    {
      /* the shim's lines first, then the real runtime's own (engines
       * parse runc's version lines: they come verbatim, last) */
      if (cli.version)
        explain_print_version (stdout, cli.policy_path);
      else if (cli.subcommand == NULL ? cli.help
                                      : strcmp (cli.subcommand, "help") == 0 && cli.argv[cli.argc - 1] == cli.subcommand)
        explain_print_help (stdout);
      rc = rewrite_passthrough (&cli, &runtime, &warning, &err);
      if (warning)
        log_runc (cli.log_path, cli.log_format, "warning", warning);
    }

  if (rc == 0 && cli.command != CLI_PASSTHROUGH)
    cli_build_argv (&cli); /* runc runs what the shim judged, not the caller's tokens */
  if (rc == 0)
    runtime_exec (runtime, cli.argv, &err);

  rc = report (&cli, err);
  cli_release (&cli);
  return rc;
}
