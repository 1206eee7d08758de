/* child.h - the sandbox side: set up inside the new namespaces, then run
 * the command (directly, or under init.c as PID 1). */
#ifndef SBX_CHILD_H
#define SBX_CHILD_H

#include <signal.h>

#include "sbx-config.h"
#include "security.h"

struct sbx_child_args {
    const struct sbx_config *cfg;
    struct sbx_security *sec;
    int sock;      /* our end of the sync channel */
    bool barrier;  /* wait for a second GO before running the command */
    bool use_init; /* fork the command and stay as PID 1 */
    const char *old_cwd;
    sigset_t oldmask; /* the caller's signal mask, restored for the command */
};

/* Never returns normally for the exec path; returns the exit status to
 * _exit() with otherwise. */
int sbx_child_main(struct sbx_child_args *a);

#endif
