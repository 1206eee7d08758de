/* cgroup.h - resource limits: backend choice (systemd scope over sd-bus,
 * cgroupfs v2, cgroupfs v1), attach, stats and removal. */
#ifndef SBX_CGROUP_H
#define SBX_CGROUP_H

#include "sbx-config.h"
#include "util.h"

struct sbx_cgroup;

/* true when the command line asks for any limit (or --stats-fd). */
bool sbx_cgroup_wanted(const struct sbx_config *cfg);

/* In the monitor, before clone(): choose a backend able to enforce every
 * requested limit, or fail naming the missing piece.  *cg = NULL when no
 * limit was asked for. No host state may be left behind on failure. */
int sbx_cgroup_prepare(const struct sbx_config *cfg, struct sbx_cgroup **cg, sbx_error_t *err);

/* In the monitor, right after clone(): the child (pid, host pid namespace)
 * is blocked and runs no user code until this returns 0.  May start work
 * asynchronously; sbx_cgroup_wait_attached() is called before the command
 * is released. */
int sbx_cgroup_attach(struct sbx_cgroup *cg, pid_t pid, sbx_error_t *err);
int sbx_cgroup_wait_attached(struct sbx_cgroup *cg, sbx_error_t *err);

/* Backend name for --info-fd / --verbose: "systemd", "cgroupfs-v2", ... */
const char *sbx_cgroup_backend_name(const struct sbx_cgroup *cg);

/* After the sandbox's init exited with wait status *wstatus: read stats
 * (write --stats-fd JSON), detect an OOM kill (fill *err with the report,
 * e.g. "killed by the kernel OOM killer: memory limit 64M reached", and
 * return 1), then remove the cgroup/scope.  Returns 0, 1 or -1. */
int sbx_cgroup_finish(struct sbx_cgroup *cg, int wstatus, sbx_error_t *err);

/* Removes whatever is still there (scope, cgroup directories; processes
 * left in them are killed) and frees.  NULL is fine. */
void sbx_cgroup_free(struct sbx_cgroup *cg);

/* ---- internal: shared by cgroup.c, cgroup-systemd.c and cgroup-fs.c ---- */

/* Controllers (cgroup v2 names; v1 adds cpuacct and calls io blkio). */
enum {
    SBX_CGC_CPU = 1u << 0,
    SBX_CGC_MEMORY = 1u << 1,
    SBX_CGC_PIDS = 1u << 2,
    SBX_CGC_CPUSET = 1u << 3,
    SBX_CGC_IO = 1u << 4,
};
#define SBX_CGC_COUNT 5

enum sbx_cg_kind { SBX_CG_NONE, SBX_CG_SYSTEMD, SBX_CG_FS2, SBX_CG_FS1 };

/* -1: not available */
struct sbx_cg_stats {
    long long cpu_usec, memory_peak, oom_kills, pids_max_events;
};

#define SBX_CG_V1_MAX 8

struct sbx_cgroup {
    const struct sbx_config *cfg;
    enum sbx_cg_kind kind;
    unsigned need; /* SBX_CGC_* the limits need */
    char *name;    /* "sbx-NAME" or "sbx-PID" */
    pid_t pid;     /* the sandbox, once attached */
    bool removed;

    /* systemd */
    void *bus; /* sd_bus * */
    bool bus_is_private, bus_user;
    char *bus_desc;
    char *unit;      /* "sbx-123.scope" */
    char *start_job; /* job path of StartTransientUnit, once replied */
    char *start_error;
    bool start_replied;
    struct sbx_cg_job {
        char *path, *result;
    } * jobs; /* JobRemoved seen */
    size_t n_jobs;
    void *match_slot, *call_slot; /* sd_bus_slot * */
    /* a process of sbx's that holds the scope open until its stats are read:
     * systemd removes a scope (and its cgroup) as soon as it is empty */
    pid_t keeper;

    /* cgroupfs v2 (and the systemd scope's cgroup, for stats) */
    int dirfd;        /* the sandbox's cgroup */
    char *dir;        /* its path, for messages */
    int parent_fd;    /* v2: the caller's cgroup */
    char *parent;     /* its path */
    int mon_fd;       /* v2: the monitor's leaf, when one was needed */
    unsigned enabled; /* v2: controllers we enabled in parent's subtree_control */
    bool made_dir, made_mon, moved_mon;

    /* cgroupfs v1: one directory per hierarchy */
    struct sbx_cg_v1 {
        const char *ctrl; /* "cpu", "memory", ... (first controller of the mount) */
        unsigned mask;
        char *dir;
        int fd;
        bool made;
    } v1[SBX_CG_V1_MAX];
    size_t n_v1;
};

/* "--cpu 20%" etc.: the first option that needs controller `c`, for messages. */
char *sbx_cg_option_text(const struct sbx_config *cfg, unsigned c);
/* the first limit given, "--memory 64M" (for messages about all limits) */
char *sbx_cg_first_option(const struct sbx_config *cfg);
char *sbx_cg_size_text(unsigned long long bytes);
const char *sbx_cg_ctrl_name(unsigned c);

/* Read a file under dirfd: one number, or "KEY N" from a keyed file.  -1 if absent. */
long long sbx_cg_read_num(int dirfd, const char *file);
long long sbx_cg_read_key(int dirfd, const char *file, const char *key);
int sbx_cg_write(int dirfd, const char *file, const char *value);
/* Kill every process in the cgroup dirfd (v1 or v2) and wait (bounded) until it is empty. */
void sbx_cg_kill_all(int dirfd);
/* rmdir with a bounded retry on EBUSY */
int sbx_cg_rmdir(const char *path);

/* Backends: prepare returns 0 (usable), or -1 with *err and *severity:
 * 0 = the backend is not available here (auto mode goes on quietly),
 * 1 = it is, but cannot enforce what was asked (the error is final). */
int sbx_cg_systemd_prepare(struct sbx_cgroup *cg, int *severity, sbx_error_t *err);
int sbx_cg_systemd_attach(struct sbx_cgroup *cg, sbx_error_t *err);
int sbx_cg_systemd_wait(struct sbx_cgroup *cg, sbx_error_t *err);
int sbx_cg_systemd_remove(struct sbx_cgroup *cg, sbx_error_t *err);
void sbx_cg_systemd_free(struct sbx_cgroup *cg);

int sbx_cg_fs2_prepare(struct sbx_cgroup *cg, int *severity, sbx_error_t *err);
int sbx_cg_fs1_prepare(struct sbx_cgroup *cg, int *severity, sbx_error_t *err);
int sbx_cg_fs_attach(struct sbx_cgroup *cg, sbx_error_t *err);
void sbx_cg_fs_stats(struct sbx_cgroup *cg, struct sbx_cg_stats *st);
int sbx_cg_fs_remove(struct sbx_cgroup *cg, sbx_error_t *err);
/* v2 stats of cg->dirfd (also used for the systemd scope) */
void sbx_cg_v2_stats(int dirfd, struct sbx_cg_stats *st);

#endif
