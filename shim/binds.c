/* SPDX-License-Identifier: Apache-2.0 */
/* Bind mounts: which host files a container may see, judged by what they
 * are.  See hardened-runc-policy(5), RULES, "sensitive_mounts". */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "harden.h"
#include "spec.h"
#include "util.h"

/* Built-in lists, used when a profile does not set its own. */
static const char *const default_sensitive_mounts[] = {
  "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sys", "/usr", "/bin", "/sbin", "/root",
  "/var/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/var/run/cri-dockerd.sock",
  NULL,
};
static const char *const default_sensitive_mount_roots[] = { "/", "/var", "/run", NULL };
static const char *const default_allowed_mount_sources[] = {
  "/usr/bin/docker-init", "/usr/libexec/docker/docker-init", "/usr/local/bin/docker-init", NULL,
};
static const char *const default_readonly_mounts[] = { NULL };

struct list
{
  const char *const *items;
  size_t len;
};

static struct list
pick (bool has, const struct policy_strings *s, const char *const *def)
{
  struct list l;
  if (has)
    {
      l.items = (const char *const *) s->items;
      l.len = s->len;
      return l;
    }
  l.items = def;
  for (l.len = 0; def[l.len]; l.len++)
    ;
  return l;
}

/* Record a match; deny refuses (HR_ERR_REFUSED) with the rule's sentence. */
static int
matched (struct harden_ctx *ctx, enum rule_id rule, enum rule_action action, hr_err *err, const char *detail)
{
  findings_add (ctx->findings, rule, action, "%s", detail);
  if (action == RULE_DENY)
    return hr_error_set (err, HR_ERR_REFUSED, 0, "refused by rule \"%s\": %s", policy_rule_name (rule), detail);
  return 0;
}

static bool
array_has_string (const struct json_value *arr, const char *s)
{
  for (size_t i = 0; arr && i < arr->u.arr.len; i++)
    if (json_is_string (arr->u.arr.items[i], s))
      return true;
  return false;
}

/* ------------------------------------------------------------------ */
/* bind mounts */

static char *
resolve (const char *path)
{
  char buf[PATH_MAX];
  if (realpath (path, buf) != NULL)
    return xstrdup (buf);
  return path_clean (path);
}

static bool
is_bind (const struct json_value *m)
{
  const struct json_value *opts = json_object_get (m, "options");
  return json_is_string (json_object_get (m, "type"), "bind") || array_has_string (opts, "bind")
         || array_has_string (opts, "rbind");
}

/* A list of paths with each entry in its literal (cleaned) and resolved
 * form, computed once per container. */
struct paths
{
  char **lit, **real;
  const char *const *orig;
  size_t len;
};

static void
paths_init (struct paths *p, const struct list *l)
{
  p->len = l->len;
  p->orig = l->items;
  p->lit = xcalloc (l->len + 1, sizeof (char *));
  p->real = xcalloc (l->len + 1, sizeof (char *));
  for (size_t i = 0; i < l->len; i++)
    {
      p->lit[i] = path_clean (l->items[i]);
      p->real[i] = resolve (l->items[i]);
    }
}

static void
paths_release (struct paths *p)
{
  for (size_t i = 0; i < p->len; i++)
    {
      free (p->lit[i]);
      free (p->real[i]);
    }
  free (p->lit);
  free (p->real);
}

/* Does SRC (resolved) hit entry I?  TREE: also anything beneath it. */
static bool
hits (const char *src, const struct paths *p, size_t i, bool tree)
{
  const char *forms[] = { p->lit[i], p->real[i] };

  for (size_t k = 0; k < 2; k++)
    {
      if (path_covers (src, forms[k])) /* src is it, or a parent of it */
        return true;
      if (tree && path_covers (forms[k], src))
        return true;
    }
  return false;
}

static bool
in_list (const struct paths *p, const char *src, bool beneath)
{
  for (size_t i = 0; i < p->len; i++)
    {
      if (strcmp (src, p->lit[i]) == 0 || strcmp (src, p->real[i]) == 0)
        return true;
      if (beneath && (path_covers (p->lit[i], src) || path_covers (p->real[i], src)))
        return true;
    }
  return false;
}

int
binds_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  enum rule_action action = policy_rule_action (p, RULE_SENSITIVE_MOUNTS);
  struct list tree_l = pick (p->has_sensitive_mounts, &p->sensitive_mounts, default_sensitive_mounts);
  struct list roots_l = pick (p->has_sensitive_mount_roots, &p->sensitive_mount_roots, default_sensitive_mount_roots);
  struct list ro_ok_l = pick (p->has_readonly_mounts, &p->readonly_mounts, default_readonly_mounts);
  struct list exceptions_l
      = pick (p->has_allowed_mount_sources, &p->allowed_mount_sources, default_allowed_mount_sources);
  struct paths tree, roots, ro_ok, exceptions;
  struct json_value *mounts = NULL;
  bool any_bind = false;
  int ret = -1;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "mounts", SPEC_ARRAY, &mounts, err) < 0)
    return -1;
  for (size_t i = 0; mounts && i < mounts->u.arr.len && !any_bind; i++)
    any_bind = mounts->u.arr.items[i]->type != JSON_OBJECT || is_bind (mounts->u.arr.items[i]);
  if (!any_bind)
    return 0;
  paths_init (&tree, &tree_l);
  paths_init (&roots, &roots_l);
  paths_init (&ro_ok, &ro_ok_l);
  paths_init (&exceptions, &exceptions_l);
  for (size_t i = 0; mounts && i < mounts->u.arr.len; i++)
    {
      struct json_value *m = mounts->u.arr.items[i], *source = NULL, *opts = NULL;
      const struct json_value *dest;
      cleanup_free char *path = xasprintf ("mounts[%zu]", i);
      cleanup_free char *src = NULL;
      const char *hit = NULL;
      const struct paths *hit_list = NULL;
      size_t hit_index = 0;

      if (m->type != JSON_OBJECT)
        {
          hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected an object", ctx->source, m->line, m->col, path);
          goto out;
        }
      if (!is_bind (m))
        continue;
      if (spec_get (ctx->source, m, path, "source", SPEC_STRING, &source, err) < 0
          || spec_get (ctx->source, m, path, "options", SPEC_ARRAY, &opts, err) < 0)
        goto out;
      if (source == NULL)
        continue; /* runc refuses a bind without a source */
      if (opts && spec_string_array (ctx->source, opts, path, err) < 0)
        goto out;
      src = resolve (source->u.str.s);
      if (in_list (&exceptions, src, false))
        continue;
      /* name the entry itself when the source is one */
      for (size_t k = 0; k < tree.len + roots.len && !hit; k++)
        {
          const struct paths *ps = k < tree.len ? &tree : &roots;
          size_t j = k < tree.len ? k : k - tree.len;
          if (strcmp (ps->lit[j], src) == 0 || strcmp (ps->real[j], src) == 0)
            hit = ps->orig[j], hit_index = j, hit_list = ps;
        }
      for (size_t k = 0; k < tree.len && !hit; k++)
        if (hits (src, &tree, k, true))
          hit = tree.orig[k], hit_index = k, hit_list = &tree;
      for (size_t k = 0; k < roots.len && !hit; k++)
        if (hits (src, &roots, k, false))
          hit = roots.orig[k], hit_index = k, hit_list = &roots;
      if (!hit)
        continue;
      if (in_list (&ro_ok, src, true))
        {
          if (array_has_string (opts, "ro"))
            continue;
          if (action == RULE_MUTATE)
            {
              cleanup_free char *control = xasprintf ("mounts[%s].options", src);
              cleanup_json struct json_value *before = json_clone (opts);
              if (opts == NULL)
                {
                  json_object_set (m, "options", json_new (JSON_ARRAY));
                  opts = json_object_get (m, "options");
                }
              json_array_append (opts, json_new_string ("ro"));
              changes_add (ctx->changes, control, before, opts);
              findings_add (ctx->findings, RULE_SENSITIVE_MOUNTS, RULE_MUTATE,
                            "the host path %s is mounted read-only instead of read-write", src);
              continue;
            }
        }
      dest = json_object_get (m, "destination");
      {
        const char *d = dest && dest->type == JSON_STRING ? dest->u.str.s : "?";
        const char *how = path_covers (src, hit_list->lit[hit_index]) || path_covers (src, hit_list->real[hit_index])
                              ? "is or contains"
                              : "is inside";
        cleanup_free char *given = strcmp (source->u.str.s, src) != 0 ? xasprintf (" (given as %s)", source->u.str.s)
                                                                        : xstrdup ("");
        cleanup_free char *detail = xasprintf (
            "the host path %s%s is bind-mounted at %s; it %s %s, which containers may not mount", src, given, d, how,
            hit);
        if (matched (ctx, RULE_SENSITIVE_MOUNTS, action == RULE_MUTATE ? RULE_DENY : action, err, detail) < 0)
          goto out;
      }
    }
  ret = 0;
out:
  paths_release (&tree);
  paths_release (&roots);
  paths_release (&ro_ok);
  paths_release (&exceptions);
  return ret;
}
