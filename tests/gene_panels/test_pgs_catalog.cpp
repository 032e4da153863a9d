// The PGS Catalog scoring-file reader: header, author vs harmonised positions, gzip, weights as written, each
// refusal with FILE:LINE, the skip option's counts, rows without a position; and panels combined for one run.
#include <doctest/doctest.h>

#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "panel.h"
#include "pgs_catalog.h"
#include "sha256.h"

using namespace healcap;

namespace {

std::string header(const std::string& extra = "") {
  return "###PGS CATALOG SCORING FILE - see https://www.pgscatalog.org/downloads/#dl_ftp_scoring for additional information\n"
         "#format_version=2.0\n"
         "##POLYGENIC SCORE (PGS) INFORMATION\n"
         "#pgs_id=PGS999999\n"
         "#pgs_name=TEST_SCORE\n"
         "#trait_reported=Test trait\n"
         "#genome_build=GRCh37\n" +
         extra +
         "##SOURCE INFORMATION\n"
         "#citation=Someone et al. (2020). doi:10.1000/x?a=1&b=2\n";
}

// Author-reported columns: lines 1-10 are the header block and the column line, rows start at line 11.
const char* kColumns = "rsID\tchr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\tallelefrequency_effect\n";

std::string author_file(const std::vector<std::string>& rows) {
  std::string t = header() + kColumns;
  for (const auto& r : rows) t += r + "\n";
  return t;
}

std::string error_of(const std::string& text, bool skip = false) {
  PanelLoadOptions opt;
  opt.pgs_skip_unsupported = skip;
  try {
    parse_pgs_catalog(text, "s.txt", opt);
  } catch (const PanelError& e) {
    return e.what();
  }
  return "";
}

// A file with the unsupported-row columns, for the refusals and the skip counts (rows from line 11).
const char* kFullColumns =
    "rsID\tchr_name\tchr_position\teffect_allele\tother_allele\tlocus_name\tis_haplotype\tis_diplotype\t"
    "effect_weight\tis_interaction\tis_dominant\tis_recessive\tdosage_0_weight\tdosage_1_weight\tdosage_2_weight\n";
std::string full_row(const std::string& ea, const std::string& oa, const std::string& hap, const std::string& dip,
                     const std::string& inter, const std::string& d1 = "") {
  return "rs1\t1\t1000\t" + ea + "\t" + oa + "\t.\t" + hap + "\t" + dip + "\t0.5\t" + inter + "\tFalse\tFalse\t\t" + d1 + "\t";
}
std::string full_file(const std::vector<std::string>& rows) {
  std::string t = header() + kFullColumns;
  for (const auto& r : rows) t += r + "\n";
  return t;
}

}  // namespace

TEST_CASE("a PGS Catalog file is recognised by its marker or format_version line, a panel TSV is not") {
  CHECK(looks_like_pgs_catalog(author_file({})));
  CHECK(looks_like_pgs_catalog("#format_version=2.0\n#pgs_id=PGS1\nrsID\n"));
  CHECK_FALSE(looks_like_pgs_catalog("##panel=tiny\n##version=1\nid\trsid\n"));
  CHECK_FALSE(looks_like_pgs_catalog("rsID\tchr_name\n"));
}

TEST_CASE("header lines split on their first '=': a value may hold '=' itself") {
  const Panel p = parse_pgs_catalog(author_file({"rs10\t1\t1000\tA\tG\t0.5\t"}), "s.txt", {});
  const PanelComponent& c = p.components().front();
  CHECK(c.kind == PanelKind::kPgsCatalog);
  CHECK(c.pgs_id == "PGS999999");
  CHECK(c.id == "PGS999999");
  CHECK(c.name == "TEST_SCORE");
  CHECK(c.version.empty());
  CHECK(c.meta_value("citation") == "Someone et al. (2020). doi:10.1000/x?a=1&b=2");
  CHECK(c.meta_value("trait_reported") == "Test trait");
  CHECK(c.sha256 == sha256_hex(author_file({"rs10\t1\t1000\tA\tG\t0.5\t"})));
  CHECK(p.name() == "TEST_SCORE");
}

TEST_CASE("author-reported rows: chr_name/chr_position in #genome_build, alleles, weight, eaf, additive model") {
  const Panel p = parse_pgs_catalog(author_file({"rs10\t1\t1000\tA\tG\t0.5\t0.25", "rs11\t23\t2000\tC\tT\t-0.125\t"}),
                                    "s.txt", {});
  REQUIRE(p.sites().size() == 2);
  const PanelSite& s = p.sites()[0];
  CHECK(s.id == "PGS999999:1");
  CHECK(s.rsid == "rs10");
  CHECK(s.gene.empty());
  CHECK_FALSE(s.curated);
  CHECK(s.scored());
  CHECK(s.line == 11);
  CHECK(s.in(Build::kGRCh37).placed());
  CHECK(s.in(Build::kGRCh37).contig == "1");
  CHECK(s.in(Build::kGRCh37).pos == 1000);
  CHECK(s.in(Build::kGRCh37).ref.empty());  // no reference here: which allele is REF is not known
  CHECK_FALSE(s.in(Build::kGRCh38).placed());
  CHECK(s.effect_allele == "A");
  CHECK(s.other_allele == "G");
  CHECK(s.weight == 0.5);
  CHECK(s.model == Model::kAdditive);
  REQUIRE(s.eaf);
  CHECK(*s.eaf == 0.25);
  CHECK(to_string(s.type()) == "snv");
  CHECK(p.sites()[1].in(Build::kGRCh37).contig == "X");  // the catalog's 23 is X
  CHECK_FALSE(p.sites()[1].eaf);
  CHECK(p.components().front().genome_build == "GRCh37");
  CHECK_FALSE(p.components().front().harmonised);
}

TEST_CASE("a harmonised file's hm_chr/hm_pos in #HmPOS_build win over the authors' positions") {
  std::string t = header("#HmPOS_build=GRCh38\n#HmPOS_date=2022-07-29\n") +
                  "rsID\tchr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\thm_source\thm_rsID\thm_chr\t"
                  "hm_pos\thm_inferOtherAllele\n"
                  "rs10\t1\t1000\tA\tG\t0.5\tENSEMBL\trs10\t1\t5000\t\n"
                  "rs11\t2\t2000\tC\tT\t0.25\tUnknown\t\t\t\tT\n";
  const Panel p = parse_pgs_catalog(t, "s.txt", {});
  const PanelComponent& c = p.components().front();
  CHECK(c.harmonised);
  CHECK(c.genome_build == "GRCh38");
  REQUIRE(p.sites().size() == 2);
  CHECK(p.sites()[0].in(Build::kGRCh38).pos == 5000);
  CHECK_FALSE(p.sites()[0].in(Build::kGRCh37).placed());
  // Harmonisation found no position: no coordinates, though the authors gave one (in another build).
  CHECK_FALSE(p.sites()[1].in(Build::kGRCh38).placed());
  CHECK_FALSE(p.sites()[1].in(Build::kGRCh37).placed());
  CHECK(p.placed(Build::kGRCh38).size() == 1);
}

TEST_CASE("rows without a position load with no coordinates in either build") {
  const Panel p = parse_pgs_catalog(author_file({"rs10\t\t\tA\tG\t0.5\t", "rs11\t2\t2000\tC\tT\t0.25\t"}), "s.txt", {});
  REQUIRE(p.sites().size() == 2);
  CHECK_FALSE(p.sites()[0].in(Build::kGRCh37).placed());
  CHECK_FALSE(p.sites()[0].in(Build::kGRCh38).placed());
  CHECK(p.sites()[0].scored());  // counted as unobserved (no_coordinates), never dropped
  CHECK(p.placed(Build::kGRCh37).size() == 1);
}

TEST_CASE("weights keep the text they are written with; the sums use the parsed double") {
  const Panel p = parse_pgs_catalog(author_file({"rs10\t1\t1000\tC\tT\t0.032643900000000003\t", "rs11\t1\t2000\tC\tT\t-1.5e-03\t"}),
                                    "s.txt", {});
  CHECK(p.sites()[0].weight_text == "0.032643900000000003");
  CHECK(p.sites()[0].weight == 0.032643900000000003);
  CHECK(p.sites()[1].weight_text == "-1.5e-03");
  CHECK(p.sites()[1].weight == -0.0015);
}

TEST_CASE("is_dominant and is_recessive give the model; both True is refused") {
  const std::string cols = "rsID\tchr_name\tchr_position\teffect_allele\tother_allele\teffect_weight\tis_dominant\tis_recessive\n";
  const Panel p = parse_pgs_catalog(header() + cols + "rs1\t1\t10\tA\tG\t1\tTrue\tFalse\nrs2\t1\t20\tA\tG\t1\tFalse\tTrue\n", "s.txt", {});
  CHECK(p.sites()[0].model == Model::kDominant);
  CHECK(p.sites()[1].model == Model::kRecessive);
  const std::string e = error_of(header() + cols + "rs1\t1\t10\tA\tG\t1\tTrue\tTrue\n");
  CHECK(e.rfind("s.txt:11:", 0) == 0);
  CHECK(e.find("both True") != std::string::npos);
}

TEST_CASE("a gzipped scoring file loads as the plain one, with the same identity") {
  const std::string text = author_file({"rs10\t1\t1000\tA\tG\t0.5\t", "rs11\t2\t2000\tC\tT\t0.25\t"});
  char tmpl[] = "/tmp/healcap_pgs_XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const std::string dir = tmpl, plain = dir + "/plain.txt", gz = dir + "/score.txt.gz";
  std::ofstream(plain, std::ios::binary) << text;
  gzFile f = gzopen(gz.c_str(), "wb");
  REQUIRE(f);
  REQUIRE(gzwrite(f, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
  REQUIRE(gzclose(f) == Z_OK);
  const Panel a = Panel::load(plain), b = Panel::load(gz);
  CHECK(a.components().front().kind == PanelKind::kPgsCatalog);
  CHECK(b.components().front().kind == PanelKind::kPgsCatalog);
  CHECK(a.sha256() == b.sha256());
  CHECK(b.sites().size() == 2);
  CHECK(b.origin() == gz);
  // Cut short: refused, not read as fewer rows.
  std::ifstream in(gz, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(gz, std::ios::binary) << bytes.substr(0, bytes.size() - 12);
  std::string e;
  try {
    Panel::load(gz);
  } catch (const PanelError& x) {
    e = x.what();
  }
  CHECK(e.find("truncated") != std::string::npos);
  std::remove(plain.c_str());
  std::remove(gz.c_str());
  CHECK(rmdir(dir.c_str()) == 0);
}

TEST_CASE("haplotype, diplotype, interaction, genotype-weight and non-ACGT rows are refused with FILE:LINE:COLUMN and the reason") {
  const struct {
    std::string row, where, what;
  } cases[] = {
      {full_row("A", "G", "True", "False", "False"), "s.txt:12:", "a haplotype row"},
      {full_row("A", "G", "False", "True", "False"), "s.txt:12:", "a diplotype row"},
      {full_row("A", "G", "False", "False", "True"), "s.txt:12:", "an interaction row"},
      {full_row("A", "G", "False", "False", "False", "0.3"), "s.txt:12:", "genotype-specific weight"},
      {full_row("*2", "", "False", "False", "False"), "s.txt:12:", "effect allele '*2' is not made of A, C, G and T"},
      {full_row("D", "I", "False", "False", "False"), "s.txt:12:", "effect allele 'D'"},
      {full_row("A", "-", "False", "False", "False"), "s.txt:12:", "other allele '-'"},
  };
  for (const auto& c : cases) {
    const std::string e = error_of(full_file({full_row("A", "G", "False", "False", "False"), c.row}));
    INFO("message: " << e);
    CHECK(e.rfind(c.where, 0) == 0);
    CHECK(e.find(c.what) != std::string::npos);
    CHECK(e.find("--pgs-skip-unsupported") != std::string::npos);
  }
  // The reason names the column: the haplotype row's error points at is_haplotype.
  const std::string e = error_of(full_file({full_row("A", "G", "True", "False", "False")}));
  CHECK(e.find(": is_haplotype: ") != std::string::npos);
}

TEST_CASE("with --pgs-skip-unsupported the unsupported rows are skipped and counted per reason; ids keep the file's row numbers") {
  const std::string text = full_file({full_row("A", "G", "False", "False", "False"), full_row("A", "G", "True", "False", "False"),
                                      full_row("A", "G", "True", "False", "False"), full_row("A", "G", "False", "False", "True"),
                                      full_row("HLA", "", "False", "False", "False"), full_row("C", "T", "False", "False", "False")});
  CHECK(error_of(text).rfind("s.txt:12:", 0) == 0);
  PanelLoadOptions opt;
  opt.pgs_skip_unsupported = true;
  const Panel p = parse_pgs_catalog(text, "s.txt", opt);
  const PanelComponent& c = p.components().front();
  REQUIRE(p.sites().size() == 2);
  CHECK(c.n_rows == 2);
  CHECK(c.n_file_rows == 6);
  CHECK(p.sites()[0].id == "PGS999999:1");
  CHECK(p.sites()[1].id == "PGS999999:6");
  REQUIRE(c.skipped.size() == 3);
  CHECK(c.skipped[0] == std::make_pair(std::string("haplotype"), size_t{2}));
  CHECK(c.skipped[1] == std::make_pair(std::string("interaction"), size_t{1}));
  CHECK(c.skipped[2] == std::make_pair(std::string("effect_allele_not_acgt"), size_t{1}));
  // Every row skipped: no score left, refused.
  CHECK(error_of(full_file({full_row("A", "G", "True", "False", "False")}), true).find("all were skipped") != std::string::npos);
}

TEST_CASE("bad files and fields are refused with FILE:LINE and what to do") {
  CHECK(error_of("#format_version=1.0\n#pgs_id=P\nrsID\teffect_allele\teffect_weight\nrs1\tA\t1\n").rfind("s.txt:1:1: format_version '1.0'", 0) == 0);
  CHECK(error_of("###PGS CATALOG SCORING FILE\n#pgs_id=P\nrsID\teffect_allele\teffect_weight\n").find("no '#format_version=' line") != std::string::npos);
  CHECK(error_of("#format_version=2.0\nrsID\teffect_allele\teffect_weight\n").find("no '#pgs_id=' value") != std::string::npos);
  CHECK(error_of(header() + "rsID\tchr_name\tchr_position\teffect_allele\n").find("missing column 'effect_weight'") != std::string::npos);
  CHECK(error_of(author_file({"rs10\t1\t1000\tA\tG\tabc\t"})).rfind("s.txt:11:", 0) == 0);
  CHECK(error_of(author_file({"rs10\t1\t1000\tA\tG\tinf\t"})).find("effect_weight: 'inf' is not a number") != std::string::npos);
  CHECK(error_of(author_file({"rs10\t1\t1000\tA\tG\t0.5\t1.5"})).find("allelefrequency_effect") != std::string::npos);
  CHECK(error_of(author_file({"rs10\t1\t10x\tA\tG\t0.5\t"})).find("bad position '10x'") != std::string::npos);
  CHECK(error_of(author_file({"rs10\t\t1000\tA\tG\t0.5\t"})).find("a position needs a chromosome") != std::string::npos);
  CHECK(error_of(author_file({"rs10\t1\t1000\tA\tA\t0.5\t"})).find("the other allele is the effect allele") != std::string::npos);
  CHECK(error_of(author_file({"rs10\t1\t1000\tA\tG\t0.5"})).find("expected 7 tab-separated fields, found 6") != std::string::npos);
  std::string nr = author_file({"rs10\t1\t1000\tA\tG\t0.5\t"});
  nr.replace(nr.find("#genome_build=GRCh37"), 20, "#genome_build=NR");
  CHECK(error_of(nr).find("the genome build is 'NR'") != std::string::npos);
  const std::string counted = header("#variants_number=3\n") + kColumns + "rs10\t1\t1000\tA\tG\t0.5\t\n";
  CHECK(error_of(counted).find("variants_number is 3 but the file has 1 variant rows") != std::string::npos);
}

TEST_CASE("PGS000314 (77 SNPs, GRCh37) loads whole: 7 palindromic rows, weights as published") {
  const std::string path = std::string(HEALCAP_SOURCE_DIR) + "/../shared/panel-sources/raw/PGS000314.txt";
  if (!std::ifstream(path)) {
    MESSAGE("skipped: " << path << " is missing");
    return;
  }
  const Panel p = Panel::load(path);
  REQUIRE(p.sites().size() == 77);
  CHECK(p.placed(Build::kGRCh37).size() == 77);
  int palindromic = 0;
  bool exact = false;
  for (const auto& s : p.sites()) {
    const std::string pair = s.effect_allele + s.other_allele;
    palindromic += pair == "AT" || pair == "TA" || pair == "CG" || pair == "GC";
    exact = exact || s.weight_text == "0.032643900000000003";
  }
  CHECK(palindromic == 7);
  CHECK(exact);
  CHECK(p.components().front().pgs_id == "PGS000314");
}

TEST_CASE("panels combined for one run keep each row's component, refuse a shared panel id or row id") {
  const Panel a = parse_pgs_catalog(author_file({"rs10\t1\t1000\tA\tG\t0.5\t"}), "a.txt", {});
  std::vector<Panel> parts = {Panel::bundled(), a};
  const Panel u = Panel::combine(std::move(parts));
  REQUIRE(u.components().size() == 2);
  CHECK(u.components()[0].id == "healcap_healing");
  CHECK(u.components()[1].id == "PGS999999");
  CHECK(u.components()[1].first_row == Panel::bundled().sites().size());
  CHECK(u.sites().size() == Panel::bundled().sites().size() + 1);
  CHECK(u.sites().back().component == 1);
  CHECK(u.sites().front().component == 0);
  CHECK(u.sha256() != Panel::bundled().sha256());
  CHECK(u.sites_at(Build::kGRCh37, "chr1", 1000) == std::vector<size_t>{u.sites().size() - 1});
  // One panel comes back as it is.
  std::vector<Panel> one = {a};
  CHECK(Panel::combine(std::move(one)).sha256() == a.sha256());
  std::vector<Panel> twice = {a, a};
  std::string e;
  try {
    Panel::combine(std::move(twice));
  } catch (const PanelError& x) {
    e = x.what();
  }
  CHECK(e.find("panel id 'PGS999999' is also the id of a.txt") != std::string::npos);
  // Same row id in two panels of different ids.
  std::string other = author_file({"rs10\t1\t1000\tA\tG\t0.5\t"});
  other.replace(other.find("#pgs_name=TEST_SCORE"), 20, "#pgs_name=OTHER_NAM");
  const Panel b = parse_pgs_catalog(other, "b.txt", {});
  std::string tsv = "##panel=PGS999999x\n##version=1\n";
  for (size_t i = 0; i < panel_columns().size(); ++i) tsv += (i ? "\t" : "") + panel_columns()[i];
  tsv += "\nPGS999999:1\trs1\tG\tother\tunspecified\t1\t5\tA\tG\t.\t.\t.\tG\t.\t0.1\tadditive\t.\treplicated\tx\tx\t.\n";
  std::vector<Panel> clash = {b, Panel::parse(tsv, "t.tsv")};
  e.clear();
  try {
    Panel::combine(std::move(clash));
  } catch (const PanelError& x) {
    e = x.what();
  }
  CHECK(e.rfind("t.tsv:4:1: id: row id 'PGS999999:1' is also in b.txt (line 11)", 0) == 0);
}
