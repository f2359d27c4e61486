/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON tree: text kept, errors named by line and column, limits, the
 * arena. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include "fileio.h"
#include "json.h"
#include "unit.h"
#include "util.h"

static char *
parse_err (const char *text, size_t depth)
{
  struct json_value *v = NULL;
  hr_err err = NULL;
  struct json_limits l = { .max_depth = depth };
  char *msg;
  ck_assert_int_lt (json_parse (text, strlen (text), "t.json", &l, &v, &err), 0);
  ck_assert_ptr_null (v);
  ck_assert_ptr_nonnull (err);
  msg = xstrdup (err->msg);
  hr_error_free (err);
  return msg;
}

START_TEST (json_round_trip_keeps_text)
{
  const char *in = "{\"z\":1,\"a\":[18446744073709551615,-1,9223372036854775807,1e400,-0,1.50],"
                   "\"s\":\"q\\\"b\\\\n\\n\\u0000\\u00e9\\ud83d\\ude00 h\xc3\xa9\",\"t\":true,\"n\":null,\"o\":{}}";
  cleanup_json struct json_value *v = unit_parse_ok (in);
  cleanup_free char *out = unit_gen (v);
  cleanup_json struct json_value *again = unit_parse_ok (out);

  /* numbers keep their text, keys their order */
  ck_assert_ptr_nonnull (strstr (out, "[18446744073709551615,-1,9223372036854775807,1e400,-0,1.50]"));
  ck_assert_ptr_eq (strstr (out, "{\"z\":1,\"a\""), out);
  ck_assert (json_equal (v, again));
  {
    const struct json_value *s = json_object_get (v, "s");
    static const char want[] = "q\"b\\n\n\0\xc3\xa9\xf0\x9f\x98\x80 h\xc3\xa9";
    ck_assert_uint_eq (s->u.str.len, sizeof want - 1);
    ck_assert_mem_eq (s->u.str.s, want, sizeof want - 1);
  }
}
END_TEST

/* The shim allocates trees from an arena (json_use_arena): the same
 * operations give the same document as the heap, across many blocks and
 * in-place growth, and nothing it hands out overlaps. */
static char *
arena_workout (void)
{
  cleanup_free char *text = NULL;
  size_t len = 0;
  hr_err err = NULL;
  cleanup_json struct json_value *v = NULL, *copy = NULL;
  struct json_value *big, *env;

  ck_assert_int_eq (file_read_regular (AT_FDCWD, "test/fixtures/docker/default.json", "default.json", 1 << 20, &text,
                                       &len, NULL, &err),
                    0);
  ck_assert_int_eq (json_parse (text, len, "default.json", &unit_limits, &v, &err), 0);
  copy = json_clone (v);
  env = json_object_get (json_object_get (copy, "process"), "env");
  ck_assert_ptr_nonnull (env);
  json_array_remove (env, 0);
  json_array_insert (env, 0, json_new_string ("FIRST=1"));
  json_object_set (copy, "process", json_new_i64 (-42));
  json_object_remove (copy, "hostname");
  big = json_new (JSON_ARRAY);
  for (int i = 0; i < 70000; i++)
    {
      struct json_value *o = json_new (JSON_OBJECT);
      json_object_set (o, "i", json_new_u64 ((uint64_t) i));
      json_object_set (o, "s", json_new_string (i % 2 ? "odd" : "even"));
      json_array_append (big, o);
    }
  json_object_set (copy, "big", big);
  json_object_set (v, "copy", steal_pointer (&copy));
  return unit_gen (v);
}

START_TEST (json_arena_matches_heap)
{
  cleanup_free char *heap = arena_workout ();
  int status;
  pid_t pid;

  ck_assert_uint_gt (strlen (heap), 1500000);
  /* the arena stays on for the rest of a process: it gets a process of
   * its own, so the tests after this one (one process under make
   * valgrind) still allocate from the heap, where a leak shows */
  fflush (NULL);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      char *arena;
      int same;
      json_use_arena ();
      arena = arena_workout ();
      same = strcmp (arena, heap) == 0;
      free (arena);
      free (steal_pointer (&heap));
      _exit (same ? 0 : 1);
    }
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert_msg (WIFEXITED (status) && WEXITSTATUS (status) == 0,
                 "the arena's document is not the heap's (or valgrind found errors in the arena's process)");
}
END_TEST

START_TEST (json_errors_name_line_and_column)
{
  cleanup_free char *a = parse_err ("{\n  \"a\": [1, 2,\n", 64);
  cleanup_free char *b = parse_err ("", 64);
  cleanup_free char *c = parse_err ("{\"a\":1} x", 64);
  cleanup_free char *d = parse_err ("{\"a\":\"\xff\"}", 64);
  cleanup_free char *e = parse_err ("{\n \"k\": 1,\n \"k\": 2}", 64);
  cleanup_free char *f = parse_err ("{\"a\": tru}", 64);

  ck_assert_str_eq (a, "t.json:3:1: premature EOF");
  ck_assert_str_eq (b, "t.json:1:1: empty file");
  ck_assert_ptr_nonnull (strstr (c, "t.json:1:"));
  ck_assert_ptr_nonnull (strstr (c, "trailing garbage"));
  ck_assert_ptr_nonnull (strstr (d, "invalid bytes in UTF8 string"));
  ck_assert_str_eq (e, "t.json:3:2: duplicate key \"k\"");
  ck_assert_ptr_nonnull (strstr (f, "t.json:1:"));
}
END_TEST

START_TEST (json_duplicate_in_large_object)
{
  struct strbuf sb = { 0 };
  cleanup_free char *msg = NULL;
  strbuf_appends (&sb, "{");
  for (int i = 0; i < 1000; i++)
    {
      char k[32];
      snprintf (k, sizeof k, "%s\"k%d\":%d", i ? "," : "", i, i);
      strbuf_appends (&sb, k);
    }
  strbuf_appends (&sb, ",\"k7\":0}");
  msg = parse_err (sb.buf, 64);
  ck_assert_ptr_nonnull (strstr (msg, "duplicate key \"k7\""));
  strbuf_release (&sb);
}
END_TEST

START_TEST (json_depth_limit)
{
  char ok[2 * 8 + 1], deep[2 * 9 + 1];
  cleanup_free char *msg = NULL;
  memset (ok, '[', 8);
  memset (ok + 8, ']', 8);
  ok[16] = '\0';
  memset (deep, '[', 9);
  memset (deep + 9, ']', 9);
  deep[18] = '\0';
  {
    struct json_value *v = NULL;
    hr_err err = NULL;
    struct json_limits l = { .max_depth = 8 };
    ck_assert_int_eq (json_parse (ok, strlen (ok), "t.json", &l, &v, &err), 0);
    json_free (v);
  }
  msg = parse_err (deep, 8);
  ck_assert_str_eq (msg, "t.json:1:9: nested deeper than 8 levels");
}
END_TEST

START_TEST (json_builders)
{
  cleanup_json struct json_value *v = unit_parse_ok ("{\"a\":1,\"b\":2,\"c\":[1,2,3]}");
  cleanup_free char *out = NULL;
  json_object_set (v, "a", json_new_string ("x"));
  json_object_set (v, "d", json_new_bool (true));
  ck_assert (json_object_remove (v, "b"));
  ck_assert (!json_object_remove (v, "b"));
  json_array_insert (json_object_get (v, "c"), 1, json_new_i64 (-5));
  json_array_remove (json_object_get (v, "c"), 0);
  out = unit_gen (v);
  ck_assert_str_eq (out, "{\"a\":\"x\",\"c\":[-5,2,3],\"d\":true}");
}
END_TEST

START_TEST (json_go_folding)
{
  ck_assert (json_key_folds_to ("Process", 7, "process"));
  ck_assert (json_key_folds_to ("PROCESS", 7, "process"));
  ck_assert (json_key_folds_to ("\xc5\xbf" "eccomp", 8, "seccomp"));   /* U+017F */
  ck_assert (json_key_folds_to ("\xe2\x84\xaa" "ill", 6, "kill"));     /* U+212A */
  ck_assert (!json_key_folds_to ("processx", 8, "process"));
  ck_assert (!json_key_folds_to ("proces", 6, "process"));
}
END_TEST

/* ---------------------------------------------------------------- cli */

Suite *
json_suite (void)
{
  const TTest *const tests[] = {
    json_round_trip_keeps_text,
    json_arena_matches_heap,
    json_errors_name_line_and_column,
    json_duplicate_in_large_object,
    json_depth_limit,
    json_builders,
    json_go_folding,
    NULL,
  };
  /* the arena test builds 1.5 MB documents twice, slow under the
   * sanitizers on a loaded machine: a deadline against hangs, not a speed
   * check */
  return unit_suite ("json", false, 60, tests);
}
