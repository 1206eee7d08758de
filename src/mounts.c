/* mounts.c - build the sandbox's filesystem from the directives.
 *
 * The new root is a mount (an empty tmpfs, or the overlay root) attached
 * on top of "/" in the sandbox's private mount namespace.  Absolute paths
 * still start from the process root underneath it, so bind sources given
 * on the command line resolve on the host as usual, while every
 * destination is resolved inside the new root by file descriptor
 * (openat2 RESOLVE_IN_ROOT) and mounted by descriptor (open_tree,
 * move_mount, mount_setattr): a symlink in the new tree cannot redirect
 * a mount onto the host.  One pivot_root(".", ".") then makes it the root
 * and the host root is detached. */
#include "config.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "mount-api.h"
#include "mounts.h"
#include "overlay.h"

#define IN_ROOT (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

struct mctx {
    const struct sbx_config *cfg;
    int root_fd; /* the topmost mount on the new root */
    const struct sbx_op *op;
};

/* "/a//b/" -> "a/b"; "/" -> "" */
static char *rel_path(const char *p)
{
    while (*p == '/')
        p++;
    char *r = xstrdup(p);
    size_t n = strlen(r);
    while (n > 0 && r[n - 1] == '/')
        r[--n] = '\0';
    return r;
}

static bool is_root_path(const char *rel)
{
    return rel[0] == '\0' || strcmp(rel, ".") == 0;
}

/* A new filesystem instance as a detached mount. */
static int fs_mount(const char *fstype, const char *const *kv, unsigned attrs, int *mnt_fd,
                    sbx_error_t *err)
{
    _cleanup_close_ int fs = sbx_fsopen(fstype, FSOPEN_CLOEXEC);
    if (fs < 0)
        return sbx_error(err, errno, "fsopen %s", fstype);
    for (size_t i = 0; kv && kv[i]; i += 2) {
        int r = kv[i + 1] ? sbx_fsconfig(fs, FSCONFIG_SET_STRING, kv[i], kv[i + 1], 0)
                          : sbx_fsconfig(fs, FSCONFIG_SET_FLAG, kv[i], NULL, 0);
        if (r < 0)
            return sbx_error(err, errno, "%s option %s", fstype, kv[i]);
    }
    if (sbx_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
        return sbx_error(err, errno, "mount %s", fstype);
    int m = sbx_fsmount(fs, FSMOUNT_CLOEXEC, attrs);
    if (m < 0)
        return sbx_error(err, errno, "mount %s", fstype);
    *mnt_fd = m;
    return 0;
}

int sbx_mount_fd_tmpfs(unsigned mode, unsigned long long size, int *mnt_fd, sbx_error_t *err)
{
    char modes[16], sizes[32];
    snprintf(modes, sizeof(modes), "%04o", mode);
    snprintf(sizes, sizeof(sizes), "%llu", size);
    const char *kv[] = {"mode", modes, size ? "size" : NULL, sizes, NULL};
    return fs_mount("tmpfs", kv, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, mnt_fd, err);
}

int sbx_open_dir_in_root(int root_fd, const char *path, bool create, int *out, sbx_error_t *err)
{
    _cleanup_free_ char *rel = rel_path(path);
    _cleanup_close_ int cur = sbx_openat2(root_fd, ".", O_PATH | O_DIRECTORY, IN_ROOT);
    if (cur < 0)
        return sbx_error(err, errno, "open new root");
    char *p = rel;
    while (*p) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = '\0';
        if (*p != '\0') {
            int next = sbx_openat2(root_fd, rel, O_PATH | O_DIRECTORY, IN_ROOT);
            if (next < 0 && errno == ENOENT && create) {
                if (mkdirat(cur, p, 0755) < 0 && errno != EEXIST)
                    return sbx_error(err, errno, "mkdir %s", rel);
                next = sbx_openat2(root_fd, rel, O_PATH | O_DIRECTORY, IN_ROOT);
            }
            if (next < 0)
                return sbx_error(err, errno, "%s", rel);
            close(cur);
            cur = next;
        }
        if (!slash)
            break;
        *slash = '/';
        p = slash + 1;
    }
    *out = steal_fd(&cur);
    return 0;
}

enum dest_kind { DEST_DIR, DEST_FILE };

/* Make sure op's destination exists (as a directory or an empty file) and
 * return an O_PATH fd for it, resolved inside the new root. */
static int make_dest(struct mctx *c, enum dest_kind kind, unsigned mode, int *out, sbx_error_t *err)
{
    _cleanup_free_ char *rel = rel_path(c->op->dest);
    if (is_root_path(rel)) {
        *out = sbx_openat2(c->root_fd, ".", O_PATH, IN_ROOT);
        return *out < 0 ? sbx_error(err, errno, "%s", c->op->text) : 0;
    }
    char *slash = strrchr(rel, '/');
    const char *base = slash ? slash + 1 : rel;
    _cleanup_close_ int parent = -1;
    if (slash)
        *slash = '\0';
    if (sbx_open_dir_in_root(c->root_fd, slash ? rel : "", true, &parent, err) < 0)
        return sbx_error_prefix(err, "%s", c->op->text);
    if (slash)
        *slash = '/';
    if (kind == DEST_DIR) {
        if (mkdirat(parent, base, mode) < 0 && errno != EEXIST)
            return sbx_error(err, errno, "%s", c->op->text);
    } else {
        int fd = openat(parent, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0 && errno != EEXIST)
            return sbx_error(err, errno, "%s", c->op->text);
        if (fd >= 0)
            close(fd);
    }
    *out = sbx_openat2(c->root_fd, rel, O_PATH, IN_ROOT);
    if (*out < 0)
        return sbx_error(err, errno, "%s", c->op->text);
    return 0;
}

/* Attach mnt (a detached or cloned mount) on dest; a mount on "/" becomes
 * the new top of the root. */
static int attach(struct mctx *c, int mnt, int dest_fd, sbx_error_t *err)
{
    if (sbx_move_mount(mnt, "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return sbx_error(err, errno, "%s", c->op->text);
    _cleanup_free_ char *rel = rel_path(c->op->dest);
    if (is_root_path(rel)) {
        int top = dup(mnt);
        if (top < 0)
            return sbx_error(err, errno, "%s", c->op->text);
        close(c->root_fd);
        c->root_fd = top;
    }
    return 0;
}

static int set_attrs(int mnt, unsigned set, const char *what, sbx_error_t *err)
{
    if (sbx_mount_setattr(mnt, "", AT_EMPTY_PATH | AT_RECURSIVE, set, 0) < 0)
        return sbx_error(err, errno, "%s", what);
    return 0;
}

static unsigned bind_attrs(unsigned flags)
{
    unsigned a = MOUNT_ATTR_NOSUID;
    if (!(flags & OPF_DEVICES))
        a |= MOUNT_ATTR_NODEV;
    if (flags & OPF_READONLY)
        a |= MOUNT_ATTR_RDONLY;
    return a;
}

/* Attach a cloned tree, creating a directory or a file for it. */
static int mount_tree(struct mctx *c, int tree, sbx_error_t *err)
{
    struct stat st;
    if (fstat(tree, &st) < 0)
        return sbx_error(err, errno, "%s", c->op->text);
    _cleanup_close_ int dest = -1;
    if (make_dest(c, S_ISDIR(st.st_mode) ? DEST_DIR : DEST_FILE, S_ISDIR(st.st_mode) ? 0755 : 0644,
                  &dest, err) < 0)
        return -1;
    return attach(c, tree, dest, err);
}

/* A descriptor opened by the caller refers to the host's mount namespace,
 * which open_tree() cannot clone from here: bind the path it names in ours
 * and check that it is the very same file. */
static int open_fd_tree(const struct sbx_op *op, unsigned flags, int *tree, sbx_error_t *err)
{
    char link[40], path[4096];
    struct stat want, got;
    snprintf(link, sizeof(link), "/proc/self/fd/%d", op->fd);
    ssize_t n = readlink(link, path, sizeof(path) - 1);
    if (n < 0 || fstat(op->fd, &want) < 0)
        return sbx_error(err, errno, "%s", op->text);
    path[n] = '\0';
    *tree = sbx_open_tree(AT_FDCWD, path, flags);
    if (*tree < 0)
        return sbx_error(err, errno, "%s: %s", op->text, path);
    if (fstat(*tree, &got) < 0 || got.st_dev != want.st_dev || got.st_ino != want.st_ino)
        return sbx_error(err, 0, "%s: %s is not reachable from the sandbox's mount namespace",
                         op->text, path);
    return 0;
}

/* The source tree of a bind, cloned; 1 when a -try source is missing. */
static int bind_source(const struct sbx_op *op, int *tree, sbx_error_t *err)
{
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE;
    if (op->kind == OP_BIND_FD) {
        if (open_fd_tree(op, flags, tree, err) < 0)
            return -1;
    } else {
        /* Like bubblewrap, a symlinked source binds its target. */
        _cleanup_free_ char *real = realpath(op->src, NULL);
        if (real == NULL) {
            if ((op->flags & OPF_TRY) && (errno == ENOENT || errno == ENOTDIR || errno == EACCES))
                return 1;
            return sbx_error(err, errno, "%s", op->text);
        }
        *tree = sbx_open_tree(AT_FDCWD, real, flags);
        if (*tree < 0)
            return sbx_error(err, errno, "%s", op->text);
    }
    return set_attrs(*tree, bind_attrs(op->flags), op->text, err);
}

static int plain_fs(const char *fstype, const struct sbx_op *op, int *fd, sbx_error_t *err)
{
    if (fs_mount(fstype, NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, fd, err) <
        0)
        return sbx_error_prefix(err, "%s", op->text);
    return 0;
}

/* The mount a directive attaches, made before the directive runs: source
 * trees and new filesystem instances need no id map, so the sandbox makes
 * them while the monitor is still writing the maps.  Returns 0 with *fd
 * (-1 when the directive has no such mount), 1 to skip the directive. */
static int source_of(const struct sbx_op *op, int *fd, sbx_error_t *err)
{
    unsigned mode = (op->flags & OPF_HAS_PERMS) ? op->perms : 0755;
    *fd = -1;
    switch (op->kind) {
    case OP_BIND:
    case OP_BIND_FD:
        return bind_source(op, fd, err);
    case OP_TMPFS:
        if (sbx_mount_fd_tmpfs(mode, (op->flags & OPF_HAS_SIZE) ? op->size : 0, fd, err) < 0)
            return sbx_error_prefix(err, "%s", op->text);
        return 0;
    case OP_DEV:
        if (sbx_mount_fd_tmpfs(0755, 0, fd, err) < 0)
            return sbx_error_prefix(err, "%s", op->text);
        return 0;
    case OP_PROC:
        return plain_fs("proc", op, fd, err);
    case OP_MQUEUE:
        return plain_fs("mqueue", op, fd, err);
    default:
        return 0;
    }
}

/* Attach a new filesystem instance on a directory. */
static int attach_fs(struct mctx *c, int mnt, sbx_error_t *err)
{
    _cleanup_close_ int dest = -1;
    if (make_dest(c, DEST_DIR, 0755, &dest, err) < 0)
        return -1;
    return attach(c, mnt, dest, err);
}

static int reopen_dest(struct mctx *c, int *fd, sbx_error_t *err)
{
    _cleanup_free_ char *rel = rel_path(c->op->dest);
    *fd = sbx_openat2(c->root_fd, is_root_path(rel) ? "." : rel, O_PATH | O_DIRECTORY, IN_ROOT);
    return *fd < 0 ? sbx_error(err, errno, "%s", c->op->text) : 0;
}

/* Bind NAME below dir onto itself, read-only (procfs knobs). */
static int cover_ro(int dir, const char *name, sbx_error_t *err)
{
    _cleanup_close_ int tree = sbx_open_tree(dir, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0)
        return errno == ENOENT ? 0 : sbx_error(err, errno, "protect proc/%s", name);
    if (set_attrs(tree, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, name, err) < 0)
        return -1;
    if (sbx_move_mount(tree, "", dir, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        return sbx_error(err, errno, "protect proc/%s", name);
    return 0;
}

static int do_proc(struct mctx *c, int mnt, sbx_error_t *err)
{
    _cleanup_close_ int top = -1;
    if (attach_fs(c, mnt, err) < 0 || reopen_dest(c, &top, err) < 0)
        return -1;
    /* As bubblewrap does: the host-wide knobs stay read-only. */
    const char *covered[] = {"sys", "sysrq-trigger", "irq", "bus"};
    for (size_t i = 0; i < ARRAY_SIZE(covered); i++)
        if (cover_ro(top, covered[i], err) < 0)
            return sbx_error_prefix(err, "%s", c->op->text);
    return 0;
}

static int bind_host_node(int dir, const char *host, const char *name, sbx_error_t *err)
{
    int fd = openat(dir, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST)
        return sbx_error(err, errno, "create %s", name);
    if (fd >= 0)
        close(fd);
    _cleanup_close_ int tree = sbx_open_tree(AT_FDCWD, host, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (tree < 0)
        return sbx_error(err, errno, "%s", host);
    if (set_attrs(tree, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, host, err) < 0)
        return -1;
    if (sbx_move_mount(tree, "", dir, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
        return sbx_error(err, errno, "bind %s", host);
    return 0;
}

static int dev_populate(int dir, sbx_error_t *err)
{
    const char *nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};
    for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
        char host[32];
        snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
        if (bind_host_node(dir, host, nodes[i], err) < 0)
            return -1;
    }
    const char *links[][2] = {{"stdin", "/proc/self/fd/0"},  {"stdout", "/proc/self/fd/1"},
                              {"stderr", "/proc/self/fd/2"}, {"fd", "/proc/self/fd"},
                              {"core", "/proc/kcore"},       {"ptmx", "pts/ptmx"}};
    for (size_t i = 0; i < ARRAY_SIZE(links); i++)
        if (symlinkat(links[i][1], dir, links[i][0]) < 0 && errno != EEXIST)
            return sbx_error(err, errno, "symlink %s", links[i][0]);
    if (mkdirat(dir, "shm", 01777) < 0 || mkdirat(dir, "pts", 0755) < 0)
        return sbx_error(err, errno, "mkdir");
    char shm[40];
    snprintf(shm, sizeof(shm), "/proc/self/fd/%d/shm", dir);
    if (chmod(shm, 01777) < 0)
        return sbx_error(err, errno, "chmod shm");
    const char *kv[] = {"newinstance", NULL, "ptmxmode", "0666", "mode", "620", NULL};
    _cleanup_close_ int pts = -1;
    if (fs_mount("devpts", kv, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, &pts, err) < 0)
        return -1;
    if (sbx_move_mount(pts, "", dir, "pts", MOVE_MOUNT_F_EMPTY_PATH) < 0)
        return sbx_error(err, errno, "mount devpts");
    /* the caller's terminal, as /dev/console (bubblewrap does the same) */
    if (isatty(1)) {
        char tty[256];
        if (ttyname_r(1, tty, sizeof(tty)) == 0 && bind_host_node(dir, tty, "console", err) < 0)
            return -1;
    }
    return 0;
}

static int do_dev(struct mctx *c, int mnt, sbx_error_t *err)
{
    _cleanup_close_ int top = -1;
    if (attach_fs(c, mnt, err) < 0 || reopen_dest(c, &top, err) < 0)
        return -1;
    _cleanup_close_ int dir = openat(top, ".", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (dir < 0 || dev_populate(dir, err) < 0)
        return sbx_error_prefix(err, "%s", c->op->text);
    return 0;
}

static int chmod_fd(int fd, unsigned mode, const char *what, sbx_error_t *err)
{
    char p[40];
    snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
    if (chmod(p, mode) < 0)
        return sbx_error(err, errno, "%s", what);
    return 0;
}

static int do_dir(struct mctx *c, sbx_error_t *err)
{
    _cleanup_close_ int dest = -1;
    unsigned mode = (c->op->flags & OPF_HAS_PERMS) ? c->op->perms : 0755;
    if (make_dest(c, DEST_DIR, mode, &dest, err) < 0)
        return -1;
    if (c->op->flags & OPF_HAS_PERMS)
        return chmod_fd(dest, mode, c->op->text, err);
    return 0;
}

static int copy_fd(int from, int to)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(from, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return (int)n;
        if (write_all(to, buf, (size_t)n) < 0)
            return -1;
    }
}

/* Create a regular file at dest (resolved inside the root) with fd's data. */
static int write_dest_file(struct mctx *c, int root, const char *dest, sbx_error_t *err)
{
    const struct sbx_op *op = c->op;
    unsigned mode = (op->flags & OPF_HAS_PERMS) ? op->perms : 0666;
    _cleanup_free_ char *rel = rel_path(dest);
    char *slash = strrchr(rel, '/');
    _cleanup_close_ int parent = -1, fd = -1;
    if (slash)
        *slash = '\0';
    if (sbx_open_dir_in_root(root, slash ? rel : "", true, &parent, err) < 0)
        return sbx_error_prefix(err, "%s", op->text);
    fd = openat(parent, slash ? slash + 1 : rel,
                O_CREAT | O_TRUNC | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0)
        return sbx_error(err, errno, "%s", op->text);
    if (copy_fd(op->fd, fd) < 0)
        return sbx_error(err, errno, "%s", op->text);
    if (fchmod(fd, mode) < 0)
        return sbx_error(err, errno, "%s", op->text);
    return 0;
}

/* --bind-data: the file lives on a private scratch tmpfs, briefly stacked on
 * the root so that it can be cloned, then detached again. */
static int do_bind_data(struct mctx *c, sbx_error_t *err)
{
    const struct sbx_op *op = c->op;
    _cleanup_close_ int scratch = -1, tree = -1;
    if (sbx_mount_fd_tmpfs(0755, 0, &scratch, err) < 0)
        return sbx_error_prefix(err, "%s", op->text);
    if (sbx_move_mount(scratch, "", c->root_fd, "",
                       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        return sbx_error(err, errno, "%s", op->text);
    int r = write_dest_file(c, scratch, "data", err);
    if (r == 0) {
        tree = sbx_open_tree(scratch, "data", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (tree < 0)
            r = sbx_error(err, errno, "%s", op->text);
    }
    if (sbx_umount_fd(scratch) < 0 && r == 0)
        r = sbx_error(err, errno, "%s", op->text);
    if (r < 0)
        return -1;
    if (set_attrs(tree, bind_attrs(op->flags), op->text, err) < 0)
        return -1;
    return mount_tree(c, tree, err);
}

static int do_file(struct mctx *c, sbx_error_t *err)
{
    return write_dest_file(c, c->root_fd, c->op->dest, err);
}

static int do_symlink(struct mctx *c, sbx_error_t *err)
{
    const struct sbx_op *op = c->op;
    _cleanup_free_ char *rel = rel_path(op->dest);
    if (is_root_path(rel))
        return sbx_error(err, EEXIST, "%s", op->text);
    char *slash = strrchr(rel, '/');
    _cleanup_close_ int parent = -1;
    if (slash)
        *slash = '\0';
    if (sbx_open_dir_in_root(c->root_fd, slash ? rel : "", true, &parent, err) < 0)
        return sbx_error_prefix(err, "%s", op->text);
    const char *base = slash ? slash + 1 : rel;
    if (symlinkat(op->src, parent, base) == 0)
        return 0;
    int saved = errno;
    char cur[4096];
    ssize_t n = readlinkat(parent, base, cur, sizeof(cur) - 1);
    if (saved == EEXIST && n >= 0) {
        cur[n] = '\0';
        if (strcmp(cur, op->src) == 0)
            return 0; /* the same link is already there: fine, as in bubblewrap */
    }
    return sbx_error(err, saved, "%s", op->text);
}

static int do_chmod(struct mctx *c, sbx_error_t *err)
{
    _cleanup_free_ char *rel = rel_path(c->op->dest);
    _cleanup_close_ int fd =
        sbx_openat2(c->root_fd, is_root_path(rel) ? "." : rel, O_PATH, IN_ROOT);
    if (fd < 0)
        return sbx_error(err, errno, "%s", c->op->text);
    return chmod_fd(fd, c->op->perms, c->op->text, err);
}

static int do_remount_ro(struct mctx *c, sbx_error_t *err)
{
    _cleanup_free_ char *rel = rel_path(c->op->dest);
    _cleanup_close_ int fd =
        sbx_openat2(c->root_fd, is_root_path(rel) ? "." : rel, O_PATH, IN_ROOT);
    if (fd < 0)
        return sbx_error(err, errno, "%s", c->op->text);
    if (sbx_mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, MOUNT_ATTR_RDONLY, 0) < 0) {
        if (errno == EINVAL)
            return sbx_error(err, 0, "%s: not a mount point", c->op->text);
        return sbx_error(err, errno, "%s", c->op->text);
    }
    return 0;
}

static int do_overlay(struct mctx *c, sbx_error_t *err)
{
    _cleanup_close_ int mnt = -1, dest = -1;
    if (sbx_overlay_make_mount(c->cfg, c->op, &mnt, err) < 0)
        return -1;
    if (make_dest(c, DEST_DIR, 0755, &dest, err) < 0)
        return -1;
    return attach(c, mnt, dest, err);
}

/* mnt: the directive's mount made by source_of(), if it has one */
static int run_op(struct mctx *c, int mnt, sbx_error_t *err)
{
    switch (c->op->kind) {
    case OP_BIND:
    case OP_BIND_FD:
        return mount_tree(c, mnt, err);
    case OP_TMPFS:
    case OP_MQUEUE:
        return attach_fs(c, mnt, err);
    case OP_PROC:
        return do_proc(c, mnt, err);
    case OP_DEV:
        return do_dev(c, mnt, err);
    case OP_DIR:
        return do_dir(c, err);
    case OP_FILE:
        return do_file(c, err);
    case OP_BIND_DATA:
        return do_bind_data(c, err);
    case OP_SYMLINK:
        return do_symlink(c, err);
    case OP_CHMOD:
        return do_chmod(c, err);
    case OP_REMOUNT_RO:
        return do_remount_ro(c, err);
    case OP_TMP_OVERLAY:
    case OP_RO_OVERLAY:
    case OP_RW_OVERLAY:
        return do_overlay(c, err);
    case OP_OVERLAY_SRC:
        return 0;
    }
    return sbx_error(err, 0, "%s: unknown directive", c->op->text);
}

static int make_root(struct mctx *c, struct sbx_mount_plan *plan, sbx_error_t *err)
{
    _cleanup_close_ int mnt = steal_fd(&plan->root);
    if (c->cfg->n_overlay_layers > 0) {
        if (sbx_overlay_make_root(c->cfg, &mnt, err) < 0)
            return -1;
    } else if (mnt < 0 && sbx_mount_fd_tmpfs(0755, 0, &mnt, err) < 0) {
        return sbx_error_prefix(err, "new root");
    }
    if (sbx_move_mount(mnt, "", AT_FDCWD, "/", MOVE_MOUNT_F_EMPTY_PATH) < 0)
        return sbx_error(err, errno, "attach new root");
    c->root_fd = steal_fd(&mnt);
    if (c->cfg->n_overlay_layers > 0)
        return sbx_overlay_init_layer(c->cfg, c->root_fd, err);
    return 0;
}

static int pivot(struct mctx *c, sbx_error_t *err)
{
    if (fchdir(c->root_fd) < 0)
        return sbx_error(err, errno, "chdir new root");
    if (sbx_pivot_root(".", ".") < 0)
        return sbx_error(err, errno, "pivot_root");
    if (umount2(".", MNT_DETACH) < 0)
        return sbx_error(err, errno, "detach old root");
    if (chdir("/") < 0)
        return sbx_error(err, errno, "chdir /");
    return 0;
}

#define SKIP_OP (-2)

void sbx_mount_plan_free(struct sbx_mount_plan *plan)
{
    for (size_t i = 0; plan->pre && i < plan->n; i++)
        if (plan->pre[i] >= 0)
            close(plan->pre[i]);
    free(plan->pre);
    if (plan->root >= 0)
        close(plan->root);
    plan->pre = NULL;
    plan->root = -1;
}

int sbx_mounts_prepare(const struct sbx_config *cfg, struct sbx_mount_plan *plan, sbx_error_t *err)
{
    plan->n = cfg->n_ops;
    plan->root = -1;
    plan->pre = xmalloc0(sizeof(int) * (cfg->n_ops + 1));
    for (size_t i = 0; i < cfg->n_ops; i++)
        plan->pre[i] = -1;
    /* Nothing we mount may propagate back to the host. */
    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        return sbx_error(err, errno, "make / a slave mount");
    if (cfg->n_overlay_layers == 0 && sbx_mount_fd_tmpfs(0755, 0, &plan->root, err) < 0)
        return sbx_error_prefix(err, "new root");
    for (size_t i = 0; i < cfg->n_ops; i++) {
        int r = source_of(&cfg->ops[i], &plan->pre[i], err);
        if (r < 0 && (*err)->errnum == EACCES) {
            /* maybe readable once the id map gives us our subordinate ids: retry then */
            sbx_error_release(err);
            continue;
        }
        if (r < 0)
            return -1;
        if (r == 1)
            plan->pre[i] = SKIP_OP;
    }
    return 0;
}

int sbx_mounts_build(const struct sbx_config *cfg, struct sbx_mount_plan *plan, sbx_error_t *err)
{
    struct mctx c = {.cfg = cfg, .root_fd = -1};
    int r = make_root(&c, plan, err);
    for (size_t i = 0; r == 0 && i < cfg->n_ops; i++) {
        c.op = &cfg->ops[i];
        _cleanup_close_ int mnt = steal_fd(&plan->pre[i]);
        if (mnt == SKIP_OP)
            continue;
        if (mnt < 0 && (r = source_of(c.op, &mnt, err)) != 0) {
            r = r == 1 ? 0 : -1;
            continue;
        }
        r = run_op(&c, mnt, err);
    }
    if (r == 0)
        r = pivot(&c, err);
    if (c.root_fd >= 0)
        close(c.root_fd);
    return r;
}
