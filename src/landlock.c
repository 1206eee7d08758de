/* landlock.c - Landlock scoping (ABI 6, Linux 6.12): the command cannot
 * connect to abstract unix sockets created outside the sandbox, nor signal
 * processes outside it, even when it shares the host's network or PID
 * namespace.  Older kernels: sbx says what is missing in --verbose and goes on. */
#include "config.h"

#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "security.h"

#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL               (1ULL << 1)
#endif

/* The ABI 6 layout; older headers (Debian 12's) lack the last two fields. */
struct sbx_landlock_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

int sbx_landlock_abi(void)
{
#ifdef SYS_landlock_create_ruleset
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : (int)abi;
#else
    return 0;
#endif
}

int sbx_landlock_scope(sbx_error_t *err)
{
#if defined(SYS_landlock_create_ruleset) && defined(SYS_landlock_restrict_self)
    struct sbx_landlock_ruleset_attr attr = {
        .scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL,
    };
    int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0)
        return sbx_error(err, errno, "landlock: creating the scoped ruleset");
    int r = (int)syscall(SYS_landlock_restrict_self, fd, 0);
    int saved = errno;
    close(fd);
    if (r < 0)
        return sbx_error(err, saved, "landlock: restricting the command");
    return 0;
#else
    return sbx_error(err, ENOSYS, "landlock");
#endif
}
