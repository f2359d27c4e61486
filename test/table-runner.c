/* SPDX-License-Identifier: Apache-2.0 */
/* Table-driven tests: each directory under the given root is one case.
 *
 *   config.json       the input spec
 *   policy.json       the policy (optional; the embedded default otherwise)
 *   profile           a profile name (optional; the default profile otherwise)
 *   expected.json     the spec the engine must produce, or
 *   expected-error    line 1: refused | input | usage | internal
 *                     line 2: a substring the message must contain
 *   expected-changes  optional: the recorded controls, one per line, in order
 *   expected-findings optional: "rule action" per line, the rules that matched
 *
 * Every passing case is also applied a second time, which must change
 * nothing (the rewrite is idempotent).  Prints "N passed, N failed". */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "harden.h"
#include "controls.h"
#include "lsm.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "util.h"

static char *
read_opt (const char *dir, const char *name, size_t *len)
{
  cleanup_free char *path = xasprintf ("%s/%s", dir, name);
  cleanup_hr_error hr_err err = NULL;
  char *buf = NULL;
  size_t l = 0;

  if (file_read_regular (AT_FDCWD, path, path, 64u << 20, &buf, &l, NULL, &err) < 0)
    return NULL;
  if (len)
    *len = l;
  return buf;
}

static void
chomp (char *s)
{
  size_t n = strlen (s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
    s[--n] = '\0';
}

static const char *
kind_name (enum hr_error_kind k)
{
  switch (k)
    {
    case HR_ERR_REFUSED:
    case HR_ERR_FORBIDDEN:
      return "refused";
    case HR_ERR_INPUT:
      return "input";
    case HR_ERR_USAGE:
      return "usage";
    case HR_ERR_INTERNAL:
    default:
      return "internal";
    }
}

static void
print_json (const char *label, const struct json_value *v)
{
  cleanup_free char *text = NULL;
  cleanup_hr_error hr_err err = NULL;
  size_t len;

  if (json_generate (v, &text, &len, &err) == 0)
    fprintf (stderr, "    %s: %s\n", label, text);
}

/* Returns NULL on success, else a malloc'd reason. */
static char *
run_case (const char *dir)
{
  cleanup_free char *config = NULL, *policy_text = NULL, *profile_name = NULL, *runtime_root = NULL, *expected = NULL;
  cleanup_free char *expected_error = NULL, *expected_changes = NULL, *display = NULL, *expected_findings = NULL;
  struct findings findings = { 0 };
  cleanup_policy struct policy *policy = NULL;
  cleanup_spec struct spec *spec = NULL;
  cleanup_json struct json_value *want = NULL;
  cleanup_hr_error hr_err err = NULL;
  const struct policy_profile *profile = NULL;
  struct changes changes = { 0 }, again = { 0 };
  struct harden_ctx ctx;
  struct lsm_env lsm;
  size_t config_len = 0, policy_len = 0, expected_len = 0;
  cleanup_close int bundle_fd = -1;
  char *reason = NULL;
  int r;

  config = read_opt (dir, "config.json", &config_len);
  if (config == NULL)
    return xstrdup ("no config.json");
  policy_text = read_opt (dir, "policy.json", &policy_len);
  profile_name = read_opt (dir, "profile", NULL);
  runtime_root = read_opt (dir, "root", NULL); /* runc's --root */
  expected = read_opt (dir, "expected.json", &expected_len);
  expected_error = read_opt (dir, "expected-error", NULL);
  expected_changes = read_opt (dir, "expected-changes", NULL);
  expected_findings = read_opt (dir, "expected-findings", NULL);
  if ((expected == NULL) == (expected_error == NULL))
    return xstrdup ("needs exactly one of expected.json and expected-error");
  if (profile_name)
    chomp (profile_name);
  if (runtime_root)
    chomp (runtime_root);

  if (policy_text)
    r = policy_parse (policy_text, policy_len, "policy.json", &policy, &err);
  else
    {
      size_t len;
      const char *text = policy_embedded_text (&len);
      r = policy_parse (text, len, "embedded default policy", &policy, &err);
    }
  if (r == 0)
    r = spec_load_buffer (config, config_len, "config.json", &spec, &err);
  if (r == 0)
    r = harden_choose_profile (policy, profile_name, runtime_root, "config.json", spec->root, &profile, &err);
  if (r == 0)
    {
      /* LSMs: the case's prepared lsm/ directory (AppArmor only: SELinux
       * labels are random, see the unit tests), else none enabled, so the
       * results do not depend on the machine */
      cleanup_free char *lsm_root = xasprintf ("%s/lsm", dir);
      /* the case directory is the bundle: relative bind sources start there
       * (open for the second application too) */
      bundle_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (access (lsm_root, F_OK) < 0)
        {
          free (lsm_root);
          lsm_root = xstrdup ("/nonexistent/hardened-runc-lsm");
        }
      lsm_env_prepared (&lsm, lsm_root);
      ctx = (struct harden_ctx){ .source = "config.json",
                                 .profile = profile,
                                 .changes = &changes,
                                 .findings = &findings,
                                 .lsm = &lsm,
                                 .container_id = "table",
                                 .has_bundle = bundle_fd >= 0,
                                 .bundle_fd = bundle_fd };
      r = harden_spec (&ctx, spec->root, &err);
    }

  if (expected_error)
    {
      char *nl = strchr (expected_error, '\n');
      char *substr = nl ? nl + 1 : (char *) "";
      if (nl)
        *nl = '\0';
      chomp (substr);
      if (r == 0)
        reason = xasprintf ("expected a %s error containing \"%s\", but it succeeded", expected_error, substr);
      else if (strcmp (kind_name (err->kind), expected_error) != 0 || strstr (err->msg, substr) == NULL)
        reason = xasprintf ("expected a %s error containing \"%s\", got %s: %s", expected_error, substr,
                            kind_name (err->kind), err->msg);
      goto out;
    }
  if (r < 0)
    {
      reason = xasprintf ("unexpected %s error: %s", kind_name (err->kind), err->msg);
      goto out;
    }

  if (json_parse (expected, expected_len, "expected.json", &(struct json_limits){ .max_depth = 64 }, &want, &err) < 0)
    {
      reason = xasprintf ("bad expected.json: %s", err->msg);
      goto out;
    }
  {
    /* compare what would be written, re-parsed, not the in-memory tree */
    cleanup_free char *text = NULL;
    cleanup_json struct json_value *written = NULL;
    size_t len;
    if (json_generate (spec->root, &text, &len, &err) < 0
        || json_parse (text, len, "generated", &(struct json_limits){ .max_depth = 64 }, &written, &err) < 0)
      {
        reason = xasprintf ("cannot round-trip the result: %s", err->msg);
        goto out;
      }
    if (!json_equal (written, want))
      {
        print_json ("got     ", written);
        print_json ("expected", want);
        reason = xstrdup ("result differs from expected.json");
        goto out;
      }
  }
  if (expected_changes)
    {
      struct strbuf got = { 0 };
      for (size_t i = 0; i < changes.len; i++)
        {
          strbuf_appends (&got, changes.items[i].control);
          strbuf_appends (&got, "\n");
        }
      chomp (expected_changes);
      if (got.len)
        chomp (got.buf);
      if (strcmp (got.buf ? got.buf : "", expected_changes) != 0)
        reason = xasprintf ("changes differ:\n--- got\n%s\n--- expected\n%s", got.buf ? got.buf : "",
                            expected_changes);
      strbuf_release (&got);
      if (reason)
        goto out;
    }

  if (expected_findings)
    {
      struct strbuf got = { 0 };
      for (size_t i = 0; i < findings.len; i++)
        {
          strbuf_appends (&got, policy_rule_name (findings.items[i].rule));
          strbuf_appends (&got, " ");
          strbuf_appends (&got, policy_action_name (findings.items[i].action));
          strbuf_appends (&got, "\n");
        }
      chomp (expected_findings);
      if (got.len)
        chomp (got.buf);
      if (strcmp (got.buf ? got.buf : "", expected_findings) != 0)
        reason = xasprintf ("findings differ:\n--- got\n%s\n--- expected\n%s", got.buf ? got.buf : "", expected_findings);
      strbuf_release (&got);
      if (reason)
        goto out;
    }

  ctx.changes = &again;
  ctx.findings = NULL;
  if (harden_spec (&ctx, spec->root, &err) < 0)
    reason = xasprintf ("second application failed: %s", err->msg);
  else if (again.len != 0)
    reason = xasprintf ("not idempotent: the second application changed %s", again.items[0].control);

out:
  changes_release (&changes);
  changes_release (&again);
  findings_release (&findings);
  return reason;
}

static int
cmp_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

int
main (int argc, char **argv)
{
  const char *root = argc > 1 ? argv[1] : "test/cases";
  DIR *d = opendir (root);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, passed = 0, failed = 0;

  if (d == NULL)
    {
      perror (root);
      return 2;
    }
  while ((de = readdir (d)) != NULL)
    {
      if (de->d_name[0] == '.')
        continue;
      names = xreallocarray (names, n + 1, sizeof *names);
      names[n++] = xstrdup (de->d_name);
    }
  closedir (d);
  qsort (names, n, sizeof *names, cmp_names);

  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *dir = xasprintf ("%s/%s", root, names[i]);
      cleanup_free char *reason = run_case (dir);
      if (reason)
        {
          failed++;
          printf ("FAIL %s: %s\n", names[i], reason);
        }
      else
        {
          passed++;
          printf ("ok   %s\n", names[i]);
        }
      free (names[i]);
    }
  free (names);
  printf ("table: %zu passed, %zu failed\n", passed, failed);
  return failed || passed == 0 ? 1 : 0;
}
