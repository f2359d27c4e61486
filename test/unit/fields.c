/* SPDX-License-Identifier: Apache-2.0 */
/* The spec surface table (shim/fields.c) against the field list derived
 * from the runtime-spec schemas (test/spec-fields/fields.txt), and the
 * walk that enforces it. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fields.h"
#include "json.h"
#include "policy.h"
#include "util.h"

Suite *fields_suite (void);

#ifndef FIELDS_LIST
#define FIELDS_LIST "test/spec-fields/fields.txt"
#endif

static char **
read_list (size_t *n)
{
  FILE *f = fopen (FIELDS_LIST, "r");
  char line[512];
  char **out = NULL;

  ck_assert_msg (f != NULL, "cannot open %s (run from the top of the tree)", FIELDS_LIST);
  *n = 0;
  while (fgets (line, sizeof line, f))
    {
      line[strcspn (line, "\n")] = '\0';
      if (line[0] == '\0' || line[0] == '#')
        continue;
      out = xreallocarray (out, *n + 1, sizeof *out);
      out[(*n)++] = xstrdup (line);
    }
  fclose (f);
  return out;
}

START_TEST (fields_every_spec_field_has_a_row)
{
  size_t n = 0, len = 0, missing = 0;
  char **list = read_list (&n);
  const struct field_row *rows = fields_table (&len);

  /* the list is the union over v1.0.2 .. v1.2.1: a short list means a
   * broken derivation, not a small spec */
  ck_assert_uint_ge (n, 200);
  for (size_t i = 0; i < n; i++)
    if (fields_lookup (list[i]) == NULL)
      {
        fprintf (stderr, "spec field without a decision: %s\n", list[i]);
        missing++;
      }
  ck_assert_uint_eq (missing, 0);

  /* no invented rows: each row is a field some covered version defines */
  for (size_t r = 0; r < len; r++)
    {
      bool found = false;
      for (size_t i = 0; i < n && !found; i++)
        found = strcmp (list[i], rows[r].path) == 0;
      ck_assert_msg (found, "row %s is not a field of any covered spec version", rows[r].path);
    }
  ck_assert_uint_eq (len, n);
  for (size_t i = 0; i < n; i++)
    free (list[i]);
  free (list);
}
END_TEST

START_TEST (fields_table_is_sorted_and_says_why)
{
  size_t len = 0;
  const struct field_row *rows = fields_table (&len);

  for (size_t i = 0; i < len; i++)
    {
      ck_assert_msg (rows[i].why && strlen (rows[i].why) > 8, "row %s gives no reason", rows[i].path);
      if (i)
        ck_assert_msg (strcmp (rows[i - 1].path, rows[i].path) < 0, "rows out of order at %s", rows[i].path);
      ck_assert_ptr_eq (fields_lookup (rows[i].path), &rows[i]);
    }
  ck_assert_ptr_null (fields_lookup ("Hooks"));
  ck_assert_ptr_null (fields_lookup ("process.user.uidx"));
}
END_TEST

/* A row that says "rule NAME" names a rule the policy knows, and one that
 * says "control NAME" a control that exists: the table cannot point at
 * nothing. */
START_TEST (fields_rows_name_real_rules_and_controls)
{
  static const char *const controls[] = { "capabilities", "privileges", "mounts", "limits", "rlimits",
                                          "seccomp",      "apparmor",   "selinux", NULL };
  size_t len = 0;
  const struct field_row *rows = fields_table (&len);

  for (size_t i = 0; i < len; i++)
    {
      const char *why = rows[i].why;
      char name[64];
      bool found = false;
      if (sscanf (why, "rule %63[a-z_]", name) == 1)
        {
          for (int r = 0; r < RULE_COUNT && !found; r++)
            found = strcmp (policy_rule_name ((enum rule_id) r), name) == 0;
          ck_assert_msg (found, "row %s names rule %s, which the policy does not know", rows[i].path, name);
        }
      else if (sscanf (why, "control %63[a-z_]", name) == 1)
        {
          for (size_t c = 0; controls[c] && !found; c++)
            found = strcmp (controls[c], name) == 0;
          ck_assert_msg (found, "row %s names control %s, which does not exist", rows[i].path, name);
        }
      else if (rows[i].decision == FIELD_JUDGED)
        ck_assert_msg (rows[i].check != NULL || strncmp (why, "check ", 6) == 0 || strncmp (why, "with ", 5) == 0
                           || strncmp (why, "this module", 11) == 0 || strncmp (why, "its members", 11) == 0,
                       "judged row %s says neither which rule, control or check decides it", rows[i].path);
    }
}
END_TEST

/* Parse TEXT and walk it; returns the walk's result, the message in *MSG. */
static int
walk_text (const char *text, const char *base, int bundle_fd, char **msg)
{
  struct json_limits lim = { .max_depth = 64 };
  struct json_value *v = NULL;
  hr_err err = NULL;
  struct fields_env env = { .source = "config.json", .bundle_fd = bundle_fd };
  int r;

  ck_assert_int_eq (json_parse (text, strlen (text), "config.json", &lim, &v, &err), 0);
  r = fields_check (&env, v, base, &err);
  *msg = err ? xstrdup (err->msg) : NULL;
  ck_assert_int_eq (r < 0, err != NULL);
  /* a refusal, or (for a spelling runc reads differently) an input error */
  if (err)
    ck_assert (err->kind == HR_ERR_REFUSED || err->kind == HR_ERR_INPUT);
  hr_error_free (err);
  json_free (v);
  return r;
}

static void
expect_refused (const char *text, const char *base, const char *needle)
{
  char *msg = NULL;
  ck_assert_int_lt (walk_text (text, base, -1, &msg), 0);
  ck_assert_msg (strstr (msg, needle) != NULL, "[%s] lacks [%s]", msg, needle);
  free (msg);
}

static void
expect_passed (const char *text, const char *base)
{
  char *msg = NULL;
  ck_assert_msg (walk_text (text, base, -1, &msg) == 0, "refused: %s", msg ? msg : "?");
}

START_TEST (fields_walk_spellings)
{
  /* Go's decoder would read each of these as the spec field */
  expect_refused ("{\"HOOKS\":{}}", "", "top level is not spelled \"hooks\"");
  expect_refused ("{\"process\":{\"Capabilities\":{}}}", "", "in process is not spelled \"capabilities\"");
  expect_refused ("{\"mounts\":[{\"Source\":\"/\"}]}", "", "in mounts[] is not spelled \"source\"");
  /* U+212A KELVIN SIGN folds to k: "hoo\u212As" is "hooks" to Go */
  expect_refused ("{\"hoo\xe2\x84\xaas\":{}}", "", "not spelled \"hooks\"");
  /* U+017F LATIN SMALL LETTER LONG S folds to s */
  expect_refused ("{\"linux\":{\"\xc5\xbf" "eccomp\":{}}}", "", "not spelled \"seccomp\"");
  /* exec --process documents are walked from "process" */
  expect_refused ("{\"User\":{\"uid\":0}}", "process", "in process is not spelled \"user\"");
  /* keys no spec version defines are kept, and their contents are not walked */
  expect_passed ("{\"x-custom\":{\"HOOKS\":1},\"process\":{\"vendorThing\":true}}", "");
  /* map keys (annotations, sysctl) are exact in Go: any spelling is a key */
  expect_passed ("{\"annotations\":{\"Hooks\":\"x\"},\"linux\":{\"sysctl\":{\"HOOKS\":\"1\"}}}", "");
  /* null is absent to Go */
  expect_passed ("{\"linux\":{\"intelRdt\":null}}", "");
  /* a key that spells a nested row's path is one (unknown) key, not that
   * row: Go reads linux.seccomp.listenerPath only inside "seccomp" */
  expect_passed ("{\"linux\":{\"seccomp.listenerPath\":\"/x\",\"uidMappings[]\":1}}", "");
  expect_refused ("{\"linux\":{\"seccomp\":{\"listenerPath\":\"/x\"}}}", "", "listenerPath is set");
}
END_TEST

START_TEST (fields_walk_decisions)
{
  expect_refused ("{\"linux\":{\"seccomp\":{\"listenerPath\":\"/run/agent.sock\"}}}", "", "listenerPath is set");
  expect_refused ("{\"mounts\":[{\"destination\":\"/x\",\"uidMappings\":[]}]}", "", "mounts[].uidMappings is set");
  expect_refused ("{\"annotations\":{\"org.systemd.property.DeviceAllow\":\"'char-* rwm'\"}}", "",
                  "read by runc itself");
  expect_refused ("{\"annotations\":{\"org.criu.config\":\"/etc/x\"}}", "", "CRIU");
  expect_passed ("{\"annotations\":{\"org.systemd.propertyX\":\"1\",\"com.example\":\"2\"}}", "");
  expect_refused ("{\"linux\":{\"resources\":{\"unified\":{\"pids.max\":\"max\"}}}}", "", "\"pids.max\"");
  expect_refused ("{\"linux\":{\"resources\":{\"unified\":{\"memory.max\":\"max\"}}}}", "", "\"memory.max\"");
  expect_passed ("{\"linux\":{\"resources\":{\"unified\":{\"cpu.weight\":\"100\",\"io.max\":\"8:0 rbps=1\"}}}}", "");
  /* container id 1000 as host root; a range that starts at host 0 */
  expect_refused ("{\"linux\":{\"uidMappings\":[{\"containerID\":1000,\"hostID\":0,\"size\":1}]}}", "",
                  "maps container id 1000 to host id 0");
  expect_refused ("{\"linux\":{\"gidMappings\":[{\"containerID\":1,\"hostID\":0,\"size\":10}]}}", "",
                  "to host id 0");
  expect_passed ("{\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]}}", "");
  expect_passed ("{\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}]}}", "");
}
END_TEST

START_TEST (fields_rootfs_by_identity)
{
  char dir[] = "/tmp/hr-fields.XXXXXX";
  char *msg = NULL;
  int fd;

  ck_assert_ptr_nonnull (mkdtemp (dir));
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (mkdirat (fd, "rootfs", 0755), 0);
  /* an image of its own: passed */
  ck_assert_int_eq (walk_text ("{\"root\":{\"path\":\"rootfs\"}}", "", fd, &msg), 0);
  /* the host's / by another spelling: a symlink in the bundle, ".." and /proc/self/root */
  ck_assert_int_eq (symlinkat ("/", fd, "sneaky"), 0);
  ck_assert_int_lt (walk_text ("{\"root\":{\"path\":\"sneaky\"}}", "", fd, &msg), 0);
  ck_assert_ptr_nonnull (strstr (msg, "is the host's /;"));
  free (msg);
  ck_assert_int_lt (walk_text ("{\"root\":{\"path\":\"rootfs/../../../../../../..\"}}", "", fd, &msg), 0);
  free (msg);
  ck_assert_int_lt (walk_text ("{\"root\":{\"path\":\"/proc/self/root/etc\"}}", "", fd, &msg), 0);
  ck_assert_ptr_nonnull (strstr (msg, "is the host's /etc"));
  free (msg);
  /* missing: runc says why it cannot start */
  ck_assert_int_eq (walk_text ("{\"root\":{\"path\":\"nonexistent\"}}", "", fd, &msg), 0);
  unlinkat (fd, "sneaky", 0);
  unlinkat (fd, "rootfs", AT_REMOVEDIR);
  close (fd);
  rmdir (dir);
}
END_TEST

Suite *
fields_suite (void)
{
  Suite *s = suite_create ("fields");
  TCase *tc = tcase_create ("fields");

  tcase_add_test (tc, fields_every_spec_field_has_a_row);
  tcase_add_test (tc, fields_table_is_sorted_and_says_why);
  tcase_add_test (tc, fields_rows_name_real_rules_and_controls);
  tcase_add_test (tc, fields_walk_spellings);
  tcase_add_test (tc, fields_walk_decisions);
  tcase_add_test (tc, fields_rootfs_by_identity);
  suite_add_tcase (s, tc);
  return s;
}
