/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 and HMAC-SHA-256 (FIPS 180-4, RFC 2104): to tell the shim's own
 * cache entries from anyone else's. */
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

/* HMAC-SHA-256 of the concatenation of N pieces under KEY. */
struct digest_piece
{
  const void *data;
  size_t len;
};
void digest_hmac (const unsigned char *key, size_t keylen, const struct digest_piece *pieces, size_t n,
                  unsigned char out[DIGEST_SIZE]);

/* Compare without an early exit (no timing hint of where they differ). */
int digest_equal (const unsigned char *a, const unsigned char *b, size_t len);

#endif
