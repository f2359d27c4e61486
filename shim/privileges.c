/* SPDX-License-Identifier: Apache-2.0 */
/* no_new_privileges: setuid binaries and file capabilities cannot raise
 * the process's privileges. */
#include "controls.h"
#include "spec.h"
#include "util.h"

int
privileges_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err)
{
  struct json_value *nnp = NULL;
  cleanup_json struct json_value *after = NULL;

  if (!ctx->profile->no_new_privileges)
    return 0;
  if (spec_get (ctx->source, process, "process", "noNewPrivileges", SPEC_BOOL, &nnp, err) < 0)
    return -1;
  if (nnp && nnp->type == JSON_TRUE)
    return 0;
  after = json_new_bool (true);
  changes_add (ctx->changes, "process.noNewPrivileges", nnp, after);
  json_object_set (process, "noNewPrivileges", steal_pointer (&after));
  return 0;
}
