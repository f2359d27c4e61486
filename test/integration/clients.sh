#!/bin/bash
# The other clients: podman with --runtime (its default nofile limit,
# 1048576, is above this host's hard limit: plain runc fails, the shim's
# nofile clamp makes it work), and crun as the real runtime under the shim
# (the policy's "runtime"), driven by the same runc command line.
. "$(dirname "$0")/lib.sh"

need_root
need_commands podman crun jq
need_busybox
need_shim
work_dir clients
PODMAN="podman --root $W/storage --runroot $W/run --cgroup-manager cgroupfs --events-backend file --log-level error"
at_exit '$PODMAN rm -af >/dev/null 2>&1; crun --root "$W/crun-state" delete -f hr-crun >/dev/null 2>&1'

make_rootfs "$W/rootfs"
chmod 1777 "$W/rootfs/tmp"
test_policy "$W/policy.json" "$W/audit.log"
shim_wrapper "$W/hardened-runc" "$W/policy.json"

# --- podman --------------------------------------------------------------------
tar -C "$W/rootfs" -c . | $PODMAN import --change 'ENV PATH=/bin' - hr-busybox >/dev/null 2>&1
INSIDE='grep -E "^(CapBnd|NoNewPrivs|Seccomp):" /proc/self/status; touch /x 2>/dev/null && echo root=rw || echo root=ro; echo nofile=$(ulimit -n)'
OUT=$($PODMAN run --rm --network none --runtime "$(command -v runc)" hr-busybox true 2>&1)
echo "    plain runc under podman: ${OUT:0:160}"
OUT=$($PODMAN run --rm --network none --runtime "$W/hardened-runc" --cap-add ALL hr-busybox sh -c "$INSIDE" 2>&1)
check_contains "podman --runtime hardened-runc --cap-add ALL: CapBnd is the baseline" "$OUT" "CapBnd:	00000000000005fb"
check_contains "podman: no_new_privileges" "$OUT" "NoNewPrivs:	1"
check_contains "podman: seccomp filter" "$OUT" "Seccomp:	2"
check_contains "podman: read-only root" "$OUT" "root=ro"
check_contains "podman: nofile clamped to what this host allows" "$OUT" "nofile=$(ulimit -Hn)"
OUT=$($PODMAN run --rm --network none --runtime "$W/hardened-runc" --privileged hr-busybox true 2>&1)
check_contains "podman --privileged: refused, podman shows why" "$OUT" "hardened-runc: refused by rule"
CID=$($PODMAN run -d --network none --runtime "$W/hardened-runc" hr-busybox sleep 60 2>&1)
check_eq "podman exec" "$($PODMAN exec "$CID" echo hi 2>&1)" "hi"
$PODMAN rm -f "$CID" >/dev/null 2>&1
check "podman rm: the container is gone" sh -c "! $PODMAN ps -aq | grep -q ."

# --- crun under the shim ---------------------------------------------------------
jq --arg crun "$(command -v crun)" '.runtime = $crun' "$W/policy.json" > "$W/policy-crun.json"
mkdir -p "$W/bundle"
(cd "$W/bundle" && runc spec)
jq --arg r "$W/rootfs" --argjson caps "[$HOSTCAPS]" --arg s "$INSIDE" '.root.path = $r | .root.readonly = false
  | .process.terminal = false | .process.args = ["sh", "-c", $s]
  | .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps}
  | .process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]' \
  "$W/bundle/config.json" > "$W/bundle/c" && mv "$W/bundle/c" "$W/bundle/config.json"
cp "$W/bundle/config.json" "$W/bundle.orig.json"
PLAIN=$(crun --root "$W/crun-state" run --bundle "$W/bundle" hr-crun-plain 2>&1); PLAIN_RC=$?
OUT=$("$SHIM" --policy "$W/policy-crun.json" --root "$W/crun-state" run --bundle "$W/bundle" hr-crun 2>&1)
if [ "$PLAIN_RC" -eq 0 ]; then
  check_contains "crun as the runtime: CapBnd is the baseline" "$OUT" "CapBnd:	00000000000005fb"
  check_contains "crun as the runtime: no_new_privileges" "$OUT" "NoNewPrivs:	1"
  check_contains "crun as the runtime: seccomp filter" "$OUT" "Seccomp:	2"
  check_contains "crun as the runtime: read-only root" "$OUT" "root=ro"
else
  # crun 1.8 refuses this host's hybrid cgroup layout even for a plain
  # bundle ("$PLAIN"): the shim's part is checked, crun's own answer to
  # the hardened bundle is the same as to the plain one
  echo "    plain crun cannot run containers here: $PLAIN"
  check_eq "crun as the runtime: the shim hands over to crun (crun's own answer)" "$OUT" "$PLAIN"
  check_eq "crun as the runtime: the bundle crun got is hardened (capabilities)" \
    "$(jq -c .process.capabilities.bounding "$W/bundle/config.json")" \
    '["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_SETGID","CAP_SETUID","CAP_SETPCAP","CAP_NET_BIND_SERVICE"]'
  check_eq "crun as the runtime: ... seccomp, read-only root, no_new_privileges" \
    "$(jq -c '[.linux.seccomp.defaultAction, .root.readonly, .process.noNewPrivileges]' "$W/bundle/config.json")" \
    '["SCMP_ACT_ERRNO",true,true]'
fi
check_contains "crun: the create is audited" "$(tail -1 "$W/audit.log")" '"container":"hr-crun"'

finish "integration(clients)"
