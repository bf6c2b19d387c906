/* memavail.c: MemAvailable, capped by what the process's memory cgroup has
 * left (memavail.h). */
#include "didq/memavail.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The first number of a file (UINT64_MAX if absent or "max"). */
static uint64_t read_number(const char *root, const char *path)
{
    char name[1024], text[64] = "";
    unsigned long long v;
    snprintf(name, sizeof name, "%s%s", root, path);
    FILE *f = fopen(name, "r");
    if (!f) return UINT64_MAX;
    bool ok = fgets(text, sizeof text, f) && sscanf(text, "%llu", &v) == 1;
    fclose(f);
    return ok ? (uint64_t)v : UINT64_MAX;
}

static uint64_t meminfo_available(const char *root)
{
    char name[1024], line[128];
    unsigned long long kb;
    snprintf(name, sizeof name, "%s/proc/meminfo", root);
    FILE *f = fopen(name, "r");
    uint64_t avail = UINT64_MAX;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
            avail = (uint64_t)kb * 1024;
            break;
        }
    if (f) fclose(f);
    return avail;
}

/* What a cgroup's limit leaves (UINT64_MAX: no limit, or unknown).  v1
 * reports "no limit" as a number near 2^63. */
static uint64_t left_under(const char *root, const char *limit_path, const char *usage_path)
{
    uint64_t limit = read_number(root, limit_path), usage = read_number(root, usage_path);
    if (limit >= (uint64_t)1 << 62 || usage == UINT64_MAX) return UINT64_MAX;
    return usage < limit ? limit - usage : 0;
}

/* The memory cgroup of this process in /proc/self/cgroup: "0::PATH" (v2)
 * or "N:memory:PATH" (v1; it wins when both are there). */
static uint64_t cgroup_left(const char *root)
{
    char name[1024], line[1024];
    uint64_t left = UINT64_MAX;
    snprintf(name, sizeof name, "%s/proc/self/cgroup", root);
    FILE *f = fopen(name, "r");
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        const char *v1 = strstr(line, ":memory:"), *v2 = strncmp(line, "0::", 3) ? NULL : line + 3;
        const char *dir = v1 ? v1 + 8 : v2;
        if (!dir || strlen(dir) > 900) continue;
        char limit[1100], usage[1100];
        const char *base = v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup";
        snprintf(limit, sizeof limit, "%s%s/%s", base, dir,
                 v1 ? "memory.limit_in_bytes" : "memory.max");
        snprintf(usage, sizeof usage, "%s%s/%s", base, dir,
                 v1 ? "memory.usage_in_bytes" : "memory.current");
        uint64_t l = left_under(root, limit, usage);
        if (v1 || l < left) left = l;
        if (v1) break;
    }
    if (f) fclose(f);
    return left;
}

/* Without /proc/meminfo: the free pages, where the system counts them. */
static uint64_t free_pages(void)
{
#ifdef _SC_AVPHYS_PAGES
    long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && size > 0) return (uint64_t)pages * (uint64_t)size;
#endif
    return UINT64_MAX;
}

uint64_t didq_memory_available_in(const char *root)
{
    uint64_t avail = meminfo_available(root), left = cgroup_left(root);
    if (avail == UINT64_MAX && !*root) avail = free_pages();
    return left < avail ? left : avail;
}

uint64_t didq_memory_available(void)
{
    return didq_memory_available_in("");
}
