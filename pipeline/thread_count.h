// How many threads this process may use by default.
#pragma once

#include <cstddef>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

namespace healcap {

// The CPUs this process may run on: its affinity mask, capped by a cgroup CPU quota (v2 cpu.max or
// v1 cfs_quota_us/cfs_period_us) and by SLURM_CPUS_PER_TASK when set. At least 1.
int default_thread_count();

// Lets TBB run at least n threads at once, process-wide, and never fewer than an earlier call allowed.
// --threads may exceed the cores (oversubscription is the user's choice): TBB then starts that many workers
// rather than run fewer. One process-wide limit that only rises, because nested tbb::global_control objects
// take the smallest value: an arena inside another (an input's scan inside a many-input run) asking for more
// threads than an outer limit allowed made TBB print a warning on stderr.
void allow_threads(int n);

// Runs f with `threads` TBB threads for the parallel loops inside it (scoring, output formatting).
template <class F>
void run_on_threads(int threads, F&& f) {
  allow_threads(threads);
  tbb::task_arena arena(threads);
  arena.execute(f);
}

}  // namespace healcap
