/* mount-api.h - the fd-based mount API (Linux 5.12) as plain calls: glibc
 * 2.36 declares none of them.  Shared by mounts.c, overlay*.c and commit.c. */
#ifndef SBX_MOUNT_API_H
#define SBX_MOUNT_API_H

#include <fcntl.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int sbx_open_tree(int dfd, const char *path, unsigned flags)
{
    return (int)syscall(SYS_open_tree, dfd, path, flags);
}

static inline int sbx_move_mount(int from, const char *fpath, int to, const char *tpath,
                                 unsigned flags)
{
    return (int)syscall(SYS_move_mount, from, fpath, to, tpath, flags);
}

static inline int sbx_mount_setattr(int dfd, const char *path, unsigned flags,
                                    unsigned long long set, unsigned long long clr)
{
    struct mount_attr attr = {.attr_set = set, .attr_clr = clr};
    return (int)syscall(SYS_mount_setattr, dfd, path, flags, &attr, sizeof(attr));
}

static inline int sbx_fsopen(const char *fs, unsigned flags)
{
    return (int)syscall(SYS_fsopen, fs, flags);
}

static inline int sbx_fsconfig(int fd, unsigned cmd, const char *key, const void *val, int aux)
{
    return (int)syscall(SYS_fsconfig, fd, cmd, key, val, aux);
}

static inline int sbx_fsmount(int fd, unsigned flags, unsigned attrs)
{
    return (int)syscall(SYS_fsmount, fd, flags, attrs);
}

static inline int sbx_pivot_root(const char *new_root, const char *put_old)
{
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

static inline int sbx_openat2(int dfd, const char *path, int flags, unsigned long long resolve)
{
    struct open_how how = {.flags = (unsigned long long)flags | O_CLOEXEC, .resolve = resolve};
    return (int)syscall(SYS_openat2, dfd, path, &how, sizeof(how));
}

/* Detach the mount whose root fd refers to (lazily, as umount -l). */
static inline int sbx_umount_fd(int fd)
{
    char p[32];
    snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
    return umount2(p, MNT_DETACH);
}

#endif
