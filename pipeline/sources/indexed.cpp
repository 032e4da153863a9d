// The indexed source: region queries at the panel's positions through a .tbi/.csi index, each worker with its
// own reader; batches of regions come back in file order, so results equal a streaming read's.
#include <htslib/hts.h>
#include <htslib/tbx.h>
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <map>
#include <memory>

#include "bcf_records.h"
#include "contig.h"
#include "errors.h"
#include "record_source.h"
#include "regions.h"
#include "text_records.h"
#include "vcf_input.h"

namespace healcap {

namespace {

constexpr int64_t kMergeGap = 20000;  // sites closer than this share one region query
constexpr size_t kMaxRegionsPerBatch = 8;

struct Region {
  int tid = -1;
  std::string contig;        // as named in the file
  int64_t beg = 0, end = 0;  // 1-based inclusive
  int64_t prev_end = 0;      // end of the previous region on the same contig (0: none); records starting at or
                             // before it were returned by that region already
};

// The index, loaded once and only read afterwards, so every worker's queries can share it.
struct SharedIndex {
  hts_idx_t* idx = nullptr;  // BCF (CSI)
  tbx_t* tbx = nullptr;      // VCF.gz (TBI or CSI)
  ~SharedIndex() {
    if (tbx) tbx_destroy(tbx);
    if (idx) hts_idx_destroy(idx);
  }
};

// One worker's reader: its own file handle and header copy (with the input's sample selection: re-reading the
// header would make htslib load the .tbi again, and index iterators need no header).
constexpr int kBlockCacheBytes = 4 << 20;  // per reader

struct RegionReader {
  htsFile* fp = nullptr;
  bcf_hdr_t* hdr = nullptr;
  kstring_t line = {0, 0, nullptr};
  ~RegionReader() {
    free(line.s);
    if (hdr) bcf_hdr_destroy(hdr);
    if (fp) hts_close(fp);
  }
};

class IndexedSource : public RecordSource {
 public:
  IndexedSource(VcfInput& in, const SourceContext& ctx, const std::string& index_path, int threads)
      : path_(in.path()), index_path_(index_path), is_bcf_(in.is_bcf()), hdr_(in.header()), ctx_(ctx),
        text_(in, ctx), size_(input_size(in.path())) {
    // The readers copy the header as opened (with its sample selection), never the input's, which stitch may extend.
    in_ = &in;
    if (is_bcf_) index_.idx = bcf_index_load2(path_.c_str(), index_path_.c_str());
    else index_.tbx = tbx_index_load2(path_.c_str(), index_path_.c_str());
    if (!index_.idx && !index_.tbx) throw DataError(index_path_ + ": cannot load the index of " + path_);
    std::vector<std::string> names;
    if (is_bcf_) {
      names = header_contig_names(hdr_);
    } else {
      int n_names = 0;
      const char** seq = tbx_seqnames(index_.tbx, &n_names);
      for (int i = 0; i < n_names; ++i) names.emplace_back(seq[i]);
      free(seq);
    }
    // Regions: the panel's positions in each pass's build, per file contig, merged when close.
    for (int tid = 0; tid < static_cast<int>(names.size()); ++tid) {
      const std::string canonical = normalise_contig(names[tid]);
      std::vector<int64_t> pos;
      for (int p = 0; p < 2; ++p) {
        if (!ctx.passes[p]) continue;
        if (const auto* v = ctx.panel->positions(ctx.passes[p]->build(), canonical)) pos.insert(pos.end(), v->begin(), v->end());
      }
      if (pos.empty()) continue;
      std::sort(pos.begin(), pos.end());
      int64_t prev_end = 0;
      const bool clip = ctx.regions && !ctx.regions->empty();
      for (size_t i = 0; i < pos.size();) {
        Region r{tid, names[tid], pos[i], pos[i], prev_end};
        while (++i < pos.size() && pos[i] - r.end <= kMergeGap) r.end = pos[i];
        prev_end = r.end;
        if (!clip) {
          regions_.push_back(std::move(r));
          continue;
        }
        // -r/-R: the window's parts inside the requested regions. A part cut at its start leaves the records
        // starting before the cut to the shard that covers them.
        for (const Interval& iv : ctx.regions->intervals()) {
          if (iv.contig != canonical || iv.end < r.beg || iv.beg > r.end) continue;
          Region piece = r;
          piece.beg = std::max(r.beg, iv.beg);
          piece.end = std::min(r.end, iv.end);
          if (piece.beg > r.beg) piece.prev_end = std::max(piece.prev_end, piece.beg - 1);
          regions_.push_back(std::move(piece));
        }
      }
    }
    // Enough batches for every thread to have a few, each of a handful of small queries.
    const size_t want = static_cast<size_t>(std::max(1, threads)) * 4;
    per_batch_ = std::clamp<size_t>((regions_.size() + want - 1) / want, 1, kMaxRegionsPerBatch);
    n_batches_ = (regions_.size() + per_batch_ - 1) / per_batch_;
  }
  std::string describe() const override { return "indexed region queries through " + index_path_; }
  std::string read_mode() const override { return "indexed: " + index_path_; }
  int max_threads() const override { return static_cast<int>(std::max<size_t>(1, n_batches_)); }
  // Region queries handed out, of all; the file's size, which the driver counts as read at the end.
  ReadExtent extent() const override {
    return {0, size_, std::min(regions_.size(), next_ * per_batch_), regions_.size()};
  }

  bool read(Batch& b) override {
    if (next_ >= n_batches_) return false;
    b.first_region = next_ * per_batch_;
    b.last_region = std::min(regions_.size(), b.first_region + per_batch_);
    ++next_;
    return true;
  }

  void prepare(Batch& b) override {
    RegionReader& reader = this->reader();
    TextRecords::Worker& w = text_.worker(!is_bcf_);  // a BCF record is read without the text parser's header
    for (size_t ri = b.first_region; ri < b.last_region; ++ri) {
      const Region& r = regions_[ri];
      hts_itr_t* itr = is_bcf_ ? bcf_itr_queryi(index_.idx, r.tid, r.beg - 1, r.end)
                               : tbx_itr_queryi(index_.tbx, r.tid, r.beg - 1, r.end);
      if (!itr) throw DataError(path_ + ": index query failed at " + r.contig + ":" + std::to_string(r.beg));
      std::unique_ptr<hts_itr_t, void (*)(hts_itr_t*)> own(itr, hts_itr_destroy);
      const auto in_region = [&r] { return "in " + r.contig; };
      int ret = 0;
      for (;;) {
        if (is_bcf_) {
          Slot& s = b.next_slot();
          ret = bcf_itr_next(reader.fp, itr, s.rec);
          if (ret < 0) break;
          if (s.rec->pos + 1 <= r.prev_end) continue;  // returned by the previous region already
          s.contig = r.contig;
          s.pos = s.rec->pos + 1;
          add_to_runs(b.runs, s.contig, s.pos);
          s.index = b.n_records++;
          if (std::string e = check_bcf_record(reader.hdr, s.rec); !e.empty())
            throw DataError(path_ + ": " + where(s.contig, s.pos) + ": malformed record: " + e +
                            "; the file is corrupt: re-create it");
          int64_t block_end = 0;
          if (s.rec->rlen > 1) {
            bcf_unpack(s.rec, BCF_UN_STR);
            if (is_ref_block(s.rec)) block_end = s.rec->pos + s.rec->rlen;
          }
          w.positions.set_contig(s.contig);
          const auto found = w.positions.find_rows(block_end, s);
          for (int q = 0; q < 2; ++q) b.n_panel[q] += found[q];
          if (found[0] && block_end > 0) ++b.n_ref_blocks;
          if (!s.any_rows()) continue;
          s.parsed = true;
          ++b.n_slots;
        } else {
          ret = tbx_itr_next(reader.fp, index_.tbx, itr, &reader.line);
          if (ret < 0) break;
          Slot& probe = b.next_slot();
          parse_raw_fields(probe, reader.line.s, reader.line.l, path_, in_region);
          if (probe.pos <= r.prev_end) continue;
          text_.scan_line(b, reader.line.s, reader.line.l, w.hdr, true, w.positions, in_region);
        }
      }
      if (ret < -1)
        throw DataError(path_ + ": read error in " + r.contig + ":" + std::to_string(r.beg) + "-" + std::to_string(r.end) +
                        "; the file or its index is truncated or corrupt");
    }
  }

  void stitch(Batch& b) override {
    if (b.error) std::rethrow_exception(b.error);
    text_.reparse(b);
  }

 private:
  RegionReader& reader() {
    auto& r = readers_.local();
    if (!r) {
      r = std::make_unique<RegionReader>();
      r->fp = hts_open(path_.c_str(), "r");
      if (!r->fp) throw DataError(path_ + ": cannot reopen for an indexed read");
      // Nearby panel windows share BGZF blocks: keep the inflated blocks, so each is inflated once per reader.
      hts_set_cache_size(r->fp, kBlockCacheBytes);
      r->hdr = in_->copy_header();
      if (!r->hdr) throw DataError(path_ + ": cannot copy the header for an indexed read");
    }
    return *r;
  }

  std::string path_, index_path_;
  bool is_bcf_;
  bcf_hdr_t* hdr_;
  const VcfInput* in_ = nullptr;
  SourceContext ctx_;
  TextRecords text_;
  uint64_t size_;
  SharedIndex index_;
  std::vector<Region> regions_;
  size_t per_batch_ = 1, n_batches_ = 0, next_ = 0;
  tbb::enumerable_thread_specific<std::unique_ptr<RegionReader>> readers_;
};

}  // namespace

std::unique_ptr<RecordSource> make_indexed_source(VcfInput& in, const SourceContext& ctx, const std::string& index_path,
                                                  int threads) {
  return std::make_unique<IndexedSource>(in, ctx, index_path, threads);
}

}  // namespace healcap
