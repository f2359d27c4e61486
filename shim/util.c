/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void __attribute__ ((noreturn))
oom (void)
{
  static const char msg[] = "hardened-runc: out of memory\n";
  ssize_t r = write (STDERR_FILENO, msg, sizeof msg - 1);
  (void) r;
  abort ();
}

void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
xcalloc (size_t nmemb, size_t size)
{
  void *p = calloc (nmemb ? nmemb : 1, size ? size : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
xrealloc (void *ptr, size_t size)
{
  void *p = realloc (ptr, size ? size : 1);
  if (p == NULL)
    oom ();
  return p;
}

void *
xreallocarray (void *ptr, size_t nmemb, size_t size)
{
  if (size != 0 && nmemb > SIZE_MAX / size)
    oom ();
  return xrealloc (ptr, nmemb * size);
}

char *
xstrdup (const char *s)
{
  return xstrndup (s, strlen (s));
}

char *
xstrndup (const char *s, size_t n)
{
  char *p = xmalloc (n + 1);
  memcpy (p, s, n);
  p[n] = '\0';
  return p;
}

char *
xasprintf (const char *fmt, ...)
{
  va_list ap;
  char *ret = NULL;
  int r;

  va_start (ap, fmt);
  r = vasprintf (&ret, fmt, ap);
  va_end (ap);
  if (r < 0)
    oom ();
  return ret;
}

void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

void
cleanup_fclosep (FILE **f)
{
  if (*f)
    fclose (*f);
}

void
strbuf_append (struct strbuf *sb, const char *data, size_t len)
{
  if (sb->len + len + 1 > sb->cap)
    {
      size_t cap = sb->cap ? sb->cap : 256;
      while (cap < sb->len + len + 1)
        {
          if (cap > SIZE_MAX / 2)
            oom ();
          cap *= 2;
        }
      sb->buf = xrealloc (sb->buf, cap);
      sb->cap = cap;
    }
  memcpy (sb->buf + sb->len, data, len);
  sb->len += len;
  sb->buf[sb->len] = '\0';
}

void
strbuf_appends (struct strbuf *sb, const char *s)
{
  strbuf_append (sb, s, strlen (s));
}

void
strbuf_release (struct strbuf *sb)
{
  free (sb->buf);
  sb->buf = NULL;
  sb->len = sb->cap = 0;
}

bool
parse_u64 (const char *s, size_t len, uint64_t *out)
{
  uint64_t v = 0;

  if (len == 0 || len > 20)
    return false;
  for (size_t i = 0; i < len; i++)
    {
      unsigned d;
      if (s[i] < '0' || s[i] > '9')
        return false;
      d = (unsigned) (s[i] - '0');
      if (v > (UINT64_MAX - d) / 10)
        return false;
      v = v * 10 + d;
    }
  *out = v;
  return true;
}

bool
parse_i64 (const char *s, size_t len, int64_t *out)
{
  uint64_t v;
  bool neg = len > 0 && s[0] == '-';

  if (!parse_u64 (s + neg, len - neg, &v))
    return false;
  if (neg)
    {
      if (v > (uint64_t) INT64_MAX + 1)
        return false;
      *out = v == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) v;
    }
  else
    {
      if (v > INT64_MAX)
        return false;
      *out = (int64_t) v;
    }
  return true;
}

void
format_rfc3339 (char *buf, size_t size)
{
  struct timespec ts;
  struct tm tm;

  clock_gettime (CLOCK_REALTIME, &ts);
  gmtime_r (&ts.tv_sec, &tm);
  snprintf (buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
            tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
}
