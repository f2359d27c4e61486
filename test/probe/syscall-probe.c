/* SPDX-License-Identifier: Apache-2.0 */
/* A static syscall probe run inside containers by the tests.
 *
 *   syscall-probe denied    every syscall the baseline seccomp profile
 *                           leaves out, each made in a child process with
 *                           harmless arguments; prints "NAME errno=N
 *                           want=M ok|FAIL" and exits 1 on any FAIL
 *   syscall-probe report    the same calls, printing only "NAME errno=N"
 *                           (0: the call ran), for a container without
 *                           the profile
 *   syscall-probe works     what real programs need: fork, threads, files,
 *                           sockets, mmap, futex, signals, ...; exits 1 if
 *                           one fails
 *   syscall-probe getppid N N getppid calls, prints the ns per call
 *   syscall-probe newer     syscalls newer than the baseline (Linux 6.5+:
 *                           cachestat, fchmodat2, map_shadow_stack, the
 *                           futex2 calls, statmount, listmount, the lsm_*
 *                           calls, mseal, the *xattrat calls), each with
 *                           arguments the kernel rejects, in a child:
 *                           prints "NAME errno=N"; exits 1 if one got
 *                           EPERM (glibc falls back only on ENOSYS)
 *   syscall-probe compat    a 32-bit syscall (int $0x80, i386 getpid) and
 *                           an x32 one (getpid with bit 30 set), each in
 *                           a child: prints "int80: ret=N", "int80:
 *                           signal=N" (31 = SIGSYS: seccomp killed it;
 *                           11 = SIGSEGV: the kernel has no 32-bit entry)
 *                           and "x32: errno=N" or "x32: signal=N";
 *                           x86_64 only
 *
 * Built static so it runs in any image.  Every argument is chosen so the
 * call changes nothing even where it is allowed (missing paths, bad file
 * descriptors, lengths the kernel rejects after its permission check): a
 * container without the profile, or the host, is not harmed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EPERM_ 1
#define ENOSYS_ 38

struct probe
{
  const char *name;
  long nr;
  long a[6];
  int want; /* errno under the baseline profile */
};

#define CLONE_NS_FLAGS 0x7E020000L

static const struct probe probes[] = {
  /* the mount API, old and new */
  { "mount", SYS_mount, { (long) "none", (long) "/nonexistent-hr-probe", (long) "tmpfs", 0, 0 }, EPERM_ },
  { "umount2", SYS_umount2, { (long) "/nonexistent-hr-probe", 0 }, EPERM_ },
  { "fsopen", SYS_fsopen, { (long) "tmpfs", 0 }, EPERM_ },
  { "fsconfig", SYS_fsconfig, { -1, 0, 0, 0, 0 }, EPERM_ },
  { "fsmount", SYS_fsmount, { -1, 0, 0 }, EPERM_ },
  { "fspick", SYS_fspick, { AT_FDCWD, (long) "/", 0 }, EPERM_ },
  { "move_mount", SYS_move_mount, { -1, (long) "", -1, (long) "", 0 }, EPERM_ },
  { "open_tree", SYS_open_tree, { AT_FDCWD, (long) "/", 0 }, EPERM_ },
  { "mount_setattr", SYS_mount_setattr, { -1, (long) "", 0, 0, 0 }, EPERM_ },
  { "pivot_root", SYS_pivot_root, { (long) "/nonexistent-hr-probe", (long) "/nonexistent-hr-probe" }, EPERM_ },
  { "chroot", SYS_chroot, { (long) "/" }, EPERM_ },
  /* namespaces */
  { "unshare(CLONE_NEWUSER)", SYS_unshare, { 0x10000000 }, EPERM_ },
  { "unshare(CLONE_NEWNS)", SYS_unshare, { 0x00020000 }, EPERM_ },
  { "setns", SYS_setns, { -1, 0 }, EPERM_ },
  { "clone(CLONE_NEWUSER)", SYS_clone, { 0x10000000 | SIGCHLD, 0, 0, 0, 0 }, ENOSYS_ },
  { "clone(CLONE_NEWNET)", SYS_clone, { 0x40000000 | SIGCHLD, 0, 0, 0, 0 }, ENOSYS_ },
  { "clone3", SYS_clone3, { 0, 0 }, ENOSYS_ },
  /* kernel attack surface */
  { "bpf", SYS_bpf, { 0, 0, 0 }, EPERM_ },
  { "perf_event_open", SYS_perf_event_open, { 0, 0, -1, -1, 0 }, EPERM_ },
  { "io_uring_setup", SYS_io_uring_setup, { 1, 0 }, EPERM_ },
  { "io_uring_enter", SYS_io_uring_enter, { -1, 0, 0, 0, 0, 0 }, EPERM_ },
  { "io_uring_register", SYS_io_uring_register, { -1, 0, 0, 0 }, EPERM_ },
  { "userfaultfd", SYS_userfaultfd, { 0 }, EPERM_ },
  { "keyctl", SYS_keyctl, { 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0 }, EPERM_ },
  { "add_key", SYS_add_key, { (long) "user", (long) "hr-probe", (long) "x", 1, -2 /* process */ }, EPERM_ },
  { "request_key", SYS_request_key, { (long) "user", (long) "hr-none", 0, 0 }, EPERM_ },
  { "fanotify_init", SYS_fanotify_init, { 0, 0 }, EPERM_ },
  { "open_by_handle_at", SYS_open_by_handle_at, { -1, 0, 0 }, EPERM_ },
  { "name_to_handle_at", SYS_name_to_handle_at, { AT_FDCWD, (long) "/", 0, 0, 0 }, EPERM_ },
  { "lookup_dcookie", SYS_lookup_dcookie, { 0, 0, 0 }, EPERM_ },
  /* other processes */
  { "ptrace", SYS_ptrace, { 2 /* PEEKDATA */, 1, 0, 0 }, EPERM_ },
  { "process_vm_readv", SYS_process_vm_readv, { 1, 0, 0, 0, 0, 0 }, EPERM_ },
  { "process_vm_writev", SYS_process_vm_writev, { 1, 0, 0, 0, 0, 0 }, EPERM_ },
  { "kcmp", SYS_kcmp, { 1, 1, 0, 0, 0 }, EPERM_ },
  { "pidfd_getfd", SYS_pidfd_getfd, { -1, 0, 0 }, EPERM_ },
  /* the host itself */
  { "init_module", SYS_init_module, { 0, 0, (long) "" }, EPERM_ },
  { "finit_module", SYS_finit_module, { -1, (long) "", 0 }, EPERM_ },
  { "delete_module", SYS_delete_module, { (long) "hr_none", 0 }, EPERM_ },
  { "kexec_load", SYS_kexec_load, { 0, 0, 0, 0x7fff0000 /* no such arch */ }, EPERM_ },
  { "kexec_file_load", SYS_kexec_file_load, { -1, -1, 0, 0, 0 }, EPERM_ },
  { "reboot", SYS_reboot, { 0, 0, 0, 0 }, EPERM_ },
  { "acct", SYS_acct, { (long) "/nonexistent/hr" }, EPERM_ },
  { "swapon", SYS_swapon, { (long) "/nonexistent/hr", 0 }, EPERM_ },
  { "swapoff", SYS_swapoff, { (long) "/nonexistent/hr" }, EPERM_ },
  { "syslog", SYS_syslog, { 10 /* SIZE_BUFFER */, 0, 0 }, EPERM_ },
  { "quotactl", SYS_quotactl, { 0, 0, 0, 0 }, EPERM_ },
  { "quotactl_fd", SYS_quotactl_fd, { -1, 0, 0, 0 }, EPERM_ },
  { "sethostname", SYS_sethostname, { (long) "hrprobe", 65 /* too long */ }, EPERM_ },
  { "setdomainname", SYS_setdomainname, { (long) "hrprobe", 65 }, EPERM_ },
  { "iopl", SYS_iopl, { 0 }, EPERM_ },
  { "ioperm", SYS_ioperm, { 0, 0, 0 }, EPERM_ },
  { "settimeofday", SYS_settimeofday, { 0, 0 }, EPERM_ },
  { "clock_settime", SYS_clock_settime, { 0, 0 }, EPERM_ },
  { "adjtimex", SYS_adjtimex, { 0 }, EPERM_ },
  { "clock_adjtime", SYS_clock_adjtime, { 0, 0 }, EPERM_ },
  { "vhangup", SYS_vhangup, { 0 }, EPERM_ },
  { "mbind", SYS_mbind, { 0, 0, 0, 0, 0, 0 }, EPERM_ },
  { "set_mempolicy", SYS_set_mempolicy, { 0, 0, 0 }, EPERM_ },
  { "migrate_pages", SYS_migrate_pages, { 0, 0, 0, 0 }, EPERM_ },
  { "move_pages", SYS_move_pages, { 0, 0, 0, 0, 0, 0 }, EPERM_ },
  /* obsolete */
  { "uselib", SYS_uselib, { 0 }, EPERM_ },
  { "ustat", SYS_ustat, { 0, 0 }, EPERM_ },
  { "sysfs", SYS_sysfs, { 3, 0, 0 }, EPERM_ },
  { "_sysctl", SYS__sysctl, { 0 }, EPERM_ },
  { "create_module", SYS_create_module, { 0 }, EPERM_ },
  { "get_kernel_syms", SYS_get_kernel_syms, { 0 }, EPERM_ },
  { "query_module", SYS_query_module, { 0 }, EPERM_ },
  { "nfsservctl", SYS_nfsservctl, { 0 }, EPERM_ },
  /* allowed syscalls, refused arguments */
  { "personality(ADDR_NO_RANDOMIZE)", SYS_personality, { 0x0040000 }, ENOSYS_ },
  { "socket(AF_ALG)", SYS_socket, { 38, SOCK_SEQPACKET, 0 }, ENOSYS_ },
  { "socket(AF_VSOCK)", SYS_socket, { 40, SOCK_STREAM, 0 }, ENOSYS_ },
};

/* Make the call in a child (some would change the caller if they ran) and
 * return its errno, 0 when it ran. */
static int
probe_one (const struct probe *p)
{
  int fds[2], e = -1;
  pid_t pid;

  if (pipe (fds) < 0)
    return -1;
  pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      long r;
      close (fds[0]);
      setsid (); /* no controlling terminal for vhangup to hang up */
      r = syscall (p->nr, p->a[0], p->a[1], p->a[2], p->a[3], p->a[4], p->a[5]);
      if (r == 0 && p->nr == SYS_clone)
        _exit (0); /* the clone child, had it been allowed */
      e = r < 0 ? errno : 0;
      if (write (fds[1], &e, sizeof e) != (ssize_t) sizeof e)
        _exit (1);
      _exit (0);
    }
  close (fds[1]);
  if (read (fds[0], &e, sizeof e) != (ssize_t) sizeof e)
    e = -1;
  close (fds[0]);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
  /* a clone that ran leaves a child of the child: reap what is ours */
  while (waitpid (-1, NULL, WNOHANG) > 0)
    ;
  return e;
}

static int
run_denied (int check)
{
  int failed = 0;
  for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
    {
      int e = probe_one (&probes[i]);
      if (!check)
        printf ("%s errno=%d\n", probes[i].name, e);
      else
        {
          int good = e == probes[i].want;
          failed += !good;
          printf ("%s errno=%d want=%d %s\n", probes[i].name, e, probes[i].want, good ? "ok" : "FAIL");
        }
    }
  printf ("denied: %zu probed, %d failed\n", sizeof probes / sizeof probes[0], failed);
  return failed ? 1 : 0;
}

/* ------------------------------------------------------------------ */

static int works_failed;

static void
works (const char *what, int good)
{
  printf ("%s %s\n", what, good ? "ok" : "FAIL");
  if (!good)
    {
      printf ("  errno %d (%s)\n", errno, strerror (errno));
      works_failed++;
    }
}

static void *
thread_main (void *arg)
{
  *(int *) arg = 42;
  return NULL;
}

static volatile sig_atomic_t got_signal;

static void
on_signal (int sig)
{
  got_signal = sig;
}

static int
tcp_loopback (int family)
{
  int l = socket (family, SOCK_STREAM, 0), c = -1, a = -1, good = 0;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  char buf[4] = "";

  memset (&ss, 0, sizeof ss);
  if (l < 0)
    return 0;
  if (family == AF_INET)
    {
      struct sockaddr_in *in = (struct sockaddr_in *) &ss;
      in->sin_family = AF_INET;
      in->sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      len = sizeof *in;
    }
  else
    {
      struct sockaddr_un *un = (struct sockaddr_un *) &ss;
      un->sun_family = AF_UNIX;
      snprintf (un->sun_path, sizeof un->sun_path, "/tmp/hr-probe.%d.sock", (int) getpid ());
      unlink (un->sun_path);
      len = sizeof *un;
    }
  if (bind (l, (struct sockaddr *) &ss, len) == 0 && listen (l, 1) == 0
      && getsockname (l, (struct sockaddr *) &ss, &len) == 0 && (c = socket (family, SOCK_STREAM, 0)) >= 0
      && connect (c, (struct sockaddr *) &ss, len) == 0 && (a = accept4 (l, NULL, NULL, SOCK_CLOEXEC)) >= 0
      && send (c, "hi", 3, 0) == 3 && recv (a, buf, sizeof buf, 0) == 3)
    good = strcmp (buf, "hi") == 0;
  if (family == AF_UNIX)
    unlink (((struct sockaddr_un *) &ss)->sun_path);
  close (a);
  close (c);
  close (l);
  return good;
}

static int
run_works (void)
{
  {
    pid_t pid = fork ();
    int st = 0;
    if (pid == 0)
      _exit (7);
    works ("fork", pid > 0 && waitpid (pid, &st, 0) == pid && WIFEXITED (st) && WEXITSTATUS (st) == 7);
  }
  {
    pthread_t t;
    int v = 0;
    works ("threads", pthread_create (&t, NULL, thread_main, &v) == 0 && pthread_join (t, NULL) == 0 && v == 42);
  }
  {
    char path[64], buf[8] = "";
    int fd, good;
    snprintf (path, sizeof path, "/tmp/hr-probe.%d", (int) getpid ());
    fd = open (path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
    good = fd >= 0 && write (fd, "data", 4) == 4 && lseek (fd, 0, SEEK_SET) == 0 && read (fd, buf, 4) == 4
           && memcmp (buf, "data", 4) == 0 && fsync (fd) == 0;
    if (fd >= 0)
      close (fd);
    works ("files", good && unlink (path) == 0);
  }
  works ("socket AF_INET tcp over loopback", tcp_loopback (AF_INET));
  works ("socket AF_UNIX", tcp_loopback (AF_UNIX));
  {
    int sv[2];
    works ("socketpair", socketpair (AF_UNIX, SOCK_STREAM, 0, sv) == 0 && close (sv[0]) == 0 && close (sv[1]) == 0);
    int u = socket (AF_INET, SOCK_DGRAM, 0);
    works ("socket AF_INET udp", u >= 0 && close (u) == 0);
  }
  {
    char *m = mmap (NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int good = m != MAP_FAILED;
    if (good)
      {
        m[12345] = 1;
        good = mprotect (m, 4096, PROT_READ) == 0 && munmap (m, 1 << 20) == 0;
      }
    works ("mmap", good);
  }
  {
    int word = 0;
    struct timespec ts = { 0, 1000000 };
    long r = syscall (SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
    works ("futex", r == -1 && errno == ETIMEDOUT && syscall (SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1) == 0);
  }
  {
    struct sigaction sa;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    works ("signals", sigaction (SIGUSR1, &sa, NULL) == 0 && kill (getpid (), SIGUSR1) == 0 && got_signal == SIGUSR1);
  }
  {
    int ep = epoll_create1 (EPOLL_CLOEXEC);
    works ("epoll", ep >= 0 && close (ep) == 0);
  }
  {
    struct timespec ts;
    unsigned char r[8];
    works ("clock_gettime", clock_gettime (CLOCK_MONOTONIC, &ts) == 0);
    works ("getrandom", syscall (SYS_getrandom, r, sizeof r, 0) == (long) sizeof r);
  }
  works ("personality query", syscall (SYS_personality, 0xffffffffUL) >= 0);
  {
    pid_t pid = (pid_t) syscall (SYS_clone, SIGCHLD, 0, 0, 0, 0);
    int st = 0;
    if (pid == 0)
      _exit (3);
    works ("clone without namespace flags", pid > 0 && waitpid (pid, &st, 0) == pid && WEXITSTATUS (st) == 3);
  }
  printf ("works: %d failed\n", works_failed);
  return works_failed ? 1 : 0;
}

static int
run_getppid (long n)
{
  struct timespec a, b;
  double ns;
  clock_gettime (CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++)
    syscall (SYS_getppid);
  clock_gettime (CLOCK_MONOTONIC, &b);
  ns = ((double) (b.tv_sec - a.tv_sec) * 1e9 + (double) (b.tv_nsec - a.tv_nsec)) / (double) n;
  printf ("getppid: %.1f ns/call over %ld calls\n", ns, n);
  return 0;
}

/* x86_64 and aarch64 share these numbers (the unified table). */
static const struct
{
  const char *name;
  long nr;
} newer_calls[] = {
  { "futex_waitv", 449 }, { "cachestat", 451 },     { "fchmodat2", 452 },         { "map_shadow_stack", 453 },
  { "futex_wake", 454 },  { "futex_wait", 455 },    { "futex_requeue", 456 },     { "statmount", 457 },
  { "listmount", 458 },   { "lsm_get_self_attr", 459 }, { "lsm_set_self_attr", 460 }, { "lsm_list_modules", 461 },
  { "mseal", 462 },       { "setxattrat", 463 },    { "getxattrat", 464 },        { "listxattrat", 465 },
  { "removexattrat", 466 },
};

static int
run_newer (void)
{
  int eperm = 0;
  for (size_t i = 0; i < sizeof newer_calls / sizeof newer_calls[0]; i++)
    {
      int status, pipefd[2], e = -1;
      pid_t pid;
      if (pipe (pipefd) < 0)
        return 2;
      pid = fork ();
      if (pid == 0)
        {
          /* bad fds, NULL pointers, a zero length, invalid flags: every
           * one fails in the kernel before doing anything */
          long r = syscall (newer_calls[i].nr, -1L, 0L, 0L, -1L, 0L, 0L);
          int err = r < 0 ? errno : 0;
          if (write (pipefd[1], &err, sizeof err) < 0)
            _exit (3);
          _exit (0);
        }
      close (pipefd[1]);
      if (pid < 0 || read (pipefd[0], &e, sizeof e) != sizeof e)
        e = -1;
      close (pipefd[0]);
      waitpid (pid, &status, 0);
      printf ("%s errno=%d%s\n", newer_calls[i].name, e, e == EPERM ? " EPERM" : "");
      eperm += e == EPERM;
    }
  return eperm ? 1 : 0;
}

/* One foreign-ABI syscall in a child: what it got, as one line. */
static void
compat_one (const char *what, int kind)
{
  int status;
  pid_t pid = fork ();
  if (pid == 0)
    {
      long r = -1;
#if defined(__x86_64__)
      if (kind == 0)
        {
          /* i386 getpid is 20; the 32-bit entry returns the pid */
          long nr = 20;
          __asm__ volatile ("int $0x80" : "=a"(r) : "a"(nr) : "memory");
          printf ("%s: ret=%s\n", what, r > 0 ? "pid" : "error");
        }
      else
        {
          /* x32 getpid: 0x40000000 | 39 */
          r = syscall (0x40000000L | 39);
          if (r < 0)
            printf ("%s: errno=%d\n", what, errno);
          else
            printf ("%s: ret=pid\n", what);
        }
#else
      (void) kind;
      printf ("%s: not x86_64\n", what);
#endif
      fflush (stdout);
      _exit (r < 0 ? 1 : 0);
    }
  if (pid < 0 || waitpid (pid, &status, 0) < 0)
    {
      printf ("%s: fork failed errno=%d\n", what, errno);
      return;
    }
  if (WIFSIGNALED (status))
    printf ("%s: signal=%d\n", what, WTERMSIG (status));
}

static int
run_compat (void)
{
  compat_one ("int80", 0);
  compat_one ("x32", 1);
  return 0;
}

int
main (int argc, char **argv)
{
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (argc >= 2 && strcmp (argv[1], "denied") == 0)
    return run_denied (1);
  if (argc >= 2 && strcmp (argv[1], "report") == 0)
    return run_denied (0);
  if (argc >= 2 && strcmp (argv[1], "works") == 0)
    return run_works ();
  if (argc >= 3 && strcmp (argv[1], "getppid") == 0)
    return run_getppid (atol (argv[2]));
  if (argc >= 2 && strcmp (argv[1], "compat") == 0)
    return run_compat ();
  if (argc >= 2 && strcmp (argv[1], "newer") == 0)
    return run_newer ();
  fprintf (stderr, "usage: syscall-probe denied|report|works|getppid N|compat|newer\n");
  return 2;
}
