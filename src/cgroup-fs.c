/* cgroup-fs.c - limits written to the cgroup filesystem directly:
 * v2 in a subtree delegated to the caller (owned and writable by it),
 * v1 as root on legacy/hybrid hosts. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

#include "cgroup.h"

/* ------------------------------------------------------------ discovery */

static bool has_token(const char *list, const char *tok)
{
    size_t tl = strlen(tok);
    for (const char *p = list; p && *p;) {
        const char *end = p + strcspn(p, ", \n");
        if ((size_t)(end - p) == tl && strncmp(p, tok, tl) == 0)
            return true;
        p = *end ? end + 1 : end;
    }
    return false;
}

/* The mount point and mount root of a cgroup filesystem: fstype "cgroup2",
 * or "cgroup" with controller ctrl in its super options. */
static int find_mount(const char *fstype, const char *ctrl, char **mnt, char **root)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
    _cleanup_free_ char *line = NULL;
    size_t cap = 0;
    if (f == NULL)
        return -1;
    while (getline(&line, &cap, f) > 0) {
        char r[4096], m[4096], fs[64], opts[1024];
        char *sep = strstr(line, " - ");
        if (sep == NULL || sscanf(line, "%*s %*s %*s %4095s %4095s", r, m) != 2 ||
            sscanf(sep + 3, "%63s %*s %1023s", fs, opts) != 2)
            continue;
        if (strcmp(fs, fstype) != 0 || (ctrl && !has_token(opts, ctrl)))
            continue;
        *mnt = xstrdup(m);
        *root = xstrdup(r);
        return 0;
    }
    return -1;
}

/* This process's cgroup path in hierarchy ctrl ("" for v2's 0:: line). */
static char *self_cgroup(const char *ctrl)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
    _cleanup_free_ char *line = NULL;
    size_t cap = 0;
    if (f == NULL)
        return NULL;
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 == NULL)
            continue;
        *c2 = '\0';
        if (ctrl[0] == '\0' ? (strncmp(line, "0:", 2) == 0 && c1[1] == '\0')
                            : has_token(c1 + 1, ctrl))
            return xstrdup(c2 + 1);
    }
    return NULL;
}

/* mount point + cgroup path relative to the mount's root */
static char *cgroup_dir(const char *mnt, const char *root, const char *path)
{
    size_t rl = strlen(root);
    if (strcmp(root, "/") != 0 && strncmp(path, root, rl) == 0 &&
        (path[rl] == '/' || path[rl] == '\0'))
        path += rl;
    while (*path == '/')
        path++;
    return *path ? xasprintf("%s/%s", mnt, path) : xstrdup(mnt);
}

/* A monitor killed with SIGKILL cannot remove its cgroup (its sandbox dies
 * with it, by PDEATHSIG): remove empty "sbx-PID" / "sbx-PID.monitor"
 * directories of monitors that no longer exist, on the next run. */
static void sweep_stale(const char *parent)
{
    DIR *d = opendir(parent);
    struct dirent *de;
    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        char *end;
        if (strncmp(de->d_name, "sbx-", 4) != 0 || de->d_type != DT_DIR)
            continue;
        long pid = strtol(de->d_name + 4, &end, 10);
        if (end == de->d_name + 4 || (*end && strcmp(end, ".monitor") != 0) || pid <= 0 ||
            pid == getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        /* its sandbox may still be dying (PDEATHSIG): wait a little */
        int r, tries = 0;
        while ((r = unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR)) < 0 && errno == EBUSY &&
               tries++ < 40)
            usleep(5000);
        if (r == 0)
            sbx_debug("cgroup: removed stale %s/%s", parent, de->d_name);
    }
    closedir(d);
}

/* ------------------------------------------------------------ cgroup v2 */

void sbx_cg_v2_stats(int dirfd, struct sbx_cg_stats *st)
{
    if (dirfd < 0)
        return;
    st->cpu_usec = sbx_cg_read_key(dirfd, "cpu.stat", "usage_usec");
    st->memory_peak = sbx_cg_read_num(dirfd, "memory.peak");
    st->oom_kills = sbx_cg_read_key(dirfd, "memory.events", "oom_kill");
    st->pids_max_events = sbx_cg_read_key(dirfd, "pids.events", "max");
}

static int v2_fail(struct sbx_cgroup *cg, int *severity, int sev, sbx_error_t *err)
{
    *severity = sev;
    sbx_cg_fs_remove(cg, NULL);
    cg->removed = false;
    return -1;
}

static int v2_limits(struct sbx_cgroup *cg, sbx_error_t *err)
{
    const struct sbx_config *cfg = cg->cfg;
    struct {
        unsigned c;
        const char *file;
        char val[64];
        bool on;
    } w[] = {
        {SBX_CGC_CPU, "cpu.max", "", cfg->cpu_pct > 0},
        {SBX_CGC_MEMORY, "memory.max", "", cfg->memory > 0},
        {SBX_CGC_MEMORY, "memory.swap.max", "", cfg->memory_swap >= 0},
        {SBX_CGC_PIDS, "pids.max", "", cfg->pids > 0},
        {SBX_CGC_CPUSET, "cpuset.cpus", "", cfg->cpuset != NULL},
        {SBX_CGC_IO, "io.weight", "", cfg->io_weight > 0},
    };
    snprintf(w[0].val, sizeof(w[0].val), "%ld 100000", cfg->cpu_pct * 1000);
    snprintf(w[1].val, sizeof(w[1].val), "%llu", cfg->memory);
    snprintf(w[2].val, sizeof(w[2].val), "%lld", cfg->memory_swap);
    snprintf(w[3].val, sizeof(w[3].val), "%ld", cfg->pids);
    snprintf(w[4].val, sizeof(w[4].val), "%s", cfg->cpuset ? cfg->cpuset : "");
    snprintf(w[5].val, sizeof(w[5].val), "default %ld", cfg->io_weight);
    for (size_t i = 0; i < ARRAY_SIZE(w); i++) {
        if (!w[i].on)
            continue;
        const char *file = w[i].file;
        char val[64];
        snprintf(val, sizeof(val), "%s", w[i].val);
        if (w[i].c == SBX_CGC_IO && faccessat(cg->dirfd, file, F_OK, 0) < 0) {
            file = "io.bfq.weight"; /* BFQ: 1..1000 */
            snprintf(val, sizeof(val), "%ld", cfg->io_weight > 1000 ? 1000 : cfg->io_weight);
        }
        if (sbx_cg_write(cg->dirfd, file, val) == 0)
            continue;
        int e = errno;
        _cleanup_free_ char *opt = sbx_cg_option_text(cfg, w[i].c);
        if (e == ENOENT && w[i].c == SBX_CGC_MEMORY)
            return sbx_error(err, 0,
                             "%s: %s/memory.swap.max is missing: swap accounting is off "
                             "(boot with swapaccount=1)",
                             opt, cg->dir);
        if (e == ENOENT && w[i].c == SBX_CGC_IO)
            return sbx_error(err, 0,
                             "%s: neither io.weight nor io.bfq.weight exists in %s (use the "
                             "BFQ I/O scheduler or drop --io-weight)",
                             opt, cg->dir);
        return sbx_error(err, e, "%s: writing %s/%s", opt, cg->dir, file);
    }
    return 0;
}

int sbx_cg_fs2_prepare(struct sbx_cgroup *cg, int *severity, sbx_error_t *err)
{
    _cleanup_free_ char *mnt = NULL, *root = NULL, *self = NULL, *ctrls = NULL, *sub = NULL;
    _cleanup_free_ char *opt = sbx_cg_first_option(cg->cfg);
    uid_t uid = geteuid();
    *severity = 0;
    if (find_mount("cgroup2", NULL, &mnt, &root) < 0)
        return sbx_error(err, 0, "no cgroup v2 hierarchy is mounted");
    self = self_cgroup("");
    if (self == NULL)
        return sbx_error(err, 0, "this process has no cgroup v2 path in /proc/self/cgroup");
    cg->parent = cgroup_dir(mnt, root, self);
    bool is_top = strcmp(cg->parent, mnt) == 0;
    cg->parent_fd = open(cg->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cg->parent_fd < 0)
        return sbx_error(err, errno, "cgroup v2 %s", cg->parent);
    struct stat sb;
    if (fstat(cg->parent_fd, &sb) < 0)
        return sbx_error(err, errno, "cgroup v2 %s", cg->parent);
    {
        char buf[4096] = "";
        int fd = openat(cg->parent_fd, "cgroup.controllers", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t n = read(fd, buf, sizeof(buf) - 1);
            buf[n > 0 ? n : 0] = '\0';
            buf[strcspn(buf, "\n")] = '\0';
            close(fd);
        }
        ctrls = xstrdup(buf);
    }
    if ((sb.st_uid != uid && uid != 0) ||
        faccessat(cg->parent_fd, "cgroup.procs", W_OK, AT_EACCESS) < 0 ||
        faccessat(cg->parent_fd, "cgroup.subtree_control", W_OK, AT_EACCESS) < 0)
        return sbx_error(err, 0, "cgroup v2 %s is not delegated to uid %u (owner uid %u)",
                         cg->parent, (unsigned)uid, (unsigned)sb.st_uid);
    if (cg->need == 0 && !has_token(ctrls, "memory") && uid == 0) {
        _cleanup_free_ char *m1 = NULL, *r1 = NULL;
        if (find_mount("cgroup", "memory", &m1, &r1) == 0)
            return sbx_error(err, 0, "cgroup v2 at %s lacks the memory controller (hybrid host)",
                             mnt);
    }
    for (unsigned c = 1; c < (1u << SBX_CGC_COUNT); c <<= 1) {
        if (!(cg->need & c) || has_token(ctrls, sbx_cg_ctrl_name(c)))
            continue;
        _cleanup_free_ char *o = sbx_cg_option_text(cg->cfg, c);
        _cleanup_free_ char *m1 = NULL, *r1 = NULL;
        /* hybrid host: the controller may be on a v1 hierarchy */
        if (find_mount("cgroup", c == SBX_CGC_IO ? "blkio" : sbx_cg_ctrl_name(c), &m1, &r1) == 0)
            return sbx_error(err, 0, "cgroup v2 at %s lacks the %s controller (hybrid host)", mnt,
                             sbx_cg_ctrl_name(c));
        *severity = 1;
        return sbx_error(err, 0,
                         "%s: the %s controller is not available in cgroup v2 %s "
                         "(cgroup.controllers: %s)",
                         o, sbx_cg_ctrl_name(c), cg->parent, ctrls[0] ? ctrls : "none");
    }
    /* cgroup v2's "no internal processes" rule: controllers can be enabled
     * for children only while this cgroup holds no process (the top is
     * exempt).  sbx itself moves into a leaf of its own; anybody else's
     * processes are not ours to move. */
    bool need_mon = cg->need && !is_top;
    if (need_mon) {
        _cleanup_free_ char *procs = NULL;
        _cleanup_error_ sbx_error_t e2 = NULL;
        if (read_file_at(cg->parent_fd, "cgroup.procs", &procs, &e2) < 0)
            return sbx_error(err, 0, "cgroup v2 %s: cannot read cgroup.procs", cg->parent);
        for (char *p = procs; *p;) {
            char *end;
            long pid = strtol(p, &end, 10);
            if (end == p)
                break;
            if (pid != getpid()) {
                *severity = 1;
                return sbx_error(err, 0,
                                 "%s: the cgroup %s holds other processes besides sbx (PID %ld); "
                                 "cgroup v2 enables controllers only below cgroups without "
                                 "processes, so start sbx in a cgroup of its own (e.g. "
                                 "systemd-run --user --scope -p Delegate=yes sbx ...)",
                                 opt, cg->parent, pid);
            }
            p = end + (*end == '\n');
        }
    }
    *severity = 1;
    sweep_stale(cg->parent);
    cg->dir = xasprintf("%s/%s", cg->parent, cg->name);
    if (mkdirat(cg->parent_fd, cg->name, 0755) < 0)
        return sbx_error(err, errno, "%s: creating cgroup %s", opt, cg->dir);
    cg->made_dir = true;
    cg->dirfd = openat(cg->parent_fd, cg->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cg->dirfd < 0) {
        sbx_error(err, errno, "%s: opening cgroup %s", opt, cg->dir);
        return v2_fail(cg, severity, 1, err);
    }
    if (need_mon) {
        sub = xasprintf("%s.monitor", cg->name);
        if (mkdirat(cg->parent_fd, sub, 0755) < 0) {
            sbx_error(err, errno, "%s: creating cgroup %s/%s", opt, cg->parent, sub);
            return v2_fail(cg, severity, 1, err);
        }
        cg->made_mon = true;
        cg->mon_fd = openat(cg->parent_fd, sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        char pid[32];
        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        if (cg->mon_fd < 0 || sbx_cg_write(cg->mon_fd, "cgroup.procs", pid) < 0) {
            sbx_error(err, errno, "%s: moving sbx into cgroup %s/%s", opt, cg->parent, sub);
            return v2_fail(cg, severity, 1, err);
        }
        cg->moved_mon = true;
    }
    {
        _cleanup_free_ char *on = NULL;
        _cleanup_error_ sbx_error_t e2 = NULL;
        read_file_at(cg->parent_fd, "cgroup.subtree_control", &on, &e2);
        for (unsigned c = 1; c < (1u << SBX_CGC_COUNT); c <<= 1) {
            if (!(cg->need & c) || (on && has_token(on, sbx_cg_ctrl_name(c))))
                continue;
            char val[32];
            snprintf(val, sizeof(val), "+%s", sbx_cg_ctrl_name(c));
            if (sbx_cg_write(cg->parent_fd, "cgroup.subtree_control", val) < 0) {
                _cleanup_free_ char *o = sbx_cg_option_text(cg->cfg, c);
                sbx_error(err, errno, "%s: enabling the %s controller in %s/cgroup.subtree_control",
                          o, sbx_cg_ctrl_name(c), cg->parent);
                return v2_fail(cg, severity, 1, err);
            }
            cg->enabled |= c;
        }
    }
    if (v2_limits(cg, err) < 0)
        return v2_fail(cg, severity, 1, err);
    cg->kind = SBX_CG_FS2;
    return 0;
}

/* ------------------------------------------------------------ cgroup v1 */

static const struct {
    const char *name;
    unsigned limit; /* SBX_CGC_* it enforces */
    bool stats;     /* read for --stats-fd */
} v1_ctrls[] = {
    {"cpu", SBX_CGC_CPU, false},       {"cpuacct", 0, true},
    {"memory", SBX_CGC_MEMORY, true},  {"pids", SBX_CGC_PIDS, true},
    {"cpuset", SBX_CGC_CPUSET, false}, {"blkio", SBX_CGC_IO, false},
};

static struct sbx_cg_v1 *v1_find(struct sbx_cgroup *cg, const char *ctrl)
{
    for (size_t i = 0; i < cg->n_v1; i++)
        for (size_t k = 0; k < ARRAY_SIZE(v1_ctrls); k++)
            if ((cg->v1[i].mask & (1u << k)) && strcmp(v1_ctrls[k].name, ctrl) == 0)
                return &cg->v1[i];
    return NULL;
}

static int v1_fail(struct sbx_cgroup *cg)
{
    sbx_cg_fs_remove(cg, NULL);
    cg->removed = false;
    for (size_t i = 0; i < cg->n_v1; i++) {
        if (cg->v1[i].fd >= 0)
            close(cg->v1[i].fd);
        free(cg->v1[i].dir);
    }
    cg->n_v1 = 0;
    return -1;
}

static int v1_limits(struct sbx_cgroup *cg, sbx_error_t *err)
{
    const struct sbx_config *cfg = cg->cfg;
    struct sbx_cg_v1 *h;
    char val[64];
#define W(ctrl, c, file, ...)                                                                      \
    do {                                                                                           \
        h = v1_find(cg, ctrl);                                                                     \
        snprintf(val, sizeof(val), __VA_ARGS__);                                                   \
        if (sbx_cg_write(h->fd, file, val) < 0) {                                                  \
            int e_ = errno;                                                                        \
            _cleanup_free_ char *o_ = sbx_cg_option_text(cfg, c);                                  \
            return sbx_error(err, e_, "%s: writing %s to %s/%s", o_, val, h->dir, file);           \
        }                                                                                          \
    } while (0)
    if (cfg->cpu_pct) {
        W("cpu", SBX_CGC_CPU, "cpu.cfs_period_us", "100000");
        W("cpu", SBX_CGC_CPU, "cpu.cfs_quota_us", "%ld", cfg->cpu_pct * 1000);
    }
    if (cfg->memory)
        W("memory", SBX_CGC_MEMORY, "memory.limit_in_bytes", "%llu", cfg->memory);
    if (cfg->memory_swap >= 0)
        W("memory", SBX_CGC_MEMORY, "memory.memsw.limit_in_bytes", "%llu",
          cfg->memory + (unsigned long long)cfg->memory_swap);
    if (cfg->pids)
        W("pids", SBX_CGC_PIDS, "pids.max", "%ld", cfg->pids);
    if (cfg->cpuset) {
        _cleanup_free_ char *mems = NULL;
        _cleanup_error_ sbx_error_t e2 = NULL;
        _cleanup_close_ int pfd = -1;
        h = v1_find(cg, "cpuset");
        pfd = openat(h->fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pfd < 0 || read_file_at(pfd, "cpuset.mems", &mems, &e2) < 0)
            mems = xstrdup("0");
        mems[strcspn(mems, "\n")] = '\0';
        W("cpuset", SBX_CGC_CPUSET, "cpuset.mems", "%s", mems);
        W("cpuset", SBX_CGC_CPUSET, "cpuset.cpus", "%s", cfg->cpuset);
    }
    if (cfg->io_weight) {
        /* v2 weights 1..10000 (default 100) -> v1 10..1000 (default 500), as systemd does */
        long v = cfg->io_weight * 5;
        v = v < 10 ? 10 : v > 1000 ? 1000 : v;
        h = v1_find(cg, "blkio");
        if (faccessat(h->fd, "blkio.weight", F_OK, 0) == 0)
            W("blkio", SBX_CGC_IO, "blkio.weight", "%ld", v);
        else
            W("blkio", SBX_CGC_IO, "blkio.bfq.weight", "%ld", v);
    }
#undef W
    return 0;
}

/* files a limit needs in the v1 hierarchy; checked before anything is created */
static int v1_check(struct sbx_cgroup *cg, int pfd, const char *ctrl, const char *dir,
                    sbx_error_t *err)
{
    const struct sbx_config *cfg = cg->cfg;
    _cleanup_free_ char *o = NULL;
    if (strcmp(ctrl, "memory") == 0 && cfg->memory_swap >= 0) {
        o = sbx_cg_option_text(cfg, SBX_CGC_MEMORY);
        if (!cfg->memory)
            return sbx_error(err, 0, "--memory-swap: needs --memory as well on cgroup v1");
        if (faccessat(pfd, "memory.memsw.limit_in_bytes", F_OK, 0) < 0)
            return sbx_error(err, 0,
                             "--memory-swap: %s/memory.memsw.limit_in_bytes is missing: swap "
                             "accounting is off (boot with swapaccount=1)",
                             dir);
    }
    if (strcmp(ctrl, "blkio") == 0 && cfg->io_weight &&
        faccessat(pfd, "blkio.weight", F_OK, 0) < 0 &&
        faccessat(pfd, "blkio.bfq.weight", F_OK, 0) < 0) {
        o = sbx_cg_option_text(cfg, SBX_CGC_IO);
        return sbx_error(err, 0,
                         "%s: %s/blkio.weight is missing (no proportional I/O weights: the "
                         "disks do not use the BFQ scheduler); use BFQ or drop --io-weight",
                         o, dir);
    }
    return 0;
}

int sbx_cg_fs1_prepare(struct sbx_cgroup *cg, int *severity, sbx_error_t *err)
{
    const struct sbx_config *cfg = cg->cfg;
    *severity = 0;
    {
        _cleanup_free_ char *m = NULL, *r = NULL;
        if (find_mount("cgroup", NULL, &m, &r) < 0)
            return sbx_error(err, 0, "no cgroup v1 hierarchy is mounted");
    }
    if (geteuid() != 0)
        return sbx_error(err, 0, "cgroup v1 needs root (uid %u)", (unsigned)geteuid());
    *severity = 1;
    for (size_t k = 0; k < ARRAY_SIZE(v1_ctrls); k++) {
        bool limit = (cg->need & v1_ctrls[k].limit) != 0;
        if (!limit && !(v1_ctrls[k].stats && cfg->stats_fd >= 0))
            continue;
        _cleanup_free_ char *mnt = NULL, *root = NULL, *self = NULL, *parent = NULL;
        if (find_mount("cgroup", v1_ctrls[k].name, &mnt, &root) < 0 ||
            (self = self_cgroup(v1_ctrls[k].name)) == NULL) {
            if (!limit)
                continue;
            _cleanup_free_ char *o = sbx_cg_option_text(cfg, v1_ctrls[k].limit);
            v1_fail(cg);
            return sbx_error(err, 0, "%s: no cgroup v1 %s hierarchy is mounted", o,
                             v1_ctrls[k].name);
        }
        parent = cgroup_dir(mnt, root, self);
        struct sbx_cg_v1 *h = NULL;
        for (size_t i = 0; i < cg->n_v1; i++)
            if (strncmp(cg->v1[i].dir, parent, strlen(parent)) == 0 &&
                cg->v1[i].dir[strlen(parent)] == '/')
                h = &cg->v1[i];
        if (h == NULL) {
            if (cg->n_v1 == SBX_CG_V1_MAX)
                continue;
            h = &cg->v1[cg->n_v1++];
            h->ctrl = v1_ctrls[k].name;
            h->dir = xasprintf("%s/%s", parent, cg->name);
            h->fd = -1;
            h->mask = 0;
            h->made = false;
            _cleanup_close_ int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (pfd < 0) {
                sbx_error(err, errno, "cgroup v1 %s", parent);
                return v1_fail(cg);
            }
            if (v1_check(cg, pfd, v1_ctrls[k].name, parent, err) < 0)
                return v1_fail(cg);
        }
        h->mask |= 1u << k;
    }
    /* every check passed: create */
    for (size_t i = 0; i < cg->n_v1; i++) {
        struct sbx_cg_v1 *h = &cg->v1[i];
        {
            _cleanup_free_ char *parent = xstrdup(h->dir);
            *strrchr(parent, '/') = '\0';
            sweep_stale(parent);
        }
        if (mkdir(h->dir, 0755) < 0) {
            _cleanup_free_ char *o = sbx_cg_first_option(cfg);
            sbx_error(err, errno, "%s: creating cgroup %s", o, h->dir);
            return v1_fail(cg);
        }
        h->made = true;
        h->fd = open(h->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (h->fd < 0) {
            _cleanup_free_ char *o = sbx_cg_first_option(cfg);
            sbx_error(err, errno, "%s: opening cgroup %s", o, h->dir);
            return v1_fail(cg);
        }
    }
    if (v1_limits(cg, err) < 0)
        return v1_fail(cg);
    cg->kind = SBX_CG_FS1;
    return 0;
}

/* ------------------------------------------------------------ common */

int sbx_cg_fs_attach(struct sbx_cgroup *cg, sbx_error_t *err)
{
    char pid[32];
    snprintf(pid, sizeof(pid), "%d", (int)cg->pid);
    if (cg->kind == SBX_CG_FS2) {
        if (sbx_cg_write(cg->dirfd, "cgroup.procs", pid) < 0) {
            _cleanup_free_ char *o = sbx_cg_first_option(cg->cfg);
            return sbx_error(err, errno, "%s: moving the sandbox into %s", o, cg->dir);
        }
        return 0;
    }
    for (size_t i = 0; i < cg->n_v1; i++)
        if (sbx_cg_write(cg->v1[i].fd, "cgroup.procs", pid) < 0) {
            _cleanup_free_ char *o = sbx_cg_first_option(cg->cfg);
            return sbx_error(err, errno, "%s: moving the sandbox into %s", o, cg->v1[i].dir);
        }
    return 0;
}

void sbx_cg_fs_stats(struct sbx_cgroup *cg, struct sbx_cg_stats *st)
{
    struct sbx_cg_v1 *h;
    if (cg->kind == SBX_CG_FS2) {
        sbx_cg_v2_stats(cg->dirfd, st);
        return;
    }
    if ((h = v1_find(cg, "cpuacct")) != NULL) {
        long long ns = sbx_cg_read_num(h->fd, "cpuacct.usage");
        st->cpu_usec = ns < 0 ? -1 : ns / 1000;
    }
    if ((h = v1_find(cg, "memory")) != NULL) {
        st->memory_peak = sbx_cg_read_num(h->fd, "memory.max_usage_in_bytes");
        st->oom_kills = sbx_cg_read_key(h->fd, "memory.oom_control", "oom_kill");
        if (st->oom_kills < 0 && sbx_cg_read_key(h->fd, "memory.oom_control", "under_oom") >= 0)
            /* kernels before 4.13 have no counter: failures at the limit are the hint */
            st->oom_kills = sbx_cg_read_num(h->fd, "memory.failcnt") > 0 ? 1 : 0;
    }
    if ((h = v1_find(cg, "pids")) != NULL)
        st->pids_max_events = sbx_cg_read_key(h->fd, "pids.events", "max");
}

int sbx_cg_fs_remove(struct sbx_cgroup *cg, sbx_error_t *err)
{
    int r = 0;
    if (cg->kind == SBX_CG_FS1 || cg->n_v1) {
        for (size_t i = 0; i < cg->n_v1; i++) {
            struct sbx_cg_v1 *h = &cg->v1[i];
            if (!h->made)
                continue;
            sbx_cg_kill_all(h->fd);
            if (sbx_cg_rmdir(h->dir) < 0 && r == 0)
                r = sbx_error(err, errno, "removing cgroup %s", h->dir);
            h->made = false;
        }
        return r;
    }
    if (cg->made_dir) {
        sbx_cg_kill_all(cg->dirfd);
        if (sbx_cg_rmdir(cg->dir) < 0)
            r = sbx_error(err, errno, "removing cgroup %s", cg->dir);
        cg->made_dir = false;
    }
    for (unsigned c = 1; c < (1u << SBX_CGC_COUNT); c <<= 1) {
        if (!(cg->enabled & c))
            continue;
        char val[32];
        snprintf(val, sizeof(val), "-%s", sbx_cg_ctrl_name(c));
        sbx_cg_write(cg->parent_fd, "cgroup.subtree_control", val);
    }
    cg->enabled = 0;
    if (cg->moved_mon) {
        char pid[32];
        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        if (sbx_cg_write(cg->parent_fd, "cgroup.procs", pid) < 0 && r == 0)
            r = sbx_error(err, errno, "moving sbx back into cgroup %s", cg->parent);
        cg->moved_mon = false;
    }
    if (cg->made_mon) {
        _cleanup_free_ char *mon = xasprintf("%s/%s.monitor", cg->parent, cg->name);
        if (sbx_cg_rmdir(mon) < 0 && r == 0)
            r = sbx_error(err, errno, "removing cgroup %s", mon);
        cg->made_mon = false;
    }
    return r;
}
