/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: config.json load -> policy apply -> save, policy
 * loading, seccomp profiles, and runc's command line (NUL-separated
 * arguments: what the shim accepts, it writes out for runc, and that
 * parses back to the same reading).  The first byte picks the path; the
 * rest is the document.  The same binary replays a crash file: ./fuzz
 * CRASH-FILE. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "harden.h"
#include "controls.h"
#include "lsm.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "sysfilter_intersect.h"
#include "sysfilter_profile.h"
#include "util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static struct policy *shipped;

static void
fuzz_config (const char *text, size_t len)
{
  cleanup_spec struct spec *spec = NULL;
  cleanup_free char *out = NULL;
  const struct policy_profile *profile = NULL;
  struct changes changes = { 0 };
  struct findings findings = { 0 };
  struct harden_ctx ctx;
  struct lsm_env lsm;
  hr_err err = NULL;
  size_t olen;

  if (spec_load_buffer (text, len, "fuzz.json", &spec, &err) == 0
      && harden_choose_profile (shipped, NULL, NULL, "fuzz.json", spec->root, &profile, &err) == 0)
    {
      lsm_env_prepared (&lsm, "/nonexistent/hardened-runc-lsm"); /* none enabled */
      ctx = (struct harden_ctx){
        .source = "fuzz.json", .profile = profile, .changes = &changes, .findings = &findings, .lsm = &lsm
      };
      if (harden_spec (&ctx, spec->root, &err) == 0 && json_generate (spec->root, &out, &olen, &err) == 0)
        {
          /* what is written must parse again */
          cleanup_spec struct spec *again = NULL;
          if (spec_load_buffer (out, olen, "written", &again, &err) < 0)
            __builtin_trap ();
        }
    }
  hr_error_free (err);
  changes_release (&changes);
  findings_release (&findings);
}

static void
fuzz_policy (const char *text, size_t len)
{
  struct policy *p = NULL;
  hr_err err = NULL;
  if (policy_parse (text, len, "fuzz-policy.json", &p, &err) == 0)
    policy_free (p);
  hr_error_free (err);
}

static void
fuzz_seccomp (const char *text, size_t len)
{
  static const struct json_limits limits = { .max_depth = 16 };
  cleanup_json struct json_value *p = NULL, *res = NULL;
  hr_err err = NULL;
  if (json_parse (text, len, "fuzz-seccomp.json", &limits, &p, &err) == 0
      && sysfilter_profile_validate ("fuzz-seccomp.json", p, true, &err) == 0)
    sysfilter_intersect ("fuzz", p, p, ~0ull, &res, NULL, &err);
  hr_error_free (err);
}

/* The options as runc sees them: a false boolean is the same as none. */
static size_t
effective (const struct cli_option *list, size_t n, const struct cli_option **out)
{
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!(list[i].kind == CLI_BOOL && !list[i].on))
      out[k++] = &list[i];
  return k;
}

static void
same_options (const struct cli_option *a, size_t na, const struct cli_option *b, size_t nb)
{
  const struct cli_option **ea = xcalloc (na + 1, sizeof *ea), **eb = xcalloc (nb + 1, sizeof *eb);
  size_t ka = effective (a, na, ea), kb = effective (b, nb, eb);

  if (ka != kb)
    __builtin_trap ();
  for (size_t i = 0; i < ka; i++)
    if (strcmp (ea[i]->name, eb[i]->name) != 0 || strcmp (ea[i]->value, eb[i]->value) != 0
        || ea[i]->number != eb[i]->number)
      __builtin_trap ();
  free (ea);
  free (eb);
}

static void
fuzz_argv (const char *text, size_t len)
{
  char *argv[66] = { (char *) "hardened-runc" }, *again_argv[256];
  cleanup_free char *buf = xstrndup (text, len);
  struct runc_cli cli, again;
  hr_err err = NULL;
  int argc = 1, again_argc;
  size_t off = 0;

  while (off <= len && argc < 65)
    {
      argv[argc++] = buf + off;
      off += strlen (buf + off) + 1;
    }
  argv[argc] = NULL;
  if (cli_parse (argc, argv, &cli, &err) == 0 && cli.command != CLI_PASSTHROUGH)
    {
      cli_build_argv (&cli);
      if (cli.argc >= 256)
        __builtin_trap ();
      again_argc = (int) cli.argc;
      for (size_t i = 0; i <= cli.argc; i++)
        again_argv[i] = cli.argv[i];
      if (cli_parse (again_argc, again_argv, &again, &err) < 0 || again.command != cli.command || again.help
          || strcmp (again.container_id, cli.container_id) != 0 || again.n_args != cli.n_args
          || (cli.bundle == NULL) != (again.bundle == NULL) || (cli.bundle && strcmp (cli.bundle, again.bundle) != 0))
        __builtin_trap ();
      for (size_t i = 0; i < cli.n_args; i++)
        if (strcmp (cli.args[i], again.args[i]) != 0)
          __builtin_trap ();
      same_options (cli.options, cli.n_options, again.options, again.n_options);
      same_options (cli.globals, cli.n_globals, again.globals, again.n_globals);
      cli_release (&again);
    }
  hr_error_free (err);
  cli_release (&cli);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  if (shipped == NULL)
    {
      size_t len;
      const char *text = policy_embedded_text (&len);
      hr_err err = NULL;
      if (policy_parse (text, len, "embedded", &shipped, &err) < 0)
        __builtin_trap ();
    }
  if (size < 1)
    return 0;
  switch (data[0] % 4)
    {
    case 0:
      fuzz_config ((const char *) data + 1, size - 1);
      break;
    case 1:
      fuzz_policy ((const char *) data + 1, size - 1);
      break;
    case 2:
      fuzz_seccomp ((const char *) data + 1, size - 1);
      break;
    default:
      fuzz_argv ((const char *) data + 1, size - 1);
      break;
    }
  return 0;
}
