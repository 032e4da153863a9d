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
    const auto m = report_millionths(r.samples[k].all.index);
    CHECK(m.has_value() == (indexes[k] != "NA"));
    if (m) CHECK(millionths_text(*m) == indexes[k]);
  }
  const size_t data = html.find("<script type=\"application/json\" id=\"hc-data\">");
  REQUIRE(data != std::string::npos);
  const size_t end = html.find("</script>", data);
  const size_t open = std::string("<script type=\"application/json\" id=\"hc-data\">").size();
  const std::string block = html.substr(data + open, end - data - open);
  const JsonDocument d = JsonDocument::parse(block, "data");
  const JsonValue hci = *d.root().find("s")->find("hci");
  REQUIRE(hci.size() == 20);
  for (size_t k = 0; k < 20; ++k)
    CHECK((hci[k].is_null() ? std::string("NA") : millionths_text(static_cast<int64_t>(hci[k].number()))) == indexes[k]);
  CHECK(count(html, "<script") == 2);
  CHECK(html.find("script-src '" + csp_sha256(report_js()) + "'") != std::string::npos);
  CHECK(html.find("<script>" + std::string(report_js()) + "</script>") != std::string::npos);
  CHECK(html.find("Research use only.") != std::string::npos);
  CHECK(html.find("d46430242b8f385b9a1b552fcbd292935b190d53d7f1b0bb0a4932653a75d293") != std::string::npos);
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
