// Which lines annotate's verbatim path parses although they hit no panel row: exactly those whose copy could
// differ from what htslib writes or would change the header (VerbatimLines::must_parse).
#include <doctest/doctest.h>

#include <htslib/vcf.h>

#include <string>

#include "verbatim_vcf.h"

using namespace healcap;

namespace {

bcf_hdr_t* header(const char* samples) {
  const std::string text = std::string(
                               "##fileformat=VCFv4.2\n"
                               "##contig=<ID=chr1,length=248956422>\n##contig=<ID=chr2,length=242193529>\n"
                               "##FILTER=<ID=q10,Description=\"low\">\n"
                               "##INFO=<ID=AC,Number=A,Type=Integer,Description=\"count\">\n"
                               "##INFO=<ID=DB,Number=0,Type=Flag,Description=\"dbSNP\">\n"
                               "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                               "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n"
                               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO") +
                           samples + "\n";
  bcf_hdr_t* h = bcf_hdr_init("r");
  REQUIRE(bcf_hdr_parse(h, const_cast<char*>(text.c_str())) == 0);
  return h;
}

bool must(VerbatimLines& v, const std::string& line) { return v.must_parse(line.data(), line.size()); }

}  // namespace

TEST_CASE("verbatim lines: a well-formed line is copied; what htslib would change or learn is parsed") {
  bcf_hdr_t* h = header("\tFORMAT\tS1\tS2");
  VerbatimLines v(h);
  CHECK_FALSE(must(v, "chr1\t100\t.\tA\tG\t50\tPASS\tAC=1;DB\tGT:DP\t0/1:3\t0/0:."));
  CHECK_FALSE(must(v, "chr1\t101\trs1\tA\tG\t.\t.\t.\tGT\t0/1\t0/0"));
  CHECK_FALSE(must(v, "chr2\t5\t.\tA\tG\t.\tq10;PASS\tDB;AC=2\tDP:GT\t3:0/1\t.:0/0"));
  // The sample columns: one short, one over, a FORMAT column without samples.
  CHECK(must(v, "chr1\t102\t.\tA\tG\t.\tPASS\t.\tGT\t0/1"));
  CHECK(must(v, "chr1\t102\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0\t1/1"));
  CHECK(must(v, "chr1\t102\t.\tA\tG\t.\tPASS\t."));
  // Ids the header does not define: contig, FILTER, INFO key (also after lines that cached the others), FORMAT.
  CHECK(must(v, "chr3\t1\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0"));
  CHECK(must(v, "chr1\t103\t.\tA\tG\t.\tq20\t.\tGT\t0/1\t0/0"));
  CHECK(must(v, "chr1\t103\t.\tA\tG\t.\tPASS\tAC=1;XX=2\tGT\t0/1\t0/0"));
  CHECK(must(v, "chr1\t103\t.\tA\tG\t.\tPASS\tDP=1\tGT\t0/1\t0/0"));  // DP is a FORMAT id, not an INFO one
  CHECK(must(v, "chr1\t103\t.\tA\tG\t.\tPASS\tAC=1;;DB\tGT\t0/1\t0/0"));  // an empty INFO key
  CHECK(must(v, "chr1\t103\t.\tA\tG\t.\tPASS\t.\tGT:GQ\t0/1:3\t0/0:4"));
  CHECK(must(v, "chr1\t103\t.\tA\tG\t.\tPASS;\t.\tGT\t0/1\t0/0"));  // an empty FILTER id
  // A NUL byte anywhere, even in a long line (the 16-byte loop and its tail).
  std::string nul = "chr1\t104\t.\tA\tG\t.\tPASS\t.\tGT\t0/1\t0/0";
  nul += std::string(1000, 'x');
  nul[nul.size() - 3] = '\0';
  CHECK(must(v, nul));
  nul[nul.size() - 3] = 'x';
  nul[20] = '\0';
  CHECK(must(v, nul));
  bcf_hdr_destroy(h);
}

TEST_CASE("verbatim lines: a sites-only header takes 8 columns; many samples are counted exactly") {
  bcf_hdr_t* h = header("");
  VerbatimLines v(h);
  CHECK_FALSE(must(v, "chr1\t100\t.\tA\tG\t50\tPASS\tAC=1"));
  CHECK(must(v, "chr1\t100\t.\tA\tG\t50\tPASS\tAC=1\tGT"));
  bcf_hdr_destroy(h);
  std::string samples = "\tFORMAT";
  std::string calls;
  for (int i = 0; i < 1000; ++i) {
    samples += "\tS" + std::to_string(i);
    calls += "\t0|1";
  }
  h = header(samples.c_str());
  VerbatimLines w(h);
  CHECK_FALSE(must(w, "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT" + calls));
  CHECK(must(w, "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT" + calls.substr(4)));
  CHECK(must(w, "chr1\t100\t.\tA\tG\t.\tPASS\t.\tGT" + calls + "\t0|0"));
  bcf_hdr_destroy(h);
}
