/* options.c - the option table and argv -> struct sbx_config.
 *
 * Options are data: filesystem directives are recorded in command-line
 * order and executed later by mounts.c.  Everything here is validation
 * only; nothing touches the system except reading --args descriptors. */
#include "config.h"

#include <ctype.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>

#include "options.h"
#include "userns.h"

enum opt_id {
    O_HELP,
    O_VERSION,
    O_VERBOSE,
    O_LIST_OPTIONS,
    O_UNSHARE_USER,
    O_UNSHARE_USER_TRY,
    O_UNSHARE_PID,
    O_UNSHARE_IPC,
    O_UNSHARE_UTS,
    O_UNSHARE_NET,
    O_UNSHARE_CGROUP,
    O_UNSHARE_CGROUP_TRY,
    O_UNSHARE_TIME,
    O_UNSHARE_ALL,
    O_SHARE_NET,
    O_HOSTNAME,
    O_UID,
    O_GID,
    O_BIND,
    O_BIND_TRY,
    O_RO_BIND,
    O_RO_BIND_TRY,
    O_DEV_BIND,
    O_DEV_BIND_TRY,
    O_BIND_FD,
    O_RO_BIND_FD,
    O_REMOUNT_RO,
    O_TMPFS,
    O_PROC,
    O_DEV,
    O_MQUEUE,
    O_DIR,
    O_FILE,
    O_BIND_DATA,
    O_RO_BIND_DATA,
    O_SYMLINK,
    O_CHMOD,
    O_PERMS,
    O_SIZE,
    O_OVERLAY,
    O_OVERLAY_UPPER,
    O_OVERLAY_DRIVER,
    O_OVERLAY_SRC,
    O_TMP_OVERLAY,
    O_RO_OVERLAY,
    O_RW_OVERLAY,
    O_BWRAP_OVERLAY,
    O_CHDIR,
    O_SETENV,
    O_UNSETENV,
    O_CLEARENV,
    O_ARGV0,
    O_DIE_WITH_PARENT,
    O_NEW_SESSION,
    O_AS_PID_1,
    O_KEEP_FD,
    O_ARGS,
    O_INFO_FD,
    O_JSON_STATUS_FD,
    O_SYNC_FD,
    O_BLOCK_FD,
    O_USERNS_BLOCK_FD,
    O_LOCK_FILE,
    /* limits and security: values parsed in options-extra.c */
};

#define G_NS   "Namespaces and identity"
#define G_FS   "Filesystem (applied in command-line order)"
#define G_OVL  "Overlay layers"
#define G_PROC "Process"
#define G_FD   "Integration with other programs"
#define G_GEN  "General"
#define G_LIM  "Resource limits (cgroups)"
#define G_SEC  "Security"

static const struct sbx_option options[] = {
    {"--help", NULL, 0, MODE_BOTH, G_GEN, "Print this help and exit", O_HELP},
    {"--version", NULL, 0, MODE_BOTH, G_GEN, "Print the version and exit", O_VERSION},
    {"--verbose", NULL, 0, MODE_SBX, G_GEN, "Say what sbx chooses (id maps, drivers) on stderr",
     O_VERBOSE},
    {"--list-options", NULL, 0, MODE_SBX, G_GEN, "List every option name, one a line (for scripts)",
     O_LIST_OPTIONS},

    {"--unshare-user", NULL, 0, MODE_BOTH, G_NS,
     "Create a user namespace (always, when not run as root)", O_UNSHARE_USER},
    {"--unshare-user-try", NULL, 0, MODE_BOTH, G_NS, "Create a user namespace if possible",
     O_UNSHARE_USER_TRY},
    {"--unshare-pid", NULL, 0, MODE_BOTH, G_NS, "Create a PID namespace", O_UNSHARE_PID},
    {"--unshare-ipc", NULL, 0, MODE_BOTH, G_NS, "Create an IPC namespace", O_UNSHARE_IPC},
    {"--unshare-uts", NULL, 0, MODE_BOTH, G_NS, "Create a UTS (hostname) namespace", O_UNSHARE_UTS},
    {"--unshare-net", NULL, 0, MODE_BOTH, G_NS, "Create a network namespace (loopback only, up)",
     O_UNSHARE_NET},
    {"--unshare-cgroup", NULL, 0, MODE_BOTH, G_NS, "Create a cgroup namespace", O_UNSHARE_CGROUP},
    {"--unshare-cgroup-try", NULL, 0, MODE_BOTH, G_NS, "Create a cgroup namespace if possible",
     O_UNSHARE_CGROUP_TRY},
    {"--unshare-time", NULL, 0, MODE_SBX, G_NS, "Create a time namespace", O_UNSHARE_TIME},
    {"--unshare-all", NULL, 0, MODE_BOTH, G_NS,
     "Unshare every namespace above but time (user and cgroup if possible)", O_UNSHARE_ALL},
    {"--share-net", NULL, 0, MODE_BOTH, G_NS, "Keep the host network (after --unshare-all)",
     O_SHARE_NET},
    {"--hostname", "NAME", 1, MODE_BOTH, G_NS, "Set the hostname (needs --unshare-uts)",
     O_HOSTNAME},
    {"--uid", "UID", 1, MODE_BOTH, G_NS, "User id inside the sandbox (default: yours)", O_UID},
    {"--gid", "GID", 1, MODE_BOTH, G_NS, "Group id inside the sandbox (default: yours)", O_GID},

    {"--bind", "SRC DEST", 2, MODE_BOTH, G_FS, "Bind-mount host SRC on DEST, read-write", O_BIND},
    {"--bind-try", "SRC DEST", 2, MODE_BOTH, G_FS, "Like --bind; nothing if SRC is missing",
     O_BIND_TRY},
    {"--ro-bind", "SRC DEST", 2, MODE_BOTH, G_FS,
     "Bind-mount SRC on DEST read-only (submounts too)", O_RO_BIND},
    {"--ro-bind-try", "SRC DEST", 2, MODE_BOTH, G_FS, "Like --ro-bind; nothing if SRC is missing",
     O_RO_BIND_TRY},
    {"--dev-bind", "SRC DEST", 2, MODE_BOTH, G_FS, "Like --bind, device nodes allowed", O_DEV_BIND},
    {"--dev-bind-try", "SRC DEST", 2, MODE_BOTH, G_FS, "Like --dev-bind; nothing if SRC is missing",
     O_DEV_BIND_TRY},
    {"--bind-fd", "FD DEST", 2, MODE_BOTH, G_FS, "Bind-mount the directory open on FD on DEST",
     O_BIND_FD},
    {"--ro-bind-fd", "FD DEST", 2, MODE_BOTH, G_FS, "Like --bind-fd, read-only", O_RO_BIND_FD},
    {"--remount-ro", "DEST", 1, MODE_BOTH, G_FS, "Make DEST and its submounts read-only",
     O_REMOUNT_RO},
    {"--tmpfs", "DEST", 1, MODE_BOTH, G_FS, "Mount a new tmpfs on DEST (see --perms, --size)",
     O_TMPFS},
    {"--proc", "DEST", 1, MODE_BOTH, G_FS, "Mount a procfs for the sandbox's PID namespace",
     O_PROC},
    {"--dev", "DEST", 1, MODE_BOTH, G_FS, "Mount a minimal /dev (null, zero, tty, pts, shm...)",
     O_DEV},
    {"--mqueue", "DEST", 1, MODE_BOTH, G_FS, "Mount a POSIX message queue filesystem", O_MQUEUE},
    {"--dir", "DEST", 1, MODE_BOTH, G_FS, "Create a directory (see --perms)", O_DIR},
    {"--file", "FD DEST", 2, MODE_BOTH, G_FS, "Copy the data read from FD into file DEST", O_FILE},
    {"--bind-data", "FD DEST", 2, MODE_BOTH, G_FS, "Bind a file holding the data of FD on DEST",
     O_BIND_DATA},
    {"--ro-bind-data", "FD DEST", 2, MODE_BOTH, G_FS, "Like --bind-data, read-only",
     O_RO_BIND_DATA},
    {"--symlink", "TARGET DEST", 2, MODE_BOTH, G_FS, "Create symlink DEST pointing to TARGET",
     O_SYMLINK},
    {"--chmod", "OCTAL PATH", 2, MODE_BOTH, G_FS, "Change the mode of PATH", O_CHMOD},
    {"--perms", "OCTAL", 1, MODE_BOTH, G_FS,
     "Mode for the next --dir, --file, --tmpfs or --[ro-]bind-data", O_PERMS},
    {"--size", "BYTES", 1, MODE_BOTH, G_FS, "Size limit (K/M/G suffixes) of the next --tmpfs",
     O_SIZE},

    {"--overlay", "DIR", 1, MODE_SBX, G_OVL,
     "Stack DIR as a read-only layer of the root (last given is on top)", O_OVERLAY},
    {"--overlay-upper", "DIR", 1, MODE_SBX, G_OVL,
     "Keep the root's writes in DIR instead of a throwaway tmpfs", O_OVERLAY_UPPER},
    {"--overlay-driver", "auto|kernel|fuse", 1, MODE_SBX, G_OVL,
     "Choose kernel overlayfs or fuse-overlayfs (default auto)", O_OVERLAY_DRIVER},
    {"--overlay-src", "SRC", 1, MODE_BOTH, G_OVL,
     "Add a lower layer for the next --tmp/--ro/--rw-overlay", O_OVERLAY_SRC},
    {"--tmp-overlay", "DEST", 1, MODE_BOTH, G_OVL,
     "Overlay the --overlay-src layers on DEST, writes thrown away", O_TMP_OVERLAY},
    {"--ro-overlay", "DEST", 1, MODE_BOTH, G_OVL,
     "Overlay the --overlay-src layers on DEST, read-only", O_RO_OVERLAY},
    {"--rw-overlay", "UPPER WORK DEST", 3, MODE_SBX, G_OVL,
     "Overlay the --overlay-src layers on DEST, writes kept in UPPER", O_RW_OVERLAY},
    {"--overlay", "RWSRC WORKDIR DEST", 3, MODE_BWRAP, G_OVL, "bubblewrap's --rw-overlay",
     O_BWRAP_OVERLAY},

    {"--chdir", "DIR", 1, MODE_BOTH, G_PROC, "Change to DIR inside the sandbox", O_CHDIR},
    {"--setenv", "VAR VALUE", 2, MODE_BOTH, G_PROC, "Set an environment variable", O_SETENV},
    {"--unsetenv", "VAR", 1, MODE_BOTH, G_PROC, "Unset an environment variable", O_UNSETENV},
    {"--clearenv", NULL, 0, MODE_BOTH, G_PROC, "Start from an empty environment (PWD is kept)",
     O_CLEARENV},
    {"--argv0", "VALUE", 1, MODE_BOTH, G_PROC, "Set argv[0] of COMMAND", O_ARGV0},
    {"--die-with-parent", NULL, 0, MODE_BOTH, G_PROC,
     "Kill the sandbox when the process that started sbx dies", O_DIE_WITH_PARENT},
    {"--new-session", NULL, 0, MODE_BOTH, G_PROC,
     "Run COMMAND in a new session (no controlling terminal)", O_NEW_SESSION},
    {"--as-pid-1", NULL, 0, MODE_BOTH, G_PROC,
     "Run COMMAND as PID 1 instead of sbx's init (needs --unshare-pid)", O_AS_PID_1},
    {"--keep-fd", "FD", 1, MODE_SBX, G_PROC, "Pass FD to COMMAND (others above 2 are closed)",
     O_KEEP_FD},

    {"--args", "FD", 1, MODE_BOTH, G_FD, "Read more NUL-separated arguments from FD", O_ARGS},
    {"--info-fd", "FD", 1, MODE_BOTH, G_FD, "Write JSON about the sandbox (child pid...) to FD",
     O_INFO_FD},
    {"--json-status-fd", "FD", 1, MODE_BOTH, G_FD, "Write JSON status (pid, exit code) to FD",
     O_JSON_STATUS_FD},
    {"--sync-fd", "FD", 1, MODE_BOTH, G_FD, "Keep FD open in the sandbox while it runs", O_SYNC_FD},
    {"--block-fd", "FD", 1, MODE_BOTH, G_FD, "Wait for data (or EOF) on FD before running COMMAND",
     O_BLOCK_FD},
    {"--userns-block-fd", "FD", 1, MODE_BOTH, G_FD,
     "Wait on FD once the user namespace exists (with --info-fd)", O_USERNS_BLOCK_FD},
    {"--lock-file", "PATH", 1, MODE_BOTH, G_FD, "Hold a read lock on PATH (inside) while running",
     O_LOCK_FILE},

    {"--cpu", "PCT", 1, MODE_SBX, G_LIM, "CPU time, e.g. 20% (a fifth of a CPU) or 150%",
     SBX_O_CPU},
    {"--memory", "SIZE", 1, MODE_SBX, G_LIM, "Memory limit (K/M/G suffixes); OOM kill past it",
     SBX_O_MEMORY},
    {"--memory-swap", "SIZE", 1, MODE_SBX, G_LIM, "Swap limit (0: no swap)", SBX_O_MEMORY_SWAP},
    {"--pids", "N", 1, MODE_SBX, G_LIM, "At most N processes and threads", SBX_O_PIDS},
    {"--cpuset", "LIST", 1, MODE_SBX, G_LIM, "Run only on these CPUs, e.g. 0-1,3", SBX_O_CPUSET},
    {"--io-weight", "N", 1, MODE_SBX, G_LIM, "Block I/O weight, 1-10000 (default 100)",
     SBX_O_IO_WEIGHT},
    {"--cgroup-backend", "auto|systemd|cgroupfs", 1, MODE_SBX, G_LIM,
     "Who enforces the limits (default auto: systemd, then cgroupfs)", SBX_O_CGROUP_BACKEND},
    {"--stats-fd", "FD", 1, MODE_SBX, G_LIM, "Write JSON usage (CPU, peak memory, OOM) to FD",
     SBX_O_STATS_FD},

    {"--cap-add", "CAP", 1, MODE_BOTH, G_SEC, "Keep capability CAP (or ALL) for COMMAND",
     SBX_O_CAP_ADD},
    {"--cap-drop", "CAP", 1, MODE_BOTH, G_SEC, "Drop capability CAP (or ALL)", SBX_O_CAP_DROP},
    {"--seccomp", "FD", 1, MODE_BOTH, G_SEC,
     "Load compiled BPF from FD instead of the default filter", SBX_O_SECCOMP},
    {"--add-seccomp-fd", "FD", 1, MODE_BOTH, G_SEC, "Load compiled BPF from FD as well",
     SBX_O_ADD_SECCOMP_FD},
    {"--seccomp-profile", "FILE|unconfined", 1, MODE_SBX, G_SEC,
     "Use an OCI/Docker JSON seccomp profile, or no filter", SBX_O_SECCOMP_PROFILE},
    {"--allow-userns", NULL, 0, MODE_SBX, G_SEC, "Allow nested user namespaces",
     SBX_O_ALLOW_USERNS},
    {"--allow-ptrace", NULL, 0, MODE_SBX, G_SEC, "Allow ptrace (debuggers)", SBX_O_ALLOW_PTRACE},
    {"--allow-perf", NULL, 0, MODE_SBX, G_SEC, "Allow perf_event_open (profilers)",
     SBX_O_ALLOW_PERF},
    {"--rlimit", "NAME=SOFT[:HARD]", 1, MODE_SBX, G_SEC,
     "Set a resource limit (nofile, nproc, as, cpu, fsize, core...)", SBX_O_RLIMIT},
    {"--timeout", "DURATION", 1, MODE_SBX, G_SEC,
     "SIGTERM COMMAND after DURATION (30, 1.5s, 500ms, 2m, 1h), SIGKILL 5s later", SBX_O_TIMEOUT},
};

const struct sbx_option *sbx_option_table(size_t *n)
{
    *n = ARRAY_SIZE(options);
    return options;
}

void sbx_config_init(struct sbx_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->verb = "run";
    cfg->caller_uid = getuid();
    cfg->caller_gid = getgid();
    cfg->is_root = sbx_is_privileged();
    cfg->info_fd = cfg->json_status_fd = cfg->sync_fd = -1;
    cfg->block_fd = cfg->userns_block_fd = cfg->stats_fd = -1;
    cfg->memory_swap = -1;
}

void sbx_config_free(struct sbx_config *cfg)
{
    for (size_t i = 0; i < cfg->n_ops; i++) {
        free(cfg->ops[i].text);
        free(cfg->ops[i].srcs);
    }
    free(cfg->ops);
    for (size_t i = 0; i < cfg->n_owned; i++)
        free(cfg->owned[i]);
    free(cfg->owned);
    free(cfg->overlay_layers);
    free(cfg->env_ops);
    free(cfg->keep_fds);
    free(cfg->lock_files);
    free(cfg->cap_ops);
    free(cfg->seccomp_fds);
    free(cfg->rlimits);
    free(cfg->argv);
}

#define APPEND(arr, n, val)                                                                        \
    do {                                                                                           \
        (arr) = xrealloc((arr), sizeof(*(arr)) * ((n) + 1));                                       \
        (arr)[(n)++] = (val);                                                                      \
    } while (0)

/* Parsing state that lives only while argv is read. */
struct parse_state {
    char **argv; /* growable copy, --args splices into it */
    int argc;
    int i;
    bool have_perms, have_size;
    unsigned perms;
    unsigned long long size;
    const char *perms_text, *size_text;
    const char **overlay_srcs;
    size_t n_overlay_srcs;
};

static const struct sbx_option *find_option(const char *name, unsigned mode)
{
    for (size_t i = 0; i < ARRAY_SIZE(options); i++)
        if ((options[i].modes & mode) && strcmp(options[i].name, name) == 0)
            return &options[i];
    return NULL;
}

static char *op_text(const struct sbx_option *o, char **args)
{
    size_t len = strlen(o->name) + 1;
    for (int k = 0; k < o->nargs; k++)
        len += strlen(args[k]) + 1;
    char *t = xmalloc0(len);
    strcpy(t, o->name);
    for (int k = 0; k < o->nargs; k++) {
        strcat(t, " ");
        strcat(t, args[k]);
    }
    return t;
}

int sbx_parse_fd_arg(const struct sbx_option *o, const char *s, int *fd, sbx_error_t *err)
{
    long v;
    if (parse_int(s, 0, 1 << 20, &v) < 0)
        return sbx_error(err, 0, "%s %s: not a file descriptor number", o->name, s);
    if (fcntl((int)v, F_GETFD) < 0)
        return sbx_error(err, errno, "%s %s", o->name, s);
    *fd = (int)v;
    return 0;
}

static int parse_id(const struct sbx_option *o, const char *s, unsigned *out, sbx_error_t *err)
{
    long v;
    if (parse_int(s, 0, 0xfffffffe, &v) < 0)
        return sbx_error(err, 0, "%s %s: not a numeric id", o->name, s);
    *out = (unsigned)v;
    return 0;
}

static bool path_ok(const char *p)
{
    return p[0] != '\0';
}

static struct sbx_op *add_op(struct sbx_config *cfg, struct parse_state *ps,
                             const struct sbx_option *o, char **args, enum sbx_op_kind kind)
{
    struct sbx_op op = {.kind = kind, .fd = -1, .text = op_text(o, args)};
    cfg->ops = xrealloc(cfg->ops, sizeof(*cfg->ops) * (cfg->n_ops + 1));
    cfg->ops[cfg->n_ops] = op;
    return &cfg->ops[cfg->n_ops++];
}

/* --perms/--size apply to the next directive that can use them. */
static int take_modifiers(struct parse_state *ps, struct sbx_op *op, bool perms_ok, bool size_ok,
                          sbx_error_t *err)
{
    if (ps->have_perms) {
        if (!perms_ok)
            return sbx_error(err, 0,
                             "--perms %s: must be followed by --dir, --file, --tmpfs, "
                             "--bind-data or --ro-bind-data, not %s",
                             ps->perms_text, op->text);
        op->flags |= OPF_HAS_PERMS;
        op->perms = ps->perms;
        ps->have_perms = false;
    }
    if (ps->have_size) {
        if (!size_ok)
            return sbx_error(err, 0, "--size %s: must be followed by --tmpfs, not %s",
                             ps->size_text, op->text);
        op->flags |= OPF_HAS_SIZE;
        op->size = ps->size;
        ps->have_size = false;
    }
    return 0;
}

static int take_overlay_srcs(struct parse_state *ps, struct sbx_op *op, size_t min,
                             sbx_error_t *err)
{
    if (ps->n_overlay_srcs < min)
        return sbx_error(err, 0, "%s: needs at least %zu --overlay-src before it", op->text, min);
    op->srcs = steal_pointer(&ps->overlay_srcs);
    op->n_srcs = ps->n_overlay_srcs;
    ps->n_overlay_srcs = 0;
    return 0;
}

/* Splice NUL-separated arguments read from FD after the current position. */
static int splice_args(struct sbx_config *cfg, struct parse_state *ps, int fd, sbx_error_t *err)
{
    char *data = NULL;
    size_t len = 0;
    if (read_fd_all(fd, &data, &len, err) < 0)
        return sbx_error_prefix(err, "--args %d", fd);
    APPEND(cfg->owned, cfg->n_owned, data);
    size_t n = 0;
    for (size_t k = 0; k < len; k += strlen(data + k) + 1)
        n++;
    /* the new arguments go right after "--args FD" */
    size_t at = (size_t)ps->i + 2;
    char **nv = xmalloc0(sizeof(char *) * ((size_t)ps->argc + n + 1));
    memcpy(nv, ps->argv, sizeof(char *) * at);
    size_t j = at;
    for (size_t k = 0; k < len; k += strlen(data + k) + 1)
        nv[j++] = data + k;
    memcpy(nv + j, ps->argv + at, sizeof(char *) * ((size_t)ps->argc - at));
    free(ps->argv);
    ps->argv = nv;
    ps->argc += (int)n;
    return 0;
}

static int apply_bind(struct sbx_config *cfg, struct parse_state *ps, const struct sbx_option *o,
                      char **args, unsigned flags, sbx_error_t *err)
{
    if (!path_ok(args[0]) || !path_ok(args[1]))
        return sbx_error(err, 0, "%s %s %s: empty path", o->name, args[0], args[1]);
    struct sbx_op *op = add_op(cfg, ps, o, args, OP_BIND);
    op->src = args[0];
    op->dest = args[1];
    op->flags = flags;
    return take_modifiers(ps, op, false, false, err);
}

static int apply_dest_op(struct sbx_config *cfg, struct parse_state *ps, const struct sbx_option *o,
                         char **args, enum sbx_op_kind kind, bool perms_ok, bool size_ok,
                         sbx_error_t *err)
{
    const char *dest = args[o->nargs - 1];
    if (!path_ok(dest))
        return sbx_error(err, 0, "%s: empty path", o->name);
    struct sbx_op *op = add_op(cfg, ps, o, args, kind);
    op->dest = dest;
    return take_modifiers(ps, op, perms_ok, size_ok, err);
}

static int apply_fd_op(struct sbx_config *cfg, struct parse_state *ps, const struct sbx_option *o,
                       char **args, enum sbx_op_kind kind, unsigned flags, bool perms_ok,
                       sbx_error_t *err)
{
    int fd;
    if (sbx_parse_fd_arg(o, args[0], &fd, err) < 0)
        return -1;
    if (apply_dest_op(cfg, ps, o, args, kind, perms_ok, false, err) < 0)
        return -1;
    cfg->ops[cfg->n_ops - 1].fd = fd;
    cfg->ops[cfg->n_ops - 1].flags |= flags;
    return 0;
}

static int apply_namespace(struct sbx_config *cfg, int id)
{
    switch (id) {
    case O_UNSHARE_USER:
        cfg->unshare_user = SBX_YES;
        break;
    case O_UNSHARE_USER_TRY:
        if (cfg->unshare_user != SBX_YES)
            cfg->unshare_user = SBX_TRY;
        break;
    case O_UNSHARE_PID:
        cfg->unshare_pid = true;
        break;
    case O_UNSHARE_IPC:
        cfg->unshare_ipc = true;
        break;
    case O_UNSHARE_UTS:
        cfg->unshare_uts = true;
        break;
    case O_UNSHARE_NET:
        cfg->unshare_net = true;
        break;
    case O_UNSHARE_CGROUP:
        cfg->unshare_cgroup = SBX_YES;
        break;
    case O_UNSHARE_CGROUP_TRY:
        if (cfg->unshare_cgroup != SBX_YES)
            cfg->unshare_cgroup = SBX_TRY;
        break;
    case O_UNSHARE_TIME:
        cfg->unshare_time = true;
        break;
    case O_UNSHARE_ALL:
        if (cfg->unshare_user != SBX_YES)
            cfg->unshare_user = SBX_TRY;
        if (cfg->unshare_cgroup != SBX_YES)
            cfg->unshare_cgroup = SBX_TRY;
        cfg->unshare_pid = cfg->unshare_ipc = cfg->unshare_uts = cfg->unshare_net = true;
        break;
    case O_SHARE_NET:
        cfg->share_net = true;
        break;
    default:
        return -1;
    }
    return 0;
}

static int apply_fs(struct sbx_config *cfg, struct parse_state *ps, const struct sbx_option *o,
                    char **args, sbx_error_t *err)
{
    switch (o->id) {
    case O_BIND:
        return apply_bind(cfg, ps, o, args, 0, err);
    case O_BIND_TRY:
        return apply_bind(cfg, ps, o, args, OPF_TRY, err);
    case O_RO_BIND:
        return apply_bind(cfg, ps, o, args, OPF_READONLY, err);
    case O_RO_BIND_TRY:
        return apply_bind(cfg, ps, o, args, OPF_READONLY | OPF_TRY, err);
    case O_DEV_BIND:
        return apply_bind(cfg, ps, o, args, OPF_DEVICES, err);
    case O_DEV_BIND_TRY:
        return apply_bind(cfg, ps, o, args, OPF_DEVICES | OPF_TRY, err);
    case O_BIND_FD:
        return apply_fd_op(cfg, ps, o, args, OP_BIND_FD, 0, false, err);
    case O_RO_BIND_FD:
        return apply_fd_op(cfg, ps, o, args, OP_BIND_FD, OPF_READONLY, false, err);
    case O_FILE:
        return apply_fd_op(cfg, ps, o, args, OP_FILE, 0, true, err);
    case O_BIND_DATA:
        return apply_fd_op(cfg, ps, o, args, OP_BIND_DATA, 0, true, err);
    case O_RO_BIND_DATA:
        return apply_fd_op(cfg, ps, o, args, OP_BIND_DATA, OPF_READONLY, true, err);
    case O_REMOUNT_RO:
        return apply_dest_op(cfg, ps, o, args, OP_REMOUNT_RO, false, false, err);
    case O_TMPFS:
        return apply_dest_op(cfg, ps, o, args, OP_TMPFS, true, true, err);
    case O_PROC:
        return apply_dest_op(cfg, ps, o, args, OP_PROC, false, false, err);
    case O_DEV:
        return apply_dest_op(cfg, ps, o, args, OP_DEV, false, false, err);
    case O_MQUEUE:
        return apply_dest_op(cfg, ps, o, args, OP_MQUEUE, false, false, err);
    case O_DIR:
        return apply_dest_op(cfg, ps, o, args, OP_DIR, true, false, err);
    case O_SYMLINK:
        if (apply_dest_op(cfg, ps, o, args, OP_SYMLINK, false, false, err) < 0)
            return -1;
        cfg->ops[cfg->n_ops - 1].src = args[0];
        return 0;
    case O_CHMOD: {
        unsigned mode;
        if (parse_octal(args[0], &mode) < 0)
            return sbx_error(err, 0, "--chmod %s %s: not an octal mode", args[0], args[1]);
        if (apply_dest_op(cfg, ps, o, args, OP_CHMOD, false, false, err) < 0)
            return -1;
        cfg->ops[cfg->n_ops - 1].perms = mode;
        return 0;
    }
    case O_PERMS:
        if (ps->have_perms)
            return sbx_error(err, 0, "--perms %s: --perms given twice in a row", args[0]);
        if (parse_octal(args[0], &ps->perms) < 0)
            return sbx_error(err, 0, "--perms %s: not an octal mode", args[0]);
        ps->have_perms = true;
        ps->perms_text = args[0];
        return 0;
    case O_SIZE:
        if (ps->have_size)
            return sbx_error(err, 0, "--size %s: --size given twice in a row", args[0]);
        if (parse_size(args[0], &ps->size) < 0 || ps->size == 0)
            return sbx_error(err, 0, "--size %s: not a size (BYTES, or with a K, M, G suffix)",
                             args[0]);
        ps->have_size = true;
        ps->size_text = args[0];
        return 0;
    default:
        return 1;
    }
}

static int apply_overlay(struct sbx_config *cfg, struct parse_state *ps, const struct sbx_option *o,
                         char **args, sbx_error_t *err)
{
    struct sbx_op *op;
    switch (o->id) {
    case O_OVERLAY:
        if (!path_ok(args[0]))
            return sbx_error(err, 0, "--overlay: empty path");
        APPEND(cfg->overlay_layers, cfg->n_overlay_layers, args[0]);
        return 0;
    case O_OVERLAY_UPPER:
        if (!path_ok(args[0]))
            return sbx_error(err, 0, "--overlay-upper: empty path");
        cfg->overlay_upper = args[0];
        return 0;
    case O_OVERLAY_DRIVER:
        if (strcmp(args[0], "auto") == 0)
            cfg->overlay_driver = OVL_AUTO;
        else if (strcmp(args[0], "kernel") == 0)
            cfg->overlay_driver = OVL_KERNEL;
        else if (strcmp(args[0], "fuse") == 0)
            cfg->overlay_driver = OVL_FUSE;
        else
            return sbx_error(err, 0, "--overlay-driver %s: must be auto, kernel or fuse", args[0]);
        return 0;
    case O_OVERLAY_SRC:
        if (!path_ok(args[0]))
            return sbx_error(err, 0, "--overlay-src: empty path");
        APPEND(ps->overlay_srcs, ps->n_overlay_srcs, args[0]);
        return 0;
    case O_TMP_OVERLAY:
        if (apply_dest_op(cfg, ps, o, args, OP_TMP_OVERLAY, false, false, err) < 0)
            return -1;
        return take_overlay_srcs(ps, &cfg->ops[cfg->n_ops - 1], 1, err);
    case O_RO_OVERLAY:
        if (apply_dest_op(cfg, ps, o, args, OP_RO_OVERLAY, false, false, err) < 0)
            return -1;
        return take_overlay_srcs(ps, &cfg->ops[cfg->n_ops - 1], 2, err);
    case O_RW_OVERLAY:
    case O_BWRAP_OVERLAY:
        if (apply_dest_op(cfg, ps, o, args, OP_RW_OVERLAY, false, false, err) < 0)
            return -1;
        op = &cfg->ops[cfg->n_ops - 1];
        op->src = args[0];
        op->work = args[1];
        return take_overlay_srcs(ps, op, 1, err);
    default:
        return 1;
    }
}

static int apply_process(struct sbx_config *cfg, const struct sbx_option *o, char **args,
                         sbx_error_t *err)
{
    struct sbx_env_op env = {0};
    int fd;
    switch (o->id) {
    case O_CHDIR:
        cfg->chdir = args[0];
        return 0;
    case O_SETENV:
        if (args[0][0] == '\0' || strchr(args[0], '='))
            return sbx_error(err, 0, "--setenv %s: not a variable name", args[0]);
        env.name = args[0];
        env.value = args[1];
        APPEND(cfg->env_ops, cfg->n_env_ops, env);
        return 0;
    case O_UNSETENV:
        if (args[0][0] == '\0' || strchr(args[0], '='))
            return sbx_error(err, 0, "--unsetenv %s: not a variable name", args[0]);
        env.name = args[0];
        APPEND(cfg->env_ops, cfg->n_env_ops, env);
        return 0;
    case O_CLEARENV:
        cfg->clearenv = true;
        cfg->n_env_ops = 0; /* earlier --setenv are cleared too, as in bubblewrap */
        return 0;
    case O_ARGV0:
        cfg->argv0 = args[0];
        return 0;
    case O_DIE_WITH_PARENT:
        cfg->die_with_parent = true;
        return 0;
    case O_NEW_SESSION:
        cfg->new_session = true;
        return 0;
    case O_AS_PID_1:
        cfg->as_pid_1 = true;
        return 0;
    case O_KEEP_FD:
        if (sbx_parse_fd_arg(o, args[0], &fd, err) < 0)
            return -1;
        APPEND(cfg->keep_fds, cfg->n_keep_fds, fd);
        return 0;
    default:
        return 1;
    }
}

static int apply_integration(struct sbx_config *cfg, struct parse_state *ps,
                             const struct sbx_option *o, char **args, sbx_error_t *err)
{
    int fd = -1;
    if (o->id < O_ARGS || o->id > O_LOCK_FILE)
        return 1;
    if (o->id == O_LOCK_FILE) {
        if (!path_ok(args[0]))
            return sbx_error(err, 0, "--lock-file: empty path");
        APPEND(cfg->lock_files, cfg->n_lock_files, args[0]);
        return 0;
    }
    if (sbx_parse_fd_arg(o, args[0], &fd, err) < 0)
        return -1;
    switch (o->id) {
    case O_ARGS:
        return splice_args(cfg, ps, fd, err);
    case O_INFO_FD:
        cfg->info_fd = fd;
        return 0;
    case O_JSON_STATUS_FD:
        cfg->json_status_fd = fd;
        return 0;
    case O_SYNC_FD:
        cfg->sync_fd = fd;
        return 0;
    case O_BLOCK_FD:
        cfg->block_fd = fd;
        return 0;
    case O_USERNS_BLOCK_FD:
        cfg->userns_block_fd = fd;
        return 0;
    default:
        return 1;
    }
}

static int apply_identity(struct sbx_config *cfg, const struct sbx_option *o, char **args,
                          sbx_error_t *err)
{
    switch (o->id) {
    case O_HOSTNAME:
        if (args[0][0] == '\0' || strlen(args[0]) > 64)
            return sbx_error(err, 0, "--hostname %s: must be 1 to 64 characters", args[0]);
        cfg->hostname = args[0];
        return 0;
    case O_UID:
        cfg->uid_set = true;
        return parse_id(o, args[0], &cfg->uid, err);
    case O_GID:
        cfg->gid_set = true;
        return parse_id(o, args[0], &cfg->gid, err);
    default:
        return 1;
    }
}

static int apply_option(struct sbx_config *cfg, struct parse_state *ps, const struct sbx_option *o,
                        char **args, sbx_error_t *err)
{
    int r;
    if (apply_namespace(cfg, o->id) == 0)
        return 0;
    if ((r = apply_identity(cfg, o, args, err)) <= 0)
        return r;
    if ((r = apply_fs(cfg, ps, o, args, err)) <= 0)
        return r;
    if ((r = apply_overlay(cfg, ps, o, args, err)) <= 0)
        return r;
    if ((r = apply_process(cfg, o, args, err)) <= 0)
        return r;
    if ((r = apply_integration(cfg, ps, o, args, err)) <= 0)
        return r;
    if ((r = sbx_apply_extra_option(cfg, o, args, err)) <= 0)
        return r;
    switch (o->id) {
    case O_VERBOSE:
        sbx_verbose = 1;
        return 0;
    default:
        return sbx_error(err, 0, "%s: not handled (internal error)", o->name);
    }
}

static int validate(struct sbx_config *cfg, struct parse_state *ps, sbx_error_t *err)
{
    if (ps->have_perms)
        return sbx_error(err, 0, "--perms %s: must be followed by an operation that creates a file",
                         ps->perms_text);
    if (ps->have_size)
        return sbx_error(err, 0, "--size %s: must be followed by --tmpfs", ps->size_text);
    if (ps->n_overlay_srcs)
        return sbx_error(err, 0,
                         "--overlay-src %s: must be followed by --tmp-overlay, "
                         "--ro-overlay or --rw-overlay",
                         ps->overlay_srcs[0]);
    if (cfg->share_net)
        cfg->unshare_net = false;
    if (cfg->hostname && !cfg->unshare_uts)
        return sbx_error(err, 0, "--hostname %s: needs --unshare-uts", cfg->hostname);
    if (cfg->as_pid_1 && !cfg->unshare_pid)
        return sbx_error(err, 0, "--as-pid-1: needs --unshare-pid");
    if (cfg->is_root && cfg->unshare_user == SBX_NO && (cfg->uid_set || cfg->gid_set))
        return sbx_error(err, 0, "--%s: needs --unshare-user when run as root",
                         cfg->uid_set ? "uid" : "gid");
    bool userns = !cfg->is_root || cfg->unshare_user == SBX_YES;
    for (size_t i = 0; userns && !cfg->unshare_pid && i < cfg->n_ops; i++)
        if (cfg->ops[i].kind == OP_PROC)
            return sbx_error(err, 0,
                             "%s: needs --unshare-pid (in a user namespace, procfs can "
                             "only be mounted for a PID namespace of its own)",
                             cfg->ops[i].text);
    if (cfg->overlay_upper && cfg->n_overlay_layers == 0)
        return sbx_error(err, 0, "--overlay-upper %s: needs at least one --overlay DIR",
                         cfg->overlay_upper);
    if (cfg->userns_block_fd >= 0 && cfg->info_fd < 0)
        return sbx_error(err, 0, "--userns-block-fd: needs --info-fd");
    if (cfg->argc == 0)
        return sbx_error(err, 0, "no COMMAND given (see %s --help)", sbx_progname);
    return 0;
}

static void parse_state_free(struct parse_state *ps)
{
    free(ps->argv);
    free(ps->overlay_srcs);
}

int sbx_parse_args(struct sbx_config *cfg, int argc, char **argv, sbx_error_t *err)
{
    __attribute__((cleanup(parse_state_free))) struct parse_state ps = {.argc = argc};
    ps.argv = xmalloc0(sizeof(char *) * ((size_t)argc + 1));
    memcpy(ps.argv, argv, sizeof(char *) * (size_t)argc);
    unsigned mode = cfg->bwrap_mode ? MODE_BWRAP : MODE_SBX;

    for (ps.i = 0; ps.i < ps.argc; ps.i++) {
        char *a = ps.argv[ps.i];
        if (strcmp(a, "--") == 0) {
            ps.i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;
        const struct sbx_option *o = find_option(a, mode);
        if (o == NULL)
            return sbx_error(err, 0, "%s: unknown option (see %s --help)", a, sbx_progname);
        if (o->id == O_HELP || o->id == O_VERSION || o->id == O_LIST_OPTIONS) {
            cfg->verb = o->id == O_HELP ? "help" : o->id == O_VERSION ? "version" : "list-options";
            return 0;
        }
        if (ps.i + o->nargs >= ps.argc)
            return sbx_error(err, 0, "%s: needs %d argument%s (%s)", a, o->nargs,
                             o->nargs > 1 ? "s" : "", o->args);
        if (apply_option(cfg, &ps, o, &ps.argv[ps.i + 1], err) < 0)
            return -1;
        ps.i += o->nargs;
    }
    cfg->argc = ps.argc - ps.i;
    cfg->argv = xmalloc0(sizeof(char *) * ((size_t)cfg->argc + 1));
    memcpy(cfg->argv, ps.argv + ps.i, sizeof(char *) * (size_t)cfg->argc);
    return validate(cfg, &ps, err);
}

void sbx_print_help(FILE *out, bool bwrap_mode)
{
    unsigned mode = bwrap_mode ? MODE_BWRAP : MODE_SBX;
    fprintf(out, "usage: %s [OPTION...] [--] COMMAND [ARG...]\n", sbx_progname);
    if (!bwrap_mode)
        fprintf(out,
                "       %s run [OPTION...] [--] COMMAND [ARG...]\n"
                "       %s commit UPPER OUT\n"
                "       %s holder start|stop|status\n"
                "Run COMMAND in a sandbox built from the options, without root.\n"
                "\nVerbs:\n"
                "  %-38s %s\n  %-38s %s\n  %-38s %s\n",
                sbx_progname, sbx_progname, sbx_progname, "run", "Run COMMAND (the default verb)",
                "commit UPPER OUT", "Turn an upper directory into a layer (OUT or OUT.tar)",
                "holder start|stop|status",
                "Keep a user namespace with the subordinate ids mapped, so sandboxes "
                "start without newuidmap");
    const char *group = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        const struct sbx_option *o = &options[i];
        if (!(o->modes & mode))
            continue;
        if (group == NULL || strcmp(group, o->group) != 0) {
            group = o->group;
            fprintf(out, "\n%s:\n", group);
        }
        char lhs[64];
        snprintf(lhs, sizeof(lhs), "%s%s%s", o->name, o->args ? " " : "", o->args ? o->args : "");
        fprintf(out, "  %-38s %s\n", lhs, o->help);
    }
    fprintf(
        out,
        "\nExit status: COMMAND's; 128+N if it was killed by signal N; 1 when %s itself "
        "fails;\n124 after --timeout; 137 when the memory limit was hit.\nSee %s(1) for details.\n",
        sbx_progname, "sbx");
}

void sbx_print_option_names(FILE *out)
{
    for (size_t i = 0; i < ARRAY_SIZE(options); i++)
        if (options[i].modes & MODE_SBX)
            fprintf(out, "%s\n", options[i].name);
}
