/* SPDX-License-Identifier: Apache-2.0 */
/* Process fields that reach beyond the container: OOM protection,
 * real-time scheduling and I/O, the execution domain, the root group.
 * See hardened-runc-policy(5), rules "oom", "realtime", "personality" and
 * "root_group". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

/* A negative oomScoreAdj makes the host's OOM killer pick host processes
 * before the container's (-1000: never the container). */
static int
oom_score_check (struct harden_ctx *ctx, struct json_value *process, const char *path, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_OOM);
  cleanup_free char *full = xasprintf ("%s.oomScoreAdj", path);
  cleanup_free char *detail = NULL;
  struct json_value *v = NULL;
  int64_t n = 0;

  if (spec_get (ctx->source, process, path, "oomScoreAdj", SPEC_NUMBER, &v, err) < 0)
    return -1;
  if (v && spec_number_i64 (ctx->source, v, full, &n, err) < 0)
    return -1;
  if (v == NULL || n >= 0 || action == RULE_ALLOW)
    return 0;
  detail = xasprintf ("the process asks oomScoreAdj %lld (--oom-score-adj), which makes the kernel kill host "
                      "processes before it when memory runs out",
                      (long long) n);
  if (action == RULE_MUTATE)
    {
      cleanup_json struct json_value *after = json_new_i64 (0);
      changes_add (ctx->changes, full, v, after);
      findings_add (ctx->findings, RULE_OOM, RULE_MUTATE, "%s; raised to 0", detail);
      json_object_set (process, "oomScoreAdj", steal_pointer (&after));
      return 0;
    }
  return decision_match (ctx, RULE_OOM, action, detail, err);
}

static int
oom_killer_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_OOM);
  struct json_value *linux_ = NULL, *resources = NULL, *memory = NULL, *v = NULL;
  static const char detail[] = "the container disables the OOM killer for its cgroup (--oom-kill-disable): at its "
                               "memory limit its processes hang instead of being killed, holding the memory";

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0)
    return -1;
  if (linux_ && spec_get (ctx->source, linux_, "linux", "resources", SPEC_OBJECT, &resources, err) < 0)
    return -1;
  if (resources && spec_get (ctx->source, resources, "linux.resources", "memory", SPEC_OBJECT, &memory, err) < 0)
    return -1;
  if (memory
      && spec_get (ctx->source, memory, "linux.resources.memory", "disableOOMKiller", SPEC_BOOL, &v, err) < 0)
    return -1;
  if (v == NULL || v->type != JSON_TRUE)
    return 0;
  if (action == RULE_MUTATE)
    {
      cleanup_json struct json_value *after = json_new_bool (false);
      changes_add (ctx->changes, "linux.resources.memory.disableOOMKiller", v, after);
      findings_add (ctx->findings, RULE_OOM, RULE_MUTATE, "%s; the OOM killer is left on", detail);
      json_object_set (memory, "disableOOMKiller", steal_pointer (&after));
      return 0;
    }
  return decision_match (ctx, RULE_OOM, action, detail, err);
}

/* Real-time CPU and I/O classes run ahead of every normal task on the
 * host; without CAP_SYS_NICE a container cannot ask for them itself. */
static int
realtime_check (struct harden_ctx *ctx, struct json_value *process, const char *path, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_REALTIME);
  cleanup_free char *spath = xasprintf ("%s.scheduler", path);
  cleanup_free char *ipath = xasprintf ("%s.ioPriority", path);
  struct json_value *sched = NULL, *policy = NULL, *nice = NULL, *io = NULL, *klass = NULL;

  if (spec_get (ctx->source, process, path, "scheduler", SPEC_OBJECT, &sched, err) < 0
      || spec_get (ctx->source, process, path, "ioPriority", SPEC_OBJECT, &io, err) < 0)
    return -1;
  if (sched
      && (spec_get (ctx->source, sched, spath, "policy", SPEC_STRING, &policy, err) < 0
          || spec_get (ctx->source, sched, spath, "nice", SPEC_NUMBER, &nice, err) < 0))
    return -1;
  if (io && spec_get (ctx->source, io, ipath, "class", SPEC_STRING, &klass, err) < 0)
    return -1;
  if (action == RULE_ALLOW)
    return 0;
  if (policy
      && (json_is_string (policy, "SCHED_FIFO") || json_is_string (policy, "SCHED_RR")
          || json_is_string (policy, "SCHED_DEADLINE")))
    {
      cleanup_free char *detail = xasprintf ("%s.policy %s is a real-time scheduling policy, which runs ahead of every "
                                             "normal task on the host; use SCHED_OTHER or SCHED_BATCH",
                                             spath, policy->u.str.s);
      if (decision_match (ctx, RULE_REALTIME, action, detail, err) < 0)
        return -1;
    }
  if (nice)
    {
      cleanup_free char *npath = xasprintf ("%s.nice", spath);
      int64_t n = 0;
      if (spec_number_i64 (ctx->source, nice, npath, &n, err) < 0)
        return -1;
      if (n < 0)
        {
          cleanup_free char *detail = xasprintf (
              "%s %lld raises the priority above host tasks, which needs CAP_SYS_NICE; use 0 or more", npath,
              (long long) n);
          if (decision_match (ctx, RULE_REALTIME, action, detail, err) < 0)
            return -1;
        }
    }
  if (klass && json_is_string (klass, "IOPRIO_CLASS_RT"))
    {
      cleanup_free char *detail = xasprintf ("%s.class IOPRIO_CLASS_RT gets the disk before every other task on the "
                                             "host; use IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE",
                                             ipath);
      if (decision_match (ctx, RULE_REALTIME, action, detail, err) < 0)
        return -1;
    }
  return 0;
}

/* Docker's seccomp profile allows personality(2) only for the LINUX and
 * LINUX32 domains (and querying). */
static int
personality_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_PERSONALITY);
  struct json_value *linux_ = NULL, *pers = NULL, *domain = NULL, *flags = NULL;

  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0)
    return -1;
  if (linux_ && spec_get (ctx->source, linux_, "linux", "personality", SPEC_OBJECT, &pers, err) < 0)
    return -1;
  if (pers == NULL)
    return 0;
  if (spec_get (ctx->source, pers, "linux.personality", "domain", SPEC_STRING, &domain, err) < 0
      || spec_get (ctx->source, pers, "linux.personality", "flags", SPEC_ARRAY, &flags, err) < 0)
    return -1;
  if (flags && spec_string_array (ctx->source, flags, "linux.personality.flags", err) < 0)
    return -1;
  if (action == RULE_ALLOW)
    return 0;
  if (domain && !json_is_string (domain, "LINUX") && !json_is_string (domain, "LINUX32"))
    {
      cleanup_free char *detail = xasprintf (
          "linux.personality.domain %s is not LINUX or LINUX32, the execution domains Docker allows", domain->u.str.s);
      if (decision_match (ctx, RULE_PERSONALITY, action, detail, err) < 0)
        return -1;
    }
  if (flags && flags->u.arr.len > 0)
    {
      cleanup_free char *detail
          = xasprintf ("linux.personality.flags sets %s; only the plain LINUX and LINUX32 domains are allowed",
                       flags->u.arr.items[0]->u.str.s);
      if (decision_match (ctx, RULE_PERSONALITY, action, detail, err) < 0)
        return -1;
    }
  return 0;
}

int
process_check_root_group (struct harden_ctx *ctx, const struct json_value *process, const char *path, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_ROOT_GROUP);
  cleanup_free char *upath = xasprintf ("%s.user", path);
  struct json_value *user = NULL, *gid = NULL, *extra = NULL;
  uint64_t n = 0;

  if (spec_get (ctx->source, process, path, "user", SPEC_OBJECT, &user, err) < 0)
    return -1;
  if (user
      && (spec_get (ctx->source, user, upath, "gid", SPEC_NUMBER, &gid, err) < 0
          || spec_get (ctx->source, user, upath, "additionalGids", SPEC_ARRAY, &extra, err) < 0))
    return -1;
  if (gid)
    {
      cleanup_free char *gpath = xasprintf ("%s.gid", upath);
      if (spec_number_u64 (ctx->source, gid, gpath, &n, err) < 0)
        return -1;
    }
  if (action == RULE_ALLOW)
    return 0;
  /* an absent gid is 0 to runc */
  if (n == 0)
    return decision_match (ctx, RULE_ROOT_GROUP, action, "the process runs with group 0 (root) as its primary group; give it a non-root group "
                   "(--user 1000:1000)", err);
  for (size_t i = 0; extra && i < extra->u.arr.len; i++)
    {
      const struct json_value *g = extra->u.arr.items[i];
      uint64_t x;
      cleanup_free char *xpath = xasprintf ("%s.additionalGids[%zu]", upath, i);
      if (g->type != JSON_NUMBER)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected a number, found %s", ctx->source, g->line,
                             g->col, xpath, json_type_name (g->type));
      if (spec_number_u64 (ctx->source, g, xpath, &x, err) < 0)
        return -1;
      if (x == 0)
        return decision_match (ctx, RULE_ROOT_GROUP, action, "the process has group 0 (root) among its additional groups (--group-add 0); remove it", err);
    }
  return 0;
}

int
process_check_exec (struct harden_ctx *ctx, struct json_value *process, hr_err *err)
{
  if (oom_score_check (ctx, process, "process", err) < 0 || realtime_check (ctx, process, "process", err) < 0
      || process_check_root_group (ctx, process, "process", err) < 0)
    return -1;
  return 0;
}

int
process_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  struct json_value *process = json_object_get (root, "process");

  if (process_check_exec (ctx, process, err) < 0 || oom_killer_check (ctx, root, err) < 0
      || personality_check (ctx, root, err) < 0)
    return -1;
  return 0;
}
