// Indexed scan: region batches through a TBB pipeline, one htslib reader per worker.
#include "indexed_scan.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <htslib/hts.h>
#include <htslib/tbx.h>

#include <algorithm>
#include <map>
#include <memory>
#include <unistd.h>

#include "contig.h"
#include "errors.h"
#include "record_slot.h"

namespace healcap {

namespace {

constexpr int64_t kMergeGap = 20000;   // sites closer than this share one region query
constexpr size_t kRegionsPerBatch = 8;

struct Region {
  int tid = -1;
  std::string contig;      // as named in the file
  std::string canonical;   // normalise_contig(contig)
  int64_t beg = 0, end = 0;  // 1-based inclusive
  int64_t prev_end = 0;      // end of the previous region on the same contig (0: none); records starting at or
                             // before it were returned by that region already
};

// One worker's reader: its own file handle, header and index.
// The index, loaded once and only read afterwards, so every worker's queries can share it.
struct SharedIndex {
  hts_idx_t* idx = nullptr;  // BCF (CSI)
  tbx_t* tbx = nullptr;      // VCF.gz (TBI or CSI)
  ~SharedIndex() {
    if (tbx) tbx_destroy(tbx);
    if (idx) hts_idx_destroy(idx);
  }
};

// One worker's reader: its own file handle and header; the index is shared.
struct RegionReader {
  htsFile* fp = nullptr;
  bcf_hdr_t* hdr = nullptr;
  AnnotatorScratch scratch;
  ~RegionReader() {
    if (hdr) bcf_hdr_destroy(hdr);
    if (fp) hts_close(fp);
  }
};

// Opens the file for region queries. The header is a copy of the main one (with its sample selection):
// re-reading it would make htslib load the .tbi again, and index iterators need no header.
std::unique_ptr<RegionReader> open_reader(const std::string& path, const bcf_hdr_t* main_hdr) {
  auto r = std::make_unique<RegionReader>();
  r->fp = hts_open(path.c_str(), "r");
  if (!r->fp) throw DataError(path + ": cannot reopen for an indexed read");
  r->hdr = bcf_hdr_dup(main_hdr);
  if (!r->hdr) throw DataError(path + ": cannot copy the header for an indexed read");
  return r;
}

struct RegionBatch {
  size_t first = 0, last = 0;  // regions [first, last)
  std::vector<std::unique_ptr<Slot>> slots;  // records that can hit the panel, in file order
  uint64_t n_records = 0;
  std::vector<ContigSeen> contigs;
};

}  // namespace

std::string find_index(const std::string& input, bool is_bcf, const std::string& explicit_index) {
  if (input == "-") return "";
  if (!explicit_index.empty()) {
    if (access(explicit_index.c_str(), R_OK) != 0) throw DataError(explicit_index + ": cannot read the index (--index)");
    return explicit_index;
  }
  for (const char* ext : is_bcf ? std::vector<const char*>{".csi"} : std::vector<const char*>{".tbi", ".csi"}) {
    const std::string p = input + ext;
    if (access(p.c_str(), R_OK) == 0) return p;
  }
  return "";
}

ScanStats run_indexed_scan(const std::string& path, const std::string& index_path, bool is_bcf, bcf_hdr_t* hdr,
                           bcf_hdr_t* work_hdr, const Panel& panel,
                           const std::array<BuildPass, 2>& passes, const ScanEngineOptions& opt, RecordSink* sink) {
  ScanStats stats;
  // The file's contig names (in file order) and which canonical chromosome each is.
  SharedIndex index;
  if (is_bcf) index.idx = bcf_index_load2(path.c_str(), index_path.c_str());
  else index.tbx = tbx_index_load2(path.c_str(), index_path.c_str());
  if (!index.idx && !index.tbx) throw DataError(index_path + ": cannot load the index of " + path);
  std::vector<std::string> names;
  int n_names = 0;
  const char** seq = is_bcf ? bcf_hdr_seqnames(hdr, &n_names) : tbx_seqnames(index.tbx, &n_names);
  for (int i = 0; i < n_names; ++i) names.emplace_back(seq[i]);
  free(seq);

  // Regions: the panel's positions in each pass's build, per file contig, merged when close.
  std::vector<Region> regions;
  std::map<std::string, std::array<const std::vector<int64_t>*, 2>> positions;
  for (int tid = 0; tid < static_cast<int>(names.size()); ++tid) {
    const std::string canonical = normalise_contig(names[tid]);
    std::vector<int64_t> pos;
    std::array<const std::vector<int64_t>*, 2> per_pass{};
    for (int p = 0; p < 2; ++p) {
      if (!passes[p].annotator) continue;
      per_pass[p] = panel.positions(passes[p].annotator->build(), canonical);
      if (per_pass[p]) pos.insert(pos.end(), per_pass[p]->begin(), per_pass[p]->end());
    }
    if (pos.empty()) continue;
    positions[names[tid]] = per_pass;
    std::sort(pos.begin(), pos.end());
    int64_t prev_end = 0;
    for (size_t i = 0; i < pos.size();) {
      Region r{tid, names[tid], canonical, pos[i], pos[i], prev_end};
      while (++i < pos.size() && pos[i] - r.end <= kMergeGap) r.end = pos[i];
      prev_end = r.end;
      regions.push_back(std::move(r));
    }
  }
  const size_t n_batches = (regions.size() + kRegionsPerBatch - 1) / kRegionsPerBatch;

  // A panel of ~100 sites is a few dozen small queries: one worker per 16 region batches, as more threads
  // would cost more to start than they save.
  const int threads = std::max(1, std::min(opt.threads, static_cast<int>(n_batches / 16)));
  tbb::enumerable_thread_specific<std::unique_ptr<RegionReader>> readers;
  size_t next = 0;

  const auto read_batch = [&](RegionBatch& b) {
    auto& reader = readers.local();
    if (!reader) reader = open_reader(path, hdr);
    std::unique_ptr<Slot> slot = std::make_unique<Slot>();
    for (size_t ri = b.first; ri < b.last; ++ri) {
      const Region& r = regions[ri];
      hts_itr_t* itr = is_bcf ? bcf_itr_queryi(index.idx, r.tid, r.beg - 1, r.end)
                              : tbx_itr_queryi(index.tbx, r.tid, r.beg - 1, r.end);
      if (!itr) throw DataError(path + ": index query failed at " + r.contig + ":" + std::to_string(r.beg));
      const auto& per_pass = positions.at(r.contig);
      int ret = 0;
      for (;;) {
        Slot& s = *slot;
        s.reset();
        int64_t block_end = 0;
        if (is_bcf) {
          ret = bcf_itr_next(reader->fp, itr, s.rec);
          if (ret < 0) break;
          s.contig = r.contig;
          s.pos = s.rec->pos + 1;
          if (s.rec->rlen > 1) {
            bcf_unpack(s.rec, BCF_UN_STR);
            if (is_ref_block(s.rec)) block_end = s.rec->pos + s.rec->rlen;
          }
        } else {
          ret = tbx_itr_next(reader->fp, index.tbx, itr, &s.line);
          if (ret < 0) break;
          block_end = parse_raw_fields(s, path, [&r] { return "in " + r.contig; });
        }
        if (s.pos <= r.prev_end) continue;  // returned by the previous region already
        ++b.n_records;
        if (b.contigs.empty() || b.contigs.back().name != s.contig) b.contigs.push_back({s.contig, 0, s.pos, s.pos});
        ContigSeen& c = b.contigs.back();
        c.n_records++;
        c.first_pos = std::min(c.first_pos, s.pos);
        c.last_pos = std::max(c.last_pos, s.pos);
        find_rows(panel, passes, per_pass, r.canonical, block_end, s);
        if (!s.any_rows()) continue;
        if (is_bcf) {
          check_record_errcode(s, path);
          s.parsed = true;
        } else {
          parse_text_record(s, reader->hdr, path);
        }
        annotate_slot(passes, work_hdr, opt.tag, reader->scratch, s);
        b.slots.push_back(std::move(slot));
        slot = std::make_unique<Slot>();
      }
      const bool failed = ret < -1;
      hts_itr_destroy(itr);
      if (failed) throw DataError(path + ": read error in " + r.contig + ":" + std::to_string(r.beg) + "-" +
                                  std::to_string(r.end) + "; the file or its index is truncated or corrupt");
    }
  };

  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<size_t>(threads) * 2 + 2,
        tbb::make_filter<void, RegionBatch*>(tbb::filter_mode::serial_in_order,
                                             [&](tbb::flow_control& fc) -> RegionBatch* {
                                               if (next >= n_batches) {
                                                 fc.stop();
                                                 return nullptr;
                                               }
                                               auto* b = new RegionBatch;
                                               b->first = next * kRegionsPerBatch;
                                               b->last = std::min(regions.size(), b->first + kRegionsPerBatch);
                                               ++next;
                                               return b;
                                             }) &
            tbb::make_filter<RegionBatch*, RegionBatch*>(tbb::filter_mode::parallel,
                                                         [&](RegionBatch* b) -> RegionBatch* {
                                                           try {
                                                             read_batch(*b);
                                                           } catch (...) {
                                                             delete b;
                                                             throw;
                                                           }
                                                           return b;
                                                         }) &
            tbb::make_filter<RegionBatch*, void>(tbb::filter_mode::serial_in_order, [&](RegionBatch* b) {
              std::unique_ptr<RegionBatch> own(b);
              stats.n_records += b->n_records;
              for (const auto& c : b->contigs) {
                if (!stats.contigs.empty() && stats.contigs.back().name == c.name) {
                  ContigSeen& s = stats.contigs.back();
                  s.n_records += c.n_records;
                  s.first_pos = std::min(s.first_pos, c.first_pos);
                  s.last_pos = std::max(s.last_pos, c.last_pos);
                } else {
                  stats.contigs.push_back(c);
                }
              }
              for (auto& sp : b->slots) {
                Slot& s = *sp;
                for (int p = 0; p < 2; ++p) {
                  stats.n_panel_position_records[p] += !s.rows[p].empty();
                  if (p == 0 && !s.hits[0].empty() && s.hits[0].front().match.type == MatchType::kRefBlock) ++stats.n_ref_blocks;
                }
                if (s.undefined && stats.n_undefined++ == 0) stats.first_undefined = where(s.contig, s.pos);
                fold_slot(panel, passes, work_hdr, opt, path, sink, stats, s);
              }
            }));
  });
  return stats;
}

}  // namespace healcap
