/* SPDX-License-Identifier: Apache-2.0 */
#include "error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int
hr_error_set (hr_err *err, enum hr_error_kind kind, int errnum, const char *fmt, ...)
{
  cleanup_free char *msg = NULL;
  va_list ap;
  struct hr_error *e;

  if (err == NULL || *err != NULL)
    return -1;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  va_end (ap);
  if (msg == NULL)
    msg = xstrdup ("(error message lost: out of memory)");

  e = xcalloc (1, sizeof *e);
  e->kind = kind;
  e->errnum = errnum;
  e->msg = errnum ? xasprintf ("%s: %s", msg, strerror (errnum)) : steal_pointer (&msg);
  *err = e;
  return -1;
}

int
hr_error_prefix (hr_err *err, const char *fmt, ...)
{
  cleanup_free char *prefix = NULL;
  va_list ap;
  char *msg;

  if (err == NULL || *err == NULL)
    return -1;
  va_start (ap, fmt);
  if (vasprintf (&prefix, fmt, ap) < 0)
    prefix = NULL;
  va_end (ap);
  if (prefix == NULL)
    return -1;
  msg = xasprintf ("%s: %s", prefix, (*err)->msg);
  free ((*err)->msg);
  (*err)->msg = msg;
  return -1;
}

void
hr_error_free (hr_err err)
{
  if (err == NULL)
    return;
  free (err->msg);
  free (err);
}

void
hr_error_clear (hr_err *err)
{
  hr_error_free (*err);
  *err = NULL;
}

void
cleanup_hr_errorp (hr_err *err)
{
  hr_error_clear (err);
}
