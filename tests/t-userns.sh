#!/bin/sh
# t-userns.sh - the user namespace and its id maps.
. "$(dirname "$0")/lib.sh"

me=$(id -u)
mygid=$(id -g)

test_unprivileged_always_gets_a_userns() {
    is_root && { skip_test "runs as root; covered by test_root_needs_no_userns"; return; }
    run_sbx $BASE --unshare-pid --proc /proc -- /bin/cat /proc/self/uid_map
    assertEquals "$(err)" 0 "$RC"
    host_ns=$(readlink /proc/self/ns/user)
    run_sbx $BASE --proc /proc --unshare-pid -- /bin/readlink /proc/self/ns/user
    assertNotEquals "user namespace shared with the host" "$host_ns" "$(out)"
}

test_subid_range_is_mapped() {
    is_root && { skip_test "root has no subordinate ids to map"; return; }
    has_subids || { skip_test "$(id -un) has no /etc/subuid range (single map tested below)"; return; }
    start=$(subuid_range start)
    count=$(subuid_range count)
    run_sbx $BASE --unshare-pid --proc /proc -- /bin/cat /proc/self/uid_map
    # own id maps to itself, the range fills the ids around it
    grep -Eq "^ *$me +$me +1\$" "$OUT" || fail "no own-id line in: $(out)"
    grep -Eq "^ *0 +$start +$me\$" "$OUT" || fail "range below own id missing: $(out)"
    total=$(awk '{s+=$3} END {print s}' "$OUT")
    assertEquals "ids mapped" "$((count + 1))" "$total"
    run_sbx $BASE --unshare-pid --proc /proc -- /bin/cat /proc/self/gid_map
    grep -Eq "^ *$mygid +$mygid +1\$" "$OUT" || fail "gid map: $(out)"
    assertTrue "gid range: $(out)" "[ $(wc -l <"$OUT") -ge 2 ]"
}

test_single_map_without_subids() {
    is_root && { skip_test "root maps nothing by default"; return; }
    has_subids && { skip_test "$(id -un) has subordinate ids (range tested above)"; return; }
    run_sbx --verbose $BASE --unshare-pid --proc /proc -- /bin/cat /proc/self/uid_map
    assertEquals "one line: $(out)" 1 "$(wc -l <"$OUT")"
    grep -Eq "^ *$me +$me +1\$" "$OUT" || fail "single map: $(out)"
    grep -q 'id map: single' "$ERR" || fail "--verbose does not say single: $(err)"
}

test_uid_and_gid_inside() {
    run_sbx $BASE --unshare-user --uid 1234 --gid 4321 -- /bin/sh -c 'echo $(id -u):$(id -g)'
    assertEquals "$(err)" "1234:4321" "$(out)"
}

test_uid0_root_can_chown_in_range() {
    is_root && { skip_test "range mapping is for unprivileged callers"; return; }
    has_subids || { skip_test "no subordinate ids: chown to other ids impossible by design"; return; }
    start=$(subuid_range start)
    mkdir -p "$T/own"
    run_sbx $BASE --bind "$T/own" /own --uid 0 --gid 0 --cap-add CAP_CHOWN -- \
        /bin/sh -c 'touch /own/f && chown 5:5 /own/f && stat -c "%u:%g" /own/f'
    assertEquals "$(err)" "5:5" "$(out)"
    # inside, 0 is the caller and 1.. are the subordinate ids: 5 is the 5th one
    assertEquals "$((start + 4))" "$(stat -c %u "$T/own/f")"
}

test_files_of_other_ids_visible() {
    is_root && { skip_test "root sees real ids"; return; }
    # /usr belongs to host root, which is not mapped: the overflow id
    run_sbx $BASE -- /usr/bin/stat -c %u /usr
    assertEquals "$(err)" "65534" "$(out)"
}

test_root_needs_no_userns() {
    is_root || { skip_test "only root runs without a user namespace"; return; }
    run_sbx $BASE --unshare-pid --proc /proc -- /bin/cat /proc/self/uid_map
    grep -Eq '^ *0 +0 +4294967295$' "$OUT" || fail "root got a user namespace: $(out)"
    run_sbx $BASE --unshare-user --unshare-pid --proc /proc -- /bin/cat /proc/self/uid_map
    grep -Eq '^ *0 +0 +1$' "$OUT" || fail "--unshare-user as root: $(out)"
}

test_uid_needs_userns_as_root() {
    is_root || { skip_test "unprivileged callers always have a user namespace"; return; }
    run_sbx $BASE --uid 5 -- true
    assert_error '--uid: needs --unshare-user when run as root'
}

test_bad_uid() {
    run_sbx $BASE --uid abc -- true
    assert_error '--uid abc: not a numeric id'
    run_sbx $BASE --gid -1 -- true
    assert_error '--gid -1: not a numeric id'
}

test_nested_sandbox() {
    N="$BASE --ro-bind $SBX /sbx --unshare-user --allow-userns --unshare-pid --proc /proc"
    run_sbx $N --uid 1000 -- /sbx $BASE -- /bin/sh -c 'echo inner $(id -u)'
    assertEquals "$(err)" "inner 1000" "$(out)"
    # uid 0 can map itself only with CAP_SETFCAP (Linux 5.12): a clear error
    run_sbx $N --uid 0 -- /sbx $BASE -- true
    assert_error 'uid 0 cannot be mapped into a new user namespace without CAP_SETFCAP'
    run_sbx $N --uid 0 --cap-add CAP_SETFCAP -- /sbx $BASE -- /bin/sh -c 'echo inner $(id -u)'
    assertEquals "$(err)" "inner 0" "$(out)"
}

. "$SHUNIT2"
