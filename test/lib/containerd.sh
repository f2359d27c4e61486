# A private containerd for tests (sourced; bash).
#   containerd_start CONFIG SOCKET LOG   start it with CONFIG (whose grpc
#                                        address is SOCKET), output to LOG
#   containerd_paths_toml ROOT STATE SOCKET
#                                        the config lines that keep it private:
#                                        its root and state directories, its
#                                        grpc and ttrpc sockets
#   containerd_stop NAMESPACE...         kill the tasks and remove the
#                                        containers of each namespace, stop
#                                        it by its pid (idempotent)
# Waiting until it answers is the caller's: over ctr or over the CRI.

CTRD_PID=""
CTRD_SOCK=""

containerd_start() {
  CTRD_SOCK=$2
  containerd --config "$1" > "$3" 2>&1 &
  CTRD_PID=$!
}

containerd_paths_toml() {
  printf 'root = "%s"\nstate = "%s"\n[grpc]\n  address = "%s"\n[ttrpc]\n  address = "%s.ttrpc"\n' "$1" "$2" "$3" "$3"
}

containerd_stop() {
  local ns
  [ -n "$CTRD_PID" ] || return 0
  for ns in "$@"; do
    ctr -a "$CTRD_SOCK" -n "$ns" tasks ls -q 2>/dev/null \
      | xargs -r -I{} ctr -a "$CTRD_SOCK" -n "$ns" tasks kill -s KILL {} >/dev/null 2>&1
  done
  sleep 0.5
  for ns in "$@"; do
    ctr -a "$CTRD_SOCK" -n "$ns" containers ls -q 2>/dev/null \
      | xargs -r -I{} ctr -a "$CTRD_SOCK" -n "$ns" containers rm {} >/dev/null 2>&1
  done
  kill -TERM "$CTRD_PID" 2>/dev/null
  for _ in $(seq 1 20); do kill -0 "$CTRD_PID" 2>/dev/null || break; sleep 0.25; done
  kill -KILL "$CTRD_PID" 2>/dev/null
  wait "$CTRD_PID" 2>/dev/null
  CTRD_PID=""
  return 0
}
