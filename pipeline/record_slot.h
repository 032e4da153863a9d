// A record in flight through a scan, and the steps both scan paths (streaming and indexed) apply to it:
// find the panel rows it can hit, annotate it, fold its matches into the stores in input order.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include "panel.h"
#include "panel_annotator.h"
#include "scan_engine.h"

namespace healcap {

struct Slot {
  kstring_t line = {0, 0, nullptr};
  bcf1_t* rec = bcf_init();
  std::string contig;  // CHROM as written
  int64_t pos = 0;     // 1-based
  bool parsed = false, undefined = false, matched = false;
  std::array<std::vector<size_t>, 2> rows;  // per pass: panel rows at this position (or inside a ref block)
  std::array<std::vector<RecordHit>, 2> hits;
  Slot() = default;
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot();
  void reset();
  bool any_rows() const { return !rows[0].empty() || !rows[1].empty(); }
};

// "CHROM:POS" (1-based), for messages.
std::string where(const std::string& contig, int64_t pos);
// Words for htslib's bcf1_t::errcode bits; empty when none is set.
std::string errcode_reason(int e);
// END= from a raw INFO field [b, e); `pos` when there is none.
int64_t info_end_value(const char* b, const char* e, int64_t pos);

// Reads CHROM and POS from the raw VCF line in s.line into s.contig/s.pos, checks that the record has at
// least 8 columns, and returns END for a gVCF reference block (ALT <NON_REF> or <*> alone), else 0. Throws
// DataError naming `path` and the record (or `after` for a line without CHROM) when the line is malformed.
// `after` (e.g. "after chr1:100") is called only to word an error.
int64_t parse_raw_fields(Slot& s, const std::string& path, const std::function<std::string()>& after);
// The same for a line held elsewhere ([p, p + n), no newline); s.line is left alone.
int64_t parse_raw_fields(Slot& s, const char* p, size_t n, const std::string& path,
                         const std::function<std::string()>& after);
// Parses s.line into s.rec with htslib (`hdr` may gain an undefined contig or tag: serial use only, or a
// per-thread header). Marks s.parsed, and s.undefined for a contig or tag the header lacked. Throws DataError
// naming `path` and CHROM:POS for a malformed record.
void parse_text_record(Slot& s, bcf_hdr_t* hdr, const std::string& path);
// Checks a BCF record's htslib error bits; throws as parse_text_record does, marks s.undefined.
void check_record_errcode(Slot& s, const std::string& path);

// Sets s.rows for each pass from the sorted panel positions on the record's contig (`positions[p]`, null
// when the pass is off or the panel has nothing there): the rows at s.pos, or, for a reference block
// ending at block_end > 0, every row in [s.pos, block_end]. Returns, per pass, whether any row was found.
std::array<bool, 2> find_rows(const Panel& panel, const std::array<BuildPass, 2>& passes,
                              const std::array<const std::vector<int64_t>*, 2>& positions,
                              const std::string& canonical, int64_t block_end, Slot& s);

// The parallel step: annotates a parsed slot against both passes (tagging only the first when `tag`).
void annotate_slot(const std::array<BuildPass, 2>& passes, bcf_hdr_t* work_hdr, bool tag, AnnotatorScratch& scratch,
                   Slot& s);

// The serial, in-order step: offers the slot's matches to the stores, counts REF concordance, and hands
// the record to the sink when it is parsed and (parse_all or matched). Throws DataError naming `path` and
// CHROM:POS when a record for the sink uses a contig or tag the header lacks.
void fold_slot(const Panel& panel, const std::array<BuildPass, 2>& passes, bcf_hdr_t* work_hdr,
               const ScanEngineOptions& opt, const std::string& path, RecordSink* sink, ScanStats& stats, Slot& s);

}  // namespace healcap
