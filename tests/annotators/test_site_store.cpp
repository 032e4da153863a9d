// The site store: initial row states, the best record kept per row, duplicates counted and noted.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "genotypes.h"
#include "panel.h"
#include "panel_matcher.h"
#include "pgs_catalog.h"
#include "site_store.h"

using namespace healcap;

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "\t" : "") + v[i];
  return s;
}

// Row 0: C>A effect A, both builds. Row 1: GRCh37 only. Row 2: C>A effect A, both builds.
// Row 3: GRCh37 position known but alleles unknown ('.'), GRCh38 G>T; effect T.
const Panel& store_panel() {
  static const Panel p = [] {
    const auto row = [](const std::string& id, const std::string& p37, const std::string& r37, const std::string& a37,
                        const std::string& p38, const std::string& r38, const std::string& a38,
                        const std::string& effect) {
      return join({id, ".", "GENE", "inflammation", "bone", "2", p37, r37, a37, p38, r38, a38, effect, ".", "0.2",
                   "additive", ".", "replicated", "PMID:1", "test", "."}) +
             "\n";
    };
    const std::string t = "##panel=tiny\n##version=0.0.1\n" + join(panel_columns()) + "\n" +
                          row("placed", "100", "C", "A", "1100", "C", "A", "A") +
                          row("only37", "200", "C", "G", ".", ".", ".", "G") +
                          row("other", "300", "C", "A", "1300", "C", "A", "A") +
                          row("no_ref37", "400", ".", ".", "1400", "G", "T", "T");
    return Panel::parse(t, "name.tsv");
  }();
  return p;
}

SiteMatch match(size_t row, Build b, const std::vector<std::string_view>& alleles) {
  return match_row(store_panel().sites()[row], row, b, alleles);
}

SeenRecord record(const std::string& id, const std::string& ref, const std::string& alts, int64_t pos) {
  return SeenRecord{"chr2", id, ref, alts, pos};
}

Call call(int count) { return Call::called(static_cast<float>(count), 2); }

// A diploid call in a given state (ref_block, filtered...) with a dosage.
Call call_in(CallState state, float dosage) {
  Call c = Call::called(dosage, 2);
  c.state = state;
  return c;
}

// What the annotator offers for a row covered by a gVCF reference block.
SiteMatch ref_block(size_t row) {
  SiteMatch m;
  m.row = row;
  m.type = MatchType::kRefBlock;
  return m;
}

constexpr auto kSrcGT = static_cast<uint8_t>(DosageSource::kGT);
constexpr auto kSrcDS = static_cast<uint8_t>(DosageSource::kDS);
constexpr auto kSrcBlock = static_cast<uint8_t>(DosageSource::kRefBlock);

}  // namespace

TEST_CASE("a new store has a result per row: no coordinates where the build has no position, else not in input") {
  const SiteStore s38(store_panel(), Build::kGRCh38, 3);
  REQUIRE(s38.results().size() == 4);
  CHECK(s38.n_samples() == 3);
  CHECK(s38.results()[0].state == SiteState::kNotInInput);
  CHECK(s38.results()[1].state == SiteState::kNoCoordinates);
  CHECK(s38.results()[2].state == SiteState::kNotInInput);
  CHECK(s38.results()[3].state == SiteState::kNotInInput);
  CHECK(s38.results()[0].n_records == 0);
  CHECK(s38.results()[0].n_matched == 0);
  CHECK(s38.results()[0].used_match == 0);
  CHECK(s38.results()[0].dosage_source == 0);
  CHECK(s38.results()[0].calls.empty());
  CHECK(duplicate_note(s38.results()[0]).empty());
  CHECK(s38.n_found() == 0);

  const SiteStore s37(store_panel(), Build::kGRCh37, 1);
  CHECK(s37.results()[1].state == SiteState::kNotInInput);
  CHECK(s37.results()[3].state == SiteState::kNotInInput);
}

TEST_CASE("the first matched record is found and its calls are moved in") {
  SiteStore store(store_panel(), Build::kGRCh38, 3);
  std::vector<Call> calls{call(0), call(1), call(2)};
  const Call* buffer = calls.data();
  const SiteMatch m = match(0, Build::kGRCh38, {"C", "A"});
  store.offer(m, record("rs1", "C", "A", 1100), calls);

  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kFound);
  CHECK(r.n_records == 1);
  CHECK(duplicate_note(r).empty());
  CHECK(r.match.row == 0);
  CHECK(r.match.counted_allele == 1);
  CHECK(r.match.type == MatchType::kDirect);
  CHECK(r.record.contig == "chr2");
  CHECK(r.record.id == "rs1");
  CHECK(r.record.ref == "C");
  CHECK(r.record.alts == "A");
  CHECK(r.record.pos == 1100);
  REQUIRE(r.calls.size() == 3);
  CHECK(r.calls[0].dosage == 0);
  CHECK(r.calls[1].dosage == 1);
  CHECK(r.calls[2].dosage == 2);
  CHECK(r.calls[2].ploidy == 2);
  CHECK(r.calls.data() == buffer);  // moved, not copied
  CHECK(r.calls[1].state == CallState::kCalled);
  CHECK(r.n_matched == 1);
  CHECK(r.used_match == 1);
  CHECK(store.n_found() == 1);
  // Other rows are untouched.
  CHECK(store.results()[2].state == SiteState::kNotInInput);
  CHECK(store.results()[2].n_records == 0);
}

TEST_CASE("a second matched record of equal rank is counted and noted, and the first is kept") {
  SiteStore store(store_panel(), Build::kGRCh38, 2);
  std::vector<Call> c1{call(1), call(0)};
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("first", "C", "A", 1100), c1);
  std::vector<Call> c2{call(2), call(2)};
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("second", "C", "A", 1100), c2);

  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kFound);
  CHECK(r.n_records == 2);
  CHECK(r.record.id == "first");
  REQUIRE(r.calls.size() == 2);
  CHECK(r.calls[0].dosage == 1);
  CHECK(r.calls[1].dosage == 0);
  CHECK(duplicate_note(r) == "matched by 2 records, counted once: matched record 1 in input order is used");
  // The losing offer's vectors are left alone.
  CHECK(c2.size() == 2);
  CHECK(store.n_found() == 1);

  // A swapped record matching equally well is also a duplicate; the first still wins.
  std::vector<Call> c3{call(0), call(0)};
  store.offer(match(0, Build::kGRCh38, {"A", "C"}), record("third", "A", "C", 1100), c3);
  CHECK(r.n_records == 3);
  CHECK(r.record.id == "first");
  CHECK(r.match.type == MatchType::kDirect);
  CHECK(duplicate_note(r) == "matched by 3 records, counted once: matched record 1 in input order is used");
}

TEST_CASE("a later record carrying the effect allele replaces an earlier matched record that lacks it") {
  SiteStore store(store_panel(), Build::kGRCh38, 2);
  const SiteMatch lacking = match(0, Build::kGRCh38, {"C", "G"});
  REQUIRE(lacking.counted_allele == -1);
  std::vector<Call> c1{call(0), call(0)};
  store.offer(lacking, record("cg", "C", "G", 1100), c1);
  CHECK(store.results()[0].state == SiteState::kFound);
  CHECK(store.results()[0].match.counted_allele == -1);

  const SiteMatch carrying = match(0, Build::kGRCh38, {"C", "A"});
  std::vector<Call> c2{call(1), call(2)};
  store.offer(carrying, record("ca", "C", "A", 1100), c2);

  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kFound);
  CHECK(r.n_records == 2);
  CHECK(r.record.id == "ca");
  CHECK(r.record.alts == "A");
  CHECK(r.match.counted_allele == 1);
  REQUIRE(r.calls.size() == 2);
  CHECK(r.calls[0].dosage == 1);
  CHECK(r.calls[1].dosage == 2);
  CHECK(duplicate_note(r) == "matched by 2 records, counted once: matched record 2 in input order is used");
  CHECK(store.n_found() == 1);
}

TEST_CASE("an earlier record carrying the effect allele is kept over a later one that lacks it") {
  SiteStore store(store_panel(), Build::kGRCh38, 1);
  std::vector<Call> c1{call(1)};
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("ca", "C", "A", 1100), c1);
  std::vector<Call> c2{call(0)};
  store.offer(match(0, Build::kGRCh38, {"C", "G"}), record("cg", "C", "G", 1100), c2);

  const SiteResult& r = store.results()[0];
  CHECK(r.n_records == 2);
  CHECK(r.record.id == "ca");
  CHECK(r.match.counted_allele == 1);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0].dosage == 1);
  CHECK(duplicate_note(r) == "matched by 2 records, counted once: matched record 1 in input order is used");
  CHECK(c2.size() == 1);
}

TEST_CASE("a REF-mismatch offer alone leaves the row a REF mismatch, and a matched record then replaces it") {
  SiteStore store(store_panel(), Build::kGRCh38, 2);
  // T is neither the panel REF C, nor its ALT A with C among the ALTs, nor (strand flip) the complement G.
  const SiteMatch bad = match(0, Build::kGRCh38, {"T", "A"});
  REQUIRE(bad.outcome == MatchOutcome::kRefMismatch);
  std::vector<Call> c1{call(1), call(1)};
  store.offer(bad, record("mismatch", "T", "A", 1100), c1);

  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kRefMismatch);
  CHECK(r.n_records == 1);
  CHECK(r.record.id == "mismatch");
  CHECK(r.record.ref == "T");
  CHECK(r.calls.empty());
  CHECK(c1.size() == 2);  // not taken
  CHECK(store.n_found() == 0);

  std::vector<Call> c2{call(0), call(2)};
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("good", "C", "A", 1100), c2);
  CHECK(r.state == SiteState::kFound);
  CHECK(r.n_records == 2);
  CHECK(r.record.id == "good");
  CHECK(r.match.outcome == MatchOutcome::kMatched);
  REQUIRE(r.calls.size() == 2);
  CHECK(r.calls[1].dosage == 2);
  CHECK(duplicate_note(r).empty());  // only one record matched
  CHECK(store.n_found() == 1);
}

TEST_CASE("a REF mismatch after a matched record is counted but does not replace it") {
  SiteStore store(store_panel(), Build::kGRCh38, 1);
  std::vector<Call> c1{call(2)};
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("good", "C", "A", 1100), c1);
  std::vector<Call> c2{call(0)};
  store.offer(match(0, Build::kGRCh38, {"T", "A"}), record("bad", "T", "A", 1100), c2);
  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kFound);
  CHECK(r.n_records == 2);
  CHECK(r.record.id == "good");
  CHECK(r.calls[0].dosage == 2);
  CHECK(duplicate_note(r).empty());
}

TEST_CASE("an allele-absent offer beats a REF mismatch and loses to a position-only match carrying the effect allele") {
  SiteStore store(store_panel(), Build::kGRCh37, 1);
  std::vector<Call> c0{call(1)};
  // Row 3 has no alleles in GRCh37, so a record there can only be allele-absent or a position-only match.
  const SiteMatch absent = match(3, Build::kGRCh37, {"G", "C"});
  REQUIRE(absent.outcome == MatchOutcome::kAlleleAbsent);
  store.offer(absent, record("gc", "G", "C", 400), c0);
  const SiteResult& r = store.results()[3];
  CHECK(r.state == SiteState::kAlleleAbsent);
  CHECK(r.calls.empty());
  CHECK(c0.size() == 1);

  // A REF mismatch first (hand-made for row 3), then the allele-absent offer replaces it.
  SiteStore store2(store_panel(), Build::kGRCh37, 1);
  SiteMatch mismatch = absent;
  mismatch.outcome = MatchOutcome::kRefMismatch;
  store2.offer(mismatch, record("m", "A", "C", 400), c0);
  CHECK(store2.results()[3].state == SiteState::kRefMismatch);
  store2.offer(absent, record("gc", "G", "C", 400), c0);
  CHECK(store2.results()[3].state == SiteState::kAlleleAbsent);
  CHECK(store2.results()[3].record.id == "gc");

  const SiteMatch found = match(3, Build::kGRCh37, {"G", "T"});
  REQUIRE(found.type == MatchType::kPositionOnly);
  std::vector<Call> c1{call(2)};
  store.offer(found, record("gt", "G", "T", 400), c1);
  CHECK(r.state == SiteState::kFound);
  CHECK(r.n_records == 2);
  CHECK(r.record.id == "gt");
  CHECK_FALSE(r.match.ref_verified);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0].dosage == 2);
  CHECK(store.n_found() == 1);
}

TEST_CASE("n_found counts the rows whose state is found") {
  SiteStore store(store_panel(), Build::kGRCh38, 1);
  std::vector<Call> c{call(1)};
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("a", "C", "A", 1100), c);
  CHECK(store.n_found() == 1);
  c = {call(1)};
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("dup", "C", "A", 1100), c);
  CHECK(store.n_found() == 1);  // a duplicate adds no row
  c = {call(0)};
  store.offer(match(2, Build::kGRCh38, {"C", "A"}), record("b", "C", "A", 1300), c);
  CHECK(store.n_found() == 2);
  c = {call(0)};
  store.offer(match(3, Build::kGRCh38, {"A", "T"}), record("m", "A", "T", 1400), c);
  CHECK(store.results()[3].state == SiteState::kRefMismatch);
  CHECK(store.n_found() == 2);
}

TEST_CASE("site states have their output names") {
  CHECK(to_string(SiteState::kFound) == "found");
  CHECK(to_string(SiteState::kRefBlock) == "ref_block");
  CHECK(to_string(SiteState::kFiltered) == "filtered");
  CHECK(to_string(SiteState::kBuildMismatch) == "build_mismatch");
  CHECK(to_string(SiteState::kNotInInput) == "not_in_input");
  CHECK(to_string(SiteState::kRefMismatch) == "ref_mismatch");
  CHECK(to_string(SiteState::kAlleleAbsent) == "allele_absent");
  CHECK(to_string(SiteState::kNoCoordinates) == "no_coordinates");
  CHECK(to_string(SiteState::kAlleleMismatch) == "allele_mismatch");
}

TEST_CASE("the duplicate note counts matched records only and names the one used") {
  // A REF mismatch, then two matched records: two matched, the first of them used (not "3 records").
  SiteStore store(store_panel(), Build::kGRCh38, 1);
  std::vector<Call> c0{call(0)}, c1{call(1)}, c2{call(2)};
  store.offer(match(0, Build::kGRCh38, {"T", "A"}), record("bad", "T", "A", 1100), c0);
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("good1", "C", "A", 1100), c1);
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("good2", "C", "A", 1100), c2);
  const SiteResult& r = store.results()[0];
  CHECK(r.n_records == 3);
  CHECK(r.n_matched == 2);
  CHECK(r.record.id == "good1");
  CHECK(r.calls[0].dosage == 1);
  CHECK(duplicate_note(r) == "matched by 2 records, counted once: matched record 1 in input order is used");
}

TEST_CASE("gt_text writes calls the way bcftools prints them") {
  Call c;
  CHECK(gt_text(c) == ".");
  c.ploidy = 2;
  c.allele[0] = 0;
  c.allele[1] = 1;
  CHECK(gt_text(c) == "0/1");
  c.phased = true;
  CHECK(gt_text(c) == "0|1");
  c.phased = false;
  c.allele[0] = -1;
  c.allele[1] = -1;
  CHECK(gt_text(c) == "./.");
  c.allele[1] = 1;
  CHECK(gt_text(c) == "./1");
  c.ploidy = 1;
  c.allele[0] = 2;
  CHECK(gt_text(c) == "2");
}

TEST_CASE("call states have their output names") {
  CHECK(to_string(CallState::kCalled) == "called");
  CHECK(to_string(CallState::kRefBlock) == "ref_block");
  CHECK(to_string(CallState::kAbsentCovered) == "absent_covered");
  CHECK(to_string(CallState::kAbsentUnknown) == "absent_unknown");
  CHECK(to_string(CallState::kFiltered) == "filtered");
  CHECK(to_string(CallState::kMissing) == "missing");
  CHECK(kNumCallStates == 6);
  CHECK(static_cast<size_t>(CallState::kMissing) == kNumCallStates - 1);
}

TEST_CASE("a call is observed only when its state says reference or called and its dosage is known") {
  const Call none{};
  CHECK(none.state == CallState::kMissing);
  CHECK(none.dosage == -1);
  CHECK(none.ploidy == 0);
  CHECK(none.gq == -1);
  CHECK(none.dp == -1);
  CHECK_FALSE(none.observed());

  const Call c = Call::called(1.7f, 2);
  CHECK(c.state == CallState::kCalled);
  CHECK(c.dosage == 1.7f);
  CHECK(c.ploidy == 2);
  CHECK(c.observed());
  CHECK(Call::called(0, 1).observed());  // zero copies is an observation
  CHECK_FALSE(Call::called(-1, 2).observed());

  CHECK(call_in(CallState::kRefBlock, 0).observed());
  CHECK_FALSE(call_in(CallState::kRefBlock, -1).observed());  // block where the effect allele's REF is unknown
  CHECK(call_in(CallState::kAbsentCovered, 2).observed());
  CHECK_FALSE(call_in(CallState::kAbsentCovered, -1).observed());
  CHECK_FALSE(call_in(CallState::kAbsentUnknown, 0).observed());
  CHECK_FALSE(call_in(CallState::kFiltered, 1).observed());  // a filtered call keeps its dosage, unused
  CHECK_FALSE(call_in(CallState::kMissing, 1).observed());
}

TEST_CASE("a reference block outranks a REF mismatch and an absent allele, and a matched variant record replaces it") {
  SiteStore store(store_panel(), Build::kGRCh38, 2);
  std::vector<Call> c0{call(1), call(1)};
  store.offer(match(0, Build::kGRCh38, {"T", "A"}), record("mismatch", "T", "A", 1100), c0);
  const SiteResult& r = store.results()[0];
  REQUIRE(r.state == SiteState::kRefMismatch);

  std::vector<Call> b1{call_in(CallState::kRefBlock, 0), call_in(CallState::kRefBlock, 0)};
  const Call* block_buffer = b1.data();
  store.offer(ref_block(0), record("block1", "C", "<NON_REF>", 1050), b1, false, kSrcBlock);
  CHECK(r.state == SiteState::kRefBlock);
  CHECK(r.match.type == MatchType::kRefBlock);
  CHECK(r.record.id == "block1");
  CHECK(r.n_records == 2);
  CHECK(r.n_matched == 0);  // a block is no matched record
  CHECK(r.used_match == 0);
  CHECK(r.dosage_source == kSrcBlock);
  REQUIRE(r.calls.size() == 2);
  CHECK(r.calls.data() == block_buffer);
  CHECK(r.calls[0].state == CallState::kRefBlock);
  CHECK(duplicate_note(r).empty());
  CHECK(store.n_found() == 0);  // found means a matched variant record

  // A second block of equal rank: counted, not used.
  std::vector<Call> b2{call_in(CallState::kRefBlock, 0), call_in(CallState::kRefBlock, 0)};
  store.offer(ref_block(0), record("block2", "C", "<*>", 1090), b2, false, kSrcBlock);
  CHECK(r.record.id == "block1");
  CHECK(r.n_records == 3);
  CHECK(b2.size() == 2);

  // A later REF mismatch does not replace the block.
  std::vector<Call> c3{call(2), call(2)};
  store.offer(match(0, Build::kGRCh38, {"T", "A"}), record("mismatch2", "T", "A", 1100), c3);
  CHECK(r.state == SiteState::kRefBlock);
  CHECK(r.record.id == "block1");

  // A variant record matching the row, even one lacking the effect allele, replaces the block.
  const SiteMatch lacking = match(0, Build::kGRCh38, {"C", "G"});
  REQUIRE(lacking.counted_allele == -1);
  std::vector<Call> v{call(0), call(0)};
  store.offer(lacking, record("variant", "C", "G", 1100), v, false, kSrcGT);
  CHECK(r.state == SiteState::kFound);
  CHECK(r.match.type == MatchType::kDirect);
  CHECK(r.record.id == "variant");
  CHECK(r.n_records == 5);
  CHECK(r.n_matched == 1);
  CHECK(r.used_match == 1);
  CHECK(r.dosage_source == kSrcGT);
  CHECK(r.calls[0].state == CallState::kCalled);
  CHECK(duplicate_note(r).empty());
  CHECK(store.n_found() == 1);

  // A block after the variant record does not replace it.
  std::vector<Call> b3{call_in(CallState::kRefBlock, 0), call_in(CallState::kRefBlock, 0)};
  store.offer(ref_block(0), record("block3", "C", "<NON_REF>", 1100), b3, false, kSrcBlock);
  CHECK(r.state == SiteState::kFound);
  CHECK(r.record.id == "variant");
  CHECK(r.dosage_source == kSrcGT);
  CHECK(r.n_matched == 1);
  CHECK(b3.size() == 2);

  // An allele-absent record (row 3 in GRCh37, alleles unknown) loses to a block too.
  SiteStore s37(store_panel(), Build::kGRCh37, 1);
  std::vector<Call> a{call(1)};
  s37.offer(match(3, Build::kGRCh37, {"G", "C"}), record("gc", "G", "C", 400), a);
  REQUIRE(s37.results()[3].state == SiteState::kAlleleAbsent);
  std::vector<Call> b{call_in(CallState::kRefBlock, -1)};
  s37.offer(ref_block(3), record("block", "G", "<NON_REF>", 390), b, false, kSrcBlock);
  CHECK(s37.results()[3].state == SiteState::kRefBlock);
  CHECK(s37.results()[3].record.id == "block");
  CHECK(s37.results()[3].n_records == 2);
}

TEST_CASE("a match from a record failing --pass-only is kept as filtered and loses to any unfiltered match") {
  SiteStore store(store_panel(), Build::kGRCh38, 2);
  std::vector<Call> f1{call_in(CallState::kFiltered, 1), call_in(CallState::kFiltered, 2)};
  const Call* filtered_buffer = f1.data();
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("lowqual", "C", "A", 1100), f1, true, kSrcDS);
  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kFiltered);
  CHECK(r.record.id == "lowqual");
  CHECK(r.match.counted_allele == 1);
  CHECK(r.n_records == 1);
  CHECK(r.n_matched == 1);
  CHECK(r.used_match == 1);
  CHECK(r.dosage_source == kSrcDS);
  REQUIRE(r.calls.size() == 2);
  CHECK(r.calls.data() == filtered_buffer);  // the calls are kept, for the report
  CHECK(r.calls[1].state == CallState::kFiltered);
  CHECK(r.calls[1].dosage == 2);
  CHECK(store.n_found() == 0);

  // A reference block or a REF mismatch after it does not replace it.
  std::vector<Call> b{call_in(CallState::kRefBlock, 0), call_in(CallState::kRefBlock, 0)};
  store.offer(ref_block(0), record("block", "C", "<NON_REF>", 1100), b, false, kSrcBlock);
  std::vector<Call> m{call(0), call(0)};
  store.offer(match(0, Build::kGRCh38, {"T", "A"}), record("mismatch", "T", "A", 1100), m);
  CHECK(r.state == SiteState::kFiltered);
  CHECK(r.record.id == "lowqual");
  CHECK(r.n_records == 3);
  CHECK(r.n_matched == 1);

  // An unfiltered match replaces it, even one lacking the effect allele.
  std::vector<Call> u{call(0), call(0)};
  store.offer(match(0, Build::kGRCh38, {"C", "G"}), record("pass", "C", "G", 1100), u, false, kSrcGT);
  CHECK(r.state == SiteState::kFound);
  CHECK(r.record.id == "pass");
  CHECK(r.match.counted_allele == -1);
  CHECK(r.n_records == 4);
  CHECK(r.n_matched == 2);
  CHECK(r.used_match == 2);
  CHECK(r.dosage_source == kSrcGT);
  CHECK(r.calls[0].state == CallState::kCalled);
  CHECK(duplicate_note(r) == "matched by 2 records, counted once: matched record 2 in input order is used");
  CHECK(store.n_found() == 1);

  // A later filtered match carrying the effect allele does not take it back.
  std::vector<Call> f2{call_in(CallState::kFiltered, 2), call_in(CallState::kFiltered, 2)};
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("lowqual2", "C", "A", 1100), f2, true, kSrcGT);
  CHECK(r.state == SiteState::kFound);
  CHECK(r.record.id == "pass");
  CHECK(r.n_matched == 3);
  CHECK(r.used_match == 2);
  CHECK(duplicate_note(r) == "matched by 3 records, counted once: matched record 2 in input order is used");
  CHECK(f2.size() == 2);

  // A filtered match beats an earlier reference block.
  SiteStore store2(store_panel(), Build::kGRCh38, 1);
  std::vector<Call> b2{call_in(CallState::kRefBlock, 0)};
  store2.offer(ref_block(2), record("block", "C", "<NON_REF>", 1300), b2, false, kSrcBlock);
  REQUIRE(store2.results()[2].state == SiteState::kRefBlock);
  std::vector<Call> f3{call_in(CallState::kFiltered, 1)};
  store2.offer(match(2, Build::kGRCh38, {"C", "A"}), record("lowqual", "C", "A", 1300), f3, true, kSrcGT);
  CHECK(store2.results()[2].state == SiteState::kFiltered);
  CHECK(store2.results()[2].record.id == "lowqual");
  CHECK(store2.results()[2].used_match == 1);
  CHECK(store2.n_found() == 0);
}

TEST_CASE("a build-mismatch note marks only a row not in the input, and a later matched record replaces it") {
  SiteStore store(store_panel(), Build::kGRCh38, 1);
  store.note_build_mismatch(0, record("other_build", "C", "A", 100));
  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kBuildMismatch);
  CHECK(r.record.id == "other_build");
  CHECK(r.record.pos == 100);
  CHECK(r.n_records == 0);
  CHECK(r.n_matched == 0);
  CHECK(r.calls.empty());
  CHECK(store.n_found() == 0);

  // A second note does not overwrite the first (the row is no longer not_in_input).
  store.note_build_mismatch(0, record("again", "C", "A", 100));
  CHECK(r.record.id == "other_build");

  // Rows in any other state are left alone.
  store.note_build_mismatch(1, record("nocoord", "C", "G", 200));
  CHECK(store.results()[1].state == SiteState::kNoCoordinates);
  CHECK(store.results()[1].record.id.empty());

  std::vector<Call> c2{call(1)};
  store.offer(match(2, Build::kGRCh38, {"C", "A"}), record("found", "C", "A", 1300), c2);
  store.note_build_mismatch(2, record("other_build", "C", "A", 300));
  CHECK(store.results()[2].state == SiteState::kFound);
  CHECK(store.results()[2].record.id == "found");
  CHECK(store.results()[2].record.pos == 1300);

  std::vector<Call> c3{call(1)};
  store.offer(match(3, Build::kGRCh38, {"A", "T"}), record("mismatch", "A", "T", 1400), c3);
  REQUIRE(store.results()[3].state == SiteState::kRefMismatch);
  store.note_build_mismatch(3, record("other_build", "G", "T", 400));
  CHECK(store.results()[3].state == SiteState::kRefMismatch);
  CHECK(store.results()[3].record.id == "mismatch");

  // A matched record at the row's position in this build replaces the note.
  std::vector<Call> c0{call(2)};
  const Call* buffer = c0.data();
  store.offer(match(0, Build::kGRCh38, {"C", "A"}), record("here", "C", "A", 1100), c0, false, kSrcGT);
  CHECK(r.state == SiteState::kFound);
  CHECK(r.record.id == "here");
  CHECK(r.record.pos == 1100);
  CHECK(r.n_records == 1);
  CHECK(r.n_matched == 1);
  CHECK(r.used_match == 1);
  CHECK(r.dosage_source == kSrcGT);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls.data() == buffer);
  CHECK(r.calls[0].dosage == 2);
  CHECK(duplicate_note(r).empty());
  CHECK(store.n_found() == 2);
}

namespace {

// Row 0: C>A with the REF as the effect allele (effect C), so a record C>G still carries the effect allele.
// Row 1: C>A,T effect T (a multiallelic site that inputs may split into one record per ALT).
const Panel& split_panel() {
  static const Panel p = [] {
    const auto row = [](const std::string& id, const std::string& alt, const std::string& effect) {
      return join({id, ".", "GENE", "inflammation", "bone", "2", "100", "C", alt, "1100", "C", alt, effect, ".",
                   "0.2", "additive", ".", "replicated", "PMID:1", "test", "."}) +
             "\n";
    };
    return Panel::parse("##panel=tiny\n##version=0.0.1\n" + join(panel_columns()) + "\n" + row("ref_eff", "A", "C") +
                            row("multi", "A,T", "T"),
                        "name.tsv");
  }();
  return p;
}

SiteMatch split_match(size_t row, const std::vector<std::string_view>& alleles) {
  return match_row(split_panel().sites()[row], row, Build::kGRCh38, alleles);
}

}  // namespace

TEST_CASE("among records carrying the effect allele, a later one carrying the panel's ALT replaces another variant") {
  SiteStore store(split_panel(), Build::kGRCh38, 1);
  const SiteMatch other_variant = split_match(0, {"C", "G"});
  REQUIRE(other_variant.counted_allele == 0);
  REQUIRE_FALSE(other_variant.panel_alt_present);
  std::vector<Call> c1{call(2)};
  store.offer(other_variant, record("cg", "C", "G", 1100), c1);
  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kFound);
  CHECK(r.record.id == "cg");

  const SiteMatch panel_variant = split_match(0, {"C", "A"});
  REQUIRE(panel_variant.panel_alt_present);
  std::vector<Call> c2{call(1)};
  store.offer(panel_variant, record("ca", "C", "A", 1100), c2);
  CHECK(r.record.id == "ca");
  CHECK(r.calls[0].dosage == 1);
  CHECK(r.n_matched == 2);
  CHECK(r.used_match == 2);
  CHECK(duplicate_note(r) == "matched by 2 records, counted once: matched record 2 in input order is used");

  // The other order: the panel's variant first is kept.
  SiteStore store2(split_panel(), Build::kGRCh38, 1);
  std::vector<Call> d1{call(1)}, d2{call(2)};
  store2.offer(panel_variant, record("ca", "C", "A", 1100), d1);
  store2.offer(other_variant, record("cg", "C", "G", 1100), d2);
  CHECK(store2.results()[0].record.id == "ca");
  CHECK(store2.results()[0].used_match == 1);

  // Another variant carrying the effect allele still beats a record lacking it.
  SiteStore store3(split_panel(), Build::kGRCh38, 1);
  const SiteMatch lacking = split_match(1, {"C", "A"});  // split record C>A of C>A,T: no T
  REQUIRE(lacking.counted_allele == -1);
  const SiteMatch carrying = split_match(1, {"C", "T"});
  REQUIRE(carrying.counted_allele == 1);
  std::vector<Call> e1{call(0)}, e2{call(1)};
  store3.offer(lacking, record("ca", "C", "A", 1100), e1);
  store3.offer(carrying, record("ct", "C", "T", 1100), e2);
  CHECK(store3.results()[1].record.id == "ct");
  CHECK(store3.results()[1].calls[0].dosage == 1);
  CHECK(store3.results()[1].used_match == 2);
}

TEST_CASE("a strand-flipped record without the complemented panel ALT loses to one that carries it") {
  // Panel C>A, effect C. G>T is the flipped panel variant; G>C is another variant at the site (flipped REF only).
  const Panel p = Panel::parse(std::string("##panel=t\n##version=1\n") + [] {
    std::string h;
    for (const auto& c : panel_columns()) h += (h.empty() ? "" : "\t") + c;
    return h;
  }() + "\nf\t.\tG\tother\tbone\t2\t.\t.\t.\t1100\tC\tA\tC\t.\t0.5\tadditive\t.\treplicated\t.\t.\t.\n", "f.tsv");
  const SiteMatch other = match_row(p.sites()[0], 0, Build::kGRCh38, {"G", "C"});
  const SiteMatch flip = match_row(p.sites()[0], 0, Build::kGRCh38, {"G", "T"});
  REQUIRE(other.type == MatchType::kStrandFlipped);
  REQUIRE(flip.type == MatchType::kStrandFlipped);
  CHECK_FALSE(other.panel_alt_present);
  CHECK(flip.panel_alt_present);
  SiteStore store(p, Build::kGRCh38, 1);
  std::vector<Call> c1{Call::called(0, 2)}, c2{Call::called(1, 2)};
  store.offer(other, record("gc", "G", "C", 1100), c1);
  store.offer(flip, record("gt", "G", "T", 1100), c2);
  CHECK(store.results()[0].record.id == "gt");
  CHECK(store.results()[0].calls[0].dosage == 1);
}

TEST_CASE("a reference block whose FILTER failed reports the filtered reason and loses to one that passed") {
  SiteStore store(store_panel(), Build::kGRCh38, 1);
  SiteMatch block;
  block.row = 0;
  block.type = MatchType::kRefBlock;
  std::vector<Call> c1{Call{}}, c2{Call::called(0, 2)};
  store.offer(block, record("failed", "C", "<NON_REF>", 1000), c1, true);
  CHECK(store.results()[0].state == SiteState::kFiltered);
  store.offer(block, record("passed", "C", "<NON_REF>", 1050), c2, false);
  CHECK(store.results()[0].state == SiteState::kRefBlock);
  CHECK(store.results()[0].record.id == "passed");
}

TEST_CASE("a row with both alleles: a record lacking one is allele_mismatch, and at a split site the record with both wins") {
  // PGS row 0 at 1:100, effect T other C; the input splits C>T,G into C>G and C>T, C>G first.
  static const Panel p = parse_pgs_catalog(
      "#format_version=2.0\n#pgs_id=PGS1\n#genome_build=GRCh37\nrsID\tchr_name\tchr_position\teffect_allele\t"
      "other_allele\teffect_weight\nrs1\t1\t100\tT\tC\t0.5\n",
      "pgs.txt", {});
  SiteStore store(p, Build::kGRCh37, 1);
  std::vector<Call> c0{call(0)}, c1{call(1)};
  const SiteMatch cg = match_row(p.sites()[0], 0, Build::kGRCh37, {"C", "G"});
  REQUIRE(cg.outcome == MatchOutcome::kAlleleMismatch);
  store.offer(cg, SeenRecord{"1", "a", "C", "G", 100}, c0, false, kSrcGT, 1);
  const SiteResult& r = store.results()[0];
  CHECK(r.state == SiteState::kAlleleMismatch);
  CHECK(r.calls.empty());
  // Without a record carrying both, an --absent-as-ref call is not made up: a record was there.
  const SiteMatch ct = match_row(p.sites()[0], 0, Build::kGRCh37, {"C", "T"});
  REQUIRE(ct.outcome == MatchOutcome::kMatched);
  store.offer(ct, SeenRecord{"1", "b", "C", "T", 100}, c1, false, kSrcGT, 2);
  CHECK(r.state == SiteState::kFound);
  CHECK(r.record.id == "b");
  CHECK(r.match.type == MatchType::kAllelePair);
  CHECK(r.n_records == 2);
  CHECK(r.n_matched == 1);
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0].dosage == 1);
}
