#!/bin/sh
# t-process.sh - the command's process: cwd, environment, argv0, sessions,
# PID 1, exit status and signals.
. "$(dirname "$0")/lib.sh"

P="$BASE --unshare-pid --proc /proc"

test_chdir() {
    run_sbx $BASE --dir /work/here --chdir /work/here -- /bin/sh -c 'pwd; echo $PWD'
    assertEquals "$(err)" "/work/here /work/here" "$(out | tr '\n' ' ' | sed 's/ $//')"
    run_sbx $BASE --chdir /nowhere -- true
    assert_error '--chdir /nowhere: No such file or directory'
}

test_default_cwd_is_callers_when_present() {
    mkdir -p "$T/cwd"
    (cd "$T/cwd" && "$SBX" $BASE --bind "$T/cwd" "$T/cwd" -- /bin/pwd >"$OUT" 2>"$ERR")
    assertEquals "$(err)" "$T/cwd" "$(out)"
    (cd "$T/cwd" && "$SBX" $BASE -- /bin/pwd >"$OUT" 2>"$ERR")
    assertEquals "falls back to / : $(err)" "/" "$(out)"
}

test_env_ops() {
    FOO=outside BAR=keep run_sbx $BASE --setenv FOO inside --unsetenv BAR -- /bin/sh -c 'echo "$FOO ${BAR-unset}"'
    assertEquals "$(err)" "inside unset" "$(out)"
    FOO=outside run_sbx $BASE --clearenv --setenv ONLY 1 -- /usr/bin/env
    assertEquals "$(err)" "ONLY=1 PWD=/" "$(out | sort | tr '\n' ' ' | sed 's/ $//')"
    run_sbx $BASE --setenv A=B c -- true
    assert_error '--setenv A=B: not a variable name'
}

test_argv0() {
    run_sbx $BASE --argv0 custom-name -- /bin/sh -c 'echo $0'
    assertEquals "$(err)" "custom-name" "$(out)"
}

test_new_session() {
    run_sbx $P --new-session -- /bin/sh -c 'test "$(cut -d" " -f6 /proc/$$/stat)" = $$ && echo leader'
    assertEquals "$(err)" "leader" "$(out)"
    run_sbx $P -- /bin/sh -c 'test "$(cut -d" " -f6 /proc/$$/stat)" = $$ || echo not-leader'
    assertEquals "$(err)" "not-leader" "$(out)"
}

test_init_reaps_zombies() {
    # an orphan exits while the command runs: init must reap it
    run_sbx $P -- /bin/sh -c '(sh -c "exit 0" &) ; sleep 0.5; grep -l "^State:.*Z" /proc/[0-9]*/status | wc -l'
    assertEquals "zombies: $(err)" "0" "$(out)"
}

test_exit_status() {
    run_sbx $BASE -- /bin/sh -c 'exit 7'
    assertEquals 7 "$RC"
    run_sbx $P -- /bin/sh -c 'exit 9'
    assertEquals "through init" 9 "$RC"
    run_sbx $P -- /bin/sh -c 'kill -USR1 $$'
    assertEquals "killed by SIGUSR1" $((128 + 10)) "$RC"
    run_sbx $BASE -- /bin/sh -c 'kill -USR1 $$'
    assertEquals "killed by SIGUSR1, no pid namespace" $((128 + 10)) "$RC"
}

# start sbx in the background with a command that reports SIGTERM to a file
term_test() {
    mkdir -p "$T/sig" && rm -f "$T/sig/"*
    "$SBX" $BASE "$@" --bind "$T/sig" /sig -- /bin/sh -c \
        'trap "echo got-term >/sig/mark; exit 3" TERM; echo started >/sig/started; while :; do sleep 0.1; done' \
        >"$OUT" 2>"$ERR" &
    pid=$!
    wait_until test -f "$T/sig/started"
    kill -TERM $pid
    wait $pid
    RC=$?
    assertEquals "$(err)" "got-term" "$(cat "$T/sig/mark" 2>/dev/null)"
    assertEquals "exit status" 3 "$RC"
}

test_sigterm_forwarded_with_pid_namespace() { term_test --unshare-pid; }
test_sigterm_forwarded_without_pid_namespace() { term_test; }
test_sigterm_forwarded_as_pid_1() { term_test --unshare-pid --as-pid-1; }

test_ctrl_c_in_a_terminal_stops_the_command() {
    command -v script >/dev/null || { skip_test "script(1) not installed"; return; }
    # The shell in the terminal reports sbx's status, so it ignores ^C itself
    # (a dash that does not would die of it).  A command inherits ignored
    # signals (as nohup relies on), and a CI harness may start everything
    # with SIGINT ignored: env restores it for sbx.
    cat >"$T/ctrlc.sh" <<EOS
trap '' INT
env --default-signal=INT "$SBX" $BASE --unshare-pid --dev /dev -- /bin/sh -c 'trap "echo INT-caught; exit 5" INT; echo ready; sleep 30 & wait'
echo status=\$?
EOS
    # script gives sbx a real terminal; ^C typed into it makes the tty send
    # SIGINT.  Its input stays open until the status is out: script hangs up
    # its session when its input ends.
    rm -f "$OUT" # so that nothing of an earlier test is read as "ready"
    {
        wait_until grep -q ready "$OUT"
        printf '\003'
        wait_until grep -q status= "$OUT"
    } | SHELL=/bin/sh script -qfec "exec sh $T/ctrlc.sh" /dev/null >"$OUT" 2>&1
    grep -q INT-caught "$OUT" || fail "the command did not get ^C: $(out)"
    grep -q 'status=5' "$OUT" || fail "exit status: $(out)"
}

test_die_with_parent() {
    mkdir -p "$T/dwp"
    # a parent shell runs sbx, then the parent is killed with SIGKILL
    sh -c "\"$SBX\" $BASE --die-with-parent --unshare-pid --bind $T/dwp /d -- /bin/sh -c 'echo \$\$ >/d/started; exec sleep 4321' & wait" &
    parent=$!
    wait_until test -f "$T/dwp/started"
    assertTrue "sandbox did not start" "[ -f $T/dwp/started ]"
    kill -KILL $parent
    wait_until not pgrep -f 'sleep 4321'
    assertFalse "the sandbox outlived its parent" "pgrep -f 'sleep 4321'"
}

test_monitor_killed_leaves_nothing() {
    mkdir -p "$T/mk"
    "$SBX" $BASE --bind "$T/mk" /d -- /bin/sh -c 'echo go >/d/started; exec sleep 4322' &
    mon=$!
    wait_until test -f "$T/mk/started"
    kill -KILL $mon
    wait_until not pgrep -f 'sleep 4322'
    assertFalse "the command outlived a SIGKILLed sbx" "pgrep -f 'sleep 4322'"
}

. "$SHUNIT2"
