/* SPDX-License-Identifier: Apache-2.0 */
/* The filesystem view: read-only root, writable tmpfs where needed, masked
 * and read-only /proc and /sys paths. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harden.h"
#include "spec.h"
#include "util.h"

static int
rootfs_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  struct json_value *r = NULL, *ro = NULL;
  cleanup_json struct json_value *after = NULL;

  if (!ctx->profile->readonly_rootfs)
    return 0;
  if (spec_get (ctx->source, root, "", "root", SPEC_OBJECT, &r, err) < 0)
    return -1;
  if (r == NULL)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: has no \"root\" object", ctx->source);
  if (spec_get (ctx->source, r, "root", "readonly", SPEC_BOOL, &ro, err) < 0)
    return -1;
  if (ro && ro->type == JSON_TRUE)
    return 0;
  after = json_new_bool (true);
  changes_add (ctx->changes, "root.readonly", ro, after);
  json_object_set (r, "readonly", steal_pointer (&after));
  return 0;
}

/* In a user namespace runc creates a missing mount point as the mapped
 * root, which may not write to a rootfs the host's root owns ("mkdir ...:
 * permission denied"): a tmpfs whose mount point the image lacks is left
 * out there (nothing is writable at that path without it either). */
static bool
userns_mount_point_missing (struct harden_ctx *ctx, struct json_value *root, const char *want)
{
  const struct json_value *linux_ = json_object_get (root, "linux"), *r = json_object_get (root, "root");
  const struct json_value *ns = linux_ && linux_->type == JSON_OBJECT ? json_object_get (linux_, "namespaces") : NULL;
  const struct json_value *path = r && r->type == JSON_OBJECT ? json_object_get (r, "path") : NULL;
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
  cleanup_close int rootfd = -1, fd = -1;
  bool userns = false;

  for (size_t i = 0; ns && ns->type == JSON_ARRAY && i < ns->u.arr.len; i++)
    {
      const struct json_value *n = ns->u.arr.items[i];
      if (n->type == JSON_OBJECT && json_is_string (json_object_get (n, "type"), "user"))
        userns = true;
    }
  if (!userns || !ctx->has_bundle || path == NULL || path->type != JSON_STRING || want[1] == '\0')
    return false;
  rootfd = openat (ctx->bundle_fd, path->u.str.s, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0)
    return false;
  fd = (int) syscall (SYS_openat2, rootfd, want + 1, &how, sizeof how);
  return fd < 0 && errno == ENOENT;
}

static int
tmpfs_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  struct json_value *mounts = NULL;
  size_t n_dest;
  cleanup_free char **dests = NULL;
  int ret = -1;

  if (p->n_tmpfs == 0)
    return 0;
  if (spec_get (ctx->source, root, "", "mounts", SPEC_ARRAY, &mounts, err) < 0)
    return -1;
  if (mounts == NULL)
    {
      json_object_set (root, "mounts", json_new (JSON_ARRAY));
      mounts = json_object_get (root, "mounts");
    }

  n_dest = mounts->u.arr.len;
  dests = xcalloc (n_dest + p->n_tmpfs + 1, sizeof (char *));
  for (size_t i = 0; i < n_dest; i++)
    {
      struct json_value *m = mounts->u.arr.items[i], *dest = NULL;
      cleanup_free char *path = xasprintf ("mounts[%zu]", i);
      if (m->type != JSON_OBJECT)
        {
          hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected an object, found %s", ctx->source, m->line,
                        m->col, path, json_type_name (m->type));
          goto out;
        }
      if (spec_get (ctx->source, m, path, "destination", SPEC_STRING, &dest, err) < 0)
        goto out;
      if (dest == NULL)
        {
          hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: missing \"destination\"", ctx->source, m->line, m->col,
                        path);
          goto out;
        }
      dests[i] = path_clean (dest->u.str.s);
    }

  for (size_t t = 0; t < p->n_tmpfs; t++)
    {
      cleanup_free char *want = path_clean (p->tmpfs[t].path);
      size_t insert_at = mounts->u.arr.len;
      bool covered = false;
      struct json_value *m, *opts;
      cleanup_free char *control = NULL;

      for (size_t i = 0; i < n_dest && !covered; i++)
        covered = path_covers (dests[i], want);
      if (covered)
        continue; /* something (a volume, a --tmpfs) is mounted there */
      if (userns_mount_point_missing (ctx, root, want))
        continue;
      /* Mounts are applied in order: go before anything mounted below. */
      for (size_t i = 0; i < n_dest; i++)
        if (path_covers (want, dests[i]))
          {
            insert_at = i;
            break;
          }
      m = json_new (JSON_OBJECT);
      json_object_set (m, "destination", json_new_string (want));
      json_object_set (m, "type", json_new_string ("tmpfs"));
      json_object_set (m, "source", json_new_string ("tmpfs"));
      opts = json_new (JSON_ARRAY);
      for (size_t o = 0; o < p->tmpfs[t].n_options; o++)
        json_array_append (opts, json_new_string (p->tmpfs[t].options[o]));
      json_object_set (m, "options", opts);
      control = xasprintf ("mounts[%s]", want);
      changes_add (ctx->changes, control, NULL, m);
      json_array_insert (mounts, insert_at, m);
      memmove (dests + insert_at + 1, dests + insert_at, (n_dest - insert_at) * sizeof (char *));
      dests[insert_at] = steal_pointer (&want);
      n_dest++;
    }
  ret = 0;
out:
  for (size_t i = 0; i < n_dest; i++)
    free (dests[i]);
  return ret;
}

static int
path_list_apply (struct harden_ctx *ctx, struct json_value *root, const char *key,
                 const struct policy_strings *want, hr_err *err)
{
  struct json_value *linux_ = NULL, *list = NULL;
  cleanup_json struct json_value *before = NULL;
  cleanup_free char *path = xasprintf ("linux.%s", key);

  if (want->len == 0)
    return 0;
  if (spec_get_object (ctx->source, root, "", "linux", &linux_, err) < 0)
    return -1;
  if (spec_get (ctx->source, linux_, "linux", key, SPEC_ARRAY, &list, err) < 0)
    return -1;
  if (list && spec_string_array (ctx->source, list, path, err) < 0)
    return -1;
  before = json_clone (list);
  if (list == NULL)
    {
      json_object_set (linux_, key, json_new (JSON_ARRAY));
      list = json_object_get (linux_, key);
    }
  for (size_t i = 0; i < want->len; i++)
    {
      bool present = false;
      for (size_t j = 0; j < list->u.arr.len && !present; j++)
        present = json_is_string (list->u.arr.items[j], want->items[i]);
      if (!present)
        json_array_append (list, json_new_string (want->items[i]));
    }
  if (!json_equal (before, list))
    changes_add (ctx->changes, path, before, list);
  return 0;
}

int
mounts_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  if (rootfs_apply (ctx, root, err) < 0 || tmpfs_apply (ctx, root, err) < 0
      || path_list_apply (ctx, root, "maskedPaths", &ctx->profile->masked_paths, err) < 0
      || path_list_apply (ctx, root, "readonlyPaths", &ctx->profile->readonly_paths, err) < 0)
    return -1;
  return 0;
}
