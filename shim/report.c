/* SPDX-License-Identifier: Apache-2.0 */
/* hardened-runc report: what the audit log says, summed up for a rollout
 * (audit mode first, then enforce): containers seen, changed, refused, per
 * rule and per profile, and the most frequent changes. */
#include "report.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compliance.h"
#include "counts.h"
#include "explain.h"
#include "json.h"
#include "policy.h"
#include "util.h"
#include <yajl/yajl_gen.h>

#define REPORT_LINE_MAX (1u << 20) /* an audit line longer than this is damaged */
#define REPORT_ROTATED_MAX 99

/* ------------------------------------------------------------------ */

struct summary
{
  uint64_t lines, decisions, damaged, incomplete, compressed_skipped;
  struct counts subcommand, outcome, profile_outcome, refused_rule, refused_profile_rule, change_control,
      finding_rule_action, containers, containers_changed, containers_refused;
  char *first_time, *last_time;
  char *first_damage; /* "FILE:LINE: reason" of the first damaged line */
};

static void
summary_free (struct summary *s)
{
  struct counts *all[] = { &s->subcommand,         &s->outcome,           &s->profile_outcome,
                           &s->refused_rule,       &s->refused_profile_rule, &s->change_control,
                           &s->finding_rule_action, &s->containers,       &s->containers_changed,
                           &s->containers_refused };
  for (size_t i = 0; i < ARRAY_SIZE (all); i++)
    counts_free (all[i]);
  free (s->first_time);
  free (s->last_time);
  free (s->first_damage);
}

static const char *
str_of (const struct json_value *o, const char *key)
{
  const struct json_value *v = json_object_get (o, key);
  return v && v->type == JSON_STRING ? v->u.str.s : NULL;
}

static void
damaged (struct summary *s, const char *file, uint64_t lineno, const char *why)
{
  s->damaged++;
  if (s->first_damage == NULL)
    s->first_damage = xasprintf ("%s:%ju: %s", file, (uintmax_t) lineno, why);
}

/* A line the JSON parser refused: its message says ":1:COL: reason" of
 * the line alone. */
static void
take_unparsable (struct summary *s, const char *file, uint64_t lineno, const struct hr_error *err)
{
  const char *m = err->msg, *reason = strstr (m, ": ");
  unsigned l = 0, col = 0;
  cleanup_free char *why = NULL;

  if (sscanf (m, ":%u:%u:", &l, &col) == 2 && reason)
    why = xasprintf ("column %u: %s", col, reason + 2);
  damaged (s, file, lineno, why ? why : m);
}

static void
take_time (struct summary *s, const char *time)
{
  if (s->first_time == NULL || strcmp (time, s->first_time) < 0)
    {
      free (s->first_time);
      s->first_time = xstrdup (time);
    }
  if (s->last_time == NULL || strcmp (time, s->last_time) > 0)
    {
      free (s->last_time);
      s->last_time = xstrdup (time);
    }
}

/* C counts the pair "A<tab>B" once more. */
static void
count_pair (struct counts *c, const char *a, const char *b)
{
  char key[1024];
  snprintf (key, sizeof key, "%s\t%s", a, b);
  counts_add (c, key, 1);
}

static bool
is_refusal (const char *outcome)
{
  return strcmp (outcome, "refused") == 0 || strcmp (outcome, "would-refuse") == 0;
}

/* The record's findings; true when a deny among them is why it was
 * refused. */
static bool
take_findings (struct summary *s, const struct json_value *findings, const char *profile, const char *outcome)
{
  bool refused_by_rule = false;

  for (size_t i = 0; findings && i < findings->u.arr.len; i++)
    {
      const char *rule = str_of (findings->u.arr.items[i], "rule");
      const char *action = str_of (findings->u.arr.items[i], "action");
      if (rule == NULL || action == NULL)
        continue;
      count_pair (&s->finding_rule_action, rule, action);
      if (strcmp (action, "deny") == 0 && is_refusal (outcome))
        {
          counts_add (&s->refused_rule, rule, 1);
          count_pair (&s->refused_profile_rule, profile, rule);
          refused_by_rule = true;
        }
    }
  return refused_by_rule;
}

static void
take_line (struct summary *s, const char *file, uint64_t lineno, const char *line, size_t len)
{
  static const struct json_limits limits = { .max_depth = 32 };
  cleanup_json struct json_value *v = NULL;
  cleanup_hr_error hr_err err = NULL;
  const char *sub, *outcome, *profile, *mode, *container, *time;
  const struct json_value *changes, *findings;

  s->lines++;
  if (json_parse (line, len, "", &limits, &v, &err) < 0)
    {
      take_unparsable (s, file, lineno, err);
      return;
    }
  sub = str_of (v, "subcommand");
  outcome = str_of (v, "outcome");
  profile = str_of (v, "profile");
  mode = str_of (v, "mode");
  container = str_of (v, "container");
  time = str_of (v, "time");
  changes = json_object_get (v, "changes");
  findings = json_object_get (v, "findings");
  if (v->type != JSON_OBJECT || sub == NULL || outcome == NULL || mode == NULL
      || (changes && changes->type != JSON_ARRAY) || (findings && findings->type != JSON_ARRAY))
    {
      damaged (s, file, lineno, "not an audit record (subcommand, outcome, mode)");
      return;
    }
  if (profile == NULL)
    profile = "(none)";
  /* in audit mode a refusal only would have happened */
  if (strcmp (outcome, "refused") == 0 && strcmp (mode, "audit") == 0)
    outcome = "would-refuse";
  s->decisions++;
  if (time)
    take_time (s, time);
  counts_add (&s->subcommand, sub, 1);
  counts_add (&s->outcome, outcome, 1);
  count_pair (&s->profile_outcome, profile, outcome);
  if ((strcmp (sub, "create") == 0 || strcmp (sub, "run") == 0) && container)
    {
      counts_add (&s->containers, container, 1);
      if (strcmp (outcome, "changed") == 0 || strcmp (outcome, "would-change") == 0)
        counts_add (&s->containers_changed, container, 1);
      if (is_refusal (outcome))
        counts_add (&s->containers_refused, container, 1);
    }
  for (size_t i = 0; changes && i < changes->u.arr.len; i++)
    {
      const char *control = str_of (changes->u.arr.items[i], "control");
      if (control)
        counts_add (&s->change_control, control, 1);
    }
  /* refusals no rule names: bad input, the CVE-2024-21626 cwd, a broken
   * policy... */
  if (!take_findings (s, findings, profile, outcome) && is_refusal (outcome))
    {
      counts_add (&s->refused_rule, "(other)", 1);
      count_pair (&s->refused_profile_rule, profile, "(other)");
    }
}

/* One file (or "-": stdin).  A last line without its newline is being
 * written right now (each record is one write(2)): counted, not read. */
static int
take_file (struct summary *s, const char *path)
{
  FILE *f;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  uint64_t lineno = 0;
  size_t plen = strlen (path);

  if (plen > 3 && (strcmp (path + plen - 3, ".gz") == 0 || strcmp (path + plen - 3, ".xz") == 0))
    {
      s->compressed_skipped++;
      return 0;
    }
  f = strcmp (path, "-") == 0 ? stdin : fopen (path, "re");
  if (f == NULL)
    {
      fprintf (stderr, "hardened-runc report: %s: %s\n", path, strerror (errno));
      return -1;
    }
  while ((n = getline (&line, &cap, f)) > 0)
    {
      lineno++;
      if (line[n - 1] != '\n')
        {
          s->incomplete++;
          break;
        }
      line[--n] = '\0';
      if (n == 0)
        continue;
      if ((size_t) n > REPORT_LINE_MAX)
        {
          s->lines++;
          damaged (s, path, lineno, "longer than 1 MiB");
          continue;
        }
      take_line (s, path, lineno, line, (size_t) n);
    }
  free (line);
  if (f != stdin)
    fclose (f);
  return 0;
}

/* ------------------------------------------------------------------ */
/* Output */

static void
print_counts (const char *title, const struct counts *c, size_t top)
{
  size_t n;
  cleanup_free struct counter *sorted = counts_sorted (c, &n);
  if (n == 0)
    return;
  printf ("\n%s:\n", title);
  for (size_t i = 0; i < n && i < top; i++)
    {
      char *tab = strchr (sorted[i].key, '\t');
      if (tab)
        printf ("  %8ju  %.*s: %s\n", (uintmax_t) sorted[i].n, (int) (tab - sorted[i].key), sorted[i].key, tab + 1);
      else
        printf ("  %8ju  %s\n", (uintmax_t) sorted[i].n, sorted[i].key);
    }
  if (n > top)
    printf ("  (%zu more)\n", n - top);
}

static void
gen_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

static void
gen_u64 (yajl_gen g, uint64_t n)
{
  char buf[32];
  int len = snprintf (buf, sizeof buf, "%ju", (uintmax_t) n);
  yajl_gen_number (g, buf, (size_t) len);
}

/* {"key": n, ...}, or {"a": {"b": n}} for "a\tb" keys */
static void
gen_counts (yajl_gen g, const char *name, const struct counts *c, size_t top)
{
  size_t n;
  cleanup_free struct counter *sorted = counts_sorted (c, &n);
  gen_str (g, name);
  yajl_gen_array_open (g);
  for (size_t i = 0; i < n && i < top; i++)
    {
      char *tab = strchr (sorted[i].key, '\t');
      yajl_gen_map_open (g);
      if (tab)
        {
          *tab = '\0';
          gen_str (g, "key");
          gen_str (g, sorted[i].key);
          gen_str (g, "of");
          gen_str (g, tab + 1);
          *tab = '\t';
        }
      else
        {
          gen_str (g, "key");
          gen_str (g, sorted[i].key);
        }
      gen_str (g, "count");
      gen_u64 (g, sorted[i].n);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
}

/* How many of C's keys (rule names) map to CIS item ID. */
static uint64_t
cis_count (const struct counts *c, const char *id, bool controls)
{
  size_t n;
  uint64_t total = 0;
  cleanup_free struct counter *sorted = counts_sorted (c, &n);
  for (size_t i = 0; i < n; i++)
    {
      const struct compliance_entry *e
          = controls ? compliance_of_control (sorted[i].key) : compliance_of_rule (sorted[i].key);
      if (e && compliance_cis_has (e->cis, id))
        total += sorted[i].n;
    }
  return total;
}

static void
print_json (const struct summary *s, size_t top)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;

  yajl_gen_map_open (g);
  gen_str (g, "lines");
  gen_u64 (g, s->lines);
  gen_str (g, "decisions");
  gen_u64 (g, s->decisions);
  gen_str (g, "damaged_lines");
  gen_u64 (g, s->damaged);
  gen_str (g, "incomplete_lines");
  gen_u64 (g, s->incomplete);
  gen_str (g, "compressed_files_skipped");
  gen_u64 (g, s->compressed_skipped);
  if (s->first_damage)
    {
      gen_str (g, "first_damaged_line");
      gen_str (g, s->first_damage);
    }
  if (s->first_time)
    {
      gen_str (g, "from");
      gen_str (g, s->first_time);
      gen_str (g, "to");
      gen_str (g, s->last_time);
    }
  gen_str (g, "containers_seen");
  gen_u64 (g, s->containers.len);
  gen_str (g, "containers_changed");
  gen_u64 (g, s->containers_changed.len);
  gen_str (g, "containers_refused");
  gen_u64 (g, s->containers_refused.len);
  gen_counts (g, "by_subcommand", &s->subcommand, SIZE_MAX);
  gen_counts (g, "by_outcome", &s->outcome, SIZE_MAX);
  gen_counts (g, "by_profile_outcome", &s->profile_outcome, SIZE_MAX);
  gen_counts (g, "refused_by_rule", &s->refused_rule, SIZE_MAX);
  {
    size_t n_items;
    const struct cis_item *items = compliance_cis_items (&n_items);
    gen_str (g, "cis");
    yajl_gen_array_open (g);
    for (size_t k = 0; k < n_items; k++)
      {
        yajl_gen_map_open (g);
        gen_str (g, "item");
        gen_str (g, items[k].id);
        gen_str (g, "title");
        gen_str (g, items[k].title);
        gen_str (g, "coverage");
        gen_str (g, compliance_coverage_name (items[k].coverage));
        gen_str (g, "refused");
        yajl_gen_integer (g, (long long) cis_count (&s->refused_rule, items[k].id, false));
        gen_str (g, "changes");
        yajl_gen_integer (g, (long long) cis_count (&s->change_control, items[k].id, true));
        yajl_gen_map_close (g);
      }
    yajl_gen_array_close (g);
  }
  gen_counts (g, "refused_by_profile_rule", &s->refused_profile_rule, SIZE_MAX);
  gen_counts (g, "findings_by_rule_action", &s->finding_rule_action, SIZE_MAX);
  gen_counts (g, "top_changes", &s->change_control, top);
  yajl_gen_map_close (g);
  if (yajl_gen_get_buf (g, &buf, &len) == yajl_gen_status_ok)
    {
      fwrite (buf, 1, len, stdout);
      putchar ('\n');
    }
  yajl_gen_free (g);
}

/* "CIS 5.5 privileged: refused 3", one line per item and rule */
static void
print_refused_by_cis (const struct summary *s)
{
  size_t n, n_items;
  cleanup_free struct counter *sorted = counts_sorted (&s->refused_rule, &n);
  const struct cis_item *items = compliance_cis_items (&n_items);
  bool title = false;

  for (size_t k = 0; k < n_items; k++)
    for (size_t i = 0; i < n; i++)
      {
        const struct compliance_entry *e = compliance_of_rule (sorted[i].key);
        if (e == NULL || !compliance_cis_has (e->cis, items[k].id))
          continue;
        if (!title)
          puts ("\nrefused (or would be), by CIS Docker Benchmark v1.6.0 item:");
        title = true;
        printf ("  CIS %s %s: refused %ju\n", items[k].id, sorted[i].key, (uintmax_t) sorted[i].n);
      }
}

/* report --cis: section 5 item by item */
static void
print_cis (const struct summary *s)
{
  size_t n_items;
  const struct cis_item *items = compliance_cis_items (&n_items);

  puts ("CIS Docker Benchmark v1.6.0, section 5 (container runtime), as hardened-runc sees it:");
  for (size_t k = 0; k < n_items; k++)
    {
      printf ("  %-5s %s: %s (%s)", items[k].id, items[k].title, compliance_coverage_name (items[k].coverage),
              items[k].note);
      if (items[k].coverage != CIS_OUTSIDE)
        printf ("; refused %ju, changes %ju", (uintmax_t) cis_count (&s->refused_rule, items[k].id, false),
                (uintmax_t) cis_count (&s->change_control, items[k].id, true));
      putchar ('\n');
    }
}

static void
print_text (const struct summary *s, size_t top)
{
  printf ("decisions: %ju", (uintmax_t) s->decisions);
  if (s->first_time)
    printf (" (%s .. %s)", s->first_time, s->last_time);
  printf ("\ncontainers seen: %zu, changed: %zu, refused: %zu\n", s->containers.len, s->containers_changed.len,
          s->containers_refused.len);
  if (s->damaged || s->incomplete || s->compressed_skipped)
    printf ("skipped: %ju damaged line(s)%s%s, %ju line(s) still being written, %ju compressed file(s) "
            "(decompress them: zcat FILE | hardened-runc report -)\n",
            (uintmax_t) s->damaged, s->first_damage ? ", first: " : "", s->first_damage ? s->first_damage : "",
            (uintmax_t) s->incomplete, (uintmax_t) s->compressed_skipped);
  print_counts ("by outcome", &s->outcome, SIZE_MAX);
  print_counts ("by subcommand", &s->subcommand, SIZE_MAX);
  print_counts ("by profile: outcome", &s->profile_outcome, SIZE_MAX);
  print_counts ("refused (or would be, in audit mode), by rule", &s->refused_rule, SIZE_MAX);
  print_refused_by_cis (s);
  print_counts ("refused, by profile: rule", &s->refused_profile_rule, SIZE_MAX);
  print_counts ("findings, by rule: action", &s->finding_rule_action, SIZE_MAX);
  print_counts ("most frequent changes", &s->change_control, top);
}

static int
usage_report (void)
{
  fputs ("usage: hardened-runc report [--policy FILE] [--json | --cis] [--top N] [AUDIT_LOG... | -]\n", stderr);
  return EXIT_USAGE;
}

/* The policy's audit log and its rotations (LOG.N; LOG.N.gz are counted,
 * not read), oldest first.  -1 (said on stderr) when the policy cannot be
 * loaded; *RC becomes EXIT_INVALID when the log cannot be read. */
static int
take_policy_logs (struct summary *s, const char *policy_path, int *rc)
{
  cleanup_policy struct policy *policy = NULL;
  cleanup_hr_error hr_err err = NULL;
  int last = 0;

  if (policy_load (policy_path, &policy, &err) < 0)
    {
      fprintf (stderr, "hardened-runc report: %s\n", err->msg);
      return -1;
    }
  for (int k = 1; k <= REPORT_ROTATED_MAX; k++)
    {
      cleanup_free char *p = xasprintf ("%s.%d", policy->audit_log, k);
      cleanup_free char *gz = xasprintf ("%s.%d.gz", policy->audit_log, k);
      if (access (p, F_OK) == 0 || access (gz, F_OK) == 0)
        last = k;
      else
        break;
    }
  for (int k = last; k >= 1; k--)
    {
      cleanup_free char *p = xasprintf ("%s.%d", policy->audit_log, k);
      if (access (p, F_OK) == 0)
        take_file (s, p);
      else
        s->compressed_skipped++;
    }
  if (take_file (s, policy->audit_log) < 0)
    *rc = EXIT_INVALID;
  return 0;
}

int
report_main (int argc, char **argv)
{
  struct summary s = { 0 };
  const char *policy_path = NULL;
  bool as_json = false, cis = false;
  size_t top = 10;
  int first_file = 0, n_files = 0, rc = EXIT_OK;

  for (int i = 1; i < argc; i++)
    {
      const struct explain_option policy_option = { "policy", &policy_path };
      int taken;
      if (strcmp (argv[i], "--json") == 0)
        as_json = true;
      else if (strcmp (argv[i], "--cis") == 0)
        cis = true;
      else if ((taken = explain_value_option (argc, argv, i, &policy_option, 1)) > 0)
        i += taken - 1;
      else if (strcmp (argv[i], "--top") == 0 && i + 1 < argc)
        {
          uint64_t t;
          if (!parse_u64 (argv[i + 1], strlen (argv[i + 1]), &t) || t == 0 || t > 100000)
            return usage_report ();
          top = (size_t) t;
          i++;
        }
      else if (argv[i][0] == '-' && argv[i][1] != '\0')
        return usage_report ();
      else
        {
          if (n_files == 0)
            first_file = i;
          n_files++;
          if (i != first_file + n_files - 1)
            return usage_report (); /* options after files */
        }
    }
  if (n_files > 0)
    {
      for (int i = first_file; i < first_file + n_files; i++)
        if (take_file (&s, argv[i]) < 0)
          rc = EXIT_INVALID;
    }
  else if (take_policy_logs (&s, policy_path, &rc) < 0)
    {
      summary_free (&s);
      return EXIT_INVALID;
    }
  if (as_json)
    print_json (&s, top);
  else if (cis)
    print_cis (&s);
  else
    print_text (&s, top);
  summary_free (&s);
  return rc;
}
