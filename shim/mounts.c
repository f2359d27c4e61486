/* SPDX-License-Identifier: Apache-2.0 */
/* The filesystem view: read-only root, writable tmpfs where needed, masked
 * and read-only /proc and /sys paths, and every mount judged by its type
 * and its options (rules "mount_types", "tmpfs_options" and
 * "mount_options"). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "controls.h"
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

/* ------------------------------------------------------------------ */
/* mounts by type */

void
mounts_add_option (struct harden_ctx *ctx, struct json_value *m, const char *control, const char *option)
{
  struct json_value *opts = json_object_get (m, "options");
  cleanup_json struct json_value *before = json_clone (opts);

  if (opts == NULL)
    {
      json_object_set (m, "options", json_new (JSON_ARRAY));
      opts = json_object_get (m, "options");
    }
  json_array_append (opts, json_new_string (option));
  changes_add (ctx->changes, control, before, opts);
}

bool
mounts_is_bind (const struct json_value *m)
{
  const struct json_value *opts = json_object_get (m, "options");
  if (opts && opts->type != JSON_ARRAY)
    opts = NULL;
  return json_is_string (json_object_get (m, "type"), "bind") || json_array_has_string (opts, "bind") || json_array_has_string (opts, "rbind");
}

bool
mounts_options_readonly (const struct json_value *opts)
{
  bool ro = false;

  for (size_t i = 0; opts && opts->type == JSON_ARRAY && i < opts->u.arr.len; i++)
    if (json_is_string (opts->u.arr.items[i], "ro"))
      ro = true;
    else if (json_is_string (opts->u.arr.items[i], "rw"))
      ro = false;
  return ro;
}

/* Options runc obeys that undo, after the fact, what the other rules judged
 * of a mount: "remount" changes the mount already at the destination (a
 * read-only bind, a cgroup or sysfs mount made read-only) instead of making
 * a new one, and the recursive clears act with mount_setattr(2) after the
 * mount and its "ro", "nosuid", "nodev" or "noexec" were applied. */
static const struct
{
  const char *option;
  const char *why;
} undoing_options[] = {
  { "remount", "changes the mount already there instead of making a new one, which would undo its read-only, nosuid, "
               "nodev and noexec" },
  { "rrw", "makes it and every mount below it writable after its read-only was applied" },
  { "rsuid", "clears nosuid on it and every mount below it after the mount was made" },
  { "rdev", "clears nodev on it and every mount below it after the mount was made" },
  { "rexec", "clears noexec on it and every mount below it after the mount was made" },
};

static int
options_judge (struct harden_ctx *ctx, const struct json_value *opts, const char *dest, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_MOUNT_OPTIONS);

  if (action == RULE_ALLOW || opts == NULL)
    return 0;
  for (size_t k = 0; k < ARRAY_SIZE (undoing_options); k++)
    if (json_array_has_string (opts, undoing_options[k].option))
      {
        cleanup_free char *detail = xasprintf ("the mount at %s has the option \"%s\", which %s; remove it", dest,
                                               undoing_options[k].option, undoing_options[k].why);
        if (decision_match (ctx, RULE_MOUNT_OPTIONS, action, detail, err) < 0)
          return -1;
      }
  return 0;
}

/* What a mount's options should become: WANT added, each with its
 * opposite (UNWANT, same index, may be NULL) removed. */
struct opts_fix
{
  const char *want[8];
  const char *unwant[8];
  size_t n;
  char *size; /* "size=..." to set, or NULL */
};

static void
fix_add (struct opts_fix *f, const char *want, const char *unwant)
{
  f->want[f->n] = want;
  f->unwant[f->n] = unwant;
  f->n++;
}

/* Which of FIX is not already true of OPTS, as "a, b, c" (NULL: none). */
static char *
fix_missing (const struct opts_fix *f, const struct json_value *opts)
{
  struct strbuf sb = { 0 };
  for (size_t k = 0; k < f->n; k++)
    if (!json_array_has_string (opts, f->want[k]) || (f->unwant[k] && json_array_has_string (opts, f->unwant[k])))
      {
        if (sb.len)
          strbuf_appends (&sb, ", ");
        strbuf_appends (&sb, f->want[k]);
      }
  if (f->size)
    {
      if (sb.len)
        strbuf_appends (&sb, ", ");
      strbuf_appends (&sb, f->size);
    }
  return sb.buf;
}

static void
fix_apply (struct harden_ctx *ctx, struct json_value *m, const char *dest, const struct opts_fix *f)
{
  struct json_value *opts = json_object_get (m, "options");
  cleanup_json struct json_value *before = json_clone (opts);
  cleanup_json struct json_value *after = json_new (JSON_ARRAY);
  cleanup_free char *control = xasprintf ("mounts[%s].options", dest);

  for (size_t i = 0; opts && i < opts->u.arr.len; i++)
    {
      const struct json_value *o = opts->u.arr.items[i];
      /* tmpfs takes its size from "size=" or "nr_blocks=", the last one
       * given: both go when the cap is set */
      bool drop = f->size && (strncmp (o->u.str.s, "size=", 5) == 0 || strncmp (o->u.str.s, "nr_blocks=", 10) == 0);
      for (size_t k = 0; k < f->n && !drop; k++)
        drop = f->unwant[k] && json_is_string (o, f->unwant[k]);
      if (!drop)
        json_array_append (after, json_clone (o));
    }
  for (size_t k = 0; k < f->n; k++)
    if (!json_array_has_string (after, f->want[k]))
      json_array_append (after, json_new_string (f->want[k]));
  if (f->size)
    json_array_append (after, json_new_string (f->size));
  changes_add (ctx->changes, control, before, after);
  json_object_set (m, "options", steal_pointer (&after));
}

/* Apply FIX to mount M as ACTION says; WHAT describes the mount. */
static int
fix_judge (struct harden_ctx *ctx, enum rule_id rule, enum rule_action action, struct json_value *m, const char *dest,
           const char *what, const struct opts_fix *f, hr_err *err)
{
  cleanup_free char *missing = fix_missing (f, json_object_get (m, "options"));
  cleanup_free char *detail = NULL;

  if (missing == NULL)
    return 0;
  detail = xasprintf ("the %s at %s %s %s", what, dest, action == RULE_MUTATE ? "is given" : "lacks", missing);
  if (decision_match (ctx, rule, action, detail, err) < 0)
    return -1;
  if (action == RULE_MUTATE)
    fix_apply (ctx, m, dest, f);
  return 0;
}

static bool
list_has (const struct policy_strings *l, const char *s)
{
  for (size_t i = 0; i < l->len; i++)
    if (strcmp (l->items[i], s) == 0)
      return true;
  return false;
}

bool
mounts_filesystem_allowed (const struct policy_profile *p, const char *type)
{
  return list_has (&p->allowed_filesystems, type);
}

/* "size=64m", "size=65536k", "size=67108864": bytes; false for "50%" and
 * anything unreadable (which is then replaced by the cap). */
static bool
tmpfs_size_bytes (const char *v, uint64_t *out)
{
  size_t n = strlen (v);
  uint64_t mult = 1, num;

  if (n == 0)
    return false;
  if (strchr ("kKmMgGtTpPeE", v[n - 1]))
    {
      if (v[n - 1] == 'e' || v[n - 1] == 'E')
        return false;
      mult = size_suffix (v[n - 1]);
      n--;
    }
  if (!parse_u64 (v, n, &num) || (num != 0 && mult > UINT64_MAX / num))
    return false;
  *out = num * mult;
  return true;
}

static int
tmpfs_judge (struct harden_ctx *ctx, struct json_value *m, const char *dest, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  enum rule_action action = policy_rule_action (p, RULE_TMPFS_OPTIONS);
  const struct json_value *opts = json_object_get (m, "options");
  struct opts_fix f = { 0 };
  cleanup_free char *size = NULL;
  int ret;

  if (action == RULE_ALLOW)
    return 0;
  /* the profile's own tmpfs (from an earlier rewrite) says otherwise */
  for (size_t t = 0; t < p->n_tmpfs; t++)
    {
      cleanup_free char *want = path_clean (p->tmpfs[t].path);
      bool same = strcmp (want, dest) == 0 && (opts ? opts->u.arr.len : 0) == p->tmpfs[t].n_options;
      for (size_t o = 0; same && o < p->tmpfs[t].n_options; o++)
        same = json_is_string (opts->u.arr.items[o], p->tmpfs[t].options[o]);
      if (same)
        return 0;
    }
  fix_add (&f, "nosuid", "suid");
  /* runc creates the device nodes on the /dev tmpfs: no nodev there */
  if (strcmp (dest, "/dev") != 0)
    fix_add (&f, "nodev", "dev");
  if (!(p->tmpfs_exec && json_array_has_string (opts, "exec")))
    fix_add (&f, "noexec", "exec");
  if (p->has_tmpfs_max_size)
    {
      bool ok = false;
      for (size_t i = 0; opts && i < opts->u.arr.len; i++)
        {
          const char *o = opts->u.arr.items[i]->u.str.s;
          uint64_t bytes;
          if (strncmp (o, "size=", 5) == 0)
            ok = tmpfs_size_bytes (o + 5, &bytes) && bytes > 0 && bytes <= (uint64_t) p->tmpfs_max_size;
          else if (strncmp (o, "nr_blocks=", 10) == 0)
            ok = false; /* pages, and 0 is unlimited: replaced by the cap */
        }
      if (!ok)
        size = f.size = xasprintf ("size=%" PRId64, p->tmpfs_max_size);
    }
  ret = fix_judge (ctx, RULE_TMPFS_OPTIONS, action, m, dest, "tmpfs", &f, err);
  return ret;
}

static int
type_judge (struct harden_ctx *ctx, struct json_value *m, const char *type, const char *dest, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  enum rule_action action = policy_rule_action (p, RULE_MOUNT_TYPES);
  struct opts_fix f = { 0 };
  cleanup_free char *what = NULL;

  if (action == RULE_ALLOW || mounts_filesystem_allowed (p, type))
    return 0;
  if (strcmp (type, "proc") == 0 && strcmp (dest, "/proc") != 0)
    {
      cleanup_free char *detail = xasprintf (
          "a proc filesystem is mounted at %s; proc is mounted only at /proc, where its sensitive files are masked "
          "and read-only",
          dest);
      return decision_match (ctx, RULE_MOUNT_TYPES, action == RULE_MUTATE ? RULE_DENY : action, detail, err);
    }
  /* runc masks the profile's /sys paths (/sys/firmware, powercap) only
   * under /sys: a second sysfs would show them */
  if (strcmp (type, "sysfs") == 0 && strcmp (dest, "/sys") != 0)
    {
      cleanup_free char *detail = xasprintf (
          "a sysfs filesystem is mounted at %s; sysfs is mounted only at /sys, where its sensitive paths are masked",
          dest);
      return decision_match (ctx, RULE_MOUNT_TYPES, action == RULE_MUTATE ? RULE_DENY : action, detail, err);
    }
  if (strcmp (type, "sysfs") == 0 || strcmp (type, "cgroup") == 0 || strcmp (type, "cgroup2") == 0)
    fix_add (&f, "ro", "rw");
  if (strcmp (type, "devpts") == 0)
    fix_add (&f, "newinstance", NULL);
  if (strcmp (type, "proc") == 0 || strcmp (type, "sysfs") == 0 || strcmp (type, "cgroup") == 0
      || strcmp (type, "cgroup2") == 0 || strcmp (type, "mqueue") == 0 || strcmp (type, "devpts") == 0)
    {
      fix_add (&f, "nosuid", "suid");
      fix_add (&f, "noexec", "exec");
      if (strcmp (type, "devpts") != 0) /* the pty nodes themselves */
        fix_add (&f, "nodev", "dev");
      what = xasprintf ("%s mount", type);
      return fix_judge (ctx, RULE_MOUNT_TYPES, action, m, dest, what, &f, err);
    }
  {
    cleanup_free char *detail = xasprintf (
        "a %s filesystem is mounted at %s; containers mount only proc, sysfs, cgroup, cgroup2, tmpfs, devpts, "
        "mqueue and binds unless the profile lists the type in allowed_filesystems",
        type, dest);
    return decision_match (ctx, RULE_MOUNT_TYPES, action == RULE_MUTATE ? RULE_DENY : action, detail, err);
  }
}

static int
types_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  struct json_value *mounts = NULL;

  if (spec_get (ctx->source, root, "", "mounts", SPEC_ARRAY, &mounts, err) < 0)
    return -1;
  for (size_t i = 0; mounts && i < mounts->u.arr.len; i++)
    {
      struct json_value *m = mounts->u.arr.items[i], *type = NULL, *dest = NULL, *opts = NULL;
      cleanup_free char *path = xasprintf ("mounts[%zu]", i);
      cleanup_free char *d = NULL;

      if (m->type != JSON_OBJECT)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected an object, found %s", ctx->source,
                             m->line, m->col, path, json_type_name (m->type));
      if (spec_get (ctx->source, m, path, "type", SPEC_STRING, &type, err) < 0
          || spec_get (ctx->source, m, path, "destination", SPEC_STRING, &dest, err) < 0
          || spec_get (ctx->source, m, path, "options", SPEC_ARRAY, &opts, err) < 0)
        return -1;
      if (opts && spec_string_array (ctx->source, opts, path, err) < 0)
        return -1;
      /* runc reads a missing destination as "" (the root), a missing
       * type as none: options are judged on every mount */
      d = path_clean (dest ? dest->u.str.s : "/");
      if (options_judge (ctx, opts, d, err) < 0)
        return -1;
      if (type == NULL || dest == NULL || mounts_is_bind (m))
        continue; /* binds: binds.c; no type or destination: runc refuses */
      if (strcmp (type->u.str.s, "tmpfs") == 0)
        {
          if (tmpfs_judge (ctx, m, d, err) < 0)
            return -1;
        }
      else if (type_judge (ctx, m, type->u.str.s, d, err) < 0)
        return -1;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* /dev (rule dev_tmpfs) */

/* runc 1.1 trusts the container's /dev: when the container's stdio is not
 * a device it opens "/dev/null" read-write in its place, and it binds
 * "/dev/null" over every masked path.  On a tmpfs mounted at /dev runc made
 * that node itself; anywhere else (the image's own /dev when no tmpfs is
 * mounted there, a bind at /dev, a mount at a path the image links to
 * /dev) /dev/null can be a link to a /proc/sys file, which the container
 * then writes (kernel.core_pattern: the host; CVE-2025-31133).  So every
 * mount at /dev is a tmpfs, and there is one.  The options are Docker's,
 * with noexec (tmpfs_options). */
static const char *const dev_tmpfs_options[] = { "nosuid", "noexec", "strictatime", "mode=755", "size=65536k" };

/* mounts[I] lands on /dev: refused (DENY under MUTATE: nothing can make
 * such a /dev safe). */
static int
dev_judge_mount (struct harden_ctx *ctx, enum rule_action action, size_t i, const char *dest, const char *what,
                 hr_err *err)
{
  cleanup_free char *detail = NULL;

  if (strcmp (dest, "/dev") == 0)
    detail = xasprintf ("mounts[%zu] puts %s at /dev; runc takes /dev/null from the container's /dev and opens it "
                        "as the container's stdio and over the masked paths (a link there to /proc/sys is the "
                        "runc escape CVE-2025-31133): only a tmpfs may be mounted at /dev",
                        i, what);
  else
    detail = xasprintf ("mounts[%zu] at %s is /dev in the container (links in the image or in a volume mounted before "
                        "it lead there) and puts %s on it; "
                        "runc takes /dev/null from the container's /dev and opens it as the container's stdio and "
                        "over the masked paths (a link there to /proc/sys is the runc escape CVE-2025-31133): mount "
                        "it elsewhere",
                        i, dest, what);
  return decision_match (ctx, RULE_DEV_TMPFS, action == RULE_MUTATE ? RULE_DENY : action, detail, err);
}

/* Each of MOUNTS by where it lands (AT): on / or on /dev and not a
 * tmpfs, judged; *HAVE: a tmpfs lands on /dev; *INSERT_AT: the first mount
 * written below /dev (SIZE_MAX: none). */
static int
dev_judge_mounts (struct harden_ctx *ctx, enum rule_action action, const struct json_value *mounts, char *const *at,
                  bool *have, size_t *insert_at, hr_err *err)
{
  for (size_t i = 0; mounts && i < mounts->u.arr.len; i++)
    {
      const struct json_value *m = mounts->u.arr.items[i], *dest, *type;
      cleanup_free char *clean = NULL, *what = NULL;

      dest = json_object_get (m, "destination");
      type = json_object_get (m, "type");
      if (dest == NULL || dest->type != JSON_STRING || at[i] == NULL)
        continue; /* runc refuses it (types_apply read the rest) */
      clean = path_clean (dest->u.str.s);
      if (*insert_at == SIZE_MAX && strcmp (clean, "/dev") != 0 && path_covers ("/dev", clean))
        *insert_at = i;
      if (strcmp (at[i], "/") == 0)
        {
          /* over the container's root: its /dev (and the tmpfs there)
           * would be whatever the mount brings */
          cleanup_free char *detail = xasprintf (
              "mounts[%zu] at %s is the container's root%s and hides the /dev mounted before it; runc would take "
              "/dev/null from what it brings (a link there to /proc/sys is the runc escape CVE-2025-31133): mount it "
              "elsewhere",
              i, clean, strcmp (clean, "/") == 0 ? "" : " (links in the image or in a volume lead there)");
          if (decision_match (ctx, RULE_DEV_TMPFS, action == RULE_MUTATE ? RULE_DENY : action, detail, err) < 0)
            return -1;
          continue;
        }
      if (strcmp (at[i], "/dev") != 0)
        continue;
      if (!mounts_is_bind (m) && json_is_string (type, "tmpfs"))
        {
          *have = true;
          continue;
        }
      what = mounts_is_bind (m)                         ? xstrdup ("a bind mount")
             : type && type->type == JSON_STRING ? xasprintf ("a %s filesystem", type->u.str.s)
                                                 : xstrdup ("a mount without a type");
      if (dev_judge_mount (ctx, action, i, clean, what, err) < 0)
        return -1;
    }
  return 0;
}

static int
dev_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_DEV_TMPFS);
  struct json_value *mounts = NULL, *m, *opts;
  size_t insert_at = SIZE_MAX;
  bool have = false;
  char **at = NULL;
  int ret;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "mounts", SPEC_ARRAY, &mounts, err) < 0)
    return -1;
  if (mounts)
    at = workdir_mount_destinations (ctx->rootfs, ctx->has_bundle ? ctx->bundle_fd : AT_FDCWD, mounts,
                                     mounts_is_bind);
  ret = dev_judge_mounts (ctx, action, mounts, at, &have, &insert_at, err);
  for (size_t i = 0; mounts && i < mounts->u.arr.len; i++)
    free (at[i]);
  free (at);
  if (ret < 0 || have)
    return ret;
  if (decision_match (ctx, RULE_DEV_TMPFS, action,
                      action == RULE_MUTATE
                          ? "no tmpfs is mounted at /dev, so runc would take /dev/null from the image (a link there "
                            "to /proc/sys is the runc escape CVE-2025-31133); a tmpfs is mounted at /dev"
                          : "no tmpfs is mounted at /dev, so runc would take /dev/null from the image (a link there "
                            "to /proc/sys is the runc escape CVE-2025-31133); mount a tmpfs at /dev",
                      err)
      < 0)
    return -1;
  if (action != RULE_MUTATE)
    return 0;
  if (mounts == NULL)
    {
      mounts = json_new (JSON_ARRAY);
      json_object_set (root, "mounts", mounts);
    }
  m = json_new (JSON_OBJECT);
  json_object_set (m, "destination", json_new_string ("/dev"));
  json_object_set (m, "type", json_new_string ("tmpfs"));
  json_object_set (m, "source", json_new_string ("tmpfs"));
  opts = json_new (JSON_ARRAY);
  for (size_t o = 0; o < ARRAY_SIZE (dev_tmpfs_options); o++)
    json_array_append (opts, json_new_string (dev_tmpfs_options[o]));
  json_object_set (m, "options", opts);
  changes_add (ctx->changes, "mounts[/dev]", NULL, m);
  /* before anything mounted below /dev: mounts are applied in order */
  json_array_insert (mounts, insert_at == SIZE_MAX ? mounts->u.arr.len : insert_at, m);
  return 0;
}

int
mounts_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  /* the mounts asked for, before the profile's own are added */
  if (types_apply (ctx, root, err) < 0 || dev_apply (ctx, root, err) < 0)
    return -1;
  if (rootfs_apply (ctx, root, err) < 0 || tmpfs_apply (ctx, root, err) < 0
      || path_list_apply (ctx, root, "maskedPaths", &ctx->profile->masked_paths, err) < 0
      || path_list_apply (ctx, root, "readonlyPaths", &ctx->profile->readonly_paths, err) < 0)
    return -1;
  return 0;
}
