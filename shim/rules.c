/* SPDX-License-Identifier: Apache-2.0 */
/* The deny rules in the order they run (each family judged in its own
 * file: devices.c, privileged.c, namespaces.c, binds.c, sysctls.c,
 * propagation.c, workdir.c), and the two judged here: restore and
 * run_as_root.  What cannot be made safe is refused, what can is changed,
 * and everything is recorded.  See hardened-runc-policy(5), RULES. */
#include "controls.h"
#include "spec.h"
#include "util.h"

int
rules_check_user (struct harden_ctx *ctx, const struct json_value *process, const char *path, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_RUN_AS_ROOT);
  struct json_value *user = NULL, *uid = NULL;
  uint64_t n = 0;

  if (spec_get (ctx->source, process, path, "user", SPEC_OBJECT, &user, err) < 0)
    return -1;
  if (user && spec_get (ctx->source, user, "process.user", "uid", SPEC_NUMBER, &uid, err) < 0)
    return -1;
  if (uid && spec_number_u64 (ctx->source, uid, "process.user.uid", &n, err) < 0)
    return -1;
  if (action == RULE_ALLOW || n != 0)
    return 0;
  return decision_match (ctx, RULE_RUN_AS_ROOT, action, "the process runs as root (uid 0); run it as a non-root user (--user 1000)", err);
}

/* A restore brings processes back from a checkpoint image as they were
 * saved: their credentials, capabilities, seccomp filters and labels come
 * from the image (CRIU), not from config.json, so the controls below
 * cannot vouch for them.  Checked first: it does not depend on the spec. */
static int
restore_check (struct harden_ctx *ctx, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_RESTORE);

  if (!ctx->restore || action == RULE_ALLOW)
    return 0;
  return decision_match (ctx, RULE_RESTORE, action, "runc restore brings processes back from a checkpoint image with the capabilities, seccomp "
                  "filters and labels they were saved with, which the policy cannot check; start the container "
                  "anew, or ask the operator to allow restores (rule \"restore\")", err);
}

int
rules_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  struct json_value *process = json_object_get (root, "process");
  enum rule_action dev_action;

  if (restore_check (ctx, err) < 0)
    return -1;

  {
    /* the working directory is followed through config.json's mounts */
    const struct json_value *saved = ctx->mounts;
    int rc;
    if (saved == NULL)
      ctx->mounts = json_object_get (root, "mounts");
    rc = workdir_check (ctx, process, "process.cwd", err);
    ctx->mounts = saved;
    if (rc < 0)
      return -1;
  }
  if (privileged_check (ctx, root, process, err) < 0
      || namespaces_check (ctx, root, err) < 0 || binds_check (ctx, root, err) < 0)
    return -1;
  dev_action = policy_rule_action (ctx->profile, RULE_DEVICES);
  if (dev_action != RULE_ALLOW && devices_check (ctx, root, dev_action, false, err) < 0)
    return -1;
  if (sysctls_check (ctx, root, err) < 0 || propagation_check (ctx, root, err) < 0
      || rules_check_user (ctx, process, "process", err) < 0)
    return -1;
  return 0;
}

int
rules_check_process (struct harden_ctx *ctx, struct json_value *process, hr_err *err)
{
  if (workdir_check (ctx, process, "process.cwd", err) < 0 || rules_check_user (ctx, process, "process", err) < 0)
    return -1;
  return 0;
}
