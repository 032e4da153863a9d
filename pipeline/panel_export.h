// Writers for `healcap panel export`: the panel restricted to one build as panel TSV, BED or VCF text.
#pragma once

#include <string>

#include "panel.h"

namespace healcap {

enum class ExportFormat { kTsv, kBed, kVcf };
enum class ContigStyle { kAuto, kChr, kPlain };  // auto: chr-prefixed for GRCh38, plain for GRCh37

// Returns a panel file holding the rows placed in `build`, sorted by position there, with the source
// panel's header lines and columns; it loads with Panel::parse like any panel.
std::string export_tsv(const Panel& panel, Build build);
// Returns BED (0-based, half-open) with one line per placed row: chrom, start, end, id, then gene and trait.
std::string export_bed(const Panel& panel, Build build, ContigStyle style);
// Returns a sites-only VCF 4.2 with one record per distinct (contig, pos, REF, ALT) and the panel rows there
// in INFO. Unknown REF is written as N and flagged HC_REF_UNVERIFIED; unknown ALT as '.'.
std::string export_vcf(const Panel& panel, Build build, ContigStyle style, const std::string& command_line);

// The contig name written for a canonical contig under a style and build.
std::string styled_contig(const std::string& canonical, Build build, ContigStyle style);

}  // namespace healcap
