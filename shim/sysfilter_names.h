/* SPDX-License-Identifier: Apache-2.0 */
/* The OCI spelling of a seccomp profile and what libseccomp makes of it:
 * architectures, comparisons, actions and syscall names.  The one place
 * that knows both vocabularies. */
#ifndef HARDENED_SYSFILTER_NAMES_H
#define HARDENED_SYSFILTER_NAMES_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "json.h"

/* libseccomp's token for the architecture V names ("SCMP_ARCH_X86_64"),
 * or 0 (no architecture is 0) when V is not one. */
uint32_t sysfilter_arch_token (const struct json_value *v);

/* The comparison V names ("SCMP_CMP_EQ"): true and *OP set, or false. */
bool sysfilter_op (const struct json_value *v, enum scmp_compare *op);

/* V is an action OCI profiles may name; one that lets the call run as
 * asked (SCMP_ACT_ALLOW, SCMP_ACT_LOG). */
bool sysfilter_action_known (const struct json_value *v);
bool sysfilter_action_allows (const struct json_value *v);

/* libseccomp's value for action ACT with errno ENO (may be NULL: EPERM,
 * as runc), for a valid ACT. */
uint32_t sysfilter_action_value (const struct json_value *act, const struct json_value *eno);

/* NAME is a syscall libseccomp knows on some architecture. */
bool sysfilter_name_known (const char *name);

#endif
