/* SPDX-License-Identifier: Apache-2.0 */
#include "decision.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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

void
findings_add (struct findings *f, enum rule_id rule, enum rule_action action, const char *fmt, ...)
{
  va_list ap;
  char *detail = NULL;

  if (f == NULL)
    return;
  va_start (ap, fmt);
  if (vasprintf (&detail, fmt, ap) < 0)
    detail = NULL;
  va_end (ap);
  if (f->len == f->cap)
    {
      f->cap = f->cap ? f->cap * 2 : 4;
      f->items = xreallocarray (f->items, f->cap, sizeof *f->items);
    }
  f->items[f->len++] = (struct finding){ .rule = rule, .action = action, .detail = detail ? detail : xstrdup ("?") };
}

void
findings_release (struct findings *f)
{
  for (size_t i = 0; i < f->len; i++)
    free (f->items[i].detail);
  free (f->items);
  f->items = NULL;
  f->len = f->cap = 0;
}

int
decision_match (struct harden_ctx *ctx, enum rule_id rule, enum rule_action action, const char *detail, hr_err *err)
{
  findings_add (ctx->findings, rule, action, "%s", detail);
  if (action == RULE_DENY)
    return hr_error_set (err, HR_ERR_REFUSED, 0, "refused by rule \"%s\": %s", policy_rule_name (rule), detail);
  return 0;
}
