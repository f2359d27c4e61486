/* SPDX-License-Identifier: Apache-2.0 */
/* pids, memory and swap: swap where runc can set it, 2 x memory at the
 * edges. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controls.h"
#include "json.h"
#include "policy.h"
#include "unit.h"
#include "util.h"

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
  root = unit_parse_ok ("{\"linux\":{\"resources\":{}}}");
  ctx = (struct harden_ctx){ .source = "config.json", .profile = prof, .changes = &ch, .cgroup_root = cgroot };
  ck_assert_int_eq (limits_apply (&ctx, root, &err), 0);
  swap = json_object_get (json_object_get (json_object_get (json_object_get (root, "linux"), "resources"), "memory"),
                          "swap");
  snprintf (got, sizeof got, "%s", swap ? swap->u.str.s : "none");
  changes_release (&ch);
  policy_free (pol);
  return got;
}

START_TEST (limits_swap_where_runc_can_set_it)
{
  const char *dir = unit_tmpdir;
  char p[PATH_MAX];

  /* nothing at all */
  ck_assert_str_eq (swap_after_harden (dir), "none");
  /* cgroup v2 without swap accounting: a child group without the file */
  ck_assert_int_eq (unit_touch (unit_path_in (p, dir, "/cgroup.controllers")), 0);
  ck_assert_int_eq (mkdir (unit_path_in (p, dir, "/system.slice"), 0755), 0);
  ck_assert_int_eq (unit_touch (unit_path_in (p, dir, "/system.slice/memory.max")), 0);
  ck_assert_str_eq (swap_after_harden (dir), "none");
  /* cgroup v2 with it: swap = 2x the 2G default */
  ck_assert_int_eq (unit_touch (unit_path_in (p, dir, "/system.slice/memory.swap.max")), 0);
  ck_assert_str_eq (swap_after_harden (dir), "4294967296");
  /* cgroup v1 without, then with memsw */
  unlink (unit_path_in (p, dir, "/system.slice/memory.swap.max"));
  unlink (unit_path_in (p, dir, "/cgroup.controllers"));
  ck_assert_str_eq (swap_after_harden (dir), "none");
  ck_assert_int_eq (mkdir (unit_path_in (p, dir, "/memory"), 0755), 0);
  ck_assert_int_eq (unit_touch (unit_path_in (p, dir, "/memory/memory.memsw.limit_in_bytes")), 0);
  ck_assert_str_eq (swap_after_harden (dir), "4294967296");
}
END_TEST

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

Suite *
limits_suite (void)
{
  const TTest *const tests[] = {
    limits_swap_where_runc_can_set_it,
    limits_swap_max_at_the_edges,
    NULL,
  };
  return unit_suite ("limits", true, 0, tests);
}
