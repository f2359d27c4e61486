/* SPDX-License-Identifier: Apache-2.0 */
#include "rewrite.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fileio.h"
#include "fields.h"
#include "harden.h"
#include "controls.h"
#include "log.h"
#include "lsm.h"
#include "metrics.h"
#include "policy.h"
#include "runtime.h"
#include "spec.h"
#include "sysfilter_cache.h"
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
    .outcome = failure ? (hr_error_is_refusal (failure) ? "refused" : "error")
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

static int check_passed_fds (const struct runc_cli *cli, bool with_listen_fds, int *end, hr_err *err);

/* The container's root file system on the host (root.path, relative to
 * the bundle), for the working-directory check; NULL when not given. */
static char *
rootfs_of (const struct runc_cli *cli, const struct json_value *root)
{
  const struct json_value *path = json_object_get (json_object_get (root, "root"), "path");
  if (path == NULL || path->type != JSON_STRING || path->u.str.s[0] == '\0')
    return NULL;
  if (path->u.str.s[0] == '/')
    return xstrdup (path->u.str.s);
  return xasprintf ("%s/%s", cli->bundle ? cli->bundle : ".", path->u.str.s);
}

/* A refusal in audit mode is only recorded, and runc runs the
 * configuration as given (0, *RUNTIME set); anything else fails (-1). */
static int
refusal (struct decision *d, hr_err *err, char **runtime)
{
  if (d->mode == POLICY_MODE_AUDIT && (*err)->kind == HR_ERR_REFUSED)
    {
      audit (d, *err, NULL);
      hr_error_clear (err);
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
  cleanup_hr_error hr_err fd_err = NULL;
  cleanup_free char *rootfs = NULL;
  struct harden_ctx ctx;
  struct lsm_env lsm;
  bool saved = false;
  int fd_end;
  int ret = -1;

  /* before the shim opens anything of its own */
  check_passed_fds (cli, true, &fd_end, &fd_err);
  if (decision_begin (&d, cli, err) < 0)
    goto out;
  if (fd_err)
    {
      *err = steal_pointer (&fd_err);
      fail (&d, err);
      goto out;
    }
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
  rootfs = rootfs_of (cli, spec->root);
  ctx = (struct harden_ctx){ .source = spec->display,
                             .rootfs = rootfs,
                             .profile = profile,
                             .changes = &d.changes,
                             .findings = &d.findings,
                             .lsm = &lsm,
                             .container_id = cli->container_id,
                             .restore = cli->command == CLI_RESTORE,
                             .has_bundle = spec->dirfd >= 0,
                             .bundle_fd = spec->dirfd,
                             .pin_binds = d.mode == POLICY_MODE_ENFORCE,
                             .seccomp_cache_dir = sysfilter_cache_system_dir () };
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

/* What runc recorded about a container that exec and update need: the LSM
 * labels exec joins, the bundle exec reads config.json from, the root
 * file system. */
struct container_info
{
  char *apparmor, *selinux, *bundle, *rootfs;
  struct json_value *mounts; /* runc's form: destination, device, source */
};

static void
container_info_release (struct container_info *c)
{
  free (c->apparmor);
  free (c->selinux);
  free (c->bundle);
  free (c->rootfs);
  json_free (c->mounts);
}

static char *
state_string (const struct json_value *obj, const char *key)
{
  const struct json_value *v = json_object_get (obj, key);
  return v && v->type == JSON_STRING ? xstrdup (v->u.str.s) : NULL;
}

static int
profile_of_container (struct decision *d, const struct runc_cli *cli, const struct policy_profile **out,
                      struct container_info *info, hr_err *err)
{
  static const struct json_limits limits = { .max_depth = 64 };
  cleanup_free char *path = NULL, *buf = NULL;
  cleanup_json struct json_value *state = NULL, *fake = NULL;
  const struct json_value *labels, *config;
  const char *id = cli->container_id;
  size_t len = 0;

  if (id == NULL || strchr (id, '/') || strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return hr_error_set (err, HR_ERR_USAGE, 0, "invalid container id \"%s\"", id ? id : "");
  path = xasprintf ("%s/%s/state.json", cli->root ? cli->root : RUNC_DEFAULT_ROOT, id);
  if (access (path, F_OK) < 0 && errno == ENOENT)
    return policy_select_profile (d->policy, cli->profile, out, err); /* no such container: runc says so */
  if (file_read_regular (AT_FDCWD, path, path, SPEC_MAX_BYTES, &buf, &len, NULL, err) < 0
      || json_parse (buf, len, path, &limits, &state, err) < 0)
    return hr_error_prefix (err, "cannot tell which profile container %s was created with", id);
  config = json_object_get (state, "config");
  labels = json_object_get (config, "labels");
  if (info)
    {
      info->apparmor = state_string (config, "apparmor_profile");
      info->selinux = state_string (config, "process_label");
      info->rootfs = state_string (config, "rootfs");
      if (json_object_get (config, "mounts"))
        info->mounts = json_clone (json_object_get (config, "mounts"));
      for (size_t i = 0; labels && labels->type == JSON_ARRAY && i < labels->u.arr.len; i++)
        {
          const struct json_value *l = labels->u.arr.items[i];
          if (l->type == JSON_STRING && strncmp (l->u.str.s, "bundle=", 7) == 0 && info->bundle == NULL)
            info->bundle = xstrdup (l->u.str.s + 7);
        }
    }
  if (cli->profile)
    return policy_select_profile (d->policy, cli->profile, out, err);
  fake = json_new (JSON_OBJECT);
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
/* exec and update hand runc JSON through a sealed memfd: nothing the
 * caller owns is written, nothing is left behind, and what runc reads is
 * what the shim judged (the caller cannot change it afterwards). */

static int
memfd_with (const char *name, const struct json_value *v, int min_fd, int *out, hr_err *err)
{
  cleanup_free char *text = NULL;
  cleanup_close int fd = -1;
  size_t len = 0, off = 0;

  if (json_generate (v, &text, &len, err) < 0)
    return -1;
  fd = memfd_create (name, MFD_ALLOW_SEALING); /* inherited by runc on purpose */
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
  if (fcntl (fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "sealing %s", name);
  if (lseek (fd, 0, SEEK_SET) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "lseek");
  /* above the descriptors runc hands the container */
  if (fd < min_fd)
    {
      int high = fcntl (fd, F_DUPFD, min_fd);
      if (high < 0)
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "cannot move %s above fd %d", name, min_fd);
      close (fd);
      fd = high;
    }
  *out = steal_fd (&fd);
  return 0;
}

/* runc hands the container the descriptors from 3 on: for create and run
 * those of socket activation (LISTEN_FDS, when LISTEN_PID is runc's pid,
 * which is ours: we exec it), then --preserve-fds N more.  A directory
 * (or an O_PATH descriptor) among them gives the container the host's
 * file system through /proc/self/fd/N: refused in every mode.  *END is
 * the first descriptor runc does not pass. */
static int
check_passed_fds (const struct runc_cli *cli, bool with_listen_fds, int *end, hr_err *err)
{
  const struct cli_option *o = cli_find (cli, "preserve-fds");
  int64_t preserve = o ? o->number : 0, listen = 0, pid;
  const char *env_fds = getenv ("LISTEN_FDS"), *env_pid = getenv ("LISTEN_PID");

  /* go-systemd's activation.Files, as runc calls it */
  if (!with_listen_fds || env_fds == NULL || env_fds[0] == '\0' || env_pid == NULL
      || !cli_go_parse_int (env_pid, 10, &pid) || pid != (int64_t) getpid ()
      || !cli_go_parse_int (env_fds, 10, &listen) || listen < 0)
    listen = 0;
  if (preserve < 0)
    preserve = 0;
  if (listen > 65536 || preserve > 65536)
    return hr_error_set (err, HR_ERR_USAGE, 0,
                         "%s passes %lld descriptors to the container; runc would fail on the first that is not open",
                         listen > 65536 ? "LISTEN_FDS" : "--preserve-fds", (long long) (listen > 65536 ? listen : preserve));
  *end = 3 + (int) listen + (int) preserve;
  for (int fd = 3; fd < *end; fd++)
    {
      const char *by = fd < 3 + listen ? "LISTEN_FDS (socket activation)" : "--preserve-fds";
      char link[64], target[PATH_MAX];
      struct stat st;
      ssize_t n;
      int fl = fcntl (fd, F_GETFL);

      if (fl < 0)
        return hr_error_set (err, HR_ERR_USAGE, 0,
                             "descriptor %d, which %s hands to the container, is not open; runc would fail", fd, by);
      snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
      n = readlink (link, target, sizeof target - 1);
      target[n > 0 ? n : 0] = '\0';
      if (fl & O_PATH)
        return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                             "refused: descriptor %d (%s), which %s hands to the container, is an O_PATH "
                             "descriptor of the host's file system, reachable through /proc/self/fd/%d; pass "
                             "only files, pipes or sockets",
                             fd, target, by, fd);
      if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
        return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                             "refused: descriptor %d, which %s hands to the container, is the host directory %s; "
                             "the container would reach the host's files through /proc/self/fd/%d; pass only "
                             "files, pipes or sockets",
                             fd, by, target, fd);
    }
  return 0;
}

/* exec's process as runc 1.1 builds it from the options (getProcess):
 * the container's config.json process, args from the command line, then
 * each option.  The result is what the shim judges and what runc gets. */
static int
exec_process_from_options (const struct runc_cli *cli, const struct container_info *info, struct spec **out,
                           hr_err *err)
{
  cleanup_spec struct spec *config = NULL;
  struct json_value *src = NULL, *process, *caps = NULL, *user = NULL, *arr = NULL;
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
  if ((o = cli_find (cli, "cwd")) && o->value[0])
    json_object_set (process, "cwd", json_new_string (o->value));
  if ((o = cli_find (cli, "apparmor")) && o->value[0])
    json_object_set (process, "apparmorProfile", json_new_string (o->value));
  if ((o = cli_find (cli, "process-label")) && o->value[0])
    json_object_set (process, "selinuxLabel", json_new_string (o->value));
  for (size_t i = 0; i < cli->n_options; i++)
    {
      static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
      if (strcmp (cli->options[i].name, "cap") != 0)
        continue;
      if (caps == NULL && spec_get_object (source, process, "process", "capabilities", &caps, err) < 0)
        return -1;
      for (size_t k = 0; k < 4; k++)
        {
          struct json_value *set = NULL;
          if (spec_get (source, caps, "process.capabilities", sets[k], SPEC_ARRAY, &set, err) < 0)
            return -1;
          if (set == NULL)
            {
              set = json_new (JSON_ARRAY);
              json_object_set (caps, sets[k], set);
              set = json_object_get (caps, sets[k]);
            }
          json_array_append (set, json_new_string (cli->options[i].value));
        }
    }
  for (size_t i = 0; i < cli->n_options; i++)
    {
      struct json_value *env = NULL;
      if (strcmp (cli->options[i].name, "env") != 0)
        continue;
      if (spec_get (source, process, "process", "env", SPEC_ARRAY, &env, err) < 0)
        return -1;
      if (env == NULL)
        {
          json_object_set (process, "env", json_new (JSON_ARRAY));
          env = json_object_get (process, "env");
        }
      json_array_append (env, json_new_string (cli->options[i].value));
    }
  o = cli_find (cli, "tty");
  json_object_set (process, "terminal", json_new_bool (o ? o->on : false));
  if ((o = cli_find (cli, "no-new-privs")) != NULL)
    json_object_set (process, "noNewPrivileges", json_new_bool (o->on));
  if ((o = cli_find (cli, "user")) && o->value[0])
    {
      /* runc: strings.SplitN (user, ":", 2), strconv.Atoi each, uint32 () */
      const char *colon = strchr (o->value, ':');
      cleanup_free char *uid_s = xstrndup (o->value, colon ? (size_t) (colon - o->value) : strlen (o->value));
      int64_t uid, gid;
      if (spec_get_object (source, process, "process", "user", &user, err) < 0)
        return -1;
      if (colon && !cli_go_parse_int (colon + 1, 10, &gid))
        return hr_error_set (err, HR_ERR_USAGE, 0,
                             "exec --user %s: runc 1.1 takes only numbers (uid[:gid]) and refuses \"%s\" as a gid",
                             o->value, colon + 1);
      if (!cli_go_parse_int (uid_s, 10, &uid))
        return hr_error_set (err, HR_ERR_USAGE, 0,
                             "exec --user %s: runc 1.1 takes only numbers (uid[:gid]) and refuses \"%s\" as a uid",
                             o->value, uid_s);
      if (colon)
        json_object_set (user, "gid", json_new_u64 ((uint32_t) gid));
      json_object_set (user, "uid", json_new_u64 ((uint32_t) uid));
    }
  for (size_t i = 0; i < cli->n_options; i++)
    {
      struct json_value *gids = NULL;
      if (strcmp (cli->options[i].name, "additional-gids") != 0)
        continue;
      if (cli->options[i].number < 0)
        return hr_error_set (err, HR_ERR_USAGE, 0, "exec --additional-gids %lld: runc refuses a negative gid",
                             (long long) cli->options[i].number);
      if (user == NULL && spec_get_object (source, process, "process", "user", &user, err) < 0)
        return -1;
      if (spec_get (source, user, "process.user", "additionalGids", SPEC_ARRAY, &gids, err) < 0)
        return -1;
      if (gids == NULL)
        {
          json_object_set (user, "additionalGids", json_new (JSON_ARRAY));
          gids = json_object_get (user, "additionalGids");
        }
      json_array_append (gids, json_new_u64 ((uint32_t) cli->options[i].number));
    }
  *out = steal_pointer (&config);
  return 0;
}

/* apparmorProfile and selinuxLabel of exec's process */
static int
exec_lsm_process (struct harden_ctx *ctx, const struct lsm_env *lsm, const struct container_info *info,
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

/* The options runc would fold into the process: the process document
 * carries them now. */
static const char *const exec_process_options[] = {
  "process", "cwd", "env", "tty", "user", "additional-gids", "process-label", "apparmor", "no-new-privs", "cap", NULL,
};

int
rewrite_exec (struct runc_cli *cli, char **runtime, hr_err *err)
{
  struct decision d;
  cleanup_spec struct spec *proc = NULL;
  cleanup_json struct json_value *original = NULL;
  cleanup_hr_error hr_err fd_err = NULL;
  const struct policy_profile *profile = NULL;
  const struct cli_option *popt;
  struct harden_ctx ctx;
  struct container_info info = { 0 };
  struct lsm_env lsm;
  bool audit_only = false;
  int fd_end = 3, memfd;
  int ret = -1;

  /* before the shim opens anything of its own */
  check_passed_fds (cli, false, &fd_end, &fd_err);
  if (decision_begin (&d, cli, err) < 0)
    goto out;
  if (profile_of_container (&d, cli, &profile, &info, err) < 0)
    {
      fail (&d, err);
      goto out;
    }
  choose (&d, profile);
  lsm_env_system (&lsm, cli->root);
  popt = cli_find (cli, "process");
  if (popt && popt->value[0])
    {
      cleanup_free char *display = xasprintf ("exec --process %s", popt->value);
      if (spec_load_file (popt->value, &proc, err) < 0)
        {
          fail (&d, err);
          goto out;
        }
      free (proc->display);
      proc->display = steal_pointer (&display);
    }
  else if (exec_process_from_options (cli, &info, &proc, err) < 0)
    {
      fail (&d, err);
      goto out;
    }
  original = json_clone (proc->root);
  ctx = (struct harden_ctx){ .source = proc->display,
                             .profile = profile,
                             .changes = &d.changes,
                             .findings = &d.findings,
                             .rootfs = info.rootfs,
                             .mounts = info.mounts };
  /* the same table of controls as create, on the process (harden.c) */
  if (harden_process (&ctx, proc->root, err) < 0 || exec_lsm_process (&ctx, &lsm, &info, proc->root, err) < 0)
    {
      /* in audit mode a refusal by a rule is only recorded */
      if (!(d.mode == POLICY_MODE_AUDIT && (*err)->kind == HR_ERR_REFUSED))
        {
          fail (&d, err);
          goto out;
        }
      audit_only = true;
    }
  /* reported after the process (whose working directory may be the
   * reason a descriptor was passed) */
  if (fd_err)
    {
      if (audit_only)
        hr_error_free (*err);
      *err = steal_pointer (&fd_err);
      fail (&d, err);
      goto out;
    }

  /* runc gets the judged document (audit mode: the unchanged one), never
   * the caller's file or options */
  {
    hr_err merr = NULL;
    if (memfd_with ("hardened-runc-process", d.mode == POLICY_MODE_ENFORCE ? proc->root : original, fd_end, &memfd,
                    &merr)
        < 0)
      {
        hr_error_free (*err);
        *err = merr;
        fail (&d, err);
        goto out;
      }
  }
  for (size_t i = 0; exec_process_options[i]; i++)
    cli_remove (cli, exec_process_options[i]);
  cli_drop_args (cli);
  {
    cleanup_free char *path = xasprintf ("/proc/self/fd/%d", memfd);
    cli_set (cli, "process", path);
  }

  if (audit_only)
    {
      audit (&d, *err, NULL);
      hr_error_clear (err);
    }
  else if (audit (&d, NULL, err) < 0)
    goto out;
  *runtime = steal_pointer (&d.runtime);
  ret = 0;
out:
  container_info_release (&info);
  decision_release (&d);
  return ret;
}

/* ------------------------------------------------------------------ */
/* update */

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

/* One of update's judged options, read as runc 1.1 reads it: --pids-limit
 * an int (Go's flag.Int), --memory and --memory-swap "-1" or a size
 * (go-units RAMInBytes), --cpu-share strconv.ParseUint (s, 10, 64); an
 * empty string is no value.  Rewritten as the number runc will use. */
static int
update_flag (struct decision *d, struct runc_cli *cli, const char *name, const struct policy_limit *lim,
             struct changes *changes, int64_t *result, hr_err *err)
{
  const struct cli_option *o = cli_find (cli, name);
  int64_t v = 0, nv;
  cleanup_free char *before = NULL;

  *result = 0;
  if (o == NULL || o->value[0] == '\0')
    return 0;
  if (o->kind == CLI_INT)
    v = o->number;
  else if (strcmp (name, "cpu-share") == 0)
    {
      uint64_t u;
      if (!cli_go_parse_uint (o->value, &u))
        return hr_error_set (err, HR_ERR_USAGE, 0, "update --%s \"%s\": not an unsigned decimal number; runc refuses it",
                             name, o->value);
      v = u > (uint64_t) INT64_MAX ? INT64_MAX : (int64_t) u;
      if (u > (uint64_t) INT64_MAX && !lim->has_max)
        return hr_error_set (err, HR_ERR_USAGE, 0, "update --%s \"%s\": too large to judge", name, o->value);
    }
  else if (strcmp (o->value, "-1") == 0)
    v = -1;
  else if (!cli_go_ram_in_bytes (o->value, &v))
    return hr_error_set (err, HR_ERR_USAGE, 0,
                         "update --%s \"%s\": not a size runc reads the same way (-1, or digits with an optional "
                         "fraction and k, m, g, t or p, optionally followed by i and b)",
                         name, o->value);
  before = xstrdup (o->value);
  {
    /* canonical: the number runc will use */
    cleanup_free char *text = xasprintf ("%lld", (long long) v);
    cli_set (cli, name, text);
  }
  *result = v;
  if (!clamp_limit (lim, v, &nv))
    return 0;
  {
    cleanup_free char *control = xasprintf ("update --%s", name);
    cleanup_json struct json_value *b = json_new_string (before);
    cleanup_json struct json_value *after = json_new_i64 (nv);
    cleanup_free char *text = xasprintf ("%lld", (long long) nv);
    changes_add (changes, control, b, after);
    if (d->mode == POLICY_MODE_ENFORCE)
      cli_set (cli, name, text);
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
  /* runc reads the document as a spec's linux.resources: those rows of the
   * spec surface decide it too (unified keys that would undo a limit, keys
   * spelled so that only runc reads them).  Refused in every mode: the
   * document was read from the caller and cannot be handed back unread. */
  {
    const struct fields_env env = { .source = res->display, .bundle_fd = -1 };
    if (fields_check (&env, res->root, "linux.resources", err) < 0)
      return -1;
  }
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
      int64_t cap = limits_swap_max (limit > 0 ? limit : p->memory.max);
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
    if (memfd_with ("hardened-runc-resources", d->mode == POLICY_MODE_AUDIT ? original : res->root, 0, &fd, err) < 0)
      return -1;
    if (dup2 (fd, STDIN_FILENO) < 0)
      {
        close (fd);
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "dup2");
      }
    close (fd);
    cli_set (cli, "resources", "-");
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
          struct policy_limit swap_lim
              = { .has_max = true, .max = limits_swap_max (mem > 0 ? mem : profile->memory.max) };
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
    {
      /* a passthrough argv is the caller's: the id follows the subcommand */
      size_t i = 1;
      while (i < cli->argc && cli->argv[i] != cli->subcommand)
        i++;
      for (i++; i < cli->argc && cli->argv[i]; i++)
        if (cli->argv[i][0] != '-')
          {
            binds_unpin (cli->argv[i]);
            break;
          }
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
      hr_error_clear (err);
      return runtime_resolve (NULL, runtime, err);
    }
  return *runtime ? 0 : -1;
}
