/* SPDX-License-Identifier: Apache-2.0 */
#include "runtime.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

extern char **environ;

static const char fallback_dirs[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

static bool
is_self (const struct stat *st, const struct stat *self)
{
  return st->st_dev == self->st_dev && st->st_ino == self->st_ino;
}

/* An executable regular file that is not this program. */
static bool
usable (const char *path, const struct stat *self, bool *was_self)
{
  struct stat st;

  if (stat (path, &st) < 0 || !S_ISREG (st.st_mode) || access (path, X_OK) < 0)
    return false;
  if (is_self (&st, self))
    {
      *was_self = true;
      return false;
    }
  return true;
}

static char *
search_dirs (const char *dirs, const struct stat *self, bool *was_self)
{
  const char *p = dirs;

  while (p && *p)
    {
      const char *end = strchr (p, ':');
      size_t len = end ? (size_t) (end - p) : strlen (p);
      if (len > 0 && p[0] == '/')
        {
          cleanup_free char *cand = xasprintf ("%.*s/runc", (int) len, p);
          if (usable (cand, self, was_self))
            return steal_pointer (&cand);
        }
      p = end ? end + 1 : NULL;
    }
  return NULL;
}

int
runtime_resolve (const char *configured, char **out, hr_err *err)
{
  struct stat self;
  bool was_self = false;
  char *found;

  if (stat ("/proc/self/exe", &self) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "cannot stat /proc/self/exe");

  if (configured)
    {
      if (configured[0] != '/')
        return hr_error_set (err, HR_ERR_INPUT, 0, "runtime \"%s\" is not an absolute path", configured);
      if (!usable (configured, &self, &was_self))
        return hr_error_set (err, HR_ERR_INPUT, 0, "runtime \"%s\" %s", configured,
                             was_self ? "is hardened-runc itself; it would call itself forever"
                                      : "is not an executable file");
      *out = xstrdup (configured);
      return 0;
    }

  found = search_dirs (getenv ("PATH"), &self, &was_self);
  if (found == NULL)
    found = search_dirs (fallback_dirs, &self, &was_self);
  if (found == NULL)
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "cannot find runc on PATH or in %s%s; set \"runtime\" in the policy",
                         fallback_dirs, was_self ? " (only hardened-runc itself is installed as runc)" : "");
  *out = found;
  return 0;
}

int
runtime_exec (const char *path, char **argv, hr_err *err)
{
  argv[0] = (char *) path;
  execve (path, argv, environ);
  return hr_error_set (err, HR_ERR_INTERNAL, errno, "cannot execute %s", path);
}
