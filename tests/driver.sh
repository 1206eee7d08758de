#!/bin/sh
# driver.sh SUITE - automake's LOG_COMPILER: run one suite as the current
# user and, when that is root, again as the unprivileged test users
# (sbxtest: subordinate id ranges; sbxnosub: none).  The binary and the
# suites are staged in a world-readable directory for them, since the
# build tree may be unreadable to other users.
set -u
suite=$1
here=$(cd "$(dirname "$0")" && pwd)
status=0
export SBX_RESULTS=${SBX_RESULTS:-/dev/null}
echo "=== $(basename "$suite") as $(id -un)"
sh "$suite" || status=1
if [ "$(id -u)" = 0 ] && [ "${SBX_TEST_USERS:-sbxtest sbxnosub}" != none ]; then
    stage=$(mktemp -d /tmp/sbx-stage.XXXXXX)
    chmod 755 "$stage"
    cp "$SBX" "$stage/sbx"
    [ -n "${SBX_PROBE:-}" ] && [ -x "$SBX_PROBE" ] && cp "$SBX_PROBE" "$stage/sbx-probe"
    cp -r "$here" "$stage/tests"
    chmod -R a+rX "$stage"
    results=$stage/results
    : >"$results"; chmod 666 "$results"
    for u in ${SBX_TEST_USERS:-sbxtest sbxnosub}; do
        id "$u" >/dev/null 2>&1 || { echo "driver: no user $u (run tests/setup-users.sh as root)"; status=1; continue; }
        echo "=== $(basename "$suite") as $u"
        # a fresh environment, as a user who logs in would have (no XDG_RUNTIME_DIR here)
        setpriv --reuid "$u" --regid "$u" --init-groups --reset-env \
            env SBX="$stage/sbx" SBX_PROBE="$stage/sbx-probe" SBX_RESULTS="$results" \
            SBX_SRCDIR="${SBX_SRCDIR:-}" TMPDIR=/tmp \
            sh -c 'cd /tmp && exec sh "$0"' "$stage/tests/$(basename "$suite")" || status=1
    done
    [ "$SBX_RESULTS" = /dev/null ] || cat "$results" >>"$SBX_RESULTS"
    rm -rf "$stage"
fi
exit $status
