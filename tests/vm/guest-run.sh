#!/bin/sh
# guest-run.sh - the guest side of sbx's VM test tier. check-vm.sh puts it in
# the 9p share as run.sh; the guest's sbx-hostrun.service runs it as root
# after boot (output -> /mnt/host/out/run.log) and it powers the guest off.
#
# The share holds: sbx (the binary), sbx-probe (optional test helper),
# tests/ (the repo's tests directory),
# config (shell variables, see check-vm.sh) and out/ (results):
#   out/booted            written first (the host's boot watchdog waits for it)
#   out/<run>.log         output of one run of tests/run-suites.sh
#   out/<run>.rc          its exit status
#   out/summary.txt       "<run> rc=<n> delegate=<list> | sbx-tests: ..." per run
#   out/done              written last
# A run is CONFIG:USER[:SUITE,...] (default: all suites), CONFIG being
#   default  Debian's Delegate= of user@.service (cpu memory pids)
#   wide     drop-in /etc/systemd/system/user@.service.d/delegate.conf
#            with Delegate=cpu cpuset io memory pids
# Each run is a real login session (runuser -l: PAM, logind, user bus,
# XDG_RUNTIME_DIR) with SBX, SBX_PROBE (if the share has sbx-probe),
# SBX_TEST_ENV=vm, SBX_VM_DELEGATE and SBX_VM_RUN exported.
set -u

H=/mnt/host
OUT=$H/out
STAGE=/opt/sbx
WIDE_DELEGATE='cpu cpuset io memory pids'
DROPIN=/etc/systemd/system/user@.service.d/delegate.conf
export SYSTEMD_PAGER=cat

up() { cut -d' ' -f1 /proc/uptime; }
say() { printf '== [%6ss] %s\n' "$(up)" "$*"; }
since() { awk -v a="$1" -v b="$(up)" 'BEGIN { printf "%.1f", b - a }'; }

finish() {
    say "guest-run done"
    up > "$OUT/done"
    sync
    systemctl --no-block poweroff
}
trap finish EXIT

mkdir -p "$OUT"
up > "$OUT/booted"
say "guest-run start (kernel $(uname -r))"

RUNS='default:tester default:nosub wide:tester'
RUN_TIMEOUT=600
# shellcheck disable=SC1091
[ -f "$H/config" ] && . "$H/config"

state=$(timeout 120 systemctl is-system-running --wait 2>&1)
say "system state: $state"
if [ "$state" != running ]; then
    systemctl --failed --no-legend
fi
up > "$OUT/system-running"

echo "cgroup fs: $(stat -fc %T /sys/fs/cgroup) root controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"

# ------------------------------------------------------------ stage sbx + tests
# The 9p share shows the host's owners and modes; a world-readable copy
# lets the unprivileged users read and run everything.
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp "$H/sbx" "$STAGE/sbx"
probe_env=
if [ -f "$H/sbx-probe" ]; then
    cp "$H/sbx-probe" "$STAGE/sbx-probe"
    probe_env=" SBX_PROBE=$STAGE/sbx-probe"
fi
cp -R "$H/tests" "$STAGE/tests"
chmod -R a+rX,go-w "$STAGE"
chmod 755 "$STAGE/sbx"
[ -z "$probe_env" ] || chmod 755 "$STAGE/sbx-probe"
if ldd "$STAGE/sbx" 2>&1 | grep -q 'not found'; then
    say "sbx misses shared libraries in the guest:"
    ldd "$STAGE/sbx"
fi

# ------------------------------------------------------------ configurations
apply_config() { # $1 = default|wide
    case $1 in
    default) rm -f "$DROPIN" ;;
    wide)
        mkdir -p "${DROPIN%/*}"
        printf '[Service]\nDelegate=%s\n' "$WIDE_DELEGATE" > "$DROPIN"
        ;;
    *) say "unknown configuration $1"; return 1 ;;
    esac
    systemctl daemon-reload
    for u in tester nosub; do
        systemctl restart "user@$(id -u "$u").service"
    done
}

# the controllers delegated to user@UID.service, sorted: "cpu memory pids"
delegated() { # $1 = uid
    systemctl show -P DelegateControllers "user@$1.service" | tr ' ' '\n' | sed '/^$/d' | sort | xargs
}

run_one() { # $1 = run name, $2 = config, $3 = user, $4 = suites (comma-separated, empty: all)
    name=$1 user=$3 suites=
    [ -z "$4" ] || suites=$(echo "$4" | tr , ' ' | sed "s|[^ ][^ ]*|$STAGE/tests/&|g")
    uid=$(id -u "$user")
    log=$OUT/$name.log
    systemctl start "user@$uid.service"
    deleg=$(delegated "$uid")
    cg=/sys/fs/cgroup/user.slice/user-$uid.slice/user@$uid.service
    have=$(tr ' ' '\n' < "$cg/cgroup.controllers" | sort | xargs)
    say "run $name: user $user (uid $uid), delegated '$deleg', user@$uid.service controllers '$have'"
    case $2 in
    default) want='cpu memory pids' ;;
    wide) want=$WIDE_DELEGATE ;;
    esac
    wrapper=$STAGE/run-$name.sh
    cat > "$wrapper" <<WRAP
#!/bin/sh
echo "session: \$(id) XDG_RUNTIME_DIR=\${XDG_RUNTIME_DIR:-unset} DBUS_SESSION_BUS_ADDRESS=\${DBUS_SESSION_BUS_ADDRESS:-unset}"
echo "cgroup: \$(cat /proc/self/cgroup)  subuid: \$(grep "^$user:" /etc/subuid || echo none)"
export SBX=$STAGE/sbx$probe_env SBX_TEST_ENV=vm SBX_VM_DELEGATE='$deleg' SBX_VM_RUN=$name
cd "\$HOME" || exit 1
exec sh $STAGE/tests/run-suites.sh $suites
WRAP
    chmod 755 "$wrapper"
    t=$(up)
    rc=0
    if [ "$deleg" != "$want" ] || [ "$have" != "$want" ]; then
        echo "guest-run: configuration $2 expects '$want' delegated, got '$deleg' (controllers '$have')" > "$log"
        rc=99
    else
        : > "$log"   # O_APPEND below: leftovers of a killed run cannot overwrite what follows
        timeout -k 10 "$RUN_TIMEOUT" runuser -l "$user" -c "$wrapper" >> "$log" 2>&1 || rc=$?
        if [ "$rc" = 124 ]; then
            # the suites' processes outlive runuser: end them (and the
            # user's manager, restarted by the next run of this user)
            loginctl terminate-user "$user"
            sleep 1
            echo "guest-run: timed out after ${RUN_TIMEOUT}s" >> "$log"
        fi
    fi
    echo "$rc" > "$OUT/$name.rc"
    line=$(grep '^sbx-tests: ' "$log" | tail -n 1)
    echo "$name rc=$rc delegate='$deleg' time=$(since "$t")s | ${line:-no summary line}" >> "$OUT/summary.txt"
    say "run $name: rc=$rc in $(since "$t")s: ${line:-no summary line}"
}

: > "$OUT/summary.txt"
current=default
for r in $RUNS; do
    config=${r%%:*} rest=${r#*:}
    user=${rest%%:*} suites=
    [ "$user" = "$rest" ] || suites=${rest#*:}
    if [ "$config" != "$current" ]; then
        t=$(up)
        apply_config "$config"
        current=$config
        say "configuration $config applied in $(since "$t")s"
    fi
    run_one "$config-$user" "$config" "$user" "$suites"
done
