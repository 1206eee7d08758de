/* main.c - verbs and bubblewrap mode; the only place that prints errors
 * and exits. */
#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include "holder.h"
#include "options.h"
#include "overlay.h"
#include "run.h"

/* The mount API by fd (open_tree, move_mount, mount_setattr) needs 5.12. */
static int check_kernel(sbx_error_t *err)
{
    struct utsname u;
    unsigned major = 0, minor = 0;
    if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
        return 0;
    if (major < 5 || (major == 5 && minor < 12))
        return sbx_error(err, 0,
                         "Linux %u.%u is too old: sbx needs 5.12 or newer "
                         "(mount_setattr, open_tree, move_mount)",
                         major, minor);
    return 0;
}

static bool is_bwrap_name(const char *argv0)
{
    const char *base = strrchr(argv0, '/');
    base = base ? base + 1 : argv0;
    return strcmp(base, "bwrap") == 0;
}

static int fail(sbx_error_t err)
{
    int status = err->status ? err->status : 1;
    fprintf(stderr, "%s: %s\n", sbx_progname, err->msg);
    sbx_error_release(&err);
    return status;
}

static int run_verb(struct sbx_config *cfg, int argc, char **argv)
{
    sbx_error_t err = NULL;
    if (sbx_parse_args(cfg, argc, argv, &err) < 0)
        return fail(err);
    if (strcmp(cfg->verb, "help") == 0) {
        sbx_print_help(stdout, cfg->bwrap_mode);
        return 0;
    }
    if (strcmp(cfg->verb, "version") == 0) {
        printf("%s %s\n", cfg->bwrap_mode ? "bubblewrap (sbx)" : "sbx", PACKAGE_VERSION);
        return 0;
    }
    if (strcmp(cfg->verb, "list-options") == 0) {
        sbx_print_option_names(stdout);
        return 0;
    }
    if (check_kernel(&err) < 0)
        return fail(err);
    int r = sbx_run(cfg, &err);
    if (r < 0)
        return fail(err);
    return r;
}

int main(int argc, char **argv)
{
    struct sbx_config cfg;
    sbx_config_init(&cfg);
    cfg.bwrap_mode = argc > 0 && is_bwrap_name(argv[0]);
    sbx_progname = cfg.bwrap_mode ? "bwrap" : "sbx";
    argc--;
    argv++;
    if (!cfg.bwrap_mode && argc > 0) {
        if (strcmp(argv[0], "run") == 0) {
            argc--;
            argv++;
        } else if (strcmp(argv[0], "commit") == 0) {
            sbx_error_t err = NULL;
            int r = sbx_commit_main(argc, argv, &err);
            return r < 0 ? fail(err) : r;
        } else if (strcmp(argv[0], "holder") == 0) {
            sbx_error_t err = NULL;
            int r = sbx_holder_main(&cfg, argc, argv, &err);
            sbx_config_free(&cfg);
            return r < 0 ? fail(err) : r;
        }
    }
    int r = run_verb(&cfg, argc, argv);
    sbx_config_free(&cfg);
    return r;
}
