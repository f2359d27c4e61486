#!/bin/bash
# A container with a user namespace (uid/gid mappings) whose image has no
# /tmp, /run or /var/tmp (runtime-tools' validation suite makes one): runc
# creates a missing mount point as the mapped root, which may not write to
# a rootfs the host's root owns.  The shim's tmpfs for such a path is left
# out (plain runc starts that container; so must the hardened one); where
# the image has the directory the tmpfs is there and writable.
. "$(dirname "$0")/lib.sh"

need_runc_suite
need "user namespaces" test -e /proc/self/ns/user
work_dir userns
chmod 755 "$W" # the mapped root must reach the rootfs

make_rootfs "$W/rootfs"
rmdir "$W/rootfs/tmp" "$W/rootfs/var/tmp" "$W/rootfs/run"
chmod 755 "$W/rootfs"
test_policy "$W/policy.json" "$W/audit.log"
# mapped root: host uids 100000..165535; the rootfs stays owned by host root
runc_bundle "$W/b" '
  .process.args = ["sh", "-c", "ls -d /tmp 2>/dev/null || echo no-tmp; (echo x > /tmp/f) 2>/dev/null && echo tmp-writable; echo done"]
  | .linux.namespaces += [{"type": "user"}]
  | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
  | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
mv "$W/b/config.json" "$W/b/orig.json"

run() { # run RUNTIME NAME
  cp "$W/b/orig.json" "$W/b/config.json"
  STARTED+=("$2")
  if [ "$1" = hardened ]; then "$SHIM" --policy "$W/policy.json" run -b "$W/b" "$2" 2>&1
  else runc run -b "$W/b" "$2" 2>&1; fi
}

OUT=$(run runc hr-userns-plain); RC=$?
check_eq "plain runc: the user-namespaced container without /tmp starts" "$RC:$(echo $OUT)" "0:no-tmp done"
OUT=$(run hardened hr-userns-hard); RC=$?
check_eq "hardened-runc: it starts too (no tmpfs on a mount point the mapped root cannot create)" "$RC:$(echo $OUT)" \
  "0:no-tmp done"
check "the rewritten config has no tmpfs at /tmp" \
  test "$(jq '[.mounts[] | select(.destination == "/tmp")] | length' "$W/b/config.json")" = 0

mkdir "$W/rootfs/tmp"
OUT=$(run hardened hr-userns-tmp); RC=$?
check_eq "hardened-runc, image with /tmp: the tmpfs is there and writable by the mapped root" "$RC:$(echo $OUT)" \
  "0:/tmp tmp-writable done"
check "the rewritten config mounts a tmpfs at /tmp" \
  test "$(jq '[.mounts[] | select(.destination == "/tmp" and .type == "tmpfs")] | length' "$W/b/config.json")" = 1

finish "integration(userns)"
