// The PREFIX.samples.tsv sink: one row per sample with its scores.
#include <memory>

#include "scan_report.h"
#include "sink_factories.h"
#include "text_sink.h"

namespace healcap {

namespace {
class SamplesTsvSink : public TextSink {
 public:
  using TextSink::TextSink;
  void write(const ScanResult& r) override {
    write_text(samples_tsv(*r.panel, r.samples, r.scores, r.min_completeness, r.biomarkers.get()));
  }
};
}  // namespace

std::unique_ptr<Sink> make_samples_tsv_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<SamplesTsvSink>(req.out_prefix + ".samples.tsv", set);
}

}  // namespace healcap
