#!/bin/sh
# bench/seccomp.sh [SBX [PROBE]] - what the default security policy costs:
# start-up with and without the default seccomp filter, and a syscall-heavy
# loop (getppid, N times) inside.  Prints ratios of medians (never asserted).
set -eu
SBX=${1:-${SBX:-./sbx}}
PROBE=${2:-${SBX_PROBE:-./tests/helpers/sbx-probe}}
N=${SBX_BENCH_LOOP:-2000000}
command -v hyperfine >/dev/null || { echo "bench/seccomp.sh: needs hyperfine" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
BASE="--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64"
P="--ro-bind $PROBE /probe"

median() { # hyperfine JSON -> median of command $2
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"
}
ratio() { python3 -c 'import sys; print("%.3f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }

run() { # NAME CMD-A CMD-B: B/A, both orders
    name=$1 a=$2 b=$3
    hyperfine -N -w 5 -r "${RUNS:-40}" --export-json "$tmp/1.json" "$a" "$b" >/dev/null 2>&1
    hyperfine -N -w 5 -r "${RUNS:-40}" --export-json "$tmp/2.json" "$b" "$a" >/dev/null 2>&1
    r1=$(ratio "$(median "$tmp/1.json" 1)" "$(median "$tmp/1.json" 0)")
    r2=$(ratio "$(median "$tmp/2.json" 0)" "$(median "$tmp/2.json" 1)")
    echo "$name: default/unconfined = $r1 (order A,B), $r2 (order B,A)"
}

run "start-up (/bin/true)" \
    "$SBX --seccomp-profile unconfined $BASE -- /bin/true" \
    "$SBX $BASE -- /bin/true"
RUNS=${RUNS_LOOP:-15} run "getppid x $N inside" \
    "$SBX --seccomp-profile unconfined $P -- /probe loop $N" \
    "$SBX $P -- /probe loop $N"
# the filter's per-syscall cost against no sandbox at all
RUNS=${RUNS_LOOP:-15} run "getppid x $N: sandboxed default / bare" \
    "$PROBE loop $N" \
    "$SBX $P -- /probe loop $N"
