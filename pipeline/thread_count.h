// How many threads this process may use by default.
#pragma once

#include <cstddef>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

namespace healcap {

// The CPUs this process may run on: its affinity mask, capped by a cgroup CPU quota (v2 cpu.max or
// v1 cfs_quota_us/cfs_period_us) and by SLURM_CPUS_PER_TASK when set. At least 1.
int default_thread_count();

// Runs f with `threads` TBB threads for the parallel loops inside it (scoring, output formatting).
template <class F>
void run_on_threads(int threads, F&& f) {
  tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  tbb::task_arena arena(threads);
  arena.execute(f);
}

}  // namespace healcap
