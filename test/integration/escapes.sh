#!/bin/bash
# Ways around the policy found by the red-team pass, through config.json
# alone.  Each is first run under plain runc, where it must work (else the
# check could not fail), then under hardened-runc with the shipped policy,
# which must refuse it with its sentence and leave config.json as it was.
. "$(dirname "$0")/lib.sh"

need_runc_suite
need_commands unshare
need "a host /sys/firmware with entries (the sysfs attack)" test -n "$(ls /sys/firmware)"
work_dir escapes
make_rootfs "$W/rootfs"
test_policy "$W/policy.json" "$W/audit.log"

# bundle NAME JQ [JQ-OPTION...] : runc's default spec, edited by JQ; the
# original kept as pristine.json
bundle() {
  local name=$1 filter=$2
  shift 2
  runc_bundle "$W/$name" "$filter" "$@" || return 1
  cp "$W/$name/config.json" "$W/$name/pristine.json"
  echo "$W/$name"
}

# shim_refuses DESCRIPTION BUNDLE ID NEEDLE [POLICY] : hardened-runc run
# fails, log.json's last line says NEEDLE, config.json is untouched
shim_refuses() {
  local what=$1 b=$2 id=$3 needle=$4 policy=${5:-$W/policy.json} rc
  STARTED+=("$id")
  "$SHIM" --policy "$policy" --log "$b/log.json" --log-format json run --bundle "$b" "$id" \
    > "$W/$id.out" 2>&1 < /dev/null
  rc=$?
  check "hardened-runc: $what: refused" test "$rc" -ne 0
  check_contains "hardened-runc: $what: says why" "$(tail -n 1 "$b/log.json" 2>/dev/null | jq -r .msg)" "$needle"
  check "hardened-runc: $what: config.json untouched" cmp -s "$b/config.json" "$b/pristine.json"
  runc delete -f "$id" > /dev/null 2>&1
}

# --- 1. joining another process's mount namespace ---------------------------
# runc pivots the joined namespace's root into the container's: every host
# process in that namespace (a daemon started with a private /tmp, say)
# then has the container's files as its root, and runs the container's
# programs as root on the host, outside every control.
host_process() { # a host process in a mount namespace of its own; PID
  unshare --mount --propagation private sleep 100000 < /dev/null > /dev/null 2>&1 &
  PID=$!
  at_exit "kill $PID 2> /dev/null"
  local i
  for i in $(seq 100); do
    [ "$(readlink /proc/$PID/ns/mnt)" != "$(readlink /proc/self/ns/mnt)" ] && break
    sleep 0.05
  done
}
MNTNS_JQ='.process.args = ["true"] | .linux.namespaces |= map(if .type == "mount" then .path = $p else . end)'

host_process
B=$(bundle mntns-plain "$MNTNS_JQ" --arg p "/proc/$PID/ns/mnt")
STARTED+=(hr-esc-mntns-plain)
runc run --bundle "$B" hr-esc-mntns-plain > "$W/plain.out" 2>&1 < /dev/null || cat "$W/plain.out"
check "attack works under plain runc: a host process's root became the container's" \
  test /proc/$PID/root/ -ef "$W/rootfs"

host_process
B=$(bundle mntns-shim "$MNTNS_JQ" --arg p "/proc/$PID/ns/mnt")
shim_refuses "another process's mount namespace" "$B" hr-esc-mntns-shim \
  "refused by rule \"host_namespaces\": the container joins the existing mount namespace /proc/$PID/ns/mnt"
check "hardened-runc: the host process kept its root" test /proc/$PID/root/ -ef /

# --- 2. mount options that undo what was judged read-only -------------------
# runc applies a mount's options in order ("rw" after "ro" clears it),
# "rrw" clears read-only on the bind after it was made read-only, and
# "remount" changes the mount already at the destination instead of making
# a new one.  A host directory the policy lets in read-only only: its own
# entry in sensitive_mounts and readonly_mounts.
mkdir -p "$W/host" "$W/empty"
jq --arg h "$W/host" '.profiles.baseline.sensitive_mounts = [$h] | .profiles.baseline.readonly_mounts = [$h]' \
  "$W/policy.json" > "$W/ro-policy.json"
RO_BIND='{destination: "/data", type: "bind", source: $h, options: ["rbind", "ro"]}'
# options NAME MOUNTS-JQ : a bundle whose container writes /data/NAME, with
# the mounts MOUNTS-JQ ($h: the host directory, $e: an empty one) added
options_bundle() {
  bundle "opt-$1" '.process.args = ["sh", "-c", "echo escaped > /data/'"$1"'"] | .mounts += '"$2" \
    --arg h "$W/host" --arg e "$W/empty"
}
REMOUNT_BIND="[$RO_BIND, {destination: \"/data\", type: \"bind\", source: \$e, options: [\"bind\", \"remount\"]}]"
REMOUNT_MQUEUE="[$RO_BIND, {destination: \"/data\", type: \"mqueue\", source: \"mqueue\", options: [\"remount\"]}]"
for attack in \
  "ro-rw|[{destination: \"/data\", type: \"bind\", source: \$h, options: [\"bind\", \"ro\", \"rw\"]}]" \
  "rrw|[{destination: \"/data\", type: \"bind\", source: \$h, options: [\"bind\", \"ro\", \"rrw\"]}]" \
  "remount-bind|$REMOUNT_BIND" \
  "remount-mqueue|$REMOUNT_MQUEUE"; do
  name=${attack%%|*}
  B=$(options_bundle "$name-plain" "${attack#*|}")
  STARTED+=("hr-esc-$name")
  runc run --bundle "$B" "hr-esc-$name" > "$W/plain.out" 2>&1 < /dev/null || cat "$W/plain.out"
  runc delete -f "hr-esc-$name" > /dev/null 2>&1
  check "attack works under plain runc: $name: a read-only host directory written" test -s "$W/host/$name-plain"
done

# "rw" after "ro": not read-only, so refused; with sensitive_mounts mutate
# the shim's "ro" goes last, where runc obeys it
RO_RW='[{destination: "/data", type: "bind", source: $h, options: ["bind", "ro", "rw"]}]'
B=$(options_bundle ro-rw-shim "$RO_RW")
shim_refuses "ro then rw" "$B" hr-esc-ro-rw-shim \
  "refused by rule \"sensitive_mounts\": the host path $W/host is bind-mounted at /data" "$W/ro-policy.json"
jq '.profiles.baseline.rules.sensitive_mounts = "mutate"' "$W/ro-policy.json" > "$W/ro-mutate-policy.json"
B=$(options_bundle ro-rw-mutate "$RO_RW")
STARTED+=(hr-esc-ro-rw-mutate)
OUT=$("$SHIM" --policy "$W/ro-mutate-policy.json" run --bundle "$B" hr-esc-ro-rw-mutate 2>&1 < /dev/null)
check_contains "hardened-runc (mutate): ro then rw: the write failed" "$OUT" "Read-only file system"
check_eq "hardened-runc (mutate): ro then rw: \"ro\" is the last of ro and rw" \
  "$(jq -c '.mounts[] | select(.destination == "/data") | [.options[] | select(. == "ro" or . == "rw")] | .[-1]' \
    "$B/config.json")" '"ro"'
B=$(options_bundle rrw-shim '[{destination: "/data", type: "bind", source: $h, options: ["bind", "ro", "rrw"]}]')
shim_refuses "rrw" "$B" hr-esc-rrw-shim \
  'refused by rule "mount_options": the mount at /data has the option "rrw"' "$W/ro-policy.json"
B=$(options_bundle remount-bind-shim "$REMOUNT_BIND")
shim_refuses "a bind with remount" "$B" hr-esc-remount-bind-shim \
  'refused by rule "mount_options": the mount at /data has the option "remount"' "$W/ro-policy.json"
B=$(options_bundle remount-mqueue-shim "$REMOUNT_MQUEUE")
shim_refuses "an mqueue mount with remount" "$B" hr-esc-remount-mqueue-shim \
  'refused by rule "mount_options": the mount at /data has the option "remount"' "$W/ro-policy.json"
check "hardened-runc: the host directory was not written" \
  test -z "$(ls "$W/host" | grep -v -e '-plain$')"

# --- 3. a second sysfs ---------------------------------------------------------
# runc masks /sys/firmware (the host's ACPI tables, its memory map) and
# /sys/devices/virtual/powercap only under /sys: a sysfs mounted anywhere
# else shows them.
SYSFS_JQ='.process.args = ["sh", "-c", "ls /x/firmware"]
  | .mounts += [{destination: "/x", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]}]'
B=$(bundle sysfs-plain "$SYSFS_JQ")
STARTED+=(hr-esc-sysfs-plain)
OUT=$(runc run --bundle "$B" hr-esc-sysfs-plain 2>&1 < /dev/null)
check "the spec masks /sys/firmware" test "$(jq '.linux.maskedPaths | index("/sys/firmware")' "$B/config.json")" != null
check_eq "attack works under plain runc: a second sysfs shows the masked /sys/firmware" "$OUT" "$(ls /sys/firmware)"
B=$(bundle sysfs-shim "$SYSFS_JQ")
shim_refuses "a second sysfs" "$B" hr-esc-sysfs-shim \
  'refused by rule "mount_types": a sysfs filesystem is mounted at /x; sysfs is mounted only at /sys'

# --- 4. a host directory as the root file system ------------------------------
# root.path is a host directory the container gets whole: runc mounts it at
# / like a bind.  A directory the policy keeps from binds (here its own
# sensitive_mounts entry; by default /var/lib/kubelet, /root/.ssh, ...).
mkdir -p "$W/hostroot"
echo "host-secret-$$" > "$W/hostroot/secret"
jq --arg h "$W/hostroot" '.profiles.baseline.sensitive_mounts = [$h]' "$W/policy.json" > "$W/root-policy.json"
ROOT_JQ='.root.path = $h | .root.readonly = true | .process.args = ["cat", "/secret"]
  | .mounts += [{destination: "/bin", type: "bind", source: ($r + "/bin"), options: ["rbind", "ro"]}]'
B=$(bundle root-plain "$ROOT_JQ" --arg h "$W/hostroot" --arg r "$W/rootfs")
STARTED+=(hr-esc-root-plain)
OUT=$(runc run --bundle "$B" hr-esc-root-plain 2>&1 < /dev/null)
check_eq "attack works under plain runc: the container read the host directory" "$OUT" "host-secret-$$"
B=$(bundle root-shim "$ROOT_JQ" --arg h "$W/hostroot" --arg r "$W/rootfs")
shim_refuses "a host directory as root" "$B" hr-esc-root-shim \
  "refused by rule \"sensitive_mounts\": root.path is the host path $W/hostroot; it is $W/hostroot" \
  "$W/root-policy.json"

# --- 5. a default device whose path is a host file, with a user namespace ----
# runc cannot mknod in a user namespace, so it bind-mounts the host's file
# at each linux.devices path: "c 1:3" (the default /dev/null) at a host
# file's path hands over that file.  The mapping of container root to host
# root is one the policy allows.
mkdir -p "$W/devhost"
echo "host-secret-$$" > "$W/devhost/secret"
chmod 0600 "$W/devhost/secret"
DEV_JQ='.process.args = ["sh", "-c", "cat " + $f + " && echo written >> " + $f]
  | .linux.namespaces += [{type: "user"}]
  | .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}]
  | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]
  | .linux.devices = [{path: $f, type: "c", major: 1, minor: 3, fileMode: 438, uid: 0, gid: 0}]'
B=$(bundle dev-plain "$DEV_JQ" --arg f "$W/devhost/secret")
STARTED+=(hr-esc-dev-plain)
OUT=$(runc run --bundle "$B" hr-esc-dev-plain 2>&1 < /dev/null)
check_eq "attack works under plain runc: a root-only host file read through a device entry" "$OUT" "host-secret-$$"
check "attack works under plain runc: and written" grep -q written "$W/devhost/secret"
echo "host-secret-$$" > "$W/devhost/secret"
B=$(bundle dev-shim "$DEV_JQ" --arg f "$W/devhost/secret")
shim_refuses "a device entry naming a host file" "$B" hr-esc-dev-shim \
  "refused by rule \"devices\": the device $W/devhost/secret (c 1:3) is the host's file of that path bind-mounted"
check_eq "hardened-runc: the host file is unchanged" "$(cat "$W/devhost/secret")" "host-secret-$$"
# the device's own node still passes (/dev/zero: runc 1.1 cannot take an
# entry for /dev/null in a user namespace, with or without the shim)
B=$(bundle dev-zero "$DEV_JQ | .linux.devices[0] += {path: \"/dev/zero\", minor: 5} | .process.args = [\"true\"]" \
  --arg f "$W/devhost/secret")
STARTED+=(hr-esc-dev-zero)
OUT=$("$SHIM" --policy "$W/policy.json" run --bundle "$B" hr-esc-dev-zero 2>&1 < /dev/null)
check_eq "hardened-runc: /dev/zero as c 1:5 with a user namespace runs [$OUT]" "$?" 0

# --- 6. a tmpfs sized by nr_blocks --------------------------------------------
# tmpfs takes its size from the last of "size=" and "nr_blocks=", and
# nr_blocks=0 is unlimited: a valid "size=" first kept the profile's cap
# (tmpfs_max_size, 1M here) from applying.
jq '.profiles.baseline.tmpfs_max_size = "1M"' "$W/policy.json" > "$W/tmpfs-policy.json"
TMPFS_JQ='.process.args = ["sh", "-c", "dd if=/dev/zero of=/t/f bs=1024 count=4096 2>&1 && echo wrote-4M"]
  | .mounts += [{destination: "/t", type: "tmpfs", source: "tmpfs",
                 options: ["nosuid", "nodev", "noexec", "size=1m", "nr_blocks=0"]}]'
B=$(bundle tmpfs-plain "$TMPFS_JQ")
STARTED+=(hr-esc-tmpfs-plain)
OUT=$(runc run --bundle "$B" hr-esc-tmpfs-plain 2>&1 < /dev/null)
check_contains "attack works under plain runc: 4 MiB written to a tmpfs of size=1m,nr_blocks=0" "$OUT" wrote-4M
B=$(bundle tmpfs-shim "$TMPFS_JQ")
STARTED+=(hr-esc-tmpfs-shim)
OUT=$("$SHIM" --policy "$W/tmpfs-policy.json" run --bundle "$B" hr-esc-tmpfs-shim 2>&1 < /dev/null)
check_contains "hardened-runc: the tmpfs is capped at tmpfs_max_size" "$OUT" "No space left on device"
check_eq "hardened-runc: nr_blocks dropped, the cap's size last" \
  "$(jq -c '.mounts[] | select(.destination == "/t") | .options' "$B/config.json")" \
  '["nosuid","nodev","noexec","size=1048576"]'

finish "integration(escapes)"
