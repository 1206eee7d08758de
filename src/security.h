/* security.h - what the sandboxed command may do: rlimits, Landlock scoping,
 * capabilities, no_new_privs and the seccomp filter (loaded last). */
#ifndef SBX_SECURITY_H
#define SBX_SECURITY_H

#include <stdint.h>

#include "sbx-config.h"
#include "util.h"

struct sbx_security;

/* In the monitor, before anything is created: validate and compile
 * everything that can fail (profiles, BPF from fds, capability names), so
 * that bad input stops sbx before it has side effects. */
int sbx_security_prepare(const struct sbx_config *cfg, struct sbx_security **sec, sbx_error_t *err);

/* In the sandbox, while the monitor writes the id maps: the work that
 * cannot fail on user input (compiling the default filter). */
int sbx_security_prepare_late(struct sbx_security *sec, sbx_error_t *err);

/* In the command's process, after the filesystem, environment and fds are
 * ready, immediately before execve(): rlimits, no_new_privs, Landlock,
 * capabilities, then seccomp.  Does not allocate after the first filter is
 * loaded. */
int sbx_security_apply(const struct sbx_config *cfg, struct sbx_security *sec, sbx_error_t *err);

/* One line per choice for --verbose / --info-fd ("landlock": "abi 6" ...);
 * returns a malloc'd JSON object fragment without braces, or NULL. */
char *sbx_security_info_json(const struct sbx_security *sec);

void sbx_security_free(struct sbx_security *sec);

/* ---- internal to security.c, seccomp.c, caps.c, landlock.c ---- */

/* One compiled classic-BPF program, loaded with seccomp(SET_MODE_FILTER, flags). */
struct sbx_bpf {
    void *insns; /* struct sock_filter[] */
    unsigned short len;
    unsigned flags; /* SECCOMP_FILTER_FLAG_* */
};

/* The default filter's relaxations, from --allow-* and the granted caps. */
struct sbx_seccomp_relax {
    bool userns, ptrace, perf;
    uint64_t caps; /* capabilities the command keeps (bit N = cap N) */
};

/* seccomp.c: the default deny-list (libseccomp) and its raw companion
 * (architecture guard, personality, syscalls newer than sbx's review -> ENOSYS). */
int sbx_seccomp_default(const struct sbx_seccomp_relax *relax, struct sbx_bpf *out,
                        sbx_error_t *err);
int sbx_seccomp_raw_guard(const struct sbx_seccomp_relax *relax, struct sbx_bpf *out,
                          sbx_error_t *err);
/* An OCI/Docker JSON profile compiled against the command's capabilities. */
int sbx_seccomp_profile(const char *path, uint64_t caps, struct sbx_bpf *out, sbx_error_t *err);
/* The checks the kernel makes on a seccomp program (bpf_check_classic and
 * seccomp_check_filter); NULL when fine, else what is wrong. */
const char *sbx_bpf_check(const void *insns, size_t len);
/* Highest syscall number sbx's deny-list was reviewed against (native ABI),
 * or -1 when unknown for this architecture. */
long sbx_seccomp_reviewed_max(void);

/* caps.c */
/* caps: the set the command keeps; named: those asked for by name (must be
 * available), the rest of an ALL is cut down to what sbx's process has. */
int sbx_caps_compute(const struct sbx_config *cfg, uint64_t *caps, uint64_t *named,
                     sbx_error_t *err);
int sbx_caps_apply(uint64_t caps, uint64_t named, int last_cap, sbx_error_t *err);
int sbx_caps_last(void);
char *sbx_caps_to_json(uint64_t caps);

/* landlock.c: the highest ABI, 0 when Landlock is unavailable; and the
 * scoping (abstract unix sockets, signals) where the ABI has it. */
int sbx_landlock_abi(void);
#define SBX_LANDLOCK_SCOPE_ABI 6
int sbx_landlock_scope(sbx_error_t *err);

#endif
