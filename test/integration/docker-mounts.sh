#!/bin/bash
# What docker can produce, judged by what it is, through a real private
# dockerd: a local volume that is a bind of /etc, a volume that is a proc
# mount, a daemon socket at no standard path, --tmpfs with exec, --init and
# docker-init bound elsewhere.  Each attack first works under plain runc
# (else the test would prove nothing), then is stopped under hardened-runc;
# the everyday forms (named volumes, --mount type=bind, --tmpfs, --init, a
# read-only volume) keep working.
. "$(dirname "$0")/lib.sh"

need_dockerd_suite
work_dir dmounts
test_policy "$W/policy.json" "$W/audit.log"
start_dockerd docker-mounts "$(shim_runtime hardened "$W/policy.json")"
# before dockerd stops: the volumes that are binds of /etc and a proc
at_exit '$DOCKER ps -aq 2>/dev/null | xargs -r $DOCKER rm -f >/dev/null 2>&1
  $DOCKER volume rm -f hr-etc hr-proc >/dev/null 2>&1'
image_busybox hr-busybox

# both DESCRIPTION SHIM-SENTENCE DOCKER-ARGS... -- COMMAND : the attack prints
# "attack-worked" under plain runc; hardened-runc refuses it with the sentence
both() {
  local d=$1 want=$2 args=() out err
  shift 2
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  out=$($DOCKER run --rm --runtime=runc "${args[@]}" hr-busybox sh -c "$1" 2>&1)
  check_contains "$d: works under plain runc" "$out" attack-worked
  err=$($DOCKER run --rm --runtime=hardened "${args[@]}" hr-busybox sh -c "$1" 2>&1)
  if [ $? -ne 0 ]; then ok "$d: refused under hardened-runc"; else bad "$d: not refused under hardened-runc [$err]"; fi
  check_contains "$d: docker shows the rule's sentence" "$err" "$want"
}
OPENW() { echo "if (: >> $1) 2>/dev/null; then echo attack-worked; else echo stopped; fi"; }

# a local volume that is the host's /etc
$DOCKER volume create hr-etc -o type=none -o o=bind -o device=/etc >/dev/null
both "volume -o type=none -o o=bind -o device=/etc" \
  'refused by rule "sensitive_mounts": the host path /etc (given as '"$W"'/d/data/volumes/hr-etc/_data) is bind-mounted at /x; it is /etc' \
  -v hr-etc:/x -- "$(OPENW /x/hostname)"

# a volume that is a fresh proc of the host's pid namespace
$DOCKER volume create hr-proc -o type=proc -o device=proc >/dev/null
both "volume-opt=type=proc" 'refused by rule "mount_types": the host path '"$W"'/d/data/volumes/hr-proc/_data, bind-mounted at /x, is on a proc filesystem' \
  --mount type=volume,source=hr-proc,target=/x -- \
  'grep -q "^/sbin/init\|systemd\|^init" /x/1/cmdline 2>/dev/null; '"$(OPENW /x/sys/kernel/core_pattern)"

# the private dockerd's own socket, at no standard path
SOCK="$DOCKERD_EXEC/docker.sock"
both "a docker socket at $SOCK" "is a unix socket bind-mounted at /docker.sock" \
  -v "$SOCK:/docker.sock" -- 'test -S /docker.sock && echo attack-worked'
both "the directory holding it" "holds the unix socket $SOCK" \
  -v "$DOCKERD_EXEC:/engine" -- 'test -S /engine/docker.sock && echo attack-worked'

# docker-init bound writable anywhere else
if [ -e /usr/bin/docker-init ]; then
  both "-v /usr/bin/docker-init:/x" "(given as /usr/bin/docker-init) is bind-mounted at /x; it is inside /usr" \
    -v /usr/bin/docker-init:/x -- "$(OPENW /x)"
fi

# --tmpfs with exec: noexec through the shim (the container runs, the exec fails)
EXEC='cp /bin/busybox /scratch/true && /scratch/true && echo exec-ok || echo exec-denied'
check_contains "--tmpfs /scratch:exec: runs a program under plain runc" \
  "$($DOCKER run --rm --runtime=runc --tmpfs /scratch:exec hr-busybox sh -c "$EXEC" 2>&1)" exec-ok
check_contains "--tmpfs /scratch:exec: noexec under hardened-runc" \
  "$($DOCKER run --rm --runtime=hardened --tmpfs /scratch:exec hr-busybox sh -c "$EXEC" 2>&1)" exec-denied
OUT=$($DOCKER run --rm --runtime=hardened --tmpfs /scratch --shm-size 8g hr-busybox sh -c \
  'grep -E " /(scratch|dev/shm) " /proc/mounts' 2>&1)
check_contains "--tmpfs /scratch: capped and noexec" "$OUT" "/scratch tmpfs rw,nosuid,nodev,noexec,relatime,size=2097152k"
check_contains "--shm-size 8g: capped at 2G" "$OUT" "/dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=2097152k"

# --- the everyday forms keep working ------------------------------------------
OUT=$($DOCKER run --rm --runtime=hardened --init hr-busybox sh -c 'cat /proc/1/comm; echo ok' 2>&1)
check_contains "--init: Docker's init runs as pid 1" "$OUT" "ok"
OUT=$($DOCKER run --rm --runtime=hardened -v hr-named:/data hr-busybox sh -c 'echo hi > /data/f && cat /data/f' 2>&1)
check_eq "a named volume is writable" "$OUT" hi
OUT=$($DOCKER run --rm --runtime=hardened -v hr-named:/data:ro hr-busybox sh -c 'cat /data/f; touch /data/g 2>/dev/null || echo ro' 2>&1)
check_eq "a read-only named volume (rro)" "$OUT" "$(printf 'hi\nro')"
mkdir -p "$W/project"
OUT=$($DOCKER run --rm --runtime=hardened --mount "type=bind,source=$W/project,target=/src" hr-busybox sh -c \
  'echo built > /src/out && cat /src/out' 2>&1)
check_eq "--mount type=bind of a project directory" "$OUT" built
AUD=$(jq -r 'select(.subcommand == "create") | .changes[]?.control' "$W/audit.log" | sort -u)
check_contains "audit: the tmpfs change is recorded" "$AUD" "mounts[/scratch].options"
check_contains "audit: rro on the read-only volume is recorded" "$AUD" "mounts[/data].options"

finish "integration(docker-mounts)"
