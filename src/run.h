/* run.h - the monitor side of `sbx run`. */
#ifndef SBX_RUN_H
#define SBX_RUN_H

#include "sbx-config.h"
#include "util.h"

/* Run the sandbox described by cfg; returns the exit status for sbx
 * (COMMAND's, or 128+N), or -1 with *err set. */
int sbx_run(struct sbx_config *cfg, sbx_error_t *err);

#endif
