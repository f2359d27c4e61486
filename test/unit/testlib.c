/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers the unit test files share (unit.h). */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

const struct json_limits unit_limits = { .max_depth = 64 };
char unit_tmpdir[64];

int
unit_strcmp_ptr (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

struct json_value *
unit_parse_ok (const char *text)
{
  struct json_value *v = NULL;
  hr_err err = NULL;
  int r = json_parse (text, strlen (text), "t.json", &unit_limits, &v, &err);
  ck_assert_msg (r == 0, "parse failed: %s", err ? err->msg : "?");
  return v;
}

char *
unit_gen (const struct json_value *v)
{
  char *out = NULL;
  size_t len;
  hr_err err = NULL;
  ck_assert_int_eq (json_generate (v, &out, &len, &err), 0);
  ck_assert_uint_eq (strlen (out), len);
  return out;
}

void
unit_tmp_setup (void)
{
  strcpy (unit_tmpdir, "/tmp/hr-unit.XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (unit_tmpdir));
}

void
unit_tmp_teardown (void)
{
  cleanup_free char *cmd = xasprintf ("rm -rf '%s'", unit_tmpdir);
  ck_assert_int_eq (system (cmd), 0);
}

void
unit_write_file (const char *name, const char *text, mode_t mode)
{
  cleanup_free char *p = xasprintf ("%s/%s", unit_tmpdir, name);
  int fd = open (p, O_WRONLY | O_CREAT | O_TRUNC, mode);
  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (write (fd, text, strlen (text)), (ssize_t) strlen (text));
  close (fd);
  chmod (p, mode);
}

void
unit_put_file (const char *path, const char *content)
{
  FILE *f = fopen (path, "w");
  ck_assert_ptr_nonnull (f);
  fputs (content, f);
  fclose (f);
}

int
unit_touch (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  close (fd);
  return 0;
}

const char *
unit_path_in (char *buf, const char *dir, const char *rest)
{
  snprintf (buf, PATH_MAX, "%s%s", dir, rest);
  return buf;
}

Suite *
unit_suite (const char *name, bool tmpdir, int timeout, const TTest *const *tests)
{
  Suite *s = suite_create (name);
  TCase *tc = tcase_create (name);

  if (tmpdir)
    tcase_add_checked_fixture (tc, unit_tmp_setup, unit_tmp_teardown);
  if (timeout > 0)
    tcase_set_timeout (tc, timeout);
  for (; *tests; tests++)
    tcase_add_test (tc, *tests);
  suite_add_tcase (s, tc);
  return s;
}
