// How many threads this process may use by default.
#pragma once

namespace healcap {

// The CPUs this process may run on: its affinity mask, capped by a cgroup CPU quota (v2 cpu.max or
// v1 cfs_quota_us/cfs_period_us) and by SLURM_CPUS_PER_TASK when set. At least 1.
int default_thread_count();

}  // namespace healcap
