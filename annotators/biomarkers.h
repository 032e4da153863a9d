// The biomarker layer's judgement: per sample, marker and specimen, the values over time in the canonical unit,
// the flag against the lab's interval, the hs-CRP category, and each change judged against the reference
// change value (RCV) from the bundled biological variation. Pure: no I/O. Never folded into the genetic index.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "biomarker_input.h"
#include "biomarker_reference.h"

namespace healcap {

// z for p < 0.05, two-sided.
constexpr double kRcvZ = 1.96;

// The limits of a significant change, in % of the earlier value (README "The reference change value").
struct ReferenceChange {
  double symmetric = 0;  // sqrt(2) z sqrt(CVa^2 + CVi^2)
  double lower = 0;      // log-normal: exp(-sqrt(2) z sigma) - 1, sigma = sqrt(ln(1 + CVa^2) + ln(1 + CVi^2))
  double upper = 0;      // log-normal: exp(+sqrt(2) z sigma) - 1
};
// From CVa and CVi in %. Macy 1997's CRP (CVa 5.2, CVi 42.2): 117.9, -67.7, +210.0.
ReferenceChange reference_change(double cv_analytical_pct, double cv_within_pct, double z = kRcvZ);

enum class RefFlag : uint8_t { kLow, kNormal, kHigh };
std::string_view to_string(RefFlag f);

enum class Verdict : uint8_t { kDecrease, kIncrease, kWithinVariation, kNoRcv, kNotComputable };
std::string_view to_string(Verdict v);  // decrease, increase, within_variation, no_rcv, not_computable

enum class Outcome : uint8_t { kNone, kImproved, kWorsened };
std::string_view to_string(Outcome o);  // "", improved, worsened

// One timepoint of a series.
struct BmValue {
  size_t row = 0;  // index into BiomarkerInput::rows
  std::optional<RefFlag> flag;               // nullopt: no interval, or a censored value it cannot place
  const DecisionCategory* category = nullptr;  // hs-CRP in serum/plasma; nullptr when none or not placeable
};

// A change between two timepoints of a series (values[from] earlier than values[to]).
struct BmChange {
  size_t from = 0, to = 0;
  bool baseline_to_last = false;  // the series' first against its last (also when that is the one consecutive pair)
  std::optional<double> abs_change, pct_change;  // both values measured; pct needs an earlier value above 0
  // A censored value: the change is below (kBelow) or above (kAbove) pct_bound, where that follows.
  std::optional<double> pct_bound;
  Censor bound_side = Censor::kNone;
  std::optional<double> cv_within, cv_analytical;
  const char* cv_analytical_from = nullptr;  // "row" (the larger of the two rows' cv_analytical) or "bundled"
  std::optional<ReferenceChange> rcv;
  Verdict verdict = Verdict::kNoRcv;
  Outcome outcome = Outcome::kNone;
  std::string reason;  // why no_rcv or not_computable; empty for the others
  std::string text;    // one sentence
};

// One sample's values of one marker in one specimen.
struct BmSeries {
  std::optional<size_t> marker;  // nullopt: unknown marker
  size_t unknown = 0;            // index into BiomarkerInput::unknown when unknown
  std::string name;              // canonical name, or the unknown marker's name as first written
  Specimen specimen = Specimen::kSerum;
  std::string unit;              // canonical unit; an unknown marker's first row's unit
  const BiologicalVariation* variation = nullptr;  // the CVi that applies (serum/plasma only)
  std::string note;              // what the series has no reference for, or "" ("no RCV available: ...")
  std::vector<BmValue> values;   // in timepoint order
  std::vector<BmChange> changes; // consecutive pairs in order, then baseline_to_last (two or more values)
};

struct BmTimepointSummary {
  std::string timepoint;
  int n_pro_inflammatory_measured = 0;  // series of pro-inflammatory markers (decrease_means less_inflammation)
  int n_pro_inflammatory_with_range = 0;  // of them, with a flag against the lab's interval
  int n_pro_inflammatory_above_range = 0;  // of them, flagged high
};
struct BmSummary {
  std::vector<BmTimepointSummary> by_timepoint;  // the timepoints the sample has, in order
  // Baseline to last, over every series with two or more values.
  int n_improved = 0, n_worsened = 0, n_changed_no_direction = 0, n_within_variation = 0, n_no_rcv = 0,
      n_not_computable = 0;
};

struct BmSample {
  std::string name;
  std::optional<bool> genotyped;  // nullopt: the run's samples are not known (healcap biomarkers without --samples)
  size_t n_rows = 0;
  std::vector<BmSeries> series;   // known markers in the reference's order, then unknown ones; specimens in order
  BmSummary summary;
};

// The run's genetic side, as far as the layer needs it.
struct GeneticSamples {
  bool known = false;                 // false: no VCF or run JSON at hand
  std::vector<std::string> samples;   // the run's samples, in its order
  // PGS000314 (the genetic CRP score) when the run scored it: its column and each sample's weighted_sum
  // (nullopt when nothing of the score was observed for that sample).
  bool has_crp_score = false;
  std::string crp_panel, crp_column;
  std::vector<std::optional<double>> crp_scores;
};

// The PGS Catalog score whose weighted sum is shown beside measured baseline CRP.
constexpr const char* kCrpPgsId = "PGS000314";
// Correlations are given from this many samples with both a score and an uncensored baseline CRP.
constexpr size_t kCrpMinSamples = 30;

struct CrpGenetic {
  std::string panel, column;
  struct Pair {
    std::string sample;
    std::optional<double> score;
    const BmSeries* series = nullptr;  // the sample's CRP series (serum, else plasma); nullptr: none
  };
  std::vector<Pair> pairs;  // every genotyped sample, in the run's order
  size_t n = 0;             // pairs with a score and an uncensored baseline CRP
  std::optional<double> pearson_r, spearman_rho;  // n >= kCrpMinSamples and both vary
};

struct BiomarkerLayer {
  BiomarkerInput input;
  RcvLimits rcv = RcvLimits::kLognormal;
  bool genotypes_known = false;
  std::vector<BmSample> samples;  // the run's samples with rows (its order), then the others (file order)
  std::unordered_map<std::string, size_t> sample_index;
  std::vector<std::string> without_genotypes;   // samples with rows, not in the run
  std::vector<std::string> genotyped_without;   // run samples without rows
  std::optional<CrpGenetic> crp;
  BiomarkerLayer() = default;
  BiomarkerLayer(const BiomarkerLayer&) = delete;  // series and pairs point into it
  BiomarkerLayer& operator=(const BiomarkerLayer&) = delete;
  BiomarkerLayer(BiomarkerLayer&&) = delete;
};

// Judges every series of `input` (the layer owns it). `genetic` gives the run's samples and PGS000314's scores.
void judge_biomarkers(BiomarkerLayer& out, BiomarkerInput input, const BiomarkerReference& ref, RcvLimits rcv,
                      const GeneticSamples& genetic);

// Pearson's r and Spearman's rho (average ranks for ties); nullopt with fewer than 2 pairs or no variance.
std::optional<double> pearson(const std::vector<double>& x, const std::vector<double>& y);
std::optional<double> spearman(const std::vector<double>& x, const std::vector<double>& y);

// A number with up to 6 significant digits, as the layer's outputs write it ("4.1", "117.857", "-67.7463").
std::string bm_number(double x);

}  // namespace healcap
