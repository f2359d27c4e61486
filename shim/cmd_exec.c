/* SPDX-License-Identifier: Apache-2.0 */
/* exec: judge the process runc would start in an existing container (the
 * --process file, or the one runc builds from the options) and hand runc
 * the judged document through a sealed memfd. */
#include "command.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harden.h"
#include "lsm.h"
#include "spec.h"
#include "util.h"

/* OBJ.KEY (PATH names OBJ in messages), an array, created when absent,
 * gets V appended. */
static int
append_to_array (const char *source, struct json_value *obj, const char *path, const char *key,
                 struct json_value *v, hr_err *err)
{
  struct json_value *arr = NULL;

  if (spec_get (source, obj, path, key, SPEC_ARRAY, &arr, err) < 0)
    {
      json_free (v);
      return -1;
    }
  if (arr == NULL)
    {
      json_object_set (obj, key, json_new (JSON_ARRAY));
      arr = json_object_get (obj, key);
    }
  json_array_append (arr, v);
  return 0;
}

/* --user uid[:gid]: runc splits at the first ":" (strings.SplitN) and
 * reads each with strconv.Atoi, then uint32 (). */
static int
exec_user_option (const char *source, struct json_value *process, const char *value, struct json_value **user,
                  hr_err *err)
{
  const char *colon = strchr (value, ':');
  cleanup_free char *uid_s = xstrndup (value, colon ? (size_t) (colon - value) : strlen (value));
  int64_t uid, gid;

  if (spec_get_object (source, process, "process", "user", user, err) < 0)
    return -1;
  if (colon && !cli_go_parse_int (colon + 1, 10, &gid))
    return hr_error_set (err, HR_ERR_USAGE, 0,
                         "exec --user %s: runc 1.1 takes only numbers (uid[:gid]) and refuses \"%s\" as a gid", value,
                         colon + 1);
  if (!cli_go_parse_int (uid_s, 10, &uid))
    return hr_error_set (err, HR_ERR_USAGE, 0,
                         "exec --user %s: runc 1.1 takes only numbers (uid[:gid]) and refuses \"%s\" as a uid", value,
                         uid_s);
  if (colon)
    json_object_set (*user, "gid", json_new_u64 ((uint32_t) gid));
  json_object_set (*user, "uid", json_new_u64 ((uint32_t) uid));
  return 0;
}

/* Every occurrence of the repeated option NAME ("cap": into four sets,
 * "env", "additional-gids"), in order. */
static int
exec_repeated_option (const char *source, const struct runc_cli *cli, const char *name, struct json_value *process,
                      struct json_value **user, hr_err *err)
{
  static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
  struct json_value *caps = NULL;

  for (size_t i = 0; i < cli->n_options; i++)
    {
      const struct cli_option *o = &cli->options[i];
      if (strcmp (o->name, name) != 0)
        continue;
      if (strcmp (name, "cap") == 0)
        {
          if (caps == NULL && spec_get_object (source, process, "process", "capabilities", &caps, err) < 0)
            return -1;
          for (size_t k = 0; k < ARRAY_SIZE (sets); k++)
            if (append_to_array (source, caps, "process.capabilities", sets[k], json_new_string (o->value), err) < 0)
              return -1;
        }
      else if (strcmp (name, "env") == 0)
        {
          if (append_to_array (source, process, "process", "env", json_new_string (o->value), err) < 0)
            return -1;
        }
      else
        {
          if (o->number < 0)
            return hr_error_set (err, HR_ERR_USAGE, 0, "exec --additional-gids %lld: runc refuses a negative gid",
                                 (long long) o->number);
          if (*user == NULL && spec_get_object (source, process, "process", "user", user, err) < 0)
            return -1;
          if (append_to_array (source, *user, "process.user", "additionalGids", json_new_u64 ((uint32_t) o->number),
                               err)
              < 0)
            return -1;
        }
    }
  return 0;
}

/* exec's process as runc 1.1 builds it from the options (getProcess):
 * the container's config.json process, args from the command line, then
 * each option.  The result is what the shim judges and what runc gets. */
static int
exec_process_from_options (const struct runc_cli *cli, const struct command_container *info,
                           struct spec **out, hr_err *err)
{
  /* the options that set one string */
  static const struct
  {
    const char *option, *key;
  } strings[] = { { "cwd", "cwd" }, { "apparmor", "apparmorProfile" }, { "process-label", "selinuxLabel" } };
  cleanup_spec struct spec *config = NULL;
  struct json_value *src = NULL, *process, *user = NULL, *arr = NULL;
  const struct cli_option *o;
  const char *source;

  if (info->bundle == NULL)
    return hr_error_set (err, HR_ERR_INPUT, 0,
                         "container %s: no bundle in runc's state (does the container exist?), so the process "
                         "runc would start from the exec options cannot be known; refusing",
                         cli->container_id);
  if (cli->n_args == 0)
    return hr_error_set (err, HR_ERR_USAGE, 0, "exec needs a command after the container id (or --process FILE)");
  if (spec_load (info->bundle, &config, err) < 0)
    return hr_error_prefix (err, "exec builds its process from the container's config.json, as runc does");
  source = config->display;
  if (spec_get (source, config->root, "", "process", SPEC_OBJECT, &src, err) < 0)
    return -1;
  if (src == NULL)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: no \"process\" object to start exec's process from", source);
  process = json_clone (src);
  json_free (config->root);
  config->root = process;
  {
    char *display = xasprintf ("exec (the process of %s with the exec options)", config->display);
    free (config->display);
    config->display = display;
    source = config->display;
  }

  arr = json_new (JSON_ARRAY);
  for (size_t i = 0; i < cli->n_args; i++)
    json_array_append (arr, json_new_string (cli->args[i]));
  json_object_set (process, "args", arr);
  for (size_t k = 0; k < ARRAY_SIZE (strings); k++)
    if ((o = cli_find (cli, strings[k].option)) && o->value[0])
      json_object_set (process, strings[k].key, json_new_string (o->value));
  if (exec_repeated_option (source, cli, "cap", process, &user, err) < 0
      || exec_repeated_option (source, cli, "env", process, &user, err) < 0)
    return -1;
  o = cli_find (cli, "tty");
  json_object_set (process, "terminal", json_new_bool (o ? o->on : false));
  if ((o = cli_find (cli, "no-new-privs")) != NULL)
    json_object_set (process, "noNewPrivileges", json_new_bool (o->on));
  if ((o = cli_find (cli, "user")) && o->value[0] && exec_user_option (source, process, o->value, &user, err) < 0)
    return -1;
  if (exec_repeated_option (source, cli, "additional-gids", process, &user, err) < 0)
    return -1;
  *out = steal_pointer (&config);
  return 0;
}

/* apparmorProfile and selinuxLabel of exec's process */
static int
exec_lsm_process (struct harden_ctx *ctx, const struct lsm_env *lsm, const struct command_container *info,
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
  if (lsm_exec (ctx, lsm, info->apparmor, info->selinux, &vals[0], &vals[1], err) < 0)
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

/* exec --cgroup [CONTROLLERS:]PATH puts the process into a sub-cgroup of
 * the container's.  runc 1.1 joins PATH to the container's cgroup and
 * checks only a string prefix, so "../web2" from /x/web reaches the cgroup
 * of the container web2 (its devices, pids and memory).  Rule
 * cgroups_path: a PATH with a ".." component is refused. */
static int
exec_cgroup_check (struct harden_ctx *ctx, const struct runc_cli *cli, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_CGROUPS_PATH);

  if (action == RULE_ALLOW)
    return 0;
  for (size_t i = 0; i < cli->n_options; i++)
    {
      const struct cli_option *o = &cli->options[i];
      const char *colon, *p;
      bool up = false;

      if (strcmp (o->name, "cgroup") != 0)
        continue;
      colon = strchr (o->value, ':');
      p = colon ? colon + 1 : o->value;
      while (*p && !up)
        {
          size_t n = strcspn (p, "/");
          up = n == 2 && p[0] == '.' && p[1] == '.';
          p += n + (p[n] == '/');
        }
      if (up)
        {
          cleanup_free char *detail
              = xasprintf ("exec --cgroup %s leaves the container's cgroup (runc checks only a string prefix, so a "
                           "sibling cgroup whose name starts with the container's is reached); name a cgroup below it",
                           o->value);
          if (decision_match (ctx, RULE_CGROUPS_PATH, action == RULE_MUTATE ? RULE_DENY : action, detail, err) < 0)
            return -1;
        }
    }
  return 0;
}

/* The options runc would fold into the process: the process document
 * carries them now. */
static const char *const exec_process_options[] = {
  "process", "cwd", "env", "tty", "user", "additional-gids", "process-label", "apparmor", "no-new-privs", "cap", NULL,
};

/* The process exec judges: the --process file, or the one runc builds
 * from the options. */
static int
exec_process (const struct runc_cli *cli, const struct command_container *info, struct spec **proc, hr_err *err)
{
  const struct cli_option *popt = cli_find (cli, "process");
  cleanup_free char *display = NULL;

  if (popt == NULL || popt->value[0] == '\0')
    return exec_process_from_options (cli, info, proc, err);
  display = xasprintf ("exec --process %s", popt->value);
  if (spec_load_file (popt->value, proc, err) < 0)
    return -1;
  free ((*proc)->display);
  (*proc)->display = steal_pointer (&display);
  return 0;
}

/* runc gets DOC through a sealed memfd above FD_END as its --process,
 * never the caller's file or options. */
static int
exec_hand_over (struct runc_cli *cli, const struct json_value *doc, int fd_end, hr_err *err)
{
  cleanup_free char *path = NULL;
  int memfd;

  if (command_memfd ("hardened-runc-process", doc, fd_end, &memfd, err) < 0)
    return -1;
  for (size_t i = 0; exec_process_options[i]; i++)
    cli_remove (cli, exec_process_options[i]);
  cli_drop_args (cli);
  path = xasprintf ("/proc/self/fd/%d", memfd);
  cli_set (cli, "process", path);
  return 0;
}

int
cmd_exec (struct runc_cli *cli, char **runtime, hr_err *err)
{
  struct command_decision d;
  cleanup_spec struct spec *proc = NULL;
  cleanup_json struct json_value *original = NULL;
  cleanup_hr_error hr_err fd_err = NULL;
  const struct policy_profile *profile = NULL;
  struct harden_ctx ctx;
  struct command_container info = { 0 };
  struct lsm_env lsm;
  bool audit_only = false;
  int fd_end = 3;
  int ret = -1;

  /* before the shim opens anything of its own */
  command_check_passed_fds (cli, false, &fd_end, &fd_err);
  if (command_begin (&d, cli, err) < 0)
    goto out;
  if (command_container_profile (&d, cli, &profile, &info, err) < 0)
    goto failed;
  command_choose (&d, profile);
  lsm_env_system (&lsm, cli->root);
  if (exec_process (cli, &info, &proc, err) < 0)
    goto failed;
  original = json_clone (proc->root);
  ctx = (struct harden_ctx){ .source = proc->display,
                             .profile = profile,
                             .changes = &d.changes,
                             .findings = &d.findings,
                             .rootfs = info.rootfs,
                             .mounts = info.mounts };
  /* the same table of controls as create, on the process (harden.c) */
  if (harden_process (&ctx, proc->root, err) < 0 || exec_lsm_process (&ctx, &lsm, &info, proc->root, err) < 0
      || exec_cgroup_check (&ctx, cli, err) < 0)
    {
      /* in audit mode a refusal by a rule is only recorded (below, once
       * runc has its document) */
      if (!command_only_recorded (&d, *err))
        goto failed;
      audit_only = true;
    }
  /* reported after the process (whose working directory may be the
   * reason a descriptor was passed) */
  if (fd_err)
    {
      if (audit_only)
        hr_error_free (*err);
      *err = steal_pointer (&fd_err);
      goto failed;
    }

  /* runc gets the judged document (audit mode: the unchanged one), never
   * the caller's file or options */
  {
    hr_err merr = NULL;
    if (exec_hand_over (cli, d.mode == POLICY_MODE_ENFORCE ? proc->root : original, fd_end, &merr) < 0)
      {
        hr_error_free (*err);
        *err = merr;
        goto failed;
      }
  }

  if (audit_only)
    command_record_refusal (&d, err);
  else if (command_audit (&d, NULL, err) < 0)
    goto out;
  *runtime = steal_pointer (&d.runtime);
  ret = 0;
  goto out;
failed:
  command_fail (&d, err);
out:
  command_container_release (&info);
  command_release (&d);
  return ret;
}
