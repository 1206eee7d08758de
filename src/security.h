/* security.h - what the sandboxed command may do: rlimits, Landlock scoping,
 * capabilities, no_new_privs and the seccomp filter (loaded last). */
#ifndef SBX_SECURITY_H
#define SBX_SECURITY_H

#include "sbx-config.h"
#include "util.h"

struct sbx_security;

/* In the monitor, before anything is created: validate and compile
 * everything that can fail (profiles, BPF from fds, capability names), so
 * that bad input stops sbx before it has side effects. */
int sbx_security_prepare(const struct sbx_config *cfg, struct sbx_security **sec, sbx_error_t *err);

/* In the command's process, after the filesystem, environment and fds are
 * ready, immediately before execve(): rlimits, Landlock, capabilities,
 * no_new_privs, then seccomp.  Must not allocate after the filter is on. */
int sbx_security_apply(const struct sbx_config *cfg, struct sbx_security *sec, sbx_error_t *err);

/* One line per choice for --verbose / --info-fd ("landlock": "abi 6" ...);
 * returns a malloc'd JSON object fragment without braces, or NULL. */
char *sbx_security_info_json(const struct sbx_security *sec);

void sbx_security_free(struct sbx_security *sec);

#endif
