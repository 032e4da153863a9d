// The score: genetic-model dosages, per-sample sums by pathway and trait over a tiny panel, and site statistics.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "hwe.h"
#include "panel.h"
#include "panel_matcher.h"
#include "pgs_catalog.h"
#include "score.h"
#include "site_store.h"

using namespace healcap;

namespace {

struct Row {
  std::string id, pathway, trait, effect, weight, model, grade;
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "\t" : "") + v[i];
  return s;
}

// A panel row with its effect-allele frequency and its GRCh38 locus: pos38 "" means the row's own position,
// "." unplaced; ref38/alt38 "." mean unknown. GRCh37 is always C>A at the row's own position.
struct Site {
  Row row;
  std::string eaf, pos38, ref38, alt38;
};
Site site(Row row, std::string eaf = ".", std::string pos38 = "", std::string ref38 = "C", std::string alt38 = "A") {
  return Site{std::move(row), std::move(eaf), std::move(pos38), std::move(ref38), std::move(alt38)};
}

// Every row is an SNV on chromosome 1, at its own position.
Panel panel_of(const std::vector<Site>& sites) {
  std::string t = "##panel=tiny\n##version=0.0.1\n" + join(panel_columns()) + "\n";
  int pos = 1000;
  for (const Site& s : sites) {
    const Row& r = s.row;
    pos += 100;
    const std::string p = std::to_string(pos);
    const std::string p38 = s.pos38.empty() ? p : s.pos38;
    t += join({r.id, ".", "GENE", r.pathway, r.trait, "1", p, "C", "A", p38, s.ref38, s.alt38, r.effect, ".", r.weight,
               r.model, s.eaf, r.grade, "PMID:1", "test", "."}) +
         "\n";
  }
  return Panel::parse(t, "name.tsv");
}

// Every row is a C>A SNV on chromosome 1 in both builds, at its own position, without an eaf.
Panel tiny_panel(const std::vector<Row>& rows) {
  std::vector<Site> sites;
  for (const Row& r : rows) sites.push_back(site(r));
  return panel_of(sites);
}

// Row 0: additive, w 0.4, matrix_structure / tendon_ligament
// Row 1: dominant, w -0.3, inflammation / tendon_ligament
// Row 2: recessive, w 0.6, matrix_structure / bone
// Row 3: flag-only (w 0), inflammation / bone
// Row 4: additive, w 0.5, contested (not scored by default), matrix_structure / bone
// Row 5: additive, w 0.2, matrix_structure / tendon_ligament, never seen in the input
const Panel& score_panel() {
  static const Panel p = tiny_panel({
      {"add", "matrix_structure", "tendon_ligament", "A", "0.4", "additive", "replicated"},
      {"dom", "inflammation", "tendon_ligament", "A", "-0.3", "dominant", "suggestive"},
      {"rec", "matrix_structure", "bone", "A", "0.6", "recessive", "replicated"},
      {"flag", "inflammation", "bone", ".", "0", "additive", "null"},
      {"cont", "matrix_structure", "bone", "A", "0.5", "additive", "contested"},
      {"unseen", "matrix_structure", "tendon_ligament", "A", "0.2", "additive", "suggestive"},
  });
  return p;
}

// A called sample with `dosage` effect-allele copies (whole for GT, fractional for DS-like dosages).
Call call(double dosage, int ploidy) { return Call::called(static_cast<float>(dosage), ploidy); }
Call missing() { return Call{}; }

void offer(SiteStore& store, size_t row, std::vector<Call> calls) {
  const Panel& p = score_panel();
  const SiteMatch m = match_row(p.sites()[row], row, Build::kGRCh38, {"C", "A"});
  REQUIRE(m.outcome == MatchOutcome::kMatched);
  SeenRecord rec{"1", p.sites()[row].id, "C", "A", p.sites()[row].in(Build::kGRCh38).pos};
  store.offer(m, rec, calls);
}

// Three samples: s0 fully called, s1 with a haploid call and a missing one, s2 missing everywhere.
SiteStore score_store() {
  SiteStore store(score_panel(), Build::kGRCh38, 3);
  offer(store, 0, {call(1, 2), call(1, 1), missing()});
  offer(store, 1, {call(2, 2), missing(), missing()});
  offer(store, 2, {call(2, 2), call(1, 2), missing()});
  offer(store, 3, {call(1, 2), call(2, 2), missing()});
  offer(store, 4, {call(1, 2), call(2, 2), missing()});
  return store;
}

const double kEps = 1e-12;

size_t pw(Pathway p) { return static_cast<size_t>(p); }
size_t tr(Trait t) { return static_cast<size_t>(t); }

}  // namespace

TEST_CASE("the additive model counts copies, up to the ploidy") {
  CHECK(model_dosage(Model::kAdditive, 0, 2) == 0);
  CHECK(model_dosage(Model::kAdditive, 1, 2) == 1);
  CHECK(model_dosage(Model::kAdditive, 2, 2) == 2);
  CHECK(model_dosage(Model::kAdditive, 0, 1) == 0);
  CHECK(model_dosage(Model::kAdditive, 1, 1) == 1);
  CHECK(model_max(Model::kAdditive, 2) == 2);
  CHECK(model_max(Model::kAdditive, 1) == 1);
}

TEST_CASE("the dominant model scores 1 for any copy, whatever the ploidy") {
  CHECK(model_dosage(Model::kDominant, 0, 2) == 0);
  CHECK(model_dosage(Model::kDominant, 1, 2) == 1);
  CHECK(model_dosage(Model::kDominant, 2, 2) == 1);
  CHECK(model_dosage(Model::kDominant, 0, 1) == 0);
  CHECK(model_dosage(Model::kDominant, 1, 1) == 1);
  CHECK(model_max(Model::kDominant, 2) == 1);
  CHECK(model_max(Model::kDominant, 1) == 1);
}

TEST_CASE("the recessive model scores 1 only when every called allele is the effect allele") {
  CHECK(model_dosage(Model::kRecessive, 0, 2) == 0);
  CHECK(model_dosage(Model::kRecessive, 1, 2) == 0);
  CHECK(model_dosage(Model::kRecessive, 2, 2) == 1);
  CHECK(model_dosage(Model::kRecessive, 0, 1) == 0);
  CHECK(model_dosage(Model::kRecessive, 1, 1) == 1);
  CHECK(model_max(Model::kRecessive, 2) == 1);
  CHECK(model_max(Model::kRecessive, 1) == 1);
}

TEST_CASE("ScoreOptions scores replicated and suggestive weighted rows by default, never weight-0 rows") {
  const ScoreOptions opt;
  const auto& s = score_panel().sites();
  CHECK(opt.scores(s[0]));
  CHECK(opt.scores(s[1]));
  CHECK(opt.scores(s[2]));
  CHECK_FALSE(opt.scores(s[3]));
  CHECK_FALSE(opt.scores(s[4]));
  CHECK(opt.scores(s[5]));
  ScoreOptions all;
  all.grade_scored = {true, true, true, true, true};
  CHECK(all.scores(s[4]));
  CHECK_FALSE(all.scores(s[3]));  // weight 0 is never scored
}

TEST_CASE("score_samples sums a fully called sample's weighted dosages, bounds and risk alleles") {
  const SiteStore store = score_store();
  REQUIRE(store.n_found() == 5);
  const auto scores = score_samples(score_panel(), Build::kGRCh38, store, ScoreOptions{});
  REQUIRE(scores.size() == 3);
  const GroupScore& g = scores[0].all;
  // add: 0.4*1; dom: -0.3*1; rec: 0.6*1 (2 copies of 2); unseen: absent.
  CHECK(g.weighted_sum == doctest::Approx(0.7).epsilon(kEps));
  CHECK(g.max_observed == doctest::Approx(0.4 * 2 + 0.6 * 1).epsilon(kEps));
  CHECK(g.min_observed == doctest::Approx(-0.3).epsilon(kEps));
  CHECK(g.observed_weight == doctest::Approx(1.3).epsilon(kEps));
  CHECK(g.total_weight == doctest::Approx(1.5).epsilon(kEps));
  CHECK(g.risk_alleles == 5);
  CHECK(g.n_rows == 4);
  CHECK(g.n(CallState::kCalled) == 3);
  CHECK(g.n_observed == 3);
  CHECK(g.n(CallState::kMissing) == 0);
  CHECK(g.n(CallState::kAbsentUnknown) == 1);
  REQUIRE(g.completeness());
  CHECK(*g.completeness() == doctest::Approx(1.3 / 1.5).epsilon(kEps));
  REQUIRE(g.index());
  // 1 - (S - m) / (M - m) = 1 - (0.7 + 0.3) / (1.4 + 0.3)
  CHECK(*g.index() == doctest::Approx(1.0 - 1.0 / 1.7).epsilon(kEps));
  // The panel has no effect-allele frequencies: no expectation, no z-score.
  CHECK(g.n_eaf_observed == 0);
  CHECK(g.expected_observed == 0);
  CHECK(g.expected_unobserved == 0);
  CHECK(g.variance_observed == 0);
  CHECK(g.weighted_sum_eaf == 0);
  CHECK_FALSE(g.z_score());
}

TEST_CASE("score_samples uses each call's ploidy for the bound and counts missing calls apart from absent rows") {
  const auto scores = score_samples(score_panel(), Build::kGRCh38, score_store(), ScoreOptions{});
  const GroupScore& g = scores[1].all;
  // add: haploid 1 copy -> 0.4*1, bound 0.4*1; dom: missing; rec: 1 copy of 2 -> 0, bound 0.6.
  CHECK(g.weighted_sum == doctest::Approx(0.4).epsilon(kEps));
  CHECK(g.max_observed == doctest::Approx(1.0).epsilon(kEps));
  CHECK(g.min_observed == doctest::Approx(0.0).epsilon(kEps));
  CHECK(g.observed_weight == doctest::Approx(1.0).epsilon(kEps));
  CHECK(g.total_weight == doctest::Approx(1.5).epsilon(kEps));
  CHECK(g.risk_alleles == 2);
  CHECK(g.n_rows == 4);
  CHECK(g.n(CallState::kCalled) == 2);
  CHECK(g.n_observed == 2);
  CHECK(g.n(CallState::kMissing) == 1);
  CHECK(g.n(CallState::kAbsentUnknown) == 1);
  REQUIRE(g.completeness());
  CHECK(*g.completeness() == doctest::Approx(1.0 / 1.5).epsilon(kEps));
  REQUIRE(g.index());
  CHECK(*g.index() == doctest::Approx(0.6).epsilon(kEps));
}

TEST_CASE("a sample missing at every scored row has completeness 0 and no index") {
  const auto scores = score_samples(score_panel(), Build::kGRCh38, score_store(), ScoreOptions{});
  const GroupScore& g = scores[2].all;
  CHECK(g.weighted_sum == 0);
  CHECK(g.max_observed == 0);
  CHECK(g.min_observed == 0);
  CHECK(g.observed_weight == 0);
  CHECK(g.total_weight == doctest::Approx(1.5).epsilon(kEps));
  CHECK(g.risk_alleles == 0);
  CHECK(g.n_rows == 4);
  CHECK(g.n(CallState::kCalled) == 0);
  CHECK(g.n_observed == 0);
  CHECK(g.n(CallState::kMissing) == 3);
  CHECK(g.n(CallState::kAbsentUnknown) == 1);
  REQUIRE(g.completeness());
  CHECK(*g.completeness() == 0.0);
  CHECK_FALSE(g.index());
}

TEST_CASE("score_samples splits each sample's sums by pathway and by trait") {
  const auto scores = score_samples(score_panel(), Build::kGRCh38, score_store(), ScoreOptions{});
  const SampleScore& s0 = scores[0];
  REQUIRE(s0.by_pathway.size() == pathway_vocabulary().size());
  REQUIRE(s0.by_trait.size() == trait_vocabulary().size());

  // matrix_structure: add, rec, unseen.
  const GroupScore& matrix = s0.by_pathway[pw(Pathway::kMatrixStructure)];
  CHECK(matrix.n_rows == 3);
  CHECK(matrix.n(CallState::kCalled) == 2);
  CHECK(matrix.n_observed == 2);
  CHECK(matrix.n(CallState::kAbsentUnknown) == 1);
  CHECK(matrix.weighted_sum == doctest::Approx(1.0).epsilon(kEps));
  CHECK(matrix.max_observed == doctest::Approx(1.4).epsilon(kEps));
  CHECK(matrix.min_observed == 0);
  CHECK(matrix.total_weight == doctest::Approx(1.2).epsilon(kEps));
  CHECK(matrix.risk_alleles == 3);
  CHECK(*matrix.completeness() == doctest::Approx(1.0 / 1.2).epsilon(kEps));
  CHECK(*matrix.index() == doctest::Approx(1.0 - 1.0 / 1.4).epsilon(kEps));

  // inflammation: dom only (the flag row is not scored); the protective allele at its max gives index 1.
  const GroupScore& infl = s0.by_pathway[pw(Pathway::kInflammation)];
  CHECK(infl.n_rows == 1);
  CHECK(infl.n(CallState::kCalled) == 1);
  CHECK(infl.n_observed == 1);
  CHECK(infl.weighted_sum == doctest::Approx(-0.3).epsilon(kEps));
  CHECK(infl.max_observed == 0);
  CHECK(infl.min_observed == doctest::Approx(-0.3).epsilon(kEps));
  CHECK(infl.risk_alleles == 2);
  CHECK(*infl.index() == doctest::Approx(1.0).epsilon(kEps));

  // Pathways without scored rows are empty: no completeness, no index.
  for (Pathway p : {Pathway::kMatrixRemodelling, Pathway::kGrowthAngiogenesis, Pathway::kWntBone, Pathway::kOther}) {
    const GroupScore& e = s0.by_pathway[pw(p)];
    CHECK(e.n_rows == 0);
    CHECK_FALSE(e.completeness());
    CHECK_FALSE(e.index());
  }

  // tendon_ligament: add, dom, unseen.
  const GroupScore& tendon = s0.by_trait[tr(Trait::kTendonLigament)];
  CHECK(tendon.n_rows == 3);
  CHECK(tendon.n(CallState::kCalled) == 2);
  CHECK(tendon.n_observed == 2);
  CHECK(tendon.n(CallState::kAbsentUnknown) == 1);
  CHECK(tendon.weighted_sum == doctest::Approx(0.1).epsilon(kEps));
  CHECK(tendon.max_observed == doctest::Approx(0.8).epsilon(kEps));
  CHECK(tendon.min_observed == doctest::Approx(-0.3).epsilon(kEps));
  CHECK(tendon.observed_weight == doctest::Approx(0.7).epsilon(kEps));
  CHECK(tendon.total_weight == doctest::Approx(0.9).epsilon(kEps));
  CHECK(*tendon.index() == doctest::Approx(1.0 - 0.4 / 1.1).epsilon(kEps));

  // bone: rec only; homozygous for the effect allele gives index 0.
  const GroupScore& bone = s0.by_trait[tr(Trait::kBone)];
  CHECK(bone.n_rows == 1);
  CHECK(bone.weighted_sum == doctest::Approx(0.6).epsilon(kEps));
  CHECK(bone.max_observed == doctest::Approx(0.6).epsilon(kEps));
  CHECK(*bone.index() == doctest::Approx(0.0).epsilon(kEps));
  CHECK(s0.by_trait[tr(Trait::kSpine)].n_rows == 0);

  // Sample 1's bone group: rec called with 1 copy of 2 -> 0 of bound 0.6, index 1.
  const GroupScore& bone1 = scores[1].by_trait[tr(Trait::kBone)];
  CHECK(bone1.weighted_sum == 0);
  CHECK(bone1.max_observed == doctest::Approx(0.6).epsilon(kEps));
  CHECK(*bone1.index() == doctest::Approx(1.0).epsilon(kEps));
  // Sample 1's inflammation group: its only row is missing.
  const GroupScore& infl1 = scores[1].by_pathway[pw(Pathway::kInflammation)];
  CHECK(infl1.n(CallState::kMissing) == 1);
  CHECK(*infl1.completeness() == 0.0);
  CHECK_FALSE(infl1.index());
}

TEST_CASE("scoring contested rows adds them to the sums") {
  ScoreOptions opt;
  opt.grade_scored[static_cast<size_t>(EvidenceGrade::kContested)] = true;
  const auto scores = score_samples(score_panel(), Build::kGRCh38, score_store(), opt);

  const GroupScore& g0 = scores[0].all;  // cont: 1 copy, additive, w 0.5
  CHECK(g0.n_rows == 5);
  CHECK(g0.n(CallState::kCalled) == 4);
  CHECK(g0.n_observed == 4);
  CHECK(g0.weighted_sum == doctest::Approx(1.2).epsilon(kEps));
  CHECK(g0.max_observed == doctest::Approx(2.4).epsilon(kEps));
  CHECK(g0.min_observed == doctest::Approx(-0.3).epsilon(kEps));
  CHECK(g0.total_weight == doctest::Approx(2.0).epsilon(kEps));
  CHECK(g0.risk_alleles == 6);
  CHECK(*g0.completeness() == doctest::Approx(1.8 / 2.0).epsilon(kEps));
  CHECK(*g0.index() == doctest::Approx(1.0 - 1.5 / 2.7).epsilon(kEps));

  const GroupScore& g1 = scores[1].all;  // cont: 2 copies
  CHECK(g1.weighted_sum == doctest::Approx(1.4).epsilon(kEps));
  CHECK(g1.max_observed == doctest::Approx(2.0).epsilon(kEps));
  CHECK(g1.risk_alleles == 4);
  CHECK(*g1.completeness() == doctest::Approx(0.75).epsilon(kEps));
  CHECK(*g1.index() == doctest::Approx(0.3).epsilon(kEps));

  CHECK(scores[2].all.n(CallState::kMissing) == 4);
  CHECK(scores[0].by_trait[tr(Trait::kBone)].n_rows == 2);
  CHECK(scores[0].by_trait[tr(Trait::kBone)].weighted_sum == doctest::Approx(1.1).epsilon(kEps));

  // Every grade on: the flag-only row still has weight 0 and is not scored.
  ScoreOptions all;
  all.grade_scored = {true, true, true, true, true};
  CHECK(score_samples(score_panel(), Build::kGRCh38, score_store(), all)[0].all.n_rows == 5);

  // Only replicated rows: add and rec.
  ScoreOptions replicated;
  replicated.grade_scored = {true, false, false, false, false};
  const auto rep = score_samples(score_panel(), Build::kGRCh38, score_store(), replicated);
  const GroupScore& r0 = rep[0].all;
  CHECK(r0.n_rows == 2);
  CHECK(r0.weighted_sum == doctest::Approx(1.0).epsilon(kEps));
  CHECK(r0.n(CallState::kAbsentUnknown) == 0);
}

TEST_CASE("score_samples with no rows found counts every scored row as absent") {
  SiteStore store(score_panel(), Build::kGRCh38, 2);
  const auto scores = score_samples(score_panel(), Build::kGRCh38, store, ScoreOptions{});
  REQUIRE(scores.size() == 2);
  for (const auto& s : scores) {
    CHECK(s.all.n_rows == 4);
    CHECK(s.all.n(CallState::kAbsentUnknown) == 4);
    CHECK(s.all.n(CallState::kCalled) == 0);
    CHECK(s.all.n_observed == 0);
    CHECK(s.all.n(CallState::kMissing) == 0);
    CHECK(*s.all.completeness() == 0.0);
    CHECK_FALSE(s.all.index());
  }
}

TEST_CASE("site_stats counts called samples, the counted-allele frequency, genotype classes and the HWE p-value") {
  SiteResult r;
  r.state = SiteState::kFound;
  // 2 hom counted, 3 het, 4 hom other, 1 haploid carrier, 1 missing.
  r.calls = {call(2, 2), call(2, 2), call(1, 2), call(1, 2), call(1, 2), call(0, 2),
             call(0, 2), call(0, 2), call(0, 2), call(1, 1), missing()};
  const SiteStats s = site_stats(r, r.calls.size());
  CHECK(s.n_called == 10);
  CHECK(s.n_state[static_cast<size_t>(CallState::kCalled)] == 10);
  CHECK(s.n_state[static_cast<size_t>(CallState::kMissing)] == 1);
  CHECK(s.call_rate == doctest::Approx(10.0 / 11.0).epsilon(kEps));
  REQUIRE(s.counted_freq);
  CHECK(*s.counted_freq == doctest::Approx(8.0 / 19.0).epsilon(kEps));
  CHECK(s.n_hom_counted == 2);
  CHECK(s.n_het == 3);
  CHECK(s.n_hom_other == 4);
  REQUIRE(s.hwe_p);
  CHECK(*s.hwe_p == doctest::Approx(hwe_exact_p(3, 2, 4)).epsilon(kEps));
}

TEST_CASE("site_stats of a row that was not found, or where every call is missing, has no frequency and no HWE p") {
  SiteResult absent;
  absent.state = SiteState::kRefMismatch;
  const SiteStats a = site_stats(absent, 5);
  CHECK(a.n_called == 0);
  for (int k : a.n_state) CHECK(k == 0);
  CHECK(a.call_rate == 0);
  CHECK_FALSE(a.counted_freq);
  CHECK_FALSE(a.hwe_p);

  SiteResult all_missing;
  all_missing.state = SiteState::kFound;
  all_missing.calls = {missing(), missing()};
  const SiteStats m = site_stats(all_missing, 2);
  CHECK(m.n_called == 0);
  CHECK(m.n_state[static_cast<size_t>(CallState::kMissing)] == 2);
  CHECK(m.n_state[static_cast<size_t>(CallState::kCalled)] == 0);
  CHECK(m.call_rate == 0);
  CHECK_FALSE(m.counted_freq);
  CHECK_FALSE(m.hwe_p);

  // Haploid calls only: a frequency, but no diploid genotypes for the HWE test.
  SiteResult haploid;
  haploid.state = SiteState::kFound;
  haploid.calls = {call(1, 1), call(0, 1), call(1, 1), missing()};
  const SiteStats h = site_stats(haploid, 4);
  CHECK(h.n_called == 3);
  CHECK(h.call_rate == doctest::Approx(0.75).epsilon(kEps));
  CHECK(*h.counted_freq == doctest::Approx(2.0 / 3.0).epsilon(kEps));
  CHECK(h.n_het == 0);
  CHECK(h.n_hom_counted == 0);
  CHECK(h.n_hom_other == 0);
  CHECK_FALSE(h.hwe_p);
}

TEST_CASE("site_stats over the scored store uses the row's calls") {
  const SiteStore store = score_store();
  const SiteStats s = site_stats(store.results()[2], store.n_samples());
  CHECK(s.n_called == 2);
  CHECK(s.call_rate == doctest::Approx(2.0 / 3.0).epsilon(kEps));
  CHECK(*s.counted_freq == doctest::Approx(3.0 / 4.0).epsilon(kEps));
  CHECK(s.n_hom_counted == 1);
  CHECK(s.n_het == 1);
  CHECK(s.n_hom_other == 0);
  CHECK(*s.hwe_p == doctest::Approx(hwe_exact_p(1, 1, 0)).epsilon(kEps));
  const SiteStats unseen = site_stats(store.results()[5], store.n_samples());
  CHECK(unseen.n_called == 0);
  CHECK_FALSE(unseen.counted_freq);
}

namespace {

size_t st(CallState s) { return static_cast<size_t>(s); }

// Rows for absent sites (all replicated, matrix_structure / tendon_ligament, GRCh38 C>A unless noted):
// 0 ref_eff: effect C (the REF), additive, w 0.5
// 1 alt_eff: effect A, dominant, w 0.3
// 2 seen:    effect A, additive, w 0.2 (called in the input)
// 3 mismatch: effect A, additive, w 0.4 (a record with another REF)
// 4 no_ref:  effect A, additive, w 0.1, GRCh38 REF/ALT unknown
// 5 only37:  effect A, additive, w 0.25, no GRCh38 position
// 6 flag:    no effect allele, w 0
// 7 rec_ref: effect C (the REF), recessive, w 0.6
const Panel& absent_panel() {
  static const Panel p = panel_of({
      site({"ref_eff", "matrix_structure", "tendon_ligament", "C", "0.5", "additive", "replicated"}),
      site({"alt_eff", "matrix_structure", "tendon_ligament", "A", "0.3", "dominant", "replicated"}),
      site({"seen", "matrix_structure", "tendon_ligament", "A", "0.2", "additive", "replicated"}),
      site({"mismatch", "matrix_structure", "tendon_ligament", "A", "0.4", "additive", "replicated"}),
      site({"no_ref", "matrix_structure", "tendon_ligament", "A", "0.1", "additive", "replicated"}, ".", "", ".", "."),
      site({"only37", "matrix_structure", "tendon_ligament", "A", "0.25", "additive", "replicated"}, ".", ".", ".", "."),
      site({"flag", "matrix_structure", "tendon_ligament", ".", "0", "additive", "null"}),
      site({"rec_ref", "matrix_structure", "tendon_ligament", "C", "0.6", "recessive", "replicated"}),
  });
  return p;
}

// Two samples: row 2 called (s0 one copy, s1 missing); row 3 a REF mismatch; row 1 has a record at its
// position in the other build only (build mismatch); every other row has no record.
SiteStore absent_store() {
  const Panel& p = absent_panel();
  SiteStore store(p, Build::kGRCh38, 2);
  std::vector<Call> c2{call(1, 2), missing()};
  store.offer(match_row(p.sites()[2], 2, Build::kGRCh38, {"C", "A"}), SeenRecord{"1", "seen", "C", "A", 1300}, c2);
  std::vector<Call> c3{call(1, 2), call(1, 2)};
  const SiteMatch bad = match_row(p.sites()[3], 3, Build::kGRCh38, {"T", "A"});
  REQUIRE(bad.outcome == MatchOutcome::kRefMismatch);
  store.offer(bad, SeenRecord{"1", "mismatch", "T", "A", 1400}, c3);
  store.note_build_mismatch(1, SeenRecord{"1", "alt_eff", "C", "A", 1200});
  REQUIRE(store.results()[1].state == SiteState::kBuildMismatch);
  return store;
}

}  // namespace

TEST_CASE("absent_call: a covered site without a record is homozygous reference, dosage from the effect allele vs REF") {
  const auto& s = absent_panel().sites();
  const SiteResult none;  // not_in_input
  REQUIRE(none.state == SiteState::kNotInInput);

  // Not covered: unknown, unobserved.
  const Call u = absent_call(s[0], Build::kGRCh38, none, false);
  CHECK(u.state == CallState::kAbsentUnknown);
  CHECK(u.dosage == -1);
  CHECK_FALSE(u.observed());

  // Covered: effect allele = REF -> 2 copies; effect allele != REF -> 0.
  const Call ref_eff = absent_call(s[0], Build::kGRCh38, none, true);
  CHECK(ref_eff.state == CallState::kAbsentCovered);
  CHECK(ref_eff.dosage == 2);
  CHECK(ref_eff.ploidy == 2);
  CHECK(ref_eff.observed());
  const Call alt_eff = absent_call(s[1], Build::kGRCh38, none, true);
  CHECK(alt_eff.state == CallState::kAbsentCovered);
  CHECK(alt_eff.dosage == 0);
  CHECK(alt_eff.observed());
  // No effect allele: 0 copies.
  const Call flag = absent_call(s[6], Build::kGRCh38, none, true);
  CHECK(flag.state == CallState::kAbsentCovered);
  CHECK(flag.dosage == 0);
  // REF unknown in this build: covered, but the dosage is unknown (not observed); in GRCh37, where the
  // row's REF is C, the same row has 0 copies of A.
  const Call no_ref = absent_call(s[4], Build::kGRCh38, none, true);
  CHECK(no_ref.state == CallState::kAbsentCovered);
  CHECK(no_ref.dosage == -1);
  CHECK_FALSE(no_ref.observed());
  const Call no_ref37 = absent_call(s[4], Build::kGRCh37, none, true);
  CHECK(no_ref37.dosage == 0);
  CHECK(no_ref37.observed());

  // A record only in the other build is still no record here.
  SiteResult other_build;
  other_build.state = SiteState::kBuildMismatch;
  CHECK(absent_call(s[0], Build::kGRCh38, other_build, true).state == CallState::kAbsentCovered);
  CHECK(absent_call(s[0], Build::kGRCh38, other_build, true).dosage == 2);
  CHECK(absent_call(s[0], Build::kGRCh38, other_build, false).state == CallState::kAbsentUnknown);

  // A record that did not match is no evidence of the reference, even at a covered site.
  for (SiteState bad : {SiteState::kRefMismatch, SiteState::kAlleleAbsent}) {
    SiteResult r;
    r.state = bad;
    const Call c = absent_call(s[0], Build::kGRCh38, r, true);
    CHECK(c.state == CallState::kAbsentUnknown);
    CHECK(c.dosage == -1);
    CHECK_FALSE(c.observed());
  }
}

TEST_CASE("without coverage, rows with no record are absent_unknown and unobserved") {
  const auto scores = score_samples(absent_panel(), Build::kGRCh38, absent_store(), ScoreOptions{});
  REQUIRE(scores.size() == 2);
  const GroupScore& g0 = scores[0].all;
  CHECK(g0.n_rows == 7);  // the flag row is not scored
  CHECK(g0.n(CallState::kCalled) == 1);
  CHECK(g0.n(CallState::kAbsentUnknown) == 6);
  CHECK(g0.n(CallState::kAbsentCovered) == 0);
  CHECK(g0.n_observed == 1);
  CHECK(g0.weighted_sum == doctest::Approx(0.2).epsilon(kEps));
  CHECK(g0.total_weight == doctest::Approx(2.35).epsilon(kEps));
  CHECK(*g0.completeness() == doctest::Approx(0.2 / 2.35).epsilon(kEps));
  const GroupScore& g1 = scores[1].all;
  CHECK(g1.n(CallState::kMissing) == 1);
  CHECK(g1.n(CallState::kAbsentUnknown) == 6);
  CHECK(g1.n_observed == 0);
  CHECK(*g1.completeness() == 0.0);
}

TEST_CASE("absent_as_ref makes placed rows without a record absent_covered, observed at their reference dosage") {
  ScoreOptions opt;
  opt.absent_as_ref = true;
  const auto scores = score_samples(absent_panel(), Build::kGRCh38, absent_store(), opt);
  // Sample 0:
  //  ref_eff: covered, effect = REF -> 2 copies, additive: 0.5 * 2 = 1.0 (bound 0.5 * 2)
  //  alt_eff: covered (a record only in GRCh37), effect != REF -> 0 copies, dominant: 0 (bound 0.3)
  //  seen:    called 1 copy: 0.2 (bound 0.4)
  //  mismatch: a record with another REF -> absent_unknown
  //  no_ref:  covered but REF unknown -> absent_covered, dosage unknown, unobserved
  //  only37:  no GRCh38 position -> absent_unknown
  //  rec_ref: covered, 2 copies, recessive: 0.6 * 1 (bound 0.6)
  const GroupScore& g0 = scores[0].all;
  CHECK(g0.n_rows == 7);
  CHECK(g0.n(CallState::kCalled) == 1);
  CHECK(g0.n(CallState::kAbsentCovered) == 4);
  CHECK(g0.n(CallState::kAbsentUnknown) == 2);
  CHECK(g0.n(CallState::kMissing) == 0);
  CHECK(g0.n_observed == 4);
  CHECK(g0.weighted_sum == doctest::Approx(1.8).epsilon(kEps));
  CHECK(g0.max_observed == doctest::Approx(2.3).epsilon(kEps));
  CHECK(g0.min_observed == 0);
  CHECK(g0.risk_alleles == doctest::Approx(5.0).epsilon(kEps));
  CHECK(g0.observed_weight == doctest::Approx(1.6).epsilon(kEps));
  CHECK(g0.total_weight == doctest::Approx(2.35).epsilon(kEps));
  REQUIRE(g0.completeness());
  CHECK(*g0.completeness() == doctest::Approx(1.6 / 2.35).epsilon(kEps));
  REQUIRE(g0.index());
  CHECK(*g0.index() == doctest::Approx(1.0 - 1.8 / 2.3).epsilon(kEps));

  // Sample 1 is missing at the called row: a missing call is never made reference.
  const GroupScore& g1 = scores[1].all;
  CHECK(g1.n(CallState::kMissing) == 1);
  CHECK(g1.n(CallState::kAbsentCovered) == 4);
  CHECK(g1.n(CallState::kAbsentUnknown) == 2);
  CHECK(g1.n_observed == 3);
  CHECK(g1.weighted_sum == doctest::Approx(1.6).epsilon(kEps));
  CHECK(g1.max_observed == doctest::Approx(1.9).epsilon(kEps));
  CHECK(g1.risk_alleles == doctest::Approx(4.0).epsilon(kEps));
  CHECK(*g1.completeness() == doctest::Approx(1.4 / 2.35).epsilon(kEps));

  // The pathway and trait groups see the same states.
  CHECK(scores[0].by_pathway[pw(Pathway::kMatrixStructure)].n(CallState::kAbsentCovered) == 4);
  CHECK(scores[0].by_trait[tr(Trait::kTendonLigament)].weighted_sum == doctest::Approx(1.8).epsilon(kEps));
}

TEST_CASE("a --callable row without a record is absent_covered, and rows outside it stay absent_unknown") {
  ScoreOptions opt;
  //              ref_eff alt_eff seen  mismatch no_ref only37 flag   rec_ref
  opt.callable = {true,   false,  true, true,    true,  true,  false, false};
  const auto scores = score_samples(absent_panel(), Build::kGRCh38, absent_store(), opt);
  // ref_eff covered (2 copies: 1.0); no_ref covered with unknown dosage; mismatch has a record; only37 is
  // unplaced; alt_eff and rec_ref are outside the callable set.
  const GroupScore& g0 = scores[0].all;
  CHECK(g0.n(CallState::kAbsentCovered) == 2);
  CHECK(g0.n(CallState::kAbsentUnknown) == 4);
  CHECK(g0.n(CallState::kCalled) == 1);
  CHECK(g0.n_observed == 2);
  CHECK(g0.weighted_sum == doctest::Approx(1.2).epsilon(kEps));
  CHECK(g0.max_observed == doctest::Approx(1.4).epsilon(kEps));
  CHECK(g0.risk_alleles == doctest::Approx(3.0).epsilon(kEps));
  CHECK(*g0.completeness() == doctest::Approx(0.7 / 2.35).epsilon(kEps));

  // A callable vector shorter than the panel covers only the rows it lists.
  ScoreOptions first_only;
  first_only.callable = {true};
  const auto first_scores = score_samples(absent_panel(), Build::kGRCh38, absent_store(), first_only);
  const GroupScore& f0 = first_scores[0].all;
  CHECK(f0.n(CallState::kAbsentCovered) == 1);
  CHECK(f0.n(CallState::kAbsentUnknown) == 5);
  CHECK(f0.n_observed == 2);
  CHECK(f0.weighted_sum == doctest::Approx(1.2).epsilon(kEps));
  CHECK(*f0.completeness() == doctest::Approx(0.7 / 2.35).epsilon(kEps));

  // Nothing callable: the same as no option.
  ScoreOptions none;
  none.callable.assign(8, false);
  CHECK(score_samples(absent_panel(), Build::kGRCh38, absent_store(), none)[0].all.n(CallState::kAbsentCovered) == 0);
}

TEST_CASE("fractional dosages follow plink2's models: d, min(d, 1), max(d - (ploidy - 1), 0)") {
  const double e = 1e-12;
  CHECK(model_dosage(Model::kAdditive, 0.4, 2) == doctest::Approx(0.4).epsilon(e));
  CHECK(model_dosage(Model::kAdditive, 1.7, 2) == doctest::Approx(1.7).epsilon(e));
  CHECK(model_dosage(Model::kDominant, 0.4, 2) == doctest::Approx(0.4).epsilon(e));
  CHECK(model_dosage(Model::kDominant, 1.7, 2) == doctest::Approx(1.0).epsilon(e));
  CHECK(model_dosage(Model::kDominant, 0.6, 1) == doctest::Approx(0.6).epsilon(e));
  CHECK(model_dosage(Model::kRecessive, 0.4, 2) == 0);
  CHECK(model_dosage(Model::kRecessive, 1.0, 2) == 0);
  CHECK(model_dosage(Model::kRecessive, 1.7, 2) == doctest::Approx(0.7).epsilon(e));
  CHECK(model_dosage(Model::kRecessive, 0.6, 1) == doctest::Approx(0.6).epsilon(e));  // haploid: every allele
}

TEST_CASE("score_samples sums fractional dosages under each model") {
  SiteStore store(score_panel(), Build::kGRCh38, 3);
  // Rows: add (w 0.4), dom (w -0.3), rec (w 0.6). Sample 2 is haploid with 0.6 everywhere.
  offer(store, 0, {call(0.4, 2), call(1.7, 2), call(0.6, 1)});
  offer(store, 1, {call(0.4, 2), call(1.7, 2), call(0.6, 1)});
  offer(store, 2, {call(1.7, 2), call(0.4, 2), call(0.6, 1)});
  const auto scores = score_samples(score_panel(), Build::kGRCh38, store, ScoreOptions{});
  const double e = 1e-6;  // dosages are stored as float

  // s0: 0.4 * 0.4 - 0.3 * min(0.4, 1) + 0.6 * max(1.7 - 1, 0) = 0.16 - 0.12 + 0.42 = 0.46
  const GroupScore& g0 = scores[0].all;
  CHECK(g0.weighted_sum == doctest::Approx(0.46).epsilon(e));
  CHECK(g0.max_observed == doctest::Approx(1.4).epsilon(e));
  CHECK(g0.min_observed == doctest::Approx(-0.3).epsilon(e));
  CHECK(g0.risk_alleles == doctest::Approx(2.5).epsilon(e));
  CHECK(g0.n(CallState::kCalled) == 3);
  CHECK(*g0.index() == doctest::Approx(1.0 - 0.76 / 1.7).epsilon(e));

  // s1: 0.4 * 1.7 - 0.3 * 1 + 0.6 * max(0.4 - 1, 0) = 0.68 - 0.3 + 0 = 0.38
  const GroupScore& g1 = scores[1].all;
  CHECK(g1.weighted_sum == doctest::Approx(0.38).epsilon(e));
  CHECK(g1.risk_alleles == doctest::Approx(3.8).epsilon(e));
  CHECK(*g1.index() == doctest::Approx(1.0 - 0.68 / 1.7).epsilon(e));

  // s2 (haploid): 0.4 * 0.6 - 0.3 * 0.6 + 0.6 * 0.6 = 0.42; bounds 0.4 * 1 + 0.6 * 1 and -0.3
  const GroupScore& g2 = scores[2].all;
  CHECK(g2.weighted_sum == doctest::Approx(0.42).epsilon(e));
  CHECK(g2.max_observed == doctest::Approx(1.0).epsilon(e));
  CHECK(g2.min_observed == doctest::Approx(-0.3).epsilon(e));
  CHECK(g2.risk_alleles == doctest::Approx(1.8).epsilon(e));

  // Per group: bone holds rec only.
  CHECK(scores[0].by_trait[tr(Trait::kBone)].weighted_sum == doctest::Approx(0.42).epsilon(e));
  CHECK(scores[1].by_trait[tr(Trait::kBone)].weighted_sum == 0);
}

TEST_CASE("site_stats with fractional dosages gives a frequency but no genotype-class HWE test") {
  SiteResult r;
  r.state = SiteState::kFound;
  r.calls = {call(0.4, 2), call(1.7, 2), call(2, 2), missing()};
  Call filtered = call(1, 2);
  filtered.state = CallState::kFiltered;
  r.calls.push_back(filtered);
  const SiteStats s = site_stats(r, r.calls.size());
  CHECK(s.n_called == 3);
  CHECK(s.n_state[st(CallState::kCalled)] == 3);
  CHECK(s.n_state[st(CallState::kMissing)] == 1);
  CHECK(s.n_state[st(CallState::kFiltered)] == 1);
  CHECK(s.call_rate == doctest::Approx(3.0 / 5.0).epsilon(kEps));
  REQUIRE(s.counted_freq);
  CHECK(*s.counted_freq == doctest::Approx(4.1 / 6.0).epsilon(1e-6));
  CHECK(s.n_hom_counted == 1);  // the whole dosage 2
  CHECK(s.n_het == 0);
  CHECK(s.n_hom_other == 0);
  CHECK_FALSE(s.hwe_p);

  // Reference-block calls are observed; whole dosages keep the HWE test.
  SiteResult b;
  b.state = SiteState::kRefBlock;
  Call rb = call(0, 2);
  rb.state = CallState::kRefBlock;
  b.calls = {rb, rb, call(1, 2)};
  const SiteStats bs = site_stats(b, 3);
  CHECK(bs.n_called == 3);
  CHECK(bs.n_state[st(CallState::kRefBlock)] == 2);
  CHECK(*bs.counted_freq == doctest::Approx(1.0 / 6.0).epsilon(kEps));
  CHECK(bs.n_hom_other == 2);
  CHECK(bs.n_het == 1);
  REQUIRE(bs.hwe_p);
  CHECK(*bs.hwe_p == doctest::Approx(hwe_exact_p(1, 0, 2)).epsilon(kEps));
}

TEST_CASE("model_moments gives the mean and variance of g under Hardy-Weinberg") {
  const double e = 1e-12;
  const auto add = model_moments(Model::kAdditive, 0.3, 2);
  CHECK(add.first == doctest::Approx(0.6).epsilon(e));
  CHECK(add.second == doctest::Approx(0.42).epsilon(e));
  const auto dom = model_moments(Model::kDominant, 0.2, 2);  // q = 1 - 0.8^2
  CHECK(dom.first == doctest::Approx(0.36).epsilon(e));
  CHECK(dom.second == doctest::Approx(0.2304).epsilon(e));
  const auto rec = model_moments(Model::kRecessive, 0.5, 2);  // r = 0.5^2
  CHECK(rec.first == doctest::Approx(0.25).epsilon(e));
  CHECK(rec.second == doctest::Approx(0.1875).epsilon(e));
  const auto add1 = model_moments(Model::kAdditive, 0.3, 1);
  CHECK(add1.first == doctest::Approx(0.3).epsilon(e));
  CHECK(add1.second == doctest::Approx(0.21).epsilon(e));
  const auto dom1 = model_moments(Model::kDominant, 0.2, 1);
  CHECK(dom1.first == doctest::Approx(0.2).epsilon(e));
  CHECK(dom1.second == doctest::Approx(0.16).epsilon(e));
  const auto rec1 = model_moments(Model::kRecessive, 0.4, 1);
  CHECK(rec1.first == doctest::Approx(0.4).epsilon(e));
  CHECK(rec1.second == doctest::Approx(0.24).epsilon(e));
}

namespace {

// Rows with effect-allele frequencies (all replicated, C>A, effect A):
// 0 e_add: additive,  w 0.4,  eaf 0.3, matrix_structure / tendon_ligament
// 1 e_dom: dominant,  w -0.3, eaf 0.2, inflammation / tendon_ligament
// 2 e_rec: recessive, w 0.6,  eaf 0.5, matrix_structure / bone
// 3 e_unseen: additive, w 0.2, eaf 0.1, matrix_structure / bone (no record)
// 4 e_noeaf: additive, w 0.5, no eaf, inflammation / bone
// 5 e_rec2: recessive, w 0.3, eaf 0.4, inflammation / bone
const Panel& eaf_panel() {
  static const Panel p = panel_of({
      site({"e_add", "matrix_structure", "tendon_ligament", "A", "0.4", "additive", "replicated"}, "0.3"),
      site({"e_dom", "inflammation", "tendon_ligament", "A", "-0.3", "dominant", "replicated"}, "0.2"),
      site({"e_rec", "matrix_structure", "bone", "A", "0.6", "recessive", "replicated"}, "0.5"),
      site({"e_unseen", "matrix_structure", "bone", "A", "0.2", "additive", "replicated"}, "0.1"),
      site({"e_noeaf", "inflammation", "bone", "A", "0.5", "additive", "replicated"}),
      site({"e_rec2", "inflammation", "bone", "A", "0.3", "recessive", "replicated"}, "0.4"),
  });
  return p;
}

// s0: e_add 1, e_dom 2, e_rec 2, e_noeaf 1, e_rec2 missing; s1: missing everywhere; s2: e_add haploid 1 only.
SiteStore eaf_store() {
  const Panel& p = eaf_panel();
  SiteStore store(p, Build::kGRCh38, 3);
  const auto put = [&](size_t row, std::vector<Call> calls) {
    const SiteMatch m = match_row(p.sites()[row], row, Build::kGRCh38, {"C", "A"});
    REQUIRE(m.outcome == MatchOutcome::kMatched);
    store.offer(m, SeenRecord{"1", p.sites()[row].id, "C", "A", p.sites()[row].in(Build::kGRCh38).pos}, calls);
  };
  put(0, {call(1, 2), missing(), call(1, 1)});
  put(1, {call(2, 2), missing(), missing()});
  put(2, {call(2, 2), missing(), missing()});
  put(4, {call(1, 2), missing(), missing()});
  put(5, {missing(), missing(), missing()});
  return store;
}

}  // namespace

TEST_CASE("the panel's eaf column loads as each row's effect-allele frequency") {
  const auto& s = eaf_panel().sites();
  REQUIRE(s.size() == 6);
  REQUIRE(s[0].eaf);
  CHECK(*s[0].eaf == doctest::Approx(0.3).epsilon(kEps));
  CHECK_FALSE(s[4].eaf);
}

TEST_CASE("z_score compares S with its Hardy-Weinberg expectation over observed rows with an eaf") {
  const auto scores = score_samples(eaf_panel(), Build::kGRCh38, eaf_store(), ScoreOptions{});
  REQUIRE(scores.size() == 3);

  // Sample 0, observed rows with an eaf: e_add (d 1), e_dom (d 2), e_rec (d 2).
  //  E = 0.4 * (2 * 0.3) + (-0.3) * (1 - 0.8^2) + 0.6 * 0.5^2 = 0.24 - 0.108 + 0.15 = 0.282
  //  V = 0.16 * (2 * 0.3 * 0.7) + 0.09 * (0.36 * 0.64) + 0.36 * (0.25 * 0.75) = 0.0672 + 0.020736 + 0.0675
  //  S_eaf = 0.4 * 1 - 0.3 * 1 + 0.6 * 1 = 0.7; S also has e_noeaf: 0.7 + 0.5 = 1.2
  //  Unobserved with an eaf: e_unseen 0.2 * (2 * 0.1) + e_rec2 (missing) 0.3 * 0.4^2 = 0.04 + 0.048
  const GroupScore& g0 = scores[0].all;
  CHECK(g0.n_observed == 4);
  CHECK(g0.n_eaf_observed == 3);
  CHECK(g0.weighted_sum == doctest::Approx(1.2).epsilon(kEps));
  CHECK(g0.weighted_sum_eaf == doctest::Approx(0.7).epsilon(kEps));
  CHECK(g0.expected_observed == doctest::Approx(0.282).epsilon(kEps));
  CHECK(g0.variance_observed == doctest::Approx(0.155436).epsilon(kEps));
  CHECK(g0.expected_unobserved == doctest::Approx(0.088).epsilon(kEps));
  REQUIRE(g0.z_score_any());
  CHECK(*g0.z_score_any() == doctest::Approx((0.7 - 0.282) / std::sqrt(0.155436)).epsilon(kEps));
  CHECK(*g0.z_score_any() == doctest::Approx(1.06022).epsilon(1e-5));

  // Its inflammation pathway: e_dom observed, e_noeaf observed without eaf, e_rec2 missing.
  //  E = -0.108, V = 0.09 * 0.2304 = 0.020736 (sd 0.144), S_eaf = -0.3: z = -0.192 / 0.144 = -4/3
  const GroupScore& infl = scores[0].by_pathway[pw(Pathway::kInflammation)];
  CHECK(infl.n_eaf_observed == 1);
  CHECK(infl.weighted_sum == doctest::Approx(0.2).epsilon(kEps));
  CHECK(infl.weighted_sum_eaf == doctest::Approx(-0.3).epsilon(kEps));
  CHECK(infl.expected_observed == doctest::Approx(-0.108).epsilon(kEps));
  CHECK(infl.variance_observed == doctest::Approx(0.020736).epsilon(kEps));
  CHECK(infl.expected_unobserved == doctest::Approx(0.048).epsilon(kEps));
  REQUIRE(infl.z_score_any());
  CHECK(*infl.z_score_any() == doctest::Approx(-4.0 / 3.0).epsilon(kEps));

  // Sample 1 observed nothing: no z-score; every eaf row is expected, at ploidy 2.
  //  0.24 - 0.108 + 0.15 + 0.04 + 0.048 = 0.37
  const GroupScore& g1 = scores[1].all;
  CHECK(g1.n_eaf_observed == 0);
  CHECK(g1.expected_observed == 0);
  CHECK(g1.variance_observed == 0);
  CHECK(g1.expected_unobserved == doctest::Approx(0.37).epsilon(kEps));
  CHECK_FALSE(g1.z_score_any());

  // Sample 2: e_add haploid with 1 copy: E = 0.4 * 0.3, V = 0.16 * 0.21, S_eaf = 0.4.
  //  Unobserved: -0.108 + 0.15 + 0.04 + 0.048 = 0.13
  const GroupScore& g2 = scores[2].all;
  CHECK(g2.n_eaf_observed == 1);
  CHECK(g2.expected_observed == doctest::Approx(0.12).epsilon(kEps));
  CHECK(g2.variance_observed == doctest::Approx(0.0336).epsilon(kEps));
  CHECK(g2.weighted_sum_eaf == doctest::Approx(0.4).epsilon(kEps));
  CHECK(g2.expected_unobserved == doctest::Approx(0.13).epsilon(kEps));
  REQUIRE(g2.z_score_any());
  CHECK(*g2.z_score_any() == doctest::Approx(0.28 / std::sqrt(0.0336)).epsilon(kEps));
}

TEST_CASE("with absent_as_ref an unseen eaf row moves from the unobserved expectation into the z-score") {
  ScoreOptions opt;
  opt.absent_as_ref = true;
  const auto scores = score_samples(eaf_panel(), Build::kGRCh38, eaf_store(), opt);
  // e_unseen is absent_covered with 0 copies of A: E += 0.2 * 0.2, V += 0.04 * 0.18, S_eaf += 0.
  const GroupScore& g0 = scores[0].all;
  CHECK(g0.n(CallState::kAbsentCovered) == 1);
  CHECK(g0.n_eaf_observed == 4);
  CHECK(g0.weighted_sum_eaf == doctest::Approx(0.7).epsilon(kEps));
  CHECK(g0.expected_observed == doctest::Approx(0.322).epsilon(kEps));
  CHECK(g0.variance_observed == doctest::Approx(0.162636).epsilon(kEps));
  CHECK(g0.expected_unobserved == doctest::Approx(0.048).epsilon(kEps));  // e_rec2, still missing
  REQUIRE(g0.z_score_any());
  CHECK(*g0.z_score_any() == doctest::Approx((0.7 - 0.322) / std::sqrt(0.162636)).epsilon(kEps));
}

TEST_CASE("with several panels each is scored apart: the first panel's groups, then each panel's in `panels`") {
  // The bundled-format score panel (component 0) and a PGS file (component 1): a PGS row is scored whatever the
  // grades, with no pathway or trait group.
  const Panel pgs = parse_pgs_catalog(
      "#format_version=2.0\n#pgs_id=PGS1\n#genome_build=GRCh38\nrsID\tchr_name\tchr_position\teffect_allele\t"
      "other_allele\teffect_weight\nrs9\t1\t9000\tT\tC\t0.032643900000000003\n",
      "pgs.txt", {});
  std::vector<Panel> parts = {score_panel(), pgs};
  const Panel u = Panel::combine(std::move(parts));
  const SiteStore base = score_store();
  SiteStore store(u, Build::kGRCh38, base.n_samples());
  for (size_t i = 0; i < base.results().size(); ++i) store.mutable_results()[i] = base.results()[i];
  SiteResult& r = store.mutable_results().back();
  r.state = SiteState::kFound;
  r.match.row = u.sites().size() - 1;
  r.calls.assign(base.n_samples(), Call::called(2, 2));
  ScoreOptions none;
  none.grade_scored.fill(false);  // no grade: the first panel scores nothing, the PGS row is still scored
  const auto one = score_samples(score_panel(), Build::kGRCh38, base, none);
  const auto both = score_samples(u, Build::kGRCh38, store, none);
  REQUIRE(both.size() == one.size());
  for (size_t k = 0; k < both.size(); ++k) {
    CHECK(both[k].all.weighted_sum == one[k].all.weighted_sum);
    CHECK(both[k].all.n_rows == 0);
    CHECK(one[k].all.n_rows == 0);
    REQUIRE(both[k].panels.size() == 2);
    CHECK(both[k].panels[0].all.weighted_sum == one[k].all.weighted_sum);
    CHECK(both[k].panels[1].all.n_rows == 1);
    CHECK(both[k].panels[1].all.weighted_sum == 2 * 0.032643900000000003);
    CHECK(both[k].panels[1].by_pathway.empty());
    CHECK(both[k].panels[1].by_trait.empty());
  }
  CHECK(one[0].panels.empty());
  // A score first: the sample's own pathway and trait groups keep one entry per vocabulary name, without rows.
  std::vector<Panel> pgs_first = {pgs, score_panel()};
  const Panel v = Panel::combine(std::move(pgs_first));
  const auto first = score_samples(v, Build::kGRCh38, SiteStore(v, Build::kGRCh38, 2), ScoreOptions{});
  REQUIRE(first.size() == 2);
  CHECK(first[0].by_pathway.size() == pathway_vocabulary().size());
  CHECK(first[0].by_trait.size() == trait_vocabulary().size());
  for (const GroupScore& g : first[0].by_pathway) CHECK(g.n_rows == 0);
  CHECK(first[0].all.n_rows == 1);
  CHECK(first[0].panels[1].by_pathway.size() == pathway_vocabulary().size());
}

TEST_CASE("z_score is NA over fewer than kMinZSites rows with an eaf, and says why; z_weight_share is their |w| share") {
  const auto scores = score_samples(eaf_panel(), Build::kGRCh38, eaf_store(), ScoreOptions{});
  const GroupScore& g0 = scores[0].all;
  REQUIRE(g0.n_eaf_observed == 3);
  CHECK(kMinZSites == 5);
  CHECK_FALSE(g0.z_score());
  REQUIRE(g0.z_score_any());
  CHECK(g0.z_note() == "NA: 3 observed scored rows with a EUR effect-allele frequency, fewer than 5");
  // Observed |w|: e_add 0.4, e_dom 0.3, e_rec 0.6 (with an eaf), e_noeaf 0.5 (without).
  REQUIRE(g0.z_weight_share());
  CHECK(*g0.z_weight_share() == doctest::Approx(1.3 / 1.8).epsilon(kEps));
  CHECK_FALSE(scores[1].all.z_weight_share());  // nothing observed
}

TEST_CASE("--eaf-population: the expectation uses the side table's frequencies for that population, and rows without one drop out") {
  Panel p = eaf_panel();
  p.attach_eafs("##healcap_panel_eaf=1\nid\tpopulation\tkind\teaf\tsource\tnotes\n"
                "e_add\tAFR\treference_panel\t0.6\tt:1\t.\ne_rec\tAFR\tstudy_cohort\t0.5\tt:2\t.\n"
                "e_add\tEUR\t.\t0.3\t.\tthe eaf column's own value: kept once\n",
                "side.tsv");
  REQUIRE(p.sites()[0].eafs.size() == 2);
  SiteStore store(p, Build::kGRCh38, 3);
  {
    const SiteStore src = eaf_store();
    for (size_t i = 0; i < p.sites().size(); ++i) store.mutable_results()[i] = src.results()[i];
  }
  ScoreOptions afr;
  afr.eaf_population = Population::kAFR;
  const auto s_afr = score_samples(p, Build::kGRCh38, store, afr);
  const auto s_eur = score_samples(p, Build::kGRCh38, store, ScoreOptions{});
  // AFR, sample 0: e_add (f 0.6, d 1), e_rec (f 0.5, d 2); the other rows have no AFR frequency.
  //  E = 0.4 * 1.2 + 0.6 * 0.25 = 0.63; V = 0.16 * 0.48 + 0.36 * 0.1875 = 0.1443; S_f = 0.4 + 0.6 = 1.0
  const GroupScore& a = s_afr[0].all;
  CHECK(a.eaf_population == Population::kAFR);
  CHECK(a.n_eaf_observed == 2);
  CHECK(a.expected_observed == doctest::Approx(0.63).epsilon(kEps));
  CHECK(a.variance_observed == doctest::Approx(0.1443).epsilon(kEps));
  CHECK(a.expected_unobserved == 0);
  REQUIRE(a.z_score_any());
  CHECK(*a.z_score_any() == doctest::Approx(0.37 / std::sqrt(0.1443)).epsilon(kEps));
  CHECK(a.z_note() == "NA: 2 observed scored rows with a AFR effect-allele frequency, fewer than 5");
  // EUR is unchanged by the side table (its e_add row repeats the eaf column).
  CHECK(s_eur[0].all.n_eaf_observed == 3);
  CHECK(*s_eur[0].all.z_score_any() == doctest::Approx(1.06022).epsilon(1e-5));
}

TEST_CASE("attach_eafs refuses an unknown row, a population twice, a bad frequency, and a value against the eaf column") {
  const std::string head = "id\tpopulation\tkind\teaf\tsource\tnotes\n";
  const auto err = [&](const std::string& body) {
    Panel p = eaf_panel();
    try {
      p.attach_eafs(head + body, "side.tsv");
    } catch (const PanelError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(err("nope\tAFR\t.\t0.1\t.\t.\n") == "side.tsv:2:1: id: no panel row has id 'nope'");
  CHECK(err("e_add\tAFR\t.\t0.1\t.\t.\ne_add\tAFR\t.\t0.2\t.\t.\n") ==
        "side.tsv:3:7: population: AFR is given twice for 'e_add' (first at line 2)");
  CHECK(err("e_add\tXYZ\t.\t0.1\t.\t.\n") == "side.tsv:2:7: population: 'XYZ' is not one of EUR, AFR, AMR, EAS, SAS");
  CHECK(err("e_add\tAFR\t.\t1.5\t.\t.\n") == "side.tsv:2:13: eaf: '1.5' is not a frequency in [0, 1]");
  CHECK(err("e_add\tEUR\t.\t0.31\t.\t.\n").find("disagrees with the panel's eaf column for 'e_add' (EUR 0.3)") != std::string::npos);
}
