#!/bin/bash
# make install-as-runc for real on this (disposable) machine: the
# distribution's runc is diverted to runc.real and the shim takes its
# place, so dockerd's default runtime, `docker run --runtime=runc` and
# containerd's runc shim (ctr run without --runc-binary, and a Kubernetes
# pod through containerd's CRI plugin with the default "runc" handler, no
# BinaryName) all come out hardened with no daemon configuration; a reinstall of the runc package
# keeps the diversion; make uninstall-as-runc restores the byte-identical
# runc.  The original state comes back when the test ends, also on failure.
. "$(dirname "$0")/lib.sh"
. "$TOP/test/lib/dockerd.sh"
. "$TOP/test/lib/cri.sh"

# It swaps the machine's runc for a while: every other runc user on the
# machine (another test run, a developer's containers) would meanwhile get
# the shim.  So it runs where the machine is the test's alone: in CI
# (CI=true) or when asked (HARDENED_SYSTEM_TESTS=1).
if [ "${CI:-}" != true ] && [ "${HARDENED_SYSTEM_TESTS:-0}" != 1 ]; then
  echo "SKIP: as-runc.sh replaces this machine's runc for a while; it runs in CI or with HARDENED_SYSTEM_TESTS=1"
  exit 77
fi
need_root
need_commands dpkg-divert
need "runc at /usr/sbin/runc" test -x /usr/sbin/runc
need "dockerd" test -x /usr/sbin/dockerd
need_commands ctr jq containerd
need "python3-grpcio and python3-grpc-tools" $CRI_PY -c 'import grpc, grpc_tools.protoc'
need "CNI plugins (containernetworking-plugins)" test -x /usr/lib/cni/ptp -a -x /usr/lib/cni/host-local
need_shim

if dpkg-divert --list /usr/sbin/runc | grep -q runc.real; then
  echo "FAIL: /usr/sbin/runc is already diverted before the test; not touching it"; exit 1
fi

work_dir asrunc
socket_dir hrasr
RUNC_SUM=$(sha256sum < /usr/sbin/runc)
POLICY=/etc/hardened-runc/policy.json
HAD_POLICY=0
[ -e "$POLICY" ] && { HAD_POLICY=1; cp -p "$POLICY" "$W/policy.saved"; }
HAD_DIR=0
[ -d /etc/hardened-runc ] && HAD_DIR=1
restore() {
  dockerd_stop
  cri_stop
  grep -o " $W[^ ]*\| $S[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  make -s -C "$TOP" uninstall-as-runc >/dev/null 2>&1
  if [ "$HAD_POLICY" = 1 ]; then cp -p "$W/policy.saved" "$POLICY"; else rm -f "$POLICY"; fi
  [ "$HAD_DIR" = 1 ] || rmdir /etc/hardened-runc 2>/dev/null
}
at_exit restore

inside='grep -E "^(CapBnd|NoNewPrivs):" /proc/self/status | tr "\t\n" "  "; touch /x 2>/dev/null && echo root=rw || echo root=ro'
hardened() { # hardened DESCRIPTION OUTPUT
  check_contains "$1: the baseline's capabilities" "$2" "CapBnd: 00000000000005fb"
  check_contains "$1: no_new_privileges" "$2" "NoNewPrivs: 1"
  check_contains "$1: read-only root" "$2" "root=ro"
}

# before: plain runc really is plain (so the checks below can fail)
dockerd_start "$W/d" '{}'
image_busybox hr-bb
OUT=$($DOCKER run --rm hr-bb sh -c "$inside" 2>&1)
check_contains "before: docker run without --runtime is not hardened" "$OUT" "root=rw"
dockerd_stop

# a pod through containerd's CRI plugin with the default handler: the
# "runc" runtime, no BinaryName (Root only keeps its state out of the
# machine's /run/containerd/runc)
CRI_RUNTIME='      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "'"$S"'/runc"'
# cri_pod NAME : a pod in namespace "default" running $inside, as JSON
cri_pod() {
  cri pod --name "$1" --namespace default --image hr.test/busybox:1 --logdir "$W/pods" --runc-root "$S/runc/k8s.io" \
    -- sh -c "$inside" 2>&1
}
if cri_up "$W/cri-before" "$S/b" "$CRI_RUNTIME"; then
  OUT=$(cri_pod before)
  check_contains "before: a CRI pod with the default handler is not hardened" \
    "$(jq -r .output <<<"$OUT" 2>/dev/null)" "root=rw"
else
  bad "containerd's CRI plugin did not start (see above)"
fi
cri_stop

make -s -C "$TOP" install-as-runc > "$W/install.out" 2>&1
check "make install-as-runc" test $? -eq 0
check "runc is diverted to runc.real" sh -c "dpkg-divert --list /usr/sbin/runc | grep -q /usr/sbin/runc.real"
check_eq "runc.real is the distribution's runc" "$(sha256sum < /usr/sbin/runc.real)" "$RUNC_SUM"
check "/usr/sbin/runc is the shim" cmp -s /usr/sbin/runc "$SHIM"
check_eq "the system policy names runc.real" "$(jq -r .runtime "$POLICY")" "/usr/sbin/runc.real"
check_contains "runc --version answers through the shim" "$(/usr/sbin/runc --version 2>&1)" "runc version"
# the policy's runtime pointing at the shim itself is refused, never a loop
jq '.runtime = "/usr/sbin/runc"' "$POLICY" > "$W/loop.json"
mkdir -p "$W/b" && (cd "$W/b" && runc.real spec)
/usr/sbin/runc --policy "$W/loop.json" --log "$W/b/log.json" --log-format json create -b "$W/b" hr-loop >/dev/null 2>&1
check "policy runtime = the shim installed as runc: refused" test $? -ne 0
check_contains "says why" "$(tail -n1 "$W/b/log.json" | jq -r .msg)" "is hardened-runc itself"

dockerd_start "$W/d" '{}'
image_busybox hr-bb
OUT=$($DOCKER run --rm hr-bb sh -c "$inside" 2>&1)
hardened "docker run (dockerd's default runtime)" "$OUT"
OUT=$($DOCKER run --rm --runtime=runc hr-bb sh -c "$inside" 2>&1)
hardened "docker run --runtime=runc" "$OUT"
OUT=$($DOCKER run --rm --privileged hr-bb true 2>&1)
check_contains "docker run --privileged: refused, docker shows why" "$OUT" "refused by rule"
dockerd_stop

# a hardened runtime registered in daemon.json as well: that shim finds
# runc.real, not the shim installed as runc (nothing is judged twice, so
# the bind sources it pinned are not taken for host paths)
dockerd_start "$W/d" "{\"hardened\": {\"path\": \"$SHIM\"}}"
image_busybox hr-bb
OUT=$($DOCKER run --rm --runtime=hardened hr-bb sh -c "$inside" 2>&1)
hardened "docker run --runtime=hardened beside install-as-runc" "$OUT"

# containerd's runc v2 shim with its default binary name, "runc"
make_rootfs "$W/rootfs"
OUT=$(ctr -a "$CONTAINERD_SOCK" -n default run --rm --env PATH=/bin --rootfs "$W/rootfs" hr-ctr sh -c "$inside" 2>&1)
hardened "ctr run (containerd's runc shim, default binary)" "$OUT"
dockerd_stop

if cri_up "$W/cri-after" "$S/a" "$CRI_RUNTIME"; then
  OUT=$(cri_pod after)
  hardened "a CRI pod with the default handler (no BinaryName)" "$(jq -r .output <<<"$OUT" 2>/dev/null)"
  check_eq "the pod's sandbox (pause): no_new_privileges" "$(jq -r .sandbox_status.NoNewPrivs <<<"$OUT" 2>/dev/null)" "1"
  check_eq "the pod's sandbox (pause): a seccomp filter" "$(jq -r .sandbox_status.Seccomp <<<"$OUT" 2>/dev/null)" "2"
  check "the pod left nothing in its runc root" sh -c "! ls '$S/runc/k8s.io' 2>/dev/null | grep -q ."
else
  bad "containerd's CRI plugin did not start (see above)"
fi
cri_stop

# a reinstall of the runc package keeps the diversion
if apt-get install -y -qq --reinstall runc >"$W/apt.out" 2>&1; then
  check "after apt-get install --reinstall runc: /usr/sbin/runc is still the shim" cmp -s /usr/sbin/runc "$SHIM"
  check_eq "after the reinstall: runc.real is the package's runc" "$(sha256sum < /usr/sbin/runc.real)" "$RUNC_SUM"
else
  bad "apt-get install --reinstall runc failed: $(tail -n 3 "$W/apt.out")"
fi

make -s -C "$TOP" uninstall-as-runc > "$W/uninstall.out" 2>&1
check "make uninstall-as-runc" test $? -eq 0
check_eq "uninstall restores the byte-identical runc" "$(sha256sum < /usr/sbin/runc)" "$RUNC_SUM"
check "no diversion left" sh -c "! dpkg-divert --list /usr/sbin/runc | grep -q runc.real"
check "runc.real is gone" test ! -e /usr/sbin/runc.real
check_eq "the system policy no longer names runc.real" "$(jq -r '.runtime // "none"' "$POLICY")" "none"

finish "integration(as-runc)"
