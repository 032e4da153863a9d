// A record in flight through a scan, and the steps every read path applies to it: read CHROM/POS from the raw
// line, find the panel rows it can hit, parse it, annotate it.
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

namespace healcap {

// The annotators a record is matched with: [0] the build the run reports (its matches are tagged), [1] the
// other build (build-mismatch reasons, REF-concordance build choice); null when that pass is off.
using Annotators = std::array<const PanelAnnotator*, 2>;

struct Slot {
  kstring_t line = {0, 0, nullptr};
  bcf1_t* rec = bcf_init();
  std::string contig;  // CHROM as written
  int64_t pos = 0;     // 1-based
  uint64_t index = 0;  // the record's place in its batch (0-based, every record counted); the driver adds the
                       // batch's first key to make the record's key
  bool parsed = false, undefined = false, matched = false;
  bool undefined_tag = false;  // of the undefined: an INFO/FORMAT/FILTER tag (not only the contig)
  bool annotated = false;  // the driver's annotate stage has run on it
  bool reparse = false;    // parsed with a worker's header copy and found an undefined contig or tag: the
                           // serial stage parses it again with the input's header, which may gain it
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
// naming `path` and CHROM:POS for a malformed record. vcf_parse splits s.line in place: parse a copy again.
void parse_text_record(Slot& s, bcf_hdr_t* hdr, const std::string& path);
// htslib reads a record with fewer sample columns than the header names but cannot write it (bcftools view
// fails there): throws DataError naming path and `at` (CHROM:POS) when the counts differ.
void check_sample_columns(const bcf_hdr_t* hdr, const bcf1_t* rec, const std::string& at, const std::string& path);

// Checks a BCF record's htslib error bits; throws as parse_text_record does, marks s.undefined.
void check_record_errcode(Slot& s, const std::string& path);

// The panel positions of each pass on one contig, cached by contig name (one per thread: not shared).
class PanelPositions {
 public:
  PanelPositions(const Panel& panel, const Annotators& passes) : panel_(&panel), passes_(passes) {}
  // Looks the contig up unless it is the one looked up last.
  void set_contig(const std::string& contig);
  const std::string& canonical() const { return canonical_; }
  // True when a panel position of either pass lies in [beg, end].
  bool may_hit(int64_t beg, int64_t end) const;
  // Sets s.rows for each pass: the rows at s.pos, or, for a reference block ending at block_end > 0, every row
  // in [s.pos, block_end]. Returns, per pass, whether any row was found.
  std::array<bool, 2> find_rows(int64_t block_end, Slot& s) const;

 private:
  const Panel* panel_;
  Annotators passes_;
  std::string contig_ = std::string(1, '\0'), canonical_;
  std::array<const std::vector<int64_t>*, 2> positions_{};
};

// The annotate step: matches a parsed slot against both passes (tagging only the first when `tag`).
void annotate_slot(const Annotators& passes, bcf_hdr_t* work_hdr, bool tag, AnnotatorScratch& scratch, Slot& s);

}  // namespace healcap
