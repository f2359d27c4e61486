/* SPDX-License-Identifier: Apache-2.0 */
/* report: the audit log summed up, damaged lines counted. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "report.h"
#include "unit.h"
#include "util.h"

START_TEST (report_counts_lines)
{
  const char *dir = unit_tmpdir;
  char log[128], out[128], *text = NULL;
  char *argv[] = { "report", "--json", log, NULL };
  hr_err err = NULL;
  size_t len = 0;
  int saved, fd;
  FILE *fp;

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
}
END_TEST

Suite *
report_suite (void)
{
  const TTest *const tests[] = {
    report_counts_lines,
    NULL,
  };
  return unit_suite ("report", true, 0, tests);
}
