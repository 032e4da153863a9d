// The healing-capacity score: per-sample weighted sums over observed scored sites, by pathway and trait,
// with call-state counts and, where the panel has effect-allele frequencies, an expectation-based z-score.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "panel.h"
#include "site_store.h"

namespace healcap {

// Which panel rows are scored, and how rows without a record are treated.
// Per grade (EvidenceGrade order), whether it is scored when the user does not choose (scored_by_default).
std::array<bool, 5> default_scored_grades();

// The fewest observed scored rows with an effect-allele frequency a z-score is reported over (README "z-score").
constexpr int kMinZSites = 5;

struct ScoreOptions {
  std::array<bool, 5> grade_scored = default_scored_grades();
  // The population whose effect-allele frequencies the Hardy-Weinberg expectation uses (--eaf-population): a
  // row without a frequency for it is left out of expected_unobserved and of the z-score.
  Population eaf_population = Population::kEUR;
  std::optional<double> eaf(const PanelSite& s) const {
    const PopulationEaf* e = s.eaf_in(eaf_population);
    return e ? std::optional<double>(e->eaf) : std::nullopt;
  }
  bool absent_as_ref = false;  // an all-sites VCF: a panel site without a record is homozygous reference
  // Optional: per row, whether its position lies in a --callable BED (absent there = homozygous reference).
  std::vector<bool> callable;
  // A PGS Catalog row (not curated) is always scored: grades do not apply to it.
  bool scores(const PanelSite& s) const {
    return !s.curated || (s.weight != 0 && grade_scored[static_cast<size_t>(s.grade)]);
  }
};

// Sufficient statistics of one sample over a set of scored rows. Sums run in panel order, so they are the
// same whatever the thread count. See README "Score model" for the formula.
struct GroupScore {
  double weighted_sum = 0;    // S: sum of w * g(d)
  double max_observed = 0;    // M: sum of max(0, w) * g_max over observed rows
  double min_observed = 0;    // m: sum of min(0, w) * g_max over observed rows
  double observed_weight = 0; // sum of |w| over observed rows
  double total_weight = 0;    // sum of |w| over every scored row of the set
  double risk_alleles = 0;    // effect-allele dosage over observed rows
  // Under Hardy-Weinberg with the panel's effect-allele frequencies (rows with an eaf only):
  double expected_unobserved = 0;  // expected w * g over unobserved rows
  double expected_observed = 0;    // expected S over observed rows
  double variance_observed = 0;    // its variance
  double weighted_sum_eaf = 0;     // S over the observed rows that have an eaf
  double eaf_weight = 0;           // sum of |w| over the observed rows that have an eaf
  int n_eaf_observed = 0;          // observed rows with an eaf: n_z_sites
  Population eaf_population = Population::kEUR;  // whose frequencies (ScoreOptions::eaf_population)
  int n_rows = 0;
  std::array<int, kNumCallStates> n_state{};  // rows per call state
  int n_observed = 0;

  int n(CallState s) const { return n_state[static_cast<size_t>(s)]; }
  // Weighted share of the scored rows observed: observed_weight / total_weight (nullopt with no rows).
  std::optional<double> completeness() const;
  // 1 - (S - m) / (M - m), in [0, 1], higher = better capacity; nullopt when nothing was observed.
  std::optional<double> index() const;
  // (S - E[S]) / sd(S) over observed rows with an eaf, over at least kMinZSites of them; nullopt with fewer
  // or when their variance is 0 (every such eaf 0 or 1). z_note() says which.
  std::optional<double> z_score() const;
  // The same without the minimum of rows (nullopt only without rows or variance).
  std::optional<double> z_score_any() const;
  // Why z_score() is NA: "" when it is not, else a short key (the JSON's z_note: "few_rows", "zero_variance").
  const char* z_note_key() const;
  // The same as a sentence naming the rows and the population (samples.tsv's z_note, the report's card).
  std::string z_note() const;
  // The share of the observed |weight| the z-score's rows carry: eaf_weight / observed_weight.
  std::optional<double> z_weight_share() const;
};

// The sentence for a z_note key ("few_rows", "zero_variance"; "" for none), over n rows with a frequency in
// population `pop`: what samples.tsv writes and the report shows for a JSON group's z_note.
std::string z_note_sentence(std::string_view key, int64_t n, std::string_view pop);

// One panel file's scores for a sample (in SampleScore::panels). A PGS Catalog panel has no pathways or traits:
// its by_pathway and by_trait there are empty.
struct PanelScore {
  GroupScore all;
  std::vector<GroupScore> by_pathway;  // indexed by Pathway
  std::vector<GroupScore> by_trait;    // indexed by Trait
};

// A sample's scores. `all`, `by_pathway` and `by_trait` are the first panel's (the whole panel when the run has
// one); by_pathway and by_trait always have one group per vocabulary entry (no rows in them when the first
// panel is a PGS Catalog score). With several panels (Panel::components()), `panels` holds each one's, in
// component order (panels[0] repeats the first); with one it is empty.
struct SampleScore {
  GroupScore all;
  std::vector<GroupScore> by_pathway;  // indexed by Pathway
  std::vector<GroupScore> by_trait;    // indexed by Trait
  std::vector<PanelScore> panels;
};

// g(d) for a dosage under a model, as plink2 --score does: d (additive), min(d, 1) (dominant),
// max(d - (ploidy - 1), 0) (recessive: 1 only when every allele is the effect allele).
double model_dosage(Model m, double dosage, int ploidy);
// The largest g for a ploidy: ploidy (additive), else 1.
double model_max(Model m, int ploidy);
// Mean and variance of g under Hardy-Weinberg for effect-allele frequency p and a ploidy.
std::pair<double, double> model_moments(Model m, double p, int ploidy);

// The call a sample has at a row the input did not cover with a usable record.
Call absent_call(const PanelSite& site, Build build, const SiteResult& r, bool covered);

std::vector<SampleScore> score_samples(const Panel& panel, Build build, const SiteStore& store, const ScoreOptions& opt);
// The same for samples [k0, k1) of `out` (sized to the store's samples): each sample's sums are made in
// panel order, so ranges scored on different threads give the bytes of one pass.
void score_sample_range(const Panel& panel, Build build, const SiteStore& store, const ScoreOptions& opt,
                        std::vector<SampleScore>& out, size_t k0, size_t k1);

// Cohort statistics of one row that has calls.
struct SiteStats {
  std::array<int, kNumCallStates> n_state{};
  int n_called = 0;                    // observed calls (called or ref_block)
  double call_rate = 0;
  std::optional<double> counted_freq;  // counted-allele dosage / alleles over observed calls
  int n_hom_counted = 0, n_het = 0, n_hom_other = 0;  // diploid calls with whole dosages
  std::optional<double> hwe_p;                         // exact test over those, when every dosage is whole
};
SiteStats site_stats(const SiteResult& r, size_t n_samples);

}  // namespace healcap
