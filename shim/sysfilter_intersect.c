/* SPDX-License-Identifier: Apache-2.0 */
#include "sysfilter_intersect.h"

#include <cap-ng.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "fileio.h"
#include "spec.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Names */

static const struct
{
  const char *oci;
  uint32_t token;
} arch_table[] = {
  { "SCMP_ARCH_X86", SCMP_ARCH_X86 },         { "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
  { "SCMP_ARCH_X32", SCMP_ARCH_X32 },         { "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
  { "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 }, { "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
  { "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },   { "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
  { "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },   { "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
  { "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 }, { "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
  { "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },     { "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
  { "SCMP_ARCH_S390", SCMP_ARCH_S390 },       { "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
  { "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC },   { "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64 },
  { "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
};

static const struct
{
  const char *oci;
  enum scmp_compare op;
} op_table[] = {
  { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
  { "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
  { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
};

enum action_class
{
  ACT_ALLOW, /* ALLOW, LOG */
  ACT_DENY,  /* ERRNO, KILL*, TRAP, TRACE, NOTIFY: the call does not run as asked */
};

static const struct
{
  const char *oci;
  enum action_class cls;
} action_table[] = {
  { "SCMP_ACT_ALLOW", ACT_ALLOW },       { "SCMP_ACT_LOG", ACT_ALLOW },
  { "SCMP_ACT_ERRNO", ACT_DENY },        { "SCMP_ACT_KILL", ACT_DENY },
  { "SCMP_ACT_KILL_THREAD", ACT_DENY },  { "SCMP_ACT_KILL_PROCESS", ACT_DENY },
  { "SCMP_ACT_TRAP", ACT_DENY },         { "SCMP_ACT_TRACE", ACT_DENY },
  { "SCMP_ACT_NOTIFY", ACT_DENY },
};

static int
action_index (const struct json_value *v)
{
  for (size_t i = 0; v && i < sizeof action_table / sizeof action_table[0]; i++)
    if (json_is_string (v, action_table[i].oci))
      return (int) i;
  return -1;
}

static bool
name_known (const char *name)
{
  if (seccomp_syscall_resolve_name (name) != __NR_SCMP_ERROR)
    return true;
  for (size_t i = 0; i < sizeof arch_table / sizeof arch_table[0]; i++)
    if (seccomp_syscall_resolve_name_arch (arch_table[i].token, name) != __NR_SCMP_ERROR)
      return true;
  return false;
}

/* Syscalls the kernel or Docker gate on a capability.  The capability,
 * not the profile, decides them: allowed by the policy's side when the
 * container's final bounding set keeps one of their capabilities (the
 * policy kept it on purpose), denied whatever the profiles say when it
 * keeps none (dockerd opened them for a capability the shim dropped).
 * The incoming profile must still allow them. */
static const struct
{
  const char *cap;
  const char *const names[24];
} cap_gated[] = {
  { "sys_admin", { "bpf", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick", "mount", "mount_setattr",
                   "move_mount", "open_tree", "perf_event_open", "quotactl", "quotactl_fd", "setdomainname",
                   "sethostname", "setns", "syslog", "umount", "umount2", "unshare", "lookup_dcookie",
                   "name_to_handle_at", NULL } },
  { "sys_boot", { "reboot", "kexec_load", "kexec_file_load", NULL } },
  { "sys_chroot", { "chroot", NULL } },
  { "sys_module", { "init_module", "finit_module", "delete_module", NULL } },
  { "sys_pacct", { "acct", NULL } },
  { "sys_ptrace", { "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd", NULL } },
  { "sys_rawio", { "iopl", "ioperm", NULL } },
  { "sys_time", { "settimeofday", "stime", "clock_settime", "clock_settime64", "adjtimex", "clock_adjtime",
                  "clock_adjtime64", NULL } },
  { "sys_tty_config", { "vhangup", NULL } },
  { "sys_nice", { "mbind", "set_mempolicy", "migrate_pages", "move_pages", NULL } },
  { "dac_read_search", { "open_by_handle_at", NULL } },
  { "syslog", { "syslog", NULL } },
  { "bpf", { "bpf", NULL } },
  { "perfmon", { "perf_event_open", NULL } },
};

/* NAME is also gated by an entry before entry I (bpf, syslog, ...) */
static bool
gated_earlier (size_t i, const char *name)
{
  for (size_t k = 0; k < i; k++)
    for (size_t j = 0; cap_gated[k].names[j]; j++)
      if (strcmp (cap_gated[k].names[j], name) == 0)
        return true;
  return false;
}

enum gate
{
  GATE_NONE,    /* not gated on a capability */
  GATE_KEPT,    /* gated, and the container keeps one of its capabilities */
  GATE_DROPPED, /* gated, and the container keeps none of them */
};

/* cap_gated flattened and sorted by name, built on first use: one
 * binary search per syscall instead of a scan of the table */
struct gated_name
{
  const char *name;
  uint64_t caps; /* the capabilities any of which opens it */
};
static struct gated_name gated_sorted[64];
static size_t n_gated_sorted;

static int
gated_cmp (const void *a, const void *b)
{
  return strcmp (((const struct gated_name *) a)->name, ((const struct gated_name *) b)->name);
}

static void
gated_build (void)
{
  if (n_gated_sorted > 0)
    return;
  for (size_t i = 0; i < sizeof cap_gated / sizeof cap_gated[0]; i++)
    {
      int cap = capng_name_to_capability (cap_gated[i].cap);
      for (size_t j = 0; cap_gated[i].names[j]; j++)
        {
          size_t k = 0;
          while (k < n_gated_sorted && strcmp (gated_sorted[k].name, cap_gated[i].names[j]) != 0)
            k++;
          if (k == n_gated_sorted)
            {
              if (n_gated_sorted == sizeof gated_sorted / sizeof gated_sorted[0])
                abort (); /* the table outgrew the array: a build-time mistake */
              gated_sorted[n_gated_sorted++] = (struct gated_name){ .name = cap_gated[i].names[j] };
            }
          if (cap >= 0 && cap < 64)
            gated_sorted[k].caps |= 1ull << cap;
        }
    }
  qsort (gated_sorted, n_gated_sorted, sizeof gated_sorted[0], gated_cmp);
}

static enum gate
gate_of (const char *name, uint64_t caps_mask)
{
  struct gated_name key = { .name = name }, *g;
  gated_build ();
  g = bsearch (&key, gated_sorted, n_gated_sorted, sizeof gated_sorted[0], gated_cmp);
  if (g == NULL)
    return GATE_NONE;
  return (g->caps & caps_mask) ? GATE_KEPT : GATE_DROPPED;
}

int
seccomp_cap_gate (const char *name, uint64_t caps_mask)
{
  enum gate g = gate_of (name, caps_mask);
  return g == GATE_KEPT ? 1 : g == GATE_DROPPED ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Validation */

static int bad (const char *display, const struct json_value *v, const char *path, const char *fmt, const char *arg,
                hr_err *err) __attribute__ ((format (printf, 4, 0)));

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int
bad (const char *display, const struct json_value *v, const char *path, const char *fmt, const char *arg, hr_err *err)
{
  cleanup_free char *msg = xasprintf (fmt, arg);
  return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: %s", display, v ? v->line : 0, v ? v->col : 0, path, msg);
}

static int
check_errno (const char *display, const struct json_value *v, const char *path, hr_err *err)
{
  uint64_t n;
  if (v == NULL)
    return 0;
  if (v->type != JSON_NUMBER || !parse_u64 (v->u.str.s, v->u.str.len, &n) || n > 4095)
    return bad (display, v, path, "expected an errno number 0-4095%s", "", err);
  return 0;
}

int
seccomp_profile_validate (const char *display, const struct json_value *p, bool check_names, hr_err *err)
{
  const struct json_value *v;

  if (p->type != JSON_OBJECT)
    return bad (display, p, "linux.seccomp", "expected an object%s", "", err);
  v = json_object_get (p, "defaultAction");
  if (action_index (v) < 0)
    return bad (display, v ? v : p, "defaultAction", "unknown or missing action %s",
                v && v->type == JSON_STRING ? v->u.str.s : "", err);
  if (check_errno (display, json_object_get (p, "defaultErrnoRet"), "defaultErrnoRet", err) < 0)
    return -1;
  v = json_object_get (p, "architectures");
  if (v && v->type != JSON_ARRAY)
    return bad (display, v, "architectures", "expected an array%s", "", err);
  for (size_t i = 0; v && i < v->u.arr.len; i++)
    {
      const struct json_value *a = v->u.arr.items[i];
      bool ok = false;
      for (size_t k = 0; k < sizeof arch_table / sizeof arch_table[0]; k++)
        ok |= json_is_string (a, arch_table[k].oci);
      if (!ok)
        return bad (display, a, "architectures", "unknown architecture %s",
                    a->type == JSON_STRING ? a->u.str.s : "(not a string)", err);
    }
  v = json_object_get (p, "syscalls");
  if (v && v->type != JSON_ARRAY)
    return bad (display, v, "syscalls", "expected an array%s", "", err);
  for (size_t i = 0; v && i < v->u.arr.len; i++)
    {
      const struct json_value *r = v->u.arr.items[i], *names, *args, *act;
      cleanup_free char *path = xasprintf ("syscalls[%zu]", i);
      if (r->type != JSON_OBJECT)
        return bad (display, r, path, "expected an object%s", "", err);
      names = json_object_get (r, "names");
      act = json_object_get (r, "action");
      if (names == NULL || names->type != JSON_ARRAY || names->u.arr.len == 0)
        return bad (display, names ? names : r, path, "\"names\" must be a non-empty array%s", "", err);
      if (action_index (act) < 0)
        return bad (display, act ? act : r, path, "unknown or missing action %s",
                    act && act->type == JSON_STRING ? act->u.str.s : "", err);
      if (check_errno (display, json_object_get (r, "errnoRet"), path, err) < 0)
        return -1;
      for (size_t j = 0; j < names->u.arr.len; j++)
        {
          const struct json_value *n = names->u.arr.items[j];
          bool ok_string = n->type == JSON_STRING && strlen (n->u.str.s) == n->u.str.len;
          if (!ok_string || (check_names && !name_known (n->u.str.s)))
            {
              cleanup_free char *np = xasprintf ("%s.names[%zu]", path, j);
              if (!ok_string)
                return bad (display, n, np, "expected a syscall name%s", "", err);
              return bad (display, n, np, "unknown syscall \"%s\" (not known on any architecture)", n->u.str.s,
                          err);
            }
        }
      args = json_object_get (r, "args");
      if (args && args->type != JSON_ARRAY)
        return bad (display, args, path, "\"args\" must be an array%s", "", err);
      if (args && args->u.arr.len > 6)
        return bad (display, args, path, "more than 6 argument comparisons%s", "", err);
      for (size_t j = 0; args && j < args->u.arr.len; j++)
        {
          const struct json_value *a = args->u.arr.items[j], *idx, *val, *val2, *op;
          cleanup_free char *ap = xasprintf ("%s.args[%zu]", path, j);
          uint64_t n;
          bool op_ok = false;
          if (a->type != JSON_OBJECT)
            return bad (display, a, ap, "expected an object%s", "", err);
          idx = json_object_get (a, "index");
          val = json_object_get (a, "value");
          val2 = json_object_get (a, "valueTwo");
          op = json_object_get (a, "op");
          if (idx == NULL || idx->type != JSON_NUMBER || !parse_u64 (idx->u.str.s, idx->u.str.len, &n) || n > 5)
            return bad (display, idx ? idx : a, ap, "\"index\" must be 0-5%s", "", err);
          if (val == NULL || val->type != JSON_NUMBER || !parse_u64 (val->u.str.s, val->u.str.len, &n))
            return bad (display, val ? val : a, ap, "\"value\" must be an unsigned 64-bit integer%s", "", err);
          if (val2 && (val2->type != JSON_NUMBER || !parse_u64 (val2->u.str.s, val2->u.str.len, &n)))
            return bad (display, val2, ap, "\"valueTwo\" must be an unsigned 64-bit integer%s", "", err);
          for (size_t k = 0; k < sizeof op_table / sizeof op_table[0]; k++)
            op_ok |= json_is_string (op, op_table[k].oci);
          if (!op_ok)
            return bad (display, op ? op : a, ap, "unknown comparison %s",
                        op && op->type == JSON_STRING ? op->u.str.s : "", err);
        }
    }
  return 0;
}

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
rule_has_args (const struct json_value *r)
{
  const struct json_value *a = json_object_get (r, "args");
  return a && a->type == JSON_ARRAY && a->u.arr.len > 0;
}

static bool
rule_allows (const struct json_value *r)
{
  int i = action_index (json_object_get (r, "action"));
  return i >= 0 && action_table[i].cls == ACT_ALLOW;
}

static bool
rule_names (const struct json_value *r, const char *name)
{
  const struct json_value *names = json_object_get (r, "names");
  for (size_t i = 0; names && i < names->u.arr.len; i++)
    if (json_is_string (names->u.arr.items[i], name))
      return true;
  return false;
}

static bool
default_allows (const struct json_value *p)
{
  int i = action_index (json_object_get (p, "defaultAction"));
  return i >= 0 && action_table[i].cls == ACT_ALLOW;
}

/* The rules that name one syscall, in profile order. */
struct rules_of
{
  const struct json_value **items;
  size_t n;
};

/* (name, rule) pairs sorted by name then position: one lookup per name
 * instead of a scan of every rule (profiles name hundreds of syscalls). */
struct rule_index
{
  struct index_entry
  {
    const char *name;
    uint64_t hash; /* of name: most comparisons end on it */
    size_t pos;
    const struct json_value *rule;
  } *e;
  size_t n;
};

static int
entry_cmp (const void *a, const void *b)
{
  const struct index_entry *x = a, *y = b;
  int r;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  r = strcmp (x->name, y->name);
  return r ? r : (x->pos > y->pos) - (x->pos < y->pos);
}

static void
index_build (const struct json_value *p, struct rule_index *ix)
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
        ix->e[k] = (struct index_entry){ .name = names->u.arr.items[j]->u.str.s,
                                         .hash = str_hash (names->u.arr.items[j]->u.str.s),
                                         .pos = k,
                                         .rule = r },
        k++;
    }
  ix->n = total;
  qsort (ix->e, ix->n, sizeof *ix->e, entry_cmp);
}

/* The rules for NAME; R->items is allocated (free it). */
static void
index_lookup (const struct rule_index *ix, const char *name, struct rules_of *r)
{
  size_t lo = 0, hi = ix->n;
  uint64_t h = str_hash (name);
  r->items = NULL;
  r->n = 0;
  while (lo < hi)
    {
      size_t mid = (lo + hi) / 2;
      const struct index_entry *m = &ix->e[mid];
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

/* Slow path (tests): scan the profile. */
static void
rules_scan (const struct json_value *p, const char *name, struct rules_of *r)
{
  struct rule_index ix;
  index_build (p, &ix);
  index_lookup (&ix, name, r);
  free (ix.e);
}

/* runc drops rules whose action (and errno) are the default's. */
static bool
is_default_rule (const struct json_value *p, const struct json_value *r, const struct json_value *def)
{
  return json_equal (json_object_get (r, "action"), def)
         && json_equal (json_object_get (r, "errnoRet"), json_object_get (p, "defaultErrnoRet"));
}

/* How PROFILE (NULL: unconfined) treats NAME.  Like runc, rules whose
 * action equals the default action are ignored.  The first unconditional
 * rule decides; otherwise the conditional rules do. */
static struct verdict
classify (const struct json_value *p, const struct rules_of *ro)
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
      if (is_default_rule (p, r, def))
        continue;
      if (!rule_has_args (r))
        {
          free (v.rules);
          v.rules = NULL;
          v.n_rules = 0;
          v.kind = rule_allows (r) ? V_ALLOW : V_DENY;
          v.deny_rule = r;
          return v;
        }
      v.rules = xreallocarray (v.rules, v.n_rules + 1, sizeof *v.rules);
      v.rules[v.n_rules++] = r;
      any_cond_deny |= !rule_allows (r);
    }
  if (v.n_rules > 0)
    {
      v.kind = any_cond_deny || default_allows (p) ? V_COMPLEX : V_COND;
      return v;
    }
  v.kind = default_allows (p) ? V_ALLOW : V_DENY;
  v.deny_rule = NULL;
  return v;
}

/* ------------------------------------------------------------------ */
/* Evaluation (for tests and for reasoning): native-arch semantics. */

static bool
cmp_holds (const struct json_value *a, const uint64_t args[6])
{
  uint64_t idx = 0, val = 0, val2 = 0, x;
  const struct json_value *v2 = json_object_get (a, "valueTwo");
  const struct json_value *op = json_object_get (a, "op");
  const struct json_value *iv = json_object_get (a, "index"), *vv = json_object_get (a, "value");

  parse_u64 (iv->u.str.s, iv->u.str.len, &idx);
  parse_u64 (vv->u.str.s, vv->u.str.len, &val);
  if (v2)
    parse_u64 (v2->u.str.s, v2->u.str.len, &val2);
  x = args[idx];
  if (json_is_string (op, "SCMP_CMP_NE"))
    return x != val;
  if (json_is_string (op, "SCMP_CMP_LT"))
    return x < val;
  if (json_is_string (op, "SCMP_CMP_LE"))
    return x <= val;
  if (json_is_string (op, "SCMP_CMP_EQ"))
    return x == val;
  if (json_is_string (op, "SCMP_CMP_GE"))
    return x >= val;
  if (json_is_string (op, "SCMP_CMP_GT"))
    return x > val;
  if (json_is_string (op, "SCMP_CMP_MASKED_EQ"))
    return (x & val) == val2;
  return false;
}

static bool
rule_matches (const struct json_value *r, const uint64_t args[6])
{
  const struct json_value *a = json_object_get (r, "args");
  for (size_t i = 0; a && i < a->u.arr.len; i++)
    if (!cmp_holds (a->u.arr.items[i], args))
      return false;
  return true;
}

bool
seccomp_eval_allows (const struct json_value *p, const char *name, const uint64_t args[6])
{
  const struct json_value *def;
  struct rules_of ro;
  bool allow = false, deny = false;

  if (p == NULL)
    return true;
  def = json_object_get (p, "defaultAction");
  allow = default_allows (p);
  rules_scan (p, name, &ro);
  for (size_t i = 0; i < ro.n; i++)
    {
      const struct json_value *r = ro.items[i];
      if (is_default_rule (p, r, def))
        continue;
      if (!rule_has_args (r))
        {
          if (!rule_allows (r))
            {
              free (ro.items);
              return false;
            }
          allow = true;
        }
      else if (rule_matches (r, args))
        {
          if (rule_allows (r))
            allow = true;
          else
            deny = true;
        }
    }
  free (ro.items);
  return allow && !deny;
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
      && json_is_string (json_object_get (b, "op"), "SCMP_CMP_MASKED_EQ") && cmp_num (a, "value") == cmp_num (b, "value"))
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
          if (cmp_holds (y, args))
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
      if (!rule_has_args (o) && !rule_allows (o)
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
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
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
verdict_dnf (const struct json_value *p, const struct rules_of *ro, bool *approx)
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
  unconditional_allow = default_allows (p);
  /* pass 1: allows (and unconditional denies) */
  for (size_t i = 0; i < ro->n; i++)
    {
      const struct json_value *r = ro->items[i];
      if (is_default_rule (p, r, def))
        continue;
      if (!rule_has_args (r))
        {
          if (rule_allows (r))
            unconditional_allow = true;
          else
            unconditional_deny = true;
        }
      else if (rule_allows (r))
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
      if (is_default_rule (p, r, def) || !rule_has_args (r) || rule_allows (r))
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

static void
intersect_one (struct builder *b, const char *name, const struct json_value *in, const struct json_value *pol,
               const struct rule_index *ixi, const struct rule_index *ixp, uint64_t caps_mask,
               struct json_value *approximated)
{
  struct rules_of ri, rp;
  struct verdict vp;
  cleanup_json struct json_value *di = NULL, *dp = NULL, *both = NULL;
  bool approx = false;
  enum gate gate = gate_of (name, caps_mask);

  /* a capability the container keeps opens its syscalls on the policy's
   * side (as if unconfined there); the incoming profile still decides */
  if (gate == GATE_KEPT)
    pol = NULL;
  index_lookup (ixi, name, &ri);
  index_lookup (ixp, name, &rp);
  if (pol == NULL)
    rp.n = 0;
  vp = classify (pol, &rp);
  {
    /* the common case: no argument rules on either side */
    bool simple = true;
    for (size_t i = 0; i < ri.n && simple; i++)
      simple = !rule_has_args (ri.items[i]);
    for (size_t i = 0; i < rp.n && simple; i++)
      simple = !rule_has_args (rp.items[i]);
    if (simple && gate != GATE_DROPPED)
      {
        struct verdict vi = classify (in, &ri);
        if (vp.kind == V_DENY)
          emit_deny (b, name, vp.deny_rule);
        else if (vi.kind == V_DENY)
          emit_deny (b, name, vi.deny_rule);
        else
          add_names (b->allow_names, name);
        free (vi.rules);
        goto out;
      }
  }
  if (gate == GATE_DROPPED)
    {
      /* keep the policy's explicit denial (its errno) if it has one */
      emit_deny (b, name, vp.kind == V_DENY ? vp.deny_rule : NULL);
      goto out;
    }
  if (vp.kind == V_DENY)
    {
      emit_deny (b, name, vp.deny_rule);
      goto out;
    }
  di = verdict_dnf (in, &ri, &approx);
  dp = verdict_dnf (pol, &rp, &approx);
  both = dnf_and (di, dp, &approx);
  if (both->u.arr.len == 0)
    {
      /* denied: say it with the errno of whoever denies */
      struct verdict vi = classify (in, &ri);
      emit_deny (b, name, vi.kind == V_DENY ? vi.deny_rule : NULL);
      free (vi.rules);
    }
  for (size_t i = 0; i < both->u.arr.len; i++)
    {
      if (both->u.arr.items[i]->u.arr.len == 0)
        {
          add_names (b->allow_names, name);
          break;
        }
      emit_cond (b, name, NULL, both->u.arr.items[i]);
    }
  if (approx && approximated)
    json_object_set (approximated, name, json_new (JSON_TRUE));
out:
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
    for (size_t k = 0; k < sizeof arch_table / sizeof arch_table[0]; k++)
      if (json_is_string (pa->u.arr.items[i], arch_table[k].oci) && in_native_family (arch_table[k].token)
          && (!incoming_lists || lists_arch (incoming, arch_table[k].oci)))
        json_array_append (out, json_new_string (arch_table[k].oci));
  return out;
}

static uint32_t action_value (const struct json_value *act, const struct json_value *eno);

/* NAME is a syscall of one of the result's architectures (none listed:
 * the native one), or one this libseccomp does not know (runc's may: it
 * decides). */
static bool
name_in_filter (const struct json_value *archs, const char *name)
{
  bool listed = false;
  if (!name_known (name))
    return true;
  for (size_t i = 0; archs && i < archs->u.arr.len; i++)
    for (size_t k = 0; k < sizeof arch_table / sizeof arch_table[0]; k++)
      if (json_is_string (archs->u.arr.items[i], arch_table[k].oci))
        {
          listed = true;
          if (seccomp_syscall_resolve_name_arch (arch_table[k].token, name) >= 0)
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
  uint32_t def = action_value (json_object_get (result, "defaultAction"), json_object_get (result, "defaultErrnoRet"));

  for (size_t i = sys->u.arr.len; i-- > 0;)
    {
      struct json_value *r = sys->u.arr.items[i], *names = json_object_get (r, "names");
      if (action_value (json_object_get (r, "action"), json_object_get (r, "errnoRet")) == def)
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

int
seccomp_intersect (const char *display, const struct json_value *incoming, const struct json_value *policy,
                   uint64_t caps_mask, struct json_value **out, struct json_value *approximated, hr_err *err)
{
  cleanup_json struct json_value *result = json_new (JSON_OBJECT);
  struct builder b;
  const char *keys[] = { "defaultAction", "defaultErrnoRet", "architectures" };

  (void) display;
  (void) err;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (json_object_get (policy, keys[i]))
      json_object_set (result, keys[i], json_clone (json_object_get (policy, keys[i])));
  /* A policy that allows by default would let through what the incoming
   * profile denies by default: the result's default is then the
   * incoming one. */
  if (incoming && default_allows (policy) && !default_allows (incoming))
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
  b.syscalls = json_new (JSON_ARRAY);
  b.allow_names = new_rule ("", "SCMP_ACT_ALLOW");
  json_array_remove (json_object_get (b.allow_names, "names"), 0);

  {
    struct rule_index ixi, ixp;
    index_build (incoming, &ixi);
    index_build (policy, &ixp);
    /* every name either side mentions, once, in first-seen order */
    for (int side = 0; side < 2; side++)
      {
        const struct rule_index *ix = side == 0 ? &ixp : &ixi;
        const struct json_value *prof = side == 0 ? policy : incoming;
        const struct json_value *sys = prof ? json_object_get (prof, "syscalls") : NULL;
        for (size_t i = 0; sys && i < sys->u.arr.len; i++)
          {
            const struct json_value *names = json_object_get (sys->u.arr.items[i], "names");
            for (size_t j = 0; j < names->u.arr.len; j++)
              {
                const char *n = names->u.arr.items[j]->u.str.s;
                struct rules_of other;
                bool dup;
                /* seen on the policy side already, or earlier on this side? */
                index_lookup (ix, n, &other);
                dup = other.n > 0 && other.items[0] != sys->u.arr.items[i];
                free (other.items);
                if (!dup && side == 1)
                  {
                    index_lookup (&ixp, n, &other);
                    dup = other.n > 0;
                    free (other.items);
                  }
                if (!dup)
                  intersect_one (&b, n, incoming, policy, &ixi, &ixp, caps_mask, approximated);
              }
          }
      }
    /* a syscall opened by a kept capability that neither profile names:
     * the incoming default decides it */
    for (size_t i = 0; i < sizeof cap_gated / sizeof cap_gated[0]; i++)
      for (size_t j = 0; cap_gated[i].names[j]; j++)
        {
          const char *n = cap_gated[i].names[j];
          struct rules_of ri, rp;
          bool named;
          if (gate_of (n, caps_mask) != GATE_KEPT)
            continue;
          index_lookup (&ixi, n, &ri);
          index_lookup (&ixp, n, &rp);
          named = ri.n > 0 || rp.n > 0 || gated_earlier (i, n);
          free (ri.items);
          free (rp.items);
          if (!named)
            intersect_one (&b, n, incoming, policy, &ixi, &ixp, caps_mask, approximated);
        }
    free (ixi.e);
    free (ixp.e);
  }

  if (json_object_get (b.allow_names, "names")->u.arr.len > 0)
    json_array_insert (b.syscalls, 0, b.allow_names);
  else
    json_free (b.allow_names);
  json_object_set (result, "syscalls", b.syscalls);
  prune_rules (result);
  *out = steal_pointer (&result);
  return 0;
}

/* ------------------------------------------------------------------ */
/* libseccomp build check */

static void
cleanup_scmp (scmp_filter_ctx *ctx)
{
  if (*ctx)
    seccomp_release (*ctx);
}

static uint32_t
action_value (const struct json_value *act, const struct json_value *eno)
{
  uint64_t e = 1; /* runc's default errno: EPERM */
  if (eno)
    parse_u64 (eno->u.str.s, eno->u.str.len, &e);
  if (json_is_string (act, "SCMP_ACT_ALLOW"))
    return SCMP_ACT_ALLOW;
  if (json_is_string (act, "SCMP_ACT_LOG"))
    return SCMP_ACT_LOG;
  if (json_is_string (act, "SCMP_ACT_ERRNO"))
    return SCMP_ACT_ERRNO ((uint32_t) e);
  if (json_is_string (act, "SCMP_ACT_TRACE"))
    return SCMP_ACT_TRACE ((uint32_t) e);
  if (json_is_string (act, "SCMP_ACT_TRAP"))
    return SCMP_ACT_TRAP;
  if (json_is_string (act, "SCMP_ACT_KILL_PROCESS"))
    return SCMP_ACT_KILL_PROCESS;
  if (json_is_string (act, "SCMP_ACT_NOTIFY"))
    return SCMP_ACT_NOTIFY;
  return SCMP_ACT_KILL_THREAD;
}

static int
build_check_direct (const char *display, const struct json_value *p, hr_err *err)
{
  __attribute__ ((cleanup (cleanup_scmp))) scmp_filter_ctx ctx = NULL;
  const struct json_value *syscalls = json_object_get (p, "syscalls");
  uint32_t def = action_value (json_object_get (p, "defaultAction"), json_object_get (p, "defaultErrnoRet"));

  ctx = seccomp_init (def);
  if (ctx == NULL)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: libseccomp refuses the default action", display);
  for (size_t i = 0; syscalls && i < syscalls->u.arr.len; i++)
    {
      const struct json_value *r = syscalls->u.arr.items[i];
      const struct json_value *names = json_object_get (r, "names"), *args = json_object_get (r, "args");
      uint32_t act = action_value (json_object_get (r, "action"), json_object_get (r, "errnoRet"));
      struct scmp_arg_cmp cmps[6];
      unsigned n = 0;

      if (act == def)
        continue; /* runc skips these too */
      for (size_t j = 0; args && j < args->u.arr.len && j < 6; j++)
        {
          const struct json_value *a = args->u.arr.items[j], *v2 = json_object_get (a, "valueTwo");
          uint64_t idx = 0, val = 0, val2 = 0;
          const struct json_value *op = json_object_get (a, "op");
          parse_u64 (json_object_get (a, "index")->u.str.s, json_object_get (a, "index")->u.str.len, &idx);
          parse_u64 (json_object_get (a, "value")->u.str.s, json_object_get (a, "value")->u.str.len, &val);
          if (v2)
            parse_u64 (v2->u.str.s, v2->u.str.len, &val2);
          cmps[n] = (struct scmp_arg_cmp){ .arg = (unsigned) idx, .datum_a = val, .datum_b = val2 };
          for (size_t k = 0; k < sizeof op_table / sizeof op_table[0]; k++)
            if (json_is_string (op, op_table[k].oci))
              cmps[n].op = op_table[k].op;
          n++;
        }
      /* argument order, as emit_cond writes them (libseccomp loops otherwise) */
      for (unsigned x = 1; x < n; x++)
        for (unsigned y = x; y > 0 && cmps[y - 1].arg > cmps[y].arg; y--)
          {
            struct scmp_arg_cmp t = cmps[y];
            cmps[y] = cmps[y - 1];
            cmps[y - 1] = t;
          }
      for (size_t j = 0; names && j < names->u.arr.len; j++)
        {
          const char *name = names->u.arr.items[j]->u.str.s;
          int nr = seccomp_syscall_resolve_name (name);
          int rc;
          if (nr == __NR_SCMP_ERROR)
            continue; /* another architecture's syscall */
          rc = seccomp_rule_add_array (ctx, act, nr, n, cmps);
          if (rc < 0)
            return hr_error_set (err, HR_ERR_INPUT, -rc, "%s: syscalls[%zu]: libseccomp cannot add the rule for %s",
                                 display, i, name);
        }
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Bounded work */

/* libseccomp 2.5.4 loops for ever on some rule sets (two rules of one
 * syscall that share a leading range or "not equal" comparison and then
 * compare different arguments: rules the intersection writes from
 * harmless incoming profiles), and the intersection itself grows with the
 * product of an incoming profile's conditional denials.  So both run in a
 * child process with a deadline: the answer (a profile, or an error) comes
 * back through a pipe; a child still working at the deadline is killed
 * and the container refused.  A container start never hangs here. */
#define SECCOMP_DEADLINE_SECONDS 5

/* what runs in the child: fills *OUT (may stay NULL: no profile to send) */
typedef int (*bounded_fn) (void *arg, struct json_value **out, hr_err *err);

static void
child_send (int fd, const char *data, size_t len)
{
  while (len > 0)
    {
      ssize_t w = write (fd, data, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return;
      data += w;
      len -= (size_t) w;
    }
}

/* In the child: "O" and the profile's text, "N" (no profile), or "E", the
 * error kind as one digit and the message. */
static _Noreturn void
child_run (int fd, bounded_fn fn, void *arg)
{
  struct json_value *out = NULL;
  hr_err err = NULL;
  char *text = NULL;
  size_t len = 0;

  if (fn (arg, &out, &err) < 0 || (out && json_generate (out, &text, &len, &err) < 0))
    {
      char head[2] = { 'E', (char) ('0' + (err ? err->kind : HR_ERR_INTERNAL)) };
      const char *msg = err ? err->msg : "failed without a message";
      child_send (fd, head, 2);
      child_send (fd, msg, strlen (msg));
    }
  else if (out)
    {
      child_send (fd, "O", 1);
      child_send (fd, text, len);
    }
  else
    child_send (fd, "N", 1);
  _exit (0);
}

static int64_t
monotonic_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Run FN (ARG) in a child; WHAT names the work in messages ("the seccomp
 * profile of ..."). */
static int
run_bounded (const char *what, bounded_fn fn, void *arg, struct json_value **out, hr_err *err)
{
  static const struct json_limits limits = { .max_depth = 16 };
  cleanup_close int rfd = -1;
  struct strbuf sb = { 0 };
  int fds[2], status = 0, ret = -1;
  int64_t deadline = monotonic_ms () + SECCOMP_DEADLINE_SECONDS * 1000;
  bool timed_out = false, read_failed = false;
  pid_t pid, parent;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot create a pipe", what);
  parent = getpid ();
  pid = fork ();
  if (pid < 0)
    {
      close (fds[0]);
      close (fds[1]);
      return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot fork", what);
    }
  if (pid == 0)
    {
      /* never outlives its deadline, even when the shim itself is killed
       * (an engine's own timeout): no orphan spinning at full CPU */
      signal (SIGALRM, SIG_DFL);
      alarm (SECCOMP_DEADLINE_SECONDS + 1);
      prctl (PR_SET_PDEATHSIG, SIGKILL);
      if (getppid () != parent)
        _exit (1);
      close (fds[0]);
      child_run (fds[1], fn, arg);
    }
  close (fds[1]);
  rfd = fds[0];
  for (;;)
    {
      struct pollfd pfd = { .fd = rfd, .events = POLLIN };
      int64_t left = deadline - monotonic_ms ();
      ssize_t r;
      int n;

      if (left <= 0)
        {
          timed_out = true;
          break;
        }
      n = poll (&pfd, 1, (int) left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          read_failed = true;
          break;
        }
      if (n == 0)
        continue; /* the deadline is checked above */
      if (sb.cap < sb.len + 65537)
        strbuf_reserve (&sb, sb.len * 2 + 65536);
      r = read (rfd, sb.buf + sb.len, 65536);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          read_failed = true;
          break;
        }
      if (r == 0)
        break;
      sb.len += (size_t) r;
    }
  if (timed_out || read_failed)
    kill (pid, SIGKILL);
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (timed_out)
    hr_error_set (err, HR_ERR_REFUSED, 0,
                  "refused: %s could not be compiled within %d s (libseccomp or the intersection did not finish; "
                  "a profile with fewer argument rules per syscall avoids this)",
                  what, SECCOMP_DEADLINE_SECONDS);
  else if (read_failed)
    hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot read the answer of the process compiling it", what);
  else if (sb.len == 0 || (sb.buf[0] == 'E' && sb.len < 2))
    {
      if (WIFSIGNALED (status))
        hr_error_set (err, HR_ERR_INTERNAL, 0, "%s: the process compiling it died of signal %d", what,
                      WTERMSIG (status));
      else
        hr_error_set (err, HR_ERR_INTERNAL, 0, "%s: the process compiling it exited without an answer", what);
    }
  else if (sb.buf[0] == 'E')
    {
      int kind = sb.buf[1] - '0';
      if (kind < HR_ERR_INTERNAL || kind > HR_ERR_FORBIDDEN)
        kind = HR_ERR_INTERNAL;
      hr_error_set (err, (enum hr_error_kind) kind, 0, "%.*s", (int) (sb.len - 2), sb.buf + 2);
    }
  else if (sb.buf[0] == 'N' && sb.len == 1)
    ret = 0;
  else if (sb.buf[0] == 'O' && out && json_parse (sb.buf + 1, sb.len - 1, what, &limits, out, err) == 0)
    ret = 0;
  else
    hr_error_set (err, HR_ERR_INTERNAL, 0, "%s: the process compiling it sent a malformed answer", what);
  strbuf_release (&sb);
  return ret;
}

static int
build_check_fn (void *arg, struct json_value **out, hr_err *err)
{
  const struct json_value *const *a = arg;
  (void) out;
  return build_check_direct ((const char *) a[0], a[1], err);
}

int
seccomp_build_check (const char *display, const struct json_value *p, hr_err *err)
{
  const void *arg[2] = { display, p };
  cleanup_free char *what = xasprintf ("the seccomp profile %s", display);
  return run_bounded (what, build_check_fn, (void *) arg, NULL, err);
}

/* ------------------------------------------------------------------ */
/* The cache of seccomp work */

/* Building a filter costs libseccomp more than everything else the shim
 * does on create (~1.5 ms for the baseline), and dockerd sends the same
 * few profiles again and again: profiles that built, and whole
 * intersection results, are remembered per boot in a directory on /run
 * (tmpfs: forgotten at reboot).
 *
 * Nobody else's entry is trusted.  DIR (default /run/hardened-runc) must be
 * owned by the caller (root) with mode 0700, or the cache is not used; it
 * holds the per-boot key (seccomp-key: 16 random bytes, 0600, made anew
 * when missing or when its owner, mode or size is wrong) and the entries
 * (seccomp-built/, 0700, made anew when its owner or mode is wrong).  Each
 * entry starts with the SipHash-2-4 tag, under that key, of the rest: an
 * entry written by anyone without the key (a container given the entry
 * directory, a damaged file) fails the check and is computed again.
 * SipHash, not HMAC-SHA-256: a hit checks some 30 KB, and SHA-256 made
 * that a fifth of everything a create costs; a 64-bit tag a writer
 * without the key must guess is enough for a cache.  4096
 * buckets per kind, so hostile callers cannot grow it. */
#define SECCOMP_CACHE_DEFAULT_DIR "/run/hardened-runc"
#define SECCOMP_CACHE_SUB "seccomp-built"
#define SECCOMP_CACHE_KEY "seccomp-key"
#define SECCOMP_CACHE_KEY_SIZE DIGEST_SIPHASH_KEY_SIZE
#define TAG_HEX 16 /* the SipHash tag, in hex */

static char *cache_dir_path; /* NULL: the default */
static bool cache_disabled;

void
seccomp_cache_set_dir (const char *dir)
{
  free (cache_dir_path);
  cache_dir_path = dir ? xstrdup (dir) : NULL;
  cache_disabled = dir != NULL && dir[0] == '\0';
}

struct seccomp_cache
{
  int dir; /* the entries */
  unsigned char key[SECCOMP_CACHE_KEY_SIZE];
};

static void
cache_close (struct seccomp_cache *c)
{
  if (c->dir >= 0)
    close (c->dir);
  c->dir = -1;
}

static bool
private_stat (const struct stat *st)
{
  return S_ISDIR (st->st_mode) && st->st_uid == geteuid () && (st->st_mode & 07777) == 0700;
}

/* NAME in AT, created 0700 if missing; -1 unless it is ours and 0700. */
static int
open_private_dir (int at, const char *name)
{
  struct stat st;
  int fd;
  if (mkdirat (at, name, 0700) < 0 && errno != EEXIST)
    return -1;
  fd = openat (at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  if (fstat (fd, &st) < 0 || !private_stat (&st))
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* The entry directory, made anew when its owner or mode is wrong: moved
 * aside, emptied and removed (best effort), then created 0700. */
static int
open_entries_dir (int top)
{
  struct stat st;
  int fd = open_private_dir (top, SECCOMP_CACHE_SUB);
  char aside[64];
  DIR *d;
  struct dirent *e;
  int old;

  if (fd >= 0)
    return fd;
  if (fstatat (top, SECCOMP_CACHE_SUB, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return -1;
  snprintf (aside, sizeof aside, ".%s.untrusted.%ld", SECCOMP_CACHE_SUB, (long) getpid ());
  if (renameat (top, SECCOMP_CACHE_SUB, top, aside) < 0)
    return -1;
  old = openat (top, aside, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (old >= 0 && (d = fdopendir (old)) != NULL)
    {
      while ((e = readdir (d)) != NULL)
        if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
          unlinkat (dirfd (d), e->d_name, 0);
      closedir (d);
    }
  else if (old >= 0)
    close (old);
  if (unlinkat (top, aside, AT_REMOVEDIR) < 0)
    unlinkat (top, aside, 0); /* it was not a directory */
  return open_private_dir (top, SECCOMP_CACHE_SUB);
}

/* Read the key, or make a new one (written aside, then renamed into place
 * unless another shim was quicker: then that one is read). */
static int
load_key (int top, unsigned char key[SECCOMP_CACHE_KEY_SIZE])
{
  for (int attempt = 0; attempt < 3; attempt++)
    {
      struct stat st;
      char tmp[64];
      int fd = openat (top, SECCOMP_CACHE_KEY, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
      if (fd >= 0)
        {
          bool good = fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == geteuid ()
                      && (st.st_mode & 07777) == 0600 && st.st_size == SECCOMP_CACHE_KEY_SIZE
                      && read (fd, key, SECCOMP_CACHE_KEY_SIZE) == SECCOMP_CACHE_KEY_SIZE;
          close (fd);
          if (good)
            return 0;
          /* not a key of ours: replaced */
          if (unlinkat (top, SECCOMP_CACHE_KEY, 0) < 0 && errno != ENOENT)
            return -1;
        }
      else if (errno != ENOENT)
        {
          if (unlinkat (top, SECCOMP_CACHE_KEY, 0) < 0 && errno != ENOENT)
            return -1;
        }
      if (getrandom (key, SECCOMP_CACHE_KEY_SIZE, 0) != SECCOMP_CACHE_KEY_SIZE)
        return -1;
      snprintf (tmp, sizeof tmp, ".%s.%ld", SECCOMP_CACHE_KEY, (long) getpid ());
      unlinkat (top, tmp, 0);
      fd = openat (top, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        return -1;
      if (write (fd, key, SECCOMP_CACHE_KEY_SIZE) != SECCOMP_CACHE_KEY_SIZE)
        {
          close (fd);
          unlinkat (top, tmp, 0);
          return -1;
        }
      close (fd);
      if (renameat2 (top, tmp, top, SECCOMP_CACHE_KEY, RENAME_NOREPLACE) == 0)
        return 0;
      unlinkat (top, tmp, 0);
      if (errno != EEXIST)
        return -1;
      /* another shim made one first: use that */
    }
  return -1;
}

/* 0 and C filled, or -1: no cache this time (never an error). */
static int
cache_open (struct seccomp_cache *c)
{
  int top;

  c->dir = -1;
  if (cache_disabled || (cache_dir_path == NULL && geteuid () != 0))
    return -1;
  top = open_private_dir (AT_FDCWD, cache_dir_path ? cache_dir_path : SECCOMP_CACHE_DEFAULT_DIR);
  if (top < 0)
    return -1;
  if (load_key (top, c->key) == 0)
    c->dir = open_entries_dir (top);
  close (top);
  return c->dir >= 0 ? 0 : -1;
}

static void
cache_mac (const struct seccomp_cache *c, const char *data, size_t len, char hex[TAG_HEX + 1])
{
  snprintf (hex, TAG_HEX + 1, "%016llx", (unsigned long long) digest_siphash (c->key, data, len));
}

/* The payload of BUCKET when its tag line is right, else NULL. */
static char *
cache_read (const struct seccomp_cache *c, const char *bucket, size_t max, size_t *plen)
{
  cleanup_free char *buf = NULL;
  char want[TAG_HEX + 1];
  size_t len = 0, cap;
  struct stat st;
  int fd = openat (c->dir, bucket, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

  if (fd < 0)
    return NULL;
  /* sized by the file (one byte more shows it did not grow meanwhile) */
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || (uint64_t) st.st_size > max + TAG_HEX + 1
      || st.st_size < TAG_HEX + 1)
    {
      close (fd);
      return NULL;
    }
  cap = (size_t) st.st_size + 1;
  buf = xmalloc (cap + 1);
  for (;;)
    {
      ssize_t r = read (fd, buf + len, cap - len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      len += (size_t) r;
      if (len == cap)
        break;
    }
  close (fd);
  if (len == cap || len < TAG_HEX + 1 || buf[TAG_HEX] != '\n')
    return NULL;
  cache_mac (c, buf + TAG_HEX + 1, len - TAG_HEX - 1, want);
  if (!digest_equal ((const unsigned char *) want, (const unsigned char *) buf, TAG_HEX))
    return NULL;
  *plen = len - TAG_HEX - 1;
  return xstrndup (buf + TAG_HEX + 1, *plen);
}

/* Write BUCKET: the tag line, then the N pieces; aside, then renamed, so
 * a reader never sees half.  Best effort. */
static void
cache_write (const struct seccomp_cache *c, const char *bucket, const struct iovec *pieces, size_t n)
{
  struct strbuf sb = { 0 };
  char mac[TAG_HEX + 1];
  cleanup_free char *tmp = xasprintf ("%s.tmp.%ld", bucket, (long) getpid ());
  int fd;

  for (size_t i = 0; i < n; i++)
    strbuf_append (&sb, pieces[i].iov_base, pieces[i].iov_len);
  cache_mac (c, sb.buf ? sb.buf : "", sb.len, mac);
  mac[TAG_HEX] = '\n';
  unlinkat (c->dir, tmp, 0);
  fd = openat (c->dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0)
    {
      struct iovec iov[2] = { { mac, sizeof mac }, { sb.buf, sb.len } };
      bool ok = writev (fd, iov, 2) == (ssize_t) (sizeof mac + sb.len);
      close (fd);
      if (!ok || renameat (c->dir, tmp, c->dir, bucket) < 0)
        unlinkat (c->dir, tmp, 0);
    }
  strbuf_release (&sb);
}

/* A profile that built once is remembered by the SHA-256 of its text,
 * with this libseccomp's version and the native architecture. */
static int
build_check_cached (const char *display, const struct json_value *p, bool bounded, hr_err *err)
{
  cleanup_free char *text = NULL, *seen = NULL;
  struct seccomp_cache c;
  size_t len = 0, slen = 0;
  unsigned char sum[DIGEST_SIZE];
  struct digest_sha256 sha;
  char bucket[8], line[128];
  const struct scmp_version *v = seccomp_version ();
  int ret;

  if (json_generate (p, &text, &len, NULL) < 0 || cache_open (&c) < 0)
    return bounded ? seccomp_build_check (display, p, err) : build_check_direct (display, p, err);
  digest_sha256_init (&sha);
  digest_sha256_update (&sha, text, len);
  digest_sha256_final (&sha, sum);
  snprintf (bucket, sizeof bucket, "%02x%x", sum[0], sum[1] >> 4);
  for (size_t i = 0; i < DIGEST_SIZE; i++)
    snprintf (line + 2 * i, 3, "%02x", sum[i]);
  snprintf (line + 2 * DIGEST_SIZE, sizeof line - 2 * DIGEST_SIZE, " %u.%u.%u %u\n", v->major, v->minor, v->micro,
            seccomp_arch_native ());
  seen = cache_read (&c, bucket, sizeof line, &slen);
  if (seen && slen == strlen (line) && memcmp (seen, line, slen) == 0)
    {
      cache_close (&c);
      return 0;
    }
  ret = bounded ? seccomp_build_check (display, p, err) : build_check_direct (display, p, err);
  if (ret == 0)
    {
      struct iovec piece = { line, strlen (line) };
      cache_write (&c, bucket, &piece, 1);
    }
  cache_close (&c);
  return ret;
}

int
seccomp_build_check_cached (const char *display, const struct json_value *p, hr_err *err)
{
  return build_check_cached (display, p, true, err);
}

/* ------------------------------------------------------------------ */
/* Profiles */

int
seccomp_profile_load (const char *ref, struct json_value **out, char **display, hr_err *err)
{
  static const struct json_limits limits = { .max_depth = 16 };
  cleanup_free char *buf = NULL;
  cleanup_json struct json_value *p = NULL;
  const char *text;
  size_t len = 0;

  if (ref[0] == '/')
    {
      *display = xstrdup (ref);
      if (file_read_config (ref, SPEC_MAX_BYTES, &buf, &len, err) < 0)
        return -1;
      text = buf;
    }
  else
    {
      text = seccomp_embedded_profile (ref, &len);
      *display = xasprintf ("profiles/seccomp/%s.json (embedded)", ref);
      if (text == NULL)
        return hr_error_set (err, HR_ERR_INPUT, 0, "seccomp profile \"%s\" is neither shipped nor an absolute path",
                             ref);
    }
  /* names of a shipped profile were checked when it was built and tested
   * (make check); an operator's file is checked on every load */
  if (json_parse (text, len, *display, &limits, &p, err) < 0
      || seccomp_profile_validate (*display, p, ref[0] == '/', err) < 0)
    return -1;
  *out = steal_pointer (&p);
  return 0;
}

static uint64_t
bounding_mask (const struct json_value *root)
{
  const struct json_value *b
      = json_object_get (json_object_get (json_object_get (root, "process"), "capabilities"), "bounding");
  uint64_t mask = 0;
  for (size_t i = 0; b && b->type == JSON_ARRAY && i < b->u.arr.len; i++)
    {
      const struct json_value *n = b->u.arr.items[i];
      int cap;
      if (n->type != JSON_STRING || strncmp (n->u.str.s, "CAP_", 4) != 0)
        continue;
      cap = capng_name_to_capability (n->u.str.s + 4);
      if (cap >= 0 && cap < 64)
        mask |= 1ull << cap;
    }
  return mask;
}

static struct json_value *
summary (const struct json_value *p)
{
  size_t allowed = 0, rules = 0;
  const struct json_value *s = p ? json_object_get (p, "syscalls") : NULL;
  for (size_t i = 0; s && i < s->u.arr.len; i++)
    {
      const struct json_value *r = s->u.arr.items[i];
      rules++;
      if (rule_allows (r) && !rule_has_args (r))
        allowed += json_object_get (r, "names")->u.arr.len;
    }
  if (p == NULL)
    return json_new_string ("unconfined");
  {
    cleanup_free char *text = xasprintf ("%s default, %zu rules, %zu syscalls allowed unconditionally",
                                         json_object_get (p, "defaultAction")->u.str.s, rules, allowed);
    return json_new_string (text);
  }
}

/* The whole result remembered, too: dockerd sends the same few profiles
 * with the same few capability sets, and loading the policy's profile plus
 * intersecting costs more than reading the answer back.  The key is the
 * exact text of everything the result depends on (this build, the native
 * arch, the bounding set, the policy's profile text, the incoming profile
 * as generated): a hit compares the whole key, so a hash collision is only
 * a miss.  Same directory, key and bucket scheme as the build check. */
#define RESULT_CACHE_MAX (1u << 20)

static char *
result_cache_key (const char *ref, const struct json_value *incoming, uint64_t caps, size_t *klen)
{
  cleanup_free char *file = NULL, *in = NULL;
  const char *ptext;
  size_t plen = 0, ilen = 0;
  struct strbuf sb = { 0 };
  char head[256];

  if (ref[0] == '/')
    {
      hr_err ignored = NULL;
      if (file_read_config (ref, SPEC_MAX_BYTES, &file, &plen, &ignored) < 0)
        {
          hr_error_free (ignored);
          return NULL;
        }
      ptext = file;
    }
  else if (seccomp_embedded_profile (ref, &plen) != NULL)
    {
      /* compiled in: its name and this build (in the head) say which text */
      ptext = ref;
      plen = strlen (ref);
    }
  else
    return NULL;
  if (incoming && json_generate (incoming, &in, &ilen, NULL) < 0)
    return NULL;
  snprintf (head, sizeof head, "hardened-runc seccomp result 2 %s %s\narch %u caps %016llx\n%s %zu %zu\n", __DATE__,
            __TIME__, seccomp_arch_native (), (unsigned long long) caps, file ? "file" : "embedded", plen, ilen);
  strbuf_appends (&sb, head);
  strbuf_append (&sb, ptext, plen);
  strbuf_append (&sb, "\n", 1);
  if (in)
    strbuf_append (&sb, in, ilen);
  *klen = sb.len;
  return sb.buf;
}

static void
result_bucket (const char *key, size_t klen, char *bucket, size_t size)
{
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < klen; i++)
    h = (h ^ (unsigned char) key[i]) * 0x100000001b3ull;
  snprintf (bucket, size, "r%03x", (unsigned) (h >> 52));
}

/* the cached result's text for KEY, or NULL */
static char *
result_cache_get (const char *key, size_t klen, size_t *rlen)
{
  char bucket[16];
  cleanup_free char *buf = NULL;
  struct seccomp_cache c;
  size_t len = 0;
  char *nl;
  uint64_t stored;

  if (cache_open (&c) < 0)
    return NULL;
  result_bucket (key, klen, bucket, sizeof bucket);
  buf = cache_read (&c, bucket, klen + 64 + RESULT_CACHE_MAX, &len);
  cache_close (&c);
  if (buf == NULL)
    return NULL;
  /* "<key length>\n" key result */
  nl = memchr (buf, '\n', len < 24 ? len : 24);
  if (nl == NULL || !parse_u64 (buf, (size_t) (nl - buf), &stored) || stored != klen
      || (size_t) (nl + 1 - buf) + klen > len || memcmp (nl + 1, key, klen) != 0)
    return NULL;
  *rlen = len - (size_t) (nl + 1 - buf) - klen;
  return xstrndup (nl + 1 + klen, *rlen);
}

static void
result_cache_put (const char *key, size_t klen, const struct json_value *result)
{
  cleanup_free char *text = NULL, *head = NULL;
  struct seccomp_cache c;
  char bucket[16];
  size_t len = 0;

  if (json_generate (result, &text, &len, NULL) < 0 || len > RESULT_CACHE_MAX || cache_open (&c) < 0)
    return;
  result_bucket (key, klen, bucket, sizeof bucket);
  head = xasprintf ("%zu\n", klen);
  {
    struct iovec pieces[3] = { { head, strlen (head) }, { (void *) key, klen }, { text, len } };
    cache_write (&c, bucket, pieces, 3);
  }
  cache_close (&c);
}

/* The intersection and its build check, in a bounded child. */
struct intersect_job
{
  const char *source, *pdisplay;
  const struct json_value *incoming, *policy;
  uint64_t caps;
};

static int
intersect_fn (void *arg, struct json_value **out, hr_err *err)
{
  const struct intersect_job *j = arg;
  if (seccomp_intersect (j->source, j->incoming, j->policy, j->caps, out, NULL, err) < 0)
    return -1;
  if (!json_equal (*out, j->incoming) && build_check_cached (j->pdisplay, *out, false, err) < 0)
    return -1;
  return 0;
}

int
seccomp_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct policy_profile *prof = ctx->profile;
  cleanup_json struct json_value *policy = NULL, *result = NULL, *before = NULL, *after = NULL;
  cleanup_free char *pdisplay = NULL;
  struct json_value *linux_ = NULL, *incoming = NULL;

  cleanup_free char *key = NULL, *cached = NULL;
  size_t klen = 0, clen = 0;
  uint64_t caps;

  if (prof->seccomp == NULL)
    return 0;
  if (spec_get_object (ctx->source, root, "", "linux", &linux_, err) < 0
      || spec_get (ctx->source, linux_, "linux", "seccomp", SPEC_OBJECT, &incoming, err) < 0)
    return -1;
  /* the incoming profile is checked for structure; runc itself skips
   * syscall names it does not know */
  if (incoming && seccomp_profile_validate (ctx->source, incoming, false, err) < 0)
    return hr_error_prefix (err, "linux.seccomp");
  caps = bounding_mask (root);
  key = result_cache_key (prof->seccomp, incoming, caps, &klen);
  if (key && (cached = result_cache_get (key, klen, &clen)) != NULL)
    {
      static const struct json_limits limits = { .max_depth = 16 };
      if (json_parse (cached, clen, "seccomp result cache", &limits, &result, NULL) < 0
          || seccomp_profile_validate ("seccomp result cache", result, false, NULL) < 0)
        {
          json_free (result);
          result = NULL; /* unusable: computed below */
        }
    }
  if (result == NULL)
    {
      struct intersect_job job;
      cleanup_free char *what = NULL;
      if (seccomp_profile_load (prof->seccomp, &policy, &pdisplay, err) < 0)
        return -1;
      job = (struct intersect_job){ ctx->source, pdisplay, incoming, policy, caps };
      what = xasprintf ("the seccomp profile for %s (linux.seccomp intersected with %s)", ctx->source, pdisplay);
      if (run_bounded (what, intersect_fn, &job, &result, err) < 0)
        return -1;
      if (key)
        result_cache_put (key, klen, result);
    }
  if (json_equal (result, incoming))
    return 0;
  before = summary (incoming);
  after = summary (result);
  changes_add (ctx->changes, "linux.seccomp", before, after);
  json_object_set (linux_, "seccomp", steal_pointer (&result));
  return 0;
}
