/* SPDX-License-Identifier: Apache-2.0 */
#include "policy.h"

#include <cap-ng.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fileio.h"
#include "json.h"
#include "util.h"

static const struct json_limits policy_limits = { .max_depth = POLICY_MAX_DEPTH };

/* Known RLIMIT names (runc accepts exactly these). */
static const char *const rlimit_names[] = {
  "RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",    "RLIMIT_DATA",       "RLIMIT_FSIZE",  "RLIMIT_LOCKS",
  "RLIMIT_MEMLOCK", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_NOFILE",     "RLIMIT_NPROC",  "RLIMIT_RSS",
  "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK",
};

/* ------------------------------------------------------------------ */

static void
strings_free (struct policy_strings *s)
{
  for (size_t i = 0; i < s->len; i++)
    free (s->items[i]);
  free (s->items);
}

static void
tmpfs_free_all (struct policy_profile *prof)
{
  for (size_t i = 0; i < prof->n_tmpfs; i++)
    {
      free (prof->tmpfs[i].path);
      for (size_t j = 0; j < prof->tmpfs[i].n_options; j++)
        free (prof->tmpfs[i].options[j]);
      free (prof->tmpfs[i].options);
    }
  free (prof->tmpfs);
  prof->tmpfs = NULL;
  prof->n_tmpfs = 0;
}

static void
rlimits_free_all (struct policy_profile *prof)
{
  for (size_t i = 0; i < prof->n_rlimits; i++)
    free (prof->rlimits[i].type);
  free (prof->rlimits);
  prof->rlimits = NULL;
  prof->n_rlimits = 0;
}

static void
hooks_free_all (struct policy_profile *prof)
{
  for (size_t i = 0; i < prof->n_allowed_hooks; i++)
    {
      free (prof->allowed_hooks[i].path);
      strings_free (&prof->allowed_hooks[i].args);
    }
  free (prof->allowed_hooks);
  prof->allowed_hooks = NULL;
  prof->n_allowed_hooks = 0;
}

static void
profile_free (struct policy_profile *p)
{
  free (p->name);
  free (p->seccomp);
  free (p->apparmor_profile);
  tmpfs_free_all (p);
  rlimits_free_all (p);
  strings_free (&p->masked_paths);
  strings_free (&p->readonly_paths);
  strings_free (&p->sensitive_mounts);
  strings_free (&p->sensitive_mount_roots);
  strings_free (&p->readonly_mounts);
  strings_free (&p->allowed_mount_sources);
  strings_free (&p->allowed_filesystems);
  strings_free (&p->allowed_bind_sources);
  strings_free (&p->allowed_sockets);
  strings_free (&p->allowed_devices);
  strings_free (&p->allowed_sysctls);
  hooks_free_all (p);
  strings_free (&p->removed_devices);
  strings_free (&p->allowed_cgroup_parents);
}

static void
namespace_map_free (struct policy_namespace_map *m)
{
  for (size_t i = 0; i < m->len; i++)
    {
      free (m->items[i].ns);
      free (m->items[i].profile);
    }
  free (m->items);
  m->items = NULL;
  m->len = 0;
}

void
policy_free (struct policy *p)
{
  if (p == NULL)
    return;
  free (p->source);
  free (p->runtime);
  free (p->audit_log);
  free (p->metrics_file);
  free (p->default_profile);
  strings_free (&p->annotation_profiles);
  namespace_map_free (&p->namespace_profiles);
  namespace_map_free (&p->sandbox_profiles);
  for (size_t i = 0; i < p->n_profiles; i++)
    profile_free (&p->profiles[i]);
  free (p->profiles);
  free (p);
}

void
cleanup_policy_freep (struct policy **p)
{
  policy_free (*p);
}

int
policy_capability_from_name (const char *name)
{
  if (strncasecmp (name, "CAP_", 4) == 0)
    name += 4;
  if (*name == '\0')
    return -1;
  return capng_name_to_capability (name);
}

/* ------------------------------------------------------------------ */
/* Rules: names, the actions each accepts, and defaults. */

static const struct
{
  const char *name;
  enum rule_action def;
  unsigned accepted; /* bit per enum rule_action */
} rule_table[RULE_COUNT] = {
  [RULE_PRIVILEGED] = { "privileged", RULE_DENY,
                        1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_HOST_NAMESPACES] = { "host_namespaces", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_SENSITIVE_MOUNTS] = { "sensitive_mounts", RULE_DENY,
                              1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_DEVICES] = { "devices", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_SYSCTLS] = { "sysctls", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_MOUNT_PROPAGATION] = { "mount_propagation", RULE_MUTATE,
                               1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_RUN_AS_ROOT] = { "run_as_root", RULE_ALLOW, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_RESTORE] = { "restore", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_MOUNT_TYPES] = { "mount_types", RULE_MUTATE,
                         1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_TMPFS_OPTIONS] = { "tmpfs_options", RULE_MUTATE,
                           1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_READONLY_BINDS] = { "readonly_binds", RULE_MUTATE,
                            1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_HOOKS] = { "hooks", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_OOM] = { "oom", RULE_MUTATE, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_REALTIME] = { "realtime", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_PERSONALITY] = { "personality", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_ROOT_GROUP] = { "root_group", RULE_ALLOW, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_CGROUPS_PATH] = { "cgroups_path", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_INTEL_RDT] = { "intel_rdt", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
  [RULE_DEV_TMPFS] = { "dev_tmpfs", RULE_MUTATE,
                       1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_MUTATE | 1u << RULE_DENY },
  [RULE_MOUNT_OPTIONS] = { "mount_options", RULE_DENY, 1u << RULE_ALLOW | 1u << RULE_WARN | 1u << RULE_DENY },
};

/* OCI hook kinds, in the order runc runs them (prestart is deprecated,
 * runs where createRuntime does). */
static const char *const hook_kind_names[POLICY_HOOK_KINDS] = {
  "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

int
policy_hook_kind (const char *name)
{
  for (int i = 0; i < POLICY_HOOK_KINDS; i++)
    if (strcmp (hook_kind_names[i], name) == 0)
      return i;
  return -1;
}

const char *
policy_hook_kind_name (int kind)
{
  return kind >= 0 && kind < POLICY_HOOK_KINDS ? hook_kind_names[kind] : "?";
}

bool
policy_device_pattern_parse (const char *s, struct policy_devspec *d)
{
  char *end;

  if ((s[0] != 'a' && s[0] != 'b' && s[0] != 'c') || s[1] != ' ')
    return false;
  d->type = s[0];
  s += 2;
  if (*s == '*')
    {
      d->major = -1;
      s++;
    }
  else
    {
      d->major = strtol (s, &end, 10);
      if (end == s)
        return false;
      s = end;
    }
  if (*s++ != ':')
    return false;
  if (*s == '*' && s[1] == '\0')
    d->minor = -1;
  else
    {
      d->minor = strtol (s, &end, 10);
      if (end == s || *end != '\0')
        return false;
    }
  return true;
}

struct policy_list
policy_list_pick (bool has, const struct policy_strings *s, const char *const *def)
{
  struct policy_list l;
  if (has)
    {
      l.items = (const char *const *) s->items;
      l.len = s->len;
      return l;
    }
  l.items = def;
  for (l.len = 0; def[l.len]; l.len++)
    ;
  return l;
}

const char *
policy_rule_name (enum rule_id id)
{
  if (id == FINDING_APPARMOR)
    return "apparmor";
  if (id == FINDING_SELINUX)
    return "selinux";
  return id < RULE_COUNT ? rule_table[id].name : "?";
}

const char *
policy_lsm_mode_name (enum lsm_mode m)
{
  return m == LSM_REQUIRE ? "require" : m == LSM_PREFER ? "prefer" : "off";
}

const char *
policy_action_name (enum rule_action a)
{
  switch (a)
    {
    case RULE_ALLOW:
      return "allow";
    case RULE_WARN:
      return "warn";
    case RULE_MUTATE:
      return "mutate";
    case RULE_DENY:
      return "deny";
    case RULE_DEFAULT:
    default:
      return "default";
    }
}

enum rule_action
policy_rule_action (const struct policy_profile *p, enum rule_id id)
{
  return p->rules[id] != RULE_DEFAULT ? p->rules[id] : rule_table[id].def;
}

/* ------------------------------------------------------------------ */
/* Validation helpers: every message is "SOURCE:LINE:COL: KEYPATH: why". */

struct pctx
{
  const char *source;
  hr_err *err;
};

static int fail_at (struct pctx *c, const struct json_value *v, const char *keypath, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

static int
fail_at (struct pctx *c, const struct json_value *v, const char *keypath, const char *fmt, ...)
{
  cleanup_free char *msg = NULL;
  va_list ap;

  va_start (ap, fmt);
  if (vasprintf (&msg, fmt, ap) < 0)
    msg = NULL;
  va_end (ap);
  return hr_error_set (c->err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: %s", c->source, v ? v->line : 0, v ? v->col : 0,
                       keypath, msg ? msg : "invalid");
}

static int
expect_type (struct pctx *c, const struct json_value *v, const char *keypath, enum json_type type)
{
  bool ok = v->type == type || (type == JSON_TRUE && v->type == JSON_FALSE);
  if (!ok)
    {
      const char *want = type == JSON_TRUE ? "a boolean" : json_type_name (type);
      return fail_at (c, v, keypath, "expected %s, found %s", want, json_type_name (v->type));
    }
  return 0;
}

static int
get_string (struct pctx *c, const struct json_value *v, const char *keypath, char **out)
{
  if (expect_type (c, v, keypath, JSON_STRING) < 0)
    return -1;
  if (strlen (v->u.str.s) != v->u.str.len)
    return fail_at (c, v, keypath, "contains a NUL character");
  free (*out);
  *out = xstrdup (v->u.str.s);
  return 0;
}

static int
get_mode (struct pctx *c, const struct json_value *v, const char *keypath, enum policy_mode *out)
{
  if (expect_type (c, v, keypath, JSON_STRING) < 0)
    return -1;
  if (json_is_string (v, "enforce"))
    *out = POLICY_MODE_ENFORCE;
  else if (json_is_string (v, "audit"))
    *out = POLICY_MODE_AUDIT;
  else
    return fail_at (c, v, keypath, "unknown mode \"%s\" (expected \"enforce\" or \"audit\")", v->u.str.s);
  return 0;
}

/* An integer, or a size string "512M", "2G" (binary units). */
static int
get_size (struct pctx *c, const struct json_value *v, const char *keypath, bool allow_units, int64_t *out)
{
  if (v->type == JSON_NUMBER)
    {
      if (!parse_i64 (v->u.str.s, v->u.str.len, out) || *out < 0)
        return fail_at (c, v, keypath, "expected a non-negative 64-bit integer, found %s", v->u.str.s);
      return 0;
    }
  if (allow_units && v->type == JSON_STRING && v->u.str.len > 0)
    {
      size_t n = v->u.str.len;
      uint64_t base, mult = 1;
      /* K, M, G or T: a policy has no use for petabytes */
      if (v->u.str.s[n - 1] != 'p' && v->u.str.s[n - 1] != 'P')
        mult = size_suffix (v->u.str.s[n - 1]);
      if (mult != 1)
        n--;
      if (!parse_u64 (v->u.str.s, n, &base) || base > (uint64_t) INT64_MAX / mult)
        return fail_at (c, v, keypath, "\"%s\" is not a size (an integer with an optional K, M, G or T suffix)",
                        v->u.str.s);
      *out = (int64_t) (base * mult);
      return 0;
    }
  return fail_at (c, v, keypath, "expected %s, found %s", allow_units ? "a size" : "an integer",
                  json_type_name (v->type));
}

static int
get_string_list (struct pctx *c, const struct json_value *v, const char *keypath, bool absolute_paths,
                 struct policy_strings *out)
{
  if (expect_type (c, v, keypath, JSON_ARRAY) < 0)
    return -1;
  strings_free (out);
  out->items = xcalloc (v->u.arr.len, sizeof (char *));
  out->len = 0;
  for (size_t i = 0; i < v->u.arr.len; i++)
    {
      cleanup_free char *kp = xasprintf ("%s[%zu]", keypath, i);
      char *s = NULL;
      if (get_string (c, v->u.arr.items[i], kp, &s) < 0)
        return -1;
      out->items[out->len++] = s;
      if (absolute_paths && s[0] != '/')
        return fail_at (c, v->u.arr.items[i], kp, "\"%s\" is not an absolute path", s);
    }
  return 0;
}

static int
get_caps (struct pctx *c, const struct json_value *v, const char *keypath, uint64_t *mask, bool *all)
{
  if (expect_type (c, v, keypath, JSON_ARRAY) < 0)
    return -1;
  *mask = 0;
  *all = false;
  for (size_t i = 0; i < v->u.arr.len; i++)
    {
      const struct json_value *it = v->u.arr.items[i];
      cleanup_free char *kp = xasprintf ("%s[%zu]", keypath, i);
      int cap;

      if (expect_type (c, it, kp, JSON_STRING) < 0)
        return -1;
      if (strcasecmp (it->u.str.s, "ALL") == 0)
        {
          *all = true;
          continue;
        }
      cap = policy_capability_from_name (it->u.str.s);
      if (cap < 0 || cap > 63)
        return fail_at (c, it, kp, "unknown capability \"%s\"", it->u.str.s);
      *mask |= 1ull << cap;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* Objects of the policy as tables of keys: each key names the parser of
 * its value and where in the object being filled (TARGET) it goes. */

struct policy_key;
typedef int key_parser (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                        void *target);

struct policy_key
{
  const char *name;
  key_parser *parse;
  size_t field;           /* offsetof the field it fills in the target */
  size_t given;           /* GIVEN (the flag saying the key was there), 0: no such flag */
  bool opt;               /* lists: absolute paths only; sizes: K, M, G, T allowed */
  bool (*item_valid) (const char *s); /* lists: each item must pass */
  const char *item_error; /* lists: what an item that fails is ("\"ITEM\" " + this) */
};

/* 1 + the offset: 0 is "no flag" in a table that leaves it out */
#define GIVEN(type, flag) (offsetof (type, flag) + 1)
#define KEY_FIELD(type, target, k) ((type *) ((char *) (target) + (k)->field))

static void
key_mark_given (const struct policy_key *k, void *target)
{
  if (k->given != 0)
    *(bool *) ((char *) target + k->given - 1) = true;
}

/* V, an object, key by key through KEYS; a key not there is refused with
 * UNKNOWN.  Keys are named "KEYPATH.KEY", or "KEY" at the top level
 * (KEYPATH NULL). */
static int
parse_keys (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *keys,
            size_t n_keys, const char *unknown, void *target)
{
  if (expect_type (c, v, keypath ? keypath : "(top level)", JSON_OBJECT) < 0)
    return -1;
  for (size_t i = 0; i < v->u.obj.len; i++)
    {
      const struct json_member *m = &v->u.obj.members[i];
      cleanup_free char *kp = keypath ? xasprintf ("%s.%s", keypath, m->key) : xstrdup (m->key);
      const struct policy_key *k = NULL;

      for (size_t j = 0; j < n_keys && k == NULL; j++)
        if (strcmp (m->key, keys[j].name) == 0)
          k = &keys[j];
      if (k == NULL)
        return fail_at (c, m->value, kp, "%s", unknown);
      if (k->parse (c, m->value, kp, k, target) < 0)
        return -1;
    }
  return 0;
}

/* "comment", and keys read elsewhere ("extends"): a string */
static int
key_string_only (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                 void *target)
{
  (void) k;
  (void) target;
  return expect_type (c, v, keypath, JSON_STRING);
}

static int
key_string (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
            void *target)
{
  return get_string (c, v, keypath, KEY_FIELD (char *, target, k));
}

static int
key_absolute_path (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                   void *target)
{
  char **s = KEY_FIELD (char *, target, k);
  if (get_string (c, v, keypath, s) < 0)
    return -1;
  if ((*s)[0] != '/')
    return fail_at (c, v, keypath, "\"%s\" is not an absolute path", *s);
  return 0;
}

static int
key_flag (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k, void *target)
{
  int r = expect_type (c, v, keypath, JSON_TRUE);
  *KEY_FIELD (bool, target, k) = v->type == JSON_TRUE;
  return r;
}

static int
key_mode (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k, void *target)
{
  return get_mode (c, v, keypath, KEY_FIELD (enum policy_mode, target, k));
}

static int
key_list (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k, void *target)
{
  struct policy_strings *list = KEY_FIELD (struct policy_strings, target, k);

  key_mark_given (k, target);
  if (get_string_list (c, v, keypath, k->opt, list) < 0)
    return -1;
  for (size_t i = 0; k->item_valid && i < list->len; i++)
    if (!k->item_valid (list->items[i]))
      return fail_at (c, v->u.arr.items[i], keypath, "\"%s\" %s", list->items[i], k->item_error);
  return 0;
}

static int
key_size (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k, void *target)
{
  key_mark_given (k, target);
  return get_size (c, v, keypath, k->opt, KEY_FIELD (int64_t, target, k));
}

static bool
device_pattern_valid (const char *s)
{
  return policy_device_pattern_parse (s, &(struct policy_devspec){ 0 });
}

/* "/docker" (cgroupfs) or "system.slice:docker:" (systemd) */
static bool
cgroup_parent_valid (const char *e)
{
  size_t n = strlen (e);
  return (e[0] == '/' && (n == 1 || e[n - 1] != '/')) || (e[0] != '/' && n > 0 && e[n - 1] == ':');
}

/* "pids_limit": {"default": N, "max": N} and the like; what each allows of
 * the numbers is its caller's to say */
#define LIMIT_KEYS(units)                                                                                              \
  {                                                                                                                    \
    { .name = "default",                                                                                               \
      .parse = key_size,                                                                                               \
      .field = offsetof (struct policy_limit, def),                                                                    \
      .given = GIVEN (struct policy_limit, has_default),                                                               \
      .opt = units },                                                                                                  \
    { .name = "max",                                                                                                   \
      .parse = key_size,                                                                                               \
      .field = offsetof (struct policy_limit, max),                                                                    \
      .given = GIVEN (struct policy_limit, has_max),                                                                   \
      .opt = units },                                                                                                  \
  }
static const struct policy_key limit_keys[] = LIMIT_KEYS (false);
static const struct policy_key size_limit_keys[] = LIMIT_KEYS (true);
#define LIMIT_UNKNOWN "unknown key (expected \"default\" or \"max\")"

static int
get_limit (struct pctx *c, const struct json_value *v, const char *keypath, bool allow_units,
           struct policy_limit *out)
{
  if (parse_keys (c, v, keypath, allow_units ? size_limit_keys : limit_keys, ARRAY_SIZE (limit_keys), LIMIT_UNKNOWN,
                  out)
      < 0)
    return -1;
  if (out->has_default && out->has_max && out->def > out->max)
    return fail_at (c, v, keypath, "default %lld is larger than max %lld", (long long) out->def,
                    (long long) out->max);
  if ((out->has_default && out->def == 0) || (out->has_max && out->max == 0))
    return fail_at (c, v, keypath, "0 would mean \"unlimited\" to runc; use a positive value");
  return 0;
}

static int
key_limit (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k, void *target)
{
  return get_limit (c, v, keypath, k->opt, KEY_FIELD (struct policy_limit, target, k));
}

/* "apparmor": {"mode": "prefer", "profile": "NAME"}, "selinux": {"mode": ...} */
static int
key_lsm_mode (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
              void *target)
{
  enum lsm_mode *mode = KEY_FIELD (enum lsm_mode, target, k);
  if (expect_type (c, v, keypath, JSON_STRING) < 0)
    return -1;
  if (json_is_string (v, "off"))
    *mode = LSM_OFF;
  else if (json_is_string (v, "prefer"))
    *mode = LSM_PREFER;
  else if (json_is_string (v, "require"))
    *mode = LSM_REQUIRE;
  else
    return fail_at (c, v, keypath, "unknown mode \"%s\" (expected \"off\", \"prefer\" or \"require\")", v->u.str.s);
  return 0;
}

static int
key_apparmor_profile (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                      void *target)
{
  char **name = KEY_FIELD (char *, target, k);
  const char *n;
  if (get_string (c, v, keypath, name) < 0)
    return -1;
  n = *name;
  /* a profile name as apparmor_parser and securityfs show it */
  if (n[0] == '\0' || strcmp (n, "unconfined") == 0 || strpbrk (n, " \t\n()"))
    return fail_at (c, v, keypath, "\"%s\" is not a usable AppArmor profile name", n);
  return 0;
}

static const struct policy_key apparmor_keys[] = {
  { .name = "mode", .parse = key_lsm_mode, .field = offsetof (struct policy_profile, apparmor) },
  { .name = "profile",
    .parse = key_apparmor_profile,
    .field = offsetof (struct policy_profile, apparmor_profile) },
  { .name = "comment", .parse = key_string_only },
};
static const struct policy_key selinux_keys[] = {
  { .name = "mode", .parse = key_lsm_mode, .field = offsetof (struct policy_profile, selinux) },
  { .name = "comment", .parse = key_string_only },
};

static int
key_apparmor (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
              void *target)
{
  struct policy_profile *prof = target;
  (void) k;
  if (parse_keys (c, v, keypath, apparmor_keys, ARRAY_SIZE (apparmor_keys), "unknown key", prof) < 0)
    return -1;
  if (prof->apparmor != LSM_OFF && prof->apparmor_profile == NULL)
    prof->apparmor_profile = xstrdup ("hardened-runc-default");
  return 0;
}

static int
key_selinux (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
             void *target)
{
  (void) k;
  return parse_keys (c, v, keypath, selinux_keys, ARRAY_SIZE (selinux_keys), "unknown key", target);
}

static int
key_rlimits (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
             void *target)
{
  struct policy_profile *prof = target;
  (void) k;
  if (expect_type (c, v, keypath, JSON_OBJECT) < 0)
    return -1;
  rlimits_free_all (prof);
  prof->rlimits = xcalloc (v->u.obj.len, sizeof *prof->rlimits);
  for (size_t i = 0; i < v->u.obj.len; i++)
    {
      const struct json_member *m = &v->u.obj.members[i];
      cleanup_free char *kp = xasprintf ("%s.%s", keypath, m->key);
      struct policy_rlimit *r = &prof->rlimits[prof->n_rlimits];
      struct policy_limit lim = { 0 };
      bool known = false;

      for (size_t n = 0; n < ARRAY_SIZE (rlimit_names); n++)
        known |= strcmp (m->key, rlimit_names[n]) == 0;
      if (!known)
        return fail_at (c, m->value, kp, "unknown resource limit (expected a name like \"RLIMIT_NOFILE\")");
      r->type = xstrdup (m->key);
      prof->n_rlimits++;
      /* the keys of a limit, but 0 is meaningful here (RLIMIT_CORE) */
      if (parse_keys (c, m->value, kp, limit_keys, ARRAY_SIZE (limit_keys), LIMIT_UNKNOWN, &lim) < 0)
        return -1;
      if (!lim.has_default && !lim.has_max)
        return fail_at (c, m->value, kp, "needs \"default\", \"max\" or both");
      if (lim.has_default && lim.has_max && lim.def > lim.max)
        return fail_at (c, m->value, kp, "default is larger than max");
      r->has_default = lim.has_default;
      r->has_max = lim.has_max;
      r->def = (uint64_t) lim.def;
      r->max = (uint64_t) lim.max;
    }
  return 0;
}

/* V, an array of objects, each parsed by PARSE_ITEM into the next of
 * ITEMS (N counts them) */
static int
parse_object_array (struct pctx *c, const struct json_value *v, const char *keypath, void *items, size_t item_size,
                    size_t *n, int (*parse_item) (struct pctx *, const struct json_value *, const char *, void *))
{
  for (size_t i = 0; i < v->u.arr.len; i++)
    {
      cleanup_free char *kp = xasprintf ("%s[%zu]", keypath, i);
      void *item = (char *) items + (*n)++ * item_size;
      if (parse_item (c, v->u.arr.items[i], kp, item) < 0)
        return -1;
    }
  return 0;
}

static int
key_tmpfs_path (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                void *target)
{
  char **path = KEY_FIELD (char *, target, k);
  if (get_string (c, v, keypath, path) < 0)
    return -1;
  if ((*path)[0] != '/' || strcmp (*path, "/") == 0)
    return fail_at (c, v, keypath, "\"%s\" must be an absolute path below /", *path);
  return 0;
}

static int
key_tmpfs_options (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                   void *target)
{
  struct policy_tmpfs *t = target;
  struct policy_strings opts = { 0 };
  (void) k;
  if (get_string_list (c, v, keypath, false, &opts) < 0)
    {
      strings_free (&opts);
      return -1;
    }
  t->options = opts.items;
  t->n_options = opts.len;
  return 0;
}

static const struct policy_key tmpfs_keys[] = {
  { .name = "path", .parse = key_tmpfs_path, .field = offsetof (struct policy_tmpfs, path) },
  { .name = "options", .parse = key_tmpfs_options },
};

static int
parse_tmpfs (struct pctx *c, const struct json_value *v, const char *keypath, void *item)
{
  struct policy_tmpfs *t = item;
  if (parse_keys (c, v, keypath, tmpfs_keys, ARRAY_SIZE (tmpfs_keys), "unknown key (expected \"path\" or \"options\")",
                  t)
      < 0)
    return -1;
  if (t->path == NULL)
    return fail_at (c, v, keypath, "missing \"path\"");
  return 0;
}

static int
key_tmpfs (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k, void *target)
{
  struct policy_profile *prof = target;
  (void) k;
  if (expect_type (c, v, keypath, JSON_ARRAY) < 0)
    return -1;
  tmpfs_free_all (prof);
  prof->tmpfs = xcalloc (v->u.arr.len, sizeof *prof->tmpfs);
  return parse_object_array (c, v, keypath, prof->tmpfs, sizeof *prof->tmpfs, &prof->n_tmpfs, parse_tmpfs);
}

static int
key_hook_kinds (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                void *target)
{
  struct policy_hook *h = target;
  struct policy_strings kinds = { 0 };
  int r = get_string_list (c, v, keypath, false, &kinds);
  (void) k;
  for (size_t i = 0; r == 0 && i < kinds.len; i++)
    {
      int kind = policy_hook_kind (kinds.items[i]);
      if (kind < 0)
        r = fail_at (c, v->u.arr.items[i], keypath,
                     "unknown hook kind \"%s\" (expected prestart, createRuntime, createContainer, "
                     "startContainer, poststart or poststop)",
                     kinds.items[i]);
      else
        h->kinds |= 1u << kind;
    }
  strings_free (&kinds);
  return r;
}

static const struct policy_key hook_keys[] = {
  { .name = "path", .parse = key_absolute_path, .field = offsetof (struct policy_hook, path) },
  { .name = "args", .parse = key_list, .field = offsetof (struct policy_hook, args) },
  { .name = "kinds", .parse = key_hook_kinds },
  { .name = "comment", .parse = key_string_only },
};

static int
parse_hook (struct pctx *c, const struct json_value *v, const char *keypath, void *item)
{
  struct policy_hook *h = item;
  if (parse_keys (c, v, keypath, hook_keys, ARRAY_SIZE (hook_keys),
                  "unknown key (expected \"path\", \"args\", \"kinds\" or \"comment\")", h)
      < 0)
    return -1;
  if (h->path == NULL)
    return fail_at (c, v, keypath, "missing \"path\" (the hook's program)");
  if (h->args.len == 0)
    return fail_at (c, v, keypath, "missing \"args\" (the first arguments the hook must have, at least its argv[0])");
  return 0;
}

/* "allowed_hooks": [{"path": "/usr/sbin/dockerd", "args": ["libnetwork-setkey"], "kinds": ["prestart"]}] */
static int
key_hooks (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k, void *target)
{
  struct policy_profile *prof = target;
  (void) k;
  if (expect_type (c, v, keypath, JSON_ARRAY) < 0)
    return -1;
  hooks_free_all (prof);
  prof->has_allowed_hooks = true;
  prof->allowed_hooks = xcalloc (v->u.arr.len + 1, sizeof *prof->allowed_hooks);
  return parse_object_array (c, v, keypath, prof->allowed_hooks, sizeof *prof->allowed_hooks,
                             &prof->n_allowed_hooks, parse_hook);
}

static int
key_rules (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k, void *target)
{
  struct policy_profile *prof = target;
  (void) k;
  if (expect_type (c, v, keypath, JSON_OBJECT) < 0)
    return -1;
  for (size_t i = 0; i < v->u.obj.len; i++)
    {
      const struct json_member *m = &v->u.obj.members[i];
      cleanup_free char *kp = xasprintf ("%s.%s", keypath, m->key);
      enum rule_action a = RULE_DEFAULT;
      int id = -1;

      for (int r = 0; r < RULE_COUNT; r++)
        if (strcmp (m->key, rule_table[r].name) == 0)
          id = r;
      if (id < 0)
        return fail_at (c, m->value, kp, "unknown rule");
      if (expect_type (c, m->value, kp, JSON_STRING) < 0)
        return -1;
      for (enum rule_action t = RULE_ALLOW; t <= RULE_DENY; t++)
        if (json_is_string (m->value, policy_action_name (t)))
          a = t;
      if (a == RULE_DEFAULT || !(rule_table[id].accepted & (1u << a)))
        {
          struct strbuf ok = { 0 };
          for (enum rule_action t = RULE_ALLOW; t <= RULE_DENY; t++)
            if (rule_table[id].accepted & (1u << t))
              {
                strbuf_appends (&ok, ok.len ? ", " : "");
                strbuf_appends (&ok, policy_action_name (t));
              }
          fail_at (c, m->value, kp, "\"%s\" is not an action of this rule (expected one of: %s)", m->value->u.str.s,
                   ok.buf);
          strbuf_release (&ok);
          return -1;
        }
      prof->rules[id] = a;
    }
  return 0;
}

static int
key_capabilities (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                  void *target)
{
  struct policy_profile *prof = target;
  (void) k;
  prof->has_capabilities = true;
  return get_caps (c, v, keypath, &prof->capabilities, &prof->capabilities_all);
}

static int
key_inheritable (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                 void *target)
{
  struct policy_profile *prof = target;
  (void) k;
  prof->has_inheritable = true;
  return get_caps (c, v, keypath, &prof->inheritable, &prof->inheritable_all);
}

static int
key_seccomp (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
             void *target)
{
  char **s = KEY_FIELD (char *, target, k);
  if (get_string (c, v, keypath, s) < 0)
    return -1;
  if ((*s)[0] == '\0' || ((*s)[0] != '/' && strchr (*s, '/')))
    return fail_at (c, v, keypath, "\"%s\" is neither a shipped profile name nor an absolute path", *s);
  return 0;
}

static int
key_tmpfs_max_size (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                    void *target)
{
  if (key_size (c, v, keypath, k, target) < 0)
    return -1;
  if (*KEY_FIELD (int64_t, target, k) == 0)
    return fail_at (c, v, keypath, "a tmpfs needs a size above 0");
  return 0;
}

#define PROFILE_FIELD(f) offsetof (struct policy_profile, f)
#define PROFILE_GIVEN(flag) GIVEN (struct policy_profile, flag)
/* a list the profile may set (else the built-in default stands) */
#define PROFILE_LIST(n, paths)                                                                                   \
  {                                                                                                            \
    .name = #n, .parse = key_list, .field = PROFILE_FIELD (n), .given = PROFILE_GIVEN (has_##n), .opt = paths \
  }

static const struct policy_key profile_keys[] = {
  { .name = "comment", .parse = key_string_only },
  { .name = "extends", .parse = key_string_only }, /* read first, by parse_profile */
  { .name = "mode", .parse = key_mode, .field = PROFILE_FIELD (mode) },
  { .name = "rules", .parse = key_rules },
  { .name = "seccomp", .parse = key_seccomp, .field = PROFILE_FIELD (seccomp) },
  { .name = "apparmor", .parse = key_apparmor },
  { .name = "selinux", .parse = key_selinux },
  PROFILE_LIST (sensitive_mounts, true),
  PROFILE_LIST (sensitive_mount_roots, true),
  PROFILE_LIST (readonly_mounts, true),
  PROFILE_LIST (allowed_mount_sources, true),
  PROFILE_LIST (allowed_filesystems, false),
  PROFILE_LIST (allowed_bind_sources, true),
  PROFILE_LIST (allowed_sockets, true),
  { .name = "tmpfs_max_size",
    .parse = key_tmpfs_max_size,
    .field = PROFILE_FIELD (tmpfs_max_size),
    .given = PROFILE_GIVEN (has_tmpfs_max_size),
    .opt = true },
  { .name = "tmpfs_exec", .parse = key_flag, .field = PROFILE_FIELD (tmpfs_exec) },
  { .name = "allowed_devices",
    .parse = key_list,
    .field = PROFILE_FIELD (allowed_devices),
    .given = PROFILE_GIVEN (has_allowed_devices),
    .item_valid = device_pattern_valid,
    .item_error = "is not a device pattern like \"c 1:3\" or \"c 136:*\"" },
  PROFILE_LIST (allowed_sysctls, false),
  { .name = "allowed_hooks", .parse = key_hooks },
  { .name = "removed_devices",
    .parse = key_list,
    .field = PROFILE_FIELD (removed_devices),
    .given = PROFILE_GIVEN (has_removed_devices),
    .item_valid = device_pattern_valid,
    .item_error = "is not a device pattern like \"c 5:1\" or \"c 136:*\"" },
  { .name = "allowed_cgroup_parents",
    .parse = key_list,
    .field = PROFILE_FIELD (allowed_cgroup_parents),
    .given = PROFILE_GIVEN (has_allowed_cgroup_parents),
    .item_valid = cgroup_parent_valid,
    .item_error = "is neither a cgroup directory like \"/docker\" nor a systemd parent like \"system.slice:docker:\"" },
  { .name = "capabilities", .parse = key_capabilities },
  { .name = "inheritable_capabilities", .parse = key_inheritable },
  { .name = "no_new_privileges", .parse = key_flag, .field = PROFILE_FIELD (no_new_privileges) },
  { .name = "readonly_rootfs", .parse = key_flag, .field = PROFILE_FIELD (readonly_rootfs) },
  { .name = "tmpfs", .parse = key_tmpfs },
  { .name = "pids_limit", .parse = key_limit, .field = PROFILE_FIELD (pids) },
  { .name = "memory_limit", .parse = key_limit, .field = PROFILE_FIELD (memory), .opt = true },
  { .name = "cpu_shares", .parse = key_limit, .field = PROFILE_FIELD (cpu_shares) },
  { .name = "rlimits", .parse = key_rlimits },
  { .name = "masked_paths", .parse = key_list, .field = PROFILE_FIELD (masked_paths), .opt = true },
  { .name = "readonly_paths", .parse = key_list, .field = PROFILE_FIELD (readonly_paths), .opt = true },
};

static void
strings_copy (struct policy_strings *dst, const struct policy_strings *src)
{
  strings_free (dst);
  dst->items = xcalloc (src->len + 1, sizeof (char *));
  dst->len = src->len;
  for (size_t i = 0; i < src->len; i++)
    dst->items[i] = xstrdup (src->items[i]);
}

/* "extends": start from a copy of an earlier profile. */
static void
profile_copy (struct policy_profile *dst, const struct policy_profile *src)
{
  char *name = dst->name;

  *dst = *src;
  dst->name = name;
  dst->tmpfs = xcalloc (src->n_tmpfs + 1, sizeof *dst->tmpfs);
  for (size_t i = 0; i < src->n_tmpfs; i++)
    {
      struct policy_strings o = { 0 }, so = { .items = src->tmpfs[i].options, .len = src->tmpfs[i].n_options };
      dst->tmpfs[i].path = xstrdup (src->tmpfs[i].path);
      strings_copy (&o, &so);
      dst->tmpfs[i].options = o.items;
      dst->tmpfs[i].n_options = o.len;
    }
  dst->seccomp = src->seccomp ? xstrdup (src->seccomp) : NULL;
  dst->apparmor_profile = src->apparmor_profile ? xstrdup (src->apparmor_profile) : NULL;
  dst->rlimits = xcalloc (src->n_rlimits + 1, sizeof *dst->rlimits);
  for (size_t i = 0; i < src->n_rlimits; i++)
    {
      dst->rlimits[i] = src->rlimits[i];
      dst->rlimits[i].type = xstrdup (src->rlimits[i].type);
    }
  memset (&dst->masked_paths, 0, sizeof dst->masked_paths);
  strings_copy (&dst->masked_paths, &src->masked_paths);
  memset (&dst->readonly_paths, 0, sizeof dst->readonly_paths);
  strings_copy (&dst->readonly_paths, &src->readonly_paths);
#define COPY_LIST(f)                                                                                                   \
  memset (&dst->f, 0, sizeof dst->f);                                                                                  \
  strings_copy (&dst->f, &src->f)
  COPY_LIST (sensitive_mounts);
  COPY_LIST (sensitive_mount_roots);
  COPY_LIST (readonly_mounts);
  COPY_LIST (allowed_mount_sources);
  COPY_LIST (allowed_filesystems);
  COPY_LIST (allowed_bind_sources);
  COPY_LIST (allowed_sockets);
  COPY_LIST (allowed_devices);
  COPY_LIST (allowed_sysctls);
  COPY_LIST (removed_devices);
  COPY_LIST (allowed_cgroup_parents);
#undef COPY_LIST
  dst->allowed_hooks = xcalloc (src->n_allowed_hooks + 1, sizeof *dst->allowed_hooks);
  for (size_t i = 0; i < src->n_allowed_hooks; i++)
    {
      dst->allowed_hooks[i].path = xstrdup (src->allowed_hooks[i].path);
      dst->allowed_hooks[i].kinds = src->allowed_hooks[i].kinds;
      strings_copy (&dst->allowed_hooks[i].args, &src->allowed_hooks[i].args);
    }
}

static int
parse_profile (struct pctx *c, const struct json_member *pm, struct policy_profile *prof,
               const struct policy_profile *earlier, size_t n_earlier)
{
  const struct json_value *v = pm->value, *ext;
  cleanup_free char *base = xasprintf ("profiles.%s", pm->key);

  prof->name = xstrdup (pm->key);
  if (pm->keylen == 0 || strlen (pm->key) != pm->keylen)
    return fail_at (c, v, base, "a profile needs a non-empty name");
  if (expect_type (c, v, base, JSON_OBJECT) < 0)
    return -1;
  ext = json_object_get (v, "extends");
  if (ext)
    {
      cleanup_free char *kp = xasprintf ("%s.extends", base);
      const struct policy_profile *parent = NULL;
      if (expect_type (c, ext, kp, JSON_STRING) < 0)
        return -1;
      for (size_t i = 0; i < n_earlier; i++)
        if (strcmp (earlier[i].name, ext->u.str.s) == 0)
          parent = &earlier[i];
      if (parent == NULL)
        return fail_at (c, ext, kp, "\"%s\" is not a profile defined before this one", ext->u.str.s);
      profile_copy (prof, parent);
    }

  if (parse_keys (c, v, base, profile_keys, ARRAY_SIZE (profile_keys), "unknown key", prof) < 0)
    return -1;
  /* Inheritable and ambient never hold more than the bounding allow list. */
  if (prof->has_capabilities && !prof->has_inheritable)
    {
      prof->has_inheritable = true;
      prof->inheritable = 0;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* namespace_profiles, sandbox_profiles: Kubernetes namespace -> profile. */

/* A Kubernetes namespace name: an RFC 1123 label (lower-case letters,
 * digits and '-', starting and ending with a letter or digit, at most 63). */
static bool
k8s_namespace_name_valid (const char *s, size_t len)
{
  if (len == 0 || len > 63 || strlen (s) != len || s[0] == '-' || s[len - 1] == '-')
    return false;
  for (size_t i = 0; i < len; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
      return false;
  return true;
}

static int
get_namespace_map (struct pctx *c, const struct json_value *v, const char *keypath, struct policy_namespace_map *out)
{
  if (expect_type (c, v, keypath, JSON_OBJECT) < 0)
    return -1;
  namespace_map_free (out);
  out->items = xcalloc (v->u.obj.len + 1, sizeof *out->items);
  for (size_t i = 0; i < v->u.obj.len; i++)
    {
      const struct json_member *m = &v->u.obj.members[i];
      cleanup_free char *kp = xasprintf ("%s.%s", keypath, m->key);
      struct policy_namespace_profile *it = &out->items[out->len];

      if (!(m->keylen == 1 && m->key[0] == '*') && !k8s_namespace_name_valid (m->key, m->keylen))
        return fail_at (c, m->value, kp,
                        "\"%s\" is not a Kubernetes namespace name (lower-case letters, digits and '-', at most 63) "
                        "nor \"*\"",
                        m->key);
      if (get_string (c, m->value, kp, &it->profile) < 0)
        return -1;
      it->ns = xstrdup (m->key);
      out->len++;
    }
  return 0;
}

/* After the profiles: every name in KEY's map is one of them. */
static int
check_namespace_map (struct pctx *c, const struct policy *p, const struct json_value *root, const char *key,
                     const struct policy_namespace_map *m)
{
  const struct json_value *v = json_object_get (root, key);

  for (size_t i = 0; i < m->len; i++)
    {
      const struct policy_profile *prof = NULL;
      if (policy_select_profile (p, m->items[i].profile, &prof, NULL) < 0)
        {
          cleanup_free char *kp = xasprintf ("%s.%s", key, m->items[i].ns);
          return fail_at (c, json_object_get (v, m->items[i].ns), kp, "\"%s\" is not one of the profiles",
                          m->items[i].profile);
        }
    }
  return 0;
}

const char *
policy_namespace_profile (const struct policy_namespace_map *m, const char *ns)
{
  const char *any = NULL;

  for (size_t i = 0; i < m->len; i++)
    {
      if (strcmp (m->items[i].ns, ns) == 0)
        return m->items[i].profile;
      if (strcmp (m->items[i].ns, "*") == 0)
        any = m->items[i].profile;
    }
  return any;
}

static int
key_namespace_map (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                   void *target)
{
  return get_namespace_map (c, v, keypath, KEY_FIELD (struct policy_namespace_map, target, k));
}

/* "profiles": checked to be an object here, read after the other keys */
static int
key_object_only (struct pctx *c, const struct json_value *v, const char *keypath, const struct policy_key *k,
                 void *target)
{
  (void) k;
  (void) target;
  return expect_type (c, v, keypath, JSON_OBJECT);
}

#define POLICY_FIELD(f) offsetof (struct policy, f)

static const struct policy_key policy_keys[] = {
  { .name = "comment", .parse = key_string_only },
  { .name = "mode", .parse = key_mode, .field = POLICY_FIELD (mode) },
  { .name = "runtime", .parse = key_absolute_path, .field = POLICY_FIELD (runtime) },
  { .name = "audit_log", .parse = key_absolute_path, .field = POLICY_FIELD (audit_log) },
  { .name = "metrics_file", .parse = key_absolute_path, .field = POLICY_FIELD (metrics_file) },
  { .name = "default_profile", .parse = key_string, .field = POLICY_FIELD (default_profile) },
  { .name = "annotation_profiles", .parse = key_list, .field = POLICY_FIELD (annotation_profiles) },
  { .name = "namespace_profiles", .parse = key_namespace_map, .field = POLICY_FIELD (namespace_profiles) },
  { .name = "sandbox_profiles", .parse = key_namespace_map, .field = POLICY_FIELD (sandbox_profiles) },
  { .name = "profiles", .parse = key_object_only },
};

int
policy_parse (const char *buf, size_t len, const char *source, struct policy **out, hr_err *err)
{
  cleanup_policy struct policy *p = xcalloc (1, sizeof *p);
  cleanup_json struct json_value *root = NULL;
  struct pctx c = { .source = source, .err = err };
  const struct json_value *profiles = NULL;

  p->source = xstrdup (source);
  p->mode = POLICY_MODE_ENFORCE;
  if (json_parse (buf, len, source, &policy_limits, &root, err) < 0)
    return -1;

  if (parse_keys (&c, root, NULL, policy_keys, ARRAY_SIZE (policy_keys), "unknown key", p) < 0)
    return -1;
  profiles = json_object_get (root, "profiles");

  if (profiles == NULL || profiles->u.obj.len == 0)
    return fail_at (&c, root, "profiles", "the policy defines no profile");
  p->profiles = xcalloc (profiles->u.obj.len, sizeof *p->profiles);
  for (size_t i = 0; i < profiles->u.obj.len; i++)
    {
      p->n_profiles++;
      if (parse_profile (&c, &profiles->u.obj.members[i], &p->profiles[i], p->profiles, i) < 0)
        return -1;
    }

  if (p->default_profile == NULL)
    return fail_at (&c, root, "default_profile", "missing; name the profile containers get by default");
  {
    const struct json_member *dm = json_object_member (root, "default_profile");
    bool known = false;
    for (size_t i = 0; i < p->n_profiles; i++)
      known |= strcmp (p->profiles[i].name, p->default_profile) == 0;
    if (!known)
      return fail_at (&c, dm->value, "default_profile", "\"%s\" is not one of the profiles", p->default_profile);
  }
  for (size_t i = 0; i < p->annotation_profiles.len; i++)
    {
      bool known = false;
      for (size_t j = 0; j < p->n_profiles; j++)
        known |= strcmp (p->profiles[j].name, p->annotation_profiles.items[i]) == 0;
      if (!known)
        {
          const struct json_value *ap = json_object_get (root, "annotation_profiles");
          cleanup_free char *kp = xasprintf ("annotation_profiles[%zu]", i);
          return fail_at (&c, ap->u.arr.items[i], kp, "\"%s\" is not one of the profiles",
                          p->annotation_profiles.items[i]);
        }
    }
  if (check_namespace_map (&c, p, root, "namespace_profiles", &p->namespace_profiles) < 0
      || check_namespace_map (&c, p, root, "sandbox_profiles", &p->sandbox_profiles) < 0)
    return -1;
  if (p->audit_log == NULL)
    p->audit_log = xstrdup (POLICY_DEFAULT_AUDIT_LOG);

  *out = steal_pointer (&p);
  return 0;
}

int
policy_load_file (const char *path, struct policy **out, hr_err *err)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;

  if (file_read_config (path, POLICY_MAX_BYTES, &buf, &len, err) < 0)
    return -1;
  return policy_parse (buf, len, path, out, err);
}

int
policy_load (const char *path, struct policy **out, hr_err *err)
{
  size_t len;
  const char *text;

  if (path)
    return policy_load_file (path, out, err);
  if (access (POLICY_SYSTEM_PATH, F_OK) == 0 || errno != ENOENT)
    return policy_load_file (POLICY_SYSTEM_PATH, out, err);
  text = policy_embedded_text (&len);
  return policy_parse (text, len, "embedded default policy", out, err);
}

int
policy_select_profile (const struct policy *p, const char *name, const struct policy_profile **out, hr_err *err)
{
  if (name == NULL)
    name = p->default_profile;
  for (size_t i = 0; i < p->n_profiles; i++)
    if (strcmp (p->profiles[i].name, name) == 0)
      {
        *out = &p->profiles[i];
        return 0;
      }
  return hr_error_set (err, HR_ERR_REFUSED, 0, "profile \"%s\" is not defined in %s", name, p->source);
}

enum policy_mode
policy_profile_mode (const struct policy *p, const struct policy_profile *prof)
{
  return prof->mode != POLICY_MODE_INHERIT ? prof->mode : p->mode;
}
