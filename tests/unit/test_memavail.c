/* test_memavail.c: the memory available (memavail.h) from fake /proc and
 * /sys/fs/cgroup trees: MemAvailable alone; capped by a cgroup v1 or v2
 * limit less the usage; no limit ("max", v1's near 2^63); usage over the
 * limit; v1 before v2 when both are listed; nothing to read at all. */
#include "memavail.h"
#include "testlib.h"
#include "testfs.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *path, const char *text)
{
    testfs_put(root, path, text);
}

static void clean(void)
{
    testfs_clean(root);
}

static uint64_t avail(void)
{
    return didq_memory_available_in(root);
}

enum { MB = 1 << 20 };

int main(void)
{
    snprintf(root, sizeof root, "/tmp/didq-memavail-%ld", (long)getpid());
    CHECK(avail() == UINT64_MAX, "nothing to read: unknown");
    CHECK(mkdir(root, 0700) == 0, "cannot make %s", root);
    put("/proc/meminfo", "MemTotal:       24000000 kB\nMemAvailable:    2048000 kB\n");
    CHECK(avail() == 2048000ull * 1024, "MemAvailable alone");
    put("/proc/self/cgroup", "4:memory:/job\n0::/\n");
    put("/sys/fs/cgroup/memory/job/memory.limit_in_bytes", "9223372036854771712\n");
    put("/sys/fs/cgroup/memory/job/memory.usage_in_bytes", "104857600\n");
    CHECK(avail() == 2048000ull * 1024, "v1 without a limit");
    put("/sys/fs/cgroup/memory/job/memory.limit_in_bytes", "314572800\n");
    CHECK(avail() == 200ull * MB, "v1: limit 300 MB less usage 100 MB, %llu",
          (unsigned long long)avail());
    put("/sys/fs/cgroup/memory/job/memory.usage_in_bytes", "400000000\n");
    CHECK(avail() == 0, "v1: usage over the limit");
    /* v2 at /, listed after v1, leaves less room (50 MB) than v1 (200 MB):
     * v1's is taken, not v2's nor the smaller. */
    put("/sys/fs/cgroup/memory/job/memory.usage_in_bytes", "104857600\n");
    put("/sys/fs/cgroup/memory.max", "52428800\n");
    put("/sys/fs/cgroup/memory.current", "0\n");
    CHECK(avail() == 200ull * MB, "v1 wins over v2 when both are listed: %llu",
          (unsigned long long)avail());
    put("/proc/self/cgroup", "0::/user.slice\n");
    put("/sys/fs/cgroup/user.slice/memory.max", "max\n");
    put("/sys/fs/cgroup/user.slice/memory.current", "1000\n");
    CHECK(avail() == 2048000ull * 1024, "v2 without a limit");
    put("/sys/fs/cgroup/user.slice/memory.max", "1073741824\n");
    put("/sys/fs/cgroup/user.slice/memory.current", "536870912\n");
    CHECK(avail() == 512ull * MB, "v2: 1 GB less 512 MB");
    put("/proc/meminfo", "MemAvailable:     102400 kB\n");
    CHECK(avail() == 100ull * MB, "MemAvailable below the cgroup's room");
    CHECK(didq_memory_limit_in(root) == 1024ull * MB, "the v2 limit: %llu",
          (unsigned long long)didq_memory_limit_in(root));
    put("/sys/fs/cgroup/user.slice/memory.max", "max\n");
    CHECK(didq_memory_limit_in(root) == UINT64_MAX, "no limit");
    put("/proc/self/cgroup", "4:memory:/job\n0::/\n");
    put("/sys/fs/cgroup/memory/job/memory.limit_in_bytes", "314572800\n");
    CHECK(didq_memory_limit_in(root) == 300ull * MB, "the v1 limit");
    CHECK(didq_memory_meminfo_in(root) == 100ull * MB, "MemAvailable");
    CHECK(didq_memory_own_in(root) == 0, "no statm: unknown");
    put("/proc/self/statm", "5000 3000 1000 10 0 2000 0\n");
    CHECK(didq_memory_own_in(root) == 2000ull * (uint64_t)sysconf(_SC_PAGESIZE),
          "resident less shared pages: %llu", (unsigned long long)didq_memory_own_in(root));
    CHECK(didq_memory_own_in("") > 0, "this process holds some");
    CHECK(didq_memory_available() > 0, "this machine has some");
    clean();
    return test_done();
}
