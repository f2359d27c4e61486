#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes baseline.json, hardened-runc's deny-by-default seccomp profile,
and compat32.json, the same rules for the native ABIs plus the 32-bit and
x32 ones.

The groups below are the whitelist, each with the reason it is allowed; the
README next to this file explains the choices.  `gen-baseline.py --check`
(run by `make check`) fails when the JSON files and this file disagree.
Edit here, run `python3 gen-baseline.py`, commit all three.
"""
import json
import re
import sys

groups = [
 ("file I/O", "read write readv writev pread64 pwrite64 preadv pwritev preadv2 pwritev2 open openat openat2 close close_range creat lseek _llseek dup dup2 dup3 fcntl fcntl64 ioctl flock fsync fdatasync sync syncfs sync_file_range fadvise64 fadvise64_64 fallocate ftruncate ftruncate64 truncate truncate64 sendfile sendfile64 splice tee vmsplice copy_file_range readahead"),
 ("metadata", "stat stat64 fstat fstat64 lstat lstat64 newfstatat fstatat64 statx statfs statfs64 fstatfs fstatfs64 access faccessat faccessat2 readlink readlinkat getdents getdents64 readdir getcwd chdir fchdir"),
 ("namespace of files", "mkdir mkdirat rmdir rename renameat renameat2 link linkat symlink symlinkat unlink unlinkat chmod fchmod fchmodat chown fchown lchown fchownat chown32 fchown32 lchown32 umask utime utimes utimensat utimensat_time64 futimesat mknod mknodat"),
 ("extended attributes", "getxattr lgetxattr fgetxattr setxattr lsetxattr fsetxattr listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr"),
 ("memory", "brk mmap mmap2 munmap mprotect mremap msync madvise mincore mlock mlock2 munlock mlockall munlockall memfd_create membarrier pkey_alloc pkey_free pkey_mprotect remap_file_pages get_mempolicy"),
 ("processes", "fork vfork execve execveat exit exit_group wait4 waitid waitpid kill tkill tgkill getpid getppid gettid getpgid setpgid getpgrp getsid setsid pidfd_open pidfd_send_signal restart_syscall pause prctl arch_prctl set_tid_address set_thread_area get_thread_area set_robust_list get_robust_list rseq uname sysinfo getcpu"),
 ("credentials (the kernel checks them against the dropped capabilities)", "getuid getgid geteuid getegid getuid32 getgid32 geteuid32 getegid32 setuid setgid setreuid setregid setresuid setresgid getresuid getresgid setuid32 setgid32 setreuid32 setregid32 setresuid32 setresgid32 getresuid32 getresgid32 setfsuid setfsgid setfsuid32 setfsgid32 getgroups setgroups getgroups32 setgroups32 capget capset"),
 ("threads and scheduling", "futex futex_time64 futex_waitv sched_yield sched_getaffinity sched_setaffinity sched_getparam sched_setparam sched_getscheduler sched_setscheduler sched_get_priority_max sched_get_priority_min sched_rr_get_interval sched_rr_get_interval_time64 sched_getattr sched_setattr getpriority setpriority ioprio_get ioprio_set"),
 ("limits and accounting", "getrlimit setrlimit ugetrlimit prlimit64 getrusage times"),
 ("time and timers", "alarm nanosleep clock_nanosleep clock_nanosleep_time64 clock_gettime clock_gettime64 clock_getres clock_getres_time64 gettimeofday time timer_create timer_delete timer_settime timer_gettime timer_getoverrun timer_settime64 timer_gettime64 timerfd_create timerfd_settime timerfd_gettime timerfd_settime64 timerfd_gettime64 getitimer setitimer"),
 ("signals", "rt_sigaction rt_sigprocmask rt_sigreturn rt_sigsuspend rt_sigpending rt_sigtimedwait rt_sigtimedwait_time64 rt_sigqueueinfo rt_tgsigqueueinfo sigaltstack signalfd signalfd4 sigaction sigprocmask sigreturn sigsuspend sigpending signal"),
 ("waiting for events", "epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2 poll ppoll ppoll_time64 select pselect6 pselect6_time64 _newselect eventfd eventfd2 inotify_init inotify_init1 inotify_add_watch inotify_rm_watch pipe pipe2"),
 ("sockets (socket itself below)", "socketpair bind listen accept accept4 connect getsockname getpeername sendto recvfrom send recv sendmsg recvmsg sendmmsg recvmmsg recvmmsg_time64 shutdown setsockopt getsockopt"),
 ("IPC, AIO, randomness, self-sandboxing", "getrandom mq_open mq_unlink mq_timedsend mq_timedsend_time64 mq_timedreceive mq_timedreceive_time64 mq_notify mq_getsetattr msgget msgsnd msgrcv msgctl semget semop semtimedop semtimedop_time64 semctl shmget shmat shmdt shmctl ipc io_setup io_destroy io_submit io_cancel io_getevents io_pgetevents io_pgetevents_time64 landlock_create_ruleset landlock_add_rule landlock_restrict_self seccomp"),
]
denied = "bpf fanotify_init fsconfig fsmount fsopen fspick mount mount_setattr move_mount open_tree perf_event_open quotactl quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare reboot init_module finit_module delete_module acct ptrace process_vm_readv process_vm_writev kcmp pidfd_getfd iopl ioperm settimeofday clock_settime clock_settime64 stime adjtimex clock_adjtime clock_adjtime64 vhangup open_by_handle_at name_to_handle_at lookup_dcookie io_uring_setup io_uring_enter io_uring_register userfaultfd keyctl add_key request_key pivot_root swapon swapoff kexec_load kexec_file_load create_module get_kernel_syms query_module nfsservctl uselib _sysctl ustat sysfs vm86 vm86old chroot mbind set_mempolicy migrate_pages move_pages socketcall"
allow_names = []
for _, names in groups:
    allow_names += names.split()
# baseline: the native ABI of each machine family only.  A 32-bit or x32
# system call then meets libseccomp's bad-architecture action (runc leaves
# it at its default: the thread is killed with SIGSYS); compat32 lists them.
native = ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"]
compat = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]
prof = {
 "defaultAction": "SCMP_ACT_ERRNO",
 "defaultErrnoRet": 38,
 "architectures": native,
 "syscalls": [
   {"names": allow_names, "action": "SCMP_ACT_ALLOW"},
   {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0x7E020000, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
 ] + [
   {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": v, "op": "SCMP_CMP_EQ"}]} for v in (0, 8, 0x20000, 0x20008, 0xffffffff)
 ] + [
   {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 37, "op": "SCMP_CMP_LE"}]},
   {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 39, "op": "SCMP_CMP_EQ"}]},
   {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 41, "op": "SCMP_CMP_GE"}]},
   {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
   {"names": denied.split(), "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
 ],
}
def render(p):
    out = json.dumps(p, indent=1)
    # one syscall group per line is easier to read than one name per line
    return re.sub(r'\[\n\s+("[^\]]*?)\n\s+\]', lambda m: "[" + re.sub(r',\n\s+', ', ', m.group(1)) + "]", out) + "\n"
here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
files = {"baseline.json": render(prof), "compat32.json": render(dict(prof, architectures=compat))}
for name, out in files.items():
    path = here + "/" + name
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        with open(path) as f:
            if f.read() != out:
                sys.exit("profiles/seccomp/%s differs from gen-baseline.py's output: run python3 profiles/seccomp/gen-baseline.py" % name)
    else:
        with open(path, "w") as f:
            f.write(out)
if len(sys.argv) > 1 and sys.argv[1] == "--check":
    print("seccomp: baseline.json and compat32.json match gen-baseline.py (%d syscalls allowed unconditionally)" % len(allow_names))
