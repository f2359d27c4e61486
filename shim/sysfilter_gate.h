/* SPDX-License-Identifier: Apache-2.0 */
/* The capability gate of the seccomp control: syscalls the kernel or
 * Docker open only to a container that keeps one of their capabilities.
 * The capability, not the profile, decides them. */
#ifndef HARDENED_SYSFILTER_GATE_H
#define HARDENED_SYSFILTER_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

enum sysfilter_gate
{
  SYSFILTER_GATE_NONE,    /* not gated on a capability */
  SYSFILTER_GATE_KEPT,    /* gated, and the container keeps one of its capabilities */
  SYSFILTER_GATE_DROPPED, /* gated, and the container keeps none of them */
};

/* How capabilities decide NAME for a container whose bounding set is
 * CAPS_MASK (bit N: capability N). */
enum sysfilter_gate sysfilter_gate_of (const char *name, uint64_t caps_mask);

/* The same as a number: 1 kept (the policy's side allows it), -1 dropped
 * (denied whatever the profiles say), 0 not gated on a capability. */
int sysfilter_cap_gate (const char *name, uint64_t caps_mask);

/* The gated syscalls, each once, in the order of the gate's table: I from
 * 0 to sysfilter_gated_count () - 1. */
size_t sysfilter_gated_count (void);
const char *sysfilter_gated_name (size_t i);

/* The bounding set of the spec ROOT (process.capabilities.bounding) as a
 * mask; names that are not capabilities are left out. */
uint64_t sysfilter_bounding_mask (const struct json_value *root);

#endif
