// The allele matcher: direct, swapped and position-only matches, REF mismatches, and the counted allele index.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "panel.h"
#include "panel_matcher.h"
#include "pgs_catalog.h"

using namespace healcap;

namespace {

// One panel row in the 21-column format; GRCh37 and GRCh38 loci given separately ('.' when unknown).
struct Row {
  std::string id, chrom, pos37, ref37, alt37, pos38, ref38, alt38, effect, weight, model, grade;
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "\t" : "") + v[i];
  return s;
}

Panel tiny_panel(const std::vector<Row>& rows) {
  std::string t = "##panel=tiny\n##version=0.0.1\n" + join(panel_columns()) + "\n";
  for (const Row& r : rows)
    t += join({r.id, ".", "GENE", "matrix_structure", "tendon_ligament", r.chrom, r.pos37, r.ref37, r.alt37, r.pos38,
               r.ref38, r.alt38, r.effect, ".", r.weight, r.model, ".", r.grade, "PMID:1", "test", "."}) +
         "\n";
  return Panel::parse(t, "name.tsv");
}

// Rows 0..6 of the matcher panel, by id.
const Panel& matcher_panel() {
  static const Panel p = tiny_panel({
      {"alt_effect", "1", "100", "C", "A", "1100", "C", "A", "A", "0.5", "additive", "replicated"},
      {"ref_effect", "1", "100", "C", "A", "1100", "C", "A", "C", "0.5", "additive", "replicated"},
      {"multi", "1", "300", "C", "A,T", "1300", "C", "A,T", "T", "0.5", "dominant", "suggestive"},
      {"no_ref37", "1", "400", ".", ".", "1400", "G", "T", "T", "0.5", "recessive", "suggestive"},
      {"flag", "1", "500", "C", "A", "1500", "C", "A", ".", "0", "additive", "null"},
      {"flag_no_ref37", "1", "600", ".", ".", "1600", "C", "A", ".", "0", "additive", "none"},
      {"indel", "1", "700", "TAGTAAG", "T", "1700", "TAGTAAG", "T", "T", "0.5", "additive", "replicated"},
  });
  return p;
}

SiteMatch match(size_t row, Build b, const std::vector<std::string_view>& alleles) {
  return match_row(matcher_panel().sites()[row], row, b, alleles);
}

}  // namespace

TEST_CASE("the matcher's test panel loads with its seven rows in order") {
  const auto& s = matcher_panel().sites();
  REQUIRE(s.size() == 7);
  CHECK(s[0].id == "alt_effect");
  CHECK(s[3].in(Build::kGRCh37).ref.empty());
  CHECK(s[4].effect_allele.empty());
  CHECK(s[6].in(Build::kGRCh38).ref == "TAGTAAG");
}

TEST_CASE("a direct match counts the effect allele at its ALT index") {
  for (Build b : {Build::kGRCh37, Build::kGRCh38}) {
    const SiteMatch m = match(0, b, {"C", "A"});
    CHECK(m.row == 0);
    CHECK(m.outcome == MatchOutcome::kMatched);
    CHECK(m.type == MatchType::kDirect);
    CHECK(m.counted_allele == 1);
    CHECK(m.ref_verified);
  }
}

TEST_CASE("a direct match whose effect allele is the REF counts allele 0") {
  const SiteMatch m = match(1, Build::kGRCh38, {"C", "A"});
  CHECK(m.row == 1);
  CHECK(m.outcome == MatchOutcome::kMatched);
  CHECK(m.type == MatchType::kDirect);
  CHECK(m.counted_allele == 0);
  CHECK(m.ref_verified);
}

TEST_CASE("a multiallelic record counts the effect allele at its position among the ALTs") {
  const SiteMatch both = match(2, Build::kGRCh38, {"C", "A", "T"});
  CHECK(both.outcome == MatchOutcome::kMatched);
  CHECK(both.type == MatchType::kDirect);
  CHECK(both.counted_allele == 2);

  const SiteMatch reordered = match(2, Build::kGRCh38, {"C", "T", "A"});
  CHECK(reordered.counted_allele == 1);

  const SiteMatch only_t = match(2, Build::kGRCh38, {"C", "T"});
  CHECK(only_t.outcome == MatchOutcome::kMatched);
  CHECK(only_t.counted_allele == 1);

  // A record with an extra ALT the panel does not list still matches directly on REF.
  const SiteMatch extra = match(0, Build::kGRCh38, {"C", "G", "A"});
  CHECK(extra.outcome == MatchOutcome::kMatched);
  CHECK(extra.type == MatchType::kDirect);
  CHECK(extra.counted_allele == 2);
}

TEST_CASE("a record with the panel's REF and ALT swapped matches as swapped and counts the effect allele where the record has it") {
  const SiteMatch alt_effect = match(0, Build::kGRCh38, {"A", "C"});
  CHECK(alt_effect.outcome == MatchOutcome::kMatched);
  CHECK(alt_effect.type == MatchType::kSwapped);
  CHECK(alt_effect.counted_allele == 0);  // effect A is the record's REF
  CHECK(alt_effect.ref_verified);

  const SiteMatch ref_effect = match(1, Build::kGRCh38, {"A", "C"});
  CHECK(ref_effect.outcome == MatchOutcome::kMatched);
  CHECK(ref_effect.type == MatchType::kSwapped);
  CHECK(ref_effect.counted_allele == 1);  // effect C is the record's first ALT

  const SiteMatch multi = match(1, Build::kGRCh38, {"A", "G", "C"});
  CHECK(multi.type == MatchType::kSwapped);
  CHECK(multi.counted_allele == 2);

  // The record's REF may be any of the panel's ALTs.
  const SiteMatch second_alt = match(2, Build::kGRCh38, {"T", "C"});
  CHECK(second_alt.outcome == MatchOutcome::kMatched);
  CHECK(second_alt.type == MatchType::kSwapped);
  CHECK(second_alt.counted_allele == 0);
}

TEST_CASE("a record whose REF is neither the panel REF nor a swapped panel ALT is a REF mismatch") {
  // (A record REF G would be the complement of C: a strand flip, tested below. T, the complement of the
  // panel ALT, is a flip only with G among the record's ALTs.)
  CHECK(match(0, Build::kGRCh38, {"T", "A"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(match(0, Build::kGRCh38, {"T", "C"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(match(0, Build::kGRCh38, {"CA", "C"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(match(0, Build::kGRCh38, {"<DEL>", "C"}).outcome == MatchOutcome::kRefMismatch);
  // The record's REF is the panel ALT, but the panel REF is not among the record's ALTs.
  CHECK(match(0, Build::kGRCh38, {"A", "G"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(match(0, Build::kGRCh38, {"A", "T", "G"}).outcome == MatchOutcome::kRefMismatch);
  // A flag-only row is checked the same way.
  CHECK(match(4, Build::kGRCh38, {"T", "A"}).outcome == MatchOutcome::kRefMismatch);
  const SiteMatch m = match(0, Build::kGRCh38, {"T", "A"});
  CHECK(m.row == 0);
  CHECK(m.ref_verified);
}

TEST_CASE("a record with the panel REF but without the effect allele matches with counted allele -1") {
  const SiteMatch m = match(0, Build::kGRCh38, {"C", "G"});
  CHECK(m.outcome == MatchOutcome::kMatched);
  CHECK(m.type == MatchType::kDirect);
  CHECK(m.counted_allele == -1);

  const SiteMatch multi = match(2, Build::kGRCh38, {"C", "A"});
  CHECK(multi.outcome == MatchOutcome::kMatched);
  CHECK(multi.counted_allele == -1);

  // A REF-only record (no ALT) at the site.
  const SiteMatch ref_only = match(0, Build::kGRCh38, {"C"});
  CHECK(ref_only.outcome == MatchOutcome::kMatched);
  CHECK(ref_only.counted_allele == -1);
}

TEST_CASE("a row whose REF is unknown in the build matches on position and effect allele, unverified") {
  const SiteMatch alt = match(3, Build::kGRCh37, {"G", "T"});
  CHECK(alt.outcome == MatchOutcome::kMatched);
  CHECK(alt.type == MatchType::kPositionOnly);
  CHECK_FALSE(alt.ref_verified);
  CHECK(alt.counted_allele == 1);

  const SiteMatch ref = match(3, Build::kGRCh37, {"T", "G"});
  CHECK(ref.outcome == MatchOutcome::kMatched);
  CHECK(ref.type == MatchType::kPositionOnly);
  CHECK(ref.counted_allele == 0);

  const SiteMatch third = match(3, Build::kGRCh37, {"A", "C", "T"});
  CHECK(third.outcome == MatchOutcome::kMatched);
  CHECK(third.counted_allele == 2);

  const SiteMatch absent = match(3, Build::kGRCh37, {"G", "C"});
  CHECK(absent.outcome == MatchOutcome::kAlleleAbsent);
  CHECK(absent.type == MatchType::kPositionOnly);
  CHECK_FALSE(absent.ref_verified);
  CHECK(absent.counted_allele == -1);

  // The same row in GRCh38, where its alleles are known, is matched and verified.
  const SiteMatch known = match(3, Build::kGRCh38, {"G", "T"});
  CHECK(known.type == MatchType::kDirect);
  CHECK(known.ref_verified);
  CHECK(known.counted_allele == 1);
  CHECK(match(3, Build::kGRCh38, {"A", "T"}).outcome == MatchOutcome::kRefMismatch);
}

TEST_CASE("a flag-only row (no effect allele) matches with counted allele -2") {
  const SiteMatch direct = match(4, Build::kGRCh38, {"C", "A"});
  CHECK(direct.outcome == MatchOutcome::kMatched);
  CHECK(direct.type == MatchType::kDirect);
  CHECK(direct.counted_allele == -2);

  const SiteMatch other_alt = match(4, Build::kGRCh38, {"C", "G"});
  CHECK(other_alt.outcome == MatchOutcome::kMatched);
  CHECK(other_alt.counted_allele == -2);

  const SiteMatch swapped = match(4, Build::kGRCh38, {"A", "C"});
  CHECK(swapped.outcome == MatchOutcome::kMatched);
  CHECK(swapped.type == MatchType::kSwapped);
  CHECK(swapped.counted_allele == -2);

  // Unknown REF and no effect allele: matched on position alone, never allele-absent.
  const SiteMatch position = match(5, Build::kGRCh37, {"G", "T"});
  CHECK(position.outcome == MatchOutcome::kMatched);
  CHECK(position.type == MatchType::kPositionOnly);
  CHECK_FALSE(position.ref_verified);
  CHECK(position.counted_allele == -2);
}

TEST_CASE("indel rows match on exact allele strings") {
  const SiteMatch direct = match(6, Build::kGRCh38, {"TAGTAAG", "T"});
  CHECK(direct.outcome == MatchOutcome::kMatched);
  CHECK(direct.type == MatchType::kDirect);
  CHECK(direct.counted_allele == 1);

  CHECK(direct.panel_alt_present);

  // An indel's REF spells the reference sequence: T>TAGTAAG is an insertion, a different variant from the
  // panel's deletion, never its swap; nor is the reverse complement CTTACTA>A a strand flip.
  const SiteMatch swapped = match(6, Build::kGRCh38, {"T", "TAGTAAG"});
  CHECK(swapped.outcome == MatchOutcome::kRefMismatch);
  CHECK(swapped.type != MatchType::kSwapped);
  CHECK(match(6, Build::kGRCh38, {"CTTACTA", "A"}).outcome == MatchOutcome::kRefMismatch);
  // A single-base record at a single-base row still swaps (the indel rule does not leak to SNVs).
  CHECK(match(0, Build::kGRCh38, {"A", "C"}).type == MatchType::kSwapped);

  // A shorter or longer REF is a different variant, not a prefix match.
  CHECK(match(6, Build::kGRCh38, {"TAGTAA", "T"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(match(6, Build::kGRCh38, {"TAGTAAGT", "T"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(match(6, Build::kGRCh38, {"T", "TAGTAA"}).outcome == MatchOutcome::kRefMismatch);

  // Same REF, another deletion: the effect allele T is not an ALT here.
  const SiteMatch other = match(6, Build::kGRCh38, {"TAGTAAG", "TA"});
  CHECK(other.outcome == MatchOutcome::kMatched);
  CHECK(other.counted_allele == -1);
  CHECK_FALSE(other.panel_alt_present);
}

TEST_CASE("a direct match records whether the record carries one of the panel's ALTs") {
  CHECK(match(0, Build::kGRCh38, {"C", "A"}).panel_alt_present);
  CHECK(match(0, Build::kGRCh38, {"C", "G", "A"}).panel_alt_present);
  CHECK_FALSE(match(0, Build::kGRCh38, {"C", "G"}).panel_alt_present);
  CHECK_FALSE(match(0, Build::kGRCh38, {"C"}).panel_alt_present);
  // Effect allele = REF: the record C>G carries the effect allele but is another variant at the position.
  const SiteMatch ref_effect = match(1, Build::kGRCh38, {"C", "G"});
  CHECK(ref_effect.counted_allele == 0);
  CHECK_FALSE(ref_effect.panel_alt_present);
  CHECK(match(1, Build::kGRCh38, {"C", "A"}).panel_alt_present);
  // Multiallelic panel row C>A,T: either ALT is enough (a split multiallelic site).
  CHECK(match(2, Build::kGRCh38, {"C", "A"}).panel_alt_present);
  CHECK(match(2, Build::kGRCh38, {"C", "T"}).panel_alt_present);
  CHECK_FALSE(match(2, Build::kGRCh38, {"C", "G"}).panel_alt_present);
  // Flag-only row: the same test.
  CHECK(match(4, Build::kGRCh38, {"C", "A"}).panel_alt_present);
  CHECK_FALSE(match(4, Build::kGRCh38, {"C", "G"}).panel_alt_present);
  // A swap carries the panel REF among the record's ALTs and its ALT as the record's REF.
  CHECK(match(0, Build::kGRCh38, {"A", "C"}).panel_alt_present);
}

TEST_CASE("match_record returns one match per row at the position, in the given order, with the row indices") {
  const Panel& p = matcher_panel();
  const std::vector<size_t> rows = p.sites_at(Build::kGRCh38, "chr1", 1100);
  REQUIRE(rows == std::vector<size_t>{0, 1});
  const auto ms = match_record(p, Build::kGRCh38, rows, {"C", "A"});
  REQUIRE(ms.size() == 2);
  CHECK(ms[0].row == 0);
  CHECK(ms[0].counted_allele == 1);
  CHECK(ms[1].row == 1);
  CHECK(ms[1].counted_allele == 0);

  const auto swapped = match_record(p, Build::kGRCh38, rows, {"A", "C"});
  REQUIRE(swapped.size() == 2);
  CHECK(swapped[0].type == MatchType::kSwapped);
  CHECK(swapped[0].counted_allele == 0);
  CHECK(swapped[1].counted_allele == 1);

  // Row 4 (C>A): A is its ALT but C is not among the record's ALTs, and A is neither G nor T (the complements
  // of C and A): a REF mismatch. Row 3 (alleles unknown in GRCh37, effect T): matched on position.
  const auto mixed = match_record(p, Build::kGRCh37, {4, 3}, {"A", "T"});
  REQUIRE(mixed.size() == 2);
  CHECK(mixed[0].row == 4);
  CHECK(mixed[0].outcome == MatchOutcome::kRefMismatch);
  CHECK(mixed[1].row == 3);
  CHECK(mixed[1].outcome == MatchOutcome::kMatched);
  CHECK(mixed[1].type == MatchType::kPositionOnly);
  CHECK(mixed[1].counted_allele == 1);

  // A strand-flipped record: every row at the position is flipped, each counting its own complemented effect.
  const auto flipped = match_record(p, Build::kGRCh38, rows, {"G", "T"});
  REQUIRE(flipped.size() == 2);
  CHECK(flipped[0].type == MatchType::kStrandFlipped);
  CHECK(flipped[0].counted_allele == 1);  // effect A -> T
  CHECK(flipped[1].type == MatchType::kStrandFlipped);
  CHECK(flipped[1].counted_allele == 0);  // effect C -> G

  CHECK(match_record(p, Build::kGRCh38, {}, {"C", "A"}).empty());
}

TEST_CASE("match types have their output names") {
  CHECK(to_string(MatchType::kDirect) == "direct");
  CHECK(to_string(MatchType::kSwapped) == "swapped");
  CHECK(to_string(MatchType::kPositionOnly) == "position_only");
  CHECK(to_string(MatchType::kStrandFlipped) == "strand_flipped");
  CHECK(to_string(MatchType::kRefBlock) == "ref_block");
  CHECK(to_string(MatchType::kAllelePair) == "allele_pair");
}

namespace {

// Strand-flip rows (the same alleles in both builds; the tests use GRCh38):
// 0 C>A effect A; 1 C>A effect C; 2 A>T effect T (palindromic); 3 C>G effect G (palindromic);
// 4 C>A,T effect T (multiallelic); 5 A>G effect G (not palindromic, for contrast with row 2);
// 6 C>G,T effect T (multiallelic with one complementary pair: palindromic, like VEGFA rs2010963).
const Panel& flip_panel() {
  static const Panel p = tiny_panel({
      {"ca_alt", "1", "100", "C", "A", "1100", "C", "A", "A", "0.5", "additive", "replicated"},
      {"ca_ref", "1", "100", "C", "A", "1100", "C", "A", "C", "0.5", "additive", "replicated"},
      {"at", "1", "200", "A", "T", "1200", "A", "T", "T", "0.5", "additive", "replicated"},
      {"cg", "1", "300", "C", "G", "1300", "C", "G", "G", "0.5", "dominant", "replicated"},
      {"multi", "1", "400", "C", "A,T", "1400", "C", "A,T", "T", "0.5", "additive", "suggestive"},
      {"ag", "1", "500", "A", "G", "1500", "A", "G", "G", "0.5", "additive", "suggestive"},
      {"cgt", "1", "600", "C", "G,T", "1600", "C", "G,T", "T", "0.5", "additive", "suggestive"},
  });
  return p;
}

SiteMatch flip_match(size_t row, const std::vector<std::string_view>& alleles) {
  return match_row(flip_panel().sites()[row], row, Build::kGRCh38, alleles);
}

}  // namespace

TEST_CASE("a record carrying the complements of the panel's alleles is strand flipped, counting the complemented effect allele") {
  // Panel C>A, record G>T: REF G is the complement of C.
  const SiteMatch alt = flip_match(0, {"G", "T"});
  CHECK(alt.row == 0);
  CHECK(alt.outcome == MatchOutcome::kMatched);
  CHECK(alt.type == MatchType::kStrandFlipped);
  CHECK_FALSE(alt.flipped_swapped);
  CHECK(alt.counted_allele == 1);  // effect A -> T, the record's ALT

  const SiteMatch ref = flip_match(1, {"G", "T"});
  CHECK(ref.type == MatchType::kStrandFlipped);
  CHECK_FALSE(ref.flipped_swapped);
  CHECK(ref.counted_allele == 0);  // effect C -> G, the record's REF

  // The complemented effect allele is looked up among all the record's alleles.
  const SiteMatch multi = flip_match(4, {"G", "T", "A"});
  CHECK(multi.type == MatchType::kStrandFlipped);
  CHECK(multi.counted_allele == 2);  // effect T -> A
  const SiteMatch multi_missing = flip_match(4, {"G", "T"});
  CHECK(multi_missing.outcome == MatchOutcome::kMatched);
  CHECK(multi_missing.type == MatchType::kStrandFlipped);
  CHECK(multi_missing.counted_allele == -1);  // no A: the record lacks the effect allele

  // A direct or swapped match is still preferred to a flip when the record's REF is a panel allele.
  CHECK(flip_match(0, {"C", "A"}).type == MatchType::kDirect);
  CHECK_FALSE(flip_match(0, {"C", "A"}).flipped_swapped);
  CHECK(flip_match(0, {"A", "C"}).type == MatchType::kSwapped);
  CHECK_FALSE(flip_match(0, {"A", "C"}).flipped_swapped);
}

TEST_CASE("a record carrying the complements of the panel's alleles REF/ALT-reversed is flipped and swapped") {
  // Panel C>A, record T>G: T is the complement of the panel ALT A, and G (complement of REF C) is an ALT.
  const SiteMatch alt = flip_match(0, {"T", "G"});
  CHECK(alt.outcome == MatchOutcome::kMatched);
  CHECK(alt.type == MatchType::kStrandFlipped);
  CHECK(alt.flipped_swapped);
  CHECK(alt.counted_allele == 0);  // effect A -> T, the record's REF

  const SiteMatch ref = flip_match(1, {"T", "G"});
  CHECK(ref.type == MatchType::kStrandFlipped);
  CHECK(ref.flipped_swapped);
  CHECK(ref.counted_allele == 1);  // effect C -> G, the record's ALT

  // Multiallelic panel row C>A,T: the record's REF may be the complement of any panel ALT.
  const SiteMatch multi = flip_match(4, {"A", "G"});  // A is the complement of the panel ALT T
  CHECK(multi.type == MatchType::kStrandFlipped);
  CHECK(multi.flipped_swapped);
  CHECK(multi.counted_allele == 0);  // effect T -> A

  // T at the REF without G among the ALTs is neither a flip nor a swap.
  CHECK(flip_match(0, {"T", "C"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(flip_match(0, {"T"}).outcome == MatchOutcome::kRefMismatch);
}

TEST_CASE("a palindromic A/T or C/G site is never strand flipped: a record with another REF is a REF mismatch") {
  // A/T: T>G would be a direct flip (T = complement of A) at a non-palindromic site...
  const SiteMatch ag = flip_match(5, {"T", "C"});  // A>G row: T>C is its complement
  CHECK(ag.outcome == MatchOutcome::kMatched);
  CHECK(ag.type == MatchType::kStrandFlipped);
  CHECK(ag.counted_allele == 1);  // effect G -> C
  // ...but at the palindromic A>T row it is a REF mismatch.
  const SiteMatch at_flip = flip_match(2, {"T", "G"});
  CHECK(at_flip.outcome == MatchOutcome::kRefMismatch);
  CHECK(at_flip.type != MatchType::kStrandFlipped);
  CHECK(flip_match(2, {"T", "C"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(flip_match(2, {"G", "C"}).outcome == MatchOutcome::kRefMismatch);

  // The A/T record itself matches directly, and T>A as a plain swap, never as a flip.
  const SiteMatch at_direct = flip_match(2, {"A", "T"});
  CHECK(at_direct.type == MatchType::kDirect);
  CHECK(at_direct.counted_allele == 1);
  CHECK_FALSE(at_direct.flipped_swapped);
  const SiteMatch at_swapped = flip_match(2, {"T", "A"});
  CHECK(at_swapped.type == MatchType::kSwapped);
  CHECK(at_swapped.counted_allele == 0);
  CHECK_FALSE(at_swapped.flipped_swapped);

  // C/G: G>A or G>T (a flip at a C>A site) is a REF mismatch; G>C is a swap.
  CHECK(flip_match(3, {"G", "A"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(flip_match(3, {"G", "T"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(flip_match(0, {"G", "A"}).type == MatchType::kStrandFlipped);  // the same record at the C>A row
  const SiteMatch cg_swapped = flip_match(3, {"G", "C"});
  CHECK(cg_swapped.type == MatchType::kSwapped);
  CHECK(cg_swapped.counted_allele == 0);

  // C>G,T: one ALT complements the REF, so the site is palindromic. G>A (the flip of C>T) is a REF mismatch
  // (at the C>A,T row, a flip of the same shape is accepted); G>C is a swap.
  CHECK(flip_match(6, {"G", "A"}).outcome == MatchOutcome::kRefMismatch);
  CHECK(flip_match(6, {"G", "A", "C"}).type == MatchType::kSwapped);
  CHECK(flip_match(4, {"G", "A"}).type == MatchType::kStrandFlipped);
  const SiteMatch cgt_direct = flip_match(6, {"C", "T"});
  CHECK(cgt_direct.type == MatchType::kDirect);
  CHECK(cgt_direct.counted_allele == 1);
}

namespace {

// PGS Catalog rows (GRCh37, REF unknown, both alleles known): 0 effect A other G; 1 effect T other A
// (palindromic); 2 effect C, no other allele.
const Panel& pair_panel() {
  static const Panel p = parse_pgs_catalog(
      "###PGS CATALOG SCORING FILE\n#format_version=2.0\n#pgs_id=PGS1\n#genome_build=GRCh37\n"
      "rsID\tchr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\n"
      "rs1\t1\t100\tA\tG\t0.5\nrs2\t1\t200\tT\tA\t0.25\nrs3\t1\t300\tC\t\t0.1\n",
      "pgs.txt", {});
  return p;
}

SiteMatch pair_match(size_t row, const std::vector<std::string_view>& alleles) {
  return match_row(pair_panel().sites()[row], row, Build::kGRCh37, alleles);
}

}  // namespace

TEST_CASE("a row with both alleles but no REF matches a record carrying both, either one as REF, unverified") {
  const SiteMatch other_ref = pair_match(0, {"G", "A"});
  CHECK(other_ref.outcome == MatchOutcome::kMatched);
  CHECK(other_ref.type == MatchType::kAllelePair);
  CHECK(other_ref.counted_allele == 1);
  CHECK_FALSE(other_ref.ref_verified);
  CHECK(other_ref.panel_alt_present);
  const SiteMatch effect_ref = pair_match(0, {"A", "G"});
  CHECK(effect_ref.outcome == MatchOutcome::kMatched);
  CHECK(effect_ref.counted_allele == 0);
  // A multiallelic record holding both matches; the effect allele is counted at its index.
  const SiteMatch multi = pair_match(0, {"G", "C", "A"});
  CHECK(multi.outcome == MatchOutcome::kMatched);
  CHECK(multi.counted_allele == 2);
  CHECK(pair_match(0, {"C", "A", "G"}).counted_allele == 1);
}

TEST_CASE("a row with both alleles is an allele mismatch when the record lacks either, never a position-only match") {
  for (const std::vector<std::string_view>& rec : {std::vector<std::string_view>{"G", "C"}, {"A", "C"}, {"C", "T"}, {"G"}}) {
    const SiteMatch m = pair_match(0, rec);
    CHECK(m.outcome == MatchOutcome::kAlleleMismatch);
    CHECK(m.type == MatchType::kAllelePair);
  }
  // The complement of A/G (T/C, the other strand) is not read as a flip: the REF that would tell is unknown.
  CHECK(pair_match(0, {"C", "T"}).outcome == MatchOutcome::kAlleleMismatch);
  // A row without an other allele keeps the position-only rule: the effect allele is enough.
  const SiteMatch po = pair_match(2, {"G", "C"});
  CHECK(po.outcome == MatchOutcome::kMatched);
  CHECK(po.type == MatchType::kPositionOnly);
  CHECK(pair_match(2, {"G", "T"}).outcome == MatchOutcome::kAlleleAbsent);
}

TEST_CASE("a palindromic allele pair is read on the forward strand: A/T records match, no flip is tried") {
  const SiteMatch at = pair_match(1, {"A", "T"});
  CHECK(at.outcome == MatchOutcome::kMatched);
  CHECK(at.counted_allele == 1);  // effect T
  CHECK_FALSE(at.flipped_swapped);
  CHECK(pair_match(1, {"T", "A"}).counted_allele == 0);
  CHECK(pair_match(1, {"T", "C"}).outcome == MatchOutcome::kAlleleMismatch);
}
