#!/bin/bash
# The shim says what it is: --version (its own version, the policy in
# effect, then the real runc's lines verbatim), --help (its options and
# commands, then runc's help), and its own commands after the global
# options (--policy FILE --profile P explain CONFIG).  Real runc.
. "$(dirname "$0")/lib.sh"

need "runc" command -v runc
need "jq" command -v jq
need "the shim (make)" test -x "$SHIM"

W=$(mktemp -d /tmp/hr-cli-ux.XXXXXX)
trap 'rm -rf "$W"' EXIT
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
check_eq "--policy FILE validate-policy" "$("$SHIM" --policy "$TOP/policy/default.json" validate-policy)" \
  "$TOP/policy/default.json: valid; default profile \"baseline\"; profiles: baseline restricted"
check_eq "validate-policy FILE (the old form)" "$("$SHIM" validate-policy "$TOP/policy/default.json")" \
  "$TOP/policy/default.json: valid; default profile \"baseline\"; profiles: baseline restricted"
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

finish "integration(cli-ux)"
