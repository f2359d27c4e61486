/* SPDX-License-Identifier: Apache-2.0 */
#include "sysfilter_profile.h"

#include <string.h>

#include "fileio.h"
#include "spec.h"
#include "sysfilter_names.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Validation */

static int bad (const char *display, const struct json_value *v, const char *path, const char *fmt, const char *arg,
                hr_err *err) __attribute__ ((format (printf, 4, 0)));

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int
bad (const char *display, const struct json_value *v, const char *path, const char *fmt, const char *arg, hr_err *err)
{
  cleanup_free char *msg = xasprintf (fmt, arg);
  return hr_error_set (err, HR_ERR_INPUT, 0, "%s:%u:%u: %s: %s", display, v ? v->line : 0, v ? v->col : 0, path, msg);
}

static int
check_errno (const char *display, const struct json_value *v, const char *path, hr_err *err)
{
  uint64_t n;
  if (v == NULL)
    return 0;
  if (v->type != JSON_NUMBER || !parse_u64 (v->u.str.s, v->u.str.len, &n) || n > 4095)
    return bad (display, v, path, "expected an errno number 0-4095%s", "", err);
  return 0;
}

/* V, when present, is an unsigned 64-bit number (at most MAX). */
static bool
u64_at_most (const struct json_value *v, uint64_t max)
{
  uint64_t n;
  return v->type == JSON_NUMBER && parse_u64 (v->u.str.s, v->u.str.len, &n) && n <= max;
}

/* One argument comparison, A, at AP ("syscalls[I].args[J]"). */
static int
check_arg (const char *display, const struct json_value *a, const char *ap, hr_err *err)
{
  const struct json_value *idx, *val, *val2, *op;
  enum scmp_compare cmp;

  if (a->type != JSON_OBJECT)
    return bad (display, a, ap, "expected an object%s", "", err);
  idx = json_object_get (a, "index");
  val = json_object_get (a, "value");
  val2 = json_object_get (a, "valueTwo");
  op = json_object_get (a, "op");
  if (idx == NULL || !u64_at_most (idx, 5))
    return bad (display, idx ? idx : a, ap, "\"index\" must be 0-5%s", "", err);
  if (val == NULL || !u64_at_most (val, UINT64_MAX))
    return bad (display, val ? val : a, ap, "\"value\" must be an unsigned 64-bit integer%s", "", err);
  if (val2 && !u64_at_most (val2, UINT64_MAX))
    return bad (display, val2, ap, "\"valueTwo\" must be an unsigned 64-bit integer%s", "", err);
  if (!sysfilter_op (op, &cmp))
    return bad (display, op ? op : a, ap, "unknown comparison %s", op && op->type == JSON_STRING ? op->u.str.s : "",
                err);
  return 0;
}

/* The names of the rule at PATH. */
static int
check_names (const char *display, const struct json_value *names, const char *path, bool known, hr_err *err)
{
  for (size_t j = 0; j < names->u.arr.len; j++)
    {
      const struct json_value *n = names->u.arr.items[j];
      bool ok_string = n->type == JSON_STRING && strlen (n->u.str.s) == n->u.str.len;
      if (!ok_string || (known && !sysfilter_name_known (n->u.str.s)))
        {
          cleanup_free char *np = xasprintf ("%s.names[%zu]", path, j);
          if (!ok_string)
            return bad (display, n, np, "expected a syscall name%s", "", err);
          return bad (display, n, np, "unknown syscall \"%s\" (not known on any architecture)", n->u.str.s, err);
        }
    }
  return 0;
}

/* The rule R, syscalls[I]. */
static int
check_rule (const char *display, const struct json_value *r, size_t i, bool known, hr_err *err)
{
  const struct json_value *names, *args, *act;
  cleanup_free char *path = xasprintf ("syscalls[%zu]", i);

  if (r->type != JSON_OBJECT)
    return bad (display, r, path, "expected an object%s", "", err);
  names = json_object_get (r, "names");
  act = json_object_get (r, "action");
  if (names == NULL || names->type != JSON_ARRAY || names->u.arr.len == 0)
    return bad (display, names ? names : r, path, "\"names\" must be a non-empty array%s", "", err);
  if (!sysfilter_action_known (act))
    return bad (display, act ? act : r, path, "unknown or missing action %s",
                act && act->type == JSON_STRING ? act->u.str.s : "", err);
  if (check_errno (display, json_object_get (r, "errnoRet"), path, err) < 0
      || check_names (display, names, path, known, err) < 0)
    return -1;
  args = json_object_get (r, "args");
  if (args && args->type != JSON_ARRAY)
    return bad (display, args, path, "\"args\" must be an array%s", "", err);
  if (args && args->u.arr.len > 6)
    return bad (display, args, path, "more than 6 argument comparisons%s", "", err);
  for (size_t j = 0; args && j < args->u.arr.len; j++)
    {
      cleanup_free char *ap = xasprintf ("%s.args[%zu]", path, j);
      if (check_arg (display, args->u.arr.items[j], ap, err) < 0)
        return -1;
    }
  return 0;
}
#pragma GCC diagnostic pop

int
sysfilter_profile_validate (const char *display, const struct json_value *p, bool check_names_known, hr_err *err)
{
  const struct json_value *v;

  if (p->type != JSON_OBJECT)
    return bad (display, p, "linux.seccomp", "expected an object%s", "", err);
  v = json_object_get (p, "defaultAction");
  if (!sysfilter_action_known (v))
    return bad (display, v ? v : p, "defaultAction", "unknown or missing action %s",
                v && v->type == JSON_STRING ? v->u.str.s : "", err);
  if (check_errno (display, json_object_get (p, "defaultErrnoRet"), "defaultErrnoRet", err) < 0)
    return -1;
  v = json_object_get (p, "architectures");
  if (v && v->type != JSON_ARRAY)
    return bad (display, v, "architectures", "expected an array%s", "", err);
  for (size_t i = 0; v && i < v->u.arr.len; i++)
    {
      const struct json_value *a = v->u.arr.items[i];
      if (sysfilter_arch_token (a) == 0)
        return bad (display, a, "architectures", "unknown architecture %s",
                    a->type == JSON_STRING ? a->u.str.s : "(not a string)", err);
    }
  v = json_object_get (p, "syscalls");
  if (v && v->type != JSON_ARRAY)
    return bad (display, v, "syscalls", "expected an array%s", "", err);
  for (size_t i = 0; v && i < v->u.arr.len; i++)
    if (check_rule (display, v->u.arr.items[i], i, check_names_known, err) < 0)
      return -1;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Loading */

int
sysfilter_profile_load (const char *ref, struct json_value **out, char **display, hr_err *err)
{
  static const struct json_limits limits = { .max_depth = 16 };
  cleanup_free char *buf = NULL;
  cleanup_json struct json_value *p = NULL;
  const char *text;
  size_t len = 0;

  if (ref[0] == '/')
    {
      *display = xstrdup (ref);
      if (file_read_config (ref, SPEC_MAX_BYTES, &buf, &len, err) < 0)
        return -1;
      text = buf;
    }
  else
    {
      text = sysfilter_embedded_profile (ref, &len);
      *display = xasprintf ("profiles/seccomp/%s.json (embedded)", ref);
      if (text == NULL)
        return hr_error_set (err, HR_ERR_INPUT, 0, "seccomp profile \"%s\" is neither shipped nor an absolute path",
                             ref);
    }
  /* names of a shipped profile were checked when it was built and tested
   * (make check); an operator's file is checked on every load */
  if (json_parse (text, len, *display, &limits, &p, err) < 0
      || sysfilter_profile_validate (*display, p, ref[0] == '/', err) < 0)
    return -1;
  *out = steal_pointer (&p);
  return 0;
}
