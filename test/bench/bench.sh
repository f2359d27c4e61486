#!/bin/bash
# make bench: what the shim costs, as ratios against plain runc measured in
# the same run (hyperfine medians).  Never used as a pass/fail gate.
#   0. start:    container start (busybox true) measured alternately in
#                one run (test/bench/alternate.py): runc run of Docker's
#                config vs hardened-runc run of it (goal <= 0.85), the shim
#                in audit mode (its own cost, goal <= 1.01), and runc run of
#                the hardened config with the native-only filter, with the
#                compat32 filter (three ABIs) and without seccomp; and
#                libseccomp's build of each filter alone (filter-cost.c)
#   1. run:      hardened-runc run  vs runc run, same busybox bundle
#   2. rewrite:  the shim's own work on create (runtime = a no-op) for
#                config.json of ~10 KB .. 10 MB, vs the no-op runtime alone
#   3. state:    passthrough hardened-runc state vs runc state
#   4. memory:   peak RSS of the shim per config size
#   5. syscalls: a getppid loop inside a container under the baseline
#                seccomp profile (native ABI only, and compat32's three
#                ABIs) vs Docker's default vs no profile
#   6. docker:   `docker run --rm` end to end through a private dockerd,
#                --runtime=runc, --runtime=hardened, the shim in audit
#                mode and a static exec-only wrapper, alternating
set -u
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_commands hyperfine runc
need_shim
need_probe

RUNS=${BENCH_RUNS:-40}
SYSCALLS=${BENCH_SYSCALLS:-5000000}
# Bundles on tmpfs, as dockerd/containerd keep them (/run/containerd/...).
work_dir bench
mount -t tmpfs -o size=512m hr-bench "$W"
STARTED+=(hrb-state)
at_exit 'type dockerd_stop >/dev/null 2>&1 && dockerd_stop'
OUT=${BENCH_OUT:-$TOP/test/bench/results.md}

make_rootfs "$W/rootfs"
cp "$TOP/test/probe/syscall-probe" "$W/rootfs/bin/syscall-probe"
# The least any wrapper can cost: a static program that only execs.
printf '#include <unistd.h>\nint main(int c, char **v) { (void) c; execv(v[1], v + 1); return 127; }\n' > "$W/floor.c"
cc -O2 -static -o "$W/exec-floor" "$W/floor.c"
test_policy "$W/policy.json" "$W/audit.log"
# a runtime that does nothing (and answers "features", which the shim asks once)
noop_runtime "$W/noop"
jq --arg r "$W/noop" '.runtime = $r' "$W/policy.json" > "$W/policy-true.json"

# A docker-captured config when the fixtures have one, else runc's spec.
mkdir -p "$W/b"
if [ -f "$TOP/test/fixtures/docker/default.json" ]; then
  # the capture's bind mounts (resolv.conf, hosts, hostname) belonged to
  # that dockerd: drop them; keep everything else docker wrote
  jq --arg r "$W/rootfs" '.root.path = $r | .process.args = ["true"] | .process.terminal = false
    | del(.hooks) | .linux.cgroupsPath = "" | .linux.namespaces |= map(select(.path == null))
    | .mounts |= map(select(.type != "bind"))' \
    "$TOP/test/fixtures/docker/default.json" > "$W/b/config.json"
  SRC="docker-captured default.json"
else
  (cd "$W/b" && runc spec) && jq --arg r "$W/rootfs" '.root.path = $r | .process.args = ["true"] | .process.terminal = false' \
    "$W/b/config.json" > "$W/b/c" && mv "$W/b/c" "$W/b/config.json"
  SRC="runc spec"
fi
cp "$W/b/config.json" "$W/b/orig.json"

median() { jq -r ".results[$2].median" "$1"; }

hf() { # hf JSON-OUT CMD-A CMD-B [prepare]
  local out=$1 a=$2 b=$3 prep=${4:-true}
  hyperfine -N --style none --warmup 5 --runs "$RUNS" --prepare "$prep" --export-json "$out" "$a" "$b" >/dev/null 2>&1
}

row() { # row NAME JSON
  local a b
  a=$(median "$2" 0); b=$(median "$2" 1)
  awk -v n="$1" -v a="$a" -v b="$b" 'BEGIN { printf "| %s | %.3f ms | %.3f ms | %+.3f ms | %.3f |\n", n, b*1000, a*1000, (a-b)*1000, a/b }'
}

{
echo "# hardened-runc benchmark"
echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), $(runc --version | head -1); config: $SRC ($(stat -c %s "$W/b/orig.json") bytes); hyperfine medians over $RUNS runs; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
# --- 0. container start, alternating --------------------------------------
jq '.mode = "audit"' "$W/policy.json" > "$W/policy-audit.json"
mkdir -p "$W/s"
# the configs the shim writes (runtime = a no-op), for runc to start
for v in native compat32; do
  cp "$W/b/orig.json" "$W/s/config.json"
  if [ $v = native ]; then prof=(); else prof=(--profile compat32); fi
  "$SHIM" --policy "$W/policy-true.json" "${prof[@]}" create -b "$W/s" hrb-x >/dev/null 2>&1
  cp "$W/s/config.json" "$W/s/$v.json"
done
jq 'del(.linux.seccomp)' "$W/s/native.json" > "$W/s/none.json"
SRUNS=${BENCH_START_RUNS:-25}
jq -n --arg shim "$SHIM" --arg p "$W/policy.json" --arg a "$W/policy-audit.json" --arg b "$W/b" --arg s "$W/s" '
  def cp(f): ["cp", f, $b + "/config.json"];
  [ {name: "runc run, Docker'"'"'s config (dockerd 20.10: seccomp for x86_64, x86, x32)", cmd: ["runc", "run", "-b", $b, "hrb-s"], prepare: cp($b + "/orig.json")},
    {name: "hardened-runc run, same config (the container is hardened) -- goal <= 0.85", cmd: [$shim, "--policy", $p, "run", "-b", $b, "hrb-s"], prepare: cp($b + "/orig.json")},
    {name: "hardened-runc run, audit mode (same container as runc'"'"'s: the wrapper'"'"'s own cost) -- goal <= 1.01", cmd: [$shim, "--policy", $a, "run", "-b", $b, "hrb-s"], prepare: cp($b + "/orig.json")},
    {name: "runc run of the hardened config (filter for x86_64 only)", cmd: ["runc", "run", "-b", $b, "hrb-s"], prepare: cp($s + "/native.json")},
    {name: "runc run of the hardened config, compat32 profile (filter for x86_64, x86, x32)", cmd: ["runc", "run", "-b", $b, "hrb-s"], prepare: cp($s + "/compat32.json")},
    {name: "runc run of the hardened config without seccomp", cmd: ["runc", "run", "-b", $b, "hrb-s"], prepare: cp($s + "/none.json")} ]' \
  | python3 "$TOP/test/bench/alternate.py" "$SRUNS" > "$W/start.json"
echo "Container start (\`true\` in busybox), the commands alternating round by round, medians over $SRUNS rounds:"
echo
echo "| what | median | vs runc run of Docker's config |"
echo "|---|---|---|"
jq -r '.results[0].median as $d | .results[] | "| \(.name) | \(.median * 1000 * 10 | round / 10) ms | \(.median / $d * 100 | round / 100) |"' "$W/start.json"
echo

# what of that is libseccomp building the filter (runc does it in its init)
cc -O2 -o "$W/filter-cost" "$TOP/test/bench/filter-cost.c" -l:libseccomp.a
echo "libseccomp building the filter as runc does (unconditional rules; median of 25 builds; in-process, no runc):"
echo
echo "| filter | ABIs | rule adds | build | peak heap |"
echo "|---|---|---|---|---|"
for f in "Docker's default (dockerd 20.10)|$W/b/orig.json" "hardened, compat32 (the baseline before issue 15 listed these ABIs)|$W/s/compat32.json" \
  "hardened (baseline AND Docker's)|$W/s/native.json"; do
  archs=$(jq -r '.linux.seccomp.architectures | map(ascii_downcase | sub("scmp_arch_"; "")) | join(",")' "${f#*|}")
  jq -r '.linux.seccomp.syscalls[] | select((.args // []) | length == 0)
    | "\(if .action == "SCMP_ACT_ALLOW" then "A" else "E" end) \(.errnoRet // 1) \(.names[])"' "${f#*|}" \
    | "$W/filter-cost" "$archs" 25 | awk -v n="${f%%|*}" -v a="$archs" '{ printf "| %s | %s | %d | %.1f ms | %d KiB |\n", n, a, $1, $2, $3 }'
done
echo

echo "| what | plain | hardened-runc | added | ratio |"
echo "|---|---|---|---|---|"

hf "$W/run.json" "$SHIM --policy $W/policy.json run -b $W/b hrb-run" "runc run -b $W/b hrb-run" "cp $W/b/orig.json $W/b/config.json"
row "\`run\` (container start to exit; the hardened container does more: tmpfs, limits)" "$W/run.json"
# the same hardened container for both: runc on the config the shim wrote
mkdir -p "$W/hb"
cp "$W/b/orig.json" "$W/hb/config.json"
"$SHIM" --policy "$W/policy-true.json" create -b "$W/hb" hrb-x >/dev/null 2>&1
cp "$W/hb/config.json" "$W/hb/hardened.json"
hf "$W/run-same.json" "$SHIM --policy $W/policy.json run -b $W/b hrb-run" "runc run -b $W/hb hrb-run" \
  "cp $W/b/orig.json $W/b/config.json"
row "\`run\`, same hardened container (the shim's added time)" "$W/run-same.json"

hf "$W/create.json" "$SHIM --policy $W/policy-true.json create -b $W/b hrb-x" "$W/noop create -b $W/b hrb-x" "cp $W/b/orig.json $W/b/config.json"
row "create rewrite only (runtime = a no-op)" "$W/create.json"
hf "$W/floor.json" "$W/exec-floor $W/noop create -b $W/b hrb-x" "$W/noop create -b $W/b hrb-x"
row "exec floor: a static wrapper that only execs the no-op runtime" "$W/floor.json"
hf "$W/own.json" "$SHIM --policy $W/policy-true.json create -b $W/b hrb-x" "$W/exec-floor $W/noop create -b $W/b hrb-x" "cp $W/b/orig.json $W/b/config.json"
row "create rewrite vs the exec floor (the shim's own work)" "$W/own.json"

cp "$W/b/orig.json" "$W/b/config.json"
runc create -b "$W/b" hrb-state >/dev/null 2>&1
hf "$W/state.json" "$SHIM state hrb-state" "runc state hrb-state"
row "passthrough \`state\`" "$W/state.json"
hf "$W/state-floor.json" "$SHIM state hrb-state" "$W/exec-floor $(command -v runc) state hrb-state"
row "passthrough \`state\` vs the exec floor" "$W/state-floor.json"
runc delete -f hrb-state >/dev/null 2>&1

echo
echo "Rewrite cost by config.json size (runtime = a no-op, so only the shim's work is timed):"
echo
echo "| config.json | shim median | added over the no-op runtime | per MB | peak RSS |"
echo "|---|---|---|---|---|"
for n in 10 100 1000 10000; do
  # grow the config with env entries, mounts and annotations to ~n KB
  count=$(( n * 1024 / 150 ))
  jq --argjson c "$count" '
    .process.env += [range($c) | "VAR_\(.)=" + ("x" * 80)]
    | .mounts += [range($c / 4 | floor) | {destination: "/data/\(.)", type: "bind", source: "/srv/data/\(.)", options: ["rbind", "ro"]}]
    | .annotations = ([range($c / 4 | floor) | {key: "org.example.\(.)", value: ("v" * 60)}] | from_entries)' \
    "$W/b/orig.json" > "$W/big-$n.json"
  mkdir -p "$W/big$n"; cp "$W/big-$n.json" "$W/big$n/config.json"
  hf "$W/size-$n.json" "$SHIM --policy $W/policy-true.json create -b $W/big$n hrb-x" "$W/noop create -b $W/big$n hrb-x" \
    "cp $W/big-$n.json $W/big$n/config.json"
  a=$(median "$W/size-$n.json" 0); b=$(median "$W/size-$n.json" 1)
  size=$(stat -c %s "$W/big-$n.json")
  cp "$W/big-$n.json" "$W/big$n/config.json"
  rss=$(/usr/bin/time -f %M "$SHIM" --policy "$W/policy-true.json" create -b "$W/big$n" hrb-x 2>&1 >/dev/null | tail -1)
  awk -v s="$size" -v a="$a" -v b="$b" -v r="$rss" 'BEGIN { printf "| %.0f KB | %.3f ms | %+.3f ms | %.2f ms | %d KB |\n", s/1024, a*1000, (a-b)*1000, (a-b)*1000/(s/1048576), r }'
done

echo
echo "Cost of one syscall inside the container (getppid loop, $SYSCALLS calls, median of 5 containers each):"
echo
echo "| seccomp filter | ns per getppid | ratio to none | ratio to Docker's |"
echo "|---|---|---|---|"
# getppid_ns NAME RUNTIME CONFIG-JQ : median ns/call over 5 containers
getppid_ns() {
  local name=$1 rt=$2 filter=$3 i
  mkdir -p "$W/g-$name"
  for i in 1 2 3 4 5; do
    jq --arg n "$SYSCALLS" ".process.args = [\"syscall-probe\", \"getppid\", \$n] | $filter" "$W/b/orig.json" \
      > "$W/g-$name/config.json"
    $rt run -b "$W/g-$name" "hrb-g-$name" 2>/dev/null | sed -n 's/^getppid: \([0-9.]*\) ns.*/\1/p'
  done | sort -n | sed -n 3p
}
none=$(getppid_ns none runc 'del(.linux.seccomp)')
docker=$(getppid_ns docker runc '.')
base=$(getppid_ns baseline "$SHIM --policy $W/policy.json" 'del(.linux.seccomp)')
both=$(getppid_ns both "$SHIM --policy $W/policy.json" '.')
compat=$(getppid_ns compat32 "$SHIM --policy $W/policy.json --profile compat32" '.')
for r in "none|$none" "Docker's default (dockerd 20.10: x86_64, x86, x32)|$docker" \
  "hardened-runc baseline (container started unconfined; x86_64 only)|$base" \
  "hardened-runc: baseline AND Docker's default (x86_64 only)|$both" \
  "hardened-runc compat32: baseline AND Docker's default (x86_64, x86, x32)|$compat"; do
  awk -F'|' -v none="$none" -v d="$docker" '{ printf "| %s | %.1f | %.2f | %.2f |\n", $1, $2, $2/none, $2/d }' <<< "$r"
done

echo
# the private dockerd runs only for this section
. "$TOP/test/lib/dockerd.sh"
# audit mode: the shim parses, decides and logs but the container is the
# one runc would start; that row is the wrapper's own cost end to end
jq '.mode = "audit"' "$W/policy.json" > "$W/policy-audit.json"
# the least any runtime wrapper costs end to end: a static program that
# only execs runc with the same argv
printf '#include <unistd.h>\nint main(int c, char **v) { (void) c; v[0] = "%s"; execv(v[0], v); return 127; }\n' \
  "$(command -v runc)" > "$W/floor-runc.c"
cc -O2 -static -o "$W/floor-runc" "$W/floor-runc.c"
RUNTIMES=$(jq -n --arg shim "$SHIM" --arg p "$W/policy.json" --arg a "$W/policy-audit.json" --arg f "$W/floor-runc" \
  '{hardened: {path: $shim, runtimeArgs: ["--policy", $p]}, "hardened-audit": {path: $shim, runtimeArgs: ["--policy", $a]},
    "exec-floor": {path: $f}}')
if dockerd_start "$W/dockerd" "$RUNTIMES" >/dev/null 2>&1 && image_busybox hr-busybox; then
  DRUNS=${BENCH_DOCKER_RUNS:-20}
  # alternating, like the start rows: runc, hardened, audit, floor, runc, ...
  jq -n --arg d "$DOCKER" '($d | split(" ")) as $dk | [
    {name: "docker run --rm --runtime=runc", cmd: ($dk + ["run", "--rm", "--runtime=runc", "hr-busybox", "true"])},
    {name: "docker run --rm --runtime=hardened (the container also gets its seccomp filter, tmpfs and limits) -- goal <= 1.00", cmd: ($dk + ["run", "--rm", "--runtime=hardened", "hr-busybox", "true"])},
    {name: "docker run --rm, audit-mode policy (same container as runc'"'"'s: the wrapper'"'"'s own cost) -- goal <= 1.01", cmd: ($dk + ["run", "--rm", "--runtime=hardened-audit", "hr-busybox", "true"])},
    {name: "docker run --rm through a static program that only execs runc (what any wrapper pays)", cmd: ($dk + ["run", "--rm", "--runtime=exec-floor", "hr-busybox", "true"])} ]' \
    | python3 "$TOP/test/bench/alternate.py" "$DRUNS" > "$W/docker.json"
  echo "\`docker run --rm busybox true\` end to end (private dockerd 20.10), alternating, medians over $DRUNS rounds:"
  echo
  echo "| what | median | vs runc |"
  echo "|---|---|---|"
  jq -r '.results[0].median as $d | .results[] | "| \(.name) | \(.median * 1000 * 10 | round / 10) ms | \(.median / $d * 100 | round / 100) |"' "$W/docker.json"
  dockerd_stop
else
  echo "(docker run: the private dockerd did not start; section skipped)"
fi
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare rows of one run, not runs)."
} | tee "$OUT"
