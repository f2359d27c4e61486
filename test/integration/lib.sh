# Shared helpers for integration tests (sourced; bash).
# Conventions: each test script counts its checks and ends with
# "NAME: N passed, N failed".  A prerequisite that is missing makes the
# script exit 77 (skip) -- unless HARDENED_MUST_WORK=1 (CI), where it fails.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHIM="$TOP/shim/hardened-runc"
PASS=0
FAIL=0

need() { # need WHAT CONDITION-CMD...
  local what=$1; shift
  if ! "$@" >/dev/null 2>&1; then
    if [ "${HARDENED_MUST_WORK:-0}" = 1 ]; then
      echo "FAIL: prerequisite missing: $what (HARDENED_MUST_WORK=1)"; exit 1
    fi
    echo "SKIP: prerequisite missing: $what"; exit 77
  fi
}

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

finish() {
  echo "$1: $PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}

# make_rootfs DIR : a static busybox userland
make_rootfs() {
  local d=$1
  mkdir -p "$d/bin" "$d/tmp" "$d/proc" "$d/sys" "$d/dev" "$d/etc" "$d/var/tmp" "$d/run"
  cp /bin/busybox "$d/bin/busybox"
  for a in $(/bin/busybox --list); do
    [ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n' > "$d/etc/passwd"
  printf 'root:x:0:\nuser:x:1000:\n' > "$d/etc/group"
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
