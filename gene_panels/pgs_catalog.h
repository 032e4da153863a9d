// PGS Catalog scoring files (format 2.0) read as panels: the score's variants as rows of one component.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "panel.h"

namespace healcap {

// True when the text's leading '#' lines are a PGS Catalog scoring file's: one starts with
// "###PGS CATALOG SCORING FILE" or is "#format_version=...".
bool looks_like_pgs_catalog(std::string_view text);

// Parses a scoring file into a panel of one PGS Catalog component (PanelComponent::kind kPgsCatalog).
// Header lines are "#key=value", split on the first '='; "##..." lines are section titles. The positions are
// hm_chr/hm_pos read in #HmPOS_build when the file has them (a harmonised file), else chr_name/chr_position in
// #genome_build. Each variant row becomes a row with id "<pgs_id>:<n>" (n: its place among the file's variant
// rows, 1-based), effect_allele/other_allele, effect_weight (its text kept in weight_text), is_dominant/
// is_recessive as the model and allelefrequency_effect as the eaf; a row without a position has none in any
// build (no_coordinates). Throws PanelError "ORIGIN:LINE:COLUMN: what" for a file of another format version,
// a missing column or header value, a bad field, and a row healcap cannot score (see pgs_unsupported_reasons)
// unless opt.pgs_skip_unsupported, which skips such rows and counts them in PanelComponent::skipped.
Panel parse_pgs_catalog(std::string_view text, const std::string& origin, const PanelLoadOptions& opt);

// The reasons a row is unsupported, as counted in PanelComponent::skipped: haplotype, diplotype, interaction,
// genotype_weights (dosage_0/1/2_weight), effect_allele_not_acgt, other_allele_not_acgt.
const std::vector<std::string>& pgs_unsupported_reasons();

}  // namespace healcap
