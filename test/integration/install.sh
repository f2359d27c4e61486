#!/bin/bash
# make install / uninstall honour PREFIX and DESTDIR.
. "$(dirname "$0")/lib.sh"
need_shim
work_dir install
make -s -C "$TOP" install DESTDIR="$W" PREFIX=/opt/hr >/dev/null
check "binary in \$PREFIX/sbin" test -x "$W/opt/hr/sbin/hardened-runc"
check "man page (8)" test -f "$W/opt/hr/share/man/man8/hardened-runc.8"
check "man page (5)" test -f "$W/opt/hr/share/man/man5/hardened-runc-policy.5"
check "installed policy validates" "$W/opt/hr/sbin/hardened-runc" validate-policy "$W/opt/hr/share/hardened-runc/policy/default.json"
check "seccomp profiles" test -f "$W/opt/hr/share/hardened-runc/profiles/seccomp/baseline.json"
check "AppArmor profile in /etc/apparmor.d" test -f "$W/etc/apparmor.d/hardened-runc-default"
check "the installed AppArmor profile compiles" apparmor_parser -Q -K -T "$W/etc/apparmor.d/hardened-runc-default"
check "system policy installed" cmp -s "$W/etc/hardened-runc/policy.json" "$TOP/policy/default.json"
check "logrotate snippet installed" test -f "$W/etc/logrotate.d/hardened-runc"
check "examples installed" test -f "$W/opt/hr/share/hardened-runc/examples/runtimeclass.yaml"
# an operator's policy is never overwritten
echo '{"profiles": {"mine": {}}, "default_profile": "mine"}' > "$W/etc/hardened-runc/policy.json"
OUT=$(make -s -C "$TOP" install DESTDIR="$W" PREFIX=/opt/hr 2>&1)
check_contains "reinstall: says it keeps the operator's policy" "$OUT" "keeping the existing"
check_contains "reinstall: the operator's policy is untouched" "$(cat "$W/etc/hardened-runc/policy.json")" '"mine"'
check "nothing outside DESTDIR" test ! -e /opt/hr
make -s -C "$TOP" uninstall DESTDIR="$W" PREFIX=/opt/hr >/dev/null
check "uninstall removes the binary" test ! -e "$W/opt/hr/sbin/hardened-runc"
check "uninstall removes the man pages" test ! -e "$W/opt/hr/share/man/man8/hardened-runc.8"
check "uninstall removes the profiles" test ! -e "$W/opt/hr/share/hardened-runc" -a ! -e "$W/etc/apparmor.d/hardened-runc-default"
check "uninstall removes the logrotate snippet" test ! -e "$W/etc/logrotate.d/hardened-runc"
check "uninstall keeps the operator's policy" test -f "$W/etc/hardened-runc/policy.json"
finish "integration(install)"
