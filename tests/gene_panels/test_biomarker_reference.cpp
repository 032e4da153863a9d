// The bundled biomarker reference: what it holds, how names and units match, which variation applies where, and
// one bad reference text per validation error.
#include <doctest/doctest.h>

#include <string>

#include "biomarker_reference.h"

using namespace healcap;

namespace {

const BiomarkerReference& ref() { return BiomarkerReference::bundled(); }

size_t marker(const char* name) {
  const auto m = ref().find_marker(name);
  REQUIRE(m.has_value());
  return *m;
}

const char* kMarkersHead =
    "marker\tsynonyms\trole\tcanonical_unit\taccepted_units\tspecimens\tdecrease_means\trole_source\n";
const char* kVariationHead =
    "marker\tspecimen\tpopulation\tcv_within_pct\tcv_analytical_pct\tcv_between_pct\tpublished_critical_difference_pct\t"
    "n_subjects\tsampling\tcitation\thow_read\tstatus\n";
const char* kCategoriesHead = "marker\tspecimen\tcategory\tlow_inclusive\thigh_exclusive\tunit\tmeaning\tcitation\tnotes\n";
const std::string kCrpRow = "CRP\thsCRP\tacute_phase_protein\tmg/L\tmg/L=1;mg/dL=10\tserum;plasma\tless_inflammation\tsrc\n";

std::string parse_error(const std::string& markers, const std::string& variation = kVariationHead,
                        const std::string& categories = kCategoriesHead) {
  try {
    BiomarkerReference::parse(markers, variation, categories, "ref");
  } catch (const BiomarkerReferenceError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("the bundled reference holds the fourteen markers, five variation rows and four hs-CRP categories") {
  CHECK(ref().markers().size() == 14);
  CHECK(ref().variation().size() == 5);
  CHECK(ref().categories().size() == 4);
  CHECK(ref().markers()[marker("CRP")].canonical_unit == "mg/L");
  CHECK(ref().markers()[marker("IL-6")].canonical_unit == "pg/mL");
  CHECK(ref().markers()[marker("MMP-3")].canonical_unit == "ng/mL");
  CHECK(ref().markers()[marker("ESR")].specimens.front() == Specimen::kWholeBlood);
}

TEST_CASE("marker names match through every synonym, in any case, with surrounding blanks") {
  for (const char* n : {"IL-1β", "IL1B", "interleukin 1 beta", "Interleukin 1 Beta", " il-1b ", "IL-1beta", "INTERLEUKIN-1 BETA"})
    CHECK_MESSAGE(ref().find_marker(n) == marker("IL-1beta"), n);
  for (const char* n : {"hs-CRP", "HSCRP", "C-reactive protein", "crp (high sensitivity)"})
    CHECK_MESSAGE(ref().find_marker(n) == marker("CRP"), n);
  for (const char* n : {"TNF-α", "TNFa", "tumour necrosis factor alpha", "TNF"})
    CHECK_MESSAGE(ref().find_marker(n) == marker("TNF-alpha"), n);
  CHECK(ref().find_marker("TGF-β1") == marker("TGF-beta1"));
  CHECK(ref().find_marker("ACPA") == marker("anti-CCP"));
  CHECK_FALSE(ref().find_marker("IL-17A"));
  CHECK_FALSE(ref().find_marker("IL 6"));  // synonyms are matched as written, apart from case and blanks
  // Every name and synonym of every marker finds its own marker.
  for (size_t m = 0; m < ref().markers().size(); ++m) {
    CHECK(ref().find_marker(ref().markers()[m].name) == m);
    for (const std::string& s : ref().markers()[m].synonyms) CHECK_MESSAGE(ref().find_marker(s) == m, s.c_str());
  }
}

TEST_CASE("units match in any case, with the micro sign, Greek mu and 'u' alike") {
  const size_t crp = marker("CRP");
  for (const char* u : {"ug/mL", "µg/mL", "μg/mL", "UG/ML", " µg/ml "}) {
    const UnitFactor* f = ref().find_unit(crp, u);
    REQUIRE_MESSAGE(f != nullptr, u);
    CHECK(f->factor == 1);
  }
  CHECK(ref().find_unit(crp, "mg/dL")->factor == 10);
  CHECK(ref().find_unit(crp, "ng/mL")->factor == doctest::Approx(0.001));
  CHECK(ref().find_unit(crp, "mmol/L") == nullptr);  // molar CRP is ambiguous: not accepted
  CHECK(ref().find_unit(marker("PGE2"), "pmol/L")->factor == doctest::Approx(0.3525));
  CHECK(ref().find_unit(marker("MMP-3"), "µg/L")->factor == 1);
  CHECK(fold_unit("µg/mL") == "ug/ml");
  CHECK(fold_unit("μg/mL") == "ug/ml");
}

TEST_CASE("the within-person variation applies to serum and plasma only, never to synovial fluid") {
  const BiologicalVariation* crp = ref().variation_for(marker("CRP"), Specimen::kSerum);
  REQUIRE(crp);
  CHECK(*crp->cv_within == 42.2);
  CHECK(*crp->cv_analytical == 5.2);
  CHECK(*crp->critical_difference == 118);
  CHECK(crp->citation.find("Macy EM") == 0);
  CHECK(ref().variation_for(marker("CRP"), Specimen::kPlasma) == crp);  // the other blood fraction's row
  CHECK(ref().variation_for(marker("CRP"), Specimen::kSynovialFluid) == nullptr);
  CHECK(ref().variation_for(marker("IL-6"), Specimen::kSynovialFluid) == nullptr);
  CHECK(ref().variation_for(marker("ESR"), Specimen::kWholeBlood) == nullptr);
  for (const char* none : {"IL-10", "TGF-beta1", "MMP-3", "MMP-1", "MMP-13", "PGE2", "ESR"})
    CHECK_MESSAGE(ref().variation_for(marker(none), Specimen::kSerum) == nullptr, none);
  const BiologicalVariation* timp = ref().variation_for(marker("TIMP-1"), Specimen::kSerum);
  REQUIRE(timp);
  CHECK(timp->specimen == Specimen::kPlasma);
  CHECK(*timp->cv_within == 10.7);
  CHECK_FALSE(timp->cv_analytical);  // none bundled: healcap invents none
  CHECK(*ref().variation_for(marker("IL-6"), Specimen::kSerum)->cv_within == 21.5);
  CHECK(*ref().variation_for(marker("TNF-alpha"), Specimen::kSerum)->cv_analytical == 8.2);
  CHECK(*ref().variation_for(marker("IL-1beta"), Specimen::kSerum)->cv_within == 30.9);
}

TEST_CASE("the hs-CRP categories apply to CRP in serum and plasma") {
  const auto cats = ref().categories_for(marker("CRP"), Specimen::kSerum);
  REQUIRE(cats.size() == 4);
  CHECK(cats[0]->category == "low");
  CHECK(cats[0]->low == 0);
  CHECK(*cats[0]->high == 1);
  CHECK(cats[3]->category == "acute");
  CHECK_FALSE(cats[3]->high);
  CHECK(cats[0]->citation.find("Pearson TA") == 0);
  CHECK(ref().categories_for(marker("CRP"), Specimen::kPlasma).size() == 4);
  CHECK(ref().categories_for(marker("CRP"), Specimen::kSynovialFluid).empty());
  CHECK(ref().categories_for(marker("IL-6"), Specimen::kSerum).empty());
}

TEST_CASE("directions and the pro-inflammatory markers come from decrease_means") {
  CHECK(ref().markers()[marker("CRP")].direction == Direction::kDecreaseImproves);
  CHECK(ref().markers()[marker("IL-10")].direction == Direction::kDecreaseWorsens);
  CHECK(ref().markers()[marker("TIMP-1")].direction == Direction::kDecreaseWorsens);
  CHECK(ref().markers()[marker("TGF-beta1")].direction == Direction::kNone);
  CHECK(ref().markers()[marker("RF")].direction == Direction::kNone);
  int n_pro = 0;
  for (const auto& m : ref().markers()) n_pro += m.pro_inflammatory;
  CHECK(n_pro == 5);  // CRP, IL-6, TNF-alpha, IL-1beta, ESR
  CHECK_FALSE(ref().markers()[marker("IL-10")].pro_inflammatory);
}

TEST_CASE("specimens parse in any case, with blanks or hyphens for underscores") {
  CHECK(parse_specimen("Synovial fluid") == Specimen::kSynovialFluid);
  CHECK(parse_specimen("synovial-fluid") == Specimen::kSynovialFluid);
  CHECK(parse_specimen("SERUM") == Specimen::kSerum);
  CHECK(parse_specimen("whole_blood") == Specimen::kWholeBlood);
  CHECK_FALSE(parse_specimen("urine"));
}

TEST_CASE("a bad reference text is refused with its file and line") {
  CHECK(parse_error(std::string(kMarkersHead) + kCrpRow).empty());
  CHECK(parse_error("marker\tsynonyms\n") == "ref/markers.tsv:1: missing column 'role'");
  CHECK(parse_error(std::string(kMarkersHead) + "CRP\tx\n") == "ref/markers.tsv:2: 2 fields, the header has 8");
  CHECK(parse_error(std::string(kMarkersHead) + "CRP\t\tr\tmg/L\tmg/L=x\tserum\tless_inflammation\ts\n") ==
        "ref/markers.tsv:2: accepted unit 'mg/L=x' is not unit=factor with a factor above 0");
  CHECK(parse_error(std::string(kMarkersHead) + "CRP\t\tr\tmg/L\tmg/dL=10\tserum\tless_inflammation\ts\n") ==
        "ref/markers.tsv:2: the canonical unit 'mg/L' is not accepted with factor 1");
  CHECK(parse_error(std::string(kMarkersHead) + "CRP\t\tr\tmg/L\tmg/L=1\turine\tless_inflammation\ts\n") ==
        "ref/markers.tsv:2: unknown specimen 'urine'");
  CHECK(parse_error(std::string(kMarkersHead) + "CRP\t\tr\tmg/L\tmg/L=1\tserum\tmore_of_it\ts\n") ==
        "ref/markers.tsv:2: decrease_means 'more_of_it' is not one healcap knows how to read");
  CHECK(parse_error(std::string(kMarkersHead) + kCrpRow + "IL-6\tHSCRP\tr\tpg/mL\tpg/mL=1\tserum\tless_inflammation\ts\n") ==
        "ref/markers.tsv:3: name 'HSCRP' also names CRP");
  CHECK(parse_error(std::string(kMarkersHead) + kCrpRow,
                    std::string(kVariationHead) + "IL-6\tserum\tp\t21.5\t6.4\t.\t.\t.\t.\tc\th\ts\n") ==
        "ref/biological_variation.tsv:2: marker 'IL-6' is not in markers.tsv");
  CHECK(parse_error(std::string(kMarkersHead) + kCrpRow,
                    std::string(kVariationHead) + "CRP\tsynovial fluid\tp\t21.5\t6.4\t.\t.\t.\t.\tc\th\ts\n") ==
        "ref/biological_variation.tsv:2: specimen 'synovial fluid' does not start with serum or plasma");
  CHECK(parse_error(std::string(kMarkersHead) + kCrpRow,
                    std::string(kVariationHead) + "CRP\tserum\tp\t-1\t6.4\t.\t.\t.\t.\tc\th\ts\n") ==
        "ref/biological_variation.tsv:2: cv_within_pct '-1' is not a number above 0 or '.'");
  CHECK(parse_error(std::string(kMarkersHead) + kCrpRow, kVariationHead,
                    std::string(kCategoriesHead) + "CRP\tserum\tlow\t0\t1\tmg/dL\tm\tc\t\n") ==
        "ref/decision_categories.tsv:2: unit 'mg/dL' is not CRP's canonical unit");
  CHECK(parse_error(std::string(kMarkersHead) + kCrpRow, kVariationHead,
                    std::string(kCategoriesHead) + "CRP\tserum\tlow\t3\t1\tmg/L\tm\tc\t\n") ==
        "ref/decision_categories.tsv:2: high_exclusive is not a number above low_inclusive, or '.'");
}
