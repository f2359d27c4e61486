/* SPDX-License-Identifier: Apache-2.0 */
/* Rule devices: host devices passed in (linux.devices) and device cgroup
 * rules (linux.resources.devices) beyond the allowed devices.  See
 * hardened-runc-policy(5), RULES. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "controls.h"
#include "spec.h"
#include "util.h"

static const char *const default_allowed_devices[] = {
  "c 1:3", "c 1:5", "c 1:7", "c 1:8", "c 1:9", "c 5:0", "c 5:2", "c 136:*", NULL,
};
/* Device cgroup rules engines add by default that reach the host: taken
 * out rather than refused (dockerd allows c 5:1, the host's console, to
 * every container). */
static const char *const default_removed_devices[] = { "c 5:1", NULL };

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

/* The device an allow rule of the device cgroup names (*D: type 'a' when
 * absent or odd, -1 for an absent number); false for a deny rule.  The one
 * reader of linux.resources.devices entries. */
static bool
cgroup_allow_rule (const struct json_value *rule, struct policy_devspec *d)
{
  const struct json_value *type = json_object_get (rule, "type");
  const struct json_value *allow = json_object_get (rule, "allow");

  if (allow == NULL || allow->type != JSON_TRUE)
    return false;
  d->type = type && type->type == JSON_STRING && type->u.str.len == 1 ? type->u.str.s[0] : 'a';
  d->major = number_or_any (json_object_get (rule, "major"));
  d->minor = number_or_any (json_object_get (rule, "minor"));
  return true;
}

/* A device cgroup rule granting read/write beyond the allowed devices. */
static bool
cgroup_rule_too_wide (const struct policy_list *allowed, const struct json_value *rule, struct policy_devspec *d)
{
  if (!cgroup_allow_rule (rule, d))
    return false;
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
  return cgroup_allow_rule (rule, d) && d->type != 'a' && device_allowed (removed, d);
}

bool
devices_allow_all (const struct json_value *root)
{
  const struct json_value *rules
      = json_object_get (json_object_get (json_object_get (root, "linux"), "resources"), "devices");
  for (size_t i = 0; rules && rules->type == JSON_ARRAY && i < rules->u.arr.len; i++)
    {
      const struct json_value *rule = rules->u.arr.items[i];
      struct policy_devspec d;
      if (rule->type == JSON_OBJECT && cgroup_allow_rule (rule, &d)
          && access_reads_or_writes (json_object_get (rule, "access")) && d.type == 'a' && d.major == -1
          && d.minor == -1)
        return true;
    }
  return false;
}

static void
devspec_text (const struct policy_devspec *d, char *buf, size_t size)
{
  char maj[24], min[24];
  snprintf (maj, sizeof maj, "%ld", d->major);
  snprintf (min, sizeof min, "%ld", d->minor);
  snprintf (buf, size, "%c %s:%s", d->type, d->major < 0 ? "*" : maj, d->minor < 0 ? "*" : min);
}

/* Does runc bind-mount linux.devices from the host instead of making the
 * nodes: with a user namespace it cannot mknod, so runc 1.1
 * (createDeviceNode) bind-mounts the host's file at the entry's path, in
 * the container's mount namespace before the root is pivoted, whatever
 * that file is. */
static bool
devices_bound_from_host (const struct json_value *linux_)
{
  const struct json_value *nss = json_object_get (linux_, "namespaces");
  cleanup_fclose FILE *f = NULL;
  unsigned long inside, outside, count;

  for (size_t i = 0; nss && nss->type == JSON_ARRAY && i < nss->u.arr.len; i++)
    {
      const struct json_value *ns = nss->u.arr.items[i];
      if (ns->type == JSON_OBJECT && json_is_string (json_object_get (ns, "type"), "user"))
        return true;
    }
  /* runc itself in a user namespace (rootless) binds them too */
  f = fopen ("/proc/self/uid_map", "re");
  return f == NULL || fscanf (f, "%lu %lu %lu", &inside, &outside, &count) != 3 || inside != 0 || outside != 0
         || count != 4294967295UL;
}

/* When runc binds the entry's path from the host: is that file the device
 * D names?  Else *WHAT says what it is. */
static bool
device_node_matches (const struct json_value *path, const struct policy_devspec *d, const char **what)
{
  struct stat st;

  *what = "not an absolute path";
  if (path == NULL || path->type != JSON_STRING || path->u.str.s[0] != '/')
    return false;
  *what = "missing on the host";
  if (stat (path->u.str.s, &st) < 0)
    return false;
  *what = S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode) ? "another device" : "not a device";
  return ((d->type == 'c' && S_ISCHR (st.st_mode)) || (d->type == 'b' && S_ISBLK (st.st_mode)))
         && (long) major (st.st_rdev) == d->major && (long) minor (st.st_rdev) == d->minor;
}

/* linux.devices: host devices passed in (--device). */
static int
passed_devices_check (struct harden_ctx *ctx, struct json_value *devices, const struct policy_list *allowed,
                      enum rule_action action, bool mutate, bool bound, hr_err *err)
{
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
      devspec_text (&d, text, sizeof text);
      if ((d.type == 'c' || d.type == 'b') && d.major >= 0 && d.minor >= 0 && device_allowed (allowed, &d))
        {
          const char *what = NULL;
          /* runc skips /dev/ptmx: it is the devpts mount's own */
          if (!bound || json_is_string (path, "/dev/ptmx") || device_node_matches (path, &d, &what))
            continue;
          if (!mutate)
            {
              cleanup_free char *detail = xasprintf (
                  "the device %s (%s) is the host's file of that path bind-mounted into the container (with a user "
                  "namespace runc binds device nodes from the host), and that file is %s; name the device's own node",
                  path && path->type == JSON_STRING ? path->u.str.s : "?", text, what);
              if (decision_match (ctx, RULE_DEVICES, action, detail, err) < 0)
                return -1;
              continue;
            }
        }
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
  return 0;
}

/* "read/write/mknod" for a device cgroup rule's access letters (absent:
 * everything), in WORDS (32 bytes). */
static const char *
access_words (const struct json_value *rule, char *words)
{
  const struct json_value *acc = json_object_get (rule, "access");
  const char *a = acc && acc->type == JSON_STRING ? acc->u.str.s : "rwm";

  words[0] = '\0';
  if (strchr (a, 'r'))
    strcat (words, "read");
  if (strchr (a, 'w'))
    strcat (words, words[0] ? "/write" : "write");
  if (strchr (a, 'm'))
    strcat (words, words[0] ? "/mknod" : "mknod");
  return words[0] ? words : "some";
}

/* linux.resources.devices: the device cgroup rules.  Those of REMOVED go
 * (in every mode but warn), those beyond ALLOWED are judged. */
static int
cgroup_rules_check (struct harden_ctx *ctx, struct json_value *rules, const struct policy_list *allowed,
                    const struct policy_list *removed, enum rule_action action, bool mutate, hr_err *err)
{
  for (size_t i = rules ? rules->u.arr.len : 0; i-- > 0;)
    {
      struct json_value *rule = rules->u.arr.items[i];
      struct policy_devspec d;
      char text[64];
      if (rule->type != JSON_OBJECT)
        return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: linux.resources.devices[%zu]: expected an object",
                             ctx->source, rule->line, rule->col, i);
      if (removed_rule (removed, rule, &d))
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
      if (!cgroup_rule_too_wide (allowed, rule, &d))
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
        char words[32];
        cleanup_free char *detail = xasprintf (
            "a device cgroup rule allows %s access to %s (--device-cgroup-rule or --privileged); only the "
            "default devices are allowed",
            access_words (rule, words), d.type == 'a' ? "every device" : text);
        if (decision_match (ctx, RULE_DEVICES, action, detail, err) < 0)
          return -1;
      }
    }
  return 0;
}

int
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
  if (passed_devices_check (ctx, devices, &allowed, action, mutate, devices && devices_bound_from_host (linux_), err)
      < 0)
    return -1;
  return cgroup_rules_check (ctx, rules, &allowed, &removed, action, mutate, err);
}
