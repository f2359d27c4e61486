/* SPDX-License-Identifier: Apache-2.0 */
/* What a seccomp profile decides for one call, read from its JSON as the
 * kernel filter runc builds from it would decide (native architecture).
 * For tests only: linked into the unit tests and the property test, never
 * into the shim. */
#ifndef HARDENED_TEST_SECCOMP_EVAL_H
#define HARDENED_TEST_SECCOMP_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "json.h"

/* PROFILE (valid; NULL: unconfined) lets syscall NAME run with ARGS. */
bool sysfilter_eval_allows (const struct json_value *profile, const char *name, const uint64_t args[6]);

#endif
