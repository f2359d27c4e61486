#!/bin/bash
# A current distribution under the baseline: a Debian trixie userland
# (glibc 2.41, debootstrap, cached as a tarball between runs like
# workloads.sh's Debian 12) runs its shell, coreutils, python3 and apt-get
# under real runc through hardened-runc, with Docker's default profile
# (the intersection) and with none (the baseline alone).  Syscalls newer
# than the baseline (fchmodat2, cachestat, map_shadow_stack, the futex2
# calls, mseal, ...) must get ENOSYS, on which glibc and Python fall back,
# never EPERM; plain runc without a profile lets them reach the kernel, so
# the probe can tell.
. "$(dirname "$0")/lib.sh"

need_root
need_commands runc jq
need_shim
need_probe
need_debian_userland trixie
work_dir trixie

# the userland, built once (debootstrap takes minutes) and cached
if ! TAR=$(debian_tarball trixie python3 http://deb.debian.org/debian); then
  bad "debootstrap trixie (does this machine's archive serve it?)"
  finish "integration(trixie)"
  exit 1
fi
mkdir "$W/rootfs"
tar -C "$W/rootfs" -xf "$TAR"
cp "$PROBE" "$W/rootfs/usr/local/bin/syscall-probe"
test_policy "$W/policy.json" "$W/audit.log"

# run RUNTIME PROFILE NAME CMD : docker's captured config (its bind mounts
# dropped), PROFILE docker = its seccomp profile, none = without one
run() {
  local rt=$1 prof=$2 name=$3 b="$W/$3"
  mkdir -p "$b"
  jq --arg r "$W/rootfs" --arg c "$4" --arg p "$prof" '.root.path = $r | .process.args = ["/bin/sh", "-c", $c]
    | .process.terminal = false | .process.env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root"]
    | del(.hooks) | .linux.cgroupsPath = "" | .linux.namespaces |= map(select(.path == null))
    | .mounts |= map(select(.type != "bind")) | if $p == "none" then del(.linux.seccomp) else . end' \
    "$TOP/test/fixtures/docker/default.json" > "$b/config.json"
  STARTED+=("hr-tx-$name")
  if [ "$rt" = hardened ]; then "$SHIM" --policy "$W/policy.json" run -b "$b" "hr-tx-$name" 2>&1
  else runc run -b "$b" "hr-tx-$name" 2>&1; fi
}
oneline() { printf '%s\n' "$1" | tr '\n' ' '; }

SHELL_SCRIPT='set -e; cd /tmp; echo a > f; cp f g; mv g h; ln -s h l; readlink l; chmod 600 h; stat -c %a h
touch -h l; sort f; date +%Y >/dev/null; ls -l l >/dev/null; du -s . >/dev/null; df / >/dev/null
mktemp -p /tmp >/dev/null; sha256sum f | cut -c1-8; install -m 644 f i; seq 3 | paste -sd,; id -u; echo ok'
PY='
import os, socket, ssl, stat, subprocess, threading
out = []
t = [threading.Thread(target=out.append, args=(i,)) for i in range(8)]
[x.start() for x in t]; [x.join() for x in t]
print("threads", sorted(out) == list(range(8)))
print("subprocess", subprocess.run(["sh", "-c", "echo $((6*7))"], capture_output=True, text=True).stdout.strip())
open("/tmp/p", "w").close()
os.chmod("/tmp/p", 0o640, follow_symlinks=False)  # glibc 2.41: fchmodat2 first, then its fallback
print("lchmod", oct(stat.S_IMODE(os.stat("/tmp/p").st_mode)))
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept(); c.sendall(b"ping")
print("socket", a.recv(4).decode())
print("ssl", ssl.OPENSSL_VERSION.split()[0])
'

for prof in docker none; do
  what="trixie, hardened-runc ($([ $prof = docker ] && echo "Docker's profile" || echo "no profile: the baseline"))"
  OUT=$(run hardened $prof "libc-$prof" 'ldd --version | head -1'); RC=$?
  check_contains "$what: glibc 2.41" "$RC:$OUT" "0:ldd (Debian GLIBC 2.41"
  OUT=$(run hardened $prof "sh-$prof" "$SHELL_SCRIPT"); RC=$?
  check_eq "$what: shell and coreutils" "$RC:$(oneline "$OUT")" "0:h 600 a 87428fc5 1,2,3 0 ok "
  OUT=$(run hardened $prof "py-$prof" "python3 -c '$PY'"); RC=$?
  check_eq "$what: python3 threads, subprocess, chmod without following links, sockets, ssl" "$RC:$(oneline "$OUT")" \
    "0:threads True subprocess 42 lchmod 0o640 socket ping ssl OpenSSL "
  OUT=$(run hardened $prof "apt-$prof" 'apt-get check -q >/dev/null 2>&1 && echo check-ok; apt-get -s install hello 2>/dev/null | grep -c "^Inst hello"'); RC=$?
  # (the read-only root makes apt warn that it cannot lock: not an error)
  check_eq "$what: apt-get check and a simulated install" "$RC:$(oneline "$OUT")" "0:check-ok 1 "
  OUT=$(run hardened $prof "new-$prof" 'syscall-probe newer'); RC=$?
  check_eq "$what: syscalls newer than the baseline get ENOSYS, none EPERM" \
    "$RC:$(printf '%s\n' "$OUT" | grep -v '^futex_waitv' | grep -vc 'errno=38$')" "0:0"
  printf '%s\n' "$OUT" | grep -v 'errno=38$' | sed 's/^/    /'
done
# the probe is not just reporting ENOSYS it would see anyway
OUT=$(run runc none new-plain 'syscall-probe newer')
check "plain runc without a profile: cachestat and fchmodat2 reach the kernel (not ENOSYS)" \
  test "$(printf '%s\n' "$OUT" | grep -c -e '^cachestat errno=38' -e '^fchmodat2 errno=38')" = 0

finish "integration(trixie)"
