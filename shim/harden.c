/* SPDX-License-Identifier: Apache-2.0 */
#include "harden.h"

#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "util.h"

void
changes_add (struct changes *c, const char *control, const struct json_value *before, const struct json_value *after)
{
  struct change *ch;

  if (c == NULL)
    return;
  if (c->len == c->cap)
    {
      c->cap = c->cap ? c->cap * 2 : 8;
      c->items = xreallocarray (c->items, c->cap, sizeof *c->items);
    }
  ch = &c->items[c->len++];
  ch->control = xstrdup (control);
  ch->before = json_clone (before);
  ch->after = json_clone (after);
}

void
changes_release (struct changes *c)
{
  for (size_t i = 0; i < c->len; i++)
    {
      free (c->items[i].control);
      json_free (c->items[i].before);
      json_free (c->items[i].after);
    }
  free (c->items);
  c->items = NULL;
  c->len = c->cap = 0;
}

int
harden_spec (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  struct json_value *process = NULL;

  /* runc refuses a create without "process"; so do we, before changing. */
  if (spec_get (ctx->source, root, "", "process", SPEC_OBJECT, &process, err) < 0)
    return -1;
  if (process == NULL)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: has no \"process\" object", ctx->source);

  if (caps_apply (ctx, process, err) < 0 || privileges_apply (ctx, process, err) < 0
      || rlimits_apply (ctx, process, err) < 0 || mounts_apply (ctx, root, err) < 0
      || limits_apply (ctx, root, err) < 0)
    return -1;
  return 0;
}
