/* SPDX-License-Identifier: Apache-2.0 */
#include "sysfilter_intersect.h"

#include <stdlib.h>
#include <string.h>

#include "sysfilter_gate.h"
#include "sysfilter_names.h"
#include "sysfilter_rules.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* The per-syscall model of a profile (valid by now). */

enum verdict_kind
{
  V_ALLOW,
  V_DENY,
  V_COND,    /* allowed when one of the rules' comparisons all hold */
  V_COMPLEX, /* conditional rules with other actions: kept verbatim or denied */
};

struct verdict
{
  enum verdict_kind kind;
  const struct json_value *deny_rule; /* V_DENY: the rule (NULL: default) */
  const struct json_value **rules;    /* V_COND / V_COMPLEX: the rule objects */
  size_t n_rules;
};

static bool
rule_names (const struct json_value *r, const char *name)
{
  const struct json_value *names = json_object_get (r, "names");
  for (size_t i = 0; names && i < names->u.arr.len; i++)
    if (json_is_string (names->u.arr.items[i], name))
      return true;
  return false;
}

/* How PROFILE (NULL: unconfined) treats NAME.  Like runc, rules whose
 * action equals the default action are ignored.  The first unconditional
 * rule decides; otherwise the conditional rules do. */
static struct verdict
classify (const struct json_value *p, const struct sysfilter_rules *ro)
{
  struct verdict v = { .kind = V_ALLOW };
  const struct json_value *def;
  bool any_cond_deny = false;

  if (p == NULL)
    return v;
  def = json_object_get (p, "defaultAction");
  for (size_t i = 0; i < ro->n; i++)
    {
      const struct json_value *r = ro->items[i];
      if (sysfilter_is_default_rule (p, r, def))
        continue;
      if (!sysfilter_rule_has_args (r))
        {
          free (v.rules);
          v.rules = NULL;
          v.n_rules = 0;
          v.kind = sysfilter_rule_allows (r) ? V_ALLOW : V_DENY;
          v.deny_rule = r;
          return v;
        }
      v.rules = xreallocarray (v.rules, v.n_rules + 1, sizeof *v.rules);
      v.rules[v.n_rules++] = r;
      any_cond_deny |= !sysfilter_rule_allows (r);
    }
  if (v.n_rules > 0)
    {
      v.kind = any_cond_deny || sysfilter_default_allows (p) ? V_COMPLEX : V_COND;
      return v;
    }
  v.kind = sysfilter_default_allows (p) ? V_ALLOW : V_DENY;
  v.deny_rule = NULL;
  return v;
}

/* ------------------------------------------------------------------ */
/* Intersection */

struct builder
{
  struct json_value *allow_names; /* one unconditional allow group */
  struct json_value *syscalls;
};

static void
add_names (struct json_value *group, const char *name)
{
  json_array_append (json_object_get (group, "names"), json_new_string (name));
}

static struct json_value *
new_rule (const char *name, const char *action)
{
  struct json_value *r = json_new (JSON_OBJECT);
  json_object_set (r, "names", json_new (JSON_ARRAY));
  add_names (r, name);
  json_object_set (r, "action", json_new_string (action));
  return r;
}

/* Comparison helpers for merging two conditions on one argument:
 * libseccomp takes one comparison per argument and rule. */
static uint64_t
cmp_num (const struct json_value *c, const char *key)
{
  const struct json_value *v = json_object_get (c, key);
  uint64_t n = 0;
  if (v)
    parse_u64 (v->u.str.s, v->u.str.len, &n);
  return n;
}

/* Lower bound "x >= lo" from GT/GE; upper "x <= hi" from LT/LE. */
static bool
as_bound (const struct json_value *c, bool *is_lower, uint64_t *bound)
{
  const struct json_value *op = json_object_get (c, "op");
  uint64_t v = cmp_num (c, "value");
  if (json_is_string (op, "SCMP_CMP_GE") || (json_is_string (op, "SCMP_CMP_GT") && v < UINT64_MAX))
    {
      *is_lower = true;
      *bound = json_is_string (op, "SCMP_CMP_GT") ? v + 1 : v;
      return true;
    }
  if (json_is_string (op, "SCMP_CMP_LE") || (json_is_string (op, "SCMP_CMP_LT") && v > 0))
    {
      *is_lower = false;
      *bound = json_is_string (op, "SCMP_CMP_LT") ? v - 1 : v;
      return true;
    }
  return false;
}

static struct json_value *
bound_cmp (const struct json_value *like, bool lower, uint64_t bound)
{
  struct json_value *c = json_new (JSON_OBJECT);
  json_object_set (c, "index", json_clone (json_object_get (like, "index")));
  json_object_set (c, "value", json_new_u64 (bound));
  json_object_set (c, "op", json_new_string (lower ? "SCMP_CMP_GE" : "SCMP_CMP_LE"));
  return c;
}

/* Same comparison, whatever the spelling (valueTwo defaults to 0). */
static bool
cmp_same (const struct json_value *a, const struct json_value *b)
{
  return cmp_num (a, "index") == cmp_num (b, "index") && cmp_num (a, "value") == cmp_num (b, "value")
         && cmp_num (a, "valueTwo") == cmp_num (b, "valueTwo")
         && json_equal (json_object_get (a, "op"), json_object_get (b, "op"));
}

/* One comparison equivalent to A AND B on the same argument.  *EMPTY when
 * they can never both hold; NULL and !*EMPTY when it cannot be said in
 * one comparison. */
static struct json_value *
conjoin (const struct json_value *a, const struct json_value *b, bool *empty)
{
  bool la, lb;
  uint64_t ba, bb;

  *empty = false;
  if (cmp_same (a, b))
    return json_clone (a);
  if (json_is_string (json_object_get (a, "op"), "SCMP_CMP_MASKED_EQ")
      && json_is_string (json_object_get (b, "op"), "SCMP_CMP_MASKED_EQ")
      && cmp_num (a, "value") == cmp_num (b, "value"))
    {
      *empty = true; /* same mask, different results: never both */
      return NULL;
    }
  for (int swap = 0; swap < 2; swap++)
    {
      const struct json_value *x = swap ? b : a, *y = swap ? a : b;
      if (json_is_string (json_object_get (x, "op"), "SCMP_CMP_EQ"))
        {
          uint64_t args[6] = { 0 }, idx = cmp_num (x, "index");
          args[idx] = cmp_num (x, "value");
          if (sysfilter_cmp_holds (y, args))
            return json_clone (x);
          *empty = true;
          return NULL;
        }
    }
  if (as_bound (a, &la, &ba) && as_bound (b, &lb, &bb))
    {
      if (la == lb)
        return bound_cmp (a, la, la ? (ba > bb ? ba : bb) : (ba < bb ? ba : bb));
      if ((la && ba > bb) || (lb && bb > ba))
        *empty = true;
      return NULL;
    }
  for (int swap = 0; swap < 2; swap++)
    {
      const struct json_value *x = swap ? b : a, *y = swap ? a : b;
      bool lower;
      uint64_t bound;
      if (json_is_string (json_object_get (x, "op"), "SCMP_CMP_NE") && as_bound (y, &lower, &bound))
        {
          uint64_t v = cmp_num (x, "value");
          if (lower ? v < bound : v > bound)
            return json_clone (y); /* the excluded value is outside anyway */
        }
    }
  return NULL;
}

/* Both comparison lists must hold.  Comparisons of the same argument are
 * merged into one when that is exact; when it is not (x > 1 and x < 5),
 * the pair is dropped, and *APPROX says the result is stricter than the
 * exact intersection (never looser).  NULL: no argument values pass. */
static struct json_value *
merge_args (const struct json_value *a, const struct json_value *b, bool *approx)
{
  struct json_value *out = json_clone (a);

  for (size_t j = 0; b && j < b->u.arr.len; j++)
    {
      const struct json_value *cb = b->u.arr.items[j];
      bool merged = false;
      for (size_t i = 0; out && i < out->u.arr.len && !merged; i++)
        {
          struct json_value *ca = out->u.arr.items[i], *c;
          bool empty;
          if (!json_equal (json_object_get (ca, "index"), json_object_get (cb, "index")))
            continue;
          c = conjoin (ca, cb, &empty);
          if (c == NULL)
            {
              if (!empty)
                *approx = true;
              json_free (out);
              return NULL;
            }
          json_free (ca);
          out->u.arr.items[i] = c;
          merged = true;
        }
      if (!merged)
        {
          if (out == NULL)
            out = json_new (JSON_ARRAY);
          json_array_append (out, json_clone (cb));
        }
    }
  return out;
}

/* Comparisons in argument order: libseccomp 2.5 can loop forever on rules
 * whose comparisons come in another order (seen with the property test). */
static int
cmp_by_index (const void *x, const void *y)
{
  uint64_t a = cmp_num (*(struct json_value *const *) x, "index");
  uint64_t b = cmp_num (*(struct json_value *const *) y, "index");
  return a < b ? -1 : a > b;
}

static void
sort_args (struct json_value *args)
{
  if (args && args->type == JSON_ARRAY && args->u.arr.len > 1)
    qsort (args->u.arr.items, args->u.arr.len, sizeof *args->u.arr.items, cmp_by_index);
}

static void
emit_cond (struct builder *b, const char *name, const struct json_value *rule, const struct json_value *args)
{
  struct json_value *r = new_rule (name, "SCMP_ACT_ALLOW");
  const struct json_value *act = rule ? json_object_get (rule, "action") : json_object_get (r, "action");
  const struct json_value *eno = rule ? json_object_get (rule, "errnoRet") : NULL;

  if (rule)
    json_object_set (r, "action", json_clone (act));
  act = json_object_get (r, "action");
  if (eno)
    json_object_set (r, "errnoRet", json_clone (eno));
  json_object_set (r, "args", json_clone (args));
  sort_args (json_object_get (r, "args"));
  /* a rule whose comparisons include all of another's, with the same
   * action, adds nothing: skip it (it also spares libseccomp) */
  for (size_t i = 0; i < b->syscalls->u.arr.len; i++)
    {
      const struct json_value *o = b->syscalls->u.arr.items[i], *oa = json_object_get (o, "args");
      bool covers = rule_names (o, name) && json_equal (json_object_get (o, "action"), act)
                    && json_equal (json_object_get (o, "errnoRet"), eno) && oa != NULL;
      for (size_t k = 0; covers && k < oa->u.arr.len; k++)
        {
          bool found = false;
          const struct json_value *na = json_object_get (r, "args");
          for (size_t m = 0; na && m < na->u.arr.len && !found; m++)
            found = cmp_same (oa->u.arr.items[k], na->u.arr.items[m]);
          covers = found;
        }
      if (covers)
        {
          json_free (r);
          return;
        }
    }
  json_array_append (b->syscalls, r);
}

static void
emit_deny (struct builder *b, const char *name, const struct json_value *rule)
{
  struct json_value *r;
  if (rule == NULL)
    return; /* the result's default action denies it */
  /* one rule per (action, errno), as profiles are written */
  for (size_t i = 0; i < b->syscalls->u.arr.len; i++)
    {
      struct json_value *o = b->syscalls->u.arr.items[i];
      if (!sysfilter_rule_has_args (o) && !sysfilter_rule_allows (o)
          && json_equal (json_object_get (o, "action"), json_object_get (rule, "action"))
          && json_equal (json_object_get (o, "errnoRet"), json_object_get (rule, "errnoRet")))
        {
          add_names (o, name);
          return;
        }
    }
  r = new_rule (name, "SCMP_ACT_ERRNO");
  json_object_set (r, "action", json_clone (json_object_get (rule, "action")));
  if (json_object_get (rule, "errnoRet"))
    json_object_set (r, "errnoRet", json_clone (json_object_get (rule, "errnoRet")));
  json_array_append (b->syscalls, r);
}

/* A syscall's verdict as allow-only rules: a disjunction of comparison
 * lists (an empty list always holds; no lists: never allowed).  Denials
 * take precedence over allows (the reading that never loosens), and are
 * folded in by negation: allowed = (U or A1 or ...) and not D1 and ... */
struct dnf
{
  struct json_value *terms; /* array of args arrays */
};

static struct json_value *
negate_cmp (const struct json_value *c)
{
  static const char *const pairs[][2] = {
    { "SCMP_CMP_EQ", "SCMP_CMP_NE" }, { "SCMP_CMP_NE", "SCMP_CMP_EQ" }, { "SCMP_CMP_LT", "SCMP_CMP_GE" },
    { "SCMP_CMP_GE", "SCMP_CMP_LT" }, { "SCMP_CMP_LE", "SCMP_CMP_GT" }, { "SCMP_CMP_GT", "SCMP_CMP_LE" },
  };
  const struct json_value *op = json_object_get (c, "op");
  for (size_t i = 0; i < ARRAY_SIZE (pairs); i++)
    if (json_is_string (op, pairs[i][0]))
      {
        struct json_value *n = json_clone (c);
        json_object_set (n, "op", json_new_string (pairs[i][1]));
        return n;
      }
  return NULL; /* MASKED_EQ has no single-comparison negation */
}

/* A AND B, term by term. */
static struct json_value *
dnf_and (const struct json_value *a, const struct json_value *b, bool *approx)
{
  struct json_value *out = json_new (JSON_ARRAY);
  for (size_t i = 0; i < a->u.arr.len; i++)
    for (size_t j = 0; j < b->u.arr.len; j++)
      {
        struct json_value *t = merge_args (a->u.arr.items[i], b->u.arr.items[j], approx);
        if (t)
          json_array_append (out, t);
      }
  return out;
}

static struct json_value *
dnf_true (void)
{
  struct json_value *d = json_new (JSON_ARRAY);
  json_array_append (d, json_new (JSON_ARRAY));
  return d;
}

static struct json_value *
verdict_dnf (const struct json_value *p, const struct sysfilter_rules *ro, bool *approx)
{
  struct json_value *allow = json_new (JSON_ARRAY), *result;
  const struct json_value *def;
  bool unconditional_allow = false, unconditional_deny = false;

  if (p == NULL)
    {
      json_free (allow);
      return dnf_true ();
    }
  def = json_object_get (p, "defaultAction");
  unconditional_allow = sysfilter_default_allows (p);
  /* pass 1: allows (and unconditional denies) */
  for (size_t i = 0; i < ro->n; i++)
    {
      const struct json_value *r = ro->items[i];
      if (sysfilter_is_default_rule (p, r, def))
        continue;
      if (!sysfilter_rule_has_args (r))
        {
          if (sysfilter_rule_allows (r))
            unconditional_allow = true;
          else
            unconditional_deny = true;
        }
      else if (sysfilter_rule_allows (r))
        json_array_append (allow, json_clone (json_object_get (r, "args")));
    }
  if (unconditional_deny)
    {
      json_free (allow);
      return json_new (JSON_ARRAY);
    }
  if (unconditional_allow)
    {
      json_free (allow);
      allow = dnf_true ();
    }
  result = allow;
  /* pass 2: each conditional denial D: AND (not D) */
  for (size_t i = 0; i < ro->n; i++)
    {
      const struct json_value *r = ro->items[i], *args;
      struct json_value *notd, *next;
      if (sysfilter_is_default_rule (p, r, def) || !sysfilter_rule_has_args (r) || sysfilter_rule_allows (r))
        continue;
      args = json_object_get (r, "args");
      notd = json_new (JSON_ARRAY);
      for (size_t k = 0; k < args->u.arr.len; k++)
        {
          struct json_value *n = negate_cmp (args->u.arr.items[k]);
          if (n == NULL)
            {
              *approx = true; /* cannot say "not this": leave it out (stricter) */
              continue;
            }
          {
            struct json_value *term = json_new (JSON_ARRAY);
            json_array_append (term, n);
            json_array_append (notd, term);
          }
        }
      next = dnf_and (result, notd, approx);
      json_free (notd);
      json_free (result);
      result = next;
    }
  return result;
}

/* Both profiles, indexed, and what the intersection writes. */
struct sides
{
  const struct json_value *incoming, *policy;
  struct sysfilter_index ixi, ixp;
  uint64_t caps_mask;
  struct json_value *approximated;
  struct builder b;
};

static bool
no_args (const struct sysfilter_rules *r)
{
  for (size_t i = 0; i < r->n; i++)
    if (sysfilter_rule_has_args (r->items[i]))
      return false;
  return true;
}

/* NAME where argument rules decide (IN and POL: the profiles, POL NULL
 * when a kept capability opens it on the policy's side): the allowed
 * argument values of both, as conditional allows. */
static void
intersect_conditional (struct sides *s, const char *name, const struct json_value *pol,
                       const struct sysfilter_rules *ri, const struct sysfilter_rules *rp)
{
  cleanup_json struct json_value *di = NULL, *dp = NULL, *both = NULL;
  bool approx = false;

  di = verdict_dnf (s->incoming, ri, &approx);
  dp = verdict_dnf (pol, rp, &approx);
  both = dnf_and (di, dp, &approx);
  if (both->u.arr.len == 0)
    {
      /* denied: say it with the errno of whoever denies */
      struct verdict vi = classify (s->incoming, ri);
      emit_deny (&s->b, name, vi.kind == V_DENY ? vi.deny_rule : NULL);
      free (vi.rules);
    }
  for (size_t i = 0; i < both->u.arr.len; i++)
    {
      if (both->u.arr.items[i]->u.arr.len == 0)
        {
          add_names (s->b.allow_names, name);
          break;
        }
      emit_cond (&s->b, name, NULL, both->u.arr.items[i]);
    }
  if (approx && s->approximated)
    json_object_set (s->approximated, name, json_new (JSON_TRUE));
}

static void
intersect_one (struct sides *s, const char *name)
{
  struct sysfilter_rules ri, rp;
  struct verdict vp;
  const struct json_value *pol = s->policy;
  enum sysfilter_gate gate = sysfilter_gate_of (name, s->caps_mask);

  /* a capability the container keeps opens its syscalls on the policy's
   * side (as if unconfined there); the incoming profile still decides */
  if (gate == SYSFILTER_GATE_KEPT)
    pol = NULL;
  sysfilter_index_lookup (&s->ixi, name, &ri);
  sysfilter_index_lookup (&s->ixp, name, &rp);
  if (pol == NULL)
    rp.n = 0;
  vp = classify (pol, &rp);
  if (no_args (&ri) && no_args (&rp) && gate != SYSFILTER_GATE_DROPPED)
    {
      /* the common case: no argument rules on either side */
      struct verdict vi = classify (s->incoming, &ri);
      if (vp.kind == V_DENY)
        emit_deny (&s->b, name, vp.deny_rule);
      else if (vi.kind == V_DENY)
        emit_deny (&s->b, name, vi.deny_rule);
      else
        add_names (s->b.allow_names, name);
      free (vi.rules);
    }
  else if (gate == SYSFILTER_GATE_DROPPED)
    /* keep the policy's explicit denial (its errno) if it has one */
    emit_deny (&s->b, name, vp.kind == V_DENY ? vp.deny_rule : NULL);
  else if (vp.kind == V_DENY)
    emit_deny (&s->b, name, vp.deny_rule);
  else
    intersect_conditional (s, name, pol, &ri, &rp);
  free (vp.rules);
  free (ri.items);
  free (rp.items);
}

/* The native architecture and its compat ABIs: what a process on this
 * machine can call through. */
static bool
in_native_family (uint32_t arch)
{
  uint32_t native = seccomp_arch_native ();
  if (arch == native)
    return true;
  if (native == SCMP_ARCH_X86_64)
    return arch == SCMP_ARCH_X86 || arch == SCMP_ARCH_X32;
  if (native == SCMP_ARCH_AARCH64)
    return arch == SCMP_ARCH_ARM;
  return false;
}

static bool
lists_arch (const struct json_value *p, const char *oci)
{
  const struct json_value *a = p ? json_object_get (p, "architectures") : NULL;
  for (size_t i = 0; a && i < a->u.arr.len; i++)
    if (json_is_string (a->u.arr.items[i], oci))
      return true;
  return false;
}

/* The policy's architectures of this machine's family, also listed by the
 * incoming profile when it lists any: a profile ships for every family,
 * the filter covers only the ABIs this machine runs. */
static struct json_value *
architectures (const struct json_value *incoming, const struct json_value *policy)
{
  struct json_value *out = json_new (JSON_ARRAY);
  const struct json_value *ia = incoming ? json_object_get (incoming, "architectures") : NULL;
  bool incoming_lists = ia && ia->u.arr.len > 0;
  const struct json_value *pa = json_object_get (policy, "architectures");
  for (size_t i = 0; pa && i < pa->u.arr.len; i++)
    {
      const struct json_value *a = pa->u.arr.items[i];
      uint32_t token = sysfilter_arch_token (a);
      if (token != 0 && in_native_family (token) && (!incoming_lists || lists_arch (incoming, a->u.str.s)))
        json_array_append (out, json_new_string (a->u.str.s));
    }
  return out;
}

/* NAME is a syscall of one of the result's architectures (none listed:
 * the native one), or one this libseccomp does not know (runc's may: it
 * decides). */
static bool
name_in_filter (const struct json_value *archs, const char *name)
{
  bool listed = false;
  if (!sysfilter_name_known (name))
    return true;
  for (size_t i = 0; archs && i < archs->u.arr.len; i++)
    {
      uint32_t token = sysfilter_arch_token (archs->u.arr.items[i]);
      if (token == 0)
        continue;
      listed = true;
      if (seccomp_syscall_resolve_name_arch (token, name) >= 0)
        return true;
    }
  return !listed && seccomp_syscall_resolve_name_arch (seccomp_arch_native (), name) >= 0;
}

/* What runc would compile, and only that: rules with the default's action
 * (runc drops them) and names no architecture of the filter has (libseccomp
 * adds nothing for them) go; a rule left without names goes.  The meaning
 * is unchanged, the filter is cheaper to build. */
static void
prune_rules (struct json_value *result)
{
  struct json_value *sys = json_object_get (result, "syscalls");
  const struct json_value *archs = json_object_get (result, "architectures");
  uint32_t def
      = sysfilter_action_value (json_object_get (result, "defaultAction"), json_object_get (result, "defaultErrnoRet"));

  for (size_t i = sys->u.arr.len; i-- > 0;)
    {
      struct json_value *r = sys->u.arr.items[i], *names = json_object_get (r, "names");
      if (sysfilter_action_value (json_object_get (r, "action"), json_object_get (r, "errnoRet")) == def)
        {
          json_array_remove (sys, i);
          continue;
        }
      for (size_t j = names->u.arr.len; j-- > 0;)
        if (!name_in_filter (archs, names->u.arr.items[j]->u.str.s))
          json_array_remove (names, j);
      if (names->u.arr.len == 0)
        json_array_remove (sys, i);
    }
}

/* The result's defaults and architectures: the policy's, but never a
 * default that lets through what the incoming profile denies. */
static void
result_head (struct json_value *result, const struct json_value *incoming, const struct json_value *policy)
{
  static const char *const keys[] = { "defaultAction", "defaultErrnoRet", "architectures" };

  for (size_t i = 0; i < ARRAY_SIZE (keys); i++)
    if (json_object_get (policy, keys[i]))
      json_object_set (result, keys[i], json_clone (json_object_get (policy, keys[i])));
  /* A policy that allows by default would let through what the incoming
   * profile denies by default: the result's default is then the
   * incoming one. */
  if (incoming && sysfilter_default_allows (policy) && !sysfilter_default_allows (incoming))
    {
      json_object_set (result, "defaultAction", json_clone (json_object_get (incoming, "defaultAction")));
      if (json_object_get (incoming, "defaultErrnoRet"))
        json_object_set (result, "defaultErrnoRet", json_clone (json_object_get (incoming, "defaultErrnoRet")));
      else
        json_object_remove (result, "defaultErrnoRet");
    }

  json_object_set (result, "architectures", architectures (incoming, policy));
  if (json_object_get (result, "architectures")->u.arr.len == 0)
    json_object_remove (result, "architectures");
}

/* The rules of INCOMING (INCOMING_SIDE) or POLICY naming NAME. */
static size_t
count_rules (const struct sides *s, bool incoming_side, const char *name, const struct json_value **first)
{
  struct sysfilter_rules r;
  size_t n;
  sysfilter_index_lookup (incoming_side ? &s->ixi : &s->ixp, name, &r);
  n = r.n;
  if (first)
    *first = n > 0 ? r.items[0] : NULL;
  free (r.items);
  return n;
}

/* Every name either side mentions, once, in first-seen order: the
 * policy's first, then the incoming profile's the policy does not name. */
static void
intersect_named (struct sides *s)
{
  for (int side = 0; side < 2; side++)
    {
      const struct json_value *prof = side == 0 ? s->policy : s->incoming;
      const struct json_value *sys = prof ? json_object_get (prof, "syscalls") : NULL;
      for (size_t i = 0; sys && i < sys->u.arr.len; i++)
        {
          const struct json_value *names = json_object_get (sys->u.arr.items[i], "names");
          for (size_t j = 0; j < names->u.arr.len; j++)
            {
              const char *n = names->u.arr.items[j]->u.str.s;
              const struct json_value *first;
              /* seen on the policy side already, or earlier on this side? */
              bool dup = count_rules (s, side == 1, n, &first) > 0 && first != sys->u.arr.items[i];
              if (!dup && side == 1)
                dup = count_rules (s, false, n, NULL) > 0;
              if (!dup)
                intersect_one (s, n);
            }
        }
    }
}

/* A syscall opened by a kept capability that neither profile names: the
 * incoming default decides it. */
static void
intersect_gated (struct sides *s)
{
  for (size_t i = 0; i < sysfilter_gated_count (); i++)
    {
      const char *n = sysfilter_gated_name (i);
      if (sysfilter_gate_of (n, s->caps_mask) == SYSFILTER_GATE_KEPT && count_rules (s, true, n, NULL) == 0
          && count_rules (s, false, n, NULL) == 0)
        intersect_one (s, n);
    }
}

int
sysfilter_intersect (const char *display, const struct json_value *incoming, const struct json_value *policy,
                     uint64_t caps_mask, struct json_value **out, struct json_value *approximated, hr_err *err)
{
  cleanup_json struct json_value *result = json_new (JSON_OBJECT);
  struct sides s = { .incoming = incoming, .policy = policy, .caps_mask = caps_mask, .approximated = approximated };

  (void) display;
  (void) err;
  result_head (result, incoming, policy);
  s.b.syscalls = json_new (JSON_ARRAY);
  s.b.allow_names = new_rule ("", "SCMP_ACT_ALLOW");
  json_array_remove (json_object_get (s.b.allow_names, "names"), 0);
  sysfilter_index_build (incoming, &s.ixi);
  sysfilter_index_build (policy, &s.ixp);
  intersect_named (&s);
  intersect_gated (&s);
  sysfilter_index_release (&s.ixi);
  sysfilter_index_release (&s.ixp);

  if (json_object_get (s.b.allow_names, "names")->u.arr.len > 0)
    json_array_insert (s.b.syscalls, 0, s.b.allow_names);
  else
    json_free (s.b.allow_names);
  json_object_set (result, "syscalls", s.b.syscalls);
  prune_rules (result);
  *out = steal_pointer (&result);
  return 0;
}
