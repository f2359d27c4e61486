#!/bin/bash
# A real private dockerd with hardened-runc registered as a runtime:
# `docker run --runtime=hardened --cap-add ALL` is hardened (seen from
# inside), a broken policy shows its sentence in docker's own error, and
# the container lifecycle (exec, stop, rm) works through passthrough.
. "$(dirname "$0")/lib.sh"

need "root" test "$(id -u)" = 0
need "dockerd" test -x /usr/sbin/dockerd
need "docker client" test -x /usr/bin/docker
need "jq" command -v jq
need "the shim (make)" test -x "$SHIM"
. "$TOP/test/lib/dockerd.sh"

W=$(mktemp -d /tmp/hr-docker.XXXXXX)
trap 'dockerd_stop; rm -rf "$W"' EXIT

test_policy "$W/policy.json" "$W/audit.log"
echo '{"default_profile": "baseline", "profiles": {"baseline": {"capabilities": ["CAP_FOO"]}}}' > "$W/broken.json"
RUNTIMES=$(jq -n --arg shim "$SHIM" --arg p "$W/policy.json" --arg b "$W/broken.json" '{
  hardened: {path: $shim, runtimeArgs: ["--policy", $p]},
  "hardened-broken": {path: $shim, runtimeArgs: ["--policy", $b]}}')
dockerd_start "$W/d" "$RUNTIMES" || { bad "dockerd starts"; finish "integration(docker)"; exit 1; }
image_busybox hr-busybox

# --- hardened, seen from inside -------------------------------------------
OUT=$($DOCKER run --rm --runtime=hardened --cap-add ALL --security-opt seccomp=unconfined hr-busybox sh -c '
  grep -E "^(CapEff|CapBnd|NoNewPrivs):" /proc/self/status
  touch /rootfs-write 2>/dev/null && echo root=rw || echo root=ro
  touch /tmp/x && echo tmp=rw
  echo pids=$(cat /sys/fs/cgroup/pids/pids.max)
  echo mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
  echo core=$(ulimit -c)' 2>&1)
check_contains "docker run --cap-add ALL: CapEff is the baseline" "$OUT" "CapEff:	00000000000005fb"
check_contains "docker run --cap-add ALL: CapBnd is the baseline" "$OUT" "CapBnd:	00000000000005fb"
check_contains "docker run: NoNewPrivs" "$OUT" "NoNewPrivs:	1"
check_contains "docker run: read-only root" "$OUT" "root=ro"
check_contains "docker run: writable /tmp" "$OUT" "tmp=rw"
check_contains "docker run: pids limit" "$OUT" "pids=1024"
check_contains "docker run: memory limit" "$OUT" "mem=2147483648"
check_contains "docker run: core dumps off" "$OUT" "core=0"

# user limits within the maximum are kept, above it are clamped
OUT=$($DOCKER run --rm --runtime=hardened --pids-limit 100 -m 256m hr-busybox sh -c \
  'echo pids=$(cat /sys/fs/cgroup/pids/pids.max) mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)' 2>&1)
check_contains "docker run --pids-limit 100 -m 256m kept" "$OUT" "pids=100 mem=268435456"
OUT=$($DOCKER run --rm --runtime=hardened --pids-limit 100000 hr-busybox sh -c 'cat /sys/fs/cgroup/pids/pids.max' 2>&1)
check_eq "docker run --pids-limit 100000 clamped to the maximum" "$OUT" "4096"

# a docker volume at /tmp stays the user's (writable, not replaced by tmpfs)
OUT=$($DOCKER run --rm --runtime=hardened -v hrvol:/tmp hr-busybox sh -c 'echo hi > /tmp/f && grep " /tmp " /proc/mounts' 2>&1)
check_contains "a volume at /tmp is kept" "$OUT" "/tmp ext4"

# --- the lifecycle passes through -----------------------------------------
CID=$($DOCKER run -d --runtime=hardened hr-busybox sleep 60)
check "docker run -d" test -n "$CID"
check_eq "docker exec" "$($DOCKER exec "$CID" echo hello 2>&1)" "hello"
check_eq "docker top lists the process" "$($DOCKER top "$CID" -o comm 2>&1 | tail -n1)" "sleep"
check "docker stop" $DOCKER stop -t 1 "$CID"
check "docker rm" $DOCKER rm "$CID"

# --- one sentence in docker's error ---------------------------------------
ERR=$($DOCKER run --rm --runtime=hardened-broken hr-busybox true 2>&1)
check "broken policy: docker run fails" test $? -ne 0
check_contains "broken policy: docker shows the sentence" "$ERR" \
  "hardened-runc: invalid policy, refusing every container until it is fixed: $W/broken.json:1:76: profiles.baseline.capabilities[0]: unknown capability \"CAP_FOO\""

# --- audit: one line per decision ------------------------------------------
N=$(grep -c '"subcommand":"create"' "$W/audit.log")
check_eq "one audit line per create" "$N" 5
check "audit lines are JSON" sh -c "jq -e . '$W/audit.log' >/dev/null"

finish "integration(docker)"
