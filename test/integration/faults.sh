#!/bin/bash
# The shim killed (SIGKILL: no chance to clean up) at random points of
# create, hundreds of times: config.json is always either the original or
# the complete rewrite, never anything in between; the temporary file a
# killed shim leaves is removed by the next create.  And a full file
# system: refused, config.json untouched.
. "$(dirname "$0")/lib.sh"

need_root
need_commands jq
need_shim
work_dir faults

noop_runtime "$W/noop-runtime"
jq --arg a "$W/audit.log" --arg r "$W/noop-runtime" '.audit_log = $a | .runtime = $r' "$TOP/policy/default.json" > "$W/policy.json"
mkdir -p "$W/b"
jq --arg r "$W/rootfs" '.root.path = $r' "$TOP/test/fixtures/docker/default.json" > "$W/orig.json"

# the complete rewrite, from an undisturbed run
cp "$W/orig.json" "$W/b/config.json"
"$SHIM" --policy "$W/policy.json" create -b "$W/b" hr-fault >/dev/null 2>&1
cp "$W/b/config.json" "$W/complete.json"
check "the undisturbed create rewrote config.json" sh -c "! cmp -s '$W/orig.json' '$W/complete.json'"

ROUNDS=${FAULT_ROUNDS:-300}
orig=0 complete=0 other=0
for i in $(seq 1 "$ROUNDS"); do
  cp "$W/orig.json" "$W/b/config.json"
  # kill after 0.2 .. 8 ms: before reading, while rewriting, around the
  # rename, after it
  d=$(awk -v r="$RANDOM" 'BEGIN { printf "%.4f", 0.0002 + (r % 79) / 10000 }')
  timeout -s KILL "${d}s" "$SHIM" --policy "$W/policy.json" create -b "$W/b" hr-fault >/dev/null 2>&1
  if cmp -s "$W/b/config.json" "$W/orig.json"; then
    orig=$((orig + 1))
  elif cmp -s "$W/b/config.json" "$W/complete.json"; then
    complete=$((complete + 1))
  else
    other=$((other + 1))
    cp "$W/b/config.json" "$W/other-$i.json"
  fi
done 2>/dev/null
echo "    $ROUNDS kills: $orig left the original, $complete the complete rewrite, $other anything else"
check_eq "SIGKILL at random points: config.json is always the original or the complete rewrite" "$other" "0"
check "the kills landed both before and after the rename" test "$orig" -gt 0 -a "$complete" -gt 0
STALE=$(ls -A "$W/b" | grep -c '^\.config\.json\.hardened-runc\.' || true)
echo "    temporary files left by killed shims: $STALE"
# one more left by a dead writer (nobody holds its lock), and one whose
# writer is alive (holds the lock): only the first may go
touch "$W/b/.config.json.hardened-runc.1.0" "$W/b/.config.json.hardened-runc.2.0"
flock "$W/b/.config.json.hardened-runc.2.0" sleep 5 &
HOLDER=$!
sleep 0.3
cp "$W/orig.json" "$W/b/config.json"
"$SHIM" --policy "$W/policy.json" create -b "$W/b" hr-fault >/dev/null 2>&1
check "a temporary file whose writer is alive (locked) is left alone" test -e "$W/b/.config.json.hardened-runc.2.0"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
rm -f "$W/b/.config.json.hardened-runc.2.0"
check_eq "the next create removes what killed shims left" "$(ls -A "$W/b" | grep -c '^\.config\.json\.hardened-runc\.' || true)" "0"
check "... and rewrites config.json completely" cmp -s "$W/b/config.json" "$W/complete.json"

# a full file system: the rewrite cannot be written; refused, untouched
mkdir -p "$W/full"
mount -t tmpfs -o size=64k hr-full "$W/full"
cp "$W/orig.json" "$W/full/config.json"
head -c 40000 /dev/zero > "$W/full/filler" 2>/dev/null
OUT=$("$SHIM" --policy "$W/policy.json" create -b "$W/full" hr-full 2>&1); RC=$?
check "full file system: create refused (non-zero exit)" test "$RC" -ne 0
check_contains "full file system: says so" "$OUT" "No space left on device"
check "full file system: config.json untouched" cmp -s "$W/full/config.json" "$W/orig.json"
check_eq "full file system: no temporary file left" "$(ls -A "$W/full" | grep -c hardened-runc || true)" "0"

finish "integration(faults)"
