/* SPDX-License-Identifier: Apache-2.0 */
/* The compliance table (shim/compliance.c): every rule and finding has a
 * CIS Docker Benchmark item, a Pod Security Standards control, or an
 * explicit "none" with a reason; every item it names exists. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "compliance.h"
#include "policy.h"

Suite *compliance_suite (void);

static const struct cis_item *
item (const char *id)
{
  size_t n;
  const struct cis_item *items = compliance_cis_items (&n);
  for (size_t i = 0; i < n; i++)
    if (strcmp (items[i].id, id) == 0)
      return &items[i];
  return NULL;
}

START_TEST (compliance_every_rule_has_a_row)
{
  for (int id = 0; id <= FINDING_SELINUX; id++)
    {
      const char *name = policy_rule_name ((enum rule_id) id);
      const struct compliance_entry *e;
      if (id == RULE_COUNT && FINDING_APPARMOR != RULE_COUNT)
        continue;
      e = compliance_of_rule (name);
      ck_assert_msg (e != NULL, "rule %s has no row in the compliance table", name);
      ck_assert_msg ((e->cis || e->pss) != (e->none != NULL), "rule %s: CIS/PSS, or none with a reason", name);
      if (e->none)
        ck_assert_msg (strlen (e->none) > 20, "rule %s: the reason for none says too little", name);
    }
}
END_TEST

START_TEST (compliance_rows_name_real_items)
{
  size_t n;
  const struct compliance_entry *t = compliance_table (&n);
  for (size_t i = 0; i < n; i++)
    {
      ck_assert_msg ((t[i].cis || t[i].pss) != (t[i].none != NULL), "%s: CIS/PSS, or none", t[i].subject);
      if (t[i].kind == COMPLIANCE_RULE && strcmp (t[i].subject, "apparmor") && strcmp (t[i].subject, "selinux"))
        {
          /* a rule row names a rule the policy knows */
          int found = 0;
          for (int id = 0; id < RULE_COUNT; id++)
            found |= strcmp (policy_rule_name ((enum rule_id) id), t[i].subject) == 0;
          ck_assert_msg (found, "row %s is not a rule", t[i].subject);
        }
      for (const char *p = t[i].cis; p && *p;)
        {
          char id[8] = { 0 };
          size_t len = strcspn (p, " ");
          ck_assert (len < sizeof id);
          memcpy (id, p, len);
          ck_assert_msg (item (id) != NULL, "%s names CIS %s, not in section 5", t[i].subject, id);
          ck_assert_msg (item (id)->coverage != CIS_OUTSIDE, "%s implements %s, said to be outside", t[i].subject, id);
          p += len + (p[len] == ' ');
        }
    }
}
END_TEST

START_TEST (compliance_section_5_is_complete)
{
  size_t n, nt;
  const struct cis_item *items = compliance_cis_items (&n);
  const struct compliance_entry *t = compliance_table (&nt);
  ck_assert_uint_eq (n, 32);
  for (size_t i = 0; i < n; i++)
    {
      char want[32];
      int named = 0;
      snprintf (want, sizeof want, "5.%zu", i + 1);
      ck_assert_str_eq (items[i].id, want);
      ck_assert (items[i].note && items[i].note[0]);
      for (size_t k = 0; k < nt; k++)
        named |= compliance_cis_has (t[k].cis, items[i].id);
      /* enforced or partly: some rule or control implements it */
      ck_assert_msg (named == (items[i].coverage != CIS_OUTSIDE), "CIS %s: coverage and the table disagree",
                     items[i].id);
    }
}
END_TEST

START_TEST (compliance_controls_by_path)
{
  static const char *mapped[] = { "process.capabilities.bounding", "process.capabilities.ambient",
                                  "process.noNewPrivileges",       "process.rlimits.RLIMIT_NOFILE",
                                  "mounts[/tmp]",                  "mounts[/dev].options",
                                  "linux.namespaces[cgroup]",      "linux.resources.pids.limit",
                                  "linux.resources.memory.swap",   "linux.resources.devices[allow c 5:1]",
                                  "linux.seccomp",                 "linux.maskedPaths",
                                  "root.readonly",                 "hooks.prestart[0]",
                                  "process.oomScoreAdj" };
  for (size_t i = 0; i < sizeof mapped / sizeof mapped[0]; i++)
    ck_assert_msg (compliance_of_control (mapped[i]) != NULL, "%s has no row", mapped[i]);
  ck_assert_str_eq (compliance_of_control ("process.capabilities.bounding")->cis, "5.4");
  ck_assert_str_eq (compliance_of_control ("linux.resources.pids.limit")->cis, "5.29");
  ck_assert_ptr_null (compliance_of_control ("mountsX"));
  ck_assert_ptr_null (compliance_of_control ("root"));
  ck_assert (compliance_cis_has ("5.10 5.16", "5.16"));
  ck_assert (!compliance_cis_has ("5.10 5.16", "5.1"));
  ck_assert (!compliance_cis_has (NULL, "5.1"));
  ck_assert_str_eq (compliance_label (compliance_of_rule ("privileged")),
                    "CIS 5.5 5.23; PSS baseline: Privileged Containers");
}
END_TEST

Suite *
compliance_suite (void)
{
  Suite *s = suite_create ("compliance");
  TCase *tc = tcase_create ("compliance");
  tcase_add_test (tc, compliance_every_rule_has_a_row);
  tcase_add_test (tc, compliance_rows_name_real_items);
  tcase_add_test (tc, compliance_section_5_is_complete);
  tcase_add_test (tc, compliance_controls_by_path);
  suite_add_tcase (s, tc);
  return s;
}
