/* SPDX-License-Identifier: Apache-2.0 */
/* The intersection of two seccomp profiles (OCI linux.seccomp JSON): a
 * deny-by-default whitelist that never loosens the profile a container
 * arrives with. */
#ifndef HARDENED_SYSFILTER_INTERSECT_H
#define HARDENED_SYSFILTER_INTERSECT_H

#include <stdint.h>

#include "error.h"
#include "json.h"

/* A syscall is allowed (with its arguments) only if both INCOMING (may be
 * NULL: unconfined) and POLICY allow it; both valid
 * (sysfilter_profile_validate).  CAPS_MASK is the container's final
 * bounding set: syscalls gated on a capability outside it are denied
 * whatever the profiles say (sysfilter_gate.h).  Where the exact
 * intersection cannot be written in libseccomp's terms (two different
 * comparisons of one argument), the result is stricter; those syscall
 * names are set as keys of APPROXIMATED (an object; may be NULL). */
int sysfilter_intersect (const char *display, const struct json_value *incoming, const struct json_value *policy,
                         uint64_t caps_mask, struct json_value **out, struct json_value *approximated, hr_err *err);

#endif
