/* SPDX-License-Identifier: Apache-2.0 */
/* Numbers and paths. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "unit.h"
#include "util.h"

START_TEST (util_numbers_and_paths)

{
  uint64_t u;
  int64_t i;
  char buf[64];
  ck_assert (parse_u64 ("18446744073709551615", 20, &u) && u == UINT64_MAX);
  ck_assert (!parse_u64 ("18446744073709551616", 20, &u));
  ck_assert (!parse_u64 ("1x", 2, &u));
  ck_assert (!parse_u64 ("", 0, &u));
  ck_assert (parse_i64 ("-9223372036854775808", 20, &i) && i == INT64_MIN);
  ck_assert (!parse_i64 ("9223372036854775808", 19, &i));
  {
    static const char *const cases[][2] = {
      { "/a//b/./c/", "/a/b/c" }, { "/../x", "/x" }, { "a/b", "/a/b" }, { "/", "/" }, { "/a/b/../../..", "/" },
    };
    for (size_t k = 0; k < 5; k++)
      {
        cleanup_free char *c = path_clean (cases[k][0]);
        ck_assert_str_eq (c, cases[k][1]);
      }
  }
  ck_assert (path_covers ("/var", "/var/run"));
  ck_assert (!path_covers ("/var", "/variable"));
  ck_assert (path_covers ("/", "/etc"));
  format_rfc3339 (buf, sizeof buf);
  ck_assert_uint_eq (strlen (buf), 30);
  ck_assert (buf[4] == '-' && buf[10] == 'T' && buf[29] == 'Z');
}
END_TEST

Suite *
util_suite (void)
{
  const TTest *const tests[] = {
    util_numbers_and_paths,
    NULL,
  };
  return unit_suite ("util", false, 0, tests);
}
