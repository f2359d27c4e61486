/* SPDX-License-Identifier: Apache-2.0 */
/* Bind mounts: which host files a container may see, judged by what they
 * are, not by how their path is spelled.  The source is resolved as runc
 * resolves it (relative to the bundle, symbolic links followed), opened
 * without following symbolic links, and its mount looked up in
 * /proc/self/mountinfo: a Docker volume whose _data is a bind of /etc is
 * judged as /etc, a bind of a proc mount as proc.  See
 * hardened-runc-policy(5), RULES, "sensitive_mounts". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

/* Built-in lists, used when a profile does not set its own.  Entries may
 * hold shell patterns per path component ("*") and "**" for any number of
 * components. */
static const char *const default_sensitive_mounts[] = {
  "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sys", "/usr", "/bin", "/sbin", "/root",
  /* engines' and the shim's state, sockets, logs */
  "/run", "/var/run", "/var/lib/docker", "/var/lib/containerd", "/var/lib/kubelet", "/var/lib/hardened-runc",
  "/var/log",
  /* programs the host runs as root */
  "/var/spool/cron", "/var/spool/at", "/opt/cni/bin", "/usr/libexec/kubernetes",
  /* a home's login files: a project below /home stays bindable */
  "/home/*/.ssh", "/home/*/.bashrc", "/home/*/.bash_profile", "/home/*/.bash_login", "/home/*/.bash_logout",
  "/home/*/.profile", "/home/*/.zshrc", "/home/*/.zprofile", "/home/*/.zshenv", "/home/*/.config/autostart",
  "/home/*/.config/systemd", "/home/*/.docker", "/home/*/.kube", "/home/*/.gnupg", "/home/*/.pam_environment",
  NULL,
};
static const char *const default_sensitive_mount_roots[] = { "/", "/var", "/var/lib", "/var/spool", "/home", "/opt",
                                                             NULL };
/* What the engines themselves bind, below the trees above.  Matched against
 * the source's identity (its path on the host), never its spelling. */
static const char *const default_allowed_mount_sources[] = {
  "/var/lib/docker/containers/*/resolv.conf",
  "/var/lib/docker/containers/*/hosts",
  "/var/lib/docker/containers/*/hostname",
  "/var/lib/docker/containers/*/mounts/shm",
  "/var/lib/docker/volumes/*/_data",
  "/var/lib/docker/volumes/*/_data/**",
  "/var/lib/kubelet/pods/*/volumes/**",
  "/var/lib/kubelet/pods/*/volume-subpaths/**",
  "/var/lib/kubelet/pods/*/etc-hosts",
  "/var/lib/kubelet/pods/*/containers/**",
  "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/*/hostname",
  "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/*/hosts",
  "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/*/resolv.conf",
  "/run/**/io.containerd.grpc.v1.cri/sandboxes/*/shm", /* containerd's state, wherever it is set */
  NULL,
};
/* Where engines keep a container's root file system below the trees
 * above (root.path is judged by the same lists): Docker's graph drivers
 * under its data root (with userns-remap, below UID.GID), containerd's
 * task bundles wherever its state is. */
static const char *const image_roots[] = {
  "/var/lib/docker/overlay2/*/merged",
  "/var/lib/docker/fuse-overlayfs/*/merged",
  "/var/lib/docker/aufs/mnt/*",
  "/var/lib/docker/btrfs/subvolumes/*",
  "/var/lib/docker/zfs/graph/*",
  "/var/lib/docker/vfs/dir/*",
  "/var/lib/docker/*.*/overlay2/*/merged",
  "/var/lib/docker/*.*/fuse-overlayfs/*/merged",
  "/var/lib/docker/*.*/aufs/mnt/*",
  "/var/lib/docker/*.*/btrfs/subvolumes/*",
  "/var/lib/docker/*.*/zfs/graph/*",
  "/var/lib/docker/*.*/vfs/dir/*",
  "/run/**/io.containerd.runtime.v2.task/*/*/rootfs",
  "/run/**/io.containerd.runtime.v1.linux/*/*/rootfs",
  NULL,
};
static const char *const default_readonly_mounts[] = { NULL };
static const char *const default_allowed_sockets[] = { NULL };
/* Docker's --init: bound read-only at /sbin/docker-init, and only there. */
static const char *const docker_init_paths[] = {
  "/usr/bin/docker-init", "/usr/libexec/docker/docker-init", "/usr/local/bin/docker-init", "/usr/sbin/docker-init",
  NULL,
};
#define DOCKER_INIT_DESTINATION "/sbin/docker-init"
/* Filesystems of the kernel's own state: a bind of one is that filesystem. */
static const char *const kernel_filesystems[] = {
  "proc",   "sysfs",   "cgroup",    "cgroup2", "debugfs",     "securityfs", "tracefs",  "configfs", "bpf",
  "pstore", "efivarfs", "binfmt_misc", "fusectl", "nsfs",     "selinuxfs",  "smackfs", "devtmpfs", "devpts",
  "mqueue", "autofs",  "rpc_pipefs", "nfsd",    "hugetlbfs", NULL,
};
/* A directory source is searched this far for unix sockets (one level). */
#define SOCKET_SCAN_MAX 4096

static bool
in_strings (const char *const *l, const char *s)
{
  for (size_t i = 0; l[i]; i++)
    if (strcmp (l[i], s) == 0)
      return true;
  return false;
}

/* ------------------------------------------------------------------ */
/* path patterns */

/* Components of a clean absolute path, in place ("/" has none). */
static size_t
split (char *path, char **comp, size_t max)
{
  size_t n = 0;
  for (char *s = strtok (path, "/"); s && n < max; s = strtok (NULL, "/"))
    comp[n++] = s;
  return n;
}

enum match_mode
{
  MATCH_EXACT, /* the path matches */
  MATCH_BELOW, /* the path or one of its parents matches */
  MATCH_ABOVE, /* the path matches, or is a parent of something that could */
};

static bool
match_components (char **p, size_t np, char **s, size_t ns, enum match_mode mode)
{
  if (np == 0)
    return ns == 0 || mode == MATCH_BELOW;
  if (strcmp (p[0], "**") == 0)
    return match_components (p + 1, np - 1, s, ns, mode) || (ns > 0 && match_components (p, np, s + 1, ns - 1, mode))
           || (ns == 0 && mode == MATCH_ABOVE);
  if (ns == 0)
    return mode == MATCH_ABOVE;
  if (fnmatch (p[0], s[0], FNM_PERIOD) != 0)
    return false;
  return match_components (p + 1, np - 1, s + 1, ns - 1, mode);
}

/* PATTERN and PATH are clean absolute paths. */
static bool
pattern_match (const char *pattern, const char *path, enum match_mode mode)
{
  char pbuf[PATH_MAX], sbuf[PATH_MAX];
  char *p[PATH_MAX / 2], *s[PATH_MAX / 2];
  size_t np, ns;

  /* a literal pattern (the common case) is matched as a string */
  if (strpbrk (pattern, "*?[\\") == NULL)
    switch (mode)
      {
      case MATCH_EXACT:
        return strcmp (pattern, path) == 0;
      case MATCH_BELOW:
        return path_covers (pattern, path);
      case MATCH_ABOVE:
        return path_covers (path, pattern);
      default:
        break;
      }
  /* the literal directory a pattern starts with ("/run" for a pattern
   * "/run", two stars, "x") rules most paths out before any component is
   * matched */
  {
    const char *wild = strpbrk (pattern, "*?[\\");
    size_t lit = (size_t) (wild - pattern);
    char dir[PATH_MAX];

    while (lit > 0 && pattern[lit - 1] != '/')
      lit--;
    if (lit > 1 && lit - 1 < sizeof dir)
      {
        memcpy (dir, pattern, lit - 1);
        dir[lit - 1] = '\0';
        if (!path_covers (dir, path) && (mode != MATCH_ABOVE || !path_covers (path, dir)))
          return false;
      }
  }
  if (strlen (pattern) >= sizeof pbuf || strlen (path) >= sizeof sbuf)
    return false;
  strcpy (pbuf, pattern);
  strcpy (sbuf, path);
  np = split (pbuf, p, sizeof p / sizeof p[0]);
  ns = split (sbuf, s, sizeof s / sizeof s[0]);
  return match_components (p, np, s, ns, mode);
}

static bool
is_pattern (const char *s)
{
  return strpbrk (s, "*?[") != NULL;
}

/* A list of path patterns with each entry in its literal (cleaned) and
 * resolved form and, when it exists, its identity; computed once per
 * container. */
struct paths
{
  char **lit, **real;
  bool *has_id;
  dev_t *dev;
  ino_t *ino;
  const char *const *orig;
  size_t len;
};

static void
paths_init (struct paths *p, const struct policy_list *l)
{
  p->len = l->len;
  p->orig = l->items;
  p->lit = xcalloc (l->len + 1, sizeof (char *));
  p->real = xcalloc (l->len + 1, sizeof (char *));
  p->has_id = xcalloc (l->len + 1, sizeof (bool));
  p->dev = xcalloc (l->len + 1, sizeof (dev_t));
  p->ino = xcalloc (l->len + 1, sizeof (ino_t));
  for (size_t i = 0; i < l->len; i++)
    {
      char buf[PATH_MAX];
      struct stat st;
      p->lit[i] = path_clean (l->items[i]);
      if (!is_pattern (l->items[i]) && realpath (l->items[i], buf) != NULL)
        p->real[i] = xstrdup (buf);
      else
        p->real[i] = xstrdup (p->lit[i]);
      if (!is_pattern (l->items[i]) && stat (l->items[i], &st) == 0)
        {
          p->has_id[i] = true;
          p->dev[i] = st.st_dev;
          p->ino[i] = st.st_ino;
        }
    }
}

static void
paths_release (struct paths *p)
{
  for (size_t i = 0; i < p->len; i++)
    {
      free (p->lit[i]);
      free (p->real[i]);
    }
  free (p->lit);
  free (p->real);
  free (p->has_id);
  free (p->dev);
  free (p->ino);
}

static bool
paths_match (const struct paths *p, size_t i, const char *path, enum match_mode mode)
{
  return pattern_match (p->lit[i], path, mode) || pattern_match (p->real[i], path, mode);
}

/* ------------------------------------------------------------------ */
/* /proc/self/mountinfo */

struct mount_entry
{
  int id;
  unsigned major, minor;
  char *root, *point, *fstype;
};

struct mountinfo
{
  struct mount_entry *items;
  size_t len;
  bool loaded;
};

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static char *
unescape (const char *s)
{
  char *out = xmalloc (strlen (s) + 1), *o = out;
  while (*s)
    {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7')
        {
          *o++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
          s += 4;
        }
      else
        *o++ = *s++;
    }
  *o = '\0';
  return out;
}

static void
mountinfo_release (struct mountinfo *mi)
{
  for (size_t i = 0; i < mi->len; i++)
    {
      free (mi->items[i].root);
      free (mi->items[i].point);
      free (mi->items[i].fstype);
    }
  free (mi->items);
  mi->items = NULL;
  mi->len = 0;
}

static int
mountinfo_load (struct mountinfo *mi, hr_err *err)
{
  cleanup_fclose FILE *f = NULL;
  cleanup_free char *line = NULL;
  size_t cap = 0, alloc = 0;
  unsigned lineno = 0;

  if (mi->loaded)
    return 0;
  f = fopen ("/proc/self/mountinfo", "re");
  if (f == NULL)
    return hr_error_set (err, HR_ERR_REFUSED, errno,
                         "refused by rule \"sensitive_mounts\": cannot read /proc/self/mountinfo to identify bind "
                         "sources");
  while (getline (&line, &cap, f) > 0)
    {
      char root[PATH_MAX + 1], point[PATH_MAX + 1], fstype[256];
      struct mount_entry e = { 0 };
      const char *sep;
      int parent;

      lineno++;
      /* ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER */
      if (sscanf (line, "%d %d %u:%u %4096s %4096s", &e.id, &parent, &e.major, &e.minor, root, point) != 6
          || (sep = strstr (line, " - ")) == NULL || sscanf (sep + 3, "%255s", fstype) != 1)
        return hr_error_set (err, HR_ERR_REFUSED, 0,
                             "refused by rule \"sensitive_mounts\": /proc/self/mountinfo:%u: cannot be parsed", lineno);
      if (mi->len == alloc)
        {
          alloc = alloc ? alloc * 2 : 64;
          mi->items = xreallocarray (mi->items, alloc, sizeof *mi->items);
        }
      e.root = unescape (root);
      e.point = unescape (point);
      e.fstype = xstrdup (fstype);
      mi->items[mi->len++] = e;
    }
  mi->loaded = true;
  return 0;
}

static const struct mount_entry *
mountinfo_find (const struct mountinfo *mi, int id)
{
  for (size_t i = 0; i < mi->len; i++)
    if (mi->items[i].id == id)
      return &mi->items[i];
  return NULL;
}

/* The mount id of an open file, from /proc/self/fdinfo. */
static int
fd_mount_id (int fd)
{
  char name[64], buf[4096];
  cleanup_close int info = -1;
  ssize_t n;
  const char *p;

  snprintf (name, sizeof name, "/proc/self/fdinfo/%d", fd);
  info = open (name, O_RDONLY | O_CLOEXEC);
  if (info < 0)
    return -1;
  n = read (info, buf, sizeof buf - 1);
  if (n <= 0)
    return -1;
  buf[n] = '\0';
  p = strstr (buf, "mnt_id:");
  return p ? atoi (p + 7) : -1;
}

/* PATH below mount point POINT, re-rooted at ROOT. */
static char *
rebase (const char *path, const char *point, const char *root)
{
  const char *rest = strcmp (point, "/") == 0 ? path : path + strlen (point);
  cleanup_free char *joined = xasprintf ("%s/%s", root, rest);
  return path_clean (joined);
}

/* ------------------------------------------------------------------ */
/* what a bind source is */

struct source_id
{
  char *canon;    /* absolute, symbolic links resolved: what runc mounts */
  char *host;     /* the same file by its path in the host's filesystems */
  bool exists;    /* else canon and host name the deepest existing parent plus the rest */
  struct stat st; /* of the source, or of that parent */
  char *fstype;   /* of the mount the source is on */
  int fd;         /* O_PATH, of the source or that parent */
};

static void
source_id_release (struct source_id *s)
{
  free (s->canon);
  free (s->host);
  free (s->fstype);
  if (s->fd >= 0)
    close (s->fd);
}

static int
open_nofollow (const char *path)
{
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
  long fd = syscall (SYS_openat2, AT_FDCWD, path, &how, sizeof how);
  if (fd < 0 && errno == ENOSYS)
    return open (path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
  return (int) fd;
}

static int
source_identify (struct harden_ctx *ctx, struct mountinfo *mi, const char *given, struct source_id *out, hr_err *err)
{
  cleanup_free char *abs = NULL, *existing = NULL, *rest = NULL, *fs_path = NULL, *host_existing = NULL;
  const struct mount_entry *m, *best = NULL;
  char buf[PATH_MAX];

  out->fd = -1;
  if (given[0] == '/')
    abs = path_clean (given);
  else
    {
      /* runc: relative to the bundle directory it changes into */
      char dir[64];
      cleanup_free char *joined = NULL;
      if (ctx->has_bundle)
        snprintf (dir, sizeof dir, "/proc/self/fd/%d", ctx->bundle_fd);
      else
        strcpy (dir, ".");
      if (realpath (dir, buf) == NULL)
        return hr_error_set (err, HR_ERR_REFUSED, errno,
                             "refused by rule \"sensitive_mounts\": the bind source %s is relative and the bundle "
                             "directory %s cannot be resolved",
                             given, dir);
      joined = xasprintf ("%s/%s", buf, given);
      abs = path_clean (joined);
    }

  /* the deepest part that exists, symbolic links resolved as mount(2) will */
  existing = xstrdup (abs);
  rest = xstrdup ("");
  while (realpath (existing, buf) == NULL)
    {
      char *slash = strrchr (existing, '/');
      char *r;
      if (errno != ENOENT && errno != ENOTDIR)
        return hr_error_set (err, HR_ERR_REFUSED, errno,
                             "refused by rule \"sensitive_mounts\": cannot resolve the bind source %s", given);
      if (slash == NULL || slash == existing)
        {
          strcpy (buf, "/");
          r = xasprintf ("%s%s", existing + (slash ? 1 : 0), rest);
          free (rest);
          rest = r;
          break;
        }
      r = xasprintf ("/%s%s", slash + 1, rest);
      free (rest);
      rest = r;
      *slash = '\0';
    }
  out->exists = rest[0] == '\0';
  free (existing);
  existing = xstrdup (buf);

  out->fd = open_nofollow (existing);
  if (out->fd < 0 || fstat (out->fd, &out->st) < 0)
    return hr_error_set (err, HR_ERR_REFUSED, errno,
                         "refused by rule \"sensitive_mounts\": the bind source %s (%s) cannot be opened without "
                         "following a symbolic link; it changed while it was checked",
                         given, existing);

  if (mountinfo_load (mi, err) < 0)
    return -1;
  m = mountinfo_find (mi, fd_mount_id (out->fd));
  if (m == NULL)
    return hr_error_set (err, HR_ERR_REFUSED, 0,
                         "refused by rule \"sensitive_mounts\": the mount the bind source %s is on is not in "
                         "/proc/self/mountinfo",
                         given);
  out->fstype = xstrdup (m->fstype);
  /* the path within its filesystem, then that filesystem's most general
   * mount: a bind-mounted directory is known by where it really is */
  fs_path = rebase (existing, m->point, m->root);
  for (size_t i = 0; i < mi->len; i++)
    {
      const struct mount_entry *c = &mi->items[i];
      if (c->major != m->major || c->minor != m->minor || !path_covers (c->root, fs_path))
        continue;
      if (best == NULL || strlen (c->root) < strlen (best->root)
          || (strlen (c->root) == strlen (best->root) && strlen (c->point) < strlen (best->point)))
        best = c;
    }
  if (best == NULL)
    best = m;
  {
    const char *below = fs_path + (strcmp (best->root, "/") == 0 ? 0 : strlen (best->root));
    cleanup_free char *joined = xasprintf ("%s/%s", best->point, below);
    host_existing = path_clean (joined);
  }
  {
    cleanup_free char *c = xasprintf ("%s%s", existing, rest);
    cleanup_free char *h = xasprintf ("%s%s", host_existing, rest);
    out->canon = path_clean (c);
    out->host = path_clean (h);
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* the rule */

/* Docker's --init: the file, read-only, at Docker's destination. */
static int
docker_init_check (struct harden_ctx *ctx, enum rule_action action, struct json_value *m, struct json_value *opts,
                   const char *dest, const struct source_id *id, bool *done, hr_err *err)
{
  cleanup_free char *control = NULL;
  cleanup_json struct json_value *before = NULL;

  *done = false;
  if (!id->exists || !S_ISREG (id->st.st_mode) || strcmp (dest, DOCKER_INIT_DESTINATION) != 0)
    return 0;
  /* the file itself (often a symbolic link to tini), not its name */
  for (size_t i = 0; docker_init_paths[i] && !*done; i++)
    {
      struct stat st;
      *done = stat (docker_init_paths[i], &st) == 0 && st.st_dev == id->st.st_dev && st.st_ino == id->st.st_ino;
    }
  if (!*done)
    return 0;
  *done = true;
  if (mounts_options_readonly (opts))
    return 0;
  if (action != RULE_MUTATE)
    {
      cleanup_free char *detail = xasprintf (
          "Docker's init %s is bind-mounted writable at %s; it is allowed read-only only", id->host, dest);
      return decision_match (ctx, RULE_SENSITIVE_MOUNTS, action, detail, err);
    }
  findings_add (ctx->findings, RULE_SENSITIVE_MOUNTS, RULE_MUTATE,
                "Docker's init %s is mounted read-only instead of read-write", id->host);
  control = xasprintf ("mounts[%s].options", dest);
  before = json_clone (opts);
  if (opts == NULL)
    {
      json_object_set (m, "options", json_new (JSON_ARRAY));
      opts = json_object_get (m, "options");
    }
  json_array_append (opts, json_new_string ("ro"));
  changes_add (ctx->changes, control, before, opts);
  return 0;
}

static bool
socket_allowed (const struct policy_list *allowed, const char *canon, const char *host)
{
  for (size_t i = 0; i < allowed->len; i++)
    {
      cleanup_free char *a = path_clean (allowed->items[i]);
      if (pattern_match (a, canon, MATCH_EXACT) || pattern_match (a, host, MATCH_EXACT))
        return true;
    }
  return false;
}

/* A unix socket as the source, or directly in a directory source: the
 * other end is some daemon's API (Docker, containerd, podman, k3s...). */
static int
socket_check (struct harden_ctx *ctx, enum rule_action action, const struct policy_list *allowed, const struct source_id *id,
              const char *dest, bool *done, hr_err *err)
{
  cleanup_dir DIR *d = NULL;
  struct dirent *de;
  size_t seen = 0;
  cleanup_close int fd = -1;
  int ret = 0;

  if (!id->exists)
    return 0;
  if (S_ISSOCK (id->st.st_mode))
    {
      cleanup_free char *detail = NULL;
      /* an allowed socket passes wherever it is (/run/... too) */
      if (socket_allowed (allowed, id->canon, id->host))
        {
          *done = true;
          return 0;
        }
      detail = xasprintf ("the host path %s is a unix socket bind-mounted at %s; a daemon's socket hands its API to "
                          "the container (list it in allowed_sockets if it is safe)",
                          id->host, dest);
      return decision_match (ctx, RULE_SENSITIVE_MOUNTS, action == RULE_MUTATE ? RULE_DENY : action, detail, err);
    }
  if (!S_ISDIR (id->st.st_mode))
    return 0;
  fd = openat (id->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || (d = fdopendir (fd)) == NULL)
    return 0; /* not a directory we can list: judged by its path */
  fd = -1; /* the stream owns it now */
  while ((de = readdir (d)) != NULL && seen++ < SOCKET_SCAN_MAX && ret == 0)
    {
      cleanup_free char *c = NULL, *h = NULL, *detail = NULL;
      if (de->d_type == DT_UNKNOWN)
        {
          struct stat st;
          if (fstatat (dirfd (d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISSOCK (st.st_mode))
            continue;
        }
      else if (de->d_type != DT_SOCK)
        continue;
      c = xasprintf ("%s/%s", strcmp (id->canon, "/") == 0 ? "" : id->canon, de->d_name);
      h = xasprintf ("%s/%s", strcmp (id->host, "/") == 0 ? "" : id->host, de->d_name);
      if (socket_allowed (allowed, c, h))
        continue;
      detail = xasprintf ("the host path %s, bind-mounted at %s, holds the unix socket %s; a daemon's socket hands "
                          "its API to the container (list it in allowed_sockets if it is safe)",
                          id->host, dest, h);
      ret = decision_match (ctx, RULE_SENSITIVE_MOUNTS, action == RULE_MUTATE ? RULE_DENY : action, detail, err);
    }
  return ret;
}

/* A bind of a mount of proc, sysfs, debugfs, ... is that filesystem. */
static int
filesystem_check (struct harden_ctx *ctx, const struct source_id *id, const char *dest, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_MOUNT_TYPES);
  cleanup_free char *detail = NULL;

  if (action == RULE_ALLOW || !in_strings (kernel_filesystems, id->fstype)
      || mounts_filesystem_allowed (ctx->profile, id->fstype))
    return 0;
  detail = xasprintf ("the host path %s, bind-mounted at %s, is on a %s filesystem; a bind of it is that "
                      "filesystem, which containers may not mount (allowed_filesystems)",
                      id->host, dest, id->fstype);
  return decision_match (ctx, RULE_MOUNT_TYPES, action == RULE_MUTATE ? RULE_DENY : action, detail, err);
}

static bool
in_list (const struct paths *p, const char *src, enum match_mode mode)
{
  for (size_t i = 0; i < p->len; i++)
    if (paths_match (p, i, src, mode))
      return true;
  return false;
}

struct bind_lists
{
  struct paths tree, roots, ro_ok, exceptions, only;
  bool has_only;
  struct policy_list sockets;
};

/* The sensitive_mounts or sensitive_mount_roots entry host path ID is,
 * contains or is inside (*HOW says which), or NULL. */
static const char *
sensitive_hit (const struct bind_lists *L, const struct source_id *id, const char **how)
{
  const char *forms[2] = { id->host, id->canon };

  /* the path itself, by identity */
  for (size_t k = 0; k < L->tree.len + L->roots.len && id->exists; k++)
    {
      const struct paths *ps = k < L->tree.len ? &L->tree : &L->roots;
      size_t j = k < L->tree.len ? k : k - L->tree.len;
      if (ps->has_id[j] && ps->dev[j] == id->st.st_dev && ps->ino[j] == id->st.st_ino)
        return *how = "is", ps->orig[j];
    }
  /* by path: where it really is, and where runc finds it */
  for (size_t f = 0; f < 2; f++)
    {
      for (size_t k = 0; k < L->tree.len; k++)
        if (paths_match (&L->tree, k, forms[f], MATCH_ABOVE))
          return *how = "is or contains", L->tree.orig[k];
        else if (paths_match (&L->tree, k, forms[f], MATCH_BELOW))
          return *how = "is inside", L->tree.orig[k];
      for (size_t k = 0; k < L->roots.len; k++)
        if (paths_match (&L->roots, k, forms[f], MATCH_ABOVE))
          return *how = "is or contains", L->roots.orig[k];
    }
  return NULL;
}

/* The sensitive_mounts rule for one bind whose source is ID. */
static int
bind_judge (struct harden_ctx *ctx, enum rule_action action, struct bind_lists *L, struct json_value *m,
            const struct json_value *source, struct json_value *opts, const char *dest, const struct source_id *idp,
            hr_err *err)
{
  const struct source_id id = *idp;
  const char *hit = NULL, *how = NULL;
  bool done = false;
  int ret = -1;

  if (action == RULE_ALLOW)
    return 0;
  if (socket_check (ctx, action, &L->sockets, &id, dest, &done, err) < 0
      || (!done && docker_init_check (ctx, action, m, opts, dest, &id, &done, err) < 0))
    goto out;
  if (done || in_list (&L->exceptions, id.host, MATCH_EXACT))
    {
      ret = 0;
      goto out;
    }
  if (L->has_only && !in_list (&L->only, id.host, MATCH_BELOW))
    {
      cleanup_free char *detail = xasprintf ("the host path %s is bind-mounted at %s; the profile accepts only the "
                                             "bind sources in allowed_bind_sources",
                                             id.host, dest);
      if (decision_match (ctx, RULE_SENSITIVE_MOUNTS, action == RULE_MUTATE ? RULE_DENY : action, detail, err) < 0)
        goto out;
      ret = 0;
      goto out;
    }

  hit = sensitive_hit (L, &id, &how);
  if (!hit)
    {
      ret = 0;
      goto out;
    }
  if (in_list (&L->ro_ok, id.host, MATCH_BELOW) || in_list (&L->ro_ok, id.canon, MATCH_BELOW))
    {
      if (mounts_options_readonly (opts))
        {
          ret = 0;
          goto out;
        }
      if (action == RULE_MUTATE)
        {
          cleanup_free char *control = xasprintf ("mounts[%s].options", id.host);
          mounts_add_option (ctx, m, control, "ro");
          findings_add (ctx->findings, RULE_SENSITIVE_MOUNTS, RULE_MUTATE,
                        "the host path %s is mounted read-only instead of read-write", id.host);
          ret = 0;
          goto out;
        }
    }
  {
    cleanup_free char *given = strcmp (source->u.str.s, id.host) != 0
                                   ? xasprintf (" (given as %s)", source->u.str.s)
                                   : xstrdup ("");
    cleanup_free char *detail = xasprintf (
        "the host path %s%s is bind-mounted at %s; it %s %s, which containers may not mount", id.host, given, dest,
        how, hit);
    if (decision_match (ctx, RULE_SENSITIVE_MOUNTS, action == RULE_MUTATE ? RULE_DENY : action, detail, err) < 0)
      goto out;
  }
  ret = 0;
out:
  return ret;
}

/* mount_setattr(2), which runc's "rro" needs (Linux 5.12). */
static bool
recursive_readonly_available (void)
{
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
  return syscall (SYS_mount_setattr, -1, "", 0, NULL, (size_t) 0) < 0 && errno != ENOSYS;
}

/* runc's "ro" on a recursive bind leaves the mounts below it writable;
 * "rro" makes them all read-only (rule readonly_binds). */
static int
readonly_check (struct harden_ctx *ctx, struct json_value *opts, const char *dest, const struct source_id *id,
                hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_READONLY_BINDS);
  cleanup_free char *detail = NULL, *control = NULL;
  cleanup_json struct json_value *before = NULL;

  if (action == RULE_ALLOW || !mounts_options_readonly (opts) || !json_array_has_string (opts, "rbind")
      || json_array_has_string (opts, "rro") || !id->exists || !S_ISDIR (id->st.st_mode))
    return 0;
  if (action == RULE_MUTATE && !recursive_readonly_available ())
    {
      detail = xasprintf ("the read-only bind of %s at %s would leave the mounts below it writable, and this kernel "
                          "cannot make them read-only (rro needs mount_setattr, Linux 5.12); use \"bind\" instead "
                          "of \"rbind\"",
                          id->host, dest);
      return decision_match (ctx, RULE_READONLY_BINDS, RULE_DENY, detail, err);
    }
  detail = xasprintf ("the read-only bind of %s at %s %s the mounts below it writable (\"ro\" without \"rro\")",
                      id->host, dest, action == RULE_MUTATE ? "would have left" : "leaves");
  if (decision_match (ctx, RULE_READONLY_BINDS, action, detail, err) < 0)
    return -1;
  if (action != RULE_MUTATE)
    return 0;
  control = xasprintf ("mounts[%s].options", dest);
  before = json_clone (opts);
  json_array_append (opts, json_new_string ("rro"));
  changes_add (ctx->changes, control, before, opts);
  return 0;
}

/* ------------------------------------------------------------------ */
/* pinning: runc mounts exactly what was judged */

/* Staging: BINDS_STAGING_ROOT/ID/N is a bind mount of the judged source
 * (through its O_PATH descriptor), and runc is handed that path.  ID/.lock
 * is held by the runtime the shim execs for as long as it runs: once it is
 * free the container has its own copies of the mounts and the staging is
 * stale.  The root's own lock orders setting up against cleaning. */

static bool
id_usable (const char *id)
{
  /* runc's container names: [A-Za-z0-9_+.-]+, not "." or ".." */
  if (id == NULL || id[0] == '\0' || strcmp (id, ".") == 0 || strcmp (id, "..") == 0 || strlen (id) > 1024)
    return false;
  for (const char *c = id; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr ("_+.-", *c)))
      return false;
  return true;
}

/* The staging root: a root-owned 0700 directory, its own private mount so
 * staging mounts do not propagate to the host's other namespaces. */
static int
staging_root (hr_err *err)
{
  struct stat st;

  if (mkdir (HR_STATE_DIR, 0700) < 0 && errno != EEXIST)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "creating /run/hardened-runc");
  if (mkdir (BINDS_STAGING_ROOT, 0700) < 0 && errno != EEXIST)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "creating %s", BINDS_STAGING_ROOT);
  if (lstat (BINDS_STAGING_ROOT, &st) < 0 || !S_ISDIR (st.st_mode) || st.st_uid != 0 || (st.st_mode & 077) != 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno,
                         "%s is not a directory owned by root with mode 0700; remove it", BINDS_STAGING_ROOT);
  {
    /* a mount point of its own: it is on another mount than its parent */
    cleanup_close int self = open (BINDS_STAGING_ROOT, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    cleanup_close int parent = open (HR_STATE_DIR, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int self_id = self >= 0 ? fd_mount_id (self) : -1, parent_id = parent >= 0 ? fd_mount_id (parent) : -1;
    if (self_id < 0 || parent_id < 0)
      return hr_error_set (err, HR_ERR_INTERNAL, errno, "finding the mount of %s", BINDS_STAGING_ROOT);
    if (self_id == parent_id && mount (BINDS_STAGING_ROOT, BINDS_STAGING_ROOT, NULL, MS_BIND, NULL) < 0)
      return hr_error_set (err, HR_ERR_INTERNAL, errno, "making %s a mount point", BINDS_STAGING_ROOT);
    if (self_id == parent_id && mount (NULL, BINDS_STAGING_ROOT, NULL, MS_PRIVATE, NULL) < 0)
      return hr_error_set (err, HR_ERR_INTERNAL, errno, "making %s private", BINDS_STAGING_ROOT);
  }
  return 0;
}

static int
lock_root (int how)
{
  int fd = open (BINDS_STAGING_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0 && flock (fd, how) < 0)
    {
      close (fd);
      return -1;
    }
  return fd;
}

/* Unmount and remove one container's staging (the caller holds its lock
 * or knows nothing uses it). */
static void
unpin_dir (const char *dir)
{
  cleanup_dir DIR *d = opendir (dir);
  struct dirent *de;

  if (d == NULL)
    return;
  while ((de = readdir (d)) != NULL)
    {
      cleanup_free char *p = NULL;
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      p = xasprintf ("%s/%s", dir, de->d_name);
      umount2 (p, MNT_DETACH | UMOUNT_NOFOLLOW);
      if (unlink (p) < 0)
        rmdir (p);
    }
  rmdir (dir);
}

/* Staging whose runtime is gone (its lock is free). */
static void
clean_stale (void)
{
  cleanup_close int root = lock_root (LOCK_EX);
  cleanup_dir DIR *d = NULL;
  struct dirent *de;

  if (root < 0)
    return;
  d = opendir (BINDS_STAGING_ROOT);
  while (d && (de = readdir (d)) != NULL)
    {
      cleanup_free char *dir = NULL, *lock = NULL;
      cleanup_close int fd = -1;
      if (de->d_name[0] == '.')
        continue;
      dir = xasprintf ("%s/%s", BINDS_STAGING_ROOT, de->d_name);
      lock = xasprintf ("%s/.lock", dir);
      fd = open (lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
      if (fd >= 0 && flock (fd, LOCK_EX | LOCK_NB) < 0)
        continue; /* its runtime still runs */
      unpin_dir (dir);
    }
}

int
binds_unpin (const char *container_id)
{
  cleanup_free char *dir = NULL;
  int root;

  if (!id_usable (container_id) || access (BINDS_STAGING_ROOT, F_OK) < 0)
    return 0;
  root = lock_root (LOCK_EX);
  dir = xasprintf ("%s/%s", BINDS_STAGING_ROOT, container_id);
  unpin_dir (dir);
  if (root >= 0)
    close (root);
  clean_stale (); /* those of containers that ended without runc delete */
  return 0;
}

struct pinning
{
  bool active, failed;
  int root_lock; /* shared, while mounts are set up */
  char *dir;
  size_t n;
};

static void
pinning_release (struct pinning *p)
{
  if (p->root_lock >= 0)
    close (p->root_lock);
  free (p->dir);
}

/* Set up ID's staging: stale ones cleaned, a fresh directory, its lock
 * held by a descriptor the runtime inherits. */
static int
pinning_begin (struct harden_ctx *ctx, struct pinning *p, hr_err *err)
{
  cleanup_free char *lock = NULL;
  int fd;

  p->root_lock = -1;
  if (!ctx->pin_binds || !id_usable (ctx->container_id) || geteuid () != 0
      || policy_rule_action (ctx->profile, RULE_SENSITIVE_MOUNTS) == RULE_ALLOW)
    return 0;
  if (staging_root (err) < 0)
    return -1;
  clean_stale ();
  p->root_lock = lock_root (LOCK_SH);
  if (p->root_lock < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "locking %s", BINDS_STAGING_ROOT);
  p->dir = xasprintf ("%s/%s", BINDS_STAGING_ROOT, ctx->container_id);
  unpin_dir (p->dir); /* a container of that name before */
  if (mkdir (p->dir, 0700) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "creating %s", p->dir);
  lock = xasprintf ("%s/.lock", p->dir);
  /* no O_CLOEXEC: the runtime holds it while it creates the container */
  fd = open (lock, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  if (fd < 0 || flock (fd, LOCK_SH) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "locking %s", lock);
  p->active = true;
  return 0;
}

/* Mount the judged source (ID->fd) at the next staging point and hand
 * runc that path instead. */
static int
pin (struct harden_ctx *ctx, struct pinning *p, struct json_value *m, const char *dest, const struct source_id *id,
     hr_err *err)
{
  cleanup_free char *target = NULL, *fdpath = NULL, *control = NULL;
  cleanup_json struct json_value *before = NULL;

  if (!p->active || !id->exists)
    return 0;
  target = xasprintf ("%s/%zu", p->dir, p->n++);
  fdpath = xasprintf ("/proc/self/fd/%d", id->fd);
  if (S_ISDIR (id->st.st_mode))
    {
      if (mkdir (target, 0700) < 0)
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "creating %s", target);
    }
  else
    {
      int fd = open (target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "creating %s", target);
      close (fd);
    }
  if (mount (fdpath, target, NULL, MS_BIND | MS_REC, NULL) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "pinning the bind source %s at %s", id->canon, target);
  before = json_clone (json_object_get (m, "source"));
  json_object_set (m, "source", json_new_string (target));
  control = xasprintf ("mounts[%s].source", dest);
  changes_add (ctx->changes, control, before, json_object_get (m, "source"));
  return 0;
}

static int
bind_check (struct harden_ctx *ctx, enum rule_action action, struct bind_lists *L, struct mountinfo *mi,
            struct pinning *pinning, struct json_value *m, const char *path, hr_err *err)
{
  struct json_value *source = NULL, *opts = NULL;
  const struct json_value *dest_v;
  cleanup_free char *dest = NULL;
  struct source_id id = { .fd = -1 };
  int ret = -1;

  if (spec_get (ctx->source, m, path, "source", SPEC_STRING, &source, err) < 0
      || spec_get (ctx->source, m, path, "options", SPEC_ARRAY, &opts, err) < 0)
    return -1;
  if (source == NULL)
    return 0; /* runc refuses a bind without a source */
  if (opts && spec_string_array (ctx->source, opts, path, err) < 0)
    return -1;
  dest_v = json_object_get (m, "destination");
  dest = path_clean (dest_v && dest_v->type == JSON_STRING ? dest_v->u.str.s : "?");

  if (source_identify (ctx, mi, source->u.str.s, &id, err) < 0)
    findings_add (ctx->findings, RULE_SENSITIVE_MOUNTS, RULE_DENY, "%s", (*err)->msg);
  else if (filesystem_check (ctx, &id, dest, err) == 0
           && bind_judge (ctx, action, L, m, source, opts, dest, &id, err) == 0
           && readonly_check (ctx, json_object_get (m, "options"), dest, &id, err) == 0
           && pin (ctx, pinning, m, dest, &id, err) == 0)
    ret = 0;
  source_id_release (&id);
  return ret;
}

/* root.path is a host directory the container gets whole, as a bind of
 * it at /: judged by the sensitive_mounts lists like a bind source, unless
 * it is where an engine keeps an image's root (image_roots). */
static int
root_check (struct harden_ctx *ctx, enum rule_action action, const struct bind_lists *L, struct mountinfo *mi,
            struct json_value *root, hr_err *err)
{
  struct json_value *r = NULL, *path = NULL;
  struct source_id id = { .fd = -1 };
  struct policy_list engines_l = policy_list_pick (false, NULL, image_roots);
  struct paths engines = { 0 };
  const char *hit = NULL, *how = NULL;
  int ret = -1;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "root", SPEC_OBJECT, &r, err) < 0
      || (r && spec_get (ctx->source, r, "root", "path", SPEC_STRING, &path, err) < 0))
    return -1;
  if (path == NULL)
    return 0; /* the mounts control says a root is missing */
  if (source_identify (ctx, mi, path->u.str.s, &id, err) < 0)
    {
      findings_add (ctx->findings, RULE_SENSITIVE_MOUNTS, RULE_DENY, "%s", (*err)->msg);
      goto out;
    }
  paths_init (&engines, &engines_l);
  if (!in_list (&engines, id.host, MATCH_EXACT) && !in_list (&engines, id.canon, MATCH_EXACT))
    hit = sensitive_hit (L, &id, &how);
  if (hit)
    {
      cleanup_free char *given = strcmp (path->u.str.s, id.host) != 0
                                     ? xasprintf (" (given as %s)", path->u.str.s)
                                     : xstrdup ("");
      cleanup_free char *detail = xasprintf (
          "root.path is the host path %s%s; it %s %s, which containers may not have as their root file system; "
          "use the image's own root",
          id.host, given, how, hit);
      if (decision_match (ctx, RULE_SENSITIVE_MOUNTS, action == RULE_MUTATE ? RULE_DENY : action, detail, err) < 0)
        goto out;
    }
  ret = 0;
out:
  paths_release (&engines);
  source_id_release (&id);
  return ret;
}

int
binds_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  enum rule_action action = policy_rule_action (p, RULE_SENSITIVE_MOUNTS);
  struct policy_list tree_l = policy_list_pick (p->has_sensitive_mounts, &p->sensitive_mounts, default_sensitive_mounts);
  struct policy_list roots_l = policy_list_pick (p->has_sensitive_mount_roots, &p->sensitive_mount_roots, default_sensitive_mount_roots);
  struct policy_list ro_ok_l = policy_list_pick (p->has_readonly_mounts, &p->readonly_mounts, default_readonly_mounts);
  struct policy_list exceptions_l
      = policy_list_pick (p->has_allowed_mount_sources, &p->allowed_mount_sources, default_allowed_mount_sources);
  struct policy_list only_l = policy_list_pick (p->has_allowed_bind_sources, &p->allowed_bind_sources, default_readonly_mounts);
  struct bind_lists L = { .has_only = p->has_allowed_bind_sources };
  struct mountinfo mi = { 0 };
  struct pinning pinning = { .root_lock = -1 };
  struct json_value *mounts = NULL;
  bool any_bind = false;
  int ret = -1;

  if (action == RULE_ALLOW && policy_rule_action (p, RULE_READONLY_BINDS) == RULE_ALLOW
      && policy_rule_action (p, RULE_MOUNT_TYPES) == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "mounts", SPEC_ARRAY, &mounts, err) < 0)
    return -1;
  for (size_t i = 0; mounts && i < mounts->u.arr.len && !any_bind; i++)
    any_bind = mounts->u.arr.items[i]->type != JSON_OBJECT || mounts_is_bind (mounts->u.arr.items[i]);
  if (!any_bind && action == RULE_ALLOW)
    return 0;
  L.sockets = policy_list_pick (p->has_allowed_sockets, &p->allowed_sockets, default_allowed_sockets);
  paths_init (&L.tree, &tree_l);
  paths_init (&L.roots, &roots_l);
  paths_init (&L.ro_ok, &ro_ok_l);
  paths_init (&L.exceptions, &exceptions_l);
  paths_init (&L.only, &only_l);
  /* pinning first clears stale staging mounts, which mountinfo must not
   * show when the root and the sources are identified */
  if (any_bind && pinning_begin (ctx, &pinning, err) < 0)
    goto out;
  for (size_t i = 0; any_bind && mounts && i < mounts->u.arr.len; i++)
    {
      struct json_value *m = mounts->u.arr.items[i];
      cleanup_free char *path = xasprintf ("mounts[%zu]", i);

      if (m->type != JSON_OBJECT)
        {
          hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: expected an object", ctx->source, m->line, m->col, path);
          goto out;
        }
      if (!mounts_is_bind (m))
        continue;
      if (bind_check (ctx, action, &L, &mi, &pinning, m, path, err) < 0)
        goto out;
    }
  if (root_check (ctx, action, &L, &mi, root, err) < 0)
    goto out;
  ret = 0;
out:
  paths_release (&L.tree);
  paths_release (&L.roots);
  paths_release (&L.ro_ok);
  paths_release (&L.exceptions);
  paths_release (&L.only);
  mountinfo_release (&mi);
  if (ret < 0 && pinning.active)
    unpin_dir (pinning.dir);
  pinning_release (&pinning);
  return ret;
}
