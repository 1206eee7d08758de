#!/bin/sh
# check-vm.sh - sbx's VM test tier (make check-vm)
#
# Usage: tests/vm/check-vm.sh SBX_BINARY TESTS_DIR [PROBE_BINARY]
#
# PROBE_BINARY (tests/helpers/sbx-probe, optional) is staged next to sbx and
# exported to the suites as SBX_PROBE.
# Builds the guest image if it is not cached (build-image.sh; needs root),
# boots it (boot.sh), runs TESTS_DIR/run-suites.sh inside as unprivileged
# users in real login sessions (guest-run.sh) and reports. Runs (SBX_VM_RUNS):
#   default:tester  Debian's delegation (cpu memory pids), user with subuid/subgid
#   default:nosub   same, user without subuid/subgid ranges (single-id map)
#   wide:tester     Delegate=cpu cpuset io memory pids (drop-in for user@.service)
# A run may name its suites: wide:tester:t-limits.sh,t-cli.sh (default: all).
# Inside, the suites see SBX, SBX_PROBE (if given), SBX_TEST_ENV=vm, SBX_VM_DELEGATE (the sorted
# list of controllers delegated to the user's manager) and SBX_VM_RUN.
# Exit 0 only if every run passed. Logs: $SBX_VM_LOGDIR (default ./vm-logs):
# console.log, run.log (guest side), <run>.log, summary.txt.
#
# Env: SBX_VM_RUNS="default:tester default:nosub wide:tester"
#      SBX_VM_RUN_TIMEOUT=600   per run, inside the guest
#      SBX_VM_BOOT_TIMEOUT=240 SBX_VM_TIMEOUT=1800   see boot.sh
#      SBX_VM_VERBOSE=1         show the whole log of passing runs too
#      SBX_VM_CACHE=/var/tmp    see build-image.sh
#      SBX_VM_LOGDIR=./vm-logs
set -eu

usage() { echo "usage: check-vm.sh SBX_BINARY TESTS_DIR [PROBE_BINARY]" >&2; exit 1; }
[ $# = 2 ] || [ $# = 3 ] || usage
sbx=$1 tests=$2 probe=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
logdir=${SBX_VM_LOGDIR:-$PWD/vm-logs}
runs=${SBX_VM_RUNS:-default:tester default:nosub wide:tester}

if [ ! -f "$sbx" ] || [ ! -x "$sbx" ]; then
    echo "check-vm: $sbx: not an executable file" >&2
    exit 1
fi
[ -f "$tests/run-suites.sh" ] || { echo "check-vm: $tests/run-suites.sh missing" >&2; exit 1; }
command -v qemu-system-x86_64 >/dev/null 2>&1 ||
    { echo "check-vm: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 1; }
for r in $runs; do
    case $r in
    default:tester|default:nosub|wide:tester|wide:nosub) ;;
    default:tester:t-*|default:nosub:t-*|wide:tester:t-*|wide:nosub:t-*) ;;
    *) echo "check-vm: bad run '$r' in SBX_VM_RUNS" >&2; exit 1 ;;
    esac
done

t0=$(date +%s)
img=$("$here/build-image.sh" | tail -n 1)
t1=$(date +%s)

share=$(mktemp -d "${TMPDIR:-/var/tmp}/sbx-vm-share.XXXXXX")
trap 'rm -rf "$share"' EXIT
trap 'exit 130' INT TERM HUP
cp "$sbx" "$share/sbx"
if [ -n "$probe" ]; then
    if [ -f "$probe" ] && [ -x "$probe" ]; then
        cp "$probe" "$share/sbx-probe"
    else
        echo "check-vm: $probe: not an executable file (suites that need it skip)" >&2
    fi
fi
cp -RL "$tests" "$share/tests"
cp "$here/guest-run.sh" "$share/run.sh"
{
    echo "RUNS='$runs'"
    echo "RUN_TIMEOUT=${SBX_VM_RUN_TIMEOUT:-600}"
} > "$share/config"

echo "check-vm: booting $img (runs: $runs)"
brc=0
"$here/boot.sh" "$img" "$share" || brc=$?
t2=$(date +%s)

mkdir -p "$logdir"
# only what an earlier run left (SBX_VM_LOGDIR may be any directory)
find "$logdir" -maxdepth 1 -type f \( -name '*.log' -o -name '*.rc' -o -name summary.txt \
    -o -name booted -o -name system-running -o -name 'done' \) -exec rm -f {} +
cp -R "$share/out/." "$logdir/"
out=$logdir

if [ -f "$out/run.log" ]; then
    echo "---- guest-side log (run.log)"
    tr -d '\r' < "$out/run.log"
fi

fail=0
[ "$brc" = 0 ] || { echo "check-vm: the guest run failed (boot.sh status $brc)"; fail=1; }
passed=0 failed=0 skipped=0
for r in $runs; do
    name=$(echo "$r" | cut -d: -f1-2 | tr : -)
    log=$out/$name.log
    echo "---- run $name"
    if [ ! -f "$out/$name.rc" ]; then
        echo "check-vm: run $name did not complete"
        [ -f "$log" ] && cat "$log"
        fail=1
        continue
    fi
    rc=$(cat "$out/$name.rc")
    line=$(grep '^sbx-tests: ' "$log" | tail -n 1 || true)
    if [ "$rc" = 0 ] && [ -n "$line" ] && [ "${SBX_VM_VERBOSE:-0}" != 1 ]; then
        echo "(last 20 lines; full log: $log)"
        tail -n 20 "$log"
    else
        cat "$log"
    fi
    if [ -z "$line" ]; then
        echo "check-vm: run $name printed no 'sbx-tests:' summary line"
        fail=1
    else
        # sbx-tests: P passed, F failed, S skipped
        p=$(echo "$line" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed.*/\1/p')
        f=$(echo "$line" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) failed.*/\1/p')
        s=$(echo "$line" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) skipped.*/\1/p')
        if [ -z "$p" ] || [ -z "$f" ]; then
            echo "check-vm: cannot parse: $line"
            f=1
        fi
        passed=$((passed + ${p:-0})) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
        [ "$f" = 0 ] || fail=1
    fi
    [ "$rc" = 0 ] || { echo "check-vm: run $name exited with status $rc"; fail=1; }
done

echo "---- summary"
[ -f "$out/summary.txt" ] && cat "$out/summary.txt"
echo "check-vm: image $((t1 - t0))s, boot+runs $((t2 - t1))s, total $(($(date +%s) - t0))s; logs in $logdir"
if [ "$fail" = 0 ]; then
    echo "check-vm: PASS: $passed passed, $failed failed, $skipped skipped"
else
    echo "check-vm: FAIL: $passed passed, $failed failed, $skipped skipped"
fi
exit "$fail"
