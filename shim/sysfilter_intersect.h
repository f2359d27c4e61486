/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp control: a deny-by-default whitelist that never loosens the
 * profile a container arrives with.  Profiles are OCI linux.seccomp JSON. */
#ifndef HARDENED_SECCOMP_H
#define HARDENED_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "decision.h"
#include "json.h"

/* The text of a profile shipped in profiles/seccomp/ and compiled in, or
 * NULL. */
const char *seccomp_embedded_profile (const char *name, size_t *len);

/* Load the profile a policy names: an embedded name or an absolute path.
 * Validates its structure; CHECK_NAMES (always for files, and by
 * validate-policy): every syscall name must be known to libseccomp on some
 * architecture. */
int seccomp_profile_load (const char *ref, struct json_value **out, char **display, hr_err *err);
int seccomp_profile_validate (const char *display, const struct json_value *profile, bool check_names, hr_err *err);

/* The intersection: a syscall is allowed (with its arguments) only if both
 * INCOMING (may be NULL: unconfined) and POLICY allow it.  CAPS_MASK is the
 * container's final bounding set: syscalls gated on a capability outside
 * it are denied whatever the profiles say.  Where the exact intersection
 * cannot be written in libseccomp's terms (two different comparisons of
 * one argument), the result is stricter; those syscall names are set as
 * keys of APPROXIMATED (an object; may be NULL). */
int seccomp_intersect (const char *display, const struct json_value *incoming, const struct json_value *policy,
                       uint64_t caps_mask, struct json_value **out, struct json_value *approximated, hr_err *err);

/* How capabilities decide NAME for a container whose bounding set is
 * CAPS_MASK: 1 kept (the policy's side allows it), -1 dropped (denied
 * whatever the profiles say), 0 not gated on a capability. */
int seccomp_cap_gate (const char *name, uint64_t caps_mask);

/* Build the filter with libseccomp for the native architecture (not
 * loaded): what runc would do, so a bad profile fails here, clearly. */
int seccomp_build_check (const char *display, const struct json_value *profile, hr_err *err);

/* The same, remembering profiles that built (as root: in
 * /run/hardened-runc/seccomp-built, 4096 buckets, each entry signed with a
 * per-boot key), so the profiles dockerd sends again and again are built
 * once per boot. */
int seccomp_build_check_cached (const char *display, const struct json_value *profile, hr_err *err);

/* Where the cache of seccomp work lives: DIR (owned by the caller, mode
 * 0700; created so when missing), NULL for the default
 * /run/hardened-runc (used only as root), "" for no cache at all. */
void seccomp_cache_set_dir (const char *dir);

/* Evaluate PROFILE for syscall NAME with ARGS as the kernel filter would
 * (native arch): returns true when the call is allowed.  For tests. */
bool seccomp_eval_allows (const struct json_value *profile, const char *name, const uint64_t args[6]);

/* The control: linux.seccomp = intersect(linux.seccomp, profile). */
int seccomp_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err);

#endif
