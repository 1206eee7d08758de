#!/bin/sh
# run-suites.sh - run every suite in this directory as the current user and
# print "sbx-tests: N passed, N failed, N skipped"; exit 1 on any failure.
# Usage: SBX=/path/to/sbx [SBX_PROBE=...] sh run-suites.sh [SUITE...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${SBX:?set SBX}"
SBX_RESULTS=${SBX_RESULTS:-$(mktemp "${TMPDIR:-/tmp}/sbx-results.XXXXXX")}
export SBX SBX_RESULTS
[ -n "${SBX_PROBE:-}" ] || { [ -x "$here/helpers/sbx-probe" ] && SBX_PROBE=$here/helpers/sbx-probe; }
export SBX_PROBE
status=0
suites=${*:-$(ls "$here"/t-*.sh)}
for s in $suites; do
    echo "=== $(basename "$s") as $(id -un)"
    sh "$s" || status=1
done
p=$(grep -c '^PASS' "$SBX_RESULTS"); f=$(grep -c '^FAIL' "$SBX_RESULTS"); k=$(grep -c '^SKIP' "$SBX_RESULTS")
grep '^FAIL' "$SBX_RESULTS"
[ "$f" = 0 ] || status=1
echo "sbx-tests: $p passed, $f failed, $k skipped"
exit $status
