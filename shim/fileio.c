/* SPDX-License-Identifier: Apache-2.0 */
#include "fileio.h"

#include <dirent.h>
#include <sys/file.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* The one read loop: FD to its end, at most MAX bytes; HINT is the size
 * when known. */
static int
read_all (int fd, const char *display, size_t max, size_t hint, char **buf, size_t *len, hr_err *err)
{
  cleanup_free char *data = NULL;
  /* the size if known, one byte to find the end in, and the NUL: a file
   * of the size it said is read without growing the buffer */
  size_t cap = hint + 2 < 4096 ? 4096 : hint + 2;
  size_t n = 0;

  data = xmalloc (cap);
  for (;;)
    {
      ssize_t r;
      if (n == cap - 1)
        {
          if (cap > max + 1)
            return hr_error_set (err, HR_ERR_INPUT, 0, "%s: larger than the limit of %zu bytes", display, max);
          cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
          data = xrealloc (data, cap);
        }
      r = read (fd, data + n, cap - 1 - n);
      if (r < 0)
        {
          if (errno == EINTR)
            continue;
          return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: read", display);
        }
      if (r == 0)
        break;
      n += (size_t) r;
      if (n > max)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s: larger than the limit of %zu bytes", display, max);
    }
  data[n] = '\0';
  *len = n;
  *buf = steal_pointer (&data);
  return 0;
}

int
file_read_regular (int dirfd, const char *name, const char *display, size_t max, char **buf, size_t *len,
                   struct stat *st, hr_err *err)
{
  cleanup_close int fd = -1;
  struct stat sb;

  fd = openat (dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0)
    {
      if (errno == ELOOP)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s: is a symbolic link; refusing to follow it", display);
      return hr_error_set (err, errno == ENOENT ? HR_ERR_INPUT : HR_ERR_INTERNAL, errno, "%s: open", display);
    }
  if (fstat (fd, &sb) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: stat", display);
  if (!S_ISREG (sb.st_mode))
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: not a regular file", display);
  if ((uintmax_t) sb.st_size > max)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: %jd bytes, larger than the limit of %zu bytes", display,
                         (intmax_t) sb.st_size, max);
  if (read_all (fd, display, max, (size_t) sb.st_size, buf, len, err) < 0)
    return -1;
  if (st)
    *st = sb;
  return 0;
}

/* The one owner besides root whose files are trusted: the caller
 * ((uid_t) -1: geteuid (), a user checking a policy of their own), or
 * whom file_set_trusted_owner named. */
static uid_t trusted_uid = (uid_t) -1;

void
file_set_trusted_owner (uid_t uid)
{
  trusted_uid = uid;
}

static bool
owner_trusted (uid_t uid)
{
  return uid == 0 || uid == (trusted_uid == (uid_t) -1 ? geteuid () : trusted_uid);
}

/* Who may have written ST: root, or the trusted owner; group and others
 * never. */
static bool
trusted_owner_mode (const struct stat *st)
{
  return owner_trusted (st->st_uid) && (st->st_mode & 022) == 0;
}

/* Like sshd's StrictModes: the file FD (opened as PATH) and every directory
 * above it up to / must be owned by root (or the caller) and not writable
 * by group or others; a root-owned sticky directory (/tmp) is fine, since
 * nobody else can replace a root-owned entry in it.  The directories are
 * those of the file actually opened (symbolic links resolved). */
static int
check_trusted (int fd, const char *path, const struct stat *st, hr_err *err)
{
  char proc[64], real[PATH_MAX];
  ssize_t n;
  char *slash;

  if (!trusted_owner_mode (st))
    return hr_error_set (err, HR_ERR_INPUT, 0,
                         "%s: mode %04o, owner uid %u: refusing a file that %s may change (it must be owned by root "
                         "and writable only by its owner: chown root %s; chmod go-w %s)",
                         path, (unsigned) (st->st_mode & 07777), (unsigned) st->st_uid,
                         !owner_trusted (st->st_uid) ? "a user other than root" : "group or others",
                         path, path);
  snprintf (proc, sizeof proc, "/proc/self/fd/%d", fd);
  n = readlink (proc, real, sizeof real - 1);
  if (n <= 0 || real[0] != '/')
    {
      if (realpath (path, real) == NULL)
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot resolve its directories", path);
    }
  else
    real[n] = '\0';
  while ((slash = strrchr (real, '/')) != NULL)
    {
      struct stat dst;
      const char *dir = slash == real ? "/" : real;
      slash[slash == real ? 1 : 0] = '\0';
      if (stat (dir, &dst) < 0)
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot check the directory %s", path, dir);
      if (!trusted_owner_mode (&dst) && !(dst.st_uid == 0 && (dst.st_mode & S_ISVTX)))
        return hr_error_set (err, HR_ERR_INPUT, 0,
                             "%s: its directory %s has mode %04o, owner uid %u: refusing a file whose directory %s "
                             "may change (each directory up to / must be owned by root and writable only by it, "
                             "or be a root-owned sticky directory such as /tmp)",
                             path, dir, (unsigned) (dst.st_mode & 07777), (unsigned) dst.st_uid,
                             !owner_trusted (dst.st_uid) ? "a user other than root" : "group or others");
      if (strcmp (dir, "/") == 0)
        break;
    }
  return 0;
}

int
file_check_trusted (const char *path, hr_err *err)
{
  cleanup_close int fd = -1;
  struct stat sb;

  fd = open (path, O_PATH | O_CLOEXEC);
  if (fd < 0)
    return hr_error_set (err, errno == ENOENT ? HR_ERR_INPUT : HR_ERR_INTERNAL, errno, "%s: open", path);
  if (fstat (fd, &sb) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: stat", path);
  return check_trusted (fd, path, &sb, err);
}

int
file_check_no_other_creator (const char *path, hr_err *err)
{
  cleanup_free char *p = xstrdup (path);
  struct stat st;

  while (stat (p, &st) < 0)
    {
      char *slash = strrchr (p, '/');
      if (errno != ENOENT && errno != ENOTDIR)
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot check %s", path, p);
      if (slash == NULL)
        {
          free (p);
          p = xstrdup (".");
        }
      else if (slash == p)
        p[1] = '\0';
      else
        *slash = '\0';
    }
  if (!trusted_owner_mode (&st))
    return hr_error_set (err, HR_ERR_INPUT, 0,
                         "%s does not exist, and %s (mode %04o, owner uid %u) lets %s create it; refusing a path "
                         "that a user other than root may create",
                         path, p, (unsigned) (st.st_mode & 07777), (unsigned) st.st_uid,
                         !owner_trusted (st.st_uid) ? "a user other than root" : "group or others");
  return file_check_trusted (p, err);
}

int
file_read_config (const char *path, size_t max, char **buf, size_t *len, hr_err *err)
{
  cleanup_close int fd = -1;
  struct stat sb;

  /* opened once: the file checked is the file read */
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    return hr_error_set (err, errno == ENOENT ? HR_ERR_INPUT : HR_ERR_INTERNAL, errno, "%s: open", path);
  if (fstat (fd, &sb) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: stat", path);
  if (!S_ISREG (sb.st_mode))
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: not a regular file", path);
  if (check_trusted (fd, path, &sb, err) < 0)
    return -1;
  if ((uintmax_t) sb.st_size > max)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: %jd bytes, larger than the limit of %zu bytes", path,
                         (intmax_t) sb.st_size, max);
  return read_all (fd, path, max, (size_t) sb.st_size, buf, len, err);
}

int
file_read_fd (int fd, const char *display, size_t max, char **buf, size_t *len, hr_err *err)
{
  return read_all (fd, display, max, 0, buf, len, err);
}

int
file_write_fd (int fd, const void *data, size_t len)
{
  const char *p = data;

  while (len > 0)
    {
      ssize_t r = write (fd, p, len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return -1;
      if (r == 0)
        {
          errno = EIO; /* nothing written and no error: never loop on it */
          return -1;
        }
      p += r;
      len -= (size_t) r;
    }
  return 0;
}

/* Temporary files of ours whose writer died (killed between creating and
 * renaming them: SIGKILL leaves no chance to clean up) are removed by the
 * next replacement.  A writer holds an exclusive flock on its temporary
 * file from creation to rename, and the kernel drops it when the writer
 * dies: a file whose lock can be taken has no writer (pids are not
 * trusted: they are reused). */
static void
remove_stale_temps (int dirfd, const char *name)
{
  cleanup_free char *prefix = xasprintf (".%s.hardened-runc.", name);
  size_t plen = strlen (prefix);
  cleanup_close int fd = openat (dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  cleanup_dir DIR *d = fd >= 0 ? fdopendir (fd) : NULL;
  struct dirent *e;

  if (d == NULL)
    return;
  fd = -1; /* the stream owns it now */
  while ((e = readdir (d)) != NULL)
    {
      struct stat st;
      int t;
      if (strncmp (e->d_name, prefix, plen) != 0)
        continue;
      t = openat (dirfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
      if (t < 0)
        continue;
      if (fstat (t, &st) == 0 && S_ISREG (st.st_mode) && flock (t, LOCK_EX | LOCK_NB) == 0)
        unlinkat (dirfd, e->d_name, 0);
      close (t);
    }
}

int
file_replace_atomic (int dirfd, const char *name, const char *display, const char *data, size_t len, mode_t mode,
                     uid_t uid, gid_t gid, hr_err *err)
{
  cleanup_free char *tmpname = NULL;
  cleanup_close int fd = -1;
  unsigned attempt;

  remove_stale_temps (dirfd, name);
  /* O_EXCL on a name of our own: never follows or reuses anything. */
  for (attempt = 0; attempt < 100; attempt++)
    {
      free (tmpname);
      tmpname = xasprintf (".%s.hardened-runc.%ld.%u", name, (long) getpid (), attempt);
      fd = openat (dirfd, tmpname, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
      if (fd >= 0 || errno != EEXIST)
        break;
    }
  if (fd < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot create a temporary file beside it", display);
  /* held until the rename (close): tells remove_stale_temps we are alive */
  if (flock (fd, LOCK_EX | LOCK_NB) < 0)
    {
      hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot lock the temporary file", display);
      goto fail;
    }

  if (fchown (fd, uid, gid) < 0 && geteuid () == 0)
    {
      hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot set the owner of the temporary file", display);
      goto fail;
    }
  if (fchmod (fd, mode & 07777) < 0)
    {
      hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot set the mode of the temporary file", display);
      goto fail;
    }
  if (file_write_fd (fd, data, len) < 0)
    {
      hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot write the new contents", display);
      goto fail;
    }
  /* No fsync: atomicity against a killed shim comes from renaming a
   * complete file, and the page cache is what runc reads next.  Durability
   * across a power cut is not asked of this file by anyone: engines write
   * config.json with a plain write(2) into /run (tmpfs) and write it anew
   * for every start.  The two fsyncs cost 1 ms per create on ext4.  The
   * lock covers the file until it has its final name. */
  if (renameat (dirfd, tmpname, dirfd, name) < 0)
    {
      hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot rename the new contents into place", display);
      goto fail;
    }
  (void) close (steal_fd (&fd));
  return 0;

fail:
  unlinkat (dirfd, tmpname, 0);
  return -1;
}
