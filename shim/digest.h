/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 (FIPS 180-4), to name a text, and SipHash-2-4, to tell the
 * shim's own cache entries from anyone else's. */
#ifndef HARDENED_DIGEST_H
#define HARDENED_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define DIGEST_SIZE 32

struct digest_sha256
{
  uint32_t h[8];
  uint64_t total;
  unsigned char block[64];
  size_t used;
};

void digest_sha256_init (struct digest_sha256 *s);
void digest_sha256_update (struct digest_sha256 *s, const void *data, size_t len);
void digest_sha256_final (struct digest_sha256 *s, unsigned char out[DIGEST_SIZE]);

/* SipHash-2-4 (Aumasson and Bernstein) of DATA under a 16-byte KEY: a
 * keyed 64-bit tag, a quarter of SHA-256's work per byte. */
#define DIGEST_SIPHASH_KEY_SIZE 16
uint64_t digest_siphash (const unsigned char key[DIGEST_SIPHASH_KEY_SIZE], const void *data, size_t len);

/* Compare without an early exit (no timing hint of where they differ). */
int digest_equal (const unsigned char *a, const unsigned char *b, size_t len);

#endif
