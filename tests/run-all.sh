#!/bin/sh
# run-all.sh - the whole test suite, from a built tree (as root):
#   1. creates the unprivileged test users (tests/setup-users.sh),
#   2. `make check`: every suite as root, as sbxtest (subuid range) and
#      as sbxnosub (single-id map),
#   3. `make check-vm`: the suites again in a qemu guest with systemd and
#      cgroup v2, as an unprivileged user with a login session
#      (set SBX_SKIP_VM=1 to leave it out),
# and prints "N passed, N failed, N skipped" over all of them.
set -u
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "run-all.sh: run as root (sudo tests/run-all.sh)" >&2; exit 1; }
[ -f Makefile ] || { echo "run-all.sh: build first (./configure && make)" >&2; exit 1; }
tests/setup-users.sh
results=$(mktemp /tmp/sbx-results.XXXXXX)
chmod 666 "$results"
status=0
make -j2 >/dev/null || exit 1
SBX_RESULTS=$results make check || { status=1; cat tests/*.log 2>/dev/null | grep -E 'ASSERT|ERROR|^===' | head -200; }
if [ "${SBX_SKIP_VM:-0}" != 1 ]; then
    # in the guest (slow: software emulation) every suite runs once as a
    # user with subordinate ids; the single-id user and the widened
    # delegation run the suites that differ there
    export SBX_VM_RUNS="${SBX_VM_RUNS:-default:tester default:nosub:t-userns.sh,t-fs.sh,t-limits.sh,t-overlay.sh wide:tester:t-limits.sh}"
    vmlog=$(mktemp /tmp/sbx-vm.XXXXXX)
    make check-vm >"$vmlog" 2>&1 || status=1
    cat "$vmlog"
    vm=$(sed -n 's/^check-vm: [A-Z]*: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped.*/\1 \2 \3/p' "$vmlog" | tail -1)
    rm -f "$vmlog"
    [ -n "$vm" ] || { echo "run-all: no result from the VM tier"; status=1; vm="0 1 0"; }
fi
set -- ${vm:-0 0 0}
p=$(( $(grep -c '^PASS' "$results") + $1 )); f=$(( $(grep -c '^FAIL' "$results") + $2 )); k=$(( $(grep -c '^SKIP' "$results") + $3 ))
grep '^FAIL' "$results"
rm -f "$results"
[ "$f" = 0 ] || status=1
echo "sbx: $p passed, $f failed, $k skipped"
echo "$p passed, $f failed"
exit $status
