# fish completion for sbx
# Completion for sbx(1), the rootless sandbox.  Keep in step with the option
# table in src/options.c (tests/t-docs.sh checks that every option is here).

# option -> argument kinds (as in the table)
set -g __sbx_opts
set -a __sbx_opts '--help'
set -a __sbx_opts '--version'
set -a __sbx_opts '--verbose'
set -a __sbx_opts '--list-options'
set -a __sbx_opts '--unshare-user'
set -a __sbx_opts '--unshare-user-try'
set -a __sbx_opts '--unshare-pid'
set -a __sbx_opts '--unshare-ipc'
set -a __sbx_opts '--unshare-uts'
set -a __sbx_opts '--unshare-net'
set -a __sbx_opts '--unshare-cgroup'
set -a __sbx_opts '--unshare-cgroup-try'
set -a __sbx_opts '--unshare-time'
set -a __sbx_opts '--unshare-all'
set -a __sbx_opts '--share-net'
set -a __sbx_opts '--hostname none'
set -a __sbx_opts '--uid none'
set -a __sbx_opts '--gid none'
set -a __sbx_opts '--bind file file'
set -a __sbx_opts '--bind-try file file'
set -a __sbx_opts '--ro-bind file file'
set -a __sbx_opts '--ro-bind-try file file'
set -a __sbx_opts '--dev-bind file file'
set -a __sbx_opts '--dev-bind-try file file'
set -a __sbx_opts '--bind-fd none file'
set -a __sbx_opts '--ro-bind-fd none file'
set -a __sbx_opts '--remount-ro file'
set -a __sbx_opts '--tmpfs file'
set -a __sbx_opts '--proc file'
set -a __sbx_opts '--dev file'
set -a __sbx_opts '--mqueue file'
set -a __sbx_opts '--dir file'
set -a __sbx_opts '--file none file'
set -a __sbx_opts '--bind-data none file'
set -a __sbx_opts '--ro-bind-data none file'
set -a __sbx_opts '--symlink file file'
set -a __sbx_opts '--chmod none file'
set -a __sbx_opts '--perms none'
set -a __sbx_opts '--size none'
set -a __sbx_opts '--overlay dir'
set -a __sbx_opts '--overlay-upper dir'
set -a __sbx_opts '--overlay-driver words:auto,kernel,fuse'
set -a __sbx_opts '--overlay-src file'
set -a __sbx_opts '--tmp-overlay file'
set -a __sbx_opts '--ro-overlay file'
set -a __sbx_opts '--rw-overlay dir dir file'
set -a __sbx_opts '--chdir dir'
set -a __sbx_opts '--setenv env none'
set -a __sbx_opts '--unsetenv env'
set -a __sbx_opts '--clearenv'
set -a __sbx_opts '--argv0 none'
set -a __sbx_opts '--die-with-parent'
set -a __sbx_opts '--new-session'
set -a __sbx_opts '--as-pid-1'
set -a __sbx_opts '--keep-fd none'
set -a __sbx_opts '--args none'
set -a __sbx_opts '--info-fd none'
set -a __sbx_opts '--json-status-fd none'
set -a __sbx_opts '--sync-fd none'
set -a __sbx_opts '--block-fd none'
set -a __sbx_opts '--userns-block-fd none'
set -a __sbx_opts '--lock-file file'
set -a __sbx_opts '--cpu none'
set -a __sbx_opts '--memory none'
set -a __sbx_opts '--memory-swap none'
set -a __sbx_opts '--pids none'
set -a __sbx_opts '--cpuset none'
set -a __sbx_opts '--io-weight none'
set -a __sbx_opts '--cgroup-backend words:auto,systemd,cgroupfs'
set -a __sbx_opts '--stats-fd none'
set -a __sbx_opts '--cap-add cap'
set -a __sbx_opts '--cap-drop cap'
set -a __sbx_opts '--seccomp none'
set -a __sbx_opts '--add-seccomp-fd none'
set -a __sbx_opts '--seccomp-profile profile'
set -a __sbx_opts '--allow-userns'
set -a __sbx_opts '--allow-ptrace'
set -a __sbx_opts '--allow-perf'
set -a __sbx_opts '--rlimit rlimit'
set -a __sbx_opts '--timeout none'

# __sbx_state: where the cursor is.  Prints one of: first, option,
# "arg KIND", command, cmdargs N (N: index of COMMAND among the tokens), commit,
# holder (its action), done
function __sbx_state
    set -l toks (commandline -opc)
    set -e toks[1]
    set -l n (count $toks)
    if test $n -eq 0
        echo first
        return
    end
    set -l i 1
    switch $toks[1]
        case commit
            echo commit
            return
        case holder
            if test $n -eq 1
                echo holder
            else
                echo done
            end
            return
        case run
            set i 2
    end
    while test $i -le $n
        set -l w $toks[$i]
        if test "$w" = --
            set i (math $i + 1)
            break
        end
        set -l spec
        for s in $__sbx_opts
            set -l parts (string split ' ' -- $s)
            if test "$parts[1]" = "$w"
                set spec $parts
                break
            end
        end
        if test (count $spec) -eq 0
            break
        end
        set -l nargs (math (count $spec) - 1)
        if test (math $i + $nargs) -gt $n
            # the cursor is on argument (n - i + 1) of this option
            set -l k (math $n - $i + 2)
            echo arg $spec[$k]
            return
        end
        set i (math $i + 1 + $nargs)
    end
    if test $i -gt $n
        set -l prev (math $i - 1)
        if test $prev -ge 1; and test "$toks[$prev]" = --
            echo command
        else
            echo option
        end
    else
        echo cmdargs $i
    end
end

function __sbx_is
    set -l st (string split ' ' -- (__sbx_state))
    test "$st[1]" = "$argv[1]"
end

function __sbx_is_arg
    set -l st (string split ' ' -- (__sbx_state))
    test "$st[1]" = arg; and test "$st[2]" = "$argv[1]"
end

function __sbx_cmd_args
    set -l st (string split ' ' -- (__sbx_state))
    set -l toks (commandline -opc)
    set -e toks[1]
    set -l rest $toks[$st[2]..-1] (commandline -ct)
    complete -C (string join ' ' -- (string escape -- $rest))
end

complete -c sbx -f
complete -c sbx -n '__sbx_is first' -a run -d 'Run a command in a sandbox (the default)'
complete -c sbx -n '__sbx_is first' -a commit -d 'Turn an upper directory into a layer'
complete -c sbx -n '__sbx_is first' -a holder -d 'Start, stop or query the namespace holder'
complete -c sbx -n '__sbx_is holder' -a 'start stop status'
complete -c sbx -n '__sbx_is first; or __sbx_is option; or __sbx_is command' -a '(__fish_complete_command)'
complete -c sbx -n '__sbx_is commit' -a '(__fish_complete_directories)'
complete -c sbx -n '__sbx_is cmdargs' -a '(__sbx_cmd_args)'
complete -c sbx -n '__sbx_is_arg file' -F
complete -c sbx -n '__sbx_is_arg dir' -a '(__fish_complete_directories)'
complete -c sbx -n '__sbx_is_arg profile' -F -a unconfined
complete -c sbx -n '__sbx_is_arg env' -a '(set -xn)'
complete -c sbx -n '__sbx_is_arg rlimit' -a 'as= core= cpu= data= fsize= locks= memlock= msgqueue= nice= nofile= nproc= rss= rtprio= rttime= sigpending= stack='
complete -c sbx -n '__sbx_is_arg cap' -a 'ALL CAP_CHOWN CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH CAP_FOWNER CAP_FSETID CAP_KILL CAP_SETGID CAP_SETUID CAP_SETPCAP CAP_LINUX_IMMUTABLE CAP_NET_BIND_SERVICE CAP_NET_BROADCAST CAP_NET_ADMIN CAP_NET_RAW CAP_IPC_LOCK CAP_IPC_OWNER CAP_SYS_MODULE CAP_SYS_RAWIO CAP_SYS_CHROOT CAP_SYS_PTRACE CAP_SYS_PACCT CAP_SYS_ADMIN CAP_SYS_BOOT CAP_SYS_NICE CAP_SYS_RESOURCE CAP_SYS_TIME CAP_SYS_TTY_CONFIG CAP_MKNOD CAP_LEASE CAP_AUDIT_WRITE CAP_AUDIT_CONTROL CAP_SETFCAP CAP_MAC_OVERRIDE CAP_MAC_ADMIN CAP_SYSLOG CAP_WAKE_ALARM CAP_BLOCK_SUSPEND CAP_AUDIT_READ CAP_PERFMON CAP_BPF CAP_CHECKPOINT_RESTORE'

complete -c sbx -n '__sbx_is_arg words:auto,kernel,fuse' -a 'auto kernel fuse'
complete -c sbx -n '__sbx_is_arg words:auto,systemd,cgroupfs' -a 'auto systemd cgroupfs'

# options (offered where an option may stand)
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l help -d 'Print this help and exit'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l version -d 'Print the version and exit'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l verbose -d 'Say what sbx chooses (id maps, drivers) on stderr'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l list-options -d 'List every option name, one a line (for scripts)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-user -d 'Create a user namespace (always, when not run as root)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-user-try -d 'Create a user namespace if possible'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-pid -d 'Create a PID namespace'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-ipc -d 'Create an IPC namespace'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-uts -d 'Create a UTS (hostname) namespace'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-net -d 'Create a network namespace (loopback only, up)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-cgroup -d 'Create a cgroup namespace'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-cgroup-try -d 'Create a cgroup namespace if possible'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-time -d 'Create a time namespace'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unshare-all -d 'Unshare every namespace above but time (user and cgroup if possible)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l share-net -d 'Keep the host network (after --unshare-all)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l hostname -d 'NAME: Set the hostname (needs --unshare-uts)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l uid -d 'UID: User id inside the sandbox (default: yours)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l gid -d 'GID: Group id inside the sandbox (default: yours)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l bind -d 'SRC DEST: Bind-mount host SRC on DEST, read-write'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l bind-try -d 'SRC DEST: Like --bind; nothing if SRC is missing'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l ro-bind -d 'SRC DEST: Bind-mount SRC on DEST read-only (submounts too)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l ro-bind-try -d 'SRC DEST: Like --ro-bind; nothing if SRC is missing'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l dev-bind -d 'SRC DEST: Like --bind, device nodes allowed'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l dev-bind-try -d 'SRC DEST: Like --dev-bind; nothing if SRC is missing'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l bind-fd -d 'FD DEST: Bind-mount the directory open on FD on DEST'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l ro-bind-fd -d 'FD DEST: Like --bind-fd, read-only'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l remount-ro -d 'DEST: Make DEST and its submounts read-only'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l tmpfs -d 'DEST: Mount a new tmpfs on DEST (see --perms, --size)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l proc -d 'DEST: Mount a procfs for the sandbox\'s PID namespace'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l dev -d 'DEST: Mount a minimal /dev (null, zero, tty, pts, shm...)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l mqueue -d 'DEST: Mount a POSIX message queue filesystem'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l dir -d 'DEST: Create a directory (see --perms)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l file -d 'FD DEST: Copy the data read from FD into file DEST'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l bind-data -d 'FD DEST: Bind a file holding the data of FD on DEST'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l ro-bind-data -d 'FD DEST: Like --bind-data, read-only'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l symlink -d 'TARGET DEST: Create symlink DEST pointing to TARGET'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l chmod -d 'OCTAL PATH: Change the mode of PATH'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l perms -d 'OCTAL: Mode for the next --dir, --file, --tmpfs or --[ro-]bind-data'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l size -d 'BYTES: Size limit (K/M/G suffixes) of the next --tmpfs'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l overlay -d 'DIR: Stack DIR as a read-only layer of the root (last given is on top)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l overlay-upper -d 'DIR: Keep the root\'s writes in DIR instead of a throwaway tmpfs'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l overlay-driver -d 'auto|kernel|fuse: Choose kernel overlayfs or fuse-overlayfs (default auto)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l overlay-src -d 'SRC: Add a lower layer for the next --tmp/--ro/--rw-overlay'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l tmp-overlay -d 'DEST: Overlay the --overlay-src layers on DEST, writes thrown away'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l ro-overlay -d 'DEST: Overlay the --overlay-src layers on DEST, read-only'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l rw-overlay -d 'UPPER WORK DEST: Overlay the --overlay-src layers on DEST, writes kept in UPPER'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l chdir -d 'DIR: Change to DIR inside the sandbox'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l setenv -d 'VAR VALUE: Set an environment variable'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l unsetenv -d 'VAR: Unset an environment variable'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l clearenv -d 'Start from an empty environment (PWD is kept)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l argv0 -d 'VALUE: Set argv[0] of COMMAND'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l die-with-parent -d 'Kill the sandbox when the process that started sbx dies'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l new-session -d 'Run COMMAND in a new session (no controlling terminal)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l as-pid-1 -d 'Run COMMAND as PID 1 instead of sbx\'s init (needs --unshare-pid)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l keep-fd -d 'FD: Pass FD to COMMAND (others above 2 are closed)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l args -d 'FD: Read more NUL-separated arguments from FD'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l info-fd -d 'FD: Write JSON about the sandbox (child pid...) to FD'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l json-status-fd -d 'FD: Write JSON status (pid, exit code) to FD'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l sync-fd -d 'FD: Keep FD open in the sandbox while it runs'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l block-fd -d 'FD: Wait for data (or EOF) on FD before running COMMAND'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l userns-block-fd -d 'FD: Wait on FD once the user namespace exists (with --info-fd)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l lock-file -d 'PATH: Hold a read lock on PATH (inside) while running'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l cpu -d 'PCT: CPU time, e.g. 20% (a fifth of a CPU) or 150%'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l memory -d 'SIZE: Memory limit (K/M/G suffixes); OOM kill past it'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l memory-swap -d 'SIZE: Swap limit (0: no swap)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l pids -d 'N: At most N processes and threads'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l cpuset -d 'LIST: Run only on these CPUs, e.g. 0-1,3'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l io-weight -d 'N: Block I/O weight, 1-10000 (default 100)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l cgroup-backend -d 'auto|systemd|cgroupfs: Who enforces the limits (default auto: systemd, then cgroupfs)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l stats-fd -d 'FD: Write JSON usage (CPU, peak memory, OOM) to FD'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l cap-add -d 'CAP: Keep capability CAP (or ALL) for COMMAND'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l cap-drop -d 'CAP: Drop capability CAP (or ALL)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l seccomp -d 'FD: Load compiled BPF from FD instead of the default filter'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l add-seccomp-fd -d 'FD: Load compiled BPF from FD as well'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l seccomp-profile -d 'FILE|unconfined: Use an OCI/Docker JSON seccomp profile, or no filter'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l allow-userns -d 'Allow nested user namespaces'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l allow-ptrace -d 'Allow ptrace (debuggers)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l allow-perf -d 'Allow perf_event_open (profilers)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l rlimit -d 'NAME=SOFT[:HARD]: Set a resource limit (nofile, nproc, as, cpu, fsize, core...)'
complete -c sbx -n '__sbx_is first; or __sbx_is option' -l timeout -d 'DURATION: SIGTERM COMMAND after DURATION (30, 1.5s, 500ms, 2m, 1h), SIGKILL 5s later'
