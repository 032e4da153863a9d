// The PREFIX.calls.tsv.gz sink: each sample's call at each panel row with calls (calls_table.h), bgzipped on the
// run's compression threads as it is formatted.
#include <memory>

#include "calls_table.h"
#include "output_file.h"
#include "sink_factories.h"

namespace healcap {

namespace {

// Deflate level of the calls file: 1 (libdeflate's fastest) keeps a biobank's calls cheap to write; the rows
// repeat so much that the file is still small. bgzip, tabix and htslib read any level.
constexpr int kCallsLevel = 1;

class CallsTsvSink : public Sink {
 public:
  CallsTsvSink(std::string path, OutputSet& set, hts_tpool* pool) : out_(std::move(path), kCallsLevel, &set) {
    out_.set_thread_pool(pool);
  }
  void write(const ScanResult& r) override {
    calls_tsv(r, [this](std::string_view piece) { out_.write(piece); });
  }
  void close() override { out_.close(); }
  const std::string& path() const override { return out_.path(); }

 private:
  OutputFile out_;
};

}  // namespace

std::unique_ptr<Sink> make_calls_tsv_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<CallsTsvSink>(calls_path(req.out_prefix), set, req.pool);
}

}  // namespace healcap
