/* SPDX-License-Identifier: Apache-2.0 */
/* Nothing lost, on real configs: every config.json captured from dockerd
 * (test/fixtures/docker, by test/fixtures/capture.sh) is hardened with the
 * shipped baseline (rules set to allow, so that every fixture goes through
 * the controls), written, read back, and compared with the original after
 * removing only the fields the controls own.  Prints "N passed, N failed". */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "harden.h"
#include "controls.h"
#include "lsm.h"
#include "json.h"
#include "policy.h"
#include "spec.h"
#include "util.h"

/* The shipped policy plus a profile that extends its baseline with every
 * rule set to allow, so every fixture goes through the controls. */
static int
load_policy (struct policy **out, hr_err *err)
{
  static const char extra[] = "{\"extends\":\"baseline\",\"rules\":{\"privileged\":\"allow\","
                              "\"host_namespaces\":\"allow\",\"sensitive_mounts\":\"allow\",\"devices\":\"allow\","
                              "\"sysctls\":\"allow\",\"mount_propagation\":\"allow\"}}";
  const struct json_limits l = { .max_depth = 32 };
  cleanup_json struct json_value *root = NULL, *prof = NULL;
  cleanup_free char *text = NULL;
  size_t len;
  const char *embedded = policy_embedded_text (&len);

  if (json_parse (embedded, len, "embedded", &l, &root, err) < 0
      || json_parse (extra, sizeof extra - 1, "extra", &l, &prof, err) < 0)
    return -1;
  json_object_set (json_object_get (root, "profiles"), "all-rules-allow", steal_pointer (&prof));
  json_object_set (root, "default_profile", json_new_string ("all-rules-allow"));
  if (json_generate (root, &text, &len, err) < 0)
    return -1;
  return policy_parse (text, len, "preserve policy", out, err);
}

static void
strip (struct json_value *root, const struct changes *inserted, const struct changes *changed)
{
  struct json_value *process = json_object_get (root, "process"), *linux_ = json_object_get (root, "linux");
  struct json_value *res = json_object_get (linux_, "resources"), *mounts = json_object_get (root, "mounts");

  json_object_remove (process, "capabilities");
  json_object_remove (process, "noNewPrivileges");
  json_object_remove (process, "rlimits");
  json_object_remove (json_object_get (root, "root"), "readonly");
  json_object_remove (linux_, "maskedPaths");
  json_object_remove (linux_, "readonlyPaths");
  json_object_remove (linux_, "seccomp");
  json_object_remove (res, "pids");
  json_object_remove (json_object_get (res, "memory"), "limit");
  json_object_remove (json_object_get (res, "memory"), "swap");
  json_object_remove (json_object_get (res, "cpu"), "shares");
  /* empty objects the controls may have created */
  if (json_object_get (res, "cpu") && json_object_get (res, "cpu")->u.obj.len == 0)
    json_object_remove (res, "cpu");
  for (size_t i = 0; inserted && i < inserted->len; i++)
    {
      const struct change *c = &inserted->items[i];
      if (strncmp (c->control, "mounts[", 7) != 0 || c->before != NULL)
        continue;
      for (size_t j = 0; mounts && j < mounts->u.arr.len; j++)
        if (json_equal (mounts->u.arr.items[j], c->after))
          {
            json_array_remove (mounts, j);
            break;
          }
    }
  /* the options of a mount a rule changed (recorded as mounts[DEST].options) */
  for (size_t i = 0; changed && i < changed->len; i++)
    {
      const char *ctl = changed->items[i].control, *end;
      size_t n = strlen (ctl);
      if (strncmp (ctl, "mounts[", 7) != 0 || n < 16 || strcmp (ctl + n - 9, "].options") != 0)
        continue;
      end = ctl + n - 9;
      for (size_t j = 0; mounts && j < mounts->u.arr.len; j++)
        {
          const struct json_value *d = json_object_get (mounts->u.arr.items[j], "destination");
          if (d && d->type == JSON_STRING && d->u.str.len == (size_t) (end - ctl - 7)
              && strncmp (d->u.str.s, ctl + 7, d->u.str.len) == 0)
            json_object_remove (mounts->u.arr.items[j], "options");
        }
    }
}

int
main (int argc, char **argv)
{
  const char *dir = argc > 1 ? argv[1] : "test/fixtures/docker";
  cleanup_policy struct policy *policy = NULL;
  const struct policy_profile *profile = NULL;
  hr_err err = NULL;
  DIR *d;
  struct dirent *de;
  size_t passed = 0, failed = 0;

  if (load_policy (&policy, &err) < 0 || policy_select_profile (policy, NULL, &profile, &err) < 0)
    {
      printf ("FAIL policy: %s\n", err->msg);
      return 1;
    }

  d = opendir (dir);
  if (d == NULL)
    {
      printf ("FAIL no fixtures in %s\n", dir);
      return 1;
    }
  while ((de = readdir (d)) != NULL)
    {
      size_t n = strlen (de->d_name);
      cleanup_free char *path = NULL, *text = NULL;
      cleanup_spec struct spec *spec = NULL;
      cleanup_json struct json_value *orig = NULL, *back = NULL;
      struct changes changes = { 0 };
      struct harden_ctx ctx;
  struct lsm_env lsm;
      size_t len;

      if (n < 6 || strcmp (de->d_name + n - 5, ".json") != 0 || strstr (de->d_name, ".process.") != NULL)
        continue;
      path = xasprintf ("%s/%s", dir, de->d_name);
      if (spec_load_file (path, &spec, &err) < 0)
        {
          printf ("FAIL %s: %s\n", de->d_name, err->msg);
          hr_error_free (err);
          err = NULL;
          failed++;
          continue;
        }
      orig = json_clone (spec->root);
      lsm_env_prepared (&lsm, "/nonexistent/hardened-runc-lsm"); /* none enabled */
      ctx = (struct harden_ctx){ .source = path, .profile = profile, .changes = &changes, .lsm = &lsm };
      if (harden_spec (&ctx, spec->root, &err) < 0 || json_generate (spec->root, &text, &len, &err) < 0
          || json_parse (text, len, "written", &(struct json_limits){ .max_depth = 64 }, &back, &err) < 0)
        {
          printf ("FAIL %s: %s\n", de->d_name, err->msg);
          hr_error_free (err);
          err = NULL;
          failed++;
          changes_release (&changes);
          continue;
        }
      if (changes.len == 0)
        {
          printf ("FAIL %s: the baseline changed nothing (a test that cannot fail)\n", de->d_name);
          failed++;
        }
      strip (orig, NULL, &changes);
      strip (back, &changes, &changes);
      if (!json_equal (orig, back))
        {
          cleanup_free char *a = NULL, *b = NULL;
          json_generate (orig, &a, &len, &err);
          json_generate (back, &b, &len, &err);
          printf ("FAIL %s: a field the shim does not own changed\n  before: %.600s\n  after:  %.600s\n", de->d_name, a, b);
          failed++;
        }
      else
        {
          printf ("ok   %s: %zu changes, everything else kept\n", de->d_name, changes.len);
          passed++;
        }
      changes_release (&changes);
    }
  closedir (d);
  printf ("preserve: %zu passed, %zu failed\n", passed, failed);
  return failed || passed == 0 ? 1 : 0;
}
