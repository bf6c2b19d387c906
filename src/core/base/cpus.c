/* cpus.c: the CPUs this process may use (cpus.h). */
#include "cpus.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int didq_cpus_affinity(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN); /* over CPU_SETSIZE CPUs, or no answer */
    return n > 0 ? (int)n : 1;
}

/* The CPUs a quota of q over period p allows, rounded up; 0: none. */
static int quota_cpus(long long q, long long p)
{
    return q > 0 && p > 0 ? (int)((q + p - 1) / p) : 0;
}

/* The quota of one cgroup folder, v2 (cpu.max: "max 100000" or "150000
 * 100000") or v1 (cfs_quota_us, -1 for none); 0: none. */
static int folder_quota(const char *root, const char *base, const char *dir, int v2)
{
    char name[1200], text[64] = "";
    long long q = 0, p = 0;
    snprintf(name, sizeof name, "%s%s%s/%s", root, base, dir, v2 ? "cpu.max" : "cpu.cfs_quota_us");
    FILE *f = fopen(name, "r");
    if (!f) return 0;
    int ok = fgets(text, sizeof text, f) != NULL;
    fclose(f);
    if (!ok) return 0;
    if (v2) return sscanf(text, "%lld %lld", &q, &p) == 2 ? quota_cpus(q, p) : 0;
    if (sscanf(text, "%lld", &q) != 1) return 0;
    snprintf(name, sizeof name, "%s%s%s/cpu.cfs_period_us", root, base, dir);
    f = fopen(name, "r");
    ok = f && fgets(text, sizeof text, f) && sscanf(text, "%lld", &p) == 1;
    if (f) fclose(f);
    return ok ? quota_cpus(q, p) : 0;
}

/* The lowest quota of dir and its parents (dir is changed); 0: none. */
static int lowest_quota(const char *root, const char *base, char *dir, int v2)
{
    int low = 0;
    for (;;) {
        int q = folder_quota(root, base, strcmp(dir, "/") == 0 ? "" : dir, v2);
        if (q && (!low || q < low)) low = q;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            if (strcmp(dir, "/") == 0 || !slash) break;
            dir[1] = 0; /* then the root folder itself */
            continue;
        }
        *slash = 0;
    }
    return low;
}

/* Whether a v1 line's controller list (between the first two colons)
 * names cpu. */
static int lists_cpu(const char *line, const char **path)
{
    const char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
    if (!b) return 0;
    *path = b + 1;
    for (const char *c = a + 1; c < b;) {
        size_t n = strcspn(c, ",:");
        if (n == 3 && strncmp(c, "cpu", 3) == 0) return 1;
        c += n + 1;
    }
    return 0;
}

int didq_cpus_quota_in(const char *root)
{
    char name[1024], line[1024], dir[900];
    int q1 = 0, q2 = 0;
    snprintf(name, sizeof name, "%s/proc/self/cgroup", root);
    FILE *f = fopen(name, "r");
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        const char *path = NULL;
        if (strncmp(line, "0::", 3) == 0 && strlen(line + 3) < sizeof dir) {
            snprintf(dir, sizeof dir, "%s", line + 3);
            q2 = lowest_quota(root, "/sys/fs/cgroup", dir, 1);
        } else if (lists_cpu(line, &path) && strlen(path) < sizeof dir) {
            snprintf(dir, sizeof dir, "%s", path);
            q1 = lowest_quota(root, "/sys/fs/cgroup/cpu", dir, 0);
        }
    }
    if (f) fclose(f);
    return q1 && (!q2 || q1 < q2) ? q1 : q2;
}

int didq_cpus_usable_in(const char *root, int affinity)
{
    int q = didq_cpus_quota_in(root), n = affinity > 0 ? affinity : 1;
    return q > 0 && q < n ? q : n;
}

int didq_cpus_usable(void)
{
    return didq_cpus_usable_in("", didq_cpus_affinity());
}
