#!/bin/sh
# build-image.sh - build (or reuse) the Debian 12 guest image of sbx's VM test tier.
#
# Usage: tests/vm/build-image.sh            (needs root for a cold build)
# Prints the image directory (vmlinuz, initrd.img, rootfs.img) as the last line
# on stdout; progress goes to stderr.
#
# The image is cached in $SBX_VM_CACHE/sbx-vm-<hash>/ (default /var/tmp), keyed
# by a hash of this script's content: edit this script and the next run builds
# a new image. The build happens in a temporary directory that is renamed
# only when complete, so an interrupted build is never reused. Other complete
# sbx-vm-<hash> images in the cache directory are removed after a build.
#
# The guest: Debian 12 (bookworm), systemd as PID 1, pure cgroup v2 (the kernel
# command line is set by boot.sh), no network, no apt sources. Users:
#   tester (uid 1000) with subuid/subgid 100000:65536, lingering
#   nosub  (uid 1001) with no subuid/subgid ranges, lingering
# At boot, sbx-hostrun.service runs /mnt/host/run.sh (a 9p share from the
# host, see boot.sh) as root. Nothing project-specific is baked in: the test
# logic comes with the share, so changing it does not rebuild the image.
#
# Env: MIRROR=<Debian mirror URL>  default: the host's apt sources (never printed)
#      SBX_VM_CACHE=/var/tmp       where images are cached
#      SBX_VM_REBUILD=1            rebuild even if a complete image exists
# Needs: debootstrap, e2fsprogs (mkfs.ext4 -d), util-linux (flock).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${SBX_VM_CACHE:-/var/tmp}
hash=$(sha256sum "$here/build-image.sh" | cut -c1-12)
dir=$cache/sbx-vm-$hash

log() { printf 'build-image: %s\n' "$*" >&2; }

if [ -f "$dir/image-ok" ] && [ "${SBX_VM_REBUILD:-0}" != 1 ]; then
    log "using cached image $dir"
    echo "$dir"
    exit 0
fi

[ "$(id -u)" = 0 ] || { log "building the guest image needs root (debootstrap)"; exit 1; }
for t in debootstrap mkfs.ext4 flock chroot; do
    command -v "$t" >/dev/null 2>&1 || { log "missing tool: $t (apt-get install debootstrap e2fsprogs)"; exit 1; }
done

mkdir -p "$cache"
# one builder at a time per hash; a second caller waits and then reuses
exec 9>"$cache/sbx-vm-$hash.lock"
flock 9
if [ -f "$dir/image-ok" ] && [ "${SBX_VM_REBUILD:-0}" != 1 ]; then
    log "using cached image $dir (built by a concurrent run)"
    echo "$dir"
    exit 0
fi

if [ -z "${MIRROR:-}" ]; then
    MIRROR=$( { cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
                    /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
        awk '/^URIs:/ && $2 ~ /\/debian\/?$/ { print $2; exit }
             /^deb / && $0 ~ /\/debian\/? / { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }')
fi
[ -n "$MIRROR" ] || { log "cannot find a Debian mirror in the host's apt sources; set MIRROR="; exit 1; }

tmp=$cache/sbx-vm-$hash.tmp.$$
R=$tmp/rootfs

# never descend into a still-mounted /proc or /sys of an interrupted chroot
cleanup() {
    if [ -n "${tmp:-}" ] && [ -d "$tmp" ]; then
        awk -v p="$tmp/" 'index($2, p) == 1 { print $2 }' /proc/mounts | sort -r |
            while read -r m; do umount -l "$m" 2>/dev/null || true; done
        rm -rf --one-file-system "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

rm -rf --one-file-system "$cache"/sbx-vm-"$hash".tmp.* 2>/dev/null || true
mkdir -p "$tmp"
t0=$(date +%s)

# ------------------------------------------------------------ 1. debootstrap
# What sbx needs at run time (its libraries and helpers), what the suites use
# (busybox-static for test roots, shunit2, procps, iproute2, util-linux) and
# what makes a desktop-like session (systemd, logind, user bus).
pkgs=systemd,systemd-sysv,dbus,dbus-user-session,libpam-systemd
pkgs=$pkgs,libcap2,libseccomp2,libsystemd0,libjson-c5
pkgs=$pkgs,uidmap,fuse-overlayfs,fuse3,passt,busybox-static,shunit2
pkgs=$pkgs,procps,iproute2,util-linux,kmod,initramfs-tools
# (no compiler, no python: nothing is built or scripted in the guest)
# the mirror's host name stays out of the logs
blog=$tmp/build.log
mhost=${MIRROR#*//}
mhost=${mhost%%/*}
logged() { # run "$@", output appended to $blog without the mirror's name
    lrc=0
    "$@" > "$blog.raw" 2>&1 || lrc=$?
    sed -e "s|$mhost|<mirror>|g" "$blog.raw" >> "$blog"
    rm -f "$blog.raw"
    return "$lrc"
}
fail() { tail -n 30 "$blog" >&2; log "$*"; exit 1; }
log "debootstrap (takes a few minutes)"
logged debootstrap --variant=minbase --include="$pkgs" bookworm "$R" "$MIRROR" ||
    fail "debootstrap failed"
[ -x "$R/sbin/init" ] || fail "debootstrap left no /sbin/init"

# The kernel comes second, with apt in the chroot, so that its initrd is
# built once and small: with Debian's MODULES=most, building it (twice,
# postinst and trigger) takes two of debootstrap's minutes. virtio and ext4
# are modules in Debian's kernel, so an initrd is needed.
log "installing the kernel"
mkdir -p "$R/etc/initramfs-tools/conf.d"
echo 'MODULES=list' > "$R/etc/initramfs-tools/conf.d/sbx.conf"
printf '%s\n' virtio_pci virtio_blk virtio_console ext4 crc32c_generic > "$R/etc/initramfs-tools/modules"
mount -t proc proc "$R/proc"
rc=0
logged chroot "$R" env DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends \
    -o Dpkg::Options::=--force-unsafe-io install linux-image-amd64 || rc=$?
umount "$R/proc"
[ "$rc" = 0 ] || fail "installing the kernel failed"
t1=$(date +%s)

# ------------------------------------------------------------ 2. configure
log "configuring the guest"
echo sbxvm > "$R/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 sbxvm\n::1 localhost ip6-localhost ip6-loopback\n' > "$R/etc/hosts"
cat > "$R/etc/fstab" <<'FSTAB'
/dev/vda  /          ext4  rw,errors=remount-ro,noatime  0 1
host      /mnt/host  9p    trans=virtio,version=9p2000.L,msize=262144,nofail,x-systemd.device-timeout=10s  0 0
FSTAB
mkdir -p "$R/mnt/host"

# no network and no apt in the guest; keep the mirror's name out of the image
echo '# no apt sources in the sbx test guest' > "$R/etc/apt/sources.list"
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R/var/log/bootstrap.log" \
       "$R/usr/lib/dpkg/methods/apt/setup" "$R"/var/log/apt/* "$R/etc/resolv.conf"
find "$R/var/cache/apt/archives" -name '*.deb' -delete
rm -rf "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/info/* "$R"/usr/share/locale/*

chroot "$R" systemd-machine-id-setup >/dev/null 2>&1
chroot "$R" passwd -d root >/dev/null            # root on the serial console, no password
chroot "$R" useradd -m -u 1000 -U -s /bin/bash tester
chroot "$R" useradd -m -u 1001 -U -s /bin/bash nosub
# useradd may allocate subordinate ranges itself: set them exactly
echo 'tester:100000:65536' > "$R/etc/subuid"
echo 'tester:100000:65536' > "$R/etc/subgid"
# lingering (== loginctl enable-linger): user@UID.service runs from boot
mkdir -p "$R/var/lib/systemd/linger"
touch "$R/var/lib/systemd/linger/tester" "$R/var/lib/systemd/linger/nosub"

# root autologin on the serial console (interactive debugging: boot.sh -i)
mkdir -p "$R/etc/systemd/system/serial-getty@ttyS0.service.d"
cat > "$R/etc/systemd/system/serial-getty@ttyS0.service.d/autologin.conf" <<'UNIT'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 %I $TERM
UNIT
# systemd tools must not page on a serial console or in a batch
echo 'export SYSTEMD_PAGER=cat' > "$R/etc/profile.d/sbx-nopager.sh"

# the batch hook: run /mnt/host/run.sh as root once the system is up
cat > "$R/etc/systemd/system/sbx-hostrun.service" <<'UNIT'
[Unit]
Description=Run /mnt/host/run.sh from the host's 9p share
After=multi-user.target
RequiresMountsFor=/mnt/host
ConditionPathExists=/mnt/host/run.sh

[Service]
# Type=exec, not oneshot: "systemctl is-system-running --wait" in run.sh
# would wait for this unit's own start-up otherwise
Type=exec
Environment=SYSTEMD_PAGER=cat
ExecStart=/bin/sh -c 'mkdir -p /mnt/host/out; exec /bin/sh /mnt/host/run.sh >/mnt/host/out/run.log 2>&1'

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/sbx-hostrun.service \
    "$R/etc/systemd/system/multi-user.target.wants/sbx-hostrun.service"
for u in e2scrub_reap.service e2scrub_all.timer apt-daily.timer apt-daily-upgrade.timer \
         fstrim.timer dpkg-db-backup.timer getty@tty1.service; do
    ln -sf /dev/null "$R/etc/systemd/system/$u"
done
# Debian's own Delegate= (cpu memory pids) is the default configuration;
# guest-run.sh widens it at run time for the second configuration
rm -rf "$R/etc/systemd/system/user@.service.d"

# ------------------------------------------------------------ 3. kernel, small initrd
kver=$(cd "$R/lib/modules" && printf '%s\n' * | sort -V | tail -n 1)
# hardware a qemu guest never has (saves ~250 MB)
for d in drivers/gpu drivers/net/wireless drivers/net/ethernet drivers/media \
         drivers/infiniband drivers/staging drivers/bluetooth drivers/isdn drivers/iio \
         sound net/bluetooth net/wireless net/mac80211; do
    rm -rf "${R:?}/lib/modules/$kver/kernel/$d"
done
chroot "$R" depmod "$kver"
cp "$R/boot/vmlinuz-$kver" "$tmp/vmlinuz"
cp "$R/boot/initrd.img-$kver" "$tmp/initrd.img"
rm -f "$R"/boot/initrd.img-*
chroot "$R" dpkg-query -W > "$tmp/packages.txt"
t2=$(date +%s)

# ------------------------------------------------------------ 4. ext4 image
log "writing rootfs.img"
mkfs.ext4 -q -F -L sbxroot -d "$R" "$tmp/rootfs.img" 2G >&2
rm -rf --one-file-system "$R"
t3=$(date +%s)
printf 'debootstrap+kernel %ss, configure %ss, mkfs %ss, total %ss\n' \
    $((t1 - t0)) $((t2 - t1)) $((t3 - t2)) $((t3 - t0)) > "$tmp/build-times.txt"
echo "$kver" > "$tmp/kernel-version"
touch "$tmp/image-ok"

rm -rf --one-file-system "$dir"
mv "$tmp" "$dir"
tmp=
# drop older images of this tier (other hashes) to keep /var/tmp small
for old in "$cache"/sbx-vm-*; do
    case $old in "$dir"|*.lock|*.tmp.*) continue ;; esac
    [ -f "$old/image-ok" ] && rm -rf --one-file-system "$old" "$old.lock"
done
log "built $dir: $(cat "$dir/build-times.txt")"
echo "$dir"
