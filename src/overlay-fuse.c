/* overlay-fuse.c - the fuse-overlayfs driver.
 *
 * sbx mounts the fuse filesystem itself (fsopen("fuse") on a /dev/fuse
 * descriptor, in the sandbox's user namespace) and runs fuse-overlayfs in
 * the foreground on "/dev/fd/N", so the daemon needs no mount point and
 * no setuid fusermount.  It is a child of the sandbox's setup process, in
 * all of the sandbox's namespaces, with PR_SET_PDEATHSIG(SIGKILL): it
 * lives and dies with the sandbox.
 *
 * fuse-overlayfs takes its layers as path names, so they are given to it
 * on a private scratch tmpfs, attached for the few milliseconds the daemon
 * needs to open them and then detached again (the daemon keeps its
 * descriptors): the lower layers as read-only clones of their mounts (the
 * daemon can never write to them), the throwaway upper on its tmpfs, a
 * persistent upper and its work directory through a clone of their parent
 * directory.  The daemon's root and working directory are the old root,
 * so pivot_root() moves them into the new root like the sandbox's own. */
#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <linux/mount.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mounts.h"
#include "overlay-int.h"

#define FUSE_HINT "fuse-overlayfs not found (apt install fuse-overlayfs)"

int sbx_ovl_fuse_find(const char *what, int *exe_fd, sbx_error_t *err)
{
    const char *env = getenv("SBX_FUSE_OVERLAYFS");
    _cleanup_free_ char *found = NULL;
    if (env && env[0]) {
        if (access(env, X_OK) == 0)
            found = xstrdup(env);
    } else {
        const char *path = getenv("PATH");
        _cleanup_free_ char *dirs =
            xstrdup(path && path[0] ? path : "/usr/local/bin:/usr/bin:/bin");
        char *save = NULL;
        for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
            _cleanup_free_ char *cand = xasprintf("%s/fuse-overlayfs", d[0] ? d : ".");
            struct stat st;
            if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
                found = steal_pointer(&cand);
        }
    }
    if (found == NULL)
        return sbx_error(err, 0, "%s: " FUSE_HINT, what);
    *exe_fd = open(found, O_PATH | O_CLOEXEC);
    if (*exe_fd < 0)
        return sbx_error(err, errno, "%s: %s", what, found);
    sbx_debug("fuse-overlayfs: %s", found);
    return 0;
}

/* A read-only clone of the mount at fd (non-recursive unless the kernel
 * insists because mounts below are locked). */
static int clone_tree(int fd, bool readonly)
{
    int t = sbx_open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    if (t < 0 && errno == EINVAL)
        t = sbx_open_tree(fd, "",
                          OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
    if (t >= 0 && readonly &&
        sbx_mount_setattr(t, "", AT_EMPTY_PATH | AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0) < 0) {
        int saved = errno;
        close(t);
        errno = saved;
        return -1;
    }
    return t;
}

static char *fd_target(int fd)
{
    char p[64], buf[4096];
    snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(p, buf, sizeof(buf) - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return xstrdup(buf);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static bool same_dir(int a, int b)
{
    struct stat sa, sb;
    return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* "/tmp/s/root/upper" below "/tmp" -> "/s/root/upper" (frees path). */
static char *below(char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (path == NULL || strncmp(path, prefix, n) != 0 || path[n] != '/') {
        free(path);
        return NULL;
    }
    char *r = xstrdup(path + n);
    free(path);
    return r;
}

static bool option_safe(const char *s)
{
    return strpbrk(s, ":,\\") == NULL;
}

/* Where the scratch tmpfs is attached for a moment: a host directory that
 * surely exists.  Only this process looks at paths meanwhile. */
static const char *attach_point(void)
{
    static const char *const cands[] = {"/tmp", "/run", "/mnt", "/var/tmp", "/dev"};
    for (size_t i = 0; i < ARRAY_SIZE(cands); i++) {
        struct stat st;
        if (lstat(cands[i], &st) == 0 && S_ISDIR(st.st_mode))
            return cands[i];
    }
    return NULL;
}

struct fuse_paths {
    char *lower; /* "top:...:bottom" */
    char *upper, *work;
};

static void fuse_paths_free(struct fuse_paths *fp)
{
    free(fp->lower);
    free(fp->upper);
    free(fp->work);
}

/* Put every layer on the attached scratch (at ATTACH) and compute the
 * path names fuse-overlayfs gets. */
static int stage_layers(const struct ovl_spec *spec, int scratch, const char *attach,
                        struct fuse_paths *fp, sbx_error_t *err)
{
    /* Upper and work first: a throwaway upper lives on spec->scratch,
     * which also holds the init layer (a lower), so it must be attached
     * before anything on it can be cloned. */
    if (spec->scratch >= 0 &&
        (mkdirat(scratch, "s", 0700) < 0 ||
         sbx_move_mount(spec->scratch, "", scratch, "s", MOVE_MOUNT_F_EMPTY_PATH) < 0))
        return sbx_error(err, errno, "%s: fuse-overlayfs: stage the upper layer", spec->what);
    if (spec->upper >= 0 && spec->upper_on_scratch) {
        fp->upper = below(fd_target(spec->upper), attach);
        fp->work = below(fd_target(spec->work), attach);
    } else if (spec->upper >= 0) {
        _cleanup_close_ int up_parent = openat(spec->upper, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        _cleanup_close_ int wk_parent = openat(spec->work, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        _cleanup_free_ char *up = fd_target(spec->upper), *wk = fd_target(spec->work);
        if (up_parent < 0 || wk_parent < 0 || up == NULL || wk == NULL)
            return sbx_error(err, errno, "%s: fuse-overlayfs: upper layer", spec->what);
        if (same_dir(up_parent, wk_parent)) {
            /* Both through one clone of their parent directory, so that
             * renames from work to upper stay on one mount. */
            _cleanup_close_ int t = clone_tree(up_parent, false);
            if (t < 0 || mkdirat(scratch, "u", 0700) < 0 ||
                sbx_move_mount(t, "", scratch, "u", MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return sbx_error(err, errno, "%s: fuse-overlayfs: stage the upper layer",
                                 spec->what);
            fp->upper = xasprintf("/u/%s", base_name(up));
            fp->work = xasprintf("/u/%s", base_name(wk));
        } else {
            return sbx_error(err, 0,
                             "%s: with fuse-overlayfs the upper and work directories must "
                             "be in the same directory",
                             spec->what);
        }
    }
    if (spec->upper >= 0 && (fp->upper == NULL || fp->work == NULL))
        return sbx_error(err, 0, "%s: fuse-overlayfs: cannot name the upper layer", spec->what);
    if (fp->upper && (!option_safe(fp->upper) || !option_safe(fp->work)))
        return sbx_error(err, 0,
                         "%s: fuse-overlayfs cannot take a path with ':', ',' or '\\' (%s, %s)",
                         spec->what, fp->upper, fp->work);

    size_t cap = spec->n_lower * (strlen(attach) + 24) + 1, used = 0;
    fp->lower = xmalloc0(cap);
    for (size_t i = spec->n_lower; i-- > 0;) {
        char name[32];
        snprintf(name, sizeof(name), "l%zu", i);
        _cleanup_close_ int t = clone_tree(spec->lower[i], true);
        if (t < 0)
            return sbx_error(err, errno, "%s: fuse-overlayfs: clone lower layer", spec->what);
        if (mkdirat(scratch, name, 0700) < 0 ||
            sbx_move_mount(t, "", scratch, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
            return sbx_error(err, errno, "%s: fuse-overlayfs: stage lower layer", spec->what);
        used += (size_t)snprintf(fp->lower + used, cap - used, "%s/%s", used ? ":" : "", name);
    }
    return 0;
}

/* The fuse mount, served by the daemon on fuse_fd. */
static int fuse_fs(const struct ovl_spec *spec, int fuse_fd, int *mnt_fd, sbx_error_t *err)
{
    _cleanup_close_ int fs = sbx_fsopen("fuse", FSOPEN_CLOEXEC);
    if (fs < 0)
        return sbx_error(err, errno, "%s: fuse-overlayfs: the fuse filesystem", spec->what);
    char v[32];
    int r = 0;
    snprintf(v, sizeof(v), "%d", fuse_fd);
    r |= sbx_fsconfig(fs, FSCONFIG_SET_STRING, "fd", v, 0);
    r |= sbx_fsconfig(fs, FSCONFIG_SET_STRING, "rootmode", "40000", 0);
    snprintf(v, sizeof(v), "%u", (unsigned)getuid());
    r |= sbx_fsconfig(fs, FSCONFIG_SET_STRING, "user_id", v, 0);
    snprintf(v, sizeof(v), "%u", (unsigned)getgid());
    r |= sbx_fsconfig(fs, FSCONFIG_SET_STRING, "group_id", v, 0);
    r |= sbx_fsconfig(fs, FSCONFIG_SET_FLAG, "allow_other", NULL, 0);
    r |= sbx_fsconfig(fs, FSCONFIG_SET_FLAG, "default_permissions", NULL, 0);
    r |= sbx_fsconfig(fs, FSCONFIG_SET_STRING, "source", "fuse-overlayfs", 0);
    r |= sbx_fsconfig(fs, FSCONFIG_SET_STRING, "subtype", "fuse-overlayfs", 0);
    if (r < 0 || sbx_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
        int saved = errno;
        _cleanup_free_ char *log = sbx_ovl_fs_log(fs);
        if (log)
            return sbx_error(err, 0, "%s: fuse-overlayfs: mount: %s", spec->what, log);
        return sbx_error(err, saved, "%s: fuse-overlayfs: mount", spec->what);
    }
    *mnt_fd = sbx_fsmount(fs, FSMOUNT_CLOEXEC, spec->readonly ? MOUNT_ATTR_RDONLY : 0);
    if (*mnt_fd < 0)
        return sbx_error(err, errno, "%s: fuse-overlayfs: fsmount", spec->what);
    return 0;
}

/* The daemon's own root, in its own mount namespace (so that the sandbox's
 * pivot_root does not move it into the filesystem it serves, and so that
 * its /proc/PID/root shows the sandbox no host directory): the staging
 * tmpfs with the layers, plus what exec and fuse-overlayfs need: /usr
 * (read-only), the /lib* links or directories, and a /proc (a new one for
 * the sandbox's PID namespace, else the host's, which a sandbox sharing the
 * host's PID namespace could see anyway). */
static int daemon_root(const char *attach)
{
    if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return -1;
    char p[PATH_MAX], t[PATH_MAX];
    static const char *const dirs[] = {"usr", "lib", "lib64", "lib32", "libx32", "bin", "sbin"};
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
        snprintf(p, sizeof(p), "/%s", dirs[i]);
        snprintf(t, sizeof(t), "%s/%s", attach, dirs[i]);
        struct stat st;
        if (lstat(p, &st) < 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlink(p, target, sizeof(target) - 1);
            if (n < 0)
                return -1;
            target[n] = '\0';
            if (symlink(target, t) < 0)
                return -1;
        } else if (S_ISDIR(st.st_mode)) {
            if (mkdir(t, 0755) < 0 || mount(p, t, NULL, MS_BIND | MS_REC, NULL) < 0 ||
                mount(NULL, t, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
                      NULL) < 0)
                return -1;
        }
    }
    snprintf(t, sizeof(t), "%s/proc", attach);
    if (mkdir(t, 0555) < 0)
        return -1;
    if (mount("proc", t, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 &&
        mount("/proc", t, NULL, MS_BIND | MS_REC, NULL) < 0)
        return -1;
    if (chdir(attach) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 ||
        umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
        return -1;
    return 0;
}

static void daemon_exec(int exe_fd, int fuse_fd, int log_fd, const char *attach, const char *opts)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull >= 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
    }
    dup2(log_fd, 2);
    int fd = dup(fuse_fd); /* without O_CLOEXEC */
    if (fd < 0)
        _exit(127);
    if (daemon_root(attach) < 0) {
        dprintf(2, "set up the daemon's root: %s\n", strerror(errno));
        _exit(127);
    }
    char dev[32];
    snprintf(dev, sizeof(dev), "/dev/fd/%d", fd);
    char *argv[] = {(char *)"fuse-overlayfs", (char *)"-f", (char *)"-o", (char *)opts, dev, NULL};
    char *envp[] = {(char *)"PATH=/usr/bin:/bin", NULL};
    syscall(SYS_execveat, exe_fd, "", argv, envp, AT_EMPTY_PATH);
    dprintf(2, "exec fuse-overlayfs: %s\n", strerror(errno));
    _exit(127);
}

/* The daemon's complaint, for the error message: its last line that is
 * not a known harmless warning. */
static char *daemon_log(int log_fd)
{
    char buf[4096];
    ssize_t n = pread(log_fd, buf, sizeof(buf) - 1, 0);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    char *best = NULL, *save = NULL;
    for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        if (strstr(l, "unknown argument ignored") == NULL && l[0])
            best = l;
    return best ? xstrdup(best) : NULL;
}

int sbx_ovl_fuse_mount(const struct ovl_spec *spec, int exe_fd, int *mnt_fd, sbx_error_t *err)
{
    _cleanup_close_ int fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fuse_fd < 0)
        return sbx_error(err, errno, "%s: fuse-overlayfs needs /dev/fuse", spec->what);
    const char *attach = attach_point();
    if (attach == NULL)
        return sbx_error(err, 0, "%s: fuse-overlayfs: no directory to stage the layers on",
                         spec->what);
    _cleanup_close_ int scratch = -1, mnt = -1, log_fd = -1;
    if (sbx_mount_fd_tmpfs(0700, 0, &scratch, err) < 0)
        return sbx_error_prefix(err, "%s: fuse-overlayfs", spec->what);
    if (sbx_move_mount(scratch, "", AT_FDCWD, attach, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        return sbx_error(err, errno, "%s: fuse-overlayfs: stage layers on %s", spec->what, attach);

    struct fuse_paths fp = {0};
    _cleanup_free_ char *opts = NULL;
    int r = stage_layers(spec, scratch, attach, &fp, err);
    if (r == 0) {
        if (fp.upper)
            opts = xasprintf("lowerdir=%s,upperdir=%s,workdir=%s", fp.lower, fp.upper, fp.work);
        else
            opts = xasprintf("lowerdir=%s", fp.lower);
        sbx_debug("%s: fuse-overlayfs -f -o %s", spec->what, opts);
        r = fuse_fs(spec, fuse_fd, &mnt, err);
    }
    fuse_paths_free(&fp);
    if (r == 0 && (log_fd = (int)syscall(SYS_memfd_create, "fuse-overlayfs", MFD_CLOEXEC)) < 0)
        r = sbx_error(err, errno, "%s: memfd_create", spec->what);
    pid_t pid = -1;
    if (r == 0) {
        pid = fork();
        if (pid < 0)
            r = sbx_error(err, errno, "%s: fork", spec->what);
        else if (pid == 0)
            daemon_exec(exe_fd, fuse_fd, log_fd, attach, opts);
    }
    if (r == 0) {
        /* The first request waits until the daemon has answered FUSE_INIT,
         * and fails (ENOTCONN) if it died: once it has the root's
         * attributes it holds every layer open. */
        close(steal_fd(&fuse_fd));
        struct stat st;
        if (fstat(mnt, &st) < 0) {
            int saved = errno;
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            _cleanup_free_ char *why = daemon_log(log_fd);
            r = why ? sbx_error(err, 0, "%s: fuse-overlayfs failed: %s", spec->what, why)
                    : sbx_error(err, saved, "%s: fuse-overlayfs failed", spec->what);
        }
    }
    /* Detach the staging tmpfs: only the daemon's descriptors keep it. */
    if (sbx_umount_fd(scratch) < 0 && r == 0)
        r = sbx_error(err, errno, "%s: fuse-overlayfs: unstage layers", spec->what);
    if (r < 0)
        return -1;
    *mnt_fd = steal_fd(&mnt);
    return 0;
}
