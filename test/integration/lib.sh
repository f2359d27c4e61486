# Shared helpers for integration tests (sourced; bash).
# Conventions: each test script counts its checks and ends with
# "NAME: N passed, N failed".  A prerequisite that is missing makes the
# script exit 77 (skip) -- unless HARDENED_MUST_WORK=1 (CI), where it fails.
#
# A suite's prelude, in order:
#   need_runc_suite | need_dockerd_suite | need_root, need_commands ...
#   work_dir NAME                 W: its temporary directory
#   make_rootfs "$W/rootfs"; test_policy "$W/policy.json" "$W/audit.log"
# then it starts what it tests.  Everything to undo at exit goes through
# one EXIT trap: the containers named in STARTED are deleted first, then
# what at_exit registered runs, latest first (so the work directory,
# registered first, goes last).

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHIM="$TOP/shim/hardened-runc"
PROBE="$TOP/test/probe/syscall-probe"
PASS=0
FAIL=0
. "$TOP/test/lib/userland.sh"
. "$TOP/test/lib/trees.sh"

need() { # need WHAT CONDITION-CMD...
  local what=$1; shift
  if ! "$@" >/dev/null 2>&1; then
    if [ "${HARDENED_MUST_WORK:-0}" = 1 ]; then
      echo "FAIL: prerequisite missing: $what (HARDENED_MUST_WORK=1)"; exit 1
    fi
    echo "SKIP: prerequisite missing: $what"; exit 77
  fi
}

need_root() { need "root" test "$(id -u)" = 0; }
need_shim() { need "the shim (make)" test -x "$SHIM"; }
need_busybox() { need "busybox" test -x /bin/busybox; }
need_probe() { need "the syscall probe (make)" test -x "$PROBE"; }
need_static_cc() {
  need "a C compiler that links statically" sh -c 'printf "int main(void){return 0;}\n" | cc -static -x c -o /dev/null -'
}
# need_commands CMD... : each CMD on PATH
need_commands() {
  local c
  for c in "$@"; do need "$c" command -v "$c"; done
}
# need_debian_userland RELEASE : debootstrap, or the cached tarball of RELEASE
need_debian_userland() {
  need "debootstrap (or a cached image)" sh -c "command -v debootstrap || test -s '$(debian_tarball_path "$1")'"
}

# need_runc_suite : what a suite running bundles under real runc needs
need_runc_suite() {
  need_root
  need_commands runc jq
  need_busybox
  need_shim
}

# need_dockerd_suite : what a suite driving a private dockerd needs; loads
# test/lib/dockerd.sh
need_dockerd_suite() {
  need_root
  need "dockerd" test -x /usr/sbin/dockerd
  need "docker client" test -x /usr/bin/docker
  need_commands jq
  need_shim
  . "$TOP/test/lib/dockerd.sh"
}

# --- what is undone at exit ---------------------------------------------------
STARTED=()                   # runc containers to delete at exit
DELETE_CONTAINER=(runc delete -f) # how (a suite may go through the shim)
AT_EXIT=()

# at_exit COMMAND : run COMMAND (a string, evaluated then) when the script
# exits, before what was registered earlier
at_exit() {
  AT_EXIT=("$1" "${AT_EXIT[@]}")
}

on_exit() {
  local id c
  for id in "${STARTED[@]}"; do "${DELETE_CONTAINER[@]}" "$id" >/dev/null 2>&1; done
  for c in "${AT_EXIT[@]}"; do eval "$c"; done
}
trap on_exit EXIT

# work_dir NAME : W, a new /tmp/hr-NAME.XXXXXX, removed at exit (mounts
# left under it unmounted first)
work_dir() {
  W=$(mktemp -d "/tmp/hr-$1.XXXXXX") || exit 1
  at_exit 'remove_tree "$W"'
}

# socket_dir NAME : S, a new /run/NAME.XXXXXX (unix socket paths must be
# short), removed at exit
socket_dir() {
  S=$(mktemp -d "/run/$1.XXXXXX") || exit 1
  at_exit 'remove_tree "$S"'
}

# --- checks -------------------------------------------------------------------
ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }

# check DESCRIPTION CMD... : passes when CMD succeeds
check() {
  local d=$1; shift
  if "$@"; then ok "$d"; else bad "$d"; fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got [$2], want [$3]"; fi
}

# check_contains DESCRIPTION HAYSTACK NEEDLE
check_contains() {
  case "$2" in *"$3"*) ok "$1" ;; *) bad "$1: [$2] does not contain [$3]" ;; esac
}

# check_each_once DESCRIPTION FILE WANT : the first column of FILE holds
# each word of WANT exactly once, and nothing else
check_each_once() {
  check_eq "$1" "$(cut -f1 "$2" | sort | paste -sd' ' -)" "$(echo $3 | tr ' ' '\n' | sort | paste -sd' ' -)"
}

finish() {
  echo "$1: $PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}

# --- containers and bundles ---------------------------------------------------

# make_rootfs DIR : a static busybox userland
make_rootfs() {
  mkdir -p "$1/tmp" "$1/proc" "$1/sys" "$1/dev" "$1/var/tmp" "$1/run"
  busybox_userland "$1" /tmp
}

# test_policy OUT AUDIT_LOG [PROFILE-OVERRIDES-JQ] : the shipped default with
# the audit log moved (tests must not write to /var/log)
test_policy() {
  jq --arg a "$2" '.audit_log = $a' "$TOP/policy/default.json" > "$1"
}

# every capability, as a JSON array body ("CAP_X","CAP_Y",...)
ALLCAPS=$(for c in CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE \
  NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE \
  SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL \
  SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE; do
  echo "\"CAP_$c\""; done | paste -sd, -)

# the capabilities this machine's bounding set has (ALLCAPS is in kernel
# order), for containers plain runc must be able to start
HOSTCAPS=$(bnd=$((16#$(sed -n 's/^CapBnd:\s*//p' /proc/self/status))); i=0
  for c in $(echo "$ALLCAPS" | tr , ' '); do [ $(((bnd >> i) & 1)) = 1 ] && echo "$c"; i=$((i + 1)); done | paste -sd, -)

# noop_runtime PATH : a static runtime that does nothing and exits 0, for
# tests and benchmarks of the shim's own work; asked "features" (as the shim
# asks every runtime once) it says it implements runtime-spec 1.0.2.
noop_runtime() {
  printf '%s\n' '#include <stdio.h>' '#include <string.h>' \
    'int main (int c, char **v) { if (c > 1 && strcmp (v[1], "features") == 0) puts ("{\"ociVersionMin\": \"1.0.0\", \"ociVersionMax\": \"1.0.2\"}"); return 0; }' \
    > "$1.c"
  cc -O2 -static -o "$1" "$1.c" && rm -f "$1.c"
}

# runc_bundle DIR JQ [JQ-OPTION...] : runc's default spec in DIR, its root
# "$W/rootfs", no terminal, then edited by the jq filter JQ.  JQ sees the
# root as $root, every capability as $allcaps, this machine's as
# $hostcaps, and can say dangerous($caps): the process asks for $caps in
# every set, without no_new_privileges, on a writable root.
runc_bundle() {
  local b=$1 filter=$2
  shift 2
  mkdir -p "$b"
  (cd "$b" && runc spec) || return 1
  jq --arg root "$W/rootfs" --argjson allcaps "[$ALLCAPS]" --argjson hostcaps "[$HOSTCAPS]" "$@" '
    def dangerous($caps): .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps,
      inheritable: [], ambient: []} | .process.noNewPrivileges = false | .root.readonly = false;
    .root.path = $root | .process.terminal = false | '"$filter" "$b/config.json" > "$b/config.json.tmp" \
    && mv "$b/config.json.tmp" "$b/config.json"
}

# shim_runtime NAME POLICY [ARG...] : dockerd's runtimes entry NAME, the
# shim with --policy POLICY and ARGs, as a JSON object (several such
# objects make one with `jq -s add`)
shim_runtime() {
  local name=$1 policy=$2
  shift 2
  # (jq would read ARGs starting with "-" as its own options: they go in as lines)
  { [ $# = 0 ] || printf '%s\n' "$@"; } | jq -R . | jq -s --arg n "$name" --arg shim "$SHIM" --arg p "$policy" \
    '{($n): {path: $shim, runtimeArgs: (["--policy", $p] + .)}}'
}

# shim_wrapper PATH POLICY : an executable at PATH that runs the shim with
# --policy POLICY, for clients that take a runtime binary but no arguments
# for it (podman --runtime, containerd's BinaryName)
shim_wrapper() {
  printf '#!/bin/sh\nexec %s --policy %s "$@"\n' "$SHIM" "$2" > "$1"
  chmod 755 "$1"
}

# start_dockerd SUITE RUNTIMES [DAEMON-JSON] : the private dockerd of
# test/lib/dockerd.sh under "$W/d", stopped at exit; when it does not come
# up that is a failed check and the suite ends there
start_dockerd() {
  at_exit dockerd_stop
  if ! dockerd_start "$W/d" "$2" "${3:-{\}}"; then
    bad "dockerd starts"
    finish "integration($1)"
    exit 1
  fi
}

# run_attack_script SCRIPT DESCRIPTION : bash test/attacks/SCRIPT "$W"; its
# skip is this suite's skip, its exit status a check (with its log when
# it failed)
run_attack_script() {
  local rc
  bash "$TOP/test/attacks/$1" "$W" 2> "$W/run.log"
  rc=$?
  [ $rc = 77 ] && { cat "$W/run.log"; exit 77; }
  check_eq "$2" "$rc" 0
  [ $rc = 0 ] || sed 's/^/    /' "$W/run.log"
}
