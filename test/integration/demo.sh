#!/bin/bash
# README promises `make demo` on a fresh machine: run it as make does and
# check that it shows the main job (the same dangerous `docker run` before
# and after, refusals with their sentence) and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
need_dockerd_suite
need_commands make

before=$(ls -d /tmp/hr-demo.* 2>/dev/null | wc -l)
OUT=$(make -s -C "$TOP" demo 2>&1)
rc=$?
check_eq "make demo exits 0" "$rc" 0
[ "$rc" = 0 ] || echo "$OUT" | tail -n 20
check_contains "demo: the hardened container gets a read-only root" "$OUT" "root.readonly: null -> true"
check_contains "demo: --privileged is refused with the rule's sentence" "$OUT" 'refused by rule "privileged"'
check_contains "demo: the docker socket is refused" "$OUT" 'refused by rule "sensitive_mounts": the host path /run/docker.sock'
check_contains "demo: a broken policy refuses with a sentence" "$OUT" "invalid policy, refusing every container"
check_eq "demo: its work directory is gone" "$(ls -d /tmp/hr-demo.* 2>/dev/null | wc -l)" "$before"
finish "integration(demo)"
