/* SPDX-License-Identifier: Apache-2.0 */
/* The spec surface: every config.json field an OCI runtime reads, with the
 * one decision the shim takes on it.  The table is the list a reviewer
 * checks; fields_check enforces the parts that are decided here (refused
 * fields, spellings runc would read differently) and the controls judge
 * the rest.  See hardened-runc(8), "THE SPEC SURFACE". */
#ifndef HARDENED_FIELDS_H
#define HARDENED_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "json.h"

/* The runtime-spec versions the table covers: every field of v1.0.2,
 * v1.1.0, v1.2.0 and v1.2.1 (their published JSON schemas, Linux parts). */
#define FIELDS_SPEC_VERSION_MAJOR 1
#define FIELDS_SPEC_VERSION_MINOR 2
#define FIELDS_SPEC_VERSION "1.2"

enum field_decision
{
  FIELD_JUDGED,  /* a control or rule decides; WHY names it */
  FIELD_PASSED,  /* kept as given; WHY says why that is harmless */
  FIELD_REFUSED, /* present (and not null): the container is refused */
};

struct json_value;
struct fields_env;

struct field_row
{
  /* "linux.resources.memory.limit"; "[]" an array's items, "{}" a map's
   * values (keys chosen by the writer) */
  const char *path;
  enum field_decision decision;
  const char *why;
  /* a check this module does itself (NULL: the named control does it) */
  int (*check) (const struct fields_env *env, const struct json_value *v, const char *where, hr_err *err);
};

struct fields_env
{
  const char *source; /* config.json's name, for messages */
  int bundle_fd;      /* relative paths are runc's from here; -1: not checked */
};

/* The table, sorted by path. */
const struct field_row *fields_table (size_t *len);
/* The row of PATH, or NULL. */
const struct field_row *fields_lookup (const char *path);
const char *fields_decision_name (enum field_decision d);

/* Walk the document ROOT whose path is BASE ("" for a whole config.json,
 * "process" for an exec --process document): refuse a key that runc
 * would read as a spec field but that is spelled differently (Go's
 * decoder folds case), any refused field, and what this module's own
 * checks refuse.  Keys no spec version defines are left as they are. */
int fields_check (const struct fields_env *env, const struct json_value *root, const char *base, hr_err *err);

#endif
