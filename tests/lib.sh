# lib.sh - shared helpers for sbx's shunit2 suites.  Source it, define
# test functions, then `. "$SHUNIT2"` (lib.sh sets it).
#
# Environment: SBX (the binary, required), SBX_PROBE (tests/helpers/sbx-probe),
# SBX_RESULTS (file that collects "PASS|FAIL|SKIP suite test" lines),
# SBX_TEST_ENV ("vm" inside the VM tier), SBX_VM_DELEGATE (its delegated
# controllers).  A suite that defines setUp/tearDown must call
# sbx_setUp/sbx_tearDown from them.

: "${SBX:?set SBX to the sbx binary}"
SHUNIT2=${SHUNIT2:-/usr/bin/shunit2}
SUITE=$(basename "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/sbx-test.XXXXXX")
chmod 755 "$T"
export LC_ALL=C

# The plan most tests start from: the host's /usr read-only with the
# merged-/usr symlinks, like bubblewrap's usual invocation.
BASE="--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/sbin /sbin"

is_root() { [ "$(id -u)" = 0 ]; }
has_subids() {
    u=$(id -un)
    grep -q "^$u:" /etc/subuid 2>/dev/null && grep -q "^$u:" /etc/subgid 2>/dev/null
}
# subuid_range start|count: the first /etc/subuid range of the current user
subuid_range() {
    f=2; [ "$1" = count ] && f=3
    grep "^$(id -un):" /etc/subuid | head -1 | cut -d: -f$f
}
in_vm() { [ "${SBX_TEST_ENV:-}" = vm ]; }
has_systemd_user() { [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -S "$XDG_RUNTIME_DIR/bus" ]; }

# wait_until [-t TENTHS] COMMAND...: run COMMAND every 0.1 s until it
# succeeds, for at most TENTHS tenths of a second (default 100: 10 s);
# fails if it never did.  For a test to wait on another process.
wait_until() {
    _w=0 _max=100
    [ "$1" = -t ] && { _max=$2; shift 2; }
    until "$@" 2>/dev/null; do
        [ $_w -ge $_max ] && return 1
        sleep 0.1
        _w=$((_w + 1))
    done
}

# not COMMAND...: succeeds when COMMAND fails (for wait_until).
not() { ! "$@" >/dev/null 2>&1; }

# skip_test REASON: the rest of this test is skipped, and why is recorded.
skip_test() {
    echo "SKIP: $SUITE ${_shunit_test_:-?}: $*"
    _sbx_skipped=1
    startSkipping
}

# run_sbx ARGS...: run sbx, keep stdout in $OUT, stderr in $ERR, status in $RC.
OUT=$T/out ERR=$T/err
run_sbx() {
    "$SBX" "$@" >"$OUT" 2>"$ERR" </dev/null
    RC=$?
    return 0
}
out() { cat "$OUT"; }
err() { cat "$ERR"; }

# assert_error PATTERN: exit status 1, stderr exactly one line "sbx: ..."
# matching the extended regex PATTERN, nothing on stdout.
assert_error() {
    assertEquals "exit status (stderr: $(err))" 1 "$RC"
    assertEquals "one line on stderr: $(err)" 1 "$(wc -l <"$ERR")"
    grep -Eq "^sbx: .*$1" "$ERR" || fail "stderr '$(err)' does not match 'sbx: .*$1'"
}

# Host state that sbx must not change: mounts, temp dirs, cgroups.
host_state() {
    {
        cut -d' ' -f5 /proc/self/mountinfo | sort
        # the test harness's own temporary files are not sbx's
        ls -a "${TMPDIR:-/tmp}" 2>/dev/null | grep -Ev '^(sbx-test|sbx-stage|sbx-results|sbx-vm|shunit)\.|^cc' 
        find /sys/fs/cgroup -maxdepth 3 -name 'sbx*' 2>/dev/null
    } | sort
}
snapshot_host() { host_state >"$T/host.before"; }
assert_host_unchanged() {
    host_state >"$T/host.after"
    if ! cmp -s "$T/host.before" "$T/host.after"; then
        fail "host state changed: $(diff "$T/host.before" "$T/host.after" | tr '\n' ' ')"
    fi
}

# make_busybox_root DIR: a tiny root filesystem from busybox-static.
make_busybox_root() {
    mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/proc" "$1/dev" "$1/root"
    cp /bin/busybox "$1/bin/busybox"
    for a in sh ls cat echo mkdir rm mv touch id stat sleep true false grep sed wc chmod chown ln env readlink head tail tar find; do
        ln -sf busybox "$1/bin/$a"
    done
    echo "root:x:0:0:root:/root:/bin/sh" >"$1/etc/passwd"
    echo "root:x:0:" >"$1/etc/group"
}

sbx_setUp() { _sbx_skipped=0; _sbx_in_test=1; endSkipping; }
# shunit2 calls tearDown once more from its exit trap, outside any test:
# only a test's own tearDown records a result
sbx_tearDown() {
    [ "${_sbx_in_test:-0}" = 1 ] || return 0
    _sbx_in_test=0
    [ -n "${SBX_RESULTS:-}" ] || return 0
    who=$(id -un)
    if [ "${_sbx_skipped:-0}" = 1 ]; then r=SKIP
    elif [ "${__shunit_testSuccess:-0}" = "${SHUNIT_TRUE:-0}" ]; then r=PASS
    else r=FAIL; fi
    echo "$r $who $SUITE ${_shunit_test_:-?}" >>"$SBX_RESULTS"
}
setUp() { sbx_setUp; }
tearDown() { sbx_tearDown; }
# overlayfs leaves its work/work directory mode 000: make it removable first
oneTimeTearDown() { chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T" 2>/dev/null; return 0; }
