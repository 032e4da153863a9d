// The biomarker layer's outputs: the JSON object (read back with healcap's JSON reader, against the contract's
// fields), the TSV's shape, samples.tsv's summary columns, the partial's block, and the options' usage errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "biomarker_layer.h"
#include "biomarker_report.h"
#include "errors.h"
#include "json_reader.h"
#include "scan_command.h"

using namespace healcap;

namespace {

const char* kText =
    "sample\tmarker\tvalue\tunit\ttimepoint\tspecimen\tdate\tref_low\tref_high\tcv_analytical\tlab\n"
    "EX01\tCRP\t4.1\tmg/L\tbaseline\tserum\t2026-01-05\t0\t5\t\t\"lab <A>\"\n"
    "EX01\tCRP\t<0.15\tmg/L\t3 m\tserum\t2026-04-05\t0\t5\t\t\n"
    "EX01\tIL-6\t800\tpg/mL\tbaseline\tsynovial_fluid\t2026-01-05\t\t\t\t\n"
    "EX01\tIL-6\t0.4\tng/mL\t3 m\tsynovial_fluid\t2026-04-05\t\t\t\t\n"
    "EX01\tIL-17A\t3\tpg/mL\tbaseline\tserum\t2026-01-05\t\t\t\t\n"
    "LAB2\tCRP\t0.41\tmg/dL\tbaseline\tserum\t2026-01-06\t\t\t3.1\t\n"
    "LAB2\tCRP\t0.2\tmg/dL\t3-m\tserum\t2026-05-06\t\t\t3.1\t\n";

std::shared_ptr<const BiomarkerLayer> layer(const GeneticSamples& g = {}) {
  BiomarkerSource s;
  s.path = "bm.tsv";
  s.text = kText;
  return make_biomarker_layer(s, g);
}

GeneticSamples run_samples() {
  GeneticSamples g;
  g.known = true;
  g.samples = {"EX02", "EX01"};
  return g;
}

std::string usage_error(std::vector<std::string> args) {
  args.push_back("in.vcf");
  try {
    parse_scan_args(args, false);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("the biomarkers JSON object holds the contract's fields and reads back as JSON") {
  const auto l = layer(run_samples());
  const std::string json = "{" + biomarkers_json(*l, BiomarkerReference::bundled()) + "}";
  const JsonDocument doc = JsonDocument::parse(json, "b.json");
  const JsonValue b = *doc.root().find("biomarkers");
  for (const char* k : {"research_use", "file", "sha256", "n_rows", "sample_map", "rcv", "timepoints", "timepoint_order",
                        "reference", "unknown_markers", "samples_without_genotypes", "genotyped_without_biomarkers",
                        "samples", "crp_genetic"})
    CHECK_MESSAGE(b.find(k).has_value(), k);
  CHECK(b.find("file")->string() == "bm.tsv");
  CHECK(b.find("n_rows")->number() == 7);
  CHECK(b.find("sample_map")->is_null());
  CHECK(b.find("timepoint_order")->string() == "date");
  CHECK(b.find("timepoints")->size() == 3);  // baseline, 3 m, 3-m
  CHECK(b.find("rcv")->find("verdict_limits")->string() == "lognormal");
  CHECK(b.find("rcv")->find("z")->number() == 1.96);
  CHECK(b.find("crp_genetic")->is_null());
  CHECK(b.find("unknown_markers")->size() == 1);
  CHECK(b.find("samples_without_genotypes")->size() == 1);
  CHECK(b.find("samples_without_genotypes")->operator[](0).string() == "LAB2");
  CHECK(b.find("genotyped_without_biomarkers")->operator[](0).string() == "EX02");
  const JsonValue ref = *b.find("reference");
  CHECK(ref.find("markers")->size() == 2);                // CRP, IL-6 (IL-17A is unknown)
  CHECK(ref.find("biological_variation")->size() == 2);   // their variation rows
  CHECK(ref.find("categories")->size() == 4);             // CRP in serum
  CHECK(ref.find("caveats")->size() >= 5);
  CHECK(ref.find("biological_variation")->operator[](0).find("citation")->string().rfind("Macy EM", 0) == 0);
  const JsonValue s0 = b.find("samples")->operator[](0);
  CHECK(s0.find("sample")->string() == "EX01");
  CHECK(s0.find("genotyped")->boolean());
  CHECK(s0.find("summary")->find("baseline_to_last")->find("n_improved")->number() == 1);
  const JsonValue crp = s0.find("markers")->operator[](0);
  CHECK(crp.find("marker")->string() == "CRP");
  const JsonValue v0 = crp.find("values")->operator[](0), v1 = crp.find("values")->operator[](1);
  CHECK(v0.find("value")->number_text() == "4.1");
  CHECK(v0.find("category")->string() == "high");
  CHECK(v0.find("lab")->string() == "lab <A>");
  CHECK(v1.find("value")->is_null());
  CHECK(v1.find("text")->string() == "<0.15");
  CHECK(v1.find("censored")->string() == "<");
  CHECK(v1.find("bound")->number() == 0.15);
  CHECK(v1.find("as_written")->find("value")->string() == "<0.15");
  const JsonValue c = crp.find("changes")->operator[](1);
  CHECK(c.find("kind")->string() == "baseline_to_last");
  CHECK(c.find("verdict")->string() == "decrease");
  CHECK(c.find("direction")->string() == "improved");
  CHECK(c.find("pct_change")->is_null());
  CHECK(c.find("pct_change_bound_side")->string() == "<");
  CHECK(c.find("rcv_symmetric_pct")->number_text() == "117.857");
  CHECK(c.find("rcv_lower_pct")->number_text() == "-67.7401");
  CHECK(c.find("rcv_upper_pct")->number_text() == "209.982");
  CHECK(c.find("cv_analytical_from")->string() == "bundled");
  const JsonValue il6 = s0.find("markers")->operator[](1);
  CHECK(il6.find("specimen")->string() == "synovial_fluid");
  CHECK(il6.find("values")->operator[](1).find("value")->number() == 400);
  CHECK(il6.find("changes")->operator[](0).find("verdict")->string() == "no_rcv");
  CHECK(il6.find("changes")->operator[](0).find("rcv_lower_pct")->is_null());
  // The standalone document has the healcap object too.
  const JsonDocument d2 = JsonDocument::parse(biomarkers_json_document(*l, BiomarkerReference::bundled()), "d.json");
  CHECK(d2.root().find("healcap").has_value());
  CHECK(d2.root().find("biomarkers").has_value());
  // Without the run's samples, genotyped is null.
  const auto alone = layer();
  const JsonDocument d3 = JsonDocument::parse("{" + biomarkers_json(*alone, BiomarkerReference::bundled()) + "}", "d.json");
  CHECK(d3.root().find("biomarkers")->find("samples")->operator[](0).find("genotyped")->is_null());
  CHECK_FALSE(d3.root().find("biomarkers")->find("genotypes_known")->boolean());
}

TEST_CASE("the biomarkers TSV has one row per sample, marker, specimen and timepoint, all of the header's width") {
  const auto l = layer(run_samples());
  std::istringstream in(biomarkers_tsv(*l, BiomarkerReference::bundled()));
  std::string line;
  std::getline(in, line);
  CHECK(line.rfind("# healcap ", 0) == 0);
  CHECK(line.find("Research use only") != std::string::npos);
  std::getline(in, line);
  const auto fields = [](const std::string& s) {
    std::vector<std::string> f;
    std::stringstream ss(s);
    for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
    return f;
  };
  const std::vector<std::string> head = fields(line);
  for (const char* c : {"sample", "marker", "specimen", "timepoint", "value", "unit", "ref_flag", "category", "change_from",
                        "pct_change", "rcv_lower_pct", "rcv_upper_pct", "verdict", "direction"})
    CHECK_MESSAGE(std::find(head.begin(), head.end(), c) != head.end(), c);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) rows.push_back(fields(line));
  CHECK(rows.size() == 7);
  for (const auto& r : rows) CHECK(r.size() == head.size());
  const auto col = [&](const char* name) { return static_cast<size_t>(std::find(head.begin(), head.end(), name) - head.begin()); };
  CHECK(rows[1][col("value")] == "<0.15");
  CHECK(rows[1][col("pct_change")] == "<-96.3415");
  CHECK(rows[1][col("verdict")] == "decrease");
  CHECK(rows[1][col("direction")] == "improved");
  CHECK(rows[0][col("verdict")] == ".");
  CHECK(rows[3][col("verdict")] == "no_rcv");
  CHECK(rows[4][col("marker")] == "IL-17A");
  CHECK(rows[4][col("known")] == "no");
  CHECK(rows[5][col("sample")] == "LAB2");
  CHECK(rows[5][col("genotyped")] == "no");
  CHECK(rows[5][col("value")] == "4.1");  // 0.41 mg/dL
}

TEST_CASE("samples.tsv's summary columns: per timepoint (labels made column names, kept apart), then the verdicts") {
  const auto l = layer(run_samples());
  std::ostringstream h, a, b;
  biomarker_summary_header(h, *l);
  CHECK(h.str() == "\tbm_n_measurements\tbm_baseline_pro_inflammatory_above_range\tbm_baseline_pro_inflammatory_with_range"
                   "\tbm_3_m_pro_inflammatory_above_range\tbm_3_m_pro_inflammatory_with_range"
                   "\tbm_3_m_2_pro_inflammatory_above_range\tbm_3_m_2_pro_inflammatory_with_range"
                   "\tbm_n_improved\tbm_n_worsened\tbm_n_changed_no_direction\tbm_n_within_variation\tbm_n_no_rcv"
                   "\tbm_n_not_computable");
  biomarker_summary_cells(a, *l, "EX01");
  CHECK(a.str() == "\t5\t0\t1\t0\t1\t.\t.\t1\t0\t0\t0\t1\t0");
  biomarker_summary_cells(b, *l, "EX02");
  CHECK(b.str() == "\t0\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.");
}

TEST_CASE("a partial's biomarker block holds the file's bytes and options, and nothing else") {
  BiomarkerSource s;
  s.path = "dir/bm.csv";
  s.text = std::string("a\0b", 3);
  s.map_path = "map.tsv";
  s.map_text = "L1\tEX01\n";
  s.timepoints = {"baseline", "3m"};
  s.rcv = RcvLimits::kSymmetric;
  const std::string bytes = encode_biomarker_source(s);
  CHECK(decode_biomarker_source(bytes) == s);
  CHECK_THROWS_AS(decode_biomarker_source(bytes.substr(0, bytes.size() - 1)), std::runtime_error);
  CHECK_THROWS_AS(decode_biomarker_source(bytes + "x"), std::runtime_error);
}

TEST_CASE("--biomarkers options: a bad --rcv or --timepoints, or its options alone, are usage errors") {
  CHECK(usage_error({"--out", "o", "--biomarkers", "b.tsv", "--rcv", "wide"}) ==
        "healcap scan: --rcv 'wide' is not lognormal or symmetric; see 'healcap scan --help'");
  CHECK(usage_error({"--out", "o", "--biomarkers", "b.tsv", "--timepoints", "a,,b"}) ==
        "healcap scan: --timepoints 'a,,b' has an empty timepoint; give them comma-separated, in order; see 'healcap scan --help'");
  CHECK(usage_error({"--out", "o", "--biomarkers", "b.tsv", "--timepoints", "a,b,a"}) ==
        "healcap scan: --timepoints 'a,b,a' names 'a' twice; see 'healcap scan --help'");
  CHECK(usage_error({"--out", "o", "--sample-map", "m.tsv"}) ==
        "healcap scan: --sample-map, --timepoints and --rcv go with --biomarkers FILE; see 'healcap scan --help'");
  CHECK(usage_error({"--out", "o", "--rcv", "symmetric"}).find("go with --biomarkers FILE") != std::string::npos);
  const ScanConfig cfg = parse_scan_args({"--out", "o", "--biomarkers", "b.tsv", "--timepoints", "baseline, 3m", "in.vcf"}, false);
  CHECK(cfg.biomarkers.path == "b.tsv");
  CHECK(cfg.biomarkers.timepoints == std::vector<std::string>{"baseline", "3m"});
  CHECK(cfg.biomarkers.rcv == RcvLimits::kLognormal);
}
