#!/bin/bash
# The attack suite (test/attacks/run.sh): container escape and abuse
# attempts through a real private dockerd, once under plain runc and once
# under hardened-runc, each with the most permissive flags the policy does
# not refuse outright.  Every attack must be stopped under hardened-runc
# (by the container it runs in, or by the shim refusing the container), and
# every attack that can work under plain runc on this machine must work
# there: otherwise the suite would prove nothing.  Attacks this machine
# makes impossible even under plain runc are reported, not asserted.
. "$(dirname "$0")/lib.sh"

need_dockerd_suite
need_static_cc
work_dir attacks-test

run_attack_script run.sh "the attack suite ran"
R="$W/results.tsv"
check "it wrote its results" test -s "$R"
check "it wrote its report" test -s "$W/report.md"

# every attack the brief lists is in the suite, once
WANT="privileged mount-tmpfs host-disk host-disk-rule host-disk-rule-a kmsg-rule-a console cgroup-parent oom-score-adj userns-mount cgroup-release-agent shocker keyctl bpf
  userfaultfd io-uring ptrace raw-socket mknod-block write-rootfs proc-sys sysrq kcore setuid fork-bomb
  memory-hog cwd-proc-fd volume-etc volume-proc engine-socket docker-init-rw tmpfs-exec dev-link dev-volume"
check_each_once "every attack ran once" "$R" "$WANT"

# refused outright by the policy, the others run and are stopped inside
REFUSED=" privileged host-disk-rule host-disk-rule-a kmsg-rule-a cgroup-parent cwd-proc-fd volume-etc volume-proc engine-socket docker-init-rw dev-volume dev-link "
while IFS=$'\t' read -r id _ expect rs rk rc hs hk hc; do
  check_eq "$id: stopped under hardened-runc [$hc]" "$hs" stopped
  case "$REFUSED" in
    *" $id "*) check_eq "$id: hardened-runc refused the container" "$hk" refused
               check_contains "$id: with the rule's sentence" "$hc" "refused" ;;
    *) check_eq "$id: the container ran under hardened-runc and the attack itself was stopped" "$hk" result ;;
  esac
  case "$expect" in
    succeeds) check_eq "$id: succeeds under plain runc [$rc]" "$rs" succeeded ;;
    cannot:*) echo "note $id: cannot succeed under plain runc here (${expect#cannot: }); runc: $rc" ;;
    *)        echo "note $id: ${expect#either: }; runc: $rc" ;;
  esac
  [ "$rk" = error ] && bad "$id: plain runc did not run the attack: $rc"
done < "$R"

# how each is stopped: the layer the policy puts there
cell() { awk -F'\t' -v id="$1" -v col="$2" '$1 == id { print $col }' "$R"; }
check_contains "mount: seccomp denies it" "$(cell mount-tmpfs 9)" "EPERM (seccomp: the baseline denies mount"
check_contains "userns: unshare denied" "$(cell userns-mount 9)" "the baseline denies unshare"
check_contains "raw sockets: CAP_NET_RAW dropped" "$(cell raw-socket 9)" "CAP_NET_RAW not held"
check_contains "mknod: CAP_MKNOD dropped" "$(cell mknod-block 9)" "CAP_MKNOD not held"
check_contains "root file system: read-only" "$(cell write-rootfs 9)" "EROFS"
check_contains "/proc/sys: read-only" "$(cell proc-sys 9)" "EROFS"
check_contains "setuid: no_new_privs" "$(cell setuid 9)" "euid stayed 1000 (NoNewPrivs=1)"
check_contains "fork bomb: the pids limit" "$(cell fork-bomb 9)" "(pids.max=1024): EAGAIN"
check_contains "memory: the memory limit" "$(cell memory-hog 9)" "OOM-killed"
check_contains "--privileged: the privileged rule" "$(cell privileged 9)" 'refused by rule "privileged"'
check_contains "cwd under /proc/self/fd: refused" "$(cell cwd-proc-fd 9)" "CVE-2024-21626"
check_contains "'a *:* m': the devices rule" "$(cell host-disk-rule-a 9)" 'refused by rule "devices": a device cgroup rule allows mknod access to every device'
check_contains "kmsg with 'a *:* m': the devices rule" "$(cell kmsg-rule-a 9)" 'refused by rule "devices"'
check_contains "console: docker's c 5:1 rule removed, the open fails" "$(cell console 9)" "open /console (c 5:1, the host's console) for writing: EPERM"
check_contains "--cgroup-parent into another container: the cgroups_path rule" "$(cell cgroup-parent 9)" 'refused by rule "cgroups_path"'
check_contains "a volume at /dev: the dev_tmpfs rule" "$(cell dev-volume 9)" 'refused by rule "dev_tmpfs": mounts['
check_contains "a volume at the image's /mydev -> /dev: the dev_tmpfs rule" "$(cell dev-link 9)" 'is /dev in the container'
check_contains "--oom-score-adj -1000: raised to 0" "$(cell oom-score-adj 9)" "oom_score_adj 0"
check_contains "volume of /etc: judged as /etc" "$(cell volume-etc 9)" "the host path /etc (given as"
check_contains "volume of proc: judged as proc" "$(cell volume-proc 9)" 'refused by rule "mount_types"'
check_contains "engine socket: refused" "$(cell engine-socket 9)" "is a unix socket"
check_contains "--tmpfs :exec: noexec" "$(cell tmpfs-exec 9)" "stopped: ran a program from the tmpfs: EACCES"
for p in sysrq kcore; do
  check_contains "$p: the shim put the path back in the masked or read-only paths" "$(cell $p 9)" "the shim put /proc/"
done
# the fork bomb left the host working, under both runtimes
check_eq "fork bomb: the host could start processes meanwhile (runc, hardened-runc)" \
  "$(cut -f2,3 "$W/host.tsv" 2>/dev/null | tr '\t' ' ')" "yes yes"

grep -E '^\| ' "$W/report.md" | sed 's/^/    /' | cut -c1-240
tail -n 1 "$W/run.log"
finish "integration(attacks)"
