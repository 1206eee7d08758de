/* commit.c - `sbx commit UPPER OUT`: turn an overlay upper directory into
 * an image layer.
 *
 * OUT (a directory) is a layer usable as an --overlay lower: whiteouts are
 * 0/0 character devices and opaque directories carry user.overlay.opaque=y
 * (and trusted.overlay.opaque=y when run as root), which both kernel
 * overlayfs (with or without userxattr) and fuse-overlayfs read in lower
 * layers.  OUT.tar is an OCI-style layer: whiteouts are empty ".wh.NAME"
 * files and an opaque directory gets a ".wh..wh..opq" entry.
 *
 * Both forms of overlay whiteouts are converted: the kernel's (0/0
 * character devices; trusted.overlay.opaque, or user.overlay.opaque under
 * userxattr) and fuse-overlayfs's (0/0 devices or ".wh.NAME" files when it
 * cannot mknod; user.fuseoverlayfs.opaque or a ".wh..wh..opq" file).
 * Overlay bookkeeping xattrs and security.capability are never copied, so
 * a layer carries no file capabilities.  The upper is read without
 * following any symlink in it, and refused while a sandbox uses it. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "overlay-int.h"
#include "overlay.h"
#include "userns.h"

/* For calls whose failure is acceptable (an owner that is not mapped). */
static inline void best_effort(int r)
{
    (void)r;
}

struct hardlink {
    dev_t dev;
    ino_t ino;
    char *path;
};

struct commit {
    const char *upper_name, *out_name;
    bool tar, root;
    int tar_fd; /* tar mode */
    int out_fd; /* directory mode: OUT */
    struct hardlink *links;
    size_t n_links;
    struct sbx_extent uid_map[SBX_MAX_EXTENTS], gid_map[SBX_MAX_EXTENTS];
    size_t n_uid, n_gid;
};

#define WH_PREFIX ".wh."
#define WH_OPQ    ".wh..wh..opq"

/* ---- ids recorded in the tar: as the sandbox saw them ---- */

static void plan_idmap(struct commit *c)
{
    if (c->root)
        return;
    struct sbx_extent r[SBX_MAX_EXTENTS];
    const char *user = getenv("USER");
    size_t n = sbx_subid_ranges("/etc/subuid", user, getuid(), r, SBX_MAX_EXTENTS);
    c->n_uid = sbx_idmap_layout(getuid(), getuid(), r, n, c->uid_map, SBX_MAX_EXTENTS);
    n = sbx_subid_ranges("/etc/subgid", user, getuid(), r, SBX_MAX_EXTENTS);
    c->n_gid = sbx_idmap_layout(getgid(), getgid(), r, n, c->gid_map, SBX_MAX_EXTENTS);
}

static unsigned long map_back(const struct sbx_extent *m, size_t n, unsigned long id)
{
    for (size_t i = 0; i < n; i++)
        if (id >= m[i].outside && id - m[i].outside < m[i].count)
            return m[i].inside + (id - m[i].outside);
    return id;
}

/* ---- tar (ustar, with pax headers for long names) ---- */

static int tar_write(struct commit *c, const void *buf, size_t len, sbx_error_t *err)
{
    if (write_all(c->tar_fd, buf, len) < 0)
        return sbx_error(err, errno, "commit %s", c->out_name);
    return 0;
}

static int tar_pad(struct commit *c, unsigned long long size, sbx_error_t *err)
{
    static const char zeros[512];
    size_t pad = (512 - size % 512) % 512;
    return pad ? tar_write(c, zeros, pad, err) : 0;
}

/* LEN-1 octal digits and a NUL (callers make sure the value fits). */
static void octal(char *field, size_t len, unsigned long long v)
{
    field[len - 1] = '\0';
    for (size_t i = len - 1; i-- > 0; v >>= 3)
        field[i] = (char)('0' + (v & 7));
}

static void pax_record(char **buf, size_t *len, const char *key, const char *val)
{
    size_t body = strlen(key) + strlen(val) + 3; /* " " "=" "\n" */
    size_t total = body + 1;
    while (snprintf(NULL, 0, "%zu", total) + body != total)
        total++;
    *buf = xrealloc(*buf, *len + total + 1);
    snprintf(*buf + *len, total + 1, "%zu %s=%s\n", total, key, val);
    *len += total;
}

static int tar_header(struct commit *c, const char *name, const struct stat *st, char type,
                      const char *link, unsigned long long size, sbx_error_t *err)
{
    char h[512];
    unsigned long uid = map_back(c->uid_map, c->n_uid, st->st_uid);
    unsigned long gid = map_back(c->gid_map, c->n_gid, st->st_gid);
    if (strlen(name) > 100 || (link && strlen(link) > 100) || uid > 07777777 || gid > 07777777) {
        _cleanup_free_ char *pax = NULL;
        size_t len = 0;
        char num[32];
        if (strlen(name) > 100)
            pax_record(&pax, &len, "path", name);
        if (link && strlen(link) > 100)
            pax_record(&pax, &len, "linkpath", link);
        snprintf(num, sizeof(num), "%lu", uid);
        if (uid > 07777777)
            pax_record(&pax, &len, "uid", num);
        snprintf(num, sizeof(num), "%lu", gid);
        if (gid > 07777777)
            pax_record(&pax, &len, "gid", num);
        struct stat pst = {.st_mode = 0644, .st_mtime = st->st_mtime};
        struct commit plain = *c;
        plain.n_uid = plain.n_gid = 0;
        if (tar_header(&plain, "././@PaxHeader", &pst, 'x', NULL, len, err) < 0 ||
            tar_write(c, pax, len, err) < 0 || tar_pad(c, len, err) < 0)
            return -1;
    }
    memset(h, 0, sizeof(h));
    memcpy(h, name, strlen(name) > 100 ? 100 : strlen(name));
    octal(h + 100, 8, st->st_mode & 07777);
    octal(h + 108, 8, uid > 07777777 ? 0 : uid);
    octal(h + 116, 8, gid > 07777777 ? 0 : gid);
    octal(h + 124, 12, size);
    octal(h + 136, 12, st->st_mtime < 0 ? 0 : (unsigned long long)st->st_mtime);
    memset(h + 148, ' ', 8);
    h[156] = type;
    if (link)
        memcpy(h + 157, link, strlen(link) > 100 ? 100 : strlen(link));
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    if (type == '3' || type == '4') {
        octal(h + 329, 8, major(st->st_rdev));
        octal(h + 337, 8, minor(st->st_rdev));
    }
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof(h); i++)
        sum += (unsigned char)h[i];
    snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    return tar_write(c, h, sizeof(h), err);
}

static int tar_copy(struct commit *c, int fd, unsigned long long size, const char *rel,
                    sbx_error_t *err)
{
    char buf[65536];
    unsigned long long done = 0;
    while (done < size) {
        size_t want = size - done < sizeof(buf) ? (size_t)(size - done) : sizeof(buf);
        ssize_t n = read_all(fd, buf, want);
        if (n < 0)
            return sbx_error(err, errno, "commit %s/%s", c->upper_name, rel);
        if (n == 0) /* shrank meanwhile: keep the archive consistent */
            memset(buf, 0, want), n = (ssize_t)want;
        if (tar_write(c, buf, (size_t)n, err) < 0)
            return -1;
        done += (unsigned long long)n;
    }
    return tar_pad(c, size, err);
}

/* ---- directory output ---- */

static bool copied_xattr(const char *name, bool root)
{
    if (strncmp(name, "user.", 5) == 0)
        return strncmp(name, "user.overlay.", 13) != 0 &&
               strncmp(name, "user.fuseoverlayfs.", 19) != 0;
    if (root && strncmp(name, "trusted.", 8) == 0)
        return strncmp(name, "trusted.overlay.", 16) != 0;
    return false; /* security.* (capabilities, labels), system.* */
}

static int copy_xattrs(struct commit *c, int src, int dst, const char *rel, sbx_error_t *err)
{
    char names[8192], val[8192];
    ssize_t n = flistxattr(src, names, sizeof(names));
    for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(names + i) + 1) {
        const char *k = names + i;
        if (!copied_xattr(k, c->root))
            continue;
        ssize_t v = fgetxattr(src, k, val, sizeof(val));
        if (v >= 0 && fsetxattr(dst, k, val, (size_t)v, 0) < 0 && errno != ENOTSUP)
            return sbx_error(err, errno, "commit %s/%s: xattr %s", c->out_name, rel, k);
    }
    return 0;
}

static void set_owner_times(struct commit *c, int dirfd, const char *name, const struct stat *st)
{
    if (c->root)
        if (fchownat(dirfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0) {
            /* best effort: the owner may not be mapped */
        }
    struct timespec ts[2] = {st->st_atim, st->st_mtim};
    (void)utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW);
}

static int dir_file(struct commit *c, int src, int outdir, const char *name, const char *rel,
                    const struct stat *st, sbx_error_t *err)
{
    _cleanup_close_ int dst =
        openat(outdir, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (dst < 0)
        return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
    char buf[65536];
    ssize_t n;
    while ((n = read(src, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || write_all(dst, buf, (size_t)n) < 0)
            return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
    }
    if (copy_xattrs(c, src, dst, rel, err) < 0)
        return -1;
    if (c->root)
        best_effort(fchown(dst, st->st_uid, st->st_gid));
    if (fchmod(dst, st->st_mode & 07777) < 0)
        return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
    struct timespec ts[2] = {st->st_atim, st->st_mtim};
    (void)futimens(dst, ts);
    return 0;
}

/* ---- the walk ---- */

static bool xattr_is(int fd, const char *name, const char *want)
{
    char v[8];
    ssize_t n = fgetxattr(fd, name, v, sizeof(v));
    return n == (ssize_t)strlen(want) && memcmp(v, want, (size_t)n) == 0;
}

static bool has_xattr(int fd, const char *name)
{
    return fgetxattr(fd, name, NULL, 0) >= 0;
}

static int check_plain(struct commit *c, int fd, const char *rel, sbx_error_t *err)
{
    static const char *const bad[] = {"trusted.overlay.redirect", "user.overlay.redirect",
                                      "trusted.overlay.metacopy", "user.overlay.metacopy"};
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        if (has_xattr(fd, bad[i]))
            return sbx_error(err, 0,
                             "commit %s/%s: has %s (made with redirect_dir or metacopy, "
                             "which a layer cannot express)",
                             c->upper_name, rel, bad[i]);
    return 0;
}

static bool dir_is_opaque(int fd)
{
    return xattr_is(fd, "trusted.overlay.opaque", "y") ||
           xattr_is(fd, "user.overlay.opaque", "y") ||
           xattr_is(fd, "user.fuseoverlayfs.opaque", "y") ||
           faccessat(fd, WH_OPQ, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **list_dir(int fd, size_t *n)
{
    *n = 0;
    int dup_fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (d == NULL) {
        if (dup_fd >= 0)
            close(dup_fd);
        return NULL;
    }
    char **names = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        names = xrealloc(names, sizeof(char *) * (*n + 1));
        names[(*n)++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof(char *), cmp_names);
    return names ? names : xmalloc0(sizeof(char *));
}

static int emit_whiteout(struct commit *c, int outdir, const char *dirrel, const char *name,
                         const struct stat *st, sbx_error_t *err)
{
    if (c->tar) {
        _cleanup_free_ char *p = xasprintf("%s" WH_PREFIX "%s", dirrel, name);
        struct stat w = {.st_mode = 0644, .st_mtime = st->st_mtime};
        return tar_header(c, p, &w, '0', NULL, 0, err);
    }
    if (mknodat(outdir, name, S_IFCHR | 0, makedev(0, 0)) < 0)
        return sbx_error(err, errno, "commit %s/%s%s: whiteout", c->out_name, dirrel, name);
    return 0;
}

static int walk(struct commit *c, int dirfd, const char *dirrel, int outdir, sbx_error_t *err);

static int emit_entry(struct commit *c, int dirfd, const char *dirrel, const char *name, int outdir,
                      sbx_error_t *err)
{
    struct stat st;
    _cleanup_free_ char *rel = xasprintf("%s%s", dirrel, name);
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return sbx_error(err, errno, "commit %s/%s", c->upper_name, rel);

    /* Whiteouts and opaque markers, in either driver's form. */
    if (strcmp(name, WH_OPQ) == 0)
        return 0;
    if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0))
        return strncmp(name, WH_PREFIX, 4) == 0 ? 0
                                                : emit_whiteout(c, outdir, dirrel, name, &st, err);
    if (S_ISREG(st.st_mode) && strncmp(name, WH_PREFIX, 4) == 0 && name[4])
        return emit_whiteout(c, outdir, dirrel, name + 4, &st, err);

    if (S_ISDIR(st.st_mode)) {
        _cleanup_close_ int fd =
            openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return sbx_error(err, errno, "commit %s/%s", c->upper_name, rel);
        if (check_plain(c, fd, rel, err) < 0)
            return -1;
        _cleanup_free_ char *sub = xasprintf("%s/", rel);
        bool opaque = dir_is_opaque(fd);
        _cleanup_close_ int out = -1;
        if (c->tar) {
            if (tar_header(c, sub, &st, '5', NULL, 0, err) < 0)
                return -1;
            if (opaque) {
                _cleanup_free_ char *o = xasprintf("%s" WH_OPQ, sub);
                struct stat w = {.st_mode = 0644, .st_mtime = st.st_mtime};
                if (tar_header(c, o, &w, '0', NULL, 0, err) < 0)
                    return -1;
            }
        } else {
            if (mkdirat(outdir, name, 0700) < 0 ||
                (out = openat(outdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
            if (opaque && fsetxattr(out, "user.overlay.opaque", "y", 1, 0) < 0)
                return sbx_error(err, errno, "commit %s/%s: user.overlay.opaque", c->out_name, rel);
            if (opaque && c->root)
                (void)fsetxattr(out, "trusted.overlay.opaque", "y", 1, 0);
            if (copy_xattrs(c, fd, out, rel, err) < 0)
                return -1;
        }
        if (walk(c, fd, sub, out, err) < 0)
            return -1;
        if (!c->tar) {
            if (fchmod(out, st.st_mode & 07777) < 0)
                return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
            set_owner_times(c, outdir, name, &st);
        }
        return 0;
    }

    /* Hard links inside the layer stay hard links. */
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
        for (size_t i = 0; i < c->n_links; i++) {
            if (c->links[i].dev != st.st_dev || c->links[i].ino != st.st_ino)
                continue;
            if (c->tar)
                return tar_header(c, rel, &st, '1', c->links[i].path, 0, err);
            if (linkat(c->out_fd, c->links[i].path, outdir, name, 0) < 0)
                return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
            return 0;
        }
        c->links = xrealloc(c->links, sizeof(*c->links) * (c->n_links + 1));
        c->links[c->n_links++] = (struct hardlink){st.st_dev, st.st_ino, xstrdup(rel)};
    }

    if (S_ISREG(st.st_mode)) {
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            return sbx_error(err, errno, "commit %s/%s", c->upper_name, rel);
        if (check_plain(c, fd, rel, err) < 0)
            return -1;
        if (c->tar)
            return tar_header(c, rel, &st, '0', NULL, (unsigned long long)st.st_size, err) < 0
                       ? -1
                       : tar_copy(c, fd, (unsigned long long)st.st_size, rel, err);
        return dir_file(c, fd, outdir, name, rel, &st, err);
    }
    if (S_ISLNK(st.st_mode)) {
        char target[4097];
        ssize_t n = readlinkat(dirfd, name, target, sizeof(target) - 1);
        if (n < 0)
            return sbx_error(err, errno, "commit %s/%s", c->upper_name, rel);
        target[n] = '\0';
        if (c->tar)
            return tar_header(c, rel, &st, '2', target, 0, err);
        if (symlinkat(target, outdir, name) < 0)
            return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
        set_owner_times(c, outdir, name, &st);
        return 0;
    }
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        char type = S_ISFIFO(st.st_mode) ? '6' : S_ISCHR(st.st_mode) ? '3' : '4';
        if (c->tar)
            return tar_header(c, rel, &st, type, NULL, 0, err);
        if (mknodat(outdir, name, st.st_mode, st.st_rdev) < 0)
            return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
        if (fchmodat(outdir, name, st.st_mode & 07777, 0) < 0 && errno != EPERM)
            return sbx_error(err, errno, "commit %s/%s", c->out_name, rel);
        set_owner_times(c, outdir, name, &st);
        return 0;
    }
    sbx_debug("commit: %s/%s: socket skipped", c->upper_name, rel);
    return 0;
}

static int walk(struct commit *c, int dirfd, const char *dirrel, int outdir, sbx_error_t *err)
{
    size_t n;
    char **names = list_dir(dirfd, &n);
    if (names == NULL)
        return sbx_error(err, errno, "commit %s/%s", c->upper_name, dirrel);
    int r = 0;
    for (size_t i = 0; i < n; i++) {
        if (r == 0)
            r = emit_entry(c, dirfd, dirrel, names[i], outdir, err);
        free(names[i]);
    }
    free(names);
    return r;
}

/* ---- cleanup of a partial output ---- */

static void remove_tree(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        size_t n;
        char **names = list_dir(fd, &n);
        for (size_t i = 0; names && i < n; i++) {
            if (unlinkat(fd, names[i], 0) < 0)
                remove_tree(fd, names[i]);
            free(names[i]);
        }
        free(names);
        close(fd);
    }
    if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
        (void)unlinkat(dirfd, name, 0);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int sbx_commit_main(int argc, char **argv, sbx_error_t *err)
{
    if (argc != 3)
        return sbx_error(err, 0, "commit: usage: %s commit UPPER OUT (a directory, or OUT.tar)",
                         sbx_progname);
    struct commit c = {.upper_name = argv[1], .out_name = argv[2], .tar_fd = -1, .out_fd = -1};
    c.tar = ends_with(c.out_name, ".tar");
    c.root = geteuid() == 0;

    _cleanup_close_ int upper = open(c.upper_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (upper < 0) {
        struct stat st;
        if (lstat(c.upper_name, &st) == 0 && S_ISLNK(st.st_mode))
            return sbx_error(err, 0, "commit %s: is a symbolic link (give the directory)",
                             c.upper_name);
        return sbx_error(err, errno, "commit %s", c.upper_name);
    }
    if (flock(upper, LOCK_SH | LOCK_NB) < 0)
        return sbx_error(err, errno == EWOULDBLOCK ? 0 : errno, "commit %s: %s", c.upper_name,
                         errno == EWOULDBLOCK ? "in use by a running sandbox" : "lock");

    /* OUT: its parent must exist, OUT must not, and it must not be inside UPPER. */
    _cleanup_free_ char *dup = xstrdup(c.out_name);
    size_t len = strlen(dup);
    while (len > 1 && dup[len - 1] == '/')
        dup[--len] = '\0';
    char *slash = strrchr(dup, '/');
    const char *base = slash ? slash + 1 : dup;
    const char *parent = slash ? (slash == dup ? "/" : (*slash = '\0', dup)) : ".";
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return sbx_error(err, 0, "commit %s: not a usable name", c.out_name);
    _cleanup_close_ int pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0)
        return sbx_error(err, errno, "commit %s", c.out_name);
    if (sbx_ovl_is_ancestor(upper, pfd))
        return sbx_error(err, 0, "commit %s: is inside the upper directory %s", c.out_name,
                         c.upper_name);
    struct stat st;
    if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return sbx_error(err, 0, "commit %s: already exists", c.out_name);
    if (fstat(upper, &st) < 0)
        return sbx_error(err, errno, "commit %s", c.upper_name);
    plan_idmap(&c);

    int r;
    if (c.tar) {
        c.tar_fd = openat(pfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (c.tar_fd < 0)
            return sbx_error(err, errno, "commit %s", c.out_name);
        r = walk(&c, upper, "", -1, err);
        static const char end[1024];
        if (r == 0)
            r = tar_write(&c, end, sizeof(end), err);
        if (r == 0 && fsync(c.tar_fd) < 0)
            r = sbx_error(err, errno, "commit %s", c.out_name);
        close(c.tar_fd);
        if (r < 0)
            unlinkat(pfd, base, 0);
    } else {
        if (mkdirat(pfd, base, 0700) < 0)
            return sbx_error(err, errno, "commit %s", c.out_name);
        c.out_fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (c.out_fd < 0)
            r = sbx_error(err, errno, "commit %s", c.out_name);
        else
            r = walk(&c, upper, "", c.out_fd, err);
        if (r == 0 && fchmod(c.out_fd, st.st_mode & 07777) < 0)
            r = sbx_error(err, errno, "commit %s", c.out_name);
        if (r == 0)
            set_owner_times(&c, pfd, base, &st);
        if (c.out_fd >= 0)
            close(c.out_fd);
        if (r < 0)
            remove_tree(pfd, base);
    }
    for (size_t i = 0; i < c.n_links; i++)
        free(c.links[i].path);
    free(c.links);
    return r < 0 ? -1 : 0;
}
