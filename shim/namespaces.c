/* SPDX-License-Identifier: Apache-2.0 */
/* Rule host_namespaces: the host's pid, ipc, uts, network, mount and
 * cgroup namespaces, by absence or by path. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

static const struct checked_namespace
{
  const char *oci;
  const char *proc;
  const char *flag;
  bool absent_is_host; /* false: absent means the runtime's own, which is fine */
  bool path_refused;   /* joining any existing one is refused, not only the host's */
} checked_namespaces[] = {
  { "pid", "pid", "--pid host", true, false },
  { "ipc", "ipc", "--ipc host", true, false },
  { "uts", "uts", "--uts host", true, false },
  { "network", "net", "--network host", true, false },
  /* runc pivots a joined mount namespace's root into the container's: every
   * process already in it (a host daemon with a private /tmp, say) gets the
   * container's files as its root and runs the container's programs on the
   * host.  No engine joins one; a new mount namespace is the only safe one. */
  { "mount", "mnt", "a mount namespace", true, true },
  /* a path may still name the host's: judged by the namespace itself */
  { "cgroup", "cgroup", "--cgroupns host", false, false },
  { "user", "user", "--userns host", false, false },
  { "time", "time", "a time namespace", false, false },
};

/* No cgroup namespace: the container sees the host's cgroup tree and its
 * own place in it.  Given one where the kernel has them. */
static int
cgroup_namespace_add (struct harden_ctx *ctx, struct json_value *nss, enum rule_action action, hr_err *err)
{
  static const char detail[] = "the container has no cgroup namespace and sees the host's cgroup tree (--cgroupns "
                               "host)";
  struct json_value *entry;

  if (access ("/proc/self/ns/cgroup", F_OK) < 0)
    return 0;
  if (action != RULE_DENY)
    return decision_match (ctx, RULE_HOST_NAMESPACES, action, detail, err);
  entry = json_new (JSON_OBJECT);
  json_object_set (entry, "type", json_new_string ("cgroup"));
  changes_add (ctx->changes, "linux.namespaces[cgroup]", NULL, entry);
  findings_add (ctx->findings, RULE_HOST_NAMESPACES, RULE_MUTATE, "%s; given its own", detail);
  json_array_append (nss, entry);
  return 0;
}

/* The last entry of type OCI in NSS (linux.namespaces), or NULL. */
static const struct json_value *
namespace_entry (const struct json_value *nss, const char *oci)
{
  const struct json_value *entry = NULL;

  for (size_t i = 0; nss && i < nss->u.arr.len; i++)
    {
      const struct json_value *ns = nss->u.arr.items[i];
      if (ns->type == JSON_OBJECT && json_is_string (json_object_get (ns, "type"), oci))
        entry = ns;
    }
  return entry;
}

/* Is PATH the host's namespace of kind NS: 1 yes, 0 no, -1 (refused)
 * when it cannot be told.  The host is where the runtime runs (our own
 * namespaces), and init's where we may look at them. */
static int
path_is_host (const struct checked_namespace *ns, const char *path, hr_err *err)
{
  static const char *const hosts[] = { "/proc/self/ns/", "/proc/1/ns/" };
  struct stat ps;

  if (stat (path, &ps) < 0)
    return hr_error_set (err, HR_ERR_REFUSED, errno,
                         "refused by rule \"host_namespaces\": cannot check the %s namespace path %s", ns->oci, path);
  for (size_t i = 0; i < ARRAY_SIZE (hosts); i++)
    {
      cleanup_free char *host = xasprintf ("%s%s", hosts[i], ns->proc);
      struct stat hs;
      if (stat (host, &hs) == 0 && hs.st_dev == ps.st_dev && hs.st_ino == ps.st_ino)
        return 1;
    }
  return 0;
}

int
namespaces_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_HOST_NAMESPACES);
  struct json_value *linux_ = NULL, *nss = NULL;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0)
    return -1;
  if (linux_ && spec_get (ctx->source, linux_, "linux", "namespaces", SPEC_ARRAY, &nss, err) < 0)
    return -1;

  for (size_t k = 0; k < ARRAY_SIZE (checked_namespaces); k++)
    {
      const struct json_value *entry = namespace_entry (nss, checked_namespaces[k].oci);
      const struct json_value *path = entry ? json_object_get (entry, "path") : NULL;

      if (entry == NULL && !checked_namespaces[k].absent_is_host)
        {
          if (strcmp (checked_namespaces[k].oci, "cgroup") == 0 && nss
              && cgroup_namespace_add (ctx, nss, action, err) < 0)
            return -1;
          continue;
        }
      if (entry == NULL)
        {
          cleanup_free char *detail = xasprintf (
              "the container shares the host's %s namespace (%s); remove that option", checked_namespaces[k].oci,
              checked_namespaces[k].flag);
          if (decision_match (ctx, RULE_HOST_NAMESPACES, action, detail, err) < 0)
            return -1;
          continue;
        }
      if (path == NULL || path->type != JSON_STRING || path->u.str.len == 0)
        continue;
      if (checked_namespaces[k].path_refused)
        {
          cleanup_free char *detail = xasprintf (
              "the container joins the existing %s namespace %s, whose processes would get the container's root "
              "as theirs (runc pivots the namespace's root); give it a new one",
              checked_namespaces[k].oci, path->u.str.s);
          if (decision_match (ctx, RULE_HOST_NAMESPACES, action, detail, err) < 0)
            return -1;
          continue;
        }
      switch (path_is_host (&checked_namespaces[k], path->u.str.s, err))
        {
        case -1:
          return -1;
        case 1:
          {
            cleanup_free char *detail = xasprintf ("the container joins the host's %s namespace through %s",
                                                   checked_namespaces[k].oci, path->u.str.s);
            if (decision_match (ctx, RULE_HOST_NAMESPACES, action, detail, err) < 0)
              return -1;
          }
          break;
        default:
          break;
        }
    }
  return 0;
}
