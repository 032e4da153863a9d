// Score sums per sample, pathway and trait, and per-site cohort statistics.
#include "score.h"

#include <cmath>

#include "hwe.h"

namespace healcap {

std::optional<double> GroupScore::completeness() const {
  if (total_weight <= 0) return std::nullopt;
  return observed_weight / total_weight;
}

std::optional<double> GroupScore::index() const {
  const double range = max_observed - min_observed;
  if (range <= 0) return std::nullopt;
  return 1.0 - (weighted_sum - min_observed) / range;
}

double model_dosage(Model m, int count, int ploidy) {
  switch (m) {
    case Model::kAdditive: return count;
    case Model::kDominant: return count >= 1 ? 1 : 0;
    case Model::kRecessive: return ploidy > 0 && count == ploidy ? 1 : 0;
  }
  return count;
}

double model_max(Model m, int ploidy) { return m == Model::kAdditive ? ploidy : 1; }

std::vector<SampleScore> score_samples(const Panel& panel, const SiteStore& store, const ScoreOptions& opt) {
  const size_t n = store.n_samples();
  std::vector<SampleScore> out(n);
  for (auto& s : out) {
    s.by_pathway.resize(pathway_vocabulary().size());
    s.by_trait.resize(trait_vocabulary().size());
  }
  const auto& sites = panel.sites();
  for (size_t i = 0; i < sites.size(); ++i) {
    const PanelSite& site = sites[i];
    if (!opt.scores(site)) continue;
    const SiteResult& r = store.results()[i];
    const bool found = r.state == SiteState::kFound;
    const double w = site.weight;
    for (size_t k = 0; k < n; ++k) {
      SampleScore& ss = out[k];
      GroupScore* groups[3] = {&ss.all, &ss.by_pathway[static_cast<size_t>(site.pathway)],
                               &ss.by_trait[static_cast<size_t>(site.trait)]};
      const Call c = found ? r.calls[k] : Call{};
      for (GroupScore* g : groups) {
        g->n_rows++;
        g->total_weight += std::fabs(w);
        if (!found) {
          g->n_absent++;
        } else if (c.count < 0) {
          g->n_missing++;
        } else {
          const double gmax = model_max(site.model, c.ploidy);
          g->n_called++;
          g->weighted_sum += w * model_dosage(site.model, c.count, c.ploidy);
          g->max_observed += (w > 0 ? w : 0) * gmax;
          g->min_observed += (w < 0 ? w : 0) * gmax;
          g->observed_weight += std::fabs(w);
          g->risk_alleles += c.count;
        }
      }
    }
  }
  return out;
}

SiteStats site_stats(const SiteResult& r, size_t n_samples) {
  SiteStats s;
  if (r.state != SiteState::kFound) return s;
  int64_t copies = 0, alleles = 0;
  for (const Call& c : r.calls) {
    if (c.count < 0) continue;
    s.n_called++;
    copies += c.count;
    alleles += c.ploidy;
    if (c.ploidy == 2) {
      if (c.count == 2) s.n_hom_counted++;
      else if (c.count == 1) s.n_het++;
      else s.n_hom_other++;
    }
  }
  s.call_rate = n_samples ? static_cast<double>(s.n_called) / static_cast<double>(n_samples) : 0;
  if (alleles > 0) s.counted_freq = static_cast<double>(copies) / static_cast<double>(alleles);
  if (s.n_hom_counted + s.n_het + s.n_hom_other > 0) s.hwe_p = hwe_exact_p(s.n_het, s.n_hom_counted, s.n_hom_other);
  return s;
}

}  // namespace healcap
