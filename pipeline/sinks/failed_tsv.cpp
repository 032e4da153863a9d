// The PREFIX.failed.tsv sink (--keep-going): the inputs that failed, with their one-line reason.
#include <memory>

#include "scan_report.h"
#include "sink_factories.h"
#include "text_sink.h"

namespace healcap {

namespace {

class FailedTsvSink : public TextSink {
 public:
  using TextSink::TextSink;
  void write(const ScanResult& r) override { write_text(failed_tsv(r.failed)); }
};

}  // namespace

std::unique_ptr<Sink> make_failed_tsv_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<FailedTsvSink>(req.out_prefix + ".failed.tsv", set);
}

}  // namespace healcap
