// The run state merges exactly: states folded from the batches of one input, merged in any order and grouping,
// equal the state of the uncut input. And the order tracker alone: runs in any order give the same answer.
#include <doctest/doctest.h>

#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "order_tracker.h"
#include "test_support.h"

using namespace healcap_test;

namespace {

// Folds each batch into a state of its own, as ScanFold folds them into one.
class PerBatchFold : public BatchFold {
 public:
  explicit PerBatchFold(const Harness& h) : h_(h) {}
  void fold(Batch& b, uint64_t first_key) override {
    auto s = h_.new_state();
    s->fold_counts(b, first_key);
    for (size_t i = 0; i < b.n_slots; ++i) s->fold(*b.slots[i], first_key + b.slots[i]->index);
    states.push_back(*s);
  }
  std::vector<ScanState> states;

 private:
  const Harness& h_;
};

std::vector<size_t> iota_order(size_t n) {
  std::vector<size_t> v(n);
  std::iota(v.begin(), v.end(), size_t(0));
  return v;
}

ScanState left_fold(std::vector<ScanState> v, const std::vector<size_t>& order) {
  ScanState acc = std::move(v[order[0]]);
  for (size_t i = 1; i < order.size(); ++i) acc.merge(std::move(v[order[i]]));
  return acc;
}

// order[0].merge(order[1].merge(order[2].merge(...))).
ScanState right_fold(std::vector<ScanState> v, const std::vector<size_t>& order) {
  ScanState acc = std::move(v[order.back()]);
  for (size_t i = order.size() - 1; i-- > 0;) {
    ScanState t = std::move(v[order[i]]);
    t.merge(std::move(acc));
    acc = std::move(t);
  }
  return acc;
}

// Neighbours merged pairwise, level by level, as a balanced tree.
ScanState pairwise_tree(std::vector<ScanState> v, const std::vector<size_t>& order) {
  std::vector<ScanState> level;
  for (size_t i : order) level.push_back(std::move(v[i]));
  while (level.size() > 1) {
    std::vector<ScanState> next;
    for (size_t i = 0; i < level.size(); i += 2) {
      next.push_back(std::move(level[i]));
      if (i + 1 < level.size()) next.back().merge(std::move(level[i + 1]));
    }
    level = std::move(next);
  }
  return std::move(level[0]);
}

// Two states picked at random from the pool merged, until one is left.
ScanState random_tree(std::vector<ScanState> pool, uint32_t seed) {
  std::mt19937 rng(seed);
  while (pool.size() > 1) {
    const size_t i = std::uniform_int_distribution<size_t>(0, pool.size() - 1)(rng);
    size_t j = std::uniform_int_distribution<size_t>(0, pool.size() - 2)(rng);
    if (j >= i) ++j;
    pool[i].merge(std::move(pool[j]));
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(j));
  }
  return std::move(pool[0]);
}

// Folds `chunks` batch by batch into states of their own, scans them uncut into `want`, and checks that every
// way of merging the batch states gives `want`.
void check_merges(const std::string& header, const std::string& text, const std::vector<std::string>& chunks,
                  const std::string& what, std::unique_ptr<ScanState>& want) {
  want = scan(header, false, {text}, 1);
  for (int threads : {1, 4}) {
    Harness h(header);
    PerBatchFold per_batch(h);
    auto src = h.source(false, chunks);
    h.run(*src, threads, per_batch);
    std::vector<ScanState>& v = per_batch.states;
    REQUIRE(v.size() >= 5);
    REQUIRE(v.size() <= 11);
    const size_t n = v.size();
    const std::string at = what + ", " + std::to_string(threads) + " threads, ";
    std::vector<size_t> in_order = iota_order(n), reversed(in_order.rbegin(), in_order.rend());
    check_same_state(*want, left_fold(v, in_order), at + "left fold in input order");
    check_same_state(*want, left_fold(v, reversed), at + "left fold in reverse order");
    check_same_state(*want, right_fold(v, in_order), at + "right fold in input order");
    check_same_state(*want, right_fold(v, reversed), at + "right fold in reverse order");
    check_same_state(*want, pairwise_tree(v, in_order), at + "pairwise tree in input order");
    check_same_state(*want, pairwise_tree(v, reversed), at + "pairwise tree in reverse order");
    for (uint32_t seed : {1u, 2u, 3u, 4u}) {
      std::vector<size_t> order = in_order;
      std::shuffle(order.begin(), order.end(), std::mt19937(seed));
      const std::string s = " (seed " + std::to_string(seed) + ")";
      check_same_state(*want, left_fold(v, order), at + "left fold in random order" + s);
      check_same_state(*want, right_fold(v, order), at + "right fold in random order" + s);
      check_same_state(*want, pairwise_tree(v, order), at + "pairwise tree in random order" + s);
      check_same_state(*want, random_tree(v, seed), at + "random tree" + s);
    }
    // A state with nothing in it changes nothing, merged in first or last.
    ScanState empty_first = *h.new_state();
    empty_first.merge(left_fold(v, in_order));
    check_same_state(*want, empty_first, at + "merged into an empty state");
    ScanState empty_last = left_fold(v, reversed);
    empty_last.merge(std::move(*h.new_state()));
    check_same_state(*want, empty_last, at + "an empty state merged in");
  }
}

}  // namespace

TEST_CASE("ScanState::merge of per-batch states in any order and grouping equals the uncut run, duplicates included") {
  auto lines = cohort_lines();
  // A third record at site 0, equal in rank to the first two: three batches hold one each.
  const size_t dup = index_of(lines, "dup_same");
  Line third = lines[dup];
  third.id = "dup_third";
  third.gts = make_line(third.contig, third.pos, "", third.ref, third.alt, 40).gts;
  lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(dup + 1), third);
  const std::string text = lines_text(lines);
  const std::string header = header_text(all_contigs());
  // Batch edges between the records at site 0, between the two at site 1, and mid-line elsewhere.
  const std::vector<size_t> cuts{line_offset(lines, index_of(lines, "dup_same")),
                                 line_offset(lines, index_of(lines, "dup_third")),
                                 line_offset(lines, index_of(lines, "site1")),
                                 line_offset(lines, 14) + 9,
                                 line_offset(lines, 22) + 30,
                                 line_offset(lines, 30) + 1};
  std::vector<std::string> chunks = cut_at(text, cuts);
  chunks.insert(chunks.begin() + 3, "");  // an empty batch: a state with no records
  std::unique_ptr<ScanState> want;
  check_merges(header, text, chunks, "duplicates in different batches", want);

  // The facts the merges must keep: the lowest key wins among equals; a better rank beats a lower key.
  const auto sites = panel_snvs(8);
  for (size_t row : rows_at(sites[0].contig, sites[0].pos)) {
    const SiteResult& r = want->stores[0].results()[row];
    CHECK(r.record.id == "site0");
    CHECK(r.key == index_of(lines, "site0"));
    CHECK(r.n_matched == 3);
    CHECK(r.used_match == 1);
    CHECK(duplicate_note(r).find("matched by 3 records") != std::string::npos);
  }
  for (size_t row : rows_at(sites[1].contig, sites[1].pos)) {
    const SiteResult& r = want->stores[0].results()[row];
    CHECK(r.record.id == "site1");
    CHECK(r.key == index_of(lines, "site1"));
    CHECK(r.n_matched == 2);
    CHECK(r.used_match == 2);
  }
}

TEST_CASE("ScanState::merge of per-batch states of an unsorted input keeps the first record out of order") {
  const std::string header = header_text(all_contigs());
  for (bool return_first : {false, true}) {
    auto lines = cohort_lines();
    // A record going backwards, first in its batch; and a contig coming back, first in its batch.
    size_t back_at = lines.size() / 2;
    while (lines[back_at].contig != lines[back_at - 1].contig) ++back_at;
    Line back = make_line(lines[back_at - 1].contig, lines[back_at - 1].pos - 60, "backwards", "A", "C", 50);
    REQUIRE_FALSE(is_panel_position(back.contig, back.pos));
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(back_at), back);
    // lines[0]'s contig comes back: after the backwards record, or before it.
    const size_t again_at = return_first ? back_at - 4 : lines.size() - 2;
    REQUIRE(lines[again_at - 1].contig != lines[0].contig);
    Line again = make_line(lines[0].contig, lines[0].pos + 50000000, "again", "A", "C", 51);
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(again_at), again);
    const std::string expected = return_first ? again.contig + ":" + std::to_string(again.pos)
                                              : back.contig + ":" + std::to_string(back.pos);
    const std::string text = lines_text(lines);
    const std::vector<size_t> cuts{line_offset(lines, index_of(lines, "backwards")),
                                   line_offset(lines, index_of(lines, "again")), line_offset(lines, 5) + 3,
                                   line_offset(lines, 11) + 20, line_offset(lines, 33)};
    std::unique_ptr<ScanState> want;
    check_merges(header, text, cut_at(text, cuts),
                 return_first ? "a contig coming back, then a record going backwards" : "a record going backwards",
                 want);
    CHECK(want->stats().first_unsorted == expected);
  }
}

TEST_CASE("ScanState::merge of per-batch states keeps the first record on an undefined contig") {
  const LogLevel quiet(HTS_LOG_ERROR);  // htslib warns of each undefined contig
  const auto lines = cohort_lines();
  const std::string text = lines_text(lines);
  const std::vector<size_t> cuts{line_offset(lines, index_of(lines, "dup_same")), line_offset(lines, 8) + 2,
                                 line_offset(lines, 16), line_offset(lines, 21) + 7, line_offset(lines, 29) + 1};
  std::unique_ptr<ScanState> want;
  check_merges(header_text({}), text, cut_at(text, cuts), "no ##contig lines", want);
  // The first record parsed on a contig the header lacks: the record at site 0, the input's first panel hit.
  const auto sites = panel_snvs(8);
  CHECK(want->stats().first_undefined == sites[0].contig + ":" + std::to_string(sites[0].pos));
  CHECK(want->stats().n_undefined >= 1);
}

// ---------------------------------------------------------------------------------------------------------
// The order tracker alone.

namespace {

struct Rec {
  std::string contig;
  int64_t pos;
};

// Records on a few contigs, mostly ascending; `p_back` of them go backwards, `p_return` of the contig changes
// go back to a contig seen before.
std::vector<Rec> random_records(uint32_t seed, int n, double p_back, double p_return) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  const std::vector<std::string> names{"chr1", "chr2", "chr3", "chrX", "chrY"};
  size_t c = 0, next_new = 1;
  int64_t pos = 100;
  std::vector<Rec> v;
  for (int i = 0; i < n; ++i) {
    if (u(rng) < 0.08) {  // a contig change
      if (u(rng) < p_return && c > 0) {
        c = std::uniform_int_distribution<size_t>(0, next_new - 1)(rng);
        pos = std::uniform_int_distribution<int64_t>(1, 5000)(rng);
      } else if (next_new < names.size()) {
        c = next_new++;
        pos = std::uniform_int_distribution<int64_t>(1, 5000)(rng);
      }
    }
    if (u(rng) < p_back) pos = std::max<int64_t>(0, pos - std::uniform_int_distribution<int64_t>(1, 300)(rng));  // 0: a telomere
    else pos += std::uniform_int_distribution<int64_t>(0, 400)(rng);  // 0: the same position, still sorted
    v.push_back({names[c], pos});
  }
  return v;
}

// What the tracker must say, worked out record by record.
std::string brute_first_unsorted(const std::vector<Rec>& v) {
  std::set<std::string> seen;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0 && v[i].contig == v[i - 1].contig && v[i].pos < v[i - 1].pos) return where(v[i].contig, v[i].pos);
    if (i > 0 && v[i].contig != v[i - 1].contig && seen.count(v[i].contig)) return where(v[i].contig, v[i].pos);
    seen.insert(v[i].contig);
  }
  return "";
}

std::vector<ContigSeen> brute_contigs(const std::vector<Rec>& v) {
  std::vector<ContigSeen> out;
  for (const Rec& r : v) {
    auto it = std::find_if(out.begin(), out.end(), [&](const ContigSeen& c) { return c.name == r.contig; });
    if (it == out.end()) {
      out.push_back({r.contig, 1, r.pos, r.pos});
      continue;
    }
    ++it->n_records;
    it->first_pos = std::min(it->first_pos, r.pos);
    it->last_pos = std::max(it->last_pos, r.pos);
  }
  return out;
}

// The records cut into pieces of 1 to max_len records (as batches would be), each piece into runs; keys set.
std::vector<Run> to_runs(const std::vector<Rec>& v, uint32_t seed, size_t max_len) {
  std::mt19937 rng(seed);
  std::vector<Run> runs;
  uint64_t key = 0;
  for (size_t at = 0; at < v.size();) {
    const size_t len = std::min(v.size() - at, std::uniform_int_distribution<size_t>(1, max_len)(rng));
    std::vector<Run> piece;
    for (size_t i = at; i < at + len; ++i) add_to_runs(piece, v[i].contig, v[i].pos);
    for (Run& r : piece) {
      r.first_key = key;
      key += r.n;
      runs.push_back(r);
    }
    at += len;
  }
  return runs;
}

std::string describe_contigs(const std::vector<ContigSeen>& cs) {
  std::string s;
  for (const auto& c : cs)
    s += c.name + " n=" + std::to_string(c.n_records) + " " + std::to_string(c.first_pos) + "-" + std::to_string(c.last_pos) + "; ";
  return s;
}

}  // namespace

TEST_CASE("OrderTracker: runs added out of order and merged in any grouping say what adding them in order says") {
  struct Input {
    std::string name;
    double p_back, p_return;
  };
  const Input inputs[] = {{"sorted", 0, 0}, {"records going backwards", 0.02, 0}, {"contigs coming back", 0, 0.5},
                          {"both", 0.01, 0.3}};
  for (const Input& in : inputs)
    for (uint32_t seed = 1; seed <= 6; ++seed) {
      CAPTURE(in.name);
      CAPTURE(seed);
      const auto recs = random_records(seed, 300, in.p_back, in.p_return);
      const std::string unsorted = brute_first_unsorted(recs);
      const std::string contigs = describe_contigs(brute_contigs(recs));
      if (in.p_back == 0 && in.p_return == 0) CHECK(unsorted.empty());
      else CHECK_FALSE(unsorted.empty());
      for (size_t max_len : {size_t(1), size_t(7), size_t(40)}) {
        const auto runs = to_runs(recs, seed * 31 + static_cast<uint32_t>(max_len), max_len);
        CAPTURE(max_len);
        OrderTracker in_order;
        for (const Run& r : runs) in_order.add(r);
        CHECK(in_order.n_stretches() == 1);
        CHECK(in_order.n_records() == recs.size());
        CHECK(in_order.first_unsorted() == unsorted);
        CHECK(describe_contigs(in_order.contigs()) == contigs);

        // One tracker, the runs added in a random order.
        std::vector<size_t> order = iota_order(runs.size());
        std::shuffle(order.begin(), order.end(), std::mt19937(seed + 100));
        OrderTracker shuffled;
        for (size_t i : order) shuffled.add(runs[i]);
        CHECK(shuffled.n_stretches() == 1);
        CHECK(shuffled.first_unsorted() == unsorted);
        CHECK(describe_contigs(shuffled.contigs()) == contigs);

        // Runs dealt at random to four trackers, which are then merged in random groupings.
        for (uint32_t g = 0; g < 3; ++g) {
          std::mt19937 rng(seed * 7 + g);
          std::vector<OrderTracker> pool(4);
          for (size_t i : order) pool[std::uniform_int_distribution<size_t>(0, 3)(rng)].add(runs[i]);
          while (pool.size() > 1) {
            const size_t i = std::uniform_int_distribution<size_t>(0, pool.size() - 1)(rng);
            size_t j = std::uniform_int_distribution<size_t>(0, pool.size() - 2)(rng);
            if (j >= i) ++j;
            pool[i].merge(pool[j]);
            pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(j));
          }
          CHECK(pool[0].n_stretches() == 1);
          CHECK(pool[0].n_records() == recs.size());
          CHECK(pool[0].first_unsorted() == unsorted);
          CHECK(describe_contigs(pool[0].contigs()) == contigs);
        }
      }
    }
}

TEST_CASE("OrderTracker: a record at POS 0 going backwards is unsorted, inside a run as across runs") {
  // POS 0 (a telomere) once stood for "none" in a run's unsorted record: 2:288 then 2:0 in one run passed
  // as sorted, in two runs not (the fuzzer's text_records/unsorted_pos0).
  const std::vector<Rec> recs{{"2", 105}, {"2", 288}, {"2", 0}, {"2", 5}};
  REQUIRE(brute_first_unsorted(recs) == "2:0");
  std::vector<Run> one;  // every record in one run
  for (const Rec& r : recs) add_to_runs(one, r.contig, r.pos);
  REQUIRE(one.size() == 1);
  for (const auto& runs : {one, to_runs(recs, 3, 1), to_runs(recs, 3, 2)}) {
    CAPTURE(runs.size());
    OrderTracker t(true, "x.vcf");
    CHECK_THROWS_WITH_AS([&] { for (const Run& r : runs) t.add(r); }(),
                         "x.vcf: 2:0: input is not sorted (this record comes after 2:288); an index needs sorted input: "
                         "sort it with bcftools sort",
                         DataError);
    OrderTracker lax;
    for (const Run& r : runs) lax.add(r);
    CHECK(lax.first_unsorted() == "2:0");
  }
}

TEST_CASE("OrderTracker: stretches stay apart until the keys between them arrive") {
  const auto recs = random_records(11, 120, 0.02, 0.3);
  const auto runs = to_runs(recs, 5, 6);
  REQUIRE(runs.size() > 6);
  OrderTracker t;
  const size_t mid = runs.size() / 2;
  for (size_t i = 0; i < runs.size(); ++i)
    if (i != mid) t.add(runs[i]);
  CHECK(t.n_stretches() == 2);
  CHECK(t.n_records() == recs.size() - runs[mid].n);
  t.add(runs[mid]);
  CHECK(t.n_stretches() == 1);
  CHECK(t.first_unsorted() == brute_first_unsorted(recs));
  // Without key 0 the tracker holds one stretch that does not start at 0.
  OrderTracker late;
  for (size_t i = 1; i < runs.size(); ++i) late.add(runs[i]);
  CHECK(late.n_stretches() == 1);
  late.add(runs[0]);
  CHECK(late.n_stretches() == 1);
  CHECK(late.first_unsorted() == brute_first_unsorted(recs));
  // The same records twice are a logic error.
  CHECK_THROWS_AS(late.add(runs[2]), std::logic_error);
}
