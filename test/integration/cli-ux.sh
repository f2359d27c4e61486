#!/bin/bash
# The shim says what it is: --version (its own version, the policy in
# effect, then the real runc's lines verbatim), --help (its options and
# commands, then runc's help), and its own commands after the global
# options (--policy FILE --profile P explain CONFIG).  Real runc.
. "$(dirname "$0")/lib.sh"

need_commands runc jq
need_shim
need_commands cc groff
work_dir cli-ux
RUNC=$(command -v runc)
VERSION=$(cat "$TOP/VERSION")
jq --arg r "$RUNC" '.runtime = $r' "$TOP/policy/default.json" > "$W/policy.json"
jq '.mode = "audit"' "$TOP/policy/default.json" > "$W/audit.json"

# --- --version ------------------------------------------------------------------
RV=$("$RUNC" --version)
OUT=$("$SHIM" --policy "$W/policy.json" --version)
check_eq "--version exits 0" "$?" 0
check_eq "--version: first line is the shim's version (from VERSION)" "$(sed -n 1p <<< "$OUT")" \
  "hardened-runc version $VERSION"
check_contains "--version names the policy file and its mode" "$(sed -n 2p <<< "$OUT")" \
  "hardened-runc policy: $W/policy.json, enforce mode"
check_eq "--version: runc's own lines follow verbatim" "$(tail -n +3 <<< "$OUT")" "$RV"
# dockerd takes the runtime's version from the last line containing
# "version" and the commit from "commit:": both must be runc's
check_eq "--version: the last \"version\" line is runc's" "$(grep version <<< "$OUT" | tail -1)" \
  "$(grep version <<< "$RV" | tail -1)"
check_eq "--version: the only \"commit:\" line is runc's" "$(grep '^commit:' <<< "$OUT")" "$(grep '^commit:' <<< "$RV")"
OUT=$("$SHIM" -v)
check_contains "-v: the embedded default when no policy is given or installed" "$OUT" \
  "$(test -e /etc/hardened-runc/policy.json && echo /etc/hardened-runc/policy.json || echo 'embedded default policy')"
OUT=$("$SHIM" --policy "$W/audit.json" --version)
check_contains "--version: audit mode is said" "$(sed -n 2p <<< "$OUT")" ", audit mode"
OUT=$("$SHIM" --policy "$W/missing.json" --version 2> "$W/err")
check_eq "--version with a policy that cannot be loaded still exits 0" "$?" 0
check_contains "--version says the policy was not loaded, and why" "$(sed -n 2p <<< "$OUT")" \
  "hardened-runc policy: not loaded ($W/missing.json: open: No such file or directory)"
check_eq "--version without a policy: runc's lines still follow" "$(tail -n +3 <<< "$OUT")" "$RV"

# --- --help -------------------------------------------------------------------
RH=$("$RUNC" --help)
for form in --help -h help; do
  OUT=$("$SHIM" $form)
  check_eq "$form exits 0" "$?" 0
  check_contains "$form starts with the shim's usage" "$(sed -n 1p <<< "$OUT")" "hardened-runc: an OCI runtime shim"
  check_contains "$form lists --policy" "$OUT" "--policy FILE"
  check_contains "$form lists explain" "$OUT" "explain [--json] CONFIG.json"
  check_eq "$form ends with runc's help, verbatim" "$(tail -n "$(wc -l <<< "$RH")" <<< "$OUT")" "$RH"
done
OUT=$("$SHIM" help create)
check_eq "help create is runc's alone" "$OUT" "$("$RUNC" help create)"
OUT=$("$SHIM" create --help)
check_eq "create --help is runc's alone" "$OUT" "$("$RUNC" create --help)"

# --- the shim's commands after the global options ------------------------------
cp "$TOP/test/fixtures/docker/default.json" "$W/config.json"
# the shipped profiles, in the file's order
PROFILES=$(jq -r '.profiles | keys_unsorted | join(" ")' "$TOP/policy/default.json")
check_eq "--policy FILE validate-policy" "$("$SHIM" --policy "$TOP/policy/default.json" validate-policy)" \
  "$TOP/policy/default.json: valid; default profile \"baseline\"; profiles: $PROFILES"
check_eq "validate-policy FILE (the old form)" "$("$SHIM" validate-policy "$TOP/policy/default.json")" \
  "$TOP/policy/default.json: valid; default profile \"baseline\"; profiles: $PROFILES"
"$SHIM" --policy "$TOP/policy/default.json" validate-policy "$TOP/policy/default.json" 2> "$W/err"
check_eq "validate-policy with two files is a usage error" "$?" 2
echo '{"mode": "sometimes"}' > "$W/bad.json"
"$SHIM" --policy "$W/bad.json" validate-policy 2> "$W/err"
check_eq "--policy BAD validate-policy exits 4" "$?" 4
check_contains "--policy BAD validate-policy names the file" "$(cat "$W/err")" "$W/bad.json"
A=$("$SHIM" --policy "$TOP/policy/default.json" --profile restricted explain --json "$W/config.json")
B=$("$SHIM" explain --policy "$TOP/policy/default.json" --profile restricted --json "$W/config.json")
check_eq "--policy F --profile P explain = explain --policy F --profile P" "$A" "$B"
check_eq "explain after the global options: the profile is applied" "$(jq -r .profile <<< "$A")" restricted
check_eq "explain after the global options: the policy is the file" "$(jq -r .policy <<< "$A")" \
  "$TOP/policy/default.json"
check_contains "--profile P explain (text): the shim explains, runc is not asked" \
  "$("$SHIM" --profile restricted explain "$W/config.json" 2>&1 | head -1)" "$W/config.json: profile \"restricted\""
OUT=$("$SHIM" --policy "$TOP/policy/default.json" report --json /dev/null 2>&1)
check_eq "--policy F report runs the shim's report" "$(jq -r 'has("refused_by_rule")' <<< "$OUT" 2>&1)" true

# --- explain: capability changes as what was removed and added -----------------
OUT=$("$SHIM" explain --policy "$TOP/policy/default.json" "$W/config.json")
check_contains "explain: a capability drop is the caps removed" "$OUT" \
  "change process.capabilities.bounding: removed CAP_MKNOD, CAP_NET_RAW, CAP_SETFCAP, CAP_SYS_CHROOT, CAP_AUDIT_WRITE"
check_eq "explain: no full capability list is printed" "$(grep -c 'capabilities.*CAP_CHOWN' <<< "$OUT")" 0
check_contains "explain: an option added to a list is \"added\"" "$OUT" "change mounts[/dev].options: added noexec"
J=$("$SHIM" explain --json --policy "$TOP/policy/default.json" "$W/config.json")
C='.changes[] | select(.control == "process.capabilities.bounding")'
check_eq "explain --json: removed" "$(jq -c "$C | .removed" <<< "$J")" \
  '["CAP_MKNOD","CAP_NET_RAW","CAP_SETFCAP","CAP_SYS_CHROOT","CAP_AUDIT_WRITE"]'
check_eq "explain --json: added" "$(jq -c "$C | .added" <<< "$J")" '[]'
check_eq "explain --json: before and after are kept" "$(jq -c "$C | [.before, .after | length]" <<< "$J")" '[14,9]'
check_eq "explain --json: a non-list change has no removed/added" \
  "$(jq -c '.changes[] | select(.control == "root.readonly") | has("removed")' <<< "$J")" false

# --- compliance: CIS Docker Benchmark v1.6.0 section 5 and Pod Security Standards --
OUT=$("$SHIM" explain --policy "$TOP/policy/default.json" "$W/config.json")
check_contains "explain: a capability change names CIS 5.4 and the PSS control" "$OUT" \
  "(CIS 5.4; PSS baseline: Capabilities; restricted: Capabilities)"
check_contains "explain: the pids limit names CIS 5.29" "$(grep -A1 'linux.resources.pids.limit' <<< "$OUT")" "(CIS 5.29)"
jq 'del(.linux.namespaces[] | select(.type == "pid"))' "$W/config.json" > "$W/priv.json"
J=$("$SHIM" explain --json --policy "$TOP/policy/default.json" "$W/priv.json")
check_eq "explain --json: a finding names its CIS items and PSS control" \
  "$(jq -c '.findings[] | select(.rule == "host_namespaces") | [.cis, .pss]' <<< "$J")" \
  '["5.10 5.16 5.17 5.21 5.31","baseline: Host Namespaces"]'
check_eq "explain --json: a rule in neither catalogue says why" \
  "$("$SHIM" explain --json --policy "$TOP/policy/default.json" "$W/config.json" |
     jq -r '.findings[] | select(.rule == "tmpfs_options") | [.cis, .pss, (.compliance_none | length > 0)] | @csv')" \
  ',,true'

# a real audit log: the shim's creates, runc replaced by a runtime that does nothing
noop_runtime "$W/noop"
jq --arg r "$W/noop" --arg a "$W/audit.log" '.runtime = $r | .audit_log = $a' "$TOP/policy/default.json" > "$W/noop.json"
mkdir -p "$W/b1/rootfs" "$W/b2/rootfs"
cp "$W/priv.json" "$W/b1/config.json"
cp "$W/config.json" "$W/b2/config.json"
"$SHIM" --policy "$W/noop.json" create --bundle "$W/b1" hr-ux-priv 2> /dev/null
check_eq "create sharing the host pid namespace is refused" "$?" 3
"$SHIM" --policy "$W/noop.json" create --bundle "$W/b1" hr-ux-priv2 2> /dev/null
"$SHIM" --policy "$W/noop.json" create --bundle "$W/b2" hr-ux-ok
check_eq "create of Docker's default config is allowed" "$?" 0
L=$(head -1 "$W/audit.log")
check_eq "audit line: the finding names CIS and PSS (a new field)" \
  "$(jq -c '.findings[] | select(.rule == "host_namespaces") | [.action, .cis, .pss]' <<< "$L")" \
  '["deny","5.10 5.16 5.17 5.21 5.31","baseline: Host Namespaces"]'
check_eq "audit line: the old fields are kept" "$(jq -c '[.outcome, .container, (.findings[0] | has("detail"))]' <<< "$L")" \
  '["refused","hr-ux-priv",true]'
check_eq "audit line: a change names its CIS item" \
  "$(tail -1 "$W/audit.log" | jq -r '.changes[] | select(.control == "linux.resources.pids.limit") | .cis')" 5.29
OUT=$("$SHIM" report "$W/audit.log")
check_contains "report: refusals by CIS item" "$OUT" "CIS 5.16 host_namespaces: refused 2"
check_contains "report: every item the rule implements" "$OUT" "CIS 5.10 host_namespaces: refused 2"
OUT=$("$SHIM" report --cis "$W/audit.log")
check_eq "report --cis: section 5 item by item (32 items)" "$(grep -c '^  5\.' <<< "$OUT")" 32
check_contains "report --cis: 5.16 enforced, with its count" "$(grep '^  5.16 ' <<< "$OUT")" \
  "host PID namespace not shared: enforced here (rule host_namespaces); refused 2"
check_contains "report --cis: restart policy is outside a runtime's view" "$(grep '^  5.15 ' <<< "$OUT")" \
  "outside a runtime's view"
check_contains "report --cis: ports are outside a runtime's view" "$(grep '^  5.8 ' <<< "$OUT")" "outside a runtime's view"
check_contains "report --cis: health checks are outside a runtime's view" "$(grep '^  5.27 ' <<< "$OUT")" \
  "outside a runtime's view"
check_contains "report --cis: exec as root is partly seen" "$(grep '^  5.24 ' <<< "$OUT")" ": partly"
check_contains "report --cis: changes counted (capabilities)" "$(grep '^  5.4 ' <<< "$OUT")" "changes 3"
check_eq "report --json: the cis array" \
  "$("$SHIM" report --json "$W/audit.log" | jq -c '.cis[] | select(.item == "5.16") | [.refused, .coverage]')" \
  '[2,"enforced here"]'

# --- the man pages: groff has nothing to say -----------------------------------
for m in "$TOP/man/hardened-runc.8" "$TOP/man/hardened-runc-policy.5"; do
  check_eq "groff -man -ww -z $(basename "$m"): no warning" "$(groff -man -ww -z "$m" 2>&1)" ""
done

# --- a real dockerd with the shim as its default runtime reads runc's version ---
if [ -x /usr/sbin/dockerd ] && [ "$(id -u)" = 0 ]; then
  . "$TOP/test/lib/dockerd.sh"
  at_exit dockerd_stop
  if dockerd_start "$W/d" "$(shim_runtime hardened "$W/policy.json")" '{"default-runtime": "hardened"}'; then
    check_eq "dockerd (default runtime hardened-runc): docker info shows runc's commit" \
      "$($DOCKER info --format '{{.RuncCommit.ID}}')" "$(sed -n 's/^commit: *//p' <<< "$RV")"
    check_eq "dockerd: the default runtime is the shim" "$($DOCKER info --format '{{.DefaultRuntime}}')" hardened
    dockerd_stop
  else
    bad "dockerd starts"
  fi
elif [ "${HARDENED_MUST_WORK:-0}" = 1 ]; then
  bad "dockerd is needed for the version check through an engine"
else
  echo "skip: no dockerd (or not root): version through an engine not checked"
fi

# runc's own re-exec is not a command for callers: refused, one sentence
"$SHIM" --log "$W/init.log" --log-format json init >/dev/null 2>&1
check "init (runc's own step inside a starting container): refused" test $? -ne 0
check_contains "init: says why" "$(tail -n1 "$W/init.log" | jq -r .msg)" "engines never call it"
finish "integration(cli-ux)"
