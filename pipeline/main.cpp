// healcap's entry point: the command table, top-level help and version, and exceptions to exit codes.
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include <htslib/hts.h>
#include <exception>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "errors.h"
#include "signals.h"
#include "version.h"

namespace healcap {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"scan", "find the panel's sites in a VCF/BCF and write per-sample healing-capacity summaries", run_scan_command},
      {"merge", "join the partials of a sharded scan into the outputs the whole scan would have written", run_merge_command},
      {"annotate", "pass every record through, tagging panel hits in INFO", run_annotate_command},
      {"panel", "list, show, validate and export the healing-capacity SNP panel", run_panel_command},
      {"report", "render a run's JSON as one self-contained HTML page: cohort, sample cards, site ledger", run_report_command},
      {"biomarkers", "judge lab measurements over time against biological variation, without a VCF", run_biomarkers_command},
  };
  return table;
}

namespace {

constexpr const char* kExitStatus =
    "Exit status: 0 success, 1 data or runtime error, 2 usage error, 3 a sample below --min-completeness\n"
    "under --fail-on-incomplete.\n";

// The short usage: the commands, for 'healcap' alone (on stderr).
void print_usage(std::FILE* out) {
  std::fprintf(out,
               "\n"
               "Program: healcap (healing-capacity variant panel scanner)\n"
               "Version: %s\n"
               "Research use only: scores are research measures, not a diagnosis.\n"
               "\n"
               "Usage: healcap [--version|--help] <command> [options]\n"
               "\n"
               "Commands:\n",
               HEALCAP_VERSION);
  for (const auto& c : commands()) std::fprintf(out, "    %-12s%s\n", std::string(c.name).c_str(), std::string(c.summary).c_str());
  std::fprintf(out, "\nRun 'healcap --help' for every command's options, 'healcap <command> --help' for one command's.\n%s\n",
               kExitStatus);
}

// A command's help as it prints it for --help (on std::cout, which is captured here).
std::string command_help(const Command& c) {
  std::ostringstream text;
  struct Restore {
    std::streambuf* buf;
    ~Restore() { std::cout.rdbuf(buf); }
  } restore{std::cout.rdbuf(text.rdbuf())};
  c.run(Invocation{{"--help"}, "healcap " + std::string(c.name) + " --help"});
  return text.str();
}

// In the full help, each heading names its command ("Input options of healcap scan:"), which it takes from the
// "Usage: healcap CMD [SUB]" line above it: headings that repeat from command to command would be ambiguous in
// one text (and in the man page help2man makes of it, where each heading is a subsection).
std::string name_headings(const std::string& help) {
  std::istringstream in(help);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out, command;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string& line = lines[i];
    // A heading, as help2man sees one: at the margin, ending in its only colon, above an indented line.
    const bool heading = !line.empty() && line.back() == ':' && line.find(':') == line.size() - 1 &&
                         std::isupper(static_cast<unsigned char>(line[0])) && i + 1 < lines.size() &&
                         lines[i + 1].rfind(' ', 0) == 0;
    if (line.rfind("Usage: ", 0) == 0) {
      command.clear();
      std::istringstream words(line.substr(7));
      for (std::string w; words >> w && w.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos;)
        command += (command.empty() ? "" : " ") + w;
    } else if (heading && !command.empty()) {
      line.insert(line.size() - 1, " of " + command);
    }
    out += line + "\n";
  }
  return out;
}

// The full help: the commands, then each command's help with its options. help2man makes the man page from
// it: "Usage:" is the synopsis, "Options:" starts the options, each "X options of healcap CMD:" heading followed
// by indented lines is a subsection, and "Examples:", "Environment:" and "Files:" are sections.
std::string full_help() {
  std::string s = std::string("\n") +
                  "Program: healcap (healing-capacity variant panel scanner)\n"
                  "Version: " HEALCAP_VERSION "\n"
                  "\n"
                  "Research use only: scores are research measures, not a diagnosis.\n"
                  "\n"
                  "Usage: healcap [--version|--help] <command> [options]\n"
                  "\n"
                  "Commands:\n";
  for (const auto& c : commands()) {
    char line[256];
    std::snprintf(line, sizeof line, "    %-12s%s\n", std::string(c.name).c_str(), std::string(c.summary).c_str());
    s += line;
  }
  s += std::string("\n") +
       "healcap reads VCF, bgzipped VCF and BCF files (or - for standard input) and writes per-sample\n"
       "summaries of a curated panel of variants in tissue-repair, extracellular-matrix and inflammation genes.\n"
       "On a terminal, a progress line on standard error shows the records and bytes read, the rate and the\n"
       "time left; --quiet turns it off.\n"
       "\n" +
       kExitStatus +
       "\n"
       "Options:\n"
       "    -h, --help         print this help, with every command's options, and exit\n"
       "        --version      print the version and exit\n";
  for (const auto& c : commands()) s += "\n" + name_headings(command_help(c));
  s += "\n"
       "Examples:\n"
       "    $ healcap scan --out out/example example_cohort.vcf.gz\n"
       "    $ healcap scan --threads 4 --out c -o hits.bcf -W in.vcf.gz\n"
       "    $ healcap annotate -o tagged.vcf.gz in.bcf\n"
       "    $ healcap scan -r chr1 --region-shard 1/2 --partial 1.hcp in.bcf\n"
       "    $ healcap merge --out c 1.hcp 2.hcp\n"
       "    $ healcap scan --out c --biomarkers labs.tsv --sample-map ids.tsv in.vcf.gz\n"
       "    $ healcap panel export --build GRCh38 -o panel.vcf.gz\n"
       "\n"
       "Environment:\n"
       "    HEALCAP_HTSLIB_LOG=1  also print htslib's own warnings\n"
       "    SLURM_CPUS_PER_TASK   in a SLURM job, the default of --threads\n"
       "\n"
       "Files:\n"
       "    PREFIX/share/healcap/healing_panel.tsv\n"
       "                       the bundled panel, as installed (healcap has it compiled in; the file is for\n"
       "                       reading, for --panel and as a template for your own panels)\n"
       "    PREFIX/share/healcap/biomarkers/\n"
       "                       the bundled biomarker reference (units, biological variation, hs-CRP\n"
       "                       categories) with its sources (healcap has it compiled in)\n";
  return s;
}

std::string quote_arg(const std::string& a) {
  if (!a.empty() && a.find_first_of(" \t'\"\\$`") == std::string::npos) return a;
  std::string q = "'";
  for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace

int main_impl(int argc, char** argv) {
  if (argc < 2) {
    print_usage(stderr);
    return 2;
  }
  const std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    std::fputs(full_help().c_str(), stdout);
    return 0;
  }
  if (first == "--version" || first == "version") {
    std::printf("healcap %s\n", HEALCAP_VERSION);
    return 0;
  }
  if (!first.empty() && first[0] == '-') throw UsageError("healcap: unknown option '" + first + "'; see 'healcap --help'");
  for (const auto& c : commands()) {
    if (c.name != first) continue;
    Invocation inv;
    inv.command_line = "healcap";
    for (int i = 1; i < argc; ++i) inv.command_line += " " + quote_arg(argv[i]);
    for (int i = 2; i < argc; ++i) inv.args.emplace_back(argv[i]);
    return c.run(inv);
  }
  throw UsageError("healcap: unknown command '" + first + "'; see 'healcap --help'");
}

}  // namespace healcap

int main(int argc, char** argv) {
  healcap::start_signal_cleanup();
  // healcap reports every problem in its own single line; htslib's messages come back with HEALCAP_HTSLIB_LOG=1.
  const char* hts_log = std::getenv("HEALCAP_HTSLIB_LOG");
  hts_set_log_level(hts_log && *hts_log == '1' ? HTS_LOG_WARNING : HTS_LOG_OFF);
  try {
    return healcap::main_impl(argc, argv);
  } catch (const healcap::UsageError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "healcap: error: %s\n", e.what());
    return 1;
  }
}
