/* SPDX-License-Identifier: Apache-2.0 */
/* What libseccomp spends building a filter the way runc does (one rule add
 * per syscall name, then the BPF program), for make bench.
 *
 *   filter-cost ARCHS ROUNDS < RULES
 *
 * ARCHS: libseccomp architecture names joined by commas (x86_64,x86,x32);
 * RULES: one "ACTION ERRNO NAME" per line (ACTION: A = allow, E = errno),
 * the unconditional rules of an OCI profile (argument rules are a handful
 * of lines and left out).  Prints the median build time over ROUNDS and
 * the peak heap libseccomp used. */
#include <malloc.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rule
{
  uint32_t action;
  char name[64];
};

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char **argv)
{
  struct rule *rules = NULL;
  size_t n = 0, cap = 0, peak = 0;
  char line[256];
  int rounds = argc > 2 ? atoi (argv[2]) : 0;
  double *ms;
  FILE *null = fopen ("/dev/null", "w");

  if (argc < 3 || rounds <= 0 || null == NULL)
    {
      fprintf (stderr, "usage: filter-cost ARCHS ROUNDS < RULES\n");
      return 2;
    }
  while (fgets (line, sizeof line, stdin))
    {
      char act[8];
      unsigned eno;
      if (n == cap)
        {
          cap = cap ? cap * 2 : 512;
          rules = realloc (rules, cap * sizeof *rules);
          if (rules == NULL)
            return 1;
        }
      if (sscanf (line, "%7s %u %63s", act, &eno, rules[n].name) != 3)
        continue;
      rules[n].action = act[0] == 'A' ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO (eno);
      n++;
    }
  ms = calloc ((size_t) rounds, sizeof *ms);
  if (ms == NULL)
    return 1;
  for (int r = 0; r < rounds; r++)
    {
      struct timespec t0, t1;
      scmp_filter_ctx ctx;
      char *archs = strdup (argv[1]), *save = NULL;
      clock_gettime (CLOCK_MONOTONIC, &t0);
      ctx = seccomp_init (SCMP_ACT_ERRNO (38));
      if (ctx == NULL || archs == NULL)
        return 1;
      seccomp_arch_remove (ctx, SCMP_ARCH_NATIVE);
      for (char *a = strtok_r (archs, ",", &save); a; a = strtok_r (NULL, ",", &save))
        if (seccomp_arch_add (ctx, seccomp_arch_resolve_name (a)) < 0)
          {
            fprintf (stderr, "filter-cost: unknown architecture %s\n", a);
            return 2;
          }
      for (size_t i = 0; i < n; i++)
        {
          int nr = seccomp_syscall_resolve_name (rules[i].name);
          struct mallinfo2 mi;
          if (nr == __NR_SCMP_ERROR)
            continue; /* runc skips names its libseccomp does not know */
          seccomp_rule_add (ctx, rules[i].action, nr, 0);
          mi = mallinfo2 ();
          if (mi.uordblks + mi.hblkhd > peak)
            peak = mi.uordblks + mi.hblkhd;
        }
      seccomp_export_bpf (ctx, fileno (null));
      seccomp_release (ctx);
      clock_gettime (CLOCK_MONOTONIC, &t1);
      ms[r] = (double) (t1.tv_sec - t0.tv_sec) * 1e3 + (double) (t1.tv_nsec - t0.tv_nsec) / 1e6;
      free (archs);
    }
  qsort (ms, (size_t) rounds, sizeof *ms, cmp_double);
  printf ("%zu %.2f %.0f\n", n, ms[rounds / 2], (double) peak / 1024.0);
  return 0;
}
