/* SPDX-License-Identifier: Apache-2.0 */
#include "runtime.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fields.h"
#include "fileio.h"
#include "json.h"
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
          cleanup_free char *diverted = xasprintf ("%s.real", cand);
          bool self_here = false;
          /* make install-as-runc moved the real runc to runc.real: "runc"
           * there is a hardened-runc (maybe another copy than this one),
           * which must not judge what this one already judged */
          if (usable (diverted, self, was_self))
            return steal_pointer (&diverted);
          if (usable (cand, self, &self_here))
            return steal_pointer (&cand);
          if (self_here)
            {
              /* installed as runc (make install-as-runc): the real one was
               * moved aside next to it */
              cleanup_free char *real = xasprintf ("%s.real", cand);
              *was_self = true;
              if (usable (real, self, was_self))
                return steal_pointer (&real);
            }
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
      /* the shim hands it every container: root's, like the policy */
      if (file_check_trusted (configured, err) < 0)
        return -1;
      *out = xstrdup (configured);
      return 0;
    }

  found = search_dirs (getenv ("PATH"), &self, &was_self);
  if (found == NULL)
    found = search_dirs (fallback_dirs, &self, &was_self);
  if (found == NULL)
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "cannot find runc on PATH or in %s%s; set \"runtime\" in the policy",
                         fallback_dirs, was_self ? " (only hardened-runc itself is installed as runc)" : "");
  if (file_check_trusted (found, err) < 0)
    {
      free (found);
      return -1;
    }
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

/* ------------------------------------------------------------------ */
/* the runtime's spec version */

/* Run PATH ARG with stdout to a pipe; at most MAX bytes, DEADLINE_MS in
 * all.  The output is *OUT only when the program exited 0. */
static int
capture (const char *path, const char *arg, int deadline_ms, char **out, hr_err *err)
{
  cleanup_close int rd = -1;
  struct strbuf sb = { 0 };
  int fds[2], status = 0;
  struct timespec start, now;
  pid_t pid;
  bool timed_out = false;

  *out = NULL;
  if (pipe2 (fds, O_CLOEXEC) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "pipe");
  pid = fork ();
  if (pid < 0)
    {
      close (fds[0]);
      close (fds[1]);
      return hr_error_set (err, HR_ERR_INTERNAL, errno, "fork");
    }
  if (pid == 0)
    {
      int devnull = open ("/dev/null", O_RDWR | O_CLOEXEC);
      char *argv[] = { (char *) path, (char *) arg, NULL };
      if (dup2 (fds[1], STDOUT_FILENO) < 0 || devnull < 0 || dup2 (devnull, STDIN_FILENO) < 0
          || dup2 (devnull, STDERR_FILENO) < 0)
        _exit (127);
      execve (path, argv, environ);
      _exit (127);
    }
  close (fds[1]);
  rd = fds[0];
  clock_gettime (CLOCK_MONOTONIC, &start);
  for (;;)
    {
      struct pollfd p = { .fd = rd, .events = POLLIN };
      char buf[4096];
      long left;
      ssize_t n;

      clock_gettime (CLOCK_MONOTONIC, &now);
      left = deadline_ms - ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000);
      if (left <= 0)
        {
          timed_out = true;
          break;
        }
      if (poll (&p, 1, (int) left) < 0)
        {
          if (errno == EINTR)
            continue;
          break;
        }
      if (p.revents == 0)
        continue;
      n = read (rd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      if (sb.len + (size_t) n > 65536)
        break;
      strbuf_append (&sb, buf, (size_t) n);
    }
  if (timed_out)
    kill (pid, SIGKILL);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (timed_out)
    {
      strbuf_release (&sb);
      return hr_error_set (err, HR_ERR_INTERNAL, 0, "\"%s %s\" did not finish within %d ms", path, arg, deadline_ms);
    }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0 && sb.buf)
    *out = steal_pointer (&sb.buf);
  strbuf_release (&sb);
  return 0;
}

/* "1.0.2-dev" -> 1, 0 */
static bool
parse_version (const char *s, unsigned *major, unsigned *minor)
{
  char *end;
  unsigned long a, b;

  a = strtoul (s, &end, 10);
  if (end == s || *end != '.')
    return false;
  s = end + 1;
  b = strtoul (s, &end, 10);
  if (end == s || a > 1000 || b > 1000)
    return false;
  *major = (unsigned) a;
  *minor = (unsigned) b;
  return true;
}

/* Ask the runtime: "features" (runc >= 1.1) gives ociVersionMax; older
 * runtimes (runc 1.0, crun < 1.9) print "spec: X" in --version. */
static int
ask_spec_version (const char *runtime, char **out, hr_err *err)
{
  static const struct json_limits limits = { .max_depth = 16 };
  cleanup_free char *text = NULL;

  *out = NULL;
  if (capture (runtime, "features", 10000, &text, err) < 0)
    return -1;
  if (text)
    {
      cleanup_json struct json_value *doc = NULL;
      cleanup_hr_error hr_err ignored = NULL;
      const struct json_value *v;
      if (json_parse (text, strlen (text), "features", &limits, &doc, &ignored) == 0
          && (v = json_object_get (doc, "ociVersionMax")) != NULL && v->type == JSON_STRING)
        {
          *out = xstrdup (v->u.str.s);
          return 0;
        }
    }
  free (steal_pointer (&text));
  if (capture (runtime, "--version", 10000, &text, err) < 0)
    return -1;
  for (char *line = text; line && *line;)
    {
      char *nl = strchr (line, '\n');
      if (nl)
        *nl = '\0';
      if (strncmp (line, "spec: ", 6) == 0)
        {
          *out = xstrdup (line + 6);
          return 0;
        }
      line = nl ? nl + 1 : NULL;
    }
  return hr_error_set (err, HR_ERR_INTERNAL, 0,
                       "cannot tell which runtime-spec version %s implements (neither \"features\" nor \"--version\" "
                       "says); refusing rather than letting fields through that were never judged",
                       runtime);
}

/* Answers kept at most: one per runtime binary identity, and identities
 * change with every upgrade (and every test's throwaway runtime). */
#define RUNTIME_CACHE_MAX 64

/* More than RUNTIME_CACHE_MAX answers in DIRFD: all but KEEP go (they
 * are only asked again).  Runs when an answer is added, which is rare. */
static void
prune_answers (int dirfd, const char *keep)
{
  cleanup_close int fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_dir DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *e;
  size_t n = 0;

  if (d == NULL)
    return;
  fd = -1; /* the stream owns it now */
  while ((e = readdir (d)) != NULL)
    if (strncmp (e->d_name, "runtime-", 8) == 0)
      n++;
  if (n <= RUNTIME_CACHE_MAX)
    return;
  rewinddir (d);
  while ((e = readdir (d)) != NULL)
    if (strncmp (e->d_name, "runtime-", 8) == 0 && strcmp (e->d_name, keep) != 0)
      unlinkat (dirfd, e->d_name, 0);
}

int
runtime_spec_version (const char *runtime, const char *cache_dir, char **out, hr_err *err)
{
  cleanup_free char *name = NULL, *cached = NULL;
  cleanup_close int dirfd = -1;
  struct stat st;
  size_t len = 0;

  *out = NULL;
  if (stat (runtime, &st) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "cannot stat %s", runtime);
  /* the answer belongs to this very binary: a new one is asked anew */
  name = xasprintf ("runtime-%jx-%jx-%jx-%jd.%09ld", (uintmax_t) st.st_dev, (uintmax_t) st.st_ino,
                    (uintmax_t) st.st_size, (intmax_t) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  if (cache_dir)
    {
      cleanup_free char *parent = xstrdup (cache_dir);
      char *slash = strrchr (parent, '/');
      if (slash && slash != parent)
        {
          *slash = '\0';
          if (mkdir (parent, 0700) < 0 && errno != EEXIST)
            cache_dir = NULL;
        }
      if (cache_dir && (mkdir (cache_dir, 0700) == 0 || errno == EEXIST))
        dirfd = open (cache_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    }
  if (dirfd >= 0)
    {
      cleanup_hr_error hr_err ignored = NULL;
      struct stat dst;
      /* trusted only from root's own directory */
      if (fstat (dirfd, &dst) < 0 || dst.st_uid != 0 || (dst.st_mode & 022) != 0)
        {
          close (steal_fd (&dirfd));
        }
      else if (file_read_regular (dirfd, name, name, 256, &cached, &len, NULL, &ignored) == 0 && len > 0)
        {
          cached[strcspn (cached, "\n")] = '\0';
          *out = steal_pointer (&cached);
          return 0;
        }
    }
  if (ask_spec_version (runtime, out, err) < 0)
    return -1;
  if (dirfd >= 0)
    {
      cleanup_hr_error hr_err ignored = NULL;
      if (file_replace_atomic (dirfd, name, name, *out, strlen (*out), 0600, 0, 0, &ignored) == 0)
        prune_answers (dirfd, name);
    }
  return 0;
}

int
runtime_check_spec (const char *runtime, const char *cache_dir, hr_err *err)
{
  cleanup_free char *version = NULL;
  unsigned major, minor;

  if (runtime_spec_version (runtime, cache_dir, &version, err) < 0)
    return -1;
  if (!parse_version (version, &major, &minor))
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "%s reports runtime-spec version \"%s\", which is not a version",
                         runtime, version);
  if (major > FIELDS_SPEC_VERSION_MAJOR || (major == FIELDS_SPEC_VERSION_MAJOR && minor > FIELDS_SPEC_VERSION_MINOR))
    return hr_error_set (err, HR_ERR_REFUSED, 0,
                         "refused: the runtime %s implements runtime-spec %s, newer than the %s whose every field "
                         "hardened-runc judges; upgrade hardened-runc or set the policy's runtime to an older one",
                         runtime, version, FIELDS_SPEC_VERSION);
  return 0;
}
