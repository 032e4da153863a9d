// Streaming BCF: bytes from raw BGZF blocks inflated by the workers (a BGZF regular file), or read through
// htslib (standard input, uncompressed BCF); the serial stage walks the records.
#include <memory>
#include <optional>

#include "bcf_records.h"
#include "bgzf_blocks.h"
#include "errors.h"
#include "record_source.h"
#include "vcf_input.h"

namespace healcap {

namespace {

class BcfSource : public RecordSource {
 public:
  BcfSource(VcfInput& in, const SourceContext& ctx, bool parallel)
      : in_(in), records_(in.header(), ctx), size_(input_size(in.path())) {
    if (parallel) blocks_.emplace(in);
  }
  std::string describe() const override {
    return blocks_ ? "streaming BCF, blocks inflated by the workers" : "streaming BCF, read through htslib";
  }
  bool read(Batch& b) override {
    if (blocks_) return blocks_->read(b);
    if (failed_) return false;
    try {
      return read_decompressed(in_, b, kBeforeMarker);
    } catch (const DataError&) {  // raised by stitch after the records read before it
      failed_ = true;
      b.end_error = std::current_exception();
      return true;
    }
  }
  void prepare(Batch& b) override {
    if (blocks_) inflaters_.inflate(b, in_.path());
  }
  void stitch(Batch& b) override { records_.stitch(b); }
  bool finish(Batch&) override {
    records_.finish();
    return false;
  }
  ReadExtent extent() const override { return blocks_ ? blocks_->extent() : htslib_extent(in_, size_); }

 private:
  VcfInput& in_;
  std::optional<BgzfBlockReader> blocks_;
  Inflaters inflaters_;
  BcfRecords records_;
  uint64_t size_;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<RecordSource> make_bcf_source(VcfInput& in, const SourceContext& ctx, bool parallel) {
  return std::make_unique<BcfSource>(in, ctx, parallel);
}

}  // namespace healcap
