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
 * the peak heap libseccomp used (sampled in one extra, untimed build:
 * sampling the heap after every rule add costs more than the adds). */
#include <fcntl.h>
#include <malloc.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* One build: a filter context, the ABIs, every rule, the BPF program.
 * When PEAK is not NULL the heap is sampled after each rule add (which
 * costs far more than the add itself, so timed builds pass NULL). */
static int
build (const struct rule *rules, size_t n, const char *arch_list, size_t *peak)
{
  char *archs = strdup (arch_list), *save = NULL;
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ERRNO (38));
  int rc = 0;

  if (ctx == NULL || archs == NULL)
    {
      free (archs);
      if (ctx)
        seccomp_release (ctx);
      return -1;
    }
  seccomp_arch_remove (ctx, SCMP_ARCH_NATIVE);
  for (char *a = strtok_r (archs, ",", &save); a; a = strtok_r (NULL, ",", &save))
    if (seccomp_arch_add (ctx, seccomp_arch_resolve_name (a)) < 0)
      {
        fprintf (stderr, "filter-cost: unknown architecture %s\n", a);
        rc = -2;
        goto out;
      }
  for (size_t i = 0; i < n; i++)
    {
      int nr = seccomp_syscall_resolve_name (rules[i].name);
      if (nr == __NR_SCMP_ERROR)
        continue; /* runc skips names its libseccomp does not know */
      seccomp_rule_add (ctx, rules[i].action, nr, 0);
      if (peak)
        {
          struct mallinfo2 mi = mallinfo2 ();
          if (mi.uordblks + mi.hblkhd > *peak)
            *peak = mi.uordblks + mi.hblkhd;
        }
    }
  {
    int fd = open ("/dev/null", O_WRONLY | O_CLOEXEC);
    if (fd < 0 || seccomp_export_bpf (ctx, fd) < 0)
      rc = -1;
    if (fd >= 0)
      close (fd);
  }
out:
  seccomp_release (ctx);
  free (archs);
  return rc;
}

int
main (int argc, char **argv)
{
  struct rule *rules = NULL;
  size_t n = 0, cap = 0, peak = 0;
  char line[256];
  int rounds = argc > 2 ? atoi (argv[2]) : 0, rc;
  double *ms;

  if (argc < 3 || rounds <= 0)
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
  /* the heap, in a build of its own; then the timed builds */
  rc = build (rules, n, argv[1], &peak);
  if (rc < 0)
    return -rc;
  for (int r = 0; r < rounds; r++)
    {
      struct timespec t0, t1;
      clock_gettime (CLOCK_MONOTONIC, &t0);
      rc = build (rules, n, argv[1], NULL);
      clock_gettime (CLOCK_MONOTONIC, &t1);
      if (rc < 0)
        return -rc;
      ms[r] = (double) (t1.tv_sec - t0.tv_sec) * 1e3 + (double) (t1.tv_nsec - t0.tv_nsec) / 1e6;
    }
  qsort (ms, (size_t) rounds, sizeof *ms, cmp_double);
  printf ("%zu %.2f %.0f\n", n, ms[rounds / 2], (double) peak / 1024.0);
  free (ms);
  free (rules);
  return 0;
}
