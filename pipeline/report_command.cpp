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
#include "biomarker_layer.h"
#include "biomarker_report.h"
#include "commands.h"
#include "errors.h"
#include "help_format.h"
#include "json_reader.h"
#include "output_file.h"
#include "report_html.h"
#include "report_model.h"
#include "scan_steps.h"

namespace po = boost::program_options;

namespace healcap {

namespace {

struct ReportConfig {
  std::string json_path, out_prefix;
  std::string calls_path;  // --calls FILE: the run's per-sample calls [beside the JSON, as its run.calls_file names]
  bool no_calls = false;   // --no-calls: the cards without genotypes
  BiomarkerConfig biomarkers;  // --biomarkers: the layer for the run's samples, put into its JSON before rendering
};

// Throws UsageError naming the option; returns false after printing the help.
bool parse_report_args(const std::vector<std::string>& args, ReportConfig& cfg) {
  OptionGroup biomarkers("Biomarker options"), outputs("Output options"), general("General options");
  add_biomarker_options(biomarkers);
  OptionGroup calls("Calls options");
  calls.add_options()("calls", po::value<std::string>()->value_name("FILE"),
                      "the run's per-sample calls for the cards' genotypes [the PREFIX.calls.tsv.gz the JSON names, "
                      "beside it]")("no-calls", "draw the cards without genotypes (no calls file is read)");
  outputs.add_options()("out", po::value<std::string>()->value_name("PREFIX"), "write PREFIX.html (required)");
  general.add_options()("help,h", "print this help and exit");
  const std::vector<const OptionGroup*> groups = {&calls, &biomarkers, &outputs, &general};
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
                             "sample, the site ledger and the method. The cards' genotypes come from the run's\n"
                             "PREFIX.calls.tsv.gz. 'scan --html' and 'merge --html' write the same page.\n"
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
  cfg.biomarkers = read_biomarker_options(vm, "report");
  if (vm.count("calls")) cfg.calls_path = vm["calls"].as<std::string>();
  cfg.no_calls = vm.count("no-calls") > 0;
  if (cfg.no_calls && vm.count("calls")) fail("--calls and --no-calls cannot be combined");
  if (vm.count("calls") && cfg.calls_path.empty()) fail("--calls needs a file");
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

// The run's JSON text with `member` ("biomarkers":{...}) as its root object's last member: in place of the one it
// has (healcap writes it last), else added.
std::string with_biomarkers(const std::string& text, const JsonDocument& doc, const std::string& member, bool& replaced) {
  const JsonValue root = doc.root();
  const size_t close = text.find_last_of('}');
  size_t cut = close;
  replaced = false;
  if (const auto old = root.find("biomarkers")) {
    if (root.key(root.size() - 1) != "biomarkers")
      throw DataError(doc.origin() + ": its \"biomarkers\" member is not the document's last, as healcap writes it; "
                      "use a run's JSON as scan or merge wrote it");
    size_t at = 0;
    for (uint32_t line = 1; line < old->line(); ++line) at = text.find('\n', at) + 1;
    at += old->column() - 1;
    const size_t key = text.rfind("\"biomarkers\"", at);
    cut = key == std::string::npos ? std::string::npos : text.find_last_not_of(" \t\r\n", key - 1);
    if (cut == std::string::npos || text[cut] != ',')
      throw DataError(doc.origin() + ": cannot find where its \"biomarkers\" member starts");
    replaced = true;
  } else {
    cut = text.find_last_not_of(" \t\r\n", close - 1) + 1;
  }
  return text.substr(0, cut) + ",\n" + member + "\n}\n";
}

// The cards' genotypes: from the JSON (a run written before the calls file), else from the calls file (--calls FILE,
// or the one the JSON names, beside it) when the page has room for them; else the page says why they are left out.
void load_calls(const ReportConfig& cfg, RunReport& run) {
  if (run.calls_loaded) return;
  if (report_call_count(run) > kReportMaxGenotypeChars) return;  // the page leaves them out anyway
  if (cfg.no_calls) {
    run.calls_note = "healcap report --no-calls.";
    return;
  }
  std::string path = cfg.calls_path;
  if (path.empty()) {
    if (run.calls_file.empty()) {
      run.calls_note = "the run wrote no calls file (healcap scan writes PREFIX.calls.tsv.gz up to --calls-max-samples "
                       "samples, or with --calls).";
      return;
    }
    const size_t slash = cfg.json_path == "-" ? std::string::npos : cfg.json_path.rfind('/');
    path = (slash == std::string::npos ? "" : cfg.json_path.substr(0, slash + 1)) + run.calls_file;
  }
  read_report_calls(path, run);
}

}  // namespace

int run_report_command(const Invocation& inv) {
  ReportConfig cfg;
  if (!parse_report_args(inv.args, cfg)) return 0;
  check_output_folder(cfg.out_prefix, "--out");
  const std::string origin = cfg.json_path == "-" ? "<stdin>" : cfg.json_path;
  RunReport run;
  std::shared_ptr<const BiomarkerLayer> layer;
  {
    // The text is dropped once parsed, the tree once read: a cohort's document is large.
    std::string text = read_whole(cfg.json_path);
    if (cfg.biomarkers.given()) {
      // The layer for the run's samples goes into the document, which is then read as a run with it.
      const BiomarkerSource source = load_biomarker_source(cfg.biomarkers);
      bool replaced = false;
      {
        const JsonDocument doc = JsonDocument::parse(text, origin);
        layer = make_biomarker_layer(source, genetic_samples(doc.root()));
        text = with_biomarkers(text, doc, biomarkers_json(*layer, BiomarkerReference::bundled()), replaced);
      }
      if (replaced) print_warning(origin + ": its biomarker layer is replaced by --biomarkers " + source.path);
    }
    const JsonDocument doc = JsonDocument::parse(text, origin);
    run = read_run_report(doc.root());
  }
  load_calls(cfg, run);
  OutputFile out(cfg.out_prefix + ".html", OutputFile::Compression::kNone);
  out.write(render_report_html(run));
  out.close();
  if (layer) print_biomarker_lines(*layer, "report");
  std::fprintf(stderr, "healcap report: %s: %zu samples, %zu panel rows, %s %s; wrote %s\n", origin.c_str(),
               run.samples.size(), run.sites.size(), run.panels.size() == 1 ? "panel" : "panels",
               report_panels_title(run).c_str(), out.path().c_str());
  return 0;
}

}  // namespace healcap
