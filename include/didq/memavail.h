/* memavail.h: how much memory this process may still take: the kernel's
 * MemAvailable, and no more than is left under the memory limit of the
 * process's cgroup (v2 memory.max, or v1 memory.limit_in_bytes), which a
 * container or a systemd slice sets while /proc/meminfo shows the host's.
 * The background builder of sorted orders asks before each order. */
#ifndef DIDQ_MEMAVAIL_H
#define DIDQ_MEMAVAIL_H

#include <stdint.h>

/* Bytes available; UINT64_MAX when nothing says. */
uint64_t didq_memory_available(void);

/* The same, reading /proc and /sys/fs/cgroup under root ("" for the real
 * ones; tests give a folder laid out the same way). */
uint64_t didq_memory_available_in(const char *root);

#endif
