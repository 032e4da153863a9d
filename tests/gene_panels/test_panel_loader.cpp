// The panel loader: the bundled panel's known sites, and one small bad panel per validation error class.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "panel.h"
#include "contig.h"
#include "sha256.h"

using namespace healcap;

namespace {

const Panel& bundled() { return Panel::bundled(); }

std::vector<const PanelSite*> rows_for(const Panel& p, const std::string& rsid) {
  std::vector<const PanelSite*> out;
  for (const auto& s : p.sites())
    if (s.rsid == rsid) out.push_back(&s);
  return out;
}

// A minimal valid panel: header block, column line, two rows. Tests mutate one field and parse.
const char* kHeaderBlock = "##panel=tiny\n##version=0.0.1\n";
std::vector<std::string> columns() { return panel_columns(); }
std::vector<std::string> good_row(const std::string& id) {
  return {id, "rs1800012", "COL1A1", "matrix_structure", "bone", "17", "48277749", "C", "A", "50200388", "C",
          "A", "A", "1.31", "0.27", "recessive", ".", "contested", "PMID:1", "test", "."};
}
std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "\t" : "") + v[i];
  return s;
}
// Column (1-based byte offset) at which field k of a row starts.
int column_of(const std::vector<std::string>& row, size_t k) {
  int c = 1;
  for (size_t i = 0; i < k; ++i) c += static_cast<int>(row[i].size()) + 1;
  return c;
}
size_t index_of(const std::string& col) {
  const auto& c = panel_columns();
  return static_cast<size_t>(std::find(c.begin(), c.end(), col) - c.begin());
}
std::string panel_text(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string t = std::string(kHeaderBlock) + join(header) + "\n";
  for (const auto& r : rows) t += join(r) + "\n";
  return t;
}
// Parses and returns the error message, or "" when the panel was accepted.
std::string error_of(const std::string& text) {
  try {
    Panel::parse(text, "bad.tsv");
  } catch (const PanelError& e) {
    return e.what();
  }
  return "";
}
// Sets one field of the second row (file line 5) and checks the error names bad.tsv:5:COLUMN and `what`.
void check_row_error(const std::string& col, const std::string& value, const std::string& what) {
  auto row = good_row("b");
  const size_t k = index_of(col);
  REQUIRE(k < row.size());
  row[k] = value;
  const std::string msg = error_of(panel_text(columns(), {good_row("a"), row}));
  INFO("message: " << msg);
  CHECK(msg.rfind("bad.tsv:5:" + std::to_string(column_of(row, k)) + ": " + col + ":", 0) == 0);
  CHECK(msg.find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("the bundled panel loads with at least 100 placed rows over at least 60 genes, a name, version and hash") {
  const Panel& p = bundled();
  std::set<std::string> genes;
  size_t placed = 0;
  for (const auto& s : p.sites())
    if (s.in(Build::kGRCh37).placed() || s.in(Build::kGRCh38).placed()) {
      ++placed;
      genes.insert(s.gene);
    }
  CHECK(placed >= 100);
  CHECK(genes.size() >= 60);
  CHECK(p.name() == "healcap-healing");
  CHECK(!p.version().empty());
  CHECK(p.sha256().size() == 64);
}

TEST_CASE("the bundled panel's hash is the SHA-256 of gene_panels/healing_panel.tsv as committed") {
  std::ifstream in(std::string(HEALCAP_SOURCE_DIR) + "/gene_panels/healing_panel.tsv", std::ios::binary);
  REQUIRE(in);
  std::ostringstream ss;
  ss << in.rdbuf();
  CHECK(bundled().sha256() == sha256_hex(ss.str()));
  CHECK(Panel::load(std::string(HEALCAP_SOURCE_DIR) + "/gene_panels/healing_panel.tsv").sha256() == bundled().sha256());
}

TEST_CASE("COL1A1 rs1800012 sits at GRCh38 chr17:50200388 C>A and GRCh37 chr17:48277749, one row per trait") {
  const auto rows = rows_for(bundled(), "rs1800012");
  REQUIRE(rows.size() == 2);
  for (const auto* s : rows) {
    CHECK(s->gene == "COL1A1");
    CHECK(s->in(Build::kGRCh38).contig == "17");
    CHECK(s->in(Build::kGRCh38).pos == 50200388);
    CHECK(s->in(Build::kGRCh38).ref == "C");
    CHECK(s->in(Build::kGRCh38).alts == std::vector<std::string>{"A"});
    CHECK(s->in(Build::kGRCh37).pos == 48277749);
    CHECK(s->in(Build::kGRCh37).ref == "C");
  }
  // The worse allele flips between ligament injury and fracture.
  CHECK(rows[0]->id != rows[1]->id);
  CHECK(rows[0]->effect_allele != rows[1]->effect_allele);
  const auto* ligament = rows[0]->trait == Trait::kTendonLigament ? rows[0] : rows[1];
  const auto* bone = rows[0]->trait == Trait::kBone ? rows[0] : rows[1];
  CHECK(ligament->effect_allele == "C");
  CHECK(bone->effect_allele == "A");
}

TEST_CASE("the reference base differs between builds at GDF5 rs143383 and ACTN3 rs1815739") {
  const auto gdf5 = rows_for(bundled(), "rs143383");
  REQUIRE(gdf5.size() == 1);
  CHECK(gdf5[0]->in(Build::kGRCh37).ref == "A");
  CHECK(gdf5[0]->in(Build::kGRCh38).ref == "G");
  CHECK(gdf5[0]->effect_allele == "A");  // the OA-risk allele, the GRCh37 reference base
  CHECK(gdf5[0]->in(Build::kGRCh37).pos == 34025983);
  CHECK(gdf5[0]->in(Build::kGRCh38).pos == 35438203);

  const auto actn3 = rows_for(bundled(), "rs1815739");
  REQUIRE(actn3.size() == 1);
  CHECK(actn3[0]->in(Build::kGRCh37).ref == "T");
  CHECK(actn3[0]->in(Build::kGRCh37).alts == std::vector<std::string>{"C"});
  CHECK(actn3[0]->in(Build::kGRCh38).ref == "C");
  CHECK(actn3[0]->effect_allele == "T");  // 577X
}

TEST_CASE("non-SNV rows are present and typed by their alleles") {
  const auto type = [](const std::string& rsid) {
    const auto r = rows_for(bundled(), rsid);
    REQUIRE(!r.empty());
    return r[0]->type();
  };
  CHECK(type("rs1799752") == VariantType::kSymbolic);  // ACE Alu I/D
  CHECK(type("rs28362491") == VariantType::kIndel);    // NFKB1 -94 ATTG
  CHECK(type("rs3834129") == VariantType::kIndel);     // CASP8 -652 6N
  CHECK(type("rs3078372") == VariantType::kIndel);     // ASPN D-repeat
  CHECK(type("rs11327935") == VariantType::kIndel);    // COL1A1 -1663indelT
  CHECK(type("rs35068180") == VariantType::kUnknown);  // MMP3 dup/del: no VCF alleles in the sources
  CHECK(type("rs1800012") == VariantType::kSnv);
}

TEST_CASE("every weighted row has an effect allele and a grade other than none, and rows without direction weigh 0") {
  size_t scored = 0;
  for (const auto& s : bundled().sites()) {
    if (s.weight != 0) {
      ++scored;
      CHECK(!s.effect_allele.empty());
      CHECK(s.grade != EvidenceGrade::kNone);
    }
    if (s.grade == EvidenceGrade::kNone) CHECK(s.weight == 0);
  }
  CHECK(scored > 0);
}

TEST_CASE("null and contested findings are never graded as established") {
  const auto grade = [](const std::string& id) {
    for (const auto& s : bundled().sites())
      if (s.id == id) return s.grade;
    FAIL("no row " << id);
    return EvidenceGrade::kNone;
  };
  CHECK(grade("rs1800795_osteoarthritis") == EvidenceGrade::kNull);      // IL6 -174, null meta-analyses
  CHECK(grade("rs16944_osteoarthritis") == EvidenceGrade::kNull);        // IL1B, not replicated
  CHECK(grade("rs679620_tendon_ligament") == EvidenceGrade::kContested); // MMP3, direction flips
  CHECK(grade("rs12722_tendon_ligament") == EvidenceGrade::kContested);  // COL5A1
  CHECK(grade("rs143383_osteoarthritis") == EvidenceGrade::kReplicated); // GDF5
}

TEST_CASE("the index finds a site under chr-prefixed, plain and RefSeq contig names, in each build") {
  const Panel& p = bundled();
  for (const char* name : {"chr17", "17", "NC_000017.11"}) {
    const auto hits = p.sites_at(Build::kGRCh38, name, 50200388);
    REQUIRE(hits.size() == 2);
    CHECK(p.sites()[hits[0]].rsid == "rs1800012");
  }
  CHECK(p.sites_at(Build::kGRCh37, "chr17", 48277749).size() == 2);
  CHECK(p.sites_at(Build::kGRCh38, "chr17", 48277749).empty());  // GRCh37 position, wrong build
  CHECK(p.sites_at(Build::kGRCh38, "chr17", 50200389).empty());
  CHECK(p.sites_at(Build::kGRCh38, "chrUn_xyz", 1).empty());
}

TEST_CASE("placed() lists each build's rows in karyotype and position order") {
  for (Build b : {Build::kGRCh37, Build::kGRCh38}) {
    const auto& order = bundled().placed(b);
    REQUIRE(!order.empty());
    for (size_t i = 1; i < order.size(); ++i) {
      const auto& x = bundled().sites()[order[i - 1]].in(b);
      const auto& y = bundled().sites()[order[i]].in(b);
      const bool ordered = contig_rank(x.contig) < contig_rank(y.contig) ||
                           (x.contig == y.contig && x.pos <= y.pos);
      CHECK(ordered);
    }
  }
}

TEST_CASE("find() matches ids exactly and rsIDs and genes in any case") {
  CHECK(bundled().find("rs1800012_bone").size() == 1);
  CHECK(bundled().find("RS1800012").size() == 2);
  CHECK(bundled().find("col1a1").size() == rows_for(bundled(), "rs1800012").size() + 2);
  CHECK(bundled().find("NOSUCHGENE").empty());
}

TEST_CASE("a valid tiny panel filling one build only loads and is indexed in that build only") {
  auto row = good_row("a");
  row[index_of("pos_grch37")] = ".";
  row[index_of("ref_grch37")] = ".";
  row[index_of("alt_grch37")] = ".";
  const Panel p = Panel::parse(panel_text(columns(), {row}), "tiny.tsv");
  CHECK(p.sites().size() == 1);
  CHECK(p.placed(Build::kGRCh37).empty());
  CHECK(p.placed(Build::kGRCh38).size() == 1);
}

TEST_CASE("columns may come in any order") {
  auto cols = columns();
  auto row = good_row("a");
  std::swap(cols[0], cols[20]);
  std::swap(row[0], row[20]);
  const Panel p = Panel::parse(panel_text(cols, {row}), "reordered.tsv");
  CHECK(p.sites()[0].id == "a");
}

TEST_CASE("an unknown column is an error naming the file, line, column and the column's name") {
  auto cols = columns();
  cols[16] = "frequency";
  const std::string msg = error_of(panel_text(cols, {good_row("a")}));
  CHECK(msg.rfind("bad.tsv:3:" + std::to_string(column_of(cols, 16)) + ": unknown column 'frequency'", 0) == 0);
}

TEST_CASE("a missing column is an error naming the column") {
  auto cols = columns();
  auto row = good_row("a");
  cols.erase(cols.begin() + 16);
  row.erase(row.begin() + 16);
  const std::string msg = error_of(panel_text(cols, {row}));
  CHECK(msg.rfind("bad.tsv:3:0: missing column 'eaf'", 0) == 0);
}

TEST_CASE("a column named twice is an error at the second occurrence") {
  auto cols = columns();
  auto row = good_row("a");
  cols.push_back("notes");
  row.push_back(".");
  const std::string msg = error_of(panel_text(cols, {row}));
  CHECK(msg.rfind("bad.tsv:3:" + std::to_string(column_of(cols, 21)) + ": column 'notes' appears twice", 0) == 0);
}

TEST_CASE("a duplicate id is an error pointing at the second row and naming the first") {
  const std::string msg = error_of(panel_text(columns(), {good_row("a"), good_row("a")}));
  CHECK(msg.rfind("bad.tsv:5:1: id: duplicate id 'a' (first at line 4)", 0) == 0);
}

TEST_CASE("bad allele strings are errors at their column") {
  check_row_error("ref_grch38", "X", "bad allele 'X'");
  check_row_error("alt_grch37", "a", "bad allele 'a'");
  check_row_error("alt_grch38", "A,,G", "empty allele");
  check_row_error("effect_allele", "Z", "bad allele 'Z'");
  check_row_error("alt_grch38", "C", "ALT repeats the REF allele 'C'");
}

TEST_CASE("a non-numeric weight, odds ratio or frequency is an error at its column") {
  check_row_error("weight", "high", "non-numeric weight 'high'");
  check_row_error("weight", ".", "non-numeric weight '.'");
  check_row_error("odds_ratio", "1.3x", "non-numeric odds ratio '1.3x'");
  check_row_error("odds_ratio", "-2", "odds ratio must be positive");
  check_row_error("eaf", "1.5", "must lie in [0, 1]");
}

TEST_CASE("an effect allele that is not among a build's known REF/ALT is an error") {
  check_row_error("effect_allele", "G", "effect allele 'G' is not among GRCh37 REF/ALT C/A");
}

TEST_CASE("values outside the vocabularies are errors that list the allowed values") {
  check_row_error("pathway", "collagen", "'collagen' is not a pathway; use one of matrix_structure");
  check_row_error("trait", "ACL", "'ACL' is not a trait; use one of tendon_ligament");
  check_row_error("model", "multiplicative", "'multiplicative' is not a model; use one of additive");
  check_row_error("evidence_grade", "strong", "'strong' is not a evidence grade; use one of replicated");
}

TEST_CASE("a weight without an effect allele, or with grade none, is an error") {
  auto row = good_row("b");
  row[index_of("effect_allele")] = ".";
  row[index_of("eaf")] = ".";
  std::string msg = error_of(panel_text(columns(), {row}));
  CHECK(msg.find("bad.tsv:4:" + std::to_string(column_of(row, index_of("weight"))) + ": weight: non-zero weight needs an effect allele") == 0);
  row = good_row("b");
  row[index_of("evidence_grade")] = "none";
  msg = error_of(panel_text(columns(), {row}));
  CHECK(msg.find("evidence grade 'none' means no stated direction") != std::string::npos);
}

TEST_CASE("malformed rows and headers are errors with a line number") {
  auto row = good_row("b");
  row.pop_back();
  CHECK(error_of(panel_text(columns(), {good_row("a"), row})).rfind("bad.tsv:5:0: expected 21 tab-separated fields, found 20", 0) == 0);
  check_row_error("pos_grch38", "50,200,388", "bad position '50,200,388'");
  check_row_error("rsid", "1800012", "bad rsID '1800012'");
  check_row_error("gene", ".", "required");
  CHECK(error_of(std::string("##version=1\n") + join(columns()) + "\n" + join(good_row("a")) + "\n")
            .find("missing '##panel=NAME'") != std::string::npos);
  CHECK(error_of(std::string(kHeaderBlock) + join(columns()) + "\n").find("the panel has no rows") != std::string::npos);
  CHECK(error_of(std::string(kHeaderBlock) + join(columns()) + "\n\n" + join(good_row("a")) + "\n").rfind("bad.tsv:4:0: empty line", 0) == 0);
}

TEST_CASE("a missing panel file is an error naming the path") {
  try {
    Panel::load("/nonexistent/panel.tsv");
    FAIL("expected PanelError");
  } catch (const PanelError& e) {
    CHECK(std::string(e.what()).rfind("/nonexistent/panel.tsv:0:0: cannot open panel file", 0) == 0);
  }
}
