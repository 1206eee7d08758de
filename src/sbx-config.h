/* sbx-config.h - the whole sandbox as data: what the command line asked for.
 * The parser (options.c) fills it; nothing has side effects until it is
 * complete and validated. */
#ifndef SBX_CONFIG_H
#define SBX_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/resource.h>

enum sbx_op_kind {
    OP_BIND,        /* --bind / --bind-try / --ro-bind / --dev-bind (flags below) */
    OP_BIND_FD,     /* --bind-fd / --ro-bind-fd */
    OP_REMOUNT_RO,  /* --remount-ro DEST */
    OP_TMPFS,       /* --tmpfs DEST */
    OP_PROC,        /* --proc DEST */
    OP_DEV,         /* --dev DEST */
    OP_MQUEUE,      /* --mqueue DEST */
    OP_DIR,         /* --dir DEST */
    OP_FILE,        /* --file FD DEST */
    OP_BIND_DATA,   /* --bind-data / --ro-bind-data FD DEST */
    OP_SYMLINK,     /* --symlink TARGET DEST */
    OP_CHMOD,       /* --chmod OCTAL PATH */
    OP_OVERLAY_SRC, /* --overlay-src SRC: accumulates for the next overlay op */
    OP_TMP_OVERLAY, /* --tmp-overlay DEST */
    OP_RO_OVERLAY,  /* --ro-overlay DEST */
    OP_RW_OVERLAY,  /* --rw-overlay UPPER WORK DEST (bwrap: --overlay) */
};

#define OPF_READONLY  (1u << 0)
#define OPF_TRY       (1u << 1) /* skip silently when the source is missing */
#define OPF_DEVICES   (1u << 2) /* allow device nodes */
#define OPF_HAS_PERMS (1u << 3)
#define OPF_HAS_SIZE  (1u << 4)

struct sbx_op {
    enum sbx_op_kind kind;
    unsigned flags;
    const char *src;         /* host path, symlink target, upper dir, ... */
    const char *dest;        /* path inside the sandbox */
    const char *work;        /* --rw-overlay work dir */
    int fd;                  /* --bind-fd, --file, --bind-data */
    unsigned perms;          /* --perms, --chmod */
    unsigned long long size; /* --size */
    const char **srcs;       /* overlay sources (lowest first) */
    size_t n_srcs;
    char *text; /* the directive as typed, for messages: "--ro-bind /a /b" */
};

enum sbx_tristate { SBX_NO = 0, SBX_YES = 1, SBX_TRY = 2 };

enum sbx_overlay_driver { OVL_AUTO, OVL_KERNEL, OVL_FUSE };
enum sbx_cgroup_backend { CG_AUTO, CG_SYSTEMD, CG_CGROUPFS };

struct sbx_rlimit {
    int resource;
    struct rlimit lim;
    const char *text;
};

struct sbx_env_op {
    const char *name;
    const char *value; /* NULL: unset */
};

struct sbx_config {
    bool bwrap_mode;
    const char *verb; /* "run", "commit", ... */

    /* identity and namespaces */
    bool is_root; /* real uid 0 */
    uid_t caller_uid;
    gid_t caller_gid;
    enum sbx_tristate unshare_user, unshare_cgroup;
    bool unshare_pid, unshare_ipc, unshare_uts, unshare_net, unshare_time;
    bool share_net;
    const char *hostname;
    bool uid_set, gid_set;
    uid_t uid; /* inside */
    gid_t gid;

    /* filesystem */
    struct sbx_op *ops;
    size_t n_ops;
    const char **overlay_layers; /* --overlay DIR, lowest first */
    size_t n_overlay_layers;
    const char *overlay_upper;
    enum sbx_overlay_driver overlay_driver;

    /* process */
    const char *chdir;
    struct sbx_env_op *env_ops;
    size_t n_env_ops;
    bool clearenv;
    const char *argv0;
    bool die_with_parent, new_session, as_pid_1;
    int *keep_fds;
    size_t n_keep_fds;

    /* integration fds (-1 when unset) */
    int info_fd, json_status_fd, sync_fd, block_fd, userns_block_fd;
    const char **lock_files;
    size_t n_lock_files;

    /* limits (issue: cgroups) */
    long cpu_pct;              /* 0: unset */
    unsigned long long memory; /* 0: unset */
    long long memory_swap;     /* -1: unset */
    long pids;                 /* 0: unset */
    const char *cpuset;
    long io_weight; /* 0: unset */
    enum sbx_cgroup_backend cgroup_backend;
    int stats_fd;

    /* security */
    struct sbx_cap_op {
        bool add;
        const char *name;
    } * cap_ops; /* --cap-add / --cap-drop in command-line order */
    size_t n_cap_ops;
    int *seccomp_fds; /* --seccomp / --add-seccomp-fd */
    size_t n_seccomp_fds;
    bool seccomp_replace;        /* --seccomp FD given: no default filter */
    const char *seccomp_profile; /* file or "unconfined" */
    bool allow_userns, allow_ptrace, allow_perf;
    struct sbx_rlimit *rlimits;
    size_t n_rlimits;
    unsigned long long timeout_ms; /* 0: none */

    /* the command */
    char **argv;
    int argc;

    /* memory the config points into (--args buffers, op texts) */
    char **owned;
    size_t n_owned;
};

void sbx_config_init(struct sbx_config *cfg);
void sbx_config_free(struct sbx_config *cfg);

#endif
