#!/bin/sh
# t-fs.sh - filesystem directives, applied in command-line order.
. "$(dirname "$0")/lib.sh"

sbx_sh() { run_sbx $BASE "$@"; }

test_root_is_only_what_was_asked() {
    run_sbx $BASE --dir /a -- /bin/ls -A /
    assertEquals "$(err)" "a bin lib lib64 sbin usr" "$(out | tr '\n' ' ' | sed 's/ $//')"
}

test_no_old_root_left() {
    run_sbx $BASE --unshare-pid --proc /proc -- /bin/cat /proc/self/mountinfo
    # /, /usr and /proc (and procfs' read-only covers below /proc): nothing else
    assertEquals "mounts: $(out)" "/ /proc /usr" "$(cut -d' ' -f5 "$OUT" | grep -v '^/proc/' | sort | tr '\n' ' ' | sed 's/ $//')"
    grep -q oldroot "$OUT" && fail "an old root is visible: $(out)"
    return 0
}

test_ro_bind_is_read_only() {
    mkdir -p "$T/ro" && echo data >"$T/ro/f"
    run_sbx $BASE --ro-bind "$T/ro" /ro -- /bin/sh -c 'cat /ro/f; echo x >>/ro/f'
    assertEquals "data" "$(head -1 "$OUT")"
    grep -q 'Read-only file system' "$ERR" || fail "write was not refused: $(err)"
    assertEquals "host file changed" "data" "$(cat "$T/ro/f")"
}

test_ro_bind_submounts_read_only() {
    # the host's /dev/shm is a tmpfs submount of /dev, writable by everyone
    findmnt -n /dev/shm >/dev/null || { skip_test "no /dev/shm mount on this host"; return; }
    run_sbx $BASE --ro-bind /dev /hostdev -- /bin/sh -c 'touch /hostdev/shm/sbx-ro-test || echo ro-sub'
    assertEquals "$(err)" "ro-sub" "$(out)"
    grep -q 'Read-only file system' "$ERR" || fail "not refused as read-only: $(err)"
    # and a submount made inside the sandbox, seen through a later read-only bind of the same tree
    mkdir -p "$T/sub"
    run_sbx $BASE --bind "$T/sub" /a --tmpfs /a/inner --remount-ro /a -- \
        /bin/sh -c 'touch /a/inner/x || echo ro-inner'
    assertEquals "$(err)" "ro-inner" "$(out)"
}

test_bind_is_writable() {
    mkdir -p "$T/rw"
    run_sbx $BASE --bind "$T/rw" /rw -- /bin/sh -c 'echo hello >/rw/new'
    assertEquals "$(err)" "hello" "$(cat "$T/rw/new" 2>/dev/null)"
}

test_bind_try_missing_source() {
    run_sbx $BASE --bind-try /no/such /x --ro-bind-try /no/such2 /y --dev-bind-try /no/such3 /z -- /bin/ls /
    assertEquals "$(err)" 0 "$RC"
    grep -qx x "$OUT" && fail "--bind-try created /x for a missing source"
    return 0
}

test_dev_bind_allows_devices() {
    run_sbx $BASE --bind /dev/null /null -- /bin/sh -c 'echo x >/null'
    assertNotEquals "device usable through --bind" 0 "$RC"
    run_sbx $BASE --dev-bind /dev/null /null -- /bin/sh -c 'echo x >/null && echo ok'
    assertEquals "$(err)" "ok" "$(out)"
}

test_bind_fd() {
    mkdir -p "$T/bfd" && echo viafd >"$T/bfd/f"
    "$SBX" $BASE --bind-fd 3 /m -- /bin/sh -c 'cat /m/f; echo w >/m/w' 3<"$T/bfd" >"$OUT" 2>"$ERR"
    assertEquals "$(err)" "viafd" "$(out)"
    assertTrue "write through --bind-fd" "[ -f $T/bfd/w ]"
    "$SBX" $BASE --ro-bind-fd 3 /m -- /bin/sh -c 'echo w >/m/w2' 3<"$T/bfd" >"$OUT" 2>"$ERR"
    grep -q 'Read-only' "$ERR" || fail "--ro-bind-fd writable: $(err)"
}

test_remount_ro() {
    mkdir -p "$T/rm"
    run_sbx $BASE --bind "$T/rm" /rm --remount-ro /rm -- /bin/sh -c 'touch /rm/x'
    grep -q 'Read-only' "$ERR" || fail "--remount-ro: $(err)"
    run_sbx $BASE --dir /plain --remount-ro /plain -- true
    assert_error '--remount-ro /plain: not a mount point'
}

test_tmpfs_perms_and_size() {
    run_sbx $BASE --perms 0700 --size 1M --tmpfs /t -- /bin/sh -c \
        'stat -c %a /t; dd if=/dev/zero of=/t/big bs=1024 count=2048 2>/dev/null || echo full'
    assertEquals "$(err)" "700 full" "$(out | tr '\n' ' ' | sed 's/ $//')"
    run_sbx $BASE --tmpfs /t2 -- /usr/bin/stat -c %a /t2
    assertEquals "755" "$(out)"
}

test_proc_and_dev() {
    run_sbx $BASE --unshare-pid --proc /proc --dev /dev -- /bin/sh -c \
        'test -e /proc/self/status && echo proc; echo x >/dev/null && echo null; test -d /dev/pts && test -d /dev/shm && echo dirs; head -c 4 /dev/urandom | wc -c; readlink /dev/fd'
    assertEquals "$(err)" "proc null dirs 4 /proc/self/fd" "$(out | tr '\n' ' ' | sed 's/ $//')"
}

test_proc_knobs_read_only() {
    run_sbx $BASE --unshare-pid --proc /proc -- /bin/sh -c 'echo 1 >/proc/sys/kernel/ns_last_pid'
    grep -q 'Read-only' "$ERR" || fail "/proc/sys writable: $(err)"
}

test_mqueue() {
    run_sbx $BASE --unshare-ipc --unshare-pid --proc /proc --mqueue /dev/mqueue -- \
        /bin/sh -c 'grep -c " /dev/mqueue .* mqueue " /proc/self/mountinfo'
    assertEquals "$(err)" 1 "$(out)"
}

test_dir_with_perms_and_parents() {
    run_sbx $BASE --perms 0710 --dir /a/b/c -- /bin/sh -c 'stat -c %a /a/b/c; stat -c %a /a/b'
    assertEquals "$(err)" "710 755" "$(out | tr '\n' ' ' | sed 's/ $//')"
}

test_file_from_fd() {
    echo "file data" >"$T/src.txt"
    "$SBX" $BASE --perms 0640 --file 3 /etc/x.txt -- /bin/sh -c 'cat /etc/x.txt; stat -c %a /etc/x.txt' \
        3<"$T/src.txt" >"$OUT" 2>"$ERR"
    assertEquals "$(err)" "file data 640" "$(out | tr '\n' ' ' | sed 's/ $//')"
}

test_bind_data() {
    echo "bound data" >"$T/bd.txt"
    "$SBX" $BASE --ro-bind-data 3 /etc/bd -- /bin/sh -c 'cat /etc/bd; echo x >/etc/bd' \
        3<"$T/bd.txt" >"$OUT" 2>"$ERR"
    assertEquals "bound data" "$(out)"
    grep -q 'Read-only' "$ERR" || fail "--ro-bind-data writable: $(err)"
    "$SBX" $BASE --bind-data 3 /etc/bd -- /bin/sh -c 'echo more >>/etc/bd; cat /etc/bd' \
        3<"$T/bd.txt" >"$OUT" 2>"$ERR"
    assertEquals "$(err)" "bound data more" "$(out | tr '\n' ' ' | sed 's/ $//')"
    # the scratch area used to hold the data is not visible
    "$SBX" $BASE --bind-data 3 /etc/bd -- /bin/ls -A / 3<"$T/bd.txt" >"$OUT" 2>"$ERR"
    assertEquals "bin etc lib lib64 sbin usr" "$(out | tr '\n' ' ' | sed 's/ $//')"
}

test_symlink_and_chmod() {
    run_sbx $BASE --dir /d --chmod 0700 /d --symlink /d /link --symlink /d /link -- \
        /bin/sh -c 'readlink /link; stat -c %a /d'
    assertEquals "$(err)" "/d 700" "$(out | tr '\n' ' ' | sed 's/ $//')"
    run_sbx $BASE --dir /d --symlink /elsewhere /d -- true
    assert_error '--symlink /elsewhere /d: File exists'
    run_sbx $BASE --chmod 0700 /missing -- true
    assert_error '--chmod 0700 /missing: No such file or directory'
}

test_order_matters() {
    run_sbx $BASE --tmpfs /a --dir /a/b -- /bin/ls /a
    assertEquals "b" "$(out)"
    run_sbx $BASE --dir /a/b --tmpfs /a -- /bin/ls /a
    assertEquals "later --tmpfs hides earlier --dir" "" "$(out)"
}

test_symlinked_source_binds_target() {
    mkdir -p "$T/real" && echo target >"$T/real/f"
    ln -sfn "$T/real" "$T/link"
    run_sbx $BASE --ro-bind "$T/link" /x -- /bin/sh -c 'cat /x/f; test -L /x || echo dir'
    assertEquals "$(err)" "target dir" "$(out | tr '\n' ' ' | sed 's/ $//')"
}

test_destination_symlink_stays_inside() {
    # A writable bind holds a symlink to an absolute host path.  Directives
    # through it must resolve inside the new root, never on the host.
    mkdir -p "$T/w" "$T/victim"
    ln -sfn "$T/victim" "$T/w/esc"
    echo secret >"$T/data"
    "$SBX" $BASE --bind "$T/w" /w --dir "$T/victim" --file 3 /w/esc/pwned --dir /w/esc/d -- \
        /bin/ls "$T/victim" 3<"$T/data" >"$OUT" 2>"$ERR"
    assertEquals "$(err)" 0 "$?"
    assertEquals "created inside the sandbox" "d pwned" "$(out | tr '\n' ' ' | sed 's/ $//')"
    assertEquals "host directory touched" "" "$(ls -A "$T/victim")"
    # the symlink's target does not exist inside: refused, nothing on the host
    "$SBX" $BASE --bind "$T/w" /w --file 3 /w/esc/pwned -- true 3<"$T/data" >"$OUT" 2>"$ERR"
    RC=$?
    assert_error '--file 3 /w/esc/pwned: w/esc: No such file or directory'
    assertEquals "host directory touched" "" "$(ls -A "$T/victim")"
}

test_bad_destinations() {
    snapshot_host
    mkdir -p "$T/isfile" && echo x >"$T/isfile/f"
    run_sbx $BASE --bind "$T/isfile" /i --dir /i/f/sub -- true
    assert_error '--dir /i/f/sub: .*Not a directory'
    assert_host_unchanged
}

. "$SHUNIT2"
