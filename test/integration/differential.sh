#!/bin/bash
# Differential test of the command line: for every option the shim models,
# a table of spellings (booleans in every form Go accepts and some it
# refuses; numbers with signs, leading zeros, bases, underscores and
# overflow; users by number, name and uid:gid; "--" and option orders) is
# given to real runc and to the shim, and what happened is observed from
# inside the container (/proc/self/status, the cgroup files, the working
# directory, the descriptors) or from runc's state.
#
# 1. With an audit-mode policy the shim rebuilds runc's input from its own
#    parse but changes nothing: every spelling must end the same way under
#    both (same observations, or help printed by both, or refused by both).
# 2. With the enforcing policy, what runc did is what the shim judged: a
#    spelling that makes runc run the process as uid 0 is refused under the
#    restricted profile, NoNewPrivs is 1 whatever --no-new-privs says, and
#    an update's pids limit is the one runc would set, capped at the
#    profile's maximum.
. "$(dirname "$0")/lib.sh"

need_runc_suite
work_dir diff
C=hr-diff-$$
STARTED+=("$C")
# and the containers the spellings start
at_exit 'for id in $(runc list -q 2>/dev/null | grep "^hr-diffrun-$$-"); do runc delete -f "$id" >/dev/null 2>&1; done'

make_rootfs "$W/rootfs"
test_policy "$W/enforce.json" "$W/audit.log"
jq '.mode = "audit"' "$W/enforce.json" > "$W/audit.json"

runc_bundle "$W/b" '.root.readonly = false | .process.args = ["sleep", "100000"]
  | .process.capabilities.bounding = $hostcaps | .process.noNewPrivileges = false'
runc run -d --bundle "$W/b" "$C" > /dev/null 2>&1 < /dev/null
need "a container started by plain runc" test "$(runc state "$C" 2>/dev/null | jq -r .status)" = running

OBS='grep -E "^(Uid|Gid|Groups|NoNewPrivs|CapEff|CapAmb):" /proc/self/status; echo "cwd=$(pwd) A=${A-unset} fds=$(ls /proc/self/fd | wc -l)"'
COMPARED=0 BOTH_REJECTED=0 SHIM_REFUSED=0 HELP=0

# outcome CMD... : "help", "ran|<what the process saw>" or "rejected";
# what was printed is left in $W/last.err
outcome() {
  local out rc
  out=$("$@" 3</dev/null 4</dev/null 2>&1 < /dev/null)
  rc=$?
  printf '%s' "$out" > "$W/last.err"
  if [ $rc = 0 ] && [[ $out == *"USAGE:"* ]]; then echo help
  elif [ $rc = 0 ] && [[ $out == *"Uid:"* || $out == *"ran="* || $out == *"pids="* ]]; then
    echo "ran|$(printf '%s' "$out" | grep -E '^(Uid|Gid|Groups|NoNewPrivs|CapEff|CapAmb|cwd|ran|pids|mem|shares)' | tr '\t\n' ' ;')"
  else echo rejected
  fi
}

# compare DESCRIPTION RUNC-OUTCOME SHIM-OUTCOME
compare() {
  COMPARED=$((COMPARED + 1))
  if [ "$2" = rejected ] && [ "$3" = rejected ]; then
    BOTH_REJECTED=$((BOTH_REJECTED + 1))
    grep -q 'hardened-runc:' "$W/last.err" && SHIM_REFUSED=$((SHIM_REFUSED + 1))
  fi
  [ "$2" = help ] && HELP=$((HELP + 1))
  if [ "$2" = "$3" ]; then ok "$1: ${2%%|*}"; else bad "$1: runc [$2], shim [$3] ($(head -c 300 "$W/last.err"))"; fi
}

# exec_case ARGS... : "@ID" is the container, "@CMD" the observing command
expand() {
  EXP=()
  for a in "$@"; do
    case "$a" in
      @ID) EXP+=("$C") ;;
      @CMD) EXP+=(sh -c "$OBS") ;;
      *) EXP+=("$a") ;;
    esac
  done
}
exec_case() {
  local r s
  expand "$@"
  r=$(outcome runc exec "${EXP[@]}")
  s=$(outcome "$SHIM" --policy "$W/audit.json" exec "${EXP[@]}")
  compare "exec $*" "$r" "$s"
  EXEC_RUNC=$r
}

# ---- exec: booleans, help, users, numbers, orders ------------------------
GOOD_BOOLS="1 t T TRUE true True 0 f F FALSE false False"
BAD_BOOLS="yes no tRUE 2 on FaLsE"
for form in --no-new-privs -no-new-privs; do
  exec_case "$form" @ID @CMD
  for v in $GOOD_BOOLS $BAD_BOOLS ""; do exec_case "$form=$v" @ID @CMD; done
done
exec_case --no-new-privs false @ID @CMD   # a boolean takes no separate value: "false" is the id
# enforcing, baseline profile: no spelling gets NoNewPrivs 0
for v in $GOOD_BOOLS; do
  expand -u 1000 "--no-new-privs=$v" @ID @CMD
  s=$(outcome "$SHIM" --policy "$W/enforce.json" exec "${EXP[@]}")
  check_contains "exec --no-new-privs=$v (enforcing): NoNewPrivs 1" "$s" "NoNewPrivs: 1"
done
for form in --help -help -h --h; do exec_case "$form" @ID @CMD; done
for v in $GOOD_BOOLS $BAD_BOOLS; do exec_case "--help=$v" @ID @CMD; exec_case "-h=$v" @ID @CMD; done
exec_case -t=false @ID @CMD
exec_case --tty=0 @ID @CMD
exec_case --tty=maybe @ID @CMD

USERS="0 00 +0 -0 0:0 00:00 0:1000 1000 01000 +1000 1000:1000 1000:0 1000:+0 4294967296 4294967297 4294968296
  -4294967296 -4294966296 9223372036854775807 9223372036854775808 root user 0x0 0o0 1_000 0: :0 1000:abc 1000:: 1e3"
for u in $USERS; do
  exec_case -u "$u" @ID @CMD
  exec_case "--user=$u" @ID @CMD
  # enforcing, restricted profile: whatever spelling runc runs as uid 0 (or
  # group 0) is refused; any other runs as the uid runc would use
  case "$EXEC_RUNC" in
    ran*)
      uid=$(printf '%s' "$EXEC_RUNC" | sed -n 's/.*Uid: \([0-9]*\).*/\1/p')
      gid=$(printf '%s' "$EXEC_RUNC" | sed -n 's/.*Gid: \([0-9]*\).*/\1/p')
      expand --user="$u" @ID @CMD
      s=$(outcome "$SHIM" --policy "$W/enforce.json" --profile restricted exec "${EXP[@]}")
      if [ "$uid" = 0 ]; then
        check "exec --user=$u (runc: uid 0), restricted: refused by run_as_root" \
          grep -q 'refused by rule "run_as_root"' "$W/last.err"
      elif [ "$gid" = 0 ]; then
        # the container's process runs as 0:0; a uid alone keeps group 0
        check "exec --user=$u (runc: gid 0), restricted: refused by root_group" \
          grep -q 'refused by rule "root_group"' "$W/last.err"
      else
        check_eq "exec --user=$u, restricted: the uid runc uses" "$(printf '%s' "$s" | sed -n 's/.*Uid: \([0-9]*\).*/\1/p')" "$uid"
      fi
      ;;
  esac
done
for u in "" " 0" "0 " "1000 "; do exec_case --user "$u" @ID @CMD; done
exec_case -u 1000 --user 0 @ID @CMD          # two forms of one option
exec_case -u 0 -u 1000 @ID @CMD              # the last one wins
exec_case -u 1000 -u 0 @ID @CMD
exec_case -u 1000 -- @ID @CMD
exec_case -- @ID @CMD
exec_case @ID -u 0 @CMD                      # after the id: the command
exec_case -user 1000 -no-new-privs=false @ID @CMD
for g in 5 05 +5 0x5 -1 1_0 4294967301 ""; do exec_case -u 1000 -g "$g" @ID @CMD; done
exec_case -u 1000 -g 5 --additional-gids 6 @ID @CMD
exec_case -u 1000 --additional-gids=5 --additional-gids=7 @ID @CMD
for cap in CAP_NET_RAW CAP_SYS_ADMIN NET_RAW CAP_NOPE; do exec_case -c "$cap" @ID @CMD; exec_case "--cap=$cap" @ID @CMD; done
exec_case -e A=1 @ID @CMD
exec_case --env=A=1 -e A=2 @ID @CMD
exec_case --env A=1 --env A=2 @ID @CMD
exec_case --cwd /tmp @ID @CMD
exec_case --cwd= @ID @CMD
exec_case -cwd=/etc @ID @CMD
for n in 0 00 0x0 +0 -1 -9 0_0 1 01 0x1 0b1 0o1 +1 08 1.0 0x 2 4294967297; do exec_case "--preserve-fds=$n" @ID @CMD; done
exec_case --preserve-fds 1 @ID @CMD
exec_case --nope @ID @CMD
exec_case ---user=0 @ID @CMD
exec_case -p= -u 1000 @ID @CMD               # an empty --process: the options count

# ---- update: numbers and sizes, observed in the cgroup -------------------
cg() { runc exec "$C" sh -c 'echo "pids=$(cat /sys/fs/cgroup/pids/pids.max) mem=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) shares=$(cat /sys/fs/cgroup/cpu/cpu.shares)"'; }
reset_limits() { runc update --pids-limit 777 --memory 200m --memory-swap -1 --cpu-share 1000 "$C" > /dev/null 2>&1; }
# update_case POLICY ARGS... ("@ID" is the container)
update_outcome() {
  local pol=$1 rc
  shift
  expand "$@"
  reset_limits
  if [ "$pol" = runc ]; then runc update "${EXP[@]}" > "$W/u.out" 2>&1; rc=$?
  else "$SHIM" --policy "$pol" update "${EXP[@]}" > "$W/u.out" 2>&1; rc=$?; fi
  cp "$W/u.out" "$W/last.err"
  if [ $rc = 0 ] && grep -q 'USAGE:' "$W/u.out"; then echo help
  elif [ $rc = 0 ]; then echo "ran|$(cg)"
  else echo rejected; fi
}
update_case() {
  local r s e want
  r=$(update_outcome runc "$@")
  s=$(update_outcome "$W/audit.json" "$@")
  compare "update $*" "$r" "$s"
  # enforcing: the pids limit runc would have set, capped at 4096
  case "$r" in
    ran*)
      e=$(update_outcome "$W/enforce.json" "$@")
      want=$(printf '%s' "$r" | sed -n 's/.*pids=\([^ ]*\).*/\1/p')
      { [ "$want" = max ] || [ "$want" -gt 4096 ]; } && want=4096
      check_eq "update $* (enforcing): the pids limit judged is the one set" \
        "$(printf '%s' "$e" | sed -n 's/.*pids=\([^ ]*\).*/\1/p')" "$want"
      ;;
  esac
}
NUMS="100 0100 0x64 0X64 0o144 0b1100100 +100 -1 1_00 0x_64 0 08 1e2 100.0 9999 4096_1 -0x1 4194304 0x7fffffffffffffff"
for n in $NUMS; do update_case --pids-limit "$n" @ID; done
for n in "" 9223372036854775808 " 100"; do update_case --pids-limit="$n" @ID; done
update_case @ID --pids-limit 300
update_case @ID -pids-limit=0x12c
update_case --pids-limit 300 @ID --pids-limit 301
SIZES="64m 64M 64mb 64MiB 67108864 64.5m 0.5g 1.2.3m -1 -2 64x 65536k 1e9 +64m 64kk 0x4000000 100000000000000"
for m in $SIZES; do update_case --memory "$m" @ID; done
update_case --memory "64 m" @ID
update_case --memory= @ID
for s in 512 0512 +512 0x200 1_024 -1 "" 2 18446744073709551615; do update_case --cpu-share "$s" @ID; done
update_case --help=false --pids-limit 123 @ID
update_case --help --pids-limit 123 @ID
update_case -h=0 --pids-limit 124 @ID

# ---- run: booleans, numbers and orders, from runc's state -----------------
mkdir -p "$W/r"
jq '.process.args = ["sh", "-c", "echo ran=$(ls /proc/self/fd | wc -l)"]' "$W/b/config.json" > "$W/r/config.json"
run_outcome() {
  local pol=$1 id o
  shift
  id=hr-diffrun-$$-$BASHPID # run in $(...): a fresh subshell each time
  EXP=()
  for a in "$@"; do case "$a" in @ID) EXP+=("$id") ;; @B) EXP+=("$W/r") ;; *) EXP+=("$a") ;; esac; done
  if [ "$pol" = runc ]; then o=$(outcome runc run "${EXP[@]}")
  else o=$(outcome "$SHIM" --policy "$pol" run "${EXP[@]}"); fi
  if [ "$o" != help ] && [ "$o" != rejected ]; then
    if runc state "$id" > /dev/null 2>&1; then o="$o kept"; else o="$o deleted"; fi
  fi
  runc delete -f "$id" > /dev/null 2>&1
  echo "$o"
}
run_case() {
  local r s
  r=$(run_outcome runc "$@")
  s=$(run_outcome "$W/audit.json" "$@")
  compare "run $*" "$r" "$s"
}
for v in $GOOD_BOOLS $BAD_BOOLS; do run_case "--keep=$v" -b @B @ID; done
run_case --keep -b @B @ID
for form in --help -h "--help=false" "-h=0" "--help=1" "-help=F"; do run_case "$form" -b @B @ID; done
for n in 0 00 0x1 +1 -1 0_1 08 2 4294967297; do run_case "--preserve-fds=$n" -b @B @ID; done
run_case --bundle @B @ID
run_case @ID --bundle @B
run_case -b @B -- @ID
run_case --no-pivot=false @ID --bundle @B
run_case --keep @ID -b @B               # the boolean takes the id along: runc sees no id
run_case -b @B --bundle @B @ID          # two forms of one option
run_case -b @B @ID extra

echo "differential: $COMPARED spellings compared with runc $(runc --version | head -n 1 | cut -d' ' -f3) ($BOTH_REJECTED rejected by both, $SHIM_REFUSED of them by the shim itself; $HELP help)"
finish "integration(differential)"
