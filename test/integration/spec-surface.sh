#!/bin/bash
# The spec surface (shim/fields.c) with real runc: a field spelled so that
# only runc reads it as a spec field is an attack that works under plain
# runc and is refused under the shim; a runtime newer than the table is
# refused; every refusal leaves config.json as it was.
. "$(dirname "$0")/lib.sh"

need_runc_suite
work_dir fields
make_rootfs "$W/rootfs"
test_policy "$W/policy.json" "$W/audit.log"

# bundle NAME JQ : runc's default spec running "true", edited by JQ
bundle() {
  runc_bundle "$W/$1" ".process.args = [\"true\"] | $2"
  echo "$W/$1"
}

# --- a hook spelled "Hooks": Go's decoder folds case, so runc runs it -------
hook='{"createRuntime": [{"path": "/bin/sh", "args": ["sh", "-c", "echo ran > '"$W"'/hook-ran"]}]}'
B=$(bundle plain-hook ". + {\"Hooks\": $hook}")
STARTED+=(hr-fields-plain)
runc run --bundle "$B" hr-fields-plain > "$W/plain.out" 2>&1 || cat "$W/plain.out"
check "attack works under plain runc: a hook spelled Hooks runs on the host" test -s "$W/hook-ran"
rm -f "$W/hook-ran"

for spelling in Hooks HOOKS "hoo$(printf '\342\204\252')s"; do
  B=$(bundle "shim-hook-$RANDOM" ". + {\"$spelling\": $hook}")
  cp "$B/config.json" "$W/orig.json"
  STARTED+=(hr-fields-shim)
  "$SHIM" --policy "$W/policy.json" --log "$B/log.json" --log-format json run --bundle "$B" hr-fields-shim \
    >/dev/null 2>&1
  rc=$?
  check "hardened-runc: \"$spelling\" refused" test "$rc" -ne 0
  check "hardened-runc: \"$spelling\": the hook did not run" test ! -e "$W/hook-ran"
  check_contains "hardened-runc: \"$spelling\": says why" "$(tail -n1 "$B/log.json" | jq -r .msg)" \
    "is not spelled \"hooks\" but runc would read it as that"
  check "hardened-runc: \"$spelling\": config.json untouched" cmp -s "$B/config.json" "$W/orig.json"
  runc delete -f hr-fields-shim >/dev/null 2>&1
done

# --- refused fields: the container never starts ------------------------------
B=$(bundle listener '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock"}')
"$SHIM" --policy "$W/policy.json" --log "$B/log.json" --log-format json run --bundle "$B" hr-fields-l >/dev/null 2>&1
check "seccomp listenerPath refused" test $? -ne 0
check_contains "seccomp listenerPath: says why" "$(tail -n1 "$B/log.json" | jq -r .msg)" "linux.seccomp.listenerPath is set"

# --- the runtime's spec version ----------------------------------------------
# fake runtimes: "features" says a version; everything else is real runc
fake_runtime() {
  cat > "$W/$1" <<EOS
#!/bin/sh
if [ "\$1" = features ]; then echo '{"ociVersionMin": "1.0.0", "ociVersionMax": "$2"}'; exit 0; fi
exec runc "\$@"
EOS
  chmod 0755 "$W/$1"
}
fake_runtime runc-1.3 1.3.0
fake_runtime runc-1.2 1.2.0
jq --arg r "$W/runc-1.3" '.runtime = $r' "$W/policy.json" > "$W/policy-13.json"
jq --arg r "$W/runc-1.2" '.runtime = $r' "$W/policy.json" > "$W/policy-12.json"

B=$(bundle newer '.')
cp "$B/config.json" "$W/orig.json"
"$SHIM" --policy "$W/policy-13.json" --log "$B/log.json" --log-format json run --bundle "$B" hr-fields-v >/dev/null 2>&1
check "a runtime implementing spec 1.3.0 is refused" test $? -ne 0
check_contains "spec 1.3.0: says why" "$(tail -n1 "$B/log.json" | jq -r .msg)" "implements runtime-spec 1.3.0, newer than the 1.2"
check "spec 1.3.0: config.json untouched" cmp -s "$B/config.json" "$W/orig.json"
# asked again (the answer is remembered per binary): the same
"$SHIM" --policy "$W/policy-13.json" --log "$B/log.json" --log-format json run --bundle "$B" hr-fields-v >/dev/null 2>&1
check "spec 1.3.0: refused again from the remembered answer" test $? -ne 0
# the remembered answers stay bounded (one per runtime binary identity):
# a full directory is emptied when a new runtime's answer is added
RT=/run/hardened-runc/runtimes
for i in $(seq 1 70); do printf '1.0.2\n' > "$RT/runtime-0-0-0-$i.000000000"; chmod 0600 "$RT/runtime-0-0-0-$i.000000000"; done
fake_runtime runc-1.2-new 1.2.0
jq --arg r "$W/runc-1.2-new" '.runtime = $r' "$W/policy.json" > "$W/policy-12n.json"
"$SHIM" --policy "$W/policy-12n.json" --log "$B/log.json" --log-format json create --bundle "$B" hr-fields-n >/dev/null 2>&1
STARTED+=(hr-fields-n)
check_eq "remembered runtime answers: a full directory is emptied, the new one kept" \
  "$(find "$RT" -maxdepth 1 -name 'runtime-*' | wc -l) $(find "$RT" -maxdepth 1 -name 'runtime-0-0-0-*' | wc -l)" "1 0"
runc delete -f hr-fields-n >/dev/null 2>&1
cp "$W/orig.json" "$B/config.json"

STARTED+=(hr-fields-v)
"$SHIM" --policy "$W/policy-12.json" --log "$B/log.json" --log-format json run --bundle "$B" hr-fields-v >/dev/null 2>&1
check "a runtime implementing spec 1.2.0 runs the container" test $? -eq 0
runc delete -f hr-fields-v >/dev/null 2>&1

# the machine's runc answers "features" with a version the table covers
check_eq "runc features reports a version the table covers" "$(runc features | jq -r .ociVersionMax | cut -d. -f1-2)" "1.0"

# runtimes without "features" (runc 1.0, crun 1.8) say "spec: X" in --version
old_runtime() {
  cat > "$W/$1" <<EOS
#!/bin/sh
if [ "\$1" = features ]; then echo "unknown command features" >&2; exit 1; fi
if [ "\$1" = --version ]; then printf 'fake version 1\\nspec: $2\\n'; exit 0; fi
exec runc "\$@"
EOS
  chmod 0755 "$W/$1"
}
old_runtime old-1.3 1.3.0
old_runtime old-1.0 1.0.0
jq --arg r "$W/old-1.3" '.runtime = $r' "$W/policy.json" > "$W/policy-o13.json"
jq --arg r "$W/old-1.0" '.runtime = $r' "$W/policy.json" > "$W/policy-o10.json"
"$SHIM" --policy "$W/policy-o13.json" --log "$B/log.json" --log-format json run --bundle "$B" hr-fields-v >/dev/null 2>&1
check "no \"features\", --version says spec 1.3.0: refused" test $? -ne 0
check_contains "--version 1.3.0: says why" "$(tail -n1 "$B/log.json" | jq -r .msg)" "implements runtime-spec 1.3.0"
STARTED+=(hr-fields-v)
"$SHIM" --policy "$W/policy-o10.json" --log "$B/log.json" --log-format json run --bundle "$B" hr-fields-v >/dev/null 2>&1
check "no \"features\", --version says spec 1.0.0: the container runs" test $? -eq 0
runc delete -f hr-fields-v >/dev/null 2>&1

# update --resources is a spec's linux.resources: the same rows decide it.
# (Unified keys act only on cgroup v2; this host's hybrid v1 has no unified
# hierarchy for runc to write, so the refusal is what can be shown here.)
printf '{"unified": {"pids.max": "max"}}' > "$W/unified.json"
"$SHIM" --policy "$W/policy.json" --log "$B/update.log" --log-format json update --resources "$W/unified.json" \
  hr-fields-none >/dev/null 2>&1
check "update --resources with unified pids.max: refused" test $? -ne 0
check_contains "update unified: says why" "$(tail -n1 "$B/update.log" | jq -r .msg)" 'sets "pids.max", which would override'
# update's Intel RDT options are linux.intelRdt by another name (rule
# intel_rdt; this machine has no resctrl, so runc could not apply them)
"$SHIM" --policy "$W/policy.json" --log "$B/update.log" --log-format json update --l3-cache-schema 'L3:0=f' \
  hr-fields-none >/dev/null 2>&1
check "update --l3-cache-schema: refused" test $? -ne 0
check_contains "update --l3-cache-schema: says why" "$(tail -n1 "$B/update.log" | jq -r .msg)" \
  'refused by rule "intel_rdt": update --l3-cache-schema'
printf '{"PIDS": {"limit": 100000}}' > "$W/folded.json"
"$SHIM" --policy "$W/policy.json" --log "$B/update.log" --log-format json update --resources "$W/folded.json" \
  hr-fields-none >/dev/null 2>&1
check "update --resources with a case-folded PIDS: refused" test $? -ne 0

# an exec's process document is walked from "process"
printf '{"args": ["sh"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "ApparmorProfile": "unconfined"}' > "$W/proc.json"
"$SHIM" --policy "$W/policy.json" --log "$B/exec.log" --log-format json exec --process "$W/proc.json" hr-fields-none \
  >/dev/null 2>&1
check "exec --process with a case-folded ApparmorProfile: refused" test $? -ne 0
check_contains "exec folded key: says why" "$(tail -n1 "$B/exec.log" | jq -r .msg)" \
  'key "ApparmorProfile" in process is not spelled "apparmorProfile"'

# the runtime is trusted like the policy: root's, not writable by others
cp "$W/runc-1.2" "$W/runc-ww" && chmod 0777 "$W/runc-ww"
jq --arg r "$W/runc-ww" '.runtime = $r' "$W/policy.json" > "$W/policy-ww.json"
"$SHIM" --policy "$W/policy-ww.json" --log "$B/log.json" --log-format json run --bundle "$B" hr-fields-w >/dev/null 2>&1
check "a runtime that others may change is refused" test $? -ne 0
check_contains "a world-writable runtime: says why" "$(tail -n1 "$B/log.json" | jq -r .msg)" "mode 0777"

finish "integration(spec-surface)"
