# A private containerd with its CRI plugin (the kubelet's path), for the
# suites that start pods: cri.sh and as-runc.sh.  The CRI gRPC API is
# driven by test/cri/cri_client.py with python stubs generated from the
# project's own test/cri/cri.proto (Debian's python3-grpcio and
# python3-grpc-tools).  Source after lib.sh and dockerd.sh (busybox_tree).
#
#   cri_start WORK SOCKDIR RUNC-RUNTIME-TOML
#       WORK holds the state and logs, SOCKDIR (short: unix socket paths)
#       the sockets; RUNC-RUNTIME-TOML is the body of the runc runtime's
#       section (runtime_type, annotations, [...options]).  Sets CRI_PID.
#       Imports hr.test/pause:1 (the sandbox image) and hr.test/busybox:1
#       into k8s.io.  Returns non-zero when the plugin does not answer.
#   cri ARGS...        the client (see test/cri/cri_client.py)
#   cri_stop           kills what the pods left, stops containerd (by pid)
#   image_tar NAME OUT CONFIG-JSON   a docker-archive tarball of busybox

CRI_PY=/usr/bin/python3 # Debian's, where python3-grpcio is installed
CRI_PID=""
CRI_WORK=""
CRI_SOCKDIR=""

cri() { $CRI_PY "$TOP/test/cri/cri_client.py" "$CRI_SOCKDIR/c.sock" "$CRI_WORK/stubs" "$@"; }

# image_tar NAME OUT CONFIG-JSON
image_tar() {
  local name=$1 out=$2 config=$3 d diff
  d=$(mktemp -d "${CRI_WORK:-/tmp}/img.XXXXXX")
  busybox_tree "$d/rootfs"
  mkdir -p "$d/rootfs/proc" "$d/rootfs/sys" "$d/rootfs/dev" "$d/rootfs/etc"
  tar -C "$d/rootfs" -cf "$d/layer.tar" .
  diff=$(sha256sum "$d/layer.tar" | cut -d' ' -f1)
  jq -n --argjson c "$config" --arg d "sha256:$diff" \
    '{architecture: "amd64", os: "linux", config: $c, rootfs: {type: "layers", diff_ids: [$d]}}' > "$d/config.json"
  jq -n --arg n "$name" '[{Config: "config.json", RepoTags: [$n], Layers: ["layer.tar"]}]' > "$d/manifest.json"
  tar -C "$d" -cf "$out" manifest.json config.json layer.tar
  rm -rf "$d"
}

cri_start() {
  local w=$1 s=$2 runtime=$3 img
  CRI_WORK=$w
  CRI_SOCKDIR=$s
  mkdir -p "$w/stubs" "$w/net.d"
  $CRI_PY -m grpc_tools.protoc -I"$TOP/test/cri" --python_out="$w/stubs" --grpc_python_out="$w/stubs" \
    "$TOP/test/cri/cri.proto" || return 1
  image_tar hr.test/pause:1 "$w/pause.tar" '{"Env": ["PATH=/bin"], "Cmd": ["/bin/sleep", "2147483647"], "User": "65535:65535"}'
  image_tar hr.test/busybox:1 "$w/busybox.tar" '{"Env": ["PATH=/bin"], "Cmd": ["/bin/sh"]}'
  # CNI: ptp with addresses from host-local, state in the work directory
  jq -n --arg d "$w/cni-ipam" '{cniVersion: "0.4.0", name: "hr-cri", plugins: [{type: "ptp", ipMasq: false,
    ipam: {type: "host-local", subnet: "10.254.77.0/24", dataDir: $d}}]}' > "$w/net.d/10-hr-cri.conflist"
  cat > "$w/config.toml" <<EOF
version = 2
root = "$w/root"
state = "$s/state"
[grpc]
  address = "$s/c.sock"
[ttrpc]
  address = "$s/c.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$w/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "hr.test/pause:1"
  # the sandbox asks for oom_score_adj -998, which needs CAP_SYS_RESOURCE
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$w/net.d"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
$runtime
EOF
  containerd --config "$w/config.toml" > "$w/containerd.log" 2>&1 &
  CRI_PID=$!
  for _ in $(seq 1 60); do cri version >/dev/null 2>&1 && break; sleep 0.5; done
  if ! cri version 2>/dev/null | grep -q runtime_api_version; then
    tail -n 20 "$w/containerd.log"
    return 1
  fi
  for img in pause busybox; do
    ctr -a "$s/c.sock" -n k8s.io images import "$w/$img.tar" >/dev/null || return 1
  done
}

cri_stop() {
  local ns
  [ -n "$CRI_PID" ] || return 0
  for ns in k8s.io default; do
    ctr -a "$CRI_SOCKDIR/c.sock" -n $ns tasks ls -q 2>/dev/null \
      | xargs -r -I{} ctr -a "$CRI_SOCKDIR/c.sock" -n $ns tasks kill -s KILL {} >/dev/null 2>&1
  done
  sleep 0.5
  ctr -a "$CRI_SOCKDIR/c.sock" -n default containers ls -q 2>/dev/null \
    | xargs -r -I{} ctr -a "$CRI_SOCKDIR/c.sock" -n default containers rm {} >/dev/null 2>&1
  kill -TERM "$CRI_PID" 2>/dev/null
  for _ in $(seq 1 20); do kill -0 "$CRI_PID" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$CRI_PID" 2>/dev/null
  wait "$CRI_PID" 2>/dev/null
  CRI_PID=""
}
