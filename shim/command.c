/* SPDX-License-Identifier: Apache-2.0 */
/* What the judged runc subcommands share (command.h); each command is in
 * its own file, cmd_*.c. */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "harden.h"
#include "audit.h"
#include "metrics.h"
#include "runtime.h"
#include "spec.h"
#include "util.h"

void
command_release (struct command_decision *d)
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
outcome (const struct command_decision *d)
{
  if (d->changes.len == 0)
    return "allowed";
  return d->mode == POLICY_MODE_ENFORCE ? "changed" : "would-change";
}

int
command_audit (struct command_decision *d, const struct hr_error *failure, hr_err *err)
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
int
command_fail (struct command_decision *d, hr_err *err)
{
  cleanup_hr_error hr_err ignored = NULL;
  if (d->audit_fd >= 0 && err && *err)
    command_audit (d, *err, &ignored);
  return -1;
}

/* --pid-file: runc writes the pid to a new file beside PATH and renames it
 * over PATH, as root, wherever PATH is: an existing file that is not a
 * pid file (digits) would be replaced, /etc/passwd as well as a log. */
static int
pid_file_check (const struct runc_cli *cli, hr_err *err)
{
  const struct cli_option *o = cli_find (cli, "pid-file");
  char buf[32];
  ssize_t n;
  struct stat st;
  cleanup_close int fd = -1;
  bool digits = true;

  if (o == NULL || o->value[0] == '\0' || lstat (o->value, &st) < 0)
    return 0;
  if (S_ISREG (st.st_mode) && st.st_size < (off_t) sizeof buf
      && (fd = open (o->value, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) >= 0
      && (n = read (fd, buf, sizeof buf)) >= 0)
    {
      for (ssize_t i = 0; i < n && digits; i++)
        digits = (buf[i] >= '0' && buf[i] <= '9') || (buf[i] == '\n' && i == n - 1);
      if (digits)
        return 0;
    }
  return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                       "refused: --pid-file %s exists and is not a pid file; runc would replace it (as root) with "
                       "the container's pid; name a new file",
                       o->value);
}

int
command_begin (struct command_decision *d, const struct runc_cli *cli, hr_err *err)
{
  *d = (struct command_decision){ .cli = cli, .audit_fd = -1, .mode = POLICY_MODE_ENFORCE };
  if (policy_load (cli->policy_path, &d->policy, err) < 0)
    return hr_error_prefix (err, "invalid policy, refusing every container until it is fixed");
  d->mode = d->policy->mode;
  if (runtime_resolve (d->policy->runtime, &d->runtime, err) < 0)
    return -1;
  /* Opened before anything changes: no container starts unaudited. */
  d->audit_fd = audit_open (d->policy->audit_log, err);
  if (d->audit_fd < 0)
    return -1;
  return pid_file_check (cli, err);
}

void
command_choose (struct command_decision *d, const struct policy_profile *p)
{
  d->profile = p;
  d->mode = policy_profile_mode (d->policy, p);
}

/* In audit mode a refusal by a rule is only recorded: decided here, once,
 * for every command. */
bool
command_only_recorded (const struct command_decision *d, const struct hr_error *e)
{
  return d->mode == POLICY_MODE_AUDIT && e->kind == HR_ERR_REFUSED;
}

void
command_record_refusal (struct command_decision *d, hr_err *err)
{
  command_audit (d, *err, NULL);
  hr_error_clear (err);
}

int
command_refusal (struct command_decision *d, hr_err *err, char **runtime)
{
  if (command_only_recorded (d, *err))
    {
      command_record_refusal (d, err);
      *runtime = steal_pointer (&d->runtime);
      return 0;
    }
  command_fail (d, err);
  return -1;
}

/* ------------------------------------------------------------------ */
/* exec and update: the profile the container was created with.  runc keeps
 * the spec's annotations as "key=value" labels in <root>/<id>/state.json. */

void
command_container_release (struct command_container *c)
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

/* What exec needs of runc's state: the labels the container runs with,
 * its root file system and mounts, its bundle (the label "bundle=DIR"). */
static void
container_from_state (const struct json_value *config, const struct json_value *labels,
                      struct command_container *info)
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

/* A spec with only the annotations create chose the profile by, from
 * runc's "key=value" labels: the profile annotation and those of
 * containerd's CRI plugin (the pod's namespace). */
static struct json_value *
spec_of_labels (const struct json_value *labels)
{
  static const char *const keys[]
      = { POLICY_PROFILE_ANNOTATION, POLICY_CRI_CONTAINER_TYPE, POLICY_CRI_SANDBOX_NAMESPACE };
  struct json_value *fake = json_new (JSON_OBJECT);

  for (size_t i = 0; labels && labels->type == JSON_ARRAY && i < labels->u.arr.len; i++)
    {
      const struct json_value *l = labels->u.arr.items[i];

      for (size_t k = 0; l->type == JSON_STRING && k < ARRAY_SIZE (keys); k++)
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
  return fake;
}

int
command_container_profile (struct command_decision *d, const struct runc_cli *cli,
                           const struct policy_profile **out, struct command_container *info, hr_err *err)
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
  /* runc joins the namespaces and cgroups its state names: a state that
   * another user wrote (a --root of their own) puts the process on the
   * host, so it must be root's like the policy, and where there is none,
   * nobody else may be able to create it before runc reads it */
  if (access (path, F_OK) < 0 && errno == ENOENT)
    {
      if (file_check_no_other_creator (path, err) < 0)
        return hr_error_prefix (err, "refused: runc's state of container %s cannot be trusted", id);
      return policy_select_profile (d->policy, cli->profile, out, err); /* no such container: runc says so */
    }
  if (file_read_config (path, SPEC_MAX_BYTES, &buf, &len, err) < 0)
    return hr_error_prefix (err, "refused: runc's state of container %s cannot be trusted", id);
  if (json_parse (buf, len, path, &limits, &state, err) < 0)
    return hr_error_prefix (err, "cannot tell which profile container %s was created with", id);
  config = json_object_get (state, "config");
  labels = json_object_get (config, "labels");
  if (info)
    container_from_state (config, labels, info);
  if (cli->profile)
    return policy_select_profile (d->policy, cli->profile, out, err);
  fake = spec_of_labels (labels);
  return harden_choose_profile (d->policy, NULL, cli->root, path, fake, out, err);
}

/* ------------------------------------------------------------------ */
/* exec and update hand runc JSON through a sealed memfd: nothing the
 * caller owns is written, nothing is left behind, and what runc reads is
 * what the shim judged (the caller cannot change it afterwards). */

int
command_memfd (const char *name, const struct json_value *v, int min_fd, int *out, hr_err *err)
{
  cleanup_free char *text = NULL;
  cleanup_close int fd = -1;
  size_t len = 0;

  if (json_generate (v, &text, &len, err) < 0)
    return -1;
  fd = memfd_create (name, MFD_ALLOW_SEALING); /* inherited by runc on purpose */
  if (fd < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "memfd_create");
  if (file_write_fd (fd, text, len) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "cannot write %s", name);
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
      close (fd); /* the copy above MIN_FD takes its place */
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
int
command_check_passed_fds (const struct runc_cli *cli, bool with_listen_fds, int *end, hr_err *err)
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
