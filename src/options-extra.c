/* options-extra.c - values of the limit and security options: --cpu 20%,
 * --memory 64M, --rlimit nofile=64:128, --timeout 30s, --cap-add CAP ... */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "options.h"

#define APPEND(arr, n, val)                                                                        \
    do {                                                                                           \
        (arr) = xrealloc((arr), sizeof(*(arr)) * ((n) + 1));                                       \
        (arr)[(n)++] = (val);                                                                      \
    } while (0)

static int parse_cpu(const char *s, long *pct)
{
    size_t n = strlen(s);
    if (n < 2 || s[n - 1] != '%')
        return -1;
    _cleanup_free_ char *num = strndup(s, n - 1);
    return parse_int(num, 1, 100000, pct);
}

/* "30", "30s", "1.5s", "500ms", "2m", "1h" -> milliseconds */
static int parse_duration(const char *s, unsigned long long *ms)
{
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || v <= 0)
        return -1;
    double mult;
    if (*end == '\0' || strcmp(end, "s") == 0)
        mult = 1000;
    else if (strcmp(end, "ms") == 0)
        mult = 1;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        mult = 60000;
    else if (strcmp(end, "h") == 0)
        mult = 3600000;
    else
        return -1;
    v *= mult;
    if (v < 1 || v > 1e15)
        return -1;
    *ms = (unsigned long long)v;
    return 0;
}

static const struct {
    const char *name;
    int resource;
} rlimit_names[] = {
    {"as", RLIMIT_AS},           {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},       {"fsize", RLIMIT_FSIZE},       {"locks", RLIMIT_LOCKS},
    {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},   {"nproc", RLIMIT_NPROC},       {"rss", RLIMIT_RSS},
    {"rtprio", RLIMIT_RTPRIO},   {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK},
};

static int parse_rlim_value(const char *s, rlim_t *out)
{
    unsigned long long v;
    if (strcmp(s, "infinity") == 0 || strcmp(s, "unlimited") == 0) {
        *out = RLIM_INFINITY;
        return 0;
    }
    if (parse_size(s, &v) < 0)
        return -1;
    *out = (rlim_t)v;
    return 0;
}

static int parse_rlimit(const char *s, struct sbx_rlimit *rl)
{
    const char *eq = strchr(s, '=');
    if (eq == NULL)
        return -1;
    size_t nlen = (size_t)(eq - s);
    rl->resource = -1;
    for (size_t i = 0; i < ARRAY_SIZE(rlimit_names); i++)
        if (strlen(rlimit_names[i].name) == nlen && strncmp(rlimit_names[i].name, s, nlen) == 0)
            rl->resource = rlimit_names[i].resource;
    if (rl->resource < 0)
        return -1;
    _cleanup_free_ char *val = xstrdup(eq + 1);
    char *colon = strchr(val, ':');
    if (colon)
        *colon = '\0';
    if (parse_rlim_value(val, &rl->lim.rlim_cur) < 0)
        return -1;
    rl->lim.rlim_max = rl->lim.rlim_cur;
    if (colon && parse_rlim_value(colon + 1, &rl->lim.rlim_max) < 0)
        return -1;
    if (rl->lim.rlim_cur > rl->lim.rlim_max)
        return -1;
    rl->text = s;
    return 0;
}

static int check_cap_name(const char *name)
{
    if (strcasecmp(name, "ALL") == 0)
        return 0;
    cap_value_t v;
    return cap_from_name(name, &v);
}

static int apply_limit(struct sbx_config *cfg, const struct sbx_option *o, char **args,
                       sbx_error_t *err)
{
    long v;
    unsigned long long sz;
    switch (o->id) {
    case SBX_O_CPU:
        if (parse_cpu(args[0], &cfg->cpu_pct) < 0)
            return sbx_error(err, 0, "--cpu %s: not a percentage of one CPU (e.g. 20%%, 150%%)",
                             args[0]);
        return 0;
    case SBX_O_MEMORY:
        if (parse_size(args[0], &cfg->memory) < 0 || cfg->memory < 4096)
            return sbx_error(err, 0, "--memory %s: not a size of at least 4K (e.g. 64M, 2G)",
                             args[0]);
        return 0;
    case SBX_O_MEMORY_SWAP:
        if (parse_size(args[0], &sz) < 0 || sz > (unsigned long long)INT64_MAX)
            return sbx_error(err, 0, "--memory-swap %s: not a size (e.g. 0, 512M)", args[0]);
        cfg->memory_swap = (long long)sz;
        return 0;
    case SBX_O_PIDS:
        if (parse_int(args[0], 1, 4194304, &cfg->pids) < 0)
            return sbx_error(err, 0, "--pids %s: not a number of processes (1 or more)", args[0]);
        return 0;
    case SBX_O_CPUSET:
        if (parse_cpu_list(args[0], NULL, NULL) < 0)
            return sbx_error(err, 0, "--cpuset %s: not a CPU list (e.g. 0-1,3)", args[0]);
        cfg->cpuset = args[0];
        return 0;
    case SBX_O_IO_WEIGHT:
        if (parse_int(args[0], 1, 10000, &v) < 0)
            return sbx_error(err, 0, "--io-weight %s: not a weight from 1 to 10000", args[0]);
        cfg->io_weight = v;
        return 0;
    case SBX_O_CGROUP_BACKEND:
        if (strcmp(args[0], "auto") == 0)
            cfg->cgroup_backend = CG_AUTO;
        else if (strcmp(args[0], "systemd") == 0)
            cfg->cgroup_backend = CG_SYSTEMD;
        else if (strcmp(args[0], "cgroupfs") == 0)
            cfg->cgroup_backend = CG_CGROUPFS;
        else
            return sbx_error(err, 0, "--cgroup-backend %s: must be auto, systemd or cgroupfs",
                             args[0]);
        return 0;
    case SBX_O_STATS_FD:
        return sbx_parse_fd_arg(o, args[0], &cfg->stats_fd, err);
    default:
        return 1;
    }
}

static int apply_security(struct sbx_config *cfg, const struct sbx_option *o, char **args,
                          sbx_error_t *err)
{
    struct sbx_rlimit rl;
    struct sbx_cap_op cop;
    int fd;
    switch (o->id) {
    case SBX_O_CAP_ADD:
    case SBX_O_CAP_DROP:
        if (check_cap_name(args[0]) < 0)
            return sbx_error(err, 0, "%s %s: unknown capability", o->name, args[0]);
        cop.add = o->id == SBX_O_CAP_ADD;
        cop.name = args[0];
        APPEND(cfg->cap_ops, cfg->n_cap_ops, cop);
        return 0;
    case SBX_O_SECCOMP:
    case SBX_O_ADD_SECCOMP_FD:
        if (sbx_parse_fd_arg(o, args[0], &fd, err) < 0)
            return -1;
        if (o->id == SBX_O_SECCOMP)
            cfg->seccomp_replace = true;
        APPEND(cfg->seccomp_fds, cfg->n_seccomp_fds, fd);
        return 0;
    case SBX_O_SECCOMP_PROFILE:
        if (args[0][0] == '\0')
            return sbx_error(err, 0, "--seccomp-profile: empty path");
        cfg->seccomp_profile = args[0];
        return 0;
    case SBX_O_ALLOW_USERNS:
        cfg->allow_userns = true;
        return 0;
    case SBX_O_ALLOW_PTRACE:
        cfg->allow_ptrace = true;
        return 0;
    case SBX_O_ALLOW_PERF:
        cfg->allow_perf = true;
        return 0;
    case SBX_O_RLIMIT:
        if (parse_rlimit(args[0], &rl) < 0)
            return sbx_error(err, 0,
                             "--rlimit %s: not NAME=SOFT[:HARD] with a known NAME "
                             "(nofile, nproc, as, cpu, fsize, core, ...) and SOFT <= HARD",
                             args[0]);
        APPEND(cfg->rlimits, cfg->n_rlimits, rl);
        return 0;
    case SBX_O_TIMEOUT:
        if (parse_duration(args[0], &cfg->timeout_ms) < 0)
            return sbx_error(err, 0, "--timeout %s: not a duration (e.g. 30s, 1.5m, 2h)", args[0]);
        return 0;
    default:
        return 1;
    }
}

int sbx_apply_extra_option(struct sbx_config *cfg, const struct sbx_option *o, char **args,
                           sbx_error_t *err)
{
    int r = apply_limit(cfg, o, args, err);
    if (r <= 0)
        return r;
    return apply_security(cfg, o, args, err);
}
