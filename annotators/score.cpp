// Score sums per sample, pathway and trait; call-state counts; HWE expectations; per-site cohort statistics.
#include "score.h"

#include <cmath>

#include "hwe.h"

namespace healcap {

std::array<bool, 5> default_scored_grades() {
  std::array<bool, 5> g{};
  for (size_t i = 0; i < g.size(); ++i) g[i] = scored_by_default(static_cast<EvidenceGrade>(i));
  return g;
}

std::optional<double> GroupScore::completeness() const {
  if (total_weight <= 0) return std::nullopt;
  return observed_weight / total_weight;
}

std::optional<double> GroupScore::index() const {
  const double range = max_observed - min_observed;
  if (range <= 0) return std::nullopt;
  return 1.0 - (weighted_sum - min_observed) / range;
}

std::optional<double> GroupScore::z_score_any() const {
  if (n_eaf_observed == 0 || variance_observed <= 0) return std::nullopt;
  return (weighted_sum_eaf - expected_observed) / std::sqrt(variance_observed);
}

std::optional<double> GroupScore::z_score() const {
  if (n_eaf_observed < kMinZSites) return std::nullopt;
  return z_score_any();
}

const char* GroupScore::z_note_key() const {
  if (n_eaf_observed < kMinZSites) return "few_rows";
  if (variance_observed <= 0) return "zero_variance";
  return "";
}

std::string GroupScore::z_note() const {
  return z_note_sentence(z_note_key(), n_eaf_observed, to_string(eaf_population));
}

std::string z_note_sentence(std::string_view key, int64_t n, std::string_view pop) {
  const std::string p(pop);
  if (key == "few_rows")
    return "NA: " + std::to_string(n) + " observed scored rows with a " + p + " effect-allele frequency, fewer than " +
           std::to_string(kMinZSites);
  if (key == "zero_variance") return "NA: every " + p + " effect-allele frequency of the observed rows is 0 or 1";
  return std::string(key);  // a key this healcap does not know: shown as it is
}

std::optional<double> GroupScore::z_weight_share() const {
  if (observed_weight <= 0) return std::nullopt;
  return eaf_weight / observed_weight;
}

double model_dosage(Model m, double d, int ploidy) {
  switch (m) {
    case Model::kAdditive: return d;
    case Model::kDominant: return d < 1 ? d : 1;
    case Model::kRecessive: {
      const double g = d - (ploidy - 1);
      return g > 0 ? g : 0;
    }
  }
  return d;
}

double model_max(Model m, int ploidy) { return m == Model::kAdditive ? ploidy : 1; }

std::pair<double, double> model_moments(Model m, double p, int ploidy) {
  switch (m) {
    case Model::kAdditive: return {ploidy * p, ploidy * p * (1 - p)};
    case Model::kDominant: {
      const double q = 1 - std::pow(1 - p, ploidy);
      return {q, q * (1 - q)};
    }
    case Model::kRecessive: {
      const double r = std::pow(p, ploidy);
      return {r, r * (1 - r)};
    }
  }
  return {0, 0};
}

Call absent_call(const PanelSite& site, Build build, const SiteResult& r, bool covered) {
  Call c;
  c.state = CallState::kAbsentUnknown;
  // A record at the site that did not match (REF mismatch, effect allele absent) is no evidence of reference.
  const bool no_record = r.state == SiteState::kNotInInput || r.state == SiteState::kBuildMismatch;
  if (!covered || !no_record) return c;
  c.state = CallState::kAbsentCovered;
  c.ploidy = 2;
  const BuildLocus& l = site.in(build);
  if (site.effect_allele.empty()) c.dosage = 0;
  else if (!l.ref.empty()) c.dosage = site.effect_allele == l.ref ? 2.0f : 0.0f;
  return c;  // REF unknown: the reference call's dosage is unknown (not observed)
}

std::vector<SampleScore> score_samples(const Panel& panel, Build build, const SiteStore& store, const ScoreOptions& opt) {
  std::vector<SampleScore> out(store.n_samples());
  score_sample_range(panel, build, store, opt, out, 0, out.size());
  return out;
}

void score_sample_range(const Panel& panel, Build build, const SiteStore& store, const ScoreOptions& opt,
                        std::vector<SampleScore>& out, size_t k0, size_t k1) {
  const auto& comps = panel.components();
  const bool several = comps.size() > 1;
  GroupScore empty;
  empty.eaf_population = opt.eaf_population;
  PanelScore empty_panel;
  empty_panel.all = empty;
  for (size_t k = k0; k < k1; ++k) {
    // Sized to the vocabularies whatever the first panel (a PGS Catalog score's stay empty of rows).
    out[k].all = empty;
    out[k].by_pathway.assign(pathway_vocabulary().size(), empty);
    out[k].by_trait.assign(trait_vocabulary().size(), empty);
    out[k].panels.assign(several ? comps.size() : 0, empty_panel);
    for (size_t c = 1; c < out[k].panels.size(); ++c)
      if (comps[c].kind == PanelKind::kTsv) {
        out[k].panels[c].by_pathway.assign(pathway_vocabulary().size(), empty);
        out[k].panels[c].by_trait.assign(trait_vocabulary().size(), empty);
      }
  }
  const auto& sites = panel.sites();
  // Samples in blocks, every row for a block before the next: a block's groups stay in cache (a wide cohort's do not).
  // Each group still adds its rows in panel order, so the sums are the same bits.
  constexpr size_t kBlock = 64;
  for (size_t b0 = k0; b0 < k1; b0 += kBlock) {
  const size_t b1 = std::min(k1, b0 + kBlock);
  for (size_t i = 0; i < sites.size(); ++i) {
    const PanelSite& site = sites[i];
    if (!opt.scores(site)) continue;
    const std::optional<double> eaf = opt.eaf(site);
    const SiteResult& r = store.results()[i];
    if (r.state == SiteState::kOutsideRegions) continue;  // not asked for: neither observed nor absent
    const bool has_calls = uses_calls(r);
    const bool covered = site.in(build).placed() && (opt.absent_as_ref || (i < opt.callable.size() && opt.callable[i]));
    const Call absent = has_calls ? Call{} : absent_call(site, build, r, covered);
    const double w = site.weight;
    for (size_t k = b0; k < b1; ++k) {
      SampleScore& ss = out[k];
      // The first panel's rows go to the sample's own groups, another panel's to its entry in `panels`; a PGS
      // Catalog row has no pathway or trait group.
      GroupScore& all = site.component == 0 ? ss.all : ss.panels[site.component].all;
      std::vector<GroupScore>& by_pathway = site.component == 0 ? ss.by_pathway : ss.panels[site.component].by_pathway;
      std::vector<GroupScore>& by_trait = site.component == 0 ? ss.by_trait : ss.panels[site.component].by_trait;
      GroupScore* groups[3] = {&all, site.curated ? &by_pathway[static_cast<size_t>(site.pathway)] : nullptr,
                               site.curated ? &by_trait[static_cast<size_t>(site.trait)] : nullptr};
      const Call& c = has_calls ? r.calls[k] : absent;
      for (GroupScore* g : groups) {
        if (!g) continue;
        g->n_rows++;
        g->n_state[static_cast<size_t>(c.state)]++;
        g->total_weight += std::fabs(w);
        if (c.observed()) {
          const double gmax = model_max(site.model, c.ploidy);
          const double gd = model_dosage(site.model, c.dosage, c.ploidy);
          g->n_observed++;
          g->weighted_sum += w * gd;
          g->max_observed += (w > 0 ? w : 0) * gmax;
          g->min_observed += (w < 0 ? w : 0) * gmax;
          g->observed_weight += std::fabs(w);
          g->risk_alleles += c.dosage;
          if (eaf) {
            const auto [mean, var] = model_moments(site.model, *eaf, c.ploidy);
            g->expected_observed += w * mean;
            g->variance_observed += w * w * var;
            g->weighted_sum_eaf += w * gd;
            g->eaf_weight += std::fabs(w);
            g->n_eaf_observed++;
          }
        } else if (eaf) {
          g->expected_unobserved += w * model_moments(site.model, *eaf, 2).first;
        }
      }
    }
  }
  }
  if (several)
    for (size_t k = k0; k < k1; ++k) out[k].panels[0] = PanelScore{out[k].all, out[k].by_pathway, out[k].by_trait};
}

SiteStats site_stats(const SiteResult& r, size_t n_samples) {
  SiteStats s;
  if (r.calls.empty()) return s;
  double dosage = 0;
  int64_t alleles = 0;
  bool whole = true;
  for (const Call& c : r.calls) {
    s.n_state[static_cast<size_t>(c.state)]++;
    if (!c.observed()) continue;
    s.n_called++;
    dosage += c.dosage;
    alleles += c.ploidy;
    if (c.dosage != std::floor(c.dosage)) whole = false;
    if (c.ploidy == 2) {
      if (c.dosage == 2) s.n_hom_counted++;
      else if (c.dosage == 1) s.n_het++;
      else if (c.dosage == 0) s.n_hom_other++;
    }
  }
  s.call_rate = n_samples ? static_cast<double>(s.n_called) / static_cast<double>(n_samples) : 0;
  if (alleles > 0) s.counted_freq = dosage / static_cast<double>(alleles);
  if (whole && s.n_hom_counted + s.n_het + s.n_hom_other > 0)
    s.hwe_p = hwe_exact_p(s.n_het, s.n_hom_counted, s.n_hom_other);
  return s;
}

}  // namespace healcap
