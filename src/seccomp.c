/* seccomp.c - the default filter, OCI/Docker JSON profiles and the checks
 * the kernel makes on a program.  Everything here runs in the monitor
 * (sbx_security_prepare): programs leave as BPF bytes in memory, and the
 * command's process only loads them.
 *
 * The default filter is a deny-list (Flatpak's and Docker's joined) built
 * with libseccomp for the native ABI only: syscalls of another ABI (ia32
 * via int 0x80, x32) kill the process.  A second, hand-written program adds
 * what libseccomp cannot say: personality() limited to harmless values on
 * its low 32 bits, and ENOSYS for every syscall number newer than the ones
 * this list was reviewed against, so that a new kernel's new syscalls are
 * not silently allowed. */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "security.h"
#ifndef SBX_SECCOMP_GEN
#include "seccomp-default.h" /* sbx_precompiled_default[], made by sbx-seccomp-gen */
#endif

#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER 0x10000000
#endif
#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

#define CAPBIT(c) (1ull << (c))

/* ---------------------------------------------------------------------- */
/* Exporting a libseccomp context to bytes in memory                      */

static int export_ctx(scmp_filter_ctx ctx, unsigned flags, struct sbx_bpf *out, const char *what,
                      sbx_error_t *err)
{
    _cleanup_close_ int fd = memfd_create("sbx-seccomp", MFD_CLOEXEC);
    if (fd < 0)
        return sbx_error(err, errno, "%s: memfd_create", what);
    int r = seccomp_export_bpf(ctx, fd);
    if (r < 0)
        return sbx_error(err, -r, "%s: exporting the filter", what);
    off_t size = lseek(fd, 0, SEEK_END);
    if (size <= 0 || size % sizeof(struct sock_filter) != 0 ||
        size / sizeof(struct sock_filter) > BPF_MAXINSNS)
        return sbx_error(err, 0, "%s: the compiled filter has %lld instructions (at most %d)", what,
                         (long long)size / (long long)sizeof(struct sock_filter), BPF_MAXINSNS);
    void *buf = xmalloc0((size_t)size);
    if (pread(fd, buf, (size_t)size, 0) != size) {
        free(buf);
        return sbx_error(err, errno, "%s: reading the compiled filter", what);
    }
    out->insns = buf;
    out->len = (unsigned short)(size / sizeof(struct sock_filter));
    out->flags = flags;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* The default deny-list                                                  */

enum relax_by { R_NONE, R_USERNS, R_PTRACE, R_PERF };

struct deny {
    const char *name;
    int err;             /* errno returned */
    enum relax_by relax; /* --allow-* that re-enables it */
    int cap, cap2;       /* a granted capability that re-enables it (-1: none) */
};

#define MOUNTCAP CAP_SYS_ADMIN
static const struct deny deny_list[] = {
    /* nested namespaces and changing the filesystem view after setup */
    {"setns", EPERM, R_USERNS, MOUNTCAP, -1},
    {"mount", EPERM, R_USERNS, MOUNTCAP, -1},
    {"umount", EPERM, R_USERNS, MOUNTCAP, -1},
    {"umount2", EPERM, R_USERNS, MOUNTCAP, -1},
    {"pivot_root", EPERM, R_USERNS, MOUNTCAP, -1},
    {"chroot", EPERM, R_USERNS, CAP_SYS_CHROOT, -1},
    /* seccomp cannot read clone3's flags: ENOSYS, libc falls back to clone */
    {"clone3", ENOSYS, R_USERNS, MOUNTCAP, -1},
    /* the new mount API */
    {"fsopen", ENOSYS, R_USERNS, MOUNTCAP, -1},
    {"fsconfig", ENOSYS, R_USERNS, MOUNTCAP, -1},
    {"fsmount", ENOSYS, R_USERNS, MOUNTCAP, -1},
    {"fspick", ENOSYS, R_USERNS, MOUNTCAP, -1},
    {"open_tree", ENOSYS, R_USERNS, MOUNTCAP, -1},
    {"move_mount", ENOSYS, R_USERNS, MOUNTCAP, -1},
    {"mount_setattr", ENOSYS, R_USERNS, MOUNTCAP, -1},
    /* kernel keyrings are shared with the host user */
    {"keyctl", EPERM, R_NONE, -1, -1},
    {"add_key", EPERM, R_NONE, -1, -1},
    {"request_key", EPERM, R_NONE, -1, -1},
    /* profiling, tracing and other processes' memory */
    {"perf_event_open", EPERM, R_PERF, CAP_PERFMON, CAP_SYS_ADMIN},
    {"ptrace", EPERM, R_PTRACE, CAP_SYS_PTRACE, -1},
    {"process_vm_readv", EPERM, R_PTRACE, CAP_SYS_PTRACE, -1},
    {"process_vm_writev", EPERM, R_PTRACE, CAP_SYS_PTRACE, -1},
    {"kcmp", EPERM, R_PTRACE, CAP_SYS_PTRACE, -1},
    {"pidfd_getfd", EPERM, R_PTRACE, CAP_SYS_PTRACE, -1},
    /* large attack surface, rarely needed */
    {"userfaultfd", EPERM, R_NONE, CAP_SYS_PTRACE, -1},
    {"io_uring_setup", ENOSYS, R_NONE, -1, -1},
    {"io_uring_enter", ENOSYS, R_NONE, -1, -1},
    {"io_uring_register", ENOSYS, R_NONE, -1, -1},
    {"bpf", EPERM, R_NONE, CAP_BPF, CAP_SYS_ADMIN},
    {"open_by_handle_at", EPERM, R_NONE, CAP_DAC_READ_SEARCH, -1},
    {"uselib", EPERM, R_NONE, -1, -1},
    {"lookup_dcookie", EPERM, R_NONE, CAP_SYS_ADMIN, -1},
    /* the machine's state */
    {"kexec_load", EPERM, R_NONE, CAP_SYS_BOOT, -1},
    {"kexec_file_load", EPERM, R_NONE, CAP_SYS_BOOT, -1},
    {"reboot", EPERM, R_NONE, CAP_SYS_BOOT, -1},
    {"init_module", EPERM, R_NONE, CAP_SYS_MODULE, -1},
    {"finit_module", EPERM, R_NONE, CAP_SYS_MODULE, -1},
    {"delete_module", EPERM, R_NONE, CAP_SYS_MODULE, -1},
    {"syslog", EPERM, R_NONE, CAP_SYSLOG, -1},
    {"acct", EPERM, R_NONE, CAP_SYS_PACCT, -1},
    {"quotactl", EPERM, R_NONE, CAP_SYS_ADMIN, -1},
    {"quotactl_fd", EPERM, R_NONE, CAP_SYS_ADMIN, -1},
    {"swapon", EPERM, R_NONE, CAP_SYS_ADMIN, -1},
    {"swapoff", EPERM, R_NONE, CAP_SYS_ADMIN, -1},
    {"settimeofday", EPERM, R_NONE, CAP_SYS_TIME, -1},
    {"stime", EPERM, R_NONE, CAP_SYS_TIME, -1},
    {"clock_settime", EPERM, R_NONE, CAP_SYS_TIME, -1},
    {"clock_adjtime", EPERM, R_NONE, CAP_SYS_TIME, -1},
    {"iopl", EPERM, R_NONE, CAP_SYS_RAWIO, -1},
    {"ioperm", EPERM, R_NONE, CAP_SYS_RAWIO, -1},
    {"vhangup", EPERM, R_NONE, CAP_SYS_TTY_CONFIG, -1},
};

static bool relaxed(const struct sbx_seccomp_relax *r, enum relax_by by, int cap, int cap2)
{
    if ((by == R_USERNS && r->userns) || (by == R_PTRACE && r->ptrace) || (by == R_PERF && r->perf))
        return true;
    return (cap >= 0 && (r->caps & CAPBIT(cap))) || (cap2 >= 0 && (r->caps & CAPBIT(cap2)));
}

static const int allowed_families[] = {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK};

static int add_rules(scmp_filter_ctx ctx, const struct sbx_seccomp_relax *relax)
{
    int r;
    for (size_t i = 0; i < ARRAY_SIZE(deny_list); i++) {
        const struct deny *d = &deny_list[i];
        if (relaxed(relax, d->relax, d->cap, d->cap2))
            continue;
        int nr = seccomp_syscall_resolve_name(d->name);
        if (nr == __NR_SCMP_ERROR)
            continue; /* unknown to libseccomp: the raw guard covers new numbers */
        r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(d->err), nr, 0);
        if (r < 0 && r != -EDOM)
            return r;
    }
    /* nested user namespaces: the flag, whatever else is asked */
    if (!relaxed(relax, R_USERNS, CAP_SYS_ADMIN, -1)) {
        r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
        if (r < 0)
            return r;
        r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                             SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER));
        if (r < 0)
            return r;
    }
    /* typing into the caller's terminal (CVE-2017-5226); the kernel reads
     * the request as 32 bits, so compare only those */
    static const unsigned long tty_ioctls[] = {TIOCSTI, TIOCLINUX};
    for (size_t i = 0; i < ARRAY_SIZE(tty_ioctls); i++) {
        r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                             SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, tty_ioctls[i]));
        if (r < 0)
            return r;
    }
    /* socket families: UNIX, INET, INET6, NETLINK; everything else, as
     * Flatpak does, value by value below the last and >= above it */
    int next = 0;
    for (size_t i = 0; i < ARRAY_SIZE(allowed_families); i++) {
        for (int f = next; f < allowed_families[i]; f++) {
            r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                                 SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)f));
            if (r < 0)
                return r;
        }
        next = allowed_families[i] + 1;
    }
    return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1,
                            SCMP_A0(SCMP_CMP_GE, (scmp_datum_t)next));
}

/* The filter compiled at build time when nothing is relaxed. */
static bool precompiled(const struct sbx_seccomp_relax *relax, struct sbx_bpf *out)
{
#ifdef SBX_SECCOMP_GEN
    return false;
#else
    if (relax->userns || relax->ptrace || relax->perf || relax->caps)
        return false;
    out->len = (unsigned short)ARRAY_SIZE(sbx_precompiled_default);
    out->insns = xmalloc0(sizeof(sbx_precompiled_default));
    memcpy(out->insns, sbx_precompiled_default, sizeof(sbx_precompiled_default));
    out->flags = 0;
    return true;
#endif
}

int sbx_seccomp_default(const struct sbx_seccomp_relax *relax, struct sbx_bpf *out,
                        sbx_error_t *err)
{
    if (precompiled(relax, out))
        return 0;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (ctx == NULL)
        return sbx_error(err, ENOMEM, "seccomp: seccomp_init");
    int r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (r == 0)
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    if (r == 0)
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2); /* binary tree; best effort */
    if (r == 0)
        r = add_rules(ctx, relax);
    if (r < 0) {
        seccomp_release(ctx);
        return sbx_error(err, -r, "seccomp: building the default filter");
    }
    r = export_ctx(ctx, 0, out, "seccomp", err);
    seccomp_release(ctx);
    return r;
}

/* ---------------------------------------------------------------------- */
/* The raw guard                                                          */

/* Syscall numbers up to this one (native ABI) were reviewed for the list
 * above; 451-469 (Linux 6.5-6.17: cachestat ... file_setattr) are allowed
 * except open_tree_attr (467), which is mount API.  Anything newer fails
 * with ENOSYS until someone looks at it. */
#define SBX_NR_OPEN_TREE_ATTR 467
#if defined(__x86_64__) || defined(__aarch64__) || defined(__riscv) || defined(__s390x__) ||       \
    defined(__powerpc64__)
#define SBX_REVIEWED_MAX 469
#else
#define SBX_REVIEWED_MAX -1
#endif

long sbx_seccomp_reviewed_max(void)
{
    return SBX_REVIEWED_MAX;
}

#if defined(__x86_64__)
#define SBX_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SBX_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define SBX_AUDIT_ARCH AUDIT_ARCH_RISCV64
#elif defined(__s390x__)
#define SBX_AUDIT_ARCH AUDIT_ARCH_S390X
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SBX_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG0_LO offsetof(struct seccomp_data, args[0])
#else
#define ARG0_LO (offsetof(struct seccomp_data, args[0]) + 4)
#endif

/* A tiny assembler: jumps go to labels that are resolved at the end. */
enum { L_ALLOW = 1, L_ENOSYS, L_EPERM, L_KILL, L_PERS, L_NLABELS };
struct asm_state {
    struct sock_filter insn[64];
    unsigned char jt[64], jf[64]; /* label numbers, 0: fall through */
    int label_at[L_NLABELS];
    unsigned n;
};

static void emit(struct asm_state *a, unsigned short code, unsigned k, int jt, int jf)
{
    a->insn[a->n] = (struct sock_filter)BPF_STMT(code, k);
    a->jt[a->n] = (unsigned char)jt;
    a->jf[a->n] = (unsigned char)jf;
    a->n++;
}

static void label(struct asm_state *a, int l)
{
    a->label_at[l] = (int)a->n;
}

int sbx_seccomp_raw_guard(const struct sbx_seccomp_relax *relax, struct sbx_bpf *out,
                          sbx_error_t *err)
{
#ifdef SBX_AUDIT_ARCH
    struct asm_state a;
    memset(&a, 0, sizeof(a));
    emit(&a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
    /* another ABI: the libseccomp filter kills it already */
    emit(&a, BPF_JMP | BPF_JEQ | BPF_K, SBX_AUDIT_ARCH, 0, L_ALLOW);
    emit(&a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
#ifdef __x86_64__
    emit(&a, BPF_JMP | BPF_JGE | BPF_K, 0x40000000u /* __X32_SYSCALL_BIT */, L_KILL, 0);
#endif
    emit(&a, BPF_JMP | BPF_JEQ | BPF_K, __NR_personality, L_PERS, 0);
    if (!relax->userns && !(relax->caps & CAPBIT(CAP_SYS_ADMIN)))
        emit(&a, BPF_JMP | BPF_JEQ | BPF_K, SBX_NR_OPEN_TREE_ATTR, L_ENOSYS, 0);
    if (SBX_REVIEWED_MAX > 0)
        emit(&a, BPF_JMP | BPF_JGT | BPF_K, (unsigned)SBX_REVIEWED_MAX, L_ENOSYS, 0);
    emit(&a, BPF_JMP | BPF_JA, 0, L_ALLOW, 0);
    /* personality(): the kernel takes an unsigned int; allow querying
     * (0xffffffff) and Docker's harmless values, with --allow-ptrace also
     * ADDR_NO_RANDOMIZE (debuggers turn off ASLR for their inferior) */
    label(&a, L_PERS);
    emit(&a, BPF_LD | BPF_W | BPF_ABS, ARG0_LO, 0, 0);
    emit(&a, BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffu, L_ALLOW, 0);
    if (relax->ptrace || (relax->caps & CAPBIT(CAP_SYS_PTRACE)))
        emit(&a, BPF_ALU | BPF_AND | BPF_K, ~(unsigned)ADDR_NO_RANDOMIZE, 0, 0);
    static const unsigned harmless[] = {PER_LINUX, PER_LINUX32, UNAME26, UNAME26 | PER_LINUX32};
    for (size_t i = 0; i < ARRAY_SIZE(harmless); i++)
        emit(&a, BPF_JMP | BPF_JEQ | BPF_K, harmless[i], L_ALLOW, 0);
    emit(&a, BPF_JMP | BPF_JA, 0, L_EPERM, 0);
    /* the returns, last: classic BPF only jumps forward */
    label(&a, L_ALLOW);
    emit(&a, BPF_RET | BPF_K, SECCOMP_RET_ALLOW, 0, 0);
    label(&a, L_ENOSYS);
    emit(&a, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
    label(&a, L_EPERM);
    emit(&a, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM, 0, 0);
    label(&a, L_KILL);
    emit(&a, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);

    for (unsigned pc = 0; pc < a.n; pc++) {
        struct sock_filter *f = &a.insn[pc];
        if (BPF_CLASS(f->code) != BPF_JMP)
            continue;
        if (BPF_OP(f->code) == BPF_JA) {
            f->k = (unsigned)(a.label_at[a.jt[pc]] - (int)pc - 1);
            continue;
        }
        f->jt = a.jt[pc] ? (unsigned char)(a.label_at[a.jt[pc]] - (int)pc - 1) : 0;
        f->jf = a.jf[pc] ? (unsigned char)(a.label_at[a.jf[pc]] - (int)pc - 1) : 0;
    }
    out->insns = xmalloc0(a.n * sizeof(struct sock_filter));
    memcpy(out->insns, a.insn, a.n * sizeof(struct sock_filter));
    out->len = (unsigned short)a.n;
    out->flags = 0;
    const char *bad = sbx_bpf_check(out->insns, out->len);
    if (bad)
        return sbx_error(err, 0, "seccomp: internal guard program: %s", bad);
    return 0;
#else
    out->insns = NULL;
    out->len = 0;
    sbx_debug("seccomp: no syscall-number guard for this architecture");
    return 0;
#endif
}

/* ---------------------------------------------------------------------- */
/* The kernel's checks (net/core/filter.c bpf_check_classic,               */
/* kernel/seccomp.c seccomp_check_filter), so bad BPF fails in prepare.    */

const char *sbx_bpf_check(const void *insns, size_t len)
{
    const struct sock_filter *f = insns;
    if (len == 0)
        return "empty program";
    if (len > BPF_MAXINSNS)
        return "more than 4096 instructions";
    for (size_t pc = 0; pc < len; pc++) {
        const struct sock_filter *i = &f[pc];
        switch (i->code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (i->k >= sizeof(struct seccomp_data) || (i->k & 3))
                return "load outside struct seccomp_data";
            break;
        case BPF_ALU | BPF_DIV | BPF_K:
            if (i->k == 0)
                return "division by zero";
            break;
        case BPF_ALU | BPF_LSH | BPF_K:
        case BPF_ALU | BPF_RSH | BPF_K:
            if (i->k >= 32)
                return "shift by 32 or more";
            break;
        case BPF_LD | BPF_MEM:
        case BPF_LDX | BPF_MEM:
        case BPF_ST:
        case BPF_STX:
            if (i->k >= BPF_MEMWORDS)
                return "scratch memory index out of range";
            break;
        case BPF_JMP | BPF_JA:
            if (i->k >= len - pc - 1)
                return "jump out of the program";
            break;
        case BPF_JMP | BPF_JEQ | BPF_K:
        case BPF_JMP | BPF_JEQ | BPF_X:
        case BPF_JMP | BPF_JGE | BPF_K:
        case BPF_JMP | BPF_JGE | BPF_X:
        case BPF_JMP | BPF_JGT | BPF_K:
        case BPF_JMP | BPF_JGT | BPF_X:
        case BPF_JMP | BPF_JSET | BPF_K:
        case BPF_JMP | BPF_JSET | BPF_X:
            if (pc + i->jt + 1 >= len || pc + i->jf + 1 >= len)
                return "jump out of the program";
            break;
        case BPF_LD | BPF_W | BPF_LEN:
        case BPF_LDX | BPF_W | BPF_LEN:
        case BPF_RET | BPF_K:
        case BPF_RET | BPF_A:
        case BPF_ALU | BPF_ADD | BPF_K:
        case BPF_ALU | BPF_ADD | BPF_X:
        case BPF_ALU | BPF_SUB | BPF_K:
        case BPF_ALU | BPF_SUB | BPF_X:
        case BPF_ALU | BPF_MUL | BPF_K:
        case BPF_ALU | BPF_MUL | BPF_X:
        case BPF_ALU | BPF_DIV | BPF_X:
        case BPF_ALU | BPF_AND | BPF_K:
        case BPF_ALU | BPF_AND | BPF_X:
        case BPF_ALU | BPF_OR | BPF_K:
        case BPF_ALU | BPF_OR | BPF_X:
        case BPF_ALU | BPF_XOR | BPF_K:
        case BPF_ALU | BPF_XOR | BPF_X:
        case BPF_ALU | BPF_LSH | BPF_X:
        case BPF_ALU | BPF_RSH | BPF_X:
        case BPF_ALU | BPF_NEG:
        case BPF_LD | BPF_IMM:
        case BPF_LDX | BPF_IMM:
        case BPF_MISC | BPF_TAX:
        case BPF_MISC | BPF_TXA:
            break;
        default:
            return "instruction not allowed in a seccomp program";
        }
    }
    if (f[len - 1].code != (BPF_RET | BPF_K) && f[len - 1].code != (BPF_RET | BPF_A))
        return "the last instruction is not a return";

    /* scratch memory read before it is written, on some path */
    uint16_t *masks = xmalloc0(len * sizeof(*masks));
    memset(masks, 0xff, len * sizeof(*masks));
    uint16_t valid = 0;
    const char *bad = NULL;
    for (size_t pc = 0; pc < len && !bad; pc++) {
        const struct sock_filter *i = &f[pc];
        valid &= masks[pc];
        switch (i->code) {
        case BPF_ST:
        case BPF_STX:
            valid |= (uint16_t)(1u << i->k);
            break;
        case BPF_LD | BPF_MEM:
        case BPF_LDX | BPF_MEM:
            if (!(valid & (1u << i->k)))
                bad = "scratch memory read before it is written";
            break;
        case BPF_JMP | BPF_JA:
            masks[pc + 1 + i->k] &= valid;
            valid = 0xffff;
            break;
        default:
            if (BPF_CLASS(i->code) == BPF_JMP) {
                masks[pc + 1 + i->jt] &= valid;
                masks[pc + 1 + i->jf] &= valid;
                valid = 0xffff;
            }
        }
    }
    free(masks);
    return bad;
}

/* ---------------------------------------------------------------------- */
/* OCI / Docker JSON profiles (moby's default.json loads unchanged)        */

struct profile {
    const char *path;
    uint64_t caps;
    const char *goarch; /* runtime.GOARCH of this machine, for includes.arches */
    unsigned kmajor, kminor;
    scmp_filter_ctx ctx;
    uint32_t default_action;
    sbx_error_t *err;
};

static int perr(struct profile *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct profile *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    _cleanup_free_ char *what = NULL;
    if (vasprintf(&what, fmt, ap) < 0)
        abort();
    va_end(ap);
    return sbx_error(p->err, 0, "--seccomp-profile %s: %s", p->path, what);
}

static const char *native_goarch(void)
{
    switch (seccomp_arch_native()) {
    case SCMP_ARCH_X86_64:
        return "amd64";
    case SCMP_ARCH_X86:
        return "386";
    case SCMP_ARCH_X32:
        return "amd64"; /* not a Go port */
    case SCMP_ARCH_AARCH64:
        return "arm64";
    case SCMP_ARCH_ARM:
        return "arm";
    case SCMP_ARCH_PPC64LE:
        return "ppc64le";
    case SCMP_ARCH_PPC64:
        return "ppc64";
    case SCMP_ARCH_S390X:
        return "s390x";
    case SCMP_ARCH_S390:
        return "s390";
    case SCMP_ARCH_RISCV64:
        return "riscv64";
    case SCMP_ARCH_MIPS64:
        return "mips64";
    case SCMP_ARCH_MIPSEL64:
        return "mips64le";
    case SCMP_ARCH_MIPS:
        return "mips";
    case SCMP_ARCH_MIPSEL:
        return "mipsle";
    default:
        return "unknown";
    }
}

/* "SCMP_ARCH_X86_64" -> token; 0 when unknown. */
static uint32_t arch_token(const char *name)
{
    if (strncmp(name, "SCMP_ARCH_", 10) != 0)
        return 0;
    char lower[32];
    size_t n = strlen(name + 10);
    if (n == 0 || n >= sizeof(lower))
        return 0;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)tolower((unsigned char)name[10 + i]);
    return seccomp_arch_resolve_name(lower);
}

static int parse_action(struct profile *p, const char *name, json_object *errno_obj,
                        int default_errno, uint32_t *out)
{
    int e = default_errno;
    if (errno_obj && json_object_get_type(errno_obj) != json_type_null) {
        if (!json_object_is_type(errno_obj, json_type_int))
            return perr(p, "errnoRet is not a number");
        int64_t v = json_object_get_int64(errno_obj);
        if (v < 0 || v > 0xffff)
            return perr(p, "errnoRet %lld is out of range", (long long)v);
        e = (int)v;
    }
    if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
        *out = SCMP_ACT_ALLOW;
    else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
        *out = SCMP_ACT_ERRNO((unsigned)e);
    else if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
        *out = SCMP_ACT_KILL_THREAD;
    else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
        *out = SCMP_ACT_KILL_PROCESS;
    else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
        *out = SCMP_ACT_TRAP;
    else if (strcmp(name, "SCMP_ACT_TRACE") == 0)
        *out = SCMP_ACT_TRACE((unsigned)e);
    else if (strcmp(name, "SCMP_ACT_LOG") == 0)
        *out = SCMP_ACT_LOG;
    else if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
        return perr(p, "SCMP_ACT_NOTIFY needs a seccomp agent, which sbx does not have");
    else
        return perr(p, "unknown action \"%s\"", name);
    return 0;
}

static json_object *field(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || json_object_get_type(v) == json_type_null)
        return NULL;
    return v;
}

static const char *get_string(struct profile *p, json_object *o, const char *key, bool required,
                              int *bad)
{
    json_object *v = field(o, key);
    if (v == NULL) {
        if (required) {
            perr(p, "\"%s\" is missing", key);
            *bad = 1;
        }
        return NULL;
    }
    if (!json_object_is_type(v, json_type_string)) {
        perr(p, "\"%s\" is not a string", key);
        *bad = 1;
        return NULL;
    }
    return json_object_get_string(v);
}

static json_object *get_array(struct profile *p, json_object *o, const char *key, int *bad)
{
    json_object *v = field(o, key);
    if (v && !json_object_is_type(v, json_type_array)) {
        perr(p, "\"%s\" is not an array", key);
        *bad = 1;
        return NULL;
    }
    return v;
}

static int check_strings(struct profile *p, json_object *arr, const char *key)
{
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
        if (!json_object_is_type(json_object_array_get_idx(arr, i), json_type_string))
            return perr(p, "\"%s\" has an element that is not a string", key);
    return 0;
}

static bool has_cap(const struct profile *p, const char *name)
{
    cap_value_t v;
    if (cap_from_name(name, &v) < 0 || v < 0 || v > 63)
        return false; /* a capability this libcap does not know is not granted */
    return p->caps & CAPBIT(v);
}

static bool str_in(json_object *arr, const char *s)
{
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
        if (strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s) == 0)
            return true;
    return false;
}

static int kernel_at_least(struct profile *p, const char *v, bool *ok)
{
    unsigned maj = 0, min = 0;
    if (sscanf(v, "%u.%u", &maj, &min) < 1)
        return perr(p, "minKernel \"%s\" is not a kernel version", v);
    *ok = p->kmajor > maj || (p->kmajor == maj && p->kminor >= min);
    return 0;
}

/* includes: every listed cap granted, this arch listed, kernel >= minKernel;
 * excludes: none of the caps granted, this arch not listed, kernel < minKernel. */
static int filter_matches(struct profile *p, json_object *f, bool include, bool *match)
{
    *match = true;
    if (f == NULL)
        return 0;
    if (!json_object_is_type(f, json_type_object))
        return perr(p, "\"%s\" is not an object", include ? "includes" : "excludes");
    int bad = 0;
    json_object *caps = get_array(p, f, "caps", &bad);
    json_object *arches = get_array(p, f, "arches", &bad);
    const char *mink = get_string(p, f, "minKernel", false, &bad);
    if (bad || check_strings(p, caps, "caps") < 0 || check_strings(p, arches, "arches") < 0)
        return -1;
    size_t ncaps = caps ? json_object_array_length(caps) : 0;
    for (size_t i = 0; i < ncaps; i++) {
        bool held = has_cap(p, json_object_get_string(json_object_array_get_idx(caps, i)));
        if (include && !held)
            *match = false;
        if (!include && held)
            *match = false;
    }
    if (arches && json_object_array_length(arches) > 0) {
        bool listed = str_in(arches, p->goarch);
        if (include != listed)
            *match = false;
    }
    if (mink) {
        bool ok = false;
        if (kernel_at_least(p, mink, &ok) < 0)
            return -1;
        if (include != ok)
            *match = false;
    }
    return 0;
}

static int parse_arg(struct profile *p, json_object *a, struct scmp_arg_cmp *cmp)
{
    if (!json_object_is_type(a, json_type_object))
        return perr(p, "an element of \"args\" is not an object");
    json_object *idx = field(a, "index"), *val = field(a, "value"), *val2 = field(a, "valueTwo");
    int bad = 0;
    const char *op = get_string(p, a, "op", true, &bad);
    if (bad)
        return -1;
    if (idx == NULL || !json_object_is_type(idx, json_type_int) || json_object_get_int64(idx) < 0 ||
        json_object_get_int64(idx) > 5)
        return perr(p, "args: \"index\" must be 0 to 5");
    if ((val && !json_object_is_type(val, json_type_int)) ||
        (val2 && !json_object_is_type(val2, json_type_int)))
        return perr(p, "args: \"value\" and \"valueTwo\" must be numbers");
    static const struct {
        const char *name;
        enum scmp_compare op;
    } ops[] = {
        {"SCMP_CMP_NE", SCMP_CMP_NE},
        {"SCMP_CMP_LT", SCMP_CMP_LT},
        {"SCMP_CMP_LE", SCMP_CMP_LE},
        {"SCMP_CMP_EQ", SCMP_CMP_EQ},
        {"SCMP_CMP_GE", SCMP_CMP_GE},
        {"SCMP_CMP_GT", SCMP_CMP_GT},
        {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
    };
    memset(cmp, 0, sizeof(*cmp));
    cmp->arg = (unsigned)json_object_get_int64(idx);
    cmp->op = 0;
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
        if (strcmp(op, ops[i].name) == 0)
            cmp->op = ops[i].op;
    if (cmp->op == 0)
        return perr(p, "args: unknown operator \"%s\"", op);
    /* values are unsigned 64-bit; json-c keeps those above INT64_MAX as uint64 */
    cmp->datum_a = val ? (scmp_datum_t)json_object_get_uint64(val) : 0;
    cmp->datum_b = val2 ? (scmp_datum_t)json_object_get_uint64(val2) : 0;
    if (val && json_object_get_int64(val) < 0)
        cmp->datum_a = (scmp_datum_t)json_object_get_int64(val);
    if (val2 && json_object_get_int64(val2) < 0)
        cmp->datum_b = (scmp_datum_t)json_object_get_int64(val2);
    return 0;
}

static int add_syscall_rule(struct profile *p, const char *name, uint32_t action,
                            struct scmp_arg_cmp *cmps, size_t n, bool or_args)
{
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) {
        /* as runc does: a syscall libseccomp does not know is skipped */
        sbx_debug("--seccomp-profile %s: syscall %s unknown to libseccomp, skipped", p->path, name);
        return 0;
    }
    int r = 0;
    if (n == 0) {
        r = seccomp_rule_add_array(p->ctx, action, nr, 0, NULL);
    } else if (!or_args) {
        r = seccomp_rule_add_array(p->ctx, action, nr, (unsigned)n, cmps);
    } else {
        for (size_t i = 0; i < n && r >= 0; i++)
            r = seccomp_rule_add_array(p->ctx, action, nr, 1, &cmps[i]);
    }
    /* -EDOM: the syscall does not exist on one of the filter's arches */
    if (r < 0 && r != -EDOM)
        return perr(p, "syscall %s: %s", name, strerror(-r));
    return 0;
}

static int parse_syscall(struct profile *p, json_object *s, int default_errno)
{
    if (!json_object_is_type(s, json_type_object))
        return perr(p, "an element of \"syscalls\" is not an object");
    int bad = 0;
    const char *action_name = get_string(p, s, "action", true, &bad);
    const char *single = get_string(p, s, "name", false, &bad);
    json_object *names = get_array(p, s, "names", &bad);
    json_object *args = get_array(p, s, "args", &bad);
    if (bad || check_strings(p, names, "names") < 0)
        return -1;
    uint32_t action;
    if (parse_action(p, action_name, field(s, "errnoRet"), default_errno, &action) < 0)
        return -1;
    bool inc, exc;
    if (filter_matches(p, field(s, "includes"), true, &inc) < 0 ||
        filter_matches(p, field(s, "excludes"), false, &exc) < 0)
        return -1;

    size_t nargs = args ? json_object_array_length(args) : 0;
    if (nargs > 6 * 8)
        return perr(p, "too many \"args\" in one rule");
    struct scmp_arg_cmp cmps[48];
    unsigned seen = 0;
    bool or_args = false;
    for (size_t i = 0; i < nargs; i++) {
        if (parse_arg(p, json_object_array_get_idx(args, i), &cmps[i]) < 0)
            return -1;
        if (seen & (1u << cmps[i].arg))
            or_args = true; /* runc: conditions on the same argument are alternatives */
        seen |= 1u << cmps[i].arg;
    }
    if (!single && !names)
        return perr(p, "a syscall rule has neither \"names\" nor \"name\"");
    if (!inc || !exc || action == p->default_action)
        return 0;
    if (single && add_syscall_rule(p, single, action, cmps, nargs, or_args) < 0)
        return -1;
    for (size_t i = 0; names && i < json_object_array_length(names); i++) {
        const char *n = json_object_get_string(json_object_array_get_idx(names, i));
        if (add_syscall_rule(p, n, action, cmps, nargs, or_args) < 0)
            return -1;
    }
    return 0;
}

static int add_arch(struct profile *p, const char *name)
{
    uint32_t tok = arch_token(name);
    if (tok == 0)
        return perr(p, "unknown architecture \"%s\"", name);
    int r = seccomp_arch_add(p->ctx, tok);
    if (r < 0 && r != -EEXIST)
        return perr(p, "architecture %s: %s", name, strerror(-r));
    return 0;
}

static int parse_arches(struct profile *p, json_object *root)
{
    int bad = 0;
    json_object *archmap = get_array(p, root, "archMap", &bad);
    json_object *arches = get_array(p, root, "architectures", &bad);
    if (bad || check_strings(p, arches, "architectures") < 0)
        return -1;
    for (size_t i = 0; arches && i < json_object_array_length(arches); i++)
        if (add_arch(p, json_object_get_string(json_object_array_get_idx(arches, i))) < 0)
            return -1;
    /* Docker: the entry for this machine's architecture, with its sub-architectures */
    uint32_t native = seccomp_arch_native();
    for (size_t i = 0; archmap && i < json_object_array_length(archmap); i++) {
        json_object *e = json_object_array_get_idx(archmap, i);
        if (!json_object_is_type(e, json_type_object))
            return perr(p, "an element of \"archMap\" is not an object");
        const char *a = get_string(p, e, "architecture", true, &bad);
        json_object *subs = get_array(p, e, "subArchitectures", &bad);
        if (bad || check_strings(p, subs, "subArchitectures") < 0)
            return -1;
        uint32_t tok = arch_token(a);
        if (tok == 0)
            return perr(p, "unknown architecture \"%s\"", a);
        if (tok != native)
            continue;
        if (add_arch(p, a) < 0)
            return -1;
        for (size_t j = 0; subs && j < json_object_array_length(subs); j++)
            if (add_arch(p, json_object_get_string(json_object_array_get_idx(subs, j))) < 0)
                return -1;
    }
    return 0;
}

static int parse_flags(struct profile *p, json_object *root, unsigned *load_flags)
{
    int bad = 0;
    json_object *flags = get_array(p, root, "flags", &bad);
    if (bad || check_strings(p, flags, "flags") < 0)
        return -1;
    for (size_t i = 0; flags && i < json_object_array_length(flags); i++) {
        const char *f = json_object_get_string(json_object_array_get_idx(flags, i));
        if (strcmp(f, "SECCOMP_FILTER_FLAG_LOG") == 0)
            *load_flags |= SECCOMP_FILTER_FLAG_LOG;
        else if (strcmp(f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
            *load_flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
        else if (strcmp(f, "SECCOMP_FILTER_FLAG_TSYNC") == 0 ||
                 strcmp(f, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0)
            ; /* one thread; no agent */
        else
            return perr(p, "unknown flag \"%s\"", f);
    }
    return 0;
}

static int compile_profile(struct profile *p, json_object *root, struct sbx_bpf *out)
{
    if (!json_object_is_type(root, json_type_object))
        return perr(p, "not a JSON object");
    int bad = 0;
    const char *def = get_string(p, root, "defaultAction", true, &bad);
    if (bad)
        return -1;
    int default_errno = EPERM;
    json_object *der = field(root, "defaultErrnoRet");
    if (der) {
        if (!json_object_is_type(der, json_type_int) || json_object_get_int64(der) < 0 ||
            json_object_get_int64(der) > 0xffff)
            return perr(p, "\"defaultErrnoRet\" is not an errno number");
        default_errno = (int)json_object_get_int64(der);
    }
    if (parse_action(p, def, der, default_errno, &p->default_action) < 0)
        return -1;
    unsigned load_flags = 0;
    if (parse_flags(p, root, &load_flags) < 0)
        return -1;
    p->ctx = seccomp_init(p->default_action);
    if (p->ctx == NULL)
        return perr(p, "libseccomp refused the default action");
    seccomp_attr_set(p->ctx, SCMP_FLTATR_CTL_NNP, 0);
    seccomp_attr_set(p->ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    if (parse_arches(p, root) < 0)
        return -1;
    json_object *syscalls = get_array(p, root, "syscalls", &bad);
    if (bad)
        return -1;
    for (size_t i = 0; syscalls && i < json_object_array_length(syscalls); i++)
        if (parse_syscall(p, json_object_array_get_idx(syscalls, i), default_errno) < 0)
            return -1;
    _cleanup_free_ char *what = xasprintf("--seccomp-profile %s", p->path);
    return export_ctx(p->ctx, load_flags, out, what, p->err);
}

int sbx_seccomp_profile(const char *path, uint64_t caps, struct sbx_bpf *out, sbx_error_t *err)
{
    struct profile p = {.path = path, .caps = caps, .goarch = native_goarch(), .err = err};
    struct utsname u;
    if (uname(&u) == 0)
        sscanf(u.release, "%u.%u", &p.kmajor, &p.kminor);

    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sbx_error(err, errno, "--seccomp-profile %s", path);
    _cleanup_free_ char *text = NULL;
    ssize_t n = read_fd_string(fd, &text);
    if (n < 0)
        return sbx_error(err, errno, "--seccomp-profile %s", path);
    size_t len = (size_t)n;
    json_tokener *tok = json_tokener_new();
    json_object *root = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t off = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (root == NULL || jerr != json_tokener_success) {
        if (root)
            json_object_put(root);
        if (jerr == json_tokener_continue)
            return perr(&p, "not valid JSON: unexpected end of file");
        /* the line the tokener stopped on */
        unsigned line = 1;
        for (size_t i = 0; i < off && i < len; i++)
            line += text[i] == '\n';
        return perr(&p, "not valid JSON: %s at line %u", json_tokener_error_desc(jerr), line);
    }
    for (size_t i = off; i < len; i++)
        if (!strchr(" \t\r\n", text[i])) {
            json_object_put(root);
            return perr(&p, "not valid JSON: trailing data after the profile");
        }
    int r = compile_profile(&p, root, out);
    if (p.ctx)
        seccomp_release(p.ctx);
    json_object_put(root);
    return r;
}
