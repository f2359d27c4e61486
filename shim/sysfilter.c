/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp control: linux.seccomp becomes the intersection of the
 * container's profile and the policy's (sysfilter_intersect.h), checked
 * by libseccomp in a child with a deadline, and remembered per boot. */
#include "controls.h"

#include "policy.h"
#include "spec.h"
#include "sysfilter_build.h"
#include "sysfilter_cache.h"
#include "sysfilter_gate.h"
#include "sysfilter_intersect.h"
#include "sysfilter_profile.h"
#include "sysfilter_rules.h"
#include "util.h"

/* "<default> default, N rules, M syscalls allowed unconditionally" for
 * the audit record. */
static struct json_value *
summary (const struct json_value *p)
{
  size_t allowed = 0, rules = 0;
  const struct json_value *s = p ? json_object_get (p, "syscalls") : NULL;
  for (size_t i = 0; s && i < s->u.arr.len; i++)
    {
      const struct json_value *r = s->u.arr.items[i];
      rules++;
      if (sysfilter_rule_allows (r) && !sysfilter_rule_has_args (r))
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

/* The intersection and its build check, in a bounded child. */
struct intersect_job
{
  const char *source, *pdisplay, *cache_dir;
  const struct json_value *incoming, *policy;
  uint64_t caps;
};

static int
intersect_fn (void *arg, struct json_value **out, hr_err *err)
{
  const struct intersect_job *j = arg;
  if (sysfilter_intersect (j->source, j->incoming, j->policy, j->caps, out, NULL, err) < 0)
    return -1;
  if (!json_equal (*out, j->incoming) && sysfilter_build_check_cached (j->cache_dir, j->pdisplay, *out, true, err) < 0)
    return -1;
  return 0;
}

/* The remembered result for KEY, when there is a usable one. */
static struct json_value *
cached_result (const char *cache_dir, const char *key, size_t klen)
{
  static const struct json_limits limits = { .max_depth = 16 };
  cleanup_free char *cached = NULL;
  struct json_value *result = NULL;
  size_t clen = 0;

  if (key == NULL || (cached = sysfilter_cache_result_get (cache_dir, key, klen, &clen)) == NULL)
    return NULL;
  if (json_parse (cached, clen, "seccomp result cache", &limits, &result, NULL) < 0
      || sysfilter_profile_validate ("seccomp result cache", result, false, NULL) < 0)
    {
      json_free (result);
      return NULL; /* unusable: computed again */
    }
  return result;
}

/* Load the policy's profile REF and intersect INCOMING with it. */
static int
compute_result (const struct harden_ctx *ctx, const char *ref, const struct json_value *incoming, uint64_t caps,
                struct json_value **result, hr_err *err)
{
  cleanup_json struct json_value *policy = NULL;
  cleanup_free char *pdisplay = NULL, *what = NULL;
  struct intersect_job job;

  if (sysfilter_profile_load (ref, &policy, &pdisplay, err) < 0)
    return -1;
  job = (struct intersect_job){ ctx->source, pdisplay, ctx->seccomp_cache_dir, incoming, policy, caps };
  what = xasprintf ("the seccomp profile for %s (linux.seccomp intersected with %s)", ctx->source, pdisplay);
  return sysfilter_bounded (what, intersect_fn, &job, result, err);
}

int
sysfilter_apply (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct policy_profile *prof = ctx->profile;
  cleanup_json struct json_value *result = NULL, *before = NULL, *after = NULL;
  cleanup_free char *key = NULL;
  struct json_value *linux_ = NULL, *incoming = NULL;
  size_t klen = 0;
  uint64_t caps;

  if (prof->seccomp == NULL)
    return 0;
  if (spec_get_object (ctx->source, root, "", "linux", &linux_, err) < 0
      || spec_get (ctx->source, linux_, "linux", "seccomp", SPEC_OBJECT, &incoming, err) < 0)
    return -1;
  /* the incoming profile is checked for structure; runc itself skips
   * syscall names it does not know */
  if (incoming && sysfilter_profile_validate (ctx->source, incoming, false, err) < 0)
    return hr_error_prefix (err, "linux.seccomp");
  caps = sysfilter_bounding_mask (root);
  key = sysfilter_cache_result_key (prof->seccomp, incoming, caps, &klen);
  result = cached_result (ctx->seccomp_cache_dir, key, klen);
  if (result == NULL)
    {
      if (compute_result (ctx, prof->seccomp, incoming, caps, &result, err) < 0)
        return -1;
      if (key)
        sysfilter_cache_result_put (ctx->seccomp_cache_dir, key, klen, result);
    }
  if (json_equal (result, incoming))
    return 0;
  before = summary (incoming);
  after = summary (result);
  changes_add (ctx->changes, "linux.seccomp", before, after);
  json_object_set (linux_, "seccomp", steal_pointer (&result));
  return 0;
}
