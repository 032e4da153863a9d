// The pipeline driver over the memory source: however the input is cut into batches and whatever the thread
// count, a scan ends in the same state; errors reach the caller, the first bad record of the input first.
#include <doctest/doctest.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.h"

using namespace healcap_test;

namespace {

const int kThreadCounts[] = {1, 2, 4};

// what() of the exception of type E that f throws; a marker when it throws something else or nothing.
template <class E, class F>
std::string thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<another exception: ") + e.what() + ">";
  } catch (...) {
    return "<a non-standard exception>";
  }
  return "<no exception>";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) s.replace(at, from.size(), to);
  return s;
}

// The facts of the cohort's scan that do not depend on another run.
void check_cohort_facts(const ScanState& st, const std::vector<Line>& lines) {
  const ScanStats s = st.stats();
  CHECK(s.n_records == lines.size());
  CHECK(s.first_unsorted.empty());
  CHECK(s.n_undefined == 0);
  CHECK(s.first_undefined.empty());
  const auto contigs = contigs_of(lines);
  REQUIRE(s.contigs.size() == contigs.size());
  for (size_t c = 0; c < contigs.size(); ++c) {
    uint64_t n = 0;
    int64_t lo = INT64_MAX, hi = 0;
    for (const auto& l : lines)
      if (l.contig == contigs[c]) {
        ++n;
        lo = std::min(lo, l.pos);
        hi = std::max(hi, l.pos);
      }
    CHECK(s.contigs[c].name == contigs[c]);
    CHECK(s.contigs[c].n_records == n);
    CHECK(s.contigs[c].first_pos == lo);
    CHECK(s.contigs[c].last_pos == hi);
  }
  const auto sites = panel_snvs(8);
  // Records at GRCh38 panel positions: the 8 sites and the two duplicates; all carry the panel REF.
  CHECK(s.n_panel_position_records[0] == 10);
  CHECK(s.n_ref_checked[0] == 10);
  CHECK(s.n_ref_concordant[0] == 10);
  CHECK(s.n_panel_position_records[1] == 1);  // the record at site 0's GRCh37 position

  size_t n_rows = 0;
  for (size_t i = 0; i < sites.size(); ++i) {
    const std::string id = "site" + std::to_string(i);
    const size_t key = index_of(lines, id);
    for (size_t row : rows_at(sites[i].contig, sites[i].pos)) {
      ++n_rows;
      const SiteResult& r = st.stores[0].results()[row];
      CAPTURE(id);
      CAPTURE(row);
      CHECK(r.state == SiteState::kFound);
      CHECK(r.record.id == id);  // site 0: the first of two equal records; site 1: the better of two
      CHECK(r.record.contig == sites[i].contig);
      CHECK(r.record.pos == sites[i].pos);
      CHECK(r.record.ref == sites[i].ref);
      CHECK(r.record.alts == sites[i].alt);
      CHECK(r.key == key);
      REQUIRE(r.calls.size() == sample_names().size());
      const PanelSite& ps = Panel::bundled().sites()[row];
      if (ps.effect_allele == sites[i].alt) {  // GT counts: the effect allele is ALT 1
        for (size_t smp = 0; smp < r.calls.size(); ++smp) {
          const std::string gt = lines[key].gts[smp];
          if (gt[0] == '.') {
            CHECK(r.calls[smp].state == CallState::kMissing);
          } else {
            CHECK(r.calls[smp].state == CallState::kCalled);
            CHECK(r.calls[smp].dosage == float((gt[0] == '1') + (gt[2] == '1')));
            CHECK(r.calls[smp].phased == (gt[1] == '|'));
          }
        }
      }
      if (i == 0) {
        CHECK(r.n_records == 2);
        CHECK(r.n_matched == 2);
        CHECK(r.used_match == 1);
        CHECK(contains(duplicate_note(r), "matched by 2 records"));
        CHECK(contains(duplicate_note(r), "matched record 1 in input order"));
      } else if (i == 1) {
        CHECK(r.n_records == 2);
        CHECK(r.n_matched == 2);
        CHECK(r.used_match == 2);  // the record with the panel's ALT beats the earlier one with another ALT
        CHECK(contains(duplicate_note(r), "matched by 2 records"));
      } else {
        CHECK(r.n_records == 1);
        CHECK(duplicate_note(r).empty());
      }
    }
  }
  CHECK(st.stores[0].n_found() == n_rows);
  CHECK(n_rows >= 8);
  // The other pass found the row at site 0's GRCh37 position.
  const size_t k37 = index_of(lines, "grch37_site0");
  const auto rows37 = rows_at(lines[k37].contig, lines[k37].pos, Build::kGRCh37);
  REQUIRE_FALSE(rows37.empty());
  for (size_t row : rows37) {
    CHECK(st.stores[1].results()[row].state == SiteState::kFound);
    CHECK(st.stores[1].results()[row].record.id == "grch37_site0");
    CHECK(st.stores[1].results()[row].key == k37);
  }
  CHECK(st.stores[1].n_found() == rows37.size());
}

// A source that wraps the memory source and throws from prepare() on its 3rd batch.
class ThrowOnThirdPrepare : public RecordSource {
 public:
  explicit ThrowOnThirdPrepare(std::unique_ptr<RecordSource> inner) : inner_(std::move(inner)) {}
  std::string describe() const override { return "throws on the 3rd batch"; }
  bool read(Batch& b) override {
    if (!inner_->read(b)) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    if (++n_read_ == 3) bad_ = &b;
    else if (bad_ == &b) bad_ = nullptr;  // the batch is recycled: only its 3rd use throws
    return true;
  }
  void prepare(Batch& b) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (bad_ == &b) throw std::runtime_error("prepare failed on batch 3");
    }
    inner_->prepare(b);
  }
  void stitch(Batch& b) override { inner_->stitch(b); }
  bool finish(Batch& b) override { return inner_->finish(b); }

 private:
  std::unique_ptr<RecordSource> inner_;
  std::mutex mutex_;
  int n_read_ = 0;
  const Batch* bad_ = nullptr;
};

// A source of its own, with the seam's default stitch(): ten empty batches; prepare() throws on the 3rd.
class BareThrowingSource : public RecordSource {
 public:
  std::string describe() const override { return "bare"; }
  bool read(Batch& b) override {
    if (n_read_ == 10) return false;
    b.len = b.skip = 0;
    std::lock_guard<std::mutex> lock(mutex_);
    if (++n_read_ == 3) bad_ = &b;
    else if (bad_ == &b) bad_ = nullptr;
    return true;
  }
  void prepare(Batch& b) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (bad_ == &b) throw std::runtime_error("prepare failed on batch 3");
  }

 private:
  std::mutex mutex_;
  int n_read_ = 0;
  const Batch* bad_ = nullptr;
};

class ThrowingFold : public BatchFold {
 public:
  explicit ThrowingFold(BatchFold& inner) : inner_(inner) {}
  void fold(Batch& b, uint64_t first_key) override {
    if (++n_ == 4) throw std::runtime_error("fold failed on batch 4");
    inner_.fold(b, first_key);
  }

 private:
  BatchFold& inner_;
  int n_ = 0;
};

}  // namespace

TEST_CASE("VCF text cut into batches in any way gives, at 1, 2 and 4 threads, the state of one chunk at 1 thread") {
  const auto lines = cohort_lines();
  const std::string header = header_text(all_contigs());
  const std::string text = lines_text(lines);
  uint64_t n_keys = 0;
  const auto want = scan(header, false, {text}, 1, false, &n_keys);
  CHECK(n_keys == lines.size());
  check_cohort_facts(*want, lines);

  auto cuts = text_cuts(text);
  const std::string crlf = replace_all(text, "\n", "\r\n");
  cuts.push_back({"CRLF line ends, every 9 bytes", cut_every(crlf, 9)});
  cuts.push_back({"CRLF line ends, cut between CR and LF", cut_before_newlines(crlf)});
  for (const Cut& c : cuts)
    for (int threads : kThreadCounts) {
      const auto got = scan(header, false, c.chunks, threads, false, &n_keys);
      const std::string label = c.name + ", " + std::to_string(threads) + " threads";
      CHECK_MESSAGE(n_keys == lines.size(), label);
      check_same_state(*want, *got, label);
    }
}

TEST_CASE("a last line without its newline is an error naming the record before it, however the text is cut") {
  const auto lines = cohort_lines();
  const std::string header = header_text(all_contigs());
  const std::string text = lines_text(lines);
  const std::string no_newline = text.substr(0, text.size() - 1);
  const Line& before = lines[lines.size() - 2];
  const std::string want = std::string(kPath) + ": after " + before.contig + ":" + std::to_string(before.pos) +
                           ": truncated: the last line is incomplete";
  std::vector<Cut> cuts{{"one chunk", {no_newline}},
                        {"every 11 bytes", cut_every(no_newline, 11)},
                        {"one line per chunk", cut_lines(no_newline, 1)},
                        {"cut mid-line", {text.substr(0, text.size() - 20)}}};
  for (const Cut& c : cuts)
    for (int threads : kThreadCounts) {
      CAPTURE(c.name);
      CAPTURE(threads);
      const std::string what = thrown<DataError>([&] { scan(header, false, c.chunks, threads); });
      CAPTURE(what);
      CHECK(contains(what, c.name == "cut mid-line" ? std::string(kPath) + ": after " : want));
      CHECK(contains(what, "truncated: the last line is incomplete"));
    }
}

TEST_CASE("records at POS=0 are counted, never matched, and change nothing else, in VCF text and in BCF") {
  auto lines = cohort_lines();
  const std::string header = header_text(all_contigs());
  const auto want = scan(header, false, {lines_text(lines)}, 1);
  // A telomeric record before each contig's first: POS=0, as the VCF spec allows.
  std::vector<Line> with0;
  std::string last_contig;
  size_t n0 = 0;
  for (const Line& l : lines) {
    if (l.contig != last_contig) {
      Line z = l;
      z.pos = 0;
      z.pos_text.clear();
      with0.push_back(z);
      ++n0;
      last_contig = l.contig;
    }
    with0.push_back(l);
  }
  const std::string text = lines_text(with0);
  HeaderGuard enc{parse_header(header)};
  const auto records = bcf_records(enc.h, with0);
  for (bool is_bcf : {false, true})
    for (int threads : kThreadCounts) {
      const auto chunks = is_bcf ? records : cut_every(text, 13);
      const std::string label = std::string(is_bcf ? "BCF" : "VCF") + ", " + std::to_string(threads) + " threads";
      uint64_t n_keys = 0;
      const auto got = scan(header, is_bcf, chunks, threads, false, &n_keys);
      CHECK_MESSAGE(n_keys == with0.size(), label);
      CHECK_MESSAGE(got->n_pos0 == n0, label);
      CHECK_MESSAGE(got->n_panel_position_records == want->n_panel_position_records, label);
      // Every site and pass count as before, but for the record keys, which the extra records shift (the
      // record and contig counts differ by the POS=0 records).
      const auto no_keys = [](const std::vector<std::string>& d) {
        std::vector<std::string> kept;
        for (const auto& l : d)
          if (l.rfind("store ", 0) == 0 || l.rfind("pass ", 0) == 0) kept.push_back(l.substr(0, l.find(" key=")));
        return kept;
      };
      CHECK_MESSAGE(no_keys(describe(*got)) == no_keys(describe(*want)), label);
    }
}

TEST_CASE("BCF record bytes cut anywhere give, at 1, 2 and 4 threads, the state of the VCF text") {
  const auto lines = cohort_lines();
  const std::string header = header_text(all_contigs());
  const auto want = scan(header, false, {lines_text(lines)}, 1);

  HeaderGuard enc{parse_header(header)};
  const auto records = bcf_records(enc.h, lines);
  const std::string bytes = join(records);
  std::vector<Cut> cuts;
  cuts.push_back({"one chunk", {bytes}});
  for (size_t k : {1, 3, 8, 31, 32, 33, 100, 1000}) cuts.push_back({"every " + std::to_string(k) + " bytes", cut_every(bytes, k)});
  cuts.push_back({"one record per chunk", records});
  std::vector<size_t> after_lengths, inside_fixed;
  for (size_t i = 0, at = 0; i < records.size(); at += records[i++].size()) {
    after_lengths.push_back(at + 8);
    inside_fixed.push_back(at + 5);
  }
  cuts.push_back({"cut just after each record's lengths", cut_at(bytes, after_lengths)});
  cuts.push_back({"cut inside each record's lengths", cut_at(bytes, inside_fixed)});
  cuts.push_back({"one record per chunk with empty chunks between", with_empty_chunks(records)});
  cuts.push_back({"every 7 bytes with empty chunks between", with_empty_chunks(cut_every(bytes, 7))});
  for (uint32_t seed : {4u, 5u}) cuts.push_back({"random cuts, seed " + std::to_string(seed), cut_random(bytes, 30, seed)});
  for (const Cut& c : cuts)
    for (int threads : kThreadCounts) {
      uint64_t n_keys = 0;
      const auto got = scan(header, true, c.chunks, threads, false, &n_keys);
      const std::string label = "BCF, " + c.name + ", " + std::to_string(threads) + " threads";
      CHECK_MESSAGE(n_keys == lines.size(), label);
      check_same_state(*want, *got, label);
    }
}

TEST_CASE("a malformed POS in a later batch makes run_driver throw a DataError naming that record") {
  auto lines = cohort_lines();
  const size_t bad = lines.size() * 2 / 3;
  lines[bad].pos_text = "12x";
  const std::string name = lines[bad].contig + ":12x";
  const std::string header = header_text(all_contigs());
  const std::string text = lines_text(lines);
  std::vector<Cut> cuts{{"every 7 bytes", cut_every(text, 7)},
                        {"every 100 bytes", cut_every(text, 100)},
                        {"one line per chunk", cut_lines(text, 1)},
                        {"random cuts", cut_random(text, 12, 9)}};
  for (const Cut& c : cuts)
    for (int threads : kThreadCounts) {
      const std::string what = thrown<DataError>([&] { scan(header, false, c.chunks, threads); });
      CAPTURE(c.name);
      CAPTURE(threads);
      CHECK(contains(what, std::string(kPath) + ": " + name + ": malformed record: POS is not a whole number"));
    }
}

namespace {
// The cohort with a bad POS in line `first` ("12x") and in line first + gap ("34y").
std::vector<Line> two_bad_lines(size_t gap, size_t& first) {
  auto lines = cohort_lines();
  first = lines.size() / 3;
  REQUIRE(lines[first].contig != "chr21");
  lines[first].pos_text = "12x";
  lines[first + gap].pos_text = "34y";
  return lines;
}

void check_first_bad_line_named(const std::vector<Line>& lines, size_t first, const std::vector<Cut>& cuts) {
  const std::string header = header_text(all_contigs());
  const std::string want = std::string(kPath) + ": " + lines[first].contig + ":12x: malformed record";
  for (const Cut& c : cuts)
    for (int threads : kThreadCounts)
      for (int repeat = 0; repeat < 4; ++repeat) {
        const std::string what = thrown<DataError>([&] { scan(header, false, c.chunks, threads); });
        CAPTURE(c.name);
        CAPTURE(threads);
        CAPTURE(what);
        CHECK(contains(what, want));
        CHECK_FALSE(contains(what, ":34y"));
      }
}
}  // namespace

TEST_CASE("with two malformed lines in different batches the error names the first in input order, every time") {
  for (size_t gap : {size_t(12), size_t(3)}) {
    CAPTURE(gap);
    size_t first = 0;
    const auto lines = two_bad_lines(gap, first);
    const size_t second = first + gap;
    const std::string text = lines_text(lines);
    const size_t mid_first = line_offset(lines, first) + 5;
    check_first_bad_line_named(
        lines, first,
        {{"every 7 bytes", cut_every(text, 7)},
         {"every 64 bytes", cut_every(text, 64)},
         {"every 150 bytes", cut_every(text, 150)},
         {"one line per chunk", cut_lines(text, 1)},
         {"each bad line in a batch of its own",
          cut_at(text, {line_offset(lines, first), line_offset(lines, first + 1), line_offset(lines, second),
                        line_offset(lines, second + 1)})},
         {"the first cut across a batch edge, the second in a later batch",
          cut_at(text, {mid_first, line_offset(lines, first + 1) + 2, line_offset(lines, second) - 1})},
         {"the first inside a batch, the second cut across the next batch edge",
          cut_at(text, {line_offset(lines, first) - 3, line_offset(lines, second) + 4})}});
  }
}

// Regression (fixed in f806ace): TextRecords::stitch raised the batch's own prepare() error before it parsed
// the line cut at the batch's start, which comes first in the input.
TEST_CASE("the first malformed line is named when it is cut across a batch edge and the second lies in the next batch") {
  for (size_t gap : {size_t(12), size_t(1)}) {
    CAPTURE(gap);
    size_t first = 0;
    const auto lines = two_bad_lines(gap, first);
    const std::string text = lines_text(lines);
    check_first_bad_line_named(
        lines, first,
        {{"the first cut across a batch edge, the second inside the next batch",
          cut_at(text, {line_offset(lines, first) + 5, line_offset(lines, first + gap + 1) + 3})}});
  }
}

TEST_CASE("a line without columns is named by the record before it, however the input is cut") {
  auto lines = cohort_lines();
  const size_t bad = lines.size() / 2;
  const std::string before = lines[bad - 1].contig + ":" + std::to_string(lines[bad - 1].pos);
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) text += (i == bad ? std::string("no_columns_here") : lines[i].text()) + "\n";
  const std::string header = header_text(all_contigs());
  std::vector<Cut> cuts{{"one chunk", {text}},
                        {"every 7 bytes", cut_every(text, 7)},
                        {"every 100 bytes", cut_every(text, 100)},
                        {"one line per chunk", cut_lines(text, 1)},
                        {"the bad line cut across a batch edge", cut_at(text, {line_offset(lines, bad) + 4})}};
  for (const Cut& c : cuts)
    for (int threads : kThreadCounts) {
      const std::string what = thrown<DataError>([&] { scan(header, false, c.chunks, threads); });
      CAPTURE(c.name);
      CAPTURE(threads);
      CHECK(what == std::string(kPath) + ": record after " + before + ": malformed record: no tab-separated columns");
    }
}

// Regression (fixed in f806ace): when the bad line was the first whole line of a batch, the parallel stage
// worded the record before it as kBeforeMarker, and TextRecords::stitch rethrew the error without replacing it.
TEST_CASE("a line without columns, first whole line of its batch, is named by the record before it") {
  auto lines = cohort_lines();
  const size_t bad = lines.size() / 2;
  const std::string before = lines[bad - 1].contig + ":" + std::to_string(lines[bad - 1].pos);
  std::string text;
  for (size_t i = 0; i < lines.size(); ++i) text += (i == bad ? std::string("no_columns_here") : lines[i].text()) + "\n";
  const auto chunks = cut_at(text, {line_offset(lines, bad - 1) + 4});
  for (int threads : kThreadCounts) {
    const std::string what = thrown<DataError>([&] { scan(header_text(all_contigs()), false, chunks, threads); });
    CAPTURE(threads);
    CHECK(what == std::string(kPath) + ": record after " + before + ": malformed record: no tab-separated columns");
    CHECK(what.find(kBeforeMarker) == std::string::npos);
  }
}

TEST_CASE("a record source whose prepare() throws on its 3rd batch: run_driver rethrows it at every thread count") {
  const auto lines = cohort_lines();
  const std::string header = header_text(all_contigs());
  const auto chunks = cut_lines(lines_text(lines), 2);
  REQUIRE(chunks.size() > 5);
  for (int threads : kThreadCounts)
    for (int repeat = 0; repeat < 4; ++repeat) {
      CAPTURE(threads);
      Harness h(header);
      auto state = h.new_state();
      ScanFold fold(*state, h.work_hdr, false, nullptr, kPath);
      ThrowOnThirdPrepare src(h.source(false, chunks));
      CHECK(thrown<std::runtime_error>([&] { h.run(src, threads, fold); }) == "prepare failed on batch 3");
      // Batches are folded in order: the two before the failure, at most.
      CHECK(state->stats().n_records <= 4);
    }
}

// Regression (fixed in f806ace): the driver left a prepare() error in Batch::error for stitch() to raise, so a
// source that kept the seam's default stitch() lost it and the run ended as if nothing had happened.
TEST_CASE("a source with the seam's default stitch(): a prepare() error still reaches the caller") {
  for (int threads : kThreadCounts)
    for (int repeat = 0; repeat < 4; ++repeat) {
      CAPTURE(threads);
      Harness h(header_text(all_contigs()));
      auto state = h.new_state();
      ScanFold fold(*state, h.work_hdr, false, nullptr, kPath);
      BareThrowingSource src;
      CHECK(thrown<std::runtime_error>([&] { h.run(src, threads, fold); }) == "prepare failed on batch 3");
    }
}

TEST_CASE("an exception in the fold stage reaches the caller at every thread count") {
  const auto lines = cohort_lines();
  const std::string header = header_text(all_contigs());
  const auto chunks = cut_lines(lines_text(lines), 2);
  for (int threads : kThreadCounts) {
    CAPTURE(threads);
    Harness h(header);
    auto state = h.new_state();
    ScanFold inner(*state, h.work_hdr, false, nullptr, kPath);
    ThrowingFold fold(inner);
    auto src = h.source(false, chunks);
    CHECK(thrown<std::runtime_error>([&] { h.run(*src, threads, fold); }) == "fold failed on batch 4");
    CHECK(state->stats().n_records == 6);  // the three batches before it, two lines each
  }
}

namespace {
// The cohort with a record going backwards on a contig and, later, a contig coming back; or only the latter.
std::vector<Line> unsorted_lines(bool backwards, std::string& first_unsorted) {
  auto lines = cohort_lines();
  size_t at = lines.size() / 2;
  while (lines[at].contig != lines[at - 1].contig) ++at;  // so that it goes back inside a contig
  const Line& prev = lines[at - 1];
  std::string where_back;
  if (backwards) {
    Line back = make_line(prev.contig, prev.pos - 40, "backwards", "A", "C", 99);
    REQUIRE_FALSE(is_panel_position(back.contig, back.pos));
    where_back = back.contig + ":" + std::to_string(back.pos);
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), back);
  }
  // lines[1]'s contig comes back after the others, at a higher position than it had.
  const Line& early = lines[1];
  Line again = make_line(early.contig, early.pos + 50000000, "again", "A", "C", 98);
  REQUIRE_FALSE(is_panel_position(again.contig, again.pos));
  lines.insert(lines.end() - 1, again);
  first_unsorted = backwards ? where_back : again.contig + ":" + std::to_string(again.pos);
  return lines;
}
}  // namespace

TEST_CASE("an unsorted input gives the same first_unsorted at every cut and thread count") {
  const std::string header = header_text(all_contigs());
  for (bool backwards : {true, false}) {
    std::string expected;
    const auto lines = unsorted_lines(backwards, expected);
    const std::string text = lines_text(lines);
    const auto want = scan(header, false, {text}, 1);
    CAPTURE(backwards);
    CHECK(want->stats().first_unsorted == expected);
    CHECK(want->stats().n_records == lines.size());
    for (const Cut& c : text_cuts(text))
      for (int threads : kThreadCounts) {
        const auto got = scan(header, false, c.chunks, threads);
        const std::string label = c.name + ", " + std::to_string(threads) + " threads";
        CHECK_MESSAGE(got->stats().first_unsorted == expected, label);
        check_same_state(*want, *got, label);
      }
  }
}

TEST_CASE("with require_sorted an unsorted input throws a DataError saying input is not sorted") {
  const std::string header = header_text(all_contigs());
  for (bool backwards : {true, false}) {
    std::string expected;
    const auto lines = unsorted_lines(backwards, expected);
    const std::string text = lines_text(lines);
    std::vector<Cut> cuts{{"one chunk", {text}}, {"every 7 bytes", cut_every(text, 7)}, {"one line per chunk", cut_lines(text, 1)}};
    for (const Cut& c : cuts)
      for (int threads : kThreadCounts) {
        const std::string what = thrown<DataError>([&] { scan(header, false, c.chunks, threads, true); });
        CAPTURE(backwards);
        CAPTURE(c.name);
        CAPTURE(threads);
        CHECK(contains(what, std::string(kPath) + ": " + expected + ": input is not sorted"));
      }
  }
  // The sorted cohort passes.
  const auto lines = cohort_lines();
  CHECK(scan(header, false, cut_every(lines_text(lines), 50), 2, true)->stats().n_records == lines.size());
}

TEST_CASE("a header without contig lines gives the same results at 1, 2 and 4 threads and every cut") {
  const auto lines = cohort_lines();
  const std::string text = lines_text(lines);
  const std::string bare = header_text({});
  const LogLevel quiet(HTS_LOG_ERROR);  // htslib warns of each undefined contig
  const auto want = scan(bare, false, {text}, 1);
  // Every record's contig is undefined: the first record parsed on each contig adds it to the header.
  const ScanStats s = want->stats();
  CHECK(s.n_records == lines.size());
  CHECK(s.n_undefined >= 1);
  CHECK_FALSE(s.first_undefined.empty());
  // Apart from the undefined-contig counts, the same as with the contigs defined.
  const auto defined = scan(header_text(all_contigs()), false, {text}, 1);
  {
    auto a = describe(*defined), b = describe(*want);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].rfind("n_undefined=", 0) != 0) CHECK(a[i] == b[i]);
  }
  check_cohort_facts(*defined, lines);
  for (const Cut& c : text_cuts(text))
    for (int threads : kThreadCounts) {
      const auto got = scan(bare, false, c.chunks, threads);
      check_same_state(*want, *got, "no ##contig lines, " + c.name + ", " + std::to_string(threads) + " threads");
    }
}

namespace {
// The lines of unsorted_lines(true) with a malformed POS ("12x") in the line `offset` lines after the first record
// out of order (negative: before it); `bad` is set to that line's index and `unsorted_at` to the unsorted one's.
std::vector<Line> unsorted_and_malformed(std::ptrdiff_t offset, std::string& first_unsorted, size_t& bad) {
  auto lines = unsorted_lines(true, first_unsorted);
  const size_t unsorted_at = index_of(lines, "backwards");
  bad = static_cast<size_t>(static_cast<std::ptrdiff_t>(unsorted_at) + offset);
  REQUIRE(bad < lines.size());
  lines[bad].pos_text = "12x";
  return lines;
}
}  // namespace

// Regression: with -W (require_sorted), the run raised a later record's parse error when the batch holding it
// was read before the fold had seen an earlier record out of order (at 2+ threads, or in one batch): the error
// then depended on the cut and the thread count. The first problem in input order is the one raised.
TEST_CASE("with require_sorted the first problem in input order is raised: out of order, or a malformed record") {
  const std::string header = header_text(all_contigs());
  for (std::ptrdiff_t offset : {std::ptrdiff_t(1), std::ptrdiff_t(9), std::ptrdiff_t(-1), std::ptrdiff_t(-7)}) {
    std::string unsorted;
    size_t bad = 0;
    const auto lines = unsorted_and_malformed(offset, unsorted, bad);
    const std::string want = offset > 0 ? std::string(kPath) + ": " + unsorted + ": input is not sorted"
                                        : std::string(kPath) + ": " + lines[bad].contig + ":12x: malformed record";
    const std::string text = lines_text(lines);
    std::vector<Cut> cuts = text_cuts(text);
    cuts.push_back({"the two in batches of their own",
                    cut_at(text, {line_offset(lines, std::min(bad, index_of(lines, "backwards"))),
                                  line_offset(lines, std::max(bad, index_of(lines, "backwards")))})});
    for (const Cut& c : cuts)
      for (int threads : kThreadCounts)
        for (int repeat = 0; repeat < 2; ++repeat) {
          const std::string what = thrown<DataError>([&] { scan(header, false, c.chunks, threads, true); });
          CAPTURE(offset);
          CAPTURE(c.name);
          CAPTURE(threads);
          CAPTURE(what);
          CHECK(contains(what, want));
        }
  }
}

TEST_CASE("with require_sorted a BCF record out of order before a corrupt one is raised first, at every cut") {
  const std::string header = header_text(all_contigs());
  std::string unsorted;
  auto lines = unsorted_lines(true, unsorted);
  const size_t unsorted_at = index_of(lines, "backwards");
  HeaderGuard enc{parse_header(header)};
  auto records = bcf_records(enc.h, lines);
  for (size_t offset : {size_t(1), size_t(6)}) {
    auto bad_records = records;
    std::string& r = bad_records[unsorted_at + offset];
    r[8] = r[9] = r[10] = '\x7f';  // a contig id far beyond the header's
    const std::string bytes = join(bad_records);
    std::vector<Cut> cuts{{"one chunk", {bytes}}, {"one record per chunk", bad_records}};
    for (size_t k : {3, 31, 100, 1000}) cuts.push_back({"every " + std::to_string(k) + " bytes", cut_every(bytes, k)});
    for (const Cut& c : cuts)
      for (int threads : kThreadCounts) {
        const std::string what = thrown<DataError>([&] { scan(header, true, c.chunks, threads, true); });
        CAPTURE(offset);
        CAPTURE(c.name);
        CAPTURE(threads);
        CHECK(contains(what, std::string(kPath) + ": " + unsorted + ": input is not sorted"));
      }
  }
  // The corrupt record alone: its own error.
  auto sorted = cohort_lines();
  auto sorted_records = bcf_records(enc.h, sorted);
  sorted_records[sorted.size() / 2][8] = '\x7f';
  sorted_records[sorted.size() / 2][10] = '\x7f';
  CHECK(contains(thrown<DataError>([&] { scan(header, true, {join(sorted_records)}, 2, true); }),
                 "malformed record: contig id"));
}
