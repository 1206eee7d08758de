#!/bin/sh
# t-holder.sh - `sbx holder`: a per-user process holding a user namespace
# with the subordinate ids mapped, so that sandboxes start without running
# newuidmap/newgidmap.  A sandbox made through it must look exactly like
# one made without it.
. "$(dirname "$0")/lib.sh"

PLAN="$BASE --unshare-pid --proc /proc"

# live holders of this user (an exited one may stay a zombie where the
# machine's PID 1 does not reap orphans)
holder_pids() { pgrep -r R,S,D,T -u "$(id -u)" -x sbx-holder | sort | tr '\n' ' '; }

tearDown() {
    "$SBX" holder stop >/dev/null 2>&1
    sbx_tearDown
}

need_range_user() {
    is_root && { skip_test "root needs no holder (tested in test_root_is_refused)"; return 1; }
    has_subids || { skip_test "$(id -un) has no subordinate ids (tested in test_needs_subids)"; return 1; }
    return 0
}

# what a user sees of the ids: maps, ownership after a chown inside
id_view() { # OUTFILE
    mkdir -p "$T/own"
    rm -f "$T/own/f"
    "$SBX" $PLAN -- /bin/sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id' >"$1" 2>&1
    "$SBX" $PLAN --uid 5 --gid 0 -- /bin/sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id' >>"$1" 2>&1
    "$SBX" $PLAN --bind "$T/own" /own --uid 0 --gid 0 --cap-add CAP_CHOWN -- \
        /bin/sh -c 'touch /own/f && chown 5:7 /own/f && stat -c "%u:%g" /own/f' >>"$1" 2>&1
    stat -c 'host %u:%g' "$T/own/f" >>"$1"
}

test_sandbox_through_the_holder_is_the_same() {
    need_range_user || return 0
    id_view "$T/without"
    run_sbx holder start
    assertEquals "start: $(err)" 0 "$RC"
    grep -Eq '^holder running: pid [0-9]+$' "$OUT" || fail "start says: $(out)"
    pid=$(sed 's/.* //' "$OUT")
    id_view "$T/with"
    diff "$T/without" "$T/with" >"$T/diff" || fail "ids differ through the holder: $(cat "$T/diff")"
    # and it was used: no helper ran, the info says so
    run_sbx --verbose --info-fd 3 $PLAN -- /bin/true 3>"$T/info"
    assertEquals "$(err)" 0 "$RC"
    grep -q "through the namespace holder (pid $pid)" "$ERR" || fail "--verbose: $(err)"
    grep -q "\"userns-holder\": $pid" "$T/info" || fail "info: $(cat "$T/info")"
    # the sandbox's user namespace is its own, a child of the holder's
    run_sbx $PLAN -- /bin/readlink /proc/self/ns/user
    assertNotEquals "shares the holder's namespace" "$(readlink /proc/"$pid"/ns/user)" "$(out)"
}

# limits: the monitor, now inside the holder's namespace, still asks the
# user's systemd for the scope and the sandbox lands in it
test_limits_through_the_holder() {
    need_range_user || return 0
    has_systemd_user || {
        skip_test "no systemd user session here: limits as a user run in the VM tier"
        return 0
    }
    run_sbx holder start
    run_sbx --verbose --pids 20 --memory 64M $PLAN -- /bin/cat /proc/self/cgroup
    assertEquals "$(err)" 0 "$RC"
    grep -q "namespace holder" "$ERR" || fail "holder not used: $(err)"
    grep -q 'sbx-.*\.scope' "$OUT" || fail "not in an sbx scope: $(out)"
    run_sbx --pids 10 $PLAN -- /bin/sh -c 'for i in $(seq 30); do sleep 2 & done; wait'
    grep -qi 'resource temporarily unavailable\|cannot fork' "$ERR" || fail "--pids 10 not enforced: $(err)"
}

test_start_twice_status_stop() {
    need_range_user || return 0
    run_sbx holder start
    pid=$(sed 's/.* //' "$OUT")
    run_sbx holder start
    assertEquals "$(err)" 0 "$RC"
    assertEquals "second start" "holder already running: pid $pid" "$(out)"
    assertEquals "one holder" "$pid " "$(holder_pids)"
    run_sbx holder status
    assertEquals "$(err)" 0 "$RC"
    grep -q "^holder: running, pid $pid" "$OUT" || fail "status: $(out)"
    grep -q "^uid_map: $(id -u)+1 $(subuid_range start)+$(subuid_range count)" "$OUT" ||
        fail "status map: $(out)"
    run_sbx holder stop
    assertEquals "$(err)" 0 "$RC"
    assertEquals "holder left running" "" "$(holder_pids)"
    run_sbx holder status
    assert_error 'holder: not running$'
    run_sbx holder stop
    assertEquals "stop when stopped: $(err)" 0 "$RC"
}

test_killed_holder_falls_back_to_the_helpers() {
    need_range_user || return 0
    run_sbx holder start
    pid=$(sed 's/.* //' "$OUT")
    kill -KILL "$pid"
    wait_until -t 50 not kill -0 "$pid"
    run_sbx --verbose $PLAN -- /bin/cat /proc/self/uid_map
    assertEquals "$(err)" 0 "$RC"
    grep -q "namespace holder" "$ERR" && fail "used a dead holder: $(err)"
    assertTrue "range not mapped: $(out)" "[ $(wc -l <"$OUT") -ge 2 ]"
}

test_needs_subids() {
    is_root && { skip_test "root: see test_root_is_refused"; return; }
    has_subids && { skip_test "$(id -un) has subordinate ids"; return; }
    snapshot_host
    run_sbx holder start
    assert_error 'holder: no subordinate ids for uid [0-9]+ in /etc/subuid and /etc/subgid'
    assertEquals "holder left running" "" "$(holder_pids)"
    assert_host_unchanged
}

test_root_is_refused() {
    is_root || { skip_test "runs as root only"; return; }
    run_sbx holder start
    assert_error 'holder: root maps ids without helpers and needs no holder'
}

test_bad_action() {
    run_sbx holder
    assert_error 'holder: start, stop or status\?$'
    run_sbx holder restart
    assert_error "holder: unknown action 'restart' \(start, stop or status\)"
    run_sbx holder start now
    assert_error "holder start: unexpected argument 'now'"
}

# The root tests below act as sbxtest: a copy of sbx it can run, in $STAGE,
# and as_sbxtest ARGS... to run it.
stage_for_sbxtest() {
    id sbxtest >/dev/null 2>&1 || { skip_test "no sbxtest user (tests/setup-users.sh)"; return 1; }
    STAGE=$(mktemp -d /tmp/sbx-stage.XXXXXX)
    chmod 755 "$STAGE"
    cp "$SBX" "$STAGE/sbx"
    chmod 755 "$STAGE/sbx"
}
as_sbxtest() { setpriv --reuid sbxtest --regid sbxtest --init-groups "$STAGE/sbx" "$@"; }

# Another user may take the socket's name first: sbx must not trust it.
test_socket_of_another_user_is_ignored() {
    is_root || { skip_test "needs root to squat another user's socket name"; return; }
    command -v python3 >/dev/null || { skip_test "python3 not installed"; return; }
    stage_for_sbxtest || return 0
    uid=$(id -u sbxtest)
    python3 -c "
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind('\0sbx-holder-$uid'); s.listen(8)
open('$STAGE/ready', 'w').close()
time.sleep(30)" &
    squatter=$!
    wait_until test -e "$STAGE/ready"
    as_sbxtest --verbose $PLAN -- /bin/cat /proc/self/uid_map >"$OUT" 2>"$ERR"
    RC=$?
    assertEquals "$(err)" 0 "$RC"
    grep -q "namespace holder ignored: its socket belongs to another user" "$ERR" ||
        fail "--verbose: $(err)"
    as_sbxtest holder start >"$OUT" 2>"$ERR"
    RC=$?
    assert_error "holder: cannot start: its socket belongs to another user"
    kill "$squatter"
    wait "$squatter" 2>/dev/null
    rm -rf "$STAGE"
}

# /etc/subuid changed after the holder started: its map no longer covers
# the ranges, so sbx must not use it (and says so)
test_holder_with_stale_ranges_is_ignored() {
    is_root || { skip_test "needs root to change /etc/subuid"; return 0; }
    stage_for_sbxtest || return 0
    as_sbxtest holder start >/dev/null 2>&1 || fail "holder start as sbxtest"
    cp /etc/subuid "$T/subuid.saved"
    echo "sbxtest:400000:1000" >>/etc/subuid
    as_sbxtest --verbose $PLAN -- /bin/cat /proc/self/uid_map >"$OUT" 2>"$ERR"
    RC=$?
    cp "$T/subuid.saved" /etc/subuid
    as_sbxtest holder stop
    rm -rf "$STAGE"
    assertEquals "$(err)" 0 "$RC"
    grep -q "namespace holder [0-9]* ignored: its id maps do not cover" "$ERR" || fail "--verbose: $(err)"
    grep -q " 400000 " "$OUT" || fail "the new range is not mapped: $(out)"
}

. "$SHUNIT2"
