#!/bin/sh
# t-fds.sh - file descriptors: hygiene, and bubblewrap's integration fds.
. "$(dirname "$0")/lib.sh"

P="$BASE --unshare-pid --proc /proc"

test_no_stray_fds() {
    # fd 5 (a host directory!) and 7 are open in the caller; the command must not get them
    "$SBX" $P -- /bin/sh -c 'ls /proc/self/fd' 5<"$T" 7>"$T/f7" >"$OUT" 2>"$ERR"
    # 0-2, and the directory ls itself opened to list
    assertEquals "$(err)" "0 1 2 3" "$(out | sort -n | tr '\n' ' ' | sed 's/ $//')"
}

test_keep_fd() {
    echo passed >"$T/kept"
    "$SBX" $P --keep-fd 5 -- /bin/sh -c 'cat <&5' 5<"$T/kept" >"$OUT" 2>"$ERR"
    assertEquals "$(err)" "passed" "$(out)"
}

test_info_fd() {
    "$SBX" $P --unshare-net --info-fd 3 -- /bin/sh -c 'readlink /proc/self/ns/net' 3>"$T/info" >"$OUT" 2>"$ERR"
    assertEquals "$(err)" 0 "$?"
    grep -Eq '"child-pid": [0-9]+' "$T/info" || fail "no child-pid: $(cat "$T/info")"
    ino=$(sed 's/net:\[\(.*\)\]/\1/' "$OUT")
    grep -q "\"net-namespace\": $ino" "$T/info" || fail "net namespace $ino not in $(cat "$T/info")"
    grep -q '"id-map": "' "$T/info" || fail "no id-map: $(cat "$T/info")"
    python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/info" 2>/dev/null ||
        { command -v python3 >/dev/null && fail "info is not JSON: $(cat "$T/info")"; }
    return 0
}

test_json_status_fd() {
    "$SBX" $P --json-status-fd 3 -- /bin/sh -c 'exit 4' 3>"$T/status" >"$OUT" 2>"$ERR"
    assertEquals 4 "$?"
    grep -Eq '"child-pid": [0-9]+' "$T/status" || fail "$(cat "$T/status")"
    grep -q '{ "exit-code": 4 }' "$T/status" || fail "no exit-code: $(cat "$T/status")"
}

test_sync_fd_kept_open_while_running() {
    # the read end sees EOF only once the sandbox (which holds the write end) is gone
    mkfifo "$T/sync"
    "$SBX" $BASE --sync-fd 3 -- /bin/sh -c 'sleep 0.5' 3>"$T/sync" &
    pid=$!
    cat "$T/sync" >/dev/null
    wait $pid
    assertEquals 0 "$?"
    "$SBX" $P --sync-fd 3 -- /bin/sh -c 'test -e /proc/self/fd/3 && echo present' 3>/dev/null >"$OUT" 2>"$ERR"
    assertEquals "$(err)" "present" "$(out)"
}

test_block_fd() {
    mkfifo "$T/block"
    mkdir -p "$T/b"
    "$SBX" $BASE --bind "$T/b" /b --block-fd 3 -- /bin/sh -c 'echo ran >/b/mark' 3<"$T/block" &
    pid=$!
    exec 4>"$T/block"   # opening the write side lets sbx start; it still waits for data
    sleep 1
    assertFalse "ran before the block fd was written" "[ -f $T/b/mark ]"
    echo go >&4
    exec 4>&-
    wait $pid
    assertEquals "ran" "$(cat "$T/b/mark" 2>/dev/null)"
}

test_userns_block_fd() {
    mkfifo "$T/ublock"
    "$SBX" $BASE --info-fd 5 --userns-block-fd 3 -- /bin/echo done 3<"$T/ublock" 5>"$T/uinfo" >"$OUT" 2>"$ERR" &
    pid=$!
    exec 4>"$T/ublock"
    wait_until grep -q child-pid "$T/uinfo"
    grep -q child-pid "$T/uinfo" || fail "no info before the block"
    assertEquals "ran before the userns block fd was written" "" "$(out)"
    echo go >&4
    exec 4>&-
    wait $pid
    assertEquals "$(err)" "done" "$(out)"
}

test_args_fd() {
    printf -- '--setenv\0FROM_ARGS\0yes\0--dir\0/from-args\0' >"$T/args"
    "$SBX" $BASE --args 3 -- /bin/sh -c 'echo $FROM_ARGS; test -d /from-args && echo dir' 3<"$T/args" >"$OUT" 2>"$ERR"
    assertEquals "$(err)" "yes dir" "$(out | tr '\n' ' ' | sed 's/ $//')"
}

test_lock_file() {
    mkdir -p "$T/lk" && : >"$T/lk/lockme"
    ino=$(stat -c %i "$T/lk/lockme")
    "$SBX" $P --bind "$T/lk" /lk --lock-file /lk/lockme -- /bin/sh -c 'echo >/lk/started; sleep 1' &
    pid=$!
    wait_until test -f "$T/lk/started"
    grep -Eq "POSIX +ADVISORY +READ +[0-9]+ [0-9a-f:]+:$ino " /proc/locks || fail "no read lock on the file: $(cat /proc/locks)"
    wait $pid
    run_sbx $BASE --lock-file /nope -- true
    assert_error '--lock-file /nope: No such file or directory'
}

. "$SHUNIT2"
