#!/bin/sh
# bench/overlay.sh [SBX] - overlay root speed: the same tree as a plain
# bind-mounted root ("host": no overlay, the tree read in place) vs an
# --overlay root with the kernel driver and with fuse-overlayfs.
#   read:     cat every file of a 10k-file tree (1-8 KiB files)
#   metadata: untar 10k files, stat them all, delete them
# Every command is a whole sandbox run, so start-up (and the overlay mount,
# 40-55 ms here) is included; ratios are of medians within one hyperfine
# run.  Writes go to a tmpfs in every variant (the overlay's throwaway
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
mkdir -p "$T/bin" "$T/w" "$T/data" "$T/proc" "$T/dev"
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
