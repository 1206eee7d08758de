/* userns.c - id maps for the sandbox's user namespace.
 *
 * With ranges in /etc/subuid and /etc/subgid and shadow's setuid helpers
 * installed, the whole range is mapped so that files owned by other ids
 * work and --uid 0 gives a usable root.  Otherwise a single id is mapped,
 * which needs no helper (setgroups is denied first, as the kernel
 * requires). */
#include "config.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "userns.h"

extern char **environ;

size_t sbx_subid_ranges(const char *path, const char *user, unsigned long id,
                        struct sbx_extent *out, size_t max)
{
    _cleanup_fclose_ FILE *f = fopen(path, "re");
    if (f == NULL)
        return 0;
    char line[512], idtext[32];
    size_t n = 0;
    snprintf(idtext, sizeof(idtext), "%lu", id);
    while (n < max && fgets(line, sizeof(line), f)) {
        char *save = NULL;
        char *name = strtok_r(line, ":\n", &save);
        char *start = strtok_r(NULL, ":\n", &save);
        char *count = strtok_r(NULL, ":\n", &save);
        long s, c;
        if (!name || !start || !count || name[0] == '#')
            continue;
        if (!((user && strcmp(name, user) == 0) || strcmp(name, idtext) == 0))
            continue;
        if (parse_int(start, 0, 0xfffffffeL, &s) < 0 || parse_int(count, 1, 0xfffffffeL, &c) < 0)
            continue;
        out[n++] = (struct sbx_extent){.outside = (unsigned long)s, .count = (unsigned long)c};
    }
    return n;
}

size_t sbx_idmap_layout(unsigned long inside, unsigned long caller, const struct sbx_extent *ranges,
                        size_t n_ranges, struct sbx_extent *out, size_t max)
{
    size_t n = 0;
    unsigned long next = 0; /* next free id inside */
    out[n++] = (struct sbx_extent){.inside = inside, .outside = caller, .count = 1};
    for (size_t i = 0; i < n_ranges && n + 2 <= max; i++) {
        unsigned long outside = ranges[i].outside, count = ranges[i].count;
        if (next <= inside && inside < next + count) {
            unsigned long before = inside - next;
            if (before > 0)
                out[n++] = (struct sbx_extent){next, outside, before};
            outside += before;
            count -= before;
            next = inside + 1;
        }
        if (count > 0)
            out[n++] = (struct sbx_extent){next, outside, count};
        next += count;
    }
    return n;
}

bool sbx_is_privileged(void)
{
    if (getuid() != 0)
        return false;
    cap_t caps = cap_get_proc();
    if (caps == NULL)
        return false;
    cap_flag_value_t admin = CAP_CLEAR, setuid = CAP_CLEAR;
    cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &admin);
    cap_get_flag(caps, CAP_SETUID, CAP_EFFECTIVE, &setuid);
    cap_free(caps);
    return admin == CAP_SET && setuid == CAP_SET;
}

static bool find_helper(const char *name, char *out, size_t len)
{
    const char *dirs[] = {"/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin"};
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
        snprintf(out, len, "%s/%s", dirs[i], name);
        struct stat st;
        if (stat(out, &st) == 0 && (st.st_mode & S_ISUID) && st.st_uid == 0)
            return true;
    }
    return false;
}

void sbx_idmap_plan_single(const struct sbx_config *cfg, bool use_userns, struct sbx_idmap *map)
{
    memset(map, 0, sizeof(*map));
    map->holder_nsfd = -1;
    if (!use_userns)
        return;
    unsigned long in_uid = cfg->uid_set ? cfg->uid : cfg->caller_uid;
    unsigned long in_gid = cfg->gid_set ? cfg->gid : cfg->caller_gid;
    map->kind = IDMAP_SINGLE;
    map->uid[0] = (struct sbx_extent){in_uid, cfg->caller_uid, 1};
    map->gid[0] = (struct sbx_extent){in_gid, cfg->caller_gid, 1};
    map->n_uid = map->n_gid = 1;
}

void sbx_idmap_plan_ranges(const struct sbx_config *cfg, struct sbx_idmap *map)
{
    if (map->kind != IDMAP_SINGLE || cfg->is_root)
        return;
    struct passwd *pw = getpwuid(cfg->caller_uid);
    const char *user = pw ? pw->pw_name : NULL;
    struct sbx_extent ur[SBX_MAX_EXTENTS / 2], gr[SBX_MAX_EXTENTS / 2];
    size_t nu = sbx_subid_ranges("/etc/subuid", user, cfg->caller_uid, ur, ARRAY_SIZE(ur));
    /* subgid entries are looked up by user name too, as shadow does */
    size_t ng = sbx_subid_ranges("/etc/subgid", user, cfg->caller_uid, gr, ARRAY_SIZE(gr));
    if (nu == 0 || ng == 0)
        return;
    if (!find_helper("newuidmap", map->newuidmap, sizeof(map->newuidmap)) ||
        !find_helper("newgidmap", map->newgidmap, sizeof(map->newgidmap))) {
        sbx_debug("subordinate ids found but no setuid newuidmap/newgidmap: single-id map");
        return;
    }
    map->kind = IDMAP_RANGE;
    map->n_uid =
        sbx_idmap_layout(map->uid[0].inside, cfg->caller_uid, ur, nu, map->uid, SBX_MAX_EXTENTS);
    map->n_gid =
        sbx_idmap_layout(map->gid[0].inside, cfg->caller_gid, gr, ng, map->gid, SBX_MAX_EXTENTS);
}

const char *sbx_idmap_kind_name(const struct sbx_idmap *map)
{
    switch (map->kind) {
    case IDMAP_RANGE:
        return "subid-range";
    case IDMAP_SINGLE:
        return "single";
    default:
        return "none";
    }
}

size_t sbx_idmap_read(int dirfd, const char *path, struct sbx_extent *out, size_t max)
{
    _cleanup_free_ char *text = read_text_at(dirfd, path, 8192);
    size_t n = 0;
    char *save = NULL;
    for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l && n < max;
         l = strtok_r(NULL, "\n", &save)) {
        if (sscanf(l, "%lu %lu %lu", &out[n].inside, &out[n].outside, &out[n].count) == 3)
            n++;
    }
    return n;
}

static char *format_map(const struct sbx_extent *e, size_t n)
{
    char *buf = xmalloc0(n * 40 + 1);
    size_t off = 0;
    for (size_t i = 0; i < n; i++)
        off += (size_t)sprintf(buf + off, "%lu %lu %lu\n", e[i].inside, e[i].outside, e[i].count);
    return buf;
}

static int write_proc_file(pid_t pid, const char *name, const char *data, sbx_error_t *err)
{
    _cleanup_free_ char *path = xasprintf("/proc/%d/%s", (int)pid, name);
    _cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write_all(fd, data, strlen(data)) < 0)
        return sbx_error(err, errno, "write %s", path);
    return 0;
}

/* Start HELPER PID inside outside count ... with stderr captured. */
static int spawn_helper(const char *helper, pid_t pid, const struct sbx_extent *e, size_t n,
                        pid_t *child, int *errpipe, sbx_error_t *err)
{
    char *argv[3 + 3 * SBX_MAX_EXTENTS + 1];
    char nums[3 * SBX_MAX_EXTENTS + 1][24];
    size_t k = 0, a = 0;
    argv[a++] = (char *)helper;
    snprintf(nums[k], sizeof(nums[k]), "%d", (int)pid);
    argv[a++] = nums[k++];
    for (size_t i = 0; i < n; i++) {
        unsigned long v[3] = {e[i].inside, e[i].outside, e[i].count};
        for (int j = 0; j < 3; j++) {
            snprintf(nums[k], sizeof(nums[k]), "%lu", v[j]);
            argv[a++] = nums[k++];
        }
    }
    argv[a] = NULL;
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return sbx_error(err, errno, "pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    int r = posix_spawn(child, helper, &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(p[1]);
    if (r != 0) {
        close(p[0]);
        return sbx_error(err, r, "%s", helper);
    }
    *errpipe = p[0];
    return 0;
}

static int reap_helper(const char *helper, pid_t child, int errpipe, sbx_error_t *err)
{
    char msg[512] = "";
    ssize_t n = read_all(errpipe, msg, sizeof(msg) - 1);
    close(errpipe);
    int st;
    while (waitpid(child, &st, 0) < 0)
        if (errno != EINTR)
            return sbx_error(err, errno, "waitpid %s", helper);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    msg[n > 0 ? n : 0] = '\0';
    char *nl = strchr(msg, '\n');
    if (nl)
        *nl = '\0';
    return sbx_error(err, 0, "%s failed (status %d)%s%s", helper,
                     WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), msg[0] ? ": " : "", msg);
}

static int apply_range(const struct sbx_idmap *map, pid_t pid, sbx_error_t *err)
{
    pid_t gpid, upid;
    int gpipe, upipe;
    if (spawn_helper(map->newgidmap, pid, map->gid, map->n_gid, &gpid, &gpipe, err) < 0)
        return -1;
    if (spawn_helper(map->newuidmap, pid, map->uid, map->n_uid, &upid, &upipe, err) < 0) {
        sbx_error_t ignored = NULL;
        reap_helper(map->newgidmap, gpid, gpipe, &ignored);
        sbx_error_release(&ignored);
        return -1;
    }
    int rg = reap_helper(map->newgidmap, gpid, gpipe, err);
    int ru = reap_helper(map->newuidmap, upid, upipe, err);
    return rg < 0 || ru < 0 ? -1 : 0;
}

int sbx_idmap_apply(const struct sbx_idmap *map, pid_t pid, sbx_error_t *err)
{
    if (map->kind == IDMAP_NONE)
        return 0;
    if (map->kind == IDMAP_RANGE && map->holder_nsfd < 0)
        return apply_range(map, pid, err);
    _cleanup_free_ char *g = format_map(map->gid, map->n_gid);
    _cleanup_free_ char *u = format_map(map->uid, map->n_uid);
    /* the holder's namespace gives CAP_SETGID over the new one: groups stay
     * as newgidmap leaves them */
    if (map->holder_nsfd < 0 && !sbx_is_privileged()) {
        if (write_proc_file(pid, "setgroups", "deny", err) < 0)
            return -1;
    }
    if (write_proc_file(pid, "gid_map", g, err) < 0)
        return -1;
    if (write_proc_file(pid, "uid_map", u, err) < 0) {
        /* Linux 5.12+: mapping uid 0 needs CAP_SETFCAP in the parent namespace */
        if ((*err)->errnum == EPERM && map->uid[0].outside == 0)
            sbx_error_prefix(err, "uid 0 cannot be mapped into a new user namespace without "
                                  "CAP_SETFCAP (inside another sandbox, use a non-zero --uid "
                                  "or --cap-add CAP_SETFCAP there)");
        return -1;
    }
    return 0;
}
