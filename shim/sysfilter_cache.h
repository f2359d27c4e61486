/* SPDX-License-Identifier: Apache-2.0 */
/* The cache of seccomp work: profiles that built with libseccomp, and
 * whole intersection results, remembered per boot in a private directory
 * and signed with a per-boot key (sysfilter_cache.c says why and how). */
#ifndef HARDENED_SYSFILTER_CACHE_H
#define HARDENED_SYSFILTER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "json.h"

/* Every function below takes the directory of the cache, DIR: owned by
 * the caller, mode 0700, created so when missing, or not used at all;
 * NULL: no cache.  The shim's own is HR_STATE_DIR, as root only: */
const char *sysfilter_cache_system_dir (void);

/* An open cache: the entry directory and the key. */
struct sysfilter_cache
{
  int dir;
  unsigned char key[DIGEST_SIPHASH_KEY_SIZE];
};

/* 0 and C open, or -1: no cache this time (never an error). */
int sysfilter_cache_open (const char *dir, struct sysfilter_cache *c);
void sysfilter_cache_close (struct sysfilter_cache *c);
#define cleanup_sysfilter_cache __attribute__ ((cleanup (sysfilter_cache_close)))

/* The build-check cache: a profile's text that built once, named by its
 * SHA-256 with this libseccomp's version and the native architecture. */
struct sysfilter_built
{
  char bucket[8];
  char line[128];
};
void sysfilter_cache_built_name (const char *text, size_t len, struct sysfilter_built *b);
bool sysfilter_cache_built_seen (const struct sysfilter_cache *c, const struct sysfilter_built *b);
void sysfilter_cache_built_add (const struct sysfilter_cache *c, const struct sysfilter_built *b);

/* The result cache.  The key is the exact text of everything a result
 * depends on (REF: the policy's profile, an embedded name or an absolute
 * path; INCOMING, may be NULL; the bounding set CAPS; this build and
 * architecture), or NULL when it cannot be said (KLEN: its length). */
char *sysfilter_cache_result_key (const char *ref, const struct json_value *incoming, uint64_t caps, size_t *klen);
/* The result's text remembered for KEY, or NULL. */
char *sysfilter_cache_result_get (const char *dir, const char *key, size_t klen, size_t *rlen);
void sysfilter_cache_result_put (const char *dir, const char *key, size_t klen, const struct json_value *result);

#endif
