/* SPDX-License-Identifier: Apache-2.0 */
/* Small helpers shared by every module: allocation that aborts on OOM,
 * cleanup attributes, ownership transfer. */
#ifndef HARDENED_UTIL_H
#define HARDENED_UTIL_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Where runc keeps its state unless --root says otherwise, and where the
 * shim keeps its own (root-only, 0700: seccomp results, runtimes' spec
 * versions, MCS reservations, bind staging). */
#define RUNC_DEFAULT_ROOT "/run/runc"
#define HR_STATE_DIR "/run/hardened-runc"

/* The number of elements of an array (not a pointer). */
#define ARRAY_SIZE(a) (sizeof (a) / sizeof (a)[0])

/* A set of capabilities as one 64-bit mask (bit N: capability N); the
 * bit of CAP, or 0 for a number the mask cannot hold (negative: unknown). */
#define CAP_BIT(cap) ((cap) >= 0 && (cap) < 64 ? 1ull << (cap) : 0ull)

/* Say "out of memory" on stderr and abort. */
void oom (void) __attribute__ ((noreturn));
void *xmalloc (size_t size);
void *xcalloc (size_t nmemb, size_t size);
void *xrealloc (void *ptr, size_t size);
void *xreallocarray (void *ptr, size_t nmemb, size_t size);
char *xstrdup (const char *s);
char *xstrndup (const char *s, size_t n);
/* FNV-1a of a NUL-terminated string: for hash tables, not for security. */
uint64_t str_hash (const char *s);
char *xasprintf (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

static inline void
cleanup_freep (void *p)
{
  void **pp = (void **) p;
  free (*pp);
}

void cleanup_closep (int *fd);
void cleanup_fclosep (FILE **f);
void cleanup_dirp (DIR **d);

#define cleanup_free __attribute__ ((cleanup (cleanup_freep)))
#define cleanup_close __attribute__ ((cleanup (cleanup_closep)))
#define cleanup_fclose __attribute__ ((cleanup (cleanup_fclosep)))
#define cleanup_dir __attribute__ ((cleanup (cleanup_dirp)))

static inline void *
steal_pointer_ (void *pp)
{
  void **ptr = (void **) pp;
  void *ret = *ptr;
  *ptr = NULL;
  return ret;
}

/* Type-safe: the result has the type of *pp. */
#define steal_pointer(pp) ((__typeof__ (*(pp))) steal_pointer_ (pp))

static inline int
steal_fd (int *fd)
{
  int ret = *fd;
  *fd = -1;
  return ret;
}

/* A growable byte buffer. */
struct strbuf
{
  char *buf;
  size_t len;
  size_t cap;
};

/* Make room for CAP bytes (plus the NUL) in one allocation. */
void strbuf_reserve (struct strbuf *sb, size_t cap);
void strbuf_append (struct strbuf *sb, const char *data, size_t len);
void strbuf_appends (struct strbuf *sb, const char *s);
void strbuf_release (struct strbuf *sb);

/* Parse a decimal unsigned integer; the whole string must be consumed and
 * the value must fit.  Returns false otherwise. */
bool parse_u64 (const char *s, size_t len, uint64_t *out);
/* The multiplier of a binary size suffix: k/K 2^10, m/M 2^20, g/G 2^30,
 * t/T 2^40, p/P 2^50; 1 for anything else (no suffix). */
uint64_t size_suffix (char c);
/* Same for an optionally negative value. */
bool parse_i64 (const char *s, size_t len, int64_t *out);

/* Lexically clean a path: collapse "//", drop "." and trailing "/",
 * resolve ".." without going above "/"; relative paths are taken from "/". */
char *path_clean (const char *in);
/* True if A is B or an ancestor directory of B (both clean). */
bool path_covers (const char *a, const char *b);

/* Current wall-clock time as RFC 3339 with nanoseconds, UTC, into buf. */
void format_rfc3339 (char *buf, size_t size);

#endif
