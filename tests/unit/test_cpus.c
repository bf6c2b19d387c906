/* test_cpus.c: the CPUs this process may use (cpus.h) from fake /proc and
 * /sys/fs/cgroup trees: the affinity alone; a v2 cpu.max quota (rounded
 * up), "max" for none, the lowest of a cgroup and its parents; a v1 CFS
 * quota (-1 for none); a quota over the affinity changes nothing. */
#include "cpus.h"
#include "testlib.h"
#include "testfs.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *path, const char *text)
{
    testfs_put(root, path, text);
}

int main(void)
{
    snprintf(root, sizeof root, "/tmp/didq-cpus-%ld", (long)getpid());
    CHECK(didq_cpus_quota_in(root) == 0, "nothing to read: no quota");
    CHECK(didq_cpus_usable_in(root, 8) == 8, "the affinity alone");
    CHECK(didq_cpus_usable_in(root, 0) == 1, "at least 1");
    CHECK(mkdir(root, 0700) == 0, "cannot make %s", root);
    put("/proc/self/cgroup", "0::/a/b\n");
    put("/sys/fs/cgroup/a/b/cpu.max", "max 100000\n");
    CHECK(didq_cpus_usable_in(root, 8) == 8, "v2 max: no quota");
    put("/sys/fs/cgroup/a/b/cpu.max", "250000 100000\n");
    CHECK(didq_cpus_usable_in(root, 8) == 3, "v2 2.5 CPUs: 3, %d", didq_cpus_usable_in(root, 8));
    put("/sys/fs/cgroup/a/cpu.max", "100000 100000\n");
    CHECK(didq_cpus_usable_in(root, 8) == 1, "a parent's lower quota");
    put("/sys/fs/cgroup/cpu.max", "50000 100000\n");
    CHECK(didq_cpus_quota_in(root) == 1, "half a CPU at the root: 1");
    CHECK(didq_cpus_usable_in(root, 1) == 1, "a quota over the affinity");
    put("/proc/self/cgroup", "3:cpu,cpuacct:/job\n2:cpuset:/\n");
    put("/sys/fs/cgroup/cpu/job/cpu.cfs_quota_us", "-1\n");
    put("/sys/fs/cgroup/cpu/job/cpu.cfs_period_us", "100000\n");
    CHECK(didq_cpus_usable_in(root, 4) == 4, "v1 -1: no quota");
    put("/sys/fs/cgroup/cpu/job/cpu.cfs_quota_us", "200000\n");
    CHECK(didq_cpus_usable_in(root, 4) == 2, "v1 2 CPUs, %d", didq_cpus_usable_in(root, 4));
    CHECK(didq_cpus_affinity() >= 1, "this process has a CPU");
    CHECK(didq_cpus_usable() >= 1, "and may use one");
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    CHECK(system(cmd) == 0, "%s", cmd);
    return test_done();
}
