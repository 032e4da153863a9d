// --calls, --no-calls, --calls-max-samples and the --html sample limit.
#include "calls_options.h"

#include <boost/program_options.hpp>

#include "errors.h"

namespace po = boost::program_options;

namespace healcap {

void add_calls_options(OptionGroup& group) {
  group.add_options()(
      "calls-max-samples", po::value<std::string>()->value_name("N"),
      ("write PREFIX.calls.tsv.gz (each sample's call at each panel row with a record) only up to N samples [" +
       std::to_string(kDefaultCallsMaxSamples) + "]").c_str())(
      "calls", "write PREFIX.calls.tsv.gz whatever the number of samples")("no-calls", "do not write PREFIX.calls.tsv.gz");
}

CallsChoice read_calls_options(const po::variables_map& vm, const std::string& cmd) {
  const auto fail = [&](const std::string& m) -> void {
    throw UsageError("healcap " + cmd + ": " + m + "; see 'healcap " + cmd + " --help'");
  };
  CallsChoice c;
  if (vm.count("calls") && vm.count("no-calls")) fail("--calls and --no-calls cannot be combined");
  if (vm.count("calls")) c.mode = CallsChoice::Mode::kAlways;
  if (vm.count("no-calls")) c.mode = CallsChoice::Mode::kNever;
  if (vm.count("calls-max-samples")) {
    const std::string v = vm["calls-max-samples"].as<std::string>();
    size_t used = 0;
    unsigned long long n = 0;
    bool ok = !v.empty() && v[0] >= '0' && v[0] <= '9';
    try {
      if (ok) n = std::stoull(v, &used);
    } catch (const std::exception&) {
      ok = false;
    }
    if (!ok || used != v.size()) fail("--calls-max-samples '" + v + "' is not a whole number of samples");
    c.max_samples = static_cast<size_t>(n);
  }
  return c;
}

void check_html_samples(const std::string& cmd, size_t n_samples) {
  if (n_samples <= kHtmlMaxSamples) return;
  throw UsageError("healcap " + cmd + ": --html: " + std::to_string(n_samples) + " samples are more than the report page holds (" +
                   std::to_string(kHtmlMaxSamples) + "); drop --html (samples.tsv, the JSON and the calls file hold "
                   "every value)" + (cmd == "merge" ? std::string("") : std::string(" or select samples with -s/-S")));
}

void choose_calls(const CallsChoice& choice, const std::string& out_prefix, ScanResult& r, SinkRequest& req) {
  req.calls = !out_prefix.empty() && choice.wanted(r.samples.size());
  if (!req.calls) {
    r.run.calls_file.clear();
    return;
  }
  const std::string path = calls_path(out_prefix);
  const size_t slash = path.rfind('/');
  r.run.calls_file = slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace healcap
