#!/bin/sh
# t-security.sh - the default policy (seccomp deny-list, no capabilities,
# no_new_privs, Landlock scoping), its relaxations, JSON profiles, BPF
# from fds and rlimits, seen from inside a sandbox by tests/helpers/probe.c.
. "$(dirname "$0")/lib.sh"

PROBE_ARGS=""
# --uid as root needs a user namespace of its own
USERNS=""
is_root && USERNS=--unshare-user
oneTimeSetUp() {
    if [ -n "${SBX_PROBE:-}" ] && [ -x "$SBX_PROBE" ]; then
        cp "$SBX_PROBE" "$T/probe" && chmod 755 "$T/probe"
    fi
    PROBE_ARGS="--ro-bind $T/probe /probe --dev /dev --tmpfs /tmp --unshare-pid --proc /proc"
}

need_probe() {
    [ -x "$T/probe" ] || { skip_test "SBX_PROBE (tests/helpers/sbx-probe) not built"; return 1; }
}

# probe [SBX-ARGS...] -- CHECKS...: run the probe in a sandbox; lines in $OUT
probe() {
    args=""
    while [ $# -gt 0 ] && [ "$1" != -- ]; do args="$args $1"; shift; done
    shift
    # shellcheck disable=SC2086
    run_sbx $args $PROBE_ARGS -- /probe "$@"
}

# expect NAME RESULT: the probe's line for NAME in $OUT
expect() {
    got=$(awk -v n="$1" '$1 == n { print $2 }' "$OUT")
    assertEquals "$1 (stderr: $(err))" "$2" "$got"
}

test_default_filter_refuses() {
    need_probe || return
    probe -- all
    assertEquals "probe exit status (stderr: $(err))" 0 "$RC"
    while read -r name res; do
        expect "$name" "$res"
    done <<'TABLE'
userns EPERM
clone-userns EPERM
clone3 ENOSYS
mount EPERM
umount2 EPERM
pivot_root EPERM
chroot EPERM
setns EPERM
fsopen ENOSYS
fsconfig ENOSYS
fsmount ENOSYS
fspick ENOSYS
open_tree ENOSYS
move_mount ENOSYS
mount_setattr ENOSYS
open_tree_attr ENOSYS
keyctl EPERM
add_key EPERM
request_key EPERM
userfaultfd EPERM
io_uring_setup ENOSYS
io_uring_enter ENOSYS
io_uring_register ENOSYS
bpf EPERM
kexec_load EPERM
kexec_file_load EPERM
init_module EPERM
finit_module EPERM
delete_module EPERM
open_by_handle_at EPERM
syslog EPERM
acct EPERM
quotactl EPERM
swapon EPERM
swapoff EPERM
reboot EPERM
settimeofday EPERM
clock_settime EPERM
clock_adjtime EPERM
perf_event_open EPERM
ptrace EPERM
process_vm_readv EPERM
process_vm_writev EPERM
kcmp EPERM
pidfd_getfd EPERM
personality-query ok
personality-linux32 ok
personality-bsd EPERM
personality-bsd-hi EPERM
personality-norandom EPERM
tiocsti EPERM
tiocsti-hi EPERM
tioclinux EPERM
socket-unix ok
socket-inet ok
socket-inet6 ok
socket-netlink ok
socket-packet EAFNOSUPPORT
socket-vsock EAFNOSUPPORT
socket-unix-hi EAFNOSUPPORT
nr-470 ENOSYS
nr-1000 ENOSYS
TABLE
}

# The same probe without a filter: what the default filter refuses is
# otherwise allowed here, so the refusals above are the filter's.
test_unconfined_is_the_control() {
    need_probe || return
    probe --seccomp-profile unconfined -- userns clone3 ptrace personality sockets
    assertEquals "stderr: $(err)" 0 "$RC"
    for n in userns clone3 ptrace process_vm_readv kcmp pidfd_getfd personality-bsd socket-vsock \
        socket-unix-hi; do
        expect "$n" ok
    done
    probe --seccomp-profile unconfined -- tiocsti
    if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ]; then
        expect tiocsti ok
        expect tiocsti-hi ok
    fi
}

test_new_syscalls_enosys() {
    need_probe || return
    # 470 and above are newer than sbx's review: ENOSYS although the
    # running kernel may know them; reviewed ones (cachestat) pass through
    probe -- newsys
    expect nr-470 ENOSYS
    expect cachestat "$(awk '$1 == "cachestat" { print $2 }' "$OUT")"
    probe --seccomp-profile unconfined -- newsys
    unc=$(awk '$1 == "cachestat" { print $2 }' "$OUT")
    probe -- newsys
    expect cachestat "$unc"
}

test_x32_killed() {
    need_probe || return
    [ "$(uname -m)" = x86_64 ] || { skip_test "x32 is an x86_64 ABI"; return; }
    probe -- x32
    assertEquals "x32 syscall: killed by SIGSYS (out: $(out))" 159 "$RC"
    assertFalse "x32 syscall returned: $(out)" "grep -Eq '^x32 (ok|E)' $OUT"
}

test_ia32_killed() {
    need_probe || return
    [ "$(uname -m)" = x86_64 ] || { skip_test "ia32 is an x86_64 ABI"; return; }
    probe --seccomp-profile unconfined -- ia32
    if [ "$RC" = 139 ]; then
        skip_test "int 0x80 faults on this kernel even without a filter (ia32 emulation off)"
        return
    fi
    probe -- ia32
    assertEquals "ia32 syscall: killed by SIGSYS (out: $(out))" 159 "$RC"
}

test_allow_userns() {
    need_probe || return
    probe --allow-userns -- all
    for n in userns clone-userns clone3; do expect "$n" ok; done
    for n in ptrace perf_event_open keyctl io_uring_setup; do
        assertNotEquals "$n still refused" ok "$(awk -v n=$n '$1 == n { print $2 }' "$OUT")"
    done
    expect ptrace EPERM
    expect keyctl EPERM
    # the mount API is the kernel's to refuse now (no capability), not ENOSYS
    assertNotEquals fsopen ENOSYS "$(awk '$1 == "fsopen" { print $2 }' "$OUT")"
}

test_allow_userns_nested_sandbox() {
    need_probe || return
    # the outer command is not root, so the inner sbx maps its own uid
    run_sbx $USERNS --uid 1000 --allow-userns $BASE --unshare-pid --proc /proc --dev /dev --tmpfs /tmp \
        --ro-bind "$SBX" /sbx -- /sbx --unshare-user $BASE -- /bin/sh -c 'echo nested'
    assertEquals "nested sbx (stderr: $(err))" 0 "$RC"
    assertEquals nested "$(out)"
}

test_allow_ptrace() {
    need_probe || return
    probe --allow-ptrace -- all
    for n in ptrace process_vm_readv process_vm_writev kcmp pidfd_getfd personality-norandom; do
        expect "$n" ok
    done
    expect userns EPERM
    expect perf_event_open EPERM
    expect personality-bsd EPERM
}

test_allow_perf() {
    need_probe || return
    probe --allow-perf -- all
    # the kernel may still refuse (perf_event_paranoid), but not with the filter's EPERM
    probe --seccomp-profile unconfined -- perf
    unc=$(awk '$1 == "perf_event_open" { print $2 }' "$OUT")
    probe --allow-perf -- all
    expect perf_event_open "$unc"
    expect ptrace EPERM
    expect userns EPERM
}

# TIOCSTI on the terminal sbx runs in: the shell that started sbx must read
# nothing (CVE-2017-5226), for TIOCSTI and TIOCSTI | 1 << 32.  script(1)
# reads a FIFO held open here: no input, and no end of file it would pass on.
tty_inject() {
    [ -p "$T/fifo" ] || mkfifo "$T/fifo"
    exec 9<>"$T/fifo"
    # shellcheck disable=SC2016
    SBX_ARGS="$*" PROBE="$T/probe" SHELL=/bin/bash script -qec '
        "$SBX" $SBX_ARGS --ro-bind "$PROBE" /probe -- /probe tiocsti-stdin
        read -r -t 2 line; echo "GOT:$line"' /dev/null <"$T/fifo" >"$OUT" 2>&1
    exec 9<&-
}

test_tiocsti_terminal() {
    need_probe || return
    command -v script >/dev/null || { skip_test "no script(1)"; return; }
    export SBX PROBE SBX_ARGS
    tty_inject
    tr -d '\r' <"$OUT" >"$T/tty.out"
    grep -q '^tiocsti-stdin EPERM' "$T/tty.out" || fail "TIOCSTI not refused: $(cat "$T/tty.out")"
    grep -q '^tiocsti-stdin-hi EPERM' "$T/tty.out" || fail "TIOCSTI|1<<32 not refused: $(cat "$T/tty.out")"
    assertTrue "the caller's shell read something: $(cat "$T/tty.out")" "grep -q '^GOT:$' $T/tty.out"
    if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ]; then
        # control: without the filter the same injection reaches the shell
        tty_inject --seccomp-profile unconfined
        tr -d '\r' <"$OUT" >"$T/tty.out"
        assertTrue "control: injection without a filter: $(cat "$T/tty.out")" \
            "grep -q '^GOT:echo INJECTED' $T/tty.out"
    fi
}

caps_of() { awk -v k="$1:" '$1 == k { print $2 }' "$OUT"; }

test_no_capabilities_nnp() {
    for uid in "" "$USERNS --uid 0"; do
        # shellcheck disable=SC2086
        run_sbx $uid $BASE --unshare-pid --proc /proc -- cat /proc/self/status
        assertEquals "stderr: $(err)" 0 "$RC"
        for k in CapEff CapPrm CapInh CapAmb CapBnd; do
            assertEquals "$k ($uid)" 0000000000000000 "$(caps_of $k)"
        done
        assertEquals "NoNewPrivs ($uid)" 1 "$(caps_of NoNewPrivs)"
        assertEquals "Seccomp ($uid)" 2 "$(caps_of Seccomp)"
    done
}

test_cap_add_survives_exec() {
    # CAP_NET_BIND_SERVICE = bit 10, for a non-root uid inside (ambient)
    run_sbx $USERNS --uid 1000 --cap-add CAP_NET_BIND_SERVICE $BASE --unshare-pid --proc /proc -- cat /proc/self/status
    assertEquals "stderr: $(err)" 0 "$RC"
    for k in CapEff CapPrm CapInh CapAmb CapBnd; do
        assertEquals "$k" 0000000000000400 "$(caps_of $k)"
    done
    # ALL then a drop, as root inside; bit 21 is CAP_SYS_ADMIN
    run_sbx $USERNS --uid 0 --cap-add ALL --cap-drop CAP_SYS_ADMIN $BASE --unshare-pid --proc /proc -- cat /proc/self/status
    assertEquals "stderr: $(err)" 0 "$RC"
    eff=$(caps_of CapEff)
    [ -n "$eff" ] || { fail "no CapEff: $(err)"; return; }
    assertEquals "CAP_SYS_ADMIN dropped" 0 "$(( (0x$eff >> 21) & 1 ))"
    assertEquals "CAP_CHOWN kept" 1 "$(( 0x$eff & 1 ))"
    assertEquals "CapBnd = CapEff" "$eff" "$(caps_of CapBnd)"
}

test_cap_add_relaxes_filter() {
    need_probe || return
    probe --cap-add CAP_SYS_PTRACE -- ptrace
    expect ptrace ok
    expect process_vm_readv ok
}

test_setuid_gains_nothing() {
    need_probe || return
    mkdir -p "$T/suid"
    if is_root; then
        cp "$T/probe" "$T/suid/p" && chown 0:0 "$T/suid/p" && chmod 4755 "$T/suid/p"
    elif has_subids; then
        # a file owned by another uid of the sandbox, made inside one
        run_sbx $USERNS --uid 0 --cap-add ALL $BASE --bind "$T/suid" /w --ro-bind "$T/probe" /probe -- \
            sh -c 'cp /probe /w/p && chown 5:5 /w/p && chmod 4755 /w/p'
        assertEquals "making the setuid file (stderr: $(err))" 0 "$RC"
    else
        skip_test "no second uid to become without subordinate ids"
        return
    fi
    run_sbx $USERNS --uid 1000 $BASE --ro-bind "$T/suid/p" /p -- /p status
    assertEquals "stderr: $(err)" 0 "$RC"
    assertEquals "uid 1000 euid 1000" "$(sed -n 1p "$OUT")"
    assertEquals "nnp 1" "$(sed -n 2p "$OUT")"
}

test_ordinary_work_runs() {
    W="$BASE --unshare-pid --proc /proc --dev /dev --tmpfs /tmp --setenv HOME /tmp --chdir /tmp"
    run_sbx $W -- sh -c 'seq 1 100 | sort -rn | head -1 | tr 0 x'
    assertEquals "pipeline (stderr: $(err))" 1xx "$(out)"
    if command -v gcc >/dev/null; then
        run_sbx $W -- sh -c 'printf "#include <stdio.h>\nint main(void){puts(\"built\");return 0;}\n" >c.c &&
            gcc -O2 -o c c.c && ./c'
        assertEquals "gcc (stderr: $(err))" built "$(out)"
    fi
    if [ -x /usr/bin/python3 ]; then
        run_sbx $W -- /usr/bin/python3 -c 'import os, subprocess, threading, tempfile
t = threading.Thread(target=lambda: None); t.start(); t.join()
print(subprocess.run(["echo", "py"], capture_output=True, text=True).stdout.strip())'
        assertEquals "python3 (stderr: $(err))" py "$(out)"
    fi
    if command -v git >/dev/null; then
        run_sbx $W -- sh -c 'git init -q r && cd r && echo a >f && git add f &&
            git -c user.name=t -c user.email=t@e commit -qm m && git log --format=%s'
        assertEquals "git (stderr: $(err))" m "$(out)"
    fi
    run_sbx $W -- sh -c 'mkdir d && echo x >d/f && tar cf t.tar d && rm -r d && tar xf t.tar && cat d/f'
    assertEquals "tar (stderr: $(err))" x "$(out)"
}

test_rlimit_applied() {
    run_sbx --rlimit nofile=64:128 $BASE -- sh -c 'ulimit -n; ulimit -Hn'
    assertEquals "stderr: $(err)" "64
128" "$(out)"
}

# bad_profile JSON MESSAGE: a profile holding JSON is refused on one line,
# "--seccomp-profile FILE: MESSAGE..."
bad_profile() {
    echo "$1" >"$T/bad.json"
    run_sbx --seccomp-profile "$T/bad.json" $BASE -- true
    assert_error "--seccomp-profile $T/bad.json: $2"
}

test_bad_input_one_line() {
    snapshot_host
    run_sbx --cap-add CAP_NOPE $BASE -- true
    assert_error "--cap-add CAP_NOPE: unknown capability"
    run_sbx --rlimit nofile=abc $BASE -- true
    assert_error "--rlimit nofile=abc"
    run_sbx --rlimit bogus=1 $BASE -- true
    assert_error "--rlimit bogus=1"
    if ! is_root; then
        hard=$(ulimit -Hn)
        if [ "$hard" != unlimited ]; then
            run_sbx --rlimit "nofile=1:$((hard + 1))" $BASE -- true
            assert_error "--rlimit nofile=1:$((hard + 1)): above the current hard limit"
        fi
    fi
    bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [' "not valid JSON"
    run_sbx --seccomp-profile "$T/none.json" $BASE -- true
    assert_error "--seccomp-profile $T/none.json: No such file or directory"
    bad_profile '{"defaultAction": "SCMP_ACT_SOMETIMES"}' "unknown action \"SCMP_ACT_SOMETIMES\""
    bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 9, "value": 1, "op": "SCMP_CMP_EQ"}]}]}' \
        "args: \"index\" must be 0 to 5"
    bad_profile '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOTIFY"}]}' \
        "SCMP_ACT_NOTIFY"
    bad_profile '[1, 2]' "not a JSON object"
    echo '{"defaultAction": "SCMP_ACT_ALLOW"}' >"$T/ok.json"
    run_sbx --allow-ptrace --seccomp-profile "$T/ok.json" $BASE -- true
    assert_error "--allow-ptrace: only relaxes sbx's default filter"
    assert_host_unchanged
}

# bpf_insn CODE JT JF K: one struct sock_filter, little-endian
bpf_insn() {
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o\\%03o\\%03o\\%03o\\%03o' \
        $(($1 & 255)) $(($1 >> 8 & 255)) "$2" "$3" \
        $(($4 & 255)) $(($4 >> 8 & 255)) $(($4 >> 16 & 255)) $(($4 >> 24 & 255)))"
}

# a program that refuses mkdir (83) and mkdirat (258) with EPERM
deny_mkdir_bpf() {
    {
        bpf_insn 32 0 0 4             # ld [4] arch
        bpf_insn 21 0 5 3221225534    # jeq AUDIT_ARCH_X86_64, else allow
        bpf_insn 32 0 0 0             # ld [0] nr
        bpf_insn 21 2 0 83            # jeq mkdir -> errno
        bpf_insn 21 1 0 258           # jeq mkdirat -> errno
        bpf_insn 6 0 0 2147418112     # ret ALLOW
        bpf_insn 6 0 0 327681         # ret ERRNO|EPERM
        bpf_insn 6 0 0 2147418112     # ret ALLOW (other arch)
    } >"$1"
}

test_seccomp_fd() {
    need_probe || return
    [ "$(uname -m)" = x86_64 ] || { skip_test "hand-assembled BPF is for x86_64"; return; }
    deny_mkdir_bpf "$T/mkdir.bpf"
    # in addition to the default filter
    run_sbx --add-seccomp-fd 5 $PROBE_ARGS -- /probe mkdir /tmp/x userns 5<"$T/mkdir.bpf"
    expect mkdir EPERM
    expect userns EPERM
    # instead of it
    run_sbx --seccomp 5 $PROBE_ARGS -- /probe mkdir /tmp/x userns 5<"$T/mkdir.bpf"
    expect mkdir EPERM
    expect userns ok
    # bad programs fail before anything happens
    snapshot_host
    printf 'abcdefg' >"$T/short.bpf"
    run_sbx --add-seccomp-fd 5 $BASE -- true 5<"$T/short.bpf"
    assert_error "--add-seccomp-fd 5: invalid seccomp data"
    bpf_insn 32 0 0 0 >"$T/noret.bpf"
    run_sbx --seccomp 5 $BASE -- true 5<"$T/noret.bpf"
    assert_error "--seccomp 5: invalid seccomp program: the last instruction is not a return"
    { bpf_insn 32 0 0 200; bpf_insn 6 0 0 2147418112; } >"$T/oob.bpf"
    run_sbx --seccomp 5 $BASE -- true 5<"$T/oob.bpf"
    assert_error "--seccomp 5: invalid seccomp program: load outside struct seccomp_data"
    assert_host_unchanged
}

test_profile_denies_mkdir() {
    need_probe || return
    cat >"$T/mkdir.json" <<'JSON'
{
    "defaultAction": "SCMP_ACT_ALLOW",
    "syscalls": [
        {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
         "comment": "no new directories"},
        {"name": "rmdir", "action": "SCMP_ACT_ERRNO", "errnoRet": 28, "args": []}
    ]
}
JSON
    probe --seccomp-profile "$T/mkdir.json" -- mkdir /tmp/x userns
    assertEquals "stderr: $(err)" 0 "$RC"
    expect mkdir EPERM
    # the profile replaces the default filter
    expect userns ok
    run_sbx --seccomp-profile "$T/mkdir.json" $BASE --tmpfs /tmp -- sh -c 'mkdir /tmp/d; echo $?; rmdir /tmp 2>&1'
    assertEquals "1
rmdir: failed to remove '/tmp': No space left on device" "$(out)"
}

# A profile with the structure and content of moby's default.json
# (profiles/seccomp/default.json): archMap, defaultErrnoRet, per-arch and
# per-capability includes/excludes, minKernel, argument filters.
write_moby_profile() {
    cat >"$1" <<'JSON'
{
	"defaultAction": "SCMP_ACT_ERRNO",
	"defaultErrnoRet": 1,
	"archMap": [
		{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
		{"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
		{"architecture": "SCMP_ARCH_MIPS64", "subArchitectures": ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64N32"]},
		{"architecture": "SCMP_ARCH_MIPS64N32", "subArchitectures": ["SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64"]},
		{"architecture": "SCMP_ARCH_MIPSEL64", "subArchitectures": ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64N32"]},
		{"architecture": "SCMP_ARCH_MIPSEL64N32", "subArchitectures": ["SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64"]},
		{"architecture": "SCMP_ARCH_S390X", "subArchitectures": ["SCMP_ARCH_S390"]},
		{"architecture": "SCMP_ARCH_RISCV64", "subArchitectures": null}
	],
	"syscalls": [
		{
			"names": [
				"accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat",
				"capget", "capset", "chdir", "chmod", "chown", "chown32", "clock_adjtime",
				"clock_adjtime64", "clock_getres", "clock_getres_time64", "clock_gettime",
				"clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64", "close",
				"close_range", "connect", "copy_file_range", "creat", "dup", "dup2", "dup3",
				"epoll_create", "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
				"epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2", "execve",
				"execveat", "exit", "exit_group", "faccessat", "faccessat2", "fadvise64",
				"fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
				"fchmodat2", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync",
				"fgetxattr", "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat",
				"fstat64", "fstatat64", "fstatfs", "fstatfs64", "fsync", "ftruncate",
				"ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait",
				"futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd", "getdents",
				"getdents64", "getegid", "getegid32", "geteuid", "geteuid32", "getgid",
				"getgid32", "getgroups", "getgroups32", "getitimer", "getpeername", "getpgid",
				"getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid",
				"getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list",
				"getrusage", "getsid", "getsockname", "getsockopt", "get_thread_area",
				"gettid", "gettimeofday", "getuid", "getuid32", "getxattr", "inotify_add_watch",
				"inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl",
				"io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64",
				"ioprio_get", "ioprio_set", "io_setup", "io_submit", "ipc", "kill",
				"landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
				"lchown", "lchown32", "lgetxattr", "link", "linkat", "listen", "listxattr",
				"llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat",
				"lstat64", "madvise", "map_shadow_stack", "membarrier", "memfd_create",
				"memfd_secret", "mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock",
				"mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr",
				"mq_notify", "mq_open", "mq_timedreceive", "mq_timedreceive_time64",
				"mq_timedsend", "mq_timedsend_time64", "mq_unlink", "mremap", "mseal", "msgctl",
				"msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall", "munmap",
				"name_to_handle_at", "nanosleep", "newfstatat", "_newselect", "open", "openat",
				"openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2",
				"pkey_alloc", "pkey_free", "pkey_mprotect", "poll", "ppoll", "ppoll_time64",
				"prctl", "pread64", "preadv", "preadv2", "prlimit64", "process_mrelease",
				"pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read",
				"readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg",
				"recvmmsg_time64", "recvmsg", "remap_file_pages", "removexattr", "rename",
				"renameat", "renameat2", "restart_syscall", "rmdir", "rseq", "rt_sigaction",
				"rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
				"rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64",
				"rt_tgsigqueueinfo", "sched_getaffinity", "sched_getattr", "sched_getparam",
				"sched_get_priority_max", "sched_get_priority_min", "sched_getscheduler",
				"sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity",
				"sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield",
				"seccomp", "select", "semctl", "semget", "semop", "semtimedop",
				"semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg", "sendmsg",
				"sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid",
				"setgid32", "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority",
				"setregid", "setregid32", "setresgid", "setresgid32", "setresuid",
				"setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list",
				"setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid",
				"setuid32", "setxattr", "shmat", "shmctl", "shmdt", "shmget", "shutdown",
				"sigaltstack", "signalfd", "signalfd4", "sigprocmask", "sigreturn",
				"socketcall", "socketpair", "splice", "stat", "stat64", "statfs", "statfs64",
				"statx", "symlink", "symlinkat", "sync", "sync_file_range", "syncfs",
				"sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete",
				"timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
				"timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64",
				"timerfd_settime", "timerfd_settime64", "times", "tkill", "truncate",
				"truncate64", "ugetrlimit", "umask", "uname", "unlink", "unlinkat", "utime",
				"utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4",
				"waitid", "waitpid", "write", "writev"
			],
			"action": "SCMP_ACT_ALLOW"
		},
		{
			"names": ["process_vm_readv", "process_vm_writev", "ptrace"],
			"action": "SCMP_ACT_ALLOW",
			"includes": {"minKernel": "4.8"}
		},
		{
			"names": ["socket"],
			"action": "SCMP_ACT_ALLOW",
			"args": [{"index": 0, "value": 40, "op": "SCMP_CMP_NE"}]
		},
		{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 131072, "op": "SCMP_CMP_EQ"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 131080, "op": "SCMP_CMP_EQ"}]},
		{"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
		{"names": ["sync_file_range2", "swapcontext"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["ppc64le"]}},
		{
			"names": ["arm_fadvise64_64", "arm_sync_file_range", "sync_file_range2", "breakpoint", "cacheflush", "set_tls"],
			"action": "SCMP_ACT_ALLOW",
			"includes": {"arches": ["arm", "arm64"]}
		},
		{"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
		{"names": ["modify_ldt"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32", "x86"]}},
		{"names": ["s390_pci_mmio_read", "s390_pci_mmio_write", "s390_runtime_instr"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390", "s390x"]}},
		{"names": ["riscv_flush_icache"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["riscv64"]}},
		{"names": ["open_by_handle_at"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_DAC_READ_SEARCH"]}},
		{
			"names": [
				"bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen",
				"fspick", "lookup_dcookie", "mount", "mount_setattr", "move_mount",
				"open_tree", "perf_event_open", "quotactl", "quotactl_fd", "setdomainname",
				"sethostname", "setns", "syslog", "umount", "umount2", "unshare"
			],
			"action": "SCMP_ACT_ALLOW",
			"includes": {"caps": ["CAP_SYS_ADMIN"]}
		},
		{
			"names": ["clone"],
			"action": "SCMP_ACT_ALLOW",
			"args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
			"excludes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["s390", "s390x"]}
		},
		{
			"names": ["clone"],
			"action": "SCMP_ACT_ALLOW",
			"args": [{"index": 1, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
			"comment": "s390 parameter ordering for clone is different",
			"includes": {"arches": ["s390", "s390x"]},
			"excludes": {"caps": ["CAP_SYS_ADMIN"]}
		},
		{
			"names": ["clone3"],
			"action": "SCMP_ACT_ERRNO",
			"errnoRet": 38,
			"excludes": {"caps": ["CAP_SYS_ADMIN"]}
		},
		{"names": ["reboot"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_BOOT"]}},
		{"names": ["chroot"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_CHROOT"]}},
		{"names": ["delete_module", "init_module", "finit_module"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_MODULE"]}},
		{"names": ["acct"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_PACCT"]}},
		{"names": ["kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_PTRACE"]}},
		{"names": ["iopl", "ioperm"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_RAWIO"]}},
		{"names": ["settimeofday", "stime", "clock_settime", "clock_settime64"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_TIME"]}},
		{"names": ["vhangup"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_TTY_CONFIG"]}},
		{"names": ["get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_NICE"]}},
		{"names": ["syslog"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYSLOG"]}},
		{"names": ["bpf"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_BPF"]}},
		{"names": ["perf_event_open"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_PERFMON"]}}
	]
}
JSON
}

test_moby_default_profile() {
    need_probe || return
    write_moby_profile "$T/default.json"
    W="$BASE --unshare-pid --proc /proc --dev /dev --tmpfs /tmp --setenv HOME /tmp --chdir /tmp"
    run_sbx --seccomp-profile "$T/default.json" $W -- sh -c 'seq 3 | tail -1; mkdir d && echo made'
    assertEquals "workload under moby's profile (stderr: $(err))" "3
made" "$(out)"
    probe --seccomp-profile "$T/default.json" -- userns clone3 ptrace mounts
    assertEquals "stderr: $(err)" 0 "$RC"
    expect userns EPERM     # unshare: CAP_SYS_ADMIN only, else defaultErrnoRet 1
    expect clone3 ENOSYS    # errnoRet 38
    expect ptrace ok        # allowed with minKernel 4.8
    expect keyctl ""        # (not asked)
    expect fsopen EPERM
    # with CAP_SYS_ADMIN granted, its rules switch over
    probe $USERNS --uid 0 --cap-add CAP_SYS_ADMIN --seccomp-profile "$T/default.json" -- userns clone3
    expect userns ok
    expect clone3 ok
}

test_landlock_scoping() {
    abi=$("$SBX" --verbose $BASE -- true 2>&1 | sed -n 's/.*landlock: ABI \([0-9]*\),.*/\1/p')
    if [ -z "$abi" ]; then
        skip_test "Landlock scoping unavailable: $("$SBX" --verbose $BASE -- true 2>&1 | grep landlock)"
        return
    fi
    [ -x /usr/bin/python3 ] || { skip_test "no /usr/bin/python3 for the socket test"; return; }
    # an abstract unix socket on the host, in the network namespace the sandbox shares
    name="sbx-test-$$"
    /usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind("\0" + sys.argv[1]); s.listen(1)
time.sleep(30)' "$name" &
    lpid=$!
    sleep 0.3
    conn='import socket, sys
s = socket.socket(socket.AF_UNIX)
try:
    s.connect("\0" + sys.argv[1]); print("connected")
except OSError as e:
    print("refused", e.errno)'
    # the control: from outside the sandbox it connects
    outside=$(/usr/bin/python3 -c "$conn" "$name")
    run_sbx $BASE -- /usr/bin/python3 -c "$conn" "$name"
    assertEquals "abstract socket outside (stderr: $(err))" "refused 1" "$(out)"
    # signals: a host process in the shared PID namespace
    run_sbx $BASE -- sh -c "kill -0 $lpid 2>/dev/null && echo signalled || echo refused"
    assertEquals "signal outside" refused "$(out)"
    # inside the sandbox both still work
    run_sbx $BASE -- sh -c 'sleep 5 & kill $! && echo signalled'
    assertEquals "signal inside" signalled "$(out)"
    kill "$lpid" 2>/dev/null
    wait "$lpid" 2>/dev/null
    assertEquals "control: connecting from outside" connected "$outside"
}

. "$SHUNIT2"
