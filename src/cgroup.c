/* cgroup.c - resource limits: which backend enforces them, the common
 * steps (stats, OOM report, removal) and small cgroupfs helpers.
 * Backends: cgroup-systemd.c (transient scope over sd-bus), cgroup-fs.c
 * (cgroupfs v2 in a delegated subtree, cgroupfs v1 as root). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "cgroup.h"

bool sbx_cgroup_wanted(const struct sbx_config *cfg)
{
    return cfg->cpu_pct || cfg->memory || cfg->memory_swap >= 0 || cfg->pids || cfg->cpuset ||
           cfg->io_weight || cfg->stats_fd >= 0;
}

/* ------------------------------------------------------------ messages */

char *sbx_cg_size_text(unsigned long long b)
{
    static const char units[] = "TGMK";
    for (int i = 0; i < 4; i++) {
        unsigned long long u = 1ULL << (10 * (4 - i));
        if (b >= u && b % u == 0)
            return xasprintf("%llu%c", b / u, units[i]);
    }
    return xasprintf("%llu", b);
}

const char *sbx_cg_ctrl_name(unsigned c)
{
    switch (c) {
    case SBX_CGC_CPU:
        return "cpu";
    case SBX_CGC_MEMORY:
        return "memory";
    case SBX_CGC_PIDS:
        return "pids";
    case SBX_CGC_CPUSET:
        return "cpuset";
    case SBX_CGC_IO:
        return "io";
    default:
        return "?";
    }
}

char *sbx_cg_option_text(const struct sbx_config *cfg, unsigned c)
{
    switch (c) {
    case SBX_CGC_CPU:
        return xasprintf("--cpu %ld%%", cfg->cpu_pct);
    case SBX_CGC_MEMORY:
        if (cfg->memory) {
            _cleanup_free_ char *s = sbx_cg_size_text(cfg->memory);
            return xasprintf("--memory %s", s);
        } else {
            _cleanup_free_ char *s = sbx_cg_size_text((unsigned long long)cfg->memory_swap);
            return xasprintf("--memory-swap %s", s);
        }
    case SBX_CGC_PIDS:
        return xasprintf("--pids %ld", cfg->pids);
    case SBX_CGC_CPUSET:
        return xasprintf("--cpuset %s", cfg->cpuset);
    case SBX_CGC_IO:
        return xasprintf("--io-weight %ld", cfg->io_weight);
    default:
        return xasprintf("--stats-fd %d", cfg->stats_fd);
    }
}

static unsigned needed_controllers(const struct sbx_config *cfg)
{
    unsigned m = 0;
    if (cfg->cpu_pct)
        m |= SBX_CGC_CPU;
    if (cfg->memory || cfg->memory_swap >= 0)
        m |= SBX_CGC_MEMORY;
    if (cfg->pids)
        m |= SBX_CGC_PIDS;
    if (cfg->cpuset)
        m |= SBX_CGC_CPUSET;
    if (cfg->io_weight)
        m |= SBX_CGC_IO;
    return m;
}

char *sbx_cg_first_option(const struct sbx_config *cfg)
{
    unsigned m = needed_controllers(cfg);
    for (unsigned c = 1; c < (1u << SBX_CGC_COUNT); c <<= 1)
        if (m & c)
            return sbx_cg_option_text(cfg, c);
    return sbx_cg_option_text(cfg, 0);
}

/* --cpuset must name CPUs this process may use: a kernel that is handed
 * others refuses the write (cgroupfs) or systemd ignores it (a silent no-op). */
static int check_cpuset(const struct sbx_config *cfg, sbx_error_t *err)
{
    _cleanup_free_ unsigned char *mask = NULL;
    size_t len = 0;
    cpu_set_t allowed;
    if (cfg->cpuset == NULL)
        return 0;
    if (parse_cpu_list(cfg->cpuset, &mask, &len) < 0)
        return sbx_error(err, 0, "--cpuset %s: not a CPU list (e.g. 0-1,3)", cfg->cpuset);
    if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0)
        return sbx_error(err, errno, "--cpuset %s: sched_getaffinity", cfg->cpuset);
    for (size_t i = 0; i < len * 8; i++) {
        if (!(mask[i / 8] & (1u << (i % 8))))
            continue;
        if (i >= CPU_SETSIZE || !CPU_ISSET(i, &allowed)) {
            char have[256] = "";
            size_t o = 0;
            for (int c = 0; c < CPU_SETSIZE && o + 12 < sizeof(have); c++)
                if (CPU_ISSET(c, &allowed))
                    o += (size_t)snprintf(have + o, sizeof(have) - o, "%s%d", o ? "," : "", c);
            return sbx_error(err, 0, "--cpuset %s: CPU %zu is not available here (CPUs: %s)",
                             cfg->cpuset, i, have);
        }
    }
    return 0;
}

/* ------------------------------------------------------------ file helpers */

static char *read_small(int dirfd, const char *file)
{
    return read_text_at(dirfd, file, 4095);
}

long long sbx_cg_read_num(int dirfd, const char *file)
{
    _cleanup_free_ char *s = read_small(dirfd, file);
    if (s == NULL)
        return -1;
    if (strncmp(s, "max", 3) == 0)
        return -1;
    return strtoll(s, NULL, 10);
}

long long sbx_cg_read_key(int dirfd, const char *file, const char *key)
{
    _cleanup_free_ char *s = read_small(dirfd, file);
    if (s == NULL)
        return -1;
    size_t kl = strlen(key);
    for (char *line = s; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, key, kl) == 0 && line[kl] == ' ')
            return strtoll(line + kl + 1, NULL, 10);
    return -1;
}

int sbx_cg_write(int dirfd, const char *file, const char *value)
{
    _cleanup_close_ int fd = openat(dirfd, file, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (write(fd, value, strlen(value)) < 0)
        return -1;
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

void sbx_cg_kill_all(int dirfd)
{
    if (dirfd < 0)
        return;
    bool has_kill = faccessat(dirfd, "cgroup.kill", F_OK, 0) == 0;
    for (int round = 0; round < 400; round++) { /* ~2 s */
        _cleanup_free_ char *procs = read_small(dirfd, "cgroup.procs");
        if (procs == NULL || procs[0] == '\0')
            return;
        if (round == 0 && has_kill)
            sbx_cg_write(dirfd, "cgroup.kill", "1");
        else if (round % 20 == 0)
            for (char *p = procs; *p;) {
                char *end;
                long pid = strtol(p, &end, 10);
                if (end == p)
                    break;
                if (pid > 0)
                    kill((pid_t)pid, SIGKILL);
                p = end + (*end == '\n');
            }
        sleep_ms(5);
    }
}

int sbx_cg_rmdir(const char *path)
{
    for (int i = 0; i < 200; i++) { /* ~1 s: exiting tasks leave the cgroup late */
        if (rmdir(path) == 0 || errno == ENOENT)
            return 0;
        if (errno != EBUSY)
            return -1;
        sleep_ms(5);
    }
    errno = EBUSY;
    return -1;
}

/* ------------------------------------------------------------ backend choice */

static char *sandbox_name(const struct sbx_config *cfg)
{
    return xasprintf("sbx-%d", (int)getpid());
}

int sbx_cgroup_prepare(const struct sbx_config *cfg, struct sbx_cgroup **cgp, sbx_error_t *err)
{
    *cgp = NULL;
    if (!sbx_cgroup_wanted(cfg))
        return 0;
    if (check_cpuset(cfg, err) < 0)
        return -1;

    struct sbx_cgroup *cg = xmalloc0(sizeof(*cg));
    cg->cfg = cfg;
    cg->need = needed_controllers(cfg);
    cg->name = sandbox_name(cfg);
    cg->dirfd = cg->parent_fd = cg->mon_fd = -1;

    _cleanup_error_ sbx_error_t e_sd = NULL, e_v2 = NULL, e_v1 = NULL;
    int sev = 0;
    if (cfg->cgroup_backend != CG_CGROUPFS) {
        if (sbx_cg_systemd_prepare(cg, &sev, &e_sd) == 0)
            goto chosen;
        sbx_cg_systemd_free(cg);
        if (sev > 0 || cfg->cgroup_backend == CG_SYSTEMD) {
            *err = steal_pointer(&e_sd);
            goto fail;
        }
        sbx_debug("cgroup: systemd backend not usable: %s", e_sd->msg);
    }
    if (sbx_cg_fs2_prepare(cg, &sev, &e_v2) == 0)
        goto chosen;
    if (sev > 0) {
        *err = steal_pointer(&e_v2);
        goto fail;
    }
    sbx_debug("cgroup: cgroupfs v2 not usable: %s", e_v2->msg);
    if (sbx_cg_fs1_prepare(cg, &sev, &e_v1) == 0)
        goto chosen;
    if (sev > 0) {
        *err = steal_pointer(&e_v1);
        goto fail;
    }
    sbx_debug("cgroup: cgroupfs v1 not usable: %s", e_v1->msg);
    {
        _cleanup_free_ char *opt = sbx_cg_first_option(cfg);
        if (cfg->cgroup_backend == CG_CGROUPFS)
            sbx_error(err, 0, "%s: no usable cgroup filesystem (--cgroup-backend cgroupfs): %s; %s",
                      opt, e_v2->msg, e_v1->msg);
        else
            sbx_error(err, 0,
                      "%s: no way to enforce resource limits here: %s; %s; %s (run sbx in a "
                      "systemd user session, in a delegated cgroup v2 subtree, or as root)",
                      opt, e_sd->msg, e_v2->msg, e_v1->msg);
    }
fail:
    sbx_cgroup_free(cg);
    return -1;

chosen:
    sbx_debug("cgroup: backend %s, %s", sbx_cgroup_backend_name(cg), cg->name);
    *cgp = cg;
    return 0;
}

int sbx_cgroup_attach(struct sbx_cgroup *cg, pid_t pid, sbx_error_t *err)
{
    if (cg == NULL)
        return 0;
    cg->pid = pid;
    if (cg->kind == SBX_CG_SYSTEMD)
        return sbx_cg_systemd_attach(cg, err);
    return sbx_cg_fs_attach(cg, err);
}

int sbx_cgroup_wait_attached(struct sbx_cgroup *cg, sbx_error_t *err)
{
    if (cg == NULL)
        return 0;
    if (cg->kind == SBX_CG_SYSTEMD)
        return sbx_cg_systemd_wait(cg, err);
    return 0;
}

const char *sbx_cgroup_backend_name(const struct sbx_cgroup *cg)
{
    if (cg == NULL)
        return "none";
    switch (cg->kind) {
    case SBX_CG_SYSTEMD:
        return "systemd";
    case SBX_CG_FS2:
        return "cgroupfs-v2";
    case SBX_CG_FS1:
        return "cgroupfs-v1";
    default:
        return "none";
    }
}

static void json_num(FILE *f, const char *key, long long v, bool last)
{
    if (v < 0)
        fprintf(f, "\"%s\":null%s", key, last ? "" : ",");
    else
        fprintf(f, "\"%s\":%lld%s", key, v, last ? "" : ",");
}

static int write_stats(const struct sbx_cgroup *cg, const struct sbx_cg_stats *st, int wstatus,
                       sbx_error_t *err)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return sbx_error(err, errno, "--stats-fd %d: open_memstream", cg->cfg->stats_fd);
    fprintf(f, "{\"backend\":\"%s\",", sbx_cgroup_backend_name(cg));
    json_num(f, "cpu_usage_usec", st->cpu_usec, false);
    json_num(f, "memory_peak_bytes", st->memory_peak, false);
    json_num(f, "oom_kills", st->oom_kills, false);
    json_num(f, "pids_max_events", st->pids_max_events, false);
    if (WIFEXITED(wstatus))
        fprintf(f, "\"exit_code\":%d}\n", WEXITSTATUS(wstatus));
    else
        fprintf(f, "\"signal\":%d}\n", WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
    fclose(f);
    int r = write_all(cg->cfg->stats_fd, buf, len);
    int saved = errno;
    free(buf);
    if (r < 0)
        return sbx_error(err, saved, "--stats-fd %d", cg->cfg->stats_fd);
    return 0;
}

static int remove_all(struct sbx_cgroup *cg, sbx_error_t *err)
{
    if (cg->removed)
        return 0;
    cg->removed = true;
    if (cg->kind == SBX_CG_SYSTEMD)
        return sbx_cg_systemd_remove(cg, err);
    return sbx_cg_fs_remove(cg, err);
}

int sbx_cgroup_finish(struct sbx_cgroup *cg, int wstatus, sbx_error_t *err)
{
    if (cg == NULL)
        return 0;
    struct sbx_cg_stats st = {-1, -1, -1, -1};
    if (cg->kind == SBX_CG_SYSTEMD)
        sbx_cg_v2_stats(cg->dirfd, &st);
    else
        sbx_cg_fs_stats(cg, &st);
    sbx_debug("cgroup: cpu %lld usec, memory peak %lld, oom kills %lld, pids.max hits %lld",
              st.cpu_usec, st.memory_peak, st.oom_kills, st.pids_max_events);

    int r = 0;
    if (cg->cfg->stats_fd >= 0)
        r = write_stats(cg, &st, wstatus, err);
    bool killed = (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL) ||
                  (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 128 + SIGKILL);
    if (killed && st.oom_kills > 0 && r == 0) {
        if (cg->cfg->memory) {
            _cleanup_free_ char *lim = sbx_cg_size_text(cg->cfg->memory);
            sbx_error(err, 0, "killed by the kernel OOM killer: memory limit %s reached", lim);
        } else {
            sbx_error(err, 0, "killed by the kernel OOM killer");
        }
        (*err)->status = 128 + SIGKILL;
        r = 1;
    }
    if (remove_all(cg, r == 0 ? err : NULL) < 0 && r == 0)
        r = -1;
    return r;
}

void sbx_cgroup_free(struct sbx_cgroup *cg)
{
    if (cg == NULL)
        return;
    if (cg->kind != SBX_CG_NONE)
        remove_all(cg, NULL);
    sbx_cg_systemd_free(cg);
    if (cg->dirfd >= 0)
        close(cg->dirfd);
    if (cg->parent_fd >= 0)
        close(cg->parent_fd);
    if (cg->mon_fd >= 0)
        close(cg->mon_fd);
    for (size_t i = 0; i < cg->n_v1; i++) {
        if (cg->v1[i].fd >= 0)
            close(cg->v1[i].fd);
        free(cg->v1[i].dir);
    }
    free(cg->dir);
    free(cg->parent);
    free(cg->name);
    free(cg);
}
