// The one order and contig tracker: which contigs the input has, in what order, how many records on each,
// and the first record out of order. Every read path reports runs of records to it through the driver.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "record_source.h"

namespace healcap {

struct ContigSeen {
  std::string name;  // as written in the input
  uint64_t n_records = 0;
  int64_t first_pos = 0, last_pos = 0;  // 1-based: the lowest and highest POS seen on it
};

// Holds a summary of each stretch of consecutive records it was given (its first and last record, the
// contigs in it with their first record, the first record out of order inside it). Stretches join when
// their keys meet; the first record out of order is decided when they join. So merge() is exact and
// associative: any grouping and order of the same runs gives the same tracker.
class OrderTracker {
 public:
  // With require_sorted, add() throws DataError (naming `path`) at the first record out of order, as an
  // index being written needs sorted input.
  explicit OrderTracker(bool require_sorted = false, std::string path = "");

  // Adds a run (its first_key set): the records first_key .. first_key + n - 1.
  void add(const Run& r);
  // With require_sorted: adds the runs of a batch whose read failed (first_key set; a run may hold records
  // from the failure on) and throws the DataError of add() when a record before key `limit` is out of order.
  void add_before_failure(const std::vector<Run>& runs, uint64_t limit);
  void merge(const OrderTracker& o);

  uint64_t n_records() const;
  // In order of first appearance.
  std::vector<ContigSeen> contigs() const;
  // CHROM:POS of the first record out of order; empty when sorted (or not yet known: stretches that do not
  // meet are not compared).
  std::string first_unsorted() const;
  // The stretches held (1 once everything from key 0 on has been added).
  size_t n_stretches() const { return stretches_.size(); }
  // One past the last key held (0 when empty).
  uint64_t end_key() const { return stretches_.empty() ? 0 : stretches_.back().end_key; }
  void shift_keys(uint64_t d);
  // The tracker as bytes (partials) and back; decode throws std::runtime_error on bad bytes.
  void encode(std::string& out) const;
  void decode(const std::string& in, size_t& at);

 private:
  struct ContigEntry {
    uint64_t first_key = 0, n = 0;
    int64_t first_pos = 0, min_pos = 0, max_pos = 0;
  };
  struct Stretch {
    uint64_t first_key = 0, end_key = 0;  // [first_key, end_key)
    std::string first_contig, last_contig;
    int64_t first_pos = 0, last_pos = 0;
    std::map<std::string, ContigEntry> contigs;
    uint64_t unsorted_key = UINT64_MAX;  // the first record out of order inside the stretch
    std::string unsorted_where, unsorted_after;
  };
  static Stretch of_run(const Run& r);
  // Adds one contig's records to a table: counts summed, the first appearance and the extremes kept.
  static void add_contig(std::map<std::string, ContigEntry>& to, const std::string& name, const ContigEntry& c);
  // Joins b (which starts where a ends) onto a.
  void join(Stretch& a, Stretch&& b) const;
  void insert(Stretch&& s);
  // Throws add()'s DataError when the first record out of order has a key below `limit`.
  void raise_unsorted_before(uint64_t limit) const;

  bool require_sorted_;
  std::string path_;
  std::vector<Stretch> stretches_;  // by first_key, not overlapping
};

}  // namespace healcap
