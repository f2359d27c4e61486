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
#define N_UNIVERSE ARRAY_SIZE (universe)
static const uint64_t small_values[] = { 0, 1, 2, 3, 4, 38, 40, 0x20000, 0x7E020000, 0xffffffff };
#define N_VALUES ARRAY_SIZE (small_values)

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

/* The comparison OP names, for the filter this test builds itself (not
 * the shim's table: the kernel side of the test stays independent). */
static enum scmp_compare
op_of (const struct json_value *op)
{
  static const struct
  {
    const char *oci;
    enum scmp_compare op;
  } ops[] = { { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
              { "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT } };
  for (size_t i = 0; i < ARRAY_SIZE (ops); i++)
    if (json_is_string (op, ops[i].oci))
      return ops[i].op;
  return SCMP_CMP_MASKED_EQ;
}

/* The comparisons of rule R in CMPS; how many. */
static unsigned
rule_cmps (const struct json_value *r, struct scmp_arg_cmp cmps[6])
{
  const struct json_value *a = json_object_get (r, "args");
  unsigned nc = 0;
  for (size_t k = 0; a && k < a->u.arr.len; k++)
    {
      const struct json_value *c = a->u.arr.items[k], *v2 = json_object_get (c, "valueTwo");
      uint64_t idx = 0, v = 0, w = 0;
      parse_u64 (json_object_get (c, "index")->u.str.s, json_object_get (c, "index")->u.str.len, &idx);
      parse_u64 (json_object_get (c, "value")->u.str.s, json_object_get (c, "value")->u.str.len, &v);
      if (v2)
        parse_u64 (v2->u.str.s, v2->u.str.len, &w);
      cmps[nc] = (struct scmp_arg_cmp){ .arg = (unsigned) idx, .datum_a = v, .datum_b = w };
      cmps[nc].op = op_of (json_object_get (c, "op"));
      nc++;
    }
  return nc;
}

/* In the child: P loaded as a kernel filter where allow and deny become
 * errno marks; exits (3, 5, 7) when that fails. */
static void
child_load (const struct json_value *p)
{
  static const char *const own[] = { "write", "read", "exit_group", "exit", "rt_sigreturn", "rt_sigprocmask",
                                     "brk", "mmap", "munmap", "futex", "close" };
  const struct json_value *sys = json_object_get (p, "syscalls");
  bool def_allow = json_is_string (json_object_get (p, "defaultAction"), "SCMP_ACT_ALLOW");
  uint32_t def_mark = SCMP_ACT_ERRNO (def_allow ? ALLOWED_MARK : DENIED_MARK);
  /* the profile's default is the filter's default; what this child
   * itself needs after loading is allowed explicitly */
  scmp_filter_ctx ctx = seccomp_init (def_mark);

  alarm (1); /* libseccomp 2.5.4 can loop forever on some rule sets */
  for (size_t k = 0; k < ARRAY_SIZE (own); k++)
    if (seccomp_rule_add (ctx, SCMP_ACT_ALLOW, seccomp_syscall_resolve_name (own[k]), 0) < 0)
      _exit (7);
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
      int nr = seccomp_syscall_resolve_name (universe[s]);
      for (size_t i = 0; sys && i < sys->u.arr.len; i++)
        {
          const struct json_value *r = sys->u.arr.items[i];
          struct scmp_arg_cmp cmps[6];
          unsigned nc;
          uint32_t act;
          if (!json_array_has_string (json_object_get (r, "names"), universe[s]))
            continue;
          act = json_is_string (json_object_get (r, "action"), "SCMP_ACT_ALLOW") ? SCMP_ACT_ERRNO (ALLOWED_MARK)
                                                                                  : SCMP_ACT_ERRNO (DENIED_MARK);
          if (act == def_mark)
            continue; /* as runc: same as the default */
          nc = rule_cmps (r, cmps);
          if (seccomp_rule_add_array (ctx, act, nr, nc, cmps) < 0)
            _exit (3);
        }
    }
  if (seccomp_load (ctx) < 0)
    _exit (5);
}

/* In the child, filtered: make the N calls, one verdict byte each on FD
 * (1 allowed, 0 denied, 2 neither mark: unresolved). */
static _Noreturn void
child_call (int fd, const int *nrs, uint64_t (*args)[6], size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      long r = syscall (nrs[i], args[i][0], args[i][1], args[i][2], args[i][3], args[i][4], args[i][5]);
      unsigned char v = r < 0 && errno == ALLOWED_MARK ? 1 : r < 0 && errno == DENIED_MARK ? 0 : 2;
      if (write (fd, &v, 1) != 1)
        _exit (6);
    }
  _exit (0);
}

/* Install P as a filter where allow/deny become marks, then call: 0 and
 * ALLOWED filled, -2 libseccomp looped (killed by its alarm), -1 failed. */
static int
kernel_verdicts (const struct json_value *p, const int *nrs, uint64_t (*args)[6], size_t n, unsigned char *allowed)
{
  cleanup_close int rfd = -1;
  int pipefd[2], status;
  bool complete = true;
  pid_t pid;

  if (pipe (pipefd) < 0)
    return -1;
  rfd = pipefd[0];
  {
    /* the parent's write end closes with this block: the child's exit
     * ends the answer */
    cleanup_close int wfd = pipefd[1];
    pid = fork ();
    if (pid < 0)
      return -1;
    if (pid == 0)
      {
        close (rfd);
        child_load (p);
        child_call (wfd, nrs, args, n);
      }
  }
  for (size_t i = 0; i < n && complete; i++)
    complete = read (rfd, &allowed[i], 1) == 1;
  waitpid (pid, &status, 0);
  if (WIFSIGNALED (status) && WTERMSIG (status) == SIGALRM)
    return -2;
  if (!complete || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return -1;
  return 0;
}

/* A call and what the OCI meaning of a result must say about it. */
struct expected_call
{
  const char *name;
  uint64_t a0;
  bool allowed;
};

/* RES against the N calls WANT; LABEL names the pair in failures. */
static unsigned long
check_calls (const struct json_value *res, const char *label, const struct expected_call *want, size_t n,
             unsigned long *failed)
{
  unsigned long passed = 0;
  for (size_t i = 0; i < n; i++)
    {
      uint64_t args[6] = { want[i].a0 };
      if (sysfilter_eval_allows (res, want[i].name, args) == want[i].allowed)
        passed++;
      else
        {
          printf ("FAIL %s: %s(%#llx) should be %s\n", label, want[i].name, (unsigned long long) want[i].a0,
                  want[i].allowed ? "allowed" : "denied");
          (*failed)++;
        }
    }
  return passed;
}

/* The real pair: Docker's default profile (captured) and the shipped
 * baseline, checked call by call on their OCI meaning. */
static unsigned long
docker_and_baseline (unsigned long *failed)
{
  static const struct expected_call calls[] = {
    { "read", 0, true },        { "clone", 0x11, true },         { "clone", 0x10000000, false },
    { "clone3", 0, false },     { "socket", 2, true },           { "socket", 1, true },
    { "socket", 38, false },    { "socket", 40, false },         { "personality", 8, true },
    { "personality", 0x40000, false }, { "mount", 0, false },    { "unshare", 0, false },
    { "keyctl", 0, false },     { "ptrace", 0, false },          { "bpf", 0, false },
    { "io_uring_setup", 0, false }, { "userfaultfd", 0, false }, { "open_by_handle_at", 0, false },
    { "futex", 0, true },       { "execve", 0, true },           { "getppid", 0, true },
  };
  /* a policy that keeps CAP_SYS_PTRACE and CAP_SYS_ADMIN: ptrace opens
   * (docker's profile allows it), mount stays shut (docker's profile,
   * written for a container without CAP_SYS_ADMIN, denies it) */
  static const struct expected_call kept[] = { { "ptrace", 0, true },  { "process_vm_readv", 0, false },
                                               { "mount", 0, false },  { "unshare", 0, false },
                                               { "keyctl", 0, false }, { "read", 0, true } };
  static const struct json_limits limits = { .max_depth = 64 };
  cleanup_free char *dtext = NULL;
  cleanup_json struct json_value *docker = NULL, *base = NULL, *res = NULL, *res2 = NULL;
  cleanup_free char *display = NULL;
  const struct json_value *in;
  hr_err err = NULL;
  size_t len;
  unsigned long passed;

  if (file_read_regular (AT_FDCWD, "test/fixtures/docker/default.json", "default.json", 1 << 20, &dtext, &len, NULL,
                         &err)
          < 0
      || json_parse (dtext, len, "default.json", &limits, &docker, &err) < 0
      || sysfilter_profile_load ("baseline", &base, &display, &err) < 0
      || sysfilter_profile_validate (display, base, true, &err) < 0
      || sysfilter_intersect ("docker", (in = json_object_get (json_object_get (docker, "linux"), "seccomp")), base,
                              1ull << 0, &res, NULL, &err)
             < 0
      || sysfilter_build_check ("result", res, &err) < 0)
    {
      printf ("FAIL docker default x baseline: %s\n", err->msg);
      (*failed)++;
      return 0;
    }
  passed = check_calls (res, "docker default x baseline", calls, ARRAY_SIZE (calls), failed);
  if (sysfilter_intersect ("docker", in, base, 1ull << CAP_SYS_PTRACE | 1ull << CAP_SYS_ADMIN, &res2, NULL, &err) < 0)
    {
      printf ("FAIL docker default x baseline, caps kept: %s\n", err->msg);
      (*failed)++;
      return passed;
    }
  return passed + check_calls (res2, "docker default x baseline, caps kept", kept, ARRAY_SIZE (kept), failed);
}

/* What the random cases found. */
struct tally
{
  unsigned long passed, failed, exact, conservative, skipped_unresolved, libseccomp_hangs, kernel_disagrees;
};

/* One random case's profiles and calls. */
struct random_case
{
  unsigned c;
  const struct json_value *in, *pol, *res, *approx;
  uint64_t caps;
  size_t which[CALLS_PER_CASE];
  uint64_t args[CALLS_PER_CASE][6];
  unsigned char a_in[CALLS_PER_CASE], a_pol[CALLS_PER_CASE], a_res[CALLS_PER_CASE];
};

/* Call I of case K against the OCI meaning and the kernel's verdicts. */
static void
judge_call (const struct random_case *k, size_t i, struct tally *t)
{
  const char *name = universe[k->which[i]];
  bool e_in = sysfilter_eval_allows (k->in, name, k->args[i]);
  bool e_pol = sysfilter_eval_allows (k->pol, name, k->args[i]);
  bool e_res = sysfilter_eval_allows (k->res, name, k->args[i]);
  bool is_exact = json_object_get (k->approx, name) == NULL;
  int gate = sysfilter_cap_gate (name, k->caps);
  /* the policy's side as the capabilities make it */
  bool g_pol = gate > 0 ? true : gate < 0 ? false : e_pol;
  bool ka_pol = gate > 0 ? true : gate < 0 ? false : k->a_pol[i] == 1;
  bool ok = is_exact ? e_res == (e_in && g_pol) : !(e_res && !(e_in && g_pol));
  /* the kernel, when libseccomp compiled the inputs as the OCI
   * semantics say, must never let the result allow more */
  bool kernel_faithful = k->a_in[i] == e_in && k->a_pol[i] == e_pol;

  if (k->a_in[i] == 2 || k->a_pol[i] == 2 || k->a_res[i] == 2)
    t->skipped_unresolved++;
  else if (k->a_res[i] != e_res || !kernel_faithful)
    t->kernel_disagrees++;
  else if (k->a_res[i] == 1 && !(k->a_in[i] == 1 && ka_pol))
    ok = false;
  if (ok)
    {
      t->passed++;
      t->exact += is_exact;
      t->conservative += !is_exact;
      return;
    }
  t->failed++;
  if (t->failed <= 5)
    {
      cleanup_free char *ti = NULL, *tp = NULL, *tr = NULL;
      hr_err err = NULL;
      size_t l;
      json_generate (k->in, &ti, &l, &err);
      json_generate (k->pol, &tp, &l, &err);
      json_generate (k->res, &tr, &l, &err);
      printf ("FAIL case %u: %s(%llu,%llu,%llu): incoming %d/%d policy %d/%d result %d/%d (eval/kernel)\n"
              "  in=%s\n  pol=%s\n  res=%s\n",
              k->c, name, (unsigned long long) k->args[i][0], (unsigned long long) k->args[i][1],
              (unsigned long long) k->args[i][2], e_in, k->a_in[i], e_pol, k->a_pol[i], e_res, k->a_res[i], ti, tp,
              tr);
    }
}

/* Random case C: two random profiles, intersected, installed and called. */
static void
random_case (unsigned c, struct tally *t)
{
  bool complex_in[N_UNIVERSE] = { 0 }, complex_pol[N_UNIVERSE] = { 0 }; /* generator bookkeeping */
  cleanup_json struct json_value *in = random_profile (true, complex_in);
  cleanup_json struct json_value *pol = random_profile (false, complex_pol);
  cleanup_json struct json_value *res = NULL;
  cleanup_json struct json_value *approx = json_new (JSON_OBJECT);
  struct random_case k = { .c = c, .in = in, .pol = pol, .approx = approx };
  int nrs[CALLS_PER_CASE], r;
  hr_err err = NULL;

  /* half the time every capability, else a random bounding set:
   * gated syscalls then follow the capabilities */
  k.caps = pick (2) ? ~0ull : ((uint64_t) pick (1u << 16) << 16 | pick (1u << 16)) << 16 | pick (1u << 16);
  if (sysfilter_intersect ("property", in, pol, k.caps, &res, approx, &err) < 0)
    {
      printf ("FAIL case %u: intersect: %s\n", c, err->msg);
      hr_error_free (err);
      t->failed++;
      return;
    }
  k.res = res;
  for (size_t i = 0; i < CALLS_PER_CASE; i++)
    {
      k.which[i] = pick (N_UNIVERSE);
      nrs[i] = seccomp_syscall_resolve_name (universe[k.which[i]]);
      for (int a = 0; a < 6; a++)
        k.args[i][a] = small_values[pick (N_VALUES)];
    }
  r = kernel_verdicts (in, nrs, k.args, CALLS_PER_CASE, k.a_in);
  r = r < 0 ? r : kernel_verdicts (pol, nrs, k.args, CALLS_PER_CASE, k.a_pol);
  r = r < 0 ? r : kernel_verdicts (res, nrs, k.args, CALLS_PER_CASE, k.a_res);
  if (r == -2)
    {
      t->libseccomp_hangs++;
      return;
    }
  if (r < 0)
    {
      printf ("FAIL case %u: a filter could not be installed\n", c);
      t->failed++;
      return;
    }
  for (size_t i = 0; i < CALLS_PER_CASE; i++)
    judge_call (&k, i, t);
}

int
main (int argc, char **argv)
{
  unsigned cases = argc > 1 ? (unsigned) atoi (argv[1]) : 400;
  struct tally t = { 0 };

  t.passed += docker_and_baseline (&t.failed);
  for (unsigned c = 0; c < cases; c++)
    random_case (c, &t);
  printf ("seccomp property: %lu checks exact, %lu checks never-looser only (rules libseccomp cannot intersect "
          "exactly), %lu unresolved\n",
          t.exact, t.conservative, t.skipped_unresolved);
  printf ("seccomp property: %lu checks where libseccomp compiled a profile differently from its OCI meaning "
          "(overlapping rules on one argument); judged on the OCI meaning\n",
          t.kernel_disagrees);
  printf ("seccomp property: %lu cases skipped because libseccomp 2.5 looped building a filter (its bug; runc "
          "would hang the same way)\n",
          t.libseccomp_hangs);
  printf ("seccomp property: %lu passed, %lu failed\n", t.passed, t.failed);
  return t.failed || t.passed == 0 ? 1 : 0;
}
