/* SPDX-License-Identifier: Apache-2.0 */
#include "metrics.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "counts.h"
#include "fileio.h"
#include "util.h"

#define METRICS_MAX (1u << 20)

static const struct
{
  const char *name, *help;
} metric_families[] = {
  { "hardened_runc_decisions_total", "Decisions of hardened-runc by subcommand, profile and outcome." },
  { "hardened_runc_findings_total", "Rule findings by rule, action and profile (deny: refused, warn: logged)." },
};

/* a label value, escaped as the text format wants */
static void
label (struct strbuf *sb, const char *name, const char *value, bool first)
{
  if (!first)
    strbuf_appends (sb, ",");
  strbuf_appends (sb, name);
  strbuf_appends (sb, "=\"");
  for (const char *p = value ? value : ""; *p; p++)
    {
      if (*p == '\\' || *p == '"')
        strbuf_append (sb, "\\", 1);
      if (*p == '\n')
        strbuf_appends (sb, "\\n");
      else
        strbuf_append (sb, p, 1);
    }
  strbuf_appends (sb, "\"");
}

/* Our own earlier output: "name{labels} value" lines; anything else is
 * dropped (a damaged file heals on the next write). */
static void
read_existing (int fd, struct counts *c)
{
  cleanup_hr_error hr_err ignored = NULL;
  cleanup_free char *buf = NULL;
  size_t n = 0;

  /* not ours (larger than we ever write) or unreadable: start afresh */
  if (file_read_fd (fd, "metrics file", METRICS_MAX, &buf, &n, &ignored) < 0)
    return;
  for (char *line = buf, *next; line && *line; line = next)
    {
      char *sp;
      uint64_t v;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      if (line[0] == '#' || strncmp (line, "hardened_runc_", 14) != 0)
        continue;
      sp = strrchr (line, ' ');
      if (sp == NULL || !parse_u64 (sp + 1, strlen (sp + 1), &v))
        continue;
      *sp = '\0';
      counts_add (c, line, v);
    }
}

static int
key_cmp (const void *a, const void *b)
{
  return strcmp (((const struct counter *) a)->key, ((const struct counter *) b)->key);
}

/* The record's decision and each of its findings, counted once more. */
static void
count_record (struct counts *c, const struct audit_record *r)
{
  struct strbuf key = { 0 };

  strbuf_appends (&key, "hardened_runc_decisions_total{");
  label (&key, "subcommand", r->subcommand, true);
  label (&key, "profile", r->profile, false);
  label (&key, "outcome", r->outcome, false);
  strbuf_appends (&key, "}");
  counts_add (c, key.buf, 1);
  for (size_t i = 0; r->findings && i < r->findings->len; i++)
    {
      const struct finding *f = &r->findings->items[i];
      strbuf_release (&key);
      strbuf_appends (&key, "hardened_runc_findings_total{");
      label (&key, "rule", policy_rule_name (f->rule), true);
      label (&key, "action", policy_action_name (f->action), false);
      label (&key, "profile", r->profile, false);
      strbuf_appends (&key, "}");
      counts_add (c, key.buf, 1);
    }
  strbuf_release (&key);
}

/* The textfile: each family's HELP and TYPE, then its counters by key. */
static void
render (const struct counts *c, struct strbuf *out)
{
  size_t n;
  cleanup_free struct counter *sorted = counts_sorted (c, &n);

  qsort (sorted, n, sizeof *sorted, key_cmp);
  for (size_t f = 0; f < ARRAY_SIZE (metric_families); f++)
    {
      size_t len = strlen (metric_families[f].name);
      char line[512];
      snprintf (line, sizeof line, "# HELP %s %s\n# TYPE %s counter\n", metric_families[f].name,
                metric_families[f].help, metric_families[f].name);
      strbuf_appends (out, line);
      for (size_t i = 0; i < n; i++)
        if (strncmp (sorted[i].key, metric_families[f].name, len) == 0 && sorted[i].key[len] == '{')
          {
            char num[32];
            strbuf_appends (out, sorted[i].key);
            snprintf (num, sizeof num, " %ju\n", (uintmax_t) sorted[i].n);
            strbuf_appends (out, num);
          }
    }
}

int
metrics_record (const char *path, const struct audit_record *r, hr_err *err)
{
  cleanup_free char *lock = NULL, *dir = NULL;
  struct counts c = { 0 };
  struct strbuf out = { 0 };
  cleanup_close int lfd = -1; /* closing it releases the lock */
  cleanup_close int dirfd = -1;
  const char *name;
  int ret = -1;

  if (path == NULL)
    return 0;
  /* one writer at a time: concurrent shims would lose increments */
  lock = xasprintf ("%s.lock", path);
  lfd = open (lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (lfd < 0 || flock (lfd, LOCK_EX) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "metrics file %s: cannot lock %s", path, lock);
  {
    cleanup_close int rfd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (rfd >= 0)
      read_existing (rfd, &c);
  }
  count_record (&c, r);
  render (&c, &out);

  /* node_exporter must never read half a file: written aside, renamed */
  dir = xstrdup (path);
  name = strrchr (dir, '/');
  if (name)
    {
      dir[name == dir ? 1 : name - dir] = '\0';
      name = path + (name - dir) + 1;
    }
  else
    name = path;
  dirfd = open (name == path ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0)
    hr_error_set (err, HR_ERR_INTERNAL, errno, "metrics file %s: cannot open its directory", path);
  else if (file_replace_atomic (dirfd, name, path, out.buf ? out.buf : "", out.len, 0644, geteuid (), getegid (), err)
           == 0)
    ret = 0;
  strbuf_release (&out);
  counts_free (&c);
  return ret;
}
