/* SPDX-License-Identifier: Apache-2.0 */
/* Operator files trusted by owner and mode (sshd's StrictModes), and the
 * one read loop and write loop. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "policy.h"
#include "sysfilter_profile.h"
#include "unit.h"
#include "util.h"

/* PATH as a stranger's file: as root, given to nobody (65534); as any
 * other user, the test's own files stand for a stranger's (only root is
 * trusted until trust_again).  Returns the owner the messages name. */
static unsigned
as_strangers (const char *path)
{
  if (geteuid () == 0)
    {
      ck_assert_int_eq (chown (path, 65534, (gid_t) -1), 0);
      return 65534;
    }
  file_set_trusted_owner (0);
  return (unsigned) geteuid ();
}

static void
trust_again (const char *path)
{
  if (geteuid () == 0)
    ck_assert_int_eq (chown (path, 0, (gid_t) -1), 0);
  file_set_trusted_owner ((uid_t) -1);
}

START_TEST (fileio_operator_files_trusted_by_owner_and_mode)
{
  /* like sshd's StrictModes: the policy and the files it names, and every
   * directory above them, owned by root (or the caller) and writable only
   * by it; a root-owned sticky directory such as /tmp, which every
   * path below here goes through, is fine */
  cleanup_free char *path = xasprintf ("%s/policy.json", unit_tmpdir);
  cleanup_free char *sub = xasprintf ("%s/sub", unit_tmpdir);
  cleanup_free char *subfile = xasprintf ("%s/sub/p.json", unit_tmpdir);
  cleanup_free char *link = xasprintf ("%s/link.json", unit_tmpdir);
  unsigned me = (unsigned) geteuid (), stranger;
  struct policy *pol = NULL;
  hr_err err = NULL;
  struct stat st;
  char want[512];
  size_t tlen;
  const char *text = policy_embedded_text (&tlen);

  ck_assert_int_eq (stat ("/tmp", &st), 0);
  ck_assert (st.st_uid == 0 && (st.st_mode & S_ISVTX) && strncmp (unit_tmpdir, "/tmp/", 5) == 0);
  unit_write_file ("policy.json", text, 0644);
  ck_assert_msg (policy_load_file (path, &pol, &err) == 0, "%s", err ? err->msg : "");
  policy_free (pol);
  pol = NULL;

  chmod (path, 0666);
  ck_assert_int_lt (policy_load_file (path, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: mode 0666, owner uid %u: refusing a file that group or others may change", path,
            me);
  ck_assert_msg (strstr (err->msg, want), "%s", err->msg);
  hr_error_free (err);
  err = NULL;

  chmod (path, 0644);
  stranger = as_strangers (path);
  ck_assert_int_lt (policy_load_file (path, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: mode 0644, owner uid %u: refusing a file that a user other than root may change",
            path, stranger);
  ck_assert_msg (strstr (err->msg, want), "%s", err->msg);
  hr_error_free (err);
  err = NULL;
  trust_again (path);
  ck_assert_int_eq (policy_load_file (path, &pol, &err), 0);
  policy_free (pol);
  pol = NULL;

  /* a directory group or others may write: refused */
  ck_assert_int_eq (mkdir (sub, 0755), 0);
  unit_write_file ("sub/p.json", text, 0600);
  ck_assert_int_eq (chmod (sub, 0775), 0);
  ck_assert_int_lt (policy_load_file (subfile, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: its directory %s has mode 0775, owner uid %u", subfile, sub, me);
  ck_assert_msg (strstr (err->msg, want), "%s", err->msg);
  hr_error_free (err);
  err = NULL;
  /* a sticky one, too, unless root owns it (as root: given to nobody;
   * otherwise the test's own is not root's) */
  ck_assert_int_eq (chmod (sub, 01777), 0);
  stranger = me;
  if (me == 0)
    stranger = as_strangers (sub);
  ck_assert_int_lt (policy_load_file (subfile, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: its directory %s has mode 1777, owner uid %u", subfile, sub, stranger);
  ck_assert_msg (strstr (err->msg, want), "%s", err->msg);
  hr_error_free (err);
  err = NULL;

  /* a symbolic link is followed: the directories checked are the target's */
  ck_assert_int_eq (symlink (subfile, link), 0);
  ck_assert_int_lt (policy_load_file (link, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: its directory %s has mode 1777, owner uid %u", link, sub, stranger);
  ck_assert_msg (strstr (err->msg, want), "%s", err->msg);
  hr_error_free (err);
  err = NULL;
  trust_again (sub);
  ck_assert_int_eq (chmod (sub, 0755), 0);
  ck_assert_int_eq (policy_load_file (link, &pol, &err), 0);
  policy_free (pol);
  pol = NULL;

  /* a program the policy names (its runtime): the same rules */
  unit_write_file ("sub/runtime", "#!/bin/sh\n", 0775);
  {
    cleanup_free char *rt = xasprintf ("%s/sub/runtime", unit_tmpdir);
    ck_assert_int_lt (file_check_trusted (rt, &err), 0);
    snprintf (want, sizeof want, "%s: mode 0775, owner uid %u", rt, me);
    ck_assert_msg (strstr (err->msg, want), "%s", err->msg);
    hr_error_free (err);
    err = NULL;
    chmod (rt, 0755);
    ck_assert_int_eq (file_check_trusted (rt, &err), 0);
  }

  /* a seccomp profile the policy names: the same rules */
  unit_write_file ("sub/profile.json", "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", 0646);
  {
    cleanup_free char *prof = xasprintf ("%s/sub/profile.json", unit_tmpdir);
    cleanup_free char *display = NULL;
    struct json_value *p = NULL;
    ck_assert_int_lt (sysfilter_profile_load (prof, &p, &display, &err), 0);
    snprintf (want, sizeof want, "%s: mode 0646, owner uid %u", prof, me);
    ck_assert_msg (strstr (err->msg, want), "%s", err->msg);
    hr_error_free (err);
    err = NULL;
    free (display);
    display = NULL;
    chmod (prof, 0644);
    ck_assert_int_eq (sysfilter_profile_load (prof, &p, &display, &err), 0);
    json_free (p);
  }
}
END_TEST

/* The one read loop and the one write loop, through a pipe: everything
 * arrives, the limit holds, a reader that is gone fails the writer. */
START_TEST (fileio_read_and_write_whole)
{
  enum { SIZE = 300000 }; /* more than a pipe holds: short writes and reads */
  cleanup_free char *data = xmalloc (SIZE), *got = NULL;
  hr_err err = NULL;
  size_t len = 0;
  int p[2];
  pid_t pid;

  for (size_t i = 0; i < SIZE; i++)
    data[i] = (char) ('a' + i % 26);
  ck_assert_int_eq (pipe (p), 0);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      int rc;
      close (p[0]);
      rc = file_write_fd (p[1], data, SIZE);
      free (steal_pointer (&data));
      _exit (rc == 0 ? 0 : 1);
    }
  close (p[1]);
  ck_assert_int_eq (file_read_fd (p[0], "pipe", SIZE, &got, &len, &err), 0);
  close (p[0]);
  ck_assert_uint_eq (len, SIZE);
  ck_assert_int_eq (memcmp (got, data, SIZE), 0);
  ck_assert_int_eq (got[len], '\0');
  {
    int status;
    ck_assert_int_eq (waitpid (pid, &status, 0), pid);
    ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  }

  /* one byte over the limit: refused, naming the source and the limit */
  ck_assert_int_eq (pipe (p), 0);
  ck_assert_int_eq (file_write_fd (p[1], data, 4097), 0);
  close (p[1]);
  free (got);
  got = NULL;
  ck_assert_int_lt (file_read_fd (p[0], "pipe", 4096, &got, &len, &err), 0);
  ck_assert_str_eq (err->msg, "pipe: larger than the limit of 4096 bytes");
  hr_error_free (err);
  err = NULL;
  close (p[0]);

  /* nobody reading: the writer fails (EPIPE) instead of looping */
  ck_assert_int_eq (pipe (p), 0);
  close (p[0]);
  signal (SIGPIPE, SIG_IGN);
  ck_assert_int_lt (file_write_fd (p[1], data, 10), 0);
  ck_assert_int_eq (errno, EPIPE);
  close (p[1]);
}
END_TEST

/* A replacement leaves no temporary file behind, and removes those of
 * writers that died between creating and renaming theirs (nobody holds
 * their lock), never one whose writer is alive (holds it). */
START_TEST (fileio_replace_removes_dead_writers_temps)
{
  char dir[] = "/tmp/hr-fileio.XXXXXX";
  cleanup_free char *dead = NULL, *alive = NULL, *got = NULL;
  cleanup_close int dfd = -1, held = -1;
  hr_err err = NULL;
  size_t len = 0;
  struct stat st;

  ck_assert_ptr_nonnull (mkdtemp (dir));
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ck_assert_int_ge (dfd, 0);
  dead = xasprintf ("%s/.entry.hardened-runc.99999.0", dir);
  alive = xasprintf ("%s/.entry.hardened-runc.99998.0", dir);
  ck_assert_int_eq (close (open (dead, O_WRONLY | O_CREAT | O_EXCL, 0600)), 0);
  held = open (alive, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  ck_assert_int_ge (held, 0);
  /* a lock of another open file description: as another writer holds it */
  ck_assert_int_eq (flock (held, LOCK_EX | LOCK_NB), 0);

  ck_assert_int_eq (file_replace_atomic (dfd, "entry", "entry", "new\n", 4, 0600, geteuid (), getegid (), &err), 0);
  ck_assert_int_eq (file_read_regular (dfd, "entry", "entry", 64, &got, &len, &st, &err), 0);
  ck_assert_str_eq (got, "new\n");
  ck_assert_int_lt (stat (dead, &st), 0);
  ck_assert_int_eq (stat (alive, &st), 0);

  ck_assert_int_eq (unlink (alive), 0);
  {
    cleanup_free char *entry = xasprintf ("%s/entry", dir);
    ck_assert_int_eq (unlink (entry), 0);
  }
  /* nothing else is left: the replacement's own temporary file is gone */
  ck_assert_int_eq (rmdir (dir), 0);
}
END_TEST

Suite *
fileio_suite (void)
{
  const TTest *const tests[] = {
    fileio_operator_files_trusted_by_owner_and_mode,
    fileio_read_and_write_whole,
    fileio_replace_removes_dead_writers_temps,
    NULL,
  };
  return unit_suite ("fileio", true, 0, tests);
}
