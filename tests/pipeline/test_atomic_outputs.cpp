// OutputSet publishes a run's files together: none before publish(), all after it, none after any failure.
#include <doctest/doctest.h>

#include <htslib/hts.h>
#include <htslib/vcf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "atomic_outputs.h"
#include "errors.h"
#include "output_file.h"
#include "vcf_output.h"

using healcap::DataError;
using healcap::IndexKind;
using healcap::OutputFile;
using healcap::OutputSet;
using healcap::VcfOutput;

namespace {
std::string temp_dir() {
  char tmpl[] = "/tmp/healcap_test_XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}
bool exists(const std::string& p) { return access(p.c_str(), F_OK) == 0; }
bool is_dir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
void spit(const std::string& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

// Writes a one-contig, one-record, sites-only VCF/BCF through `out`.
void write_small_vcf(VcfOutput& out) {
  bcf_hdr_t* hdr = bcf_hdr_init("w");
  REQUIRE(hdr != nullptr);
  REQUIRE(bcf_hdr_append(hdr, "##contig=<ID=chr1,length=100000>") == 0);
  REQUIRE(bcf_hdr_sync(hdr) == 0);
  bcf1_t* rec = bcf_init();
  rec->rid = 0;
  rec->pos = 999;
  REQUIRE(bcf_update_alleles_str(hdr, rec, "A,G") == 0);
  out.write_header(hdr);
  out.write(hdr, rec);
  bcf_destroy(rec);
  bcf_hdr_destroy(hdr);
}
// Returns true when `index` loads as an index of `path`.
bool index_loads(const std::string& path, const std::string& index) {
  hts_idx_t* idx = hts_idx_load2(path.c_str(), index.c_str());
  if (!idx) return false;
  hts_idx_destroy(idx);
  return true;
}
}  // namespace

TEST_CASE("a set publishes every file under its final name only at publish(), each holding what was written") {
  const std::string dir = temp_dir(), a = dir + "/a.txt", b = dir + "/b.txt";
  {
    OutputSet set;
    const std::string ta = set.add(a), tb = set.add(b);
    CHECK(ta == a + ".tmp." + std::to_string(getpid()));
    CHECK(ta == healcap::temporary_path(a));
    CHECK(tb == healcap::temporary_path(b));
    spit(ta, "first\n");
    spit(tb, "second\n");
    CHECK_FALSE(exists(a));
    CHECK_FALSE(exists(b));
    CHECK_FALSE(set.published());
    set.publish();
    CHECK(set.published());
    CHECK_FALSE(exists(ta));
    CHECK_FALSE(exists(tb));
  }
  CHECK(slurp(a) == "first\n");  // the set's destructor leaves published files alone
  CHECK(slurp(b) == "second\n");
  std::remove(a.c_str());
  std::remove(b.c_str());
  CHECK(rmdir(dir.c_str()) == 0);
}

TEST_CASE("a set destroyed before publish() leaves neither its files nor their temporaries") {
  const std::string dir = temp_dir();
  {
    OutputSet set;
    spit(set.add(dir + "/a.txt"), "first\n");
    spit(set.add(dir + "/b.txt"), "second\n");
    set.discard();
    set.discard();  // twice is harmless
    spit(set.add(dir + "/c.txt"), "third\n");
  }
  CHECK(rmdir(dir.c_str()) == 0);  // fails if anything were left in the directory
}

TEST_CASE("a rename failing part-way leaves none of the set's files, not even those already renamed") {
  const std::string dir = temp_dir(), a = dir + "/a.txt", b = dir + "/b.txt", c = dir + "/c.txt";
  REQUIRE(mkdir(b.c_str(), 0700) == 0);  // a directory where the second file should go: its rename fails
  {
    OutputSet set;
    spit(set.add(a), "first\n");
    spit(set.add(b), "second\n");
    spit(set.add(c), "third\n");
    try {
      set.publish();
      FAIL("expected DataError");
    } catch (const DataError& e) {
      CHECK(std::string(e.what()).rfind(b + ": cannot move output into place", 0) == 0);
    }
    CHECK_FALSE(set.published());
    CHECK_FALSE(exists(a));  // renamed before the failure, then taken back
    CHECK_FALSE(exists(c));
    CHECK_FALSE(exists(healcap::temporary_path(b)));  // publish() itself removed the temporaries left
    CHECK_FALSE(exists(healcap::temporary_path(c)));
  }
  CHECK(is_dir(b));  // what was there before the run is not the set's to remove
  CHECK(rmdir(b.c_str()) == 0);
  CHECK(rmdir(dir.c_str()) == 0);  // and no temporary is left
}

TEST_CASE("a set rejects the same path added twice and passes standard output through") {
  const std::string dir = temp_dir(), a = dir + "/a.txt";
  OutputSet set;
  spit(set.add(a), "first\n");
  try {
    set.add(a);
    FAIL("expected DataError");
  } catch (const DataError& e) {
    CHECK(std::string(e.what()).rfind(a + ": ", 0) == 0);
  }
  CHECK(set.add("-") == "-");
  CHECK(set.add("-") == "-");  // standard output is never renamed, so never a clash
  set.publish();
  CHECK(slurp(a) == "first\n");
  CHECK_FALSE(exists(dir + "/-"));
  std::remove(a.c_str());
  CHECK(rmdir(dir.c_str()) == 0);
}

TEST_CASE("an OutputFile and an indexed VcfOutput in a set appear only at the set's publish(), index included") {
  for (const char type : {'z', 'b'}) {
    CAPTURE(type);
    const std::string dir = temp_dir(), txt = dir + "/out.txt";
    const std::string vcf = dir + (type == 'z' ? "/out.vcf.gz" : "/out.bcf"), csi = vcf + ".csi";
    OutputSet set;
    OutputFile f(txt, OutputFile::Compression::kNone, &set);
    f.write("text\n");
    f.close();
    VcfOutput v(vcf, type, IndexKind::kCsi, nullptr, &set);
    write_small_vcf(v);
    v.close();
    CHECK_FALSE(exists(txt));
    CHECK_FALSE(exists(vcf));
    CHECK_FALSE(exists(csi));
    CHECK(exists(healcap::temporary_path(csi)));  // built at close(), published with the rest
    set.publish();
    CHECK(slurp(txt) == "text\n");
    CHECK(exists(vcf));
    CHECK(index_loads(vcf, csi));
    std::remove(txt.c_str());
    std::remove(vcf.c_str());
    std::remove(csi.c_str());
    CHECK(rmdir(dir.c_str()) == 0);
  }
}

TEST_CASE("a VcfOutput whose index cannot be moved into place takes its file and the set's others back") {
  const std::string dir = temp_dir(), txt = dir + "/out.txt", vcf = dir + "/out.vcf.gz", tbi = vcf + ".tbi";
  REQUIRE(mkdir(tbi.c_str(), 0700) == 0);
  {
    OutputSet set;
    OutputFile f(txt, OutputFile::Compression::kNone, &set);
    f.write("text\n");
    f.close();
    VcfOutput v(vcf, 'z', IndexKind::kTbi, nullptr, &set);
    write_small_vcf(v);
    v.close();
    CHECK_THROWS_AS(set.publish(), DataError);
    CHECK_FALSE(exists(txt));
    CHECK_FALSE(exists(vcf));
  }
  CHECK(rmdir(tbi.c_str()) == 0);
  CHECK(rmdir(dir.c_str()) == 0);
}

TEST_CASE("a standalone indexed VcfOutput appears with its index at close(), and not before") {
  const std::string dir = temp_dir(), vcf = dir + "/out.vcf.gz", tbi = vcf + ".tbi";
  {
    VcfOutput v(vcf, 'z', IndexKind::kTbi, nullptr);
    write_small_vcf(v);
    CHECK_FALSE(exists(vcf));
    v.close();
    CHECK(exists(vcf));
    CHECK(index_loads(vcf, tbi));
  }
  CHECK(exists(vcf));  // the destructor after close() leaves the published files
  std::remove(vcf.c_str());
  std::remove(tbi.c_str());
  CHECK(rmdir(dir.c_str()) == 0);
}

TEST_CASE("an output of a set destroyed before close() makes the set's publish() fail and leave nothing") {
  const std::string dir = temp_dir(), a = dir + "/a.txt", b = dir + "/b.txt";
  {
    OutputSet set;
    OutputFile fa(a, OutputFile::Compression::kNone, &set);
    fa.write("whole\n");
    fa.close();
    {
      OutputFile fb(b, OutputFile::Compression::kNone, &set);
      fb.write("partial");  // abandoned: never closed
    }
    CHECK_THROWS_AS(set.publish(), DataError);
    CHECK_FALSE(exists(a));
    CHECK_FALSE(exists(b));
  }
  CHECK(rmdir(dir.c_str()) == 0);
}

TEST_CASE("an OutputFile added to a set that already holds its path is a DataError") {
  const std::string dir = temp_dir(), a = dir + "/a.txt";
  {
    OutputSet set;
    OutputFile fa(a, OutputFile::Compression::kNone, &set);
    CHECK_THROWS_AS(VcfOutput(a, 'v', IndexKind::kNone, nullptr, &set), DataError);
    CHECK_THROWS_AS(OutputFile(a, OutputFile::Compression::kNone, &set), DataError);
  }
  CHECK(rmdir(dir.c_str()) == 0);
}
