/* SPDX-License-Identifier: Apache-2.0 */
#include "sysfilter_build.h"

#include <seccomp.h>

#include "bounded.h"
#include "sysfilter_cache.h"
#include "sysfilter_names.h"
#include "util.h"

/* libseccomp 2.5.4 loops for ever on some rule sets (two rules of one
 * syscall that share a leading range or "not equal" comparison and then
 * compare different arguments: rules the intersection writes from
 * harmless incoming profiles), and the intersection itself grows with the
 * product of an incoming profile's conditional denials.  So both run in a
 * child process with a deadline (bounded.h); a child still working at the
 * deadline is killed and the container refused.  A container start never
 * hangs here. */
#define SYSFILTER_DEADLINE_SECONDS 5

static void
cleanup_scmp (scmp_filter_ctx *ctx)
{
  if (*ctx)
    seccomp_release (*ctx);
}

/* The comparisons ARGS (may be NULL) of a rule in CMPS, in argument order
 * as emit_cond writes them (libseccomp loops otherwise); how many. */
static unsigned
rule_cmps (const struct json_value *args, struct scmp_arg_cmp cmps[6])
{
  unsigned n = 0;

  for (size_t j = 0; args && j < args->u.arr.len && j < 6; j++)
    {
      const struct json_value *a = args->u.arr.items[j], *v2 = json_object_get (a, "valueTwo");
      const struct json_value *idx = json_object_get (a, "index"), *val = json_object_get (a, "value");
      uint64_t i = 0, v = 0, v_two = 0;
      parse_u64 (idx->u.str.s, idx->u.str.len, &i);
      parse_u64 (val->u.str.s, val->u.str.len, &v);
      if (v2)
        parse_u64 (v2->u.str.s, v2->u.str.len, &v_two);
      cmps[n] = (struct scmp_arg_cmp){ .arg = (unsigned) i, .datum_a = v, .datum_b = v_two };
      sysfilter_op (json_object_get (a, "op"), &cmps[n].op);
      n++;
    }
  for (unsigned x = 1; x < n; x++)
    for (unsigned y = x; y > 0 && cmps[y - 1].arg > cmps[y].arg; y--)
      {
        struct scmp_arg_cmp t = cmps[y];
        cmps[y] = cmps[y - 1];
        cmps[y - 1] = t;
      }
  return n;
}

static int
build_check_direct (const char *display, const struct json_value *p, hr_err *err)
{
  __attribute__ ((cleanup (cleanup_scmp))) scmp_filter_ctx ctx = NULL;
  const struct json_value *syscalls = json_object_get (p, "syscalls");
  uint32_t def
      = sysfilter_action_value (json_object_get (p, "defaultAction"), json_object_get (p, "defaultErrnoRet"));

  ctx = seccomp_init (def);
  if (ctx == NULL)
    return hr_error_set (err, HR_ERR_INPUT, 0, "%s: libseccomp refuses the default action", display);
  for (size_t i = 0; syscalls && i < syscalls->u.arr.len; i++)
    {
      const struct json_value *r = syscalls->u.arr.items[i], *names = json_object_get (r, "names");
      uint32_t act = sysfilter_action_value (json_object_get (r, "action"), json_object_get (r, "errnoRet"));
      struct scmp_arg_cmp cmps[6];
      unsigned n;

      if (act == def)
        continue; /* runc skips these too */
      n = rule_cmps (json_object_get (r, "args"), cmps);
      for (size_t j = 0; names && j < names->u.arr.len; j++)
        {
          const char *name = names->u.arr.items[j]->u.str.s;
          int nr = seccomp_syscall_resolve_name (name);
          int rc;
          if (nr == __NR_SCMP_ERROR)
            continue; /* another architecture's syscall */
          rc = seccomp_rule_add_array (ctx, act, nr, n, cmps);
          if (rc < 0)
            return hr_error_set (err, HR_ERR_INPUT, -rc, "%s: syscalls[%zu]: libseccomp cannot add the rule for %s",
                                 display, i, name);
        }
    }
  return 0;
}

int
sysfilter_bounded (const char *what, bounded_fn fn, void *arg, struct json_value **out, hr_err *err)
{
  cleanup_free char *timeout
      = xasprintf ("refused: %s could not be compiled within %d s (libseccomp or the intersection did not finish; "
                   "a profile with fewer argument rules per syscall avoids this)",
                   what, SYSFILTER_DEADLINE_SECONDS);
  const struct bounded_work work = { .what = what,
                                     .worker = "the process compiling it",
                                     .timeout_msg = timeout,
                                     .seconds = SYSFILTER_DEADLINE_SECONDS };
  return bounded_run (&work, fn, arg, out, err);
}

static int
build_check_fn (void *arg, struct json_value **out, hr_err *err)
{
  const struct json_value *const *a = arg;
  (void) out;
  return build_check_direct ((const char *) a[0], a[1], err);
}

int
sysfilter_build_check (const char *display, const struct json_value *p, hr_err *err)
{
  const void *arg[2] = { display, p };
  cleanup_free char *what = xasprintf ("the seccomp profile %s", display);
  return sysfilter_bounded (what, build_check_fn, (void *) arg, NULL, err);
}

int
sysfilter_build_check_cached (const char *cache_dir, const char *display, const struct json_value *p, bool in_child,
                              hr_err *err)
{
  cleanup_free char *text = NULL;
  cleanup_sysfilter_cache struct sysfilter_cache c = { .dir = -1 };
  struct sysfilter_built name;
  size_t len = 0;
  int ret;

  if (json_generate (p, &text, &len, NULL) < 0 || sysfilter_cache_open (cache_dir, &c) < 0)
    return in_child ? build_check_direct (display, p, err) : sysfilter_build_check (display, p, err);
  sysfilter_cache_built_name (text, len, &name);
  if (sysfilter_cache_built_seen (&c, &name))
    return 0;
  ret = in_child ? build_check_direct (display, p, err) : sysfilter_build_check (display, p, err);
  if (ret == 0)
    sysfilter_cache_built_add (&c, &name);
  return ret;
}
