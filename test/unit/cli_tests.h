/* SPDX-License-Identifier: Apache-2.0 */
/* runc's command line as runc 1.1 parses it (test/unit/cli.c). */
#ifndef HARDENED_TEST_CLI_TESTS_H
#define HARDENED_TEST_CLI_TESTS_H
#include <check.h>
TCase *cli_tcase (void);
#endif
