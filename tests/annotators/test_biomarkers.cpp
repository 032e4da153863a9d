// The biomarker layer: the input parser (units, synonyms, censored values, timepoint order, every bad-input
// case with its message) and the judgement (flags, hs-CRP categories, the RCV against the worked values of
// ../shared/biomarkers/README.md, bounds for censored values, directions, the summary, PGS000314 beside CRP).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "biomarker_input.h"
#include "biomarker_reference.h"
#include "biomarkers.h"

using namespace healcap;

namespace {

const BiomarkerReference& bundled() { return BiomarkerReference::bundled(); }

const char* kHead = "sample\tmarker\tvalue\tunit\ttimepoint\tspecimen\tdate\tref_low\tref_high\tcv_analytical\n";

// One row of kHead's columns.
std::string row(const std::string& sample, const std::string& marker, const std::string& value, const std::string& unit,
                const std::string& tp, const std::string& specimen = "serum", const std::string& date = "",
                const std::string& lo = "", const std::string& hi = "", const std::string& cva = "") {
  return sample + "\t" + marker + "\t" + value + "\t" + unit + "\t" + tp + "\t" + specimen + "\t" + date + "\t" + lo + "\t" +
         hi + "\t" + cva + "\n";
}

BiomarkerOptions timepoints(std::vector<std::string> t) {
  BiomarkerOptions o;
  o.timepoints = std::move(t);
  return o;
}
const BiomarkerOptions kBaseline3m = timepoints({"baseline", "3m"});

BiomarkerInput parse(const std::string& text, const BiomarkerOptions& opt = kBaseline3m, const std::string& path = "bm.tsv",
                     const SampleMap* map = nullptr) {
  return parse_biomarker_input(text, path, map, opt, bundled());
}

std::string error_of(const std::string& text, const BiomarkerOptions& opt = kBaseline3m, const std::string& path = "bm.tsv") {
  try {
    parse(text, opt, path);
  } catch (const BiomarkerInputError& e) {
    return e.what();
  }
  return "(no error)";
}

std::unique_ptr<BiomarkerLayer> judge(const std::string& text, RcvLimits rcv = RcvLimits::kLognormal,
                                      const GeneticSamples& genetic = {}, const BiomarkerReference& r = bundled(),
                                      const BiomarkerOptions& opt = kBaseline3m) {
  auto layer = std::make_unique<BiomarkerLayer>();
  judge_biomarkers(*layer, parse_biomarker_input(text, "bm.tsv", nullptr, opt, r), r, rcv, genetic);
  return layer;
}

// The first series of the first sample, and its baseline-to-last change.
const BmSeries& first_series(const BiomarkerLayer& l) {
  REQUIRE(!l.samples.empty());
  REQUIRE(!l.samples[0].series.empty());
  return l.samples[0].series[0];
}
const BmChange& last_change(const BiomarkerLayer& l) {
  const BmSeries& s = first_series(l);
  REQUIRE(!s.changes.empty());
  return s.changes.back();
}

// A two-row CRP series, baseline then 3m.
std::string crp_pair(const std::string& a, const std::string& b, const std::string& specimen = "serum", const std::string& cva_a = "",
                     const std::string& cva_b = "") {
  return std::string(kHead) + row("S1", "CRP", a, "mg/L", "baseline", specimen, "", "", "", cva_a) +
         row("S1", "CRP", b, "mg/L", "3m", specimen, "", "", "", cva_b);
}

// A reference with an IL-10, TGF-beta1 and RF variation row (none exists: for the direction logic only).
const BiomarkerReference& with_made_up_variation() {
  static const BiomarkerReference r = [] {
    const auto& f = BiomarkerReference::bundled_files();
    std::string bv(f[1].second);
    for (const char* m : {"IL-10", "TGF-beta1", "RF"})
      bv += std::string(m) + "\tserum\ttest only\t20\t5\t.\t.\t.\t.\tnone: a test's made-up row\t.\tnot a fact\n";
    return BiomarkerReference::parse(f[0].second, bv, f[2].second, "test");
  }();
  return r;
}

}  // namespace

TEST_CASE("the RCV reproduces the worked values: Macy CRP 117.9 % symmetric, +210 % / -68 % log-normal") {
  const ReferenceChange r = reference_change(5.2, 42.2);
  CHECK(r.symmetric == doctest::Approx(117.9).epsilon(0.0005));
  CHECK(std::round(r.symmetric) == 118);  // the paper's published critical difference
  CHECK(std::round(r.upper) == 210);
  CHECK(std::round(r.lower) == -68);
  CHECK(r.upper == doctest::Approx(209.98).epsilon(0.0001));
  CHECK(r.lower == doctest::Approx(-67.74).epsilon(0.0001));
  // The log-normal limits are reciprocal: (1 + up)(1 + down) = 1.
  CHECK((1 + r.upper / 100) * (1 + r.lower / 100) == doctest::Approx(1.0));
  // IL-6 (Aziz 2019): CVa 6.4, CVi 21.5.
  CHECK(reference_change(6.4, 21.5).symmetric == doctest::Approx(std::sqrt(2.0) * 1.96 * std::sqrt(6.4 * 6.4 + 21.5 * 21.5)));
}

TEST_CASE("every conversion factor of markers.tsv turns a value into the canonical unit") {
  std::ifstream f(std::string(HEALCAP_SOURCE_DIR) + "/gene_panels/biomarkers/markers.tsv");
  REQUIRE(f);
  std::string line;
  std::getline(f, line);  // header
  int n_units = 0;
  while (std::getline(f, line)) {
    std::vector<std::string> c;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, '\t');) c.push_back(x);
    REQUIRE(c.size() == 8);
    const std::string marker = c[0], canonical = c[3];
    const std::string specimen = c[5].substr(0, c[5].find(';'));
    std::stringstream units(c[4]);
    for (std::string u; std::getline(units, u, ';');) {
      const std::string unit = u.substr(0, u.find('=')), factor = u.substr(u.find('=') + 1);
      const BiomarkerInput in = parse(std::string(kHead) + row("S1", marker, "2.5", unit, "baseline", specimen));
      REQUIRE(in.rows.size() == 1);
      CHECK_MESSAGE(in.rows[0].canonical == doctest::Approx(2.5 * std::stod(factor)), (marker + " in " + unit));
      CHECK(in.rows[0].value == 2.5);
      const auto layer = judge(std::string(kHead) + row("S1", marker, "2.5", unit, "baseline", specimen));
      CHECK(first_series(*layer).unit == canonical);
      ++n_units;
    }
  }
  CHECK(n_units == 46);
  // Some by hand.
  const auto canon = [](const std::string& marker, const std::string& value, const std::string& unit) {
    return parse(std::string(kHead) + row("S1", marker, value, unit, "baseline")).rows[0].canonical;
  };
  CHECK(canon("CRP", "0.41", "mg/dL") == doctest::Approx(4.1));
  CHECK(canon("CRP", "4100", "ng/mL") == doctest::Approx(4.1));
  CHECK(canon("IL-6", "0.005", "ng/mL") == doctest::Approx(5));
  CHECK(canon("PGE2", "10", "pmol/L") == doctest::Approx(3.525));
  CHECK(canon("MMP-3", "500", "pg/mL") == doctest::Approx(0.5));
  CHECK(canon("TIMP-1", "180", "µg/L") == doctest::Approx(180));
  CHECK(canon("TIMP-1", "180", "μg/L") == doctest::Approx(180));
}

TEST_CASE("marker names are matched through the synonyms, case-insensitively") {
  const BiomarkerInput in = parse(std::string(kHead) + row("S1", "IL-1β", "1", "pg/mL", "baseline") +
                                  row("S2", "IL1B", "1", "pg/mL", "baseline") +
                                  row("S3", "interleukin 1 beta", "1", "pg/mL", "baseline") +
                                  row("S4", "Interleukin-1 Beta", "1", "pg/mL", "baseline"));
  for (const Measurement& m : in.rows) {
    REQUIRE(m.marker.has_value());
    CHECK(bundled().markers()[*m.marker].name == "IL-1beta");
  }
  CHECK(in.rows[0].marker_text == "IL-1β");
  CHECK(in.unknown.empty());
}

TEST_CASE("an unknown marker is kept, reported with its rows, and gets no RCV") {
  const auto layer = judge(std::string(kHead) + row("S1", "IL-17A", "5", "pg/mL", "baseline") +
                           row("S1", "il-17a", "50", "pg/mL", "3m") + row("S2", "IL-17A", "7", "pg/mL", "baseline"));
  const BiomarkerInput& in = layer->input;
  REQUIRE(in.unknown.size() == 1);
  CHECK(in.unknown[0].name == "IL-17A");
  CHECK(in.unknown[0].n_rows == 3);
  CHECK(in.unknown[0].first_line == 2);
  REQUIRE(in.warnings.size() == 1);
  CHECK(in.warnings[0] == "bm.tsv: marker 'IL-17A' is not in healcap's biomarker reference (3 rows, first at line 2): kept and "
                          "reported as unknown, with no reference and no RCV");
  const BmSeries& s = first_series(*layer);
  CHECK_FALSE(s.marker);
  CHECK(s.name == "IL-17A");
  CHECK(s.values.size() == 2);
  const BmChange& c = last_change(*layer);
  CHECK(c.verdict == Verdict::kNoRcv);
  CHECK(*c.pct_change == doctest::Approx(900));
  CHECK(c.outcome == Outcome::kNone);
}

TEST_CASE("censored values stay censored: never x, never 0") {
  const BiomarkerInput in = parse(std::string(kHead) + row("S1", "CRP", "<0.15", "mg/L", "baseline") +
                                  row("S1", "CRP", "> 20", "mg/L", "3m") + row("S2", "CRP", "<0.015", "mg/dL", "baseline"));
  CHECK(in.rows[0].censor == Censor::kBelow);
  CHECK(in.rows[0].canonical == 0.15);
  CHECK(in.rows[0].value_text == "<0.15");
  CHECK(in.rows[1].censor == Censor::kAbove);
  CHECK(in.rows[1].canonical == 20);
  CHECK(in.rows[2].canonical == doctest::Approx(0.15));  // the bound is converted like a value
  CHECK(error_of(std::string(kHead) + row("S1", "CRP", "<0", "mg/L", "baseline")) ==
        "bm.tsv:2: value '<0' of CRP: nothing lies below 0; write the assay's limit");
}

TEST_CASE("a fall to below the quantification limit is a bound: a verdict only when the bound passes the limit") {
  // 4.1 -> <0.15 mg/L: the change is below -96.3 %, past -67.7 %: a certain, significant fall.
  auto l = judge(crp_pair("4.1", "<0.15"));
  const BmChange& c = last_change(*l);
  CHECK_FALSE(c.pct_change);
  CHECK_FALSE(c.abs_change);
  CHECK(*c.pct_bound == doctest::Approx((0.15 / 4.1 - 1) * 100));
  CHECK(c.bound_side == Censor::kBelow);
  CHECK(c.verdict == Verdict::kDecrease);
  CHECK(c.outcome == Outcome::kImproved);
  CHECK(c.text.rfind("fell from 4.1 to below 0.15 mg/L (a change below -96.3415 %); a significant decrease", 0) == 0);
  // 0.3 -> <0.2: below -33 %, which does not pass -67.7 %: not computable.
  l = judge(crp_pair("0.3", "<0.2"));
  CHECK(last_change(*l).verdict == Verdict::kNotComputable);
  CHECK(last_change(*l).reason.find("does not pass the lower limit") != std::string::npos);
  // 0.3 -> <0.5: the direction is not known at all.
  l = judge(crp_pair("0.3", "<0.5"));
  CHECK(last_change(*l).verdict == Verdict::kNotComputable);
  CHECK(last_change(*l).pct_bound.has_value());
  // <0.1 -> 5: above +4900 %: a certain rise, worsened.
  l = judge(crp_pair("<0.1", "5"));
  CHECK(last_change(*l).bound_side == Censor::kAbove);
  CHECK(last_change(*l).verdict == Verdict::kIncrease);
  CHECK(last_change(*l).outcome == Outcome::kWorsened);
  // Both below their limits: nothing is known of the change.
  l = judge(crp_pair("<0.15", "<0.15"));
  CHECK_FALSE(last_change(*l).pct_bound);
  CHECK(last_change(*l).verdict == Verdict::kNotComputable);
  CHECK(last_change(*l).reason == "a censored value: the direction of the change is not known");
  // >20 -> 2: below -90 %: a decrease; <0.2 -> >20: above +9900 %: an increase.
  CHECK(last_change(*judge(crp_pair(">20", "2"))).verdict == Verdict::kDecrease);
  CHECK(last_change(*judge(crp_pair("<0.2", ">20"))).verdict == Verdict::kIncrease);
  // A measured 0 gives no percent change.
  l = judge(crp_pair("0", "3"));
  CHECK(*last_change(*l).abs_change == 3);
  CHECK_FALSE(last_change(*l).pct_change);
  CHECK(last_change(*l).verdict == Verdict::kNotComputable);
}

TEST_CASE("verdicts use the log-normal limits by default and the symmetric one under --rcv symmetric") {
  // 4.1 -> 0.5 mg/L is -87.8 %: past the log-normal -67.7 %, inside the symmetric ±117.9 %.
  auto l = judge(crp_pair("4.1", "0.5"));
  CHECK(*last_change(*l).pct_change == doctest::Approx(-87.8049).epsilon(1e-5));
  CHECK(last_change(*l).verdict == Verdict::kDecrease);
  CHECK(last_change(*l).cv_analytical_from == std::string("bundled"));
  l = judge(crp_pair("4.1", "0.5"), RcvLimits::kSymmetric);
  CHECK(last_change(*l).verdict == Verdict::kWithinVariation);
  // The example: 4.1 -> 2.6 mg/L looks like success, but is within CRP's biological variation.
  l = judge(crp_pair("4.1", "2.6"));
  CHECK(last_change(*l).verdict == Verdict::kWithinVariation);
  CHECK(last_change(*l).outcome == Outcome::kNone);
  // A rise of +215 %: past +210 %.
  CHECK(last_change(*judge(crp_pair("1", "3.15"))).verdict == Verdict::kIncrease);
  CHECK(last_change(*judge(crp_pair("1", "3.05"))).verdict == Verdict::kWithinVariation);
}

TEST_CASE("the rows' cv_analytical is used (the larger of two), else the bundled CVa") {
  auto l = judge(crp_pair("4", "2", "serum", "3.1", "12"));
  CHECK(*last_change(*l).cv_analytical == 12);
  CHECK(last_change(*l).cv_analytical_from == std::string("row"));
  CHECK(last_change(*l).rcv->symmetric == doctest::Approx(reference_change(12, 42.2).symmetric));
  l = judge(crp_pair("4", "2", "plasma", "", "3.1"));
  CHECK(*last_change(*l).cv_analytical == doctest::Approx(3.1));
  CHECK(*last_change(*l).cv_within == 42.2);  // serum CVi, applied to plasma
}

TEST_CASE("without a CVi or a CVa there is no RCV and no verdict, never an invented CV") {
  // Synovial fluid: no within-person study.
  auto l = judge(crp_pair("4", "1", "synovial_fluid"));
  CHECK(last_change(*l).verdict == Verdict::kNoRcv);
  CHECK(*last_change(*l).pct_change == -75);
  CHECK_FALSE(last_change(*l).rcv);
  CHECK(first_series(*l).note ==
        "no RCV available: no within-person variation study of CRP in synovial fluid exists (none was found for any "
        "marker in synovial fluid)");
  // MMP-3 and IL-10: no variation data.
  l = judge(std::string(kHead) + row("S1", "MMP-3", "40", "ng/mL", "baseline") + row("S1", "MMP-3", "10", "ng/mL", "3m"));
  CHECK(last_change(*l).verdict == Verdict::kNoRcv);
  CHECK(last_change(*l).reason == "no RCV available: no within-person variation study of MMP-3 was found");
  // TIMP-1: a CVi but no bundled CVa; the lab's cv_analytical gives one.
  const std::string timp = std::string(kHead) + row("S1", "TIMP-1", "200", "ng/mL", "baseline", "plasma") +
                           row("S1", "TIMP-1", "300", "ng/mL", "3m", "plasma");
  l = judge(timp);
  CHECK(last_change(*l).verdict == Verdict::kNoRcv);
  CHECK(last_change(*l).reason.find("give the lab's cv_analytical") != std::string::npos);
  l = judge(std::string(kHead) + row("S1", "TIMP-1", "200", "ng/mL", "baseline", "plasma", "", "", "", "4.5") +
            row("S1", "TIMP-1", "300", "ng/mL", "3m", "plasma", "", "", "", "4.5"));
  CHECK(last_change(*l).rcv->symmetric == doctest::Approx(reference_change(4.5, 10.7).symmetric));
  CHECK(last_change(*l).verdict == Verdict::kIncrease);
  CHECK(last_change(*l).outcome == Outcome::kImproved);  // less matrix protection when it falls
}

TEST_CASE("the direction reads the marker's role: a fall of IL-10 worsens, TGF-beta1 and RF have none") {
  const BiomarkerReference& r = with_made_up_variation();
  const auto fall = [&](const std::string& marker, const std::string& unit) {
    return judge(std::string(kHead) + row("S1", marker, "10", unit, "baseline") + row("S1", marker, "2", unit, "3m"),
                 RcvLimits::kLognormal, {}, r);
  };
  auto l = fall("IL-10", "pg/mL");
  CHECK(last_change(*l).verdict == Verdict::kDecrease);
  CHECK(last_change(*l).outcome == Outcome::kWorsened);
  l = fall("TGF-beta1", "pg/mL");
  CHECK(last_change(*l).verdict == Verdict::kDecrease);
  CHECK(last_change(*l).outcome == Outcome::kNone);
  CHECK(l->samples[0].summary.n_changed_no_direction == 1);
  l = fall("RF", "IU/mL");
  CHECK(last_change(*l).outcome == Outcome::kNone);
  l = fall("IL-6", "pg/mL");
  CHECK(last_change(*l).outcome == Outcome::kImproved);
}

TEST_CASE("flags against the lab's interval, converted like the value; censored values only where certain") {
  const auto flag = [](const std::string& value, const std::string& unit, const std::string& lo, const std::string& hi) {
    const auto l = judge(std::string(kHead) + row("S1", "CRP", value, unit, "baseline", "serum", "", lo, hi));
    return first_series(*l).values[0].flag;
  };
  CHECK(flag("6", "mg/L", "0", "5") == RefFlag::kHigh);
  CHECK(flag("5", "mg/L", "0", "5") == RefFlag::kNormal);
  CHECK(flag("0.4", "mg/dL", "0", "0.5") == RefFlag::kNormal);
  CHECK(flag("0.6", "mg/dL", "0", "0.5") == RefFlag::kHigh);
  CHECK(flag("0.5", "mg/L", "1", "") == RefFlag::kLow);
  CHECK_FALSE(flag("0.5", "mg/L", "", ""));
  CHECK(flag("<0.15", "mg/L", "0", "5") == RefFlag::kNormal);
  CHECK(flag("<0.15", "mg/L", "", "5") == RefFlag::kNormal);
  CHECK(flag("<0.5", "mg/L", "1", "5") == RefFlag::kLow);
  CHECK_FALSE(flag("<2", "mg/L", "1", "5"));  // low or normal
  CHECK(flag(">20", "mg/L", "0", "5") == RefFlag::kHigh);
  CHECK_FALSE(flag(">2", "mg/L", "0", "5"));  // normal or high
}

TEST_CASE("CRP in serum or plasma gets its AHA/CDC category; censored values only where certain") {
  const auto cat = [](const std::string& value, const std::string& specimen = "serum") {
    const auto l = judge(std::string(kHead) + row("S1", "CRP", value, "mg/L", "baseline", specimen));
    const DecisionCategory* c = first_series(*l).values[0].category;
    return c ? c->category : std::string("-");
  };
  CHECK(cat("0.99") == "low");
  CHECK(cat("1") == "average");
  CHECK(cat("2.99") == "average");
  CHECK(cat("3") == "high");
  CHECK(cat("10") == "acute");
  CHECK(cat("<0.15") == "low");
  CHECK(cat("<2") == "-");
  CHECK(cat(">20") == "acute");
  CHECK(cat(">5") == "-");
  CHECK(cat("4", "plasma") == "high");
  CHECK(cat("4", "synovial_fluid") == "-");
}

TEST_CASE("timepoints follow --timepoints, else the rows' dates; with neither healcap refuses to guess") {
  const std::string dated = std::string(kHead) + row("S1", "CRP", "3", "mg/L", "12m", "serum", "2027-01-10") +
                            row("S1", "CRP", "4", "mg/L", "baseline", "serum", "2026-01-05") +
                            row("S2", "CRP", "4", "mg/L", "3m", "serum", "2026-04-01") +
                            row("S2", "CRP", "5", "mg/L", "baseline", "serum", "2026-01-02");
  BiomarkerInput in = parse(dated, {});
  CHECK(in.by_date);
  CHECK(in.timepoints == std::vector<std::string>{"baseline", "3m", "12m"});
  const auto l = judge(dated, RcvLimits::kLognormal, {}, bundled(), {});
  CHECK(l->input.rows[first_series(*l).values[0].row].timepoint == "baseline");
  in = parse(dated, timepoints({"baseline", "3m", "6m", "12m"}));
  CHECK_FALSE(in.by_date);
  CHECK(in.timepoints == std::vector<std::string>{"baseline", "3m", "12m"});  // those present, in the list's order
  // Without dates, --timepoints orders them; without either, an error naming the row.
  const std::string undated = std::string(kHead) + row("S1", "CRP", "3", "mg/L", "3m") + row("S1", "CRP", "4", "mg/L", "baseline");
  CHECK(parse(undated).timepoints == std::vector<std::string>{"baseline", "3m"});
  CHECK(error_of(undated, {}) ==
        "bm.tsv:2: timepoint '3m' has no date, and without --timepoints healcap does not guess an order: give each row a "
        "date, or --timepoints 3m,baseline");
  CHECK(error_of(undated, timepoints({"baseline"})) ==
        "bm.tsv:2: timepoint '3m' is not among --timepoints baseline; add it to the list");
}

TEST_CASE("dates that contradict the order are refused") {
  // Against --timepoints: 3m dated before baseline.
  const std::string back = std::string(kHead) + row("S1", "CRP", "3", "mg/L", "baseline", "serum", "2026-05-01") +
                           row("S1", "CRP", "4", "mg/L", "3m", "serum", "2026-02-01");
  CHECK(error_of(back) ==
        "bm.tsv:3: sample 'S1': timepoint '3m' is dated 2026-02-01 at bm.tsv:3, before 'baseline' (2026-05-01 at bm.tsv:2), "
        "which --timepoints puts first; correct the dates or the order");
  // Between samples: one sample's dates put baseline first, another's 3m.
  const std::string crossed = std::string(kHead) + row("S1", "CRP", "3", "mg/L", "baseline", "serum", "2026-01-01") +
                              row("S1", "CRP", "4", "mg/L", "3m", "serum", "2026-04-01") +
                              row("S2", "CRP", "3", "mg/L", "baseline", "serum", "2026-05-01") +
                              row("S2", "CRP", "4", "mg/L", "3m", "serum", "2026-02-01");
  CHECK(error_of(crossed, {}) ==
        "bm.tsv:5: the dates put '3m' before 'baseline' for sample 'S2' but after it for sample 'S1'; correct the dates or "
        "give --timepoints");
  // One sample's two timepoints on overlapping dates.
  const std::string overlap = std::string(kHead) + row("S1", "CRP", "3", "mg/L", "a", "serum", "2026-01-01") +
                              row("S1", "IL-6", "3", "pg/mL", "a", "serum", "2026-01-09") +
                              row("S1", "CRP", "4", "mg/L", "b", "serum", "2026-01-05");
  CHECK(error_of(overlap, {}).find("bm.tsv:4: sample 'S1': timepoints 'a' (2026-01-01 at bm.tsv:2) and 'b' (2026-01-05 at "
                                   "bm.tsv:4) share dates") == 0);
  // Three samples ordering three timepoints in a circle.
  const std::string circle = std::string(kHead) + row("S1", "CRP", "1", "mg/L", "a", "serum", "2026-01-01") +
                             row("S1", "CRP", "1", "mg/L", "b", "serum", "2026-02-01") +
                             row("S2", "CRP", "1", "mg/L", "b", "serum", "2026-01-01") +
                             row("S2", "CRP", "1", "mg/L", "c", "serum", "2026-02-01") +
                             row("S3", "CRP", "1", "mg/L", "c", "serum", "2026-01-01") +
                             row("S3", "CRP", "1", "mg/L", "a", "serum", "2026-02-01");
  CHECK(error_of(circle, {}) ==
        "bm.tsv: the rows' dates order the timepoints a, b, c in a circle (each sample agrees with itself, not with the "
        "others); correct the dates or give --timepoints");
}

TEST_CASE("every bad input is one line naming FILE:LINE") {
  const std::string h = kHead;
  CHECK(error_of("") == "bm.tsv: empty file: no header line and no measurements; the first line names the columns "
                        "(sample, marker, value, unit, timepoint, ...)");
  CHECK(error_of("# only a comment\n\n") == error_of(""));
  CHECK(error_of(h) == "bm.tsv:1: no measurements after the header; each row after it is one measurement");
  CHECK(error_of("sample\tmarker\tvalue\tunit\n" + std::string("S1\tCRP\t1\tmg/L\n")) ==
        "bm.tsv:1: missing required column 'timepoint' (read as TSV; the header has sample, marker, value, unit); "
        "required: sample, marker, value, unit, timepoint");
  CHECK(error_of("sample\tmarker\tvalue\tunit\ttimepoint\tSample\n") == "bm.tsv:1: column 'sample' is given twice");
  CHECK(error_of(h + "S1\tCRP\t1\n") == "bm.tsv:2: 3 fields, the header has 10 (read as TSV)");
  CHECK(error_of(h + row("S1", "CRP", "abc", "mg/L", "baseline")) ==
        "bm.tsv:2: value 'abc' of CRP is not a number (write <x or >x for a value outside the assay's range; a decimal "
        "point, not a comma)");
  CHECK(error_of(h + row("S1", "CRP", "4,1", "mg/L", "baseline")).rfind("bm.tsv:2: value '4,1' of CRP is not a number", 0) == 0);
  CHECK(error_of(h + row("S1", "CRP", "nan", "mg/L", "baseline")).rfind("bm.tsv:2: value 'nan'", 0) == 0);
  CHECK(error_of(h + row("S1", "CRP", "-1.2", "mg/L", "baseline")) ==
        "bm.tsv:2: negative concentration '-1.2' of CRP; a concentration is 0 or more");
  CHECK(error_of(h + row("S1", "CRP", "1", "mmol/L", "baseline")) ==
        "bm.tsv:2: unit 'mmol/L' is not known for CRP; use one of mg/L, ug/mL, µg/mL, mg/dL, ng/mL (or convert the value)");
  CHECK(error_of(h + row("S1", "CRP", "1", "mg/L", "baseline") + row("S1", "hs-CRP", "2", "mg/L", "baseline")) ==
        "bm.tsv:3: duplicate of line 2 (sample 'S1', CRP, timepoint 'baseline', serum) with another value (1 mg/L there, "
        "2 mg/L here); keep one row per measurement");
  CHECK(error_of(h + row("S1", "CRP", "", "mg/L", "baseline")) ==
        "bm.tsv:2: empty value; every row needs sample, marker, value, unit and timepoint");
  CHECK(error_of(h + row("S1", "CRP", "1", "mg/L", "baseline", "urine")) ==
        "bm.tsv:2: specimen 'urine' is not serum, plasma, synovial_fluid or whole_blood");
  CHECK(error_of(h + row("S1", "CRP", "1", "mg/L", "baseline", "serum", "2026-02-30")) ==
        "bm.tsv:2: date '2026-02-30' is not an ISO 8601 calendar date (YYYY-MM-DD)");
  CHECK(error_of(h + row("S1", "CRP", "1", "mg/L", "baseline", "serum", "05/01/2026")).rfind("bm.tsv:2: date '05/01/2026'", 0) == 0);
  CHECK(error_of(h + row("S1", "CRP", "1", "mg/L", "baseline", "serum", "", "5", "1")) ==
        "bm.tsv:2: ref_low '5' is above ref_high '1'; the lab's interval is ref_low..ref_high");
  CHECK(error_of(h + row("S1", "CRP", "1", "mg/L", "baseline", "serum", "", "-1", "")) ==
        "bm.tsv:2: ref_low '-1' is not a number of 0 or more (in the row's unit, mg/L)");
  CHECK(error_of(h + row("S1", "CRP", "1", "mg/L", "baseline", "serum", "", "", "", "0")) ==
        "bm.tsv:2: cv_analytical '0' is not a percentage above 0 and below 100 (e.g. 3.5 for 3.5 %)");
  CHECK(error_of("sample,marker,value,unit,timepoint\nS1,CRP,\"1\n", kBaseline3m, "bm.csv") ==
        "bm.csv:2: a quoted field is not closed on its line (a line break inside quotes is not read: one measurement per line)");
}

TEST_CASE("the same measurement twice is read once and counted; with another date it is an error") {
  const std::string h = kHead;
  BiomarkerInput in = parse(h + row("S1", "CRP", "4.1", "mg/L", "baseline") + row("S1", "CRP", "0.41", "mg/dL", "baseline") +
                            row("S1", "CRP", "4.1", "mg/L", "baseline"));
  CHECK(in.rows.size() == 1);
  CHECK(in.n_rows == 3);
  REQUIRE(in.warnings.size() == 1);
  CHECK(in.warnings[0] == "bm.tsv: 2 rows repeat an earlier row with the same value and were read once (first: line 3 repeats line 2)");
  // Another specimen is another measurement.
  CHECK(parse(h + row("S1", "CRP", "4.1", "mg/L", "baseline") + row("S1", "CRP", "9", "mg/L", "baseline", "synovial_fluid")).rows.size() == 2);
  CHECK(error_of(h + row("S1", "CRP", "4.1", "mg/L", "baseline", "serum", "2026-01-01") +
                 row("S1", "CRP", "4.1", "mg/L", "baseline", "serum", "2026-01-02")) ==
        "bm.tsv:3: duplicate of line 2 (sample 'S1', CRP, timepoint 'baseline', serum) with another date (2026-01-01 there, "
        "2026-01-02 here)");
}

TEST_CASE("CSV and TSV by name or by the header; quoted fields, a byte-order mark, CRLF and comments") {
  const std::string csv = "\xEF\xBB\xBF# lab export\r\n\"sample\",\"marker\",value,unit,timepoint,lab\r\n"
                          "\"S 1\",\"IL-6\",\"3.5\",pg/mL,baseline,\"Lab \"\"A\"\", Basel\"\r\n"
                          "\"S 1\",IL-6,2,pg/mL,3m,\r\n";
  BiomarkerInput in = parse(csv, kBaseline3m, "export.CSV");
  CHECK(in.delimiter == ',');
  REQUIRE(in.rows.size() == 2);
  CHECK(in.rows[0].sample == "S 1");
  CHECK(in.rows[0].lab == "Lab \"A\", Basel");
  CHECK(in.rows[0].line == 3);
  CHECK(in.rows[0].canonical == 3.5);
  in = parse(csv, kBaseline3m, "export");  // no extension: no tab in the header, so CSV
  CHECK(in.delimiter == ',');
  in = parse(std::string(kHead) + row("S1", "CRP", "1", "mg/L", "baseline"), kBaseline3m, "lab_export");
  CHECK(in.delimiter == '\t');
  // Columns healcap does not read are named in a warning; column names match in any case.
  in = parse("Sample\tMARKER\tValue\tUnit\tTimepoint\tcomment\nS1\tCRP\t1\tmg/L\tbaseline\tfasting\n");
  REQUIRE(in.warnings.size() == 2);  // and the row's specimen, by default
  CHECK(in.warnings[0].rfind("bm.tsv:1: column comment not read", 0) == 0);
}

TEST_CASE("a row without a specimen takes its marker's first usual one, counted in a warning") {
  const BiomarkerInput in = parse("sample\tmarker\tvalue\tunit\ttimepoint\nS1\tCRP\t1\tmg/L\tbaseline\nS1\tESR\t12\tmm/h\tbaseline\n"
                                  "S1\tIL-99\t1\tpg/mL\tbaseline\n");
  CHECK(in.rows[0].specimen == Specimen::kSerum);
  CHECK(in.rows[1].specimen == Specimen::kWholeBlood);
  CHECK(in.rows[2].specimen == Specimen::kSerum);
  CHECK_FALSE(in.rows[0].specimen_given);
  CHECK(in.warnings.back().rfind("bm.tsv: 3 rows give no specimen (first: line 2)", 0) == 0);
}

TEST_CASE("an optional field written '.', NA or N/A is not given; a required one is still needed") {
  const BiomarkerInput in = parse(
      "sample\tmarker\tspecimen\tvalue\tunit\ttimepoint\tdate\tref_low\tref_high\tcv_analytical\tassay\n"
      "S1\tCRP\t.\t1\tmg/L\tbaseline\t.\t.\t5\tNA\tN/A\n"
      "S1\tIL-6\tserum\t2\tpg/mL\tbaseline\tNA\tna\t.\t.\t.\n");
  REQUIRE(in.rows.size() == 2);
  CHECK_FALSE(in.rows[0].specimen_given);
  CHECK(in.rows[0].date.empty());
  CHECK_FALSE(in.rows[0].ref_low);
  CHECK(in.rows[0].ref_high == doctest::Approx(5));
  CHECK_FALSE(in.rows[0].cv_analytical);
  CHECK(in.rows[0].assay.empty());
  CHECK_FALSE(in.rows[1].ref_low);
  CHECK_FALSE(in.rows[1].ref_high);
  // A required field is never "not given": '.' as a value is not a number.
  CHECK(error_of("sample\tmarker\tvalue\tunit\ttimepoint\nS1\tCRP\t.\tmg/L\tbaseline\n").find("bm.tsv:2: ") == 0);
}

TEST_CASE("--sample-map maps lab ids to VCF samples; a bad map names its line") {
  const SampleMap map = parse_sample_map("# lab\tvcf\nLAB-7\tEX07\n\nLAB-8\tEX08\n", "map.tsv");
  const BiomarkerInput in = parse(std::string(kHead) + row("LAB-7", "CRP", "1", "mg/L", "baseline") +
                                  row("EX09", "CRP", "1", "mg/L", "baseline"), kBaseline3m, "bm.tsv", &map);
  CHECK(in.rows[0].sample == "EX07");
  CHECK(in.rows[0].lab_sample == "LAB-7");
  CHECK(in.rows[1].sample == "EX09");
  CHECK(in.sample_map_path == "map.tsv");
  const auto map_error = [](const std::string& text) {
    try {
      parse_sample_map(text, "map.tsv");
    } catch (const BiomarkerInputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(map_error("LAB-7 EX07\n") == "map.tsv:1: expected two tab-separated fields, the lab's sample id and the VCF sample id");
  CHECK(map_error("L\tA\nL\tB\n") == "map.tsv:2: lab id 'L' is mapped to 'A' and to 'B'; map each lab id once");
  CHECK(map_error("L\tA\nL\tA\n") == "(no error)");
}

TEST_CASE("the per-sample summary counts pro-inflammatory markers above the lab's range and baseline-to-last verdicts") {
  const std::string text = std::string(kHead) +
                           row("S1", "CRP", "8", "mg/L", "baseline", "serum", "", "0", "5") +
                           row("S1", "CRP", "1", "mg/L", "3m", "serum", "", "0", "5") +
                           row("S1", "IL-6", "9", "pg/mL", "baseline", "serum", "", "", "7") +
                           row("S1", "IL-6", "8", "pg/mL", "3m", "serum", "", "", "7") +
                           row("S1", "TNF-alpha", "10", "pg/mL", "baseline") + row("S1", "TNF-alpha", "11", "pg/mL", "3m") +
                           row("S1", "IL-6", "500", "pg/mL", "baseline", "synovial_fluid") +
                           row("S1", "IL-10", "5", "pg/mL", "baseline") + row("S1", "IL-10", "4", "pg/mL", "3m") +
                           row("S1", "CRP", "<0.15", "mg/L", "12m", "serum", "", "0", "5");
  const auto l = judge(text, RcvLimits::kLognormal, {}, bundled(), timepoints({"baseline", "3m", "12m"}));
  const BmSummary& s = l->samples[0].summary;
  REQUIRE(s.by_timepoint.size() == 3);
  CHECK(s.by_timepoint[0].timepoint == "baseline");
  CHECK(s.by_timepoint[0].n_pro_inflammatory_measured == 4);  // CRP, IL-6 serum and synovial, TNF-alpha
  CHECK(s.by_timepoint[0].n_pro_inflammatory_with_range == 2);
  CHECK(s.by_timepoint[0].n_pro_inflammatory_above_range == 2);
  CHECK(s.by_timepoint[1].n_pro_inflammatory_above_range == 1);
  CHECK(s.by_timepoint[2].n_pro_inflammatory_measured == 1);
  // CRP 8 -> <0.15 (a certain fall), IL-6 9 -> 8 and TNF-alpha (within), IL-10 (no RCV); synovial IL-6 has one value.
  CHECK(s.n_improved == 1);
  CHECK(s.n_worsened == 0);
  CHECK(s.n_within_variation == 2);
  CHECK(s.n_no_rcv == 1);
  CHECK(s.n_not_computable == 0);
  // The CRP series: consecutive changes, then baseline to last.
  const BmSeries& crp = l->samples[0].series[0];
  REQUIRE(crp.changes.size() == 3);
  CHECK_FALSE(crp.changes[0].baseline_to_last);
  CHECK(crp.changes[0].verdict == Verdict::kDecrease);  // 8 -> 1: -87.5 %
  CHECK(crp.changes[2].baseline_to_last);
  CHECK(crp.changes[2].from == 0);
  CHECK(crp.changes[2].to == 2);
}

TEST_CASE("samples are the run's first in its order, then the others; both lists are kept") {
  GeneticSamples g;
  g.known = true;
  g.samples = {"EX02", "EX01", "EX03"};
  const auto l = judge(std::string(kHead) + row("LAB9", "CRP", "1", "mg/L", "baseline") + row("EX01", "CRP", "1", "mg/L", "baseline") +
                           row("EX02", "CRP", "1", "mg/L", "baseline"),
                       RcvLimits::kLognormal, g);
  REQUIRE(l->samples.size() == 3);
  CHECK(l->samples[0].name == "EX02");
  CHECK(l->samples[1].name == "EX01");
  CHECK(l->samples[2].name == "LAB9");
  CHECK(*l->samples[2].genotyped == false);
  CHECK(l->without_genotypes == std::vector<std::string>{"LAB9"});
  CHECK(l->genotyped_without == std::vector<std::string>{"EX03"});
  CHECK_FALSE(l->crp);
  const auto unknown = judge(std::string(kHead) + row("EX01", "CRP", "1", "mg/L", "baseline"));
  CHECK_FALSE(unknown->samples[0].genotyped);
  CHECK(unknown->without_genotypes.empty());
}

TEST_CASE("PGS000314 beside measured baseline CRP: correlations from 30 samples, uncensored only") {
  GeneticSamples g;
  g.known = true;
  g.has_crp_score = true;
  g.crp_panel = "PGS000314";
  g.crp_column = "PGS000314_weighted_sum";
  std::string text = kHead;
  for (int k = 0; k < 32; ++k) {
    const std::string s = "S" + std::to_string(k);
    g.samples.push_back(s);
    g.crp_scores.push_back(k == 5 ? std::nullopt : std::optional<double>(0.1 * k));
    const std::string v = k == 7 ? "<0.15" : std::to_string(1 + 0.2 * k + (k % 3));
    text += row(s, "CRP", v, "mg/L", "baseline") + row(s, "CRP", "1", "mg/L", "3m");
  }
  g.samples.push_back("NOCRP");
  g.crp_scores.push_back(1.0);
  const auto l = judge(text, RcvLimits::kLognormal, g);
  REQUIRE(l->crp);
  CHECK(l->crp->pairs.size() == 33);
  CHECK(l->crp->n == 30);  // 32, less one without a score, one censored
  REQUIRE(l->crp->pearson_r);
  REQUIRE(l->crp->spearman_rho);
  CHECK(*l->crp->pearson_r > 0.9);
  CHECK(l->crp->pairs[32].series == nullptr);
  // With 29 such samples: N, but no correlation.
  g.crp_scores[0] = std::nullopt;
  const auto few = judge(text, RcvLimits::kLognormal, g);
  CHECK(few->crp->n == 29);
  CHECK_FALSE(few->crp->pearson_r);
}

TEST_CASE("Pearson and Spearman agree with hand-computed values; Spearman averages tied ranks") {
  CHECK(*pearson({1, 2, 3}, {2, 4, 6}) == doctest::Approx(1));
  CHECK(*pearson({1, 2, 3}, {3, 2, 1}) == doctest::Approx(-1));
  CHECK(*pearson({1, 2, 3, 4}, {1, 3, 2, 4}) == doctest::Approx(0.8));
  CHECK(*spearman({1, 2, 3, 4}, {1, 10, 100, 1000}) == doctest::Approx(1));
  // x ranks 1, 2.5, 2.5, 4; y ranks 1, 2, 3, 4: r = 0.948683.
  CHECK(*spearman({1, 2, 2, 5}, {1, 2, 3, 4}) == doctest::Approx(0.948683).epsilon(1e-6));
  CHECK_FALSE(pearson({1, 1, 1}, {1, 2, 3}));
  CHECK_FALSE(pearson({1}, {1}));
}

TEST_CASE("ISO dates are calendar dates, as days since 1970-01-01") {
  CHECK(*parse_iso_date("1970-01-01") == 0);
  CHECK(*parse_iso_date("2026-01-05") == 20458);
  CHECK(*parse_iso_date("2024-02-29") - *parse_iso_date("2024-02-28") == 1);
  CHECK_FALSE(parse_iso_date("2023-02-29"));
  CHECK_FALSE(parse_iso_date("2026-1-05"));
  CHECK_FALSE(parse_iso_date("2026-01-05T10:00"));
}
