/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef EVTRACE_MOUNTS_H
#define EVTRACE_MOUNTS_H

#include <stdint.h>

/* Kernel dev_t (20-bit minor) of the first mount of fstype; 0 or -errno. */
int mounts_find_fs_dev(const char *fstype, uint32_t *dev);

#endif
