/* mounts.h - the sandbox's filesystem, built from the directives. */
#ifndef SBX_MOUNTS_H
#define SBX_MOUNTS_H

#include "sbx-config.h"
#include "util.h"

/* What can be made before the id maps exist: the source trees of binds
 * and new filesystem instances (fds in command-line order). */
struct sbx_mount_plan {
    int *pre; /* per directive: its mount, -1 (none / make it later), -2 (skip) */
    size_t n;
    int root; /* the root tmpfs, or -1 */
};

/* In the child, in its new mount namespace, before the id maps are
 * written: make / a slave mount and prepare the plan. */
int sbx_mounts_prepare(const struct sbx_config *cfg, struct sbx_mount_plan *plan, sbx_error_t *err);

/* Once the maps are there: build the new root from the directives in
 * command-line order and pivot_root into it.  Host paths (bind sources)
 * resolve normally until the pivot. */
int sbx_mounts_build(const struct sbx_config *cfg, struct sbx_mount_plan *plan, sbx_error_t *err);
void sbx_mount_plan_free(struct sbx_mount_plan *plan);

/* Helpers shared with overlay.c. */
int sbx_mount_fd_tmpfs(unsigned mode, unsigned long long size, int *mnt_fd, sbx_error_t *err);
/* Open (O_PATH) DIR below root_fd, resolved inside it, creating missing
 * directories (0755) when create is set. */
int sbx_open_dir_in_root(int root_fd, const char *path, bool create, int *out, sbx_error_t *err);

#endif
