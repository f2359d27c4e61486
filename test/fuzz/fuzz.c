/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: config.json load -> policy apply -> save, and policy
 * loading.  The first byte picks the path; the rest is the document.  The
 * same binary replays a crash file: ./fuzz CRASH-FILE. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "harden.h"
#include "lsm.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "syscall_filter.h"
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
      && seccomp_profile_validate ("fuzz-seccomp.json", p, true, &err) == 0)
    seccomp_intersect ("fuzz", p, p, ~0ull, &res, NULL, &err);
  hr_error_free (err);
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
  switch (data[0] % 3)
    {
    case 0:
      fuzz_config ((const char *) data + 1, size - 1);
      break;
    case 1:
      fuzz_policy ((const char *) data + 1, size - 1);
      break;
    default:
      fuzz_seccomp ((const char *) data + 1, size - 1);
      break;
    }
  return 0;
}
