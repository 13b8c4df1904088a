/*
 * keys.c — see keys.h. spin_ns defaults to 0: every wait sleeps on its
 * futex at once, so the default figure is the kernel's wake-up floor and
 * no core is burnt unasked; a spin measures the cache-line floor.
 */
#include "keys.h"

#include "options.h"

int shm_keys_read(const struct incbench_params *params, struct shm_keys *out,
                  char *err, size_t errlen)
{
    static const char *const known[] = { "spin_ns", NULL };
    out->spin_ns = 0;
    if (opts_check(params, "shm", known, err, errlen) != 0)
        return -1;
    return opts_uint(params, "shm", "spin_ns", 0, SHM_SPIN_MAX_NS, &out->spin_ns,
                     err, errlen);
}
