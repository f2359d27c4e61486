/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the rules of a valid seccomp profile: what a rule or the
 * default does, whether a comparison holds, and an index of the rules by
 * syscall name. */
#ifndef HARDENED_SYSFILTER_RULES_H
#define HARDENED_SYSFILTER_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"

/* The rule R has argument comparisons; its action lets the call run. */
bool sysfilter_rule_has_args (const struct json_value *r);
bool sysfilter_rule_allows (const struct json_value *r);

/* The profile P's default action lets a call run. */
bool sysfilter_default_allows (const struct json_value *p);

/* runc drops rules whose action (and errno) are the default's (DEF: P's
 * defaultAction): R is one. */
bool sysfilter_is_default_rule (const struct json_value *p, const struct json_value *r, const struct json_value *def);

/* The comparison A ({index, value, valueTwo, op}) holds for ARGS. */
bool sysfilter_cmp_holds (const struct json_value *a, const uint64_t args[6]);

/* The rules that name one syscall, in profile order. */
struct sysfilter_rules
{
  const struct json_value **items;
  size_t n;
};

/* (name, rule) pairs sorted by name then position: one lookup per name
 * instead of a scan of every rule (profiles name hundreds of syscalls). */
struct sysfilter_index
{
  struct sysfilter_index_entry
  {
    const char *name;
    uint64_t hash; /* of name: most comparisons end on it */
    size_t pos;
    const struct json_value *rule;
  } *e;
  size_t n;
};

/* Index the rules of P (NULL: none); release with sysfilter_index_release. */
void sysfilter_index_build (const struct json_value *p, struct sysfilter_index *ix);
void sysfilter_index_release (struct sysfilter_index *ix);

/* The rules for NAME; R->items is allocated (free it). */
void sysfilter_index_lookup (const struct sysfilter_index *ix, const char *name, struct sysfilter_rules *r);

#endif
