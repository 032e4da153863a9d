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

void SiteStore::offer(const SiteMatch& m, SeenRecord record, std::vector<Call>& calls, std::vector<std::string>& gts) {
  SiteResult& r = results_[m.row];
  const bool first = r.n_records == 0;
  ++r.n_records;
  const bool better = first || rank(m) > rank(r.match);
  const bool counts = m.outcome == MatchOutcome::kMatched;
  if (!first && counts && r.match.outcome == MatchOutcome::kMatched) {
    r.duplicate_note = "matched by " + std::to_string(r.n_records) + " records; the " +
                       (better ? "latest, which carries the effect allele," : "first") + " is used";
  }
  if (!better) return;
  r.match = m;
  r.record = std::move(record);
  switch (m.outcome) {
    case MatchOutcome::kMatched:
      r.state = SiteState::kFound;
      r.calls = std::move(calls);
      r.gts = std::move(gts);
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
