#!/bin/sh
# Install the Debian packages that building and testing need, when missing.
# Used by `make check`, `make demo` and .ci/run; a no-op when all are there.
set -e
PKGS="build-essential clang libclang-rt-14-dev pkg-config libyajl-dev libcap-ng-dev libseccomp-dev libapparmor-dev libselinux1-dev apparmor check jq runc
docker.io containerd podman crun busybox-static python3 python3-yaml debootstrap logrotate iproute2 iptables util-linux hyperfine valgrind cppcheck criu
python3-grpcio python3-grpc-tools containernetworking-plugins groff-base"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing Debian packages:$missing (run as root, or install them)" >&2
  exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
