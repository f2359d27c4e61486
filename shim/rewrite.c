/* SPDX-License-Identifier: Apache-2.0 */
#include "rewrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fileio.h"
#include "harden.h"
#include "log.h"
#include "lsm.h"
#include "metrics.h"
#include "policy.h"
#include "runtime.h"
#include "spec.h"
#include "util.h"

/* Everything one decision needs, released by decision_release. */
struct decision
{
  const struct runc_cli *cli;
  struct policy *policy;
  const struct policy_profile *profile;
  enum policy_mode mode;
  char *runtime;
  int audit_fd;
  struct changes changes;
  struct findings findings;
};

static void
decision_release (struct decision *d)
{
  if (d->audit_fd >= 0)
    close (d->audit_fd);
  policy_free (d->policy);
  free (d->runtime);
  changes_release (&d->changes);
  findings_release (&d->findings);
}

static const char *
bundle_name (const struct runc_cli *cli)
{
  if (cli->command != CLI_CREATE && cli->command != CLI_RUN && cli->command != CLI_RESTORE)
    return NULL;
  return cli->bundle ? cli->bundle : ".";
}

static const char *
outcome (const struct decision *d)
{
  if (d->changes.len == 0)
    return "allowed";
  return d->mode == POLICY_MODE_ENFORCE ? "changed" : "would-change";
}

static int
audit (struct decision *d, const struct hr_error *failure, hr_err *err)
{
  struct audit_record rec = {
    .subcommand = d->cli->subcommand,
    .container_id = d->cli->container_id,
    .bundle = bundle_name (d->cli),
    .profile = d->profile ? d->profile->name : d->cli->profile,
    .mode = d->mode,
    .outcome = failure ? (failure->kind == HR_ERR_REFUSED || failure->kind == HR_ERR_FORBIDDEN ? "refused" : "error")
                       : outcome (d),
    .changes = &d->changes,
    .findings = &d->findings,
    .reason = failure ? failure->msg : NULL,
  };
  if (audit_write (d->audit_fd, d->policy->audit_log, &rec, err) < 0)
    return -1;
  /* best effort: counters never stop a container (the audit log is the
   * record) */
  {
    cleanup_hr_error hr_err ignored = NULL;
    metrics_record (d->policy->metrics_file, &rec, &ignored);
  }
  return 0;
}

/* A refusal is recorded (best effort: the decision already failed). */
static int
fail (struct decision *d, hr_err *err)
{
  cleanup_hr_error hr_err ignored = NULL;
  if (d->audit_fd >= 0 && err && *err)
    audit (d, *err, &ignored);
  return -1;
}

/* Policy, runtime and audit log: everything that must work before a
 * container may be touched. */
static int
decision_begin (struct decision *d, const struct runc_cli *cli, hr_err *err)
{
  *d = (struct decision){ .cli = cli, .audit_fd = -1, .mode = POLICY_MODE_ENFORCE };
  if (policy_load (cli->policy_path, &d->policy, err) < 0)
    return hr_error_prefix (err, "invalid policy, refusing every container until it is fixed");
  d->mode = d->policy->mode;
  if (runtime_resolve (d->policy->runtime, &d->runtime, err) < 0)
    return -1;
  /* Opened before anything changes: no container starts unaudited. */
  d->audit_fd = audit_open (d->policy->audit_log, err);
  if (d->audit_fd < 0)
    return -1;
  return 0;
}

static void
choose (struct decision *d, const struct policy_profile *p)
{
  d->profile = p;
  d->mode = policy_profile_mode (d->policy, p);
}

/* ------------------------------------------------------------------ */
/* create / run */

/* A refusal in audit mode is only recorded, and runc runs the
 * configuration as given (0, *RUNTIME set); anything else fails (-1). */
static int
refusal (struct decision *d, hr_err *err, char **runtime)
{
  if (d->mode == POLICY_MODE_AUDIT && (*err)->kind == HR_ERR_REFUSED)
    {
      audit (d, *err, NULL);
      hr_error_free (*err);
      *err = NULL;
      *runtime = steal_pointer (&d->runtime);
      return 0;
    }
  fail (d, err);
  return -1;
}

int
rewrite_create (const struct runc_cli *cli, char **runtime, hr_err *err)
{
  struct decision d;
  cleanup_spec struct spec *spec = NULL;
  const struct policy_profile *profile = NULL;
  struct harden_ctx ctx;
  struct lsm_env lsm;
  bool saved = false;
  int ret = -1;

  if (decision_begin (&d, cli, err) < 0)
    goto out;
  if (spec_load (cli->bundle, &spec, err) < 0)
    {
      fail (&d, err);
      goto out;
    }
  if (harden_choose_profile (d.policy, cli->profile, cli->root, spec->display, spec->root, &profile, err) < 0)
    {
      fail (&d, err);
      goto out;
    }
  choose (&d, profile);
  /* a runtime newer than the spec surface table could read fields that
   * no row decides (audit mode records it like any refusal) */
  if (runtime_check_spec (d.runtime, RUNTIME_SPEC_CACHE_DIR, err) < 0)
    {
      ret = refusal (&d, err, runtime);
      goto out;
    }

  lsm_env_system (&lsm, cli->root);
  ctx = (struct harden_ctx){ .source = spec->display,
                             .profile = profile,
                             .changes = &d.changes,
                             .findings = &d.findings,
                             .lsm = &lsm,
                             .container_id = cli->container_id,
                             .restore = cli->command == CLI_RESTORE,
                             .has_bundle = spec->dirfd >= 0,
                             .bundle_fd = spec->dirfd,
                             .pin_binds = d.mode == POLICY_MODE_ENFORCE };
  if (harden_spec (&ctx, spec->root, err) < 0)
    {
      ret = refusal (&d, err, runtime);
      goto out;
    }

  if (d.mode == POLICY_MODE_ENFORCE && d.changes.len > 0)
    {
      if (spec_save (spec, err) < 0)
        {
          fail (&d, err);
          goto out;
        }
      saved = true;
    }
  if (audit (&d, NULL, err) < 0)
    {
      cleanup_hr_error hr_err restore_err = NULL;
      if (saved && spec_restore (spec, &restore_err) < 0)
        hr_error_prefix (err, "restoring %s also failed (%s)", spec->display, restore_err->msg);
      goto out;
    }
  *runtime = steal_pointer (&d.runtime);
  ret = 0;
out:
  decision_release (&d);
  return ret;
}

/* ------------------------------------------------------------------ */
/* exec and update: the profile the container was created with.  runc keeps
 * the spec's annotations as "key=value" labels in <root>/<id>/state.json. */

/* The LSM labels runc recorded for a container (exec joins them). */
struct container_labels
{
  char *apparmor, *selinux;
};

static void
container_labels_release (struct container_labels *l)
{
  free (l->apparmor);
  free (l->selinux);
}

static int
profile_of_container (struct decision *d, const struct runc_cli *cli, const struct policy_profile **out,
                      struct container_labels *lsm, hr_err *err)
{
  static const struct json_limits limits = { .max_depth = 64 };
  cleanup_free char *path = NULL, *buf = NULL;
  cleanup_json struct json_value *state = NULL, *fake = NULL;
  const struct json_value *labels;
  const char *id = cli->container_id;
  size_t len = 0;

  if (cli->profile)
    return policy_select_profile (d->policy, cli->profile, out, err);
  if (id == NULL || strchr (id, '/') || strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return hr_error_set (err, HR_ERR_USAGE, 0, "invalid container id \"%s\"", id ? id : "");
  path = xasprintf ("%s/%s/state.json", cli->root ? cli->root : "/run/runc", id);
  if (access (path, F_OK) < 0 && errno == ENOENT)
    return policy_select_profile (d->policy, NULL, out, err); /* no such container: runc says so */
  if (file_read_regular (AT_FDCWD, path, path, SPEC_MAX_BYTES, &buf, &len, NULL, err) < 0
      || json_parse (buf, len, path, &limits, &state, err) < 0)
    return hr_error_prefix (err, "cannot tell which profile container %s was created with", id);
  fake = json_new (JSON_OBJECT);
  if (lsm)
    {
      const struct json_value *c = json_object_get (state, "config");
      const struct json_value *aa = json_object_get (c, "apparmor_profile"), *se = json_object_get (c, "process_label");
      lsm->apparmor = aa && aa->type == JSON_STRING ? xstrdup (aa->u.str.s) : NULL;
      lsm->selinux = se && se->type == JSON_STRING ? xstrdup (se->u.str.s) : NULL;
    }
  labels = json_object_get (json_object_get (state, "config"), "labels");
  /* the annotations create chose the profile by: the profile annotation
   * and those of containerd's CRI plugin (the pod's namespace) */
  for (size_t i = 0; labels && labels->type == JSON_ARRAY && i < labels->u.arr.len; i++)
    {
      static const char *const keys[]
          = { POLICY_PROFILE_ANNOTATION, POLICY_CRI_CONTAINER_TYPE, POLICY_CRI_SANDBOX_NAMESPACE };
      const struct json_value *l = labels->u.arr.items[i];

      for (size_t k = 0; l->type == JSON_STRING && k < sizeof keys / sizeof keys[0]; k++)
        {
          size_t klen = strlen (keys[k]);
          struct json_value *ann = json_object_get (fake, "annotations");
          if (strncmp (l->u.str.s, keys[k], klen) != 0 || l->u.str.s[klen] != '=')
            continue;
          if (ann == NULL)
            {
              ann = json_new (JSON_OBJECT);
              json_object_set (fake, "annotations", ann);
            }
          json_object_set (ann, keys[k], json_new_string (l->u.str.s + klen + 1));
        }
    }
  return harden_choose_profile (d->policy, NULL, cli->root, path, fake, out, err);
}

/* ------------------------------------------------------------------ */
/* exec and update hand runc rewritten JSON through a memfd: nothing the
 * caller owns is written, nothing is left behind. */

static int
memfd_with (const char *name, const struct json_value *v, int *out, hr_err *err)
{
  cleanup_free char *text = NULL;
  cleanup_close int fd = -1;
  size_t len = 0, off = 0;

  if (json_generate (v, &text, &len, err) < 0)
    return -1;
  fd = memfd_create (name, 0); /* inherited by runc on purpose */
  if (fd < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "memfd_create");
  while (off < len)
    {
      ssize_t w = write (fd, text + off, len - off);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "cannot write %s", name);
      off += (size_t) w;
    }
  if (lseek (fd, 0, SEEK_SET) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "lseek");
  *out = steal_fd (&fd);
  return 0;
}

/* Parse "uid[:gid]" or a user name; true when it is numerically root. */
static bool
user_is_root (const char *user)
{
  uint64_t uid;
  const char *colon = strchr (user, ':');
  size_t len = colon ? (size_t) (colon - user) : strlen (user);
  if (len == 4 && strncmp (user, "root", 4) == 0)
    return true;
  return parse_u64 (user, len, &uid) && uid == 0;
}

static int
exec_flags (struct decision *d, struct runc_cli *cli, struct harden_ctx *ctx, hr_err *err)
{
  const struct policy_profile *p = d->profile;
  const struct cli_option *o;

  /* --cap adds to the container's set: only what the profile allows */
  for (size_t i = 0; p->has_capabilities && !p->capabilities_all && i < cli->n_options; i++)
    {
      const struct cli_option *opt = &cli->options[i];
      int cap;
      if (strcmp (opt->name, "cap") != 0 || opt->value_index == (size_t) -1)
        continue;
      cap = strncmp (opt->value, "CAP_", 4) == 0 ? policy_capability_from_name (opt->value) : -1;
      if (cap >= 0 && cap < 64 && (p->capabilities & (1ull << cap)))
        continue;
      {
        cleanup_json struct json_value *before = json_new_string (opt->value);
        changes_add (ctx->changes, "exec --cap", before, NULL);
      }
      if (d->mode == POLICY_MODE_ENFORCE)
        cli_remove_option (cli, opt);
    }
  if (p->no_new_privileges && cli_find (cli, "no-new-privs") == NULL)
    {
      cleanup_json struct json_value *after = json_new_bool (true);
      changes_add (ctx->changes, "exec --no-new-privs", NULL, after);
      if (d->mode == POLICY_MODE_ENFORCE)
        cli_insert_before_id (cli, "--no-new-privs");
    }
  if ((o = cli_find (cli, "user")) != NULL && user_is_root (o->value)
      && policy_rule_action (p, RULE_RUN_AS_ROOT) != RULE_ALLOW)
    {
      enum rule_action a = policy_rule_action (p, RULE_RUN_AS_ROOT);
      findings_add (ctx->findings, RULE_RUN_AS_ROOT, a, "exec --user %s runs the process as root", o->value);
      if (a == RULE_DENY)
        return hr_error_set (err, HR_ERR_REFUSED, 0,
                             "refused by rule \"run_as_root\": exec --user %s runs the process as root; exec as a "
                             "non-root user",
                             o->value);
    }
  /* --user UID[:GID] (runc's GID defaults to 0) and --additional-gids:
   * judged as the process JSON's user would be */
  if ((o = cli_find (cli, "user")) != NULL || cli_find (cli, "additional-gids") != NULL)
    {
      cleanup_json struct json_value *proc = json_new (JSON_OBJECT);
      struct json_value *user = json_new (JSON_OBJECT), *extra = json_new (JSON_ARRAY);
      const char *colon = o ? strchr (o->value, ':') : NULL;
      uint64_t gid = 0;
      /* a group name other than root is resolved by runc in the container */
      if (colon && !parse_u64 (colon + 1, strlen (colon + 1), &gid) && strcmp (colon + 1, "root") != 0)
        gid = UINT64_MAX;
      json_object_set (user, "gid", json_new_u64 (gid));
      for (size_t i = 0; i < cli->n_options; i++)
        {
          uint64_t g;
          if (strcmp (cli->options[i].name, "additional-gids") == 0 && cli->options[i].value_index != (size_t) -1
              && parse_u64 (cli->options[i].value, strlen (cli->options[i].value), &g))
            json_array_append (extra, json_new_u64 (g));
        }
      json_object_set (user, "additionalGids", extra);
      json_object_set (proc, "user", user);
      if (o == NULL)
        json_object_set (user, "gid", json_new_u64 (UINT64_MAX)); /* the container's own group */
      if (process_check_root_group (ctx, proc, "exec", err) < 0)
        return -1;
    }
  if ((o = cli_find (cli, "cwd")) != NULL)
    {
      cleanup_json struct json_value *proc = json_new (JSON_OBJECT);
      json_object_set (proc, "cwd", json_new_string (o->value));
      if (rules_check_cwd (ctx, proc, "exec --cwd", err) < 0)
        return -1;
    }
  return 0;
}

/* exec --process: apparmorProfile and selinuxLabel of the process JSON */
static int
exec_lsm_process (struct harden_ctx *ctx, const struct lsm_env *lsm, const struct container_labels *labels,
                  struct json_value *process, hr_err *err)
{
  static const char *const keys[2] = { "apparmorProfile", "selinuxLabel" };
  const char *before[2] = { NULL, NULL }; /* in PROCESS until replaced below */
  char *vals[2] = { NULL, NULL };
  int ret = -1;

  for (int i = 0; i < 2; i++)
    {
      struct json_value *v = NULL;
      if (spec_get (ctx->source, process, "process", keys[i], SPEC_STRING, &v, err) < 0)
        goto out;
      before[i] = v ? v->u.str.s : NULL;
      vals[i] = v ? xstrdup (v->u.str.s) : NULL;
    }
  if (lsm_exec (ctx, lsm, labels->apparmor, labels->selinux, &vals[0], &vals[1], err) < 0)
    goto out;
  for (int i = 0; i < 2; i++)
    if (vals[i] && (before[i] == NULL || strcmp (before[i], vals[i]) != 0))
      {
        cleanup_free char *control = xasprintf ("process.%s", keys[i]);
        cleanup_json struct json_value *b = before[i] ? json_new_string (before[i]) : NULL;
        cleanup_json struct json_value *a = json_new_string (vals[i]);
        changes_add (ctx->changes, control, b, a); /* copies: before the value is replaced */
        json_object_set (process, keys[i], json_new_string (vals[i]));
      }
  ret = 0;
out:
  free (vals[0]);
  free (vals[1]);
  return ret;
}

/* exec flags: --apparmor and --process-label */
static int
exec_lsm_flags (struct decision *d, struct runc_cli *cli, struct harden_ctx *ctx, const struct lsm_env *lsm,
                const struct container_labels *labels, hr_err *err)
{
  static const char *const opts[2] = { "apparmor", "process-label" };
  const struct cli_option *o[2] = { cli_find (cli, opts[0]), cli_find (cli, opts[1]) };
  char *vals[2] = { o[0] ? xstrdup (o[0]->value) : NULL, o[1] ? xstrdup (o[1]->value) : NULL };
  int ret = -1;

  if (lsm_exec (ctx, lsm, labels->apparmor, labels->selinux, &vals[0], &vals[1], err) < 0)
    goto out;
  for (int i = 0; i < 2; i++)
    {
      const char *before = o[i] ? o[i]->value : NULL;
      cleanup_free char *control = NULL;
      if (vals[i] == NULL || (before && strcmp (before, vals[i]) == 0))
        continue;
      control = xasprintf ("exec --%s", opts[i]);
      {
        cleanup_json struct json_value *b = before ? json_new_string (before) : NULL;
        cleanup_json struct json_value *a = json_new_string (vals[i]);
        changes_add (ctx->changes, control, b, a);
      }
      if (d->mode != POLICY_MODE_ENFORCE)
        continue;
      if (o[i] && o[i]->value_index != (size_t) -1)
        cli_set_value (cli, o[i], vals[i]);
      else
        {
          cleanup_free char *tok = xasprintf ("--%s=%s", opts[i], vals[i]);
          if (o[i])
            cli_remove_option (cli, o[i]);
          cli_insert_before_id (cli, tok);
        }
    }
  ret = 0;
out:
  free (vals[0]);
  free (vals[1]);
  return ret;
}

int
rewrite_exec (struct runc_cli *cli, char **runtime, hr_err *err)
{
  struct decision d;
  cleanup_spec struct spec *proc = NULL;
  const struct policy_profile *profile = NULL;
  const struct cli_option *popt;
  struct harden_ctx ctx;
  struct container_labels labels = { 0 };
  struct lsm_env lsm;
  int ret = -1;

  if (decision_begin (&d, cli, err) < 0)
    goto out;
  if (profile_of_container (&d, cli, &profile, &labels, err) < 0)
    {
      fail (&d, err);
      goto out;
    }
  choose (&d, profile);
  lsm_env_system (&lsm, cli->root);
  popt = cli_find (cli, "process");
  if (popt)
    {
      cleanup_free char *display = xasprintf ("exec --process %s", popt->value);
      if (spec_load_file (popt->value, &proc, err) < 0)
        {
          fail (&d, err);
          goto out;
        }
      free (proc->display);
      proc->display = steal_pointer (&display);
      ctx = (struct harden_ctx){
        .source = proc->display, .profile = profile, .changes = &d.changes, .findings = &d.findings
      };
      /* The process JSON replaces the container's process settings. */
      if (rules_check_cwd (&ctx, proc->root, "process.cwd", err) < 0 || rules_check_user (&ctx, proc->root, "process", err) < 0
          || process_check_exec (&ctx, proc->root, err) < 0
          || caps_apply (&ctx, proc->root, err) < 0 || privileges_apply (&ctx, proc->root, err) < 0
          || rlimits_apply (&ctx, proc->root, err) < 0 || exec_lsm_process (&ctx, &lsm, &labels, proc->root, err) < 0)
        {
          if (d.mode == POLICY_MODE_AUDIT && (*err)->kind == HR_ERR_REFUSED)
            goto audit_only;
          fail (&d, err);
          goto out;
        }
      if (d.mode == POLICY_MODE_ENFORCE && d.changes.len > 0)
        {
          int fd;
          cleanup_free char *path = NULL;
          if (memfd_with ("hardened-runc-process", proc->root, &fd, err) < 0)
            {
              fail (&d, err);
              goto out;
            }
          path = xasprintf ("/proc/self/fd/%d", fd);
          cli_set_value (cli, popt, path);
        }
    }
  else
    {
      ctx = (struct harden_ctx){ .source = "exec", .profile = profile, .changes = &d.changes, .findings = &d.findings };
      if (exec_flags (&d, cli, &ctx, err) < 0 || exec_lsm_flags (&d, cli, &ctx, &lsm, &labels, err) < 0)
        {
          if (d.mode == POLICY_MODE_AUDIT && (*err)->kind == HR_ERR_REFUSED)
            goto audit_only;
          fail (&d, err);
          goto out;
        }
    }
  if (audit (&d, NULL, err) < 0)
    goto out;
  *runtime = steal_pointer (&d.runtime);
  ret = 0;
  goto out;

audit_only:
  audit (&d, *err, NULL);
  hr_error_free (*err);
  *err = NULL;
  *runtime = steal_pointer (&d.runtime);
  ret = 0;
out:
  container_labels_release (&labels);
  decision_release (&d);
  return ret;
}

/* ------------------------------------------------------------------ */
/* update */

/* runc update's sizes: "-1", or a number with an optional k/m/g/t/p
 * suffix (binary), optionally followed by "b" or "ib". */
static bool
parse_update_size (const char *s, int64_t *out)
{
  size_t n = strlen (s);
  uint64_t base, mult = 1;

  if (strcmp (s, "-1") == 0)
    {
      *out = -1;
      return true;
    }
  if (n > 0 && (s[n - 1] == 'b' || s[n - 1] == 'B'))
    n--;
  if (n > 0 && (s[n - 1] == 'i' || s[n - 1] == 'I'))
    n--;
  if (n > 0)
    mult = size_suffix (s[n - 1]);
  if (mult != 1)
    n--;
  if (!parse_u64 (s, n, &base) || base > (uint64_t) INT64_MAX / mult)
    return false;
  *out = (int64_t) (base * mult);
  return true;
}

/* The value a limit may take in an update: removal (-1) and excess become
 * the max; 0 means "leave it as it is" to runc. */
static bool
clamp_limit (const struct policy_limit *lim, int64_t v, int64_t *out)
{
  if (!lim->has_max || v == 0)
    return false;
  if (v < 0 || v > lim->max)
    {
      *out = lim->max;
      return true;
    }
  return false;
}

static int
update_flag (struct decision *d, struct runc_cli *cli, const char *name, const struct policy_limit *lim,
             struct changes *changes, int64_t *result, hr_err *err)
{
  const struct cli_option *o = cli_find (cli, name);
  int64_t v, nv;

  *result = 0;
  if (o == NULL)
    return 0;
  if (!parse_update_size (o->value, &v))
    return hr_error_set (err, HR_ERR_INPUT, 0, "update --%s \"%s\": not a size", name, o->value);
  *result = v;
  if (!clamp_limit (lim, v, &nv))
    return 0;
  {
    cleanup_free char *control = xasprintf ("update --%s", name);
    cleanup_json struct json_value *before = json_new_string (o->value);
    cleanup_json struct json_value *after = json_new_i64 (nv);
    cleanup_free char *text = xasprintf ("%lld", (long long) nv);
    changes_add (changes, control, before, after);
    if (d->mode == POLICY_MODE_ENFORCE)
      cli_set_value (cli, o, text);
  }
  *result = nv;
  return 0;
}

/* Clamp PARENT.KEY (a number, when present). */
static int
update_field (struct harden_ctx *ctx, struct json_value *parent, const char *path, const char *key,
              const struct policy_limit *lim, int64_t *result, hr_err *err)
{
  cleanup_free char *full = xasprintf ("%s.%s", path, key);
  struct json_value *v = NULL;
  int64_t cur, nv;

  *result = 0;
  if (parent == NULL)
    return 0;
  if (spec_get (ctx->source, parent, path, key, SPEC_NUMBER, &v, err) < 0)
    return -1;
  if (v == NULL)
    return 0;
  if (spec_number_i64 (ctx->source, v, full, &cur, err) < 0)
    return -1;
  *result = cur;
  if (!clamp_limit (lim, cur, &nv))
    return 0;
  {
    cleanup_json struct json_value *after = json_new_i64 (nv);
    changes_add (ctx->changes, full, v, after);
    json_object_set (parent, key, steal_pointer (&after));
  }
  *result = nv;
  return 0;
}

static int
update_resources (struct decision *d, struct runc_cli *cli, const struct cli_option *ropt, hr_err *err)
{
  cleanup_spec struct spec *res = NULL;
  cleanup_json struct json_value *original = NULL;
  const struct policy_profile *p = d->profile;
  struct json_value *memory = NULL, *pids = NULL, *cpu = NULL, *swap = NULL;
  struct harden_ctx ctx;
  int64_t limit, unused, sw;

  if (strcmp (ropt->value, "-") == 0)
    {
      cleanup_free char *buf = NULL;
      size_t len = 0;
      if (file_read_fd (STDIN_FILENO, "update --resources - (stdin)", SPEC_MAX_BYTES, &buf, &len, err) < 0
          || spec_load_buffer (buf, len, "update --resources - (stdin)", &res, err) < 0)
        return -1;
    }
  else if (spec_load_file (ropt->value, &res, err) < 0)
    return -1;

  original = json_clone (res->root);
  ctx = (struct harden_ctx){ .source = res->display, .profile = p, .changes = &d->changes, .findings = &d->findings };
  if (spec_get (res->display, res->root, "", "memory", SPEC_OBJECT, &memory, err) < 0
      || spec_get (res->display, res->root, "", "pids", SPEC_OBJECT, &pids, err) < 0
      || spec_get (res->display, res->root, "", "cpu", SPEC_OBJECT, &cpu, err) < 0)
    return -1;
  if (update_field (&ctx, pids, "pids", "limit", &p->pids, &unused, err) < 0
      || update_field (&ctx, memory, "memory", "limit", &p->memory, &limit, err) < 0
      || update_field (&ctx, cpu, "cpu", "shares", &p->cpu_shares, &unused, err) < 0)
    return -1;
  if (memory && spec_get (res->display, memory, "memory", "swap", SPEC_NUMBER, &swap, err) < 0)
    return -1;
  if (swap && spec_number_i64 (res->display, swap, "memory.swap", &sw, err) < 0)
    return -1;
  if (swap && p->memory.has_max)
    {
      int64_t cap = 2 * (limit > 0 ? limit : p->memory.max);
      if (sw < 0 || sw > cap)
        {
          cleanup_json struct json_value *after = json_new_i64 (cap);
          changes_add (&d->changes, "memory.swap", swap, after);
          json_object_set (memory, "swap", steal_pointer (&after));
        }
    }

  /* runc reads the resources from stdin: hand it the (clamped) copy */
  {
    int fd;
    /* audit mode: runc gets exactly what it was given */
    if (memfd_with ("hardened-runc-resources", d->mode == POLICY_MODE_AUDIT ? original : res->root, &fd, err) < 0)
      return -1;
    if (dup2 (fd, STDIN_FILENO) < 0)
      {
        close (fd);
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "dup2");
      }
    close (fd);
    if (strcmp (ropt->value, "-") != 0)
      cli_set_value (cli, ropt, "-");
  }
  return 0;
}

int
rewrite_update (struct runc_cli *cli, char **runtime, hr_err *err)
{
  struct decision d;
  const struct policy_profile *profile = NULL;
  const struct cli_option *ropt;
  int ret = -1;

  if (decision_begin (&d, cli, err) < 0)
    goto out;
  if (profile_of_container (&d, cli, &profile, NULL, err) < 0)
    {
      fail (&d, err);
      goto out;
    }
  choose (&d, profile);
  ropt = cli_find (cli, "resources");
  if (ropt)
    {
      /* audit mode still has to hand runc the unchanged input */
      if (update_resources (&d, cli, ropt, err) < 0)
        {
          fail (&d, err);
          goto out;
        }
    }
  else
    {
      int64_t mem = 0, unused;
      const struct cli_option *sw = cli_find (cli, "memory-swap");
      if (update_flag (&d, cli, "pids-limit", &profile->pids, &d.changes, &unused, err) < 0
          || update_flag (&d, cli, "memory", &profile->memory, &d.changes, &mem, err) < 0
          || update_flag (&d, cli, "cpu-share", &profile->cpu_shares, &d.changes, &unused, err) < 0)
        {
          fail (&d, err);
          goto out;
        }
      if (sw && profile->memory.has_max)
        {
          struct policy_limit swap_lim = { .has_max = true, .max = 2 * (mem > 0 ? mem : profile->memory.max) };
          if (update_flag (&d, cli, "memory-swap", &swap_lim, &d.changes, &unused, err) < 0)
            {
              fail (&d, err);
              goto out;
            }
        }
    }
  if (audit (&d, NULL, err) < 0)
    goto out;
  *runtime = steal_pointer (&d.runtime);
  ret = 0;
out:
  decision_release (&d);
  return ret;
}

/* ------------------------------------------------------------------ */

int
rewrite_passthrough (const struct runc_cli *cli, char **runtime, char **warning, hr_err *err)
{
  cleanup_policy struct policy *policy = NULL;
  cleanup_hr_error hr_err perr = NULL;
  const char *configured = NULL;

  *warning = NULL;
  /* runc delete: the container's bind staging goes with it (binds.c) */
  if (cli->subcommand && strcmp (cli->subcommand, "delete") == 0)
    for (size_t i = cli->subcommand_index + 1; i < cli->argc && cli->argv[i]; i++)
      if (cli->argv[i][0] != '-')
        {
          binds_unpin (cli->argv[i]);
          break;
        }
  /* The embedded default names no runtime: no need to parse it. */
  if (cli->policy_path || access (POLICY_SYSTEM_PATH, F_OK) == 0 || errno != ENOENT)
    {
      if (policy_load (cli->policy_path, &policy, &perr) < 0)
        *warning = xasprintf ("hardened-runc: %s; using the default runtime for \"%s\"", perr->msg,
                              cli->subcommand ? cli->subcommand : "runc");
      else
        configured = policy->runtime;
    }
  if (runtime_resolve (configured, runtime, err) < 0 && configured)
    {
      /* managing existing containers must go on: try runc, and say so */
      free (*warning);
      *warning = xasprintf ("hardened-runc: %s; using the default runtime for \"%s\"", (*err)->msg,
                            cli->subcommand ? cli->subcommand : "runc");
      hr_error_free (*err);
      *err = NULL;
      return runtime_resolve (NULL, runtime, err);
    }
  return *runtime ? 0 : -1;
}
