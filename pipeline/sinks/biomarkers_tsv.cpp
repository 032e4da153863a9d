// The PREFIX.biomarkers.tsv sink (--biomarkers): one row per sample, marker, specimen and timepoint.
#include <memory>
#include <stdexcept>

#include "biomarker_reference.h"
#include "biomarker_report.h"
#include "sink_factories.h"
#include "text_sink.h"

namespace healcap {

namespace {
class BiomarkersTsvSink : public TextSink {
 public:
  using TextSink::TextSink;
  void write(const ScanResult& r) override {
    if (!r.biomarkers) throw std::logic_error("the biomarkers.tsv sink needs the result's biomarker layer");
    write_text(biomarkers_tsv(*r.biomarkers, BiomarkerReference::bundled()));
  }
};
}  // namespace

std::unique_ptr<Sink> make_biomarkers_tsv_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<BiomarkersTsvSink>(req.out_prefix + ".biomarkers.tsv", set);
}

}  // namespace healcap
