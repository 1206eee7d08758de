#!/bin/sh
# bench/overlay.sh [SBX] - overlay root speed: the same tree as a plain
# bind-mounted root ("host": no overlay, the tree read in place) vs an
# --overlay root with the kernel driver and with fuse-overlayfs.
#   read:     cat every file of a 10k-file tree (1-8 KiB files)
#   metadata: untar 10k files, stat them all, delete them
# Part 1: every command is a whole sandbox run, so start-up (and the
# overlay mount, 40-55 ms here) is included.  Part 2 ("warm"): hyperfine
# runs inside one sandbox of each kind, so the ratio is the filesystem's
# own throughput: the overlay root against the same tree bind-mounted, and
# against the tree read directly on the host.  Ratios are of medians.  Writes go to a tmpfs in every variant (the overlay's throwaway
# upper, or a --tmpfs for the bind baseline), so that the ext4 here
# (no journal) does not dominate.  Figures only, never assertions.
set -eu
SBX=${1:-${SBX:-sbx}}
RUNS=${RUNS:-10}
W=$(mktemp -d "${TMPDIR:-/tmp}/sbx-bench-ovl.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM
command -v hyperfine >/dev/null || { echo "hyperfine not installed"; exit 1; }

# the tree: busybox, 100 directories x 100 files of 1-8 KiB, and a tarball of it
T=$W/tree
mkdir -p "$T/bin" "$T/w" "$T/data" "$T/proc" "$T/dev" "$T/usr" "$T/out"
# mount points and loader links for the host's tools (hyperfine) in part 2
ln -s usr/lib "$T/lib" && ln -s usr/lib64 "$T/lib64"
cp /bin/busybox "$T/bin/busybox"
for a in sh cat find tar rm stat xargs; do ln -sf busybox "$T/bin/$a"; done
python3 - "$T/data" <<'PY'
import os, sys
for i in range(100):
    d = os.path.join(sys.argv[1], f"d{i}")
    os.makedirs(d)
    for j in range(100):
        with open(os.path.join(d, f"f{j}"), "wb") as f:
            f.write(os.urandom(1024 * (1 + (i * 100 + j) % 8)))
PY
(cd "$T" && tar -cf "$W/files.tar" data) && mv "$W/files.tar" "$T/files.tar"

READ='cd /data && cat */* >/dev/null'
META='cd /w && tar -xf /files.tar && find data -exec stat -c %s {} + >/dev/null && rm -rf data'
FUSE=
if command -v fuse-overlayfs >/dev/null && [ -r /dev/fuse ] && [ -w /dev/fuse ]; then FUSE=1; fi

run() {
    name=$1 cmd=$2
    set -- hyperfine -N -w 2 -r "$RUNS" --export-json "$W/$name.json" \
        -n host "$SBX --ro-bind $T / --dev /dev --tmpfs /w -- /bin/sh -c '$cmd'" \
        -n kernel "$SBX --overlay-driver kernel --overlay $T --dev /dev -- /bin/sh -c '$cmd'"
    [ -n "$FUSE" ] && set -- "$@" -n fuse "$SBX --overlay-driver fuse --overlay $T --dev /dev -- /bin/sh -c '$cmd'"
    "$@" >/dev/null
    python3 - "$W/$name.json" "$name" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
h = r["host"]["median"]
for k in ("kernel", "fuse"):
    if k in r:
        m = r[k]["median"]
        print(f"{sys.argv[2]:9} {k:7} median {m*1000:8.1f} ms  host {h*1000:8.1f} ms  "
              f"time ratio {m/h:5.2f}x  throughput {h/m:5.2f}x host")
EOF
}
echo "overlay bench: $(uname -r), $(id -un), $RUNS runs, 10000 files"
run read "$READ"
run metadata "$META"

# Part 2: warm passes inside one sandbox of each kind (hyperfine from the
# host's /usr), and directly on the host.
HOSTTOOLS="--ro-bind /usr /usr --bind $W /out"
warm() { # NAME PASS [--in-sandbox-args...]
    name=$1 cmd=$2; shift 2
    "$SBX" "$@" $HOSTTOOLS --dev /dev -- /usr/bin/hyperfine -N -w 2 -r "$RUNS" \
        --export-json "/out/$name.json" "/bin/sh -c '$cmd'" >/dev/null
}
report() { # PASS
    python3 - "$W" "$1" <<'EOF'
import json, sys, os
def med(n):
    p = os.path.join(sys.argv[1], n + ".json")
    return json.load(open(p))["results"][0]["median"] if os.path.exists(p) else None
k = sys.argv[2]
host, bind = med(k + "-host"), med(k + "-bind")
for drv in ("kernel", "fuse"):
    m = med(k + "-" + drv)
    if m:
        print(f"{k:9} warm {drv:7} {m*1000:8.1f} ms  bind {bind*1000:8.1f} ms  host {host*1000:8.1f} ms  "
              f"throughput {bind/m:5.2f}x bind, {host/m:5.2f}x host")
EOF
}
for pass in read metadata; do
    [ $pass = read ] && cmd=$READ || cmd=$META
    # on the host, writes go to a tmpfs too (/dev/shm), as in the sandboxes
    hostw=$(mktemp -d /dev/shm/sbx-bench-ovl.XXXXXX 2>/dev/null || mktemp -d "$W/hostw.XXXXXX")
    hcmd=$(printf '%s' "$cmd" | sed "s|/data|$T/data|g; s|cd /w|cd $hostw|; s|/files.tar|$T/files.tar|")
    hyperfine -N -w 2 -r "$RUNS" --export-json "$W/$pass-host.json" "/bin/sh -c '$hcmd'" >/dev/null
    warm "$pass-bind" "$cmd" --ro-bind "$T" / --tmpfs /w
    warm "$pass-kernel" "$cmd" --overlay-driver kernel --overlay "$T"
    [ -n "$FUSE" ] && warm "$pass-fuse" "$cmd" --overlay-driver fuse --overlay "$T"
    report $pass
    rm -rf "$hostw"
done
