/* util.h - error object, cleanup attributes and small safe helpers */
#ifndef SBX_UTIL_H
#define SBX_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>
#include <errno.h>

/* An error travels up the stack as data; only main() prints it.
 * msg is the whole text after "sbx: ", errno already spelled out. */
struct sbx_error_s {
    int errnum; /* errno that caused it, 0 if none */
    int status; /* exit status the error asks for (1 unless said otherwise) */
    char *msg;
};
typedef struct sbx_error_s *sbx_error_t;

/* Fill *err (unless already set) and return -1.  When errnum != 0 the text
 * gets ": strerror(errnum)" appended. */
int sbx_error(sbx_error_t *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int sbx_error_v(sbx_error_t *err, int errnum, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* Prefix an existing error's message with "PREFIX: ". */
int sbx_error_prefix(sbx_error_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbx_error_release(sbx_error_t *err);

/* Name used in messages: "sbx", or "bwrap" in bubblewrap mode. */
extern const char *sbx_progname;
void sbx_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int sbx_verbose;
void sbx_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Cleanup attributes. */
static inline void sbx_freep(void *p)
{
    free(*(void **)p);
}
static inline void sbx_closep(int *fd)
{
    if (*fd >= 0) {
        int saved = errno;
        close(*fd);
        errno = saved;
    }
}
#define _cleanup_free_  __attribute__((cleanup(sbx_freep)))
#define _cleanup_close_ __attribute__((cleanup(sbx_closep)))
#define _cleanup_error_ __attribute__((cleanup(sbx_error_release)))
static inline void sbx_fclosep(FILE **f)
{
    if (*f)
        fclose(*f);
}
#define _cleanup_fclose_ __attribute__((cleanup(sbx_fclosep)))

static inline void *sbx_steal_ptr(void *pp)
{
    void **p = pp;
    void *r = *p;
    *p = NULL;
    return r;
}
#define steal_pointer(pp) sbx_steal_ptr(pp)
static inline int steal_fd(int *fd)
{
    int r = *fd;
    *fd = -1;
    return r;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that cannot fail (aborts on OOM, like glib). */
void *xmalloc0(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* I/O that retries on EINTR and short counts. */
int write_all(int fd, const void *buf, size_t len);
ssize_t read_all(int fd, void *buf, size_t len);
/* Read a whole fd into a NUL-terminated malloc'd buffer: its length, or
 * -1 with errno set (read_fd_string), or -1 with *err set (read_fd_all). */
ssize_t read_fd_string(int fd, char **out);
int read_fd_all(int fd, char **out, size_t *len, sbx_error_t *err);
int write_file_at(int dirfd, const char *path, const char *data, sbx_error_t *err);
int read_file_at(int dirfd, const char *path, char **out, sbx_error_t *err);
/* At most max bytes of a file as a string, or NULL (errno set). */
char *read_text_at(int dirfd, const char *path, size_t max);

/* Number parsing: whole string, range-checked. */
int parse_int(const char *s, long min, long max, long *out);
int parse_octal(const char *s, unsigned *out);
/* BYTES with optional K/M/G/T suffix (powers of 1024). */
int parse_size(const char *s, unsigned long long *out);

/* "0-1,3": CPU numbers and ascending ranges (at most 8191).  When mask is
 * not NULL, the matching bitmask (bit N = CPU N) and its length in bytes. */
int parse_cpu_list(const char *s, unsigned char **mask, size_t *len);

/* JSON string escaping into a static-free malloc'd string. */
char *json_escape(const char *s);

#endif
