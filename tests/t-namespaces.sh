#!/bin/sh
# t-namespaces.sh - PID, IPC, UTS, network, cgroup and time namespaces.
. "$(dirname "$0")/lib.sh"

P="$BASE --unshare-pid --proc /proc"

test_pid_namespace() {
    run_sbx $P --unshare-pid -- /bin/sh -c 'echo $$; ls /proc | grep -c "^[0-9]"'
    assertEquals "$(err)" "2" "$(head -1 "$OUT")"      # under sbx's init
    # only init, the shell and ls: no host process is visible
    assertTrue "host pids visible: $(out)" "[ $(sed -n 2p "$OUT") -le 4 ]"
    run_sbx $P --unshare-pid --as-pid-1 -- /bin/sh -c 'echo $$'
    assertEquals "$(err)" "1" "$(out)"
}

test_no_pid_namespace_shares_pids() {
    run_sbx $BASE -- /bin/sh -c 'test $$ -gt 2 && echo host-pids'
    assertEquals "$(err)" "host-pids" "$(out)"
}

test_proc_needs_pid_namespace_in_userns() {
    is_root && { skip_test "root without a user namespace may mount the host's procfs"; return; }
    run_sbx $BASE --proc /proc -- true
    assert_error '--proc /proc: needs --unshare-pid'
}

test_uts_namespace_and_hostname() {
    before=$(hostname)
    run_sbx $BASE --unshare-uts --hostname sbx-box -- /bin/hostname
    assertEquals "$(err)" "sbx-box" "$(out)"
    assertEquals "host hostname changed" "$before" "$(hostname)"
}

test_ipc_namespace() {
    host=$(readlink /proc/self/ns/ipc)
    run_sbx $P --unshare-ipc -- /bin/readlink /proc/self/ns/ipc
    assertNotEquals "$(err)" "$host" "$(out)"
    run_sbx $P -- /bin/readlink /proc/self/ns/ipc
    assertEquals "shared without --unshare-ipc: $(err)" "$host" "$(out)"
}

test_net_namespace_has_loopback_only_and_up() {
    run_sbx $P --unshare-net -- /bin/sh -c 'ip -o link show'
    assertEquals "interfaces: $(out) $(err)" 1 "$(wc -l <"$OUT")"
    grep -q '^1: lo: <LOOPBACK,UP,LOWER_UP>' "$OUT" || fail "loopback not up: $(out)"
    run_sbx $P --unshare-net -- /bin/sh -c 'ip -o addr show lo | grep -c "inet 127.0.0.1/8"'
    assertEquals "127.0.0.1 on lo: $(err)" 1 "$(out)"
}

test_share_net_after_unshare_all() {
    host=$(readlink /proc/self/ns/net)
    run_sbx $P --unshare-all --share-net -- /bin/readlink /proc/self/ns/net
    assertEquals "$(err)" "$host" "$(out)"
    run_sbx $P --unshare-all -- /bin/readlink /proc/self/ns/net
    assertNotEquals "$host" "$(out)"
}

test_unshare_all() {
    run_sbx $P --unshare-all -- /bin/sh -c 'for n in ipc net pid uts cgroup; do readlink /proc/self/ns/$n; done'
    for n in ipc net pid uts cgroup; do
        grep -q "$(readlink /proc/self/ns/$n)" "$OUT" && fail "$n namespace shared under --unshare-all"
    done
    assertEquals "$(err)" 5 "$(wc -l <"$OUT")"
}

test_cgroup_namespace() {
    run_sbx $P --unshare-cgroup -- /bin/sh -c 'grep -c "::/$" /proc/self/cgroup'
    assertEquals "cgroup root inside: $(err)" 1 "$(out)"
    run_sbx $P --unshare-cgroup-try -- /bin/readlink /proc/self/ns/cgroup
    assertNotEquals "$(readlink /proc/self/ns/cgroup)" "$(out)"
}

test_time_namespace() {
    run_sbx $P --unshare-time -- /bin/readlink /proc/self/ns/time
    assertNotEquals "$(err)" "$(readlink /proc/self/ns/time)" "$(out)"
}

test_unshare_user_try() {
    run_sbx $P --unshare-user-try -- /bin/true
    assertEquals "$(err)" 0 "$RC"
}

. "$SHUNIT2"
