/* cgroup.c - STUB, replaced by the limits work (issue 5). */
#include "config.h"
#include "cgroup.h"

bool sbx_cgroup_wanted(const struct sbx_config *cfg)
{
    return cfg->cpu_pct || cfg->memory || cfg->memory_swap >= 0 || cfg->pids || cfg->cpuset ||
           cfg->io_weight || cfg->stats_fd >= 0;
}

int sbx_cgroup_prepare(const struct sbx_config *cfg, struct sbx_cgroup **cg, sbx_error_t *err)
{
    *cg = NULL;
    if (sbx_cgroup_wanted(cfg))
        return sbx_error(err, 0, "resource limits: not implemented yet");
    return 0;
}

int sbx_cgroup_attach(struct sbx_cgroup *cg, pid_t pid, sbx_error_t *err)
{
    return 0;
}

int sbx_cgroup_wait_attached(struct sbx_cgroup *cg, sbx_error_t *err)
{
    return 0;
}

const char *sbx_cgroup_backend_name(const struct sbx_cgroup *cg)
{
    return "none";
}

int sbx_cgroup_finish(struct sbx_cgroup *cg, int wstatus, sbx_error_t *err)
{
    return 0;
}

void sbx_cgroup_free(struct sbx_cgroup *cg)
{
}
