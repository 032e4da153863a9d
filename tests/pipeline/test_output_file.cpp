// OutputFile publishes whole files only: nothing under the final name before close(), nothing after a failure.
#include <doctest/doctest.h>

#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "errors.h"
#include "output_file.h"

using healcap::DataError;
using healcap::OutputFile;

namespace {
std::string temp_dir() {
  char tmpl[] = "/tmp/healcap_test_XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}
bool exists(const std::string& p) { return access(p.c_str(), F_OK) == 0; }
std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("a plain output file appears only at close() and holds exactly what was written") {
  const std::string dir = temp_dir(), path = dir + "/out.txt";
  {
    OutputFile out(path, OutputFile::Compression::kNone);
    out.write("line one\n");
    out.write("line two\n");
    CHECK_FALSE(exists(path));
    out.close();
  }
  CHECK(slurp(path) == "line one\nline two\n");
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("an output file abandoned before close() leaves no file and no temporary behind") {
  const std::string dir = temp_dir(), path = dir + "/out.txt";
  {
    OutputFile out(path, OutputFile::Compression::kNone);
    out.write("partial");
  }
  CHECK_FALSE(exists(path));
  CHECK(rmdir(dir.c_str()) == 0);  // fails if a temporary file were left in the directory
}

TEST_CASE("a bgzip output file decompresses to what was written") {
  const std::string dir = temp_dir(), path = dir + "/out.vcf.gz";
  CHECK(healcap::compression_for(path) == OutputFile::Compression::kBgzf);
  CHECK(healcap::compression_for(dir + "/out.vcf") == OutputFile::Compression::kNone);
  OutputFile out(path, OutputFile::Compression::kBgzf);
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "chr1\t" + std::to_string(i) + "\n";
  out.write(text);
  out.close();
  gzFile gz = gzopen(path.c_str(), "rb");
  REQUIRE(gz != nullptr);
  std::string back;
  char buf[65536];
  int n;
  while ((n = gzread(gz, buf, sizeof buf)) > 0) back.append(buf, static_cast<size_t>(n));
  gzclose(gz);
  CHECK(back == text);
  std::remove(path.c_str());
  rmdir(dir.c_str());
}

TEST_CASE("an output file in a missing directory is a DataError naming the path") {
  try {
    OutputFile out("/nonexistent_dir/out.txt", OutputFile::Compression::kNone);
    FAIL("expected DataError");
  } catch (const DataError& e) {
    CHECK(std::string(e.what()).rfind("/nonexistent_dir/out.txt: cannot create output file", 0) == 0);
  }
}
