/* SPDX-License-Identifier: Apache-2.0 */
/* What each rule and control implements: the CIS Docker Benchmark v1.6.0
 * section 5 item(s) and the Kubernetes Pod Security Standards control, in
 * one table (compliance.c), and section 5 item by item for report --cis. */
#ifndef HARDENED_COMPLIANCE_H
#define HARDENED_COMPLIANCE_H

#include <stddef.h>

enum compliance_kind
{
  COMPLIANCE_RULE,    /* a rule or LSM finding, by name */
  COMPLIANCE_CONTROL, /* a change, by the config.json path it starts with */
};

struct compliance_entry
{
  enum compliance_kind kind;
  const char *subject; /* rule name, or a path prefix ("process.capabilities") */
  const char *cis;     /* "5.4", "5.10 5.16", or NULL */
  const char *pss;     /* "baseline: Capabilities", or NULL */
  const char *none;    /* when both are NULL: why neither applies */
};

/* The whole table. */
const struct compliance_entry *compliance_table (size_t *n);
/* The entry for rule (or finding) NAME, or NULL. */
const struct compliance_entry *compliance_of_rule (const char *name);
/* The entry for a change's CONTROL (the longest path prefix), or NULL. */
const struct compliance_entry *compliance_of_control (const char *control);
/* "CIS 5.4; PSS baseline: Capabilities" or "none: REASON"; static. */
const char *compliance_label (const struct compliance_entry *e);

enum cis_coverage
{
  CIS_ENFORCED, /* in config.json or runc's command line, judged here */
  CIS_PARTLY,   /* part of the item is in the runtime's view */
  CIS_OUTSIDE,  /* the engine's or the host's: a runtime cannot see it */
};

struct cis_item
{
  const char *id; /* "5.4" */
  const char *title;
  enum cis_coverage coverage;
  const char *note; /* how, or why not */
};

/* CIS Docker Benchmark v1.6.0 section 5, 5.1 to 5.32 in order. */
const struct cis_item *compliance_cis_items (size_t *n);
const char *compliance_coverage_name (enum cis_coverage c);
/* Whether the space-separated item list LIST names item ID. */
int compliance_cis_has (const char *list, const char *id);

#endif
