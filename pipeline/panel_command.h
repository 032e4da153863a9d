// `healcap panel`: list, show, validate and export the panel. The parser only builds PanelConfig.
#pragma once

#include <string>
#include <vector>

#include "panel_export.h"
#include "vocabulary.h"

namespace healcap {

struct PanelConfig {
  enum class Action { kHelp, kList, kShow, kValidate, kExport };
  Action action = Action::kHelp;
  std::string help_text;   // for kHelp: what to print
  std::string panel_path;  // empty: the bundled panel
  bool pgs_skip_unsupported = false;  // PGS Catalog files: skip and count the rows healcap cannot score
  std::string key;         // show: id, rsID or gene; validate: the file
  Build build = Build::kGRCh38;
  ExportFormat format = ExportFormat::kVcf;
  ContigStyle contig_style = ContigStyle::kAuto;
  std::string output = "-";
  char output_type = 0;  // 'v' plain, 'z' bgzip; 0: from the output name
};

// Throws UsageError (one line, naming the option) on a bad command line.
PanelConfig parse_panel_args(const std::vector<std::string>& args);
// Runs the action; writes reports to stdout. Returns the exit code; throws PanelError/DataError.
int run_panel(const PanelConfig& cfg, const std::string& command_line);

// The text of `healcap panel list` for a loaded panel.
std::string panel_summary(const Panel& panel);

}  // namespace healcap
