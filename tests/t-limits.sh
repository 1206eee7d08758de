#!/bin/sh
# t-limits.sh - resource limits (--cpu, --memory, --pids, --cpuset,
# --io-weight, --stats-fd, --cgroup-backend), tested by their effect:
# CPU time really capped, forks really refused, an allocation really
# OOM-killed and reported, CPUs really restricted, nothing left behind.
# Where: the host as root (cgroupfs v1 backend), the host as a user (a clear
# error, nothing run), the VM tier as a user of a systemd session (systemd
# backend; SBX_VM_DELEGATE says which controllers its manager has).
. "$(dirname "$0")/lib.sh"

P="$BASE --unshare-pid --proc /proc --dev /dev"

# Can sbx enforce limits for this user here, and with which backend?
backend() {
    if in_vm && has_systemd_user; then echo systemd
    elif ! in_vm && is_root && [ -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then echo cgroupfs-v1
    else echo none; fi
}
need_limits() {
    [ "$(backend)" != none ] && return 0
    skip_test "no limits backend for $(id -un) here (tested: the error, in test_no_backend_is_an_error)"
    return 1
}
delegated() { # CONTROLLER: does the backend have it?
    case $(backend) in
    systemd) case " ${SBX_VM_DELEGATE:-cpu memory pids} " in *" $1 "*) return 0 ;; esac; return 1 ;;
    cgroupfs-v1) [ -d "/sys/fs/cgroup/$1" ] ;;
    *) return 1 ;;
    esac
}
# a JSON number from the --stats-fd output in $T/stats
stat_num() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" "$T/stats"; }
scopes() {
    has_systemd_user || return 0
    SYSTEMD_PAGER=cat systemctl --user list-units --all --no-legend 'sbx-*' 2>/dev/null
}
sbx_cgroups() { find /sys/fs/cgroup -name 'sbx-*' 2>/dev/null; }
# same_units LIST: the sbx scopes and cgroups are those of LIST again
same_units() { [ "$1" = "$(scopes; sbx_cgroups)" ]; }

test_bad_values() {
    run_sbx $P --cpu 0% -- true
    assert_error '--cpu 0%: '
    run_sbx $P --cpu abc -- true
    assert_error '--cpu abc: '
    run_sbx $P --memory 12X -- true
    assert_error '--memory 12X: '
    run_sbx $P --pids 0 -- true
    assert_error '--pids 0: '
    run_sbx $P --cpuset 3-1 -- true
    assert_error '--cpuset 3-1: '
    run_sbx $P --io-weight 0 -- true
    assert_error '--io-weight 0: '
    run_sbx $P --cgroup-backend docker -- true
    assert_error '--cgroup-backend docker: '
}

test_cpuset_not_here() {
    # a CPU this process may not use is refused before anything starts
    run_sbx $P --cpuset 4095 -- touch "$T/ran"
    assert_error '--cpuset 4095: CPU 4095 is not available'
    assertFalse "nothing ran" "[ -e $T/ran ]"
}

test_no_backend_is_an_error() {
    [ "$(backend)" = none ] || { skip_test "limits work here ($(backend))"; return 0; }
    before=$(sbx_cgroups)
    run_sbx $P --bind "$T" "$T" --cpu 20% -- touch "$T/ran"
    assert_error '--cpu 20%: '
    assertFalse "nothing ran" "[ -e $T/ran ]"
    run_sbx $P --bind "$T" "$T" --cgroup-backend cgroupfs --memory 64M -- touch "$T/ran"
    assert_error '--memory 64M: '
    assertFalse "nothing ran" "[ -e $T/ran ]"
    assertEquals "cgroups left" "$before" "$(sbx_cgroups)"
}

test_systemd_backend_needs_a_manager() {
    if [ -d /run/systemd/system ] && has_systemd_user; then
        # the same user without a session bus: a clear error with systemd, auto falls through
        run_sbx_nobus() { env -u XDG_RUNTIME_DIR -u DBUS_SESSION_BUS_ADDRESS "$SBX" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }
        run_sbx_nobus $P --cgroup-backend systemd --pids 50 -- touch "$T/ran"
        assert_error '--cgroup-backend systemd: no systemd user manager to ask: no user bus'
        assertFalse "nothing ran" "[ -e $T/ran ]"
        return 0
    fi
    run_sbx $P --cgroup-backend systemd --cpu 20% -- touch "$T/ran"
    if grep -q 'not built with libsystemd' "$ERR"; then
        assert_error '--cgroup-backend systemd: not built with libsystemd'
    else
        assert_error '--cgroup-backend systemd: (systemd is not running|no systemd user manager)'
    fi
    assertFalse "nothing ran" "[ -e $T/ran ]"
}

test_backend_in_info() {
    need_limits || return 0
    exec 4>"$T/info"
    run_sbx $P --pids 100 --info-fd 4 -- true
    exec 4>&-
    assertEquals "$(err)" 0 "$RC"
    grep -q "\"cgroup-backend\": *\"$(backend)\"" "$T/info" || fail "info: $(cat "$T/info")"
}

test_cpu_quota_is_enforced() {
    need_limits || return 0
    delegated cpu || { skip_test "cpu controller not delegated"; return 0; }
    # a busy loop for 4 s under a fifth of a CPU, measured by the cgroup's own accounting
    run_sbx $P --cpu 20% --stats-fd 3 -- timeout 4 sh -c 'while :; do :; done' 3>"$T/stats"
    assertEquals "timeout's status: $(err)" 124 "$RC"
    usec=$(stat_num cpu_usage_usec)
    assertNotNull "cpu usage in $(cat "$T/stats")" "$usec"
    pct=$((${usec:-0} / 40000))
    echo "cpu: ${usec}us in 4s = ${pct}% of a CPU (limit 20%)"
    assertTrue "about a fifth of a CPU, got $pct%" "[ $pct -ge 8 ] && [ $pct -le 35 ]"
}

test_cgroupfs_v2_backend_in_a_delegated_scope() {
    in_vm && has_systemd_user || { skip_test "needs a systemd user session with cgroup v2 (the VM tier)"; return 0; }
    command -v systemd-run >/dev/null || { skip_test "no systemd-run"; return 0; }
    # sbx alone in a delegated scope: the cgroupfs v2 backend makes a child cgroup there
    systemd-run --user --scope -q -p Delegate=yes "$SBX" $P --cgroup-backend cgroupfs --cpu 20% \
        --pids 50 --stats-fd 3 -- timeout 4 sh -c 'while :; do :; done' 3>"$T/stats" >"$OUT" 2>"$ERR"
    RC=$?
    assertEquals "timeout's status: $(err)" 124 "$RC"
    grep -q '"backend":"cgroupfs-v2"' "$T/stats" || fail "backend: $(cat "$T/stats")"
    usec=$(stat_num cpu_usage_usec)
    pct=$((${usec:-0} / 40000))
    echo "cgroupfs-v2 cpu: ${usec}us in 4s = ${pct}% of a CPU (limit 20%)"
    assertTrue "about a fifth of a CPU, got $pct%" "[ $pct -ge 8 ] && [ $pct -le 35 ]"
}

test_pids_limit_refuses_forks() {
    need_limits || return 0
    delegated pids || { skip_test "pids controller not delegated"; return 0; }
    # each background job that got a process leaves a file; the shell gives up at the first refusal
    mkdir -p "$T/p"
    run_sbx $P --bind "$T/p" /p --pids 10 --stats-fd 3 -- sh -c \
        'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do { : >/p/$i; exec sleep 5; } & done; echo all' \
        3>"$T/stats"
    n=$(ls "$T/p" | wc -l)
    assertTrue "at most 10 processes, $n forks succeeded ($(out) $(err))" "[ $n -le 9 ] && [ $n -ge 1 ]"
    grep -qiE 'fork|resource temporarily unavailable' "$ERR" || fail "no fork failure reported: $(err)"
    assertTrue "pids.max hits counted: $(cat "$T/stats")" "[ $(stat_num pids_max_events) -ge 1 ]"
}

test_memory_limit_oom_kill_is_reported() {
    need_limits || return 0
    delegated memory || { skip_test "memory controller not delegated"; return 0; }
    run_sbx $P --memory 64M -- sh -c 'head -c 10M /dev/zero | tail | wc -c'
    assertEquals "within the limit: $(err)" "0 10485760" "$RC $(out)"
    before=$(scopes; sbx_cgroups)
    run_sbx $P --memory 64M --stats-fd 3 -- sh -c 'head -c 200M /dev/zero | tail' 3>"$T/stats"
    assertEquals "exit status: $(err)" 137 "$RC"
    assertEquals "the report" "sbx: killed by the kernel OOM killer: memory limit 64M reached" \
        "$(tail -n 1 "$ERR")"
    assertTrue "oom_kills counted: $(cat "$T/stats")" "[ $(stat_num oom_kills) -ge 1 ]"
    peak=$(stat_num memory_peak_bytes)
    assertTrue "peak $peak near 64M" "[ ${peak:-0} -gt 33554432 ] && [ ${peak:-0} -le 67108864 ]"
    assertEquals "scopes/cgroups left" "$before" "$(scopes; sbx_cgroups)"
}

test_cpuset() {
    need_limits || return 0
    if ! delegated cpuset; then
        # not delegated (Debian's user@.service): an error with the fix, nothing run
        run_sbx $P --bind "$T" "$T" --cpuset 0 -- touch "$T/ran"
        assert_error '--cpuset 0: the cpuset controller is not delegated .*Delegate=cpu cpuset io memory pids'
        grep -q 'user@.service.d/' "$ERR" || fail "no drop-in hint: $(err)"
        assertFalse "nothing ran" "[ -e $T/ran ]"
        return 0
    fi
    run_sbx $P --cpuset 0 -- grep Cpus_allowed_list /proc/self/status
    assertEquals "$(err)" "$(printf 'Cpus_allowed_list:\t0')" "$(out)"
}

test_io_weight() {
    need_limits || return 0
    if [ "$(backend)" = cgroupfs-v1 ] && [ ! -f /sys/fs/cgroup/blkio/blkio.weight ] &&
        [ ! -f /sys/fs/cgroup/blkio/blkio.bfq.weight ]; then
        run_sbx $P --io-weight 200 -- touch "$T/ran"
        assert_error '--io-weight 200: .*blkio.weight is missing'
        assertFalse "nothing ran" "[ -e $T/ran ]"
        return 0
    fi
    if ! delegated io; then
        run_sbx $P --io-weight 200 -- touch "$T/ran"
        assert_error '--io-weight 200: the io controller is not delegated'
        assertFalse "nothing ran" "[ -e $T/ran ]"
        return 0
    fi
    run_sbx $P --io-weight 200 -- true
    assertEquals "$(err)" 0 "$RC"
}

test_stats_fd() {
    need_limits || return 0
    run_sbx $P --stats-fd 3 -- sh -c 'exit 3' 3>"$T/stats"
    assertEquals "$(err)" 3 "$RC"
    for k in cpu_usage_usec oom_kills exit_code; do
        grep -q "\"$k\":[0-9]" "$T/stats" || fail "no $k in $(cat "$T/stats")"
    done
    grep -q '"memory_peak_bytes":' "$T/stats" || fail "no memory_peak_bytes in $(cat "$T/stats")"
}

test_nothing_left_behind() {
    need_limits || return 0
    before=$(scopes; sbx_cgroups)
    run_sbx $P --cpu 50% --pids 100 -- true
    assertEquals "$(err)" 0 "$RC"
    # sbx fails midway (the command does not exist): nothing either
    run_sbx $P --cpu 50% -- /nonexistent
    assertNotEquals 0 "$RC"
    assertEquals "scopes/cgroups left" "$before" "$(scopes; sbx_cgroups)"
}

test_monitor_killed() {
    need_limits || return 0
    mkdir -p "$T/m"
    before=$(scopes; sbx_cgroups)
    "$SBX" $P --bind "$T/m" /m --pids 100 -- sh -c 'touch /m/started; exec sleep 60' \
        >/dev/null 2>&1 </dev/null &
    mon=$!
    wait_until -t 300 test -e "$T/m/started"
    assertTrue "sandbox started" "[ -e $T/m/started ]"
    [ -n "$(scopes; sbx_cgroups)" ] || fail "no scope/cgroup while running"
    kill -9 $mon
    wait $mon 2>/dev/null
    if [ "$(backend)" = systemd ]; then
        # systemd removes the scope once the sandbox (PDEATHSIG) is gone
        wait_until same_units "$before"
    else
        # no manager to clean up: the next run removes the stale cgroup
        run_sbx $P --pids 100 -- true
        assertEquals "$(err)" 0 "$RC"
    fi
    assertEquals "left behind after SIGKILL" "$before" "$(scopes; sbx_cgroups)"
}

. "$SHUNIT2"
