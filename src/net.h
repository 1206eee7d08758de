/* net.h - network setup inside the sandbox. */
#ifndef SBX_NET_H
#define SBX_NET_H

#include "util.h"

/* Enter a new network namespace with its loopback interface up.  The
 * sandbox's first process calls it rather than clone3 making the
 * namespace, where it would be in series with the monitor's work: setting
 * up a network namespace is the costliest part of creating namespaces. */
int sbx_net_new(sbx_error_t *err);

#endif
