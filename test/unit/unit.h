/* SPDX-License-Identifier: Apache-2.0 */
/* What the unit test files share (testlib.c) and the suites the runner
 * (unit.c) runs: one file per module.  Every test runs without root, in a
 * temporary directory of its own, and never writes into /run. */
#ifndef HARDENED_TEST_UNIT_H
#define HARDENED_TEST_UNIT_H

#include <check.h>
#include <stdbool.h>
#include <sys/types.h>

#include "json.h"

extern const struct json_limits unit_limits;

/* TEXT parsed (the test fails if it does not parse) */
struct json_value *unit_parse_ok (const char *text);
/* V generated (the test fails if it cannot be) */
char *unit_gen (const struct json_value *v);
int unit_strcmp_ptr (const void *a, const void *b);

/* A checked fixture: a fresh mkdtemp directory per test (unit_tmpdir),
 * removed after it. */
extern char unit_tmpdir[64];
void unit_tmp_setup (void);
void unit_tmp_teardown (void);
/* NAME (relative to unit_tmpdir) with TEXT, mode MODE */
void unit_write_file (const char *name, const char *text, mode_t mode);
/* PATH (absolute) with CONTENT; an empty file */
void unit_put_file (const char *path, const char *content);
int unit_touch (const char *path);
/* DIR followed by REST, in BUF (PATH_MAX) */
const char *unit_path_in (char *buf, const char *dir, const char *rest);

/* A suite NAME of one test case NAME: the NULL-terminated TESTS, each in
 * a fresh unit_tmpdir when TMPDIR, with TIMEOUT seconds each (0: check's
 * default). */
Suite *unit_suite (const char *name, bool tmpdir, int timeout, const TTest *const *tests);

Suite *json_suite (void);
Suite *cli_suite (void);
Suite *policy_suite (void);
Suite *fileio_suite (void);
Suite *spec_suite (void);
Suite *lsm_suite (void);
Suite *metrics_suite (void);
Suite *report_suite (void);
Suite *limits_suite (void);
Suite *cgroups_suite (void);
Suite *digest_suite (void);
Suite *util_suite (void);
Suite *workdir_suite (void);
Suite *fields_suite (void);
Suite *compliance_suite (void);
Suite *sysfilter_suite (void);

#endif
