/* SPDX-License-Identifier: Apache-2.0 */
#include "eval.h"

#include <stdlib.h>

#include "sysfilter_rules.h"

/* every comparison of the rule R holds */
static bool
rule_matches (const struct json_value *r, const uint64_t args[6])
{
  const struct json_value *a = json_object_get (r, "args");
  for (size_t i = 0; a && i < a->u.arr.len; i++)
    if (!sysfilter_cmp_holds (a->u.arr.items[i], args))
      return false;
  return true;
}

/* the rules of P that name NAME, in profile order (ITEMS is allocated) */
static void
rules_scan (const struct json_value *p, const char *name, struct sysfilter_rules *r)
{
  struct sysfilter_index ix;
  sysfilter_index_build (p, &ix);
  sysfilter_index_lookup (&ix, name, r);
  sysfilter_index_release (&ix);
}

bool
sysfilter_eval_allows (const struct json_value *p, const char *name, const uint64_t args[6])
{
  const struct json_value *def;
  struct sysfilter_rules ro;
  bool allow = false, deny = false;

  if (p == NULL)
    return true;
  def = json_object_get (p, "defaultAction");
  allow = sysfilter_default_allows (p);
  rules_scan (p, name, &ro);
  for (size_t i = 0; i < ro.n; i++)
    {
      const struct json_value *r = ro.items[i];
      if (sysfilter_is_default_rule (p, r, def))
        continue;
      if (!sysfilter_rule_has_args (r))
        {
          if (!sysfilter_rule_allows (r))
            {
              free (ro.items);
              return false;
            }
          allow = true;
        }
      else if (rule_matches (r, args))
        {
          if (sysfilter_rule_allows (r))
            allow = true;
          else
            deny = true;
        }
    }
  free (ro.items);
  return allow && !deny;
}
