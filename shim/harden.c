/* SPDX-License-Identifier: Apache-2.0 */
#include "harden.h"

#include <string.h>

#include "controls.h"
#include "fields.h"
#include "lsm.h"
#include "spec.h"
#include "util.h"

/* Is RUNTIME_ROOT (runc's --root) a state directory of containerd's k8s.io
 * namespace, "<Root>/k8s.io", where containerd's runc shim runs the CRI
 * plugin's pods?  Docker's containers live under ".../moby". */
static bool
cri_runtime_root (const char *runtime_root)
{
  size_t n, k = strlen (POLICY_CRI_CONTAINERD_NAMESPACE);

  if (runtime_root == NULL)
    return false;
  n = strlen (runtime_root);
  while (n > 1 && runtime_root[n - 1] == '/')
    n--;
  return n > k && runtime_root[n - k - 1] == '/'
         && strncmp (runtime_root + n - k, POLICY_CRI_CONTAINERD_NAMESPACE, k) == 0;
}

/* The pod namespace of a container containerd's CRI plugin created, and
 * whether it is the pod's sandbox; *NS stays NULL for any other container.
 * The CRI plugin copies the pod's own annotations (those its runtime's
 * pod_annotations/container_annotations let through) and then sets these
 * keys itself, so a pod cannot choose them.  Outside the CRI plugin anyone
 * who may set annotations (docker run --annotation, podman, ctr) could
 * write them: they count only under containerd's k8s.io state root. */
static int
cri_pod_of (const char *runtime_root, const char *source, const struct json_value *annotations, const char **ns,
            bool *sandbox, hr_err *err)
{
  const struct json_value *type, *pod_ns;

  *ns = NULL;
  *sandbox = false;
  type = annotations ? json_object_get (annotations, POLICY_CRI_CONTAINER_TYPE) : NULL;
  if (type == NULL || !cri_runtime_root (runtime_root))
    return 0;
  if (!json_is_string (type, "sandbox") && !json_is_string (type, "container"))
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: annotations.%s: expected \"sandbox\" or \"container\"",
                         source, type->line, type->col, POLICY_CRI_CONTAINER_TYPE);
  pod_ns = json_object_get (annotations, POLICY_CRI_SANDBOX_NAMESPACE);
  if (pod_ns == NULL || pod_ns->type != JSON_STRING || pod_ns->u.str.len == 0
      || strlen (pod_ns->u.str.s) != pod_ns->u.str.len)
    return hr_error_set (err, HR_ERR_INPUT, 0,
                         "%s: annotations.%s: a container of containerd's CRI plugin (%s) without its pod's "
                         "namespace as a non-empty string without NUL",
                         source, POLICY_CRI_SANDBOX_NAMESPACE, POLICY_CRI_CONTAINER_TYPE);
  *ns = pod_ns->u.str.s;
  *sandbox = json_is_string (type, "sandbox");
  return 0;
}

int
harden_choose_profile (const struct policy *p, const char *explicit_name, const char *runtime_root,
                       const char *source, const struct json_value *root, const struct policy_profile **out,
                       hr_err *err)
{
  struct json_value *annotations = NULL, *wanted = NULL;

  if (explicit_name)
    return policy_select_profile (p, explicit_name, out, err);
  if (root && spec_get (source, root, "", "annotations", SPEC_OBJECT, &annotations, err) < 0)
    return -1;
  if (p->namespace_profiles.len > 0 || p->sandbox_profiles.len > 0)
    {
      const char *ns = NULL, *name = NULL;
      bool sandbox = false;

      if (cri_pod_of (runtime_root, source, annotations, &ns, &sandbox, err) < 0)
        return -1;
      if (ns && sandbox)
        name = policy_namespace_profile (&p->sandbox_profiles, ns);
      if (ns && name == NULL)
        name = policy_namespace_profile (&p->namespace_profiles, ns);
      if (name)
        return policy_select_profile (p, name, out, err);
    }
  /* a map in Go: keys match exactly */
  wanted = annotations ? json_object_get (annotations, POLICY_PROFILE_ANNOTATION) : NULL;
  if (wanted && wanted->type != JSON_STRING)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: annotations.%s: expected a string", source, wanted->line,
                         wanted->col, POLICY_PROFILE_ANNOTATION);
  if (wanted)
    {
      for (size_t i = 0; i < p->annotation_profiles.len; i++)
        if (strcmp (p->annotation_profiles.items[i], wanted->u.str.s) == 0)
          return policy_select_profile (p, wanted->u.str.s, out, err);
      return hr_error_set (err, HR_ERR_REFUSED, 0,
                           "refused: the annotation %s asks for profile \"%s\", which %s does not allow containers to "
                           "choose (annotation_profiles); remove the annotation or ask the operator",
                           POLICY_PROFILE_ANNOTATION, wanted->u.str.s, p->source);
    }
  return policy_select_profile (p, NULL, out, err);
}

/* Each control once: SPEC runs on a whole config.json (create, run,
 * restore); PROCESS on a process object (an exec's document, and the
 * spec's process where SPEC is NULL).  Rules come first: they judge what
 * the caller asked for, before the controls change it. */
struct control
{
  const char *name;
  int (*spec) (struct harden_ctx *ctx, struct json_value *root, hr_err *err);
  int (*process) (struct harden_ctx *ctx, struct json_value *process, hr_err *err);
};

/* Every field runc reads has a decision (fields.c): the refused ones, and
 * spellings runc would read as a spec field, end here. */
static int
fields_spec (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  const struct fields_env env = { .source = ctx->source, .bundle_fd = ctx->has_bundle ? ctx->bundle_fd : -1 };
  return fields_check (&env, root, "", err);
}

static int
fields_process (struct harden_ctx *ctx, struct json_value *process, hr_err *err)
{
  const struct fields_env env = { .source = ctx->source, .bundle_fd = -1 };
  return fields_check (&env, process, "process", err);
}

static int
lsm_spec (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  return lsm_apply (ctx, ctx->lsm, ctx->container_id, root, err);
}

static const struct control controls[] = {
  { "fields", fields_spec, fields_process },
  /* rules (rules.c and its families, binds.c): cwd and user also for a process */
  { "rules", rules_check, rules_check_process },
  { "hooks", hooks_check, NULL },
  { "process", process_check, process_check_exec },
  { "cgroups", cgroups_check, NULL },
  /* controls */
  { "capabilities", NULL, caps_apply },
  { "privileges", NULL, privileges_apply },
  { "rlimits", NULL, rlimits_apply },
  { "mounts", mounts_apply, NULL },
  { "limits", limits_apply, NULL },
  { "seccomp", sysfilter_apply, NULL },
  /* an exec joins the container's labels (cmd_exec.c), it does not choose */
  { "lsm", lsm_spec, NULL },
};

int
harden_spec (struct harden_ctx *ctx, struct json_value *root, hr_err *err)
{
  struct json_value *process = NULL;

  /* runc refuses a create without "process"; so do we, before changing. */
  if (spec_get (ctx->source, root, "", "process", SPEC_OBJECT, &process, err) < 0)
    return -1;
  if (process == NULL)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: has no \"process\" object", ctx->source);
  for (size_t i = 0; i < ARRAY_SIZE (controls); i++)
    {
      const struct control *c = &controls[i];
      if ((c->spec ? c->spec (ctx, root, err) : c->process (ctx, process, err)) < 0)
        return -1;
    }
  return 0;
}

int
harden_process (struct harden_ctx *ctx, struct json_value *process, hr_err *err)
{
  for (size_t i = 0; i < ARRAY_SIZE (controls); i++)
    if (controls[i].process && controls[i].process (ctx, process, err) < 0)
      return -1;
  return 0;
}
