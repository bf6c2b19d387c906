/* memavail.c: MemAvailable, capped by what the process's memory cgroup has
 * left (memavail.h). */
#include "memavail.h"

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

/* Where a cgroup version lists the process in /proc/self/cgroup, and its
 * files under /sys/fs/cgroup. */
typedef struct cg_layout {
    const char *tag; /* the line's field before the path */
    bool prefix;     /* tag starts the line (v2) or follows the hierarchy id (v1) */
    const char *base, *limit, *usage;
} cg_layout;

static const cg_layout layouts[] = {
    {":memory:", false, "/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"},
    {"0::", true, "/sys/fs/cgroup", "memory.max", "memory.current"},
};

/* The process's cgroup path in layout g, into dir; false if not listed. */
static bool cgroup_dir(const char *root, const cg_layout *g, char *dir, size_t cap)
{
    char name[1024], line[1024];
    bool found = false;
    snprintf(name, sizeof name, "%s/proc/self/cgroup", root);
    FILE *f = fopen(name, "r");
    while (f && !found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        const char *at = g->prefix ? (strncmp(line, g->tag, strlen(g->tag)) ? NULL : line)
                                   : strstr(line, g->tag);
        found = at && strlen(at + strlen(g->tag)) < cap;
        if (found) snprintf(dir, cap, "%s", at + strlen(g->tag));
    }
    if (f) fclose(f);
    return found;
}

/* What the process's memory cgroup leaves: v1's when it is listed (the
 * memory controller is there), else v2's. */
static uint64_t cgroup_left(const char *root)
{
    char dir[900], limit[1100], usage[1100];
    for (size_t k = 0; k < sizeof layouts / sizeof *layouts; k++) {
        const cg_layout *g = &layouts[k];
        if (!cgroup_dir(root, g, dir, sizeof dir)) continue;
        snprintf(limit, sizeof limit, "%s%s/%s", g->base, dir, g->limit);
        snprintf(usage, sizeof usage, "%s%s/%s", g->base, dir, g->usage);
        return left_under(root, limit, usage);
    }
    return UINT64_MAX;
}

uint64_t didq_memory_limit_in(const char *root)
{
    char dir[900], limit[1100];
    for (size_t k = 0; k < sizeof layouts / sizeof *layouts; k++) {
        const cg_layout *g = &layouts[k];
        if (!cgroup_dir(root, g, dir, sizeof dir)) continue;
        snprintf(limit, sizeof limit, "%s%s/%s", g->base, dir, g->limit);
        uint64_t v = read_number(root, limit);
        return v >= (uint64_t)1 << 62 ? UINT64_MAX : v;
    }
    return UINT64_MAX;
}

uint64_t didq_memory_own_in(const char *root)
{
    char name[1024];
    unsigned long long size, resident, shared;
    snprintf(name, sizeof name, "%s/proc/self/statm", root);
    FILE *f = fopen(name, "r");
    bool ok = f && fscanf(f, "%llu %llu %llu", &size, &resident, &shared) == 3;
    if (f) fclose(f);
    long page = sysconf(_SC_PAGESIZE);
    if (!ok || page <= 0 || shared > resident) return 0;
    return (uint64_t)(resident - shared) * (uint64_t)page;
}

uint64_t didq_memory_meminfo_in(const char *root)
{
    return meminfo_available(root);
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
