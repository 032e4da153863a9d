// The per-row site store: best record per row, duplicates counted and reported.
#include "site_store.h"

namespace healcap {

std::string_view to_string(CallState s) {
  switch (s) {
    case CallState::kCalled: return "called";
    case CallState::kRefBlock: return "ref_block";
    case CallState::kAbsentCovered: return "absent_covered";
    case CallState::kAbsentUnknown: return "absent_unknown";
    case CallState::kFiltered: return "filtered";
    case CallState::kMissing: return "missing";
  }
  return "missing";
}

std::string_view to_string(SiteState s) {
  switch (s) {
    case SiteState::kFound: return "found";
    case SiteState::kRefBlock: return "ref_block";
    case SiteState::kFiltered: return "filtered";
    case SiteState::kBuildMismatch: return "build_mismatch";
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

int SiteStore::rank(const SiteMatch& m, bool site_filtered) {
  if (m.outcome == MatchOutcome::kRefMismatch) return 1;
  if (m.outcome == MatchOutcome::kAlleleAbsent) return 2;
  if (m.type == MatchType::kRefBlock) return site_filtered ? 3 : 4;
  if (site_filtered) return 5;
  if (m.counted_allele == -1) return 6;
  return m.panel_alt_present ? 8 : 7;  // at a split multiallelic site, the record with the panel's ALT wins
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

void SiteStore::offer(const SiteMatch& m, SeenRecord record, std::vector<Call>& calls, bool site_filtered,
                      uint8_t dosage_source) {
  SiteResult& r = results_[m.row];
  const bool first = r.n_records == 0 || r.state == SiteState::kBuildMismatch;
  ++r.n_records;
  const bool matched = m.outcome == MatchOutcome::kMatched && m.type != MatchType::kRefBlock;
  if (matched) ++r.n_matched;
  const bool better = first || rank(m, site_filtered) > rank(r.match, r.site_filtered);
  if (better && matched) r.used_match = r.n_matched;
  if (r.n_matched > 1)
    r.duplicate_note = "matched by " + std::to_string(r.n_matched) + " records, counted once: matched record " +
                       std::to_string(r.used_match) + " in input order is used";
  if (!better) return;
  r.match = m;
  r.site_filtered = site_filtered;
  r.record = std::move(record);
  switch (m.outcome) {
    case MatchOutcome::kMatched:
      r.state = site_filtered ? SiteState::kFiltered : m.type == MatchType::kRefBlock ? SiteState::kRefBlock : SiteState::kFound;
      r.calls = std::move(calls);
      r.dosage_source = dosage_source;
      break;
    case MatchOutcome::kRefMismatch: r.state = SiteState::kRefMismatch; break;
    case MatchOutcome::kAlleleAbsent: r.state = SiteState::kAlleleAbsent; break;
  }
}

void SiteStore::note_build_mismatch(size_t row, SeenRecord record) {
  SiteResult& r = results_[row];
  if (r.state != SiteState::kNotInInput) return;
  r.state = SiteState::kBuildMismatch;
  r.record = std::move(record);
}

size_t SiteStore::n_found() const {
  size_t n = 0;
  for (const auto& r : results_) n += r.state == SiteState::kFound;
  return n;
}

}  // namespace healcap
