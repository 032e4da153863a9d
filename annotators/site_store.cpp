// The per-row site store: best record per row, duplicates counted and reported.
#include "site_store.h"

namespace healcap {

std::string_view to_string(SiteState s) {
  switch (s) {
    case SiteState::kFound: return "found";
    case SiteState::kNotInInput: return "not_in_input";
    case SiteState::kRefMismatch: return "ref_mismatch";
    case SiteState::kAlleleAbsent: return "allele_absent";
    case SiteState::kNoCoordinates: return "no_coordinates";
  }
  return "not_in_input";
}

SiteStore::SiteStore(const Panel& panel, Build build, size_t n_samples) : n_samples_(n_samples) {
  results_.resize(panel.sites().size());
  for (size_t i = 0; i < results_.size(); ++i)
    if (!panel.sites()[i].in(build).placed()) results_[i].state = SiteState::kNoCoordinates;
}

int SiteStore::rank(const SiteMatch& m) {
  if (m.outcome == MatchOutcome::kRefMismatch) return 1;
  if (m.outcome == MatchOutcome::kAlleleAbsent) return 2;
  return m.counted_allele == -1 ? 3 : 4;
}

std::string gt_text(const Call& c) {
  if (c.ploidy == 0) return ".";
  std::string t = c.allele[0] < 0 ? "." : std::to_string(c.allele[0]);
  if (c.ploidy >= 2) {
    t += c.phased ? '|' : '/';
    t += c.allele[1] < 0 ? "." : std::to_string(c.allele[1]);
  }
  if (c.ploidy > 2) t += "/...";
  return t;
}

void SiteStore::offer(const SiteMatch& m, SeenRecord record, std::vector<Call>& calls) {
  SiteResult& r = results_[m.row];
  const bool first = r.n_records == 0;
  ++r.n_records;
  const bool matched = m.outcome == MatchOutcome::kMatched;
  if (matched) ++r.n_matched;
  const bool better = first || rank(m) > rank(r.match);
  if (better && matched) r.used_match = r.n_matched;
  if (r.n_matched > 1)
    r.duplicate_note = "matched by " + std::to_string(r.n_matched) + " records, counted once: matched record " +
                       std::to_string(r.used_match) + " in input order is used";
  if (!better) return;
  r.match = m;
  r.record = std::move(record);
  switch (m.outcome) {
    case MatchOutcome::kMatched:
      r.state = SiteState::kFound;
      r.calls = std::move(calls);
      break;
    case MatchOutcome::kRefMismatch: r.state = SiteState::kRefMismatch; break;
    case MatchOutcome::kAlleleAbsent: r.state = SiteState::kAlleleAbsent; break;
  }
}

size_t SiteStore::n_found() const {
  size_t n = 0;
  for (const auto& r : results_) n += r.state == SiteState::kFound;
  return n;
}

}  // namespace healcap
