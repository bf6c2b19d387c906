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

/* The memory limit of the process's cgroup (v1 first, then v2);
 * UINT64_MAX when there is none. */
uint64_t didq_memory_limit_in(const char *root);

/* The process's own memory that no one else can reclaim: resident less
 * file-backed and shared pages (/proc/self/statm), 0 if unknown. */
uint64_t didq_memory_own_in(const char *root);

/* MemAvailable of /proc/meminfo; UINT64_MAX if absent. */
uint64_t didq_memory_meminfo_in(const char *root);

#endif
