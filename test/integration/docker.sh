#!/bin/bash
# A real private dockerd with hardened-runc registered as a runtime:
# `docker run --runtime=hardened --cap-add ALL` is hardened (seen from
# inside), a broken policy shows its sentence in docker's own error, and
# the container lifecycle (exec, stop, rm) works through passthrough.
. "$(dirname "$0")/lib.sh"

need_dockerd_suite
work_dir docker

test_policy "$W/policy.json" "$W/audit.log"
echo '{"default_profile": "baseline", "profiles": {"baseline": {"capabilities": ["CAP_FOO"]}}}' > "$W/broken.json"
RUNTIMES=$({ shim_runtime hardened "$W/policy.json"
  shim_runtime hardened-restricted "$W/policy.json" --profile restricted
  shim_runtime hardened-broken "$W/broken.json"; } | jq -s add)
start_dockerd docker "$RUNTIMES"
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
OUT=$($DOCKER run --rm --runtime=hardened --pids-limit 100000 hr-busybox sh -c 'cat /sys/fs/cgroup/pids/pids.max' 2>/dev/null)
check_eq "docker run --pids-limit 100000 clamped to the maximum" "$OUT" "4096"

# a docker volume at /tmp stays the user's (writable, not replaced by tmpfs)
OUT=$($DOCKER run --rm --runtime=hardened -v hrvol:/tmp hr-busybox sh -c 'echo hi > /tmp/f && grep " /tmp " /proc/mounts' 2>&1)
check_contains "a volume at /tmp is kept" "$OUT" "/tmp ext4"

# --- the lifecycle passes through -----------------------------------------
CID=$($DOCKER run -d --runtime=hardened hr-busybox sleep 60)
check "docker run -d" test -n "$CID"
check_eq "docker exec" "$($DOCKER exec "$CID" echo hello 2>&1)" "hello"
check_contains "docker top lists the process" "$($DOCKER top "$CID" 2>&1)" "sleep 60"
# docker exec --privileged gets the baseline, and no_new_privs
OUT=$($DOCKER exec --privileged "$CID" grep -E '^(CapEff|NoNewPrivs):' /proc/self/status 2>&1)
check_contains "docker exec --privileged: CapEff is the baseline" "$OUT" "CapEff:	00000000000005fb"
check_contains "docker exec --privileged: NoNewPrivs" "$OUT" "NoNewPrivs:	1"
# docker update cannot remove or raise limits past the maximum
$DOCKER update --pids-limit -1 "$CID" >/dev/null 2>&1
check_eq "docker update --pids-limit -1: at the maximum" "$($DOCKER exec "$CID" cat /sys/fs/cgroup/pids/pids.max)" 4096
$DOCKER update --memory 20g --memory-swap 40g "$CID" >/dev/null 2>&1
check_eq "docker update --memory 20g --memory-swap 40g: at the maximum" \
  "$($DOCKER exec "$CID" cat /sys/fs/cgroup/memory/memory.limit_in_bytes)" 17179869184
check "docker stop" sh -c "$DOCKER stop -t 1 $CID >/dev/null"
check "docker rm" sh -c "$DOCKER rm $CID >/dev/null"

# --- refused, with the rule's sentence in docker's own error ---------------
refused() { # refused DESCRIPTION SENTENCE docker-run-args...
  local d=$1 want=$2; shift 2
  local err
  err=$($DOCKER run --rm --runtime=hardened "$@" hr-busybox true 2>&1)
  if [ $? -ne 0 ]; then ok "$d: refused"; else bad "$d: not refused"; fi
  check_contains "$d: docker shows the rule's sentence" "$err" "$want"
}
refused "--privileged" 'hardened-runc: refused by rule "privileged": the container is privileged' --privileged
refused "-v /:/host" 'refused by rule "sensitive_mounts": the host path / is bind-mounted at /host' -v /:/host
# dockerd creates a missing bind source as a directory: do not leave one
[ -e /var/run/docker.sock ] && SOCK_EXISTED=1 || SOCK_EXISTED=0
refused "-v /var/run/docker.sock" 'refused by rule "sensitive_mounts"' -v /var/run/docker.sock:/var/run/docker.sock
[ "$SOCK_EXISTED" = 0 ] && [ -d /var/run/docker.sock ] && rmdir /var/run/docker.sock
refused "-v /etc:/x" 'the host path /etc is bind-mounted at /x' -v /etc:/x
refused "--pid host" "refused by rule \"host_namespaces\": the container shares the host's pid namespace (--pid host)" --pid host
refused "--network host" "the host's network namespace" --network host
refused "--ipc host" "shares the host's ipc namespace (--ipc host)" --ipc host
refused "--uts host" "shares the host's uts namespace (--uts host)" --uts host
refused "--device-cgroup-rule" 'refused by rule "devices": a device cgroup rule allows read/write/mknod access to b 8:*' --device-cgroup-rule 'b 8:* rwm'
refused "--sysctl kernel.msgmax" 'refused by rule "sysctls": sysctl kernel.msgmax is not in the allowed set' --sysctl kernel.msgmax=65536
OUT=$($DOCKER run --rm --runtime=hardened --sysctl net.ipv4.ip_unprivileged_port_start=0 hr-busybox cat /proc/sys/net/ipv4/ip_unprivileged_port_start 2>/dev/null)
check_eq "a safe sysctl is allowed" "$OUT" 0
# joining another container's namespace stays allowed
CID=$($DOCKER run -d --runtime=hardened hr-busybox sleep 60)
OUT=$($DOCKER run --rm --runtime=hardened --pid "container:$CID" hr-busybox sh -c 'ps -o comm | grep -c sleep' 2>/dev/null)
check_eq "--pid container:<id> is allowed" "$OUT" 1
$DOCKER rm -f "$CID" >/dev/null 2>&1

# --- a hardened-restricted runtime (runtimeArgs --profile restricted) ------
ERR=$($DOCKER run --rm --runtime=hardened-restricted hr-busybox true 2>&1)
check_contains "restricted: uid 0 refused" "$ERR" 'refused by rule "run_as_root": the process runs as root (uid 0)'
OUT=$($DOCKER run --rm --runtime=hardened-restricted --user 1000:1000 --cap-add ALL hr-busybox grep -E '^CapBnd:' /proc/self/status 2>&1)
check_contains "restricted --user 1000:1000: only NET_BIND_SERVICE" "$OUT" "CapBnd:	0000000000000400"

# --- one sentence in docker's error ---------------------------------------
ERR=$($DOCKER run --rm --runtime=hardened-broken hr-busybox true 2>&1)
check "broken policy: docker run fails" test $? -ne 0
check_contains "broken policy: docker shows the sentence" "$ERR" \
  "hardened-runc: invalid policy, refusing every container until it is fixed: $W/broken.json:1:76: profiles.baseline.capabilities[0]: unknown capability \"CAP_FOO\""

# --- audit: one line per decision ------------------------------------------
N=$(grep -c '"subcommand":"create"' "$W/audit.log")
check_eq "one audit line per create (every decision, refusals included)" "$N" 20
check "audit lines are JSON" sh -c "jq -e . '$W/audit.log' >/dev/null"

# --- the rest of config.json: groups, devices, cgroups, OOM, hooks ----------
ERR=$($DOCKER run --rm --runtime=hardened-restricted --user 1000:0 hr-busybox true 2>&1)
check_contains "restricted --user 1000:0: refused" "$ERR" 'refused by rule "root_group": the process runs with group 0'
ERR=$($DOCKER run --rm --runtime=hardened-restricted --user 1000:1000 --group-add 0 hr-busybox true 2>&1)
check_contains "restricted --group-add 0: refused" "$ERR" 'refused by rule "root_group"'
refused "--device-cgroup-rule 'a *:* m'" 'refused by rule "devices": a device cgroup rule allows mknod access to every device' \
  --device-cgroup-rule 'a *:* m'
# docker's default device rules allow c 5:1 (the host's console): removed
CID=$($DOCKER run -d --runtime=hardened hr-busybox sh -c 'readlink /proc/self/ns/cgroup; grep -m1 ":pids:" /proc/self/cgroup; sleep 60')
sleep 1
OUT=$($DOCKER logs "$CID" 2>&1)
check "a docker container with its own cgroup namespace" test "$(echo "$OUT" | head -n 1)" != "$(readlink /proc/self/ns/cgroup)"
check_contains "... which sees itself at the root of the cgroup tree" "$OUT" ":pids:/"
check "docker's c 5:1 rule removed (audit)" jq -e --arg c "$CID" 'select(.container == $c) | .changes[]
  | select(.control == "linux.resources.devices[allow c 5:1]" and .after == null)' "$W/audit.log"
# --cgroup-parent into that container's cgroup, or outside docker's
refused "--cgroup-parent /docker/<another container>" \
  "refused by rule \"cgroups_path\": linux.cgroupsPath /docker/$CID/" --cgroup-parent "/docker/$CID"
refused "--cgroup-parent /elsewhere" 'puts the container under /elsewhere, outside the cgroup parents the policy allows' \
  --cgroup-parent /elsewhere
$DOCKER rm -f "$CID" >/dev/null 2>&1
# --oom-score-adj below 0 is raised to 0; --oom-kill-disable is cleared
OUT=$($DOCKER run --rm --runtime=hardened --oom-score-adj -500 hr-busybox cat /proc/self/oom_score_adj 2>&1)
check_eq "--oom-score-adj -500: raised to 0" "$OUT" 0
OUT=$($DOCKER run --rm --runtime=hardened --oom-score-adj 500 hr-busybox cat /proc/self/oom_score_adj 2>&1)
check_eq "--oom-score-adj 500: kept" "$OUT" 500
OUT=$($DOCKER run --rm --runtime=hardened -m 64m --oom-kill-disable hr-busybox cat /sys/fs/cgroup/memory/memory.oom_control 2>&1)
check_contains "--oom-kill-disable: the OOM killer stays on" "$OUT" "oom_kill_disable 0"
# dockerd's own hook (Docker up to 27: /proc/<dockerd pid>/exe libnetwork-setkey)
# is allowed by the shipped policy, by the identity of the running dockerd;
# the same path with other arguments, or another program, is not
hookcfg() { jq --arg p "$1" --argjson a "$2" '.hooks = {prestart: [{path: $p, args: $a}]}' \
  "$TOP/test/fixtures/docker/default.json" > "$W/hook.json"; }
hookcfg "/proc/$DOCKERD_PID/exe" '["libnetwork-setkey", "-exec-root=/var/run/docker", "abc", "def"]'
OUT=$("$SHIM" explain --policy "$W/policy.json" "$W/hook.json" 2>&1)
check "dockerd's libnetwork-setkey hook (/proc/$DOCKERD_PID/exe) is allowed" test $? = 0
check "... without a hooks finding" sh -c "! printf '%s' \"\$1\" | grep -q ' hooks:'" - "$OUT"
hookcfg "/proc/$DOCKERD_PID/exe" '["dockerd", "--debug"]'
OUT=$("$SHIM" explain --policy "$W/policy.json" "$W/hook.json" 2>&1)
check_contains "dockerd run as a hook with other arguments: refused" "$OUT" 'refused by rule "hooks": the prestart hook /proc/'
hookcfg "/proc/$$/exe" '["libnetwork-setkey"]'
OUT=$("$SHIM" explain --policy "$W/policy.json" "$W/hook.json" 2>&1)
check_contains "another program as libnetwork-setkey: refused" "$OUT" 'refused by rule "hooks"'

finish "integration(docker)"
