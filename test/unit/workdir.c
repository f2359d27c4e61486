/* SPDX-License-Identifier: Apache-2.0 */
/* The working directory (workdir.c): never under /proc/<pid>/fd, also
 * through the image's links and the mounts. */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controls.h"
#include "harden.h"
#include "json.h"
#include "unit.h"
#include "util.h"

/* exec's and create's working directory, followed through the image's
 * own links inside its root (CVE-2024-21626 spellings) */
static int
cwd_verdict_mounts (const char *rootfs, const char *mounts_json, const char *cwd)
{
  static const struct json_limits limits = { .max_depth = 8 };
  cleanup_free char *text = xasprintf ("{\"cwd\": \"%s\"}", cwd);
  struct json_value *process = NULL, *mounts = NULL;
  struct changes changes = { 0 };
  struct harden_ctx ctx = { .source = "process.json", .changes = &changes, .rootfs = rootfs };
  hr_err err = NULL;
  int rc;

  ck_assert_int_eq (json_parse (text, strlen (text), "process.json", &limits, &process, &err), 0);
  if (mounts_json)
    ck_assert_int_eq (json_parse (mounts_json, strlen (mounts_json), "mounts", &limits, &mounts, &err), 0);
  ctx.mounts = mounts;
  rc = workdir_check (&ctx, process, "process.cwd", &err);
  if (rc < 0)
    {
      ck_assert_int_eq (err->kind, HR_ERR_FORBIDDEN);
      ck_assert_ptr_nonnull (strstr (err->msg, "CVE-2024-21626"));
    }
  hr_error_free (err);
  json_free (process);
  json_free (mounts);
  return rc;
}

static int
cwd_verdict (const char *rootfs, const char *cwd)
{
  return cwd_verdict_mounts (rootfs, NULL, cwd);
}

START_TEST (workdir_through_image_links_and_mounts)
{
  char dir[] = "/tmp/hr-cwd-XXXXXX";
  cleanup_free char *x = NULL, *y = NULL, *d = NULL, *etc = NULL, *loop = NULL;

  ck_assert_ptr_nonnull (mkdtemp (dir));
  etc = xasprintf ("%s/etc", dir);
  x = xasprintf ("%s/x", dir);
  y = xasprintf ("%s/etc/y", dir);
  d = xasprintf ("%s/d", dir);
  loop = xasprintf ("%s/loop", dir);
  ck_assert_int_eq (mkdir (etc, 0755), 0);
  ck_assert_int_eq (symlink ("/proc/self/fd", x), 0);
  ck_assert_int_eq (symlink ("../x", y), 0);       /* relative, through another link */
  ck_assert_int_eq (symlink ("/../../dev", d), 0); /* ".." above the root stays in it */
  ck_assert_int_eq (symlink ("loop", loop), 0);

  ck_assert_int_lt (cwd_verdict (dir, "/x/3"), 0);
  ck_assert_int_lt (cwd_verdict (dir, "/etc/y"), 0);
  ck_assert_int_lt (cwd_verdict (dir, "/etc/./y/7/.."), 0);
  ck_assert_int_lt (cwd_verdict (dir, "/d/fd/3"), 0);
  ck_assert_int_lt (cwd_verdict (dir, "/d/stdin"), 0);
  ck_assert_int_lt (cwd_verdict (dir, "/proc/self/root/x"), 0);
  ck_assert_int_lt (cwd_verdict (dir, "/proc/thread-self/root/etc/y/1"), 0);
  ck_assert_int_lt (cwd_verdict (NULL, "/proc/self/root/proc/self/fd"), 0);
  ck_assert_int_lt (cwd_verdict (NULL, "/proc/42/task/43/fd/"), 0);
  ck_assert_int_lt (cwd_verdict (NULL, "/proc/self/cwd"), 0);
  ck_assert_int_eq (cwd_verdict (dir, "/etc"), 0);
  ck_assert_int_lt (cwd_verdict (dir, "/x/../etc"), 0); /* a step lands in /proc/self/fd */
  ck_assert_int_eq (cwd_verdict (dir, "/loop/a"), 0);   /* ELOOP: runc cannot enter it */
  ck_assert_int_eq (cwd_verdict (dir, "/proc/self/fdinfo"), 0);
  ck_assert_int_eq (cwd_verdict (dir, "/devices/fd"), 0);
  ck_assert_int_eq (cwd_verdict (NULL, "/x/3"), 0); /* without the root: the path as written */

  /* through mounts: a proc mount elsewhere, binds of /proc and /dev (both
   * forms: config.json's and runc's state) */
  {
    static const char *const m
        = "[{\"destination\": \"/p\", \"type\": \"proc\", \"source\": \"proc\"},"
          " {\"destination\": \"/hostproc/\", \"type\": \"none\", \"source\": \"/proc/\", \"options\": [\"rbind\"]},"
          " {\"destination\": \"/d\", \"device\": \"bind\", \"source\": \"/dev\"},"
          " {\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"/srv/data\"},"
          " {\"destination\": \"/q\", \"type\": \"proc\"}, {\"destination\": \"/q\", \"type\": \"tmpfs\"}]";
    ck_assert_int_lt (cwd_verdict_mounts (NULL, m, "/p/self/fd/3"), 0);
    ck_assert_int_lt (cwd_verdict_mounts (NULL, m, "/p/1/task/1/fd"), 0);
    ck_assert_int_lt (cwd_verdict_mounts (NULL, m, "/hostproc/thread-self/fd/9"), 0);
    ck_assert_int_lt (cwd_verdict_mounts (NULL, m, "/d/fd/3"), 0);
    ck_assert_int_lt (cwd_verdict_mounts (dir, m, "/etc/../p/self/fd"), 0);
    ck_assert_int_eq (cwd_verdict_mounts (NULL, m, "/data/fd/3"), 0);
    ck_assert_int_eq (cwd_verdict_mounts (NULL, m, "/q/self/fd"), 0); /* a tmpfs on top of it */
    ck_assert_int_eq (cwd_verdict_mounts (NULL, m, "/p/self/fdinfo"), 0);
  }

  unlink (x), unlink (y), unlink (d), unlink (loop), rmdir (etc), rmdir (dir);
}
END_TEST

/* Where mounts land (rule dev_tmpfs): their destinations through the
 * image's links and through the links of the binds mounted before them,
 * as runc's secure join follows them. */
static char *
landing (const char *rootfs, const char *mounts_json, size_t i)
{
  static const struct json_limits limits = { .max_depth = 8 };
  struct json_value *mounts = NULL;
  hr_err err = NULL;
  char **at, *r;
  size_t n;

  ck_assert_int_eq (json_parse (mounts_json, strlen (mounts_json), "mounts", &limits, &mounts, &err), 0);
  n = mounts->u.arr.len;
  at = workdir_mount_destinations (rootfs, AT_FDCWD, mounts, mounts_is_bind);
  ck_assert_uint_lt (i, n);
  r = at[i] ? xstrdup (at[i]) : NULL;
  for (size_t k = 0; k < n; k++)
    free (at[k]);
  free (at);
  json_free (mounts);
  return r;
}

static void
expect_landing (const char *rootfs, const char *mounts_json, size_t i, const char *want)
{
  char *got = landing (rootfs, mounts_json, i);
  ck_assert_str_eq (got, want);
  free (got);
}

START_TEST (workdir_mount_landings)
{
  char dir[] = "/tmp/hr-land-XXXXXX";
  cleanup_free char *img = NULL, *vol = NULL, *m = NULL;

  ck_assert_ptr_nonnull (mkdtemp (dir));
  img = xasprintf ("%s/img", dir);
  vol = xasprintf ("%s/vol", dir);
  ck_assert_int_eq (mkdir (img, 0755), 0);
  ck_assert_int_eq (mkdir (vol, 0755), 0);
  {
    cleanup_free char *a = xasprintf ("%s/mydev", img), *b = xasprintf ("%s/up", img),
                      *c = xasprintf ("%s/x", vol), *d = xasprintf ("%s/rel", vol);
    ck_assert_int_eq (symlink ("/dev", a), 0);
    ck_assert_int_eq (symlink ("../../../dev", b), 0); /* ".." stops at the root */
    ck_assert_int_eq (symlink ("/dev", c), 0);         /* absolute: from the container's root */
    ck_assert_int_eq (symlink ("../dev", d), 0);       /* relative: from the volume's place */
  }
  m = xasprintf ("[{\"destination\": \"/mydev\", \"type\": \"bind\", \"source\": \"/srv\"},"
                 " {\"destination\": \"/up\", \"type\": \"tmpfs\"},"
                 " {\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"%s\", \"options\": [\"rbind\"]},"
                 " {\"destination\": \"/data/x\", \"type\": \"bind\", \"source\": \"/srv\"},"
                 " {\"destination\": \"/data/rel/null\", \"type\": \"bind\", \"source\": \"/srv\"},"
                 " {\"destination\": \"/data\", \"type\": \"tmpfs\"},"
                 " {\"destination\": \"/data/x\", \"type\": \"bind\", \"source\": \"/srv\"},"
                 " {\"type\": \"tmpfs\"},"
                 " {\"destination\": \"/a/../mydev/./\", \"type\": \"tmpfs\"}]",
                 vol);
  expect_landing (img, m, 0, "/dev"); /* the image's link */
  expect_landing (img, m, 1, "/dev");
  expect_landing (img, m, 3, "/dev"); /* the volume's link, mounted before */
  expect_landing (img, m, 4, "/dev/null");
  expect_landing (img, m, 6, "/data/x"); /* the tmpfs on /data hides the volume's link */
  ck_assert_ptr_null (landing (img, m, 7));
  expect_landing (img, m, 8, "/dev");
  expect_landing (NULL, m, 0, "/mydev"); /* without the image: its links are not followed */
  {
    cleanup_free char *cmd = xasprintf ("rm -rf %s", dir);
    ck_assert_int_eq (system (cmd), 0);
  }
}
END_TEST

Suite *
workdir_suite (void)
{
  const TTest *const tests[] = {
    workdir_through_image_links_and_mounts,
    workdir_mount_landings,
    NULL,
  };
  return unit_suite ("workdir", false, 0, tests);
}
