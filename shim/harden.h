/* SPDX-License-Identifier: Apache-2.0 */
/* The rewrite engine: applies a profile to a parsed config.json and records
 * every change it makes. */
#ifndef HARDENED_HARDEN_H
#define HARDENED_HARDEN_H

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

/* What a control needs to know. */
struct harden_ctx
{
  const char *source; /* config.json's name, for messages */
  const struct policy_profile *profile;
  struct changes *changes;
};

/* Apply every control of CTX->profile to the spec ROOT (a config.json
 * object), in place.  Refusals return HR_ERR_REFUSED; malformed input
 * HR_ERR_INPUT. */
int harden_spec (struct harden_ctx *ctx, struct json_value *root, hr_err *err);

/* Controls, one family per file. */
int caps_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
int privileges_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
int mounts_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
int limits_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
int rlimits_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err);

#endif
