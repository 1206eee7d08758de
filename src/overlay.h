/* overlay.h - overlay layers: the --overlay root, overlays at DEST,
 * kernel overlayfs in the user namespace or fuse-overlayfs. */
#ifndef SBX_OVERLAY_H
#define SBX_OVERLAY_H

#include "sbx-config.h"
#include "util.h"

/* In the monitor, before clone(): check layer and upper paths, refuse an
 * upper that is in use or inside a lower, take the upper's lock (held by
 * the monitor until it exits). */
int sbx_overlay_prepare(const struct sbx_config *cfg, sbx_error_t *err);

/* In the child, in its new mount namespace (before pivot_root, host paths
 * still reachable): build the root from cfg->overlay_layers and return a
 * mount fd (an fsmount() or open_tree(OPEN_TREE_CLONE) fd) that mounts.c
 * makes the new root. */
int sbx_overlay_make_root(const struct sbx_config *cfg, int *mnt_fd, sbx_error_t *err);

/* The same for OP_TMP_OVERLAY / OP_RO_OVERLAY / OP_RW_OVERLAY: a mount fd
 * that mounts.c attaches at op->dest. */
int sbx_overlay_make_mount(const struct sbx_config *cfg, const struct sbx_op *op, int *mnt_fd,
                           sbx_error_t *err);

/* After the overlay root is in place and before the other directives.
 * Nothing to do now: the init layer (/etc/hostname, /etc/hosts,
 * /etc/resolv.conf as the sandbox should see them) is a lower layer on a
 * private tmpfs that sbx_overlay_make_root() stacks just below the upper,
 * so nothing is written to the upper layer and a commit never captures it.
 * Kept as the hook for per-sandbox files that must be mounts. */
int sbx_overlay_init_layer(const struct sbx_config *cfg, int root_fd, sbx_error_t *err);

/* Which driver was used ("kernel", "fuse"), for --info-fd / --verbose. */
const char *sbx_overlay_driver_used(void);

/* `sbx commit UPPER OUT`: argv[0] is "commit". Returns exit status. */
int sbx_commit_main(int argc, char **argv, sbx_error_t *err);

#endif
