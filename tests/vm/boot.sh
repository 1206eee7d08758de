#!/bin/sh
# boot.sh - boot the sbx test guest under qemu (TCG; KVM when /dev/kvm is usable)
#
# Usage: tests/vm/boot.sh IMAGE_DIR SHARE_DIR        batch run (what check-vm.sh does)
#        tests/vm/boot.sh -i IMAGE_DIR [SHARE_DIR]   serial console on this terminal
#                                                    (root autologin; Ctrl-A x quits)
# SHARE_DIR is the guest's /mnt/host (9p). In batch mode the guest runs
# SHARE_DIR/run.sh as root and powers off; the serial console goes to
# SHARE_DIR/out/console.log. The guest must write SHARE_DIR/out/booted within
# SBX_VM_BOOT_TIMEOUT seconds (default 240) and power off within
# SBX_VM_TIMEOUT seconds (default 1800) of the start, or qemu is killed and
# the tail of the console log is shown.
# The image is never modified (qemu -snapshot).
# Exit: 0 guest powered off, 2 no boot in time, 3 overall timeout, else qemu's status.
# Env: SBX_VM_SMP=2 SBX_VM_MEM=2048 SBX_VM_APPEND="" (extra kernel arguments)
set -eu

interactive=0
if [ "${1:-}" = -i ]; then interactive=1; shift; fi
img=${1:?usage: boot.sh [-i] IMAGE_DIR SHARE_DIR}
share=${2:-}
boot_tmo=${SBX_VM_BOOT_TIMEOUT:-240}
tmo=${SBX_VM_TIMEOUT:-1800}

for f in vmlinuz initrd.img rootfs.img; do
    [ -f "$img/$f" ] || { echo "boot.sh: $img/$f missing (run build-image.sh)" >&2; exit 1; }
done

# TCG: keep plain "-cpu max" (with svm=off the guest's mounts and udev fail)
if [ -w /dev/kvm ] && [ "${SBX_VM_KVM:-1}" != 0 ]; then
    set -- -accel kvm -cpu host
else
    set -- -accel tcg,thread=multi -cpu max
fi
# pure cgroup v2; panic=1 + -no-reboot: a kernel panic ends qemu instead of hanging
append="console=ttyS0 root=/dev/vda rw systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all"
append="$append mitigations=off panic=1 ${SBX_VM_APPEND:-}"
set -- "$@" -smp "${SBX_VM_SMP:-2}" -m "${SBX_VM_MEM:-2048}" -no-reboot -nic none \
    -kernel "$img/vmlinuz" -initrd "$img/initrd.img" -append "$append" \
    -drive "file=$img/rootfs.img,if=virtio,format=raw,cache=unsafe" -snapshot
if [ -n "$share" ]; then
    mkdir -p "$share/out"
    set -- "$@" -virtfs "local,path=$share,mount_tag=host,security_model=none,id=host"
fi

if [ "$interactive" = 1 ]; then
    exec qemu-system-x86_64 "$@" -nographic
fi

[ -n "$share" ] || { echo "boot.sh: batch mode needs SHARE_DIR" >&2; exit 1; }
out=$share/out
rm -f "$out/console.log" "$out/booted" "$out/done"

qemu-system-x86_64 "$@" -display none -monitor none -serial "file:$out/console.log" </dev/null &
qpid=$!
trap 'kill "$qpid" 2>/dev/null; exit 130' INT TERM HUP

console_tail() {
    echo "---- last 40 lines of the guest console"
    tail -n 40 "$out/console.log" 2>/dev/null | tr -d '\r'
    echo "----"
}

start=$(date +%s)
booted=
while kill -0 "$qpid" 2>/dev/null; do
    now=$(date +%s)
    if [ -z "$booted" ] && [ -f "$out/booted" ]; then
        booted=$((now - start))
        echo "boot.sh: guest up after ${booted}s"
    fi
    if [ -z "$booted" ] && [ $((now - start)) -ge "$boot_tmo" ]; then
        kill "$qpid" 2>/dev/null || true
        wait "$qpid" 2>/dev/null || true
        echo "boot.sh: FAIL: the guest did not boot within ${boot_tmo}s" >&2
        console_tail >&2
        exit 2
    fi
    if [ $((now - start)) -ge "$tmo" ]; then
        kill "$qpid" 2>/dev/null || true
        wait "$qpid" 2>/dev/null || true
        echo "boot.sh: FAIL: the guest did not finish within ${tmo}s" >&2
        console_tail >&2
        exit 3
    fi
    sleep 1
done
rc=0
wait "$qpid" || rc=$?
echo "boot.sh: qemu exited (status $rc) after $(($(date +%s) - start))s"
if [ -z "$booted" ]; then
    echo "boot.sh: FAIL: qemu exited before the guest booted" >&2
    console_tail >&2
    [ "$rc" != 0 ] || rc=2
fi
exit "$rc"
