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
  kRefBlock,        // only a gVCF reference block covers the site; its calls are used
  kFiltered,        // a record matched, but its FILTER is not PASS under --pass-only
  kBuildMismatch,   // no record here, but a record sits at this row's position in the other build, with its REF
  kNotInInput,      // no record at the row's position in this build
  kRefMismatch,     // records there, but REF is neither the panel REF nor (swapped) ALT
  kAlleleAbsent,    // panel alleles unknown in this build and the effect allele is in no record there
  kNoCoordinates,   // the panel has no position for this row in this build
  kOutsideRegions,  // the row's position lies outside the requested regions/targets: not asked for
  kAlleleMismatch,  // the row knows both alleles but not the REF, and no record there carries both
};
std::string_view to_string(SiteState s);

// Each sample-site pair is in exactly one state (README "Call states").
enum class CallState : uint8_t {
  kCalled,         // a genotype or dosage was read at the site
  kRefBlock,       // a gVCF reference block (<NON_REF>/<*>) covers the site: homozygous reference
  kAbsentCovered,  // no record, but the site is callable (--callable BED, or --absent-as-ref): reference
  kAbsentUnknown,  // no record, nothing says the site was covered
  kFiltered,       // FILTER not PASS under --pass-only, or GQ/DP below --min-gq/--min-dp
  kMissing,        // ./., a half call, or a missing dosage
};
std::string_view to_string(CallState s);
constexpr size_t kNumCallStates = 6;

// One sample's call at a site. `dosage` is the effect (counted) allele's dosage, fractional for DS/GP;
// -1 when unknown. `ploidy` is the number of alleles in the call (1 haploid, 2 diploid). `allele` keeps the
// first two GT alleles (-1 = missing) and `phased` the separator, for the GT text. gq/dp are -1 when absent.
struct Call {
  float dosage = -1;
  CallState state = CallState::kMissing;
  int8_t ploidy = 0;
  bool phased = false;
  int16_t allele[2] = {-1, -1};
  int32_t gq = -1, dp = -1;

  // True when the call says how many effect alleles the sample carries.
  bool observed() const {
    return dosage >= 0 && (state == CallState::kCalled || state == CallState::kRefBlock || state == CallState::kAbsentCovered);
  }
  static Call called(float dosage, int ploidy) {
    Call c;
    c.dosage = dosage;
    c.state = CallState::kCalled;
    c.ploidy = static_cast<int8_t>(ploidy);
    return c;
  }
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
  std::vector<Call> calls;        // one per sample, when found, ref_block or filtered
  uint8_t dosage_source = 0;      // DosageSource of the calls used
  bool site_filtered = false;     // the record used failed --pass-only
  int n_records = 0;              // records at this position offered for the row (matched or not)
  int n_matched = 0;              // of those, records that matched
  int used_match = 0;             // which matched record (1-based, in input order) is used
  uint64_t key = 0;               // the key of the record used (its place in the input)
  std::vector<uint64_t> matched_keys;  // keys of the records that matched, ascending
  // Several inputs: `calls` holds every sample's call even when the state has none (the inputs' absent calls
  // differ); the inputs joined and how many had a record at the row.
  bool calls_materialized = false;
  uint32_t n_inputs = 1, n_inputs_seen = 0;
};
// Does the row carry one call per sample (a record's calls, or the absent calls of several inputs)?
inline bool uses_calls(const SiteResult& r) {
  return r.state == SiteState::kFound || r.state == SiteState::kRefBlock || r.state == SiteState::kFiltered ||
         r.calls_materialized;
}

// "matched by N records, counted once: ..." when more than one record matched; empty otherwise. Words for the
// outputs, made from the counts when they are written.
std::string duplicate_note(const SiteResult& r);

// Offers from a scan, taken in input order. Keeps, for each row, the best record, in this order: a match
// carrying the effect allele and one of the panel's ALTs; one carrying the effect allele only (another
// variant at the same position, e.g. a split multiallelic record); one lacking the effect allele; a match
// whose FILTER failed --pass-only; a reference block; a reference block whose FILTER failed; an
// allele-absent or allele-mismatch record; a REF mismatch. Among
// equals the one with the lowest key (the first in input order) wins; the others are counted and reported,
// never added. merge() gives the store that offering both stores' records would have given, in any order.
class SiteStore {
 public:
  SiteStore(const Panel& panel, Build build, size_t n_samples);

  // Offers a record's match for one row. `calls` is moved from only when the offer wins.
  // `site_filtered` marks a record whose FILTER failed --pass-only.
  // `key` orders records of equal rank (the driver numbers records in input order); when omitted, offers are
  // numbered in the order they are made.
  void offer(const SiteMatch& m, SeenRecord record, std::vector<Call>& calls, bool site_filtered = false,
             uint8_t dosage_source = 0, uint64_t key = UINT64_MAX);
  // Takes in the other store's offers (same panel, build and samples). Exact and associative.
  void merge(SiteStore&& o);
  // Marks a row not found in the chosen build whose other-build position holds a record with that build's REF.
  void note_build_mismatch(size_t row, SeenRecord record);
  // Marks the rows a run did not ask for (keep[i] false) outside_regions; they take no offers. Rows without a
  // position stay no_coordinates.
  void mark_outside(const std::vector<bool>& keep);
  // Appends the other store's samples (the same rows read from the same records: a sample shard of the same
  // input) after this one's. Throws std::logic_error when the rows' records differ.
  void append_samples(SiteStore&& o);
  // Adds `d` to every key (a region shard placed after the shards before it).
  void shift_keys(uint64_t d);
  std::vector<SiteResult>& mutable_results() { return results_; }
  void set_n_samples(size_t n) { n_samples_ = n; }

  const std::vector<SiteResult>& results() const { return results_; }
  size_t n_samples() const { return n_samples_; }
  size_t n_found() const;

 private:
  static int rank(const SiteMatch& m, bool site_filtered);
  // Does (m, site_filtered, key) beat the row's current record?
  static bool beats(const SiteResult& cur, const SiteMatch& m, bool site_filtered, uint64_t key);
  static void set_used_match(SiteResult& r);
  std::vector<SiteResult> results_;
  size_t n_samples_;
  uint64_t next_key_ = 0;  // for offers made without a key
};

}  // namespace healcap
