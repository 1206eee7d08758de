/* net.c - loopback in a new network namespace. */
#include "config.h"

#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "net.h"

static int loopback_up(sbx_error_t *err)
{
    _cleanup_close_ int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return sbx_error(err, errno, "--unshare-net: socket");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    strcpy(ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
        return sbx_error(err, errno, "--unshare-net: loopback flags");
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
        return sbx_error(err, errno, "--unshare-net: bring loopback up");
    return 0;
}

int sbx_net_new(sbx_error_t *err)
{
    if (unshare(CLONE_NEWNET) < 0)
        return sbx_error(err, errno, "--unshare-net");
    return loopback_up(err);
}
