/* holder.c - the per-user namespace holder (see holder.h).
 *
 * The holder's user namespace maps the caller's own uid and gid and every
 * subordinate range onto the same numbers (identity), so a sandbox created
 * inside it is given exactly the map it would get without it, and nothing
 * that a user sees (ownership, /proc/self/uid_map) changes.
 *
 * It is found through an abstract unix socket named after the uid.  The
 * kernel tells who listens on it (SO_PEERCRED), so a socket another user
 * squats is ignored; the namespace it points at must be owned by the
 * caller, be a child of the caller's own user namespace and map only
 * identity extents that cover the sandbox's map. */
#include "config.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "holder.h"
#include "sync.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define STOP_WAIT_MS 5000

static socklen_t holder_address(struct sockaddr_un *sa)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    /* abstract: sun_path[0] stays '\0' */
    int n =
        snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "sbx-holder-%u", (unsigned)getuid());
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

/* Connect to the caller's holder: the socket, and who listens on it. */
static int holder_connect(struct ucred *cred)
{
    struct sockaddr_un sa;
    socklen_t len = holder_address(&sa);
    _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, len) < 0)
        return -1;
    socklen_t cl = sizeof(*cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, &cl) < 0)
        return -1;
    return steal_fd(&fd);
}

/* A pidfd for the listener: the kernel's own (Linux 6.5) or by pid. */
static int peer_pidfd(int sock, pid_t pid)
{
    int pidfd = -1;
    socklen_t l = sizeof(pidfd);
    if (getsockopt(sock, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &l) == 0 && pidfd >= 0)
        return pidfd;
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

struct holder {
    pid_t pid;
    int pidfd, procfd; /* /proc/PID, bound to that process */
};

static void holder_close(struct holder *h)
{
    if (h->pidfd >= 0)
        close(h->pidfd);
    if (h->procfd >= 0)
        close(h->procfd);
}

/* The caller's running holder, or -1 (with *why saying why not). */
static int holder_find(struct holder *h, const char **why)
{
    struct ucred cred;
    *h = (struct holder){.pid = -1, .pidfd = -1, .procfd = -1};
    _cleanup_close_ int sock = holder_connect(&cred);
    if (sock < 0) {
        *why = "not running";
        return -1;
    }
    if (cred.uid != getuid()) {
        *why = "its socket belongs to another user";
        return -1;
    }
    h->pid = cred.pid;
    h->pidfd = peer_pidfd(sock, cred.pid);
    char path[32];
    snprintf(path, sizeof(path), "/proc/%d", (int)cred.pid);
    h->procfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    /* the process is still the listener: its pid was not reused */
    if (h->pidfd < 0 || h->procfd < 0 || syscall(SYS_pidfd_send_signal, h->pidfd, 0, NULL, 0) < 0) {
        holder_close(h);
        *why = "it exited";
        return -1;
    }
    return 0;
}

/* Every extent of the holder is an identity, and each extent of want lies
 * within one of them, as the kernel requires of a nested map. */
static bool covers(const struct sbx_extent *have, size_t nh, const struct sbx_extent *want,
                   size_t nw)
{
    for (size_t i = 0; i < nh; i++)
        if (have[i].inside != have[i].outside)
            return false;
    for (size_t j = 0; j < nw; j++) {
        size_t i = 0;
        while (i < nh && !(have[i].outside <= want[j].outside &&
                           want[j].outside + want[j].count <= have[i].outside + have[i].count))
            i++;
        if (i == nh)
            return false;
    }
    return true;
}

/* The holder's user namespace, checked: owned by the caller, a child of
 * the caller's own, mapping only identities that cover map. */
static int holder_userns(const struct holder *h, const struct sbx_idmap *map, const char **why)
{
    struct sbx_extent u[SBX_MAX_EXTENTS], g[SBX_MAX_EXTENTS];
    size_t nu = sbx_idmap_read(h->procfd, "uid_map", u, ARRAY_SIZE(u));
    size_t ng = sbx_idmap_read(h->procfd, "gid_map", g, ARRAY_SIZE(g));
    if (!covers(u, nu, map->uid, map->n_uid) || !covers(g, ng, map->gid, map->n_gid)) {
        *why = "its id maps do not cover /etc/subuid and /etc/subgid (restart it)";
        return -1;
    }
    _cleanup_close_ int ns = openat(h->procfd, "ns/user", O_RDONLY | O_CLOEXEC);
    uid_t owner = (uid_t)-1;
    if (ns < 0 || ioctl(ns, NS_GET_OWNER_UID, &owner) < 0 || owner != getuid()) {
        *why = "its user namespace is not the caller's";
        return -1;
    }
    _cleanup_close_ int parent = ioctl(ns, NS_GET_PARENT);
    struct stat ps, self;
    if (parent < 0 || fstat(parent, &ps) < 0 || stat("/proc/self/ns/user", &self) < 0 ||
        ps.st_ino != self.st_ino || ps.st_dev != self.st_dev) {
        *why = "its user namespace is not a child of the caller's";
        return -1;
    }
    return steal_fd(&ns);
}

bool sbx_holder_attach(const struct sbx_config *cfg, struct sbx_idmap *map)
{
    const char *why = NULL;
    struct holder h;
    if (map->kind != IDMAP_SINGLE || cfg->is_root)
        return false;
    if (holder_find(&h, &why) < 0) {
        if (strcmp(why, "not running") != 0)
            sbx_debug("namespace holder ignored: %s", why);
        return false;
    }
    sbx_idmap_plan_ranges(cfg, map);
    if (map->kind == IDMAP_RANGE) {
        int ns = holder_userns(&h, map, &why);
        if (ns < 0)
            sbx_debug("namespace holder %d ignored: %s", (int)h.pid, why);
        else {
            map->holder_nsfd = ns;
            map->holder_pid = h.pid;
        }
    }
    holder_close(&h);
    return true;
}

/* ---------------------------------------------------------------------- */
/* The holder process                                                     */

static int listen_socket(sbx_error_t *err)
{
    struct sockaddr_un sa;
    socklen_t len = holder_address(&sa);
    _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return sbx_error(err, errno, "holder: socket");
    if (bind(fd, (struct sockaddr *)&sa, len) < 0)
        return sbx_error(err, errno, "holder: binding @%s", sa.sun_path + 1);
    if (listen(fd, 64) < 0)
        return sbx_error(err, errno, "holder: listen");
    return steal_fd(&fd);
}

/* The holder's body: once the monitor wrote its maps, take the socket and
 * answer connections (closing them: the credentials are the answer). */
static int holder_child(int sock)
{
    if (sbx_sync_wait_go(sock) < 0)
        return 1;
    sbx_error_t err = NULL;
    setsid();
    prctl(PR_SET_NAME, "sbx-holder");
    if (chdir("/") < 0) {
        /* "/" always exists; nothing to report */
    }
    int lfd = listen_socket(&err);
    if (lfd < 0) {
        sbx_sync_send_error(sock, err);
        return 1;
    }
    /* let go of the caller's terminal and pipes before saying ready */
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int i = 0; i < 3 && null >= 0; i++)
        dup2(null, i);
    sbx_sync_send(sock, SBX_MSG_READY, 0, "");
    syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
    close(sock);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (;;) {
        int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (c >= 0)
            close(c);
        else if (errno != EINTR && errno != ECONNABORTED)
            poll(NULL, 0, 100); /* out of fds or memory: do not spin */
    }
}

static int by_outside(const void *a, const void *b)
{
    const struct sbx_extent *x = a, *y = b;
    return x->outside < y->outside ? -1 : x->outside > y->outside;
}

/* The identity map of every outside id of a map, adjacent extents merged
 * (the sandbox's extents, split around its own id, must each fit in one
 * extent of the holder's). */
static size_t identity(struct sbx_extent *e, size_t n)
{
    qsort(e, n, sizeof(*e), by_outside);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && e[k - 1].outside + e[k - 1].count == e[i].outside)
            e[k - 1].count += e[i].count;
        else
            e[k++] = e[i];
    }
    for (size_t i = 0; i < k; i++)
        e[i].inside = e[i].outside;
    return k;
}

static int holder_start(struct sbx_config *cfg, sbx_error_t *err)
{
    struct holder h;
    const char *why;
    if (holder_find(&h, &why) == 0) {
        printf("holder already running: pid %d\n", (int)h.pid);
        holder_close(&h);
        return 0;
    }
    if (strcmp(why, "not running") != 0)
        return sbx_error(err, 0, "holder: cannot start: %s", why);
    if (cfg->is_root)
        return sbx_error(err, 0, "holder: root maps ids without helpers and needs no holder");
    struct sbx_idmap map;
    sbx_idmap_plan_single(cfg, true, &map);
    sbx_idmap_plan_ranges(cfg, &map);
    if (map.kind != IDMAP_RANGE)
        return sbx_error(err, 0,
                         "holder: no subordinate ids for uid %u in /etc/subuid and /etc/subgid "
                         "(or no setuid newuidmap/newgidmap): there is nothing to hold",
                         (unsigned)cfg->caller_uid);
    map.n_uid = identity(map.uid, map.n_uid);
    map.n_gid = identity(map.gid, map.n_gid);

    int sp[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
        return sbx_error(err, errno, "holder: socketpair");
    pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid == 0) {
        close(sp[0]);
        _exit(holder_child(sp[1]));
    }
    close(sp[1]);
    _cleanup_close_ int sock = sp[0];
    if (pid < 0)
        return sbx_error(err, errno, "holder: cannot create a user namespace");
    struct sbx_msg msg = {0};
    if (sbx_idmap_apply(&map, pid, err) < 0 || sbx_sync_send(sock, SBX_MSG_GO, 0, NULL) < 0 ||
        sbx_sync_recv(sock, &msg) != 0 || msg.type != SBX_MSG_READY) {
        if (*err == NULL && msg.type == SBX_MSG_ERROR)
            sbx_error(err, 0, "%s", msg.text);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return sbx_error(err, 0, "holder: the holder died while it was being set up");
    }
    printf("holder running: pid %d\n", (int)pid);
    return 0;
}

static int holder_stop(sbx_error_t *err)
{
    struct holder h;
    const char *why;
    if (holder_find(&h, &why) < 0) {
        if (strcmp(why, "not running") == 0)
            return 0; /* stopping what is not running is not an error */
        return sbx_error(err, 0, "holder: cannot stop: %s", why);
    }
    int r = 0;
    if (syscall(SYS_pidfd_send_signal, h.pidfd, SIGTERM, NULL, 0) < 0 && errno != ESRCH)
        r = sbx_error(err, errno, "holder: stopping pid %d", (int)h.pid);
    struct pollfd p = {h.pidfd, POLLIN, 0};
    if (r == 0 && poll(&p, 1, STOP_WAIT_MS) <= 0)
        r = sbx_error(err, 0, "holder: pid %d did not exit", (int)h.pid);
    holder_close(&h);
    return r;
}

static int holder_status(sbx_error_t *err)
{
    struct holder h;
    const char *why;
    if (holder_find(&h, &why) < 0)
        return sbx_error(err, 0, "holder: %s", why);
    struct stat st;
    printf("holder: running, pid %d", (int)h.pid);
    if (fstatat(h.procfd, "ns/user", &st, 0) == 0)
        printf(", user namespace %lu", (unsigned long)st.st_ino);
    printf("\n");
    static const char *const maps[] = {"uid_map", "gid_map"};
    for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
        struct sbx_extent e[SBX_MAX_EXTENTS];
        size_t n = sbx_idmap_read(h.procfd, maps[i], e, ARRAY_SIZE(e));
        printf("%s:", maps[i]);
        for (size_t j = 0; j < n; j++)
            printf(" %lu+%lu", e[j].outside, e[j].count);
        printf("\n");
    }
    holder_close(&h);
    return 0;
}

int sbx_holder_main(struct sbx_config *cfg, int argc, char **argv, sbx_error_t *err)
{
    const char *what = argc >= 2 ? argv[1] : "";
    if (argc > 2)
        return sbx_error(err, 0, "holder %s: unexpected argument '%s'", what, argv[2]);
    if (strcmp(what, "start") == 0)
        return holder_start(cfg, err);
    if (strcmp(what, "stop") == 0)
        return holder_stop(err);
    if (strcmp(what, "status") == 0)
        return holder_status(err);
    if (what[0] == '\0')
        return sbx_error(err, 0, "holder: start, stop or status?");
    return sbx_error(err, 0, "holder: unknown action '%s' (start, stop or status)", what);
}
