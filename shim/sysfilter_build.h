/* SPDX-License-Identifier: Apache-2.0 */
/* The libseccomp build check: a profile is compiled into a filter for the
 * native architecture (not loaded), what runc would do, so a profile
 * runc would fail on fails here, clearly. */
#ifndef HARDENED_SYSFILTER_BUILD_H
#define HARDENED_SYSFILTER_BUILD_H

#include <stdbool.h>

#include "bounded.h"
#include "error.h"
#include "json.h"

/* Build PROFILE (valid) in a child process with a deadline (bounded.h):
 * libseccomp 2.5 can loop for ever on some rule sets. */
int sysfilter_build_check (const char *display, const struct json_value *profile, hr_err *err);

/* The same, remembering profiles that built in the cache CACHE_DIR
 * (sysfilter_cache.h; NULL: none), so the profiles dockerd sends again
 * and again are built once per boot.  IN_CHILD: the caller runs under a
 * deadline already, libseccomp is called directly. */
int sysfilter_build_check_cached (const char *cache_dir, const char *display, const struct json_value *profile,
                                  bool in_child, hr_err *err);

/* Run FN (ARG) under the deadline of seccomp work (5 s), WHAT naming the
 * profile in messages; a child past it is refused (HR_ERR_REFUSED). */
int sysfilter_bounded (const char *what, bounded_fn fn, void *arg, struct json_value **out, hr_err *err);

#endif
