// The healing-capacity score: per-sample weighted sums over observed scored sites, by pathway and trait.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "panel.h"
#include "site_store.h"

namespace healcap {

// Which evidence grades are scored; the default scores replicated and suggestive rows.
struct ScoreOptions {
  std::array<bool, 5> grade_scored{true, true, false, false, false};
  bool scores(const PanelSite& s) const { return s.weight != 0 && grade_scored[static_cast<size_t>(s.grade)]; }
};

// Sufficient statistics of one sample over a set of scored rows. Sums run in panel order, so they are the
// same whatever the thread count. See README "Score model" for the formula.
struct GroupScore {
  double weighted_sum = 0;    // S: sum of w * g(d)
  double max_observed = 0;    // M: sum of max(0, w) * g_max over observed rows
  double min_observed = 0;    // m: sum of min(0, w) * g_max over observed rows
  double observed_weight = 0; // sum of |w| over observed rows
  double total_weight = 0;    // sum of |w| over every scored row of the set
  int64_t risk_alleles = 0;   // effect-allele copies over observed rows
  int n_rows = 0, n_called = 0, n_missing = 0, n_absent = 0;

  // Weighted share of the scored rows observed: observed_weight / total_weight (nullopt with no rows).
  std::optional<double> completeness() const;
  // 1 - (S - m) / (M - m), in [0, 1], higher = better capacity; nullopt when nothing was observed.
  std::optional<double> index() const;
};

struct SampleScore {
  GroupScore all;
  std::vector<GroupScore> by_pathway;  // indexed by Pathway
  std::vector<GroupScore> by_trait;    // indexed by Trait
};

// g(d) for a call under a model: d (additive), d >= 1 (dominant), d == ploidy (recessive).
double model_dosage(Model m, int count, int ploidy);
// The largest g for a ploidy: ploidy (additive), else 1.
double model_max(Model m, int ploidy);

std::vector<SampleScore> score_samples(const Panel& panel, const SiteStore& store, const ScoreOptions& opt);

// Cohort statistics of one found row.
struct SiteStats {
  int n_called = 0;
  double call_rate = 0;
  std::optional<double> counted_freq;  // counted-allele copies / called alleles
  int n_hom_counted = 0, n_het = 0, n_hom_other = 0;  // diploid calls only
  std::optional<double> hwe_p;                         // exact test over diploid calls
};
SiteStats site_stats(const SiteResult& r, size_t n_samples);

}  // namespace healcap
