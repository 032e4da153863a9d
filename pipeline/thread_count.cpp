// Default thread count from affinity, cgroup quota and SLURM.
#include "thread_count.h"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace healcap {

namespace {
// Returns the cgroup CPU limit in whole CPUs (rounded up), or 0 when there is none.
int cgroup_cpu_limit() {
  std::ifstream v2("/sys/fs/cgroup/cpu.max");
  std::string quota;
  long long period = 0;
  if (v2 >> quota >> period) {
    if (quota == "max" || period <= 0) return 0;
    return static_cast<int>(std::ceil(std::stod(quota) / static_cast<double>(period)));
  }
  std::ifstream q("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), p("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
  long long qv = 0, pv = 0;
  if (q >> qv && p >> pv && qv > 0 && pv > 0) return static_cast<int>((qv + pv - 1) / pv);
  return 0;
}
}  // namespace

int default_thread_count() {
  int n = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  if (const int limit = cgroup_cpu_limit(); limit > 0) n = std::min(n, limit);
  if (const char* slurm = std::getenv("SLURM_CPUS_PER_TASK")) {
    char* end = nullptr;
    const long s = std::strtol(slurm, &end, 10);
    if (end != slurm && *end == '\0' && s > 0) n = std::min(n, static_cast<int>(s));
  }
  return std::max(n, 1);
}

void allow_threads(int n) {
  static std::mutex m;
  static std::unique_ptr<tbb::global_control> limit;
  static int allowed = 0;
  std::lock_guard<std::mutex> lock(m);
  if (n <= allowed) return;
  // The new limit first, then the old one goes: the active value is the smallest live one.
  auto next = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(n));
  limit.swap(next);
  next.reset();
  allowed = n;
}

}  // namespace healcap
