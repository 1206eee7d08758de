/* overlay.c - overlay layers: the --overlay root and the bubblewrap-style
 * overlays at DEST (--tmp-overlay, --ro-overlay, --rw-overlay).
 *
 * The monitor (sbx_overlay_prepare) opens every layer, upper and work
 * directory by descriptor, without following a symlink in the final
 * component, checks that no upper overlaps a lower, creates a persistent
 * upper's work directory beside it and takes the upper's lock (a flock on
 * the upper directory itself, held by the monitor until it exits).  The
 * child inherits those descriptors and hands them to the driver as
 * /proc/self/fd/N: nothing is resolved by name twice.
 *
 * Drivers: kernel overlayfs (in the user namespace, with userxattr), or
 * fuse-overlayfs (overlay-fuse.c) when the kernel refuses or when asked.
 *
 * The root also gets an "init layer": a small lower layer on a private
 * tmpfs, stacked just below the upper, holding /etc/hostname, /etc/hosts
 * and /etc/resolv.conf as the sandbox should see them.  Nothing is written
 * to the upper layer, so `sbx commit` does not capture them (unless the
 * sandbox itself changes them). */
#include "config.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "mounts.h"
#include "overlay-int.h"
#include "overlay.h"
#include "userns.h"

/* For calls whose failure is acceptable (an owner that is not mapped). */
static inline void best_effort(int r)
{
    (void)r;
}

char *sbx_ovl_fs_log(int fsfd)
{
    char buf[512], *last = NULL;
    ssize_t n;
    /* Each read returns one message: "e overlayfs: ..." */
    while ((n = read(fsfd, buf, sizeof(buf) - 1)) > 0) {
        buf[n] = '\0';
        if (buf[n - 1] == '\n')
            buf[n - 1] = '\0';
        if (buf[0] == 'e' || last == NULL) {
            free(last);
            last = xstrdup(n > 2 && buf[1] == ' ' ? buf + 2 : buf);
        }
    }
    return last;
}

/* ---- what the monitor prepared (inherited by the child) ---- */

/* Descriptors opened by the monitor refer to mounts of the host's mount
 * namespace, which overlayfs and open_tree() refuse to use from the
 * child's new one: the child opens the same names again (its namespace is
 * a copy, cwd included) and checks that it got the very same directories. */
struct prepared {
    int *lower; /* lowest first */
    const char **lower_path;
    size_t n_lower;
    int upper, work; /* persistent upper/work, or -1 */
    char *upper_path, *work_path;
};

static struct {
    bool done;
    struct prepared root;
    struct prepared *ops; /* indexed like cfg->ops */
    int fuse_exe;
    const char *driver; /* "kernel", "fuse" */
    bool used_kernel, used_fuse;
} S = {.fuse_exe = -1};

static void prepared_init(struct prepared *p)
{
    p->lower = NULL;
    p->n_lower = 0;
    p->upper = p->work = -1;
}

static int open_dir_nofollow(int dirfd, const char *path, int flags, const char *what,
                             const char *role, int *out, sbx_error_t *err)
{
    int fd = openat(dirfd, path, flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        *out = fd;
        return 0;
    }
    int saved = errno;
    struct stat st;
    if ((saved == ENOTDIR || saved == ELOOP) &&
        fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        return sbx_error(err, 0, "%s: %s%sis a symbolic link (give the directory it points to)",
                         what, role, role[0] ? " " : "");
    if (role[0])
        return sbx_error(err, saved, "%s: %s", what, role);
    return sbx_error(err, saved, "%s", what);
}

/* Is the directory anc_fd the directory fd or one of its ancestors? */
bool sbx_ovl_is_ancestor(int anc_fd, int fd)
{
    struct stat a, st;
    if (fstat(anc_fd, &a) < 0)
        return false;
    int cur = openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    for (int depth = 0; cur >= 0 && depth < 4096; depth++) {
        if (fstat(cur, &st) < 0)
            break;
        if (st.st_dev == a.st_dev && st.st_ino == a.st_ino) {
            close(cur);
            return true;
        }
        int parent = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        struct stat pst;
        if (parent < 0 || fstat(parent, &pst) < 0 ||
            (pst.st_dev == st.st_dev && pst.st_ino == st.st_ino)) {
            if (parent >= 0)
                close(parent);
            break;
        }
        close(cur);
        cur = parent;
    }
    if (cur >= 0)
        close(cur);
    return false;
}

static int check_overlap(const struct prepared *p, const char *const *names, const char *what,
                         const char *upper_what, sbx_error_t *err)
{
    for (size_t i = 0; i < p->n_lower; i++) {
        if (sbx_ovl_is_ancestor(p->lower[i], p->upper))
            return sbx_error(err, 0, "%s: the upper directory is inside the lower layer %s",
                             upper_what, names[i]);
        if (sbx_ovl_is_ancestor(p->upper, p->lower[i]))
            return sbx_error(err, 0, "%s: the lower layer %s is inside the upper directory",
                             upper_what, names[i]);
        if (p->work >= 0 && (sbx_ovl_is_ancestor(p->lower[i], p->work) ||
                             sbx_ovl_is_ancestor(p->work, p->lower[i])))
            return sbx_error(err, 0, "%s: the work directory overlaps the lower layer %s", what,
                             names[i]);
    }
    if (p->work >= 0 &&
        (sbx_ovl_is_ancestor(p->upper, p->work) || sbx_ovl_is_ancestor(p->work, p->upper)))
        return sbx_error(err, 0, "%s: the upper and work directories must not contain each other",
                         what);
    return 0;
}

static int lock_upper(int upper, const char *upper_what, sbx_error_t *err)
{
    if (flock(upper, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno == EWOULDBLOCK)
        return sbx_error(err, 0, "%s: in use by another running sandbox", upper_what);
    return sbx_error(err, errno, "%s: lock", upper_what);
}

static int open_lowers(const char *const *names, size_t n, const char *opt, const char *what,
                       struct prepared *p, sbx_error_t *err)
{
    p->lower = xmalloc0(sizeof(int) * n);
    p->lower_path = xmalloc0(sizeof(char *) * n);
    for (size_t i = 0; i < n; i++) {
        p->lower_path[i] = names[i];
        _cleanup_free_ char *w = what ? xstrdup(what) : xasprintf("%s %s", opt, names[i]);
        p->lower[i] = -1;
        if (open_dir_nofollow(AT_FDCWD, names[i], O_PATH, w, what ? names[i] : "", &p->lower[i],
                              err) < 0)
            return -1;
        p->n_lower++;
    }
    return 0;
}

/* "a/b/up/" -> parent "a/b", base "up" (malloc'd). */
static int split_path(const char *path, char **parent, char **base)
{
    _cleanup_free_ char *p = xstrdup(path);
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/')
        p[--len] = '\0';
    char *slash = strrchr(p, '/');
    if (slash == NULL) {
        *parent = xstrdup(".");
        *base = xstrdup(p);
    } else {
        *base = xstrdup(slash + 1);
        *slash = '\0';
        *parent = xstrdup(slash == p ? "/" : p);
    }
    return (**base == '\0' || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) ? -1 : 0;
}

/* --overlay-upper DIR: DIR (created if missing, mode of the top layer) and
 * its work directory DIR/../.NAME.sbx-work (mode 0700), both opened without
 * following symlinks. */
static int prepare_root_upper(const struct sbx_config *cfg, struct prepared *p, sbx_error_t *err)
{
    _cleanup_free_ char *what = xasprintf("--overlay-upper %s", cfg->overlay_upper);
    _cleanup_free_ char *parent = NULL, *base = NULL, *workname = NULL;
    _cleanup_close_ int pfd = -1;
    if (split_path(cfg->overlay_upper, &parent, &base) < 0)
        return sbx_error(err, 0, "%s: not a usable directory name", what);
    pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0)
        return sbx_error(err, errno, "%s", what);
    workname = xasprintf(".%s.sbx-work", base);
    struct stat st;
    bool create_upper = fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT;
    if (create_upper) {
        struct stat top;
        mode_t mode = 0755;
        if (fstat(p->lower[p->n_lower - 1], &top) == 0)
            mode = top.st_mode & 07777;
        if (mkdirat(pfd, base, 0700) < 0)
            return sbx_error(err, errno, "%s: create", what);
        _cleanup_close_ int fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0)
            best_effort(fchmod(fd, mode));
    }
    if (open_dir_nofollow(pfd, base, O_RDONLY, what, "", &p->upper, err) < 0)
        return -1;
    p->upper_path = xstrdup(cfg->overlay_upper);
    p->work_path = xasprintf("%s/%s", parent, workname);
    if (mkdirat(pfd, workname, 0700) < 0 && errno != EEXIST)
        return sbx_error(err, errno, "%s: create its work directory %s/%s", what, parent, workname);
    return open_dir_nofollow(pfd, workname, O_PATH, what, "work directory", &p->work, err);
}

static int prepare_op(const struct sbx_config *cfg, const struct sbx_op *op, struct prepared *p,
                      sbx_error_t *err)
{
    if (open_lowers(op->srcs, op->n_srcs, NULL, op->text, p, err) < 0)
        return -1;
    if (op->kind != OP_RW_OVERLAY)
        return 0;
    if (open_dir_nofollow(AT_FDCWD, op->src, O_RDONLY, op->text, op->src, &p->upper, err) < 0 ||
        open_dir_nofollow(AT_FDCWD, op->work, O_PATH, op->text, op->work, &p->work, err) < 0)
        return -1;
    p->upper_path = xstrdup(op->src);
    p->work_path = xstrdup(op->work);
    if (check_overlap(p, op->srcs, op->text, op->text, err) < 0)
        return -1;
    return lock_upper(p->upper, op->text, err);
}

static const char *root_what_name(const struct sbx_config *cfg)
{
    return cfg->overlay_layers[cfg->n_overlay_layers - 1];
}

int sbx_overlay_prepare(const struct sbx_config *cfg, sbx_error_t *err)
{
    bool any = cfg->n_overlay_layers > 0;
    for (size_t i = 0; i < cfg->n_ops; i++)
        if (cfg->ops[i].kind >= OP_TMP_OVERLAY)
            any = true;
    if (!any || S.done)
        return 0;
    S.done = true;
    prepared_init(&S.root);
    S.ops = xmalloc0(sizeof(*S.ops) * (cfg->n_ops ? cfg->n_ops : 1));
    for (size_t i = 0; i < cfg->n_ops; i++)
        prepared_init(&S.ops[i]);

    /* Check everything before creating anything (a persistent upper). */
    if (cfg->n_overlay_layers && open_lowers(cfg->overlay_layers, cfg->n_overlay_layers,
                                             "--overlay", NULL, &S.root, err) < 0)
        return -1;
    for (size_t i = 0; i < cfg->n_ops; i++)
        if (cfg->ops[i].kind >= OP_TMP_OVERLAY && prepare_op(cfg, &cfg->ops[i], &S.ops[i], err) < 0)
            return -1;
    if (cfg->overlay_driver == OVL_FUSE) {
        _cleanup_free_ char *what = NULL;
        if (cfg->n_overlay_layers)
            what = xasprintf("--overlay %s", root_what_name(cfg));
        for (size_t i = 0; what == NULL && i < cfg->n_ops; i++)
            if (cfg->ops[i].kind >= OP_TMP_OVERLAY)
                what = xstrdup(cfg->ops[i].text);
        if (sbx_ovl_fuse_find(what, &S.fuse_exe, err) < 0)
            return -1;
    }
    if (cfg->overlay_upper) {
        _cleanup_free_ char *what = xasprintf("--overlay-upper %s", cfg->overlay_upper);
        /* Refuse an upper inside a lower before creating it there. */
        _cleanup_free_ char *parent = NULL, *base = NULL;
        if (split_path(cfg->overlay_upper, &parent, &base) == 0) {
            _cleanup_close_ int pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
            for (size_t i = 0; pfd >= 0 && i < S.root.n_lower; i++)
                if (sbx_ovl_is_ancestor(S.root.lower[i], pfd))
                    return sbx_error(err, 0, "%s: the upper directory is inside the lower layer %s",
                                     what, cfg->overlay_layers[i]);
        }
        if (prepare_root_upper(cfg, &S.root, err) < 0)
            return -1;
        if (check_overlap(&S.root, cfg->overlay_layers, what, what, err) < 0)
            return -1;
        if (lock_upper(S.root.upper, what, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- in the child ---- */

/* In the child: the same directory, opened again by name in this mount
 * namespace (see struct prepared). */
static int reopen_same(int fd, const char *path, int flags, const char *what, int *out,
                       sbx_error_t *err)
{
    if (open_dir_nofollow(AT_FDCWD, path, flags, what, path, out, err) < 0)
        return -1;
    struct stat a, b;
    if (fstat(fd, &a) < 0 || fstat(*out, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
        return sbx_error(err, 0, "%s: %s was replaced while the sandbox started", what, path);
    return 0;
}

#define SBX_OVL_MAX_LAYERS 500 /* overlayfs' own limit */

struct child_fds {
    int lower[SBX_OVL_MAX_LAYERS + 1];
    size_t n_lower;
    int upper, work;
};

static void child_fds_close(struct child_fds *c)
{
    for (size_t i = 0; i < c->n_lower; i++)
        close(c->lower[i]);
    if (c->upper >= 0)
        close(c->upper);
    if (c->work >= 0)
        close(c->work);
    c->n_lower = 0;
    c->upper = c->work = -1;
}

static int child_fds_open(const struct prepared *p, const char *what, struct child_fds *c,
                          sbx_error_t *err)
{
    c->n_lower = 0;
    c->upper = c->work = -1;
    if (p->n_lower > SBX_OVL_MAX_LAYERS)
        return sbx_error(err, 0, "%s: more than %d layers", what, SBX_OVL_MAX_LAYERS);
    for (size_t i = 0; i < p->n_lower; i++) {
        if (reopen_same(p->lower[i], p->lower_path[i], O_PATH, what, &c->lower[i], err) < 0)
            return -1;
        c->n_lower++;
    }
    if (p->upper >= 0 &&
        (reopen_same(p->upper, p->upper_path, O_RDONLY, what, &c->upper, err) < 0 ||
         reopen_same(p->work, p->work_path, O_PATH, what, &c->work, err) < 0))
        return -1;
    return 0;
}

static bool in_user_namespace(void)
{
    struct sbx_extent e;
    if (sbx_idmap_read(AT_FDCWD, "/proc/self/uid_map", &e, 1) != 1)
        return true;
    return !(e.inside == 0 && e.outside == 0 && e.count == 4294967295UL);
}

static void fdpath(char *buf, size_t len, int fd)
{
    snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/* Kernel overlayfs.  On failure *reason says why (the kernel's own log
 * line when it gave one). */
static int mount_kernel(const struct ovl_spec *spec, int *mnt_fd, char **reason)
{
    char p[64];
    bool userns = in_user_namespace();
    /* With userxattr the upper needs user.* xattrs, which tmpfs has only
     * since Linux 6.6: whiteouts in a throwaway upper would fail with EIO. */
    if (userns && spec->upper_on_scratch &&
        fsetxattr(spec->upper, "user.sbx.probe", "1", 1, 0) < 0 && errno == EOPNOTSUPP) {
        *reason = xstrdup("the tmpfs of the throwaway upper layer has no user xattrs "
                          "(Linux 6.6 adds them)");
        return -1;
    }
    if (userns && spec->upper_on_scratch)
        fremovexattr(spec->upper, "user.sbx.probe");
    for (int attempt = 0; attempt < 2; attempt++) {
        _cleanup_close_ int fs = sbx_fsopen("overlay", FSOPEN_CLOEXEC);
        if (fs < 0) {
            *reason = xasprintf("overlay filesystem not available: %s", strerror(errno));
            return -1;
        }
        bool plus = attempt == 0;
        if (plus) {
            /* lowerdir+ (Linux 6.8): one layer per call, top first. */
            for (size_t i = spec->n_lower; plus && i-- > 0;) {
                fdpath(p, sizeof(p), spec->lower[i]);
                if (sbx_fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", p, 0) < 0) {
                    if (i + 1 == spec->n_lower && errno == EINVAL) {
                        plus = false; /* older kernel: the classic string */
                        break;
                    }
                    int saved = errno;
                    char *log = sbx_ovl_fs_log(fs);
                    *reason = log ? log : xasprintf("lower layer: %s", strerror(saved));
                    return -1;
                }
            }
            if (!plus)
                continue;
        } else {
            /* The classic "lowerdir" string (top first, ':'-separated); fsconfig
             * takes at most 256 bytes. */
            char list[256] = "";
            size_t used = 0;
            for (size_t i = spec->n_lower; i-- > 0;) {
                int n = snprintf(list + used, sizeof(list) - used, "%s/proc/self/fd/%d",
                                 used ? ":" : "", spec->lower[i]);
                if (n < 0 || (size_t)n >= sizeof(list) - used) {
                    *reason =
                        xstrdup("too many layers for this kernel (Linux 6.8 lifts the limit)");
                    return -1;
                }
                used += (size_t)n;
            }
            if (sbx_fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", list, 0) < 0) {
                char *log = sbx_ovl_fs_log(fs);
                *reason = log ? log : xasprintf("lowerdir: %s", strerror(errno));
                return -1;
            }
        }
        if (spec->upper >= 0) {
            fdpath(p, sizeof(p), spec->upper);
            if (sbx_fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", p, 0) < 0) {
                char *log = sbx_ovl_fs_log(fs);
                *reason = log ? log : xasprintf("upperdir: %s", strerror(errno));
                return -1;
            }
            fdpath(p, sizeof(p), spec->work);
            if (sbx_fsconfig(fs, FSCONFIG_SET_STRING, "workdir", p, 0) < 0) {
                char *log = sbx_ovl_fs_log(fs);
                *reason = log ? log : xasprintf("workdir: %s", strerror(errno));
                return -1;
            }
        }
        if (userns && sbx_fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0) {
            char *log = sbx_ovl_fs_log(fs);
            *reason = log ? log : xasprintf("userxattr: %s", strerror(errno));
            return -1;
        }
        /* No redirects: a renamed lower directory is copied up whole, so an
         * upper layer stands on its own for `sbx commit`. */
        if (sbx_fsconfig(fs, FSCONFIG_SET_STRING, "redirect_dir", "nofollow", 0) < 0)
            free(sbx_ovl_fs_log(fs));
        if (sbx_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
            int saved = errno;
            char *log = sbx_ovl_fs_log(fs);
            if (plus && saved == EINVAL) {
                /* Before 6.5 overlayfs has no fs_context of its own: the
                 * legacy one accepts any key and only the mount refuses
                 * lowerdir+.  Try again with the classic string. */
                free(log);
                continue;
            }
            *reason = log ? log : xstrdup(strerror(saved));
            return -1;
        }
        free(sbx_ovl_fs_log(fs));
        *mnt_fd = sbx_fsmount(fs, FSMOUNT_CLOEXEC, spec->readonly ? MOUNT_ATTR_RDONLY : 0);
        if (*mnt_fd < 0) {
            *reason = xasprintf("fsmount: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    *reason = xstrdup("lowerdir: not accepted");
    return -1;
}

/* Before Linux 6.15 overlayfs clones its layers' mounts only when they are
 * in the caller's mount namespace, which a detached tmpfs is not: stack
 * the scratch tmpfs on "/" (absolute paths still start below it) while the
 * overlay is made, then detach it again. */
static int mount_kernel_attached(const struct ovl_spec *spec, int *mnt_fd, char **reason)
{
    if (spec->scratch < 0)
        return mount_kernel(spec, mnt_fd, reason);
    if (sbx_move_mount(spec->scratch, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0) {
        *reason = xasprintf("attach scratch tmpfs: %s", strerror(errno));
        return -1;
    }
    int r = mount_kernel(spec, mnt_fd, reason);
    if (r < 0)
        return r; /* left attached: the fuse-overlayfs path moves it on */
    if (sbx_umount_fd(spec->scratch) < 0) {
        *reason = xasprintf("detach scratch tmpfs: %s", strerror(errno));
        close(*mnt_fd);
        *mnt_fd = -1;
        return -1;
    }
    return r;
}

static int mount_spec(const struct sbx_config *cfg, const struct ovl_spec *spec, int *mnt_fd,
                      sbx_error_t *err)
{
    _cleanup_free_ char *reason = NULL;
    if (cfg->overlay_driver != OVL_FUSE) {
        if (mount_kernel_attached(spec, mnt_fd, &reason) == 0) {
            S.used_kernel = true;
            sbx_debug("%s: overlay driver: kernel overlayfs", spec->what);
            return 0;
        }
        if (cfg->overlay_driver == OVL_KERNEL)
            return sbx_error(err, 0,
                             "%s: kernel overlayfs refused it: %s (try --overlay-driver fuse)",
                             spec->what, reason);
        sbx_debug("%s: kernel overlayfs refused it (%s), trying fuse-overlayfs", spec->what,
                  reason);
    }
    if ((S.fuse_exe < 0 && sbx_ovl_fuse_find(spec->what, &S.fuse_exe, err) < 0) ||
        sbx_ovl_fuse_mount(spec, S.fuse_exe, mnt_fd, err) < 0) {
        /* "WHAT: kernel overlayfs refused it (WHY), and fuse-overlayfs ..." */
        size_t n = strlen(spec->what);
        if (reason && err && *err && strncmp((*err)->msg, spec->what, n) == 0 &&
            strncmp((*err)->msg + n, ": ", 2) == 0) {
            char *msg = xasprintf("%s: kernel overlayfs refused it (%s), and %s", spec->what,
                                  reason, (*err)->msg + n + 2);
            free((*err)->msg);
            (*err)->msg = msg;
        }
        return -1;
    }
    S.used_fuse = true;
    sbx_debug("%s: overlay driver: fuse-overlayfs", spec->what);
    return 0;
}

static int make_subdir(int dirfd, const char *name, mode_t mode, int flags, int *out,
                       sbx_error_t *err)
{
    if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST)
        return sbx_error(err, errno, "mkdir %s", name);
    *out = openat(dirfd, name, flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (*out < 0)
        return sbx_error(err, errno, "open %s", name);
    return 0;
}

/* The throwaway upper: NAME/upper and NAME/work on the scratch tmpfs; the
 * upper's root directory takes the mode and owner of the top layer (it is
 * the overlay's root directory). */
static int tmp_upper(int scratch, const char *name, int top, int *upper, int *work,
                     sbx_error_t *err)
{
    _cleanup_close_ int dir = -1;
    if (make_subdir(scratch, name, 0700, O_PATH, &dir, err) < 0 ||
        make_subdir(dir, "upper", 0755, O_RDONLY, upper, err) < 0 ||
        make_subdir(dir, "work", 0700, O_PATH, work, err) < 0)
        return -1;
    struct stat st;
    if (fstat(top, &st) == 0) {
        best_effort(fchown(*upper, st.st_uid, st.st_gid));
        best_effort(fchmod(*upper, st.st_mode & 07777));
    }
    return 0;
}

static int write_small(int dirfd, const char *name, const char *data)
{
    _cleanup_close_ int fd =
        openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, data, strlen(data)) < 0)
        return -1;
    best_effort(fchown(fd, 0, 0));
    return 0;
}

static char *read_host_file(const char *path)
{
    return read_text_at(AT_FDCWD, path, 65535);
}

/* The init layer: SCRATCH/init/etc/{hostname,hosts,resolv.conf}.  Returns
 * the layer's fd in *out, or -1 when the image's /etc is not a directory
 * (then there is nothing to reflect). */
static int build_init_layer(const struct sbx_config *cfg, const int *lower, size_t n_lower,
                            int scratch, int *out, sbx_error_t *err)
{
    *out = -1;
    struct stat etc = {.st_mode = S_IFDIR | 0755};
    for (size_t i = n_lower; i-- > 0;) {
        if (fstatat(lower[i], "etc", &etc, AT_SYMLINK_NOFOLLOW) == 0)
            break;
        etc.st_mode = S_IFDIR | 0755;
    }
    if (!S_ISDIR(etc.st_mode))
        return 0;
    _cleanup_close_ int layer = -1, etcfd = -1;
    if (make_subdir(scratch, "init", 0755, O_PATH, &layer, err) < 0 ||
        make_subdir(layer, "etc", 0755, O_RDONLY, &etcfd, err) < 0)
        return sbx_error_prefix(err, "--overlay: init layer");
    best_effort(fchown(etcfd, etc.st_uid, etc.st_gid));
    best_effort(fchmod(etcfd, etc.st_mode & 07777));

    char host[256] = "localhost";
    if (gethostname(host, sizeof(host) - 1) < 0)
        snprintf(host, sizeof(host), "localhost");
    bool shared_net = !cfg->unshare_net;
    _cleanup_free_ char *hostname = xasprintf("%s\n", host);
    _cleanup_free_ char *hosts_host = shared_net ? read_host_file("/etc/hosts") : NULL;
    _cleanup_free_ char *hosts = NULL;
    if (hosts_host && cfg->hostname)
        hosts = xasprintf("%s%s127.0.1.1\t%s\n", hosts_host,
                          hosts_host[0] && hosts_host[strlen(hosts_host) - 1] != '\n' ? "\n" : "",
                          host);
    else if (hosts_host)
        hosts = xstrdup(hosts_host);
    else
        hosts = xasprintf("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                          "127.0.1.1\t%s\n",
                          host);
    _cleanup_free_ char *resolv = shared_net ? read_host_file("/etc/resolv.conf") : NULL;
    if (write_small(etcfd, "hostname", hostname) < 0 || write_small(etcfd, "hosts", hosts) < 0 ||
        (resolv && write_small(etcfd, "resolv.conf", resolv) < 0))
        return sbx_error(err, errno, "--overlay: init layer");
    *out = steal_fd(&layer);
    return 0;
}

static int make_root(const struct sbx_config *cfg, const char *what, struct child_fds *c,
                     int *mnt_fd, sbx_error_t *err)
{
    _cleanup_close_ int scratch = -1, init = -1, upper = -1, work = -1;
    if (sbx_mount_fd_tmpfs(0755, 0, &scratch, err) < 0)
        return sbx_error_prefix(err, "%s", what);
    if (build_init_layer(cfg, c->lower, c->n_lower, scratch, &init, err) < 0)
        return -1;
    size_t n = c->n_lower;
    if (init >= 0)
        c->lower[n++] = init; /* c has room for it; closed below, not by c */
    struct ovl_spec spec = {.what = what,
                            .lower = c->lower,
                            .n_lower = n,
                            .scratch = scratch,
                            .upper = c->upper,
                            .work = c->work};
    if (c->upper < 0) {
        if (tmp_upper(scratch, "root", c->lower[c->n_lower - 1], &upper, &work, err) < 0)
            return sbx_error_prefix(err, "%s", what);
        spec.upper = upper;
        spec.work = work;
        spec.upper_on_scratch = true;
    }
    return mount_spec(cfg, &spec, mnt_fd, err);
}

int sbx_overlay_make_root(const struct sbx_config *cfg, int *mnt_fd, sbx_error_t *err)
{
    if (!S.done && sbx_overlay_prepare(cfg, err) < 0)
        return -1;
    _cleanup_free_ char *what = xasprintf("--overlay %s", root_what_name(cfg));
    struct child_fds c;
    int r = child_fds_open(&S.root, what, &c, err);
    if (r == 0)
        r = make_root(cfg, what, &c, mnt_fd, err);
    child_fds_close(&c);
    return r;
}

int sbx_overlay_make_mount(const struct sbx_config *cfg, const struct sbx_op *op, int *mnt_fd,
                           sbx_error_t *err)
{
    if (!S.done && sbx_overlay_prepare(cfg, err) < 0)
        return -1;
    size_t idx = (size_t)(op - cfg->ops);
    if (idx >= cfg->n_ops || S.ops == NULL)
        return sbx_error(err, 0, "%s: not prepared", op->text);
    struct child_fds c;
    int r = child_fds_open(&S.ops[idx], op->text, &c, err);
    struct ovl_spec spec = {.what = op->text,
                            .lower = c.lower,
                            .n_lower = c.n_lower,
                            .upper = c.upper,
                            .work = c.work,
                            .scratch = -1};
    _cleanup_close_ int scratch = -1, upper = -1, work = -1;
    if (r == 0 && op->kind == OP_RO_OVERLAY) {
        spec.readonly = true;
        spec.upper = spec.work = -1;
    } else if (r == 0 && op->kind == OP_TMP_OVERLAY) {
        if (sbx_mount_fd_tmpfs(0755, 0, &scratch, err) < 0 ||
            tmp_upper(scratch, "op", c.lower[c.n_lower - 1], &upper, &work, err) < 0)
            r = sbx_error_prefix(err, "%s", op->text);
        spec.upper = upper;
        spec.work = work;
        spec.scratch = scratch;
        spec.upper_on_scratch = true;
    }
    if (r == 0)
        r = mount_spec(cfg, &spec, mnt_fd, err);
    child_fds_close(&c);
    return r;
}

int sbx_overlay_init_layer(const struct sbx_config *cfg, int root_fd, sbx_error_t *err)
{
    /* Built as a lower layer of the root by sbx_overlay_make_root(). */
    return 0;
}

const char *sbx_overlay_driver_used(void)
{
    if (S.used_fuse && S.used_kernel)
        return "kernel+fuse";
    if (S.used_fuse)
        return "fuse";
    if (S.used_kernel)
        return "kernel";
    return NULL;
}
