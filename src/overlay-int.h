/* overlay-int.h - what overlay.c (layers, kernel driver) shares with
 * overlay-fuse.c (the fuse-overlayfs driver).  Not a public interface. */
#ifndef SBX_OVERLAY_INT_H
#define SBX_OVERLAY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "mount-api.h"
#include "util.h"

/* One overlay to mount: directories as descriptors, opened in the monitor
 * (layers, persistent upper and work) or in the child (tmpfs upper, init
 * layer).  lower[0] is the lowest layer. */
/* Is the directory anc_fd the directory fd or one of its ancestors? */
bool sbx_ovl_is_ancestor(int anc_fd, int fd);

struct ovl_spec {
    const char *what; /* the directive, for messages: "--overlay img" */
    const int *lower; /* O_PATH directory fds, lowest first */
    size_t n_lower;
    int upper, work;       /* -1 for a read-only overlay */
    int scratch;           /* tmpfs holding the init layer and a throwaway upper, or -1 */
    bool upper_on_scratch; /* upper and work are on scratch */
    bool readonly;
};

/* fuse-overlayfs: find the program (SBX_FUSE_OVERLAYFS, else PATH); the
 * result is an O_PATH fd for execveat, or -1 with *err set. */
int sbx_ovl_fuse_find(const char *what, int *exe_fd, sbx_error_t *err);

/* Mount spec with fuse-overlayfs (exe_fd from sbx_ovl_fuse_find); the
 * daemon runs as a child of the calling process, in its namespaces, and
 * is killed when that process exits. */
int sbx_ovl_fuse_mount(const struct ovl_spec *spec, int exe_fd, int *mnt_fd, sbx_error_t *err);

/* The kernel's log lines for fs context fsfd, or NULL.  The mount API
 * calls themselves are in mount-api.h. */
char *sbx_ovl_fs_log(int fsfd);

#endif
