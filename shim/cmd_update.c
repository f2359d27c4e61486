/* SPDX-License-Identifier: Apache-2.0 */
/* update: limits can be lowered, never removed or raised above the
 * profile's maxima. */
#include "command.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controls.h"
#include "fields.h"
#include "fileio.h"
#include "harden.h"
#include "spec.h"
#include "util.h"

/* The value a limit may take in an update: removal (-1) and excess become
 * the max; 0 means "leave it as it is" to runc. */
static bool
clamp_limit (const struct policy_limit *lim, int64_t v, int64_t *out)
{
  if (!lim->has_max || v == 0)
    return false;
  if (v < 0 || v > lim->max)
    {
      *out = lim->max;
      return true;
    }
  return false;
}

/* One of update's judged options, read as runc 1.1 reads it: --pids-limit
 * an int (Go's flag.Int), --memory and --memory-swap "-1" or a size
 * (go-units RAMInBytes), --cpu-share strconv.ParseUint (s, 10, 64); an
 * empty string is no value.  Rewritten as the number runc will use. */
static int
update_flag (struct command_decision *d, struct runc_cli *cli, const char *name, const struct policy_limit *lim,
             struct changes *changes, int64_t *result, hr_err *err)
{
  const struct cli_option *o = cli_find (cli, name);
  int64_t v = 0, nv;
  cleanup_free char *before = NULL;

  *result = 0;
  if (o == NULL || o->value[0] == '\0')
    return 0;
  if (o->kind == CLI_INT)
    v = o->number;
  else if (strcmp (name, "cpu-share") == 0)
    {
      uint64_t u;
      if (!cli_go_parse_uint (o->value, &u))
        return hr_error_set (err, HR_ERR_USAGE, 0, "update --%s \"%s\": not an unsigned decimal number; runc refuses it",
                             name, o->value);
      v = u > (uint64_t) INT64_MAX ? INT64_MAX : (int64_t) u;
      if (u > (uint64_t) INT64_MAX && !lim->has_max)
        return hr_error_set (err, HR_ERR_USAGE, 0, "update --%s \"%s\": too large to judge", name, o->value);
    }
  else if (strcmp (o->value, "-1") == 0)
    v = -1;
  else if (!cli_go_ram_in_bytes (o->value, &v))
    return hr_error_set (err, HR_ERR_USAGE, 0,
                         "update --%s \"%s\": not a size runc reads the same way (-1, or digits with an optional "
                         "fraction and k, m, g, t or p, optionally followed by i and b)",
                         name, o->value);
  before = xstrdup (o->value);
  {
    /* canonical: the number runc will use */
    cleanup_free char *text = xasprintf ("%lld", (long long) v);
    cli_set (cli, name, text);
  }
  *result = v;
  if (!clamp_limit (lim, v, &nv))
    return 0;
  {
    cleanup_free char *control = xasprintf ("update --%s", name);
    cleanup_json struct json_value *b = json_new_string (before);
    cleanup_json struct json_value *after = json_new_i64 (nv);
    cleanup_free char *text = xasprintf ("%lld", (long long) nv);
    changes_add (changes, control, b, after);
    if (d->mode == POLICY_MODE_ENFORCE)
      cli_set (cli, name, text);
  }
  *result = nv;
  return 0;
}

/* Clamp PARENT.KEY (a number, when present). */
static int
update_field (struct harden_ctx *ctx, struct json_value *parent, const char *path, const char *key,
              const struct policy_limit *lim, int64_t *result, hr_err *err)
{
  cleanup_free char *full = xasprintf ("%s.%s", path, key);
  struct json_value *v = NULL;
  int64_t cur, nv;

  *result = 0;
  if (parent == NULL)
    return 0;
  if (spec_get (ctx->source, parent, path, key, SPEC_NUMBER, &v, err) < 0)
    return -1;
  if (v == NULL)
    return 0;
  if (spec_number_i64 (ctx->source, v, full, &cur, err) < 0)
    return -1;
  *result = cur;
  if (!clamp_limit (lim, cur, &nv))
    return 0;
  {
    cleanup_json struct json_value *after = json_new_i64 (nv);
    changes_add (ctx->changes, full, v, after);
    json_object_set (parent, key, steal_pointer (&after));
  }
  *result = nv;
  return 0;
}

/* --resources FILE, or - (stdin). */
static int
resources_read (const char *value, struct spec **res, hr_err *err)
{
  static const char stdin_name[] = "update --resources - (stdin)";
  cleanup_free char *buf = NULL;
  size_t len = 0;

  if (strcmp (value, "-") != 0)
    return spec_load_file (value, res, err);
  if (file_read_fd (STDIN_FILENO, stdin_name, SPEC_MAX_BYTES, &buf, &len, err) < 0)
    return -1;
  return spec_load_buffer (buf, len, stdin_name, res, err);
}

/* The limits of RES (a linux.resources document) clamped to the
 * profile's maxima; swap to at most twice the memory limit. */
static int
resources_clamp (struct command_decision *d, struct spec *res, hr_err *err)
{
  const struct policy_profile *p = d->profile;
  struct json_value *memory = NULL, *pids = NULL, *cpu = NULL, *swap = NULL;
  struct harden_ctx ctx
      = { .source = res->display, .profile = p, .changes = &d->changes, .findings = &d->findings };
  int64_t limit, unused, sw;

  if (spec_get (res->display, res->root, "", "memory", SPEC_OBJECT, &memory, err) < 0
      || spec_get (res->display, res->root, "", "pids", SPEC_OBJECT, &pids, err) < 0
      || spec_get (res->display, res->root, "", "cpu", SPEC_OBJECT, &cpu, err) < 0)
    return -1;
  if (update_field (&ctx, pids, "pids", "limit", &p->pids, &unused, err) < 0
      || update_field (&ctx, memory, "memory", "limit", &p->memory, &limit, err) < 0
      || update_field (&ctx, cpu, "cpu", "shares", &p->cpu_shares, &unused, err) < 0)
    return -1;
  if (memory && spec_get (res->display, memory, "memory", "swap", SPEC_NUMBER, &swap, err) < 0)
    return -1;
  if (swap && spec_number_i64 (res->display, swap, "memory.swap", &sw, err) < 0)
    return -1;
  if (swap && p->memory.has_max)
    {
      int64_t cap = limits_swap_max (limit > 0 ? limit : p->memory.max);
      if (sw < 0 || sw > cap)
        {
          cleanup_json struct json_value *after = json_new_i64 (cap);
          changes_add (&d->changes, "memory.swap", swap, after);
          json_object_set (memory, "swap", steal_pointer (&after));
        }
    }
  return 0;
}

static int
update_resources (struct command_decision *d, struct runc_cli *cli, const struct cli_option *ropt, hr_err *err)
{
  cleanup_spec struct spec *res = NULL;
  cleanup_json struct json_value *original = NULL;
  cleanup_close int fd = -1;

  if (resources_read (ropt->value, &res, err) < 0)
    return -1;
  original = json_clone (res->root);
  /* runc reads the document as a spec's linux.resources: those rows of the
   * spec surface decide it too (unified keys that would undo a limit, keys
   * spelled so that only runc reads them).  Refused in every mode: the
   * document was read from the caller and cannot be handed back unread. */
  {
    const struct fields_env env = { .source = res->display, .bundle_fd = -1 };
    if (fields_check (&env, res->root, "linux.resources", err) < 0)
      return -1;
  }
  if (resources_clamp (d, res, err) < 0)
    return -1;
  /* runc reads the resources from stdin: hand it the (clamped) copy;
   * audit mode: exactly what it was given */
  if (command_memfd ("hardened-runc-resources", d->mode == POLICY_MODE_AUDIT ? original : res->root, 0, &fd, err) < 0)
    return -1;
  if (dup2 (fd, STDIN_FILENO) < 0)
    return hr_error_set (err, HR_ERR_INTERNAL, errno, "dup2");
  cli_set (cli, "resources", "-");
  return 0;
}

/* --l3-cache-schema and --mem-bw-schema: runc 1.1 applies them with or
 * without --resources, and creates the container's resctrl group if it
 * had none; rule intel_rdt judges them as it judges linux.intelRdt. */
static int
update_rdt_check (struct command_decision *d, const struct runc_cli *cli, hr_err *err)
{
  static const char *const options[] = { "l3-cache-schema", "mem-bw-schema" };
  enum rule_action action = policy_rule_action (d->profile, RULE_INTEL_RDT);
  struct harden_ctx ctx
      = { .source = "update", .profile = d->profile, .changes = &d->changes, .findings = &d->findings };

  for (size_t i = 0; i < ARRAY_SIZE (options) && action != RULE_ALLOW; i++)
    {
      const struct cli_option *o = cli_find (cli, options[i]);
      if (o && o->value[0])
        {
          cleanup_free char *detail = xasprintf ("update --%s sets the container's Intel RDT allocation, which "
                                                 "changes resources the container shares with the host",
                                                 options[i]);
          if (decision_match (&ctx, RULE_INTEL_RDT, action, detail, err) < 0)
            return -1;
        }
    }
  return 0;
}

int
cmd_update (struct runc_cli *cli, char **runtime, hr_err *err)
{
  struct command_decision d;
  const struct policy_profile *profile = NULL;
  const struct cli_option *ropt;
  int ret = -1;

  if (command_begin (&d, cli, err) < 0)
    goto out;
  if (command_container_profile (&d, cli, &profile, NULL, err) < 0)
    goto failed;
  command_choose (&d, profile);
  if (update_rdt_check (&d, cli, err) < 0)
    goto failed;
  ropt = cli_find (cli, "resources");
  if (ropt)
    {
      /* audit mode still has to hand runc the unchanged input */
      if (update_resources (&d, cli, ropt, err) < 0)
        goto failed;
    }
  else
    {
      int64_t mem = 0, unused;
      const struct cli_option *sw = cli_find (cli, "memory-swap");
      if (update_flag (&d, cli, "pids-limit", &profile->pids, &d.changes, &unused, err) < 0
          || update_flag (&d, cli, "memory", &profile->memory, &d.changes, &mem, err) < 0
          || update_flag (&d, cli, "cpu-share", &profile->cpu_shares, &d.changes, &unused, err) < 0)
        goto failed;
      if (sw && profile->memory.has_max)
        {
          struct policy_limit swap_lim
              = { .has_max = true, .max = limits_swap_max (mem > 0 ? mem : profile->memory.max) };
          if (update_flag (&d, cli, "memory-swap", &swap_lim, &d.changes, &unused, err) < 0)
            goto failed;
        }
    }
  if (command_audit (&d, NULL, err) < 0)
    goto out;
  *runtime = steal_pointer (&d.runtime);
  ret = 0;
  goto out;
failed:
  command_fail (&d, err);
out:
  command_release (&d);
  return ret;
}
