// The report's biomarker layer: the run JSON's "biomarkers" object read strictly, the section and the cards' data.
#include <doctest/doctest.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "html_text.h"
#include "json_reader.h"
#include "report_html.h"
#include "report_model.h"

using namespace healcap;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  REQUIRE(f);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// The example run (the golden JSON with plausible "run" and "input" put back: 20 samples EX01..EX20), with
// `biomarkers` as its "biomarkers" member when given.
std::string run_json(const std::string& biomarkers = "") {
  std::string doc = read_file(std::string(HEALCAP_SOURCE_DIR) + "/tests/data/golden/example.json");
  const size_t line2 = doc.find('\n', 2) + 1;
  doc.insert(line2,
             "\"run\":{\"command_line\":\"healcap scan --out ex tests/data/example_cohort.vcf.gz\",\"threads\":1},\n"
             "\"input\":{\"path\":\"tests/data/example_cohort.vcf.gz\",\"format\":\"VCF\",\"read\":\"streaming\","
             "\"n_samples\":20,\"n_records_read\":109,\"contigs\":[]},\n");
  if (biomarkers.empty()) return doc;
  const size_t end = doc.rfind('}');
  return doc.substr(0, end) + ",\n\"biomarkers\":" + biomarkers + "\n}\n";
}

std::string fixture() { return read_file(std::string(HEALCAP_SOURCE_DIR) + "/tests/data/report_biomarkers_fixture.json"); }

// A small valid object in which every value to be mistyped below is written once.
std::string small() {
  return R"({"research_use":"research only","file":"bm.tsv","sha256":"ab","n_rows":3,"sample_map":null,
"rcv":{"verdict_limits":"lognormal","z":1.96,"p":"two-sided 0.05","formula_symmetric":"fs","formula_lognormal":"fl","source":"src"},
"timepoints":["baseline","3m"],"timepoint_order":"date",
"reference":{"markers":[{"marker":"CRP","synonyms":["hs-CRP"],"role":"acute_phase_protein","canonical_unit":"mg/L",
"decrease_means":"less_inflammation","role_source":"PMID:12345"}],
"biological_variation":[{"marker":"CRP","specimen":"serum","cv_within_pct":42.2,"cv_analytical_pct":5.2,"cv_between_pct":null,
"published_critical_difference_pct":118,"citation":"doi:10.1093/clinchem/43.1.52","status":"confirmed"}],
"categories":[{"marker":"CRP","category":"high","low_inclusive":3,"high_exclusive":10,"unit":"mg/L","meaning":"m","citation":"c","notes":""}],
"caveats":["a caveat"]},
"unknown_markers":[{"name":"Fibrinogen-X","n_rows":1}],
"samples_without_genotypes":["LAB-1"],"genotyped_without_biomarkers":["EX02"],
"samples":[{"sample":"EX01","genotyped":true,"summary":{"by_timepoint":[{"timepoint":"baseline","n_pro_inflammatory_measured":1,
"n_pro_inflammatory_with_range":1,"n_pro_inflammatory_above_range":0}],"baseline_to_last":{"n_improved":1,"n_worsened":0,
"n_within_variation":0,"n_no_rcv":0,"n_not_computable":0}},
"markers":[{"marker":"CRP","known":true,"specimen":"serum","unit":"mg/L","role":"acute_phase_protein",
"values":[{"timepoint":"baseline","date":"2026-01-05","value":4.1,"text":"4.1","censored":null,"bound":null,
"as_written":{"value":"0.41","unit":"mg/dL"},"ref_low":0,"ref_high":5,"ref_flag":"normal","category":"high","assay":"a","lab":"l",
"cv_analytical_pct":null},
{"timepoint":"3m","date":null,"value":null,"text":"<0.15","censored":"<","bound":0.15,"as_written":{"value":"<0.15","unit":"mg/L"},
"ref_low":null,"ref_high":null,"ref_flag":null,"category":"low","assay":null,"lab":null,"cv_analytical_pct":3.1}],
"changes":[{"from":"baseline","to":"3m","kind":"baseline_to_last","abs_change":null,"pct_change":null,"cv_within_pct":42.2,
"cv_analytical_pct":3.1,"cv_analytical_from":"row","rcv_symmetric_pct":117.3,"rcv_lower_pct":-67.5,"rcv_upper_pct":208.2,
"verdict":"decrease","direction":"improved","text":"fell from 4.1 to below 0.15 mg/L"}]}]}],
"crp_genetic":{"panel":"PGS000314","column":"PGS000314_weighted_sum","n":1,"pearson_r":null,"spearman_rho":null,"label":"not a validation",
"pairs":[{"sample":"EX01","score":0.53,"baseline_crp":4.1,"censored":null}]}})";
}

RunReport read(const std::string& json) {
  const JsonDocument doc = JsonDocument::parse(json, "run.json");
  return read_run_report(doc.root());
}

std::string error_of(const std::string& json) {
  try {
    read(json);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// The small object with its first `from` replaced by `to`.
std::string small_with(const std::string& from, const std::string& to) {
  std::string s = small();
  const size_t at = s.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  s.replace(at, from.size(), to);
  return s;
}

JsonDocument data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"hc-data\">";
  const size_t at = html.find(open);
  REQUIRE(at != std::string::npos);
  return JsonDocument::parse(html.substr(at + open.size(), html.find("</script>", at) - at - open.size()), "data");
}

}  // namespace

TEST_CASE("a run's biomarkers object is read field by field, numbers with their text, null as empty") {
  const RunReport r = read(run_json(fixture()));
  const ReportBiomarkers& b = r.biomarkers;
  REQUIRE(b.present);
  CHECK(b.n_rows == 31);
  CHECK(b.sample_map.empty());
  CHECK(b.verdict_limits == "lognormal");
  CHECK(b.rcv_z.text == "1.96");
  CHECK(b.timepoints == std::vector<std::string>{"baseline", "3m"});
  CHECK(b.timepoint_order == "date");
  CHECK(b.ref_markers.size() == 6);
  CHECK(b.ref_markers[0].synonyms.size() == 5);
  REQUIRE(b.variation.size() == 4);
  CHECK(b.variation[0].critical_difference.text == "118");
  CHECK(b.categories.size() == 4);
  CHECK_FALSE(b.categories[3].high.present);  // the acute category is open above
  CHECK(b.caveats.size() == 3);
  CHECK(b.unknown_markers == std::vector<std::pair<std::string, int64_t>>{{"Fibrinogen-X", 2}});
  CHECK(b.samples_without_genotypes == std::vector<std::string>{"LAB-901", "LAB-902"});
  CHECK(b.genotyped_without_biomarkers.size() == 15);
  REQUIRE(b.samples.size() == 7);
  const ReportBmSample& ex01 = b.samples[0];
  CHECK(ex01.genotyped);
  CHECK(ex01.n_worsened == 1);
  CHECK(ex01.n_no_rcv == 3);
  REQUIRE(ex01.markers.size() == 5);
  const ReportBmValue& converted = ex01.markers[0].values[0];
  CHECK(converted.text == "4.1");
  CHECK(converted.written_value == "0.41");
  CHECK(converted.written_unit == "mg/dL");
  CHECK(converted.category == "high");
  CHECK(ex01.markers[2].specimen == "synovial_fluid");
  CHECK(ex01.markers[2].changes[0].verdict == "no_rcv");
  CHECK_FALSE(ex01.markers[2].changes[0].rcv_lower.present);
  CHECK_FALSE(ex01.markers[4].known);
  CHECK(ex01.markers[4].role.empty());
  const ReportBmMarker& crp = b.samples[1].markers[0];
  REQUIRE(crp.values.size() == 2);
  CHECK(crp.values[1].censored == "<");
  CHECK_FALSE(crp.values[1].value.present);
  CHECK(crp.values[1].bound.text == "0.15");
  CHECK(crp.values[1].tp == 1);
  REQUIRE(crp.changes.size() == 2);
  CHECK(crp.changes[1].kind == "baseline_to_last");
  CHECK(crp.changes[1].direction == "improved");
  CHECK(crp.changes[1].rcv_upper.text == "210.0");
  CHECK(b.samples[2].markers[0].changes[0].cv_analytical_from == "row");
  CHECK(b.samples[4].by_timepoint.size() == 1);
  CHECK_FALSE(b.samples[5].genotyped);
  REQUIRE(b.crp_genetic);
  CHECK(b.crp_genetic->n == 32);
  CHECK(b.crp_genetic->pearson_r.text == "0.118");
  CHECK(b.crp_genetic->pairs.size() == 33);
  CHECK(b.crp_genetic->pairs[6].censored == "<");
  CHECK_FALSE(b.crp_genetic->pairs[29].baseline_crp.present);

  const RunReport small_run = read(run_json(small()));
  CHECK(small_run.biomarkers.samples[0].markers[0].values[1].date.empty());  // null
  CHECK(small_run.biomarkers.categories[0].notes.empty());
  CHECK_FALSE(small_run.biomarkers.crp_genetic->pearson_r.present);
  CHECK_FALSE(read(run_json(small_with("\"crp_genetic\":{", "\"crp_genetic\":null,\"x\":{"))).biomarkers.crp_genetic);
  CHECK_FALSE(read(run_json()).biomarkers.present);

  // The object on its own, for a run read without it.
  RunReport plain = read(run_json());
  const JsonDocument alone = JsonDocument::parse(small(), "bm.json");
  plain.biomarkers = read_report_biomarkers(alone.root(), plain);
  CHECK(plain.biomarkers.present);
  CHECK(plain.biomarkers.samples[0].markers[0].changes[0].text == "fell from 4.1 to below 0.15 mg/L");
  const JsonDocument bad = JsonDocument::parse("{\"research_use\":1}", "bm.json");
  CHECK_THROWS_WITH(read_report_biomarkers(bad.root(), plain), "bm.json:1:17: biomarkers.research_use: expected a string, found a number");
}

TEST_CASE("each mistyped or inconsistent biomarker field is one error naming its place") {
  const std::vector<std::pair<std::pair<std::string, std::string>, std::string>> cases = {
      {{"\"research_use\":\"research only\"", "\"research_use\":1"}, "biomarkers.research_use: expected a string, found a number"},
      {{"\"n_rows\":3", "\"n_rows\":\"3\""}, "biomarkers.n_rows: expected a whole number, found a string"},
      {{"\"n_rows\":3", "\"n_rows\":3.5"}, "biomarkers.n_rows: expected a whole number, found a number"},
      {{"\"sample_map\":null", "\"sample_map\":5"}, "biomarkers.sample_map: expected a string or null, found a number"},
      {{"\"verdict_limits\":\"lognormal\"", "\"verdict_limits\":\"lognorm\""},
       "biomarkers.rcv: verdict_limits \"lognorm\" is not one of lognormal, symmetric"},
      {{"\"z\":1.96", "\"z\":null"}, "biomarkers.rcv.z: expected a number, found null"},
      {{"\"formula_lognormal\":\"fl\"", "\"formula_lognormal\":[]"}, "biomarkers.rcv.formula_lognormal: expected a string, found an array"},
      {{"[\"baseline\",\"3m\"]", "[\"baseline\",3]"}, "biomarkers.timepoints[1]: expected a string, found a number"},
      {{"[\"baseline\",\"3m\"]", "[\"baseline\",\"baseline\"]"}, "biomarkers: timepoints: \"baseline\" is listed twice"},
      {{"\"timepoint_order\":\"date\"", "\"timepoint_order\":\"alphabet\""},
       "biomarkers: timepoint_order \"alphabet\" is not one of date, --timepoints"},
      {{"\"reference\":{", "\"reference\":[],\"x\":{"}, "biomarkers.reference: expected an object, found an array"},
      {{"\"synonyms\":[\"hs-CRP\"]", "\"synonyms\":\"hs-CRP\""}, "biomarkers.reference.markers[0].synonyms: expected an array, found a string"},
      {{"\"role_source\":\"PMID:12345\"", "\"role_source\":null"}, "biomarkers.reference.markers[0].role_source: expected a string, found null"},
      {{"\"cv_within_pct\":42.2,\"cv_analytical_pct\":5.2", "\"cv_within_pct\":\"42.2\",\"cv_analytical_pct\":5.2"},
       "biomarkers.reference.biological_variation[0].cv_within_pct: expected a number or null, found a string"},
      {{"\"low_inclusive\":3", "\"low_inclusive\":true"}, "biomarkers.reference.categories[0].low_inclusive: expected a number or null, found true or false"},
      {{"\"caveats\":[\"a caveat\"]", "\"caveats\":{}"}, "biomarkers.reference.caveats: expected an array, found an object"},
      {{"\"name\":\"Fibrinogen-X\",\"n_rows\":1", "\"name\":\"Fibrinogen-X\",\"n_rows\":-1.5"},
       "biomarkers.unknown_markers[0].n_rows: expected a whole number, found a number"},
      {{"\"samples_without_genotypes\":[\"LAB-1\"]", "\"samples_without_genotypes\":[1]"},
       "biomarkers.samples_without_genotypes[0]: expected a string, found a number"},
      {{"\"genotyped_without_biomarkers\":[\"EX02\"]", "\"genotyped_without_biomarkers\":null"},
       "biomarkers.genotyped_without_biomarkers: expected an array, found null"},
      {{"\"genotyped\":true", "\"genotyped\":\"yes\""}, "biomarkers.samples[0].genotyped: expected true or false, found a string"},
      {{"\"genotyped\":true", "\"genotyped\":false"}, "biomarkers.samples[0]: sample \"EX01\" is marked not genotyped but is a sample of the run"},
      {{"\"sample\":\"EX01\",\"genotyped\":true", "\"sample\":\"LAB-7\",\"genotyped\":true"},
       "biomarkers.samples[0]: sample \"LAB-7\" is marked genotyped but is not a sample of the run"},
      {{"\"timepoint\":\"baseline\",\"n_pro", "\"timepoint\":\"12m\",\"n_pro"},
       "biomarkers.samples[0].summary.by_timepoint[0]: timepoint \"12m\" is not in biomarkers.timepoints"},
      {{"\"n_pro_inflammatory_measured\":1", "\"n_pro_inflammatory_measured\":\"1\""},
       "biomarkers.samples[0].summary.by_timepoint[0].n_pro_inflammatory_measured: expected a whole number, found a string"},
      {{"\"n_improved\":1", "\"n_improved\":null"}, "biomarkers.samples[0].summary.baseline_to_last.n_improved: expected a whole number, found null"},
      {{"\"known\":true", "\"known\":1"}, "biomarkers.samples[0].markers[0].known: expected true or false, found a number"},
      {{"\"unit\":\"mg/L\",\"role\"", "\"unit\":null,\"role\""}, "biomarkers.samples[0].markers[0].unit: expected a string, found null"},
      {{"\"values\":[{", "\"values\":{},\"x\":[{"}, "biomarkers.samples[0].markers[0].values: expected an array, found an object"},
      {{"\"value\":4.1", "\"value\":\"4.1\""}, "biomarkers.samples[0].markers[0].values[0].value: expected a number or null, found a string"},
      {{"\"value\":4.1", "\"value\":null"}, "biomarkers.samples[0].markers[0].values[0]: value is null but the value is not censored"},
      {{"\"text\":\"4.1\",", ""}, "biomarkers.samples[0].markers[0].values[0]: no \"text\" member"},
      {{"\"censored\":\"<\"", "\"censored\":\"<=\""}, "biomarkers.samples[0].markers[0].values[1]: censored \"<=\" is not one of <, >, null"},
      {{"\"bound\":0.15", "\"bound\":null"}, "biomarkers.samples[0].markers[0].values[1]: bound is null but the value is censored"},
      {{"\"as_written\":{\"value\":\"0.41\",\"unit\":\"mg/dL\"}", "\"as_written\":\"0.41 mg/dL\""},
       "biomarkers.samples[0].markers[0].values[0].as_written: expected an object, found a string"},
      {{"\"unit\":\"mg/dL\"", "\"unit\":7"}, "biomarkers.samples[0].markers[0].values[0].as_written.unit: expected a string, found a number"},
      {{"\"ref_high\":5", "\"ref_high\":\"5\""}, "biomarkers.samples[0].markers[0].values[0].ref_high: expected a number or null, found a string"},
      {{"\"ref_flag\":\"normal\"", "\"ref_flag\":\"elevated\""},
       "biomarkers.samples[0].markers[0].values[0]: ref_flag \"elevated\" is not one of low, normal, high, null"},
      {{"\"category\":\"high\",\"assay\"", "\"category\":3,\"assay\""},
       "biomarkers.samples[0].markers[0].values[0].category: expected a string or null, found a number"},
      {{"\"cv_analytical_pct\":3.1}", "\"cv_analytical_pct\":\"3.1\"}"},
       "biomarkers.samples[0].markers[0].values[1].cv_analytical_pct: expected a number or null, found a string"},
      {{"\"from\":\"baseline\"", "\"from\":\"6m\""}, "biomarkers.samples[0].markers[0].changes[0]: from \"6m\" is not in biomarkers.timepoints"},
      {{"\"kind\":\"baseline_to_last\"", "\"kind\":\"first_to_last\""},
       "biomarkers.samples[0].markers[0].changes[0]: kind \"first_to_last\" is not one of consecutive, baseline_to_last"},
      {{"\"pct_change\":null", "\"pct_change\":\"x\""}, "biomarkers.samples[0].markers[0].changes[0].pct_change: expected a number or null, found a string"},
      {{"\"cv_analytical_from\":\"row\"", "\"cv_analytical_from\":\"lab\""},
       "biomarkers.samples[0].markers[0].changes[0]: cv_analytical_from \"lab\" is not one of row, bundled, null"},
      {{"\"rcv_lower_pct\":-67.5", "\"rcv_lower_pct\":[]"}, "biomarkers.samples[0].markers[0].changes[0].rcv_lower_pct: expected a number or null, found an array"},
      {{"\"verdict\":\"decrease\"", "\"verdict\":\"worse\""},
       "biomarkers.samples[0].markers[0].changes[0]: verdict \"worse\" is not one of decrease, increase, within_variation, no_rcv, not_computable"},
      {{"\"direction\":\"improved\"", "\"direction\":\"better\""},
       "biomarkers.samples[0].markers[0].changes[0]: direction \"better\" is not one of improved, worsened, null"},
      {{"\"text\":\"fell from", "\"text\":null,\"x\":\"fell from"}, "biomarkers.samples[0].markers[0].changes[0].text: expected a string, found null"},
      {{"\"crp_genetic\":{", "\"crp_genetic\":[],\"x\":{"}, "biomarkers.crp_genetic: expected an object, found an array"},
      {{"\"n\":1,", "\"n\":\"1\","}, "biomarkers.crp_genetic.n: expected a whole number, found a string"},
      {{"\"score\":0.53", "\"score\":\"0.53\""}, "biomarkers.crp_genetic.pairs[0].score: expected a number or null, found a string"},
      {{"\"baseline_crp\":4.1,\"censored\":null", "\"baseline_crp\":4.1,\"censored\":\"~\""},
       "biomarkers.crp_genetic.pairs[0]: censored \"~\" is not one of <, >, null"},
  };
  for (const auto& [edit, message] : cases) {
    const std::string e = error_of(run_json(small_with(edit.first, edit.second)));
    CHECK_MESSAGE(e.rfind("run.json:", 0) == 0, e);
    CHECK_MESSAGE(e.find(": " + message) != std::string::npos, e, " | expected: ", message);
    CHECK(e.find('\n') == std::string::npos);
  }
  // A sample listed twice, and an object that is not one.
  std::string twice = small();
  const size_t s0 = twice.find("{\"sample\":\"EX01\"");
  const size_t s1 = twice.find("],\n\"crp_genetic\"");
  REQUIRE(s0 != std::string::npos);
  REQUIRE(s1 != std::string::npos);
  twice.insert(s1, "," + twice.substr(s0, s1 - s0));
  CHECK(error_of(run_json(twice)).find(": biomarkers.samples[1]: sample \"EX01\" is also biomarkers.samples[0]") != std::string::npos);
  CHECK(error_of(run_json("null")).find(": biomarkers: expected an object, found null") != std::string::npos);
  CHECK(error_of(run_json(small_with("\"research_use\":\"research only\",", ""))).find(": biomarkers: no \"research_use\" member") !=
        std::string::npos);
}

TEST_CASE("the page has a Biomarkers section and its data block rebuilds every value and sentence of the JSON") {
  const std::string json = run_json(fixture());
  const std::string html = report_html_from_json(json, "run.json");
  CHECK(html.find("<a href=\"#biomarkers\">Biomarkers</a>") != std::string::npos);
  CHECK(count(html, "<section id=\"biomarkers\">") == 1);
  CHECK(html.find("never folded into it") != std::string::npos);
  CHECK(html.find("<table class=\"data\" id=\"hc-bm-changes\">") != std::string::npos);
  CHECK(html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bm-scatter\"") != std::string::npos);
  CHECK(count(html, "<circle class=\"pt censored\"") == 2);  // the two censored baseline CRPs of the scatter
  CHECK(html.find("<a href=\"https://doi.org/10.1093/clinchem/43.1.52\"") != std::string::npos);
  CHECK(html.find("<a href=\"#sample=LAB-901\">LAB-901</a>") != std::string::npos);
  CHECK(count(html, "<script") == 2);
  CHECK(report_html_from_json(json, "run.json") == html);  // deterministic

  // The cards' data: decode it as report.js does and compare with the model.
  const JsonDocument d = data_block(html);
  const JsonValue bm = *d.root().find("bm");
  CHECK(bm.find("limits")->string() == "lognormal");
  const JsonValue str = *bm.find("str"), mk = *bm.find("mk"), tpl = *bm.find("tpl"), smp = *bm.find("smp"), rcv = *bm.find("rcv");
  const RunReport r = read(json);
  REQUIRE(smp.size() == r.biomarkers.samples.size());
  const auto at = [](const JsonValue& a, size_t i) -> std::optional<JsonValue> {
    if (i >= a.size() || a[i].is_null()) return std::nullopt;
    return a[i];
  };
  size_t n_values = 0, n_changes = 0, n_merged = 0;
  for (size_t k = 0; k < smp.size(); ++k) {
    const ReportBmSample& s = r.biomarkers.samples[k];
    CHECK(smp[k][0].string() == s.name);
    const JsonValue markers = smp[k][4];
    REQUIRE(markers.size() == s.markers.size());
    for (size_t i = 0; i < markers.size(); ++i) {
      const ReportBmMarker& m = s.markers[i];
      const JsonValue kind = mk[static_cast<size_t>(markers[i][0].number())];
      CHECK(str[static_cast<size_t>(kind[0].number())].string() == m.marker);
      CHECK(str[static_cast<size_t>(kind[3].number())].string() == m.unit);
      const JsonValue values = markers[i][1];
      REQUIRE(values.size() == m.values.size());
      std::vector<std::string> texts(r.biomarkers.timepoints.size());
      for (size_t v = 0; v < values.size(); ++v) {
        const ReportBmValue& x = m.values[v];
        const JsonValue e = values[v];
        const std::string sign = at(e, 9) ? std::string(at(e, 9)->number() == 1 ? "<" : ">") : "";
        const std::string text = at(e, 10) ? std::string(at(e, 10)->string()) : sign + std::string(e[1].number_text());
        CHECK(text == x.text);
        CHECK(e[1].number() == (x.censored.empty() ? x.value.value : x.bound.value));
        CHECK((at(e, 11) ? std::string(at(e, 11)->string()) : text) == x.written_value);
        texts[x.tp] = text[0] == '<' || text[0] == '>' ? text.substr(1) : text;
        ++n_values;
      }
      const JsonValue changes = markers[i][2];
      for (size_t c = 0; c < changes.size(); ++c) {
        const JsonValue e = changes[c];
        const JsonValue sentence = e[4];
        const JsonValue pieces = tpl[static_cast<size_t>(sentence[0].number())];
        std::string rebuilt(pieces[0].string());
        for (size_t p = 1; p < sentence.size(); ++p) {
          const JsonValue n = sentence[p];
          rebuilt += n.is_string() ? std::string(n.string()) : texts[n.number() == 0 ? static_cast<size_t>(e[0].number())
                                                                                      : static_cast<size_t>(e[1].number())];
          rebuilt += pieces[p].string();
        }
        // The fixture lists each pair twice (consecutive, then baseline to last): written once, kind 2.
        REQUIRE(m.changes.size() == 2 * changes.size());
        n_merged += e[2].number() == 2;
        const ReportBmChange& x = m.changes[2 * c];
        CHECK(rebuilt == x.text);
        if (at(e, 7)) CHECK(rcv[static_cast<size_t>(e[7].number())][4].number() == x.rcv_lower.value);
        ++n_changes;
      }
    }
  }
  CHECK(n_values == 31);
  CHECK(n_merged == n_changes);  // two timepoints: each pair listed as consecutive and as baseline to last
}

TEST_CASE("the cohort table lists the first 6 distinct RCV limits of a marker with counts, then how many more") {
  // Eight samples whose CRP changes used eight different lab CVas, hence eight RCV limits.
  std::string b = small();
  const size_t s0 = b.find("{\"sample\":\"EX01\"");
  const size_t s1 = b.find("],\n\"crp_genetic\"");
  const std::string one = b.substr(s0, s1 - s0);
  std::string all;
  for (int k = 1; k <= 8; ++k) {
    std::string x = one;
    x.replace(x.find("EX01"), 4, "EX0" + std::to_string(k));
    x.replace(x.find("\"rcv_lower_pct\":-67.5"), 21, "\"rcv_lower_pct\":-6" + std::to_string(k) + ".5");
    all += (k > 1 ? "," : "") + x;
  }
  b.replace(s0, s1 - s0, all);
  b.replace(b.find("\"genotyped_without_biomarkers\":[\"EX02\"]"), 39, "\"genotyped_without_biomarkers\":[]");
  const std::string html = report_html_from_json(run_json(b), "run.json");
  const size_t row = html.find("<tr data-marker=\"CRP\" data-specimen=\"serum\">");
  REQUIRE(row != std::string::npos);
  const std::string tr = html.substr(row, html.find("</tr>", row) - row);
  CHECK(tr.find("<td class=\"num n-changes\">8</td>") != std::string::npos);
  CHECK(tr.find("<td class=\"num improved\">8</td>") != std::string::npos);
  CHECK(tr.find("<td class=\"rcv\">-61.5 % / +208.2 % (symmetric \u00b1117.3 %) (1); -62.5 %") != std::string::npos);
  CHECK(tr.find("-66.5 % / +208.2 % (symmetric \u00b1117.3 %) (1); 2 more</td>") != std::string::npos);
  CHECK(tr.find("-67.5") == std::string::npos);
}
