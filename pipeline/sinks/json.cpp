// The PREFIX.json sink: the run, the panel, the statistics, the samples and the sites as one JSON document.
#include <memory>

#include "biomarker_report.h"
#include "scan_report.h"
#include "sink_factories.h"
#include "text_sink.h"

namespace healcap {

namespace {
class JsonSink : public TextSink {
 public:
  using TextSink::TextSink;
  void write(const ScanResult& r) override {
    report_json(*r.panel, r.run, r.stats, r.samples, r.scores, *r.store, r.score, inputs_json(r.inputs, r.failed, r.several),
                [this](std::string_view piece) { write_text(piece); },
                r.biomarkers ? biomarkers_json(*r.biomarkers, BiomarkerReference::bundled()) : "",
                r.site_stats.empty() ? nullptr : &r.site_stats);
  }
};
}  // namespace

std::unique_ptr<Sink> make_json_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<JsonSink>(req.out_prefix + ".json", set);
}

}  // namespace healcap
