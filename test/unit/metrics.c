/* SPDX-License-Identifier: Apache-2.0 */
/* Prometheus textfile counters: counted, and a damaged file heals. */
#include <check.h>
#include <dirent.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <stdlib.h>

#include "fileio.h"
#include "metrics.h"
#include "unit.h"
#include "util.h"

START_TEST (metrics_counts_and_heals)
{
  const char *dir = unit_tmpdir;
  char path[128], *text = NULL;
  struct findings f = { 0 };
  struct audit_record rec = { .subcommand = "create", .profile = "base\"line", .outcome = "refused", .findings = &f };
  hr_err err = NULL;
  size_t len = 0;
  FILE *fp;

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
  /* node_exporter reads the file whole: mode 0644, and nothing but it and
   * its lock beside it (no temporary file left) */
  {
    struct stat st;
    struct dirent *e;
    DIR *d = opendir (dir);
    size_t n = 0;
    ck_assert_int_eq (stat (path, &st), 0);
    ck_assert_uint_eq (st.st_mode & 07777, 0644);
    ck_assert_ptr_nonnull (d);
    while ((e = readdir (d)) != NULL)
      if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
        {
          ck_assert_msg (strcmp (e->d_name, "m.prom") == 0 || strcmp (e->d_name, "m.prom.lock") == 0, "left: %s",
                         e->d_name);
          n++;
        }
    closedir (d);
    ck_assert_uint_eq (n, 2);
  }
  findings_release (&f);
}
END_TEST

Suite *
metrics_suite (void)
{
  const TTest *const tests[] = {
    metrics_counts_and_heals,
    NULL,
  };
  return unit_suite ("metrics", true, 0, tests);
}
