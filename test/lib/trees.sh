# Removing test trees that may still have mounts under them (sourced; bash).
#   umount_under DIR...   lazily unmount every mount under each DIR, deepest first
#   remove_tree DIR...    umount_under, then remove DIR without ever crossing
#                         into another file system (a leftover bind of the
#                         host's /etc must not be emptied)

umount_under() {
  local d m
  for d in "$@"; do
    [ -n "$d" ] || continue
    grep -o " ${d}[^ ]*" /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
  done
  return 0
}

remove_tree() {
  local d
  umount_under "$@"
  for d in "$@"; do [ -n "$d" ] && rm -rf --one-file-system "$d"; done
  return 0
}
