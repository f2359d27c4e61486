/* SPDX-License-Identifier: Apache-2.0 */
#include "sysfilter_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fileio.h"
#include "spec.h"
#include "sysfilter_profile.h"
#include "util.h"

/* Building a filter costs libseccomp more than everything else the shim
 * does on create (~1.5 ms for the baseline), and dockerd sends the same
 * few profiles again and again: profiles that built, and whole
 * intersection results, are remembered per boot in a directory on /run
 * (tmpfs: forgotten at reboot).
 *
 * Nobody else's entry is trusted.  DIR (the shim's: /run/hardened-runc,
 * as root) must be owned by the caller with mode 0700, or the cache is
 * not used; it holds the per-boot key (seccomp-key: 16 random bytes, 0600, made anew
 * when missing or when its owner, mode or size is wrong) and the entries
 * (seccomp-built/, 0700, made anew when its owner or mode is wrong).  Each
 * entry starts with the SipHash-2-4 tag, under that key, of the rest: an
 * entry written by anyone without the key (a container given the entry
 * directory, a damaged file) fails the check and is computed again.
 * SipHash, not HMAC-SHA-256: a hit checks some 30 KB, and SHA-256 made
 * that a fifth of everything a create costs; a 64-bit tag a writer
 * without the key must guess is enough for a cache.  4096
 * buckets per kind, so hostile callers cannot grow it. */
#define CACHE_SUB "seccomp-built"
#define CACHE_KEY "seccomp-key"
#define CACHE_KEY_SIZE DIGEST_SIPHASH_KEY_SIZE
#define TAG_HEX 16 /* the SipHash tag, in hex */

const char *
sysfilter_cache_system_dir (void)
{
  return geteuid () == 0 ? HR_STATE_DIR : NULL;
}

void
sysfilter_cache_close (struct sysfilter_cache *c)
{
  if (c->dir >= 0)
    close (c->dir);
  c->dir = -1;
}

static bool
private_stat (const struct stat *st)
{
  return S_ISDIR (st->st_mode) && st->st_uid == geteuid () && (st->st_mode & 07777) == 0700;
}

/* NAME in AT, created 0700 if missing; -1 unless it is ours and 0700. */
static int
open_private_dir (int at, const char *name)
{
  cleanup_close int fd = -1;
  struct stat st;

  if (mkdirat (at, name, 0700) < 0 && errno != EEXIST)
    return -1;
  fd = openat (at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0 || !private_stat (&st))
    return -1;
  return steal_fd (&fd);
}

/* Remove what the directory NAME in TOP holds (best effort). */
static void
empty_dir (int top, const char *name)
{
  cleanup_close int fd = openat (top, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  cleanup_dir DIR *d = NULL;
  struct dirent *e;

  if (fd < 0 || (d = fdopendir (fd)) == NULL)
    return;
  fd = -1; /* the stream owns it now */
  while ((e = readdir (d)) != NULL)
    if (strcmp (e->d_name, ".") != 0 && strcmp (e->d_name, "..") != 0)
      unlinkat (dirfd (d), e->d_name, 0);
}

/* The entry directory, made anew when its owner or mode is wrong: moved
 * aside, emptied and removed (best effort), then created 0700. */
static int
open_entries_dir (int top)
{
  struct stat st;
  int fd = open_private_dir (top, CACHE_SUB);
  char aside[64];

  if (fd >= 0)
    return fd;
  if (fstatat (top, CACHE_SUB, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return -1;
  snprintf (aside, sizeof aside, ".%s.untrusted.%ld", CACHE_SUB, (long) getpid ());
  if (renameat (top, CACHE_SUB, top, aside) < 0)
    return -1;
  empty_dir (top, aside);
  if (unlinkat (top, aside, AT_REMOVEDIR) < 0)
    unlinkat (top, aside, 0); /* it was not a directory */
  return open_private_dir (top, CACHE_SUB);
}

/* The key in TOP when it is ours (a regular file of the caller's, 0600,
 * of the key's size): 1 and KEY read; 0 when there is none (any other
 * file there is removed); -1 when that fails. */
static int
read_key (int top, unsigned char key[CACHE_KEY_SIZE])
{
  cleanup_close int fd = openat (top, CACHE_KEY, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  struct stat st;

  if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && st.st_uid == geteuid ()
      && (st.st_mode & 07777) == 0600 && st.st_size == CACHE_KEY_SIZE
      && read (fd, key, CACHE_KEY_SIZE) == CACHE_KEY_SIZE)
    return 1;
  if (fd < 0 && errno == ENOENT)
    return 0;
  /* not a key of ours: replaced */
  if (unlinkat (top, CACHE_KEY, 0) < 0 && errno != ENOENT)
    return -1;
  return 0;
}

/* Give KEY the name CACHE_KEY unless another shim was quicker (-1 with
 * errno EEXIST): an unnamed file (O_TMPFILE), written, then linked, so a
 * shim killed on the way leaves nothing behind. */
static int
publish_key (int top, const unsigned char key[CACHE_KEY_SIZE])
{
  cleanup_close int fd = openat (top, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  char self[64];

  if (fd < 0 || file_write_fd (fd, key, CACHE_KEY_SIZE) < 0)
    return -1;
  if (linkat (fd, "", top, CACHE_KEY, AT_EMPTY_PATH) == 0)
    return 0;
  if (errno != ENOENT)
    return -1;
  /* AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH: name it through /proc */
  snprintf (self, sizeof self, "/proc/self/fd/%d", fd);
  return linkat (AT_FDCWD, self, top, CACHE_KEY, AT_SYMLINK_FOLLOW);
}

/* Read the key, or make a new one (unless another shim was quicker: then
 * that one is read). */
static int
load_key (int top, unsigned char key[CACHE_KEY_SIZE])
{
  for (int attempt = 0; attempt < 3; attempt++)
    {
      int r = read_key (top, key);

      if (r != 0)
        return r > 0 ? 0 : -1;
      if (getrandom (key, CACHE_KEY_SIZE, 0) != CACHE_KEY_SIZE)
        return -1;
      if (publish_key (top, key) == 0)
        return 0;
      if (errno != EEXIST)
        return -1;
      /* another shim made one first: use that */
    }
  return -1;
}

int
sysfilter_cache_open (const char *dir, struct sysfilter_cache *c)
{
  cleanup_close int top = -1;

  c->dir = -1;
  if (dir == NULL || dir[0] == '\0')
    return -1;
  top = open_private_dir (AT_FDCWD, dir);
  if (top < 0)
    return -1;
  if (load_key (top, c->key) == 0)
    c->dir = open_entries_dir (top);
  return c->dir >= 0 ? 0 : -1;
}

static void
cache_mac (const struct sysfilter_cache *c, const char *data, size_t len, char hex[TAG_HEX + 1])
{
  snprintf (hex, TAG_HEX + 1, "%016llx", (unsigned long long) digest_siphash (c->key, data, len));
}

/* The payload of BUCKET when its tag line is right, else NULL. */
static char *
cache_read (const struct sysfilter_cache *c, const char *bucket, size_t max, size_t *plen)
{
  cleanup_close int fd = openat (c->dir, bucket, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  cleanup_free char *buf = NULL;
  char want[TAG_HEX + 1];
  size_t len = 0, cap;
  struct stat st;

  if (fd < 0)
    return NULL;
  /* sized by the file (one byte more shows it did not grow meanwhile) */
  if (fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || (uint64_t) st.st_size > max + TAG_HEX + 1
      || st.st_size < TAG_HEX + 1)
    return NULL;
  cap = (size_t) st.st_size + 1;
  buf = xmalloc (cap + 1);
  for (;;)
    {
      ssize_t r = read (fd, buf + len, cap - len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      len += (size_t) r;
      if (len == cap)
        break;
    }
  if (len == cap || len < TAG_HEX + 1 || buf[TAG_HEX] != '\n')
    return NULL;
  cache_mac (c, buf + TAG_HEX + 1, len - TAG_HEX - 1, want);
  if (!digest_equal ((const unsigned char *) want, (const unsigned char *) buf, TAG_HEX))
    return NULL;
  *plen = len - TAG_HEX - 1;
  return xstrndup (buf + TAG_HEX + 1, *plen);
}

/* Write BUCKET: the tag line, then the N pieces, through
 * file_replace_atomic (a reader never sees half, and a writer killed half
 * way leaves a temporary file that the next write of BUCKET removes).
 * Best effort: a failed write only costs a later recomputation. */
static void
cache_write (const struct sysfilter_cache *c, const char *bucket, const struct iovec *pieces, size_t n)
{
  struct strbuf body = { 0 }, sb = { 0 };
  char mac[TAG_HEX + 1];
  cleanup_hr_error hr_err ignored = NULL;

  for (size_t i = 0; i < n; i++)
    strbuf_append (&body, pieces[i].iov_base, pieces[i].iov_len);
  cache_mac (c, body.buf ? body.buf : "", body.len, mac);
  mac[TAG_HEX] = '\n';
  strbuf_append (&sb, mac, sizeof mac);
  strbuf_append (&sb, body.buf ? body.buf : "", body.len);
  (void) file_replace_atomic (c->dir, bucket, bucket, sb.buf, sb.len, 0600, geteuid (), getegid (), &ignored);
  strbuf_release (&body);
  strbuf_release (&sb);
}

/* ------------------------------------------------------------------ */
/* Profiles that built */

void
sysfilter_cache_built_name (const char *text, size_t len, struct sysfilter_built *b)
{
  const struct scmp_version *v = seccomp_version ();
  unsigned char sum[DIGEST_SIZE];
  struct digest_sha256 sha;

  digest_sha256_init (&sha);
  digest_sha256_update (&sha, text, len);
  digest_sha256_final (&sha, sum);
  snprintf (b->bucket, sizeof b->bucket, "%02x%x", sum[0], sum[1] >> 4);
  for (size_t i = 0; i < DIGEST_SIZE; i++)
    snprintf (b->line + 2 * i, 3, "%02x", sum[i]);
  snprintf (b->line + 2 * DIGEST_SIZE, sizeof b->line - 2 * DIGEST_SIZE, " %u.%u.%u %u\n", v->major, v->minor,
            v->micro, seccomp_arch_native ());
}

bool
sysfilter_cache_built_seen (const struct sysfilter_cache *c, const struct sysfilter_built *b)
{
  size_t slen = 0;
  cleanup_free char *seen = cache_read (c, b->bucket, sizeof b->line, &slen);
  return seen && slen == strlen (b->line) && memcmp (seen, b->line, slen) == 0;
}

void
sysfilter_cache_built_add (const struct sysfilter_cache *c, const struct sysfilter_built *b)
{
  struct iovec piece = { (void *) b->line, strlen (b->line) };
  cache_write (c, b->bucket, &piece, 1);
}

/* ------------------------------------------------------------------ */
/* Intersection results */

/* The whole result remembered, too: dockerd sends the same few profiles
 * with the same few capability sets, and loading the policy's profile plus
 * intersecting costs more than reading the answer back.  The key is the
 * exact text of everything the result depends on (this build, the native
 * arch, the bounding set, the policy's profile text, the incoming profile
 * as generated): a hit compares the whole key, so a hash collision is only
 * a miss.  Same directory, key and bucket scheme as the build check. */
#define RESULT_CACHE_MAX (1u << 20)

char *
sysfilter_cache_result_key (const char *ref, const struct json_value *incoming, uint64_t caps, size_t *klen)
{
  cleanup_free char *file = NULL, *in = NULL;
  const char *ptext;
  size_t plen = 0, ilen = 0;
  struct strbuf sb = { 0 };
  char head[256];

  if (ref[0] == '/')
    {
      hr_err ignored = NULL;
      if (file_read_config (ref, SPEC_MAX_BYTES, &file, &plen, &ignored) < 0)
        {
          hr_error_free (ignored);
          return NULL;
        }
      ptext = file;
    }
  else if (sysfilter_embedded_profile (ref, &plen) != NULL)
    {
      /* compiled in: its name and this build (in the head) say which text */
      ptext = ref;
      plen = strlen (ref);
    }
  else
    return NULL;
  if (incoming && json_generate (incoming, &in, &ilen, NULL) < 0)
    return NULL;
  snprintf (head, sizeof head, "hardened-runc seccomp result 2 %s %s\narch %u caps %016llx\n%s %zu %zu\n", __DATE__,
            __TIME__, seccomp_arch_native (), (unsigned long long) caps, file ? "file" : "embedded", plen, ilen);
  strbuf_appends (&sb, head);
  strbuf_append (&sb, ptext, plen);
  strbuf_append (&sb, "\n", 1);
  if (in)
    strbuf_append (&sb, in, ilen);
  *klen = sb.len;
  return sb.buf;
}

static void
result_bucket (const char *key, size_t klen, char *bucket, size_t size)
{
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < klen; i++)
    h = (h ^ (unsigned char) key[i]) * 0x100000001b3ull;
  snprintf (bucket, size, "r%03x", (unsigned) (h >> 52));
}

/* the cached result's text for KEY, or NULL */
char *
sysfilter_cache_result_get (const char *dir, const char *key, size_t klen, size_t *rlen)
{
  char bucket[16];
  cleanup_free char *buf = NULL;
  cleanup_sysfilter_cache struct sysfilter_cache c = { .dir = -1 };
  size_t len = 0;
  char *nl;
  uint64_t stored;

  if (sysfilter_cache_open (dir, &c) < 0)
    return NULL;
  result_bucket (key, klen, bucket, sizeof bucket);
  buf = cache_read (&c, bucket, klen + 64 + RESULT_CACHE_MAX, &len);
  if (buf == NULL)
    return NULL;
  /* "<key length>\n" key result */
  nl = memchr (buf, '\n', len < 24 ? len : 24);
  if (nl == NULL || !parse_u64 (buf, (size_t) (nl - buf), &stored) || stored != klen
      || (size_t) (nl + 1 - buf) + klen > len || memcmp (nl + 1, key, klen) != 0)
    return NULL;
  *rlen = len - (size_t) (nl + 1 - buf) - klen;
  return xstrndup (nl + 1 + klen, *rlen);
}

void
sysfilter_cache_result_put (const char *dir, const char *key, size_t klen, const struct json_value *result)
{
  cleanup_free char *text = NULL, *head = NULL;
  cleanup_sysfilter_cache struct sysfilter_cache c = { .dir = -1 };
  char bucket[16];
  size_t len = 0;

  if (json_generate (result, &text, &len, NULL) < 0 || len > RESULT_CACHE_MAX || sysfilter_cache_open (dir, &c) < 0)
    return;
  result_bucket (key, klen, bucket, sizeof bucket);
  head = xasprintf ("%zu\n", klen);
  {
    struct iovec pieces[3] = { { head, strlen (head) }, { (void *) key, klen }, { text, len } };
    cache_write (&c, bucket, pieces, 3);
  }
}
