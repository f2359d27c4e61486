/* SPDX-License-Identifier: Apache-2.0 */
/* Rule sysctls: only the allowed (namespaced) sysctls. */
#include <string.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

static const char *const default_allowed_sysctls[] = {
  "kernel.shm_rmid_forced",        "net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_syncookies",       "net.ipv4.ping_group_range",    "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_keepalive_time",   "net.ipv4.tcp_fin_timeout",     "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem",            "net.ipv4.tcp_wmem",
  NULL,
};

static bool
sysctl_allowed (const struct policy_list *l, const char *key)
{
  for (size_t i = 0; i < l->len; i++)
    {
      size_t n = strlen (l->items[i]);
      if (strcmp (l->items[i], key) == 0)
        return true;
      if (n >= 2 && l->items[i][n - 1] == '*' && l->items[i][n - 2] == '.' && strncmp (l->items[i], key, n - 1) == 0)
        return true;
    }
  return false;
}

int
sysctls_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  enum rule_action action = policy_rule_action (p, RULE_SYSCTLS);
  struct policy_list allowed = policy_list_pick (p->has_allowed_sysctls, &p->allowed_sysctls, default_allowed_sysctls);
  struct json_value *linux_ = NULL, *sysctl = NULL;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0)
    return -1;
  if (linux_ && spec_get (ctx->source, linux_, "linux", "sysctl", SPEC_OBJECT, &sysctl, err) < 0)
    return -1;
  for (size_t i = 0; sysctl && i < sysctl->u.obj.len; i++)
    {
      const char *key = sysctl->u.obj.members[i].key;
      cleanup_free char *norm = xstrdup (key);
      /* runc accepts "/" as a separator too */
      for (char *c = norm; *c; c++)
        if (*c == '/')
          *c = '.';
      if (sysctl_allowed (&allowed, norm))
        continue;
      {
        cleanup_free char *detail
            = xasprintf ("sysctl %s is not in the allowed set (--sysctl); remove it or ask for a profile that allows it",
                         key);
        if (decision_match (ctx, RULE_SYSCTLS, action, detail, err) < 0)
          return -1;
      }
    }
  return 0;
}
