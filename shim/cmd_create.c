/* SPDX-License-Identifier: Apache-2.0 */
/* create, run and restore: judge the bundle's config.json and rewrite it
 * (enforce) or only record what would change (audit). */
#include "command.h"

#include <stdbool.h>
#include <stdlib.h>

#include "harden.h"
#include "lsm.h"
#include "runtime.h"
#include "spec.h"
#include "sysfilter_cache.h"
#include "util.h"

/* The container's root file system on the host (root.path, relative to
 * the bundle), for the working-directory check; NULL when not given. */
static char *
rootfs_of (const struct runc_cli *cli, const struct json_value *root)
{
  const struct json_value *path = json_object_get (json_object_get (root, "root"), "path");
  if (path == NULL || path->type != JSON_STRING || path->u.str.s[0] == '\0')
    return NULL;
  if (path->u.str.s[0] == '/')
    return xstrdup (path->u.str.s);
  return xasprintf ("%s/%s", cli->bundle ? cli->bundle : ".", path->u.str.s);
}

int
cmd_create (struct runc_cli *cli, char **runtime, hr_err *err)
{
  struct command_decision d;
  cleanup_spec struct spec *spec = NULL;
  const struct policy_profile *profile = NULL;
  cleanup_hr_error hr_err fd_err = NULL;
  cleanup_free char *rootfs = NULL;
  struct harden_ctx ctx;
  struct lsm_env lsm;
  bool saved = false;
  int fd_end;
  int ret = -1;

  /* before the shim opens anything of its own */
  command_check_passed_fds (cli, true, &fd_end, &fd_err);
  if (command_begin (&d, cli, err) < 0)
    goto out;
  if (fd_err)
    {
      *err = steal_pointer (&fd_err);
      goto failed;
    }
  if (spec_load (cli->bundle, &spec, err) < 0)
    goto failed;
  if (harden_choose_profile (d.policy, cli->profile, cli->root, spec->display, spec->root, &profile, err) < 0)
    goto failed;
  command_choose (&d, profile);
  /* a runtime newer than the spec surface table could read fields that
   * no row decides (audit mode records it like any refusal) */
  if (runtime_check_spec (d.runtime, RUNTIME_SPEC_CACHE_DIR, err) < 0)
    {
      ret = command_refusal (&d, err, runtime);
      goto out;
    }

  lsm_env_system (&lsm, cli->root);
  rootfs = rootfs_of (cli, spec->root);
  ctx = (struct harden_ctx){ .source = spec->display,
                             .rootfs = rootfs,
                             .profile = profile,
                             .changes = &d.changes,
                             .findings = &d.findings,
                             .lsm = &lsm,
                             .container_id = cli->container_id,
                             .restore = cli->command == CLI_RESTORE,
                             .has_bundle = spec->dirfd >= 0,
                             .bundle_fd = spec->dirfd,
                             .pin_binds = d.mode == POLICY_MODE_ENFORCE,
                             .seccomp_cache_dir = sysfilter_cache_system_dir () };
  if (harden_spec (&ctx, spec->root, err) < 0)
    {
      ret = command_refusal (&d, err, runtime);
      goto out;
    }

  if (d.mode == POLICY_MODE_ENFORCE && d.changes.len > 0)
    {
      if (spec_save (spec, err) < 0)
        goto failed;
      saved = true;
    }
  if (command_audit (&d, NULL, err) < 0)
    {
      cleanup_hr_error hr_err restore_err = NULL;
      if (saved && spec_restore (spec, &restore_err) < 0)
        hr_error_prefix (err, "restoring %s also failed (%s)", spec->display, restore_err->msg);
      goto out;
    }
  *runtime = steal_pointer (&d.runtime);
  ret = 0;
  goto out;
failed:
  command_fail (&d, err);
out:
  command_release (&d);
  return ret;
}
