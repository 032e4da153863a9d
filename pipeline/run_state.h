// The run state: everything a scan learned, as one object that the driver folds into and that merges exactly.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <htslib/vcf.h>

#include "driver.h"
#include "order_tracker.h"
#include "panel.h"
#include "site_store.h"
#include "vcf_input.h"

namespace healcap {

// What the outputs say about the records read: a view made from a finished ScanState.
struct ScanStats {
  uint64_t n_records = 0;
  // Per pass (0: the reported build, 1: the other): records at a panel position of that build (or, for gVCF
  // reference blocks, covering one), and among records at positions whose panel REF is known, how many
  // carry that REF (REF concordance).
  std::array<uint64_t, 2> n_panel_position_records{};
  std::array<uint64_t, 2> n_ref_checked{}, n_ref_concordant{};
  uint64_t n_ref_blocks = 0;        // gVCF reference blocks covering a panel position (first pass)
  uint64_t n_pos0 = 0;              // records at POS=0 (telomeric, as the VCF spec allows): never matched
  std::vector<ContigSeen> contigs;  // in order of first appearance
  std::string first_unsorted;       // CHROM:POS of the first record out of order; empty when sorted
  uint64_t n_undefined = 0;         // records using a contig or tag the header does not define
  std::string first_undefined;      // CHROM:POS of the first such record
};

// Receives parsed records in input order from the fold (scan -o keeps hits; annotate writes every record).
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  // `hdr` is the frozen output header; `matched` is true when a panel row matched the record.
  virtual void consume(bcf_hdr_t* hdr, bcf1_t* rec, bool matched) = 0;
};

// Everything a scan learned. Stores [0] and [1] are the two passes' builds (stores[0] for builds[0]).
// Records are identified by key (their place in the input, from the driver); ties between records of equal
// rank are broken by key, so merge() of states cut from one input, in any order and grouping, equals the
// state of the uncut input. States to merge share the panel, the builds and the samples.
class ScanState {
 public:
  ScanState(const Panel& panel, std::array<Build, 2> builds, std::vector<std::string> samples,
            bool require_sorted = false, std::string path = "");

  // Folds one record: offers its matches to the stores (which may take its calls), counts REF concordance and
  // undefined contigs/tags.
  void fold(Slot& s, uint64_t key);
  // Folds a batch's runs and counts; its slots are folded one by one with fold().
  void fold_counts(const Batch& b, uint64_t first_key);
  void merge(ScanState&& o);
  // Appends a sample shard of the same input (same records, other samples) after this state's samples.
  void append_samples(ScanState&& o);
  // Adds `d` to every record key (a region shard placed after the shards before it).
  void shift_keys(uint64_t d);
  // Restricts the scan to the rows kept by regions/targets (per pass): the others are outside_regions and
  // take no offers.
  void restrict_rows(std::array<std::vector<bool>, 2> keep);
  // The rows restrict_rows() kept, per pass (empty: every row).
  const std::array<std::vector<bool>, 2>& kept_rows() const { return keep_; }
  // The highest key used + 1 (0 when no record was read).
  uint64_t end_key() const { return order.end_key(); }

  // The statistics in the outputs' terms.
  ScanStats stats() const;

  const Panel& panel() const { return *panel_; }
  std::array<Build, 2> builds() const { return builds_; }
  const std::vector<std::string>& samples() const { return samples_; }
  std::array<SiteStore, 2> stores;
  OrderTracker order;
  std::array<uint64_t, 2> n_panel_position_records{}, n_ref_checked{}, n_ref_concordant{};
  uint64_t n_ref_blocks = 0, n_undefined = 0, n_pos0 = 0;
  uint64_t first_undefined_key = UINT64_MAX;
  std::string first_undefined;
  // A record that the outputs need read in full used a contig or tag the header lacks (htslib added a
  // placeholder line to the input's header as it read it): the run must read the input again, with those
  // lines added to the header first (see ScanConfig::added_header_lines). Not kept in partials.
  bool header_incomplete = false;
  // Counted warnings met before the scan (build choice, sample selection), once each, in order.
  std::vector<std::string> warnings;
  void add_warning(const std::string& w);

 private:
  const Panel* panel_;
  std::array<Build, 2> builds_;
  std::vector<std::string> samples_;
  std::array<std::vector<bool>, 2> keep_;  // empty: every row
};

// The driver's fold stage for a scan: folds every batch into the state in input order and hands the parsed
// records to `sink` (all of them when parse_all, else the matched ones).
class ScanFold : public BatchFold {
 public:
  ScanFold(ScanState& state, bcf_hdr_t* work_hdr, bool parse_all, RecordSink* sink, std::string path)
      : state_(state), work_hdr_(work_hdr), parse_all_(parse_all), sink_(sink), path_(std::move(path)) {}
  void fold(Batch& b, uint64_t first_key) override;
  void fold_failed(Batch& b, uint64_t first_key) override;

 private:
  ScanState& state_;
  bcf_hdr_t* work_hdr_;
  bool parse_all_;
  RecordSink* sink_;
  std::string path_;
};

}  // namespace healcap
