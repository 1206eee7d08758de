/* net.h - network setup inside the sandbox. */
#ifndef SBX_NET_H
#define SBX_NET_H

#include "util.h"

/* Bring the loopback interface of the current network namespace up. */
int sbx_net_loopback_up(sbx_error_t *err);

#endif
