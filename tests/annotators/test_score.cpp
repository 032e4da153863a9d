// The score: genetic-model dosages, per-sample sums by pathway and trait over a tiny panel, and site statistics.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "hwe.h"
#include "panel.h"
#include "panel_matcher.h"
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

// Every row is a C>A SNV on chromosome 1 in both builds, at its own position.
Panel tiny_panel(const std::vector<Row>& rows) {
  std::string t = "##panel=tiny\n##version=0.0.1\n" + join(panel_columns()) + "\n";
  int pos = 1000;
  for (const Row& r : rows) {
    pos += 100;
    const std::string p = std::to_string(pos);
    t += join({r.id, ".", "GENE", r.pathway, r.trait, "1", p, "C", "A", p, "C", "A", r.effect, ".", r.weight, r.model,
               ".", r.grade, "PMID:1", "test", "."}) +
         "\n";
  }
  return Panel::parse(t, "name.tsv");
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

constexpr int8_t kMissing = -1;
Call call(int count, int ploidy) { return Call{static_cast<int8_t>(count), static_cast<int8_t>(ploidy)}; }
Call missing() { return Call{kMissing, 0}; }

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
  const auto scores = score_samples(score_panel(), store, ScoreOptions{});
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
  CHECK(g.n_called == 3);
  CHECK(g.n_missing == 0);
  CHECK(g.n_absent == 1);
  REQUIRE(g.completeness());
  CHECK(*g.completeness() == doctest::Approx(1.3 / 1.5).epsilon(kEps));
  REQUIRE(g.index());
  // 1 - (S - m) / (M - m) = 1 - (0.7 + 0.3) / (1.4 + 0.3)
  CHECK(*g.index() == doctest::Approx(1.0 - 1.0 / 1.7).epsilon(kEps));
}

TEST_CASE("score_samples uses each call's ploidy for the bound and counts missing calls apart from absent rows") {
  const auto scores = score_samples(score_panel(), score_store(), ScoreOptions{});
  const GroupScore& g = scores[1].all;
  // add: haploid 1 copy -> 0.4*1, bound 0.4*1; dom: missing; rec: 1 copy of 2 -> 0, bound 0.6.
  CHECK(g.weighted_sum == doctest::Approx(0.4).epsilon(kEps));
  CHECK(g.max_observed == doctest::Approx(1.0).epsilon(kEps));
  CHECK(g.min_observed == doctest::Approx(0.0).epsilon(kEps));
  CHECK(g.observed_weight == doctest::Approx(1.0).epsilon(kEps));
  CHECK(g.total_weight == doctest::Approx(1.5).epsilon(kEps));
  CHECK(g.risk_alleles == 2);
  CHECK(g.n_rows == 4);
  CHECK(g.n_called == 2);
  CHECK(g.n_missing == 1);
  CHECK(g.n_absent == 1);
  REQUIRE(g.completeness());
  CHECK(*g.completeness() == doctest::Approx(1.0 / 1.5).epsilon(kEps));
  REQUIRE(g.index());
  CHECK(*g.index() == doctest::Approx(0.6).epsilon(kEps));
}

TEST_CASE("a sample missing at every scored row has completeness 0 and no index") {
  const auto scores = score_samples(score_panel(), score_store(), ScoreOptions{});
  const GroupScore& g = scores[2].all;
  CHECK(g.weighted_sum == 0);
  CHECK(g.max_observed == 0);
  CHECK(g.min_observed == 0);
  CHECK(g.observed_weight == 0);
  CHECK(g.total_weight == doctest::Approx(1.5).epsilon(kEps));
  CHECK(g.risk_alleles == 0);
  CHECK(g.n_rows == 4);
  CHECK(g.n_called == 0);
  CHECK(g.n_missing == 3);
  CHECK(g.n_absent == 1);
  REQUIRE(g.completeness());
  CHECK(*g.completeness() == 0.0);
  CHECK_FALSE(g.index());
}

TEST_CASE("score_samples splits each sample's sums by pathway and by trait") {
  const auto scores = score_samples(score_panel(), score_store(), ScoreOptions{});
  const SampleScore& s0 = scores[0];
  REQUIRE(s0.by_pathway.size() == pathway_vocabulary().size());
  REQUIRE(s0.by_trait.size() == trait_vocabulary().size());

  // matrix_structure: add, rec, unseen.
  const GroupScore& matrix = s0.by_pathway[pw(Pathway::kMatrixStructure)];
  CHECK(matrix.n_rows == 3);
  CHECK(matrix.n_called == 2);
  CHECK(matrix.n_absent == 1);
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
  CHECK(infl.n_called == 1);
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
  CHECK(tendon.n_called == 2);
  CHECK(tendon.n_absent == 1);
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
  CHECK(infl1.n_missing == 1);
  CHECK(*infl1.completeness() == 0.0);
  CHECK_FALSE(infl1.index());
}

TEST_CASE("scoring contested rows adds them to the sums") {
  ScoreOptions opt;
  opt.grade_scored[static_cast<size_t>(EvidenceGrade::kContested)] = true;
  const auto scores = score_samples(score_panel(), score_store(), opt);

  const GroupScore& g0 = scores[0].all;  // cont: 1 copy, additive, w 0.5
  CHECK(g0.n_rows == 5);
  CHECK(g0.n_called == 4);
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

  CHECK(scores[2].all.n_missing == 4);
  CHECK(scores[0].by_trait[tr(Trait::kBone)].n_rows == 2);
  CHECK(scores[0].by_trait[tr(Trait::kBone)].weighted_sum == doctest::Approx(1.1).epsilon(kEps));

  // Every grade on: the flag-only row still has weight 0 and is not scored.
  ScoreOptions all;
  all.grade_scored = {true, true, true, true, true};
  CHECK(score_samples(score_panel(), score_store(), all)[0].all.n_rows == 5);

  // Only replicated rows: add and rec.
  ScoreOptions replicated;
  replicated.grade_scored = {true, false, false, false, false};
  const auto rep = score_samples(score_panel(), score_store(), replicated);
  const GroupScore& r0 = rep[0].all;
  CHECK(r0.n_rows == 2);
  CHECK(r0.weighted_sum == doctest::Approx(1.0).epsilon(kEps));
  CHECK(r0.n_absent == 0);
}

TEST_CASE("score_samples with no rows found counts every scored row as absent") {
  SiteStore store(score_panel(), Build::kGRCh38, 2);
  const auto scores = score_samples(score_panel(), store, ScoreOptions{});
  REQUIRE(scores.size() == 2);
  for (const auto& s : scores) {
    CHECK(s.all.n_rows == 4);
    CHECK(s.all.n_absent == 4);
    CHECK(s.all.n_called == 0);
    CHECK(s.all.n_missing == 0);
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
  CHECK(a.call_rate == 0);
  CHECK_FALSE(a.counted_freq);
  CHECK_FALSE(a.hwe_p);

  SiteResult all_missing;
  all_missing.state = SiteState::kFound;
  all_missing.calls = {missing(), missing()};
  const SiteStats m = site_stats(all_missing, 2);
  CHECK(m.n_called == 0);
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
