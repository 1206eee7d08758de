/* util.c - error object and small helpers shared by every part of sbx */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "util.h"

const char *sbx_progname = "sbx";
int sbx_verbose;

int sbx_error_v(sbx_error_t *err, int errnum, const char *fmt, va_list ap)
{
    if (err == NULL || *err != NULL)
        return -1;
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0)
        abort();
    struct sbx_error_s *e = xmalloc0(sizeof(*e));
    e->errnum = errnum;
    e->status = 1;
    if (errnum != 0) {
        e->msg = xasprintf("%s: %s", text, strerror(errnum));
        free(text);
    } else {
        e->msg = text;
    }
    *err = e;
    return -1;
}

int sbx_error(sbx_error_t *err, int errnum, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sbx_error_v(err, errnum, fmt, ap);
    va_end(ap);
    return -1;
}

int sbx_error_prefix(sbx_error_t *err, const char *fmt, ...)
{
    if (err == NULL || *err == NULL)
        return -1;
    char *prefix = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&prefix, fmt, ap) < 0)
        abort();
    va_end(ap);
    char *msg = xasprintf("%s: %s", prefix, (*err)->msg);
    free(prefix);
    free((*err)->msg);
    (*err)->msg = msg;
    return -1;
}

void sbx_error_release(sbx_error_t *err)
{
    if (err == NULL || *err == NULL)
        return;
    free((*err)->msg);
    free(*err);
    *err = NULL;
}

static void vwarn(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", sbx_progname);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void sbx_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void sbx_debug(const char *fmt, ...)
{
    if (!sbx_verbose)
        return;
    va_list ap;
    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void *xmalloc0(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (p == NULL)
        abort();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL)
        abort();
    return p;
}

char *xstrdup(const char *s)
{
    char *r = strdup(s);
    if (r == NULL)
        abort();
    return r;
}

char *xasprintf(const char *fmt, ...)
{
    char *r = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&r, fmt, ap) < 0)
        abort();
    va_end(ap);
    return r;
}

int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

ssize_t read_all(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

ssize_t read_fd_string(int fd, char **out)
{
    size_t cap = 4096, used = 0;
    _cleanup_free_ char *buf = xmalloc0(cap);
    for (;;) {
        if (used + 1 >= cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t n = read(fd, buf + used, cap - used - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        used += (size_t)n;
    }
    buf[used] = '\0';
    *out = steal_pointer(&buf);
    return (ssize_t)used;
}

int read_fd_all(int fd, char **out, size_t *len, sbx_error_t *err)
{
    ssize_t n = read_fd_string(fd, out);
    if (n < 0)
        return sbx_error(err, errno, "read fd %d", fd);
    if (len)
        *len = (size_t)n;
    return 0;
}

int write_file_at(int dirfd, const char *path, const char *data, sbx_error_t *err)
{
    _cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_TRUNC);
    if (fd < 0)
        return sbx_error(err, errno, "open %s", path);
    if (write_all(fd, data, strlen(data)) < 0)
        return sbx_error(err, errno, "write %s", path);
    return 0;
}

int read_file_at(int dirfd, const char *path, char **out, sbx_error_t *err)
{
    _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sbx_error(err, errno, "open %s", path);
    return read_fd_all(fd, out, NULL, err);
}

char *read_text_at(int dirfd, const char *path, size_t max)
{
    _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *buf = xmalloc0(max + 1);
    ssize_t n = read_all(fd, buf, max);
    if (n < 0) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

int parse_int(const char *s, long min, long max, long *out)
{
    if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
        return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int parse_octal(const char *s, unsigned *out)
{
    if (s == NULL || *s == '\0')
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 8);
    if (errno != 0 || *end != '\0' || v > 07777 || *s == '-' || *s == '+')
        return -1;
    *out = (unsigned)v;
    return 0;
}

int parse_size(const char *s, unsigned long long *out)
{
    if (s == NULL || !isdigit((unsigned char)*s))
        return -1;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0)
        return -1;
    unsigned shift = 0;
    if (*end != '\0') {
        const char *units = "KMGT";
        const char *u = strchr(units, toupper((unsigned char)*end));
        if (u == NULL || *u == '\0')
            return -1;
        shift = 10 * (unsigned)(u - units + 1);
        end++;
        if ((*end == 'i' || *end == 'I') && (end[1] == 'B' || end[1] == 'b'))
            end += 2;
        else if (*end == 'B' || *end == 'b')
            end++;
        if (*end != '\0')
            return -1;
    }
    if (shift && v > (ULLONG_MAX >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

int parse_cpu_list(const char *s, unsigned char **mask, size_t *len)
{
    _cleanup_free_ unsigned char *m = NULL;
    size_t n = 0;
    const char *p = s;
    if (*p == '\0')
        return -1;
    while (*p) {
        char *end;
        if (!isdigit((unsigned char)*p))
            return -1;
        unsigned long a = strtoul(p, &end, 10), b = a;
        p = end;
        if (*p == '-') {
            if (!isdigit((unsigned char)p[1]))
                return -1;
            b = strtoul(p + 1, &end, 10);
            p = end;
        }
        if (b < a || b > 8191)
            return -1;
        if (*p == ',' && p[1] == '\0')
            return -1;
        if (*p == ',')
            p++;
        else if (*p != '\0')
            return -1;
        if (mask == NULL)
            continue;
        if (b / 8 + 1 > n) {
            m = xrealloc(m, b / 8 + 1);
            memset(m + n, 0, b / 8 + 1 - n);
            n = b / 8 + 1;
        }
        for (unsigned long i = a; i <= b; i++)
            m[i / 8] |= (unsigned char)(1u << (i % 8));
    }
    if (mask) {
        *mask = steal_pointer(&m);
        *len = n;
    }
    return 0;
}

char *json_escape(const char *s)
{
    size_t n = strlen(s);
    char *r = xmalloc0(n * 6 + 1), *p = r;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c < 0x20) {
            p += sprintf(p, "\\u%04x", c);
        } else {
            *p++ = (char)c;
        }
    }
    *p = '\0';
    return r;
}
