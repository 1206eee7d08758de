#!/bin/sh
# t-overlay.sh - overlay layers: --overlay roots (throwaway and persistent
# upper), bubblewrap's overlay options, whiteouts, the init layer, `sbx
# commit` round trips, both drivers, and bad inputs.
. "$(dirname "$0")/lib.sh"

IMG=$T/img
make_busybox_root "$IMG"
echo base >"$IMG/etc/base"
mkdir -p "$IMG/d/sub" && echo x >"$IMG/d/x" && echo y >"$IMG/d/sub/y"
echo keep >"$IMG/keep"
# a snapshot of the image, to prove that no lower layer is ever modified
(cd "$IMG" && find . | sort | xargs ls -ldn --time-style=+%s) >"$T/img.list"
# fuse-overlayfs needs a usable /dev/fuse (mode 0666 on most systems; 0600
# here without udev, so only root can use it)
fuse_usable() {
    command -v fuse-overlayfs >/dev/null && [ -r /dev/fuse ] && [ -w /dev/fuse ]
}
DRIVERS="kernel fuse"

# sbx_drv DRIVER ARGS...: run sbx with that overlay driver
sbx_drv() {
    _drv=$1
    shift
    run_sbx --overlay-driver "$_drv" "$@"
}
# kernel overlayfs in a user namespace keeps whiteouts in user.* xattrs,
# which a tmpfs (the throwaway upper) has only since Linux 6.6
KERNEL_DRV_WHY=
if "$SBX" --overlay-driver kernel --overlay "$IMG" -- /bin/true 2>"$T/kprobe"; then :; else
    grep -q 'no user xattrs' "$T/kprobe" && KERNEL_DRV_WHY=$(cat "$T/kprobe")
fi
skip_driver() {
    [ "$1" = kernel ] && [ -n "$KERNEL_DRV_WHY" ] && {
        echo "SKIP: $SUITE ${_shunit_test_:-?} (kernel part): $KERNEL_DRV_WHY"
        return 0
    }
    [ "$1" = fuse ] && ! fuse_usable && {
        echo "SKIP: $SUITE ${_shunit_test_:-?} (fuse part): /dev/fuse not usable by $(id -un) or fuse-overlayfs missing"
        return 0
    }
    return 1
}
assert_img_unchanged() {
    (cd "$IMG" && find . | sort | xargs ls -ldn --time-style=+%s) >"$T/img.after"
    cmp -s "$T/img.list" "$T/img.after" || fail "a lower layer changed: $(diff "$T/img.list" "$T/img.after" | tr '\n' ' ')"
}

test_overlay_root_and_discarded_writes() {
    for d in $DRIVERS; do
        skip_driver $d && continue
        sbx_drv $d --overlay "$IMG" -- /bin/sh -c 'cat /etc/base; echo new >/new; echo more >>/keep; cat /new /keep'
        assertEquals "$d: $(err)" 0 "$RC"
        assertEquals "$d" "base new keep more" "$(out | tr '\n' ' ' | sed 's/ $//')"
        sbx_drv $d --overlay "$IMG" -- /bin/sh -c 'ls /new 2>/dev/null; cat /keep'
        assertEquals "$d: writes not discarded" "keep" "$(out)"
    done
    assert_img_unchanged
}

test_stacking_order() {
    mkdir -p "$T/l2/etc" "$T/l3/etc"
    echo two >"$T/l2/etc/base"; echo two >"$T/l2/etc/only2"
    echo three >"$T/l3/etc/base"
    for d in $DRIVERS; do
        skip_driver $d && continue
        sbx_drv $d --overlay "$IMG" --overlay "$T/l2" --overlay "$T/l3" -- /bin/sh -c 'cat /etc/base /etc/only2'
        assertEquals "$d: $(err)" "three two" "$(out | tr '\n' ' ' | sed 's/ $//')"
        sbx_drv $d --overlay "$T/l3" --overlay "$T/l2" --overlay "$IMG" -- /bin/sh -c 'cat /etc/base'
        assertEquals "$d: last given is on top" "base" "$(out)"
    done
}

test_directives_apply_on_top_in_order() {
    mkdir -p "$T/host"; echo host >"$T/host/f"
    for d in $DRIVERS; do
        skip_driver $d && continue
        # the overlay root is the root wherever --overlay appears; binds go on top
        sbx_drv $d --ro-bind "$T/host" /d --overlay "$IMG" -- /bin/sh -c 'cat /d/f; ls /d'
        assertEquals "$d: $(err)" "host f" "$(out | tr '\n' ' ' | sed 's/ $//')"
    done
}

test_whiteouts_and_renames() {
    for d in $DRIVERS; do
        skip_driver $d && continue
        sbx_drv $d --overlay "$IMG" -- /bin/sh -c '
            rm /etc/base && rm -r /d && mkdir /d && echo n >/d/n && mv /keep /kept &&
            echo "$(ls /etc | grep -c base) $(ls /d) $(cat /kept) $(ls /keep 2>&1 | grep -c No)"'
        assertEquals "$d: $(err)" "0 n keep 1" "$(out)"
    done
    assert_img_unchanged
}

test_persistent_upper() {
    for d in $DRIVERS; do
        skip_driver $d && continue
        up=$T/up-$d
        sbx_drv $d --overlay "$IMG" --overlay-upper "$up" -- /bin/sh -c 'echo 1 >/count; rm /etc/base'
        assertEquals "$d: $(err)" 0 "$RC"
        sbx_drv $d --overlay "$IMG" --overlay-upper "$up" -- /bin/sh -c 'cat /count; ls /etc/base 2>&1 | grep -c No'
        assertEquals "$d: $(err)" "1 1" "$(out | tr '\n' ' ' | sed 's/ $//')"
        assertTrue "$d: upper holds the file" "[ -f '$up/count' ]"
        assertTrue "$d: work dir beside the upper" "[ -d '$T/.up-$d.sbx-work' ]"
        # nothing in the upper layer is owned by host root unless we are root
        if ! is_root; then
            n=$(find "$up" ! -user "$(id -u)" | wc -l)
            assertEquals "$d: files in the upper not owned by $(id -un)" 0 "$n"
        fi
    done
    assert_img_unchanged
}

test_init_layer() {
    for d in $DRIVERS; do
        skip_driver $d && continue
        up=$T/init-up-$d
        sbx_drv $d --unshare-uts --hostname box --overlay "$IMG" --overlay-upper "$up" -- \
            /bin/sh -c 'cat /etc/hostname; grep -c box /etc/hosts; echo ok >/etc/other'
        assertEquals "$d: $(err)" "box 1" "$(out | tr '\n' ' ' | sed 's/ $//')"
        assertFalse "$d: hostname written into the upper" "[ -e '$up/etc/hostname' ]"
        assertFalse "$d: hosts written into the upper" "[ -e '$up/etc/hosts' ]"
        assertTrue "$d: the sandbox's own write kept" "[ -f '$up/etc/other' ]"
        if [ -r /etc/resolv.conf ]; then
            sbx_drv $d --overlay "$IMG" -- /bin/cat /etc/resolv.conf
            assertEquals "$d: resolver (shared network)" "$(cat /etc/resolv.conf)" "$(out)"
        fi
    done
}

test_bwrap_style_overlays() {
    mkdir -p "$T/a" "$T/b"
    echo a >"$T/a/f"; echo a >"$T/a/onlya"; echo b >"$T/b/f"
    for d in $DRIVERS; do
        skip_driver $d && continue
        sbx_drv $d --overlay "$IMG" --overlay-src "$T/a" --overlay-src "$T/b" --tmp-overlay /mnt -- \
            /bin/sh -c 'cat /mnt/f /mnt/onlya; echo w >/mnt/w && cat /mnt/w'
        assertEquals "$d tmp: $(err)" "b a w" "$(out | tr '\n' ' ' | sed 's/ $//')"
        assertFalse "$d: tmp-overlay wrote to a source" "[ -e '$T/b/w' ] || [ -e '$T/a/w' ]"
        sbx_drv $d --overlay "$IMG" --overlay-src "$T/a" --overlay-src "$T/b" --ro-overlay /mnt -- \
            /bin/sh -c 'cat /mnt/f; echo w >/mnt/w || echo refused'
        assertEquals "$d ro: $(err)" "b refused" "$(out | tr '\n' ' ' | sed 's/ $//')"
        mkdir -p "$T/rw-$d/up" "$T/rw-$d/work"
        sbx_drv $d --overlay "$IMG" --overlay-src "$T/a" --rw-overlay "$T/rw-$d/up" "$T/rw-$d/work" /mnt -- \
            /bin/sh -c 'echo kept >/mnt/k; rm /mnt/onlya'
        assertEquals "$d rw: $(err)" 0 "$RC"
        assertEquals "$d rw: persisted" "kept" "$(cat "$T/rw-$d/up/k" 2>/dev/null)"
        assertTrue "$d rw: source untouched" "[ -f '$T/a/onlya' ]"
    done
    # bubblewrap's spelling: --overlay RWSRC WORKDIR DEST
    mkdir -p "$T/bw/up" "$T/bw/work"
    ln -sf "$SBX" "$T/bwrap"
    "$T/bwrap" --unshare-user --ro-bind "$IMG" / --overlay-src "$T/a" --overlay "$T/bw/up" "$T/bw/work" /root \
        /bin/sh -c 'echo bw >/root/bw' >"$OUT" 2>"$ERR"
    assertEquals "bwrap --overlay: $(err)" "bw" "$(cat "$T/bw/up/bw" 2>/dev/null)"
}

test_commit_directory_round_trip() {
    for d in $DRIVERS; do
        skip_driver $d && continue
        up=$T/c-up-$d layer=$T/layer-$d
        sbx_drv $d --overlay "$IMG" --overlay-upper "$up" -- /bin/sh -c '
            echo new >/new; echo changed >/keep; rm /etc/base; rm -r /d; mkdir -p /d; echo n >/d/n;
            ln -s keep /link; mkdir -p /e/f; echo deep >/e/f/g'
        assertEquals "$d: $(err)" 0 "$RC"
        run_sbx commit "$up" "$layer"
        assertEquals "$d commit: $(err)" 0 "$RC"
        # the new stack shows exactly the changed tree, with either driver
        for d2 in $DRIVERS; do
            skip_driver $d2 && continue
            sbx_drv $d2 --overlay "$IMG" --overlay "$layer" -- /bin/sh -c '
                cd / && find . -path ./proc -prune -o -path ./dev -prune -o -print | sort | grep -v "^./etc/host\|^./etc/resolv\|^./proc\|^./dev"
                cat /new /keep /d/n /e/f/g; readlink /link'
            assertEquals "$d->$d2: $(err)" 0 "$RC"
            (cd "$IMG" && find . | sort) | grep -v '^./etc/base$\|^./d/\|^./proc\|^./dev' >"$T/expect"
            printf '%s\n' ./d/n ./e ./e/f ./e/f/g ./link ./new >>"$T/expect"
            printf '%s\n' new changed n deep keep >"$T/expect.data"
            sort "$T/expect" >"$T/expect.sorted"
            cat "$T/expect.sorted" "$T/expect.data" >"$T/expect.all"
            out >"$T/got.all"
            cmp -s "$T/expect.all" "$T/got.all" ||
                fail "$d->$d2: tree differs: $(diff "$T/expect.all" "$T/got.all" | tr '\n' ' ')"
        done
    done
    assert_img_unchanged
}

test_commit_tar_oci_whiteouts() {
    for d in $DRIVERS; do
        skip_driver $d && continue
        up=$T/t-up-$d
        sbx_drv $d --overlay "$IMG" --overlay-upper "$up" -- /bin/sh -c '
            rm /etc/base; rm -r /d; mkdir /d; echo n >/d/n; echo new >/new'
        run_sbx commit "$up" "$T/layer-$d.tar"
        assertEquals "$d commit: $(err)" 0 "$RC"
        tar -tf "$T/layer-$d.tar" | sort >"$T/tar.list"
        assertEquals "$d: tar entries" "d/
d/.wh..wh..opq
d/n
etc/
etc/.wh.base
new" "$(cat "$T/tar.list")"
        # extracted and converted back (what an OCI tool does), it is the same layer
        mkdir -p "$T/x-$d" && tar -xf "$T/layer-$d.tar" -C "$T/x-$d"
        assertEquals "$d: content" "new" "$(cat "$T/x-$d/new")"
    done
}

test_info_and_verbose_show_driver() {
    for d in $DRIVERS; do
        skip_driver $d && continue
        "$SBX" --overlay-driver $d --verbose --info-fd 3 --overlay "$IMG" -- /bin/true 3>"$T/info" >"$OUT" 2>"$ERR"
        grep -q "\"overlay-driver\": \"$d\"" "$T/info" || fail "$d: info: $(cat "$T/info")"
        grep -q "overlay driver: $( [ $d = kernel ] && echo kernel || echo fuse)" "$ERR" || fail "$d: verbose: $(err)"
    done
}

test_auto_falls_back_to_fuse() {
    # kernel overlayfs refuses a lower layer on procfs; fuse-overlayfs takes it
    [ -d /proc/sys/kernel ] || { skip_test "no /proc/sys/kernel"; return; }
    if fuse_usable; then
        "$SBX" --verbose --info-fd 3 --overlay "$IMG" --overlay-src /proc/sys/kernel --overlay-src "$IMG/etc" \
            --tmp-overlay /mnt -- /bin/sh -c 'ls /mnt/base /mnt/ostype' 3>"$T/info" >"$OUT" 2>"$ERR"
        assertEquals "$(err)" "/mnt/base /mnt/ostype" "$(out | tr '\n' ' ' | sed 's/ $//')"
        grep -q 'kernel overlayfs refused it' "$ERR" || fail "no fallback note: $(err)"
        # the root uses the kernel driver where the kernel can (see KERNEL_DRV_WHY)
        want=kernel+fuse
        [ -n "$KERNEL_DRV_WHY" ] && want=fuse
        grep -q "\"overlay-driver\": \"$want\"" "$T/info" || fail "info: $(cat "$T/info")"
    else
        snapshot_host
        run_sbx --overlay "$IMG" --overlay-src /proc/sys/kernel --overlay-src "$IMG/etc" --tmp-overlay /mnt -- /bin/true
        assert_error '--tmp-overlay /mnt: kernel overlayfs refused it .*, and .*fuse-overlayfs'
        assert_host_unchanged
    fi
}

test_bad_inputs() {
    snapshot_host
    run_sbx --overlay "$T/nope" -- /bin/true
    assert_error "--overlay $T/nope: No such file or directory"
    run_sbx --overlay "$IMG/keep" -- /bin/true
    assert_error "--overlay $IMG/keep: Not a directory"
    ln -sf "$IMG" "$T/imglink"
    run_sbx --overlay "$T/imglink" -- /bin/true
    assert_error "--overlay $T/imglink: is a symbolic link"
    run_sbx --overlay "$IMG" --overlay-upper "$IMG/d/up" -- /bin/true
    assert_error "--overlay-upper $IMG/d/up: the upper directory is inside the lower layer $IMG"
    assertFalse "upper created inside the lower" "[ -e '$IMG/d/up' ]"
    run_sbx --overlay "$IMG/d" --overlay-upper "$IMG" -- /bin/true
    assert_error "--overlay-upper $IMG: the lower layer $IMG/d is inside the upper directory"
    run_sbx --overlay "$IMG" --overlay-upper "$T/nodir/up" -- /bin/true
    assert_error "--overlay-upper $T/nodir/up: No such file or directory"
    ln -sf "$T" "$T/uplink"
    run_sbx --overlay "$IMG" --overlay-upper "$T/uplink" -- /bin/true
    assert_error "--overlay-upper $T/uplink: is a symbolic link"
    run_sbx --overlay-src "$T/nope" --tmp-overlay /mnt -- /bin/true
    assert_error "--tmp-overlay /mnt: $T/nope: No such file or directory"
    run_sbx --overlay-driver fuse --overlay "$IMG" -- /bin/true
    fuse_usable || assert_error "--overlay $IMG: fuse-overlayfs needs /dev/fuse|--overlay $IMG: fuse-overlayfs not found"
    env SBX_FUSE_OVERLAYFS=/nonexistent "$SBX" --overlay-driver fuse --overlay "$IMG" -- /bin/true >"$OUT" 2>"$ERR"
    RC=$?
    assert_error "--overlay $IMG: fuse-overlayfs not found \(apt install fuse-overlayfs\)"
    env PATH=/nonexistent "$SBX" --overlay-driver fuse --overlay "$IMG" -- /bin/true >"$OUT" 2>"$ERR"
    RC=$?
    assert_error "--overlay $IMG: fuse-overlayfs not found \(apt install fuse-overlayfs\)"
    run_sbx commit "$T/nope" "$T/outlayer"
    assert_error "commit $T/nope: No such file or directory"
    run_sbx commit "$IMG" "$IMG/etc"
    assert_error "commit $IMG/etc: is inside the upper directory"
    run_sbx commit "$IMG"
    assert_error "commit: usage"
    assertFalse "$T/outlayer left behind" "[ -e '$T/outlayer' ]"
    assert_img_unchanged
    assert_host_unchanged
}

test_upper_in_use() {
    up=$T/busy
    "$SBX" --overlay "$IMG" --overlay-upper "$up" -- /bin/sh -c 'touch /started; sleep 30' >/dev/null 2>&1 &
    pid=$!
    wait_until test -e "$up/started"
    snapshot_host
    run_sbx --overlay "$IMG" --overlay-upper "$up" -- /bin/true
    assert_error "--overlay-upper $up: in use by another running sandbox"
    run_sbx commit "$up" "$T/busy-layer"
    assert_error "commit $up: in use by a running sandbox"
    assertFalse "[ -e '$T/busy-layer' ]"
    assert_host_unchanged
    kill $pid 2>/dev/null
    wait $pid 2>/dev/null
    run_sbx --overlay "$IMG" --overlay-upper "$up" -- /bin/true
    assertEquals "upper free again: $(err)" 0 "$RC"
}

test_nothing_left_on_host() {
    mkdir -p "$T/a"
    for d in $DRIVERS; do
        skip_driver $d && continue
        snapshot_host
        sbx_drv $d --overlay "$IMG" --overlay-src "$T/a" --tmp-overlay /mnt -- /bin/true
        assertEquals "$d: $(err)" 0 "$RC"
        assert_host_unchanged
        ps -o stat= -o comm= -u "$(id -u)" | grep -v '^Z' | grep -q fuse-overlayfs && fail "$d: a fuse-overlayfs daemon outlived the sandbox"
    done
    return 0
}

. "$SHUNIT2"
