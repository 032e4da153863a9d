// healcap's entry point: the command table, top-level help and version, and exceptions to exit codes.
#include <cstdio>
#include <cstdlib>

#include <htslib/hts.h>
#include <exception>
#include <iostream>
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
  };
  return table;
}

namespace {
void print_usage(std::FILE* out) {
  std::fprintf(out,
               "\n"
               "Program: healcap (healing-capacity variant panel scanner)\n"
               "Version: %s\n"
               "Research use only: scores are research measures, not a diagnosis.\n"
               "\n"
               "Usage:   healcap [--version|--help] <command> [options]\n"
               "\n"
               "Commands:\n",
               HEALCAP_VERSION);
  for (const auto& c : commands()) std::fprintf(out, "    %-12s%s\n", std::string(c.name).c_str(), std::string(c.summary).c_str());
  std::fprintf(out,
               "\n"
               "Run 'healcap <command> --help' for a command's options.\n"
               "Exit status: 0 success, 1 data or runtime error, 2 usage error.\n\n");
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
    print_usage(stdout);
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
