/* landlock.c - filled by its feature work */
#include "config.h"
