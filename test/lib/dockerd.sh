# A private dockerd for tests and the demo (sourced; bash).
#   dockerd_start WORKDIR RUNTIMES_JSON [DAEMON_JSON]
#                                         start it (DAEMON_JSON: keys merged
#                                         into daemon.json); sets DOCKER and
#                                         CONTAINERD_SOCK
#   dockerd_stop                          stop it by its pid, clean up (idempotent)
#   image_busybox NAME                    import a busybox image built from busybox-static
#   image_debian NAME                     import a Debian 12 userland (debootstrap,
#                                         cached as a tarball between runs)
# Never touches the system's dockerd or /var/run/docker.sock: everything
# lives under WORKDIR and a short exec-root (unix socket paths are short).

. "$(dirname "${BASH_SOURCE[0]}")/userland.sh"
. "$(dirname "${BASH_SOURCE[0]}")/trees.sh"

DOCKERD_PID=""
DOCKERD_DIR=""
DOCKERD_EXEC=""

dockerd_start() {
  local dir=$1 runtimes=$2 extra=${3:-'{}'} i
  DOCKERD_DIR=$dir
  mkdir -p "$dir/data"
  DOCKERD_EXEC=$(mktemp -d /run/hrd.XXXXXX)
  # no default bridge and no iptables rules: tests need no network, and
  # nothing of the host's network is touched
  jq -n --argjson r "$runtimes" --argjson x "$extra" '{runtimes: $r, bridge: "none", iptables: false,
    "ip-masq": false, "log-level": "warn"} + $x' > "$dir/daemon.json"
  /usr/sbin/dockerd --data-root "$dir/data" --exec-root "$DOCKERD_EXEC" --pidfile "$dir/dockerd.pid" \
    -H "unix://$DOCKERD_EXEC/docker.sock" --config-file "$dir/daemon.json" > "$dir/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  DOCKER="/usr/bin/docker -H unix://$DOCKERD_EXEC/docker.sock"
  CONTAINERD_SOCK="$DOCKERD_EXEC/containerd/containerd.sock"
  export DOCKER CONTAINERD_SOCK
  for i in $(seq 1 120); do
    if $DOCKER info >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$DOCKERD_PID" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "dockerd did not come up; its log:" >&2
  tail -n 30 "$dir/dockerd.log" >&2
  return 1
}

dockerd_stop() {
  local i
  [ -n "$DOCKERD_PID" ] || return 0
  if kill -0 "$DOCKERD_PID" 2>/dev/null; then
    $DOCKER ps -aq 2>/dev/null | xargs -r $DOCKER rm -f >/dev/null 2>&1
    kill -TERM "$DOCKERD_PID" 2>/dev/null
    for i in $(seq 1 40); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$DOCKERD_PID" 2>/dev/null
    wait "$DOCKERD_PID" 2>/dev/null
  fi
  DOCKERD_PID=""
  # leftover mounts of the daemon's own (overlay layers, netns, shm)
  remove_tree "$DOCKERD_DIR" "$DOCKERD_EXEC"
}

image_busybox() {
  local name=$1 d
  $DOCKER image inspect "$name" >/dev/null 2>&1 && return 0
  d=$(mktemp -d /tmp/hr-bb.XXXXXX)
  busybox_tree "$d"
  tar -C "$d" -c . | $DOCKER import -c 'ENV PATH=/bin' - "$name" >/dev/null
  rm -rf "$d"
}

# The Debian userland the workload tests run (test/lib/userland.sh)
DEBIAN_PKGS="nginx-light,python3,redis-server,postgresql"
image_debian() {
  local name=$1 tar
  $DOCKER image inspect "$name" >/dev/null 2>&1 && return 0
  tar=$(debian_tarball bookworm "$DEBIAN_PKGS") || return 1
  $DOCKER import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$tar" "$name" >/dev/null
}
