/* caps.c - capabilities of the command (libcap).
 *
 * bubblewrap's --cap-add/--cap-drop CAP|ALL semantics: the command keeps
 * exactly the capabilities asked for, in every set (effective, permitted,
 * inheritable, ambient, so they survive exec for a non-root uid inside),
 * and the bounding set is cut down to them.  sbx starts from none, also for
 * --uid 0; in bubblewrap mode a sandbox uid 0 without any --cap-* option
 * keeps everything, as bubblewrap does. */
#include "config.h"

#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "security.h"

int sbx_caps_last(void)
{
    int n = (int)cap_max_bits();
    if (n <= 0 || n > 64)
        n = CAP_LAST_CAP + 1;
    return n - 1;
}

static uint64_t all_caps(void)
{
    int last = sbx_caps_last();
    return last >= 63 ? ~0ull : (1ull << (last + 1)) - 1;
}

int sbx_caps_compute(const struct sbx_config *cfg, uint64_t *caps, uint64_t *named,
                     sbx_error_t *err)
{
    uint64_t set = 0, by_name = 0;
    bool in_uid0 = cfg->uid_set ? cfg->uid == 0 : cfg->caller_uid == 0;
    if (cfg->bwrap_mode && cfg->n_cap_ops == 0 && in_uid0)
        set = all_caps();
    for (size_t i = 0; i < cfg->n_cap_ops; i++) {
        const struct sbx_cap_op *op = &cfg->cap_ops[i];
        const char *opt = op->add ? "--cap-add" : "--cap-drop";
        uint64_t bits;
        if (strcasecmp(op->name, "ALL") == 0) {
            bits = all_caps();
        } else {
            cap_value_t v;
            if (cap_from_name(op->name, &v) < 0)
                return sbx_error(err, 0, "%s %s: unknown capability", opt, op->name);
            if (v < 0 || v > sbx_caps_last())
                return sbx_error(err, 0, "%s %s: not supported by this kernel", opt, op->name);
            bits = 1ull << v;
            by_name = op->add ? by_name | bits : by_name & ~bits;
        }
        set = op->add ? set | bits : set & ~bits;
        if (!op->add)
            by_name &= ~bits;
    }
    *caps = set;
    *named = by_name & set;
    return 0;
}

char *sbx_caps_to_json(uint64_t caps)
{
    size_t sz = 3;
    char *s = xmalloc0(sz);
    strcpy(s, "[");
    for (int c = 0; c <= sbx_caps_last(); c++) {
        if (!(caps & (1ull << c)))
            continue;
        char *name = cap_to_name(c);
        char *n = xasprintf("%s\"%s\"", s[1] ? ", " : "", name ? name : "?");
        cap_free(name);
        sz += strlen(n);
        s = xrealloc(s, sz);
        strcat(s, n);
        free(n);
    }
    strcat(s, "]");
    return s;
}

/* In the command's process, which still holds every capability of its user
 * namespace (or root's): bounding set first (needs CAP_SETPCAP), then the
 * three process sets, then ambient. */
int sbx_caps_apply(uint64_t caps, uint64_t named, int last_cap, sbx_error_t *err)
{
    /* ALL means all this process may have: outside a user namespace (sbx
     * run as root) that is root's own, possibly reduced, set; a capability
     * asked for by name must be there */
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof(data));
    if (capget(&hdr, data) < 0)
        return sbx_error(err, errno, "capabilities: capget");
    uint64_t have = data[0].permitted | ((uint64_t)data[1].permitted << 32);
    uint64_t missing = named & ~have;
    if (missing) {
        int c = __builtin_ctzll(missing);
        char *name = cap_to_name(c);
        sbx_error(err, 0, "--cap-add %s: sbx itself does not have this capability", name);
        cap_free(name);
        return -1;
    }
    caps &= have;

    for (int c = 0; c <= last_cap; c++) {
        if (caps & (1ull << c))
            continue;
        if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
            return sbx_error(err, errno, "capabilities: dropping %d from the bounding set", c);
    }

    memset(data, 0, sizeof(data));
    for (int i = 0; i < 2; i++) {
        uint32_t w = (uint32_t)(caps >> (32 * i));
        data[i].effective = data[i].permitted = data[i].inheritable = w;
    }
    if (capset(&hdr, data) < 0)
        return sbx_error(err, errno, "capabilities: capset");

    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return sbx_error(err, errno, "capabilities: clearing the ambient set");
    for (int c = 0; c <= last_cap; c++) {
        if ((caps & (1ull << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
            return sbx_error(err, errno, "--cap-add: raising capability %d in the ambient set", c);
    }
    return 0;
}
