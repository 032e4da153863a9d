// The table of healcap commands, as in bcftools' main.c: adding a command is adding one row.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace healcap {

// What a command receives: its own arguments (after the command name) and the whole command line,
// which outputs record in their headers.
struct Invocation {
  std::vector<std::string> args;
  std::string command_line;
};

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(const Invocation&);  // returns the exit code; throws UsageError / other exceptions
};

const std::vector<Command>& commands();

int run_panel_command(const Invocation& inv);
int run_scan_command(const Invocation& inv);
int run_annotate_command(const Invocation& inv);
int run_merge_command(const Invocation& inv);
int run_report_command(const Invocation& inv);
int run_biomarkers_command(const Invocation& inv);

}  // namespace healcap
