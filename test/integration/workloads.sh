#!/bin/bash
# Real software under the baseline policy (seccomp whitelist, dropped
# capabilities, read-only root, limits) through a real private dockerd:
# a Debian 12 userland built with debootstrap runs python3 (threads,
# subprocess, sockets, ssl), nginx, python's http.server and redis on
# published ports, postgresql on a volume as the postgres user, and a shell
# script; each is checked by a real request from the host.
. "$(dirname "$0")/lib.sh"

need_dockerd_suite
need_debian_userland bookworm
need_commands python3
work_dir work

# a bridge of our own (never docker0: the machine may run its own dockerd)
BR=hrbr$$
at_exit 'ip link del "$BR" 2>/dev/null'
ip link add "$BR" type bridge && ip addr add 10.213.7.1/24 dev "$BR" && ip link set "$BR" up
test_policy "$W/policy.json" "$W/audit.log"
start_dockerd workloads "$(shim_runtime hardened "$W/policy.json")" "$(jq -n --arg b "$BR" '{bridge: $b}')"
image_debian hr-debian
check "a Debian 12 image is built (debootstrap)" eval "$DOCKER image inspect hr-debian >/dev/null"

H="--runtime=hardened"
# get URL : the body, from the host
get() { python3 -c "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" "$1" 2>/dev/null; }
# wait_for CMD... : up to 20 s
wait_for() { local i; for i in $(seq 1 40); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }

# --- python3 ------------------------------------------------------------------
PY='
import os, socket, ssl, subprocess, threading
out = []
t = [threading.Thread(target=out.append, args=(i,)) for i in range(8)]
[x.start() for x in t]; [x.join() for x in t]
print("threads", sorted(out) == list(range(8)))
print("subprocess", subprocess.run(["sh", "-c", "echo $((6*7))"], capture_output=True, text=True).stdout.strip())
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept(); c.sendall(b"ping")
print("socket", a.recv(4).decode())
u = socket.socket(socket.AF_UNIX); u.close()
print("ssl", ssl.OPENSSL_VERSION.split()[0])
print("readonly-root", not os.access("/usr", os.W_OK))
print("seccomp-filter", "Seccomp:\t2" in open("/proc/self/status").read())
'
for flags in "" "--cap-add ALL --security-opt seccomp=unconfined"; do
  OUT=$($DOCKER run --rm $H $flags hr-debian python3 -c "$PY" 2>&1)
  check_eq "python3 threads, subprocess, sockets, ssl under the baseline${flags:+ ($flags)}" \
    "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "threads True subprocess 42 socket ping ssl OpenSSL readonly-root True seccomp-filter True "
done

# --- nginx on a published port --------------------------------------------------
# a read-only root needs writable state dirs: the user's own --tmpfs, as
# with `docker run --read-only`
NGINX=$($DOCKER run -d $H -p 127.0.0.1:18080:80 --tmpfs /var/lib/nginx --tmpfs /var/log/nginx \
  hr-debian nginx -g "daemon off;" 2>&1)
if ! wait_for get http://127.0.0.1:18080/; then
  $DOCKER logs "$NGINX" 2>&1 | tail -5 | sed 's/^/    /'
fi
check_contains "nginx serves a page on a published port" "$(get http://127.0.0.1:18080/)" "Welcome to nginx"
check_contains "nginx workers run as www-data" "$($DOCKER exec "$NGINX" sh -c 'ps -eo user,comm 2>/dev/null || cat /proc/[0-9]*/status' 2>&1)" "33"

# --- python http.server -------------------------------------------------------
PYSRV=$($DOCKER run -d $H -p 127.0.0.1:18081:8000 -w /tmp hr-debian sh -c \
  'echo hello-from-python > /tmp/index.html && exec python3 -m http.server 8000')
wait_for get http://127.0.0.1:18081/index.html
check_eq "python3 http.server answers" "$(get http://127.0.0.1:18081/index.html)" "hello-from-python"

# --- redis --------------------------------------------------------------------
REDIS=$($DOCKER run -d $H -p 127.0.0.1:16379:6379 -u redis hr-debian \
  redis-server --save '' --appendonly no --protected-mode no --dir /tmp)
redis_ping() {
  exec 3<>/dev/tcp/127.0.0.1/16379 || return 1
  printf 'PING\r\n' >&3
  local line=""
  read -r -t 5 line <&3
  exec 3<&-
  [ "${line%$'\r'}" = "+PONG" ]
}
wait_for redis_ping
check "redis-server answers PING from the host" redis_ping

# --- postgresql on a volume, as the postgres user ------------------------------
$DOCKER run --rm $H -v hrpg:/pgdata hr-debian sh -c 'mkdir -p /pgdata/db && chown postgres:postgres /pgdata/db'
PG=$($DOCKER run -d $H -u postgres -v hrpg:/pgdata -p 127.0.0.1:15432:5432 hr-debian sh -c '
  B=/usr/lib/postgresql/15/bin
  [ -s /pgdata/db/PG_VERSION ] || $B/initdb -D /pgdata/db -A trust >/tmp/initdb.log 2>&1 || { cat /tmp/initdb.log; exit 1; }
  exec $B/postgres -D /pgdata/db -k /tmp -c listen_addresses=*')
pg_query() { $DOCKER exec -u postgres "$PG" psql -h /tmp -At -c "$1" postgres 2>&1; }
wait_for sh -c "$DOCKER exec -u postgres $PG psql -h /tmp -At -c 'select 1' postgres | grep -qx 1"
check_eq "postgresql: initdb on a volume, started as postgres, answers a query" \
  "$(pg_query 'create table t (n int); insert into t select generate_series(1,100); select sum(n) from t;')" \
  "$(printf 'CREATE TABLE\nINSERT 0 100\n5050')"
check "postgresql: the port is published to the host" wait_for bash -c 'exec 3<>/dev/tcp/127.0.0.1/15432'
if [ "$FAIL" -gt 0 ]; then $DOCKER logs "$PG" 2>&1 | tail -5 | sed 's/^/    /'; fi

# --- a shell script -------------------------------------------------------------
OUT=$($DOCKER run --rm $H hr-debian bash -c '
  set -e
  for i in $(seq 1 100); do echo $i; done | awk "{s += \$1} END {print s}" > /tmp/sum
  (cd /tmp && tar cf s.tar sum && tar tf s.tar) && cat /tmp/sum
  sort -r <<< "$(printf "a\nc\nb")" | head -1; date +%s >/dev/null; id -un' 2>&1)
check_eq "a shell script (pipes, subshells, tar, awk)" "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "sum 5050 c root "

check "every decision is in the audit log" test "$(grep -c "\"outcome\"" "$W/audit.log")" -ge 8
finish "integration(workloads)"
