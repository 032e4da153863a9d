// `healcap report`: a run's JSON (PREFIX.json of scan or merge) into PREFIX.html, the self-contained report page.
#include <boost/program_options.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <vector>

#include "atomic_outputs.h"
#include "commands.h"
#include "errors.h"
#include "help_format.h"
#include "json_reader.h"
#include "output_file.h"
#include "report_html.h"
#include "report_model.h"

namespace po = boost::program_options;

namespace healcap {

namespace {

struct ReportConfig {
  std::string json_path, out_prefix;
};

// Throws UsageError naming the option; returns false after printing the help.
bool parse_report_args(const std::vector<std::string>& args, ReportConfig& cfg) {
  OptionGroup outputs("Output options"), general("General options");
  outputs.add_options()("out", po::value<std::string>()->value_name("PREFIX"), "write PREFIX.html (required)");
  general.add_options()("help,h", "print this help and exit");
  const std::vector<const OptionGroup*> groups = {&outputs, &general};
  po::options_description all;
  for (const auto* g : groups) all.add(*g);
  all.add_options()("json", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("json", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("healcap report: ") + e.what() + "; see 'healcap report --help'");
  }
  if (vm.count("help")) {
    std::cout << format_help("healcap report --out PREFIX <RUN.json|->",
                             "Render a run's JSON (PREFIX.json of healcap scan or merge) as PREFIX.html: one self-contained page\n"
                             "(inline CSS, SVG and script; it loads nothing from the network) with the run, the cohort, a card per\n"
                             "sample, the site ledger and the method. 'scan --html' and 'merge --html' write the same page.\n"
                             "Research use only: the scores are not a diagnosis.",
                             groups);
    return false;
  }
  const auto fail = [](const std::string& m) -> void { throw UsageError("healcap report: " + m + "; see 'healcap report --help'"); };
  if (!vm.count("json")) fail("missing the run's JSON file (PREFIX.json of healcap scan or merge, or - for standard input)");
  const auto& files = vm["json"].as<std::vector<std::string>>();
  if (files.size() > 1) fail("one JSON file at a time; got '" + files[1] + "' as well");
  if (!vm.count("out")) fail("--out PREFIX is required");
  cfg.json_path = files[0];
  cfg.out_prefix = vm["out"].as<std::string>();
  if (cfg.out_prefix.empty()) fail("--out PREFIX is empty");
  return true;
}

std::string read_whole(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  std::ifstream f(path, std::ios::binary);
  if (!f) throw DataError(path + ": cannot open: " + std::strerror(errno));
  std::string text;
  std::vector<char> buf(1 << 20);
  while (f.read(buf.data(), static_cast<std::streamsize>(buf.size())) || f.gcount() > 0)
    text.append(buf.data(), static_cast<size_t>(f.gcount()));
  if (f.bad()) throw DataError(path + ": read error: " + std::strerror(errno));
  return text;
}

}  // namespace

int run_report_command(const Invocation& inv) {
  ReportConfig cfg;
  if (!parse_report_args(inv.args, cfg)) return 0;
  check_output_folder(cfg.out_prefix, "--out");
  const std::string origin = cfg.json_path == "-" ? "<stdin>" : cfg.json_path;
  RunReport run;
  {
    // The text is dropped once parsed, the tree once read: a cohort's document is large.
    const JsonDocument doc = JsonDocument::parse(read_whole(cfg.json_path), origin);
    run = read_run_report(doc.root());
  }
  OutputFile out(cfg.out_prefix + ".html", OutputFile::Compression::kNone);
  out.write(render_report_html(run));
  out.close();
  std::fprintf(stderr, "healcap report: %s: %zu samples, %zu panel rows, %s %s; wrote %s\n", origin.c_str(),
               run.samples.size(), run.sites.size(), run.panels.size() == 1 ? "panel" : "panels",
               report_panels_title(run).c_str(), out.path().c_str());
  return 0;
}

}  // namespace healcap
