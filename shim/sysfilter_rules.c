/* SPDX-License-Identifier: Apache-2.0 */
#include "sysfilter_rules.h"

#include <stdlib.h>
#include <string.h>

#include "sysfilter_names.h"
#include "util.h"

bool
sysfilter_rule_has_args (const struct json_value *r)
{
  const struct json_value *a = json_object_get (r, "args");
  return a && a->type == JSON_ARRAY && a->u.arr.len > 0;
}

bool
sysfilter_rule_allows (const struct json_value *r)
{
  return sysfilter_action_allows (json_object_get (r, "action"));
}

bool
sysfilter_default_allows (const struct json_value *p)
{
  return sysfilter_action_allows (json_object_get (p, "defaultAction"));
}

bool
sysfilter_is_default_rule (const struct json_value *p, const struct json_value *r, const struct json_value *def)
{
  return json_equal (json_object_get (r, "action"), def)
         && json_equal (json_object_get (r, "errnoRet"), json_object_get (p, "defaultErrnoRet"));
}

bool
sysfilter_cmp_holds (const struct json_value *a, const uint64_t args[6])
{
  uint64_t idx = 0, val = 0, val2 = 0, x;
  const struct json_value *v2 = json_object_get (a, "valueTwo");
  const struct json_value *iv = json_object_get (a, "index"), *vv = json_object_get (a, "value");
  enum scmp_compare op;

  if (!sysfilter_op (json_object_get (a, "op"), &op))
    return false;
  parse_u64 (iv->u.str.s, iv->u.str.len, &idx);
  parse_u64 (vv->u.str.s, vv->u.str.len, &val);
  if (v2)
    parse_u64 (v2->u.str.s, v2->u.str.len, &val2);
  x = args[idx];
  switch (op)
    {
    case SCMP_CMP_NE:
      return x != val;
    case SCMP_CMP_LT:
      return x < val;
    case SCMP_CMP_LE:
      return x <= val;
    case SCMP_CMP_EQ:
      return x == val;
    case SCMP_CMP_GE:
      return x >= val;
    case SCMP_CMP_GT:
      return x > val;
    case SCMP_CMP_MASKED_EQ:
      return (x & val) == val2;
    default:
      return false;
    }
}

static int
entry_cmp (const void *a, const void *b)
{
  const struct sysfilter_index_entry *x = a, *y = b;
  int r;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  r = strcmp (x->name, y->name);
  return r ? r : (x->pos > y->pos) - (x->pos < y->pos);
}

void
sysfilter_index_build (const struct json_value *p, struct sysfilter_index *ix)
{
  const struct json_value *syscalls = p ? json_object_get (p, "syscalls") : NULL;
  size_t total = 0, k = 0;

  for (size_t i = 0; syscalls && i < syscalls->u.arr.len; i++)
    total += json_object_get (syscalls->u.arr.items[i], "names")->u.arr.len;
  ix->e = xcalloc (total + 1, sizeof *ix->e);
  for (size_t i = 0; syscalls && i < syscalls->u.arr.len; i++)
    {
      const struct json_value *r = syscalls->u.arr.items[i], *names = json_object_get (r, "names");
      for (size_t j = 0; j < names->u.arr.len; j++)
        ix->e[k] = (struct sysfilter_index_entry){ .name = names->u.arr.items[j]->u.str.s,
                                                   .hash = str_hash (names->u.arr.items[j]->u.str.s),
                                                   .pos = k,
                                                   .rule = r },
        k++;
    }
  ix->n = total;
  qsort (ix->e, ix->n, sizeof *ix->e, entry_cmp);
}

void
sysfilter_index_release (struct sysfilter_index *ix)
{
  free (ix->e);
  ix->e = NULL;
  ix->n = 0;
}

void
sysfilter_index_lookup (const struct sysfilter_index *ix, const char *name, struct sysfilter_rules *r)
{
  size_t lo = 0, hi = ix->n;
  uint64_t h = str_hash (name);
  r->items = NULL;
  r->n = 0;
  while (lo < hi)
    {
      size_t mid = (lo + hi) / 2;
      const struct sysfilter_index_entry *m = &ix->e[mid];
      if (m->hash < h || (m->hash == h && strcmp (m->name, name) < 0))
        lo = mid + 1;
      else
        hi = mid;
    }
  for (size_t i = lo; i < ix->n && ix->e[i].hash == h && strcmp (ix->e[i].name, name) == 0; i++)
    {
      r->items = xreallocarray (r->items, r->n + 1, sizeof *r->items);
      r->items[r->n++] = ix->e[i].rule;
    }
}
