// Streaming VCF text read through htslib (plain, gzip, or BGZF from standard input): the read stage takes
// chunks of decompressed text, workers split and parse their lines.
#include <memory>

#include "bgzf_blocks.h"
#include "errors.h"
#include "record_source.h"
#include "text_records.h"
#include "vcf_input.h"

namespace healcap {

namespace {

class VcfTextSource : public RecordSource {
 public:
  VcfTextSource(VcfInput& in, const SourceContext& ctx) : in_(in), text_(in, ctx), size_(input_size(in.path())) {}
  std::string describe() const override { return "streaming VCF text, read through htslib"; }
  bool read(Batch& b) override {
    if (failed_) return false;
    try {
      return read_decompressed(in_, b, kBeforeMarker);
    } catch (const DataError&) {  // raised by stitch after the lines read before it, naming the last one
      failed_ = true;
      b.end_error = std::current_exception();
      return true;
    }
  }
  void prepare(Batch& b) override { text_.prepare(b); }
  void stitch(Batch& b) override { text_.stitch(b); }
  bool finish(Batch& b) override { return text_.finish(b); }
  ReadExtent extent() const override { return htslib_extent(in_, size_); }

 private:
  VcfInput& in_;
  TextRecords text_;
  uint64_t size_;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<RecordSource> make_vcf_text_source(VcfInput& in, const SourceContext& ctx) {
  return std::make_unique<VcfTextSource>(in, ctx);
}

}  // namespace healcap
