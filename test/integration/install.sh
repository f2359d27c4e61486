#!/bin/bash
# make install / uninstall honour PREFIX and DESTDIR.
. "$(dirname "$0")/lib.sh"
need "the shim (make)" test -x "$SHIM"
D=$(mktemp -d /tmp/hr-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
make -s -C "$TOP" install DESTDIR="$D" PREFIX=/opt/hr >/dev/null
check "binary in \$PREFIX/sbin" test -x "$D/opt/hr/sbin/hardened-runc"
check "man page (8)" test -f "$D/opt/hr/share/man/man8/hardened-runc.8"
check "man page (5)" test -f "$D/opt/hr/share/man/man5/hardened-runc-policy.5"
check "installed policy validates" "$D/opt/hr/sbin/hardened-runc" validate-policy "$D/opt/hr/share/hardened-runc/policy/default.json"
check "seccomp profiles" test -f "$D/opt/hr/share/hardened-runc/profiles/seccomp/baseline.json"
check "AppArmor profile in /etc/apparmor.d" test -f "$D/etc/apparmor.d/hardened-runc-default"
check "the installed AppArmor profile compiles" apparmor_parser -Q -K -T "$D/etc/apparmor.d/hardened-runc-default"
check "system policy installed" cmp -s "$D/etc/hardened-runc/policy.json" "$TOP/policy/default.json"
check "logrotate snippet installed" test -f "$D/etc/logrotate.d/hardened-runc"
check "examples installed" test -f "$D/opt/hr/share/hardened-runc/examples/runtimeclass.yaml"
# an operator's policy is never overwritten
echo '{"profiles": {"mine": {}}, "default_profile": "mine"}' > "$D/etc/hardened-runc/policy.json"
OUT=$(make -s -C "$TOP" install DESTDIR="$D" PREFIX=/opt/hr 2>&1)
check_contains "reinstall: says it keeps the operator's policy" "$OUT" "keeping the existing"
check_contains "reinstall: the operator's policy is untouched" "$(cat "$D/etc/hardened-runc/policy.json")" '"mine"'
check "nothing outside DESTDIR" test ! -e /opt/hr
make -s -C "$TOP" uninstall DESTDIR="$D" PREFIX=/opt/hr >/dev/null
check "uninstall removes the binary" test ! -e "$D/opt/hr/sbin/hardened-runc"
check "uninstall removes the man pages" test ! -e "$D/opt/hr/share/man/man8/hardened-runc.8"
check "uninstall removes the profiles" test ! -e "$D/opt/hr/share/hardened-runc" -a ! -e "$D/etc/apparmor.d/hardened-runc-default"
check "uninstall removes the logrotate snippet" test ! -e "$D/etc/logrotate.d/hardened-runc"
check "uninstall keeps the operator's policy" test -f "$D/etc/hardened-runc/policy.json"
finish "integration(install)"
