/* SPDX-License-Identifier: Apache-2.0 */
/* Where the container's cgroup goes (linux.cgroupsPath) and Intel RDT.
 * A container placed inside another container's cgroup shares, and eats,
 * that container's limits; placed outside the engine's parent it escapes
 * the limits the operator put on the engine's containers.  See
 * hardened-runc-policy(5), rules "cgroups_path" and "intel_rdt". */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

/* Used when a profile does not set allowed_cgroup_parents: the parents
 * dockerd, containerd (ctr, CRI), the kubelet and podman use. */
static const char *const default_cgroup_parents[] = {
  "/docker", "/kubepods", "/default", "/k8s.io", "/moby", "/libpod_parent",
  "system.slice:docker:", "system.slice:containerd:", "kubepods*.slice:cri-containerd:", "kubepods*.slice:crio:",
  "machine.slice:libpod:", NULL,
};

struct parents
{
  const char *const *items;
  size_t len;
};

static struct parents
parents_of (const struct policy_profile *p)
{
  struct parents l;
  if (p->has_allowed_cgroup_parents)
    {
      l.items = (const char *const *) p->allowed_cgroup_parents.items;
      l.len = p->allowed_cgroup_parents.len;
      return l;
    }
  l.items = default_cgroup_parents;
  for (l.len = 0; default_cgroup_parents[l.len]; l.len++)
    ;
  return l;
}

static bool
file_nonempty (const char *path)
{
  char c;
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  ssize_t n;
  if (fd < 0)
    return false;
  n = read (fd, &c, 1);
  close (fd);
  return n > 0;
}

/* Does the cgroup REL (below the hierarchy roots) hold processes, in any
 * hierarchy?  A cgroup with processes of its own is a container's (the
 * parents engines and the kubelet create hold only child cgroups). */
static bool
cgroup_has_processes (const char *root, const char *rel)
{
  cleanup_free char *unified = NULL;
  cleanup_dir DIR *d = NULL;
  struct dirent *e;
  bool found = false;

  if (root == NULL)
    root = "/sys/fs/cgroup";
  unified = xasprintf ("%s/cgroup.controllers", root);
  if (access (unified, F_OK) == 0)
    {
      cleanup_free char *procs = xasprintf ("%s%s/cgroup.procs", root, rel);
      return file_nonempty (procs);
    }
  if ((d = opendir (root)) == NULL)
    return false;
  while (!found && (e = readdir (d)) != NULL)
    {
      cleanup_free char *procs = NULL;
      if (e->d_name[0] == '.')
        continue;
      procs = xasprintf ("%s/%s%s/cgroup.procs", root, e->d_name, rel);
      found = file_nonempty (procs);
    }
  return found;
}

static bool
is_container_id (const char *name)
{
  size_t n = 0;
  for (; name[n]; n++)
    if (!isxdigit ((unsigned char) name[n]) || isupper ((unsigned char) name[n]))
      return false;
  return n == 64;
}

static char *
parents_text (const struct parents *l)
{
  struct strbuf b = { 0 };
  for (size_t i = 0; i < l->len; i++)
    {
      strbuf_appends (&b, i ? ", " : "");
      strbuf_appends (&b, l->items[i]);
    }
  return b.buf ? b.buf : xstrdup ("none");
}

/* systemd form "slice:prefix:name": the parent is "slice:prefix:". */
static int
systemd_path_check (struct harden_ctx *ctx, enum rule_action action, const char *path, const struct parents *l,
                    hr_err *err)
{
  const char *last = strrchr (path, ':');
  cleanup_free char *parent = xstrndup (path, (size_t) (last - path) + 1);
  cleanup_free char *list = NULL, *detail = NULL;

  for (size_t i = 0; i < l->len; i++)
    if (l->items[i][0] != '/' && fnmatch (l->items[i], parent, 0) == 0)
      return 0;
  list = parents_text (l);
  detail = xasprintf ("linux.cgroupsPath %s puts the container under %s, outside the cgroup parents the policy allows "
                      "(%s); remove --cgroup-parent",
                      path, parent, list);
  return decision_match (ctx, RULE_CGROUPS_PATH, action, detail, err);
}

static int
cgroupfs_path_check (struct harden_ctx *ctx, enum rule_action action, const char *path, const struct parents *l,
                     hr_err *err)
{
  cleanup_free char *clean = path_clean (path);
  cleanup_free char *parent = NULL;
  const char *allowed = NULL;
  char *slash;

  if (path[0] == '/')
    {
      parent = xstrdup (clean);
      slash = strrchr (parent, '/');
      if (slash == parent)
        slash[1] = '\0';
      else
        *slash = '\0';
      for (size_t i = 0; i < l->len && !allowed && strcmp (clean, "/") != 0; i++)
        if (l->items[i][0] == '/' && (strcmp (parent, l->items[i]) == 0 || path_covers (l->items[i], parent)))
          allowed = l->items[i];
    }
  if (allowed == NULL)
    {
      cleanup_free char *list = parents_text (l);
      cleanup_free char *where = path[0] != '/'                  ? xstrdup ("relative to the runtime's own cgroup")
                                 : strcmp (parent, "/") == 0 ? xstrdup ("in the root cgroup")
                                                             : xasprintf ("under %s", parent);
      cleanup_free char *detail = xasprintf ("linux.cgroupsPath %s puts the container %s, outside the cgroup parents "
                                             "the policy allows (%s); remove --cgroup-parent",
                                             path, where, list);
      return decision_match (ctx, RULE_CGROUPS_PATH, action, detail, err);
    }
  /* every cgroup from below the allowed parent down to the container's own */
  for (size_t n = strlen (allowed) + 1; n <= strlen (clean); n++)
    {
      cleanup_free char *prefix = NULL;
      if (clean[n] != '/' && clean[n] != '\0')
        continue;
      prefix = xstrndup (clean, n);
      /* a parent named like a container (64 hex digits, as Docker's and
       * containerd's ids are) is one, running or not: when it starts
       * again its limits hold this container too */
      if (n < strlen (clean) && is_container_id (strrchr (prefix, '/') + 1))
        {
          cleanup_free char *detail = xasprintf (
              "linux.cgroupsPath %s puts the container inside %s, the cgroup of another container, whose limits it "
              "would use up (--cgroup-parent); remove --cgroup-parent",
              path, prefix);
          return decision_match (ctx, RULE_CGROUPS_PATH, action, detail, err);
        }
      if (cgroup_has_processes (ctx->cgroup_root, prefix))
        {
          cleanup_free char *detail = NULL;
          if (strcmp (prefix, clean) == 0)
            detail = xasprintf ("linux.cgroupsPath %s is the cgroup of running processes (another container's); "
                                "the container would share its limits",
                                path);
          else
            detail = xasprintf ("linux.cgroupsPath %s puts the container inside %s, the cgroup of running processes "
                                "(another container's), whose limits it would use up (--cgroup-parent); remove "
                                "--cgroup-parent",
                                path, prefix);
          return decision_match (ctx, RULE_CGROUPS_PATH, action, detail, err);
        }
    }
  return 0;
}

int
cgroups_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action path_action = policy_rule_action (ctx->profile, RULE_CGROUPS_PATH);
  enum rule_action rdt_action = policy_rule_action (ctx->profile, RULE_INTEL_RDT);
  struct json_value *linux_ = NULL, *path = NULL, *rdt = NULL;
  struct parents l = parents_of (ctx->profile);

  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0)
    return -1;
  if (linux_ == NULL)
    return 0;
  if (spec_get (ctx->source, linux_, "linux", "cgroupsPath", SPEC_STRING, &path, err) < 0
      || spec_get (ctx->source, linux_, "linux", "intelRdt", SPEC_OBJECT, &rdt, err) < 0)
    return -1;
  if (rdt && rdt_action != RULE_ALLOW
      && decision_match (ctx, RULE_INTEL_RDT, rdt_action, "the container sets linux.intelRdt (Intel RDT cache and memory bandwidth allocation), which "
                 "changes resources shared with the host", err)
             < 0)
    return -1;
  /* absent or empty: runc picks a cgroup of its own for the container */
  if (path == NULL || path->u.str.len == 0 || path_action == RULE_ALLOW)
    return 0;
  if (strlen (path->u.str.s) != path->u.str.len)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: linux.cgroupsPath: contains a NUL character", ctx->source,
                         path->line, path->col);
  if (path->u.str.s[0] != '/' && strchr (path->u.str.s, ':') != NULL)
    return systemd_path_check (ctx, path_action, path->u.str.s, &l, err);
  return cgroupfs_path_check (ctx, path_action, path->u.str.s, &l, err);
}
