// The table of sinks, as bcftools' main.c tables its commands, and the one run that writes them all.
#include <memory>
#include <string>
#include <vector>

#include <tbb/parallel_for.h>

#include "atomic_outputs.h"
#include "sink.h"
#include "sink_factories.h"

namespace healcap {

namespace {
bool always(const SinkRequest&) { return true; }  // every scan writes its report files and its MultiQC files
bool wants_hits(const SinkRequest& req) { return !req.hits_path.empty(); }
bool wants_failed(const SinkRequest& req) { return req.keep_going; }
bool wants_calls(const SinkRequest& req) { return req.calls; }
bool wants_html(const SinkRequest& req) { return req.html; }
bool wants_biomarkers(const SinkRequest& req) { return req.biomarkers; }
}  // namespace

const std::vector<SinkKind>& sink_kinds() {
  static const std::vector<SinkKind> kinds = {
      {"samples.tsv", always, make_samples_tsv_sink},
      {"sites.tsv", always, make_sites_tsv_sink},
      {"json", always, make_json_sink},
      {"calls.tsv.gz", wants_calls, make_calls_tsv_sink},
      {"multiqc general", always, make_multiqc_general_sink},
      {"multiqc indexes", always, make_multiqc_indexes_sink},
      {"multiqc problem sites", always, make_multiqc_problem_sites_sink},
      {"failed.tsv", wants_failed, make_failed_tsv_sink},
      {"hits", wants_hits, make_hits_vcf_sink},
      {"html", wants_html, make_html_sink},
      {"biomarkers.tsv", wants_biomarkers, make_biomarkers_tsv_sink},
  };
  return kinds;
}

std::vector<std::string> write_outputs(const ScanResult& r, const SinkRequest& req) {
  OutputSet set;  // declared first, destroyed last: on any throw it removes every temporary file
  std::vector<std::string> paths = write_outputs(r, req, set);
  set.publish();  // all or nothing: a failed rename takes back the files already moved
  return paths;
}

std::vector<std::string> write_outputs(const ScanResult& r, const SinkRequest& req, OutputSet& set) {
  std::vector<std::unique_ptr<Sink>> sinks;
  for (const SinkKind& k : sink_kinds())
    if (k.wanted(req)) sinks.push_back(k.make(req, set));
  // Each sink writes its own file: they run side by side on the caller's threads.
  tbb::parallel_for(size_t{0}, sinks.size(), [&](size_t i) { sinks[i]->write(r); });
  for (auto& s : sinks) s->close();
  std::vector<std::string> paths;
  for (const auto& s : sinks) paths.push_back(s->path());
  return paths;
}

}  // namespace healcap
