/* SPDX-License-Identifier: Apache-2.0 */
/* Capabilities: only the profile's, in every set. */
#include <cap-ng.h>
#include <stdlib.h>
#include <string.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

static const char *const cap_sets[] = { "bounding", "effective", "inheritable", "permitted", "ambient" };

/* True if NAME is a canonical "CAP_FOO" that MASK (or ALL) allows.  runc
 * matches names exactly, so anything else is dropped. */
static bool
cap_allowed (const struct json_value *name, uint64_t mask, bool all)
{
  const char *s = name->u.str.s;
  int cap;

  if (all)
    return true;
  if (name->u.str.len != strlen (s) || strncmp (s, "CAP_", 4) != 0)
    return false;
  for (const char *p = s + 4; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
      return false;
  cap = capng_name_to_capability (s + 4);
  return (mask & CAP_BIT (cap)) != 0;
}

int
caps_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  struct json_value *caps = NULL;

  if (!p->has_capabilities && !p->has_inheritable)
    return 0;
  if (spec_get (ctx->source, process, "process", "capabilities", SPEC_OBJECT, &caps, err) < 0)
    return -1;
  if (caps == NULL)
    {
      /* Make the empty sets explicit rather than trust a default. */
      struct json_value *empty = json_new (JSON_OBJECT);
      for (size_t i = 0; i < ARRAY_SIZE (cap_sets); i++)
        json_object_set (empty, cap_sets[i], json_new (JSON_ARRAY));
      changes_add (ctx->changes, "process.capabilities", NULL, empty);
      json_object_set (process, "capabilities", empty);
      return 0;
    }

  for (size_t i = 0; i < ARRAY_SIZE (cap_sets); i++)
    {
      bool inheritable_kind = strcmp (cap_sets[i], "inheritable") == 0 || strcmp (cap_sets[i], "ambient") == 0;
      if (!(inheritable_kind ? p->has_inheritable : p->has_capabilities))
        continue;
      uint64_t mask = inheritable_kind ? p->inheritable : p->capabilities;
      bool all = inheritable_kind ? p->inheritable_all : p->capabilities_all;
      cleanup_free char *path = xasprintf ("process.capabilities.%s", cap_sets[i]);
      cleanup_json struct json_value *before = NULL;
      struct json_value *set = NULL;
      bool changed = false;

      if (spec_get (ctx->source, caps, "process.capabilities", cap_sets[i], SPEC_ARRAY, &set, err) < 0)
        return -1;
      if (set == NULL)
        continue; /* runc: an absent set is empty */
      if (spec_string_array (ctx->source, set, path, err) < 0)
        return -1;
      for (size_t j = 0; j < set->u.arr.len && !changed; j++)
        changed = !cap_allowed (set->u.arr.items[j], mask, all);
      if (!changed)
        continue;
      before = json_clone (set);
      for (size_t j = set->u.arr.len; j-- > 0;)
        if (!cap_allowed (set->u.arr.items[j], mask, all))
          json_array_remove (set, j);
      changes_add (ctx->changes, path, before, set);
    }
  return 0;
}
