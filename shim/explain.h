/* SPDX-License-Identifier: Apache-2.0 */
/* hardened-runc explain and validate-policy. */
#ifndef HARDENED_EXPLAIN_H
#define HARDENED_EXPLAIN_H

/* Exit codes, documented in hardened-runc(8). */
enum exit_code
{
  EXIT_OK = 0,
  EXIT_INTERNAL = 1,
  EXIT_USAGE = 2,
  EXIT_REFUSED = 3,
  EXIT_INVALID = 4,
};

int explain_main (int argc, char **argv);
int validate_policy_main (int argc, char **argv);

#endif
