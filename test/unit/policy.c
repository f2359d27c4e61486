/* SPDX-License-Identifier: Apache-2.0 */
/* The policy file: the embedded default, errors naming file, line and
 * key, profiles by namespace, sizes and capabilities. */
#include <check.h>
#include <string.h>

#include "policy.h"
#include "unit.h"
#include "util.h"

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

Suite *
policy_suite (void)
{
  const TTest *const tests[] = {
    policy_embedded_default_is_valid,
    policy_errors_name_file_line_key,
    policy_namespace_profiles,
    policy_sizes_and_caps,
    NULL,
  };
  return unit_suite ("policy", false, 0, tests);
}
