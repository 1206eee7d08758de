/* cgroup-systemd.c - limits as a transient scope unit: StartTransientUnit
 * of sbx-NAME.scope on the user manager (the system manager for root) with
 * PIDs=[sandbox], Delegate=yes and the limits as unit properties, the way
 * `systemd-run --user --scope` does it, without starting a program. The
 * call goes out right after clone() (attach) and its job is awaited just
 * before the command is released (wait), so the round trip overlaps with
 * the sandbox's own setup. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/statfs.h>
#include <time.h>
#include <linux/magic.h>

#include "cgroup.h"

#ifndef HAVE_SYSTEMD

int sbx_cg_systemd_prepare(struct sbx_cgroup *cg, int *severity, sbx_error_t *err)
{
    *severity = cg->cfg->cgroup_backend == CG_SYSTEMD;
    if (*severity)
        return sbx_error(err, 0, "--cgroup-backend systemd: not built with libsystemd");
    return sbx_error(err, 0, "systemd backend: not built with libsystemd");
}

int sbx_cg_systemd_attach(struct sbx_cgroup *cg, sbx_error_t *err)
{
    return sbx_error(err, 0, "--cgroup-backend systemd: not built with libsystemd");
}
int sbx_cg_systemd_wait(struct sbx_cgroup *cg, sbx_error_t *err)
{
    return 0;
}
int sbx_cg_systemd_remove(struct sbx_cgroup *cg, sbx_error_t *err)
{
    return 0;
}
void sbx_cg_systemd_free(struct sbx_cgroup *cg) {}

#else
#include <systemd/sd-bus.h>
#include <dlfcn.h>

/* libsystemd, and the compression and crypto libraries it pulls in, is
 * loaded only when a sandbox asks for limits through systemd: every other
 * start of sbx saves their dynamic linking (about 2 ms here). */
#define SD_SYMBOLS(X)                                                                              \
    X(sd_bus_call_async)                                                                           \
    X(sd_bus_call_method)                                                                          \
    X(sd_bus_call_method_async)                                                                    \
    X(sd_bus_error_free)                                                                           \
    X(sd_bus_error_has_name)                                                                       \
    X(sd_bus_flush)                                                                                \
    X(sd_bus_flush_close_unref)                                                                    \
    X(sd_bus_match_signal_async)                                                                   \
    X(sd_bus_message_append)                                                                       \
    X(sd_bus_message_append_array)                                                                 \
    X(sd_bus_message_close_container)                                                              \
    X(sd_bus_message_get_error)                                                                    \
    X(sd_bus_message_is_method_error)                                                              \
    X(sd_bus_message_new_method_call)                                                              \
    X(sd_bus_message_open_container)                                                               \
    X(sd_bus_message_read)                                                                         \
    X(sd_bus_message_unref)                                                                        \
    X(sd_bus_new)                                                                                  \
    X(sd_bus_open_system)                                                                          \
    X(sd_bus_open_user)                                                                            \
    X(sd_bus_process)                                                                              \
    X(sd_bus_set_address)                                                                          \
    X(sd_bus_slot_unref)                                                                           \
    X(sd_bus_start)                                                                                \
    X(sd_bus_unref)                                                                                \
    X(sd_bus_wait)
#define DECLARE_SYM(name) static __typeof__(name) *sym_##name;
SD_SYMBOLS(DECLARE_SYM)

static void *libsystemd;

static int load_libsystemd(const char *pre, sbx_error_t *err)
{
    if (libsystemd != NULL)
        return 0;
    void *l = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    if (l == NULL)
        return sbx_error(err, 0, "%scannot load libsystemd.so.0: %s", pre, dlerror());
#define LOAD_SYM(name)                                                                             \
    if ((sym_##name = (__typeof__(sym_##name))dlsym(l, #name)) == NULL) {                          \
        dlclose(l);                                                                                \
        return sbx_error(err, 0, "%slibsystemd.so.0 has no %s", pre, #name);                       \
    }
    SD_SYMBOLS(LOAD_SYM)
#undef LOAD_SYM
    libsystemd = l;
    return 0;
}

static void message_unrefp(sd_bus_message **m)
{
    if (*m)
        sym_sd_bus_message_unref(*m);
}

#define sd_bus_call_async              sym_sd_bus_call_async
#define sd_bus_call_method             sym_sd_bus_call_method
#define sd_bus_call_method_async       sym_sd_bus_call_method_async
#define sd_bus_error_free              sym_sd_bus_error_free
#define sd_bus_error_has_name          sym_sd_bus_error_has_name
#define sd_bus_flush                   sym_sd_bus_flush
#define sd_bus_flush_close_unref       sym_sd_bus_flush_close_unref
#define sd_bus_match_signal_async      sym_sd_bus_match_signal_async
#define sd_bus_message_append          sym_sd_bus_message_append
#define sd_bus_message_append_array    sym_sd_bus_message_append_array
#define sd_bus_message_close_container sym_sd_bus_message_close_container
#define sd_bus_message_get_error       sym_sd_bus_message_get_error
#define sd_bus_message_is_method_error sym_sd_bus_message_is_method_error
#define sd_bus_message_new_method_call sym_sd_bus_message_new_method_call
#define sd_bus_message_open_container  sym_sd_bus_message_open_container
#define sd_bus_message_read            sym_sd_bus_message_read
#define sd_bus_message_unref           sym_sd_bus_message_unref
#define sd_bus_new                     sym_sd_bus_new
#define sd_bus_open_system             sym_sd_bus_open_system
#define sd_bus_open_user               sym_sd_bus_open_user
#define sd_bus_process                 sym_sd_bus_process
#define sd_bus_set_address             sym_sd_bus_set_address
#define sd_bus_slot_unref              sym_sd_bus_slot_unref
#define sd_bus_start                   sym_sd_bus_start
#define sd_bus_unref                   sym_sd_bus_unref
#define sd_bus_wait                    sym_sd_bus_wait

#define SD_DEST          "org.freedesktop.systemd1"
#define SD_PATH          "/org/freedesktop/systemd1"
#define SD_IFACE         "org.freedesktop.systemd1.Manager"
/* generous: the VM tier emulates the CPU */
#define JOB_TIMEOUT_USEC (20ULL * 1000000ULL)

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000ULL;
}

static char *read_line(const char *path)
{
    _cleanup_free_ char *s = NULL;
    _cleanup_error_ sbx_error_t e = NULL;
    if (read_file_at(AT_FDCWD, path, &s, &e) < 0)
        return NULL;
    s[strcspn(s, "\n")] = '\0';
    return steal_pointer(&s);
}

static bool has_word(const char *list, const char *w)
{
    size_t wl = strlen(w);
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if (n == wl && strncmp(p, w, wl) == 0)
            return true;
        p += n;
        p += *p == ' ';
    }
    return false;
}

int sbx_cg_systemd_prepare(struct sbx_cgroup *cg, int *severity, sbx_error_t *err)
{
    const bool explicit = cg->cfg->cgroup_backend == CG_SYSTEMD;
    const char *pre = explicit ? "--cgroup-backend systemd: " : "";
    uid_t uid = geteuid();
    struct statfs sfs;
    _cleanup_free_ char *ctrl_file = NULL, *ctrls = NULL;

    *severity = explicit;
    if (access("/run/systemd/system", F_OK) < 0)
        return sbx_error(err, 0, "%ssystemd is not running (no /run/systemd/system)", pre);
    if (statfs("/sys/fs/cgroup", &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC)
        return sbx_error(err, 0,
                         "%ssystemd cannot delegate limits on this host: /sys/fs/cgroup is not "
                         "the unified cgroup v2 hierarchy",
                         pre);
    if (load_libsystemd(pre, err) < 0)
        return -1;
    if (uid == 0) {
        cg->bus_user = false;
        if (access("/run/systemd/private", W_OK) == 0) {
            cg->bus_is_private = true;
            cg->bus_desc = xstrdup("unix:path=/run/systemd/private");
        }
        ctrl_file = xstrdup("/sys/fs/cgroup/cgroup.controllers");
    } else {
        const char *rt = getenv("XDG_RUNTIME_DIR"), *dbus = getenv("DBUS_SESSION_BUS_ADDRESS");
        cg->bus_user = true;
        if (rt && rt[0] == '/') {
            _cleanup_free_ char *p = xasprintf("%s/systemd/private", rt);
            if (access(p, W_OK) == 0) {
                cg->bus_is_private = true;
                cg->bus_desc = xasprintf("unix:path=%s", p);
            }
        }
        if (!cg->bus_is_private) {
            _cleanup_free_ char *b = rt ? xasprintf("%s/bus", rt) : NULL;
            if (!(dbus && dbus[0]) && !(b && access(b, W_OK) == 0))
                return sbx_error(err, 0,
                                 rt ? "%sno systemd user manager to ask: no user bus at %s/bus"
                                    : "%sno systemd user manager to ask: no user bus "
                                      "(XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS are unset)%s",
                                 pre, rt ? rt : "");
        }
        ctrl_file = xasprintf("/sys/fs/cgroup/user.slice/user-%u.slice/user@%u.service/"
                              "cgroup.controllers",
                              (unsigned)uid, (unsigned)uid);
    }
    ctrls = read_line(ctrl_file);
    if (ctrls == NULL)
        return sbx_error(err, errno, "%scannot read %s (is user@%u.service running?)", pre,
                         ctrl_file, (unsigned)uid);
    /* A limit whose controller the manager does not have is accepted by
     * systemd and then silently not enforced: refuse before starting. */
    for (unsigned c = 1; c < (1u << SBX_CGC_COUNT); c <<= 1) {
        if (!(cg->need & c) || has_word(ctrls, sbx_cg_ctrl_name(c)))
            continue;
        _cleanup_free_ char *o = sbx_cg_option_text(cg->cfg, c);
        *severity = 1;
        if (uid != 0)
            return sbx_error(err, 0,
                             "%s: the %s controller is not delegated to your systemd user manager "
                             "(user@%u.service has: %s); an administrator can delegate it with a "
                             "drop-in /etc/systemd/system/user@.service.d/delegate.conf "
                             "containing \"[Service]\" and \"Delegate=cpu cpuset io memory pids\"",
                             o, sbx_cg_ctrl_name(c), (unsigned)uid, ctrls[0] ? ctrls : "none");
        return sbx_error(err, 0, "%s: the %s controller is not available (%s: %s)", o,
                         sbx_cg_ctrl_name(c), ctrl_file, ctrls[0] ? ctrls : "none");
    }
    cg->unit = xasprintf("%s.scope", cg->name);
    cg->kind = SBX_CG_SYSTEMD;
    return 0;
}

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct sbx_cgroup *cg = userdata;
    uint32_t id;
    const char *path, *unit, *result;
    if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
        return 0;
    if (cg->unit == NULL || strcmp(unit, cg->unit) != 0)
        return 0;
    cg->jobs = xrealloc(cg->jobs, (cg->n_jobs + 1) * sizeof(*cg->jobs));
    cg->jobs[cg->n_jobs].path = xstrdup(path);
    cg->jobs[cg->n_jobs].result = xstrdup(result);
    cg->n_jobs++;
    return 0;
}

static int on_start_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    struct sbx_cgroup *cg = userdata;
    const char *path;
    cg->start_replied = true;
    if (sd_bus_message_is_method_error(m, NULL)) {
        const sd_bus_error *e = sd_bus_message_get_error(m);
        cg->start_error = xstrdup(e && e->message ? e->message : e ? e->name : "error");
    } else if (sd_bus_message_read(m, "o", &path) >= 0) {
        cg->start_job = xstrdup(path);
    } else {
        cg->start_error = xstrdup("unreadable reply");
    }
    return 0;
}

static const char *job_result(struct sbx_cgroup *cg, const char *path)
{
    for (size_t i = 0; path && i < cg->n_jobs; i++)
        if (strcmp(cg->jobs[i].path, path) == 0)
            return cg->jobs[i].result;
    return NULL;
}

static int append_props(struct sbx_cgroup *cg, sd_bus_message *m)
{
    const struct sbx_config *cfg = cg->cfg;
    int r;
    _cleanup_free_ char *desc = xasprintf("sbx sandbox %s", cg->name);
#define P(name, sig, ...)                                                                          \
    do {                                                                                           \
        r = sd_bus_message_append(m, "(sv)", name, sig, __VA_ARGS__);                              \
        if (r < 0)                                                                                 \
            return r;                                                                              \
    } while (0)
    P("Description", "s", desc);
    P("PIDs", "au", 2, (uint32_t)cg->pid, (uint32_t)cg->keeper);
    P("Delegate", "b", 1);
    /* a failed (e.g. OOM-killed) scope must not stay behind as "failed" */
    P("CollectMode", "s", "inactive-or-failed");
    /* stopping the scope (sbx is done) kills leftovers at once */
    P("KillSignal", "i", SIGKILL);
    /* let sbx report an OOM kill itself instead of systemd stopping the scope */
    P("OOMPolicy", "s", "continue");
    /* CPUQuota comes in wait, once the sandbox is built: a quota in place
     * during its setup would throttle sbx's own start-up, not user code */
    if (cfg->memory)
        P("MemoryMax", "t", (uint64_t)cfg->memory);
    if (cfg->memory_swap >= 0)
        P("MemorySwapMax", "t", (uint64_t)cfg->memory_swap);
    if (cfg->pids)
        P("TasksMax", "t", (uint64_t)cfg->pids + 1); /* + the keeper */
    if (cfg->io_weight)
        P("IOWeight", "t", (uint64_t)cfg->io_weight);
#undef P
    if (cfg->cpuset) {
        _cleanup_free_ unsigned char *mask = NULL;
        size_t len = 0;
        if (parse_cpu_list(cfg->cpuset, &mask, &len) < 0)
            return -EINVAL;
        if ((r = sd_bus_message_open_container(m, 'r', "sv")) < 0 ||
            (r = sd_bus_message_append(m, "s", "AllowedCPUs")) < 0 ||
            (r = sd_bus_message_open_container(m, 'v', "ay")) < 0 ||
            (r = sd_bus_message_append_array(m, 'y', mask, len)) < 0 ||
            (r = sd_bus_message_close_container(m)) < 0 ||
            (r = sd_bus_message_close_container(m)) < 0)
            return r;
    }
    return 0;
}

/* The keeper: a forked copy of the monitor that only waits to be killed
 * (by sbx after reading the stats, or by PDEATHSIG with the monitor). */
static pid_t spawn_keeper(void)
{
    pid_t parent = getpid();
    pid_t k = fork();
    if (k != 0)
        return k;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);
    syscall(SYS_close_range, 0U, ~0U, 0U);
    for (;;)
        pause();
}

static void stop_keeper(struct sbx_cgroup *cg)
{
    if (cg->keeper <= 0)
        return;
    kill(cg->keeper, SIGKILL);
    while (waitpid(cg->keeper, NULL, 0) < 0 && errno == EINTR)
        ;
    cg->keeper = 0;
}

int sbx_cg_systemd_attach(struct sbx_cgroup *cg, sbx_error_t *err)
{
    sd_bus *bus = NULL;
    _cleanup_free_ char *opt = sbx_cg_first_option(cg->cfg);
    const char *who = cg->bus_user ? "user" : "system";
    int r;

    if (cg->bus_is_private) {
        if ((r = sd_bus_new(&bus)) >= 0 && (r = sd_bus_set_address(bus, cg->bus_desc)) >= 0)
            r = sd_bus_start(bus);
    } else {
        r = cg->bus_user ? sd_bus_open_user(&bus) : sd_bus_open_system(&bus);
    }
    if (r < 0) {
        sd_bus_unref(bus);
        return sbx_error(err, -r, "%s: connecting to the systemd %s manager", opt, who);
    }
    cg->bus = bus;
    cg->keeper = spawn_keeper();
    if (cg->keeper < 0) {
        cg->keeper = 0;
        return sbx_error(err, errno, "%s: fork", opt);
    }
    /* The match goes first: the broker (or systemd itself, on the private
     * socket) handles our messages in order, so no JobRemoved is missed. */
    r = sd_bus_match_signal_async(bus, (sd_bus_slot **)&cg->match_slot,
                                  cg->bus_is_private ? NULL : SD_DEST, SD_PATH, SD_IFACE,
                                  "JobRemoved", on_job_removed, NULL, cg);
    if (r >= 0 && !cg->bus_is_private) /* systemd signals on the bus only to subscribers */
        r = sd_bus_call_method_async(bus, NULL, SD_DEST, SD_PATH, SD_IFACE, "Subscribe", NULL, NULL,
                                     NULL);
    __attribute__((cleanup(message_unrefp))) sd_bus_message *m = NULL;
    if (r >= 0)
        r = sd_bus_message_new_method_call(bus, &m, SD_DEST, SD_PATH, SD_IFACE,
                                           "StartTransientUnit");
    if (r >= 0)
        r = sd_bus_message_append(m, "ss", cg->unit, "fail");
    if (r >= 0)
        r = sd_bus_message_open_container(m, 'a', "(sv)");
    if (r >= 0)
        r = append_props(cg, m);
    if (r >= 0)
        r = sd_bus_message_close_container(m);
    if (r >= 0)
        r = sd_bus_message_append(m, "a(sa(sv))", 0);
    if (r >= 0)
        r = sd_bus_call_async(bus, (sd_bus_slot **)&cg->call_slot, m, on_start_reply, cg,
                              JOB_TIMEOUT_USEC);
    if (r >= 0)
        r = sd_bus_flush(bus);
    if (r < 0)
        return sbx_error(err, -r, "%s: asking the systemd %s manager for %s", opt, who, cg->unit);
    sbx_debug("cgroup: StartTransientUnit %s sent (%s)", cg->unit,
              cg->bus_is_private ? cg->bus_desc : "bus");
    return 0;
}

/* run the bus until done(cg, arg) or the deadline */
static int run_until(struct sbx_cgroup *cg, bool (*done)(struct sbx_cgroup *, const void *),
                     const void *arg, const char *opt, sbx_error_t *err)
{
    uint64_t deadline = now_usec() + JOB_TIMEOUT_USEC;
    while (!done(cg, arg)) {
        int r = sd_bus_process(cg->bus, NULL);
        if (r < 0)
            return sbx_error(err, -r, "%s: connection to systemd (%s)", opt, cg->unit);
        if (r > 0)
            continue;
        uint64_t now = now_usec();
        if (now >= deadline)
            return sbx_error(err, 0, "%s: systemd did not finish the job for %s within %llu s", opt,
                             cg->unit, JOB_TIMEOUT_USEC / 1000000ULL);
        r = sd_bus_wait(cg->bus, deadline - now);
        if (r < 0 && r != -EINTR)
            return sbx_error(err, -r, "%s: waiting for systemd (%s)", opt, cg->unit);
    }
    return 0;
}

static bool start_done(struct sbx_cgroup *cg, const void *arg)
{
    return cg->start_error || (cg->start_job && job_result(cg, cg->start_job));
}

static bool job_done(struct sbx_cgroup *cg, const void *arg)
{
    return job_result(cg, arg) != NULL;
}

int sbx_cg_systemd_wait(struct sbx_cgroup *cg, sbx_error_t *err)
{
    _cleanup_free_ char *opt = sbx_cg_first_option(cg->cfg);
    if (cg->bus == NULL)
        return sbx_error(err, 0, "%s: not attached", opt);
    if (run_until(cg, start_done, NULL, opt, err) < 0)
        return -1;
    if (cg->start_error)
        return sbx_error(err, 0, "%s: systemd refused %s: %s", opt, cg->unit, cg->start_error);
    const char *res = job_result(cg, cg->start_job);
    if (strcmp(res, "done") != 0)
        return sbx_error(err, 0, "%s: systemd could not start %s (job result: %s)", opt, cg->unit,
                         res);

    if (cg->cfg->cpu_pct) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *o = sbx_cg_option_text(cg->cfg, SBX_CGC_CPU);
        int r = sd_bus_call_method(cg->bus, SD_DEST, SD_PATH, SD_IFACE, "SetUnitProperties", &e,
                                   NULL, "sba(sv)", cg->unit, 1, 1, "CPUQuotaPerSecUSec", "t",
                                   (uint64_t)cg->cfg->cpu_pct * 10000ULL);
        if (r < 0) {
            sbx_error(err, -r, "%s: setting the CPU quota of %s%s%s", o, cg->unit,
                      e.message ? ": " : "", e.message ? e.message : "");
            sd_bus_error_free(&e);
            return -1;
        }
    }
    /* The sandbox must sit in the scope now, with its limits in place. */
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)cg->pid);
    _cleanup_free_ char *line = read_line(path);
    size_t ul = strlen(cg->unit), ll = line ? strlen(line) : 0;
    if (line == NULL || strncmp(line, "0::/", 4) != 0 || ll < ul + 1 ||
        strcmp(line + ll - ul, cg->unit) != 0 || line[ll - ul - 1] != '/')
        return sbx_error(err, 0, "%s: the sandbox is not in %s (its cgroup: %s)", opt, cg->unit,
                         line ? line : "unknown");
    free(cg->dir);
    cg->dir = xasprintf("/sys/fs/cgroup%s", line + 3);
    cg->dirfd = open(cg->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cg->dirfd < 0)
        return sbx_error(err, errno, "%s: %s", opt, cg->dir);
    static const struct {
        unsigned c;
        const char *file;
    } files[] = {{SBX_CGC_CPU, "cpu.max"},
                 {SBX_CGC_MEMORY, "memory.max"},
                 {SBX_CGC_PIDS, "pids.max"},
                 {SBX_CGC_CPUSET, "cpuset.cpus"},
                 {SBX_CGC_IO, "io.weight"}};
    for (size_t i = 0; i < ARRAY_SIZE(files); i++)
        if ((cg->need & files[i].c) && faccessat(cg->dirfd, files[i].file, F_OK, 0) < 0 &&
            !(files[i].c == SBX_CGC_IO && faccessat(cg->dirfd, "io.bfq.weight", F_OK, 0) == 0)) {
            _cleanup_free_ char *o = sbx_cg_option_text(cg->cfg, files[i].c);
            return sbx_error(err, 0,
                             "%s: systemd started %s without the %s controller (%s/%s "
                             "is missing)",
                             o, cg->unit, sbx_cg_ctrl_name(files[i].c), cg->dir, files[i].file);
        }
    sbx_debug("cgroup: sandbox %d in %s", (int)cg->pid, cg->dir);
    return 0;
}

int sbx_cg_systemd_remove(struct sbx_cgroup *cg, sbx_error_t *err)
{
    stop_keeper(cg);
    if (cg->bus == NULL)
        return 0;
    _cleanup_free_ char *opt = sbx_cg_first_option(cg->cfg);
    sd_bus_error e = SD_BUS_ERROR_NULL;
    sd_bus_message *reply = NULL;
    const char *job = NULL;
    int r = sd_bus_call_method(cg->bus, SD_DEST, SD_PATH, SD_IFACE, "StopUnit", &e, &reply, "ss",
                               cg->unit, "replace");
    if (r < 0) {
        int ret = 0;
        if (!sd_bus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit"))
            ret = sbx_error(err, -r, "%s: stopping %s%s%s", opt, cg->unit, e.message ? ": " : "",
                            e.message ? e.message : "");
        sd_bus_error_free(&e);
        return ret;
    }
    _cleanup_free_ char *jobpath = NULL;
    if (sd_bus_message_read(reply, "o", &job) >= 0)
        jobpath = xstrdup(job);
    sd_bus_message_unref(reply);
    if (jobpath && run_until(cg, job_done, jobpath, opt, err) < 0)
        return -1;
    return 0;
}

void sbx_cg_systemd_free(struct sbx_cgroup *cg)
{
    stop_keeper(cg);
    if (libsystemd == NULL)
        return; /* never loaded: nothing of sd-bus to free */
    cg->call_slot = sd_bus_slot_unref(cg->call_slot);
    cg->match_slot = sd_bus_slot_unref(cg->match_slot);
    if (cg->bus)
        sd_bus_flush_close_unref(cg->bus);
    cg->bus = NULL;
    for (size_t i = 0; i < cg->n_jobs; i++) {
        free(cg->jobs[i].path);
        free(cg->jobs[i].result);
    }
    free(cg->jobs);
    cg->jobs = NULL;
    cg->n_jobs = 0;
    free(cg->unit);
    free(cg->start_job);
    free(cg->start_error);
    free(cg->bus_desc);
    cg->unit = cg->start_job = cg->start_error = cg->bus_desc = NULL;
    cg->bus_is_private = cg->bus_user = cg->start_replied = false;
}
#endif
