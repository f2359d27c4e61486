/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp modules (shim/sysfilter*.c): the cache of built profiles and
 * of intersection results.  No root needed: each test keeps its cache in a
 * mkdtemp directory of its own, handed to the code as a parameter. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controls.h"
#include "digest.h"
#include "fileio.h"
#include "harden.h"
#include "json.h"
#include "lsm.h"
#include "policy.h"
#include "spec.h"
#include "sysfilter_build.h"
#include "util.h"

Suite *sysfilter_suite (void);

/* A fresh directory of the test's own in BUF; the cache goes in BUF/cache,
 * its entries in BUF/cache/seccomp-built. */
static void
make_test_dir (char buf[64])
{
  strcpy (buf, "/tmp/hr-sysfilter.XXXXXX");
  ck_assert_ptr_nonnull (mkdtemp (buf));
}

static void
remove_test_dir (const char *dir)
{
  cleanup_free char *cmd = xasprintf ("rm -rf '%s'", dir);
  ck_assert_int_eq (system (cmd), 0);
}

/* Entries of DIR whose names MATCH accepts (temporary files, named
 * ".BUCKET.hardened-runc.PID.N", never). */
static size_t
count_entries (const char *dir, bool (*match) (const char *name))
{
  cleanup_dir DIR *d = opendir (dir);
  struct dirent *e;
  size_t n = 0;

  ck_assert_ptr_nonnull (d);
  while ((e = readdir (d)) != NULL)
    if (match (e->d_name) && e->d_name[0] != '.')
      n++;
  return n;
}

/* a bucket of the build-check cache: three hex digits */
static bool
is_built_bucket (const char *name)
{
  return strlen (name) == 3 && strspn (name, "0123456789abcdef") == 3;
}

/* a bucket of the result cache: "r" and three hex digits */
static bool
is_result_bucket (const char *name)
{
  return name[0] == 'r' && is_built_bucket (name + 1);
}

START_TEST (sysfilter_build_cache)
{
  /* a profile that built is remembered in a private bucket; a profile
   * libseccomp refuses is never cached */
  static const char good[] = "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\", "
                             "\"hr_unit_%d\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
  static const struct json_limits lim = { .max_depth = 16 };
  char dir[64];
  cleanup_free char *cache = NULL, *entries = NULL;
  char text[256];
  struct json_value *p = NULL;
  hr_err err = NULL;
  struct stat st;

  make_test_dir (dir);
  cache = xasprintf ("%s/cache", dir);
  entries = xasprintf ("%s/cache/seccomp-built", dir);
  snprintf (text, sizeof text, good, (int) getpid ());
  ck_assert_int_eq (json_parse (text, strlen (text), "unit", &lim, &p, &err), 0);
  ck_assert_int_eq (sysfilter_build_check_cached (cache, "unit", p, false, &err), 0);
  ck_assert_int_eq (stat (cache, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0700);
  ck_assert_int_eq (st.st_uid, geteuid ());
  ck_assert_int_eq (stat (entries, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0700);
  ck_assert_uint_eq (count_entries (entries, is_built_bucket), 1);
  ck_assert_int_eq (sysfilter_build_check_cached (cache, "unit", p, false, &err), 0);
  json_free (p);
  /* an argument index libseccomp refuses: refused twice, never cached */
  snprintf (text, sizeof text, "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], "
                               "\"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 7, \"value\": 1, "
                               "\"op\": \"SCMP_CMP_EQ\"}]}]}");
  ck_assert_int_eq (json_parse (text, strlen (text), "unit", &lim, &p, &err), 0);
  ck_assert_int_eq (sysfilter_build_check_cached (cache, "unit", p, false, &err), -1);
  hr_error_free (err);
  err = NULL;
  ck_assert_int_eq (sysfilter_build_check_cached (cache, "unit", p, false, &err), -1);
  hr_error_free (err);
  json_free (p);
  ck_assert_uint_eq (count_entries (entries, is_built_bucket), 1);
  remove_test_dir (dir);
}
END_TEST

/* harden the docker capture with the embedded policy, remembering seccomp
 * work in CACHE; the generated text */
static char *
harden_docker_default (const char *cache)
{
  struct policy *pol = NULL;
  const struct policy_profile *prof = NULL;
  struct spec *sp = NULL;
  struct changes ch = { 0 };
  struct lsm_env env;
  struct harden_ctx ctx;
  hr_err err = NULL;
  char *text = NULL, *out = NULL;
  size_t len = 0, plen;
  const char *ptext = policy_embedded_text (&plen);

  ck_assert_int_eq (policy_parse (ptext, plen, "embedded", &pol, &err), 0);
  ck_assert_int_eq (policy_select_profile (pol, NULL, &prof, &err), 0);
  ck_assert_int_eq (file_read_regular (AT_FDCWD, "test/fixtures/docker/default.json", "default.json", 1 << 20, &text,
                                       &len, NULL, &err),
                    0);
  ck_assert_int_eq (spec_load_buffer (text, len, "default.json", &sp, &err), 0);
  lsm_env_prepared (&env, "/nonexistent/hardened-runc-lsm");
  ctx = (struct harden_ctx){
    .source = "default.json", .profile = prof, .changes = &ch, .lsm = &env, .seccomp_cache_dir = cache
  };
  ck_assert_msg (harden_spec (&ctx, sp->root, &err) == 0, "%s", err ? err->msg : "");
  ck_assert_int_eq (json_generate (sp->root, &out, &len, &err), 0);
  changes_release (&ch);
  spec_free (sp);
  policy_free (pol);
  free (text);
  return out;
}

/* Rewrite every result entry of ENTRIES with RESULT in place of the
 * remembered result, tagged under KEY (16 bytes).  Returns how many. */
static size_t
forge_results (const char *entries, const unsigned char *key, const char *result)
{
  cleanup_dir DIR *d = opendir (entries);
  struct dirent *e;
  size_t n = 0;

  ck_assert_ptr_nonnull (d);
  while ((e = readdir (d)) != NULL)
    {
      cleanup_free char *path = NULL, *buf = NULL, *payload = NULL;
      size_t len = 0, klen, plen;
      hr_err err = NULL;
      char *nl;
      FILE *f;

      if (!is_result_bucket (e->d_name))
        continue;
      path = xasprintf ("%s/%s", entries, e->d_name);
      ck_assert_int_eq (file_read_regular (AT_FDCWD, path, path, 8u << 20, &buf, &len, NULL, &err), 0);
      /* tag line (16 hex digits), "<key length>\n", key, result */
      ck_assert_int_gt (len, 17);
      nl = strchr (buf + 17, '\n');
      ck_assert_ptr_nonnull (nl);
      klen = strtoul (buf + 17, NULL, 10);
      plen = (size_t) (nl + 1 - (buf + 17)) + klen;
      payload = xmalloc (plen + strlen (result) + 1);
      memcpy (payload, buf + 17, plen);
      strcpy (payload + plen, result);
      f = fopen (path, "w");
      ck_assert_ptr_nonnull (f);
      fprintf (f, "%016llx\n%s", (unsigned long long) digest_siphash (key, payload, strlen (payload)), payload);
      fclose (f);
      n++;
    }
  return n;
}

/* The result entries of ENTRIES, name and text, in name order: what the
 * cache holds, to compare. */
static char *
read_results (const char *entries)
{
  struct dirent **names = NULL;
  struct strbuf sb = { 0 };
  int n = scandir (entries, &names, NULL, alphasort);

  ck_assert_int_ge (n, 0);
  for (int i = 0; i < n; i++)
    {
      if (is_result_bucket (names[i]->d_name))
        {
          cleanup_free char *path = xasprintf ("%s/%s", entries, names[i]->d_name), *buf = NULL;
          size_t len = 0;
          hr_err err = NULL;
          ck_assert_int_eq (file_read_regular (AT_FDCWD, path, path, 8u << 20, &buf, &len, NULL, &err), 0);
          strbuf_appends (&sb, names[i]->d_name);
          strbuf_append (&sb, "\n", 1);
          strbuf_append (&sb, buf, len);
        }
      free (names[i]);
    }
  free (names);
  strbuf_append (&sb, "", 0);
  return sb.buf ? sb.buf : xstrdup ("");
}

/* The result entries of ENTRIES whose tag line is right under KEY. */
static size_t
count_signed_results (const char *entries, const unsigned char *key)
{
  cleanup_dir DIR *d = opendir (entries);
  struct dirent *e;
  size_t n = 0;

  ck_assert_ptr_nonnull (d);
  while ((e = readdir (d)) != NULL)
    {
      cleanup_free char *path = NULL, *buf = NULL;
      char tag[17];
      size_t len = 0;
      hr_err err = NULL;

      if (!is_result_bucket (e->d_name))
        continue;
      path = xasprintf ("%s/%s", entries, e->d_name);
      ck_assert_int_eq (file_read_regular (AT_FDCWD, path, path, 8u << 20, &buf, &len, NULL, &err), 0);
      if (len < 17 || buf[16] != '\n')
        continue;
      snprintf (tag, sizeof tag, "%016llx", (unsigned long long) digest_siphash (key, buf + 17, len - 17));
      if (memcmp (tag, buf, 16) == 0)
        n++;
    }
  return n;
}

/* A result cache after the docker capture was hardened once. */
struct result_cache
{
  char dir[64];
  char *cache, *entries, *keypath;
  char *first;      /* the hardened config.json */
  char *key;        /* the cache's key (16 bytes) */
  char *remembered; /* the result entries written the first time */
};

static const char allow_all[] = "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}";

/* The first application computes and remembers the result, the next ones
 * read it back. */
static void
result_cache_start (struct result_cache *rc)
{
  size_t keylen = 0;
  hr_err err = NULL;
  struct stat st;
  char *again;

  make_test_dir (rc->dir);
  rc->cache = xasprintf ("%s/cache", rc->dir);
  rc->entries = xasprintf ("%s/cache/seccomp-built", rc->dir);
  rc->keypath = xasprintf ("%s/cache/seccomp-key", rc->dir);
  rc->first = harden_docker_default (rc->cache);
  again = harden_docker_default (rc->cache);
  ck_assert_str_eq (rc->first, again);
  free (again);
  ck_assert_ptr_nonnull (strstr (rc->first, "\"defaultErrnoRet\":38"));
  ck_assert_ptr_null (strstr (rc->first, "\"defaultAction\":\"SCMP_ACT_ALLOW\""));
  /* the directory and the key are private; the entry exists, signed */
  ck_assert_int_eq (stat (rc->cache, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0700);
  ck_assert_int_eq (stat (rc->keypath, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0600);
  ck_assert_int_eq (file_read_regular (AT_FDCWD, rc->keypath, rc->keypath, 64, &rc->key, &keylen, NULL, &err), 0);
  ck_assert_uint_eq (keylen, 16);
  ck_assert_uint_eq (count_entries (rc->entries, is_result_bucket), 1);
  ck_assert_uint_eq (count_signed_results (rc->entries, (unsigned char *) rc->key), 1);
  rc->remembered = read_results (rc->entries);
}

static void
result_cache_end (struct result_cache *rc)
{
  remove_test_dir (rc->dir);
  free (rc->cache);
  free (rc->entries);
  free (rc->keypath);
  free (rc->first);
  free (rc->key);
  free (rc->remembered);
}

/* Hardened again: the first result, and the entry as written the first
 * time (computed again and rewritten, or read back). */
static void
expect_first_result (const struct result_cache *rc)
{
  cleanup_free char *other = harden_docker_default (rc->cache);
  cleanup_free char *now = NULL;
  ck_assert_str_eq (rc->first, other);
  now = read_results (rc->entries);
  ck_assert_msg (strcmp (now, rc->remembered) == 0, "the result entry is not the one written the first time");
}

START_TEST (sysfilter_result_cache_signed)
{
  /* an entry not signed with the per-boot key (a foreign or damaged one)
   * is computed again */
  struct result_cache rc = { 0 };
  unsigned char wrong[16];
  char *other;

  result_cache_start (&rc);
  /* signed with the key, a forged result is taken: the cache is used, and
   * the key is what protects it */
  ck_assert_uint_eq (forge_results (rc.entries, (unsigned char *) rc.key, allow_all), 1);
  other = harden_docker_default (rc.cache);
  ck_assert_ptr_nonnull (strstr (other, "\"defaultAction\":\"SCMP_ACT_ALLOW\""));
  free (other);

  /* signed with anything else: computed again, and rewritten */
  memset (wrong, 0x5a, sizeof wrong);
  ck_assert_uint_eq (forge_results (rc.entries, wrong, allow_all), 1);
  ck_assert_uint_eq (count_signed_results (rc.entries, (unsigned char *) rc.key), 0);
  expect_first_result (&rc);

  /* damaged: computed again, and rewritten.  The entry damaged is the
   * shim's own (signed with its key), not a leftover. */
  ck_assert_uint_eq (count_signed_results (rc.entries, (unsigned char *) rc.key), 1);
  {
    cleanup_dir DIR *d = opendir (rc.entries);
    struct dirent *e;
    size_t damaged = 0;
    ck_assert_ptr_nonnull (d);
    while ((e = readdir (d)) != NULL)
      if (is_result_bucket (e->d_name))
        {
          cleanup_free char *path = xasprintf ("%s/%s", rc.entries, e->d_name);
          FILE *f = fopen (path, "r+");
          ck_assert_ptr_nonnull (f);
          fseek (f, -40, SEEK_END);
          fputs ("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}xxxx", f);
          fclose (f);
          damaged++;
        }
    ck_assert_uint_eq (damaged, 1);
  }
  ck_assert_uint_eq (count_signed_results (rc.entries, (unsigned char *) rc.key), 0);
  expect_first_result (&rc);
  result_cache_end (&rc);
}
END_TEST

START_TEST (sysfilter_result_cache_private)
{
  /* what others may write or read is not trusted */
  struct result_cache rc = { 0 };
  cleanup_free char *key2 = NULL;
  size_t key2len = 0;
  hr_err err = NULL;
  struct stat st;
  char *other;

  result_cache_start (&rc);
  /* an entry directory others may write is made anew (its entries gone) */
  ck_assert_uint_eq (forge_results (rc.entries, (unsigned char *) rc.key, allow_all), 1);
  ck_assert_int_eq (chmod (rc.entries, 0777), 0);
  expect_first_result (&rc);
  ck_assert_int_eq (stat (rc.entries, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0700);

  /* a key others may read is replaced: what it signed is no longer taken */
  ck_assert_uint_eq (forge_results (rc.entries, (unsigned char *) rc.key, allow_all), 1);
  ck_assert_int_eq (chmod (rc.keypath, 0644), 0);
  other = harden_docker_default (rc.cache);
  ck_assert_str_eq (rc.first, other);
  free (other);
  ck_assert_int_eq (stat (rc.keypath, &st), 0);
  ck_assert_int_eq (st.st_mode & 07777, 0600);
  ck_assert_int_eq (file_read_regular (AT_FDCWD, rc.keypath, rc.keypath, 64, &key2, &key2len, NULL, &err), 0);
  ck_assert_uint_eq (key2len, 16);
  ck_assert (memcmp (rc.key, key2, 16) != 0);
  ck_assert_uint_eq (count_signed_results (rc.entries, (unsigned char *) key2), 1);

  /* a cache directory that is not private is not used at all */
  ck_assert_int_eq (chmod (rc.cache, 0755), 0);
  ck_assert_uint_eq (forge_results (rc.entries, (unsigned char *) key2, allow_all), 1);
  other = harden_docker_default (rc.cache);
  ck_assert_str_eq (rc.first, other);
  free (other);
  result_cache_end (&rc);
}
END_TEST

Suite *
sysfilter_suite (void)
{
  Suite *s = suite_create ("sysfilter");
  TCase *tc = tcase_create ("cache");

  /* real seccomp builds: generous on a loaded machine (a deadline against
   * hangs, not a speed check) */
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, sysfilter_build_cache);
  tcase_add_test (tc, sysfilter_result_cache_signed);
  tcase_add_test (tc, sysfilter_result_cache_private);
  suite_add_tcase (s, tc);
  return s;
}
