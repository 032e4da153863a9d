// Panel exports: the TSV round-trips through the loader; BED and VCF hold each placed site once, in order.
#include <doctest/doctest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "panel.h"
#include "panel_export.h"

using namespace healcap;

namespace {
std::vector<std::string> body_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream ss(text);
  std::string line;
  while (std::getline(ss, line))
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}
std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream ss(line);
  std::string f;
  while (std::getline(ss, f, '\t')) out.push_back(f);
  return out;
}
}  // namespace

TEST_CASE("a TSV export loads back as a panel holding exactly the rows placed in that build, unchanged") {
  const Panel& p = Panel::bundled();
  for (Build b : {Build::kGRCh37, Build::kGRCh38}) {
    const Panel q = Panel::parse(export_tsv(p, b), "export.tsv");
    REQUIRE(q.sites().size() == p.placed(b).size());
    CHECK(q.name() == p.name());
    CHECK(q.version() == p.version());
    for (size_t k = 0; k < q.sites().size(); ++k) {
      const PanelSite& orig = p.sites()[p.placed(b)[k]];
      CHECK(q.sites()[k].fields == orig.fields);
      CHECK(q.sites()[k].weight == orig.weight);
    }
    // Exporting the export changes nothing but the provenance line.
    const Panel r = Panel::parse(export_tsv(q, b), "export2.tsv");
    CHECK(body_lines(export_tsv(r, b)) == body_lines(export_tsv(q, b)));
  }
}

TEST_CASE("a BED export has one 0-based interval per placed row, spanning the REF allele") {
  const Panel& p = Panel::bundled();
  const auto lines = body_lines(export_bed(p, Build::kGRCh38, ContigStyle::kAuto));
  REQUIRE(lines.size() == p.placed(Build::kGRCh38).size());
  bool saw_snv = false, saw_indel = false;
  for (const auto& l : lines) {
    const auto f = fields(l);
    REQUIRE(f.size() == 6);
    CHECK(f[0].rfind("chr", 0) == 0);
    if (f[3] == "rs1800012_bone") {
      CHECK(f[0] == "chr17");
      CHECK(f[1] == "50200387");
      CHECK(f[2] == "50200388");
      saw_snv = true;
    }
    if (f[3] == "rs3834129_tendon_ligament") {  // REF TAGTAAG at 201232808
      CHECK(f[1] == "201232807");
      CHECK(f[2] == "201232814");
      saw_indel = true;
    }
  }
  CHECK(saw_snv);
  CHECK(saw_indel);
}

TEST_CASE("a VCF export has one record per distinct site, the panel rows in INFO, and is sorted") {
  const Panel& p = Panel::bundled();
  const std::string vcf = export_vcf(p, Build::kGRCh38, ContigStyle::kAuto, "healcap panel export --build GRCh38");
  CHECK(vcf.rfind("##fileformat=VCFv4.2\n", 0) == 0);
  CHECK(vcf.find("##healcapPanel=<Name=healcap-healing,Version=" + p.version() + ",SHA256=" + p.sha256() + ">") != std::string::npos);
  CHECK(vcf.find("##healcapCommand=healcap panel export --build GRCh38") != std::string::npos);
  const auto lines = body_lines(vcf);
  std::set<std::string> loci;
  for (size_t i : p.placed(Build::kGRCh38)) {
    const auto& l = p.sites()[i].in(Build::kGRCh38);
    std::string alts;
    for (const auto& a : l.alts) alts += a + ",";
    loci.insert(l.contig + ":" + std::to_string(l.pos) + ":" + l.ref + ":" + alts);
  }
  CHECK(lines.size() == loci.size());
  CHECK(lines.size() < p.placed(Build::kGRCh38).size());  // rs1800012 and rs1800629 carry two traits each
  bool found = false;
  for (const auto& l : lines) {
    const auto f = fields(l);
    REQUIRE(f.size() == 8);
    if (f[2] == "rs1800012") {
      CHECK(f[0] == "chr17");
      CHECK(f[1] == "50200388");
      CHECK(f[3] == "C");
      CHECK(f[4] == "A");
      CHECK(f[7].find("HC_ID=rs1800012_tendon_ligament,rs1800012_bone;") == 0);
      CHECK(f[7].find("HC_EA=C,A;") != std::string::npos);
      found = true;
    }
    if (f[2] == "rs1799752") {  // ACE Alu insertion: REF unknown, symbolic ALT
      CHECK(f[3] == "N");
      CHECK(f[4] == "<INS:ME:ALU>");
      CHECK(f[7].find("HC_REF_UNVERIFIED") != std::string::npos);
    }
  }
  CHECK(found);
  CHECK(vcf.find("##ALT=<ID=INS:ME:ALU,") != std::string::npos);
}

TEST_CASE("a GRCh37 VCF export uses plain contig names and the GRCh37 reference alleles") {
  const std::string vcf = export_vcf(Panel::bundled(), Build::kGRCh37, ContigStyle::kAuto, "x");
  CHECK(vcf.find("\n20\t34025983\trs143383\tA\tG\t") != std::string::npos);
  CHECK(vcf.find("\n11\t66328095\trs1815739\tT\tC\t") != std::string::npos);
  CHECK(vcf.find("\nchr") == std::string::npos);
  CHECK(vcf.find("##reference=GRCh37") != std::string::npos);
}

TEST_CASE("contig styles write chr-prefixed or plain names, chrM for MT, and leave other contigs alone") {
  CHECK(styled_contig("17", Build::kGRCh38, ContigStyle::kAuto) == "chr17");
  CHECK(styled_contig("17", Build::kGRCh37, ContigStyle::kAuto) == "17");
  CHECK(styled_contig("17", Build::kGRCh37, ContigStyle::kChr) == "chr17");
  CHECK(styled_contig("17", Build::kGRCh38, ContigStyle::kPlain) == "17");
  CHECK(styled_contig("MT", Build::kGRCh38, ContigStyle::kChr) == "chrM");
  CHECK(styled_contig("GL000192.1", Build::kGRCh38, ContigStyle::kChr) == "GL000192.1");
}
