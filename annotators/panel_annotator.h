// The panel annotator: matches a record to the panel rows at its position, decodes the calls and tags INFO.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <htslib/vcf.h>

#include "genotypes.h"
#include "panel.h"
#include "panel_matcher.h"
#include "site_store.h"

namespace healcap {

// One panel row a record was matched (or tried) against, with the decoded calls when it matched.
struct RecordHit {
  SiteMatch match;
  std::vector<Call> calls;
  bool site_filtered = false;  // FILTER failed --pass-only
  DosageSource source = DosageSource::kNone;
};

// Per-thread scratch, reused across records.
struct AnnotatorScratch {
  GenotypeBuffer gt;
  std::vector<std::string_view> alleles;
  std::vector<float> weights;
};

// The seam's contract (after bcftools' plugins, without their globals):
//  - add_header_lines() runs once, serially, on the output header before any record is written;
//  - unpack_level() is what annotate() reads of a record;
//  - annotate() may run on many threads at once: it writes only to `rec`, `scratch` and `hits`.
class PanelAnnotator {
 public:
  PanelAnnotator(const Panel& panel, Build build, DecodeOptions opt = {}) : panel_(panel), build_(build), opt_(opt) {}
  Build build() const { return build_; }

  // Adds the HC_* INFO lines and the panel's identity to an output header.
  void add_header_lines(bcf_hdr_t* hdr) const;
  static constexpr int unpack_level() { return BCF_UN_ALL; }

  // Matches `rec` against `rows` (the panel rows at its position in this build, or inside it when `rec` is a
  // gVCF reference block) and, for each row, appends a RecordHit; rows that matched get their calls decoded.
  // When `out_hdr` is not null, matched rows are written into the record's INFO (tags defined in out_hdr).
  // Returns true when any row matched.
  bool annotate(const bcf_hdr_t* in_hdr, const bcf_hdr_t* out_hdr, bcf1_t* rec, const std::vector<size_t>& rows,
                AnnotatorScratch& scratch, std::vector<RecordHit>& hits) const;

 private:
  void tag(const bcf_hdr_t* out_hdr, bcf1_t* rec, const std::vector<RecordHit>& hits, size_t first,
           AnnotatorScratch& scratch) const;
  const Panel& panel_;
  Build build_;
  DecodeOptions opt_;
};

}  // namespace healcap
