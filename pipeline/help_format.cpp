// The help layout (bcftools'): Boost.Program_options parses, healcap prints the options itself.
#include "help_format.h"

#include <boost/program_options/cmdline.hpp>
#include <boost/program_options/value_semantic.hpp>

#include <algorithm>
#include <sstream>

namespace po = boost::program_options;

namespace healcap {

namespace {

struct Line {
  std::string name;  // "    -s, --samples LIST"
  std::string text;  // the description, with its default
};

// Boost gives the value's name and its default as one string, "LIST (=replicated,suggestive)".
void split_value(const po::option_description& o, std::string& value, std::string& dflt) {
  const auto& sem = o.semantic();
  if (!sem || sem->max_tokens() == 0) return;
  value = sem->name();
  const size_t at = value.rfind(" (=");
  if (at != std::string::npos && value.back() == ')') {
    dflt = value.substr(at + 3, value.size() - at - 4);
    value.resize(at);
  }
}

Line line_for(const po::option_description& o) {
  Line l;
  const std::string shown = o.canonical_display_name(po::command_line_style::allow_dash_for_short);
  const bool has_short = shown.size() == 2 && shown[0] == '-' && shown[1] != '-';
  l.name = has_short ? "    " + shown + ", " : std::string(8, ' ');
  l.name += "--" + o.long_name();
  std::string value, dflt;
  split_value(o, value, dflt);
  if (!value.empty()) l.name += (value.rfind("[=", 0) == 0 ? "" : " ") + value;
  l.text = o.description();
  if (!dflt.empty() && (l.text.empty() || l.text.back() != ']')) l.text += " [" + dflt + "]";
  return l;
}

}  // namespace

std::string wrap_text(const std::string& text, size_t first, size_t indent) {
  std::istringstream words(text);
  std::string out, word;
  size_t col = first;
  bool line_empty = true;
  while (words >> word) {
    if (!line_empty && col + 1 + word.size() > kHelpWidth) {
      out += "\n" + std::string(indent, ' ');
      col = indent;
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    line_empty = false;
  }
  return out;
}

std::string format_option_groups(const std::vector<const OptionGroup*>& groups) {
  std::vector<std::vector<Line>> lines;
  size_t column = 0;
  for (const auto* g : groups) {
    lines.emplace_back();
    for (const auto& o : g->options()) {
      lines.back().push_back(line_for(*o));
      column = std::max(column, lines.back().back().name.size() + 2);
    }
  }
  column = std::min(column, kHelpMaxColumn);
  std::string out;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (lines[i].empty()) continue;
    if (!out.empty()) out += "\n";
    out += groups[i]->heading() + ":\n";
    for (const Line& l : lines[i]) {
      out += l.name;
      if (l.name.size() + 2 > column) out += "\n" + std::string(column, ' ');
      else out += std::string(column - l.name.size(), ' ');
      out += wrap_text(l.text, column, column) + "\n";
    }
  }
  return out;
}

std::string format_help(const std::string& usage, const std::string& about, const std::vector<const OptionGroup*>& groups) {
  std::string out = "Usage: " + usage + "\n\n";
  if (!about.empty()) out += about + (about.back() == '\n' ? "" : "\n") + "\n";
  return out + format_option_groups(groups);
}

}  // namespace healcap
