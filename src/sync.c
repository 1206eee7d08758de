/* sync.c - the monitor <-> sandbox message channel. */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "sync.h"

int sbx_sync_send(int fd, int type, int status, const char *text)
{
    struct sbx_msg m = {.type = type, .status = status};
    if (text)
        snprintf(m.text, sizeof(m.text), "%s", text);
    size_t len = offsetof(struct sbx_msg, text) + strlen(m.text) + 1;
    ssize_t n;
    do
        n = send(fd, &m, len, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -1 : 0;
}

int sbx_sync_recv(int fd, struct sbx_msg *msg)
{
    memset(msg, 0, sizeof(*msg));
    ssize_t n;
    do
        n = recv(fd, msg, sizeof(*msg) - 1, 0);
    while (n < 0 && errno == EINTR);
    if (n == 0 || (n < 0 && errno == ECONNRESET))
        return 1;
    if (n < 0)
        return -1;
    if ((size_t)n < offsetof(struct sbx_msg, text))
        return -1;
    return 0;
}

int sbx_sync_wait_go(int fd)
{
    struct sbx_msg m;
    if (sbx_sync_recv(fd, &m) != 0 || m.type != SBX_MSG_GO)
        return -1;
    return 0;
}

void sbx_sync_send_error(int fd, sbx_error_t err)
{
    sbx_sync_send(fd, SBX_MSG_ERROR, err ? err->status : 1, err ? err->msg : "unknown error");
}
