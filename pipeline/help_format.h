// Command help in bcftools' layout: options grouped under headings, one option a line, defaults in brackets.
#pragma once

#include <boost/program_options/options_description.hpp>

#include <string>
#include <vector>

namespace healcap {

// Columns of the help text: descriptions start at most at kHelpMaxColumn and are wrapped at kHelpWidth.
constexpr size_t kHelpMaxColumn = 38;
constexpr size_t kHelpWidth = 100;

// One group of options under a heading ("Input options"): an options_description that keeps its caption (Boost
// has no accessor for it). Add it to the parser's description as any options_description.
class OptionGroup : public boost::program_options::options_description {
 public:
  explicit OptionGroup(const std::string& heading) : options_description(heading), heading_(heading) {}
  const std::string& heading() const { return heading_; }

 private:
  std::string heading_;
};

// Formats each group as "Heading:" and its options, one a line, as bcftools prints them:
//   "    -s, --samples LIST          description [default]"
//   "        --threads N             description [default]"
// A value name that begins with
// "[=" is attached to the option (-W, --write-index[=csi|tbi]). A default given to Boost (default_value) goes in
// brackets at the end of the description, unless the description already ends with a bracket that states it.
// Descriptions are aligned at one column for all groups and wrapped at kHelpWidth (continuation lines at the
// same column, as help2man reads them); an option name too long for the column has its description on the
// next line.
std::string format_option_groups(const std::vector<const OptionGroup*>& groups);

// A command's whole help: "Usage: " + usage, a blank line, the about text, a blank line, the groups.
std::string format_help(const std::string& usage, const std::string& about, const std::vector<const OptionGroup*>& groups);

// Wraps `text` at kHelpWidth, each line after the first indented by `indent` spaces; the first line is taken
// to start at column `first`. Words longer than a line are kept whole.
std::string wrap_text(const std::string& text, size_t first, size_t indent);

}  // namespace healcap
