/* SPDX-License-Identifier: Apache-2.0 */
/* The unit test runner (check): one suite per module, each in its own
 * file beside this one (unit.h).  No test needs root (make check-unit
 * runs them as nobody when it is root) and each writes only below a
 * mkdtemp directory of its own. */
#include <check.h>
#include <stdlib.h>

#include "unit.h"

int
main (void)
{
  static Suite *(*const suites[]) (void) = {
    json_suite,   cli_suite,    policy_suite,  fileio_suite, spec_suite,    lsm_suite,    metrics_suite,
    report_suite, limits_suite, cgroups_suite, digest_suite, util_suite,    workdir_suite, fields_suite,
    compliance_suite, sysfilter_suite,
  };
  SRunner *sr = srunner_create (NULL);
  int failed;

  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
    srunner_add_suite (sr, suites[i] ());
  srunner_run_all (sr, CK_NORMAL);
  failed = srunner_ntests_failed (sr);
  srunner_free (sr);
  return failed == 0 ? 0 : 1;
}
