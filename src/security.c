/* security.c - STUB, replaced by the security work (issue 6). */
#include "config.h"
#include "security.h"

int sbx_security_prepare(const struct sbx_config *cfg, struct sbx_security **sec,
                         sbx_error_t *err)
{
    *sec = NULL;
    if (cfg->n_cap_ops || cfg->n_seccomp_fds || cfg->seccomp_profile || cfg->n_rlimits)
        return sbx_error(err, 0, "security options: not implemented yet");
    return 0;
}

int sbx_security_apply(const struct sbx_config *cfg, struct sbx_security *sec, sbx_error_t *err)
{
    return 0;
}

char *sbx_security_info_json(const struct sbx_security *sec)
{
    return NULL;
}

void sbx_security_free(struct sbx_security *sec)
{
}
