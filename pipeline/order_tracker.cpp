// Order and contig statistics, kept as joinable stretches of consecutive records.
#include "order_tracker.h"

#include <algorithm>

#include "errors.h"

namespace healcap {

OrderTracker::OrderTracker(bool require_sorted, std::string path) : require_sorted_(require_sorted), path_(std::move(path)) {}

void OrderTracker::add_contig(std::map<std::string, ContigEntry>& to, const std::string& name, const ContigEntry& c) {
  auto [it, added] = to.emplace(name, c);
  if (added) return;
  ContigEntry& e = it->second;
  if (c.first_key < e.first_key) {
    e.first_key = c.first_key;
    e.first_pos = c.first_pos;
  }
  e.n += c.n;
  e.min_pos = std::min(e.min_pos, c.min_pos);
  e.max_pos = std::max(e.max_pos, c.max_pos);
}

OrderTracker::Stretch OrderTracker::of_run(const Run& r) {
  Stretch s;
  s.first_key = r.first_key;
  s.end_key = r.first_key + r.n;
  s.first_contig = s.last_contig = r.contig;
  s.first_pos = r.first_pos;
  s.last_pos = r.last_pos;
  ContigEntry& c = s.contigs[r.contig];
  c.first_key = r.first_key;
  c.n = r.n;
  c.first_pos = r.first_pos;
  c.min_pos = r.min_pos;
  c.max_pos = r.max_pos;
  if (r.unsorted_index != 0) {
    s.unsorted_key = r.first_key + r.unsorted_index;
    s.unsorted_where = where(r.contig, r.unsorted_pos);
    s.unsorted_after = where(r.contig, r.unsorted_after);
  }
  return s;
}

void OrderTracker::join(Stretch& a, Stretch&& b) const {
  // The records where b leaves the order a set: its first record, when it goes back on a's last contig; and
  // the first record of each contig b shares with a, when it is not b's first record continuing a's contig.
  uint64_t key = UINT64_MAX;
  std::string at, after;
  const auto candidate = [&](uint64_t k, const std::string& w, const std::string& aft) {
    if (k < key) {
      key = k;
      at = w;
      after = aft;
    }
  };
  if (b.first_contig == a.last_contig && b.first_pos < a.last_pos)
    candidate(b.first_key, where(b.first_contig, b.first_pos), where(a.last_contig, a.last_pos));
  for (const auto& [name, c] : b.contigs) {
    if (!a.contigs.count(name)) continue;
    if (c.first_key == b.first_key && name == a.last_contig) continue;  // continues a's last run
    // The record before a contig's first record inside b is b's own, except at b's start.
    const std::string before = c.first_key == b.first_key ? where(a.last_contig, a.last_pos) : "a record on another contig";
    candidate(c.first_key, where(name, c.first_pos), before);
  }
  if (b.unsorted_key < key) {
    key = b.unsorted_key;
    at = b.unsorted_where;
    after = b.unsorted_after;
  }
  if (key < a.unsorted_key) {
    a.unsorted_key = key;
    a.unsorted_where = at;
    a.unsorted_after = after;
  }
  for (const auto& [name, c] : b.contigs) add_contig(a.contigs, name, c);
  a.end_key = b.end_key;
  a.last_contig = std::move(b.last_contig);
  a.last_pos = b.last_pos;
}

void OrderTracker::insert(Stretch&& s) {
  if (s.end_key == s.first_key) return;  // no records
  auto it = std::lower_bound(stretches_.begin(), stretches_.end(), s.first_key,
                             [](const Stretch& x, uint64_t k) { return x.first_key < k; });
  if ((it != stretches_.end() && it->first_key < s.end_key) || (it != stretches_.begin() && std::prev(it)->end_key > s.first_key))
    throw std::logic_error("order tracker: records added twice");
  it = stretches_.insert(it, std::move(s));
  // Join with the stretch before and after when the keys meet.
  if (it != stretches_.begin() && std::prev(it)->end_key == it->first_key) {
    auto prev = std::prev(it);
    join(*prev, std::move(*it));
    it = stretches_.erase(it);
    it = std::prev(it);
  }
  auto next = std::next(it);
  if (next != stretches_.end() && it->end_key == next->first_key) {
    join(*it, std::move(*next));
    stretches_.erase(next);
  }
}

void OrderTracker::add(const Run& r) {
  if (r.n == 0) return;
  insert(of_run(r));
  if (require_sorted_) raise_unsorted_before(UINT64_MAX);
}

void OrderTracker::add_before_failure(const std::vector<Run>& runs, uint64_t limit) {
  if (!require_sorted_) return;
  for (const Run& r : runs)
    if (r.n > 0) insert(of_run(r));
  raise_unsorted_before(limit);
}

void OrderTracker::raise_unsorted_before(uint64_t limit) const {
  const Stretch* first = nullptr;
  for (const Stretch& s : stretches_)
    if (s.unsorted_key != UINT64_MAX && (!first || s.unsorted_key < first->unsorted_key)) first = &s;
  if (first && first->unsorted_key < limit)
    throw DataError(path_ + ": " + first->unsorted_where + ": input is not sorted (this record comes after " +
                    first->unsorted_after + "); an index needs sorted input: sort it with bcftools sort");
}

void OrderTracker::merge(const OrderTracker& o) {
  for (const Stretch& s : o.stretches_) insert(Stretch(s));
}

uint64_t OrderTracker::n_records() const {
  uint64_t n = 0;
  for (const Stretch& s : stretches_) n += s.end_key - s.first_key;
  return n;
}

std::vector<ContigSeen> OrderTracker::contigs() const {
  // A contig's entries from every stretch, ordered by its first key.
  std::map<std::string, ContigEntry> all;
  for (const Stretch& s : stretches_)
    for (const auto& [name, c] : s.contigs) add_contig(all, name, c);
  std::vector<std::pair<uint64_t, ContigSeen>> v;
  for (const auto& [name, c] : all) v.push_back({c.first_key, ContigSeen{name, c.n, c.min_pos, c.max_pos}});
  std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<ContigSeen> out;
  for (auto& x : v) out.push_back(std::move(x.second));
  return out;
}

std::string OrderTracker::first_unsorted() const {
  uint64_t key = UINT64_MAX;
  std::string w;
  for (const Stretch& s : stretches_)
    if (s.unsorted_key < key) {
      key = s.unsorted_key;
      w = s.unsorted_where;
    }
  return w;
}

}  // namespace healcap

#include "byte_codec.h"

namespace healcap {

void OrderTracker::shift_keys(uint64_t d) {
  for (Stretch& s : stretches_) {
    s.first_key += d;
    s.end_key += d;
    if (s.unsorted_key != UINT64_MAX) s.unsorted_key += d;
    for (auto& [name, c] : s.contigs) c.first_key += d;
  }
}

void OrderTracker::encode(std::string& o) const {
  put_u(o, stretches_.size());
  for (const Stretch& s : stretches_) {
    put_u(o, s.first_key);
    put_u(o, s.end_key);
    put_s(o, s.first_contig);
    put_s(o, s.last_contig);
    put_i(o, s.first_pos);
    put_i(o, s.last_pos);
    put_u(o, s.unsorted_key == UINT64_MAX ? 0 : s.unsorted_key + 1);
    put_s(o, s.unsorted_where);
    put_s(o, s.unsorted_after);
    put_u(o, s.contigs.size());
    for (const auto& [name, c] : s.contigs) {
      put_s(o, name);
      put_u(o, c.first_key);
      put_u(o, c.n);
      put_i(o, c.first_pos);
      put_i(o, c.min_pos);
      put_i(o, c.max_pos);
    }
  }
}

void OrderTracker::decode(const std::string& in, size_t& at) {
  stretches_.clear();
  const uint64_t n = get_u(in, at);
  for (uint64_t i = 0; i < n; ++i) {
    Stretch s;
    s.first_key = get_u(in, at);
    s.end_key = get_u(in, at);
    s.first_contig = get_s(in, at);
    s.last_contig = get_s(in, at);
    s.first_pos = get_i(in, at);
    s.last_pos = get_i(in, at);
    const uint64_t u = get_u(in, at);
    s.unsorted_key = u == 0 ? UINT64_MAX : u - 1;
    s.unsorted_where = get_s(in, at);
    s.unsorted_after = get_s(in, at);
    const uint64_t nc = get_u(in, at);
    for (uint64_t j = 0; j < nc; ++j) {
      const std::string name = get_s(in, at);
      ContigEntry c;
      c.first_key = get_u(in, at);
      c.n = get_u(in, at);
      c.first_pos = get_i(in, at);
      c.min_pos = get_i(in, at);
      c.max_pos = get_i(in, at);
      s.contigs.emplace(name, c);
    }
    if (s.end_key < s.first_key || (!stretches_.empty() && s.first_key < stretches_.back().end_key))
      throw std::runtime_error("bad order record");
    stretches_.push_back(std::move(s));
  }
}

}  // namespace healcap
