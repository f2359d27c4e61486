/* SPDX-License-Identifier: Apache-2.0 */
/* LSM labels over prepared directories. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "controls.h"
#include "harden.h"
#include "lsm.h"
#include "policy.h"
#include "unit.h"
#include "util.h"

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
  *out = unit_parse_ok (config);
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
  /* names the kernel does not enforce are replaced: it strips the blanks
   * around what runc writes to attr/exec (" unconfined" is unconfined), a
   * profile in complain mode or loaded with flags=(unconfined) only logs,
   * and a name not loaded confines nothing */
  {
    static const char *const weak[] = { "\" unconfined\"", "\"unconfined\\n\"", "\"\\tunconfined \"", "\"logger\"",
                                        "\"opened\"",       "\"nosuch\"",        "\"docker-default (enforce)\"" };
    lsm_prepare ("Y\n", "docker-default (enforce)\nhardened-runc-default (enforce)\nlogger (complain)\nopened (unconfined)\n",
                 false);
    for (size_t i = 0; i < ARRAY_SIZE (weak); i++)
      {
        char config[128];
        snprintf (config, sizeof config, "{\"process\": {\"apparmorProfile\": %s}}", weak[i]);
        err = lsm_harden (AA_PREFER, config, "c1", &cfg, &f);
        ck_assert_ptr_null (err);
        ck_assert_msg (strcmp (str_at (cfg, "process", "apparmorProfile"), "hardened-runc-default") == 0, "%s kept",
                       weak[i]);
        ck_assert_msg (strstr (f.items[f.len - 1].detail, "is not a profile the kernel enforces"), "%s",
                       f.items[f.len - 1].detail);
        json_free (cfg);
      }
    lsm_cleanup ();
    lsm_prepare ("Y\n", "docker-default (enforce)\nhardened-runc-default (enforce)\n", false);
  }
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
  qsort (pairs, N, sizeof pairs[0], unit_strcmp_ptr);
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
  /* a container without an SELinux label: exec may not choose one */
  se = xstrdup ("unconfined_u:unconfined_r:spc_t:s0");
  aa = NULL;
  ck_assert_int_eq (lsm_exec (&ctx, &env, "mine", "", &aa, &se, &err), -1);
  ck_assert_int_eq (err->kind, HR_ERR_REFUSED);
  ck_assert_msg (strstr (err->msg, "refused: the SELinux label unconfined_u:unconfined_r:spc_t:s0 was asked for a "
                                   "process of a container that has none"),
                 "%s", err->msg);
  hr_error_free (err);
  err = NULL;
  free (se);
  se = NULL;
  /* a container whose profile the kernel does not enforce (" unconfined"
   * is unconfined to the kernel) counts as unconfined: exec --apparmor
   * " unconfined" gets the policy's profile */
  aa = xstrdup (" unconfined");
  ck_assert_int_eq (lsm_exec (&ctx, &env, " unconfined", NULL, &aa, &se, &err), 0);
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

Suite *
lsm_suite (void)
{
  /* 3000 label reservations: generous on a loaded machine (a deadline
   * against hangs, not a speed check) */
  const TTest *const tests[] = {
    lsm_apparmor_modes,
    lsm_selinux_modes_and_labels,
    lsm_mcs_pairs_are_unique,
    lsm_label_format,
    lsm_exec_joins_the_container,
    lsm_policy_errors,
    NULL,
  };
  return unit_suite ("lsm", false, 120, tests);
}
