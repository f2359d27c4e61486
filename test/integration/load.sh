#!/bin/bash
# Load through a real private dockerd: rounds of 32 concurrent
# `docker run --runtime=hardened`: every container runs, hardened, and each
# decision leaves exactly one well-formed audit line (concurrent shims
# append with one write(2) each; none is lost or split).
. "$(dirname "$0")/lib.sh"

need_dockerd_suite
work_dir load
test_policy "$W/policy.json" "$W/audit.log"
start_dockerd load "$(shim_runtime hardened "$W/policy.json")"
image_busybox hr-busybox

PAR=${LOAD_PARALLEL:-32}
ROUNDS=${LOAD_ROUNDS:-3}
FAILED=0
for r in $(seq 1 "$ROUNDS"); do
  PIDS=()
  for i in $(seq 1 "$PAR"); do
    ( OUT=$($DOCKER run --rm --runtime=hardened --cap-add ALL hr-busybox sh -c \
        'grep CapBnd /proc/self/status; touch /x 2>/dev/null || echo ro' 2>&1)
      case "$OUT" in *"CapBnd:	00000000000005fb"*ro*) echo ok ;; *) echo "FAILED: $OUT" ;; esac ) > "$W/r$r-$i.out" &
    PIDS+=($!)
  done
  wait "${PIDS[@]}" # not dockerd, a background job of this shell too
  n=$(cat "$W"/r"$r"-*.out | grep -c '^ok$')
  echo "    round $r: $n of $PAR containers ran hardened"
  FAILED=$((FAILED + PAR - n))
done
grep -h FAILED "$W"/r*.out | head -3 | sed 's/^/    /'
check_eq "$ROUNDS rounds of $PAR concurrent docker run: zero failures" "$FAILED" "0"

TOTAL=$((PAR * ROUNDS))
check_eq "one audit line per create" "$(grep -c '"subcommand":"create"' "$W/audit.log")" "$TOTAL"
check_eq "every audit line is well-formed JSON" "$(jq -c . "$W/audit.log" 2>/dev/null | wc -l)" "$(wc -l < "$W/audit.log")"
check_eq "one create line per container" "$(jq -r 'select(.subcommand == "create") | .container' "$W/audit.log" | sort -u | wc -l)" \
  "$TOTAL"
R=$("$SHIM" report --json "$W/audit.log")
check_eq "report agrees: containers seen and changed, nothing damaged" \
  "$(jq -r '"\(.containers_seen) \(.containers_changed) \(.damaged_lines)"' <<< "$R")" "$TOTAL $TOTAL 0"

finish "integration(load)"
