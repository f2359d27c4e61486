#!/bin/sh
# Run the unit test binary BIN, after the command words that follow it
# (env, valgrind ...): as root, as nobody (uid 65534, no groups, no
# capabilities), from a copy of the binary and the data files it reads,
# so that a unit test that needs root, or writes where only root may,
# fails.  Unit tests need no root (test/unit/unit.h).
set -eu
bin=$1
shift
if [ "$(id -u)" != 0 ]; then
  exec "$@" "$bin"
fi
d=$(mktemp -d /tmp/hr-unit-nobody.XXXXXX)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/test/fixtures" "$d/test/spec-fields"
cp "$bin" "$d/test-unit"
cp -r test/fixtures/docker "$d/test/fixtures/"
cp test/spec-fields/fields.txt "$d/test/spec-fields/"
chmod -R a+rX "$d"
cd "$d"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@" ./test-unit
