// The help layout: bcftools' option lines, defaults in brackets, descriptions aligned and wrapped by healcap.
#include <doctest/doctest.h>

#include <boost/program_options.hpp>

#include <sstream>
#include <string>

#include "help_format.h"

namespace po = boost::program_options;
using namespace healcap;

TEST_CASE("options are printed one a line under their group's heading, short names first, defaults in brackets") {
  OptionGroup input("Input options"), general("General options");
  input.add_options()("samples,s", po::value<std::string>()->value_name("[^]LIST"), "samples to keep")(
      "build", po::value<std::string>()->value_name("auto|GRCh37")->default_value("auto"), "genome build")(
      "dosage", po::value<std::string>()->value_name("X")->default_value("auto"), "dosage [auto: HDS, then GT]")(
      "write-index,W", po::value<std::string>()->value_name("[=csi|tbi]"), "index the output [off]")(
      "stream", "read every record");
  general.add_options()("help,h", "print this help and exit");
  CHECK(format_option_groups({&input, &general}) ==
        "Input options:\n"
        "    -s, --samples [^]LIST        samples to keep\n"
        "        --build auto|GRCh37      genome build [auto]\n"
        "        --dosage X               dosage [auto: HDS, then GT]\n"
        "    -W, --write-index[=csi|tbi]  index the output [off]\n"
        "        --stream                 read every record\n"
        "\n"
        "General options:\n"
        "    -h, --help                   print this help and exit\n");
}

TEST_CASE("a long description is wrapped at the help's width, its lines at the description column") {
  OptionGroup g("Options");
  std::string words;
  for (int i = 0; i < 40; ++i) words += "word" + std::to_string(i) + " ";
  g.add_options()("panel", po::value<std::string>()->value_name("FILE"), words.c_str());
  const std::string text = format_option_groups({&g});
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  CHECK(line == "Options:");
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    CHECK(line.size() <= kHelpWidth);
    if (n == 1) CHECK(line.rfind("        --panel FILE  word0 ", 0) == 0);
    else CHECK(line.rfind(std::string(22, ' ') + "word", 0) == 0);
  }
  CHECK(n > 2);
}

TEST_CASE("an option name longer than the widest column puts its description on the next line") {
  OptionGroup g("Options");
  g.add_options()("a-very-long-option-name-indeed", po::value<std::string>()->value_name("SOME|LONG|VALUE|LIST"), "what it does")(
      "x", "short one");
  CHECK(format_option_groups({&g}) == "Options:\n"
                                      "        --a-very-long-option-name-indeed SOME|LONG|VALUE|LIST\n" +
                                          std::string(kHelpMaxColumn, ' ') + "what it does\n" +
                                          "        --x" + std::string(kHelpMaxColumn - 11, ' ') + "short one\n");
}
