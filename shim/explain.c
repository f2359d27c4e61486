/* SPDX-License-Identifier: Apache-2.0 */
#include "explain.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "compliance.h"
#include "harden.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "sysfilter_build.h"
#include "sysfilter_cache.h"
#include "sysfilter_profile.h"
#include "util.h"

static int
exit_for (const struct hr_error *e)
{
  switch (e->kind)
    {
    case HR_ERR_REFUSED:
    case HR_ERR_FORBIDDEN:
      return EXIT_REFUSED;
    case HR_ERR_INPUT:
      return EXIT_INVALID;
    case HR_ERR_USAGE:
      return EXIT_USAGE;
    case HR_ERR_INTERNAL:
    default:
      return EXIT_INTERNAL;
    }
}

static void
print_value (FILE *f, const struct json_value *v)
{
  cleanup_free char *text = NULL;
  size_t len;
  cleanup_hr_error hr_err err = NULL;

  if (v == NULL)
    fputs ("(absent)", f);
  else if (json_generate (v, &text, &len, &err) == 0)
    fwrite (text, 1, len, f);
}

/* An absent value or an array of strings only: a set a change can be
 * shown as what it removed and added (capabilities, masked paths). */
static bool
is_string_set (const struct json_value *v)
{
  if (v == NULL)
    return true;
  if (v->type != JSON_ARRAY)
    return false;
  for (size_t i = 0; i < v->u.arr.len; i++)
    if (v->u.arr.items[i]->type != JSON_STRING)
      return false;
  return true;
}

static bool
set_has (const struct json_value *v, const char *s)
{
  for (size_t i = 0; v && i < v->u.arr.len; i++)
    if (strcmp (v->u.arr.items[i]->u.str.s, s) == 0)
      return true;
  return false;
}

static bool
is_set_change (const struct change *c)
{
  return (c->before || c->after) && is_string_set (c->before) && is_string_set (c->after);
}

/* Call EACH on every string of A that B lacks, in A's order. */
static size_t
set_minus (const struct json_value *a, const struct json_value *b, void (*each) (const char *, void *), void *data)
{
  size_t n = 0;
  for (size_t i = 0; a && i < a->u.arr.len; i++)
    if (!set_has (b, a->u.arr.items[i]->u.str.s))
      {
        if (each)
          each (a->u.arr.items[i]->u.str.s, data);
        n++;
      }
  return n;
}

static void
print_item (const char *s, void *data)
{
  size_t *n = data;
  printf ("%s%s", (*n)++ ? ", " : "", s);
}

/* "removed A, B; added C" */
static void
print_set_change (const struct change *c)
{
  size_t removed = set_minus (c->before, c->after, NULL, NULL), added = set_minus (c->after, c->before, NULL, NULL);
  size_t n = 0;

  if (removed)
    {
      fputs ("removed ", stdout);
      set_minus (c->before, c->after, print_item, &n);
    }
  if (added)
    {
      fputs (removed ? "; added " : "added ", stdout);
      n = 0;
      set_minus (c->after, c->before, print_item, &n);
    }
  if (removed == 0 && added == 0)
    fputs (c->after ? "same entries, reordered or deduplicated" : "empty list removed", stdout);
}

static void
gen_s (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

/* "cis", "pss" and, when neither, "compliance_none" (the reason) */
static void
gen_compliance (yajl_gen g, const struct compliance_entry *e)
{
  gen_s (g, "cis");
  e && e->cis ? gen_s (g, e->cis) : (void) yajl_gen_null (g);
  gen_s (g, "pss");
  e && e->pss ? gen_s (g, e->pss) : (void) yajl_gen_null (g);
  gen_s (g, "compliance_none");
  e && e->none ? gen_s (g, e->none) : (void) yajl_gen_null (g);
}

static void
print_compliance (const struct compliance_entry *e)
{
  if (e)
    printf ("      (%s)\n", compliance_label (e));
}

static void
gen_item (const char *s, void *data)
{
  gen_s (data, s);
}

static void
print_json (const char *config, const struct policy *policy, const char *profile, const char *mode,
            const char *verdict, const struct hr_error *e, const struct changes *changes,
            const struct findings *findings)
{
  cleanup_yajl_gen yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;

  if (g == NULL)
    return;
  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_map_open (g);
  gen_s (g, "config");
  gen_s (g, config);
  gen_s (g, "policy");
  policy ? gen_s (g, policy->source) : (void) yajl_gen_null (g);
  gen_s (g, "profile");
  profile ? gen_s (g, profile) : (void) yajl_gen_null (g);
  gen_s (g, "mode");
  mode ? gen_s (g, mode) : (void) yajl_gen_null (g);
  gen_s (g, "verdict");
  gen_s (g, verdict);
  gen_s (g, "reason");
  e ? gen_s (g, e->msg) : (void) yajl_gen_null (g);
  gen_s (g, "changes");
  yajl_gen_array_open (g);
  for (size_t i = 0; (e == NULL || hr_error_is_refusal (e)) && i < changes->len; i++)
    {
      const struct change *c = &changes->items[i];
      yajl_gen_map_open (g);
      gen_s (g, "control");
      gen_s (g, c->control);
      gen_s (g, "before");
      c->before ? (void) json_gen (g, c->before) : (void) yajl_gen_null (g);
      gen_s (g, "after");
      c->after ? (void) json_gen (g, c->after) : (void) yajl_gen_null (g);
      if (is_set_change (c))
        {
          /* a list of names: what the change took out and put in */
          gen_s (g, "removed");
          yajl_gen_array_open (g);
          set_minus (c->before, c->after, gen_item, g);
          yajl_gen_array_close (g);
          gen_s (g, "added");
          yajl_gen_array_open (g);
          set_minus (c->after, c->before, gen_item, g);
          yajl_gen_array_close (g);
        }
      gen_compliance (g, compliance_of_control (c->control));
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  gen_s (g, "findings");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < findings->len; i++)
    {
      yajl_gen_map_open (g);
      gen_s (g, "rule");
      gen_s (g, policy_rule_name (findings->items[i].rule));
      gen_s (g, "action");
      gen_s (g, policy_action_name (findings->items[i].action));
      gen_s (g, "detail");
      gen_s (g, findings->items[i].detail);
      gen_compliance (g, compliance_of_rule (policy_rule_name (findings->items[i].rule)));
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  if (yajl_gen_get_buf (g, &buf, &len) == yajl_gen_status_ok)
    fwrite (buf, 1, len, stdout);
}

#ifndef HR_VERSION
#define HR_VERSION "unknown"
#endif

static const char *
mode_name (enum policy_mode m)
{
  return m == POLICY_MODE_AUDIT ? "audit" : "enforce";
}

void
explain_print_version (FILE *out, const char *policy_path)
{
  cleanup_policy struct policy *policy = NULL;
  cleanup_hr_error hr_err err = NULL;
  const struct policy_profile *profile = NULL;

  /* no line of the shim's may start with "commit:" and runc's "version"
   * line comes last: engines take the last one */
  fprintf (out, "hardened-runc version %s\n", HR_VERSION);
  if (policy_load (policy_path, &policy, &err) < 0)
    fprintf (out, "hardened-runc policy: not loaded (%s)\n", err->msg);
  else if (policy_select_profile (policy, NULL, &profile, &err) < 0)
    fprintf (out, "hardened-runc policy: %s, %s mode (%s)\n", policy->source, mode_name (policy->mode), err->msg);
  else
    fprintf (out, "hardened-runc policy: %s, %s mode, default profile \"%s\" (%s mode)\n", policy->source,
             mode_name (policy->mode), profile->name, mode_name (policy_profile_mode (policy, profile)));
  fflush (out);
}

void
explain_print_help (FILE *out)
{
  fputs ("hardened-runc: an OCI runtime shim that applies a policy to containers, then runs runc.\n"
         "\n"
         "Usage: hardened-runc [--policy FILE] [--profile NAME] [runc's global options] COMMAND [ARGS]\n"
         "\n"
         "The shim's options (before the command; runc never sees them):\n"
         "   --policy FILE    the policy file (default: " POLICY_SYSTEM_PATH ", else the embedded default)\n"
         "   --profile NAME   the profile to apply (default: the policy's choice for the container)\n"
         "\n"
         "The shim's commands (runc is not run):\n"
         "   explain [--json] CONFIG.json      what the policy would do to a config.json, and why\n"
         "   validate-policy [FILE]            check a policy file (or --policy FILE)\n"
         "   report [--json] [--cis] [LOG...]  sum up audit logs: refusals and changes by rule\n"
         "\n"
         "create, run, exec, update and restore are hardened; every other command is runc's.\n"
         "See hardened-runc(8) and hardened-runc-policy(5).  runc's own help follows.\n"
         "\n",
         out);
  fflush (out);
}

/* explain's words for people: the profile, each finding and change (with
 * the benchmark items they implement), the verdict. */
static void
print_text (const char *config, const struct policy *policy, const struct policy_profile *profile,
            enum policy_mode mode, const char *verdict, const struct hr_error *err, const struct changes *changes,
            const struct findings *findings)
{
  if (policy && profile)
    printf ("%s: profile \"%s\" (%s mode) from %s\n", config, profile->name,
            mode == POLICY_MODE_AUDIT ? "audit" : "enforce", policy->source);
  for (size_t i = 0; i < findings->len; i++)
    {
      printf ("  %s %s: %s\n", policy_action_name (findings->items[i].action),
              policy_rule_name (findings->items[i].rule), findings->items[i].detail);
      print_compliance (compliance_of_rule (policy_rule_name (findings->items[i].rule)));
    }
  for (size_t i = 0; (err == NULL || hr_error_is_refusal (err)) && i < changes->len; i++)
    {
      printf ("  change %s: ", changes->items[i].control);
      if (is_set_change (&changes->items[i]))
        print_set_change (&changes->items[i]);
      else
        {
          print_value (stdout, changes->items[i].before);
          fputs (" -> ", stdout);
          print_value (stdout, changes->items[i].after);
        }
      putchar ('\n');
      print_compliance (compliance_of_control (changes->items[i].control));
    }
  if (err && strcmp (verdict, "would-refuse") == 0)
    printf ("verdict: would start (audit mode), though enforce mode would refuse it: %s\n", err->msg);
  else if (err && hr_error_is_refusal (err))
    printf ("REFUSED: %s\n", err->msg);
  else if (err)
    fprintf (stderr, "hardened-runc: %s\n", err->msg);
  else if (changes->len == 0)
    puts ("verdict: would start unchanged");
  else if (mode == POLICY_MODE_AUDIT)
    printf ("verdict: would start unchanged (audit mode: %zu change(s) only logged)\n", changes->len);
  else
    printf ("verdict: would start with %zu change(s)\n", changes->len);
}

int
explain_value_option (int argc, char **argv, int i, const struct explain_option *opts, size_t n)
{
  for (size_t k = 0; k < n; k++)
    {
      size_t len = strlen (opts[k].name);
      if (strncmp (argv[i], "--", 2) != 0 || strncmp (argv[i] + 2, opts[k].name, len) != 0)
        continue;
      if (argv[i][2 + len] == '=')
        {
          *opts[k].value = argv[i] + 2 + len + 1;
          return 1;
        }
      if (argv[i][2 + len] == '\0')
        {
          if (i + 1 >= argc)
            return -1;
          *opts[k].value = argv[i + 1];
          return 2;
        }
    }
  return 0;
}

static int
usage_explain (void)
{
  fputs ("usage: hardened-runc explain [--policy FILE] [--profile NAME] [--root DIR] [--json] CONFIG.json\n", stderr);
  return EXIT_USAGE;
}

int
explain_main (int argc, char **argv)
{
  cleanup_policy struct policy *policy = NULL;
  cleanup_spec struct spec *spec = NULL;
  cleanup_hr_error hr_err err = NULL;
  const char *policy_path = NULL, *profile_name = NULL, *config = NULL, *runtime_root = NULL;
  /* runc's --root as the engine passes it: the CRI plugin's pods are
   * recognised under containerd's k8s.io namespace only */
  const struct explain_option options[] = {
    { "policy", &policy_path },
    { "profile", &profile_name },
    { "root", &runtime_root },
  };
  const struct policy_profile *profile = NULL;
  struct changes changes = { 0 };
  struct findings findings = { 0 };
  struct harden_ctx ctx;
  cleanup_close int bundle_fd = -1;
  bool as_json = false;
  enum policy_mode mode = POLICY_MODE_ENFORCE;
  const char *verdict;
  int rc;

  for (int i = 1; i < argc; i++)
    {
      int taken;
      if (strcmp (argv[i], "--json") == 0)
        as_json = true;
      else if ((taken = explain_value_option (argc, argv, i, options, ARRAY_SIZE (options))) > 0)
        i += taken - 1;
      else if (taken < 0 || (argv[i][0] == '-' && argv[i][1] != '\0') || config != NULL)
        return usage_explain ();
      else
        config = argv[i];
    }
  if (config == NULL)
    return usage_explain ();

  if (policy_load (policy_path, &policy, &err) < 0 || spec_load_file (config, &spec, &err) < 0
      || harden_choose_profile (policy, profile_name, runtime_root, spec->display, spec->root, &profile, &err) < 0)
    goto report;
  mode = policy_profile_mode (policy, profile);
  {
    /* relative paths in the file are runc's from its directory, the bundle */
    cleanup_free char *dir = xstrdup (config);
    char *slash = strrchr (dir, '/');
    if (slash)
      slash[slash == dir ? 1 : 0] = '\0';
    bundle_fd = open (slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }
  ctx = (struct harden_ctx){ .source = spec->display,
                             .profile = profile,
                             .changes = &changes,
                             .findings = &findings,
                             .has_bundle = bundle_fd >= 0,
                             .bundle_fd = bundle_fd,
                             .seccomp_cache_dir = sysfilter_cache_system_dir () };
  harden_spec (&ctx, spec->root, &err);

report:
  if (err && err->kind == HR_ERR_REFUSED && mode == POLICY_MODE_AUDIT && profile)
    verdict = "would-refuse"; /* audit mode only records refusals */
  else if (err)
    verdict = hr_error_is_refusal (err) ? "refused" : "error";
  else if (changes.len == 0)
    verdict = "allowed";
  else
    verdict = mode == POLICY_MODE_ENFORCE ? "changed" : "would-change";
  rc = err && strcmp (verdict, "would-refuse") != 0 ? exit_for (err) : EXIT_OK;

  if (as_json)
    print_json (config, policy, profile ? profile->name : profile_name,
                policy ? (mode == POLICY_MODE_AUDIT ? "audit" : "enforce") : NULL, verdict, err, &changes,
                &findings);
  else
    print_text (config, policy, profile, mode, verdict, err, &changes, &findings);
  changes_release (&changes);
  findings_release (&findings);
  return rc;
}

int
validate_policy_main (int argc, char **argv)
{
  cleanup_policy struct policy *policy = NULL;
  cleanup_hr_error hr_err err = NULL;

  const char *file = NULL;

  /* FILE, or --policy FILE (the global option before the subcommand) */
  for (int i = 1; i < argc; i++)
    {
      const char *given = NULL;
      const struct explain_option policy_option = { "policy", &given };
      int taken = explain_value_option (argc, argv, i, &policy_option, 1);
      if (taken > 0)
        i += taken - 1;
      else if (taken == 0 && (argv[i][0] != '-' || argv[i][1] == '\0'))
        given = argv[i];
      if (given == NULL || file != NULL)
        {
          fputs ("usage: hardened-runc validate-policy FILE | hardened-runc --policy FILE validate-policy\n", stderr);
          return EXIT_USAGE;
        }
      file = given;
    }
  if (file == NULL)
    {
      fputs ("usage: hardened-runc validate-policy FILE | hardened-runc --policy FILE validate-policy\n", stderr);
      return EXIT_USAGE;
    }
  if (policy_load_file (file, &policy, &err) < 0)
    {
      fprintf (stderr, "hardened-runc: %s\n", err->msg);
      return exit_for (err);
    }
  /* the seccomp profiles the policy names must load and build too */
  for (size_t i = 0; i < policy->n_profiles; i++)
    if (policy->profiles[i].seccomp)
      {
        cleanup_json struct json_value *sc = NULL;
        cleanup_free char *display = NULL;
        if (sysfilter_profile_load (policy->profiles[i].seccomp, &sc, &display, &err) < 0
            || sysfilter_profile_validate (display, sc, true, &err) < 0
            || sysfilter_build_check (display, sc, &err) < 0)
          {
            fprintf (stderr, "hardened-runc: %s: profiles.%s.seccomp: %s\n", file, policy->profiles[i].name,
                     err->msg);
            return exit_for (err);
          }
      }
  printf ("%s: valid; default profile \"%s\"; profiles:", file, policy->default_profile);
  for (size_t i = 0; i < policy->n_profiles; i++)
    printf (" %s", policy->profiles[i].name);
  putchar ('\n');
  return EXIT_OK;
}
