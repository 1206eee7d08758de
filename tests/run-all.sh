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
    SBX_RESULTS=$results make check-vm || status=1
fi
p=$(grep -c '^PASS' "$results"); f=$(grep -c '^FAIL' "$results"); k=$(grep -c '^SKIP' "$results")
grep '^FAIL' "$results"
rm -f "$results"
[ "$f" = 0 ] || status=1
echo "sbx: $p passed, $f failed, $k skipped"
echo "$p passed, $f failed"
exit $status
