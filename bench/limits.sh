#!/bin/sh
# bench/limits.sh [SBX] - what resource limits add to a start: the same plan
# without limits, with limits (sbx asks the user manager for a transient
# scope itself), and `systemd-run --user --scope -p CPUQuota=20% ... bwrap`,
# in one hyperfine run, twice with the order rotated; prints ratios of medians.
# Run as a user with a systemd user session (the VM tier), or as root on a
# cgroup v1 host (then without the systemd-run pair). Never used by a test.
set -eu
SBX=${1:-${SBX:-sbx}}
RUNS=${RUNS:-40}
command -v hyperfine >/dev/null || { echo "limits.sh: hyperfine not installed"; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/sbx-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
PLAN="--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin --symlink usr/sbin /sbin --unshare-pid --proc /proc --dev /dev"
LIMITS="--cpu 20% --memory 256M --pids 100"
SDPROPS="-p CPUQuota=20% -p MemoryMax=256M -p TasksMax=100"

U="$SBX $PLAN -- /bin/true"
L="$SBX $PLAN $LIMITS -- /bin/true"
S="systemd-run --user --scope -q $SDPROPS bwrap $PLAN -- /bin/true"
pair=0
if [ "$(id -u)" != 0 ] && command -v bwrap >/dev/null && command -v systemd-run >/dev/null &&
    systemd-run --user --scope -q /bin/true 2>/dev/null; then
    pair=1
fi
# median of command NAME from a hyperfine JSON export (no python in the guest)
median() {
    tr -d ' \n' <"$1" | sed 's/},{/}\n{/g' | grep "\"command\":\"$2\"" |
        sed -n 's/.*"median":\([0-9.e-]*\).*/\1/p'
}
report() { # JSON LABEL
    u=$(median "$1" unlimited) l=$(median "$1" limited)
    p=$( [ $pair = 1 ] && median "$1" systemd-run+bwrap || echo 0)
    awk -v u="$u" -v l="$l" -v p="$p" -v lab="$2" 'BEGIN {
        printf "%s: median ms: unlimited %.2f, limited %.2f", lab, u * 1000, l * 1000
        if (p > 0) printf ", systemd-run+bwrap %.2f", p * 1000
        printf "\n%s: limited/unlimited = %.2f", lab, l / u
        if (p > 0) printf "   limited/(systemd-run+bwrap) = %.2f", l / p
        printf "\n" }'
}
run() { # JSON, then NAME CMD pairs
    j=$1
    shift
    hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$j" "$@" >/dev/null
}
if [ $pair = 1 ]; then
    run "$out/a.json" -n unlimited "$U" -n limited "$L" -n systemd-run+bwrap "$S"
    report "$out/a.json" "order 1"
    run "$out/b.json" -n systemd-run+bwrap "$S" -n limited "$L" -n unlimited "$U"
else
    run "$out/a.json" -n unlimited "$U" -n limited "$L"
    report "$out/a.json" "order 1"
    run "$out/b.json" -n limited "$L" -n unlimited "$U"
fi
report "$out/b.json" "order 2"
