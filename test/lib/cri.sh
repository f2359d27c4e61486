# A private containerd with its CRI plugin (the kubelet's path), for the
# suites that start pods: cri.sh and as-runc.sh (sourced; bash, after
# test/integration/lib.sh).  The CRI gRPC API is driven by
# test/cri/cri_client.py with python stubs generated from the project's own
# test/cri/cri.proto (Debian's python3-grpcio and python3-grpc-tools).
#
#   cri_stubs DIR          generate the stubs into DIR (the client's)
#   cri_images DIR         DIR/pause.tar and DIR/busybox.tar: docker-archive
#                          images hr.test/pause:1 (the sandbox) and
#                          hr.test/busybox:1, built from busybox-static
#   cri_config WORK SOCKDIR RUNC-RUNTIME-TOML
#                          WORK/config.toml: state in WORK, sockets in
#                          SOCKDIR (short: unix socket paths), CNI ptp with
#                          host-local addresses, the sandbox image above;
#                          RUNC-RUNTIME-TOML is the body of the "runc"
#                          runtime's section (the default handler)
#   cri_start WORK SOCKDIR start containerd on WORK/config.toml and wait
#                          until the plugin answers Version (30 s)
#   cri_import DIR         import DIR's two images into k8s.io
#   cri_up WORK SOCKDIR RUNC-RUNTIME-TOML
#                          all of the above; non-zero (with containerd's
#                          log) when something fails
#   cri ARGS...            the client (see test/cri/cri_client.py)
#   cri_stop               kill what the pods left, stop containerd by pid
. "$TOP/test/lib/containerd.sh"

CRI_PY=/usr/bin/python3 # Debian's, where python3-grpcio is installed
CRI_STUBS=""

cri() { $CRI_PY "$TOP/test/cri/cri_client.py" "$CTRD_SOCK" "$CRI_STUBS" "$@"; }

cri_stubs() {
  CRI_STUBS=$1
  mkdir -p "$1"
  $CRI_PY -m grpc_tools.protoc -I"$TOP/test/cri" --python_out="$1" --grpc_python_out="$1" "$TOP/test/cri/cri.proto"
}

# image_tar NAME OUT CONFIG-JSON
image_tar() {
  local name=$1 out=$2 config=$3 d diff
  d=$(mktemp -d "$(dirname "$out")/img.XXXXXX")
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

cri_images() {
  mkdir -p "$1"
  image_tar hr.test/pause:1 "$1/pause.tar" '{"Env": ["PATH=/bin"], "Cmd": ["/bin/sleep", "2147483647"], "User": "65535:65535"}'
  image_tar hr.test/busybox:1 "$1/busybox.tar" '{"Env": ["PATH=/bin"], "Cmd": ["/bin/sh"]}'
}

cri_config() {
  local w=$1 s=$2
  mkdir -p "$w/net.d"
  jq -n --arg d "$w/cni-ipam" '{cniVersion: "0.4.0", name: "hr-cri", plugins: [{type: "ptp", ipMasq: false,
    ipam: {type: "host-local", subnet: "10.254.77.0/24", dataDir: $d}}]}' > "$w/net.d/10-hr-cri.conflist"
  { echo "version = 2"; containerd_paths_toml "$w/root" "$s/state" "$s/c.sock"; } > "$w/config.toml"
  cat >> "$w/config.toml" <<EOF
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
$3
EOF
}

cri_start() {
  containerd_start "$1/config.toml" "$2/c.sock" "$1/containerd.log"
  for _ in $(seq 1 60); do cri version 2>/dev/null | grep -q runtime_api_version && return 0; sleep 0.5; done
  return 1
}

cri_import() {
  local img
  for img in pause busybox; do
    ctr -a "$CTRD_SOCK" -n k8s.io images import "$1/$img.tar" >/dev/null || return 1
  done
}

cri_up() {
  mkdir -p "$1" "$2"
  if cri_stubs "$1/stubs" && cri_images "$1/images" && cri_config "$1" "$2" "$3" && cri_start "$1" "$2" \
    && cri_import "$1/images"; then
    return 0
  fi
  tail -n 20 "$1/containerd.log" 2>/dev/null
  return 1
}

cri_stop() { containerd_stop k8s.io default; }
