// The text healcap gives MultiQC: shown as written in its HTML, readable as UTF-8 lines, and ids that never collide;
// and the files' columns for one healcap panel, for a panel with a PGS Catalog score, and for a score alone.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "panel.h"
#include "pgs_catalog.h"
#include "scan_result.h"
#include "score.h"
#include "site_store.h"
#include "sinks/multiqc.h"

using healcap::multiqc_id;
using healcap::multiqc_text;

TEST_CASE("multiqc_text keeps ordinary names and writes markup as entities") {
  CHECK(multiqc_text("S1.vcf.gz") == "S1.vcf.gz");
  CHECK(multiqc_text("pop/EX05 1001") == "pop/EX05 1001");
  const std::string unicode = "\xc3\x9c" "n" "\xc3\xaf" "c" "\xc3\xb8" "d" "\xc3\xa9";  // Ünïcødé
  CHECK(multiqc_text(unicode) == unicode);
  CHECK(multiqc_text("\xf0\x9f\xa7\xac") == "\xf0\x9f\xa7\xac");                                    // a 4-byte character
  CHECK(multiqc_text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;");
  CHECK(multiqc_text("a&b \"q\" O'Brien") == "a&amp;b &quot;q&quot; O&#39;Brien");
}

TEST_CASE("multiqc_text writes what would end a line or break UTF-8 as visible escapes") {
  CHECK(multiqc_text(std::string("a\tb\nc\rd\x0b" "e\x1c" "f\x7f", 12)) == "a\\x09b\\x0ac\\x0dd\\x0be\\x1cf\\x7f");
  CHECK(multiqc_text(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(multiqc_text("x\xc2\x85y") == "x\\u0085y");        // NEL
  CHECK(multiqc_text("x\xe2\x80\xa8y\xe2\x80\xa9") == "x\\u2028y\\u2029");
  CHECK(multiqc_text("\xef\xbf\xbf") == "\\uffff");
  CHECK(multiqc_text("\xff\xc3") == "\\xff\\xc3");         // not UTF-8; a sequence cut short
  CHECK(multiqc_text("\xc0\xaf") == "\\xc0\\xaf");         // an overlong '/'
  CHECK(multiqc_text("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // a surrogate
  CHECK(multiqc_text("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST_CASE("multiqc_id keeps A-Z a-z 0-9 . _ - and writes every other byte as %HH, so labels never share an id") {
  CHECK(multiqc_id("cohort.chr1_v2-b") == "cohort.chr1_v2-b");
  CHECK(multiqc_id("my run") == "my%20run");
  CHECK(multiqc_id("100%") == "100%25");
  CHECK(multiqc_id("my%20run") != multiqc_id("my run"));
  CHECK(multiqc_id("\xc3\xa9") == "%C3%A9");
}

namespace {

using namespace healcap;

// A healcap panel of two scored rows (ids r1, r2) on chromosome 1 of GRCh37.
Panel tiny_tsv() {
  std::string t = "##panel=tiny\n##version=0.0.1\n";
  for (size_t i = 0; i < panel_columns().size(); ++i) t += (i ? "\t" : "") + panel_columns()[i];
  t += "\nr1\trs1\tGENE1\tinflammation\tbone\t1\t1100\tC\tA\t.\t.\t.\tA\t.\t0.2\tadditive\t0.3\treplicated\tPMID:1\ttest\t.\n"
       "r2\trs2\tGENE2\tother\ttendon_ligament\t1\t1200\tC\tA\t.\t.\t.\tA\t.\t0.1\tadditive\t.\treplicated\tPMID:1\ttest\t.\n";
  return Panel::parse(t, "tiny.tsv");
}

// A PGS Catalog score of two rows (PGS999999:1, :2), with or without effect-allele frequencies.
Panel tiny_score(bool eaf) {
  return parse_pgs_catalog(
      "###PGS CATALOG SCORING FILE - see https://www.pgscatalog.org/downloads/#dl_ftp_scoring for additional information\n"
      "#format_version=2.0\n##POLYGENIC SCORE (PGS) INFORMATION\n#pgs_id=PGS999999\n#pgs_name=TEST_SCORE\n"
      "#genome_build=GRCh37\n"
      "rsID\tchr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\tallelefrequency_effect\n"
      "rs10\t1\t2000\tA\tG\t0.5\t" + std::string(eaf ? "0.4" : "") + "\n"
      "rs11\t1\t3000\tC\tT\t-0.25\t" + std::string(eaf ? "0.1" : "") + "\n",
      "s.txt", {});
}

// The MultiQC files of a run over `panel` with two samples and no record: every placed row is not_in_input,
// except the score's second row, set to allele_mismatch.
struct Files {
  std::string general, indexes, problems;
};
Files files_of(const Panel& panel) {
  SiteStore store(panel, Build::kGRCh37, 2);
  for (size_t i = 0; i < panel.sites().size(); ++i)
    if (panel.sites()[i].id == "PGS999999:2") store.mutable_results()[i].state = SiteState::kAlleleMismatch;
  ScanResult r;
  r.panel = &panel;
  r.build = Build::kGRCh37;
  r.samples = {"S1", "S2"};
  r.store = &store;
  r.scores = score_samples(panel, Build::kGRCh37, store, r.score);
  return {multiqc_general(r, "run"), multiqc_indexes(r, "run"), multiqc_problem_sites(r, "run")};
}

// The table's column line: the first line that does not start with '#'.
std::string columns(const std::string& file) {
  size_t b = 0;
  while (file.compare(b, 1, "#") == 0) b = file.find('\n', b) + 1;
  return file.substr(b, file.find('\n', b) - b);
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("one healcap panel: General Statistics sorted by title, no panel column, no allele_mismatch") {
  const Panel p = tiny_tsv();
  const Files f = files_of(p);
  CHECK(columns(f.general) == "sample\thealing_capacity_index\tcompleteness\tn_called");
  CHECK(has(f.general, "# pconfig:\n#   healing_capacity_index:\n#     title: \"HCI\"\n"));
  CHECK(columns(f.indexes).rfind("sample\thealing_capacity_index\tcompleteness\tn_called\tn_scored_sites\tz_score\t", 0) == 0);
  CHECK(columns(f.problems) == "id\tproblem\tgene\trsid\ttrait\tstate\tn_called\tcall_rate\tcounted_allele_freq\teaf\thwe_p");
  CHECK(has(f.problems, "\"r1\"\t\"not_in_input\"\t\"GENE1\"\t\"rs1\"\t\"bone\"\t\"not_in_input\"\t"));
  CHECK(!has(f.problems, "allele_mismatch"));
  CHECK(has(f.problems, "panel tiny 0.0.1 (SHA-256 " + p.sha256().substr(0, 12) + ")"));
  CHECK(!has(f.problems, " Panel tiny"));
}

TEST_CASE("a healcap panel and a PGS Catalog score: each panel's columns in --panel order, each row its panel") {
  std::vector<Panel> parts = {tiny_tsv(), tiny_score(true)};
  const Panel p = Panel::combine(std::move(parts));
  const Files f = files_of(p);
  // General Statistics: the first panel's columns as alone, then the score's, listed so that MultiQC keeps them so.
  CHECK(columns(f.general) == "sample\thealing_capacity_index\tcompleteness\tn_called\tPGS999999_weighted_sum\t"
                              "PGS999999_completeness\tPGS999999_n_called");
  CHECK(has(f.general, "# pconfig:\n#   - healing_capacity_index:\n#         title: \"HCI\"\n"));
  CHECK(has(f.general, "#   - PGS999999_weighted_sum:\n#         title: \"PGS999999 score\"\n"));
  CHECK(has(f.general, "title: \"PGS999999 completeness\""));
  CHECK(has(f.general, "title: \"PGS999999 sites called\""));
  CHECK(!has(f.general, "PGS999999 HCI"));
  CHECK(has(f.general, "\"S1\"\t\t0.000000\t0\t0.000000\t0.000000\t0\n"));  // nothing observed: no HCI, a sum of 0
  // The indexes table: one group per panel; pathways and traits only for the healcap panel.
  CHECK(columns(f.indexes) ==
        "sample\thealing_capacity_index\tcompleteness\tn_called\tn_scored_sites\tz_score\thci_pathway_inflammation\t"
        "hci_pathway_other\thci_trait_tendon_ligament\thci_trait_bone\tPGS999999_weighted_sum\tPGS999999_completeness\t"
        "PGS999999_n_called\tPGS999999_n_scored_sites\tPGS999999_z_score");
  CHECK(has(f.indexes, "# section_name: \"Indexes and scores per sample, pathway and trait\""));
  // The problem sites: a panel column; a score's row has no gene or trait; allele_mismatch is a problem.
  CHECK(columns(f.problems) ==
        "id\tpanel\tproblem\tgene\trsid\ttrait\tstate\tn_called\tcall_rate\tcounted_allele_freq\teaf\thwe_p");
  CHECK(has(f.problems, "\"r2\"\t\"tiny\"\t\"not_in_input\"\t\"GENE2\"\t\"rs2\"\t\"tendon_ligament\"\t"));
  CHECK(has(f.problems, "\"PGS999999:1\"\t\"PGS999999\"\t\"not_in_input\"\t\"\"\t\"rs10\"\t\"\"\t\"not_in_input\"\t"));
  CHECK(has(f.problems, "\"PGS999999:2\"\t\"PGS999999\"\t\"allele_mismatch\"\t\"\"\t\"rs11\"\t\"\"\t\"allele_mismatch\"\t"));
  CHECK(has(f.problems, "allele_absent, allele_mismatch, build_mismatch"));
  // The tables' section names each panel with its own identity, not the joined name.
  for (const std::string* t : {&f.indexes, &f.problems}) {
    CHECK(has(*t, "panels tiny (tiny 0.0.1, SHA-256 " + p.components()[0].sha256.substr(0, 12) + "); PGS999999 (PGS "
                  "Catalog score TEST_SCORE, SHA-256 " + p.components()[1].sha256.substr(0, 12) + ")"));
    CHECK(!has(*t, "tiny + TEST_SCORE"));
  }
}

TEST_CASE("a PGS Catalog score alone: its sum, completeness and sites called, never the HCI") {
  const Panel p = tiny_score(false);
  const Files f = files_of(p);
  CHECK(columns(f.general) == "sample\tweighted_sum\tcompleteness\tn_called");
  CHECK(has(f.general, "#   - weighted_sum:\n#         title: \"PGS999999 score\"\n"));
  CHECK(!has(f.general, "\"HCI"));
  // No z-score without the file's effect-allele frequencies; no pathway or trait.
  CHECK(columns(f.indexes) == "sample\tweighted_sum\tcompleteness\tn_called\tn_scored_sites");
  CHECK(has(f.indexes, "# section_name: \"Scores per sample\""));
  CHECK(columns(f.problems) == "id\tpanel\tproblem\trsid\tstate\tn_called\tcall_rate\tcounted_allele_freq\teaf\thwe_p");
  CHECK(has(f.problems, "panel PGS999999 (PGS Catalog score TEST_SCORE, SHA-256 " + p.sha256().substr(0, 12) + ")"));
  CHECK(!has(f.problems, "healing-capacity index (HCI) of a healcap panel"));
}
