/* commit.c - STUB, replaced by the overlay work (issue 4). */
#include "config.h"
#include "overlay.h"

int sbx_commit_main(int argc, char **argv, sbx_error_t *err)
{
    return sbx_error(err, 0, "commit: not implemented yet");
}
