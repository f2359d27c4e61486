#!/bin/bash
# AppArmor and SELinux modes through a real private dockerd on this machine,
# which runs neither LSM: "prefer" lets containers run and records why they
# got no label in the audit log; "require" refuses them with a sentence
# naming the missing LSM, shown in docker's own error.  (Label generation
# and the enabled-host paths are covered by the unit tests over prepared
# directories: enforcement cannot be observed here.)
. "$(dirname "$0")/lib.sh"

need_dockerd_suite
work_dir lsm

check "this machine runs neither AppArmor nor SELinux (what this test assumes)" \
  sh -c '! grep -qx Y /sys/module/apparmor/parameters/enabled 2>/dev/null && ! test -e /sys/fs/selinux/enforce'
test_policy "$W/policy.json" "$W/audit.log"
jq '.profiles.baseline.apparmor.mode = "require"' "$W/policy.json" > "$W/aa-require.json"
jq '.profiles.baseline.selinux.mode = "require" | .profiles.baseline.apparmor.mode = "off"' "$W/policy.json" \
  > "$W/se-require.json"
RUNTIMES=$({ shim_runtime hardened "$W/policy.json"
  shim_runtime hardened-aa "$W/aa-require.json"
  shim_runtime hardened-se "$W/se-require.json"; } | jq -s add)
start_dockerd lsm "$RUNTIMES"
image_busybox hr-busybox

# prefer: runs, and the audit log says why there is no label
OUT=$($DOCKER run --rm --runtime=hardened --security-opt apparmor=unconfined hr-busybox echo ran 2>&1)
check_eq "prefer: docker run --security-opt apparmor=unconfined runs" "$OUT" "ran"
LINE=$(grep '"subcommand":"create"' "$W/audit.log" | tail -1)
check_eq "prefer: the audit log records AppArmor's absence" \
  "$(jq -r '.findings[] | select(.rule == "apparmor") | .action' <<< "$LINE")" "warn"
check_contains "prefer: ... with the reason" "$(jq -r '.findings[] | select(.rule == "apparmor") | .detail' <<< "$LINE")" \
  "AppArmor is not enabled on this host"
check_contains "prefer: the audit log records SELinux's absence" \
  "$(jq -r '.findings[] | select(.rule == "selinux") | .detail' <<< "$LINE")" "SELinux is not enabled on this host"
check_eq "prefer: no label was written" "$(jq -r '[.changes[]?.control] | map(select(test("apparmor|selinux|mountLabel"))) | length' <<< "$LINE")" "0"

CID=$($DOCKER run -d --runtime=hardened hr-busybox sleep 30)
check_eq "prefer: docker exec works" "$($DOCKER exec "$CID" echo hi 2>&1)" "hi"
$DOCKER rm -f "$CID" >/dev/null

# require: refused, with the sentence in docker's error
OUT=$($DOCKER run --rm --runtime=hardened-aa hr-busybox echo ran 2>&1)
check_contains "require AppArmor: refused, docker shows why" "$OUT" \
  "refused: profile baseline requires AppArmor (apparmor: require), which is not enabled on this host"
OUT=$($DOCKER run --rm --runtime=hardened-se hr-busybox echo ran 2>&1)
check_contains "require SELinux: refused, docker shows why" "$OUT" \
  "refused: profile baseline requires SELinux (selinux: require), which is not enabled on this host"
check "require: the refusal is audited" sh -c "grep -q 'requires SELinux' '$W/audit.log'"

# explain says the same before anything runs
OUT=$("$SHIM" explain --policy "$W/aa-require.json" "$TOP/test/fixtures/docker/default.json" 2>&1)
check_contains "explain shows the refusal" "$OUT" "REFUSED: refused: profile baseline requires AppArmor"

finish "integration(lsm)"
