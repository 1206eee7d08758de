/* sync.h - messages between the monitor and the sandbox over a
 * SOCK_SEQPACKET pair: release barriers one way, errors and readiness the
 * other, so that every error is printed once, by the monitor. */
#ifndef SBX_SYNC_H
#define SBX_SYNC_H

#include "util.h"

enum sbx_msg_type {
    SBX_MSG_GO = 1,    /* monitor -> child: go on */
    SBX_MSG_READY = 2, /* child -> monitor: sandbox built; text = JSON fragment for --info-fd */
    SBX_MSG_ERROR = 3, /* child -> monitor: text = message, status = exit status */
};

struct sbx_msg {
    int type;
    int status;
    char text[4000];
};

int sbx_sync_send(int fd, int type, int status, const char *text);
/* Returns 0 with *msg filled, 1 on EOF (the peer exec'd or died), -1 on error. */
int sbx_sync_recv(int fd, struct sbx_msg *msg);
/* Wait for SBX_MSG_GO; returns -1 when the monitor went away. */
int sbx_sync_wait_go(int fd);
/* Child side: send err as an SBX_MSG_ERROR. */
void sbx_sync_send_error(int fd, sbx_error_t err);

#endif
