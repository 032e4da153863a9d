// The options that choose a run's per-sample calls file and its report page (scan and merge): --calls, --no-calls,
// --calls-max-samples, and the sample count --html is refused above.
#pragma once

#include <boost/program_options/variables_map.hpp>

#include <cstddef>
#include <string>

#include "calls_table.h"
#include "help_format.h"
#include "scan_result.h"
#include "sink.h"

namespace healcap {

// The report page (--html) holds the run's document and every sample's card data in memory: above this many samples
// scan and merge refuse --html (README "healcap report").
constexpr size_t kHtmlMaxSamples = 20000;

// Adds --calls, --no-calls and --calls-max-samples to `group`.
void add_calls_options(OptionGroup& group);
// Reads them; throws UsageError ("healcap CMD: ...") for --calls with --no-calls, or a --calls-max-samples that is
// not a whole number.
CallsChoice read_calls_options(const boost::program_options::variables_map& vm, const std::string& cmd);

// Throws UsageError naming --html when `n_samples` is above kHtmlMaxSamples.
void check_html_samples(const std::string& cmd, size_t n_samples);

// Decides from the result's sample count whether the run writes PREFIX.calls.tsv.gz: sets req.calls and names the
// file in the JSON's "run" (r.run.calls_file, the name without its folder).
void choose_calls(const CallsChoice& choice, const std::string& out_prefix, ScanResult& r, SinkRequest& req);

}  // namespace healcap
