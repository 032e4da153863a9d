// What a scan learned about each panel row: which record stood for it, and each sample's call there.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "panel.h"
#include "panel_matcher.h"

namespace healcap {

// A row's state after the scan.
enum class SiteState {
  kFound,           // a record matched; its calls are used
  kNotInInput,      // no record at the row's position in this build
  kRefMismatch,     // records there, but REF is neither the panel REF nor (swapped) ALT
  kAlleleAbsent,    // panel alleles unknown in this build and the effect allele is in no record there
  kNoCoordinates,   // the panel has no position for this row in this build
};
std::string_view to_string(SiteState s);

// One sample's call at a site, 8 bytes. `count` is copies of the counted allele, -1 when the genotype is
// missing (./. or a half call); `ploidy` is the number of alleles in the GT (1 haploid, 2 diploid).
// `allele` keeps the first two GT alleles (-1 = missing) and `phased` the separator, for the GT text.
struct Call {
  int8_t count = -1;
  int8_t ploidy = 0;
  bool phased = false;
  int16_t allele[2] = {-1, -1};
};

// The GT text bcftools prints for a call ("0/1", "1|0", "./.", "1", "."); a call of more than two alleles
// is written with its first two and "/..." after them.
std::string gt_text(const Call& c);

// The record a row was matched to, as seen in the input (text the user reads: 1-based position).
struct SeenRecord {
  std::string contig, id, ref, alts;  // alts comma-joined, '.' when none
  int64_t pos = 0;
};

struct SiteResult {
  SiteState state = SiteState::kNotInInput;
  SiteMatch match;
  SeenRecord record;
  std::vector<Call> calls;        // one per sample, when found
  int n_records = 0;              // records at this position offered for the row (matched or not)
  int n_matched = 0;              // of those, records that matched
  int used_match = 0;             // which matched record (1-based, in input order) is used
  std::string duplicate_note;     // set when more than one record matched
};

// Offers from a scan, taken in input order. Keeps, for each row, the best record: a match carrying the
// effect allele beats one that lacks it, which beats a REF mismatch; among equals the first one wins, and
// later ones are counted and reported, never added.
class SiteStore {
 public:
  SiteStore(const Panel& panel, Build build, size_t n_samples);

  // Offers a record's match for one row. `calls` is moved from only when the offer wins.
  void offer(const SiteMatch& m, SeenRecord record, std::vector<Call>& calls);

  const std::vector<SiteResult>& results() const { return results_; }
  size_t n_samples() const { return n_samples_; }
  size_t n_found() const;

 private:
  static int rank(const SiteMatch& m);
  std::vector<SiteResult> results_;
  size_t n_samples_;
};

}  // namespace healcap
