/* SPDX-License-Identifier: Apache-2.0 */
/* The rewrite engine: chooses the profile and runs the table of controls
 * (harden.c) over a parsed config.json or an exec's process; every change
 * and finding goes into the decision record (decision.h). */
#ifndef HARDENED_HARDEN_H
#define HARDENED_HARDEN_H

#include "decision.h"
#include "error.h"
#include "json.h"
#include "policy.h"

/* Which profile a container gets, most trusted first: EXPLICIT (--profile,
 * from the operator's runtimeArgs); else, for a pod container or sandbox
 * of containerd's CRI plugin (RUNTIME_ROOT, runc's --root, is
 * ".../k8s.io" and the CRI annotations are there), its namespace's entry
 * in sandbox_profiles (sandboxes only), then in namespace_profiles (exact
 * name, then "*"); else the annotation org.hardened-runc.profile when the
 * policy lists that profile in annotation_profiles; else default_profile.
 * Unknown names refuse. */
int harden_choose_profile (const struct policy *p, const char *explicit_name, const char *runtime_root,
                           const char *source, const struct json_value *root, const struct policy_profile **out,
                           hr_err *err);

/* Apply every control of CTX->profile to the spec ROOT (a config.json
 * object), in place.  Refusals return HR_ERR_REFUSED; malformed input
 * HR_ERR_INPUT. */
int harden_spec (struct harden_ctx *ctx, struct json_value *root, hr_err *err);

/* Apply to the process document PROCESS of an exec (its path "process")
 * every control that judges a process, in the table's order.  The LSM
 * labels of an exec are the container's (joined by the caller). */
int harden_process (struct harden_ctx *ctx, struct json_value *process, hr_err *err);

#endif
