/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 and SipHash-2-4 known answers. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "digest.h"
#include "unit.h"
#include "util.h"

START_TEST (digest_known_answers)
{
  /* SHA-256: the FIPS 180-4 examples, fed in uneven pieces (the block
   * boundary is crossed mid-piece) */
  static const struct
  {
    const char *data, *want;
  } sha[] = {
    { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
  };
  unsigned char key[16], msg[15];

  for (size_t i = 0; i < sizeof sha / sizeof sha[0]; i++)
    {
      unsigned char out[DIGEST_SIZE];
      char hex[2 * DIGEST_SIZE + 1];
      size_t len = strlen (sha[i].data);
      struct digest_sha256 s;
      digest_sha256_init (&s);
      for (size_t off = 0; off < len; off += 7)
        digest_sha256_update (&s, sha[i].data + off, len - off < 7 ? len - off : 7);
      digest_sha256_final (&s, out);
      for (size_t k = 0; k < DIGEST_SIZE; k++)
        snprintf (hex + 2 * k, 3, "%02x", out[k]);
      ck_assert_str_eq (hex, sha[i].want);
    }
  /* SipHash-2-4: the paper's example (key 00..0f, message 00..0e) and the
   * empty message under the same key */
  for (int i = 0; i < 16; i++)
    key[i] = (unsigned char) i;
  for (int i = 0; i < 15; i++)
    msg[i] = (unsigned char) i;
  ck_assert_uint_eq (digest_siphash (key, msg, 15), 0xa129ca6149be45e5ull);
  ck_assert_uint_eq (digest_siphash (key, msg, 0), 0x726fdb47dd0e0e31ull);
  ck_assert (digest_equal ((const unsigned char *) "abcd", (const unsigned char *) "abcd", 4));
  ck_assert (!digest_equal ((const unsigned char *) "abcd", (const unsigned char *) "abce", 4));
}
END_TEST

Suite *
digest_suite (void)
{
  const TTest *const tests[] = {
    digest_known_answers,
    NULL,
  };
  return unit_suite ("digest", false, 0, tests);
}
