/* run.c - the monitor: creates the sandbox, writes its id maps, puts it
 * in its limits, releases it, forwards signals, reports its status. */
#include "config.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "cgroup.h"
#include "child.h"
#include "holder.h"
#include "init.h"
#include "overlay.h"
#include "run.h"
#include "security.h"
#include "sync.h"
#include "userns.h"

#define TIMEOUT_GRACE_MS 5000

struct monitor {
    struct sbx_config *cfg;
    struct sbx_idmap map;
    bool ranges_planned;
    struct sbx_security *sec;
    struct sbx_cgroup *cg;
    bool use_userns, use_cgroupns;
    unsigned long long clone_flags;
    pid_t pid;
    int pidfd, sock, sfd;
    char *ready_info; /* JSON fragment the child sent with READY */
    bool timed_out;
};

static void monitor_free(struct monitor *m)
{
    if (m->pidfd >= 0)
        close(m->pidfd);
    if (m->sock >= 0)
        close(m->sock);
    if (m->sfd >= 0)
        close(m->sfd);
    if (m->map.holder_nsfd >= 0)
        close(m->map.holder_nsfd);
    sbx_security_free(m->sec);
    sbx_cgroup_free(m->cg);
    free(m->ready_info);
}

static unsigned long long ns_flags(const struct sbx_config *cfg, bool userns, bool cgroupns)
{
    unsigned long long f = CLONE_NEWNS;
    if (userns)
        f |= CLONE_NEWUSER;
    if (cgroupns)
        f |= CLONE_NEWCGROUP;
    if (cfg->unshare_pid)
        f |= CLONE_NEWPID;
    if (cfg->unshare_ipc)
        f |= CLONE_NEWIPC;
    if (cfg->unshare_uts)
        f |= CLONE_NEWUTS;
    if (cfg->unshare_net)
        f |= CLONE_NEWNET;
    if (cfg->unshare_time)
        f |= CLONE_NEWTIME;
    return f;
}

static pid_t do_clone3(unsigned long long flags, int *pidfd)
{
    struct clone_args args = {
        .flags = flags | CLONE_PIDFD,
        .pidfd = (unsigned long long)(uintptr_t)pidfd,
        .exit_signal = SIGCHLD,
    };
    return (pid_t)syscall(SYS_clone3, &args, sizeof(args));
}

/* Create the sandbox's user namespace inside the namespace holder's: the
 * monitor enters it (it owns it, so it may) and then writes the maps
 * itself.  If the kernel says no, the helpers write them as usual. */
static void join_holder(struct monitor *m)
{
    if (m->map.holder_nsfd < 0)
        return;
    if (setns(m->map.holder_nsfd, CLONE_NEWUSER) == 0) {
        sbx_debug("id map: through the namespace holder (pid %d)", (int)m->map.holder_pid);
        return;
    }
    sbx_debug("namespace holder %d: setns: %s; using newuidmap/newgidmap", (int)m->map.holder_pid,
              strerror(errno));
    close(m->map.holder_nsfd);
    m->map.holder_nsfd = -1;
}

/* Clone the sandbox's first process; "-try" namespaces are dropped when
 * the kernel refuses them. */
static int spawn(struct monitor *m, struct sbx_child_args *ca, sbx_error_t *err)
{
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
        return sbx_error(err, errno, "socketpair");
    join_holder(m);
    for (;;) {
        m->clone_flags = ns_flags(m->cfg, m->use_userns, m->use_cgroupns);
        /* the child makes its network namespace itself (child.c), while
         * this process writes the id maps */
        m->pid = do_clone3(m->clone_flags & ~(unsigned long long)CLONE_NEWNET, &m->pidfd);
        if (m->pid == 0) {
            close(sp[0]);
            ca->sock = sp[1];
            _exit(sbx_child_main(ca));
        }
        if (m->pid > 0)
            break;
        int e = errno;
        if ((e == EINVAL || e == EPERM || e == ENOSPC) && m->use_cgroupns &&
            m->cfg->unshare_cgroup == SBX_TRY) {
            m->use_cgroupns = false;
            continue;
        }
        if ((e == EINVAL || e == EPERM || e == ENOSPC) && m->use_userns && m->cfg->is_root &&
            m->cfg->unshare_user == SBX_TRY) {
            m->use_userns = false;
            m->map.kind = IDMAP_NONE;
            continue;
        }
        close(sp[0]);
        close(sp[1]);
        if (e == ENOSPC || e == EUSERS)
            return sbx_error(err, e, "cannot create namespaces (check user.max_*_namespaces)");
        if (e == EPERM && m->use_userns)
            return sbx_error(err, e,
                             "cannot create a user namespace (are unprivileged user "
                             "namespaces disabled? see kernel.unprivileged_userns_clone)");
        return sbx_error(err, e, "clone");
    }
    close(sp[1]);
    m->sock = sp[0];
    return 0;
}

static void ns_json(FILE *f, pid_t pid, unsigned long long flags)
{
    static const struct {
        unsigned long long flag;
        const char *name, *file;
    } ns[] = {{CLONE_NEWCGROUP, "cgroup", "cgroup"},
              {CLONE_NEWIPC, "ipc", "ipc"},
              {CLONE_NEWNS, "mnt", "mnt"},
              {CLONE_NEWNET, "net", "net"},
              {CLONE_NEWPID, "pid", "pid_for_children"},
              {CLONE_NEWUTS, "uts", "uts"},
              {CLONE_NEWUSER, "user", "user"},
              {CLONE_NEWTIME, "time", "time"}};
    for (size_t i = 0; i < ARRAY_SIZE(ns); i++) {
        char path[64];
        struct stat st;
        if (!(flags & ns[i].flag))
            continue;
        snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns[i].file);
        if (stat(path, &st) == 0)
            fprintf(f, ",\n    \"%s-namespace\": %lu", ns[i].name, (unsigned long)st.st_ino);
    }
}

static int write_info(struct monitor *m, int fd, bool extras)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return -1;
    fprintf(f, "{\n    \"child-pid\": %d", (int)m->pid);
    ns_json(f, m->pid, m->clone_flags);
    if (extras) {
        fprintf(f, ",\n    \"id-map\": \"%s\"", sbx_idmap_kind_name(&m->map));
        if (m->map.holder_nsfd >= 0)
            fprintf(f, ",\n    \"userns-holder\": %d", (int)m->map.holder_pid);
        if (m->cg)
            fprintf(f, ",\n    \"cgroup-backend\": \"%s\"", sbx_cgroup_backend_name(m->cg));
        if (m->ready_info && m->ready_info[0])
            fprintf(f, ",\n    %s", m->ready_info);
        _cleanup_free_ char *sec = sbx_security_info_json(m->sec);
        if (sec && sec[0])
            fprintf(f, ",\n    %s", sec);
    }
    fprintf(f, "\n}\n");
    fclose(f);
    int r = write_all(fd, buf, len);
    free(buf);
    return r;
}

/* Wait for the child's READY (or its error). */
static int wait_ready(struct monitor *m, sbx_error_t *err)
{
    struct sbx_msg msg;
    int r = sbx_sync_recv(m->sock, &msg);
    if (r == 0 && msg.type == SBX_MSG_READY) {
        m->ready_info = xstrdup(msg.text);
        return 0;
    }
    if (r == 0 && msg.type == SBX_MSG_ERROR) {
        sbx_error(err, 0, "%s", msg.text);
        (*err)->status = msg.status ? msg.status : 1;
        return -1;
    }
    return sbx_error(err, 0, "the sandbox died while it was being set up");
}

static void kill_and_reap(struct monitor *m)
{
    if (m->pid <= 0)
        return;
    kill(m->pid, SIGKILL);
    while (waitpid(m->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    m->pid = -1;
}

static long long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static long long now_ms(void)
{
    return now_us() / 1000;
}

/* Forward a signal the monitor received to the sandbox.  A terminal's
 * signals already reached the command (same process group) unless it runs
 * in a new session. */
static void forward(struct monitor *m, const struct signalfd_siginfo *si)
{
    if (si->ssi_code == SI_KERNEL && !m->cfg->new_session)
        return;
    kill(m->pid, (int)si->ssi_signo);
}

static int handle_sock(struct monitor *m, sbx_error_t *exec_err)
{
    struct sbx_msg msg;
    int r = sbx_sync_recv(m->sock, &msg);
    if (r == 0 && msg.type == SBX_MSG_ERROR && *exec_err == NULL) {
        sbx_error(exec_err, 0, "%s", msg.text);
        (*exec_err)->status = msg.status ? msg.status : 1;
    }
    if (r != 0) {
        close(m->sock);
        m->sock = -1;
    }
    return 0;
}

/* Until the sandbox's first process exits: forward signals, enforce
 * --timeout, collect an exec error.  Returns its wait status. */
static int supervise(struct monitor *m, sbx_error_t *exec_err)
{
    long long deadline = m->cfg->timeout_ms ? now_ms() + (long long)m->cfg->timeout_ms : -1;
    for (;;) {
        struct pollfd p[3] = {{m->pidfd, POLLIN, 0}, {m->sfd, POLLIN, 0}, {m->sock, POLLIN, 0}};
        int tmo = -1;
        if (deadline >= 0)
            tmo = (int)(deadline > now_ms() ? deadline - now_ms() : 0);
        int n = poll(p, m->sock >= 0 ? 3 : 2, tmo);
        if (n < 0 && errno != EINTR)
            break;
        if (n == 0 && deadline >= 0) {
            kill(m->pid, m->timed_out ? SIGKILL : SIGTERM);
            m->timed_out = true;
            deadline = now_ms() + TIMEOUT_GRACE_MS;
            continue;
        }
        if (n > 0 && (p[2].revents & (POLLIN | POLLHUP)))
            handle_sock(m, exec_err);
        if (n > 0 && (p[1].revents & POLLIN)) {
            struct signalfd_siginfo si;
            if (read(m->sfd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo != SIGCHLD)
                forward(m, &si);
        }
        if (n > 0 && (p[0].revents & POLLIN)) {
            int st;
            if (waitpid(m->pid, &st, WNOHANG) == m->pid) {
                m->pid = -1;
                if (m->sock >= 0)
                    handle_sock(m, exec_err);
                return st;
            }
        }
    }
    int st = 0;
    waitpid(m->pid, &st, 0);
    m->pid = -1;
    return st;
}

static bool need_userns(const struct sbx_config *cfg)
{
    return !cfg->is_root || cfg->unshare_user != SBX_NO;
}

static int prepare(struct monitor *m, sbx_error_t *err)
{
    struct sbx_config *cfg = m->cfg;
    m->use_userns = need_userns(cfg);
    m->use_cgroupns = cfg->unshare_cgroup != SBX_NO;
    sbx_idmap_plan_single(cfg, m->use_userns, &m->map);
    m->ranges_planned = sbx_holder_attach(cfg, &m->map);
    if (sbx_security_prepare(cfg, &m->sec, err) < 0)
        return -1;
    if (sbx_overlay_prepare(cfg, err) < 0)
        return -1;
    if (sbx_cgroup_prepare(cfg, &m->cg, err) < 0)
        return -1;
    if (m->cg)
        sbx_debug("cgroup backend: %s", sbx_cgroup_backend_name(m->cg));
    return 0;
}

/* After clone: maps, GO, limits, READY, info, GO2. */
static int release(struct monitor *m, sbx_error_t *err)
{
    struct sbx_config *cfg = m->cfg;
    long long t0 = now_us();
    if (!m->ranges_planned) /* while the child starts */
        sbx_idmap_plan_ranges(cfg, &m->map);
    sbx_debug("id map: %s", sbx_idmap_kind_name(&m->map));
    if (sbx_idmap_apply(&m->map, m->pid, err) < 0)
        return -1;
    long long t1 = now_us();
    if (cfg->userns_block_fd >= 0 && cfg->info_fd >= 0)
        write_info(m, cfg->info_fd, false);
    if (sbx_sync_send(m->sock, SBX_MSG_GO, 0, NULL) < 0)
        return sbx_error(err, errno, "release the sandbox");
    if (m->cg && sbx_cgroup_attach(m->cg, m->pid, err) < 0)
        return -1;
    if (wait_ready(m, err) < 0)
        return -1;
    sbx_debug("id maps written in %.1f ms, sandbox built in %.1f ms", (double)(t1 - t0) / 1000.0,
              (double)(now_us() - t1) / 1000.0);
    if (cfg->info_fd >= 0 && cfg->userns_block_fd < 0)
        write_info(m, cfg->info_fd, true);
    if (cfg->info_fd >= 0)
        close(cfg->info_fd);
    if (cfg->json_status_fd >= 0)
        write_info(m, cfg->json_status_fd, false);
    if (m->cg) {
        if (sbx_cgroup_wait_attached(m->cg, err) < 0)
            return -1;
        if (sbx_sync_send(m->sock, SBX_MSG_GO, 0, NULL) < 0)
            return sbx_error(err, errno, "release the sandbox");
    }
    return 0;
}

static int finish(struct monitor *m, int wstatus, sbx_error_t exec_err, sbx_error_t *err)
{
    struct sbx_config *cfg = m->cfg;
    int code = sbx_exit_code(wstatus);
    if (m->cg) {
        int r = sbx_cgroup_finish(m->cg, wstatus, err);
        if (r != 0)
            return -1;
    }
    if (exec_err) {
        *err = exec_err;
        return -1;
    }
    if (m->timed_out) {
        sbx_error(err, 0, "timed out after %gs", (double)cfg->timeout_ms / 1000.0);
        (*err)->status = 124;
        return -1;
    }
    if (cfg->json_status_fd >= 0) {
        char line[64];
        snprintf(line, sizeof(line), "{ \"exit-code\": %d }\n", code);
        write_all(cfg->json_status_fd, line, strlen(line));
    }
    return code;
}

/* Whatever happened: no sandbox process, cgroup or descriptor outlives sbx_run(). */
static void monitor_cleanup(struct monitor *m)
{
    kill_and_reap(m);
    monitor_free(m);
}

int sbx_run(struct sbx_config *cfg, sbx_error_t *err)
{
    __attribute__((cleanup(monitor_cleanup))) struct monitor m = {
        .cfg = cfg, .pid = -1, .pidfd = -1, .sock = -1, .sfd = -1};
    struct sbx_child_args ca = {.cfg = cfg};
    sigset_t fwd;
    _cleanup_free_ char *cwd = getcwd(NULL, 0);

    if (prepare(&m, err) < 0)
        return -1;
    if (cfg->die_with_parent)
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    sbx_forwarded_signals(&fwd);
    sigaddset(&fwd, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &fwd, &ca.oldmask) < 0)
        return sbx_error(err, errno, "sigprocmask");
    m.sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
    if (m.sfd < 0)
        return sbx_error(err, errno, "signalfd");
    ca.sec = m.sec;
    ca.barrier = m.cg != NULL;
    ca.use_init = cfg->unshare_pid && !cfg->as_pid_1;
    ca.old_cwd = cwd;
    if (spawn(&m, &ca, err) < 0 || release(&m, err) < 0)
        return -1;
    sbx_error_t exec_err = NULL;
    int st = supervise(&m, &exec_err);
    return finish(&m, st, exec_err, err);
}
