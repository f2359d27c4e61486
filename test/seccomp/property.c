/* SPDX-License-Identifier: Apache-2.0 */
/* Never loosen, checked by the kernel itself.
 *
 * Random pairs of seccomp profiles (an "incoming" one like dockerd's and a
 * "policy" one) are intersected by sysfilter_intersect().  Each of the three
 * profiles is then installed, in a forked child, as a real seccomp filter
 * in which "allowed" and "denied" are both turned into distinct errno
 * values, so no syscall ever runs; the child calls random syscalls with
 * random arguments and reports what the kernel decided.  The assertion:
 *
 *     allowed(result) == allowed(incoming) && allowed(policy)
 *
 * exactly, for syscalls whose rules both profiles express as allow-rules;
 * and allowed(result) implies both, always.  Prints "N passed, N failed". */
#include <errno.h>
#include <seccomp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include "fileio.h"
#include "json.h"
#include "eval.h"
#include "sysfilter_build.h"
#include "sysfilter_gate.h"
#include "sysfilter_intersect.h"
#include "sysfilter_profile.h"
#include "util.h"

#define ALLOWED_MARK 3001
#define DENIED_MARK 3002
#define CALLS_PER_CASE 60

static const char *const universe[] = { "getpriority", "setpriority", "personality", "socket", "ioprio_get",
                                        "ioprio_set", "getxattr", "setns", "unshare", "keyctl", "ptrace", "bpf" };
#define N_UNIVERSE (sizeof universe / sizeof universe[0])
static const uint64_t small_values[] = { 0, 1, 2, 3, 4, 38, 40, 0x20000, 0x7E020000, 0xffffffff };
#define N_VALUES (sizeof small_values / sizeof small_values[0])

static unsigned long long rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t
rnd (void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}
static unsigned
pick (unsigned n)
{
  return (unsigned) (rnd () % n);
}

static struct json_value *
rule (const char *name, const char *action, int eno)
{
  struct json_value *r = json_new (JSON_OBJECT), *names = json_new (JSON_ARRAY);
  json_array_append (names, json_new_string (name));
  json_object_set (r, "names", names);
  json_object_set (r, "action", json_new_string (action));
  if (eno >= 0)
    json_object_set (r, "errnoRet", json_new_u64 ((uint64_t) eno));
  return r;
}

static struct json_value *
random_args (void)
{
  static const char *const ops[] = { "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                                     "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };
  struct json_value *args = json_new (JSON_ARRAY);
  unsigned n = 1 + pick (2), used = 0;
  unsigned idxs[2] = { pick (3), pick (3) };
  if (idxs[0] > idxs[1])
    {
      unsigned t = idxs[0];
      idxs[0] = idxs[1];
      idxs[1] = t;
    }
  for (unsigned i = 0; i < n; i++)
    {
      struct json_value *a = json_new (JSON_OBJECT);
      unsigned idx = idxs[i];
      const char *op = ops[pick (7)];
      if (used & (1u << idx))
        {
          json_free (a);
          continue; /* one comparison per argument, as libseccomp wants */
        }
      used |= 1u << idx;
      json_object_set (a, "index", json_new_u64 (idx));
      json_object_set (a, "value", json_new_u64 (small_values[pick (N_VALUES)]));
      if (strcmp (op, "SCMP_CMP_MASKED_EQ") == 0)
        {
          uint64_t v2 = small_values[pick (N_VALUES)];
          /* docker leaves out a valueTwo of 0 */
          if (v2 != 0 || pick (2))
            json_object_set (a, "valueTwo", json_new_u64 (v2));
        }
      json_object_set (a, "op", json_new_string (op));
      json_array_append (args, a);
    }
  return args;
}

/* A profile over the universe.  COMPLEX: may mix conditional denials. */
static struct json_value *
random_profile (bool allow_default_possible, bool *complex_names)
{
  struct json_value *p = json_new (JSON_OBJECT), *sys = json_new (JSON_ARRAY);
  bool allow_default = allow_default_possible && pick (4) == 0;
  json_object_set (p, "defaultAction", json_new_string (allow_default ? "SCMP_ACT_ALLOW" : "SCMP_ACT_ERRNO"));
  if (!allow_default)
    json_object_set (p, "defaultErrnoRet", json_new_u64 (pick (2) ? 1 : 38));
  for (size_t s = 0; s < N_UNIVERSE; s++)
    {
      switch (pick (6))
        {
        case 0:
          break; /* default */
        case 1:
          json_array_append (sys, rule (universe[s], "SCMP_ACT_ALLOW", -1));
          break;
        case 2:
          json_array_append (sys, rule (universe[s], "SCMP_ACT_ERRNO", pick (2) ? 1 : 38));
          break;
        case 3:
        case 4:
          for (unsigned k = 0, n = 1 + pick (3); k < n; k++)
            {
              struct json_value *r = rule (universe[s], "SCMP_ACT_ALLOW", -1);
              json_object_set (r, "args", random_args ());
              json_array_append (sys, r);
            }
          if (allow_default)
            complex_names[s] = true; /* conditional allows under an allow default */
          break;
        default:
          {
            struct json_value *r = rule (universe[s], "SCMP_ACT_ALLOW", -1), *d;
            json_object_set (r, "args", random_args ());
            json_array_append (sys, r);
            d = rule (universe[s], "SCMP_ACT_ERRNO", 1);
            json_object_set (d, "args", random_args ());
            json_array_append (sys, d);
            complex_names[s] = true;
          }
          break;
        }
    }
  json_object_set (p, "syscalls", sys);
  return p;
}

/* Install P as a filter where allow/deny become marks, then call. */
static int
kernel_verdicts (const struct json_value *p, const int *nrs, uint64_t (*args)[6], size_t n, unsigned char *allowed)
{
  int pipefd[2];
  pid_t pid;

  if (pipe (pipefd) < 0)
    return -1;
  pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      const struct json_value *sys = json_object_get (p, "syscalls");
      bool def_allow = json_is_string (json_object_get (p, "defaultAction"), "SCMP_ACT_ALLOW");
      uint32_t def_mark = SCMP_ACT_ERRNO (def_allow ? ALLOWED_MARK : DENIED_MARK);
      /* the profile's default is the filter's default; what this child
       * itself needs after loading is allowed explicitly */
      scmp_filter_ctx ctx = seccomp_init (def_mark);
      static const char *const own[] = { "write", "read", "exit_group", "exit", "rt_sigreturn", "rt_sigprocmask",
                                         "brk", "mmap", "munmap", "futex", "close" };
      alarm (1); /* libseccomp 2.5.4 can loop forever on some rule sets */
      for (size_t k = 0; k < sizeof own / sizeof own[0]; k++)
        if (seccomp_rule_add (ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name (own[k]), 0) < 0)
          _exit (7);
      close (pipefd[0]);
      if (getenv ("PROP_DEBUG"))
        {
          cleanup_free char *t = NULL;
          size_t l;
          hr_err e = NULL;
          if (json_generate (p, &t, &l, &e) == 0)
            fprintf (stderr, "FILTER %s\n", t);
        }
      /* rules first; syscalls of the universe that have none get the default */
      for (size_t s = 0; s < N_UNIVERSE; s++)
        {
          bool mentioned = false;
          int nr = seccomp_syscall_resolve_name (universe[s]);
          for (size_t i = 0; sys && i < sys->u.arr.len; i++)
            {
              const struct json_value *r = sys->u.arr.items[i], *a = json_object_get (r, "args");
              const struct json_value *names = json_object_get (r, "names");
              bool named = false;
              struct scmp_arg_cmp cmps[6];
              unsigned nc = 0;
              uint32_t act;
              for (size_t j = 0; j < names->u.arr.len; j++)
                named |= json_is_string (names->u.arr.items[j], universe[s]);
              if (!named)
                continue;
              act = json_is_string (json_object_get (r, "action"), "SCMP_ACT_ALLOW") ? SCMP_ACT_ERRNO (ALLOWED_MARK)
                                                                                      : SCMP_ACT_ERRNO (DENIED_MARK);
              if (act == def_mark)
                continue; /* as runc: same as the default */
              for (size_t k = 0; a && k < a->u.arr.len; k++)
                {
                  const struct json_value *c = a->u.arr.items[k];
                  const struct json_value *op = json_object_get (c, "op"), *v2 = json_object_get (c, "valueTwo");
                  uint64_t idx = 0, v = 0, w = 0;
                  parse_u64 (json_object_get (c, "index")->u.str.s, json_object_get (c, "index")->u.str.len, &idx);
                  parse_u64 (json_object_get (c, "value")->u.str.s, json_object_get (c, "value")->u.str.len, &v);
                  if (v2)
                    parse_u64 (v2->u.str.s, v2->u.str.len, &w);
                  cmps[nc] = (struct scmp_arg_cmp){ .arg = (unsigned) idx, .datum_a = v, .datum_b = w };
                  cmps[nc].op = json_is_string (op, "SCMP_CMP_NE")   ? SCMP_CMP_NE
                                : json_is_string (op, "SCMP_CMP_LT") ? SCMP_CMP_LT
                                : json_is_string (op, "SCMP_CMP_LE") ? SCMP_CMP_LE
                                : json_is_string (op, "SCMP_CMP_EQ") ? SCMP_CMP_EQ
                                : json_is_string (op, "SCMP_CMP_GE") ? SCMP_CMP_GE
                                : json_is_string (op, "SCMP_CMP_GT") ? SCMP_CMP_GT
                                                                     : SCMP_CMP_MASKED_EQ;
                  nc++;
                }
              mentioned = true;
              if (seccomp_rule_add_array (ctx, act, nr, nc, cmps) < 0)
                _exit (3);
            }
          (void) mentioned;
        }
      (void) def_mark;
      if (seccomp_load (ctx) < 0)
        _exit (5);
      for (size_t i = 0; i < n; i++)
        {
          long r = syscall (nrs[i], args[i][0], args[i][1], args[i][2], args[i][3], args[i][4], args[i][5]);
          unsigned char v = r < 0 && errno == ALLOWED_MARK ? 1 : r < 0 && errno == DENIED_MARK ? 0 : 2;
          if (write (pipefd[1], &v, 1) != 1)
            _exit (6);
        }
      _exit (0);
    }
  close (pipefd[1]);
  for (size_t i = 0; i < n; i++)
    if (read (pipefd[0], &allowed[i], 1) != 1)
      {
        int status;
        close (pipefd[0]);
        waitpid (pid, &status, 0);
        return WIFSIGNALED (status) && WTERMSIG (status) == SIGALRM ? -2 : -1;
      }
  close (pipefd[0]);
  {
    int status;
    waitpid (pid, &status, 0);
    if (WIFSIGNALED (status) && WTERMSIG (status) == SIGALRM)
      return -2;
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
      return -1;
  }
  return 0;
}

/* The real pair: Docker's default profile (captured) and the shipped
 * baseline, checked call by call on their OCI meaning. */
static unsigned long
docker_and_baseline (unsigned long *failed)
{
  static const struct
  {
    const char *name;
    uint64_t a0;
    bool allowed;
  } calls[] = {
    { "read", 0, true },        { "clone", 0x11, true },         { "clone", 0x10000000, false },
    { "clone3", 0, false },     { "socket", 2, true },           { "socket", 1, true },
    { "socket", 38, false },    { "socket", 40, false },         { "personality", 8, true },
    { "personality", 0x40000, false }, { "mount", 0, false },    { "unshare", 0, false },
    { "keyctl", 0, false },     { "ptrace", 0, false },          { "bpf", 0, false },
    { "io_uring_setup", 0, false }, { "userfaultfd", 0, false }, { "open_by_handle_at", 0, false },
    { "futex", 0, true },       { "execve", 0, true },           { "getppid", 0, true },
  };
  static const struct json_limits limits = { .max_depth = 64 };
  cleanup_free char *dtext = NULL;
  cleanup_json struct json_value *docker = NULL, *base = NULL, *res = NULL;
  cleanup_free char *display = NULL;
  hr_err err = NULL;
  size_t len;
  unsigned long passed = 0;

  if (file_read_regular (AT_FDCWD, "test/fixtures/docker/default.json", "default.json", 1 << 20, &dtext, &len, NULL,
                         &err)
          < 0
      || json_parse (dtext, len, "default.json", &limits, &docker, &err) < 0
      || sysfilter_profile_load ("baseline", &base, &display, &err) < 0
      || sysfilter_profile_validate (display, base, true, &err) < 0
      || sysfilter_intersect ("docker", json_object_get (json_object_get (docker, "linux"), "seccomp"), base, 1ull << 0,
                            &res, NULL, &err)
             < 0
      || sysfilter_build_check ("result", res, &err) < 0)
    {
      printf ("FAIL docker default x baseline: %s\n", err->msg);
      (*failed)++;
      return 0;
    }
  for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++)
    {
      uint64_t args[6] = { calls[i].a0 };
      if (sysfilter_eval_allows (res, calls[i].name, args) == calls[i].allowed)
        passed++;
      else
        {
          printf ("FAIL docker default x baseline: %s(%#llx) should be %s\n", calls[i].name,
                  (unsigned long long) calls[i].a0, calls[i].allowed ? "allowed" : "denied");
          (*failed)++;
        }
    }
  /* a policy that keeps CAP_SYS_PTRACE and CAP_SYS_ADMIN: ptrace opens
   * (docker's profile allows it), mount stays shut (docker's profile,
   * written for a container without CAP_SYS_ADMIN, denies it) */
  {
    static const struct
    {
      const char *name;
      bool allowed;
    } kept[] = { { "ptrace", true }, { "process_vm_readv", false }, { "mount", false },
                 { "unshare", false }, { "keyctl", false }, { "read", true } };
    cleanup_json struct json_value *res2 = NULL;
    uint64_t caps = 1ull << CAP_SYS_PTRACE | 1ull << CAP_SYS_ADMIN;
    if (sysfilter_intersect ("docker", json_object_get (json_object_get (docker, "linux"), "seccomp"), base, caps,
                           &res2, NULL, &err)
        < 0)
      {
        printf ("FAIL docker default x baseline, caps kept: %s\n", err->msg);
        (*failed)++;
        return passed;
      }
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
      {
        uint64_t args[6] = { 0 };
        if (sysfilter_eval_allows (res2, kept[i].name, args) == kept[i].allowed)
          passed++;
        else
          {
            printf ("FAIL docker default x baseline, caps kept: %s should be %s\n", kept[i].name,
                    kept[i].allowed ? "allowed" : "denied");
            (*failed)++;
          }
      }
  }
  return passed;
}

int
main (int argc, char **argv)
{
  unsigned cases = argc > 1 ? (unsigned) atoi (argv[1]) : 400;
  unsigned long passed = 0, failed = 0, exact = 0, conservative = 0, skipped_unresolved = 0, libseccomp_hangs = 0;
  unsigned long kernel_disagrees = 0;

  passed += docker_and_baseline (&failed);

  for (unsigned c = 0; c < cases; c++)
    {
      bool complex_in[N_UNIVERSE] = { 0 }, complex_pol[N_UNIVERSE] = { 0 }; /* generator bookkeeping */
      cleanup_json struct json_value *in = random_profile (true, complex_in);
      cleanup_json struct json_value *pol = random_profile (false, complex_pol);
      cleanup_json struct json_value *res = NULL;
      cleanup_json struct json_value *approx = json_new (JSON_OBJECT);
      hr_err err = NULL;
      int nrs[CALLS_PER_CASE];
      size_t which[CALLS_PER_CASE];
      uint64_t args[CALLS_PER_CASE][6];
      unsigned char a_in[CALLS_PER_CASE], a_pol[CALLS_PER_CASE], a_res[CALLS_PER_CASE];

      /* half the time every capability, else a random bounding set:
       * gated syscalls then follow the capabilities */
      uint64_t caps = pick (2) ? ~0ull : ((uint64_t) pick (1u << 16) << 16 | pick (1u << 16)) << 16 | pick (1u << 16);
      if (sysfilter_intersect ("property", in, pol, caps, &res, approx, &err) < 0)
        {
          printf ("FAIL case %u: intersect: %s\n", c, err->msg);
          hr_error_free (err);
          failed++;
          continue;
        }
      for (size_t i = 0; i < CALLS_PER_CASE; i++)
        {
          which[i] = pick (N_UNIVERSE);
          nrs[i] = seccomp_syscall_resolve_name (universe[which[i]]);
          for (int k = 0; k < 6; k++)
            args[i][k] = small_values[pick (N_VALUES)];
        }
      {
        int r1 = kernel_verdicts (in, nrs, args, CALLS_PER_CASE, a_in);
        int r2 = r1 < 0 ? r1 : kernel_verdicts (pol, nrs, args, CALLS_PER_CASE, a_pol);
        int r3 = r2 < 0 ? r2 : kernel_verdicts (res, nrs, args, CALLS_PER_CASE, a_res);
        if (r3 == -2)
          {
            libseccomp_hangs++;
            continue;
          }
        if (r3 < 0)
          {
            printf ("FAIL case %u: a filter could not be installed\n", c);
            failed++;
            continue;
          }
      }
      for (size_t i = 0; i < CALLS_PER_CASE; i++)
        {
          const char *name = universe[which[i]];
          bool e_in = sysfilter_eval_allows (in, name, args[i]);
          bool e_pol = sysfilter_eval_allows (pol, name, args[i]);
          bool e_res = sysfilter_eval_allows (res, name, args[i]);
          bool is_exact = json_object_get (approx, name) == NULL;
          int gate = sysfilter_cap_gate (name, caps);
          /* the policy's side as the capabilities make it */
          bool g_pol = gate > 0 ? true : gate < 0 ? false : e_pol;
          bool ka_pol = gate > 0 ? true : gate < 0 ? false : a_pol[i] == 1;
          bool ok = is_exact ? e_res == (e_in && g_pol) : !(e_res && !(e_in && g_pol));
          /* the kernel, when libseccomp compiled the inputs as the OCI
           * semantics say, must never let the result allow more */
          bool kernel_faithful = a_in[i] == e_in && a_pol[i] == e_pol;
          if (a_in[i] == 2 || a_pol[i] == 2 || a_res[i] == 2)
            skipped_unresolved++;
          else if (a_res[i] != e_res || !kernel_faithful)
            kernel_disagrees++;
          else if (a_res[i] == 1 && !(a_in[i] == 1 && ka_pol))
            ok = false;
          if (ok)
            {
              passed++;
              exact += is_exact;
              conservative += !is_exact;
              continue;
            }
          failed++;
          if (failed <= 5)
            {
              cleanup_free char *ti = NULL, *tp = NULL, *tr = NULL;
              size_t l;
              json_generate (in, &ti, &l, &err);
              json_generate (pol, &tp, &l, &err);
              json_generate (res, &tr, &l, &err);
              printf ("FAIL case %u: %s(%llu,%llu,%llu): incoming %d/%d policy %d/%d result %d/%d (eval/kernel)\n"
                      "  in=%s\n  pol=%s\n  res=%s\n",
                      c, name, (unsigned long long) args[i][0], (unsigned long long) args[i][1],
                      (unsigned long long) args[i][2], e_in, a_in[i], e_pol, a_pol[i], e_res, a_res[i], ti, tp, tr);
            }
        }
    }
  printf ("seccomp property: %lu checks exact, %lu checks never-looser only (rules libseccomp cannot intersect "
          "exactly), %lu unresolved\n",
          exact, conservative, skipped_unresolved);
  printf ("seccomp property: %lu checks where libseccomp compiled a profile differently from its OCI meaning "
          "(overlapping rules on one argument); judged on the OCI meaning\n",
          kernel_disagrees);
  printf ("seccomp property: %lu cases skipped because libseccomp 2.5 looped building a filter (its bug; runc "
          "would hang the same way)\n",
          libseccomp_hangs);
  printf ("seccomp property: %lu passed, %lu failed\n", passed, failed);
  return failed || passed == 0 ? 1 : 0;
}
