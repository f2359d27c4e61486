/* SPDX-License-Identifier: Apache-2.0 */
/* linux.cgroupsPath never inside another container's cgroup. */
#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controls.h"
#include "json.h"
#include "policy.h"
#include "unit.h"
#include "util.h"

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
  root = unit_parse_ok (text);
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

START_TEST (cgroups_path_never_inside_another_container)
{
  const char *dir = unit_tmpdir;
  char p[PATH_MAX], cmd[PATH_MAX * 2];
  char *v;

  /* cgroup v1: /docker/A holds a process in the pids hierarchy only */
  ck_assert_int_eq (mkdir (unit_path_in (p, dir, "/pids"), 0755), 0);
  ck_assert_int_eq (mkdir (unit_path_in (p, dir, "/memory"), 0755), 0);
  snprintf (cmd, sizeof cmd, "mkdir -p %s/pids/docker/A %s/memory/docker/A %s/pids/kubepods/burstable/pod1/P", dir,
            dir, dir);
  ck_assert_int_eq (system (cmd), 0);
  unit_put_file (unit_path_in (p, dir, "/pids/docker/cgroup.procs"), "");
  unit_put_file (unit_path_in (p, dir, "/pids/docker/A/cgroup.procs"), "4242\n");
  unit_put_file (unit_path_in (p, dir, "/memory/docker/A/cgroup.procs"), "");
  unit_put_file (unit_path_in (p, dir, "/pids/kubepods/burstable/pod1/cgroup.procs"), "");
  unit_put_file (unit_path_in (p, dir, "/pids/kubepods/burstable/pod1/P/cgroup.procs"), "77\n");
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
  ck_assert_int_eq (system (unit_path_in (p, "rm -rf ", dir)), 0);
  ck_assert_int_eq (mkdir (dir, 0755), 0);
  ck_assert_int_eq (unit_touch (unit_path_in (p, dir, "/cgroup.controllers")), 0);
  snprintf (cmd, sizeof cmd, "mkdir -p %s/docker/A", dir);
  ck_assert_int_eq (system (cmd), 0);
  unit_put_file (unit_path_in (p, dir, "/docker/A/cgroup.procs"), "1\n");
  ck_assert_ptr_null (cgroups_path_verdict (dir, "/docker/B"));
  v = cgroups_path_verdict (dir, "/docker/A/B");
  ck_assert_ptr_nonnull (v);
  free (v);
}
END_TEST

Suite *
cgroups_suite (void)
{
  const TTest *const tests[] = {
    cgroups_path_never_inside_another_container,
    NULL,
  };
  return unit_suite ("cgroups", true, 0, tests);
}
