#!/bin/bash
# make demo: the main job in one screen.  A private dockerd gets
# hardened-runc as a runtime; the same dangerous `docker run` is started
# under plain runc (before) and under hardened-runc (after).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
SHIM="$TOP/shim/hardened-runc"
if [ "$(id -u)" != 0 ]; then echo "make demo needs root (it starts a private dockerd)"; exit 1; fi
. "$TOP/test/lib/dockerd.sh"

W=$(mktemp -d /tmp/hr-demo.XXXXXX)
trap 'dockerd_stop; rm -rf "$W"' EXIT
jq --arg a "$W/audit.log" '.audit_log = $a' "$TOP/policy/default.json" > "$W/policy.json"
RUNTIMES=$(jq -n --arg shim "$SHIM" --arg p "$W/policy.json" '{hardened: {path: $shim, runtimeArgs: ["--policy", $p]}}')
echo "Starting a private dockerd with hardened-runc registered as runtime \"hardened\"..."
dockerd_start "$W/d" "$RUNTIMES" || exit 1
image_busybox hr-busybox >/dev/null

FLAGS="--cap-add ALL --security-opt seccomp=unconfined --pids-limit -1"
PROBE='
caps=$(grep CapEff /proc/self/status | cut -f2)
echo "  effective capabilities: $caps"
echo "  no_new_privs:           $(grep NoNewPrivs /proc/self/status | cut -f2)"
if touch /etc/owned 2>/dev/null; then echo "  write to /etc:          ALLOWED"; else echo "  write to /etc:          refused (read-only root)"; fi
if mknod /tmp/sda b 8 0 2>/dev/null; then echo "  mknod block device:     ALLOWED"; else echo "  mknod block device:     refused"; fi
echo "  pids limit:             $(cat /sys/fs/cgroup/pids/pids.max)"
echo "  memory limit:           $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
if [ -r /proc/kcore ] && head -c1 /proc/kcore >/dev/null 2>&1; then echo "  /proc/kcore:            readable"; else echo "  /proc/kcore:            masked"; fi
echo "  seccomp:                $(grep ^Seccomp: /proc/self/status | cut -f2) (0: no filter, 2: filter)"
if unshare -U true 2>/dev/null; then echo "  new user namespace:     ALLOWED"; else echo "  new user namespace:     refused (seccomp)"; fi
if mount -t tmpfs none /tmp 2>/dev/null; then echo "  mount(2):               ALLOWED"; else echo "  mount(2):               refused"; fi'

echo
echo "\$ docker run $FLAGS busybox ...            # plain runc: BEFORE"
# plain runc cannot grant CAP_SYS_RESOURCE on this host; ask for all the rest
$DOCKER run --rm --runtime=runc --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined --pids-limit -1 \
  hr-busybox sh -c "$PROBE"
echo
echo "\$ docker run --runtime=hardened $FLAGS busybox ...   # hardened-runc: AFTER"
$DOCKER run --rm --runtime=hardened $FLAGS hr-busybox sh -c "$PROBE"
echo
echo "What hardened-runc changed, from its audit log ($W/audit.log):"
tail -n1 "$W/audit.log" | jq -r '.changes[] | "  \(.control): \(.before | tojson) -> \(.after | tojson)"' | cut -c1-150
echo
echo "What cannot be made safe is refused, with one sentence in docker's error:"
[ -e /var/run/docker.sock ] && SOCK_EXISTED=1 || SOCK_EXISTED=0
for flags in "--privileged" "-v /:/host" "--pid host" "-v /var/run/docker.sock:/var/run/docker.sock"; do
  echo "\$ docker run --runtime=hardened $flags busybox true"
  $DOCKER run --rm --runtime=hardened $flags hr-busybox true 2>&1 | sed -e 's/^/  /' -e 's/: unknown\.$//' | cut -c1-220
done
# dockerd creates a missing bind source as a directory: do not leave one
[ "$SOCK_EXISTED" = 0 ] && [ -d /var/run/docker.sock ] && rmdir /var/run/docker.sock
echo
echo "A broken policy refuses containers with one sentence in docker's error:"
echo '{"default_profile": "baseline", "profiles": {"baseline": {"capabilities": ["CAP_FOO"]}}}' > "$W/policy.json"
$DOCKER run --rm --runtime=hardened hr-busybox true 2>&1 | sed 's/^/  /'
echo
echo "Done.  The same check for any config.json: shim/hardened-runc explain CONFIG.json"
