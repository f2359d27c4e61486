# Userlands for test containers and images (sourced; bash).
#   busybox_userland DIR USER-HOME   a static busybox in DIR/bin (a link per
#                                    applet), users root and user (1000)
#   busybox_tree DIR                 busybox_userland for an image (to add
#                                    files to): /tmp, /root, /home/user
#   debian_tarball_path RELEASE      where the cached Debian RELEASE is kept
#   debian_tarball RELEASE PACKAGES [MIRROR]
#                                    a minimal Debian RELEASE with PACKAGES
#                                    (comma-separated): debootstrap once (it
#                                    takes minutes and needs the archive),
#                                    then the cached tarball; prints its path

HR_IMAGE_CACHE=${HR_IMAGE_CACHE:-/var/cache/hardened-runc-test}

busybox_userland() {
  local d=$1 home=$2 a
  mkdir -p "$d/bin" "$d/etc"
  cp /bin/busybox "$d/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:%s:/bin/sh\n' "$home" > "$d/etc/passwd"
  printf 'root:x:0:\nuser:x:1000:\n' > "$d/etc/group"
}

busybox_tree() {
  mkdir -p "$1/tmp" "$1/var/tmp" "$1/run" "$1/root" "$1/home/user"
  chmod 1777 "$1/tmp"
  busybox_userland "$1" /home/user
}

debian_tarball_path() {
  echo "$HR_IMAGE_CACHE/debian-$1.tar"
}

# The tarball is kept with the package list it was built with: another
# list builds it again.  apt's package lists stay in it (apt-get reads
# them); the downloaded .deb files do not.
debian_tarball() {
  local release=$1 pkgs=$2 tar d
  tar=$(debian_tarball_path "$release")
  if [ ! -s "$tar" ] || [ "$(cat "$tar.pkgs" 2>/dev/null)" != "$pkgs" ]; then
    mkdir -p "$HR_IMAGE_CACHE"
    d=$(mktemp -d "/tmp/hr-debian-$release.XXXXXX")
    if ! debootstrap --variant=minbase --include="$pkgs" "$release" "$d" ${3:+"$3"} > "$d.log" 2>&1; then
      tail -n 20 "$d.log" >&2
      rm -rf "$d" "$d.log"
      return 1
    fi
    rm -rf "$d/var/cache/apt/archives"/*.deb
    tar -C "$d" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar" && echo "$pkgs" > "$tar.pkgs"
    rm -rf "$d" "$d.log"
  fi
  echo "$tar"
}
