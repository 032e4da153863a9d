// The per-row site store: best record per row, duplicates counted and reported.
#include "site_store.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

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
    case SiteState::kOutsideRegions: return "outside_regions";
    case SiteState::kAlleleMismatch: return "allele_mismatch";
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
  if (m.outcome == MatchOutcome::kAlleleAbsent || m.outcome == MatchOutcome::kAlleleMismatch) return 2;
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

std::string duplicate_note(const SiteResult& r) {
  if (r.n_matched < 2) return "";
  return "matched by " + std::to_string(r.n_matched) + " records, counted once: matched record " +
         std::to_string(r.used_match) + " in input order is used";
}

bool SiteStore::beats(const SiteResult& cur, const SiteMatch& m, bool site_filtered, uint64_t key) {
  if (cur.n_records == 0 || cur.state == SiteState::kBuildMismatch) return true;
  const int a = rank(m, site_filtered), b = rank(cur.match, cur.site_filtered);
  return a > b || (a == b && key < cur.key);
}

namespace {
bool is_matched(const SiteMatch& m) { return m.outcome == MatchOutcome::kMatched && m.type != MatchType::kRefBlock; }

void take_record(SiteResult& r, const SiteMatch& m, SeenRecord&& record, std::vector<Call>& calls, bool site_filtered,
                 uint8_t dosage_source, uint64_t key) {
  r.match = m;
  r.site_filtered = site_filtered;
  r.record = std::move(record);
  r.key = key;
  switch (m.outcome) {
    case MatchOutcome::kMatched:
      r.state = site_filtered ? SiteState::kFiltered : m.type == MatchType::kRefBlock ? SiteState::kRefBlock : SiteState::kFound;
      r.calls = std::move(calls);
      r.dosage_source = dosage_source;
      break;
    case MatchOutcome::kRefMismatch: r.state = SiteState::kRefMismatch; break;
    case MatchOutcome::kAlleleAbsent: r.state = SiteState::kAlleleAbsent; break;
    case MatchOutcome::kAlleleMismatch: r.state = SiteState::kAlleleMismatch; break;
  }
}
}  // namespace

// used_match: the record used, counted among the matched records in key order (0 when it is not one of them).
void SiteStore::set_used_match(SiteResult& r) {
  r.n_matched = static_cast<int>(r.matched_keys.size());
  r.used_match = 0;
  if (r.n_records == 0 || !is_matched(r.match)) return;
  const auto it = std::lower_bound(r.matched_keys.begin(), r.matched_keys.end(), r.key);
  r.used_match = static_cast<int>(it - r.matched_keys.begin()) + 1;
}

void SiteStore::offer(const SiteMatch& m, SeenRecord record, std::vector<Call>& calls, bool site_filtered,
                      uint8_t dosage_source, uint64_t key) {
  if (key == UINT64_MAX) key = next_key_++;
  SiteResult& r = results_[m.row];
  const bool better = beats(r, m, site_filtered, key);
  ++r.n_records;
  if (is_matched(m)) r.matched_keys.insert(std::upper_bound(r.matched_keys.begin(), r.matched_keys.end(), key), key);
  if (better) take_record(r, m, std::move(record), calls, site_filtered, dosage_source, key);
  set_used_match(r);
}

void SiteStore::merge(SiteStore&& o) {
  if (o.results_.size() != results_.size() || o.n_samples_ != n_samples_)
    throw std::logic_error("site store merge: different panels or samples");
  for (size_t i = 0; i < results_.size(); ++i) {
    SiteResult& a = results_[i];
    SiteResult& b = o.results_[i];
    if (a.state == SiteState::kOutsideRegions && b.state != SiteState::kOutsideRegions && b.n_records == 0) a.state = b.state;
    if (b.n_records == 0) continue;
    const int n = a.n_records + b.n_records;
    std::vector<uint64_t> keys;
    keys.reserve(a.matched_keys.size() + b.matched_keys.size());
    std::merge(a.matched_keys.begin(), a.matched_keys.end(), b.matched_keys.begin(), b.matched_keys.end(),
               std::back_inserter(keys));
    if (beats(a, b.match, b.site_filtered, b.key)) {
      const SiteState state = b.state;
      take_record(a, b.match, std::move(b.record), b.calls, b.site_filtered, b.dosage_source, b.key);
      a.state = state;
    }
    a.n_records = n;
    a.matched_keys = std::move(keys);
    set_used_match(a);
  }
}

void SiteStore::note_build_mismatch(size_t row, SeenRecord record) {
  SiteResult& r = results_[row];
  if (r.state != SiteState::kNotInInput) return;
  r.state = SiteState::kBuildMismatch;
  r.record = std::move(record);
}

void SiteStore::mark_outside(const std::vector<bool>& keep) {
  for (size_t i = 0; i < results_.size() && i < keep.size(); ++i)
    if (!keep[i] && results_[i].state != SiteState::kNoCoordinates) results_[i].state = SiteState::kOutsideRegions;
}

void SiteStore::append_samples(SiteStore&& o) {
  if (o.results_.size() != results_.size()) throw std::logic_error("site store append: different panels");
  for (size_t i = 0; i < results_.size(); ++i) {
    SiteResult& a = results_[i];
    SiteResult& b = o.results_[i];
    if (a.state != b.state || a.n_records != b.n_records || a.key != b.key || a.record.pos != b.record.pos ||
        a.record.contig != b.record.contig)
      throw std::logic_error("row " + std::to_string(i) + " was read from different records");
    a.calls.insert(a.calls.end(), std::make_move_iterator(b.calls.begin()), std::make_move_iterator(b.calls.end()));
  }
  n_samples_ += o.n_samples_;
}

void SiteStore::shift_keys(uint64_t d) {
  for (SiteResult& r : results_) {
    if (r.n_records > 0) r.key += d;
    for (uint64_t& k : r.matched_keys) k += d;
  }
}

size_t SiteStore::n_found() const {
  size_t n = 0;
  for (const auto& r : results_) n += r.state == SiteState::kFound;
  return n;
}

}  // namespace healcap
