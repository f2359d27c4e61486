/* SPDX-License-Identifier: Apache-2.0 */
/* config.json: unsafe files refused, the atomic save, typed access. */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "json.h"
#include "spec.h"
#include "unit.h"
#include "util.h"

static size_t
count_temp_files (void)
{
  cleanup_free char *cmd = xasprintf ("ls -A '%s' | grep -c '^\\.config\\.json' > '%s.count'", unit_tmpdir, unit_tmpdir);
  cleanup_free char *path = xasprintf ("%s.count", unit_tmpdir);
  cleanup_free char *buf = NULL;
  size_t len;
  hr_err err = NULL;
  if (system (cmd) < 0)
    return 999;
  ck_assert_int_eq (file_read_regular (AT_FDCWD, path, path, 100, &buf, &len, NULL, &err), 0);
  unlink (path);
  return (size_t) atoi (buf);
}

START_TEST (spec_refuses_unsafe_files)
{
  cleanup_free char *link = xasprintf ("%s/config.json", unit_tmpdir);
  cleanup_free char *big = xasprintf ("%s/big/config.json", unit_tmpdir);
  cleanup_free char *bigdir = xasprintf ("%s/big", unit_tmpdir);
  struct spec *s = NULL;
  hr_err err = NULL;
  int fd;

  unit_write_file ("real.json", "{}", 0644);
  ck_assert_int_eq (symlink ("real.json", link), 0);
  ck_assert_int_lt (spec_load (unit_tmpdir, &s, &err), 0);
  ck_assert_ptr_nonnull (strstr (err->msg, "is a symbolic link"));
  hr_error_free (err);
  err = NULL;

  ck_assert_int_eq (mkdir (bigdir, 0755), 0);
  fd = open (big, O_WRONLY | O_CREAT, 0644);
  ck_assert_int_eq (ftruncate (fd, (off_t) SPEC_MAX_BYTES + 1), 0);
  close (fd);
  ck_assert_int_lt (spec_load (bigdir, &s, &err), 0);
  ck_assert_ptr_nonnull (strstr (err->msg, "larger than the limit of 67108864 bytes"));
  hr_error_free (err);
  err = NULL;

  unlink (big);
  ck_assert_int_eq (mkdir (big, 0755), 0);
  ck_assert_int_lt (spec_load (bigdir, &s, &err), 0);
  ck_assert_ptr_nonnull (strstr (err->msg, "not a regular file"));
  hr_error_free (err);
}
END_TEST

START_TEST (spec_save_is_atomic_and_strict)
{
  cleanup_free char *path = xasprintf ("%s/config.json", unit_tmpdir);
  struct spec *s = NULL;
  hr_err err = NULL;
  struct stat st;
  cleanup_free char *buf = NULL;
  size_t len;

  /* the rewrite is root's (as root here: the original is given to
   * another user first; test/integration/runc.sh checks it under a real
   * runc), mode 0600 or the original, whichever is stricter */
  static const mode_t modes[][2] = { { 0644, 0600 }, { 0640, 0600 }, { 0666, 0600 }, { 0400, 0400 }, { 04755, 0600 } };
  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
    {
      unit_write_file ("config.json", "{}", modes[i][0]);
      if (geteuid () == 0)
        ck_assert_int_eq (chown (path, 1000, 1000), 0);
      ck_assert_int_eq (spec_load (unit_tmpdir, &s, &err), 0);
      json_object_set (s->root, "y", json_new_bool (true));
      ck_assert_int_eq (spec_save (s, &err), 0);
      ck_assert_int_eq (stat (path, &st), 0);
      ck_assert_uint_eq (st.st_mode & 07777, modes[i][1]);
      ck_assert_uint_eq (st.st_uid, geteuid () == 0 ? 0 : geteuid ());
      ck_assert_uint_eq (st.st_gid, geteuid () == 0 ? 0 : getegid ());
      spec_free (s);
      s = NULL;
      unlink (path);
    }
  unit_write_file ("config.json", "{\"process\": {\"args\": [\"sh\"]}, \"x\": 18446744073709551615}", 0640);
  ck_assert_int_eq (spec_load (unit_tmpdir, &s, &err), 0);
  json_object_set (s->root, "y", json_new_bool (true));
  ck_assert_int_eq (spec_save (s, &err), 0);
  ck_assert_int_eq (stat (path, &st), 0);
  ck_assert_uint_eq (st.st_mode & 07777, 0600);
  ck_assert_uint_eq (count_temp_files (), 0);
  ck_assert_int_eq (file_read_regular (AT_FDCWD, path, path, 1000, &buf, &len, NULL, &err), 0);
  ck_assert_str_eq (buf, "{\"process\":{\"args\":[\"sh\"]},\"x\":18446744073709551615,\"y\":true}");

  /* a rename that cannot happen: config.json replaced by a non-empty
   * directory after loading; nothing is left behind */
  ck_assert_int_eq (unlink (path), 0);
  ck_assert_int_eq (mkdir (path, 0755), 0);
  unit_write_file ("config.json/keep", "x", 0644);
  ck_assert_int_lt (spec_save (s, &err), 0);
  ck_assert_ptr_nonnull (strstr (err->msg, "cannot rename the new contents into place"));
  ck_assert_uint_eq (count_temp_files (), 0);
  hr_error_free (err);
  spec_free (s);
}
END_TEST

START_TEST (spec_typed_access)
{
  struct spec *s = NULL;
  hr_err err = NULL;
  struct json_value *v = NULL;
  const char *text = "{\"process\": {\"user\": null, \"args\": 7, \"Cwd\": \"/\"}}";

  ck_assert_int_eq (spec_load_buffer (text, strlen (text), "c.json", &s, &err), 0);
  {
    struct json_value *proc = json_object_get (s->root, "process");
    ck_assert_int_eq (spec_get ("c.json", proc, "process", "user", SPEC_OBJECT, &v, &err), 0);
    ck_assert_ptr_null (v); /* null is absent, as in Go */
    ck_assert_int_lt (spec_get ("c.json", proc, "process", "args", SPEC_ARRAY, &v, &err), 0);
    ck_assert_str_eq (err->msg, "c.json:1:36: process.args: expected an array, found a number");
    hr_error_free (err);
    err = NULL;
    ck_assert_int_lt (spec_get ("c.json", proc, "process", "cwd", SPEC_STRING, &v, &err), 0);
    ck_assert_ptr_nonnull (strstr (err->msg, "key \"Cwd\" in process is not spelled \"cwd\""));
    hr_error_free (err);
  }
  spec_free (s);
}
END_TEST

Suite *
spec_suite (void)
{
  const TTest *const tests[] = {
    spec_refuses_unsafe_files,
    spec_save_is_atomic_and_strict,
    spec_typed_access,
    NULL,
  };
  return unit_suite ("spec", true, 0, tests);
}
