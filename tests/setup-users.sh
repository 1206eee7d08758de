#!/bin/sh
# setup-users.sh - create the unprivileged test users (run as root; idempotent):
#   sbxtest   with subordinate ids 200000:65536 (range-mapped user namespace)
#   sbxnosub  with none (single-id map fallback)
set -eu
[ "$(id -u)" = 0 ] || { echo "setup-users.sh: must run as root" >&2; exit 1; }
make_user() {
    if ! id "$1" >/dev/null 2>&1; then
        useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$1"
    fi
}
set_range() { # FILE USER RANGE ("" for none)
    touch "$1"
    grep -v "^$2:" "$1" > "$1.sbx-tmp" || true
    [ -z "$3" ] || echo "$2:$3" >> "$1.sbx-tmp"
    cat "$1.sbx-tmp" > "$1"; rm -f "$1.sbx-tmp"
}
make_user sbxtest
make_user sbxnosub
for f in /etc/subuid /etc/subgid; do
    set_range "$f" sbxtest 200000:65536
    set_range "$f" sbxnosub ""
done
# A desktop's udev makes /dev/fuse usable by everyone (0666); machines
# without udev (containers, CI) leave it 0600, which would hide the
# fuse-overlayfs driver from the unprivileged test users.
if [ -c /dev/fuse ]; then chmod 0666 /dev/fuse; fi
