#!/bin/bash
# The command-line attacks (test/attacks/cli.sh): runc's own options spelled
# so that a shim reading them differently from runc would let them through
# (--help=false, --no-new-privs=false, uid 0 as 00 or 4294967296), working
# directories that lead to /proc/self/fd, host directories handed over as
# descriptors.  Each must work with plain runc (else the test proves
# nothing) and be stopped by hardened-runc.
. "$(dirname "$0")/lib.sh"

need_root
need_commands runc
need_shim
work_dir cliattack-test

run_attack_script cli.sh "the command-line attack suite ran"
R="$W/cli-results.tsv"
check "it wrote its results" test -s "$R"

WANT="help-false-run--help=false help-false-run-h=0 help-false-run--help=f help-false-create help-false-exec
  help-false-update help-false-restore exec-no-new-privs-false exec-root-00 exec-root-+0 exec-root-0:0 exec-root--0
  exec-root-4294967296 cwd-_proc_thread-self_fd_3 cwd-_dev_fd_3 cwd-_x_3 cwd-_proc_self_root_proc_self_fd_3
  cwd-proc-1-task-1-fd preserve-fds-exec preserve-fds-run preserve-fds-opath listen-fds-run exec-cgroup-sibling
  criu-checkpoint exec-forged-root pid-file-replace kill-forged-root log-file-create"
check_each_once "every attack ran once" "$R" "$WANT"

while IFS=$'\t' read -r id desc rs hs rw hw; do
  check_eq "$id: works with plain runc [$rw]" "$rs" succeeded
  check_eq "$id: stopped by hardened-runc [$hw]" "$hs" stopped
  case "$id" in
    cwd-*) check_contains "$id: refused as CVE-2024-21626" "$hw" "CVE-2024-21626" ;;
    preserve-fds-*|listen-fds-*) check_contains "$id: refused for the descriptor" "$hw" "hands to the container" ;;
    exec-root-*) check_contains "$id: refused by run_as_root" "$hw" 'refused by rule "run_as_root"' ;;
    help-false-restore) check_contains "$id: refused by the restore rule" "$hw" 'refused by rule "restore"' ;;
    exec-cgroup-*) check_contains "$id: refused by cgroups_path" "$hw" 'refused by rule "cgroups_path"' ;;
    criu-*) check_contains "$id: refused for --criu" "$hw" 'refused: --criu' ;;
    exec-forged-root) check_contains "$id: refused for the state" "$hw" "must be root's" ;;
    kill-forged-root) check_contains "$id: refused for the state" "$hw" "must be root's" ;;
    pid-file-*) check_contains "$id: refused for the pid file" "$hw" "is not a pid file" ;;
    log-file-*) check_contains "$id: refused for the log file" "$hw" "refused: --log" ;;
  esac
done < "$R"
finish "integration(cli-attacks)"
