/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hooks: runc runs them on the host, as root, with every capability
 * and outside every namespace and filter of the container.  Only the
 * hooks a profile lists (allowed_hooks) may run.  See
 * hardened-runc-policy(5), rule "hooks". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

/* Used when a profile does not set allowed_hooks: the hook dockerd adds to
 * every container with its own network namespace (path /proc/<dockerd
 * pid>/exe, args libnetwork-setkey ...).  Where dockerd is not installed
 * the entry matches nothing. */
static const char *const dockerd_args[] = { "libnetwork-setkey" };
static const struct
{
  const char *path;
  const char *const *args;
  size_t n_args;
} default_hooks[] = {
  { "/usr/bin/dockerd", dockerd_args, 1 },
  { "/usr/sbin/dockerd", dockerd_args, 1 },
};

/* The hook's program, as the kernel will run it: stat follows the
 * /proc/PID/exe link to the running binary. */
static bool
same_file (const struct stat *hs, const char *listed)
{
  struct stat ls;
  return stat (listed, &ls) == 0 && S_ISREG (ls.st_mode) && ls.st_dev == hs->st_dev && ls.st_ino == hs->st_ino;
}

static bool
args_start_with (const struct json_value *args, const char *const *want, size_t n)
{
  if (args == NULL || args->type != JSON_ARRAY || args->u.arr.len < n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!json_is_string (args->u.arr.items[i], want[i]))
      return false;
  return true;
}

/* A loader variable would run other code inside the allowed program. */
static const char *
loader_variable (const struct json_value *env)
{
  for (size_t i = 0; env && env->type == JSON_ARRAY && i < env->u.arr.len; i++)
    {
      const struct json_value *e = env->u.arr.items[i];
      if (e->type == JSON_STRING && strncmp (e->u.str.s, "LD_", 3) == 0)
        return e->u.str.s;
    }
  return NULL;
}

static bool
hook_allowed (const struct policy_profile *p, int kind, const struct stat *st, const struct json_value *args)
{
  if (!p->has_allowed_hooks)
    {
      for (size_t i = 0; i < sizeof default_hooks / sizeof default_hooks[0]; i++)
        if (same_file (st, default_hooks[i].path)
            && args_start_with (args, default_hooks[i].args, default_hooks[i].n_args))
          return true;
      return false;
    }
  for (size_t i = 0; i < p->n_allowed_hooks; i++)
    {
      const struct policy_hook *h = &p->allowed_hooks[i];
      if (h->kinds != 0 && !(h->kinds & (1u << kind)))
        continue;
      if (same_file (st, h->path)
          && args_start_with (args, (const char *const *) h->args.items, h->args.len))
        return true;
    }
  return false;
}

/* "[a, b, c]" for messages, at most a few arguments. */
static char *
args_text (const struct json_value *args)
{
  struct strbuf b = { 0 };
  strbuf_appends (&b, "[");
  for (size_t i = 0; args && args->type == JSON_ARRAY && i < args->u.arr.len && i < 4; i++)
    {
      const struct json_value *a = args->u.arr.items[i];
      strbuf_appends (&b, i ? " " : "");
      strbuf_appends (&b, a->type == JSON_STRING ? a->u.str.s : "?");
    }
  if (args && args->type == JSON_ARRAY && args->u.arr.len > 4)
    strbuf_appends (&b, " ...");
  strbuf_appends (&b, "]");
  return b.buf;
}

static int
judge_hook (struct harden_ctx *ctx, enum rule_action action, int kind, struct json_value *list, size_t i,
            bool *remove, hr_err *err)
{
  const char *kname = policy_hook_kind_name (kind);
  struct json_value *hook = list->u.arr.items[i], *path = NULL, *args = NULL, *env = NULL;
  cleanup_free char *where = xasprintf ("hooks.%s[%zu]", kname, i);
  cleanup_free char *detail = NULL, *shown = NULL, *real = NULL;
  const char *ld;
  struct stat st;

  *remove = false;
  if (hook->type != JSON_OBJECT)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected an object, found %s", ctx->source, hook->line,
                         hook->col, where, json_type_name (hook->type));
  if (spec_get (ctx->source, hook, where, "path", SPEC_STRING, &path, err) < 0
      || spec_get (ctx->source, hook, where, "args", SPEC_ARRAY, &args, err) < 0
      || spec_get (ctx->source, hook, where, "env", SPEC_ARRAY, &env, err) < 0)
    return -1;
  if (path == NULL)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: missing \"path\"", ctx->source, hook->line, hook->col,
                         where);
  if (args && spec_string_array (ctx->source, args, where, err) < 0)
    return -1;
  if (env && spec_string_array (ctx->source, env, where, err) < 0)
    return -1;

  shown = args_text (args);
  ld = loader_variable (env);
  /* only an absolute path names the same file for runc as for us */
  if (ld == NULL && path->u.str.s[0] == '/' && stat (path->u.str.s, &st) == 0
      && hook_allowed (ctx->profile, kind, &st, args))
    return 0;
  real = realpath (path->u.str.s, NULL);
  if (ld)
    detail = xasprintf ("the %s hook %s %s sets %s, which makes an allowed program run other code on the host as "
                        "root; remove the variable",
                        kname, path->u.str.s, shown, ld);
  else
    detail = xasprintf ("the %s hook %s%s%s%s %s would run on the host as root with every capability; only the "
                        "hooks the policy lists in allowed_hooks may run",
                        kname, path->u.str.s, real && strcmp (real, path->u.str.s) != 0 ? " (" : "",
                        real && strcmp (real, path->u.str.s) != 0 ? real : "",
                        real && strcmp (real, path->u.str.s) != 0 ? ")" : "", shown);
  if (action == RULE_MUTATE)
    {
      cleanup_free char *control = xasprintf ("hooks.%s[%s]", kname, path->u.str.s);
      changes_add (ctx->changes, control, hook, NULL);
      findings_add (ctx->findings, RULE_HOOKS, RULE_MUTATE, "%s; removed", detail);
      *remove = true;
      return 0;
    }
  findings_add (ctx->findings, RULE_HOOKS, action, "%s", detail);
  if (action == RULE_DENY)
    return hr_error_set (err, HR_ERR_REFUSED, 0, "refused by rule \"hooks\": %s", detail);
  return 0;
}

int
hooks_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_HOOKS);
  struct json_value *hooks = NULL;

  if (spec_get (ctx->source, root, "", "hooks", SPEC_OBJECT, &hooks, err) < 0)
    return -1;
  if (hooks == NULL || action == RULE_ALLOW)
    return 0;
  for (int kind = 0; kind < POLICY_HOOK_KINDS; kind++)
    {
      struct json_value *list = NULL;
      if (spec_get (ctx->source, hooks, "hooks", policy_hook_kind_name (kind), SPEC_ARRAY, &list, err) < 0)
        return -1;
      for (size_t i = 0; list && i < list->u.arr.len;)
        {
          bool remove;
          if (judge_hook (ctx, action, kind, list, i, &remove, err) < 0)
            return -1;
          if (remove)
            json_array_remove (list, i);
          else
            i++;
        }
    }
  return 0;
}
