/* SPDX-License-Identifier: Apache-2.0 */
/* The audit log: one JSON line per decision (audit.h). */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "compliance.h"
#include "json.h"
#include "util.h"

static void
gen_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

static void
gen_kv (yajl_gen g, const char *k, const char *v)
{
  gen_str (g, k);
  if (v)
    gen_str (g, v);
  else
    yajl_gen_null (g);
}

/* The CIS Docker Benchmark item(s) and Pod Security Standards control a
 * rule or change implements (compliance.c), when it names one. */
static void
gen_compliance (yajl_gen g, const struct compliance_entry *e)
{
  if (e && e->cis)
    gen_kv (g, "cis", e->cis);
  if (e && e->pss)
    gen_kv (g, "pss", e->pss);
}

static void
gen_value_or_null (yajl_gen g, const struct json_value *v)
{
  if (v)
    json_gen (g, v);
  else
    yajl_gen_null (g);
}

int
audit_open (const char *path, hr_err *err)
{
  int fd;
  cleanup_free char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');

  fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
  if (fd < 0 && errno == ENOENT && slash && slash != dir)
    {
      *slash = '\0';
      if (mkdir (dir, 0700) < 0 && errno != EEXIST)
        return hr_error_set (err, HR_ERR_INTERNAL, errno, "audit log %s: cannot create directory %s", path, dir);
      fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
    }
  if (fd < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "cannot open audit log %s", path);
  return fd;
}

/* "changes": each control with its value before and after, and the
 * benchmark items it implements. */
static void
gen_changes (yajl_gen g, const struct changes *changes)
{
  gen_str (g, "changes");
  yajl_gen_array_open (g);
  for (size_t i = 0; changes && i < changes->len; i++)
    {
      const struct change *c = &changes->items[i];
      yajl_gen_map_open (g);
      gen_kv (g, "control", c->control);
      gen_str (g, "before");
      gen_value_or_null (g, c->before);
      gen_str (g, "after");
      gen_value_or_null (g, c->after);
      gen_compliance (g, compliance_of_control (c->control));
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

/* "findings": each rule that matched, its action and detail, and the
 * benchmark items it implements. */
static void
gen_findings (yajl_gen g, const struct findings *findings)
{
  gen_str (g, "findings");
  yajl_gen_array_open (g);
  for (size_t i = 0; findings && i < findings->len; i++)
    {
      const struct finding *f = &findings->items[i];
      yajl_gen_map_open (g);
      gen_kv (g, "rule", policy_rule_name (f->rule));
      gen_kv (g, "action", policy_action_name (f->action));
      gen_kv (g, "detail", f->detail);
      gen_compliance (g, compliance_of_rule (policy_rule_name (f->rule)));
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

int
audit_write (int fd, const char *path, const struct audit_record *r, hr_err *err)
{
  cleanup_yajl_gen yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  char now[64];
  struct strbuf sb = { 0 };
  ssize_t w;

  if (g == NULL)
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "cannot allocate a JSON generator");
  format_rfc3339 (now, sizeof now);
  yajl_gen_map_open (g);
  gen_kv (g, "time", now);
  gen_kv (g, "container", r->container_id);
  gen_kv (g, "bundle", r->bundle);
  gen_kv (g, "subcommand", r->subcommand);
  gen_kv (g, "profile", r->profile);
  gen_kv (g, "mode", r->mode == POLICY_MODE_AUDIT ? "audit" : "enforce");
  gen_kv (g, "outcome", r->outcome);
  if (r->reason)
    gen_kv (g, "reason", r->reason);
  gen_changes (g, r->changes);
  gen_findings (g, r->findings);
  yajl_gen_map_close (g);
  if (yajl_gen_get_buf (g, &buf, &len) != yajl_gen_status_ok)
    return hr_error_set (err, HR_ERR_INTERNAL, 0, "cannot serialise the audit record");

  /* One write(2) with O_APPEND: concurrent shims never interleave (not
   * file_write_fd: a second write for the rest of a short one could land
   * after another shim's line, so a short write is an error). */
  strbuf_append (&sb, (const char *) buf, len);
  strbuf_append (&sb, "\n", 1);
  do
    w = write (fd, sb.buf, sb.len);
  while (w < 0 && errno == EINTR);
  if (w < 0 || (size_t) w != sb.len)
    {
      int e = w < 0 ? errno : EIO;
      strbuf_release (&sb);
      return hr_error_set (err, HR_ERR_INTERNAL, e, "cannot write to audit log %s", path);
    }
  strbuf_release (&sb);
  return 0;
}
