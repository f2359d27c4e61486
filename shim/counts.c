/* SPDX-License-Identifier: Apache-2.0 */
#include "counts.h"
#include <stdlib.h>
#include <string.h>

#include "util.h"


static void
counts_grow (struct counts *c)
{
  struct counts bigger = { .cap = c->cap ? c->cap * 2 : 64 };
  bigger.slot = xcalloc (bigger.cap, sizeof *bigger.slot);
  for (size_t i = 0; i < c->cap; i++)
    if (c->slot[i].key)
      {
        counts_add (&bigger, c->slot[i].key, c->slot[i].n);
        free (c->slot[i].key);
      }
  free (c->slot);
  *c = bigger;
}

void
counts_add (struct counts *c, const char *key, uint64_t n)
{
  size_t i;
  if ((c->len + 1) * 2 > c->cap)
    counts_grow (c);
  for (i = str_hash (key) & (c->cap - 1); c->slot[i].key; i = (i + 1) & (c->cap - 1))
    if (strcmp (c->slot[i].key, key) == 0)
      {
        c->slot[i].n += n;
        return;
      }
  c->slot[i].key = xstrdup (key);
  c->slot[i].n = n;
  c->len++;
}

void
counts_free (struct counts *c)
{
  for (size_t i = 0; i < c->cap; i++)
    free (c->slot[i].key);
  free (c->slot);
  memset (c, 0, sizeof *c);
}

static int
by_count (const void *a, const void *b)
{
  const struct counter *x = a, *y = b;
  if (x->n != y->n)
    return x->n < y->n ? 1 : -1;
  return strcmp (x->key, y->key);
}

/* The entries, most frequent first (ties by name); *N: how many. */
struct counter *
counts_sorted (const struct counts *c, size_t *n)
{
  struct counter *out = xcalloc (c->len + 1, sizeof *out);
  size_t k = 0;
  for (size_t i = 0; i < c->cap; i++)
    if (c->slot[i].key)
      out[k++] = c->slot[i];
  qsort (out, k, sizeof *out, by_count);
  *n = k;
  return out;
}

