/* holder.h - the per-user namespace holder: a small long-lived process
 * that owns a user namespace with the caller's subordinate ids mapped as
 * themselves, written once by newuidmap/newgidmap.  While it runs, each
 * sandbox's user namespace is created inside it and its maps are written
 * directly, so starting a sandbox runs no setuid helper. */
#ifndef SBX_HOLDER_H
#define SBX_HOLDER_H

#include "sbx-config.h"
#include "userns.h"
#include "util.h"

/* `sbx holder start|stop|status`. */
int sbx_holder_main(struct sbx_config *cfg, int argc, char **argv, sbx_error_t *err);

/* Before clone, with a single-id map planned: when the caller's holder
 * runs, plan the ranges (it is checked against them) and, if its
 * namespace covers every id of the range map, keep its user namespace in
 * map->holder_nsfd (and its pid in map->holder_pid).  Anything unexpected
 * (another user's socket, a map that does not cover) leaves the holder
 * out.  Returns whether the ranges were planned; when no holder runs they
 * are not, and the caller plans them after clone. */
bool sbx_holder_attach(const struct sbx_config *cfg, struct sbx_idmap *map);

#endif
