/* SPDX-License-Identifier: Apache-2.0 */
#include "digest.h"

#include <string.h>

static const uint32_t round_constants[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t
rotr (uint32_t x, unsigned n)
{
  return (x >> n) | (x << (32 - n));
}

static void
compress (uint32_t h[8], const unsigned char *p)
{
  uint32_t w[64], a, b, c, d, e, f, g, k;

  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t) p[4 * i] << 24 | (uint32_t) p[4 * i + 1] << 16 | (uint32_t) p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++)
    {
      uint32_t s0 = rotr (w[i - 15], 7) ^ rotr (w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr (w[i - 2], 17) ^ rotr (w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
  a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++)
    {
      uint32_t t1 = k + (rotr (e, 6) ^ rotr (e, 11) ^ rotr (e, 25)) + ((e & f) ^ (~e & g)) + round_constants[i] + w[i];
      uint32_t t2 = (rotr (a, 2) ^ rotr (a, 13) ^ rotr (a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

void
digest_sha256_init (struct digest_sha256 *s)
{
  static const uint32_t initial[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
  memcpy (s->h, initial, sizeof initial);
  s->total = 0;
  s->used = 0;
}

void
digest_sha256_update (struct digest_sha256 *s, const void *data, size_t len)
{
  const unsigned char *p = data;

  s->total += len;
  if (s->used > 0)
    {
      size_t take = 64 - s->used < len ? 64 - s->used : len;
      memcpy (s->block + s->used, p, take);
      s->used += take;
      p += take;
      len -= take;
      if (s->used < 64)
        return;
      compress (s->h, s->block);
      s->used = 0;
    }
  for (; len >= 64; p += 64, len -= 64)
    compress (s->h, p);
  memcpy (s->block, p, len);
  s->used = len;
}

void
digest_sha256_final (struct digest_sha256 *s, unsigned char out[DIGEST_SIZE])
{
  uint64_t bits = s->total * 8;
  unsigned char pad[72] = { 0x80 };
  size_t padlen = (s->used < 56 ? 56 : 120) - s->used;

  for (int i = 0; i < 8; i++)
    pad[padlen + (size_t) i] = (unsigned char) (bits >> (56 - 8 * i));
  digest_sha256_update (s, pad, padlen + 8);
  for (int i = 0; i < 8; i++)
    {
      out[4 * i] = (unsigned char) (s->h[i] >> 24);
      out[4 * i + 1] = (unsigned char) (s->h[i] >> 16);
      out[4 * i + 2] = (unsigned char) (s->h[i] >> 8);
      out[4 * i + 3] = (unsigned char) s->h[i];
    }
}

static inline uint64_t
rotl (uint64_t x, unsigned n)
{
  return (x << n) | (x >> (64 - n));
}

static inline uint64_t
load_le64 (const unsigned char *p)
{
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

#define SIP_ROUND(v0, v1, v2, v3)                                                                                      \
  do                                                                                                                   \
    {                                                                                                                  \
      v0 += v1, v1 = rotl (v1, 13), v1 ^= v0, v0 = rotl (v0, 32);                                                      \
      v2 += v3, v3 = rotl (v3, 16), v3 ^= v2;                                                                          \
      v0 += v3, v3 = rotl (v3, 21), v3 ^= v0;                                                                          \
      v2 += v1, v1 = rotl (v1, 17), v1 ^= v2, v2 = rotl (v2, 32);                                                      \
    }                                                                                                                  \
  while (0)

uint64_t
digest_siphash (const unsigned char key[DIGEST_SIPHASH_KEY_SIZE], const void *data, size_t len)
{
  const unsigned char *p = data;
  uint64_t k0 = load_le64 (key), k1 = load_le64 (key + 8);
  uint64_t v0 = k0 ^ 0x736f6d6570736575ull, v1 = k1 ^ 0x646f72616e646f6dull;
  uint64_t v2 = k0 ^ 0x6c7967656e657261ull, v3 = k1 ^ 0x7465646279746573ull;
  uint64_t last = (uint64_t) (len & 0xff) << 56;
  size_t full = len & ~(size_t) 7;

  for (size_t i = 0; i < full; i += 8)
    {
      uint64_t m = load_le64 (p + i);
      v3 ^= m;
      SIP_ROUND (v0, v1, v2, v3);
      SIP_ROUND (v0, v1, v2, v3);
      v0 ^= m;
    }
  for (size_t i = 0; i < (len & 7); i++)
    last |= (uint64_t) p[full + i] << (8 * i);
  v3 ^= last;
  SIP_ROUND (v0, v1, v2, v3);
  SIP_ROUND (v0, v1, v2, v3);
  v0 ^= last;
  v2 ^= 0xff;
  for (int i = 0; i < 4; i++)
    SIP_ROUND (v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

int
digest_equal (const unsigned char *a, const unsigned char *b, size_t len)
{
  unsigned char diff = 0;
  for (size_t i = 0; i < len; i++)
    diff |= a[i] ^ b[i];
  return diff == 0;
}
