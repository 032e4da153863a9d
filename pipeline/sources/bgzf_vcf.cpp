// Streaming BGZF VCF: the read stage takes raw blocks, workers inflate them with libdeflate, then split and
// parse their lines.
#include <memory>

#include "bgzf_blocks.h"
#include "record_source.h"
#include "text_records.h"
#include "vcf_input.h"

namespace healcap {

namespace {

class BgzfVcfSource : public RecordSource {
 public:
  BgzfVcfSource(VcfInput& in, const SourceContext& ctx) : path_(in.path()), blocks_(in), text_(in, ctx) {}
  std::string describe() const override { return "streaming BGZF VCF, blocks inflated by the workers"; }
  bool read(Batch& b) override { return blocks_.read(b); }
  void prepare(Batch& b) override {
    // Each block's lines are split and scanned as soon as it is inflated, while its bytes are in cache.
    TextRecords::LineFeed feed(text_, b);
    inflaters_.inflate(b, path_, [&feed](size_t upto) { feed.take(upto); });
    feed.end();
  }
  void stitch(Batch& b) override { text_.stitch(b); }
  bool finish(Batch& b) override { return text_.finish(b); }
  ReadExtent extent() const override { return blocks_.extent(); }

 private:
  std::string path_;
  BgzfBlockReader blocks_;
  Inflaters inflaters_;
  TextRecords text_;
};

}  // namespace

std::unique_ptr<RecordSource> make_bgzf_vcf_source(VcfInput& in, const SourceContext& ctx) {
  return std::make_unique<BgzfVcfSource>(in, ctx);
}

}  // namespace healcap
