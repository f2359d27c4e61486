/* SPDX-License-Identifier: Apache-2.0 */
/* Deny rules: what cannot be made safe is refused, what can is changed,
 * and everything is recorded.  See hardened-runc-policy(5), RULES. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

/* Built-in lists, used when a profile does not set its own. */
static const char *const default_allowed_devices[] = {
  "c 1:3", "c 1:5", "c 1:7", "c 1:8", "c 1:9", "c 5:0", "c 5:2", "c 136:*", NULL,
};
/* Device cgroup rules engines add by default that reach the host: taken
 * out rather than refused (dockerd allows c 5:1, the host's console, to
 * every container). */
static const char *const default_removed_devices[] = { "c 5:1", NULL };
static const char *const default_allowed_sysctls[] = {
  "kernel.shm_rmid_forced",        "net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_syncookies",       "net.ipv4.ping_group_range",    "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_keepalive_time",   "net.ipv4.tcp_fin_timeout",     "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem",            "net.ipv4.tcp_wmem",
  NULL,
};

/* ------------------------------------------------------------------ */
/* devices */

/* Is every device D names covered by one allowed pattern? */
static bool
device_allowed (const struct policy_list *allowed, const struct policy_devspec *d)
{
  for (size_t i = 0; i < allowed->len; i++)
    {
      struct policy_devspec a;
      if (!policy_device_pattern_parse (allowed->items[i], &a))
        continue;
      if (a.type != 'a' && a.type != d->type)
        continue;
      if (a.major != -1 && a.major != d->major)
        continue;
      if (a.minor != -1 && a.minor != d->minor)
        continue;
      return true;
    }
  return false;
}

static long
number_or_any (const struct json_value *v)
{
  int64_t n;
  if (v == NULL || v->type != JSON_NUMBER || !parse_i64 (v->u.str.s, v->u.str.len, &n) || n < 0 || n > LONG_MAX)
    return -1;
  return (long) n;
}

static bool
access_reads_or_writes (const struct json_value *access)
{
  /* an absent access string means "rwm" */
  if (access == NULL || access->type != JSON_STRING)
    return true;
  return strchr (access->u.str.s, 'r') != NULL || strchr (access->u.str.s, 'w') != NULL;
}

/* A device cgroup rule granting read/write beyond the allowed devices. */
static bool
cgroup_rule_too_wide (const struct policy_list *allowed, const struct json_value *rule, struct policy_devspec *d)
{
  const struct json_value *type = json_object_get (rule, "type");
  const struct json_value *allow = json_object_get (rule, "allow");

  if (allow == NULL || allow->type != JSON_TRUE)
    return false;
  d->type = type && type->type == JSON_STRING && type->u.str.len == 1 ? type->u.str.s[0] : 'a';
  d->major = number_or_any (json_object_get (rule, "major"));
  d->minor = number_or_any (json_object_get (rule, "minor"));
  /* cgroup v1 reads only the first letter of an "a" rule: whatever its
   * numbers and access letters ("a *:* m"), it allows every device */
  if (d->type == 'a')
    return true;
  if (!access_reads_or_writes (json_object_get (rule, "access")))
    return false;
  return !device_allowed (allowed, d);
}

/* An allow rule wholly inside one of the REMOVED patterns. */
static bool
removed_rule (const struct policy_list *removed, const struct json_value *rule, struct policy_devspec *d)
{
  const struct json_value *type = json_object_get (rule, "type");
  const struct json_value *allow = json_object_get (rule, "allow");

  if (allow == NULL || allow->type != JSON_TRUE)
    return false;
  d->type = type && type->type == JSON_STRING && type->u.str.len == 1 ? type->u.str.s[0] : 'a';
  d->major = number_or_any (json_object_get (rule, "major"));
  d->minor = number_or_any (json_object_get (rule, "minor"));
  return d->type != 'a' && device_allowed (removed, d);
}

static bool
is_allow_all (const struct json_value *rule)
{
  struct policy_devspec d;
  const struct json_value *type = json_object_get (rule, "type");
  const struct json_value *allow = json_object_get (rule, "allow");
  if (allow == NULL || allow->type != JSON_TRUE || !access_reads_or_writes (json_object_get (rule, "access")))
    return false;
  d.type = type && type->type == JSON_STRING && type->u.str.len == 1 ? type->u.str.s[0] : 'a';
  d.major = number_or_any (json_object_get (rule, "major"));
  d.minor = number_or_any (json_object_get (rule, "minor"));
  return d.type == 'a' && d.major == -1 && d.minor == -1;
}

static void
devspec_text (const struct policy_devspec *d, char *buf, size_t size)
{
  char maj[24], min[24];
  snprintf (maj, sizeof maj, "%ld", d->major);
  snprintf (min, sizeof min, "%ld", d->minor);
  snprintf (buf, size, "%c %s:%s", d->type, d->major < 0 ? "*" : maj, d->minor < 0 ? "*" : min);
}

/* Removes what is too wide when MUTATE; else reports it. */
static int
devices_check (struct harden_ctx *ctx, struct json_value *root, enum rule_action action, bool mutate, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  struct policy_list allowed = policy_list_pick (p->has_allowed_devices, &p->allowed_devices, default_allowed_devices);
  struct policy_list removed = policy_list_pick (p->has_removed_devices, &p->removed_devices, default_removed_devices);
  struct json_value *linux_ = NULL, *devices = NULL, *resources = NULL, *rules = NULL;

  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0)
    return -1;
  if (linux_ == NULL)
    return 0;
  if (spec_get (ctx->source, linux_, "linux", "devices", SPEC_ARRAY, &devices, err) < 0
      || spec_get (ctx->source, linux_, "linux", "resources", SPEC_OBJECT, &resources, err) < 0)
    return -1;
  if (resources && spec_get (ctx->source, resources, "linux.resources", "devices", SPEC_ARRAY, &rules, err) < 0)
    return -1;

  for (size_t i = devices ? devices->u.arr.len : 0; i-- > 0;)
    {
      struct json_value *dev = devices->u.arr.items[i], *type, *path;
      struct policy_devspec d;
      char text[64];
      if (dev->type != JSON_OBJECT)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: linux.devices[%zu]: expected an object", ctx->source,
                             dev->line, dev->col, i);
      type = json_object_get (dev, "type");
      path = json_object_get (dev, "path");
      d.type = type && type->type == JSON_STRING && type->u.str.len == 1 ? type->u.str.s[0] : '?';
      d.major = number_or_any (json_object_get (dev, "major"));
      d.minor = number_or_any (json_object_get (dev, "minor"));
      if ((d.type == 'c' || d.type == 'b') && d.major >= 0 && d.minor >= 0 && device_allowed (&allowed, &d))
        continue;
      devspec_text (&d, text, sizeof text);
      if (mutate)
        {
          cleanup_free char *control = xasprintf ("linux.devices[%s]", path && path->type == JSON_STRING ? path->u.str.s : "?");
          changes_add (ctx->changes, control, dev, NULL);
          json_array_remove (devices, i);
          continue;
        }
      {
        cleanup_free char *detail = xasprintf (
            "the host device %s (%s) is passed into the container (--device); only the default devices are allowed",
            path && path->type == JSON_STRING ? path->u.str.s : "?", text);
        if (decision_match (ctx, RULE_DEVICES, action, detail, err) < 0)
          return -1;
      }
    }

  for (size_t i = rules ? rules->u.arr.len : 0; i-- > 0;)
    {
      struct json_value *rule = rules->u.arr.items[i];
      struct policy_devspec d;
      char text[64];
      if (rule->type != JSON_OBJECT)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: linux.resources.devices[%zu]: expected an object",
                             ctx->source, rule->line, rule->col, i);
      if (removed_rule (&removed, rule, &d))
        {
          devspec_text (&d, text, sizeof text);
          if (mutate || action == RULE_DENY)
            {
              cleanup_free char *control = xasprintf ("linux.resources.devices[allow %s]", text);
              changes_add (ctx->changes, control, rule, NULL);
              findings_add (ctx->findings, RULE_DEVICES, RULE_MUTATE,
                            "the device cgroup rule allowing %s, a host device engines allow by default "
                            "(removed_devices), is removed",
                            text);
              json_array_remove (rules, i);
            }
          else
            findings_add (ctx->findings, RULE_DEVICES, action,
                          "the device cgroup rule allows %s, a host device engines allow by default "
                          "(removed_devices)",
                          text);
          continue;
        }
      if (!cgroup_rule_too_wide (&allowed, rule, &d))
        continue;
      devspec_text (&d, text, sizeof text);
      if (mutate)
        {
          cleanup_free char *control = xasprintf ("linux.resources.devices[allow %s]", text);
          changes_add (ctx->changes, control, rule, NULL);
          json_array_remove (rules, i);
          continue;
        }
      {
        const struct json_value *acc = json_object_get (rule, "access");
        const char *a = acc && acc->type == JSON_STRING ? acc->u.str.s : "rwm"; /* absent: everything */
        char words[32] = "";
        if (strchr (a, 'r'))
          strcat (words, "read");
        if (strchr (a, 'w'))
          strcat (words, words[0] ? "/write" : "write");
        if (strchr (a, 'm'))
          strcat (words, words[0] ? "/mknod" : "mknod");
        cleanup_free char *detail = xasprintf (
            "a device cgroup rule allows %s access to %s (--device-cgroup-rule or --privileged); only the "
            "default devices are allowed",
            words[0] ? words : "some", d.type == 'a' ? "every device" : text);
        if (decision_match (ctx, RULE_DEVICES, action, detail, err) < 0)
          return -1;
      }
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* privileged */

static bool
has_all_capabilities (const struct json_value *process)
{
  const struct json_value *caps = json_object_get (process, "capabilities");
  const struct json_value *bounding = json_object_get (caps, "bounding");
  /* every capability up to CAP_AUDIT_READ (37), what every Docker knows */
  static const char *const names[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
    "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
    "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
  };
  if (bounding == NULL || bounding->type != JSON_ARRAY)
    return false;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (!json_array_has_string (bounding, names[i]))
      return false;
  return true;
}

static bool
has_allow_all_devices (const struct json_value *root)
{
  const struct json_value *rules
      = json_object_get (json_object_get (json_object_get (root, "linux"), "resources"), "devices");
  for (size_t i = 0; rules && rules->type == JSON_ARRAY && i < rules->u.arr.len; i++)
    if (rules->u.arr.items[i]->type == JSON_OBJECT && is_allow_all (rules->u.arr.items[i]))
      return true;
  return false;
}

/* sysfs and cgroup mounts writable under --privileged: make them ro. */
static void
readonly_kernel_mounts (struct harden_ctx *ctx, struct json_value *root)
{
  struct json_value *mounts = json_object_get (root, "mounts");

  for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->u.arr.len; i++)
    {
      struct json_value *m = mounts->u.arr.items[i], *opts;
      const struct json_value *type = json_object_get (m, "type");
      if (!json_is_string (type, "sysfs") && !json_is_string (type, "cgroup") && !json_is_string (type, "cgroup2"))
        continue;
      opts = json_object_get (m, "options");
      if (opts && opts->type != JSON_ARRAY)
        continue;
      if (json_array_has_string (opts, "ro"))
        continue;
      {
        const struct json_value *dest = json_object_get (m, "destination");
        cleanup_free char *control
            = xasprintf ("mounts[%s].options", dest && dest->type == JSON_STRING ? dest->u.str.s : "?");
        cleanup_json struct json_value *before = json_clone (opts);
        if (opts == NULL)
          {
            json_object_set (m, "options", json_new (JSON_ARRAY));
            opts = json_object_get (m, "options");
          }
        json_array_append (opts, json_new_string ("ro"));
        changes_add (ctx->changes, control, before, opts);
      }
    }
}

static int
privileged_check (struct harden_ctx *ctx, struct json_value *root, struct json_value *process, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_PRIVILEGED);
  static const char detail[] = "the container is privileged (--privileged: every capability and every host "
                               "device); run it without --privileged and add only the capabilities it needs";

  if (action == RULE_ALLOW || !has_all_capabilities (process) || !has_allow_all_devices (root))
    return 0;
  if (decision_match (ctx, RULE_PRIVILEGED, action, detail, err) < 0)
    return -1;
  if (action != RULE_MUTATE)
    return 0;
  /* Strip it back to the profile: devices and kernel mounts here; the
   * controls that follow reduce capabilities and restore masked paths. */
  if (devices_check (ctx, root, RULE_MUTATE, true, err) < 0)
    return -1;
  readonly_kernel_mounts (ctx, root);
  return 0;
}

/* ------------------------------------------------------------------ */
/* host namespaces */

static const struct
{
  const char *oci;
  const char *proc;
  const char *flag;
  bool absent_is_host; /* false: absent means the runtime's own, which is fine */
} checked_namespaces[] = {
  { "pid", "pid", "--pid host", true },
  { "ipc", "ipc", "--ipc host", true },
  { "uts", "uts", "--uts host", true },
  { "network", "net", "--network host", true },
  { "mount", "mnt", "a mount namespace", true },
  /* a path may still name the host's: judged by the namespace itself */
  { "cgroup", "cgroup", "--cgroupns host", false },
  { "user", "user", "--userns host", false },
  { "time", "time", "a time namespace", false },
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

static int
host_namespaces_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_HOST_NAMESPACES);
  struct json_value *linux_ = NULL, *nss = NULL;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0)
    return -1;
  if (linux_ && spec_get (ctx->source, linux_, "linux", "namespaces", SPEC_ARRAY, &nss, err) < 0)
    return -1;

  for (size_t k = 0; k < sizeof checked_namespaces / sizeof checked_namespaces[0]; k++)
    {
      const struct json_value *entry = NULL;
      for (size_t i = 0; nss && i < nss->u.arr.len; i++)
        {
          const struct json_value *ns = nss->u.arr.items[i];
          if (ns->type == JSON_OBJECT && json_is_string (json_object_get (ns, "type"), checked_namespaces[k].oci))
            entry = ns;
        }
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
      {
        const struct json_value *path = json_object_get (entry, "path");
        cleanup_free char *host = NULL;
        struct stat hs, ps;
        if (path == NULL || path->type != JSON_STRING || path->u.str.len == 0)
          continue;
        if (stat (path->u.str.s, &ps) < 0)
          return hr_error_set (err, HR_ERR_REFUSED, errno,
                               "refused by rule \"host_namespaces\": cannot check the %s namespace path %s",
                               checked_namespaces[k].oci, path->u.str.s);
        /* The host is where the runtime runs (our own namespaces), and
         * init's where we may look at them. */
        host = xasprintf ("/proc/self/ns/%s", checked_namespaces[k].proc);
        bool is_host = stat (host, &hs) == 0 && hs.st_dev == ps.st_dev && hs.st_ino == ps.st_ino;
        free (host);
        host = xasprintf ("/proc/1/ns/%s", checked_namespaces[k].proc);
        is_host |= stat (host, &hs) == 0 && hs.st_dev == ps.st_dev && hs.st_ino == ps.st_ino;
        if (is_host)
          {
            cleanup_free char *detail = xasprintf ("the container joins the host's %s namespace through %s",
                                                   checked_namespaces[k].oci, path->u.str.s);
            if (decision_match (ctx, RULE_HOST_NAMESPACES, action, detail, err) < 0)
              return -1;
          }
      }
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* sysctls */

static bool
sysctl_allowed (const struct policy_list *l, const char *key)
{
  for (size_t i = 0; i < l->len; i++)
    {
      size_t n = strlen (l->items[i]);
      if (strcmp (l->items[i], key) == 0)
        return true;
      if (n >= 2 && l->items[i][n - 1] == '*' && l->items[i][n - 2] == '.' && strncmp (l->items[i], key, n - 1) == 0)
        return true;
    }
  return false;
}

static int
sysctls_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct policy_profile *p = ctx->profile;
  enum rule_action action = policy_rule_action (p, RULE_SYSCTLS);
  struct policy_list allowed = policy_list_pick (p->has_allowed_sysctls, &p->allowed_sysctls, default_allowed_sysctls);
  struct json_value *linux_ = NULL, *sysctl = NULL;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0)
    return -1;
  if (linux_ && spec_get (ctx->source, linux_, "linux", "sysctl", SPEC_OBJECT, &sysctl, err) < 0)
    return -1;
  for (size_t i = 0; sysctl && i < sysctl->u.obj.len; i++)
    {
      const char *key = sysctl->u.obj.members[i].key;
      cleanup_free char *norm = xstrdup (key);
      /* runc accepts "/" as a separator too */
      for (char *c = norm; *c; c++)
        if (*c == '/')
          *c = '.';
      if (sysctl_allowed (&allowed, norm))
        continue;
      {
        cleanup_free char *detail
            = xasprintf ("sysctl %s is not in the allowed set (--sysctl); remove it or ask for a profile that allows it",
                         key);
        if (decision_match (ctx, RULE_SYSCTLS, action, detail, err) < 0)
          return -1;
      }
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* mount propagation */

static const char *
private_of (const struct json_value *v)
{
  if (json_is_string (v, "shared"))
    return "private";
  if (json_is_string (v, "rshared"))
    return "rprivate";
  return NULL;
}

static int
propagation_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_MOUNT_PROPAGATION);
  struct json_value *linux_ = NULL, *mounts = NULL;

  if (action == RULE_ALLOW)
    return 0;
  if (spec_get (ctx->source, root, "", "linux", SPEC_OBJECT, &linux_, err) < 0
      || spec_get (ctx->source, root, "", "mounts", SPEC_ARRAY, &mounts, err) < 0)
    return -1;
  if (linux_)
    {
      struct json_value *rp = NULL;
      const char *priv;
      if (spec_get (ctx->source, linux_, "linux", "rootfsPropagation", SPEC_STRING, &rp, err) < 0)
        return -1;
      if ((priv = private_of (rp)) != NULL)
        {
          cleanup_free char *detail
              = xasprintf ("the root filesystem uses %s mount propagation, which lets mounts reach the host", rp->u.str.s);
          if (action == RULE_MUTATE)
            {
              cleanup_json struct json_value *after = json_new_string (priv);
              changes_add (ctx->changes, "linux.rootfsPropagation", rp, after);
              findings_add (ctx->findings, RULE_MOUNT_PROPAGATION, RULE_MUTATE, "%s; made %s", detail, priv);
              json_object_set (linux_, "rootfsPropagation", steal_pointer (&after));
            }
          else if (decision_match (ctx, RULE_MOUNT_PROPAGATION, action, detail, err) < 0)
            return -1;
        }
    }
  for (size_t i = 0; mounts && i < mounts->u.arr.len; i++)
    {
      struct json_value *m = mounts->u.arr.items[i];
      struct json_value *opts = m->type == JSON_OBJECT ? json_object_get (m, "options") : NULL;
      const struct json_value *dest = m->type == JSON_OBJECT ? json_object_get (m, "destination") : NULL;
      for (size_t j = 0; opts && opts->type == JSON_ARRAY && j < opts->u.arr.len; j++)
        {
          const char *priv = private_of (opts->u.arr.items[j]);
          cleanup_free char *detail = NULL;
          if (priv == NULL)
            continue;
          detail = xasprintf ("the mount at %s uses %s propagation (:%s), which lets mounts reach the host",
                              dest && dest->type == JSON_STRING ? dest->u.str.s : "?", opts->u.arr.items[j]->u.str.s,
                              opts->u.arr.items[j]->u.str.s);
          if (action == RULE_MUTATE)
            {
              cleanup_free char *control
                  = xasprintf ("mounts[%s].options", dest && dest->type == JSON_STRING ? dest->u.str.s : "?");
              cleanup_json struct json_value *before = json_clone (opts);
              json_free (opts->u.arr.items[j]);
              opts->u.arr.items[j] = json_new_string (priv);
              changes_add (ctx->changes, control, before, opts);
              findings_add (ctx->findings, RULE_MOUNT_PROPAGATION, RULE_MUTATE, "%s; made %s", detail, priv);
            }
          else if (decision_match (ctx, RULE_MOUNT_PROPAGATION, action, detail, err) < 0)
            return -1;
        }
    }
  return 0;
}

/* ------------------------------------------------------------------ */
/* process: cwd and user (also used for exec) */

/* Where a working directory leads to the runtime's own descriptors
 * (CVE-2024-21626): /proc/<pid|self|thread-self>[/task/<tid>]/fd and
 * below, /dev/fd and /dev/std{in,out,err} (links into /proc/self/fd that
 * runc makes in /dev).  PATH is clean and absolute.  Returns what matched,
 * or NULL. */
static const char *
proc_fd_match (const char *path)
{
  const char *rest;

  if (strcmp (path, "/dev/fd") == 0 || strncmp (path, "/dev/fd/", 8) == 0 || strcmp (path, "/dev/stdin") == 0
      || strcmp (path, "/dev/stdout") == 0 || strcmp (path, "/dev/stderr") == 0)
    return "/dev/fd";
  if (strncmp (path, "/proc/", 6) != 0)
    return NULL;
  rest = path + 6;
  if (strncmp (rest, "self/", 5) == 0)
    rest += 5;
  else if (strncmp (rest, "thread-self/", 12) == 0)
    rest += 12;
  else
    {
      if (!isdigit ((unsigned char) *rest))
        return NULL;
      while (isdigit ((unsigned char) *rest))
        rest++;
      if (*rest++ != '/')
        return NULL;
    }
  if (strncmp (rest, "task/", 5) == 0)
    {
      rest += 5;
      if (!isdigit ((unsigned char) *rest))
        return NULL;
      while (isdigit ((unsigned char) *rest))
        rest++;
      if (*rest++ != '/')
        return NULL;
    }
  /* fd, and the magic links a working directory could go through to
   * something the container does not see as itself */
  if (strncmp (rest, "fd", 2) == 0 && (rest[2] == '\0' || rest[2] == '/'))
    return "/proc/*/fd";
  if ((strncmp (rest, "cwd", 3) == 0 && (rest[3] == '\0' || rest[3] == '/'))
      || (strncmp (rest, "map_files", 9) == 0 && (rest[9] == '\0' || rest[9] == '/')))
    return "/proc/*/cwd";
  return NULL;
}

/* /proc/<pid|self|thread-self>[/task/<tid>]/root at the start of PATH:
 * back to the container's root; returns the length of that prefix, or 0. */
static size_t
proc_root_prefix (const char *path)
{
  const char *rest;

  if (strncmp (path, "/proc/", 6) != 0)
    return 0;
  rest = path + 6;
  if (strncmp (rest, "self/", 5) == 0)
    rest += 5;
  else if (strncmp (rest, "thread-self/", 12) == 0)
    rest += 12;
  else
    {
      if (!isdigit ((unsigned char) *rest))
        return 0;
      while (isdigit ((unsigned char) *rest))
        rest++;
      if (*rest++ != '/')
        return 0;
    }
  if (strncmp (rest, "task/", 5) == 0)
    {
      rest += 5;
      while (isdigit ((unsigned char) *rest))
        rest++;
      if (*rest++ != '/')
        return 0;
    }
  if (strncmp (rest, "root", 4) == 0 && (rest[4] == '\0' || rest[4] == '/'))
    return (size_t) (rest + 4 - path);
  return 0;
}

/* Open DIR (clean, absolute, without symlinks) below ROOTFD, never
 * leaving it. */
static int
open_in_root (int rootfd, const char *dir)
{
  struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                          .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS };
  const char *rel = dir[1] ? dir + 1 : ".";
  int fd = (int) syscall (SYS_openat2, rootfd, rel, &how, sizeof how);
  if (fd < 0 && errno == ENOSYS)
    fd = openat (rootfd, rel, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  return fd;
}

static bool
string_is (const struct json_value *v, const char *s)
{
  return v && v->type == JSON_STRING && strcmp (v->u.str.s, s) == 0;
}

/* What the mounts make of PATH (clean) when it is a mount point: a proc
 * mount is another /proc, a bind of something under /proc or /dev is that
 * path.  MOUNTS is config.json's (type, source, options) or runc's state
 * (device, source); the last mount at PATH is the one seen.  NULL: PATH is
 * itself. */
static char *
mount_alias (const struct json_value *mounts, const char *path)
{
  char *alias = NULL;

  for (size_t i = 0; mounts && mounts->type == JSON_ARRAY && i < mounts->u.arr.len; i++)
    {
      const struct json_value *m = mounts->u.arr.items[i], *dest, *type, *src, *opts;
      cleanup_free char *clean = NULL;
      bool bind;

      if (m->type != JSON_OBJECT || (dest = json_object_get (m, "destination")) == NULL || dest->type != JSON_STRING)
        continue;
      clean = path_clean (dest->u.str.s);
      if (strcmp (clean, path) != 0)
        continue;
      free (alias);
      alias = NULL;
      type = json_object_get (m, "type");
      if (type == NULL)
        type = json_object_get (m, "device");
      src = json_object_get (m, "source");
      opts = json_object_get (m, "options");
      bind = string_is (type, "bind") || string_is (type, "rbind");
      for (size_t k = 0; opts && opts->type == JSON_ARRAY && k < opts->u.arr.len; k++)
        bind = bind || string_is (opts->u.arr.items[k], "bind") || string_is (opts->u.arr.items[k], "rbind");
      if (string_is (type, "proc"))
        alias = xstrdup ("/proc");
      else if (bind && src && src->type == JSON_STRING)
        {
          char *s = path_clean (src->u.str.s);
          if (strcmp (s, "/proc") == 0 || strncmp (s, "/proc/", 6) == 0 || strcmp (s, "/dev") == 0
              || strncmp (s, "/dev/", 5) == 0)
            alias = s;
          else
            free (s);
        }
    }
  return alias;
}

/* Follow CWD through the symbolic links of the root file system ROOTFS
 * (an image's own /x -> /proc/self/fd), component by component, inside
 * it, and through the mounts (a proc mount elsewhere, a bind of /proc or
 * /dev).  /proc and /dev are the kernel's and runc's at run time: below
 * them the path is taken as written, except that /proc/<pid>/root leads
 * back to the root.  Without ROOTFS only the links are not followed.
 * Returns what matched (a proc_fd_match text), or NULL; *AT is the
 * resolved path that matched. */
static const char *
cwd_resolve (const char *rootfs, const struct json_value *mounts, const char *cwd, char **at)
{
  cleanup_close int rootfd = rootfs ? open (rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
  cleanup_free char *rest = xasprintf ("%s", cwd);
  struct strbuf resolved = { 0 };
  const char *match = NULL;
  int links = 0;

  strbuf_reserve (&resolved, 256);
  while (rest[0])
    {
      char *slash, *comp, *next;
      bool virtual_fs;

      while (rest[0] == '/')
        memmove (rest, rest + 1, strlen (rest));
      if (rest[0] == '\0')
        break;
      slash = strchr (rest, '/');
      comp = xstrndup (rest, slash ? (size_t) (slash - rest) : strlen (rest));
      next = xstrdup (slash ? slash : "");
      free (rest);
      rest = next;
      if (strcmp (comp, ".") == 0)
        {
          free (comp);
          continue;
        }
      if (strcmp (comp, "..") == 0)
        {
          char *last = strrchr (resolved.buf, '/');
          if (last)
            {
              *last = '\0';
              resolved.len = (size_t) (last - resolved.buf);
            }
          free (comp);
          continue;
        }
      virtual_fs = strcmp (resolved.buf, "/proc") == 0 || strncmp (resolved.buf, "/proc/", 6) == 0
                   || strcmp (resolved.buf, "/dev") == 0;
      if (!virtual_fs && rootfd >= 0)
        {
          cleanup_close int dirfd = open_in_root (rootfd, resolved.len ? resolved.buf : "/");
          char target[PATH_MAX];
          ssize_t n = dirfd >= 0 ? readlinkat (dirfd, comp, target, sizeof target - 1) : -1;
          if (n > 0)
            {
              target[n] = '\0';
              free (comp);
              if (++links > 40)
                break; /* ELOOP: runc cannot enter it */
              next = xasprintf ("%s/%s", target, rest);
              free (rest);
              rest = next;
              if (target[0] == '/')
                {
                  resolved.len = 0;
                  resolved.buf[0] = '\0';
                }
              continue;
            }
        }
      strbuf_appends (&resolved, "/");
      strbuf_appends (&resolved, comp);
      free (comp);
      {
        cleanup_free char *alias = mount_alias (mounts, resolved.buf);
        if (alias)
          {
            resolved.len = 0;
            resolved.buf[0] = '\0';
            strbuf_appends (&resolved, strcmp (alias, "/") == 0 ? "" : alias);
          }
      }
      {
        size_t root_len = proc_root_prefix (resolved.buf);
        if (root_len && root_len == resolved.len)
          {
            resolved.len = 0;
            resolved.buf[0] = '\0';
            continue;
          }
      }
      if ((match = proc_fd_match (resolved.buf)) != NULL)
        break;
    }
  if (match)
    *at = xstrdup (resolved.buf);
  strbuf_release (&resolved);
  return match;
}

int
rules_check_cwd (struct harden_ctx *ctx, const struct json_value *process, const char *path, hr_err *err)
{
  struct json_value *cwd = NULL;
  cleanup_free char *clean = NULL, *at = NULL;
  const char *match;

  if (spec_get (ctx->source, process, "process", "cwd", SPEC_STRING, &cwd, err) < 0)
    return -1;
  if (cwd == NULL)
    return 0;
  clean = path_clean (cwd->u.str.s);
  match = proc_fd_match (clean);
  if (match == NULL)
    match = cwd_resolve (ctx->rootfs, ctx->mounts, cwd->u.str.s, &at);
  if (match == NULL)
    return 0;
  if (at && strcmp (at, clean) != 0)
    return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                         "refused: %s \"%s\" leads to %s in the container (through its links or mounts), under %s, the "
                         "path of the runc escape CVE-2024-21626; use a real directory as the working directory",
                         path, cwd->u.str.s, at, match);
  return hr_error_set (err, HR_ERR_FORBIDDEN, 0,
                       "refused: %s \"%s\" is under %s, the path of the runc escape CVE-2024-21626; "
                       "use a real directory as the working directory",
                       path, cwd->u.str.s, match);
}

int
rules_check_user (struct harden_ctx *ctx, const struct json_value *process, const char *path, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_RUN_AS_ROOT);
  struct json_value *user = NULL, *uid = NULL;
  uint64_t n = 0;

  if (spec_get (ctx->source, process, path, "user", SPEC_OBJECT, &user, err) < 0)
    return -1;
  if (user && spec_get (ctx->source, user, "process.user", "uid", SPEC_NUMBER, &uid, err) < 0)
    return -1;
  if (uid && spec_number_u64 (ctx->source, uid, "process.user.uid", &n, err) < 0)
    return -1;
  if (action == RULE_ALLOW || n != 0)
    return 0;
  return decision_match (ctx, RULE_RUN_AS_ROOT, action, "the process runs as root (uid 0); run it as a non-root user (--user 1000)", err);
}

/* A restore brings processes back from a checkpoint image as they were
 * saved: their credentials, capabilities, seccomp filters and labels come
 * from the image (CRIU), not from config.json, so the controls below
 * cannot vouch for them.  Checked first: it does not depend on the spec. */
static int
restore_check (struct harden_ctx *ctx, hr_err *err)
{
  enum rule_action action = policy_rule_action (ctx->profile, RULE_RESTORE);

  if (!ctx->restore || action == RULE_ALLOW)
    return 0;
  return decision_match (ctx, RULE_RESTORE, action, "runc restore brings processes back from a checkpoint image with the capabilities, seccomp "
                  "filters and labels they were saved with, which the policy cannot check; start the container "
                  "anew, or ask the operator to allow restores (rule \"restore\")", err);
}

int
rules_check (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  struct json_value *process = json_object_get (root, "process");
  enum rule_action dev_action;

  if (restore_check (ctx, err) < 0)
    return -1;

  {
    /* the working directory is followed through config.json's mounts */
    const struct json_value *saved = ctx->mounts;
    int rc;
    if (saved == NULL)
      ctx->mounts = json_object_get (root, "mounts");
    rc = rules_check_cwd (ctx, process, "process.cwd", err);
    ctx->mounts = saved;
    if (rc < 0)
      return -1;
  }
  if (privileged_check (ctx, root, process, err) < 0
      || host_namespaces_check (ctx, root, err) < 0 || binds_check (ctx, root, err) < 0)
    return -1;
  dev_action = policy_rule_action (ctx->profile, RULE_DEVICES);
  if (dev_action != RULE_ALLOW && devices_check (ctx, root, dev_action, false, err) < 0)
    return -1;
  if (sysctls_check (ctx, root, err) < 0 || propagation_check (ctx, root, err) < 0
      || rules_check_user (ctx, process, "process", err) < 0)
    return -1;
  return 0;
}

int
rules_check_process (struct harden_ctx *ctx, struct json_value *process, hr_err *err)
{
  if (rules_check_cwd (ctx, process, "process.cwd", err) < 0 || rules_check_user (ctx, process, "process", err) < 0)
    return -1;
  return 0;
}
