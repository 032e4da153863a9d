// The run state: folding records in, merging states, and the statistics view.
#include "run_state.h"

#include <algorithm>
#include <stdexcept>

#include "errors.h"

namespace healcap {

ScanState::ScanState(const Panel& panel, std::array<Build, 2> builds, std::vector<std::string> samples,
                     bool require_sorted, std::string path)
    : stores{SiteStore(panel, builds[0], samples.size()), SiteStore(panel, builds[1], samples.size())},
      order(require_sorted, std::move(path)),
      panel_(&panel),
      builds_(builds),
      samples_(std::move(samples)) {}

namespace {
SeenRecord seen_record(const Slot& s) {
  SeenRecord r;
  r.contig = s.contig;
  r.pos = s.pos;
  r.id = s.rec->d.id ? s.rec->d.id : ".";
  r.ref = s.rec->n_allele > 0 ? s.rec->d.allele[0] : ".";
  for (int i = 1; i < s.rec->n_allele; ++i) r.alts += (i > 1 ? "," : "") + std::string(s.rec->d.allele[i]);
  if (r.alts.empty()) r.alts = ".";
  return r;
}

// Counts whether a record's first REF base (the reference base at POS, for SNVs and indels alike) is the
// first base of the panel REF of any row at that position in the build: a test of the reference genome.
void count_concordance(const Panel& panel, Build b, const Slot& s, const std::vector<RecordHit>& hits,
                       uint64_t& checked, uint64_t& concordant) {
  if (s.rec->n_allele == 0) return;
  const char base = s.rec->d.allele[0][0];
  bool any = false, match = false;
  for (const RecordHit& h : hits) {
    if (h.match.type == MatchType::kRefBlock) return;
    const BuildLocus& l = panel.sites()[h.match.row].in(b);
    if (l.ref.empty() || l.pos != s.pos) continue;
    any = true;
    match = match || l.ref[0] == base;
  }
  checked += any;
  concordant += match;
}
}  // namespace

void ScanState::fold(Slot& s, uint64_t key) {
  for (int p = 0; p < 2; ++p) {
    if (!keep_[p].empty())
      s.hits[p].erase(std::remove_if(s.hits[p].begin(), s.hits[p].end(),
                                     [&](const RecordHit& h) { return !keep_[p][h.match.row]; }),
                      s.hits[p].end());
    if (s.hits[p].empty()) continue;
    const SeenRecord seen = seen_record(s);
    for (RecordHit& h : s.hits[p])  // the store moves the calls away only when the record wins
      stores[p].offer(h.match, seen, h.calls, h.site_filtered, static_cast<uint8_t>(h.source), key);
    count_concordance(*panel_, builds_[p], s, s.hits[p], n_ref_checked[p], n_ref_concordant[p]);
  }
  if (s.undefined) {
    ++n_undefined;
    if (key < first_undefined_key) {
      first_undefined_key = key;
      first_undefined = where(s.contig, s.pos);
    }
  }
}

void ScanState::fold_counts(const Batch& b, uint64_t first_key) {
  uint64_t key = first_key;
  for (const Run& r : b.runs) {
    Run k = r;
    k.first_key = key;
    key += r.n;
    order.add(k);
  }
  for (int p = 0; p < 2; ++p) n_panel_position_records[p] += b.n_panel[p];
  n_ref_blocks += b.n_ref_blocks;
  n_pos0 += b.n_pos0;
}

void ScanState::add_warning(const std::string& w) {
  if (std::find(warnings.begin(), warnings.end(), w) == warnings.end()) warnings.push_back(w);
}

void ScanState::merge(ScanState&& o) {
  if (o.panel_ != panel_ || o.builds_ != builds_ || o.samples_ != samples_)
    throw std::logic_error("scan state merge: different panels, builds or samples");
  for (int p = 0; p < 2; ++p) {
    stores[p].merge(std::move(o.stores[p]));
    n_panel_position_records[p] += o.n_panel_position_records[p];
    n_ref_checked[p] += o.n_ref_checked[p];
    n_ref_concordant[p] += o.n_ref_concordant[p];
  }
  order.merge(o.order);
  n_ref_blocks += o.n_ref_blocks;
  n_undefined += o.n_undefined;
  n_pos0 += o.n_pos0;
  if (o.first_undefined_key < first_undefined_key) {
    first_undefined_key = o.first_undefined_key;
    first_undefined = std::move(o.first_undefined);
  }
  for (const auto& w : o.warnings) add_warning(w);
}

void ScanState::append_samples(ScanState&& o) {
  if (o.panel_ != panel_ || o.builds_ != builds_) throw std::logic_error("scan state append: different panels or builds");
  for (int p = 0; p < 2; ++p) stores[p].append_samples(std::move(o.stores[p]));
  samples_.insert(samples_.end(), o.samples_.begin(), o.samples_.end());
  for (const auto& w : o.warnings) add_warning(w);
}

void ScanState::shift_keys(uint64_t d) {
  for (auto& st : stores) st.shift_keys(d);
  order.shift_keys(d);
  if (first_undefined_key != UINT64_MAX) first_undefined_key += d;
}

void ScanState::restrict_rows(std::array<std::vector<bool>, 2> keep) {
  for (int p = 0; p < 2; ++p) stores[p].mark_outside(keep[p]);
  keep_ = std::move(keep);
}

ScanStats ScanState::stats() const {
  ScanStats s;
  s.n_records = order.n_records();
  s.n_panel_position_records = n_panel_position_records;
  s.n_ref_checked = n_ref_checked;
  s.n_ref_concordant = n_ref_concordant;
  s.n_ref_blocks = n_ref_blocks;
  s.contigs = order.contigs();
  s.first_unsorted = order.first_unsorted();
  s.n_undefined = n_undefined;
  s.n_pos0 = n_pos0;
  s.first_undefined = first_undefined;
  return s;
}

void ScanFold::fold_failed(Batch& b, uint64_t first_key) {
  // With -W, a record out of order before the failed one is the first problem of the input.
  std::vector<Run> keyed = b.runs;
  uint64_t key = first_key;
  for (Run& r : keyed) {
    r.first_key = key;
    key += r.n;
  }
  state_.order.add_before_failure(keyed, b.error_at == UINT64_MAX ? UINT64_MAX : first_key + b.error_at);
}

void ScanFold::fold(Batch& b, uint64_t first_key) {
  state_.fold_counts(b, first_key);
  for (size_t i = 0; i < b.n_slots; ++i) {
    Slot& s = *b.slots[i];
    state_.fold(s, first_key + s.index);
    // A panel record with a tag the reading header lacked (a FORMAT GT without its ##FORMAT line, say) may
    // have been decoded without it; a record to write must have all it uses in the output header.
    if (s.undefined && s.undefined_tag && s.any_rows()) state_.header_incomplete = true;
    if (sink_ && s.parsed && (parse_all_ || s.matched)) {
      if (s.undefined || s.rec->rid >= work_hdr_->n[BCF_DT_CTG]) state_.header_incomplete = true;
      if (!state_.header_incomplete) sink_->consume(work_hdr_, s.rec, s.matched);
    }
  }
}

}  // namespace healcap
