/* userns.h - user namespace id maps: the caller's subuid/subgid ranges
 * through newuidmap/newgidmap, or a single-id map written directly. */
#ifndef SBX_USERNS_H
#define SBX_USERNS_H

#include "sbx-config.h"
#include "util.h"

#define SBX_MAX_EXTENTS 64

struct sbx_extent {
    unsigned long inside, outside, count;
};

struct sbx_idmap {
    enum { IDMAP_NONE, IDMAP_SINGLE, IDMAP_RANGE } kind;
    struct sbx_extent uid[SBX_MAX_EXTENTS], gid[SBX_MAX_EXTENTS];
    size_t n_uid, n_gid;
    char newuidmap[256], newgidmap[256];
    /* a range map written directly inside the caller's namespace holder
     * (holder.h) instead of by the helpers; -1 when there is none */
    int holder_nsfd;
    pid_t holder_pid;
};

/* What maps to write.  The single-id map needs no file: use_userns says
 * whether a user namespace will be created at all.  The ranges widen it
 * to the caller's subordinate ids when /etc/subuid, /etc/subgid and the
 * setuid helpers allow (NSS and two files: done while the child starts,
 * unless a namespace holder must be checked against them first). */
void sbx_idmap_plan_single(const struct sbx_config *cfg, bool use_userns, struct sbx_idmap *map);
void sbx_idmap_plan_ranges(const struct sbx_config *cfg, struct sbx_idmap *map);

/* After clone: write the maps of process pid (gid_map before uid_map; the
 * two setuid helpers run in parallel, or, for a process created inside the
 * namespace holder, directly). */
int sbx_idmap_apply(const struct sbx_idmap *map, pid_t pid, sbx_error_t *err);

const char *sbx_idmap_kind_name(const struct sbx_idmap *map);

/* The extents of a /proc id map ("uid_map", "gid_map" under dirfd, or a
 * whole path with AT_FDCWD), at most max; 0 when it cannot be read. */
size_t sbx_idmap_read(int dirfd, const char *path, struct sbx_extent *out, size_t max);

/* Real root with the capabilities to build a sandbox without a user
 * namespace.  uid 0 without them (say, root inside another sandbox) is
 * treated as an unprivileged caller. */
bool sbx_is_privileged(void);

/* Parse one subordinate-id file for the user (name or numeric uid);
 * exposed for the tests of the range arithmetic. */
size_t sbx_subid_ranges(const char *path, const char *user, unsigned long id,
                        struct sbx_extent *out, size_t max);

/* Lay out ranges so that `inside` maps to `caller` and the sub-ids fill
 * the ids around it from 0 upwards. */
size_t sbx_idmap_layout(unsigned long inside, unsigned long caller, const struct sbx_extent *ranges,
                        size_t n_ranges, struct sbx_extent *out, size_t max);

#endif
