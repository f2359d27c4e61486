/* SPDX-License-Identifier: Apache-2.0 */
/* Every other subcommand, --version and --help: runc does the work; the
 * shim only says which runtime. */
#include "command.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controls.h"
#include "explain.h"
#include "runc_log.h"
#include "policy.h"
#include "runtime.h"
#include "util.h"

/* Which runtime to exec; *WARNING says why it is the default one when
 * the policy could not say. */
static int
passthrough_runtime (const struct runc_cli *cli, char **runtime, char **warning, hr_err *err)
{
  cleanup_policy struct policy *policy = NULL;
  cleanup_hr_error hr_err perr = NULL;
  const char *configured = NULL;

  *warning = NULL;
  /* runc delete: the container's bind staging goes with it (binds.c) */
  if (cli->subcommand && strcmp (cli->subcommand, "delete") == 0)
    {
      /* a passthrough argv is the caller's: the id follows the subcommand */
      size_t i = 1;
      while (i < cli->argc && cli->argv[i] != cli->subcommand)
        i++;
      for (i++; i < cli->argc && cli->argv[i]; i++)
        if (cli->argv[i][0] != '-')
          {
            binds_unpin (cli->argv[i]);
            break;
          }
    }
  /* The embedded default names no runtime: no need to parse it. */
  if (cli->policy_path || access (POLICY_SYSTEM_PATH, F_OK) == 0 || errno != ENOENT)
    {
      if (policy_load (cli->policy_path, &policy, &perr) < 0)
        *warning = xasprintf ("hardened-runc: %s; using the default runtime for \"%s\"", perr->msg,
                              cli->subcommand ? cli->subcommand : "runc");
      else
        configured = policy->runtime;
    }
  if (runtime_resolve (configured, runtime, err) < 0 && configured)
    {
      /* managing existing containers must go on: try runc, and say so */
      free (*warning);
      *warning = xasprintf ("hardened-runc: %s; using the default runtime for \"%s\"", (*err)->msg,
                            cli->subcommand ? cli->subcommand : "runc");
      hr_error_clear (err);
      return runtime_resolve (NULL, runtime, err);
    }
  return *runtime ? 0 : -1;
}

int
cmd_passthrough (struct runc_cli *cli, char **runtime, hr_err *err)
{
  cleanup_free char *warning = NULL;
  int rc;

  /* runc's own re-exec into a new container, driven by variables and
   * descriptors runc hands itself: no engine calls it, and what it obeys
   * is nothing the shim could judge */
  if (cli->subcommand && strcmp (cli->subcommand, "init") == 0)
    return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                         "refused: \"init\" is runc's own step inside a container it is starting (runc runs it "
                         "from its own binary, driven by _LIBCONTAINER_* variables and inherited descriptors the "
                         "shim cannot judge); engines never call it");
  /* the shim's lines first, then the real runtime's own (engines parse
   * runc's version lines: they come verbatim, last) */
  if (cli->version)
    explain_print_version (stdout, cli->policy_path);
  else if (cli->subcommand == NULL ? cli->help
                                   : strcmp (cli->subcommand, "help") == 0 && cli->argv[cli->argc - 1] == cli->subcommand)
    explain_print_help (stdout);
  rc = passthrough_runtime (cli, runtime, &warning, err);
  if (warning)
    runc_log (cli->log_path, cli->log_format, "warning", warning);
  return rc;
}
