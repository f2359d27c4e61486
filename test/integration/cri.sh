#!/bin/bash
# Kubernetes pods through containerd's CRI plugin, the kubelet's path: a
# private containerd with the CRI plugin (its runc runtime's BinaryName is
# the shim with policy/examples/kubernetes-namespaces.json, the
# RuntimeClass-free node-wide setup of "make install-as-runc"), driven over
# the CRI gRPC API by test/cri/cri_client.py with stubs generated here from
# the project's own test/cri/cri.proto.  Checked from the audit log, from
# inside the containers (/proc/self/status) and from what containerd wrote:
#   - a pod in "default" gets baseline, its sandbox "sandbox", even when the
#     pod and the container carry io.kubernetes.cri.sandbox-namespace:
#     kube-system and org.hardened-runc.profile annotations and the runtime
#     passes every pod and container annotation on (pod_annotations = ["*"]);
#   - a kube-system pod on the host network gets privileged-infra
#     (NET_ADMIN, NET_RAW) and its sandbox infra-sandbox;
#   - a default pod asking for the host network is refused at its sandbox;
#   - outside the CRI plugin (ctr, another containerd namespace) the same
#     annotations claim nothing (containerd namespace "default", the one
#     nerdctl uses).
# The CNI ptp plugin adds a veth pair and a route per pod on the host (and
# sets net.ipv4.ip_forward); both go away with the pod.
. "$(dirname "$0")/lib.sh"
. "$TOP/test/lib/cri.sh"

need_root
need_commands containerd ctr runc jq
need "python3-grpcio and python3-grpc-tools" $CRI_PY -c 'import grpc, grpc_tools.protoc'
need "CNI plugins (containernetworking-plugins)" test -x /usr/lib/cni/ptp -a -x /usr/lib/cni/host-local -a -x /usr/lib/cni/loopback
need_busybox
need_shim
work_dir cri
socket_dir hrcri
# the containers of the CRI plugin (k8s.io) and of ctr (default)
at_exit cri_stop

# the stubs, from the project's proto, into the work directory
check "python stubs generated from test/cri/cri.proto" cri_stubs "$W/stubs"

# the shipped example policy, with the audit log moved; the BinaryName
# wrapper keeps its argv and the config.json containerd wrote (before the
# shim rewrites it)
jq --arg a "$W/audit.log" '.audit_log = $a' "$TOP/policy/examples/kubernetes-namespaces.json" > "$W/policy.json"
check "the example policy validates" "$SHIM" validate-policy "$W/policy.json"
for prof in baseline restricted; do
  check_eq "the example's $prof profile is the shipped one" \
    "$(jq -c ".profiles.$prof" "$TOP/policy/examples/kubernetes-namespaces.json")" \
    "$(jq -c ".profiles.$prof" "$TOP/policy/default.json")"
done
check_eq "privileged-infra: the baseline's capabilities plus NET_ADMIN and NET_RAW" \
  "$(jq -c '.profiles["privileged-infra"].capabilities' "$TOP/policy/examples/kubernetes-namespaces.json")" \
  "$(jq -c '.profiles.baseline.capabilities + ["NET_ADMIN", "NET_RAW"]' "$TOP/policy/default.json")"
mkdir -p "$W/captures"
cat > "$W/hardened-runc" <<EOF
#!/bin/sh
echo "\$*" >> "$W/argv.log"
prev=""; for a in "\$@"; do [ "\$prev" = --bundle ] && cp "\$a/config.json" "$W/captures/\${a##*/}.json" 2>/dev/null; prev=\$a; done
exec "$SHIM" --policy "$W/policy.json" "\$@"
EOF
chmod 755 "$W/hardened-runc"

# images: a docker-archive tarball per image, built from busybox-static
cri_images "$W/images"
cri_config "$W" "$S" '      runtime_type = "io.containerd.runc.v2"
      # the worst case: every pod and container annotation is passed on
      pod_annotations = ["*"]
      container_annotations = ["*"]
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "'"$W"'/hardened-runc"
        Root = "'"$S"'/runc"'
cri_start "$W" "$S"
OUT=$(cri version 2>&1)
check_contains "containerd's CRI plugin answers Version over the project's proto" "$OUT" '"runtime_api_version": "v1'
[ "${OUT#*runtime_api_version}" != "$OUT" ] || tail -n 20 "$W/containerd.log"
for img in pause busybox; do
  check "image hr.test/$img:1 imported into k8s.io" ctr -a "$S/c.sock" -n k8s.io images import "$W/images/$img.tar"
done
RUNC_ROOT="$S/runc/k8s.io"
LOGS="$W/pods"

# audit_profile ID : the profile of the create of container ID
audit_profile() {
  jq -r --arg id "$1" 'select(.container == $id and (.command == "create" or .subcommand == "create")) | .profile' \
    "$W/audit.log" 2>/dev/null | head -n 1
}
json() { jq -r "$1" <<<"$2" 2>/dev/null; }

# --- a pod in "default" that claims kube-system and privileged-infra ---
FORGE=(--annotation io.kubernetes.cri.sandbox-namespace=kube-system
  --annotation io.kubernetes.cri.container-type=container
  --annotation org.hardened-runc.profile=privileged-infra
  --container-annotation io.kubernetes.cri.sandbox-namespace=kube-system
  --container-annotation io.kubernetes.cri.container-type=sandbox
  --container-annotation org.hardened-runc.profile=privileged-infra)
R=$(cri pod --name web --namespace default --image hr.test/busybox:1 --logdir "$LOGS" --runc-root "$RUNC_ROOT" \
  "${FORGE[@]}" --add-cap NET_ADMIN -- sh -c 'grep CapBnd /proc/self/status' 2>&1)
echo "$R" | jq -c . 2>/dev/null || echo "$R"
SB=$(json .sandbox "$R")
C=$(json .container "$R")
check_eq "default pod: the container ran" "$(json .exit_code "$R")" "0"
check_contains "default pod: inside, CapBnd is the baseline's (NET_ADMIN asked for, not given)" \
  "$(json .output "$R")" "CapBnd:	00000000000005fb"
check_eq "default pod: audited with profile baseline" "$(audit_profile "$C")" "baseline"
check_eq "default pod: its sandbox audited with profile sandbox" "$(audit_profile "$SB")" "sandbox"
check_eq "default pod: the sandbox process has no capability" "$(json .sandbox_status.CapBnd "$R")" "0000000000000000"
check_contains "default pod: the sandbox runs as the pause image's user" "$(json .sandbox_status.Uid "$R")" "65535"
# what containerd itself wrote: its own keys over the pod's
for id in "$SB" "$C"; do
  check_eq "containerd wrote the real namespace over the pod's annotation ($id)" \
    "$(jq -r '.annotations["io.kubernetes.cri.sandbox-namespace"]' "$W/captures/$id.json" 2>/dev/null)" "default"
  check_eq "the pod's profile annotation did reach config.json ($id)" \
    "$(jq -r '.annotations["org.hardened-runc.profile"]' "$W/captures/$id.json" 2>/dev/null)" "privileged-infra"
done
check_eq "containerd wrote the sandbox's real container-type over the pod's" \
  "$(jq -r '.annotations["io.kubernetes.cri.container-type"]' "$W/captures/$SB.json" 2>/dev/null)" "sandbox"
check_eq "containerd wrote the container's real container-type over the container's" \
  "$(jq -r '.annotations["io.kubernetes.cri.container-type"]' "$W/captures/$C.json" 2>/dev/null)" "container"
check_contains "containerd's runc shim passes --root <Root>/k8s.io" "$(grep -m1 " create " "$W/argv.log")" \
  "--root $RUNC_ROOT "

# --- a kube-system pod on the host network (a CNI or kube-proxy DaemonSet) ---
R=$(cri pod --name kube-proxy --namespace kube-system --image hr.test/busybox:1 --logdir "$LOGS" \
  --runc-root "$RUNC_ROOT" --host-network --add-cap NET_ADMIN --add-cap NET_RAW \
  -- sh -c 'grep CapBnd /proc/self/status; echo "net=$(readlink /proc/self/ns/net)"' 2>&1)
echo "$R" | jq -c . 2>/dev/null || echo "$R"
SB=$(json .sandbox "$R")
C=$(json .container "$R")
check_eq "kube-system pod: the container ran" "$(json .exit_code "$R")" "0"
check_contains "kube-system pod: inside, CapBnd has NET_ADMIN and NET_RAW" "$(json .output "$R")" \
  "CapBnd:	00000000000035fb"
check_contains "kube-system pod: on the host's network namespace" "$(json .output "$R")" \
  "net=$(readlink /proc/self/ns/net)"
check_eq "kube-system pod: audited with profile privileged-infra" "$(audit_profile "$C")" "privileged-infra"
check_eq "kube-system pod: its sandbox audited with profile infra-sandbox" "$(audit_profile "$SB")" "infra-sandbox"
check_eq "kube-system pod: the sandbox process has no capability" "$(json .sandbox_status.CapBnd "$R")" \
  "0000000000000000"
check_contains "kube-system pod: the host network is a warn finding of the sandbox" \
  "$(jq -c --arg id "$SB" 'select(.container == $id)' "$W/audit.log")" '"host_namespaces"'

# --- kubectl exec (ExecSync): the process gets the profile its container
# was created with, chosen again from the annotations runc keeps ---
R=$(cri pod --name exec-infra --namespace kube-system --image hr.test/busybox:1 --logdir "$LOGS" \
  --add-cap NET_ADMIN --exec 'grep CapBnd /proc/self/status' -- sleep 600 2>&1)
check_contains "kube-system pod: an ExecSync process has privileged-infra's CapBnd" "$(json .exec_output "$R")" \
  "CapBnd:	00000000000035fb"
check_eq "kube-system pod: the exec is audited with profile privileged-infra" \
  "$(jq -r --arg id "$(json .container "$R")" 'select(.container == $id and .subcommand == "exec") | .profile' \
    "$W/audit.log" | head -n 1)" "privileged-infra"
R=$(cri pod --name exec-web --namespace default --image hr.test/busybox:1 --logdir "$LOGS" "${FORGE[@]}" \
  --add-cap NET_ADMIN --exec 'grep CapBnd /proc/self/status' -- sleep 600 2>&1)
check_contains "default pod: an ExecSync process has the baseline's CapBnd" "$(json .exec_output "$R")" \
  "CapBnd:	00000000000005fb"

# --- a default pod asking for the host network ---
R=$(cri pod --name hostnet --namespace default --image hr.test/busybox:1 --logdir "$LOGS" --host-network \
  "${FORGE[@]}" -- true 2>&1)
check_eq "default pod with hostNetwork: RunPodSandbox fails" "$(json .stage "$R")" "RunPodSandbox"
check_contains "default pod with hostNetwork: refused, the kubelet sees why" "$(json .error "$R")" \
  'refused by rule "host_namespaces"'

# --- outside the CRI plugin the same annotations claim nothing ---
make_rootfs "$W/rootfs"
# forged NS ID : ctr run in containerd namespace NS with the CRI annotations
# of a kube-system pod, asking for NET_ADMIN; prints the bounding set
forged() {
  ctr -a "$S/c.sock" -n "$1" run --rm --runc-binary "$W/hardened-runc" --env PATH=/bin \
    --annotation io.kubernetes.cri.container-type=container \
    --annotation io.kubernetes.cri.sandbox-namespace=kube-system --cap-add CAP_NET_ADMIN \
    --rootfs "$W/rootfs" "$2" sh -c 'grep CapBnd /proc/self/status' 2>&1
}
OUT=$(forged default hr-forged)
check_contains "ctr in another containerd namespace with a kube-system pod's annotations: baseline" "$OUT" \
  "CapBnd:	00000000000005fb"
check_eq "ctr in another containerd namespace: audited with profile baseline" "$(audit_profile hr-forged)" "baseline"
# the control: in containerd's k8s.io namespace (its socket is root's) the
# same annotations are taken for a kube-system pod, so the check above can
# fail (ctr's default capabilities have NET_RAW, privileged-infra keeps it)
OUT=$(forged k8s.io hr-control)
check_contains "control: the same from containerd's k8s.io namespace gets privileged-infra" "$OUT" \
  "CapBnd:	00000000000035fb"
check_eq "control: audited with profile privileged-infra" "$(audit_profile hr-control)" "privileged-infra"

check "nothing left behind in the runc root" sh -c "! ls '$RUNC_ROOT' 2>/dev/null | grep -q ."
finish "integration(cri)"
