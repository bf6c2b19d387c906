/* cpus.h: how many CPUs this process may use, for the default number of
 * threads of a CSV load: the CPUs of its affinity mask (taskset, a cpuset,
 * sched_setaffinity), and no more than its cgroup's CPU quota allows (v2
 * cpu.max, or v1 cpu.cfs_quota_us over cpu.cfs_period_us, rounded up; the
 * lowest of the process's cgroup and its parents), which a container or a
 * systemd slice sets while the affinity mask shows every CPU. */
#ifndef DIDQ_CPUS_H
#define DIDQ_CPUS_H

/* The CPUs of the affinity mask (at least 1). */
int didq_cpus_affinity(void);

/* The CPUs the cgroup quota allows, reading /proc/self/cgroup and
 * /sys/fs/cgroup under root ("" for the real ones; tests give a folder laid
 * out the same way); 0 when there is no quota or nothing says. */
int didq_cpus_quota_in(const char *root);

/* affinity, capped by didq_cpus_quota_in(root); at least 1. */
int didq_cpus_usable_in(const char *root, int affinity);

/* didq_cpus_usable_in("", didq_cpus_affinity()). */
int didq_cpus_usable(void);

#endif
