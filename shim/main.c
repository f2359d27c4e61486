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

  /* one document per process from here on: no freeing piece by piece */
  json_use_arena ();
  if (cli_parse (argc, argv, &cli, &err) < 0)
    rc = -1;
  else if (cli.command == CLI_CREATE || cli.command == CLI_RUN || cli.command == CLI_RESTORE)
    rc = rewrite_create (&cli, &runtime, &err);
  else if (cli.command == CLI_EXEC)
    rc = rewrite_exec (&cli, &runtime, &err);
  else if (cli.command == CLI_UPDATE)
    rc = rewrite_update (&cli, &runtime, &err);
  else
    {
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
