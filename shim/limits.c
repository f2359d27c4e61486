/* SPDX-License-Identifier: Apache-2.0 */
/* Resource limits: pids, memory (and swap), CPU shares, rlimits. */
#include <cap-ng.h>
#include <dirent.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

/* Set PARENT.KEY to VALUE (a number), recording the change. */
static void
set_number (struct harden_ctx *ctx, struct json_value *parent, const char *path, const char *key,
            struct json_value *value)
{
  cleanup_free char *control = xasprintf ("%s.%s", path, key);
  changes_add (ctx->changes, control, json_object_get (parent, key), value);
  json_object_set (parent, key, value);
}

/* Apply a default/max pair to the signed field PARENT.KEY, where a value
 * <= 0 (or absent) means "unlimited". */
static int
apply_limit (struct harden_ctx *ctx, struct json_value *parent, const char *path, const char *key,
             const struct policy_limit *lim, int64_t *result, hr_err *err)
{
  cleanup_free char *full = xasprintf ("%s.%s", path, key);
  struct json_value *v = NULL;
  int64_t cur = 0;

  *result = 0;
  if (spec_get (ctx->source, parent, path, key, SPEC_NUMBER, &v, err) < 0)
    return -1;
  if (v && spec_number_i64 (ctx->source, v, full, &cur, err) < 0)
    return -1;
  *result = cur;
  if (cur <= 0)
    {
      if (lim->has_default || lim->has_max)
        {
          *result = lim->has_default ? lim->def : lim->max;
          set_number (ctx, parent, path, key, json_new_i64 (*result));
        }
    }
  else if (lim->has_max && cur > lim->max)
    {
      *result = lim->max;
      set_number (ctx, parent, path, key, json_new_i64 (*result));
    }
  return 0;
}

/* Whether runc can set a swap limit here.  cgroup v1: the memory
 * controller has memory.memsw.* (swap accounting on).  cgroup v2 (the
 * unified root has cgroup.controllers): the groups below the root have
 * memory.swap.max (absent with swapaccount=0 or without swap support).
 * Setting it where it cannot be set makes runc fail the container. */
static bool
host_has_swap_accounting (const char *root)
{
  cleanup_free char *v1 = NULL, *v2 = NULL;
  cleanup_dir DIR *d = NULL;
  struct dirent *e;
  bool found = false;

  if (root == NULL)
    root = "/sys/fs/cgroup";
  v1 = xasprintf ("%s/memory/memory.memsw.limit_in_bytes", root);
  if (access (v1, F_OK) == 0)
    return true;
  v2 = xasprintf ("%s/cgroup.controllers", root);
  if (access (v2, F_OK) < 0 || (d = opendir (root)) == NULL)
    return false;
  while (!found && (e = readdir (d)) != NULL)
    {
      cleanup_free char *f = NULL;
      if (e->d_name[0] == '.' || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN))
        continue;
      f = xasprintf ("%s/%s/memory.swap.max", root, e->d_name);
      found = access (f, F_OK) == 0;
    }
  return found;
}

int64_t
limits_swap_max (int64_t memory)
{
  if (memory <= 0)
    return 0;
  return memory > INT64_MAX / 2 ? INT64_MAX : 2 * memory;
}

static int
memory_apply (struct harden_ctx *ctx, struct json_value *resources, hr_err *err)
{
  const struct policy_limit *lim = &ctx->profile->memory;
  struct json_value *memory = NULL, *swap = NULL;
  int64_t limit = 0, cur = 0;

  if (!lim->has_default && !lim->has_max)
    return 0;
  if (spec_get_object (ctx->source, resources, "linux.resources", "memory", &memory, err) < 0)
    return -1;
  if (apply_limit (ctx, memory, "linux.resources.memory", "limit", lim, &limit, err) < 0)
    return -1;
  if (limit <= 0)
    return 0;

  /* memory.swap is memory+swap.  Swap never exceeds memory: at most 2x. */
  if (spec_get (ctx->source, memory, "linux.resources.memory", "swap", SPEC_NUMBER, &swap, err) < 0)
    return -1;
  if (swap && spec_number_i64 (ctx->source, swap, "linux.resources.memory.swap", &cur, err) < 0)
    return -1;
  if (swap == NULL && !host_has_swap_accounting (ctx->cgroup_root))
    return 0; /* runc would fail to set it; swap is then not usable anyway */
  if (limits_swap_max (limit) == INT64_MAX)
    return 0; /* a limit that large limits nothing */
  if (swap == NULL || cur < 0 || cur > limits_swap_max (limit) || cur < limit)
    set_number (ctx, memory, "linux.resources.memory", "swap", json_new_i64 (limits_swap_max (limit)));
  return 0;
}

int
limits_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  struct json_value *linux_ = NULL, *resources = NULL, *obj = NULL;
  int64_t unused;

  if (!p->pids.has_default && !p->pids.has_max && !p->memory.has_default && !p->memory.has_max
      && !p->cpu_shares.has_default && !p->cpu_shares.has_max)
    return 0;
  if (spec_get_object (ctx->source, root, "", "linux", &linux_, err) < 0
      || spec_get_object (ctx->source, linux_, "linux", "resources", &resources, err) < 0)
    return -1;

  if (p->pids.has_default || p->pids.has_max)
    {
      if (spec_get_object (ctx->source, resources, "linux.resources", "pids", &obj, err) < 0
          || apply_limit (ctx, obj, "linux.resources.pids", "limit", &p->pids, &unused, err) < 0)
        return -1;
    }
  if (memory_apply (ctx, resources, err) < 0)
    return -1;
  if (p->cpu_shares.has_default || p->cpu_shares.has_max)
    {
      if (spec_get_object (ctx->source, resources, "linux.resources", "cpu", &obj, err) < 0
          || apply_limit (ctx, obj, "linux.resources.cpu", "shares", &p->cpu_shares, &unused, err) < 0)
        return -1;
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* rlimits */

static const struct
{
  const char *name;
  int resource;
} rlimit_table[] = {
  { "RLIMIT_AS", RLIMIT_AS },
  { "RLIMIT_CORE", RLIMIT_CORE },
  { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA },
  { "RLIMIT_FSIZE", RLIMIT_FSIZE },
  { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
  { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
  { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE },
  { "RLIMIT_NPROC", RLIMIT_NPROC },
  { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
  { "RLIMIT_RTTIME", RLIMIT_RTTIME },
  { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

static int
rlimit_resource (const char *name)
{
  for (size_t i = 0; i < sizeof rlimit_table / sizeof rlimit_table[0]; i++)
    if (strcmp (rlimit_table[i].name, name) == 0)
      return rlimit_table[i].resource;
  return -1;
}

/* runc sets rlimits from a process with our own limits and capabilities:
 * without CAP_SYS_RESOURCE it cannot raise a hard limit above ours, and
 * the container would fail to start.  Such values are clamped too. */
static bool
can_raise_hard_limits (void)
{
  static int cached = -1;
  if (cached < 0)
    {
      capng_clear (CAPNG_SELECT_BOTH);
      cached = capng_get_caps_process () == 0 && capng_have_capability (CAPNG_EFFECTIVE, CAP_SYS_RESOURCE);
    }
  return cached;
}

static uint64_t
min_u64 (uint64_t a, uint64_t b)
{
  return a < b ? a : b;
}

static int
clamp_entry (struct harden_ctx *ctx, struct json_value *entry, size_t index, const struct policy_rlimit *r,
             uint64_t ceiling, hr_err *err)
{
  cleanup_free char *path = xasprintf ("process.rlimits[%zu]", index);
  cleanup_free char *hpath = xasprintf ("%s.hard", path);
  cleanup_free char *spath = xasprintf ("%s.soft", path);
  struct json_value *hard = NULL, *soft = NULL;
  uint64_t h = 0, s = 0, nh, ns;

  if (spec_get (ctx->source, entry, path, "hard", SPEC_NUMBER, &hard, err) < 0
      || spec_get (ctx->source, entry, path, "soft", SPEC_NUMBER, &soft, err) < 0)
    return -1;
  if (hard && spec_number_u64 (ctx->source, hard, hpath, &h, err) < 0)
    return -1;
  if (soft && spec_number_u64 (ctx->source, soft, spath, &s, err) < 0)
    return -1;
  nh = min_u64 (h, ceiling);
  ns = min_u64 (s, nh);
  (void) r;
  if (nh != h)
    {
      cleanup_free char *control = xasprintf ("process.rlimits.%s.hard", r->type);
      cleanup_json struct json_value *after = json_new_u64 (nh);
      changes_add (ctx->changes, control, hard, after);
      json_object_set (entry, "hard", steal_pointer (&after));
    }
  if (ns != s)
    {
      cleanup_free char *control = xasprintf ("process.rlimits.%s.soft", r->type);
      cleanup_json struct json_value *after = json_new_u64 (ns);
      changes_add (ctx->changes, control, soft, after);
      json_object_set (entry, "soft", steal_pointer (&after));
    }
  return 0;
}

int
rlimits_apply (struct harden_ctx *ctx, struct json_value *process, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  struct json_value *rlimits = NULL;

  if (p->n_rlimits == 0)
    return 0;
  if (spec_get (ctx->source, process, "process", "rlimits", SPEC_ARRAY, &rlimits, err) < 0)
    return -1;
  if (rlimits == NULL)
    {
      json_object_set (process, "rlimits", json_new (JSON_ARRAY));
      rlimits = json_object_get (process, "rlimits");
    }

  /* Every entry must be well formed before anything is decided. */
  for (size_t i = 0; i < rlimits->u.arr.len; i++)
    {
      struct json_value *e = rlimits->u.arr.items[i], *type = NULL;
      cleanup_free char *path = xasprintf ("process.rlimits[%zu]", i);
      if (e->type != JSON_OBJECT)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected an object, found %s", ctx->source,
                             e->line, e->col, path, json_type_name (e->type));
      if (spec_get (ctx->source, e, path, "type", SPEC_STRING, &type, err) < 0)
        return -1;
      if (type == NULL)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: missing \"type\"", ctx->source, e->line, e->col,
                             path);
    }

  for (size_t k = 0; k < p->n_rlimits; k++)
    {
      const struct policy_rlimit *r = &p->rlimits[k];
      int resource = rlimit_resource (r->type);
      struct rlimit own = { RLIM_INFINITY, RLIM_INFINITY };
      uint64_t ceiling = r->has_max ? r->max : UINT64_MAX;
      bool found = false;

      if (resource >= 0 && getrlimit (resource, &own) == 0 && !can_raise_hard_limits ())
        ceiling = min_u64 (ceiling, own.rlim_max);

      for (size_t i = 0; i < rlimits->u.arr.len; i++)
        {
          struct json_value *e = rlimits->u.arr.items[i];
          if (!json_is_string (json_object_get (e, "type"), r->type))
            continue;
          found = true;
          if (clamp_entry (ctx, e, i, r, ceiling, err) < 0)
            return -1;
        }
      if (!found && (r->has_default || r->has_max))
        {
          /* Absent: the container would inherit runc's own limit.  Use the
           * default, or that inherited value clamped. */
          uint64_t hard = r->has_default ? min_u64 (r->def, ceiling) : min_u64 (own.rlim_max, ceiling);
          uint64_t soft = r->has_default ? hard : min_u64 (own.rlim_cur, hard);
          struct json_value *e = json_new (JSON_OBJECT);
          cleanup_free char *control = xasprintf ("process.rlimits.%s", r->type);
          json_object_set (e, "type", json_new_string (r->type));
          json_object_set (e, "hard", json_new_u64 (hard));
          json_object_set (e, "soft", json_new_u64 (soft));
          changes_add (ctx->changes, control, NULL, e);
          json_array_append (rlimits, e);
        }
    }
  return 0;
}
