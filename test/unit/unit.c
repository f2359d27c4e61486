/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests (check): the JSON tree, runc's command line, the policy
 * validator, file I/O and helpers.  No root needed; writes only below a
 * mkdtemp directory. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "cli.h"
#include "cli_tests.h"
#include "digest.h"
#include "fileio.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "harden.h"
#include "controls.h"
#include "lsm.h"
#include "metrics.h"
#include "report.h"
#include "sysfilter_profile.h"
#include "util.h"

static const struct json_limits limits = { .max_depth = 64 };

static int
strcmp_ptr (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static struct json_value *
parse_ok (const char *text)
{
  struct json_value *v = NULL;
  hr_err err = NULL;
  int r = json_parse (text, strlen (text), "t.json", &limits, &v, &err);
  ck_assert_msg (r == 0, "parse failed: %s", err ? err->msg : "?");
  return v;
}

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

static char *
gen (const struct json_value *v)
{
  char *out = NULL;
  size_t len;
  hr_err err = NULL;
  ck_assert_int_eq (json_generate (v, &out, &len, &err), 0);
  ck_assert_uint_eq (strlen (out), len);
  return out;
}

/* ---------------------------------------------------------------- json */

START_TEST (json_round_trip_keeps_text)
{
  const char *in = "{\"z\":1,\"a\":[18446744073709551615,-1,9223372036854775807,1e400,-0,1.50],"
                   "\"s\":\"q\\\"b\\\\n\\n\\u0000\\u00e9\\ud83d\\ude00 h\xc3\xa9\",\"t\":true,\"n\":null,\"o\":{}}";
  cleanup_json struct json_value *v = parse_ok (in);
  cleanup_free char *out = gen (v);
  cleanup_json struct json_value *again = parse_ok (out);

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
  ck_assert_int_eq (json_parse (text, len, "default.json", &limits, &v, &err), 0);
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
  return gen (v);
}

START_TEST (json_arena_matches_heap)
{
  cleanup_free char *heap = arena_workout ();
  char *arena;

  json_use_arena ();
  arena = arena_workout ();
  ck_assert_uint_gt (strlen (heap), 1500000);
  ck_assert_str_eq (arena, heap);
  free (arena);
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
  cleanup_json struct json_value *v = parse_ok ("{\"a\":1,\"b\":2,\"c\":[1,2,3]}");
  cleanup_free char *out = NULL;
  json_object_set (v, "a", json_new_string ("x"));
  json_object_set (v, "d", json_new_bool (true));
  ck_assert (json_object_remove (v, "b"));
  ck_assert (!json_object_remove (v, "b"));
  json_array_insert (json_object_get (v, "c"), 1, json_new_i64 (-5));
  json_array_remove (json_object_get (v, "c"), 0);
  out = gen (v);
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

static struct runc_cli
cli_of (char **argv, int *rc, char **msg)
{
  struct runc_cli cli;
  hr_err err = NULL;
  int argc = 0;
  while (argv[argc])
    argc++;
  *rc = cli_parse (argc, argv, &cli, &err);
  *msg = err ? xstrdup (err->msg) : NULL;
  hr_error_free (err);
  return cli;
}

static void
assert_argv (const struct runc_cli *cli, const char *const *want)
{
  size_t n = 0;
  while (want[n])
    n++;
  ck_assert_uint_eq (cli->argc, n + 1);
  for (size_t i = 0; i < n; i++)
    ck_assert_str_eq (cli->argv[i + 1], want[i]);
  ck_assert_ptr_null (cli->argv[cli->argc]);
}

START_TEST (cli_dockerd_create)
{
  char *argv[] = { "hr", "--profile", "restricted", "--policy=/p.json", "--root", "/var/run/docker/runtime-runc/moby",
                   "--log", "/b/log.json", "--log-format", "json", "create", "--bundle", "/b", "--pid-file",
                   "/b/init.pid", "abc", NULL };
  int rc;
  char *msg;
  struct runc_cli cli = cli_of (argv, &rc, &msg);
  static const char *const want[] = { "--root", "/var/run/docker/runtime-runc/moby", "--log", "/b/log.json",
                                      "--log-format", "json", "create", "--bundle", "/b", "--pid-file",
                                      "/b/init.pid", "abc", NULL };
  ck_assert_int_eq (rc, 0);
  ck_assert_int_eq (cli.command, CLI_CREATE);
  ck_assert_str_eq (cli.profile, "restricted");
  ck_assert_str_eq (cli.policy_path, "/p.json");
  ck_assert_str_eq (cli.log_path, "/b/log.json");
  ck_assert_str_eq (cli.log_format, "json");
  ck_assert_str_eq (cli.bundle, "/b");
  ck_assert_str_eq (cli.container_id, "abc");
  assert_argv (&cli, want);
  cli_release (&cli);
}
END_TEST

START_TEST (cli_bundle_forms)
{
  char *a1[] = { "hr", "create", "-b", "/x", "id", NULL };
  char *a2[] = { "hr", "create", "--bundle=/y", "id", NULL };
  char *a3[] = { "hr", "-root=/r", "create", "id", "--bundle", "/z", NULL }; /* after the id: reordered */
  char *a4[] = { "hr", "run", "-d", "--keep", "id", NULL };
  char *a5[] = { "hr", "create", "--", "-id", NULL };
  int rc;
  char *msg;
  struct runc_cli c;

  c = cli_of (a1, &rc, &msg);
  ck_assert_int_eq (rc, 0);
  ck_assert_str_eq (c.bundle, "/x");
  cli_release (&c);
  c = cli_of (a2, &rc, &msg);
  ck_assert_str_eq (c.bundle, "/y");
  cli_release (&c);
  c = cli_of (a3, &rc, &msg);
  ck_assert_int_eq (rc, 0);
  ck_assert_str_eq (c.bundle, "/z");
  ck_assert_str_eq (c.container_id, "id");
  cli_release (&c);
  c = cli_of (a4, &rc, &msg);
  ck_assert_int_eq (c.command, CLI_RUN);
  ck_assert_ptr_null (c.bundle);
  cli_release (&c);
  c = cli_of (a5, &rc, &msg);
  ck_assert_int_eq (rc, 0);
  ck_assert_str_eq (c.container_id, "-id");
  cli_release (&c);
}
END_TEST

START_TEST (cli_refusals)
{
  char *a1[] = { "hr", "create", "--no-such", "id", NULL };
  char *a2[] = { "hr", "--new-global", "x", "create", "id", NULL };
  char *a3[] = { "hr", "create", "a", "b", NULL };
  char *a4[] = { "hr", "--log", "/l", "create", "--bundle", NULL };
  int rc;
  char *msg;
  struct runc_cli c;

  c = cli_of (a1, &rc, &msg);
  ck_assert_int_lt (rc, 0);
  ck_assert_str_eq (msg, "unknown option \"--no-such\" for \"create\"; refusing rather than guessing what it means");
  free (msg);
  cli_release (&c);
  c = cli_of (a2, &rc, &msg);
  ck_assert_int_lt (rc, 0);
  ck_assert_ptr_nonnull (strstr (msg, "unknown runc global option \"--new-global\""));
  free (msg);
  cli_release (&c);
  c = cli_of (a3, &rc, &msg);
  ck_assert_str_eq (msg, "\"create\" needs exactly one container id, got 2");
  free (msg);
  cli_release (&c);
  c = cli_of (a4, &rc, &msg);
  ck_assert_int_lt (rc, 0);
  ck_assert_str_eq (c.log_path, "/l"); /* still known, to report there */
  free (msg);
  cli_release (&c);
}
END_TEST

START_TEST (cli_restore_is_judged)
{
  /* urfave/cli reorders: options after the id still count (a boolean
   * just before the id would take the id along: test/unit/cli.c) */
  char *a1[] = { "hr", "restore", "--image-path", "/ck", "id", "--tcp-established", "-b", "/b", "--lsm-profile",
                 "apparmor:x", NULL };
  char *a2[] = { "hr", "restore", "--made-up", "id", NULL };
  char *a3[] = { "hr", "checkpoint", "--image-path", "/ck", "id", NULL };
  int rc;
  char *msg;
  struct runc_cli c;

  c = cli_of (a1, &rc, &msg);
  ck_assert_int_eq (rc, 0);
  ck_assert_int_eq (c.command, CLI_RESTORE);
  ck_assert_str_eq (c.bundle, "/b");
  ck_assert_str_eq (c.container_id, "id");
  ck_assert_str_eq (cli_find (&c, "lsm-profile")->value, "apparmor:x");
  cli_release (&c);
  c = cli_of (a2, &rc, &msg);
  ck_assert_int_ne (rc, 0);
  ck_assert_ptr_nonnull (strstr (msg, "unknown option \"--made-up\" for \"restore\""));
  free (msg);
  cli_release (&c);
  c = cli_of (a3, &rc, &msg);
  ck_assert_int_eq (c.command, CLI_PASSTHROUGH);
  cli_release (&c);
}
END_TEST

START_TEST (cli_passthrough_and_exec)
{
  char *a1[] = { "hr", "--root", "/r", "delete", "--force", "id", NULL };
  char *a2[] = { "hr", "exec", "--process", "/tmp/p.json", "--detach", "id", NULL };
  char *a3[] = { "hr", "exec", "-c", "CAP_SYS_ADMIN", "id", "sh", "-c", "--cap", NULL };
  char *a4[] = { "hr", "update", "--pids-limit=-1", "id", NULL };
  static const char *const w1[] = { "--root", "/r", "delete", "--force", "id", NULL };
  int rc;
  char *msg;
  struct runc_cli c;

  c = cli_of (a1, &rc, &msg);
  ck_assert_int_eq (c.command, CLI_PASSTHROUGH);
  assert_argv (&c, w1);
  cli_release (&c);
  c = cli_of (a2, &rc, &msg);
  ck_assert_int_eq (c.command, CLI_EXEC);
  ck_assert_str_eq (cli_find (&c, "process")->value, "/tmp/p.json");
  ck_assert_str_eq (c.container_id, "id");
  cli_release (&c);
  c = cli_of (a3, &rc, &msg);
  ck_assert_int_eq (rc, 0);
  ck_assert_str_eq (cli_find (&c, "cap")->value, "CAP_SYS_ADMIN");
  ck_assert_uint_eq (c.n_options, 1); /* "--cap" after the id belongs to the command */
  cli_remove (&c, "cap");
  cli_set_bool (&c, "no-new-privs", true);
  cli_build_argv (&c);
  {
    static const char *const w[] = { "exec", "--no-new-privs", "--", "id", "sh", "-c", "--cap", NULL };
    assert_argv (&c, w);
  }
  cli_release (&c);
  c = cli_of (a4, &rc, &msg);
  ck_assert_int_eq (c.command, CLI_UPDATE);
  cli_set (&c, "pids-limit", "4096");
  cli_build_argv (&c);
  ck_assert_str_eq (c.argv[2], "--pids-limit=4096");
  cli_release (&c);
}
END_TEST

/* ---------------------------------------------------------------- policy */

static char *
policy_err (const char *text)
{
  struct policy *p = NULL;
  hr_err err = NULL;
  char *msg;
  ck_assert_int_lt (policy_parse (text, strlen (text), "p.json", &p, &err), 0);
  ck_assert_ptr_null (p);
  msg = xstrdup (err->msg);
  hr_error_free (err);
  return msg;
}

START_TEST (policy_embedded_default_is_valid)
{
  size_t len;
  const char *text = policy_embedded_text (&len);
  struct policy *p = NULL;
  hr_err err = NULL;
  const struct policy_profile *prof;
  uint64_t want = 0;
  static const char *const caps[] = { "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
                                      "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE" };

  ck_assert_int_eq (policy_parse (text, len, "embedded", &p, &err), 0);
  ck_assert_str_eq (p->default_profile, "baseline");
  ck_assert_int_eq (policy_select_profile (p, NULL, &prof, &err), 0);
  for (size_t i = 0; i < 9; i++)
    want |= 1ull << policy_capability_from_name (caps[i]);
  ck_assert_uint_eq (prof->capabilities, want);
  ck_assert (prof->no_new_privileges && prof->readonly_rootfs);
  ck_assert_int_eq (prof->pids.def, 1024);
  ck_assert_int_eq (prof->memory.def, 2LL << 30);
  ck_assert_ptr_null (p->runtime); /* passthrough relies on this */
  ck_assert_int_eq (policy_select_profile (p, "restricted", &prof, &err), 0);
  ck_assert_uint_eq (prof->capabilities, 1ull << 10);
  ck_assert_int_eq (policy_rule_action (prof, RULE_RUN_AS_ROOT), RULE_DENY);
  ck_assert (prof->readonly_rootfs); /* extends baseline */
  ck_assert_int_lt (policy_select_profile (p, "nope", &prof, &err), 0);
  ck_assert_int_eq (err->kind, HR_ERR_REFUSED);
  hr_error_free (err);
  policy_free (p);
}
END_TEST

START_TEST (policy_errors_name_file_line_key)
{
  static const struct
  {
    const char *text, *want;
  } cases[] = {
    { "{\"x\": 1}", "p.json:1:7: x: unknown key" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"capabilities\":[\"CAP_FOO\"]}}}",
      "p.json:1:57: profiles.a.capabilities[0]: unknown capability \"CAP_FOO\"" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"bogus\":1}}}", "profiles.a.bogus: unknown key" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"no_new_privileges\":\"yes\"}}}",
      "profiles.a.no_new_privileges: expected a boolean, found a string" },
    { "{\"mode\":\"loud\",\"default_profile\":\"a\",\"profiles\":{\"a\":{}}}", "mode: unknown mode \"loud\"" },
    { "{\"runtime\":\"runc\",\"default_profile\":\"a\",\"profiles\":{\"a\":{}}}",
      "runtime: \"runc\" is not an absolute path" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"pids_limit\":{\"default\":10,\"max\":5}}}}",
      "default 10 is larger than max 5" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"pids_limit\":{\"max\":0}}}}", "0 would mean \"unlimited\"" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"memory_limit\":{\"max\":\"2X\"}}}}",
      "\"2X\" is not a size" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"memory_limit\":{\"max\":\"99999999999T\"}}}}",
      "is not a size" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"rlimits\":{\"RLIMIT_FOO\":{\"max\":1}}}}}",
      "profiles.a.rlimits.RLIMIT_FOO: unknown resource limit" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"tmpfs\":[{\"options\":[]}]}}}", "missing \"path\"" },
    { "{\"default_profile\":\"b\",\"profiles\":{\"a\":{}}}", "default_profile: \"b\" is not one of the profiles" },
    { "{\"default_profile\":\"a\"}", "the policy defines no profile" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"rules\":{\"devices\":\"mutate\"}}}}",
      "\"mutate\" is not an action of this rule (expected one of: allow, warn, deny)" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"allowed_devices\":[\"c 1\"]}}}", "is not a device pattern" },
    { "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"extends\":\"z\"}}}", "\"z\" is not a profile defined before" },
    { "{\"default_profile\":\"a\",\"annotation_profiles\":[\"q\"],\"profiles\":{\"a\":{}}}",
      "annotation_profiles[0]: \"q\" is not one of the profiles" },
    { "{\"default_profile\":\"a\",\"namespace_profiles\":{\"kube-system\":\"q\"},\"profiles\":{\"a\":{}}}",
      "p.json:1:60: namespace_profiles.kube-system: \"q\" is not one of the profiles" },
    { "{\"default_profile\":\"a\",\"sandbox_profiles\":{\"*\":\"q\"},\"profiles\":{\"a\":{}}}",
      "sandbox_profiles.*: \"q\" is not one of the profiles" },
    { "{\"default_profile\":\"a\",\"namespace_profiles\":{\"Kube_System\":\"a\"},\"profiles\":{\"a\":{}}}",
      "namespace_profiles.Kube_System: \"Kube_System\" is not a Kubernetes namespace name" },
    { "{\"default_profile\":\"a\",\"namespace_profiles\":{\"-x\":\"a\"},\"profiles\":{\"a\":{}}}",
      "is not a Kubernetes namespace name" },
    { "{\"default_profile\":\"a\",\"namespace_profiles\":{\"x\":1},\"profiles\":{\"a\":{}}}",
      "namespace_profiles.x: expected a string, found a number" },
    { "{\"default_profile\":\"a\",\"namespace_profiles\":[\"a\"],\"profiles\":{\"a\":{}}}",
      "namespace_profiles: expected an object" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      cleanup_free char *msg = policy_err (cases[i].text);
      ck_assert_msg (strstr (msg, cases[i].want) != NULL, "case %zu: got \"%s\", want \"%s\"", i, msg, cases[i].want);
      ck_assert_msg (strncmp (msg, "p.json:", 7) == 0, "case %zu: no file name: %s", i, msg);
    }
}
END_TEST

START_TEST (policy_namespace_profiles)
{
  const char *text = "{\"default_profile\":\"a\",\"namespace_profiles\":{\"*\":\"a\",\"kube-system\":\"b\"},"
                     "\"sandbox_profiles\":{\"kube-system\":\"b\"},\"profiles\":{\"a\":{},\"b\":{}}}";
  struct policy *p = NULL;
  hr_err err = NULL;
  ck_assert_int_eq (policy_parse (text, strlen (text), "p.json", &p, &err), 0);
  ck_assert_str_eq (policy_namespace_profile (&p->namespace_profiles, "kube-system"), "b");
  ck_assert_str_eq (policy_namespace_profile (&p->namespace_profiles, "default"), "a");
  ck_assert_str_eq (policy_namespace_profile (&p->namespace_profiles, "kube"), "a");
  ck_assert_ptr_null (policy_namespace_profile (&p->sandbox_profiles, "default"));
  policy_free (p);
}
END_TEST

START_TEST (policy_sizes_and_caps)
{
  const char *text = "{\"default_profile\":\"a\",\"profiles\":{\"a\":{\"capabilities\":[\"chown\",\"CAP_KILL\",\"ALL\"],"
                     "\"memory_limit\":{\"default\":\"512m\",\"max\":\"1T\"},\"pids_limit\":{\"max\":64}}}}";
  struct policy *p = NULL;
  hr_err err = NULL;
  ck_assert_int_eq (policy_parse (text, strlen (text), "p.json", &p, &err), 0);
  ck_assert (p->profiles[0].capabilities_all);
  ck_assert_int_eq (p->profiles[0].memory.def, 512LL << 20);
  ck_assert_int_eq (p->profiles[0].memory.max, 1LL << 40);
  ck_assert_str_eq (p->audit_log, POLICY_DEFAULT_AUDIT_LOG);
  ck_assert_int_eq (policy_capability_from_name ("cap_sys_admin"), 21);
  ck_assert_int_eq (policy_capability_from_name ("CAP_"), -1);
  policy_free (p);
}
END_TEST

/* ---------------------------------------------------------------- files */

static char tmpdir[64];

static void
setup_tmp (void)
{
  strcpy (tmpdir, "/tmp/hr-unit.XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (tmpdir));
}

static void
teardown_tmp (void)
{
  cleanup_free char *cmd = xasprintf ("rm -rf '%s'", tmpdir);
  ck_assert_int_eq (system (cmd), 0);
}

static void
write_file (const char *name, const char *text, mode_t mode)
{
  cleanup_free char *p = xasprintf ("%s/%s", tmpdir, name);
  int fd = open (p, O_WRONLY | O_CREAT | O_TRUNC, mode);
  ck_assert_int_ge (fd, 0);
  ck_assert_int_eq (write (fd, text, strlen (text)), (ssize_t) strlen (text));
  close (fd);
  chmod (p, mode);
}

static size_t
count_temp_files (void)
{
  cleanup_free char *cmd = xasprintf ("ls -A '%s' | grep -c '^\\.config\\.json' > '%s.count'", tmpdir, tmpdir);
  cleanup_free char *path = xasprintf ("%s.count", tmpdir);
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
  cleanup_free char *link = xasprintf ("%s/config.json", tmpdir);
  cleanup_free char *big = xasprintf ("%s/big/config.json", tmpdir);
  cleanup_free char *bigdir = xasprintf ("%s/big", tmpdir);
  struct spec *s = NULL;
  hr_err err = NULL;
  int fd;

  write_file ("real.json", "{}", 0644);
  ck_assert_int_eq (symlink ("real.json", link), 0);
  ck_assert_int_lt (spec_load (tmpdir, &s, &err), 0);
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

START_TEST (policy_files_must_be_root_only)
{
  /* like sshd's StrictModes: the policy and the files it names, and every
   * directory above them, owned by root and writable only by it (a
   * root-owned sticky directory such as /tmp is fine) */
  cleanup_free char *path = xasprintf ("%s/policy.json", tmpdir);
  cleanup_free char *sub = xasprintf ("%s/sub", tmpdir);
  cleanup_free char *subfile = xasprintf ("%s/sub/p.json", tmpdir);
  cleanup_free char *link = xasprintf ("%s/link.json", tmpdir);
  struct policy *pol = NULL;
  hr_err err = NULL;
  char want[512];

  size_t tlen;
  const char *text = policy_embedded_text (&tlen);

  ck_assert_int_eq (geteuid (), 0);
  write_file ("policy.json", text, 0644);
  ck_assert_int_eq (policy_load_file (path, &pol, &err), 0);
  policy_free (pol);
  pol = NULL;

  chmod (path, 0666);
  ck_assert_int_lt (policy_load_file (path, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: mode 0666, owner uid 0: refusing a file that group or others may change", path);
  ck_assert_ptr_nonnull (strstr (err->msg, want));
  hr_error_free (err);
  err = NULL;

  chmod (path, 0644);
  ck_assert_int_eq (chown (path, 1000, 0), 0);
  ck_assert_int_lt (policy_load_file (path, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: mode 0644, owner uid 1000: refusing a file that a user other than root may change",
            path);
  ck_assert_ptr_nonnull (strstr (err->msg, want));
  hr_error_free (err);
  err = NULL;
  ck_assert_int_eq (chown (path, 0, 0), 0);

  /* a directory group or others may write: refused; root-owned sticky: fine */
  ck_assert_int_eq (mkdir (sub, 0755), 0);
  write_file ("sub/p.json", text, 0600);
  ck_assert_int_eq (chmod (sub, 0775), 0);
  ck_assert_int_lt (policy_load_file (subfile, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: its directory %s has mode 0775, owner uid 0", subfile, sub);
  ck_assert_ptr_nonnull (strstr (err->msg, want));
  hr_error_free (err);
  err = NULL;
  ck_assert_int_eq (chmod (sub, 01777), 0);
  ck_assert_int_eq (policy_load_file (subfile, &pol, &err), 0);
  policy_free (pol);
  pol = NULL;
  ck_assert_int_eq (chown (sub, 1000, 0), 0);
  ck_assert_int_lt (policy_load_file (subfile, &pol, &err), 0);
  ck_assert_ptr_nonnull (strstr (err->msg, "has mode 1777, owner uid 1000"));
  hr_error_free (err);
  err = NULL;

  /* a symbolic link is followed: the directories checked are the target's */
  ck_assert_int_eq (symlink (subfile, link), 0);
  ck_assert_int_lt (policy_load_file (link, &pol, &err), 0);
  snprintf (want, sizeof want, "%s: its directory %s has mode 1777, owner uid 1000", link, sub);
  ck_assert_ptr_nonnull (strstr (err->msg, want));
  hr_error_free (err);
  err = NULL;
  ck_assert_int_eq (chown (sub, 0, 0), 0);
  ck_assert_int_eq (chmod (sub, 0755), 0);
  ck_assert_int_eq (policy_load_file (link, &pol, &err), 0);
  policy_free (pol);
  pol = NULL;

  /* a program the policy names (its runtime): the same rules */
  write_file ("sub/runtime", "#!/bin/sh\n", 0775);
  {
    cleanup_free char *rt = xasprintf ("%s/sub/runtime", tmpdir);
    ck_assert_int_lt (file_check_trusted (rt, &err), 0);
    snprintf (want, sizeof want, "%s: mode 0775, owner uid 0", rt);
    ck_assert_ptr_nonnull (strstr (err->msg, want));
    hr_error_free (err);
    err = NULL;
    chmod (rt, 0755);
    ck_assert_int_eq (file_check_trusted (rt, &err), 0);
  }

  /* a seccomp profile the policy names: the same rules */
  write_file ("sub/profile.json", "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", 0646);
  {
    cleanup_free char *prof = xasprintf ("%s/sub/profile.json", tmpdir);
    cleanup_free char *display = NULL;
    struct json_value *p = NULL;
    ck_assert_int_lt (sysfilter_profile_load (prof, &p, &display, &err), 0);
    snprintf (want, sizeof want, "%s: mode 0646, owner uid 0", prof);
    ck_assert_ptr_nonnull (strstr (err->msg, want));
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

START_TEST (spec_save_is_atomic_and_root_only)
{
  cleanup_free char *path = xasprintf ("%s/config.json", tmpdir);
  struct spec *s = NULL;
  hr_err err = NULL;
  struct stat st;
  cleanup_free char *buf = NULL;
  size_t len;

  /* the rewrite is root's, mode 0600 or the original, whichever is
   * stricter */
  static const mode_t modes[][2] = { { 0644, 0600 }, { 0640, 0600 }, { 0666, 0600 }, { 0400, 0400 }, { 04755, 0600 } };
  for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
    {
      write_file ("config.json", "{}", modes[i][0]);
      ck_assert_int_eq (chown (path, 1000, 1000), 0);
      ck_assert_int_eq (spec_load (tmpdir, &s, &err), 0);
      json_object_set (s->root, "y", json_new_bool (true));
      ck_assert_int_eq (spec_save (s, &err), 0);
      ck_assert_int_eq (stat (path, &st), 0);
      ck_assert_uint_eq (st.st_mode & 07777, modes[i][1]);
      ck_assert_uint_eq (st.st_uid, 0);
      ck_assert_uint_eq (st.st_gid, 0);
      spec_free (s);
      s = NULL;
      unlink (path);
    }
  write_file ("config.json", "{\"process\": {\"args\": [\"sh\"]}, \"x\": 18446744073709551615}", 0640);
  ck_assert_int_eq (spec_load (tmpdir, &s, &err), 0);
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
  write_file ("config.json/keep", "x", 0644);
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

/* ---------------------------------------------------------------- util */

/* ------------------------------------------------------------------ */
/* LSM labels over prepared directories (this machine runs neither
 * AppArmor nor SELinux: "enabled" and "does the policy accept this
 * context" come from the prepared directory, everything else is the real
 * code path) */

static char lsm_root[64];

static void
lsm_write (const char *rel, const char *text)
{
  char path[256];
  FILE *f;
  snprintf (path, sizeof path, "%s/%s", lsm_root, rel);
  f = fopen (path, "w");
  ck_assert_ptr_nonnull (f);
  fputs (text, f);
  fclose (f);
}

/* a prepared root: AAE "Y"/"N"/NULL (absent), the profiles list, SELinux
 * enabled or not */
static void
lsm_prepare (const char *aa_enabled, const char *aa_profiles, bool selinux)
{
  char cmd[128];
  snprintf (lsm_root, sizeof lsm_root, "/tmp/hr-unit-lsm.XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (lsm_root));
  snprintf (cmd, sizeof cmd, "%s/apparmor", lsm_root);
  ck_assert_int_eq (mkdir (cmd, 0700), 0);
  snprintf (cmd, sizeof cmd, "%s/selinux", lsm_root);
  ck_assert_int_eq (mkdir (cmd, 0700), 0);
  snprintf (cmd, sizeof cmd, "%s/runc", lsm_root);
  ck_assert_int_eq (mkdir (cmd, 0700), 0);
  if (aa_enabled)
    lsm_write ("apparmor/enabled", aa_enabled);
  if (aa_profiles)
    lsm_write ("apparmor/profiles", aa_profiles);
  if (selinux)
    lsm_write ("selinux/enabled", "1\n");
  lsm_write ("selinux/valid-types", "container_t\ncontainer_file_t\n");
  lsm_write ("lxc_contexts", "# Fedora's, abridged\nprocess = \"system_u:system_r:container_t:s0\"\n"
                              "content = \"system_u:object_r:virt_var_lib_t:s0\"\n"
                              "file = \"system_u:object_r:container_file_t:s0\"\n");
}

static void
lsm_cleanup (void)
{
  char cmd[128];
  snprintf (cmd, sizeof cmd, "rm -rf %s", lsm_root);
  ck_assert_int_eq (system (cmd), 0);
}

/* harden a config with a one-profile policy whose LSM modes are MODES
 * ("\"apparmor\": {...}, \"selinux\": {...}"); returns the error (or NULL)
 * and the hardened spec through OUT */
static hr_err
lsm_harden (const char *modes, const char *config, const char *id, struct json_value **out, struct findings *f)
{
  static char text[1024];
  struct policy *pol = NULL;
  const struct policy_profile *prof = NULL;
  struct changes ch = { 0 };
  struct lsm_env env;
  struct harden_ctx ctx;
  hr_err err = NULL;

  snprintf (text, sizeof text, "{\"default_profile\": \"p\", \"profiles\": {\"p\": {%s}}}", modes);
  ck_assert_msg (policy_parse (text, strlen (text), "policy.json", &pol, &err) == 0, "%s", err ? err->msg : "");
  ck_assert_int_eq (policy_select_profile (pol, NULL, &prof, &err), 0);
  *out = parse_ok (config);
  lsm_env_prepared (&env, lsm_root);
  {
    char runc[128];
    static char runc_keep[128];
    snprintf (runc, sizeof runc, "%s/runc", lsm_root);
    memcpy (runc_keep, runc, sizeof runc);
    env.runc_root = runc_keep;
  }
  ctx = (struct harden_ctx){ .source = "config.json", .profile = prof, .changes = &ch, .findings = f, .lsm = &env,
                             .container_id = id };
  lsm_apply (&ctx, &env, id, *out, &err);
  changes_release (&ch);
  policy_free (pol);
  return err;
}

static const char *
str_at (const struct json_value *root, const char *obj, const char *key)
{
  const struct json_value *v = json_object_get (json_object_get (root, obj), key);
  return v && v->type == JSON_STRING ? v->u.str.s : NULL;
}

#define AA_PREFER "\"apparmor\": {\"mode\": \"prefer\"}"
#define AA_REQUIRE "\"apparmor\": {\"mode\": \"require\"}"
#define SE_PREFER "\"selinux\": {\"mode\": \"prefer\"}"
#define SE_REQUIRE "\"selinux\": {\"mode\": \"require\"}"
#define UNCONFINED_CFG "{\"process\": {\"apparmorProfile\": \"unconfined\", \"args\": [\"sh\"]}, \"linux\": {}}"

START_TEST (lsm_apparmor_modes)
{
  struct json_value *cfg = NULL;
  struct findings f = { 0 };
  hr_err err;

  /* enabled, profile loaded: unconfined (what --privileged and
   * apparmor=unconfined give) is replaced */
  lsm_prepare ("Y\n", "docker-default (enforce)\nhardened-runc-default (enforce)\n", false);
  err = lsm_harden (AA_REQUIRE, UNCONFINED_CFG, "c1", &cfg, &f);
  ck_assert_ptr_null (err);
  ck_assert_str_eq (str_at (cfg, "process", "apparmorProfile"), "hardened-runc-default");
  json_free (cfg);
  /* absent, too */
  err = lsm_harden (AA_PREFER, "{\"process\": {}}", "c1", &cfg, &f);
  ck_assert_ptr_null (err);
  ck_assert_str_eq (str_at (cfg, "process", "apparmorProfile"), "hardened-runc-default");
  json_free (cfg);
  /* a profile the caller chose stays */
  err = lsm_harden (AA_REQUIRE, "{\"process\": {\"apparmorProfile\": \"docker-default\"}}", "c1", &cfg, &f);
  ck_assert_ptr_null (err);
  ck_assert_str_eq (str_at (cfg, "process", "apparmorProfile"), "docker-default");
  json_free (cfg);
  /* off: untouched */
  err = lsm_harden ("\"apparmor\": {\"mode\": \"off\"}", UNCONFINED_CFG, "c1", &cfg, &f);
  ck_assert_ptr_null (err);
  ck_assert_str_eq (str_at (cfg, "process", "apparmorProfile"), "unconfined");
  json_free (cfg);
  lsm_cleanup ();

  /* enabled, profile not loaded */
  lsm_prepare ("Y\n", "docker-default (enforce)\nhardened-runc-default-old (enforce)\n", false);
  err = lsm_harden (AA_REQUIRE, UNCONFINED_CFG, "c1", &cfg, &f);
  ck_assert_ptr_nonnull (err);
  ck_assert_int_eq (err->kind, HR_ERR_REFUSED);
  ck_assert_msg (strstr (err->msg, "the AppArmor profile hardened-runc-default is not loaded (load it with "
                                   "apparmor_parser -r /etc/apparmor.d/hardened-runc-default)"),
                 "%s", err->msg);
  hr_error_free (err);
  json_free (cfg);
  err = lsm_harden (AA_PREFER, UNCONFINED_CFG, "c1", &cfg, &f);
  ck_assert_ptr_null (err);
  ck_assert_str_eq (str_at (cfg, "process", "apparmorProfile"), "unconfined");
  ck_assert_uint_ge (f.len, 1);
  ck_assert_int_eq (f.items[f.len - 1].action, RULE_WARN);
  ck_assert_msg (strstr (f.items[f.len - 1].detail, "is not loaded"), "%s", f.items[f.len - 1].detail);
  json_free (cfg);
  lsm_cleanup ();

  /* disabled ("N"), and no AppArmor at all */
  for (int absent = 0; absent < 2; absent++)
    {
      lsm_prepare (absent ? NULL : "N\n", "hardened-runc-default (enforce)\n", false);
      err = lsm_harden (AA_REQUIRE, UNCONFINED_CFG, "c1", &cfg, &f);
      ck_assert_ptr_nonnull (err);
      ck_assert_msg (strstr (err->msg, "requires AppArmor (apparmor: require), which is not enabled on this host"), "%s",
                     err->msg);
      hr_error_free (err);
      json_free (cfg);
      err = lsm_harden (AA_PREFER, UNCONFINED_CFG, "c1", &cfg, &f);
      ck_assert_ptr_null (err);
      ck_assert_str_eq (str_at (cfg, "process", "apparmorProfile"), "unconfined");
      ck_assert_msg (strstr (f.items[f.len - 1].detail, "AppArmor is not enabled"), "%s", f.items[f.len - 1].detail);
      json_free (cfg);
      lsm_cleanup ();
    }
  findings_release (&f);
}
END_TEST

START_TEST (lsm_selinux_modes_and_labels)
{
  struct json_value *cfg = NULL;
  struct findings f = { 0 };
  hr_err err;
  const char *label, *mount;
  unsigned a, b, a2, b2;

  lsm_prepare (NULL, NULL, true);
  /* no label (what --privileged gives): labelled, with one pair on both */
  err = lsm_harden (SE_REQUIRE, "{\"process\": {}, \"linux\": {}}", "c1", &cfg, &f);
  ck_assert_ptr_null (err);
  label = str_at (cfg, "process", "selinuxLabel");
  mount = str_at (cfg, "linux", "mountLabel");
  ck_assert_ptr_nonnull (label);
  ck_assert_int_eq (sscanf (label, "system_u:system_r:container_t:s0:c%u,c%u", &a, &b), 2);
  ck_assert_int_eq (sscanf (mount, "system_u:object_r:container_file_t:s0:c%u,c%u", &a2, &b2), 2);
  ck_assert_uint_lt (a, b);
  ck_assert_uint_lt (b, 1024);
  ck_assert_uint_eq (a, a2);
  ck_assert_uint_eq (b, b2);
  json_free (cfg);
  /* a shared (category-less) or foreign-type label is replaced */
  err = lsm_harden (SE_PREFER, "{\"process\": {\"selinuxLabel\": \"system_u:system_r:spc_t:s0\"}}", "c2", &cfg, &f);
  ck_assert_ptr_null (err);
  ck_assert_ptr_nonnull (strstr (str_at (cfg, "process", "selinuxLabel"), "container_t:s0:c"));
  json_free (cfg);
  /* dockerd's own container-type pair is kept (it labelled the volumes) */
  err = lsm_harden (SE_PREFER, "{\"process\": {\"selinuxLabel\": \"system_u:system_r:container_t:s0:c1,c2\"}}", "c3",
                    &cfg, &f);
  ck_assert_ptr_null (err);
  ck_assert_str_eq (str_at (cfg, "process", "selinuxLabel"), "system_u:system_r:container_t:s0:c1,c2");
  ck_assert_str_eq (str_at (cfg, "linux", "mountLabel"), "system_u:object_r:container_file_t:s0:c1,c2");
  json_free (cfg);
  /* a policy that does not know the type: refused (fail closed) */
  lsm_write ("selinux/valid-types", "container_file_t\n");
  err = lsm_harden (SE_PREFER, "{\"process\": {}}", "c4", &cfg, &f);
  ck_assert_ptr_nonnull (err);
  ck_assert_msg (strstr (err->msg, "SELinux does not accept the process label system_u:system_r:container_t:s0:c"), "%s",
                 err->msg);
  hr_error_free (err);
  json_free (cfg);
  /* a broken contexts file names the file and line */
  lsm_write ("lxc_contexts", "process = \"container_t\"\n");
  err = lsm_harden (SE_PREFER, "{\"process\": {}}", "c5", &cfg, &f);
  ck_assert_ptr_nonnull (err);
  ck_assert_msg (strstr (err->msg, "lxc_contexts:1: process: \"container_t\" is not a user:role:type context"), "%s",
                 err->msg);
  hr_error_free (err);
  json_free (cfg);
  lsm_cleanup ();

  /* disabled */
  lsm_prepare (NULL, NULL, false);
  err = lsm_harden (SE_REQUIRE, "{\"process\": {}}", "c1", &cfg, &f);
  ck_assert_ptr_nonnull (err);
  ck_assert_msg (strstr (err->msg, "requires SELinux (selinux: require), which is not enabled on this host"), "%s",
                 err->msg);
  hr_error_free (err);
  json_free (cfg);
  err = lsm_harden (SE_PREFER, "{\"process\": {}}", "c1", &cfg, &f);
  ck_assert_ptr_null (err);
  ck_assert_ptr_null (str_at (cfg, "process", "selinuxLabel"));
  ck_assert_msg (strstr (f.items[f.len - 1].detail, "SELinux is not enabled"), "%s", f.items[f.len - 1].detail);
  json_free (cfg);
  lsm_cleanup ();
  findings_release (&f);
}
END_TEST

START_TEST (lsm_mcs_pairs_are_unique)
{
  struct lsm_env env;
  hr_err err = NULL;
  enum { N = 3000 };
  static char *pairs[N];
  char runc[128], path[256];

  lsm_prepare (NULL, NULL, true);
  lsm_env_prepared (&env, lsm_root);
  snprintf (runc, sizeof runc, "%s/runc", lsm_root);
  env.runc_root = runc;
  for (int i = 0; i < N; i++)
    {
      char id[32];
      snprintf (id, sizeof id, "ctr%d", i);
      ck_assert_msg (lsm_mcs_reserve (&env, id, &pairs[i], &err) == 0, "%s", err ? err->msg : "");
    }
  /* never two the same */
  qsort (pairs, N, sizeof pairs[0], strcmp_ptr);
  for (int i = 1; i < N; i++)
    ck_assert_str_ne (pairs[i - 1], pairs[i]);
  /* the reservations are files holding the container id, in a private dir */
  {
    struct stat st;
    char mcs[128];
    snprintf (mcs, sizeof mcs, "%s/mcs", lsm_root);
    ck_assert_int_eq (stat (mcs, &st), 0);
    ck_assert_int_eq (st.st_mode & 077, 0);
  }
  /* a reservation is reusable only when its container is gone from runc
   * and it is older than a create can take */
  {
    char *young = NULL, *old_gone = NULL, *old_alive = NULL;
    struct utimbuf old = { .actime = time (NULL) - 3600, .modtime = time (NULL) - 3600 };
    ck_assert_int_eq (lsm_mcs_reserve (&env, "young", &young, &err), 0);
    ck_assert_int_eq (lsm_mcs_reserve (&env, "gone", &old_gone, &err), 0);
    ck_assert_int_eq (lsm_mcs_reserve (&env, "alive", &old_alive, &err), 0);
    snprintf (path, sizeof path, "%s/mcs/%s", lsm_root, old_gone);
    ck_assert_int_eq (utime (path, &old), 0);
    snprintf (path, sizeof path, "%s/mcs/%s", lsm_root, old_alive);
    ck_assert_int_eq (utime (path, &old), 0);
    snprintf (path, sizeof path, "%s/runc/alive", lsm_root);
    ck_assert_int_eq (mkdir (path, 0700), 0);
    ck_assert (!lsm_mcs_stale (&env, young));
    ck_assert (lsm_mcs_stale (&env, old_gone));
    ck_assert (!lsm_mcs_stale (&env, old_alive));
    free (young);
    free (old_gone);
    free (old_alive);
  }
  for (int i = 0; i < N; i++)
    free (pairs[i]);
  lsm_cleanup ();
}
END_TEST

START_TEST (lsm_label_format)
{
  char *s = lsm_with_level ("system_u:system_r:container_t:s0", "c1,c2");
  ck_assert_str_eq (s, "system_u:system_r:container_t:s0:c1,c2");
  free (s);
  s = lsm_with_level ("system_u:system_r:container_t", "c3,c4");
  ck_assert_str_eq (s, "system_u:system_r:container_t:s0:c3,c4");
  free (s);
  s = lsm_with_level ("system_u:system_r:container_t:s0-s0:c0.c1023", "c5,c6");
  ck_assert_str_eq (s, "system_u:system_r:container_t:s0:c5,c6");
  free (s);
}
END_TEST

START_TEST (lsm_exec_joins_the_container)
{
  struct lsm_env env;
  struct policy *pol = NULL;
  const struct policy_profile *prof = NULL;
  struct changes ch = { 0 };
  struct findings f = { 0 };
  struct harden_ctx ctx;
  hr_err err = NULL;
  char *aa, *se;
  static const char text[] = "{\"default_profile\": \"p\", \"profiles\": {\"p\": {" AA_PREFER ", " SE_PREFER "}}}";

  lsm_prepare ("Y\n", "hardened-runc-default (enforce)\nmine (enforce)\n", true);
  lsm_env_prepared (&env, lsm_root);
  ck_assert_int_eq (policy_parse (text, strlen (text), "policy.json", &pol, &err), 0);
  ck_assert_int_eq (policy_select_profile (pol, NULL, &prof, &err), 0);
  ctx = (struct harden_ctx){ .source = "exec", .profile = prof, .changes = &ch, .findings = &f, .lsm = &env };
  /* exec --apparmor unconfined --process-label other: the container's */
  aa = xstrdup ("unconfined");
  se = xstrdup ("system_u:system_r:container_t:s0:c7,c8");
  ck_assert_int_eq (lsm_exec (&ctx, &env, "mine", "system_u:system_r:container_t:s0:c1,c2", &aa, &se, &err), 0);
  ck_assert_str_eq (aa, "mine");
  ck_assert_str_eq (se, "system_u:system_r:container_t:s0:c1,c2");
  free (aa);
  free (se);
  /* nothing given: runc uses the container's; a container created
   * unconfined gets the policy's profile */
  aa = se = NULL;
  ck_assert_int_eq (lsm_exec (&ctx, &env, "mine", "system_u:system_r:container_t:s0:c1,c2", &aa, &se, &err), 0);
  ck_assert_ptr_null (aa);
  ck_assert_ptr_null (se);
  ck_assert_int_eq (lsm_exec (&ctx, &env, "unconfined", NULL, &aa, &se, &err), 0);
  ck_assert_str_eq (aa, "hardened-runc-default");
  free (aa);
  changes_release (&ch);
  findings_release (&f);
  policy_free (pol);
  lsm_cleanup ();
}
END_TEST

START_TEST (lsm_policy_errors)
{
  static const char *const bad[][2] = {
    { "{\"profiles\": {\"p\": {\"apparmor\": {\"mode\": \"sometimes\"}}}}",
      "profiles.p.apparmor.mode: unknown mode \"sometimes\" (expected \"off\", \"prefer\" or \"require\")" },
    { "{\"profiles\": {\"p\": {\"apparmor\": {\"profile\": \"unconfined\"}}}}",
      "profiles.p.apparmor.profile: \"unconfined\" is not a usable AppArmor profile name" },
    { "{\"profiles\": {\"p\": {\"selinux\": {\"profile\": \"x\"}}}}", "profiles.p.selinux.profile: unknown key" },
    { "{\"profiles\": {\"p\": {\"selinux\": \"prefer\"}}}", "profiles.p.selinux: expected an object, found a string" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
      struct policy *pol = NULL;
      hr_err err = NULL;
      ck_assert_int_lt (policy_parse (bad[i][0], strlen (bad[i][0]), "policy.json", &pol, &err), 0);
      ck_assert_msg (strstr (err->msg, bad[i][1]), "got: %s", err->msg);
      hr_error_free (err);
    }
}
END_TEST

START_TEST (metrics_counts_and_heals)
{
  char dir[] = "/tmp/hr-unit-metrics.XXXXXX", path[128], cmd[160], *text = NULL;
  struct findings f = { 0 };
  struct audit_record rec = { .subcommand = "create", .profile = "base\"line", .outcome = "refused", .findings = &f };
  hr_err err = NULL;
  size_t len = 0;
  FILE *fp;

  ck_assert_ptr_nonnull (mkdtemp (dir));
  snprintf (path, sizeof path, "%s/m.prom", dir);
  findings_add (&f, RULE_PRIVILEGED, RULE_DENY, "x");
  ck_assert_int_eq (metrics_record (path, &rec, &err), 0);
  ck_assert_int_eq (metrics_record (path, &rec, &err), 0);
  /* a damaged line is dropped, the rest kept */
  fp = fopen (path, "a");
  fputs ("hardened_runc_decisions_total{garbage\nnot a metric line\n", fp);
  fclose (fp);
  rec.outcome = "changed";
  ck_assert_int_eq (metrics_record (path, &rec, &err), 0);
  ck_assert_int_eq (file_read_regular (AT_FDCWD, path, path, 1 << 20, &text, &len, NULL, &err), 0);
  ck_assert_msg (strstr (text, "hardened_runc_decisions_total{subcommand=\"create\",profile=\"base\\\"line\","
                               "outcome=\"refused\"} 2\n"),
                 "%s", text);
  ck_assert_msg (strstr (text, "outcome=\"changed\"} 1\n"), "%s", text);
  ck_assert_msg (strstr (text, "hardened_runc_findings_total{rule=\"privileged\",action=\"deny\",profile=\"base\\\"line\"} 3\n"),
                 "%s", text);
  ck_assert_ptr_null (strstr (text, "garbage"));
  ck_assert_ptr_null (strstr (text, "not a metric"));
  ck_assert_ptr_nonnull (strstr (text, "# TYPE hardened_runc_decisions_total counter\n"));
  free (text);
  findings_release (&f);
  snprintf (cmd, sizeof cmd, "rm -rf %s", dir);
  ck_assert_int_eq (system (cmd), 0);
}
END_TEST

START_TEST (report_counts_lines)
{
  char dir[] = "/tmp/hr-unit-report.XXXXXX", log[128], out[128], cmd[160], *text = NULL;
  char *argv[] = { "report", "--json", log, NULL };
  hr_err err = NULL;
  size_t len = 0;
  int saved, fd;
  FILE *fp;

  ck_assert_ptr_nonnull (mkdtemp (dir));
  snprintf (log, sizeof log, "%s/audit.log", dir);
  snprintf (out, sizeof out, "%s/out.json", dir);
  fp = fopen (log, "w");
  fputs ("{\"container\":\"a\",\"subcommand\":\"create\",\"profile\":\"p\",\"mode\":\"enforce\",\"outcome\":\"refused\","
         "\"changes\":[],\"findings\":[{\"rule\":\"devices\",\"action\":\"deny\",\"detail\":\"x\"}]}\n"
         "{\"container\":1}\n[\n"
         "{\"container\":\"b\",\"subcommand\":\"run\",\"profile\":\"p\",\"mode\":\"audit\",\"outcome\":\"refused\","
         "\"changes\":[{\"control\":\"c\"}],\"findings\":[]}\n{\"partial",
         fp);
  fclose (fp);
  fflush (stdout);
  saved = dup (STDOUT_FILENO);
  fd = open (out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2 (fd, STDOUT_FILENO);
  close (fd);
  ck_assert_int_eq (report_main (3, argv), 0);
  fflush (stdout);
  dup2 (saved, STDOUT_FILENO);
  close (saved);
  ck_assert_int_eq (file_read_regular (AT_FDCWD, out, out, 1 << 20, &text, &len, NULL, &err), 0);
  ck_assert_msg (strstr (text, "\"decisions\":2,\"damaged_lines\":2,\"incomplete_lines\":1"), "%s", text);
  ck_assert_msg (strstr (text, "\"containers_seen\":2,\"containers_changed\":0,\"containers_refused\":2"), "%s", text);
  ck_assert_msg (strstr (text, "\"refused_by_rule\":[{\"key\":\"(other)\",\"count\":1},{\"key\":\"devices\",\"count\":1}]"),
                 "%s", text);
  ck_assert_msg (strstr (text, "{\"key\":\"would-refuse\",\"count\":1}"), "%s", text);
  free (text);
  snprintf (cmd, sizeof cmd, "rm -rf %s", dir);
  ck_assert_int_eq (system (cmd), 0);
}
END_TEST

static int
touch_file (const char *path)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return -1;
  close (fd);
  return 0;
}

/* DIR followed by REST, in BUF (PATH_MAX) */
static const char *
path_in (char *buf, const char *dir, const char *rest)
{
  snprintf (buf, PATH_MAX, "%s%s", dir, rest);
  return buf;
}

/* The swap limit that comes with a defaulted memory limit: set where runc
 * can set it (cgroup v1 with memsw, cgroup v2 with memory.swap.max below
 * the root), left out where it would make runc fail. */
static const char *
swap_after_harden (const char *cgroot)
{
  struct policy *pol = NULL;
  const struct policy_profile *prof = NULL;
  cleanup_json struct json_value *root = NULL;
  struct changes ch = { 0 };
  struct harden_ctx ctx;
  hr_err err = NULL;
  size_t plen;
  const char *ptext = policy_embedded_text (&plen);
  static char got[64];
  const struct json_value *swap;

  ck_assert_int_eq (policy_parse (ptext, plen, "embedded", &pol, &err), 0);
  ck_assert_int_eq (policy_select_profile (pol, NULL, &prof, &err), 0);
  root = parse_ok ("{\"linux\":{\"resources\":{}}}");
  ctx = (struct harden_ctx){ .source = "config.json", .profile = prof, .changes = &ch, .cgroup_root = cgroot };
  ck_assert_int_eq (limits_apply (&ctx, root, &err), 0);
  swap = json_object_get (json_object_get (json_object_get (json_object_get (root, "linux"), "resources"), "memory"),
                          "swap");
  snprintf (got, sizeof got, "%s", swap ? swap->u.str.s : "none");
  changes_release (&ch);
  policy_free (pol);
  return got;
}

/* linux.cgroupsPath judged over a prepared cgroup tree: NULL when allowed,
 * else the refusal */
static char *
cgroups_path_verdict (const char *cgroot, const char *path)
{
  struct policy *pol = NULL;
  const struct policy_profile *prof = NULL;
  cleanup_json struct json_value *root = NULL;
  cleanup_free char *text = NULL;
  struct changes ch = { 0 };
  struct harden_ctx ctx;
  hr_err err = NULL;
  size_t plen;
  const char *ptext = policy_embedded_text (&plen);
  char *ret = NULL;

  ck_assert_int_eq (policy_parse (ptext, plen, "embedded", &pol, &err), 0);
  ck_assert_int_eq (policy_select_profile (pol, NULL, &prof, &err), 0);
  text = xasprintf ("{\"linux\":{\"cgroupsPath\":\"%s\"}}", path);
  root = parse_ok (text);
  ctx = (struct harden_ctx){ .source = "config.json", .profile = prof, .changes = &ch, .cgroup_root = cgroot };
  if (cgroups_check (&ctx, root, &err) < 0)
    {
      ret = xstrdup (err->msg);
      hr_error_free (err);
    }
  changes_release (&ch);
  policy_free (pol);
  return ret;
}

static void
put_file (const char *path, const char *content)
{
  FILE *f = fopen (path, "w");
  ck_assert_ptr_nonnull (f);
  fputs (content, f);
  fclose (f);
}

START_TEST (cgroups_path_never_inside_another_container)
{
  char dir[] = "/tmp/hr-cgp.XXXXXX";
  char p[PATH_MAX], cmd[PATH_MAX * 2];
  char *v;

  ck_assert_ptr_nonnull (mkdtemp (dir));
  /* cgroup v1: /docker/A holds a process in the pids hierarchy only */
  ck_assert_int_eq (mkdir (path_in (p, dir, "/pids"), 0755), 0);
  ck_assert_int_eq (mkdir (path_in (p, dir, "/memory"), 0755), 0);
  snprintf (cmd, sizeof cmd, "mkdir -p %s/pids/docker/A %s/memory/docker/A %s/pids/kubepods/burstable/pod1/P", dir,
            dir, dir);
  ck_assert_int_eq (system (cmd), 0);
  put_file (path_in (p, dir, "/pids/docker/cgroup.procs"), "");
  put_file (path_in (p, dir, "/pids/docker/A/cgroup.procs"), "4242\n");
  put_file (path_in (p, dir, "/memory/docker/A/cgroup.procs"), "");
  put_file (path_in (p, dir, "/pids/kubepods/burstable/pod1/cgroup.procs"), "");
  put_file (path_in (p, dir, "/pids/kubepods/burstable/pod1/P/cgroup.procs"), "77\n");
  /* a new container next to A: fine */
  ck_assert_ptr_null (cgroups_path_verdict (dir, "/docker/B"));
  /* inside A (--cgroup-parent /docker/A), or A itself: refused */
  v = cgroups_path_verdict (dir, "/docker/A/B");
  ck_assert_ptr_nonnull (v);
  ck_assert_ptr_nonnull (strstr (v, "puts the container inside /docker/A, the cgroup of running processes"));
  free (v);
  v = cgroups_path_verdict (dir, "/docker/A");
  ck_assert_ptr_nonnull (v);
  ck_assert_ptr_nonnull (strstr (v, "is the cgroup of running processes"));
  free (v);
  v = cgroups_path_verdict (dir, "/docker/x/../A/B");
  ck_assert_ptr_nonnull (v);
  free (v);
  /* a pod's cgroup holds no processes of its own: its containers are fine */
  ck_assert_ptr_null (cgroups_path_verdict (dir, "/kubepods/burstable/pod1/C"));
  v = cgroups_path_verdict (dir, "/kubepods/burstable/pod1/P/C");
  ck_assert_ptr_nonnull (v);
  free (v);
  /* cgroup v2: one hierarchy */
  ck_assert_int_eq (system (path_in (p, "rm -rf ", dir)), 0);
  ck_assert_int_eq (mkdir (dir, 0755), 0);
  ck_assert_int_eq (touch_file (path_in (p, dir, "/cgroup.controllers")), 0);
  snprintf (cmd, sizeof cmd, "mkdir -p %s/docker/A", dir);
  ck_assert_int_eq (system (cmd), 0);
  put_file (path_in (p, dir, "/docker/A/cgroup.procs"), "1\n");
  ck_assert_ptr_null (cgroups_path_verdict (dir, "/docker/B"));
  v = cgroups_path_verdict (dir, "/docker/A/B");
  ck_assert_ptr_nonnull (v);
  free (v);
  ck_assert_int_eq (system (path_in (p, "rm -rf ", dir)), 0);
}
END_TEST

START_TEST (limits_swap_where_runc_can_set_it)
{
  char dir[] = "/tmp/hr-cg.XXXXXX";
  char p[PATH_MAX];

  ck_assert_ptr_nonnull (mkdtemp (dir));
  /* nothing at all */
  ck_assert_str_eq (swap_after_harden (dir), "none");
  /* cgroup v2 without swap accounting: a child group without the file */
  ck_assert_int_eq (touch_file (path_in (p, dir, "/cgroup.controllers")), 0);
  ck_assert_int_eq (mkdir (path_in (p, dir, "/system.slice"), 0755), 0);
  ck_assert_int_eq (touch_file (path_in (p, dir, "/system.slice/memory.max")), 0);
  ck_assert_str_eq (swap_after_harden (dir), "none");
  /* cgroup v2 with it: swap = 2x the 2G default */
  ck_assert_int_eq (touch_file (path_in (p, dir, "/system.slice/memory.swap.max")), 0);
  ck_assert_str_eq (swap_after_harden (dir), "4294967296");
  /* cgroup v1 without, then with memsw */
  unlink (path_in (p, dir, "/system.slice/memory.swap.max"));
  unlink (path_in (p, dir, "/cgroup.controllers"));
  ck_assert_str_eq (swap_after_harden (dir), "none");
  ck_assert_int_eq (mkdir (path_in (p, dir, "/memory"), 0755), 0);
  ck_assert_int_eq (touch_file (path_in (p, dir, "/memory/memory.memsw.limit_in_bytes")), 0);
  ck_assert_str_eq (swap_after_harden (dir), "4294967296");
  ck_assert_int_eq (system (path_in (p, "rm -rf ", dir)), 0);
}
END_TEST

START_TEST (digest_known_answers)
{
  /* SHA-256: the FIPS 180-4 examples, fed in uneven pieces (the block
   * boundary is crossed mid-piece) */
  static const struct
  {
    const char *data, *want;
  } sha[] = {
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  };
  unsigned char key[16], msg[15];

  for (size_t i = 0; i < sizeof sha / sizeof sha[0]; i++)
    {
      unsigned char out[DIGEST_SIZE];
      char hex[2 * DIGEST_SIZE + 1];
      size_t len = strlen (sha[i].data);
      struct digest_sha256 s;
      digest_sha256_init (&s);
      for (size_t off = 0; off < len; off += 7)
        digest_sha256_update (&s, sha[i].data + off, len - off < 7 ? len - off : 7);
      digest_sha256_final (&s, out);
      for (size_t k = 0; k < DIGEST_SIZE; k++)
        snprintf (hex + 2 * k, 3, "%02x", out[k]);
      ck_assert_str_eq (hex, sha[i].want);
    }
  /* SipHash-2-4: the paper's example (key 00..0f, message 00..0e) and the
   * empty message under the same key */
  for (int i = 0; i < 16; i++)
    key[i] = (unsigned char) i;
  for (int i = 0; i < 15; i++)
    msg[i] = (unsigned char) i;
  ck_assert_uint_eq (digest_siphash (key, msg, 15), 0xa129ca6149be45e5ull);
  ck_assert_uint_eq (digest_siphash (key, msg, 0), 0x726fdb47dd0e0e31ull);
  ck_assert (digest_equal ((const unsigned char *) "abcd", (const unsigned char *) "abcd", 4));
  ck_assert (!digest_equal ((const unsigned char *) "abcd", (const unsigned char *) "abce", 4));
}
END_TEST

START_TEST (util_numbers_and_paths)

{
  uint64_t u;
  int64_t i;
  char buf[64];
  ck_assert (parse_u64 ("18446744073709551615", 20, &u) && u == UINT64_MAX);
  ck_assert (!parse_u64 ("18446744073709551616", 20, &u));
  ck_assert (!parse_u64 ("1x", 2, &u));
  ck_assert (!parse_u64 ("", 0, &u));
  ck_assert (parse_i64 ("-9223372036854775808", 20, &i) && i == INT64_MIN);
  ck_assert (!parse_i64 ("9223372036854775808", 19, &i));
  {
    static const char *const cases[][2] = {
      { "/a//b/./c/", "/a/b/c" }, { "/../x", "/x" }, { "a/b", "/a/b" }, { "/", "/" }, { "/a/b/../../..", "/" },
    };
    for (size_t k = 0; k < 5; k++)
      {
        cleanup_free char *c = path_clean (cases[k][0]);
        ck_assert_str_eq (c, cases[k][1]);
      }
  }
  ck_assert (path_covers ("/var", "/var/run"));
  ck_assert (!path_covers ("/var", "/variable"));
  ck_assert (path_covers ("/", "/etc"));
  format_rfc3339 (buf, sizeof buf);
  ck_assert_uint_eq (strlen (buf), 30);
  ck_assert (buf[4] == '-' && buf[10] == 'T' && buf[29] == 'Z');
}
END_TEST

Suite *fields_suite (void);
Suite *compliance_suite (void);
Suite *sysfilter_suite (void);

START_TEST (limits_swap_max_at_the_edges)
{
  ck_assert_int_eq (limits_swap_max (0), 0);
  ck_assert_int_eq (limits_swap_max (-5), 0);
  ck_assert_int_eq (limits_swap_max (1), 2);
  ck_assert_int_eq (limits_swap_max (INT64_MAX / 2), INT64_MAX - 1);
  ck_assert_int_eq (limits_swap_max (INT64_MAX / 2 + 1), INT64_MAX); /* would wrap negative */
  ck_assert_int_eq (limits_swap_max (INT64_MAX), INT64_MAX);
}
END_TEST

static Suite *
unit_suite (void)
{
  Suite *s = suite_create ("hardened-runc");
  TCase *tc = tcase_create ("core");
  TCase *files = tcase_create ("files");

  tcase_add_test (tc, json_round_trip_keeps_text);
  tcase_add_test (tc, json_errors_name_line_and_column);
  tcase_add_test (tc, json_arena_matches_heap);
  tcase_add_test (tc, json_duplicate_in_large_object);
  tcase_add_test (tc, json_depth_limit);
  tcase_add_test (tc, json_builders);
  tcase_add_test (tc, json_go_folding);
  tcase_add_test (tc, cli_dockerd_create);
  tcase_add_test (tc, cli_bundle_forms);
  tcase_add_test (tc, cli_refusals);
  tcase_add_test (tc, cli_passthrough_and_exec);
  tcase_add_test (tc, cli_restore_is_judged);
  tcase_add_test (tc, limits_swap_where_runc_can_set_it);
  tcase_add_test (tc, limits_swap_max_at_the_edges);
  tcase_add_test (tc, cgroups_path_never_inside_another_container);
  tcase_add_test (tc, policy_embedded_default_is_valid);
  tcase_add_test (tc, policy_errors_name_file_line_key);
  tcase_add_test (tc, policy_sizes_and_caps);
  tcase_add_test (tc, policy_namespace_profiles);
  tcase_add_test (tc, spec_typed_access);
  tcase_add_test (tc, util_numbers_and_paths);
  tcase_add_test (tc, digest_known_answers);
  suite_add_tcase (s, tc);

  tcase_add_checked_fixture (files, setup_tmp, teardown_tmp);
  /* 3000 label reservations and real seccomp builds: generous on a loaded
   * machine (a deadline against hangs, not a speed check) */
  tcase_set_timeout (files, 120);
  tcase_add_test (files, spec_refuses_unsafe_files);
  tcase_add_test (files, spec_save_is_atomic_and_root_only);
  tcase_add_test (files, policy_files_must_be_root_only);
  tcase_add_test (files, lsm_apparmor_modes);
  tcase_add_test (files, metrics_counts_and_heals);
  tcase_add_test (files, report_counts_lines);
  tcase_add_test (files, lsm_selinux_modes_and_labels);
  tcase_add_test (files, lsm_mcs_pairs_are_unique);
  tcase_add_test (files, lsm_exec_joins_the_container);
  tcase_add_test (tc, lsm_label_format);
  tcase_add_test (tc, lsm_policy_errors);
  suite_add_tcase (s, files);
  suite_add_tcase (s, cli_tcase ());
  return s;
}

int
main (void)
{
  SRunner *sr = srunner_create (unit_suite ());
  srunner_add_suite (sr, fields_suite ());
  srunner_add_suite (sr, compliance_suite ());
  srunner_add_suite (sr, sysfilter_suite ());
  int failed;
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
