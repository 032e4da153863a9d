// The HTML report's text safety (escaping, script JSON, citation links, CSP hash) and its rendering of a run.
#include <doctest/doctest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "html_text.h"
#include "json_reader.h"
#include "panel.h"
#include "report_assets.h"
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

// The golden example JSON lacks its "run" and "input" lines (they name the machine's paths); put plausible ones
// back, with `samples` renamed, to make a whole run document.
std::string example_run_json(const std::vector<std::string>& renamed = {}) {
  std::string doc = read_file(std::string(HEALCAP_SOURCE_DIR) + "/tests/data/golden/example.json");
  const size_t line2 = doc.find('\n', 2) + 1;
  doc.insert(line2,
             "\"run\":{\"command_line\":\"healcap scan --out ex tests/data/example_cohort.vcf.gz\",\"threads\":1},\n"
             "\"input\":{\"path\":\"tests/data/example_cohort.vcf.gz\",\"format\":\"VCF\",\"read\":\"streaming\","
             "\"n_samples\":20,\"n_records_read\":109,\"n_records_at_panel_positions\":81,"
             "\"n_ref_blocks_over_panel_positions\":0,\"sorted\":true,\"first_unsorted\":null,"
             "\"n_records_with_undefined_contig_or_tag\":0,\"n_records_at_pos_0\":0,\"contigs\":[]},\n");
  for (size_t k = 0; k < renamed.size(); ++k) {
    char old_name[48];
    std::snprintf(old_name, sizeof old_name, "\"sample\":\"EX%02zu\"", k + 1);
    const size_t at = doc.find(old_name);
    REQUIRE(at != std::string::npos);
    doc.replace(at, std::string(old_name).size(), "\"sample\":" + renamed[k]);
  }
  return doc;
}

std::string report_error(const std::string& json) {
  try {
    report_html_from_json(json, "run.json");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("HTML escaping turns markup characters into references and bad bytes into U+FFFD") {
  CHECK(html_escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;");
  CHECK(html_escape("\"'><svg onload=alert(1)>&") == "&quot;&#39;&gt;&lt;svg onload=alert(1)&gt;&amp;");
  CHECK(html_escape("caf\xc3\xa9 \xf0\x9f\x98\x80 a\xe2\x80\xa8" "b") == "caf\xc3\xa9 \xf0\x9f\x98\x80 a\xe2\x80\xa8" "b");
  CHECK(html_escape("a\xff" "b") == "a\xef\xbf\xbd" "b");            // not UTF-8
  CHECK(html_escape("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");      // an overlong '/'
  CHECK(html_escape("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
  CHECK(html_escape(std::string("a\0b\x01\x7f\tc\n", 8)) == "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\tc\n");
}

TEST_CASE("strings for the script's JSON can neither close the script element nor break the JSON") {
  std::string s;
  append_script_json_string(s, "</script><!--\"\\ &");
  CHECK(s == "\"\\u003c/script\\u003e\\u003c!--\\\"\\\\ \\u0026\"");
  s.clear();
  append_script_json_string(s, "a\xe2\x80\xa8" "b\xe2\x80\xa9\x01\xff\xc3\xa9");
  CHECK(s == "\"a\\u2028b\\u2029\\u0001\\ufffd\xc3\xa9\"");
  // What the escaping writes reads back as the original text (the invalid byte as U+FFFD).
  s.clear();
  append_script_json_string(s, "<img src=x onerror=alert(1)>\xe2\x80\xa8");
  const JsonDocument doc = JsonDocument::parse(s, "s");
  CHECK(doc.root().string() == "<img src=x onerror=alert(1)>\xe2\x80\xa8");
}

TEST_CASE("citations link PMIDs to PubMed and DOIs to doi.org, and nothing else") {
  auto p = citation_pieces("PMID:20798928; OMIM:120150.0067");
  REQUIRE(p.size() == 2);
  CHECK(p[0].text == "PMID:20798928");
  CHECK(p[0].href == "https://pubmed.ncbi.nlm.nih.gov/20798928/");
  CHECK(p[1].text == "; OMIM:120150.0067");
  CHECK(p[1].href.empty());

  p = citation_pieces("PMID:35172811 doi:10.1186/s12891-022-05105-2 (Perini 2022)");
  REQUIRE(p.size() == 4);
  CHECK(p[2].text == "doi:10.1186/s12891-022-05105-2");
  CHECK(p[2].href == "https://doi.org/10.1186/s12891-022-05105-2");
  CHECK(p[3].text == " (Perini 2022)");

  // Parentheses inside a DOI stay; a sentence's full stop and a closing parenthesis around it do not.
  p = citation_pieces("(see doi:10.1016/S0140-6736(20)30183-5).");
  REQUIRE(p.size() == 3);
  CHECK(p[1].href == "https://doi.org/10.1016/S0140-6736(20)30183-5");
  CHECK(p[2].text == ").");
  p = citation_pieces("https://doi.org/10.1136/bjsm.2008.048793.");
  REQUIRE(p.size() == 2);
  CHECK(p[0].href == "https://doi.org/10.1136/bjsm.2008.048793");
  CHECK(citation_pieces("pmid 123")[0].href == "https://pubmed.ncbi.nlm.nih.gov/123/");

  // Nothing else is a link; a DOI's suffix stops at a quote, so an attribute cannot be broken out of.
  for (const char* plain : {"PMID:1234567890", "XPMID:123", "doi:10.12/abc", "doi:10.1234", "BJSM review table 1",
                            "javascript:alert(1)", "https://example.org/10.1000/x", "doi:10.1234/\"onmouseover=x"}) {
    const auto q = citation_pieces(plain);
    REQUIRE(q.size() == 1);
    CHECK_MESSAGE(q[0].href.empty(), plain);
    CHECK(q[0].text == plain);
  }
  CHECK(citation_html("<a href=javascript:alert(1)>PMID:42</a>") ==
        "&lt;a href=javascript:alert(1)&gt;<a href=\"https://pubmed.ncbi.nlm.nih.gov/42/\" rel=\"noopener noreferrer\">PMID:42</a>&lt;/a&gt;");
}

TEST_CASE("the CSP hash is the base64 SHA-256 of the exact text") {
  CHECK(csp_sha256("") == "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  CHECK(csp_sha256("abc") == "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST_CASE("the inline assets cannot end their own element or open a comment") {
  for (const std::string_view a : {report_js(), report_css()}) {
    const std::string lower = [&] {
      std::string s(a);
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    }();
    CHECK(lower.find("</script") == std::string::npos);
    CHECK(lower.find("</style") == std::string::npos);
    CHECK(lower.find("<!--") == std::string::npos);
    CHECK(a.size() > 1000);
  }
  CHECK(report_js().find("innerHTML") == std::string_view::npos);
}

TEST_CASE("numbers written with 6 decimals come back exactly as samples.tsv shows them") {
  const auto m = [](const char* text) {
    ReportNumber x;
    x.present = true;
    x.text = text;
    x.value = std::stod(text);
    return report_millionths(x);
  };
  CHECK(*m("0.946530") == 946530);
  CHECK(*m("-0.610479") == -610479);
  CHECK(*m("1") == 1000000);
  CHECK(*m("0.5") == 500000);
  CHECK(*m("12.000001") == 12000001);
  CHECK(*m("1e-7") == 0);  // not fixed-point text: rounded from the value
  CHECK_FALSE(report_millionths(ReportNumber{}));
  CHECK(millionths_text(946530) == "0.946530");
  CHECK(millionths_text(-610479) == "-0.610479");
  CHECK(millionths_text(0) == "0.000000");
  CHECK(millionths_text(1000000) == "1.000000");
}

TEST_CASE("the report of the example run holds every sample's index as samples.tsv has it, in its data block") {
  const std::string html = report_html_from_json(example_run_json(), "example.json");
  const std::string tsv = read_file(std::string(HEALCAP_SOURCE_DIR) + "/tests/data/golden/example.samples.tsv");
  const JsonDocument run = JsonDocument::parse(example_run_json(), "example.json");
  const RunReport r = read_run_report(run.root());
  REQUIRE(r.samples.size() == 20);
  REQUIRE(r.sites.size() == 128);
  // samples.tsv: the index is column 14.
  std::istringstream lines(tsv);
  std::vector<std::string> indexes;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("sample\t", 0) == 0) continue;
    std::istringstream cols(line);
    std::string c;
    for (int k = 0; k < 14; ++k) std::getline(cols, c, '\t');
    indexes.push_back(c);
  }
  REQUIRE(indexes.size() == 20);
  for (size_t k = 0; k < 20; ++k) {
    const auto m = report_millionths(r.samples[k].panels[0].all.index);
    CHECK(m.has_value() == (indexes[k] != "NA"));
    if (m) CHECK(millionths_text(*m) == indexes[k]);
  }
  const size_t data = html.find("<script type=\"application/json\" id=\"hc-data\">");
  REQUIRE(data != std::string::npos);
  const size_t end = html.find("</script>", data);
  const size_t open = std::string("<script type=\"application/json\" id=\"hc-data\">").size();
  const std::string block = html.substr(data + open, end - data - open);
  const JsonDocument d = JsonDocument::parse(block, "data");
  const JsonValue hci = *(*d.root().find("s")->find("p"))[0].find("hci");
  REQUIRE(hci.size() == 20);
  for (size_t k = 0; k < 20; ++k)
    CHECK((hci[k].is_null() ? std::string("NA") : millionths_text(static_cast<int64_t>(hci[k].number()))) == indexes[k]);
  CHECK(count(html, "<script") == 2);
  CHECK(html.find("script-src '" + csp_sha256(report_js()) + "'") != std::string::npos);
  CHECK(html.find("<script>" + std::string(report_js()) + "</script>") != std::string::npos);
  CHECK(html.find("Research use only.") != std::string::npos);
  CHECK(html.find(Panel::bundled().sha256()) != std::string::npos);  // the golden run used the bundled panel
  // Rendering is deterministic.
  CHECK(report_html_from_json(example_run_json(), "example.json") == html);
}

TEST_CASE("hostile sample names are escaped in the markup and in the data block") {
  const std::vector<std::string> names = {
      "\"<img src=x onerror=alert(1)>\"", "\"<script>alert(2)</script>\"", "\"\\\"'><svg onload=alert(3)>\"",
      "\"</script><script>alert(4)</script>\"", "\"line\\u2028sep\""};
  const std::string html = report_html_from_json(example_run_json(names), "example.json");
  CHECK(count(html, "<script") == 2);
  CHECK(count(html, "</script") == 2);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<svg onload") == std::string::npos);
  CHECK(html.find("\xe2\x80\xa8") == std::string::npos);  // U+2028 only as \u2028 in the data block
  CHECK(html.find("\\u003cimg src=x onerror=alert(1)\\u003e") != std::string::npos);
  CHECK(html.find("line\\u2028sep") != std::string::npos);
}

TEST_CASE("a document that is not a healcap run is named with its line and column") {
  CHECK(report_error("{\"a\":1}") ==
        "run.json:1:1: not a healcap run: the document has no top-level \"healcap\" object; give the PREFIX.json that "
        "healcap scan or merge wrote");
  CHECK(report_error("[1,2]").rfind("run.json:1:1: not a healcap run", 0) == 0);
  CHECK(report_error("{\"healcap\":{\"version\":\"0.1.0\",\"research_use\":\"r\"}}") == "run.json:1:1: top level: no \"run\" member");
  std::string doc = example_run_json();
  const size_t at = doc.find("\"healing_capacity_index\":0.946530");
  REQUIRE(at != std::string::npos);
  doc.replace(at, 33, "\"healing_capacity_index\":\"0.946530\"");
  const std::string e = report_error(doc);
  CHECK(e.rfind("run.json:", 0) == 0);
  CHECK(e.find(": samples[0].all.healing_capacity_index: expected a number or null, found a string") != std::string::npos);
  CHECK(report_error("{\"healcap\":") == "run.json:1:12: unexpected end of the document: expected a value");
}

namespace {

// One group's statistics as scan writes them (the call-state counts: called, then missing).
std::string group_json(int n_rows, int n_called, const char* ws, const char* completeness, const char* index) {
  return "{\"n_rows\":" + std::to_string(n_rows) + ",\"n_called\":" + std::to_string(n_called) +
         ",\"n_ref_block\":0,\"n_absent_covered\":0,\"n_absent_unknown\":0,\"n_filtered\":0,\"n_missing\":" +
         std::to_string(n_rows - n_called) + ",\"risk_allele_count\":1,\"weighted_sum\":" + ws +
         ",\"max_observed\":1.000000,\"min_observed\":0.000000,\"completeness\":" + completeness +
         ",\"healing_capacity_index\":" + index + ",\"expected_unobserved\":0.000000,\"n_eaf_observed\":0,\"z_score\":null}";
}

// A run over two panels, as scan writes it: the healing panel (one pathway, one trait) and a PGS Catalog score
// whose header carries `citation`; two samples, a site of each panel.
std::string two_panel_json(const std::string& citation = "Xie T et al. (2020). doi:10.1161/circgen.119.002775",
                           const std::string& second_by_panel_id = "PGS000314", const std::string& score_site_panel = "PGS000314") {
  std::string samples;
  for (int k = 0; k < 2; ++k) {
    const std::string heal = group_json(2, 1 + k, "0.500000", k ? "1.000000" : "0.500000", k ? "0.750000" : "0.250000");
    const std::string pgs = group_json(1, 1, k ? "0.065288" : "-0.032644", "1.000000", k ? "0.000000" : "1.000000");
    const std::string groups = ",\"by_pathway\":{\"inflammation\":" + heal + "},\"by_trait\":{\"bone\":" + heal + "}";
    samples += std::string(k ? ",\n" : "\n") + "{\"sample\":\"S" + std::to_string(k + 1) + "\",\"all\":" + heal + groups +
               ",\"by_panel\":{\"healcap_healing\":{\"all\":" + heal + groups + "},\"" + second_by_panel_id + "\":{\"all\":" + pgs + "}}}";
  }
  return "{\n\"healcap\":{\"version\":\"0.1.0\",\"research_use\":\"research only\"},\n"
         "\"run\":{\"command_line\":\"healcap scan --panel bundled --panel PGS000314.txt --out x in.vcf.gz\",\"threads\":1},\n"
         "\"input\":{\"path\":\"in.vcf.gz\",\"format\":\"VCF\",\"read\":\"streaming\",\"n_samples\":2,\"n_records_read\":2,"
         "\"contigs\":[]},\n"
         "\"build\":{\"name\":\"GRCh37\",\"chosen_by\":\"--build\",\"contig_style\":\"plain\",\"ref_concordance\":\"1/1\","
         "\"summary\":\"GRCh37\",\"warnings\":[]},\n"
         "\"panel\":{\"name\":\"healcap-healing\",\"version\":\"1.0.0\",\"sha256\":\"aa\",\"file\":\"<bundled>\",\"n_rows\":2},\n"
         "\"panels\":[\n{\"id\":\"healcap_healing\",\"kind\":\"healcap_tsv\",\"name\":\"healcap-healing\",\"version\":\"1.0.0\","
         "\"sha256\":\"aa\",\"file\":\"<bundled>\",\"n_rows\":2,\"n_rows_placed\":2,\"n_scored_rows\":2,\"grades_apply\":true},\n"
         "{\"id\":\"PGS000314\",\"kind\":\"pgs_catalog\",\"name\":\"GRS77_CRP\",\"version\":null,\"sha256\":\"bb\","
         "\"file\":\"PGS000314.txt\",\"n_rows\":1,\"n_rows_placed\":1,\"n_scored_rows\":1,\"grades_apply\":false,"
         "\"pgs_id\":\"PGS000314\",\"positions\":\"author-reported (chr_name, chr_position)\",\"genome_build\":\"GRCh37\","
         "\"n_file_rows\":3,\"skipped\":{\"haplotype\":2},\"header\":{\"pgs_id\":\"PGS000314\",\"trait_reported\":\"C-reactive protein\","
         "\"citation\":\"" + citation + "\"}}\n],\n"
         "\"scoring\":{\"grades_scored\":[\"replicated\"],\"call_state_codes\":{\"C\":\"called\",\"R\":\"ref_block\","
         "\"A\":\"absent_covered\",\"U\":\"absent_unknown\",\"F\":\"filtered\",\"M\":\"missing\"},\"dosage\":\"auto\","
         "\"call_state_options\":\"\",\"min_completeness\":null,\"formula\":[\"healing_capacity_index H = 1 - (S - m) / (M - m)\"]},\n"
         "\"samples\":[" + samples + "\n],\n\"sites\":[\n"
         "{\"id\":\"rs1_inflammation\",\"rsid\":\"rs1\",\"gene\":\"IL6\",\"pathway\":\"inflammation\",\"trait\":\"bone\","
         "\"state\":\"found\",\"reason\":null,\"scored\":true,\"weight\":0.5,\"model\":\"additive\",\"effect_allele\":\"C\","
         "\"eaf\":null,\"evidence_grade\":\"replicated\",\"evidence\":\"PMID:1\",\"other_allele\":null,\"panel\":\"healcap_healing\","
         "\"panel_locus\":{\"chrom\":\"7\",\"pos\":100,\"ref\":\"G\",\"alt\":\"C\"},\"seen\":null,\"n_records\":0,"
         "\"state_counts\":{\"called\":0,\"ref_block\":0,\"absent_covered\":0,\"absent_unknown\":2,\"filtered\":0,\"missing\":0},"
         "\"note\":\".\"},\n"
         "{\"id\":\"PGS000314:1\",\"rsid\":\"rs3027012\",\"gene\":null,\"pathway\":null,\"trait\":null,\"state\":\"allele_mismatch\","
         "\"reason\":\"allele_mismatch\",\"scored\":true,\"weight\":0.032643900000000003,\"model\":\"additive\","
         "\"effect_allele\":\"C\",\"eaf\":null,\"evidence_grade\":null,\"evidence\":null,\"other_allele\":\"T\",\"panel\":\"" +
         score_site_panel + "\",\"panel_locus\":{\"chrom\":\"1\",\"pos\":200,\"ref\":null,\"alt\":null},\"seen\":null,"
         "\"n_records\":1,\"state_counts\":{\"called\":0,\"ref_block\":0,\"absent_covered\":0,\"absent_unknown\":2,"
         "\"filtered\":0,\"missing\":0},\"note\":\".\"}\n]\n}\n";
}

// The page's data block, parsed.
JsonDocument data_block(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"hc-data\">";
  const size_t at = html.find(open);
  REQUIRE(at != std::string::npos);
  return JsonDocument::parse(html.substr(at + open.size(), html.find("</script>", at) - at - open.size()), "data");
}

}  // namespace

TEST_CASE("a run over two panels is read panel by panel: identities, each sample's scores by panel, each row's panel") {
  const JsonDocument doc = JsonDocument::parse(two_panel_json(), "two.json");
  const RunReport r = read_run_report(doc.root());
  CHECK(r.panels_listed);
  REQUIRE(r.panels.size() == 2);
  const ReportPanel& heal = r.panels[0];
  const ReportPanel& pgs = r.panels[1];
  CHECK(heal.id == "healcap_healing");
  CHECK_FALSE(heal.score);
  CHECK(heal.pathways == std::vector<std::string>{"inflammation"});
  CHECK(heal.traits == std::vector<std::string>{"bone"});
  CHECK(pgs.score);
  CHECK(pgs.version.empty());  // null for a score
  CHECK(pgs.pgs_id == "PGS000314");
  CHECK(pgs.n_file_rows == 3);
  CHECK(pgs.skipped == std::vector<std::pair<std::string, int64_t>>{{"haplotype", 2}});
  CHECK(pgs.header_value("trait_reported") == "C-reactive protein");
  CHECK(pgs.header_value("absent").empty());
  CHECK(pgs.pathways.empty());
  REQUIRE(r.samples.size() == 2);
  for (const ReportSample& s : r.samples) {
    REQUIRE(s.panels.size() == 2);
    CHECK(s.panels[0].by_pathway.size() == 1);
    CHECK(s.panels[1].by_pathway.empty());
  }
  CHECK(r.samples[0].panels[1].all.weighted_sum.text == "-0.032644");
  CHECK(*report_millionths(r.samples[1].panels[1].all.weighted_sum) == 65288);
  CHECK(r.samples[1].panels[0].all.index.text == "0.750000");
  REQUIRE(r.sites.size() == 2);
  CHECK(r.sites[0].panel == 0);
  CHECK(r.sites[1].panel == 1);
  CHECK(r.sites[1].gene.empty());  // null on a score's row
  CHECK(r.sites[1].grade.empty());
  CHECK(r.sites[1].other_allele == "T");
  CHECK(r.sites[1].weight.text == "0.032643900000000003");  // as written
  CHECK(report_panels_title(r) == "healcap-healing 1.0.0 + PGS000314 (GRS77_CRP)");
}

TEST_CASE("a two-panel page holds each panel's columns, a score's weighted sum, and every row's panel") {
  const std::string html = report_html_from_json(two_panel_json(), "two.json");
  const JsonDocument d = data_block(html);
  const JsonValue panels = *d.root().find("panels");
  REQUIRE(panels.size() == 2);
  CHECK(panels[0].find("prefix")->string().empty());
  CHECK(panels[1].find("prefix")->string() == "PGS000314_");
  CHECK(panels[1].find("score")->boolean());
  const JsonValue p = *d.root().find("s")->find("p");
  REQUIRE(p.size() == 2);
  CHECK_FALSE(p[0].find("ws"));  // a healing panel's table shows no weighted sum
  const JsonValue ws = *p[1].find("ws");
  CHECK(ws[0].number() == -32644);
  CHECK(ws[1].number() == 65288);
  CHECK((*p[0].find("hci"))[1].number() == 750000);
  const JsonValue sites = *d.root().find("sites");
  CHECK(sites[0].find("p")->number() == 0);
  CHECK(sites[1].find("p")->number() == 1);
  CHECK(sites[1].find("oa")->string() == "T");
  CHECK(sites[1].find("w")->string() == "0.032643900000000003");
  CHECK(sites[1].find("gene")->string() == ".");
  // Run: each panel's identity, the score's citation linked to doi.org; Cohort: a block per panel, the score's
  // with its weighted-sum histogram over its own range; the ledger: a panel column, the mismatch flagged.
  CHECK(count(html, "<table class=\"kv panel\"") == 2);
  CHECK(html.find("<a href=\"https://doi.org/10.1161/circgen.119.002775\"") != std::string::npos);
  CHECK(html.find("haplotype 2 (--pgs-skip-unsupported)") != std::string::npos);
  CHECK(count(html, "<div class=\"panel-block\"") == 2);
  CHECK(html.find("data-metric=\"ws\" data-group=\"all\"") != std::string::npos);
  CHECK(html.find("data-lo=\"-32644\" data-hi=\"65288\"") != std::string::npos);
  CHECK(html.find("data-sort=\"1.ws\"") != std::string::npos);
  CHECK(html.find("<th>panel</th>") != std::string::npos);
  const std::string mismatch_row =
      "<tr class=\"problem\" data-panel=\"PGS000314\"><td class=\"mono\">PGS000314:1</td><td class=\"panel\">PGS000314</td>";
  CHECK(html.find(mismatch_row) != std::string::npos);
  CHECK(html.find("allele mismatch") != std::string::npos);
  CHECK(html.find("<h3>PGS Catalog scores</h3>") != std::string::npos);
  CHECK(html.find("<h3>What the index means</h3>") != std::string::npos);
  CHECK(report_html_from_json(two_panel_json(), "two.json") == html);
}

TEST_CASE("a score's header text is escaped like every other value from an input") {
  const std::string html = report_html_from_json(two_panel_json("<script>alert(1)</script> doi:10.1000/x\\\"onmouseover=y"), "two.json");
  CHECK(count(html, "<script") == 2);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("onmouseover=y\"") == std::string::npos);
}

TEST_CASE("a multi-panel run whose samples or rows name another panel is refused with the place") {
  CHECK(report_error(two_panel_json("c", "PGS999"))
            .find(": samples[0].by_panel: member 2 is \"PGS999\" where the panels list has \"PGS000314\"") != std::string::npos);
  const std::string e = report_error(two_panel_json("c", "PGS000314", "nope"));
  CHECK(e.rfind("run.json:", 0) == 0);
  CHECK(e.find(": sites[1]: panel \"nope\" is not in the top-level \"panels\" list") != std::string::npos);
  std::string doc = two_panel_json();
  const size_t at = doc.find("\"kind\":\"pgs_catalog\"");
  REQUIRE(at != std::string::npos);
  doc.replace(at, 20, "\"kind\":\"vcf\"");
  CHECK(report_error(doc).find(": panels[1]: kind \"vcf\" is neither healcap_tsv nor pgs_catalog") != std::string::npos);
}
