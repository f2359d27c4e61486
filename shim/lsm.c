/* SPDX-License-Identifier: Apache-2.0 */
#include "lsm.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/apparmor.h>
#include <selinux/selinux.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "spec.h"
#include "util.h"

#define LSM_FILE_MAX (4u << 20)
/* A reservation younger than this may belong to a create in progress
 * (runc has not written its state yet): never reclaimed. */
#define MCS_GRACE_SECONDS 60
#define MCS_CATEGORIES 1024

/* ------------------------------------------------------------------ */
/* Environments */

static bool
sys_apparmor_enabled (const struct lsm_env *env)
{
  (void) env;
  return aa_is_enabled () == 1;
}

static bool
sys_selinux_enabled (const struct lsm_env *env)
{
  (void) env;
  return is_selinux_enabled () == 1;
}

static bool
sys_context_valid (const struct lsm_env *env, const char *context)
{
  (void) env;
  return security_check_context (context) == 0;
}

void
lsm_env_system (struct lsm_env *env, const char *runc_root)
{
  *env = (struct lsm_env){
    .apparmor_profiles = "/sys/kernel/security/apparmor/profiles",
    .lxc_contexts = NULL,
    .mcs_dir = HR_STATE_DIR "/mcs",
    .runc_root = runc_root ? runc_root : RUNC_DEFAULT_ROOT,
    .apparmor_enabled = sys_apparmor_enabled,
    .selinux_enabled = sys_selinux_enabled,
    .context_valid = sys_context_valid,
  };
}

/* A whole small file (securityfs reports size 0: read to EOF); NULL when
 * it cannot be read. */
static char *
slurp (const char *path, size_t *len)
{
  cleanup_close int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  cleanup_hr_error hr_err ignored = NULL;
  char *buf = NULL;
  size_t n = 0;

  if (fd < 0 || file_read_fd (fd, path, LSM_FILE_MAX, &buf, &n, &ignored) < 0)
    return NULL;
  if (len)
    *len = n;
  return buf;
}

static bool
prepared_apparmor_enabled (const struct lsm_env *env)
{
  cleanup_free char *path = xasprintf ("%s/apparmor/enabled", env->test_root);
  cleanup_free char *text = slurp (path, NULL);
  return text && text[0] == 'Y';
}

static bool
prepared_selinux_enabled (const struct lsm_env *env)
{
  cleanup_free char *path = xasprintf ("%s/selinux/enabled", env->test_root);
  return access (path, F_OK) == 0;
}

/* the loaded policy of a prepared directory: a list of valid types */
static bool
prepared_context_valid (const struct lsm_env *env, const char *context)
{
  cleanup_free char *path = xasprintf ("%s/selinux/valid-types", env->test_root);
  cleanup_free char *types = slurp (path, NULL);
  cleanup_free char *type = NULL;
  const char *p = context;
  size_t n;
  /* user:role:type:level */
  for (int i = 0; i < 2 && p; i++)
    p = strchr (p, ':') ? strchr (p, ':') + 1 : NULL;
  if (p == NULL || types == NULL)
    return false;
  n = strcspn (p, ":");
  type = xstrndup (p, n);
  for (char *line = types, *next; line && *line; line = next)
    {
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      if (strcmp (line, type) == 0)
        return true;
    }
  return false;
}

void
lsm_env_prepared (struct lsm_env *env, const char *root)
{
  static __thread char copy[2048], profiles[4096], contexts[4096], mcs[4096];
  snprintf (copy, sizeof copy, "%s", root);
  root = copy;
  snprintf (profiles, sizeof profiles, "%s/apparmor/profiles", root);
  snprintf (contexts, sizeof contexts, "%s/lxc_contexts", root);
  snprintf (mcs, sizeof mcs, "%s/mcs", root);
  *env = (struct lsm_env){
    .apparmor_profiles = profiles,
    .lxc_contexts = contexts,
    .mcs_dir = mcs,
    .runc_root = root,
    .test_root = root,
    .apparmor_enabled = prepared_apparmor_enabled,
    .selinux_enabled = prepared_selinux_enabled,
    .context_valid = prepared_context_valid,
  };
}

/* ------------------------------------------------------------------ */
/* AppArmor */

bool
lsm_apparmor_profile_loaded (const struct lsm_env *env, const char *name)
{
  cleanup_free char *text = slurp (env->apparmor_profiles, NULL);
  size_t n = strlen (name);
  /* lines: "NAME (enforce)" / "NAME (complain)" */
  for (const char *line = text; line && *line;)
    {
      const char *end = strchr (line, '\n');
      if (strncmp (line, name, n) == 0 && strncmp (line + n, " (", 2) == 0)
        return true;
      line = end ? end + 1 : NULL;
    }
  return false;
}

/* NAME is listed as a profile that confines: its whole line is "NAME
 * (enforce)" or "NAME (kill)".  A profile in complain mode, one loaded
 * with flags=(unconfined), a name the kernel folds into "unconfined"
 * (it strips blanks around what runc writes to attr/exec) and a name not
 * loaded are not. */
bool
lsm_apparmor_profile_enforced (const struct lsm_env *env, const char *name)
{
  static const char *const modes[] = { " (enforce)", " (kill)" };
  cleanup_free char *text = NULL;
  size_t n = strlen (name);

  if (n == 0 || strchr (name, '\n'))
    return false;
  text = slurp (env->apparmor_profiles, NULL);
  for (const char *line = text; line && *line;)
    {
      const char *end = strchr (line, '\n');
      size_t len = end ? (size_t) (end - line) : strlen (line);
      if (len > n && strncmp (line, name, n) == 0)
        for (size_t i = 0; i < ARRAY_SIZE (modes); i++)
          if (len - n == strlen (modes[i]) && strncmp (line + n, modes[i], len - n) == 0)
            return true;
      line = end ? end + 1 : NULL;
    }
  return false;
}

/* ------------------------------------------------------------------ */
/* SELinux */

static char *
trim_value (char *v)
{
  char *end;
  while (*v == ' ' || *v == '\t' || *v == '=')
    v++;
  end = v + strlen (v);
  while (end > v && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
    *--end = '\0';
  if (end - v >= 2 && v[0] == '"' && end[-1] == '"')
    {
      end[-1] = '\0';
      v++;
    }
  return v;
}

int
lsm_selinux_contexts (const struct lsm_env *env, char **process, char **file, hr_err *err)
{
  const char *path = env->lxc_contexts ? env->lxc_contexts : selinux_lxc_contexts_path ();
  cleanup_free char *text = NULL;
  unsigned lineno = 0;

  *process = *file = NULL;
  if (path == NULL || (text = slurp (path, NULL)) == NULL)
    return hr_error_set (err, HR_ERR_INPUT, errno, "%s: cannot read the SELinux container contexts file",
                         path ? path : "lxc_contexts");
  for (char *line = text, *next; line && *line; line = next)
    {
      char *key, *val;
      size_t klen;
      lineno++;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      key = line + strspn (line, " \t");
      if (*key == '#' || *key == '\0')
        continue;
      klen = strcspn (key, " \t=");
      val = trim_value (key + klen);
      key[klen] = '\0';
      if (strcmp (key, "process") == 0 || strcmp (key, "file") == 0)
        {
          char **out = key[0] == 'p' ? process : file;
          /* user:role:type[:level] */
          if (strchr (val, ':') == NULL || strchr (strchr (val, ':') + 1, ':') == NULL)
            {
              free (*process);
              free (*file);
              *process = *file = NULL;
              return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u: %s: \"%s\" is not a user:role:type context", path,
                                   lineno, key, val);
            }
          free (*out);
          *out = xstrdup (val);
        }
    }
  if (*process == NULL || *file == NULL)
    {
      const char *missing = *process == NULL ? "process" : "file";
      free (*process);
      free (*file);
      *process = *file = NULL;
      return hr_error_set (err, HR_ERR_INPUT, 0, "%s: no \"%s\" context", path, missing);
    }
  return 0;
}

char *
lsm_with_level (const char *context, const char *pair)
{
  const char *p = context;
  for (int i = 0; i < 3 && p; i++)
    p = strchr (p, ':') ? strchr (p, ':') + 1 : NULL;
  /* p: the level, or NULL when CONTEXT has only user:role:type */
  if (p == NULL)
    return xasprintf ("%s:s0:%s", context, pair);
  return xasprintf ("%.*ss0:%s", (int) (p - context), context, pair);
}

/* the level of CONTEXT has exactly two categories: "s0:cA,cB" */
static bool
has_category_pair (const char *context)
{
  const char *p = context;
  unsigned a, b;
  char tail;
  for (int i = 0; i < 3 && p; i++)
    p = strchr (p, ':') ? strchr (p, ':') + 1 : NULL;
  return p && sscanf (p, "s0:c%u,c%u%c", &a, &b, &tail) == 2 && a < b && b < MCS_CATEGORIES;
}

/* the type field of a context */
static bool
same_type (const char *a, const char *b)
{
  const char *ta = a, *tb = b;
  for (int i = 0; i < 2 && ta && tb; i++)
    {
      ta = strchr (ta, ':') ? strchr (ta, ':') + 1 : NULL;
      tb = strchr (tb, ':') ? strchr (tb, ':') + 1 : NULL;
    }
  if (ta == NULL || tb == NULL)
    return false;
  return strcspn (ta, ":") == strcspn (tb, ":") && strncmp (ta, tb, strcspn (ta, ":")) == 0;
}

static int
open_dir_private (const char *path)
{
  struct stat st;
  cleanup_close int fd = -1;
  cleanup_free char *parent = xstrdup (path);
  char *slash = strrchr (parent, '/');
  if (slash && slash != parent)
    {
      *slash = '\0';
      if (mkdir (parent, 0700) < 0 && errno != EEXIST)
        return -1;
    }
  if (mkdir (path, 0700) < 0 && errno != EEXIST)
    return -1;
  fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  if (fstat (fd, &st) < 0 || st.st_uid != geteuid () || (st.st_mode & 077) != 0)
    {
      errno = EPERM;
      return -1;
    }
  return steal_fd (&fd);
}

/* A reservation whose container runc no longer knows, and old enough not
 * to be a create in progress. */
static bool
reservation_stale (const struct lsm_env *env, int dir, const char *name)
{
  struct stat st;
  char id[256];
  ssize_t n;
  cleanup_close int fd = openat (dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_free char *state = NULL;

  if (fd < 0)
    return false;
  /* one read: the file holds one short line, written by one dprintf */
  n = read (fd, id, sizeof id - 1);
  if (fstat (fd, &st) < 0 || n <= 0)
    return false;
  id[n] = '\0';
  id[strcspn (id, "\n")] = '\0';
  if (time (NULL) - st.st_mtime < MCS_GRACE_SECONDS || strchr (id, '/') || id[0] == '.')
    return false;
  state = xasprintf ("%s/%s", env->runc_root, id);
  return access (state, F_OK) < 0 && errno == ENOENT;
}

bool
lsm_mcs_stale (const struct lsm_env *env, const char *pair)
{
  cleanup_close int dir = open (env->mcs_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

  return dir >= 0 && reservation_stale (env, dir, pair);
}

int
lsm_mcs_reserve (const struct lsm_env *env, const char *id, char **pair, hr_err *err)
{
  cleanup_close int dir = open_dir_private (env->mcs_dir);

  if (dir < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: cannot use the SELinux category reservations",
                         env->mcs_dir);
  for (int attempt = 0; attempt < 256; attempt++)
    {
      uint32_t r;
      unsigned a, b;
      char name[32];
      cleanup_close int fd = -1;

      if (getrandom (&r, sizeof r, 0) != (ssize_t) sizeof r)
        break;
      a = r % MCS_CATEGORIES;
      b = (r / MCS_CATEGORIES) % MCS_CATEGORIES;
      if (a == b)
        continue;
      if (a > b)
        {
          unsigned t = a;
          a = b;
          b = t;
        }
      snprintf (name, sizeof name, "c%u,c%u", a, b);
      fd = openat (dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0 && errno == EEXIST && reservation_stale (env, dir, name) && unlinkat (dir, name, 0) == 0)
        fd = openat (dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          if (errno == EEXIST)
            continue;
          break;
        }
      if (dprintf (fd, "%s\n", id) < 0)
        {
          unlinkat (dir, name, 0);
          break;
        }
      *pair = xstrdup (name);
      return 0;
    }
  return hr_error_set (err, HR_ERR_INTERNAL, errno, "%s: no free SELinux category pair", env->mcs_dir);
}

/* ------------------------------------------------------------------ */
/* The control */

static int
refuse (struct harden_ctx *ctx, enum rule_id which, hr_err *err, const char *fmt, const char *a, const char *b)
{
  cleanup_free char *msg = NULL;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  msg = xasprintf (fmt, a, b);
#pragma GCC diagnostic pop
  if (ctx->findings)
    findings_add (ctx->findings, which, RULE_DENY, "%s", msg);
  return hr_error_set (err, HR_ERR_REFUSED, 0, "refused: %s", msg);
}

static void
note (struct harden_ctx *ctx, enum rule_id which, const char *fmt, const char *a)
{
  if (ctx->findings == NULL)
    return;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  findings_add (ctx->findings, which, RULE_WARN, fmt, a);
#pragma GCC diagnostic pop
}

/* Can the profile's AppArmor profile be applied?  1 yes, 0 no (noted),
 * -1 refused. */
static int
apparmor_usable (struct harden_ctx *ctx, const struct lsm_env *env, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  if (!env->apparmor_enabled (env))
    {
      if (p->apparmor == LSM_REQUIRE)
        return refuse (ctx, FINDING_APPARMOR, err,
                       "profile %s requires AppArmor (apparmor: require), which is not enabled on this host%s", p->name,
                       "");
      note (ctx, FINDING_APPARMOR, "AppArmor is not enabled on this host; the process runs without %s",
            p->apparmor_profile);
      return 0;
    }
  if (!lsm_apparmor_profile_loaded (env, p->apparmor_profile))
    {
      if (p->apparmor == LSM_REQUIRE)
        return refuse (ctx, FINDING_APPARMOR, err,
                       "the AppArmor profile %s is not loaded (load it with apparmor_parser -r "
                       "/etc/apparmor.d/%s)",
                       p->apparmor_profile, p->apparmor_profile);
      note (ctx, FINDING_APPARMOR, "the AppArmor profile %s is not loaded; the process runs without it",
            p->apparmor_profile);
      return 0;
    }
  return 1;
}

static bool
unconfined (const struct json_value *v)
{
  return v == NULL || v->type != JSON_STRING || v->u.str.s[0] == '\0' || json_is_string (v, "unconfined");
}

static int
apparmor_apply (struct harden_ctx *ctx, const struct lsm_env *env, struct json_value *process, hr_err *err)
{
  struct json_value *cur = NULL;
  cleanup_json struct json_value *after = NULL;
  int r;

  if (spec_get (ctx->source, process, "process", "apparmorProfile", SPEC_STRING, &cur, err) < 0)
    return -1;
  r = apparmor_usable (ctx, env, err);
  if (r <= 0)
    return r;
  /* another profile the caller chose (docker-default, their own) stays
   * when the kernel enforces it; " unconfined", a profile in complain
   * mode or loaded unconfined would leave the container unconfined */
  if (!unconfined (cur))
    {
      if (lsm_apparmor_profile_enforced (env, cur->u.str.s))
        return 0;
      note (ctx, FINDING_APPARMOR, "process.apparmorProfile \"%s\" is not a profile the kernel enforces (listed "
                                   "with \"(enforce)\" in the AppArmor profiles); replaced",
            cur->u.str.s);
    }
  after = json_new_string (ctx->profile->apparmor_profile);
  changes_add (ctx->changes, "process.apparmorProfile", cur, after);
  json_object_set (process, "apparmorProfile", steal_pointer (&after));
  return 0;
}

static int
selinux_usable (struct harden_ctx *ctx, const struct lsm_env *env, hr_err *err)
{
  if (env->selinux_enabled (env))
    return 1;
  if (ctx->profile->selinux == LSM_REQUIRE)
    return refuse (ctx, FINDING_SELINUX, err,
                   "profile %s requires SELinux (selinux: require), which is not enabled on this host%s",
                   ctx->profile->name, "");
  note (ctx, FINDING_SELINUX, "SELinux is not enabled on this host; the container gets no label%s", "");
  return 0;
}

static int
selinux_apply (struct harden_ctx *ctx, const struct lsm_env *env, const char *id, struct json_value *root,
               struct json_value *process, hr_err *err)
{
  struct json_value *cur = NULL, *linux_ = NULL, *mount_cur = NULL;
  cleanup_free char *proc_ctx = NULL, *file_ctx = NULL, *pair = NULL, *label = NULL, *mount = NULL;
  cleanup_json struct json_value *after = NULL;
  int r;

  if (spec_get (ctx->source, process, "process", "selinuxLabel", SPEC_STRING, &cur, err) < 0
      || spec_get_object (ctx->source, root, "", "linux", &linux_, err) < 0
      || spec_get (ctx->source, linux_, "linux", "mountLabel", SPEC_STRING, &mount_cur, err) < 0)
    return -1;
  r = selinux_usable (ctx, env, err);
  if (r <= 0)
    return r;
  if (lsm_selinux_contexts (env, &proc_ctx, &file_ctx, err) < 0)
    return -1;
  /* a label of the container type with its own category pair was
   * allocated by dockerd/podman, which labelled the volumes for it: kept */
  if (cur && !unconfined (cur) && same_type (cur->u.str.s, proc_ctx) && has_category_pair (cur->u.str.s))
    {
      const char *level = cur->u.str.s;
      for (int i = 0; i < 3; i++)
        level = strchr (level, ':') + 1;
      if (mount_cur && !unconfined (mount_cur))
        return 0;
      mount = lsm_with_level (file_ctx, level + 3);
    }
  else
    {
      if (id == NULL)
        pair = xstrdup ("cN,cM"); /* explain: nothing is reserved */
      else if (lsm_mcs_reserve (env, id, &pair, err) < 0)
        return -1;
      label = lsm_with_level (proc_ctx, pair);
      mount = lsm_with_level (file_ctx, pair);
      if (id && !env->context_valid (env, label))
        return refuse (ctx, FINDING_SELINUX, err, "SELinux does not accept the process label %s%s", label, "");
      after = json_new_string (label);
      changes_add (ctx->changes, "process.selinuxLabel", cur, after);
      json_object_set (process, "selinuxLabel", steal_pointer (&after));
    }
  if (id && !env->context_valid (env, mount))
    return refuse (ctx, FINDING_SELINUX, err, "SELinux does not accept the mount label %s%s", mount, "");
  after = json_new_string (mount);
  changes_add (ctx->changes, "linux.mountLabel", mount_cur, after);
  json_object_set (linux_, "mountLabel", steal_pointer (&after));
  return 0;
}

int
lsm_apply (struct harden_ctx *ctx, const struct lsm_env *env, const char *id, struct json_value *root, hr_err *err)
{
  struct lsm_env sys;
  struct json_value *process = NULL;

  if (ctx->profile->apparmor == LSM_OFF && ctx->profile->selinux == LSM_OFF)
    return 0;
  if (env == NULL)
    {
      lsm_env_system (&sys, NULL);
      env = &sys;
    }
  if (spec_get_object (ctx->source, root, "", "process", &process, err) < 0)
    return -1;
  if (ctx->profile->apparmor != LSM_OFF && apparmor_apply (ctx, env, process, err) < 0)
    return -1;
  if (ctx->profile->selinux != LSM_OFF && selinux_apply (ctx, env, id, root, process, err) < 0)
    return -1;
  return 0;
}

int
lsm_exec (struct harden_ctx *ctx, const struct lsm_env *env, const char *container_aa, const char *container_se,
          char **apparmor, char **label, hr_err *err)
{
  struct lsm_env sys;
  const struct policy_profile *p = ctx->profile;

  if (env == NULL)
    {
      lsm_env_system (&sys, NULL);
      env = &sys;
    }
  if (p->apparmor != LSM_OFF)
    {
      bool container_confined;
      int r = apparmor_usable (ctx, env, err);
      if (r < 0)
        return -1;
      container_confined = r > 0 && container_aa && lsm_apparmor_profile_enforced (env, container_aa);
      /* absent: runc uses the container's profile, fine when it has one;
       * given: only the container's own (or, for a container created
       * unconfined, the policy's) */
      if (r > 0 && (*apparmor != NULL || !container_confined))
        {
          const char *want = container_confined ? container_aa : p->apparmor_profile;
          if (*apparmor == NULL || strcmp (*apparmor, want) != 0)
            {
              free (*apparmor);
              *apparmor = xstrdup (want);
            }
        }
    }
  if (p->selinux != LSM_OFF)
    {
      int r = selinux_usable (ctx, env, err);
      if (r < 0)
        return -1;
      /* the process joins the container: its label, nothing else
       * (absent: runc uses the container's); a container without one
       * (created before the shim, or with SELinux off) gives exec no
       * label to choose, or spc_t/unconfined_t would be one away */
      if (r > 0 && *label != NULL && (container_se == NULL || container_se[0] == '\0') && (*label)[0] != '\0')
        return refuse (ctx, FINDING_SELINUX, err,
                       "the SELinux label %s was asked for a process of a container that has none; exec runs "
                       "processes with the container's label only%s",
                       *label, "");
      if (r > 0 && container_se && container_se[0] && *label != NULL && strcmp (*label, container_se) != 0)
        {
          free (*label);
          *label = xstrdup (container_se);
        }
    }
  return 0;
}
