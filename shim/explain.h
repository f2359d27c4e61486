/* SPDX-License-Identifier: Apache-2.0 */
/* hardened-runc explain and validate-policy. */
#ifndef HARDENED_EXPLAIN_H
#define HARDENED_EXPLAIN_H

#include <stddef.h>
#include <stdio.h>

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
/* The shim's lines of --version: its own version and the policy in effect
 * (POLICY_PATH, or the system policy, or the embedded default) with its
 * mode; a policy that cannot be loaded is named, not fatal.  The real
 * runtime's own lines follow (main execs it). */
void explain_print_version (FILE *out, const char *policy_path);
/* The shim's part of --help: its options and subcommands. */
void explain_print_help (FILE *out);
int validate_policy_main (int argc, char **argv);

/* A value option of the shim's own commands, as "--NAME VALUE" or
 * "--NAME=VALUE". */
struct explain_option
{
  const char *name;
  const char **value;
};
/* ARGV[I] as one of OPTS (N): how many words it took (1 or 2), 0 when it
 * is none of them, -1 when its value is missing. */
int explain_value_option (int argc, char **argv, int i, const struct explain_option *opts, size_t n);

#endif
