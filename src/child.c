/* child.c - inside the sandbox: namespaces are there, the monitor has
 * written the id maps.  Build the filesystem, then run the command. */
#include "config.h"

#include <fcntl.h>
#include <sched.h>
#include <linux/close_range.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "child.h"
#include "init.h"
#include "mounts.h"
#include "net.h"
#include "overlay.h"
#include "sync.h"

extern char **environ;

#define MAX_LOCKS 32
static int lock_fds[MAX_LOCKS];
static size_t n_lock_fds;

/* Block until FD has data or reaches EOF (bubblewrap's --block-fd). */
static void wait_fd(int fd)
{
    char c;
    while (read(fd, &c, 1) < 0 && errno == EINTR)
        ;
}

static int take_locks(const struct sbx_config *cfg, sbx_error_t *err)
{
    for (size_t i = 0; i < cfg->n_lock_files && i < MAX_LOCKS; i++) {
        int fd = open(cfg->lock_files[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return sbx_error(err, errno, "--lock-file %s", cfg->lock_files[i]);
        struct flock fl = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
        if (fcntl(fd, F_SETLK, &fl) < 0) {
            int e = errno;
            close(fd);
            return sbx_error(err, e, "--lock-file %s", cfg->lock_files[i]);
        }
        lock_fds[n_lock_fds++] = fd;
    }
    return 0;
}

static int setup(const struct sbx_config *cfg, struct sbx_mount_plan *plan, sbx_error_t *err)
{
    if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
        return sbx_error(err, errno, "--hostname %s", cfg->hostname);
    if (sbx_mounts_build(cfg, plan, err) < 0)
        return -1;
    return take_locks(cfg, err);
}

static void apply_env(const struct sbx_config *cfg, const char *cwd)
{
    if (cfg->clearenv)
        clearenv();
    for (size_t i = 0; i < cfg->n_env_ops; i++) {
        if (cfg->env_ops[i].value)
            setenv(cfg->env_ops[i].name, cfg->env_ops[i].value, 1);
        else
            unsetenv(cfg->env_ops[i].name);
    }
    setenv("PWD", cwd, 1);
}

static int enter_cwd(const struct sbx_config *cfg, const char *old_cwd, const char **cwd,
                     sbx_error_t *err)
{
    if (cfg->chdir) {
        if (chdir(cfg->chdir) < 0)
            return sbx_error(err, errno, "--chdir %s", cfg->chdir);
        *cwd = cfg->chdir;
        return 0;
    }
    /* As bubblewrap: the caller's directory when the sandbox has it, else $HOME, else /. */
    const char *home = getenv("HOME");
    if (old_cwd && chdir(old_cwd) == 0)
        *cwd = old_cwd;
    else if (home && chdir(home) == 0)
        *cwd = home;
    else if (chdir("/") == 0)
        *cwd = "/";
    else
        return sbx_error(err, errno, "chdir /");
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* The command gets fds 0-2 and the ones explicitly passed; every other
 * descriptor is marked close-on-exec (bubblewrap mode inherits, as
 * bubblewrap does). */
static int fd_hygiene(const struct sbx_config *cfg, bool keep_locks, sbx_error_t *err)
{
    if (cfg->bwrap_mode)
        return 0;
    int kept[MAX_LOCKS + 64];
    size_t n = 0;
    for (size_t i = 0; i < cfg->n_keep_fds && n < 64; i++)
        kept[n++] = cfg->keep_fds[i];
    if (cfg->sync_fd >= 0)
        kept[n++] = cfg->sync_fd;
    for (size_t i = 0; keep_locks && i < n_lock_fds; i++)
        kept[n++] = lock_fds[i];
    qsort(kept, n, sizeof(int), cmp_int);
    unsigned start = 3;
    for (size_t i = 0; i < n; i++) {
        unsigned fd = (unsigned)kept[i];
        if (fd < start)
            continue;
        if (fd > start && syscall(SYS_close_range, start, fd - 1, CLOSE_RANGE_CLOEXEC) < 0)
            return sbx_error(err, errno, "close_range");
        int fl = fcntl((int)fd, F_GETFD);
        if (fl >= 0)
            fcntl((int)fd, F_SETFD, fl & ~FD_CLOEXEC);
        start = fd + 1;
    }
    if (syscall(SYS_close_range, start, ~0u, CLOSE_RANGE_CLOEXEC) < 0)
        return sbx_error(err, errno, "close_range");
    return 0;
}

/* The command's process: last preparations, then execve. */
static int run_command(struct sbx_child_args *a, sbx_error_t *err)
{
    const struct sbx_config *cfg = a->cfg;
    const char *cwd = "/";
    if (cfg->new_session && setsid() < 0)
        return sbx_error(err, errno, "--new-session");
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (enter_cwd(cfg, a->old_cwd, &cwd, err) < 0)
        return -1;
    if (cfg->block_fd >= 0)
        wait_fd(cfg->block_fd);
    apply_env(cfg, cwd);
    if (fd_hygiene(cfg, !a->use_init, err) < 0)
        return -1;
    char *file = cfg->argv[0];
    if (cfg->argv0)
        cfg->argv[0] = (char *)cfg->argv0;
    if (sigprocmask(SIG_SETMASK, &a->oldmask, NULL) < 0)
        return sbx_error(err, errno, "sigprocmask");
    if (sbx_security_apply(cfg, a->sec, err) < 0)
        return -1;
    execvp(file, cfg->argv);
    return sbx_error(err, errno, "execvp %s", file);
}

static char *ready_info(void)
{
    const char *drv = sbx_overlay_driver_used();
    if (drv == NULL)
        return xstrdup("");
    return xasprintf("\"overlay-driver\": \"%s\"", drv);
}

static int announce_ready(int sock)
{
    _cleanup_free_ char *info = ready_info();
    return sbx_sync_send(sock, SBX_MSG_READY, 0, info);
}

/* The command's process until execve: errors go to the monitor. */
static int command_entry(void *arg)
{
    struct sbx_child_args *a = arg;
    sbx_error_t err = NULL;
    run_command(a, &err);
    sbx_sync_send_error(a->sock, err);
    _exit(1);
}

#define COMMAND_STACK (256 * 1024)

/* Start the command as posix_spawn starts one, then become its init.  It
 * shares init's memory until it execs (CLONE_VM | CLONE_VFORK, on a stack
 * of its own), so no page tables are copied and no page is faulted in
 * twice; init is suspended meanwhile, so nothing races on the heap. */
static int run_under_init(struct sbx_child_args *a, sbx_error_t *err)
{
    void *stack = mmap(NULL, COMMAND_STACK, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED)
        return sbx_error(err, errno, "mmap");
    /* a guard page below it: an overflow faults instead of writing into
     * init's memory */
    if (mprotect(stack, (size_t)sysconf(_SC_PAGESIZE), PROT_NONE) < 0) {
        int e = errno;
        munmap(stack, COMMAND_STACK);
        return sbx_error(err, e, "mprotect");
    }
    pid_t pid =
        clone(command_entry, (char *)stack + COMMAND_STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, a);
    int e = errno;
    munmap(stack, COMMAND_STACK);
    if (pid < 0)
        return sbx_error(err, e, "clone");
    close(a->sock);
    return sbx_init_run(pid);
}

int sbx_child_main(struct sbx_child_args *a)
{
    sbx_error_t err = NULL;
    struct sbx_mount_plan plan = {.root = -1};
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* made while the monitor writes the id maps (the new user namespace
     * gives every capability already); errors reported after GO */
    int prepared = a->cfg->unshare_net ? sbx_net_new(&err) : 0;
    if (prepared == 0)
        prepared = sbx_mounts_prepare(a->cfg, &plan, &err);
    if (prepared == 0)
        prepared = sbx_security_prepare_late(a->sec, &err);
    if (sbx_sync_wait_go(a->sock) < 0)
        return 1; /* the monitor is gone */
    if (a->cfg->userns_block_fd >= 0)
        wait_fd(a->cfg->userns_block_fd);
    if (prepared == 0 && setup(a->cfg, &plan, &err) == 0) {
        sbx_mount_plan_free(&plan);
        if (announce_ready(a->sock) < 0)
            return 1;
        if (a->barrier && sbx_sync_wait_go(a->sock) < 0)
            return 1;
        int r = a->use_init ? run_under_init(a, &err) : run_command(a, &err);
        if (r >= 0)
            return r;
    }
    sbx_sync_send_error(a->sock, err);
    sbx_error_release(&err);
    return 1;
}
