/* SPDX-License-Identifier: Apache-2.0 */
#include "rewrite.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "harden.h"
#include "log.h"
#include "policy.h"
#include "runtime.h"
#include "spec.h"
#include "util.h"

static const char *
bundle_name (const struct runc_cli *cli)
{
  return cli->bundle ? cli->bundle : ".";
}

/* Best effort: a refusal is recorded if the audit log can be opened. */
static void
audit_failure (const struct policy *policy, const struct runc_cli *cli, const char *profile, enum policy_mode mode,
               const struct hr_error *e)
{
  cleanup_close int fd = -1;
  cleanup_hr_error hr_err ignored = NULL;
  struct audit_record rec = {
    .subcommand = cli->subcommand,
    .container_id = cli->container_id,
    .bundle = bundle_name (cli),
    .profile = profile,
    .mode = mode,
    .outcome = e->kind == HR_ERR_REFUSED ? "refused" : "error",
    .reason = e->msg,
  };

  fd = audit_open (policy->audit_log, &ignored);
  if (fd >= 0)
    audit_write (fd, policy->audit_log, &rec, &ignored);
}

int
rewrite_create (const struct runc_cli *cli, char **runtime, hr_err *err)
{
  cleanup_policy struct policy *policy = NULL;
  cleanup_spec struct spec *spec = NULL;
  cleanup_free char *rt = NULL;
  cleanup_close int audit_fd = -1;
  const struct policy_profile *profile = NULL;
  struct changes changes = { 0 };
  struct harden_ctx ctx;
  enum policy_mode mode;
  bool saved = false;
  int ret = -1;

  if (policy_load (cli->policy_path, &policy, err) < 0)
    return hr_error_prefix (err, "invalid policy, refusing every container until it is fixed");
  if (policy_select_profile (policy, cli->profile, &profile, err) < 0)
    {
      audit_failure (policy, cli, cli->profile, policy->mode, *err);
      return -1;
    }
  mode = policy_profile_mode (policy, profile);
  if (runtime_resolve (policy->runtime, &rt, err) < 0)
    goto fail;
  /* Opened before anything changes: no container starts unaudited. */
  audit_fd = audit_open (policy->audit_log, err);
  if (audit_fd < 0)
    return -1;
  if (spec_load (cli->bundle, &spec, err) < 0)
    goto fail;

  ctx = (struct harden_ctx){ .source = spec->display, .profile = profile, .changes = &changes };
  if (harden_spec (&ctx, spec->root, err) < 0)
    goto fail;

  if (mode == POLICY_MODE_ENFORCE && changes.len > 0)
    {
      if (spec_save (spec, err) < 0)
        goto fail;
      saved = true;
    }

  {
    struct audit_record rec = {
      .subcommand = cli->subcommand,
      .container_id = cli->container_id,
      .bundle = bundle_name (cli),
      .profile = profile->name,
      .mode = mode,
      .outcome = changes.len == 0 ? "allowed" : mode == POLICY_MODE_ENFORCE ? "changed" : "would-change",
      .changes = &changes,
    };
    if (audit_write (audit_fd, policy->audit_log, &rec, err) < 0)
      {
        cleanup_hr_error hr_err restore_err = NULL;
        if (saved && spec_restore (spec, &restore_err) < 0)
          hr_error_prefix (err, "restoring %s also failed (%s)", spec->display, restore_err->msg);
        changes_release (&changes);
        return -1;
      }
  }

  *runtime = steal_pointer (&rt);
  ret = 0;
  changes_release (&changes);
  return ret;

fail:
  audit_failure (policy, cli, profile->name, mode, *err);
  changes_release (&changes);
  return -1;
}

int
rewrite_passthrough (const struct runc_cli *cli, char **runtime, char **warning, hr_err *err)
{
  cleanup_policy struct policy *policy = NULL;
  cleanup_hr_error hr_err perr = NULL;
  const char *configured = NULL;

  *warning = NULL;
  /* The embedded default names no runtime: no need to parse it. */
  if (cli->policy_path || access (POLICY_SYSTEM_PATH, F_OK) == 0 || errno != ENOENT)
    {
      if (policy_load (cli->policy_path, &policy, &perr) < 0)
        *warning = xasprintf ("hardened-runc: %s; using the default runtime for \"%s\"", perr->msg,
                              cli->subcommand ? cli->subcommand : "runc");
      else
        configured = policy->runtime;
    }
  return runtime_resolve (configured, runtime, err);
}
