/* SPDX-License-Identifier: Apache-2.0 */
/* runc's command line as runc 1.1 parses it: Go's strconv, urfave/cli's
 * reordering and aliases, help, and the canonical argv runc is handed.
 * test/integration/differential.sh checks the same spellings against a
 * real runc. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "error.h"
#include "json.h"
#include "unit.h"
#include "util.h"

static int
parse (char **argv, struct runc_cli *cli, char **msg)
{
  hr_err err = NULL;
  int argc = 0, rc;
  while (argv[argc])
    argc++;
  rc = cli_parse (argc, argv, cli, &err);
  *msg = err ? xstrdup (err->msg) : NULL;
  hr_error_free (err);
  return rc;
}

static void
want_argv (const struct runc_cli *cli, const char *const *want)
{
  size_t n = 0;
  while (want[n])
    n++;
  for (size_t i = 0; i < n && i + 1 < cli->argc; i++)
    ck_assert_str_eq (cli->argv[i + 1], want[i]);
  ck_assert_uint_eq (cli->argc, n + 1);
  ck_assert_ptr_null (cli->argv[cli->argc]);
}

START_TEST (cli_go_integers)
{
  static const struct
  {
    const char *s;
    int base;
    bool ok;
    int64_t v;
  } cases[] = {
    { "0", 0, true, 0 },        { "00", 0, true, 0 },          { "+0", 0, true, 0 },
    { "-0", 0, true, 0 },       { "017", 0, true, 15 },        { "0o17", 0, true, 15 },
    { "0O17", 0, true, 15 },    { "0x1F", 0, true, 31 },       { "0X1f", 0, true, 31 },
    { "0b101", 0, true, 5 },    { "1_000", 0, true, 1000 },    { "0_1", 0, true, 1 },
    { "0x_1", 0, true, 1 },     { "-0x10", 0, true, -16 },     { "08", 0, false, 0 },
    { "0x", 0, false, 0 },      { "0b", 0, false, 0 },         { "_1", 0, false, 0 },
    { "1_", 0, false, 0 },      { "1__0", 0, false, 0 },       { "", 0, false, 0 },
    { " 1", 0, false, 0 },      { "1 ", 0, false, 0 },         { "+", 0, false, 0 },
    { "--1", 0, false, 0 },     { "+-1", 0, false, 0 },        { "1e3", 0, false, 0 },
    { "9223372036854775807", 0, true, INT64_MAX },             { "9223372036854775808", 0, false, 0 },
    { "-9223372036854775808", 0, true, INT64_MIN },            { "-9223372036854775809", 0, false, 0 },
    { "0x7fffffffffffffff", 0, true, INT64_MAX },              { "4294967296", 0, true, 4294967296 },
    { "010", 10, true, 10 },    { "0x10", 10, false, 0 },      { "1_0", 10, false, 0 },
    { "+7", 10, true, 7 },      { "-7", 10, true, -7 },        { "00000000000000000000001", 10, true, 1 },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
      int64_t v = 42;
      bool ok = cli_go_parse_int (cases[i].s, cases[i].base, &v);
      ck_assert_msg (ok == cases[i].ok, "ParseInt(\"%s\", %d): %d", cases[i].s, cases[i].base, ok);
      if (ok)
        ck_assert_msg (v == cases[i].v, "ParseInt(\"%s\") = %lld", cases[i].s, (long long) v);
    }
  {
    uint64_t u;
    ck_assert (cli_go_parse_uint ("18446744073709551615", &u) && u == UINT64_MAX);
    ck_assert (!cli_go_parse_uint ("18446744073709551616", &u));
    ck_assert (!cli_go_parse_uint ("+1", &u));
    ck_assert (!cli_go_parse_uint ("-1", &u));
    ck_assert (cli_go_parse_uint ("0012", &u) && u == 12);
  }
}
END_TEST

START_TEST (cli_go_booleans_and_sizes)
{
  static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };
  static const char *const bad[] = { "", "yes", "no", "tRUE", "on", "2", " true", "true ", "FaLsE" };
  static const struct
  {
    const char *s;
    bool ok;
    int64_t v;
  } sizes[] = {
    { "1", true, 1 },          { "1b", true, 1 },           { "1B", true, 1 },
    { "1k", true, 1024 },      { "1K", true, 1024 },        { "1kb", true, 1024 },
    { "1KiB", true, 1024 },    { "1 k", true, 1024 },       { "1 ", true, 1 },
    { "1i", true, 1 },         { "1.5k", true, 1536 },      { "0.5", true, 0 },
    { "1g", true, 1073741824 }, { "16G", true, 17179869184 }, { "2.5m", true, 2621440 },
    { "8191p", true, 9222246136947933184 },                 { "8192p", false, 0 },
    { "1.2.3", false, 0 },     { "1.", false, 0 },          { ".5", false, 0 },
    { "1e3", false, 0 },       { "-1", false, 0 },          { "k", false, 0 },
    { "1  k", false, 0 },      { "1x", false, 0 },          { "+1", false, 0 },
    { "1kk", false, 0 },       { "", false, 0 },            { "1_000", false, 0 },
  };
  bool b;

  for (size_t i = 0; i < 6; i++)
    {
      ck_assert (cli_go_parse_bool (yes[i], &b) && b);
      ck_assert (cli_go_parse_bool (no[i], &b) && !b);
    }
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ck_assert_msg (!cli_go_parse_bool (bad[i], &b), "ParseBool(\"%s\")", bad[i]);
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
    {
      int64_t v = 42;
      bool ok = cli_go_ram_in_bytes (sizes[i].s, &v);
      ck_assert_msg (ok == sizes[i].ok, "RAMInBytes(\"%s\"): %d", sizes[i].s, ok);
      if (ok)
        ck_assert_msg (v == sizes[i].v, "RAMInBytes(\"%s\") = %lld", sizes[i].s, (long long) v);
    }
}
END_TEST

START_TEST (cli_help_false_is_not_help)
{
  char *a1[] = { "hr", "run", "--help=false", "id", NULL };
  char *a2[] = { "hr", "exec", "-h=0", "id", "sh", NULL };
  char *a3[] = { "hr", "update", "--help=f", "--pids-limit", "5", "id", NULL };
  char *a4[] = { "hr", "restore", "-help=False", "id", NULL };
  char *a5[] = { "hr", "create", "--help", "--bundle", "/b", "id", NULL };
  char *a6[] = { "hr", "--root", "/r", "exec", "-h=T", "id", "sh", NULL };
  char *a7[] = { "hr", "create", "--help=maybe", "id", NULL };
  char *a8[] = { "hr", "--help=false", "create", "id", NULL };
  char *a9[] = { "hr", "--help", "create", "id", NULL };
  char *a10[] = { "hr", "-v=1", "create", "id", NULL };
  char **hardened[] = { a1, a2, a3, a4, a8 };
  static const char *const help5[] = { "create", "--help", NULL };
  static const char *const help6[] = { "exec", "--help", NULL };
  static const char *const help9[] = { "--help", NULL };
  static const char *const version10[] = { "--version", NULL };
  struct runc_cli c;
  char *msg;

  for (size_t i = 0; i < sizeof hardened / sizeof hardened[0]; i++)
    {
      ck_assert_int_eq (parse (hardened[i], &c, &msg), 0);
      ck_assert_int_ne (c.command, CLI_PASSTHROUGH);
      ck_assert (!c.help);
      cli_build_argv (&c);
      for (size_t k = 1; k < c.argc; k++)
        ck_assert_ptr_null (strstr (c.argv[k], "help"));
      cli_release (&c);
    }
  ck_assert_int_eq (parse (a5, &c, &msg), 0);
  ck_assert_int_eq (c.command, CLI_PASSTHROUGH);
  ck_assert (c.help);
  want_argv (&c, help5);
  cli_release (&c);
  ck_assert_int_eq (parse (a6, &c, &msg), 0);
  want_argv (&c, help6);
  cli_release (&c);
  ck_assert_int_lt (parse (a7, &c, &msg), 0);
  ck_assert_ptr_nonnull (strstr (msg, "invalid boolean value \"maybe\" for --help=maybe"));
  free (msg);
  cli_release (&c);
  ck_assert_int_eq (parse (a9, &c, &msg), 0);
  ck_assert_int_eq (c.command, CLI_PASSTHROUGH);
  want_argv (&c, help9);
  cli_release (&c);
  ck_assert_int_eq (parse (a10, &c, &msg), 0);
  want_argv (&c, version10);
  cli_release (&c);
}
END_TEST

START_TEST (cli_urfave_quirks)
{
  /* a boolean takes the next token along when reordering; Go's flag then
   * stops there: three arguments, runc refuses */
  char *a1[] = { "hr", "create", "--no-pivot", "x", "--bundle", "/b", NULL };
  /* both forms of one option */
  char *a2[] = { "hr", "create", "-b", "/x", "--bundle", "/y", "id", NULL };
  char *a3[] = { "hr", "exec", "-e", "A=1", "--env", "B=2", "id", "sh", NULL };
  /* a value starting with "-" is still the value */
  char *a4[] = { "hr", "update", "id", "--memory", "-1", NULL };
  /* global "--" ends the global options; the subcommand follows */
  char *a5[] = { "hr", "--root", "/r", "--", "run", "id", NULL };
  /* the shim's option names as a value belong to runc */
  char *a6[] = { "hr", "--root", "--policy", "create", "id", NULL };
  char *a7[] = { "hr", "create", "---bundle", "/b", "id", NULL };
  char *a8[] = { "hr", "create", "--preserve-fds", "08", "id", NULL };
  char *a9[] = { "hr", "exec", "-g", "0x5", "id", "sh", NULL };
  char *a10[] = { "hr", "exec", "--user", NULL };
  struct runc_cli c;
  char *msg;

  ck_assert_int_lt (parse (a1, &c, &msg), 0);
  ck_assert_str_eq (msg, "\"create\" needs exactly one container id, got 3");
  free (msg);
  cli_release (&c);
  ck_assert_int_lt (parse (a2, &c, &msg), 0);
  ck_assert_ptr_nonnull (strstr (msg, "both --bundle and -b given"));
  free (msg);
  cli_release (&c);
  ck_assert_int_lt (parse (a3, &c, &msg), 0);
  free (msg);
  cli_release (&c);
  ck_assert_int_eq (parse (a4, &c, &msg), 0);
  ck_assert_str_eq (cli_find (&c, "memory")->value, "-1");
  ck_assert_str_eq (c.container_id, "id");
  cli_release (&c);
  ck_assert_int_eq (parse (a5, &c, &msg), 0);
  ck_assert_int_eq (c.command, CLI_RUN);
  ck_assert_str_eq (c.root, "/r");
  cli_release (&c);
  ck_assert_int_eq (parse (a6, &c, &msg), 0);
  ck_assert_ptr_null (c.policy_path);
  ck_assert_str_eq (c.root, "--policy");
  ck_assert_int_eq (c.command, CLI_CREATE);
  cli_release (&c);
  ck_assert_int_lt (parse (a7, &c, &msg), 0);
  ck_assert_ptr_nonnull (strstr (msg, "bad option syntax \"---bundle\""));
  free (msg);
  cli_release (&c);
  ck_assert_int_lt (parse (a8, &c, &msg), 0);
  ck_assert_ptr_nonnull (strstr (msg, "invalid value \"08\" for --preserve-fds"));
  free (msg);
  cli_release (&c);
  ck_assert_int_lt (parse (a9, &c, &msg), 0);
  free (msg);
  cli_release (&c);
  ck_assert_int_lt (parse (a10, &c, &msg), 0);
  ck_assert_ptr_nonnull (strstr (msg, "needs a value"));
  free (msg);
  cli_release (&c);
}
END_TEST

START_TEST (cli_canonical_argv)
{
  char *a1[] = { "hr", "--policy=/p", "-root", "/r", "--debug=false", "--systemd-cgroup=1", "-log-format=json",
                 "create", "id", "-b", "/b", "--no-pivot=false", "--no-new-keyring=T", "--preserve-fds", "0x2", NULL };
  static const char *const w1[] = { "--root=/r", "--systemd-cgroup", "--log-format=json", "create",
                                    "--bundle=/b", "--no-new-keyring", "--preserve-fds=2", "--", "id", NULL };
  char *a2[] = { "hr", "exec", "-t=false", "--no-new-privs=0", "-u", "0", "-e", "A=1", "-e", "B=2", "--cwd=",
                 "-d", "id", "--", "-x", NULL };
  static const char *const w2[] = { "exec", "--tty", "--no-new-privs", "--user=1000", "--env=A=1", "--env=B=2",
                                    "--cwd=", "--detach", "--", "id", "--", "-x", NULL };
  struct runc_cli c;
  char *msg;

  ck_assert_int_eq (parse (a1, &c, &msg), 0);
  ck_assert_str_eq (c.policy_path, "/p");
  ck_assert_int_eq (cli_find (&c, "preserve-fds")->number, 2);
  ck_assert (!cli_find (&c, "no-pivot")->on);
  cli_build_argv (&c);
  want_argv (&c, w1);
  cli_release (&c);

  ck_assert_int_eq (parse (a2, &c, &msg), 0);
  ck_assert (!cli_find (&c, "tty")->on);
  ck_assert (!cli_find (&c, "no-new-privs")->on);
  ck_assert_uint_eq (c.n_args, 2);
  ck_assert_str_eq (c.args[0], "--");
  cli_set_bool (&c, "tty", true);
  cli_set_bool (&c, "no-new-privs", true);
  cli_set (&c, "user", "1000");
  cli_build_argv (&c);
  want_argv (&c, w2);
  cli_release (&c);
}
END_TEST

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
  /* dockerd's argv, with a --root nobody has made (the real one, under
   * /run/docker, is 0700: the test, run as nobody, could not check it) */
  char *argv[] = { "hr", "--profile", "restricted", "--policy=/p.json", "--root", "/nonexistent/runtime-runc/moby",
                   "--log", "/b/log.json", "--log-format", "json", "create", "--bundle", "/b", "--pid-file",
                   "/b/init.pid", "abc", NULL };
  int rc;
  char *msg;
  struct runc_cli cli = cli_of (argv, &rc, &msg);
  static const char *const want[] = { "--root", "/nonexistent/runtime-runc/moby", "--log", "/b/log.json",
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
  char *a4[] = { "hr", "--log", "/nonexistent/l", "create", "--bundle", NULL };
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
  ck_assert_str_eq (c.log_path, "/nonexistent/l"); /* still known, to report there */
  free (msg);
  cli_release (&c);
}
END_TEST

/* --log: runc (and the shim, on failure) append lines of the caller's
 * text as root; where the file may be */
START_TEST (cli_log_file)
{
  char dir[] = "/tmp/hr-unit-log.XXXXXX", path[256], bundle[64], log[160], other[160];
  int rc;
  char *msg;
  struct runc_cli c;
  FILE *f;

  ck_assert_ptr_nonnull (mkdtemp (dir));
  snprintf (bundle, sizeof bundle, "%s/b", dir);
  ck_assert_int_eq (mkdir (bundle, 0700), 0);
  snprintf (path, sizeof path, "%s/config.json", bundle);
  f = fopen (path, "w");
  fputs ("{}", f);
  fclose (f);
  snprintf (log, sizeof log, "%s/log.json", bundle);
  {
    /* a new log in the bundle directory (containerd's): fine for create */
    char *a[] = { "hr", "--log", log, "create", "--bundle", bundle, "id", NULL };
    c = cli_of (a, &rc, &msg);
    ck_assert_msg (rc == 0, "%s", msg);
    ck_assert_str_eq (c.log_path, log);
    cli_release (&c);
  }
  {
    /* ... and for other subcommands (exec, delete: containerd passes the
     * same file) */
    char *a[] = { "hr", "--log", log, "delete", "id", NULL };
    c = cli_of (a, &rc, &msg);
    ck_assert_msg (rc == 0, "%s", msg);
    cli_release (&c);
  }
  snprintf (other, sizeof other, "%s/z.sh", dir);
  {
    /* not outside a bundle directory: refused, and the shim does not write
     * its refusal there either */
    char *a[] = { "hr", "--log", other, "create", "--bundle", bundle, "id", NULL };
    c = cli_of (a, &rc, &msg);
    ck_assert_int_lt (rc, 0);
    ck_assert_ptr_nonnull (strstr (msg, "refused: --log "));
    ck_assert_ptr_nonnull (strstr (msg, "does not exist and is not in a bundle directory (one holding a config.json)"));
    ck_assert_ptr_null (c.log_path);
    free (msg);
    cli_release (&c);
  }
  {
    /* a dangling link in the bundle directory: runc would create what it
     * names */
    char *a[] = { "hr", "--log", log, "create", "--bundle", bundle, "id", NULL };
    snprintf (other, sizeof other, "%s/elsewhere.sh", dir);
    ck_assert_int_eq (symlink (other, log), 0);
    c = cli_of (a, &rc, &msg);
    ck_assert_int_lt (rc, 0);
    ck_assert_ptr_nonnull (strstr (msg, "is a link to nothing; runc would create the file it names"));
    free (msg);
    cli_release (&c);
    ck_assert_int_eq (unlink (log), 0);
  }
  snprintf (other, sizeof other, "%s/z.sh", dir);
  /* an existing file: a runc log (or empty) yes, anything else no */
  {
    static const char *const texts[] = { "", "time=\"2026-01-01T00:00:00Z\" level=error msg=\"x\"\n",
                                         "{\"level\":\"error\",\"msg\":\"x\"}\n", "root:x:0:0::/root:/bin/sh\n" };
    for (size_t i = 0; i < ARRAY_SIZE (texts); i++)
      {
        char *a[] = { "hr", "--log", other, "delete", "id", NULL };
        f = fopen (other, "w");
        fputs (texts[i], f);
        fclose (f);
        c = cli_of (a, &rc, &msg);
        if (i < 3)
          ck_assert_msg (rc == 0, "%s", msg);
        else
          {
            ck_assert_int_lt (rc, 0);
            ck_assert_ptr_nonnull (strstr (msg, "exists and is not a runc log"));
            free (msg);
          }
        cli_release (&c);
      }
  }
  {
    char *a[] = { "hr", "--log", "/dev/null", "delete", "id", NULL };
    char *b[] = { "hr", "--log", "/dev/zero", "delete", "id", NULL };
    c = cli_of (a, &rc, &msg);
    ck_assert_int_eq (rc, 0);
    cli_release (&c);
    c = cli_of (b, &rc, &msg);
    ck_assert_int_lt (rc, 0);
    free (msg);
    cli_release (&c);
  }
  snprintf (path, sizeof path, "rm -rf %s", dir);
  ck_assert_int_eq (system (path), 0);
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

Suite *
cli_suite (void)
{
  const TTest *const tests[] = {
    cli_go_integers,
    cli_go_booleans_and_sizes,
    cli_help_false_is_not_help,
    cli_urfave_quirks,
    cli_canonical_argv,
    cli_dockerd_create,
    cli_bundle_forms,
    cli_refusals,
    cli_log_file,
    cli_restore_is_judged,
    cli_passthrough_and_exec,
    NULL,
  };
  return unit_suite ("cli", false, 0, tests);
}
