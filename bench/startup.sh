#!/bin/sh
# bench/startup.sh SBX - start-up of sbx vs bubblewrap vs the unshare floor,
# in one hyperfine run, as an unprivileged user; prints ratios of medians.
# Run as root: it runs the measurement as the test users (sbxtest: subuid
# range mapped, without and with `sbx holder`; sbxnosub: single-id map).
# Never used by a test.
set -eu
SBX=${1:?usage: startup.sh SBX}
RUNS=${RUNS:-200}
command -v hyperfine >/dev/null || { echo "hyperfine not installed (apt-get install hyperfine)"; exit 1; }
command -v bwrap >/dev/null || { echo "bubblewrap not installed (apt-get install bubblewrap)"; exit 1; }
stage=$(mktemp -d /tmp/sbx-bench.XXXXXX); chmod 1777 "$stage"
cp "$SBX" "$stage/sbx"; chmod 755 "$stage/sbx"
trap 'setpriv --reuid sbxtest --regid sbxtest --init-groups --reset-env "$stage/sbx" holder stop 2>/dev/null; rm -rf "$stage"' EXIT
PLAN="--ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin --symlink usr/sbin /sbin --proc /proc --dev /dev --unshare-all"
bench_as() { # USER LABEL
    out=$stage/$1.json
    setpriv --reuid "$1" --regid "$1" --init-groups --reset-env \
        hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$out" \
        -n true "/bin/true" \
        -n unshare "unshare -Urfp --mount-proc /bin/true" \
        -n bwrap "bwrap $PLAN /bin/true" \
        -n sbx "$stage/sbx $PLAN /bin/true" >/dev/null
    python3 - "$out" "$2" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print(f"{sys.argv[2]}: median ms: " + ", ".join(f"{k} {v*1000:.2f}" for k, v in r.items()))
print(f"{sys.argv[2]}: sbx/bwrap = {r['sbx']/r['bwrap']:.2f}   sbx/unshare = {r['sbx']/r['unshare']:.2f}   bwrap/unshare = {r['bwrap']/r['unshare']:.2f}")
PY
}
bench_as sbxtest "subuid range mapped"
# the same user with its namespace holder running (sbx holder start): the
# range is mapped without running newuidmap/newgidmap
setpriv --reuid sbxtest --regid sbxtest --init-groups --reset-env "$stage/sbx" holder start >/dev/null
bench_as sbxtest "range, holder      "
setpriv --reuid sbxtest --regid sbxtest --init-groups --reset-env "$stage/sbx" holder stop
bench_as sbxnosub "single-id map      "
