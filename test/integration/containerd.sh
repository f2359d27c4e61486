#!/bin/bash
# containerd directly, the path Kubernetes takes through a RuntimeClass: a
# private containerd loads policy/examples/containerd-hardened.toml (its
# "hardened" CRI runtime: runc v2 shim, BinaryName = the shim), and
# `ctr run --runc-binary` (the same BinaryName option of the runc v2 shim)
# starts containers through hardened-runc: hardened as seen from inside,
# --privileged refused with the sentence in ctr's error, the profile chosen
# by the annotation a pod would carry (pod_annotations).
. "$(dirname "$0")/lib.sh"

need_root
need_commands containerd ctr jq
need "python3 with yaml" python3 -c 'import yaml'
need_shim
. "$TOP/test/lib/containerd.sh"
work_dir ctrd
socket_dir hrc
at_exit 'containerd_stop hr'

# the shipped examples parse
check "runtimeclass.yaml: two documents, a RuntimeClass with handler hardened" python3 -c '
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
rc = [d for d in docs if d["kind"] == "RuntimeClass"][0]
pod = [d for d in docs if d["kind"] == "Pod"][0]
assert rc["handler"] == "hardened" and pod["spec"]["runtimeClassName"] == rc["metadata"]["name"]
assert pod["metadata"]["annotations"]["org.hardened-runc.profile"] == "restricted"' "$TOP/policy/examples/runtimeclass.yaml"

# the shim with the test's policy: what an operator puts in BinaryName
# when it needs options (BinaryName takes no arguments)
test_policy "$W/policy.json" "$W/audit.log"
# ctr's containers go to /<containerd namespace>/<id>: this test's namespace
# "hr" is a cgroup parent the operator allows
jq '.profiles.baseline.allowed_cgroup_parents += ["/hr"]' "$W/policy.json" > "$W/p.tmp" && mv "$W/p.tmp" "$W/policy.json"
shim_wrapper "$W/hardened-runc" "$W/policy.json"

# the example config, pointed at this shim, plus a private root/state/socket
sed "s|/usr/local/sbin/hardened-runc|$W/hardened-runc|" "$TOP/policy/examples/containerd-hardened.toml" > "$W/config.toml"
containerd_paths_toml "$W/root" "$S/state" "$S/c.sock" >> "$W/config.toml"
DUMP=$(containerd --config "$W/config.toml" config dump 2>&1)
check_contains "containerd accepts the example config: hardened runtime" "$DUMP" "runtimes.hardened]"
check_contains "containerd accepts the example config: BinaryName" "$DUMP" "BinaryName = \"$W/hardened-runc\""
check_contains "containerd accepts the example config: pod annotation passed through" "$DUMP" \
  'pod_annotations = ["org.hardened-runc.profile"]'

containerd_start "$W/config.toml" "$S/c.sock" "$W/containerd.log"
CTR="ctr -a $S/c.sock -n hr"
for _ in $(seq 1 40); do $CTR version >/dev/null 2>&1 && break; sleep 0.25; done
check "private containerd is up" $CTR version

make_rootfs "$W/rootfs"
chmod 1777 "$W/rootfs/tmp"
# run_ctr [CTR-RUN-FLAGS...] ID CMD... : a container on the test rootfs
run_ctr() {
  local flags=()
  while [ "${1#--}" != "$1" ]; do flags+=("$1"); shift; done
  $CTR run --rm --runc-binary "$W/hardened-runc" --env PATH=/bin "${flags[@]}" --rootfs "$W/rootfs" "$@"
}

OUT=$(run_ctr hr-inside sh -c 'grep -E "^(CapBnd|NoNewPrivs|Seccomp):" /proc/self/status;
  touch /x 2>/dev/null && echo root=rw || echo root=ro' 2>&1)
check_contains "ctr run through the shim: CapBnd is the baseline" "$OUT" "CapBnd:	00000000000005fb"
check_contains "ctr run: no_new_privileges" "$OUT" "NoNewPrivs:	1"
check_contains "ctr run: seccomp filter" "$OUT" "Seccomp:	2"
check_contains "ctr run: read-only root" "$OUT" "root=ro"

OUT=$(run_ctr --privileged hr-priv true 2>&1)
# ctr --privileged also passes every host device: whichever rule speaks
# first, the sentence reaches ctr's error
check_contains "ctr run --privileged: refused, ctr shows why" "$OUT" "OCI runtime create failed: hardened-runc: refused by rule"

# the annotation a pod carries selects an allowed profile
OUT=$(run_ctr --annotation=org.hardened-runc.profile=restricted hr-restricted-root id -u 2>&1)
check_contains "annotation restricted, as root: refused by run_as_root" "$OUT" "refused by rule \"run_as_root\""
OUT=$(run_ctr --annotation=org.hardened-runc.profile=nosuch hr-nosuch true 2>&1)
check_contains "an annotation naming a profile the policy does not allow: refused" "$OUT" "annotation_profiles"

# the lifecycle passes through (runc v2 shim: state, kill, delete)
$CTR run -d --runc-binary "$W/hardened-runc" --env PATH=/bin --rootfs "$W/rootfs" hr-long sleep 60 >/dev/null 2>&1
check_contains "ctr tasks ls shows it running" "$($CTR tasks ls 2>&1)" "RUNNING"
check_eq "ctr task exec works" "$($CTR tasks exec --exec-id e1 hr-long echo hi 2>&1)" "hi"
$CTR tasks kill -s KILL hr-long >/dev/null 2>&1
sleep 0.5
$CTR tasks rm hr-long >/dev/null 2>&1
$CTR containers rm hr-long >/dev/null 2>&1
check "kill and delete went through" sh -c "! $CTR containers ls -q | grep -qx hr-long"
check "every decision is audited" test "$(wc -l < "$W/audit.log")" -ge 6

finish "integration(containerd)"
