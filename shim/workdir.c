/* SPDX-License-Identifier: Apache-2.0 */
/* The working directory (process.cwd): never under /proc/<pid>/fd, nor
 * what leads there through the image's links and the mounts (the runc
 * escape CVE-2024-21626).  Refused in every mode. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

/* DIGITS/ at *P (one digit at least): stepped over. */
static bool
skip_number (const char **p)
{
  const char *q = *p;

  if (!isdigit ((unsigned char) *q))
    return false;
  while (isdigit ((unsigned char) *q))
    q++;
  if (*q++ != '/')
    return false;
  *p = q;
  return true;
}

/* What follows /proc/<pid|self|thread-self>[/task/<tid>]/ in PATH (clean,
 * absolute), or NULL when PATH does not start so. */
static const char *
proc_pid_rest (const char *path)
{
  const char *rest;

  if (strncmp (path, "/proc/", 6) != 0)
    return NULL;
  rest = path + 6;
  if (strncmp (rest, "self/", 5) == 0)
    rest += 5;
  else if (strncmp (rest, "thread-self/", 12) == 0)
    rest += 12;
  else if (!skip_number (&rest))
    return NULL;
  if (strncmp (rest, "task/", 5) == 0)
    {
      rest += 5;
      if (!skip_number (&rest))
        return NULL;
    }
  return rest;
}

/* REST starts with the path component NAME. */
static bool
first_component_is (const char *rest, const char *name)
{
  size_t n = strlen (name);
  return strncmp (rest, name, n) == 0 && (rest[n] == '\0' || rest[n] == '/');
}

/* Where a working directory leads to the runtime's own descriptors
 * (CVE-2024-21626): /proc/<pid|self|thread-self>[/task/<tid>]/fd and
 * below, /dev/fd and /dev/std{in,out,err} (links into /proc/self/fd that
 * runc makes in /dev).  PATH is clean and absolute.  Returns what matched,
 * or NULL. */
static const char *
proc_fd_match (const char *path)
{
  const char *rest;

  if (strcmp (path, "/dev/fd") == 0 || strncmp (path, "/dev/fd/", 8) == 0 || strcmp (path, "/dev/stdin") == 0
      || strcmp (path, "/dev/stdout") == 0 || strcmp (path, "/dev/stderr") == 0)
    return "/dev/fd";
  if ((rest = proc_pid_rest (path)) == NULL)
    return NULL;
  /* fd, and the magic links a working directory could go through to
   * something the container does not see as itself */
  if (first_component_is (rest, "fd"))
    return "/proc/*/fd";
  if (first_component_is (rest, "cwd") || first_component_is (rest, "map_files"))
    return "/proc/*/cwd";
  return NULL;
}

/* /proc/<pid|self|thread-self>[/task/<tid>]/root at the start of PATH:
 * back to the container's root; returns the length of that prefix, or 0. */
static size_t
proc_root_prefix (const char *path)
{
  const char *rest = proc_pid_rest (path);

  if (rest && first_component_is (rest, "root"))
    return (size_t) (rest + 4 - path);
  return 0;
}

/* Open DIR (clean, absolute, without symlinks) below ROOTFD, never
 * leaving it. */
static int
open_in_root (int rootfd, const char *dir)
{
  struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                          .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS };
  const char *rel = dir[1] ? dir + 1 : ".";
  int fd = (int) syscall (SYS_openat2, rootfd, rel, &how, sizeof how);
  if (fd < 0 && errno == ENOSYS)
    fd = openat (rootfd, rel, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  return fd;
}

static bool
string_is (const struct json_value *v, const char *s)
{
  return v && v->type == JSON_STRING && strcmp (v->u.str.s, s) == 0;
}

/* What the mounts make of PATH (clean) when it is a mount point: a proc
 * mount is another /proc, a bind of something under /proc or /dev is that
 * path.  MOUNTS is config.json's (type, source, options) or runc's state
 * (device, source); the last mount at PATH is the one seen.  NULL: PATH is
 * itself. */
static char *
mount_alias (const struct json_value *mounts, const char *path)
{
  char *alias = NULL;

  for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->u.arr.len; i++)
    {
      const struct json_value *m = mounts->u.arr.items[i], *dest, *type, *src, *opts;
      cleanup_free char *clean = NULL;
      bool bind;

      if (m->type != JSON_OBJECT || (dest = json_object_get (m, "destination")) == NULL || dest->type != JSON_STRING)
        continue;
      clean = path_clean (dest->u.str.s);
      if (strcmp (clean, path) != 0)
        continue;
      free (alias);
      alias = NULL;
      type = json_object_get (m, "type");
      if (type == NULL)
        type = json_object_get (m, "device");
      src = json_object_get (m, "source");
      opts = json_object_get (m, "options");
      bind = string_is (type, "bind") || string_is (type, "rbind");
      for (size_t k = 0; opts && opts->type == JSON_ARRAY && k < opts->u.arr.len; k++)
        bind = bind || string_is (opts->u.arr.items[k], "bind") || string_is (opts->u.arr.items[k], "rbind");
      if (string_is (type, "proc"))
        alias = xstrdup ("/proc");
      else if (bind && src && src->type == JSON_STRING)
        {
          char *s = path_clean (src->u.str.s);
          if (strcmp (s, "/proc") == 0 || strncmp (s, "/proc/", 6) == 0 || strcmp (s, "/dev") == 0
              || strncmp (s, "/dev/", 5) == 0)
            alias = s;
          else
            free (s);
        }
    }
  return alias;
}

/* The next component of *REST (leading slashes skipped), which keeps the
 * rest; NULL when none is left. */
static char *
next_component (char **rest)
{
  char *slash, *comp, *next;

  while ((*rest)[0] == '/')
    memmove (*rest, *rest + 1, strlen (*rest));
  if ((*rest)[0] == '\0')
    return NULL;
  slash = strchr (*rest, '/');
  comp = xstrndup (*rest, slash ? (size_t) (slash - *rest) : strlen (*rest));
  next = xstrdup (slash ? slash : "");
  free (*rest);
  *rest = next;
  return comp;
}

static void
strbuf_set (struct strbuf *sb, const char *s)
{
  sb->len = 0;
  sb->buf[0] = '\0';
  strbuf_appends (sb, s);
}

/* COMP in the directory DIR of the root ROOTFD, when it is a symbolic
 * link: its target in TARGET (PATH_MAX). */
static bool
link_in_root (int rootfd, const char *dir, const char *comp, char *target)
{
  cleanup_close int dirfd = open_in_root (rootfd, dir[0] ? dir : "/");
  ssize_t n = dirfd >= 0 ? readlinkat (dirfd, comp, target, PATH_MAX - 1) : -1;

  if (n <= 0)
    return false;
  target[n] = '\0';
  return true;
}

/* "." and ".." of a path being resolved (RESOLVED holds no links): true
 * when COMP was one of them and is done with. */
static bool
step_dots (const char *comp, struct strbuf *resolved)
{
  char *last;

  if (strcmp (comp, ".") == 0)
    return true;
  if (strcmp (comp, "..") != 0)
    return false;
  last = strrchr (resolved->buf, '/');
  if (last)
    {
      *last = '\0';
      resolved->len = (size_t) (last - resolved->buf);
    }
  return true;
}

/* A link's TARGET takes the place of the component it was: the rest of
 * the path follows it, from the root when it is absolute. */
static void
enter_link (const char *target, char **rest, struct strbuf *resolved)
{
  char *next = xasprintf ("%s/%s", target, *rest);

  free (*rest);
  *rest = next;
  if (target[0] == '/')
    strbuf_set (resolved, "");
}

/* Follow CWD through the symbolic links of the root file system ROOTFS
 * (an image's own /x -> /proc/self/fd), component by component, inside
 * it, and through the mounts (a proc mount elsewhere, a bind of /proc or
 * /dev).  /proc and /dev are the kernel's and runc's at run time: below
 * them the path is taken as written, except that /proc/<pid>/root leads
 * back to the root.  Without ROOTFS only the links are not followed.
 * Returns what matched (a proc_fd_match text), or NULL; *AT is the
 * resolved path that matched. */
static const char *
cwd_resolve (const char *rootfs, const struct json_value *mounts, const char *cwd, char **at)
{
  cleanup_close int rootfd = rootfs ? open (rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
  cleanup_free char *rest = xasprintf ("%s", cwd);
  struct strbuf resolved = { 0 };
  const char *match = NULL;
  char *comp;
  int links = 0;

  strbuf_reserve (&resolved, 256);
  while ((comp = next_component (&rest)) != NULL)
    {
      char target[PATH_MAX];
      bool virtual_fs = strcmp (resolved.buf, "/proc") == 0 || strncmp (resolved.buf, "/proc/", 6) == 0
                        || strcmp (resolved.buf, "/dev") == 0;

      if (step_dots (comp, &resolved))
        {
          free (comp);
          continue;
        }
      if (!virtual_fs && rootfd >= 0 && link_in_root (rootfd, resolved.buf, comp, target))
        {
          free (comp);
          if (++links > 40)
            break; /* ELOOP: runc cannot enter it */
          enter_link (target, &rest, &resolved);
          continue;
        }
      strbuf_appends (&resolved, "/");
      strbuf_appends (&resolved, comp);
      free (comp);
      {
        cleanup_free char *alias = mount_alias (mounts, resolved.buf);
        if (alias)
          strbuf_set (&resolved, strcmp (alias, "/") == 0 ? "" : alias);
      }
      {
        size_t root_len = proc_root_prefix (resolved.buf);
        if (root_len && root_len == resolved.len)
          {
            strbuf_set (&resolved, "");
            continue;
          }
      }
      if ((match = proc_fd_match (resolved.buf)) != NULL)
        break;
    }
  if (match)
    *at = xstrdup (resolved.buf);
  strbuf_release (&resolved);
  return match;
}

/* The destinations of the mounts made so far, by path: the newest mount
 * at each (an open-addressing table over AT, of CAP slots, a power of 2). */
struct landings
{
  char *const *at;
  size_t *slot; /* a mount's index + 1; 0: empty */
  size_t cap;
};

static size_t *
landings_find (const struct landings *l, const char *path, size_t len)
{
  uint64_t h = 0xcbf29ce484222325ull;
  size_t i;

  for (size_t k = 0; k < len; k++)
    h = (h ^ (unsigned char) path[k]) * 0x100000001b3ull;
  for (i = (size_t) h & (l->cap - 1);; i = (i + 1) & (l->cap - 1))
    {
      size_t j = l->slot[i];
      if (j == 0 || (strncmp (l->at[j - 1], path, len) == 0 && l->at[j - 1][len] == '\0'))
        return &l->slot[i];
    }
}

/* Where a directory DIR (clean, without links) of the container is looked
 * up: the newest mount made so far at or above it decides.  A bind: its
 * source (FDS), *REL the rest of DIR below its destination; a mount of any
 * other kind is fresh and has no links (-1); none: the image (ROOTFD). */
static int
lookup_base (const char *dir, const struct landings *l, const int *fds, int rootfd, const char **rel)
{
  size_t best = 0, len = strlen (dir);

  /* DIR itself and each directory above it, "/" last */
  for (size_t end = len;; end--)
    {
      if (end == len || dir[end] == '/')
        {
          size_t j = *landings_find (l, end ? dir : "/", end ? end : 1);
          if (j > best)
            best = j;
        }
      if (end == 0)
        break;
    }
  if (best)
    {
      const char *at = l->at[best - 1];
      size_t skip = strcmp (at, "/") == 0 ? 0 : strlen (at);
      *rel = dir[skip] ? dir + skip : "/";
      return fds[best - 1];
    }
  *rel = dir[0] ? dir : "/";
  return rootfd;
}

/* PATH for mounts[UPTO], its links followed as runc's secure join does:
 * inside the container's root (an absolute target starts again there),
 * dangling ones too, at most 40, then the rest is taken as written. */
static char *
follow_links (int rootfd, const struct landings *l, const int *fds, const char *path)
{
  cleanup_free char *rest = xstrdup (path);
  struct strbuf resolved = { 0 };
  char *comp, *out;
  int links = 0;

  strbuf_reserve (&resolved, 256);
  while ((comp = next_component (&rest)) != NULL)
    {
      char target[PATH_MAX];
      const char *rel;
      int base;

      if (step_dots (comp, &resolved))
        {
          free (comp);
          continue;
        }
      base = lookup_base (resolved.buf, l, fds, rootfd, &rel);
      if (base >= 0 && links <= 40 && link_in_root (base, rel, comp, target))
        {
          free (comp);
          links++;
          enter_link (target, &rest, &resolved);
          continue;
        }
      strbuf_appends (&resolved, "/");
      strbuf_appends (&resolved, comp);
      free (comp);
    }
  out = path_clean (resolved.len ? resolved.buf : "/");
  strbuf_release (&resolved);
  return out;
}

char **
workdir_mount_destinations (const char *rootfs, int base_fd, const struct json_value *mounts,
                            bool (*is_bind) (const struct json_value *m))
{
  size_t n = mounts && mounts->type == JSON_ARRAY ? mounts->u.arr.len : 0;
  cleanup_close int rootfd = rootfs ? open (rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
  char **at = xcalloc (n + 1, sizeof *at);
  int *fds = xcalloc (n + 1, sizeof *fds);
  struct landings l = { .at = at, .cap = 16 };

  while (l.cap < 2 * n + 2)
    l.cap *= 2;
  l.slot = xcalloc (l.cap, sizeof *l.slot);
  for (size_t i = 0; i < n; i++)
    {
      const struct json_value *m = mounts->u.arr.items[i], *dest, *src;

      fds[i] = -1;
      if (m->type != JSON_OBJECT || (dest = json_object_get (m, "destination")) == NULL || dest->type != JSON_STRING)
        continue;
      {
        cleanup_free char *clean = path_clean (dest->u.str.s);
        at[i] = follow_links (rootfd, &l, fds, clean);
      }
      src = json_object_get (m, "source");
      if (is_bind (m) && src && src->type == JSON_STRING)
        fds[i] = openat (base_fd, src->u.str.s, O_PATH | O_DIRECTORY | O_CLOEXEC);
      /* the newest mount at its place: the next mounts see this one */
      *landings_find (&l, at[i], strlen (at[i])) = i + 1;
    }
  for (size_t i = 0; i < n; i++)
    if (fds[i] >= 0)
      close (fds[i]);
  free (fds);
  free (l.slot);
  return at;
}

int
workdir_check (struct harden_ctx *ctx, const struct json_value *process, const char *path, hr_err *err)
{
  struct json_value *cwd = NULL;
  cleanup_free char *clean = NULL, *at = NULL;
  const char *match;

  if (spec_get (ctx->source, process, "process", "cwd", SPEC_STRING, &cwd, err) < 0)
    return -1;
  if (cwd == NULL)
    return 0;
  clean = path_clean (cwd->u.str.s);
  match = proc_fd_match (clean);
  if (match == NULL)
    match = cwd_resolve (ctx->rootfs, ctx->mounts, cwd->u.str.s, &at);
  if (match == NULL)
    return 0;
  if (at && strcmp (at, clean) != 0)
    return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                         "refused: %s \"%s\" leads to %s in the container (through its links or mounts), under %s, the "
                         "path of the runc escape CVE-2024-21626; use a real directory as the working directory",
                         path, cwd->u.str.s, at, match);
  return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                       "refused: %s \"%s\" is under %s, the path of the runc escape CVE-2024-21626; "
                       "use a real directory as the working directory",
                       path, cwd->u.str.s, match);
}
