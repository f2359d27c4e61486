/* SPDX-License-Identifier: Apache-2.0 */
/* The decision record every control writes into (the changes it makes and
 * the rules that matched) and the context a control is given.  The bottom
 * of the engine: controls include this, never the engine (harden.h). */
#ifndef HARDENED_DECISION_H
#define HARDENED_DECISION_H

#include <stdbool.h>

#include "error.h"
#include "json.h"
#include "policy.h"

struct change
{
  char *control;             /* "process.capabilities.bounding" */
  struct json_value *before; /* NULL: absent */
  struct json_value *after;  /* NULL: removed */
};

struct changes
{
  struct change *items;
  size_t len, cap;
};

/* Records a change with copies of BEFORE and AFTER (either may be NULL). */
void changes_add (struct changes *c, const char *control, const struct json_value *before,
                  const struct json_value *after);
void changes_release (struct changes *c);

/* A rule that matched: refused (deny), changed (mutate) or logged (warn). */
struct finding
{
  enum rule_id rule;
  enum rule_action action;
  char *detail; /* one sentence: what was found and what to change */
};

struct findings
{
  struct finding *items;
  size_t len, cap;
};

void findings_add (struct findings *f, enum rule_id rule, enum rule_action action, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));
void findings_release (struct findings *f);

struct harden_ctx;
/* A rule matched: record the finding DETAIL (one sentence) under ACTION;
 * a deny also refuses (HR_ERR_REFUSED) with the rule's name. */
int decision_match (struct harden_ctx *ctx, enum rule_id rule, enum rule_action action, const char *detail,
                    hr_err *err);

struct lsm_env;

/* What a control needs to know. */
struct harden_ctx
{
  const char *source; /* config.json's name, for messages */
  const struct policy_profile *profile;
  struct changes *changes;
  struct findings *findings; /* may be NULL */
  const struct lsm_env *lsm;  /* NULL: the machine's */
  const char *container_id;   /* NULL: explain (nothing is reserved) */
  bool restore;               /* runc restore: the "restore" rule applies */
  const char *cgroup_root;    /* NULL: /sys/fs/cgroup (tests point elsewhere) */
  const char *rootfs;         /* the container's root file system on the host, or NULL: the
                               * working-directory check then does not follow its links */
  const struct json_value *mounts; /* the container's mounts (config.json's or runc's state), for
                                    * the working-directory check; NULL: config.json's in
                                    * rules_check, none for exec */
  bool has_bundle;            /* bundle_fd is the bundle directory (runc's */
  int bundle_fd;              /* base for relative paths) */
  bool pin_binds;             /* bind sources handed to runc through staging mounts (binds.c) */
  const char *seccomp_cache_dir; /* where seccomp work is remembered (sysfilter_cache.h); NULL: nowhere */
};

#endif
