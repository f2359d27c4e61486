# A private dockerd for tests and the demo (sourced; bash).
#   dockerd_start WORKDIR RUNTIMES_JSON   start it; sets DOCKER and CONTAINERD_SOCK
#   dockerd_stop                          stop it by its pid, clean up (idempotent)
#   image_busybox NAME                    import a busybox image built from busybox-static
# Never touches the system's dockerd or /var/run/docker.sock: everything
# lives under WORKDIR and a short exec-root (unix socket paths are short).

DOCKERD_PID=""
DOCKERD_DIR=""
DOCKERD_EXEC=""

dockerd_start() {
  local dir=$1 runtimes=$2 i
  DOCKERD_DIR=$dir
  mkdir -p "$dir/data"
  DOCKERD_EXEC=$(mktemp -d /run/hrd.XXXXXX)
  # no default bridge and no iptables rules: tests need no network, and
  # nothing of the host's network is touched
  jq -n --argjson r "$runtimes" '{runtimes: $r, bridge: "none", iptables: false,
    "ip-masq": false, "log-level": "warn"}' > "$dir/daemon.json"
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
  for d in "$DOCKERD_DIR" "$DOCKERD_EXEC"; do
    [ -n "$d" ] || continue
    grep -o " $d[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  done
  [ -n "$DOCKERD_EXEC" ] && rm -rf "$DOCKERD_EXEC"
  [ -n "$DOCKERD_DIR" ] && rm -rf "$DOCKERD_DIR"
  return 0
}

image_busybox() {
  local name=$1 d
  $DOCKER image inspect "$name" >/dev/null 2>&1 && return 0
  d=$(mktemp -d /tmp/hr-bb.XXXXXX)
  mkdir -p "$d/bin" "$d/etc" "$d/tmp" "$d/var/tmp" "$d/run" "$d/root" "$d/home/user"
  chmod 1777 "$d/tmp"
  cp /bin/busybox "$d/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n' > "$d/etc/passwd"
  printf 'root:x:0:\nuser:x:1000:\n' > "$d/etc/group"
  tar -C "$d" -c . | $DOCKER import -c 'ENV PATH=/bin' - "$name" >/dev/null
  rm -rf "$d"
}
