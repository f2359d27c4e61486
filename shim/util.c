/* SPDX-License-Identifier: Apache-2.0 */
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
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
cleanup_dirp (DIR **d)
{
  if (*d)
    {
      int saved = errno;
      closedir (*d);
      errno = saved;
    }
}

void
strbuf_reserve (struct strbuf *sb, size_t cap)
{
  if (cap + 1 > sb->cap)
    {
      sb->buf = xrealloc (sb->buf, cap + 1);
      sb->cap = cap + 1;
      if (sb->len == 0)
        sb->buf[0] = '\0';
    }
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

/* UTC civil date from days since 1970-01-01 (Howard Hinnant's
 * days_from_civil inverse); avoids gmtime_r, which loads the time zone
 * database on every call of a fresh process. */
static void
civil_from_days (int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
  int64_t era, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  yoe = z - era * 146097;
  yoe = (yoe - yoe / 1460 + yoe / 36524 - yoe / 146096) / 365;
  *y = yoe + era * 400;
  doy = (z - era * 146097) - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (unsigned) (doy - (153 * mp + 2) / 5 + 1);
  *m = (unsigned) (mp < 10 ? mp + 3 : mp - 9);
  if (*m <= 2)
    (*y)++;
}

void
format_rfc3339 (char *buf, size_t size)
{
  struct timespec ts;
  int64_t days, secs, y;
  unsigned m, d;

  clock_gettime (CLOCK_REALTIME, &ts);
  days = ts.tv_sec / 86400;
  secs = ts.tv_sec % 86400;
  if (secs < 0)
    {
      secs += 86400;
      days--;
    }
  civil_from_days (days, &y, &m, &d);
  snprintf (buf, size, "%04lld-%02u-%02uT%02u:%02u:%02u.%09ldZ", (long long) y, m, d, (unsigned) (secs / 3600),
            (unsigned) (secs / 60 % 60), (unsigned) (secs % 60), ts.tv_nsec);
}

/* Lexically clean an absolute path: collapse "//", drop "." and trailing
 * "/", resolve ".." without going above "/".  Relative paths are taken as
 * relative to "/", as runc does for mount destinations. */
char *
path_clean (const char *in)
{
  size_t n = strlen (in);
  char *out = xmalloc (n + 2);
  size_t len = 0;
  const char *p = in;

  out[len++] = '/';
  while (*p)
    {
      const char *seg;
      size_t seglen;

      while (*p == '/')
        p++;
      seg = p;
      while (*p && *p != '/')
        p++;
      seglen = (size_t) (p - seg);
      if (seglen == 0 || (seglen == 1 && seg[0] == '.'))
        continue;
      if (seglen == 2 && seg[0] == '.' && seg[1] == '.')
        {
          while (len > 1 && out[len - 1] != '/')
            len--;
          if (len > 1)
            len--;
          continue;
        }
      if (len > 1)
        out[len++] = '/';
      memcpy (out + len, seg, seglen);
      len += seglen;
    }
  out[len] = '\0';
  return out;
}

bool
path_covers (const char *a, const char *b)
{
  size_t la = strlen (a);
  if (strcmp (a, "/") == 0)
    return true;
  return strncmp (a, b, la) == 0 && (b[la] == '\0' || b[la] == '/');
}


uint64_t
str_hash (const char *s)
{
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++)
    h = (h ^ (unsigned char) *s) * 0x100000001b3ull;
  return h;
}

uint64_t
size_suffix (char c)
{
  switch (c)
    {
    case 'k':
    case 'K':
      return 1ull << 10;
    case 'm':
    case 'M':
      return 1ull << 20;
    case 'g':
    case 'G':
      return 1ull << 30;
    case 't':
    case 'T':
      return 1ull << 40;
    case 'p':
    case 'P':
      return 1ull << 50;
    default:
      return 1;
    }
}
