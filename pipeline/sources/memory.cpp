// Records from memory, for tests: each chunk is one batch's bytes, cut wherever the test likes.
#include <cstring>
#include <memory>

#include "bcf_records.h"
#include "record_source.h"
#include "text_records.h"

namespace healcap {

namespace {

class MemorySource : public RecordSource {
 public:
  MemorySource(bcf_hdr_t* hdr, bool is_bcf, std::vector<std::string> chunks, const SourceContext& ctx)
      : is_bcf_(is_bcf), chunks_(std::move(chunks)) {
    for (const auto& c : chunks_) size_ += c.size();
    if (is_bcf) bcf_ = std::make_unique<BcfRecords>(hdr, ctx);
    else text_ = std::make_unique<TextRecords>(hdr, ctx);
  }
  std::string describe() const override { return is_bcf_ ? "BCF records in memory" : "VCF text in memory"; }
  bool read(Batch& b) override {
    if (next_ >= chunks_.size()) return false;
    const std::string& c = chunks_[next_++];
    read_ += c.size();
    b.reserve_bytes(c.size() + 1);
    if (!c.empty()) std::memcpy(b.bytes.get(), c.data(), c.size());
    b.len = c.size();
    b.skip = 0;
    return true;
  }
  void prepare(Batch& b) override {
    if (text_) text_->prepare(b);
  }
  void stitch(Batch& b) override {
    if (text_) text_->stitch(b);
    else bcf_->stitch(b);
  }
  bool finish(Batch& b) override {
    if (text_) return text_->finish(b);
    bcf_->finish();
    return false;
  }
  ReadExtent extent() const override { return {read_, size_, 0, 0}; }

 private:
  bool is_bcf_;
  std::vector<std::string> chunks_;
  size_t next_ = 0;
  uint64_t read_ = 0, size_ = 0;  // bytes of the chunks read, of all
  std::unique_ptr<TextRecords> text_;
  std::unique_ptr<BcfRecords> bcf_;
};

}  // namespace

std::unique_ptr<RecordSource> make_memory_source(bcf_hdr_t* hdr, bool is_bcf, std::vector<std::string> chunks,
                                                 const SourceContext& ctx) {
  return std::make_unique<MemorySource>(hdr, is_bcf, std::move(chunks), ctx);
}

}  // namespace healcap
