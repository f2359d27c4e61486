#!/bin/bash
# The operator's side: concurrent decisions each leave exactly one
# well-formed audit line and one metrics increment; `report` reads the log
# while it is being written, its rotations (logrotate, both styles) and
# damaged lines; the metrics file stays valid Prometheus text.  The shim
# runs as it does for containerd (create, the runtime being a no-op so
# only the shim's work happens); containers themselves are covered by the
# runc and docker tests.
. "$(dirname "$0")/lib.sh"

need_root
need_commands jq
need "logrotate" test -x /usr/sbin/logrotate
need_shim
work_dir operator

check "policy/audit-rollout.json is the shipped policy in audit mode" \
  diff <(jq -S 'del(.comment, .mode)' "$TOP/policy/default.json") <(jq -S 'del(.comment, .mode)' "$TOP/policy/audit-rollout.json")

noop_runtime "$W/noop-runtime"
jq --arg a "$W/log/audit.log" --arg m "$W/metrics/hardened_runc.prom" --arg r "$W/noop-runtime" \
  '.audit_log = $a | .metrics_file = $m | .runtime = $r' "$TOP/policy/default.json" > "$W/policy.json"
mkdir -p "$W/metrics"
check "validate-policy accepts metrics_file" "$SHIM" validate-policy "$W/policy.json"

# bundles: docker's default config (changed) and docker --privileged (refused)
N_OK=48
N_REF=16
prep() { # prep DIR FIXTURE
  mkdir -p "$1"
  jq --arg r "$W/rootfs" '.root.path = $r' "$TOP/test/fixtures/docker/$2" > "$1/config.json"
}
for i in $(seq 1 $N_OK); do prep "$W/b/ok$i" default.json; done
for i in $(seq 1 $N_REF); do prep "$W/b/ref$i" privileged.json; done

# readers running while the writers write: no line may ever look damaged.
# The writers go in batches of 8 in parallel; the reader reads while a
# batch runs and once after it, so it sees the log at every batch's end
# (a known number of lines, fewer than all) whatever the timing.
: > "$W/reader.out"
: > "$W/reader.seen"
BATCH=0
ls "$W/b" > "$W/all"
while read -r first; do
  BATCH=$((BATCH + 1))
  sed -n "$(((BATCH - 1) * 8 + 1)),$((BATCH * 8))p" "$W/all" | xargs -P 8 -I{} "$SHIM" --policy "$W/policy.json" \
    --log "$W/b/{}/log.json" --log-format json create -b "$W/b/{}" "hr-op-{}" > /dev/null 2>&1 &
  WRITERS=$!
  while kill -0 "$WRITERS" 2>/dev/null; do
    "$SHIM" report --json "$W/log/audit.log" 2>/dev/null | jq -r '.damaged_lines' >> "$W/reader.out"
  done
  wait "$WRITERS"
  R=$("$SHIM" report --json "$W/log/audit.log")
  jq -r '.damaged_lines' <<< "$R" >> "$W/reader.out"
  jq -r '.decisions' <<< "$R" >> "$W/reader.seen"
done < <(awk 'NR % 8 == 1' "$W/all")
check_eq "the reader saw the log after each batch of 8 writers" "$(tr '\n' ' ' < "$W/reader.seen")" \
  "$(seq 8 8 $((N_OK + N_REF)) | tr '\n' ' ')"
check_eq "report while 8 writers write: no damaged line in any read" "$(sort -u "$W/reader.out" | tr '\n' ' ')" "0 "

LINES=$(wc -l < "$W/log/audit.log")
check_eq "exactly one audit line per decision" "$LINES" "$((N_OK + N_REF))"
check "every audit line is one JSON object" sh -c "jq -c . '$W/log/audit.log' | wc -l | grep -qx $((N_OK + N_REF))"
check_eq "one line per container" "$(jq -r .container "$W/log/audit.log" | sort -u | wc -l)" "$((N_OK + N_REF))"

R=$("$SHIM" report --json "$W/log/audit.log")
check_eq "report: decisions" "$(jq .decisions <<< "$R")" "$((N_OK + N_REF))"
check_eq "report: containers seen, changed, refused" \
  "$(jq -r '"\(.containers_seen) \(.containers_changed) \(.containers_refused)"' <<< "$R")" "$((N_OK + N_REF)) $N_OK $N_REF"
check_eq "report: refusals by rule" "$(jq -c '.refused_by_rule' <<< "$R")" "[{\"key\":\"privileged\",\"count\":$N_REF}]"
check_eq "report: refusals by profile and rule" "$(jq -c '.refused_by_profile_rule' <<< "$R")" \
  "[{\"key\":\"baseline\",\"of\":\"privileged\",\"count\":$N_REF}]"
check_eq "report: the most frequent change is made on every changed container" \
  "$(jq '.top_changes[0].count' <<< "$R")" "$N_OK"
check_contains "report (text): the summary line" "$("$SHIM" report "$W/log/audit.log")" \
  "containers seen: $((N_OK + N_REF)), changed: $N_OK, refused: $N_REF"

# metrics: the same numbers, valid text format
M="$W/metrics/hardened_runc.prom"
check_eq "metrics: changed creates counted" \
  "$(grep -F 'hardened_runc_decisions_total{subcommand="create",profile="baseline",outcome="changed"}' "$M" | cut -d' ' -f2)" "$N_OK"
check_eq "metrics: refused creates counted" \
  "$(grep -F 'hardened_runc_decisions_total{subcommand="create",profile="baseline",outcome="refused"}' "$M" | cut -d' ' -f2)" "$N_REF"
check_eq "metrics: refusals by rule" \
  "$(grep -F 'hardened_runc_findings_total{rule="privileged",action="deny",profile="baseline"}' "$M" | cut -d' ' -f2)" "$N_REF"
check "metrics: every line is a comment or 'name{labels} value'" \
  sh -c "! grep -vE '^(# (HELP|TYPE) hardened_runc_[a-z_]+ .+|hardened_runc_[a-z_]+\\{([a-z_]+=\"[^\"]*\",?)+\\} [0-9]+)\$' '$M'"
check "metrics: no temporary file left" sh -c "! ls '$M'.tmp* 2>/dev/null | grep -q ."
check_eq "metrics: world-readable for node_exporter" "$(stat -c %a "$M")" "644"

# a damaged line in the log is skipped and counted, and named
printf 'garbage\n' >> "$W/log/audit.log"
R=$("$SHIM" report --json "$W/log/audit.log")
check_eq "report: a damaged line is skipped and counted" "$(jq '"\(.decisions) \(.damaged_lines)"' -r <<< "$R")" \
  "$((N_OK + N_REF)) 1"
check_contains "report: ... and named" "$(jq -r .first_damaged_line <<< "$R")" "audit.log:$((N_OK + N_REF + 1)): column"

# logrotate, both styles, with the shipped snippet pointed at this log
create_one() { prep "$W/b/$1" default.json; "$SHIM" --policy "$W/policy.json" create -b "$W/b/$1" "hr-op-$1" >/dev/null 2>&1; }
sed "s|/var/log/hardened-runc/audit.log|$W/log/audit.log|; s/^    create 0600 root root/    copytruncate/" \
  "$TOP/policy/examples/logrotate.conf" > "$W/copytruncate.conf"
sed "s|/var/log/hardened-runc/audit.log|$W/log/audit.log|" "$TOP/policy/examples/logrotate.conf" > "$W/rename.conf"
/usr/sbin/logrotate -f -s "$W/lr.state" "$W/copytruncate.conf"
create_one after-copytruncate
check_eq "logrotate copytruncate: the next decision lands in the truncated log" "$(wc -l < "$W/log/audit.log")" "1"
/usr/sbin/logrotate -f -s "$W/lr.state" "$W/rename.conf"
create_one after-rename
check_eq "logrotate create (rename): the next decision lands in the new log" "$(wc -l < "$W/log/audit.log")" "1"
check "logrotate: the older rotation is compressed" test -e "$W/log/audit.log.2.gz"
# report with no file: the policy's log and its rotations
R=$("$SHIM" report --json --policy "$W/policy.json")
check_eq "report (no file): the log and its uncompressed rotation" "$(jq .decisions <<< "$R")" "2"
check_eq "report (no file): the compressed rotation is counted as skipped" "$(jq .compressed_files_skipped <<< "$R")" "1"
R=$(zcat "$W/log/audit.log.2.gz" | "$SHIM" report --json -)
check_eq "report -: reads stdin (zcat of the compressed rotation)" "$(jq .decisions <<< "$R")" "$((N_OK + N_REF))"

# errors
OUT=$("$SHIM" report "$W/nonexistent.log" 2>&1); RC=$?
check_eq "report of a missing file: exit 4" "$RC" "4"
check_contains "report of a missing file: says which" "$OUT" "$W/nonexistent.log: No such file or directory"
OUT=$("$SHIM" report --bogus 2>&1); RC=$?
check_eq "report --bogus: usage, exit 2" "$RC" "2"

finish "integration(operator)"
