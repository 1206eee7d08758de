/* sbx-probe - tries operations the default seccomp filter refuses and prints
 * one line per check: "NAME ok" or "NAME EPERM" (the errno's name).
 * Statically linked, so it runs in a sandbox with nothing but itself.
 *
 *   sbx-probe CHECK...     run the named checks ("all": every safe one)
 *   sbx-probe list         the names
 * Checks that must kill the process (x32, ia32) only run when named. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static const char *ename(int e)
{
    static char buf[16];
#define E(x)                                                                                       \
    {                                                                                              \
        x, #x                                                                                      \
    }
    static const struct {
        int num;
        const char *name;
    } names[] = {
        E(EPERM),           E(ENOENT),          E(ESRCH),   E(EINTR),      E(EIO),
        E(ENXIO),           E(E2BIG),           E(ENOEXEC), E(EBADF),      E(ECHILD),
        E(EAGAIN),          E(ENOMEM),          E(EACCES),  E(EFAULT),     E(EBUSY),
        E(EEXIST),          E(ENODEV),          E(ENOTDIR), E(EISDIR),     E(EINVAL),
        E(ENOTTY),          E(EROFS),           E(ENOSYS),  E(EOPNOTSUPP), E(EAFNOSUPPORT),
        E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(ENOKEY),  E(ENOTBLK),    E(ENOSPC),
    };
#undef E
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].num == e)
            return names[i].name;
    snprintf(buf, sizeof(buf), "E%d", e);
    return buf;
}

/* a result: r < 0 → errno's name; else ok */
static void report(const char *name, long r)
{
    printf("%s %s\n", name, r < 0 ? ename(errno) : "ok");
    fflush(stdout);
}

/* run f in a child (for checks that change the process); its exit code is
 * 0 for success or the errno */
static void in_child(const char *name, int (*f)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int r = f();
        _exit(r < 0 ? errno : 0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) {
        printf("%s killed-by-signal-%d\n", name, WTERMSIG(st));
    } else if (WEXITSTATUS(st) == 200) {
        printf("%s no-pty\n", name);
    } else {
        errno = WEXITSTATUS(st);
        report(name, errno ? -1 : 0);
    }
}

static int do_userns(void)
{
    return unshare(CLONE_NEWUSER);
}
static int do_clone_userns(void)
{
    long r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
    if (r == 0)
        _exit(0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    return r < 0 ? -1 : 0;
}
static int do_clone3(void)
{
    uint64_t args[11] = {0};
    args[4] = SIGCHLD; /* exit_signal */
    long r = syscall(SYS_clone3, args, 64);
    if (r == 0)
        _exit(0);
    if (r > 0)
        waitpid((pid_t)r, NULL, 0);
    return r < 0 ? -1 : 0;
}

static int pty_pair(int *master, int *slave)
{
    *master = posix_openpt(O_RDWR | O_NOCTTY);
    if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0)
        return -1;
    setsid(); /* so that the slave becomes our controlling terminal */
    *slave = open(ptsname(*master), O_RDWR);
    return *slave < 0 ? -1 : 0;
}
static int do_tiocsti(void)
{
    int m, s;
    char c = 'x';
    if (pty_pair(&m, &s) < 0)
        _exit(200);
    return ioctl(s, TIOCSTI, &c);
}
static int do_tiocsti_hi(void)
{
    int m, s;
    char c = 'x';
    if (pty_pair(&m, &s) < 0)
        _exit(200);
    return (int)syscall(SYS_ioctl, s, (unsigned long)TIOCSTI | (1ul << 32), &c);
}
static int do_tioclinux(void)
{
    int m, s;
    char sub = 12; /* TIOCL_GETFGCONSOLE */
    if (pty_pair(&m, &s) < 0)
        _exit(200);
    return ioctl(s, TIOCLINUX, &sub);
}

/* type a command into the terminal on fd 0 (for the script(1) test) */
static void tiocsti_stdin(void)
{
    const char *cmd = "echo INJECTED\n";
    long r = 0;
    for (const char *p = cmd; *p && r == 0; p++)
        r = ioctl(0, TIOCSTI, p);
    report("tiocsti-stdin", r);
    const char *hi = "echo INJECTED-HI\n";
    r = 0;
    for (const char *p = hi; *p && r == 0; p++)
        r = syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (1ul << 32), p);
    report("tiocsti-stdin-hi", r);
}

static int do_ptrace(void)
{
    pid_t c = fork();
    if (c == 0) {
        pause();
        _exit(0);
    }
    long r = ptrace(PTRACE_SEIZE, c, 0, 0);
    int e = errno;
    kill(c, SIGKILL);
    waitpid(c, NULL, 0);
    errno = e;
    return r < 0 ? -1 : 0;
}

static void perf(void)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof(a));
    a.type = PERF_TYPE_SOFTWARE;
    a.size = sizeof(a);
    a.config = PERF_COUNT_SW_TASK_CLOCK;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    report("perf_event_open", syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
}

static void personality_checks(void)
{
    report("personality-query", personality(0xffffffff));
    long r = personality(PER_LINUX32);
    report("personality-linux32", r);
    personality(PER_LINUX);
    report("personality-bsd", personality(PER_BSD));
    personality(PER_LINUX);
    report("personality-bsd-hi", syscall(SYS_personality, (1ul << 32) | PER_BSD));
    personality(PER_LINUX);
    report("personality-norandom", personality(ADDR_NO_RANDOMIZE));
    personality(PER_LINUX);
}

static void sockets(void)
{
    static const struct {
        const char *name;
        long family;
        int type;
    } s[] = {
        {"socket-unix", AF_UNIX, SOCK_STREAM},
        {"socket-inet", AF_INET, SOCK_DGRAM},
        {"socket-inet6", AF_INET6, SOCK_DGRAM},
        {"socket-netlink", AF_NETLINK, SOCK_RAW},
        {"socket-packet", AF_PACKET, SOCK_RAW},
        {"socket-vsock", AF_VSOCK, SOCK_STREAM},
        {"socket-unix-hi", (1l << 32) | AF_UNIX, SOCK_STREAM},
    };
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        long fd = syscall(SYS_socket, s[i].family, s[i].type, 0);
        report(s[i].name, fd);
        if (fd >= 0)
            close((int)fd);
    }
}

static void mounts(void)
{
    report("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
    report("umount2", umount2("/nonexistent-sbx", MNT_DETACH));
    report("pivot_root", syscall(SYS_pivot_root, "/nonexistent-sbx", "/nonexistent-sbx"));
    report("chroot", chroot("/nonexistent-sbx"));
    report("setns", setns(-1, 0));
    long fd = syscall(SYS_fsopen, "tmpfs", 0);
    report("fsopen", fd);
    report("fsconfig", syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0));
    report("fsmount", syscall(SYS_fsmount, -1, 0, 0));
    report("fspick", syscall(SYS_fspick, AT_FDCWD, "/nonexistent-sbx", 0));
    report("open_tree", syscall(SYS_open_tree, -1, "/nonexistent-sbx", 0));
    report("move_mount", syscall(SYS_move_mount, -1, "", -1, "", 0));
    report("mount_setattr", syscall(SYS_mount_setattr, -1, "", 0, NULL, 0));
    report("open_tree_attr", syscall(467, -1, "/nonexistent-sbx", 0, NULL, 0));
}

static void keys_and_more(void)
{
    report("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* session */, 0));
    report("add_key", syscall(SYS_add_key, "user", "sbx", "x", 1, -3));
    report("request_key", syscall(SYS_request_key, "user", "sbx-none", NULL, 0));
    report("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC));
    uint32_t params[30] = {0};
    report("io_uring_setup", syscall(SYS_io_uring_setup, 1, params));
    report("io_uring_enter", syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0));
    report("io_uring_register", syscall(SYS_io_uring_register, -1, 0, NULL, 0));
    char attr[128] = {0};
    report("bpf", syscall(SYS_bpf, 0 /* MAP_CREATE */, attr, sizeof(attr)));
    report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000ul));
    report("kexec_file_load", syscall(SYS_kexec_file_load, -1, -1, 0, "", 0xdead));
    report("init_module", syscall(SYS_init_module, NULL, 0, ""));
    report("finit_module", syscall(SYS_finit_module, -1, "", 0));
    report("delete_module", syscall(SYS_delete_module, "sbx_none", O_NONBLOCK));
    report("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, NULL, 0));
    report("syslog", syscall(SYS_syslog, 10 /* SIZE_BUFFER */, NULL, 0));
    report("acct", syscall(SYS_acct, NULL));
    report("quotactl", syscall(SYS_quotactl, 0, NULL, 0, NULL));
    report("swapon", syscall(SYS_swapon, "/nonexistent-sbx", 0));
    report("swapoff", syscall(SYS_swapoff, "/nonexistent-sbx"));
    report("reboot", syscall(SYS_reboot, 0, 0, 0, NULL)); /* bad magic: harmless */
    report("settimeofday", syscall(SYS_settimeofday, NULL, NULL));
    report("clock_settime", syscall(SYS_clock_settime, -1, NULL));
    report("clock_adjtime", syscall(SYS_clock_adjtime, -1, NULL));
}

static void ptrace_family(void)
{
    in_child("ptrace", do_ptrace);
    char src[8] = "abc", dst[8];
    struct iovec l = {dst, 4}, r = {src, 4};
    report("process_vm_readv", syscall(SYS_process_vm_readv, getpid(), &l, 1, &r, 1, 0));
    report("process_vm_writev", syscall(SYS_process_vm_writev, getpid(), &l, 1, &r, 1, 0));
    report("kcmp", syscall(SYS_kcmp, getpid(), getpid(), 0 /* KCMP_FILE */, 0, 0));
    long pfd = syscall(SYS_pidfd_open, getpid(), 0);
    report("pidfd_getfd", pfd < 0 ? pfd : syscall(SYS_pidfd_getfd, pfd, 0, 0));
    if (pfd >= 0)
        close((int)pfd);
}

static void newsys(void)
{
    /* cachestat (451, Linux 6.5): reviewed and allowed; 470 and above are not */
    report("cachestat", syscall(451, -1, NULL, NULL, 0));
    report("nr-470", syscall(470, 0, 0, 0, 0, 0));
    report("nr-1000", syscall(1000, 0, 0, 0, 0, 0));
}

static void x32(void)
{
#ifdef __x86_64__
    printf("x32 trying\n");
    fflush(stdout);
    report("x32", syscall(0x40000000 | 39 /* getpid */));
#else
    printf("x32 unsupported\n");
#endif
}

static void ia32(void)
{
#ifdef __x86_64__
    printf("ia32 trying\n");
    fflush(stdout);
    long r = 20; /* getpid */
    __asm__ volatile("int $0x80" : "+a"(r) : : "memory");
    printf("ia32 %s\n", r < 0 ? ename((int)-r) : "ok");
#else
    printf("ia32 unsupported\n");
#endif
}

static void status(void)
{
    printf("uid %d euid %d\n", (int)getuid(), (int)geteuid());
    printf("nnp %d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

static void all(void)
{
    in_child("userns", do_userns);
    in_child("clone-userns", do_clone_userns);
    in_child("clone3", do_clone3);
    mounts();
    keys_and_more();
    perf();
    ptrace_family();
    personality_checks();
    in_child("tiocsti", do_tiocsti);
    in_child("tiocsti-hi", do_tiocsti_hi);
    in_child("tioclinux", do_tioclinux);
    sockets();
    newsys();
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 1; i < argc; i++) {
        const char *c = argv[i];
        if (strcmp(c, "all") == 0)
            all();
        else if (strcmp(c, "userns") == 0)
            in_child("userns", do_userns);
        else if (strcmp(c, "clone3") == 0)
            in_child("clone3", do_clone3);
        else if (strcmp(c, "mounts") == 0)
            mounts();
        else if (strcmp(c, "ptrace") == 0)
            ptrace_family();
        else if (strcmp(c, "perf") == 0)
            perf();
        else if (strcmp(c, "personality") == 0)
            personality_checks();
        else if (strcmp(c, "tiocsti") == 0) {
            in_child("tiocsti", do_tiocsti);
            in_child("tiocsti-hi", do_tiocsti_hi);
        } else if (strcmp(c, "tiocsti-stdin") == 0)
            tiocsti_stdin();
        else if (strcmp(c, "sockets") == 0)
            sockets();
        else if (strcmp(c, "newsys") == 0)
            newsys();
        else if (strcmp(c, "x32") == 0)
            x32();
        else if (strcmp(c, "ia32") == 0)
            ia32();
        else if (strcmp(c, "status") == 0)
            status();
        else if (strcmp(c, "mkdir") == 0 && i + 1 < argc) {
            report("mkdir", mkdir(argv[++i], 0755));
        } else if (strcmp(c, "loop") == 0 && i + 1 < argc) {
            /* syscall-heavy work for bench/seccomp.sh */
            long n = atol(argv[++i]);
            for (long k = 0; k < n; k++)
                syscall(SYS_getppid);
        } else if (strcmp(c, "list") == 0) {
            puts("all userns clone3 mounts ptrace perf personality tiocsti tiocsti-stdin sockets "
                 "newsys x32 ia32 status mkdir DIR loop N");
        } else {
            fprintf(stderr, "sbx-probe: unknown check %s\n", c);
            return 2;
        }
    }
    return 0;
}
