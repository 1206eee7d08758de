/* options.h - the option table: one table drives parsing, --help and the
 * docs-in-sync test (sbx --list-options). */
#ifndef SBX_OPTIONS_H
#define SBX_OPTIONS_H

#include "sbx-config.h"
#include "util.h"

#define MODE_SBX   1u
#define MODE_BWRAP 2u
#define MODE_BOTH  (MODE_SBX | MODE_BWRAP)

struct sbx_option {
    const char *name; /* "--ro-bind" */
    const char *args; /* "SRC DEST", or NULL */
    int nargs;
    unsigned modes;    /* which command lines accept it */
    const char *group; /* heading in --help */
    const char *help;
    int id;
};

const struct sbx_option *sbx_option_table(size_t *n);

/* Ids of limit and security options start here; options-extra.c parses them.
 * Returns 0 when handled, -1 on error, 1 when the id is not one of them. */
#define SBX_OPT_EXTRA_BASE 1000
enum sbx_extra_opt_id {
    SBX_O_CPU = SBX_OPT_EXTRA_BASE,
    SBX_O_MEMORY,
    SBX_O_MEMORY_SWAP,
    SBX_O_PIDS,
    SBX_O_CPUSET,
    SBX_O_IO_WEIGHT,
    SBX_O_CGROUP_BACKEND,
    SBX_O_STATS_FD,
    SBX_O_CAP_ADD,
    SBX_O_CAP_DROP,
    SBX_O_SECCOMP,
    SBX_O_ADD_SECCOMP_FD,
    SBX_O_SECCOMP_PROFILE,
    SBX_O_ALLOW_USERNS,
    SBX_O_ALLOW_PTRACE,
    SBX_O_ALLOW_PERF,
    SBX_O_RLIMIT,
    SBX_O_TIMEOUT,
};
int sbx_apply_extra_option(struct sbx_config *cfg, const struct sbx_option *o, char **args,
                           sbx_error_t *err);
int sbx_parse_fd_arg(const struct sbx_option *o, const char *s, int *fd, sbx_error_t *err);

/* Parse argv[0..argc) (options then COMMAND) into cfg; no side effects
 * beyond reading --args file descriptors. */
int sbx_parse_args(struct sbx_config *cfg, int argc, char **argv, sbx_error_t *err);

void sbx_print_help(FILE *out, bool bwrap_mode);
void sbx_print_option_names(FILE *out);

#endif
