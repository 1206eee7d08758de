/* overlay.c - STUB, replaced by the overlay work (issue 4). */
#include "config.h"
#include "overlay.h"

int sbx_overlay_prepare(const struct sbx_config *cfg, sbx_error_t *err)
{
    for (size_t i = 0; i < cfg->n_ops; i++)
        if (cfg->ops[i].kind >= OP_TMP_OVERLAY)
            return sbx_error(err, 0, "%s: not implemented yet", cfg->ops[i].text);
    if (cfg->n_overlay_layers)
        return sbx_error(err, 0, "--overlay: not implemented yet");
    return 0;
}

int sbx_overlay_make_root(const struct sbx_config *cfg, int *mnt_fd, sbx_error_t *err)
{
    return sbx_error(err, 0, "--overlay: not implemented yet");
}

int sbx_overlay_make_mount(const struct sbx_config *cfg, const struct sbx_op *op, int *mnt_fd,
                           sbx_error_t *err)
{
    return sbx_error(err, 0, "%s: not implemented yet", op->text);
}

int sbx_overlay_init_layer(const struct sbx_config *cfg, int root_fd, sbx_error_t *err)
{
    return 0;
}

const char *sbx_overlay_driver_used(void)
{
    return NULL;
}
