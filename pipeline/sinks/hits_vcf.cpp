// The hits sink (scan -o): the panel-hit records, in input order, as VCF or BCF, optionally indexed.
#include <memory>
#include <stdexcept>
#include <string>

#include "sink_factories.h"
#include "vcf_output.h"

namespace healcap {

namespace {
class HitsVcfSink : public Sink {
 public:
  HitsVcfSink(const SinkRequest& req, OutputSet& set)
      : path_(req.hits_path), out_(req.hits_path, req.hits_type, req.hits_index, req.pool, &set) {}

  void write(const ScanResult& r) override {
    if (!r.hits_hdr || !r.hits) throw std::logic_error(path_ + ": the scan result holds no hit records to write");
    out_.write_header(r.hits_hdr);
    for (bcf1_t* rec : *r.hits) out_.write(r.hits_hdr, rec);
  }
  void close() override { out_.close(); }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  VcfOutput out_;
};
}  // namespace

std::unique_ptr<Sink> make_hits_vcf_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<HitsVcfSink>(req, set);
}

}  // namespace healcap
