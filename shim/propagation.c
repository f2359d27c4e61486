/* SPDX-License-Identifier: Apache-2.0 */
/* Rule mount_propagation: shared propagation lets mounts reach the host. */
#include "controls.h"
#include "spec.h"
#include "util.h"

static const char *
private_of (const struct json_value *v)
{
  if (json_is_string (v, "shared"))
    return "private";
  if (json_is_string (v, "rshared"))
    return "rprivate";
  return NULL;
}

/* linux.rootfsPropagation */
static int
root_propagation_check (struct harden_ctx *ctx, struct json_value *linux_, enum rule_action action, hr_err *err)
{
  struct json_value *rp = NULL;
  const char *priv;
  cleanup_free char *detail = NULL;

  if (spec_get (ctx->source, linux_, "linux", "rootfsPropagation", SPEC_STRING, &rp, err) < 0)
    return -1;
  if ((priv = private_of (rp)) == NULL)
    return 0;
  detail = xasprintf ("the root filesystem uses %s mount propagation, which lets mounts reach the host", rp->u.str.s);
  if (action != RULE_MUTATE)
    return decision_match (ctx, RULE_MOUNT_PROPAGATION, action, detail, err);
  {
    cleanup_json struct json_value *after = json_new_string (priv);
    changes_add (ctx->changes, "linux.rootfsPropagation", rp, after);
    findings_add (ctx->findings, RULE_MOUNT_PROPAGATION, RULE_MUTATE, "%s; made %s", detail, priv);
    json_object_set (linux_, "rootfsPropagation", steal_pointer (&after));
  }
  return 0;
}

/* Each mount's options */
static int
mounts_propagation_check (struct harden_ctx *ctx, struct json_value *mounts, enum rule_action action, hr_err *err)
{
  for (size_t i = 0; mounts && i < mounts->u.arr.len; i++)
    {
      struct json_value *m = mounts->u.arr.items[i];
      struct json_value *opts = m->type == JSON_OBJECT ? json_object_get (m, "options") : NULL;
      const struct json_value *dest = m->type == JSON_OBJECT ? json_object_get (m, "destination") : NULL;
      const char *where = dest && dest->type == JSON_STRING ? dest->u.str.s : "?";
      for (size_t j = 0; opts && opts->type == JSON_ARRAY && j < opts->u.arr.len; j++)
        {
          const char *priv = private_of (opts->u.arr.items[j]);
          cleanup_free char *detail = NULL;
          if (priv == NULL)
            continue;
          detail = xasprintf ("the mount at %s uses %s propagation (:%s), which lets mounts reach the host", where,
                              opts->u.arr.items[j]->u.str.s, opts->u.arr.items[j]->u.str.s);
          if (action == RULE_MUTATE)
            {
              cleanup_free char *control = xasprintf ("mounts[%s].options", where);
              cleanup_json struct json_value *before = json_clone (opts);
              json_free (opts->u.arr.items[j]);
              opts->u.arr.items[j] = json_new_string (priv);
              changes_add (ctx->changes, control, before, opts);
              findings_add (ctx->findings, RULE_MOUNT_PROPAGATION, RULE_MUTATE, "%s; made %s", detail, priv);
            }
          else if (decision_match (ctx, RULE_MOUNT_PROPAGATION, action, detail, err) < 0)
            return -1;
        }
    }
  return 0;
}

int
propagation_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_MOUNT_PROPAGATION);
  struct json_value *linux_ = NULL, *mounts = NULL;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0
      || spec_get (ctx->source, root, "", "mounts", SPEC_ARRAY, &mounts, err) < 0)
    return -1;
  if (linux_ && root_propagation_check (ctx, linux_, action, err) < 0)
    return -1;
  return mounts_propagation_check (ctx, mounts, action, err);
}
