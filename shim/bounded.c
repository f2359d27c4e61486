/* SPDX-License-Identifier: Apache-2.0 */
#include "bounded.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "util.h"

/* In the child: "O" and the profile's text, "N" (no profile), or "E", the
 * error kind as one digit and the message. */
static _Noreturn void
child_run (int fd, bounded_fn fn, void *arg)
{
  struct json_value *out = NULL;
  hr_err err = NULL;
  char *text = NULL;
  size_t len = 0;

  if (fn (arg, &out, &err) < 0 || (out && json_generate (out, &text, &len, &err) < 0))
    {
      char head[2] = { 'E', (char) ('0' + (err ? err->kind : HR_ERR_INTERNAL)) };
      const char *msg = err ? err->msg : "failed without a message";
      (void) file_write_fd (fd, head, 2);
      (void) file_write_fd (fd, msg, strlen (msg));
    }
  else if (out)
    {
      (void) file_write_fd (fd, "O", 1);
      (void) file_write_fd (fd, text, len);
    }
  else
    (void) file_write_fd (fd, "N", 1);
  _exit (0);
}

static int64_t
monotonic_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

enum collected
{
  COLLECTED,   /* the child closed its end */
  TIMED_OUT,   /* the deadline passed first */
  READ_FAILED, /* errno says why */
};

/* Read what the child sends on RFD into SB until it closes its end or
 * DEADLINE (monotonic_ms) passes. */
static enum collected
collect (int rfd, int64_t deadline, struct strbuf *sb)
{
  for (;;)
    {
      struct pollfd pfd = { .fd = rfd, .events = POLLIN };
      int64_t left = deadline - monotonic_ms ();
      ssize_t r;
      int n;

      if (left <= 0)
        return TIMED_OUT;
      n = poll (&pfd, 1, (int) left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return READ_FAILED;
      if (n == 0)
        continue; /* the deadline is checked above */
      if (sb->cap < sb->len + 65537)
        strbuf_reserve (sb, sb->len * 2 + 65536);
      r = read (rfd, sb->buf + sb->len, 65536);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return READ_FAILED;
      if (r == 0)
        return COLLECTED;
      sb->len += (size_t) r;
    }
}

/* The child's answer SB (it ended with STATUS): 0 and *OUT, or the error. */
static int
answer (const struct bounded_work *work, const struct strbuf *sb, int status, struct json_value **out, hr_err *err)
{
  static const struct json_limits limits = { .max_depth = 16 };

  if (sb->len == 0 || (sb->buf[0] == 'E' && sb->len < 2))
    {
      if (WIFSIGNALED (status))
        return hr_error_set (err, HR_ERR_INTERNAL, 0, "%s: %s died of signal %d", work->what, work->worker,
                             WTERMSIG (status));
      return hr_error_set (err, HR_ERR_INTERNAL, 0, "%s: %s exited without an answer", work->what, work->worker);
    }
  if (sb->buf[0] == 'E')
    {
      int kind = sb->buf[1] - '0';
      if (kind < HR_ERR_INTERNAL || kind > HR_ERR_FORBIDDEN)
        kind = HR_ERR_INTERNAL;
      return hr_error_set (err, (enum hr_error_kind) kind, 0, "%.*s", (int) (sb->len - 2), sb->buf + 2);
    }
  if (sb->buf[0] == 'N' && sb->len == 1)
    return 0;
  if (sb->buf[0] == 'O' && out && json_parse (sb->buf + 1, sb->len - 1, work->what, &limits, out, err) == 0)
    return 0;
  return hr_error_set (err, HR_ERR_INTERNAL, 0, "%s: %s sent a malformed answer", work->what, work->worker);
}

int
bounded_run (const struct bounded_work *work, bounded_fn fn, void *arg, struct json_value **out, hr_err *err)
{
  cleanup_close int rfd = -1;
  struct strbuf sb = { 0 };
  int fds[2], status = 0, ret = -1;
  int64_t deadline = monotonic_ms () + (int64_t) work->seconds * 1000;
  enum collected got;
  pid_t pid, parent;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot create a pipe", work->what);
  rfd = fds[0];
  parent = getpid ();
  {
    /* the parent's copy of the write end is closed when this block ends,
     * so the child's exit is seen as the end of its answer */
    cleanup_close int wfd = fds[1];
    pid = fork ();
    if (pid < 0)
      return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot fork", work->what);
    if (pid == 0)
      {
        /* never outlives its deadline, even when the shim itself is
         * killed (an engine's own timeout): no orphan spinning at full
         * CPU */
        signal (SIGALRM, SIG_DFL);
        alarm ((unsigned) work->seconds + 1);
        prctl (PR_SET_PDEATHSIG, SIGKILL);
        if (getppid () != parent)
          _exit (1);
        close (rfd);
        child_run (wfd, fn, arg);
      }
  }
  got = collect (rfd, deadline, &sb);
  if (got != COLLECTED)
    kill (pid, SIGKILL);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (got == TIMED_OUT)
    hr_error_set (err, HR_ERR_REFUSED, 0, "%s", work->timeout_msg);
  else if (got == READ_FAILED)
    hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot read the answer of %s", work->what, work->worker);
  else
    ret = answer (work, &sb, status, out, err);
  strbuf_release (&sb);
  return ret;
}
