#!/bin/bash
# Ways around the policy found by the red-team pass, through config.json
# alone.  Each is first run under plain runc, where it must work (else the
# check could not fail), then under hardened-runc with the shipped policy,
# which must refuse it with its sentence and leave config.json as it was.
. "$(dirname "$0")/lib.sh"

need_runc_suite
need_commands unshare
work_dir escapes
make_rootfs "$W/rootfs"
test_policy "$W/policy.json" "$W/audit.log"

# bundle NAME JQ [JQ-OPTION...] : runc's default spec, edited by JQ; the
# original kept as pristine.json
bundle() {
  local name=$1 filter=$2
  shift 2
  runc_bundle "$W/$name" "$filter" "$@" || return 1
  cp "$W/$name/config.json" "$W/$name/pristine.json"
  echo "$W/$name"
}

# shim_refuses DESCRIPTION BUNDLE ID NEEDLE [POLICY] : hardened-runc run
# fails, log.json's last line says NEEDLE, config.json is untouched
shim_refuses() {
  local what=$1 b=$2 id=$3 needle=$4 policy=${5:-$W/policy.json} rc
  STARTED+=("$id")
  "$SHIM" --policy "$policy" --log "$b/log.json" --log-format json run --bundle "$b" "$id" \
    > "$W/$id.out" 2>&1 < /dev/null
  rc=$?
  check "hardened-runc: $what: refused" test "$rc" -ne 0
  check_contains "hardened-runc: $what: says why" "$(tail -n 1 "$b/log.json" 2>/dev/null | jq -r .msg)" "$needle"
  check "hardened-runc: $what: config.json untouched" cmp -s "$b/config.json" "$b/pristine.json"
  runc delete -f "$id" > /dev/null 2>&1
}

# --- 1. joining another process's mount namespace ---------------------------
# runc pivots the joined namespace's root into the container's: every host
# process in that namespace (a daemon started with a private /tmp, say)
# then has the container's files as its root, and runs the container's
# programs as root on the host, outside every control.
host_process() { # a host process in a mount namespace of its own; PID
  unshare --mount --propagation private sleep 100000 < /dev/null > /dev/null 2>&1 &
  PID=$!
  at_exit "kill $PID 2> /dev/null"
  local i
  for i in $(seq 100); do
    [ "$(readlink /proc/$PID/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && break
    sleep 0.05
  done
}
MNTNS_JQ='.process.args = ["true"] | .linux.namespaces |= map(if .type == "mount" then .path = $p else . end)'

host_process
B=$(bundle mntns-plain "$MNTNS_JQ" --arg p "/proc/$PID/ns/mnt")
STARTED+=(hr-esc-mntns-plain)
runc run --bundle "$B" hr-esc-mntns-plain > "$W/plain.out" 2>&1 < /dev/null || cat "$W/plain.out"
check "attack works under plain runc: a host process's root became the container's" \
  test /proc/$PID/root/ -ef "$W/rootfs"

host_process
B=$(bundle mntns-shim "$MNTNS_JQ" --arg p "/proc/$PID/ns/mnt")
shim_refuses "another process's mount namespace" "$B" hr-esc-mntns-shim \
  "refused by rule \"host_namespaces\": the container joins the existing mount namespace /proc/$PID/ns/mnt"
check "hardened-runc: the host process kept its root" test /proc/$PID/root/ -ef /

finish "integration(escapes)"
