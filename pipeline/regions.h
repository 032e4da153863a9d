// Regions (-r/-R: jumps through the index) and targets (-t/-T: a filter while streaming), in bcftools'
// notation, as one set of intervals on canonical contig names; and the panel rows they cover.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "panel.h"

namespace healcap {

struct Interval {
  std::string contig;  // canonical (normalise_contig)
  int64_t beg = 1, end = INT64_MAX;  // 1-based, inclusive
};

class RegionSet {
 public:
  RegionSet() = default;
  // "chr1,chr17:48000000-49000000,2:100-": a comma-separated list; `opt` names the option in errors.
  static RegionSet parse_list(const std::string& text, const std::string& opt);
  // One region per line: CHROM, CHROM<TAB>POS, or CHROM<TAB>BEG<TAB>END (1-based, inclusive); a file named
  // *.bed (or *.bed.gz) is 0-based half-open BED. '#' lines and blank lines are skipped.
  static RegionSet parse_file(const std::string& path, const std::string& opt);

  bool empty() const { return !active_; }  // no restriction
  bool negated() const { return negated_; }
  void set_negated(bool n) { negated_ = n; }
  // Intervals sorted by (contig rank, beg), overlapping ones joined.
  const std::vector<Interval>& intervals() const { return iv_; }
  // Does the set (with its negation) keep a record at this canonical contig and 1-based position?
  bool keeps(const std::string& canonical, int64_t pos) const;
  // The intervals in words, as they are recorded in partials and the JSON ("1:1-248956422", "17").
  std::vector<std::string> words() const;
  // Do two sets share any position? (Both must be non-negated.)
  bool overlaps(const RegionSet& o) const;
  // Adds the other set's intervals (both non-negated).
  void unite(const RegionSet& o);
  // The set from its words() (a partial's record of it).
  static RegionSet from_words(const std::vector<std::string>& words);

 private:
  void add(Interval iv);
  void finish();
  std::vector<Interval> iv_;
  bool active_ = false, negated_ = false;
};

// Per panel row: is its position in build b kept by regions and targets? Rows without a position in b are
// kept (they are no_coordinates whatever the regions).
std::vector<bool> rows_kept(const Panel& panel, Build b, const RegionSet& regions, const RegionSet& targets);

}  // namespace healcap
