// The streaming scan: raw-text CHROM/POS prefilter, full parse of panel hits only, TBB pipeline.
#include "scan_engine.h"

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/kstring.h>
#include <tbb/concurrent_queue.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <unordered_set>

#include "contig.h"
#include "errors.h"
#include "parallel_bgzf_scan.h"
#include "record_slot.h"

namespace healcap {

namespace {

struct Batch {
  std::vector<std::unique_ptr<Slot>> slots;
  size_t n = 0;
};

// The serial first stage: reads records into a batch, tracks order, and parses panel hits.
class Reader {
 public:
  Reader(VcfInput& in, const Panel& panel, const std::array<BuildPass, 2>& passes, const ScanEngineOptions& opt,
         ScanStats& stats)
      : in_(in), panel_(panel), passes_(passes), opt_(opt), stats_(stats) {
    for (int p = 0; p < 2; ++p) {
      active_[p] = passes[p].annotator != nullptr;
      if (active_[p]) build_[p] = passes[p].annotator->build();
    }
  }

  // Fills `b` with up to a batch of records; returns false at end of input with nothing read.
  bool fill(Batch& b) {
    if (!in_.is_bcf()) return fill_text(b);
    b.n = 0;
    size_t bytes = 0;
    batch_cut_ = false;
    while (b.n < opt_.batch_records && bytes < opt_.batch_bytes) {
      if (b.n == b.slots.size()) b.slots.push_back(std::make_unique<Slot>());
      Slot& s = *b.slots[b.n];
      s.reset();
      const bool got = read_bcf(s);
      if (!got) break;
      bytes += static_cast<size_t>(s.rec->shared.l + s.rec->indiv.l);
      ++b.n;
    }
    return b.n > 0 || batch_cut_;
  }

 private:
  [[noreturn]] void fail_record(const std::string& at, const std::string& what) const {
    throw DataError(in_.path() + ": " + at + ": " + what);
  }
  std::string after_last() const {
    return last_contig_.empty() ? "before the first record" : "after " + where(last_contig_, last_pos_);
  }

  // VCF text: scans decompressed chunks in place, line by line, reading CHROM/POS (and END for gVCF blocks)
  // without copying; only lines that can hit the panel (or every line, for annotate) are copied into a
  // slot and parsed. A batch closes after batch_records such lines or batch_bytes * 8 bytes scanned.
  bool fill_text(Batch& b) {
    b.n = 0;
    size_t scanned = 0;
    bool any = false;
    while (b.n < opt_.batch_records && scanned < opt_.batch_bytes * 8) {
      const char* line;
      size_t len;
      if (!next_line(line, len)) break;
      any = true;
      scanned += len + 1;
      if (len == 0) continue;  // blank lines carry nothing
      if (b.n == b.slots.size()) b.slots.push_back(std::make_unique<Slot>());
      Slot& s = *b.slots[b.n];
      s.reset();
      const int64_t block_end = parse_raw_fields(s, line, len, in_.path(), [this] { return after_last(); });
      track(s, block_end);
      if (!opt_.parse_all && !s.any_rows()) continue;  // the slot is reused for the next line
      s.line.l = 0;
      kputsn(line, len, &s.line);
      parse_text_record(s, in_.header(), in_.path());
      count_undefined(s);
      ++b.n;
    }
    return any;
  }

  // The next line of decompressed text, without its newline (and a trailing CR); valid until the next call.
  bool next_line(const char*& line, size_t& len) {
    for (;;) {
      const char* start = buf_.data() + off_;
      const size_t avail = used_ - off_;
      const char* nl = avail ? static_cast<const char*>(std::memchr(start, '\n', avail)) : nullptr;
      if (nl) {
        len = static_cast<size_t>(nl - start);
        off_ += len + 1;
        if (len > 0 && start[len - 1] == '\r') --len;
        line = start;
        return true;
      }
      if (eof_) {
        if (avail == 0) return false;
        line = start;
        len = avail;
        off_ = used_;
        return true;
      }
      if (avail) std::memmove(buf_.data(), start, avail);  // keep the partial line, read more after it
      used_ = avail;
      off_ = 0;
      if (buf_.size() - used_ < kChunk) buf_.resize(used_ + kChunk);
      // htslib reads compressed text (BGZF or gzip) through BGZF, uncompressed text through an hFILE.
      htsFile* fp = in_.file();
      const ssize_t n = fp->format.compression == no_compression ? hread(fp->fp.hfile, buf_.data() + used_, kChunk)
                                                                : bgzf_read(fp->fp.bgzf, buf_.data() + used_, kChunk);
      if (n < 0) throw DataError(in_.path() + ": read error " + after_last() + "; the file is truncated or corrupt");
      if (n == 0) eof_ = true;
      used_ += static_cast<size_t>(n);
    }
  }

  // BCF: peeks at a record's fixed fields (CHROM id, POS, rlen) in BGZF's current decompressed block; a record
  // that cannot hit the panel is skipped with a plain copy, without htslib's decoding and checks. A record
  // that can hit it, or whose fixed fields straddle two blocks, is read with bcf_read as usual.
  // Returns 1 when the record was skipped, 0 when it must be read, -1 at end of input.
  int try_skip_bcf() {
    BGZF* fp = in_.file()->fp.bgzf;
    if (fp->block_offset + 32 > fp->block_length) return 0;  // not all in this block: let htslib read it
    const auto* x = static_cast<const uint8_t*>(fp->uncompressed_block) + fp->block_offset;
    const auto u32 = [x](int i) {
      return static_cast<uint32_t>(x[i]) | static_cast<uint32_t>(x[i + 1]) << 8 | static_cast<uint32_t>(x[i + 2]) << 16 |
             static_cast<uint32_t>(x[i + 3]) << 24;
    };
    const uint32_t l_shared = u32(0), l_indiv = u32(4);
    const int32_t rid = static_cast<int32_t>(u32(8)), pos0 = static_cast<int32_t>(u32(12)), rlen = static_cast<int32_t>(u32(16));
    if (l_shared < 24 || rid < 0 || rid >= in_.header()->n[BCF_DT_CTG] || pos0 < 0 || rlen < 0) return 0;  // htslib reports it
    if (rid != skip_rid_) {
      skip_rid_ = rid;
      const std::string canonical = normalise_contig(bcf_hdr_id2name(in_.header(), rid));
      for (int p = 0; p < 2; ++p) skip_pos_[p] = active_[p] ? panel_.positions(build_[p], canonical) : nullptr;
    }
    // Could a panel position lie in [pos, pos + rlen - 1]? Then read it properly.
    const int64_t beg = int64_t(pos0) + 1, end = beg + std::max<int64_t>(rlen, 1) - 1;
    for (int p = 0; p < 2; ++p) {
      if (!skip_pos_[p]) continue;
      const auto it = std::lower_bound(skip_pos_[p]->begin(), skip_pos_[p]->end(), beg);
      if (it != skip_pos_[p]->end() && *it <= end) return 0;
    }
    // Order and per-contig statistics still see every record.
    skip_slot_.reset();
    skip_slot_.contig = bcf_hdr_id2name(in_.header(), rid);
    skip_slot_.pos = beg;
    track(skip_slot_, 0);
    const size_t total = 8 + size_t(l_shared) + size_t(l_indiv);
    if (skip_buf_.size() < total) skip_buf_.resize(total);
    if (bgzf_read(fp, skip_buf_.data(), total) != static_cast<ssize_t>(total))
      throw DataError(in_.path() + ": read error " + after_last() + "; the file is truncated or corrupt");
    return 1;
  }

  bool read_bcf(Slot& s) {
    if (!opt_.parse_all) {
      int skipped;
      while ((skipped = try_skip_bcf()) == 1) {
        if (++skips_in_batch_ >= kSkipsPerBatch) {  // keep batches flowing through long stretches of non-hits
          skips_in_batch_ = 0;
          return false_batch_end();
        }
      }
    }
    const int ret = bcf_read(in_.file(), in_.header(), s.rec);
    if (ret == -1) return false;
    if (ret < -1) throw DataError(in_.path() + ": read error " + after_last() + "; the file is truncated or corrupt");
    const char* name = bcf_hdr_id2name(in_.header(), s.rec->rid);
    if (!name) fail_record("record " + after_last(), "malformed record: contig id " + std::to_string(s.rec->rid) + " is not in the header");
    s.contig = name;
    s.pos = s.rec->pos + 1;
    int64_t block_end = 0;
    if (s.rec->rlen > 1) {  // END or a long REF: a reference block if every ALT is <NON_REF>/<*>
      bcf_unpack(s.rec, BCF_UN_STR);
      if (is_ref_block(s.rec)) block_end = s.rec->pos + s.rec->rlen;
    }
    track(s, block_end);
    check_record_errcode(s, in_.path());
    count_undefined(s);
    s.parsed = true;
    return true;
  }

  void count_undefined(const Slot& s) {
    if (s.undefined && stats_.n_undefined++ == 0) stats_.first_undefined = where(s.contig, s.pos);
  }

  // Order, per-contig counts, and the panel rows at this position (or inside [pos, block_end] for a block).
  void track(Slot& s, int64_t block_end) {
    ++stats_.n_records;
    if (s.contig != last_contig_) {
      canonical_ = normalise_contig(s.contig);
      for (int p = 0; p < 2; ++p) positions_[p] = active_[p] ? panel_.positions(build_[p], canonical_) : nullptr;
      if (!seen_.insert(s.contig).second) note_unsorted(s);
      else stats_.contigs.push_back({s.contig, 0, s.pos, s.pos});
      last_contig_ = s.contig;
      contig_entry_ = nullptr;
      for (auto& c : stats_.contigs)
        if (c.name == s.contig) contig_entry_ = &c;
    } else if (s.pos < last_pos_) {
      note_unsorted(s);
    }
    last_pos_ = s.pos;
    contig_entry_->n_records++;
    contig_entry_->last_pos = std::max(contig_entry_->last_pos, s.pos);
    contig_entry_->first_pos = std::min(contig_entry_->first_pos, s.pos);
    const auto found = find_rows(panel_, passes_, positions_, canonical_, block_end, s);
    for (int p = 0; p < 2; ++p) {
      stats_.n_panel_position_records[p] += found[p];
      if (p == 0 && found[p] && block_end > 0) ++stats_.n_ref_blocks;
    }
  }

  void note_unsorted(const Slot& s) {
    if (stats_.first_unsorted.empty()) stats_.first_unsorted = where(s.contig, s.pos);
    if (opt_.require_sorted)
      fail_record(where(s.contig, s.pos), "input is not sorted (this record comes after " + where(last_contig_, last_pos_) +
                                             "); an index needs sorted input: sort it with bcftools sort");
  }

  VcfInput& in_;
  const Panel& panel_;
  const std::array<BuildPass, 2>& passes_;
  std::array<Build, 2> build_{};
  std::array<bool, 2> active_{};
  const ScanEngineOptions& opt_;
  ScanStats& stats_;
  std::string last_contig_, canonical_;
  int64_t last_pos_ = 0;
  std::array<const std::vector<int64_t>*, 2> positions_{};
  std::unordered_set<std::string> seen_;
  ContigSeen* contig_entry_ = nullptr;
  static constexpr size_t kChunk = 1u << 20;
  static constexpr size_t kSkipsPerBatch = 1u << 14;
  int skip_rid_ = -1;
  std::array<const std::vector<int64_t>*, 2> skip_pos_{};
  Slot skip_slot_;
  std::vector<char> skip_buf_;
  size_t skips_in_batch_ = 0;
  bool batch_cut_ = false;
  // Ends the current batch early without ending the input.
  bool false_batch_end() {
    batch_cut_ = true;
    return false;
  }
  std::vector<char> buf_;  // decompressed text: [off_, used_) not yet scanned
  size_t off_ = 0, used_ = 0;
  bool eof_ = false;
};

}  // namespace

ScanStats run_scan(VcfInput& in, bcf_hdr_t* work_hdr, const Panel& panel, const std::array<BuildPass, 2>& passes,
                   const ScanEngineOptions& opt, RecordSink* sink) {
  if (opt.threads > 1 && can_scan_text_in_parallel(in)) return run_parallel_bgzf_scan(in, work_hdr, panel, passes, opt, sink);
  if (opt.threads > 1 && can_scan_bcf_in_parallel(in)) return run_parallel_bcf_scan(in, work_hdr, panel, passes, opt, sink);
  ScanStats stats;
  Reader reader(in, panel, passes, opt, stats);
  const int threads = std::max(1, opt.threads);
  // Work per batch is light next to reading it, so two batches per thread (plus two) keep every thread busy
  // while bounding memory at a few MB of text per batch.
  const size_t n_tokens = static_cast<size_t>(threads) * 2 + 2;
  std::vector<std::unique_ptr<Batch>> batches;
  tbb::concurrent_queue<Batch*> free_batches;
  for (size_t i = 0; i < n_tokens; ++i) {
    batches.push_back(std::make_unique<Batch>());
    free_batches.push(batches.back().get());
  }
  tbb::enumerable_thread_specific<AnnotatorScratch> scratch;
  bool done = false;

  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        n_tokens,
        tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> Batch* {
                                         Batch* b = nullptr;
                                         if (done) {
                                           fc.stop();
                                           return nullptr;
                                         }
                                         // One batch per token, returned before its token is: one is always free.
                                         if (!free_batches.try_pop(b)) throw std::logic_error("scan: no free batch");
                                         if (!reader.fill(*b)) {
                                           done = true;
                                           free_batches.push(b);
                                           fc.stop();
                                           return nullptr;
                                         }
                                         return b;
                                       }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                             [&](Batch* b) -> Batch* {
                                               AnnotatorScratch& local = scratch.local();
                                               for (size_t i = 0; i < b->n; ++i)
                                                 annotate_slot(passes, work_hdr, opt.tag, local, *b->slots[i]);
                                               return b;
                                             }) &
            tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* b) {
              for (size_t i = 0; i < b->n; ++i) fold_slot(panel, passes, work_hdr, opt, in.path(), sink, stats, *b->slots[i]);
              free_batches.push(b);
            }));
  });
  return stats;
}

}  // namespace healcap
