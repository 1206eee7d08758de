#!/bin/sh
# t-cli.sh - the command line: help, version, verbs, bubblewrap mode, and
# bad input giving one line, exit status 1 and nothing left on the host.
. "$(dirname "$0")/lib.sh"

test_help_and_version() {
    run_sbx --help
    assertEquals 0 "$RC"
    grep -q -- '--ro-bind SRC DEST' "$OUT" || fail "--help lacks --ro-bind: $(head -3 "$OUT")"
    run_sbx --version
    assertEquals 0 "$RC"
    grep -Eq '^sbx [0-9]+\.[0-9]+' "$OUT" || fail "version: $(out)"
}

test_run_verb_is_optional() {
    run_sbx run $BASE -- /bin/echo ok
    assertEquals "run verb: $(err)" "ok" "$(out)"
    run_sbx $BASE -- /bin/echo ok
    assertEquals "no verb: $(err)" "ok" "$(out)"
}

test_command_named_like_a_verb() {
    mkdir -p "$T/verbs"
    printf '#!/bin/sh\necho I am commit\n' >"$T/verbs/commit"
    chmod 755 "$T/verbs/commit"
    run_sbx $BASE --ro-bind "$T/verbs" /xbin --setenv PATH /xbin:/usr/bin -- commit
    assertEquals "$(err)" "I am commit" "$(out)"
}

test_bwrap_mode_has_no_verbs() {
    ln -sf "$SBX" "$T/bwrap"
    "$T/bwrap" --help >"$OUT" 2>&1
    grep -q '^usage: bwrap' "$OUT" || fail "bwrap --help: $(head -2 "$OUT")"
    "$T/bwrap" $BASE run >"$OUT" 2>"$ERR"
    assertEquals 1 "$?"
    grep -q '^bwrap: execvp run' "$ERR" || fail "bwrap treats 'run' as a verb: $(err)"
}

test_unknown_option() {
    snapshot_host
    run_sbx --frobnicate -- true
    assert_error '--frobnicate: unknown option'
    assert_host_unchanged
}

test_missing_argument() {
    run_sbx --ro-bind /usr
    assert_error '--ro-bind: needs 2 arguments \(SRC DEST\)'
    run_sbx --hostname
    assert_error '--hostname: needs 1 argument'
}

test_no_command() {
    run_sbx $BASE
    assert_error 'no COMMAND given'
}

test_bad_octal() {
    run_sbx --perms 9z --dir /x -- true
    assert_error '--perms 9z: not an octal mode'
    run_sbx --chmod 12345 /x -- true
    assert_error '--chmod 12345 /x: not an octal mode'
    run_sbx --perms 0700 --ro-bind /usr /usr -- true
    assert_error '--perms 0700: must be followed by'
    run_sbx $BASE --perms 0700 -- true
    assert_error '--perms 0700: must be followed by an operation that creates a file'
}

test_bad_size() {
    run_sbx --size 12X --tmpfs /t -- true
    assert_error '--size 12X: not a size'
    run_sbx --size 0 --tmpfs /t -- true
    assert_error '--size 0: not a size'
    run_sbx --size 1M --dir /t -- true
    assert_error '--size 1M: must be followed by --tmpfs'
}

test_bad_fd() {
    run_sbx --file 77 /x -- true
    assert_error '--file 77: Bad file descriptor'
    run_sbx --info-fd x -- true
    assert_error '--info-fd x: not a file descriptor number'
}

test_dependent_options() {
    run_sbx $BASE --hostname box -- true
    assert_error '--hostname box: needs --unshare-uts'
    run_sbx $BASE --as-pid-1 -- true
    assert_error '--as-pid-1: needs --unshare-pid'
    run_sbx $BASE --userns-block-fd 0 -- true
    assert_error '--userns-block-fd: needs --info-fd'
}

test_missing_source_leaves_nothing() {
    snapshot_host
    run_sbx $BASE --ro-bind /nope /x -- true
    assert_error '--ro-bind /nope /x: No such file or directory$'
    assert_host_unchanged
}

test_exec_failure() {
    snapshot_host
    run_sbx $BASE -- /no/such/program
    assert_error 'execvp /no/such/program: No such file or directory'
    run_sbx $BASE --unshare-pid -- /no/such/program
    assert_error 'execvp /no/such/program: No such file or directory'
    assert_host_unchanged
}

test_old_kernel_refused() {
    # personality(UNAME26) makes uname(2) report a 2.6 kernel
    setarch "$(uname -m)" --uname-2.6 "$SBX" $BASE -- true >"$OUT" 2>"$ERR"
    RC=$?
    assert_error 'Linux 2\.6 is too old: sbx needs 5\.12 or newer'
}

. "$SHUNIT2"
