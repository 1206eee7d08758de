#!/bin/sh
# bench/run.sh SBX [PROBE] - every benchmark that runs on this machine (as
# root): start-up vs bubblewrap and unshare, the security policy's cost,
# overlay throughput, and limits (cgroupfs here; the systemd comparison
# runs in the VM tier: see bench/limits.sh).  Figures only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SBX=${1:?usage: bench/run.sh SBX [PROBE]}
PROBE=${2:-$(dirname "$SBX")/tests/helpers/sbx-probe}
echo "== start-up (bench/startup.sh)"; sh "$here/startup.sh" "$SBX"
echo "== security policy (bench/seccomp.sh)"; sh "$here/seccomp.sh" "$SBX" "$PROBE"
echo "== overlay (bench/overlay.sh)"; sh "$here/overlay.sh" "$SBX"
echo "== limits (bench/limits.sh)"; sh "$here/limits.sh" "$SBX"
