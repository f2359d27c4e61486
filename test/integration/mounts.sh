#!/bin/bash
# Mounts judged by what they are, with real runc: each bundle runs once
# under plain runc (where the attack must work, or the test proves nothing)
# and once through the shim (where it must be stopped, or refused with the
# rule's sentence).
. "$(dirname "$0")/lib.sh"

need_runc_suite
need_commands python3
work_dir mounts
# through the shim: runc delete also removes the bind staging
DELETE_CONTAINER=("$SHIM" delete -f)

make_rootfs "$W/rootfs"
mkdir -p "$W/rootfs/mnt" "$W/rootfs/scratch" "$W/rootfs/host"
test_policy "$W/policy.json" "$W/audit.log"

# bundle NAME JQ-EDIT SCRIPT : a bundle (runc spec, every capability) whose
# process runs SCRIPT, with JQ-EDIT applied to config.json
bundle() {
  runc_bundle "$W/$1" '.process.args = ["sh", "-c", $s] | dangerous($hostcaps) | '"$2" --arg s "$3"
  echo "$W/$1"
}

# both NAME JQ-EDIT SCRIPT : run it under plain runc (RUNC_OUT) and through
# the shim (SHIM_OUT, SHIM_RC, SHIM_ERR: the shim's log message)
both() {
  local b
  b=$(bundle "$1" "$2" "$3")
  cp -r "$b" "$b.runc"
  STARTED+=("hrm-$1-runc" "hrm-$1")
  RUNC_OUT=$(cd "$b.runc" && runc run --bundle "$b.runc" "hrm-$1-runc" 2>&1 < /dev/null)
  SHIM_OUT=$("$SHIM" --policy "$W/policy.json" --log "$b/log.json" --log-format json run --bundle "$b" "hrm-$1" \
    2>&1 < /dev/null)
  SHIM_RC=$?
  SHIM_ERR=$(tail -n 1 "$b/log.json" 2>/dev/null | jq -r .msg 2>/dev/null)
}

# --- mounts by type ---------------------------------------------------------
# a second proc at /mnt: neither masked nor read-only under plain runc
both proc-mnt '.mounts += [{destination: "/mnt", type: "proc", source: "proc"}]' \
  ': >> /mnt/sys/kernel/core_pattern && echo opened-for-writing'
check_contains "proc at /mnt: plain runc lets the container open /proc/sys for writing" "$RUNC_OUT" opened-for-writing
check "proc at /mnt: the shim refuses the container" test "$SHIM_RC" -ne 0
check_contains "proc at /mnt: with the rule's sentence" "$SHIM_ERR" \
  'refused by rule "mount_types": a proc filesystem is mounted at /mnt'
check "proc at /mnt: the container did not run" sh -c "! printf '%s' '$SHIM_OUT' | grep -q opened-for-writing"

# cgroup and sysfs without ro: the container can raise its own limits
CG=$(stat -f -c %T /sys/fs/cgroup)
if [ "$CG" = cgroup2fs ]; then LIMIT=/sys/fs/cgroup/pids.max; else LIMIT=/sys/fs/cgroup/pids/pids.max; fi
both cgroup-rw '.mounts |= map(if .type == "cgroup" or .type == "sysfs" then .options -= ["ro"] else . end)' \
  "if (: >> $LIMIT) 2>/dev/null; then echo limit-writable; else echo limit-readonly; fi"
check_contains "cgroup without ro: plain runc lets the container open $LIMIT for writing" "$RUNC_OUT" limit-writable
check_contains "cgroup without ro: read-only through the shim" "$SHIM_OUT" limit-readonly
check_eq "cgroup without ro: one change per mount in the audit log" \
  "$(jq -r 'select(.container == "hrm-cgroup-rw") | [.changes[] | select(.control == "mounts[/sys/fs/cgroup].options" or .control == "mounts[/sys].options")] | length' "$W/audit.log")" 2
check_contains "cgroup without ro: a mount_types finding" \
  "$(jq -r 'select(.container == "hrm-cgroup-rw") | .findings[]? | .rule + " " + .action' "$W/audit.log")" "mount_types mutate"

# a tmpfs asking for exec (docker --tmpfs /scratch:exec): noexec through the shim
both tmpfs-exec '.mounts += [{destination: "/scratch", type: "tmpfs", source: "tmpfs", options: ["exec", "mode=1777"]}]' \
  'cp /bin/busybox /scratch/true && /scratch/true && echo exec-ok || echo exec-denied'
check_contains "tmpfs with exec: plain runc runs a program from it" "$RUNC_OUT" exec-ok
check_contains "tmpfs with exec: noexec through the shim" "$SHIM_OUT" exec-denied
check_contains "tmpfs with exec: the change is audited" \
  "$(jq -r 'select(.container == "hrm-tmpfs-exec") | .changes[].control' "$W/audit.log")" "mounts[/scratch].options"

# --- bind sources judged by what they are -------------------------------------
bind_both() { # bind_both NAME SOURCE SCRIPT [DESTINATION]
  both "$1" ".mounts += [{destination: \"${4:-/x}\", type: \"bind\", source: \"$2\", options: [\"rbind\"]}]" "$3"
}
OPENW='if (: >> /x/FILE) 2>/dev/null; then echo opened-for-writing; else echo not-writable; fi'
refused() { # refused WHAT SENTENCE : plain runc did it, the shim refused
  check_contains "$1: plain runc lets the container do it" "$RUNC_OUT" opened-for-writing
  check "$1: the shim refuses the container" test "$SHIM_RC" -ne 0
  check_contains "$1: with the rule's sentence" "$SHIM_ERR" "$2"
}

# a Docker volume made with -o type=none -o o=bind -o device=/etc: its _data is /etc
mkdir -p "$W/volumes/etcvol/_data"
mount --bind /etc "$W/volumes/etcvol/_data"
bind_both data-is-etc "$W/volumes/etcvol/_data" "${OPENW/FILE/hostname}"
refused "a _data that is /etc" "the host path /etc (given as $W/volumes/etcvol/_data) is bind-mounted at /x; it is /etc"

# a relative source: runc takes it from the bundle directory, so does the shim
b=$(bundle relative '.mounts += [{destination: "/x", type: "bind", source: "hostetc", options: ["rbind"]}]' \
  "${OPENW/FILE/hostname}")
ln -s /etc "$b/hostetc"
mkdir -p "$W/elsewhere/hostetc"
cp -r "$b" "$b.runc"
STARTED+=(hrm-relative-runc hrm-relative)
RUNC_OUT=$(cd "$b.runc" && runc run --bundle "$b.runc" hrm-relative-runc 2>&1 < /dev/null)
SHIM_OUT=$(cd "$W/elsewhere" && "$SHIM" --policy "$W/policy.json" --log "$b/log.json" --log-format json run \
  --bundle "$b" hrm-relative 2>&1 < /dev/null)
SHIM_RC=$?
SHIM_ERR=$(tail -n 1 "$b/log.json" | jq -r .msg)
refused "a relative source (run from another directory)" "the host path /etc (given as hostetc) is bind-mounted at /x"

# a volume made with volume-opt type=proc: a bind of a proc mount is proc
mkdir -p "$W/volumes/procvol/_data"
mount -t proc proc "$W/volumes/procvol/_data"
bind_both data-is-proc "$W/volumes/procvol/_data" "${OPENW/FILE/sys/kernel/core_pattern}"
refused "a _data that is a proc mount" "refused by rule \"mount_types\": the host path $W/volumes/procvol/_data, bind-mounted at /x, is on a proc filesystem"

# a daemon socket at no standard path, and the directory holding it
mkdir -p "$W/sockdir"
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$W/sockdir/api.sock"
SOCKTEST='if [ -S /xs ] || [ -S /x/api.sock ]; then echo opened-for-writing; else echo no-socket; fi'
bind_both socket "$W/sockdir/api.sock" "$SOCKTEST" /xs
refused "a unix socket" "the host path $W/sockdir/api.sock is a unix socket bind-mounted at /xs"
bind_both socket-dir "$W/sockdir" "$SOCKTEST"
refused "a directory holding a unix socket" "holds the unix socket $W/sockdir/api.sock"
# one the operator lists in allowed_sockets passes, below /run too
RUNSOCK=$(mktemp -d /run/hr-mounts-sock.XXXXXX)
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$RUNSOCK/agent.sock"
jq --arg s "$RUNSOCK/agent.sock" '.profiles.baseline.allowed_sockets = [$s]' "$W/policy.json" > "$W/sock-policy.json"
b=$(bundle socket-allowed '.mounts += [{destination: "/agent.sock", type: "bind", source: "'"$RUNSOCK/agent.sock"'", options: ["rbind"]}]' \
  'test -S /agent.sock && echo socket-bound')
STARTED+=(hrm-socket-allowed)
OUT=$("$SHIM" --policy "$W/sock-policy.json" run --bundle "$b" hrm-socket-allowed 2>&1 < /dev/null)
check_contains "a socket on allowed_sockets below /run: bound" "$OUT" socket-bound
rm -rf "$RUNSOCK"

# Docker's init anywhere but read-only at /sbin/docker-init is a host binary
if [ -e /usr/bin/docker-init ]; then
  bind_both docker-init /usr/bin/docker-init \
    'if (: >> /xi) 2>/dev/null; then echo opened-for-writing; else echo not-writable; fi' /xi
  refused "docker-init bound writable elsewhere" "(given as /usr/bin/docker-init) is bind-mounted at /xi; it is inside /usr"
  b=$(bundle docker-init-ok '.mounts += [{destination: "/sbin/docker-init", type: "bind", source: "/usr/bin/docker-init", options: ["bind", "ro"]}]' \
    '/sbin/docker-init --version >/dev/null 2>&1; echo init-ran=$?')
  STARTED+=(hrm-docker-init-ok)
  OUT=$("$SHIM" --policy "$W/policy.json" run --bundle "$b" hrm-docker-init-ok 2>&1 < /dev/null)
  check_contains "docker-init read-only at /sbin/docker-init: allowed and runs" "$OUT" "init-ran=0"
fi

# a project directory below /home stays bindable
mkdir -p "$W/home-project"
bind_both project "$W/home-project" 'touch /x/made && echo project-rw'
check_contains "a plain directory: bound and writable through the shim" "$SHIM_OUT" project-rw

# --- read-only all the way down ------------------------------------------------
mkdir -p "$W/tree/sub"
mount -t tmpfs tmpfs "$W/tree/sub"
both rro '.mounts += [{destination: "/x", type: "bind", source: "'"$W/tree"'", options: ["rbind", "ro"]}]' \
  'if (: >> /x/sub/f) 2>/dev/null; then echo sub-writable; else echo sub-readonly; fi'
check_contains "ro on an rbind: plain runc leaves the mount below writable" "$RUNC_OUT" sub-writable
check_contains "ro on an rbind: read-only below through the shim (rro)" "$SHIM_OUT" sub-readonly
check_contains "ro on an rbind: the change is audited" \
  "$(jq -r 'select(.container == "hrm-rro") | .changes[].control' "$W/audit.log")" "mounts[/x].options"

# --- what was judged is what runc mounts (staging) -----------------------------
# The attacker's race, won every time: a runtime wrapper swaps the judged
# directory for a symbolic link to /etc just before runc runs.
mkdir -p "$W/swap/src"
echo judged > "$W/swap/src/marker"
cat > "$W/swap-runc" <<EOS
#!/bin/sh
case " \$* " in
  *" create "*|*" run "*) [ -L "$W/swap/src" ] || { mv "$W/swap/src" "$W/swap/judged" && ln -s /etc "$W/swap/src"; } ;;
esac
exec runc "\$@"
EOS
chmod 755 "$W/swap-runc"
jq --arg r "$W/swap-runc" '.runtime = $r' "$W/policy.json" > "$W/swap-policy.json"
SEE='if [ -e /x/marker ]; then echo saw-judged; elif [ -e /x/hostname ]; then echo saw-host-etc; else echo saw-other; fi'
b=$(bundle swap '.mounts += [{destination: "/x", type: "bind", source: "'"$W/swap/src"'", options: ["rbind"]}]' "$SEE")
cp -r "$b" "$b.runc"
STARTED+=(hrm-swap-runc hrm-swap)
RUNC_OUT=$("$W/swap-runc" run --bundle "$b.runc" hrm-swap-runc 2>&1 < /dev/null)
check_contains "swapped source: plain runc mounts the host's /etc" "$RUNC_OUT" saw-host-etc
rm -f "$W/swap/src"; mv "$W/swap/judged" "$W/swap/src"
SHIM_OUT=$("$SHIM" --policy "$W/swap-policy.json" run --bundle "$b" hrm-swap 2>&1 < /dev/null)
check_contains "swapped source: through the shim runc mounts what was judged" "$SHIM_OUT" saw-judged
check_contains "swapped source: config.json names the staging point" "$(jq -r '.mounts[] | select(.destination == "/x") | .source' "$b/config.json")" \
  "/run/hardened-runc/binds/hrm-swap/"
check_contains "swapped source: the change is audited" \
  "$(jq -r 'select(.container == "hrm-swap") | .changes[].control' "$W/audit.log")" "mounts[/x].source"

# staging lives until runc delete; a created container keeps its mounts
# when the staging of ended runtimes is cleaned by the next create
mkdir -p "$W/pinned"
echo kept > "$W/pinned/f"
PIN='.mounts += [{destination: "/x", type: "bind", source: "'"$W/pinned"'", options: ["rbind"]}]'
ba=$(bundle pin-a "$PIN" 'cat /x/f > /x/seen')
bb=$(bundle pin-b "$PIN" 'cat /x/f')
STARTED+=(hrm-pin-a hrm-pin-b)
"$SHIM" --policy "$W/policy.json" create --bundle "$ba" hrm-pin-a > /dev/null 2>&1 < /dev/null
check "created: its staging exists" test -d /run/hardened-runc/binds/hrm-pin-a
check "staging: root-only" test "$(stat -c %a:%u /run/hardened-runc/binds)" = 700:0
"$SHIM" --policy "$W/policy.json" create --bundle "$bb" hrm-pin-b > /dev/null 2>&1 < /dev/null
check "the next create cleaned the staging of the finished runtime" test ! -e /run/hardened-runc/binds/hrm-pin-a
runc start hrm-pin-a
for _ in $(seq 1 50); do [ -s "$W/pinned/seen" ] && break; sleep 0.1; done
check_eq "the created container still has its mount after the cleaning" "$(cat "$W/pinned/seen" 2>&1)" kept
"$SHIM" delete -f hrm-pin-b > /dev/null 2>&1
check "runc delete through the shim removes the staging" test ! -e /run/hardened-runc/binds/hrm-pin-b
check_eq "no staging mount left for them" "$(grep -c -e '/binds/hrm-pin-a/' -e '/binds/hrm-pin-b/' /proc/self/mountinfo)" 0

finish "integration(mounts)"
