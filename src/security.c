/* security.c - the command's security settings, prepared in the monitor and
 * applied in the command's process just before execve():
 *
 *   rlimits -> no_new_privs -> Landlock scoping -> capabilities -> seccomp
 *
 * Everything that depends on user input (profiles, BPF from fds, capability
 * names, rlimits) is checked and compiled in sbx_security_prepare(), so bad
 * input stops sbx before it has created anything.  sbx_security_apply()
 * only makes syscalls on data prepared here. */
#include "config.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "security.h"

#define SBX_MAX_PROGS 16

struct sbx_security {
    struct sbx_bpf progs[SBX_MAX_PROGS]; /* loaded in this order */
    struct sock_fprog fprogs[SBX_MAX_PROGS];
    size_t n_progs;
    const char *seccomp_mode; /* "default", "profile", "unconfined", "bpf" */
    uint64_t caps, caps_named;
    int last_cap;
    int landlock_abi;
    bool landlock_scope;
    /* the default filter is compiled by the sandbox while the id maps are
     * written (sbx_security_prepare_late): it cannot fail on user input */
    bool default_pending;
    struct sbx_seccomp_relax relax;
};

#define DEFAULT_PROGS 2 /* the libseccomp deny-list and the raw guard */

static void sync_fprogs(struct sbx_security *s)
{
    for (size_t i = 0; i < s->n_progs; i++) {
        s->fprogs[i].len = s->progs[i].len;
        s->fprogs[i].filter = s->progs[i].insns;
    }
}

static int add_prog(struct sbx_security *s, struct sbx_bpf *b, const char *what, sbx_error_t *err)
{
    if (b->len == 0) {
        free(b->insns);
        return 0;
    }
    if (s->n_progs >= SBX_MAX_PROGS) {
        free(b->insns);
        return sbx_error(err, 0, "%s: more than %d seccomp programs", what, SBX_MAX_PROGS - 2);
    }
    const char *bad = sbx_bpf_check(b->insns, b->len);
    if (bad) {
        free(b->insns);
        return sbx_error(err, 0, "%s: invalid seccomp program: %s", what, bad);
    }
    s->progs[s->n_progs++] = *b;
    return 0;
}

/* bubblewrap's format: the raw struct sock_filter array, read to EOF. */
static int read_bpf_fd(int fd, const char *opt, struct sbx_bpf *out, sbx_error_t *err)
{
    _cleanup_free_ char *data = NULL;
    ssize_t n = read_fd_string(fd, &data);
    if (n < 0)
        return sbx_error(err, errno, "%s %d: reading the seccomp program", opt, fd);
    size_t len = (size_t)n;
    close(fd); /* as bubblewrap: the command does not inherit it */
    if (len == 0 || len % sizeof(struct sock_filter) != 0)
        return sbx_error(err, 0,
                         "%s %d: invalid seccomp data: %zu bytes, not a non-empty array of "
                         "8-byte BPF instructions",
                         opt, fd, len);
    if (len / sizeof(struct sock_filter) > BPF_MAXINSNS)
        return sbx_error(err, 0, "%s %d: invalid seccomp program: more than %d instructions", opt,
                         fd, BPF_MAXINSNS);
    out->insns = steal_pointer(&data);
    out->len = (unsigned short)(len / sizeof(struct sock_filter));
    out->flags = 0;
    return 0;
}

static int check_rlimits(const struct sbx_config *cfg, sbx_error_t *err)
{
    for (size_t i = 0; i < cfg->n_rlimits; i++) {
        const struct sbx_rlimit *rl = &cfg->rlimits[i];
        struct rlimit cur;
        if (rl->lim.rlim_cur > rl->lim.rlim_max)
            return sbx_error(err, 0, "--rlimit %s: the soft limit is above the hard limit",
                             rl->text);
        if (getrlimit(rl->resource, &cur) < 0)
            return sbx_error(err, errno, "--rlimit %s", rl->text);
        /* raising a hard limit needs CAP_SYS_RESOURCE in the initial user
         * namespace, which the command never has unless sbx runs as root */
        if (rl->lim.rlim_max > cur.rlim_max && geteuid() != 0)
            return sbx_error(err, 0,
                             "--rlimit %s: above the current hard limit (%llu); only root may "
                             "raise it",
                             rl->text, (unsigned long long)cur.rlim_max);
    }
    return 0;
}

static int prepare_seccomp(const struct sbx_config *cfg, struct sbx_security *s, sbx_error_t *err)
{
    const char *profile = cfg->seccomp_profile;
    bool unconfined = profile && strcmp(profile, "unconfined") == 0;
    bool relaxing = cfg->allow_userns || cfg->allow_ptrace || cfg->allow_perf;
    const char *relax_opt = cfg->allow_userns   ? "--allow-userns"
                            : cfg->allow_ptrace ? "--allow-ptrace"
                                                : "--allow-perf";

    if (cfg->seccomp_replace && cfg->n_seccomp_fds > 1)
        return sbx_error(err, 0, "--seccomp: cannot be given twice nor with --add-seccomp-fd");
    if (cfg->seccomp_replace && profile)
        return sbx_error(err, 0, "--seccomp-profile %s: cannot be combined with --seccomp",
                         profile);
    if (relaxing && (cfg->seccomp_replace || (profile && !unconfined)))
        return sbx_error(err, 0, "%s: only relaxes sbx's default filter, not one given by %s",
                         relax_opt, cfg->seccomp_replace ? "--seccomp" : "--seccomp-profile");

    struct sbx_bpf b = {0};
    if (cfg->seccomp_replace) {
        s->seccomp_mode = "bpf";
    } else if (unconfined) {
        s->seccomp_mode = "unconfined";
    } else if (profile) {
        s->seccomp_mode = "profile";
        if (sbx_seccomp_profile(profile, s->caps, &b, err) < 0)
            return -1;
        _cleanup_free_ char *what = xasprintf("--seccomp-profile %s", profile);
        if (add_prog(s, &b, what, err) < 0)
            return -1;
    } else if (cfg->bwrap_mode) {
        /* bubblewrap applies only the filters it is handed */
        s->seccomp_mode = cfg->n_seccomp_fds ? "bpf" : "none (bubblewrap mode)";
    } else {
        s->seccomp_mode = "default";
        s->relax = (struct sbx_seccomp_relax){
            .userns = cfg->allow_userns,
            .ptrace = cfg->allow_ptrace,
            .perf = cfg->allow_perf,
            .caps = s->caps,
        };
        s->default_pending = true;
    }
    for (size_t i = 0; i < cfg->n_seccomp_fds; i++) {
        const char *opt = cfg->seccomp_replace ? "--seccomp" : "--add-seccomp-fd";
        memset(&b, 0, sizeof(b));
        if (read_bpf_fd(cfg->seccomp_fds[i], opt, &b, err) < 0)
            return -1;
        _cleanup_free_ char *what = xasprintf("%s %d", opt, cfg->seccomp_fds[i]);
        if (add_prog(s, &b, what, err) < 0)
            return -1;
    }
    sync_fprogs(s);
    sbx_debug("seccomp: %s, %zu program(s)", s->seccomp_mode,
              s->n_progs + (s->default_pending ? DEFAULT_PROGS : 0));
    return 0;
}

int sbx_security_prepare_late(struct sbx_security *s, sbx_error_t *err)
{
    struct sbx_bpf b = {0};
    if (s == NULL || !s->default_pending)
        return 0;
    if (sbx_seccomp_default(&s->relax, &b, err) < 0 || add_prog(s, &b, "seccomp", err) < 0)
        return -1;
    memset(&b, 0, sizeof(b));
    if (sbx_seccomp_raw_guard(&s->relax, &b, err) < 0 || add_prog(s, &b, "seccomp", err) < 0)
        return -1;
    s->default_pending = false;
    sync_fprogs(s);
    return 0;
}

int sbx_security_prepare(const struct sbx_config *cfg, struct sbx_security **secp, sbx_error_t *err)
{
    *secp = NULL;
    struct sbx_security *s = xmalloc0(sizeof(*s));
    s->last_cap = sbx_caps_last();
    if (check_rlimits(cfg, err) < 0 || sbx_caps_compute(cfg, &s->caps, &s->caps_named, err) < 0 ||
        prepare_seccomp(cfg, s, err) < 0) {
        sbx_security_free(s);
        return -1;
    }
    s->landlock_abi = sbx_landlock_abi();
    s->landlock_scope = !cfg->bwrap_mode && s->landlock_abi >= SBX_LANDLOCK_SCOPE_ABI;
    if (cfg->bwrap_mode)
        sbx_debug("landlock: no scoping in bubblewrap mode");
    else if (s->landlock_abi == 0)
        sbx_debug("landlock: not available on this kernel: the sandbox can connect to "
                  "abstract unix sockets and signal processes outside it when it shares "
                  "their network or PID namespace");
    else if (!s->landlock_scope)
        sbx_debug("landlock: ABI %d has no scoping (needs ABI %d, Linux 6.12): the sandbox can "
                  "connect to abstract unix sockets and signal processes outside it when it "
                  "shares their network or PID namespace",
                  s->landlock_abi, SBX_LANDLOCK_SCOPE_ABI);
    else
        sbx_debug("landlock: ABI %d, abstract unix sockets and signals scoped to the sandbox",
                  s->landlock_abi);
    *secp = s;
    return 0;
}

int sbx_security_apply(const struct sbx_config *cfg, struct sbx_security *s, sbx_error_t *err)
{
    if (s == NULL || s->default_pending)
        return sbx_error(err, 0, "security: not prepared");
    for (size_t i = 0; i < cfg->n_rlimits; i++)
        if (setrlimit(cfg->rlimits[i].resource, &cfg->rlimits[i].lim) < 0)
            return sbx_error(err, errno, "--rlimit %s", cfg->rlimits[i].text);
    /* always: setuid binaries and file capabilities give nothing */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return sbx_error(err, errno, "no_new_privs");
    if (s->landlock_scope && sbx_landlock_scope(err) < 0)
        return -1;
    if (sbx_caps_apply(s->caps, s->caps_named, s->last_cap, err) < 0)
        return -1;
    /* last: from here on, no allocation */
    for (size_t i = 0; i < s->n_progs; i++)
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, s->progs[i].flags, &s->fprogs[i]) < 0)
            return sbx_error(err, errno, "seccomp: loading filter %zu of %zu", i + 1, s->n_progs);
    return 0;
}

char *sbx_security_info_json(const struct sbx_security *s)
{
    if (s == NULL)
        return NULL;
    _cleanup_free_ char *caps = sbx_caps_to_json(s->caps);
    _cleanup_free_ char *mode = json_escape(s->seccomp_mode);
    return xasprintf("\"seccomp\": \"%s\", \"seccomp-programs\": %zu, \"landlock-abi\": %d, "
                     "\"landlock-scoped\": %s, \"no-new-privs\": true, \"capabilities\": %s",
                     mode, s->n_progs + (s->default_pending ? DEFAULT_PROGS : 0), s->landlock_abi,
                     s->landlock_scope ? "true" : "false", caps);
}

void sbx_security_free(struct sbx_security *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_progs; i++)
        free(s->progs[i].insns);
    free(s);
}
