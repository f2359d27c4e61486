/* SPDX-License-Identifier: Apache-2.0 */
/* A string -> count map (open addressing; keys owned): the report's and
 * the metrics file's counters. */
#ifndef HARDENED_COUNTS_H
#define HARDENED_COUNTS_H

#include <stddef.h>
#include <stdint.h>

struct counter
{
  char *key;
  uint64_t n;
};

struct counts
{
  struct counter *slot;
  size_t cap, len;
};

void counts_add (struct counts *c, const char *key, uint64_t n);
void counts_free (struct counts *c);
/* The entries, most frequent first (ties by key); *N: how many.  The keys
 * stay owned by C. */
struct counter *counts_sorted (const struct counts *c, size_t *n);

#endif
