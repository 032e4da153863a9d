// The inputs of a run over several files, as the outputs list them.
#pragma once

#include <cstdint>
#include <string>

namespace healcap {

// One input of a run over several, as the JSON lists it.
struct InputSummary {
  std::string path, format, read_mode, build, build_how, contig_style, ref_concordance;
  uint64_t n_samples = 0, n_records = 0;
};
// An input that failed under --keep-going, with its one-line reason.
struct FailedInput {
  uint64_t order = 0;
  std::string path, reason;
};

}  // namespace healcap
