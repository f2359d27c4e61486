#!/bin/bash
# Mounts judged by what they are, with real runc: each bundle runs once
# under plain runc (where the attack must work, or the test proves nothing)
# and once through the shim (where it must be stopped, or refused with the
# rule's sentence).
. "$(dirname "$0")/lib.sh"

need "root" test "$(id -u)" = 0
need "runc" command -v runc
need "jq" command -v jq
need "busybox" test -x /bin/busybox
need "the shim (make)" test -x "$SHIM"

W=$(mktemp -d /tmp/hr-mounts.XXXXXX)
STARTED=()
cleanup() {
  for id in "${STARTED[@]}"; do runc delete -f "$id" >/dev/null 2>&1; done
  for m in "${MOUNTED[@]}"; do umount -l "$m" 2>/dev/null; done
  rm -rf "$W"
}
MOUNTED=()
trap cleanup EXIT

make_rootfs "$W/rootfs"
mkdir -p "$W/rootfs/mnt" "$W/rootfs/scratch" "$W/rootfs/host"
test_policy "$W/policy.json" "$W/audit.log"

# bundle NAME JQ-EDIT SCRIPT : a bundle (runc spec, every capability) whose
# process runs SCRIPT, with JQ-EDIT applied to config.json
bundle() {
  local b="$W/$1"
  mkdir -p "$b"
  (cd "$b" && runc spec)
  jq --arg s "$3" --arg root "$W/rootfs" --argjson caps "[$HOSTCAPS]" '
    .root.path = $root | .process.terminal = false | .process.args = ["sh", "-c", $s]
    | .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps, inheritable: [], ambient: []}
    | .process.noNewPrivileges = false | .root.readonly = false | '"$2" "$b/config.json" > "$b/c.tmp" \
    && mv "$b/c.tmp" "$b/config.json"
  echo "$b"
}

# both NAME JQ-EDIT SCRIPT : run it under plain runc (RUNC_OUT) and through
# the shim (SHIM_OUT, SHIM_RC, SHIM_ERR: the shim's log message)
both() {
  local b
  b=$(bundle "$1" "$2" "$3")
  cp -r "$b" "$b.runc"
  STARTED+=("hrm-$1-runc" "hrm-$1")
  RUNC_OUT=$(cd "$b.runc" && runc run --bundle "$b.runc" "hrm-$1-runc" 2>&1 < /dev/null)
  SHIM_OUT=$("$SHIM" --policy "$W/policy.json" --log "$b/log.json" --log-format json run --bundle "$b" "hrm-$1" \
    2>&1 < /dev/null)
  SHIM_RC=$?
  SHIM_ERR=$(tail -n 1 "$b/log.json" 2>/dev/null | jq -r .msg 2>/dev/null)
}

# --- mounts by type ---------------------------------------------------------
# a second proc at /mnt: neither masked nor read-only under plain runc
both proc-mnt '.mounts += [{destination: "/mnt", type: "proc", source: "proc"}]' \
  ': >> /mnt/sys/kernel/core_pattern && echo opened-for-writing'
check_contains "proc at /mnt: plain runc lets the container open /proc/sys for writing" "$RUNC_OUT" opened-for-writing
check "proc at /mnt: the shim refuses the container" test "$SHIM_RC" -ne 0
check_contains "proc at /mnt: with the rule's sentence" "$SHIM_ERR" \
  'refused by rule "mount_types": a proc filesystem is mounted at /mnt'
check "proc at /mnt: the container did not run" sh -c "! printf '%s' '$SHIM_OUT' | grep -q opened-for-writing"

# cgroup and sysfs without ro: the container can raise its own limits
CG=$(stat -f -c %T /sys/fs/cgroup)
if [ "$CG" = cgroup2fs ]; then LIMIT=/sys/fs/cgroup/pids.max; else LIMIT=/sys/fs/cgroup/pids/pids.max; fi
both cgroup-rw '.mounts |= map(if .type == "cgroup" or .type == "sysfs" then .options -= ["ro"] else . end)' \
  "if (: >> $LIMIT) 2>/dev/null; then echo limit-writable; else echo limit-readonly; fi"
check_contains "cgroup without ro: plain runc lets the container open $LIMIT for writing" "$RUNC_OUT" limit-writable
check_contains "cgroup without ro: read-only through the shim" "$SHIM_OUT" limit-readonly
check_eq "cgroup without ro: one change per mount in the audit log" \
  "$(jq -r 'select(.container == "hrm-cgroup-rw") | [.changes[] | select(.control == "mounts[/sys/fs/cgroup].options" or .control == "mounts[/sys].options")] | length' "$W/audit.log")" 2
check_contains "cgroup without ro: a mount_types finding" \
  "$(jq -r 'select(.container == "hrm-cgroup-rw") | .findings[]? | .rule + " " + .action' "$W/audit.log")" "mount_types mutate"

# a tmpfs asking for exec (docker --tmpfs /scratch:exec): noexec through the shim
both tmpfs-exec '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["exec", "mode=1777"]}]' \
  'cp /bin/busybox /scratch/true && /scratch/true && echo exec-ok || echo exec-denied'
check_contains "tmpfs with exec: plain runc runs a program from it" "$RUNC_OUT" exec-ok
check_contains "tmpfs with exec: noexec through the shim" "$SHIM_OUT" exec-denied
check_contains "tmpfs with exec: the change is audited" \
  "$(jq -r 'select(.container == "hrm-tmpfs-exec") | .changes[].control' "$W/audit.log")" "mounts[/scratch].options"

finish "integration(mounts)"
