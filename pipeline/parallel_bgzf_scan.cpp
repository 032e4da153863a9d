// Parallel BGZF inflate and line scan of VCF text, folded in input order.
#include "parallel_bgzf_scan.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <libdeflate.h>

#include <htslib/bgzf.h>
#include <htslib/hfile.h>
#include <htslib/kstring.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_set>

#include "contig.h"
#include "errors.h"
#include "record_slot.h"

namespace healcap {

namespace {

constexpr size_t kBlocksPerBatch = 64;  // about 4 MB of text per batch

// A run of consecutive records on one contig within a batch: what the order and per-contig statistics need.
struct Run {
  std::string contig;
  uint64_t n = 0;
  int64_t first_pos = 0, last_pos = 0, min_pos = 0, max_pos = 0;
  int64_t unsorted_pos = 0, unsorted_after = 0;  // first record going backwards inside the run, and the one before
};

struct TextBatch {
  std::vector<std::vector<uint8_t>> blocks;  // raw BGZF blocks
  size_t skip_first = 0;                     // text of the first block that belongs to the header
  std::unique_ptr<char[]> buf;               // inflated text, reused across batches
  size_t cap = 0, len = 0;
  size_t head_end = 0, tail_beg = 0;         // [0, head_end) and [tail_beg, end): partial lines at the edges
  bool has_newline = false;
  std::vector<std::unique_ptr<Slot>> slots;  // lines at panel positions (every line for annotate), in order
  std::vector<bool> serial_parse;            // the line needs the main header (an undefined contig or tag)
  std::vector<Run> runs;
  uint64_t n_records = 0, n_blocks_over_panel = 0;
  std::array<uint64_t, 2> n_panel{};
};

struct Worker {
  libdeflate_decompressor* inflater = nullptr;
  bcf_hdr_t* hdr = nullptr;  // a copy of the input header: vcf_parse may add to it
  AnnotatorScratch scratch;
  std::unique_ptr<Slot> spare = std::make_unique<Slot>();
  std::string cached_contig, canonical;
  std::array<const std::vector<int64_t>*, 2> positions{};
  bool ready = false;
  ~Worker() {
    if (inflater) libdeflate_free_decompressor(inflater);
    if (hdr) bcf_hdr_destroy(hdr);
  }
};

uint32_t le32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

// Inflates one block to `out` (which has room for it); returns its uncompressed size.
size_t inflate_block(Worker& w, const std::vector<uint8_t>& blk, char* out, const std::string& path) {
  const size_t size = blk.size();
  const uint32_t isize = le32(&blk[size - 4]), crc = le32(&blk[size - 8]);
  if (isize == 0) return 0;
  size_t got = 0;
  const auto rc = libdeflate_deflate_decompress(w.inflater, &blk[18], size - 18 - 8, out, isize, &got);
  if (rc != LIBDEFLATE_SUCCESS || got != isize || libdeflate_crc32(0, out, isize) != crc)
    throw DataError(path + ": corrupt BGZF block (inflate or CRC check failed); re-create the file");
  return isize;
}

// Reads up to kBlocksPerBatch raw BGZF blocks; sets `eof` at the end of the file.
void read_blocks(hFILE* hf, const std::string& path, std::vector<std::vector<uint8_t>>& blocks, bool& eof) {
  while (blocks.size() < kBlocksPerBatch) {
    uint8_t h[18];
    const ssize_t got = hread(hf, h, 18);
    if (got == 0) {
      eof = true;
      return;
    }
    if (got != 18 || h[0] != 31 || h[1] != 139 || h[3] != 4 || h[12] != 66 || h[13] != 67)
      throw DataError(path + ": truncated or corrupt BGZF block; re-create the file");
    const size_t size = size_t(h[16] | h[17] << 8) + 1;
    std::vector<uint8_t> blk(size);
    std::memcpy(blk.data(), h, 18);
    if (size < 26 || hread(hf, blk.data() + 18, size - 18) != static_cast<ssize_t>(size - 18))
      throw DataError(path + ": truncated: a BGZF block ends early; re-download or re-create the file");
    blocks.push_back(std::move(blk));
  }
}

// Inflates a batch's blocks into its (recycled) buffer; returns the text after the batch's skipped prefix.
std::pair<const char*, size_t> inflate_batch(Worker& w, TextBatch& b, const std::string& path) {
  size_t total = 0;
  for (const auto& blk : b.blocks) total += le32(&blk[blk.size() - 4]);
  if (total > b.cap) {  // grows rarely: batches are recycled
    b.buf.reset(new char[total]);
    b.cap = total;
  }
  b.len = 0;
  for (const auto& blk : b.blocks) b.len += inflate_block(w, blk, b.buf.get() + b.len, path);
  const size_t skip = std::min(b.skip_first, b.len);
  return {b.buf.get() + skip, b.len - skip};
}

// The batches in flight: one per pipeline token, taken by the input stage and given back by the fold
// stage (or by any stage that fails), never deleted on the way.
class BatchPool {
 public:
  explicit BatchPool(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      all_.push_back(std::make_unique<TextBatch>());
      free_.push_back(all_.back().get());
    }
  }
  TextBatch* take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) throw std::logic_error("parallel scan: no free batch");
    TextBatch* b = free_.back();
    free_.pop_back();
    b->blocks.clear();
    b->slots.clear();
    b->serial_parse.clear();
    b->runs.clear();
    b->n_records = b->n_blocks_over_panel = 0;
    b->n_panel = {};
    b->has_newline = false;
    b->head_end = b->tail_beg = b->len = b->skip_first = 0;
    return b;
  }
  void give(TextBatch* b) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(b);
  }

 private:
  std::vector<std::unique_ptr<TextBatch>> all_;
  std::vector<TextBatch*> free_;
  std::mutex mutex_;
};

// Gives a batch back to the pool when the scope ends, unless released to the next stage.
struct GiveBack {
  BatchPool& pool;
  TextBatch* b;
  ~GiveBack() {
    if (b) pool.give(b);
  }
  TextBatch* release() {
    TextBatch* x = b;
    b = nullptr;
    return x;
  }
};

// Opens the file again at the first block after the header; returns the text of that block to skip.
std::unique_ptr<hFILE, int (*)(hFILE*)> open_after_header(VcfInput& in, size_t& skip) {
  const int64_t voff = bgzf_tell(in.file()->fp.bgzf);  // where the header ends
  hFILE* hf = hopen(in.path().c_str(), "r");
  if (!hf) throw DataError(in.path() + ": cannot reopen for a parallel read");
  std::unique_ptr<hFILE, int (*)(hFILE*)> owner(hf, hclose);
  if (hseek(hf, voff >> 16, SEEK_SET) < 0) throw DataError(in.path() + ": cannot seek past the header");
  skip = static_cast<size_t>(voff & 0xFFFF);
  return owner;
}

// The input stage of both parallel scans: the raw BGZF blocks after the header, in batches from the pool.
class BlockSource {
 public:
  BlockSource(VcfInput& in, BatchPool& pool) : path_(in.path()), hf_(open_after_header(in, skip_)), pool_(pool) {}
  // Returns the next batch of blocks, or stops the pipeline at the end of the file.
  TextBatch* next(tbb::flow_control& fc) {
    if (eof_) {
      fc.stop();
      return nullptr;
    }
    GiveBack b{pool_, pool_.take()};
    b.b->skip_first = skip_;
    skip_ = 0;
    read_blocks(hf_.get(), path_, b.b->blocks, eof_);
    if (b.b->blocks.empty()) {
      fc.stop();
      return nullptr;  // `b` goes back to the pool
    }
    return b.release();
  }

 private:
  std::string path_;
  size_t skip_ = 0;  // set by open_after_header: declared before hf_
  std::unique_ptr<hFILE, int (*)(hFILE*)> hf_;
  BatchPool& pool_;
  bool eof_ = false;
};

// This thread's worker, with its inflater and, when `hdr` is given, a copy of the header to parse with.
Worker& ready_worker(tbb::enumerable_thread_specific<Worker>& workers, const bcf_hdr_t* hdr) {
  Worker& w = workers.local();
  if (!w.ready) {
    w.inflater = libdeflate_alloc_decompressor();
    if (!w.inflater) throw DataError("cannot start libdeflate");
    if (hdr) w.hdr = bcf_hdr_dup(hdr);
    w.ready = true;
  }
  return w;
}

// Everything a line needs that stays the same across lines.
struct Context {
  VcfInput& in;
  bcf_hdr_t* work_hdr;
  const Panel& panel;
  const std::array<BuildPass, 2>& passes;
  const ScanEngineOptions& opt;
};

// Scans one complete line: fields, statistics into `runs`, panel rows; copies and parses it when it can hit
// the panel (or always, for annotate). Returns the slot, or null. `hdr` is the header vcf_parse may extend.
std::unique_ptr<Slot> scan_line(const Context& c, Worker& w, bcf_hdr_t* hdr, const char* p, size_t n,
                                std::vector<Run>& runs, std::array<uint64_t, 2>& n_panel, uint64_t& n_blocks,
                                bool& serial) {
  Slot& s = *w.spare;
  s.reset();
  const int64_t block_end = parse_raw_fields(s, p, n, c.in.path(), [&runs] {
    return runs.empty() ? std::string("at the start of a block") : "after " + where(runs.back().contig, runs.back().last_pos);
  });
  if (runs.empty() || runs.back().contig != s.contig) {
    runs.push_back({s.contig, 0, s.pos, s.pos, s.pos, s.pos, 0, 0});
  } else if (s.pos < runs.back().last_pos && runs.back().unsorted_pos == 0) {
    runs.back().unsorted_pos = s.pos;
    runs.back().unsorted_after = runs.back().last_pos;
  }
  Run& r = runs.back();
  r.n++;
  r.last_pos = s.pos;
  r.min_pos = std::min(r.min_pos, s.pos);
  r.max_pos = std::max(r.max_pos, s.pos);
  if (s.contig != w.cached_contig) {
    w.cached_contig = s.contig;
    w.canonical = normalise_contig(s.contig);
    for (int q = 0; q < 2; ++q)
      w.positions[q] = c.passes[q].annotator ? c.panel.positions(c.passes[q].annotator->build(), w.canonical) : nullptr;
  }
  const auto found = find_rows(c.panel, c.passes, w.positions, w.canonical, block_end, s);
  for (int q = 0; q < 2; ++q) n_panel[q] += found[q];
  if (found[0] && block_end > 0) ++n_blocks;
  serial = false;
  if (!c.opt.parse_all && !s.any_rows()) return nullptr;
  s.line.l = 0;
  kputsn(p, n, &s.line);
  parse_text_record(s, hdr, c.in.path());
  if (s.undefined) serial = true;  // ids from a worker's header copy: parse again with the main header
  else annotate_slot(c.passes, c.work_hdr, c.opt.tag, w.scratch, s);
  std::unique_ptr<Slot> out = std::move(w.spare);
  w.spare = std::make_unique<Slot>();
  return out;
}

}  // namespace

bool can_scan_text_in_parallel(const VcfInput& in) {
  if (in.is_bcf() || in.path() == "-") return false;
  htsFile* fp = const_cast<VcfInput&>(in).file();
  return fp->format.compression == bgzf && fp->is_bgzf;
}

ScanStats run_parallel_bgzf_scan(VcfInput& in, bcf_hdr_t* work_hdr, const Panel& panel,
                                 const std::array<BuildPass, 2>& passes, const ScanEngineOptions& opt, RecordSink* sink) {
  ScanStats stats;
  const Context ctx{in, work_hdr, panel, passes, opt};
  const std::string& path = in.path();
  tbb::enumerable_thread_specific<Worker> workers;

  // Serial fold state.
  std::string carry;  // a line cut at the end of the previous batch
  std::string last_contig;
  int64_t last_pos = 0;
  std::unordered_set<std::string> seen;
  Worker serial_worker;
  serial_worker.hdr = nullptr;  // the serial path parses with the main header
  std::vector<Run> one_run;

  const auto note_unsorted = [&](const std::string& contig, int64_t pos, const std::string& after) {
    if (stats.first_unsorted.empty()) stats.first_unsorted = where(contig, pos);
    if (opt.require_sorted)
      throw DataError(path + ": " + where(contig, pos) + ": input is not sorted (this record comes after " + after +
                      "); an index needs sorted input: sort it with bcftools sort");
  };
  const auto merge_runs = [&](const std::vector<Run>& runs) {
    for (const Run& r : runs) {
      if (r.contig != last_contig) {
        if (!seen.insert(r.contig).second) note_unsorted(r.contig, r.first_pos, where(last_contig, last_pos));
        else stats.contigs.push_back({r.contig, 0, r.min_pos, r.max_pos});
        last_contig = r.contig;
      } else if (r.first_pos < last_pos) {
        note_unsorted(r.contig, r.first_pos, where(last_contig, last_pos));
      }
      if (r.unsorted_pos) note_unsorted(r.contig, r.unsorted_pos, where(r.contig, r.unsorted_after));
      for (auto& c : stats.contigs)
        if (c.name == r.contig) {
          c.n_records += r.n;
          c.first_pos = std::min(c.first_pos, r.min_pos);
          c.last_pos = std::max(c.last_pos, r.max_pos);
        }
      stats.n_records += r.n;
      last_pos = r.last_pos;
    }
  };
  const auto fold = [&](Slot& s, bool serial) {
    if (serial) {  // parse again with the main header, which may gain the contig or tag
      s.reset();
      s.parsed = false;
      const int64_t block_end = parse_raw_fields(s, path, [&] { return "after " + where(last_contig, last_pos); });
      const std::string canonical = normalise_contig(s.contig);
      std::array<const std::vector<int64_t>*, 2> pos{};
      for (int q = 0; q < 2; ++q)
        pos[q] = passes[q].annotator ? panel.positions(passes[q].annotator->build(), canonical) : nullptr;
      find_rows(panel, passes, pos, canonical, block_end, s);
      parse_text_record(s, in.header(), path);
      annotate_slot(passes, work_hdr, opt.tag, serial_worker.scratch, s);
    }
    if (s.undefined && stats.n_undefined++ == 0) stats.first_undefined = where(s.contig, s.pos);
    fold_slot(panel, passes, work_hdr, opt, path, sink, stats, s);
  };
  // A whole line assembled in the serial stage (it spanned two batches, or ends the file).
  const auto serial_line = [&](const std::string& line) {
    size_t n = line.size();
    if (n > 0 && line[n - 1] == '\r') --n;
    if (n == 0) return;
    one_run.clear();
    bool serial = false;
    uint64_t blocks = 0;
    std::array<uint64_t, 2> np{};

    auto slot = scan_line(ctx, serial_worker, in.header(), line.data(), n, one_run, np, blocks, serial);
    merge_runs(one_run);
    for (int q = 0; q < 2; ++q) stats.n_panel_position_records[q] += np[q];
    stats.n_ref_blocks += blocks;
    if (!slot) return;
    if (serial) annotate_slot(passes, work_hdr, opt.tag, serial_worker.scratch, *slot);  // parsed with the main header
    fold(*slot, false);
  };

  const int threads = std::max(1, opt.threads);
  const size_t n_tokens = static_cast<size_t>(threads) * 2 + 2;
  BatchPool pool(n_tokens);
  BlockSource source(in, pool);
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        n_tokens,
        tbb::make_filter<void, TextBatch*>(tbb::filter_mode::serial_in_order,
                                           [&](tbb::flow_control& fc) { return source.next(fc); }) &
            tbb::make_filter<TextBatch*, TextBatch*>(
                tbb::filter_mode::parallel,
                [&](TextBatch* b) -> TextBatch* {
                  Worker& w = ready_worker(workers, in.header());
                  const auto [base, size] = inflate_batch(w, *b, path);
                  const char* first_nl = static_cast<const char*>(std::memchr(base, '\n', size));
                  if (!first_nl) {
                    b->head_end = b->tail_beg = size;
                    return b;
                  }
                  b->has_newline = true;
                  b->head_end = static_cast<size_t>(first_nl - base) + 1;
                  const char* last_nl = base + size - 1;
                  while (*last_nl != '\n') --last_nl;
                  b->tail_beg = static_cast<size_t>(last_nl - base) + 1;
                  for (size_t at = b->head_end; at < b->tail_beg;) {
                    const char* p = base + at;
                    const char* nl = static_cast<const char*>(std::memchr(p, '\n', b->tail_beg - at));
                    size_t n = static_cast<size_t>(nl - p);
                    at += n + 1;
                    if (n > 0 && p[n - 1] == '\r') --n;
                    if (n == 0) continue;
                    bool serial = false;
                    auto slot = scan_line(ctx, w, w.hdr, p, n, b->runs, b->n_panel, b->n_blocks_over_panel, serial);
                    ++b->n_records;
                    if (slot) {
                      b->serial_parse.push_back(serial);
                      b->slots.push_back(std::move(slot));
                    }
                  }
                  return b;
                }) &
            tbb::make_filter<TextBatch*, void>(tbb::filter_mode::serial_in_order, [&](TextBatch* b) {
              GiveBack give_back{pool, b};
              const char* base = b->buf.get() + std::min(b->skip_first, b->len);
              const size_t size = b->len - std::min(b->skip_first, b->len);
              if (!b->has_newline) {
                carry.append(base, size);
              } else {
                carry.append(base, b->head_end - 1);  // the line cut at the previous batch's end
                serial_line(carry);
                carry.clear();
                merge_runs(b->runs);
                for (int q = 0; q < 2; ++q) stats.n_panel_position_records[q] += b->n_panel[q];
                stats.n_ref_blocks += b->n_blocks_over_panel;
                for (size_t i = 0; i < b->slots.size(); ++i) fold(*b->slots[i], b->serial_parse[i]);
                carry.assign(base + b->tail_beg, size - b->tail_beg);
              }
            }));
  });
  serial_line(carry);  // a last line without a newline
  return stats;
}

bool can_scan_bcf_in_parallel(const VcfInput& in) {
  if (!in.is_bcf() || in.path() == "-") return false;
  htsFile* fp = const_cast<VcfInput&>(in).file();
  return fp->format.compression == bgzf && fp->is_bgzf;
}

namespace {

// Fills `v` from one BCF record's bytes ([p, p + n): the two lengths, the fixed fields, shared and indiv), as
// htslib's reader does, then subsets its samples when the header selects some. Returns false when the
// lengths do not add up or the sample count differs from the header's.
bool bcf_from_bytes(const bcf_hdr_t* hdr, const uint8_t* p, size_t n, bcf1_t* v) {
  const uint32_t l_shared = le32(p), l_indiv = le32(p + 4);
  if (l_shared < 24 || n != 8 + size_t(l_shared) + l_indiv) return false;
  bcf_clear(v);
  v->rid = static_cast<int32_t>(le32(p + 8));
  v->pos = static_cast<int32_t>(le32(p + 12));
  v->rlen = static_cast<int32_t>(le32(p + 16));
  const uint32_t q = le32(p + 20);
  std::memcpy(&v->qual, &q, 4);
  const uint32_t x6 = le32(p + 24), x7 = le32(p + 28);
  v->n_info = x6 & 0xffff;
  v->n_allele = x6 >> 16;
  v->n_fmt = x7 >> 24;
  v->n_sample = x7 & 0xffffff;
  if (!hdr->keep_samples && static_cast<int>(v->n_sample) != bcf_hdr_nsamples(hdr) && v->n_fmt > 0) return false;
  v->shared.l = 0;
  kputsn(reinterpret_cast<const char*>(p + 32), l_shared - 24, &v->shared);
  v->indiv.l = 0;
  kputsn(reinterpret_cast<const char*>(p + 8 + l_shared), l_indiv, &v->indiv);
  if (hdr->keep_samples && bcf_subset_format(hdr, v) != 0) return false;
  return true;
}

}  // namespace

ScanStats run_parallel_bcf_scan(VcfInput& in, bcf_hdr_t* work_hdr, const Panel& panel,
                                const std::array<BuildPass, 2>& passes, const ScanEngineOptions& opt, RecordSink* sink) {
  ScanStats stats;
  const std::string& path = in.path();
  const int threads = std::max(1, opt.threads);
  const size_t n_tokens = static_cast<size_t>(threads) * 2 + 2;
  BatchPool pool(n_tokens);
  BlockSource source(in, pool);
  tbb::enumerable_thread_specific<Worker> workers;

  // Serial state: the record walk, order and contig statistics, and a slot for records that may hit.
  bcf_hdr_t* hdr = in.header();
  std::vector<uint8_t> carry;
  int cached_rid = -1;
  std::string contig, canonical;
  std::array<const std::vector<int64_t>*, 2> positions{};
  std::string last_contig;
  int64_t last_pos = 0;
  std::unordered_set<std::string> seen;
  ContigSeen* entry = nullptr;
  Slot slot;
  AnnotatorScratch scratch;

  const auto record = [&](const uint8_t* p, size_t n) {
    const int32_t rid = static_cast<int32_t>(le32(p + 8)), pos0 = static_cast<int32_t>(le32(p + 12));
    const int32_t rlen = static_cast<int32_t>(le32(p + 16));
    if (rid < 0 || rid >= hdr->n[BCF_DT_CTG] || pos0 < 0)
      throw DataError(path + ": record after " + where(last_contig, last_pos) + ": malformed record: contig id " +
                      std::to_string(rid) + " is not in the header");
    if (rid != cached_rid) {
      cached_rid = rid;
      contig = bcf_hdr_id2name(hdr, rid);
      canonical = normalise_contig(contig);
      for (int q = 0; q < 2; ++q)
        positions[q] = passes[q].annotator ? panel.positions(passes[q].annotator->build(), canonical) : nullptr;
    }
    const int64_t pos = int64_t(pos0) + 1;
    // Order and per-contig statistics, as the single-threaded reader keeps them.
    ++stats.n_records;
    if (contig != last_contig) {
      if (!seen.insert(contig).second) {
        if (stats.first_unsorted.empty()) stats.first_unsorted = where(contig, pos);
        if (opt.require_sorted)
          throw DataError(path + ": " + where(contig, pos) + ": input is not sorted (this record comes after " +
                          where(last_contig, last_pos) + "); an index needs sorted input: sort it with bcftools sort");
      } else {
        stats.contigs.push_back({contig, 0, pos, pos});
      }
      entry = nullptr;
      for (auto& c : stats.contigs)
        if (c.name == contig) entry = &c;
      last_contig = contig;
    } else if (pos < last_pos) {
      if (stats.first_unsorted.empty()) stats.first_unsorted = where(contig, pos);
      if (opt.require_sorted)
        throw DataError(path + ": " + where(contig, pos) + ": input is not sorted (this record comes after " +
                        where(last_contig, last_pos) + "); an index needs sorted input: sort it with bcftools sort");
    }
    last_pos = pos;
    entry->n_records++;
    entry->first_pos = std::min(entry->first_pos, pos);
    entry->last_pos = std::max(entry->last_pos, pos);
    // Could a panel position lie in [pos, pos + rlen - 1]?
    bool may_hit = opt.parse_all;
    const int64_t end = pos + std::max<int64_t>(rlen, 1) - 1;
    for (int q = 0; q < 2 && !may_hit; ++q) {
      if (!positions[q]) continue;
      const auto it = std::lower_bound(positions[q]->begin(), positions[q]->end(), pos);
      may_hit = it != positions[q]->end() && *it <= end;
    }
    if (!may_hit) return;
    slot.reset();
    if (!bcf_from_bytes(hdr, p, n, slot.rec))
      throw DataError(path + ": " + where(contig, pos) + ": malformed record: its lengths or sample count do not match the header");
    slot.contig = contig;
    slot.pos = pos;
    int64_t block_end = 0;
    if (rlen > 1) {
      bcf_unpack(slot.rec, BCF_UN_STR);
      if (is_ref_block(slot.rec)) block_end = pos0 + int64_t(rlen);
    }
    const auto found = find_rows(panel, passes, positions, canonical, block_end, slot);
    for (int q = 0; q < 2; ++q) stats.n_panel_position_records[q] += found[q];
    if (found[0] && block_end > 0) ++stats.n_ref_blocks;
    slot.parsed = true;
    annotate_slot(passes, work_hdr, opt.tag, scratch, slot);
    fold_slot(panel, passes, work_hdr, opt, path, sink, stats, slot);
  };

  // Walks the records of [p, p + n), completing the one cut at the previous batch's end from `carry`
  // and keeping the one cut at this batch's end in `carry`.
  const auto walk = [&](const uint8_t* p, size_t n) {
    size_t at = 0;
    if (!carry.empty()) {
      if (carry.size() < 8) {
        const size_t take = std::min(n, 8 - carry.size());
        carry.insert(carry.end(), p, p + take);
        at += take;
        if (carry.size() < 8) return;
      }
      const size_t total = 8 + size_t(le32(carry.data())) + le32(carry.data() + 4);
      const size_t take = std::min(n - at, total - carry.size());
      carry.insert(carry.end(), p + at, p + at + take);
      at += take;
      if (carry.size() < total) return;
      record(carry.data(), total);
      carry.clear();
    }
    while (at < n) {
      if (n - at < 8) break;
      const size_t total = 8 + size_t(le32(p + at)) + le32(p + at + 4);
      if (n - at < total) break;
      record(p + at, total);
      at += total;
    }
    carry.insert(carry.end(), p + at, p + n);
  };

  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        n_tokens,
        tbb::make_filter<void, TextBatch*>(tbb::filter_mode::serial_in_order,
                                           [&](tbb::flow_control& fc) { return source.next(fc); }) &
            tbb::make_filter<TextBatch*, TextBatch*>(tbb::filter_mode::parallel,
                                                     [&](TextBatch* b) -> TextBatch* {
                                                       inflate_batch(ready_worker(workers, nullptr), *b, path);
                                                       return b;
                                                     }) &
            tbb::make_filter<TextBatch*, void>(tbb::filter_mode::serial_in_order, [&](TextBatch* b) {
              GiveBack give_back{pool, b};
              const size_t skip_now = std::min(b->skip_first, b->len);
              walk(reinterpret_cast<const uint8_t*>(b->buf.get()) + skip_now, b->len - skip_now);
            }));
  });
  if (!carry.empty())
    throw DataError(path + ": truncated: the last record ends early after " + where(last_contig, last_pos) +
                    "; re-download or re-create the file");
  return stats;
}

}  // namespace healcap
