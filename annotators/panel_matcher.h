// Matches one VCF record's alleles against the panel rows at its position, for one build.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "panel.h"

namespace healcap {

// How the record's alleles relate to the panel row's.
enum class MatchType {
  kDirect,        // record REF is the panel REF
  kSwapped,       // record REF/ALT are the panel ALT/REF (single-base sites only)
  kPositionOnly,  // the panel does not know this build's REF: matched on position and effect allele
  kStrandFlipped, // record alleles complement the panel's (single-base, never palindromic A/T or C/G sites)
  kRefBlock,      // a gVCF reference block covers the position
  kAllelePair,    // the panel knows the effect and the other allele but not this build's REF: the record
                  // carries both, either one as REF (a PGS Catalog row)
};
std::string_view to_string(MatchType t);

// Why a record at a panel position was not used for a row.
enum class MatchOutcome {
  kMatched,
  kRefMismatch,   // record REF is neither the panel REF nor one of its ALTs (with the panel REF among the ALTs)
  kAlleleAbsent,  // panel alleles unknown in this build and the effect allele is not among the record's alleles
  kAlleleMismatch,  // the row's REF is unknown but it has an other allele, and the record lacks the effect or
                    // the other allele: another variant at the position (or the other strand), never scored
};

struct SiteMatch {
  size_t row = 0;  // index into Panel::sites()
  MatchOutcome outcome = MatchOutcome::kMatched;
  MatchType type = MatchType::kDirect;
  bool flipped_swapped = false;  // kStrandFlipped: the complemented alleles are also REF/ALT-reversed
  // The record carries one of the panel's ALTs (or the panel has none): it is the panel's variant, not another
  // variant at the same position such as one record of a split multiallelic site.
  bool panel_alt_present = true;
  // Index of the counted allele among the record's alleles (0 = REF, k = k-th ALT):
  // the effect allele when the row has one; -1 when the row has an effect allele the record lacks
  // (every called sample then carries 0 copies); -2 when the row has no effect allele (flag-only:
  // non-REF alleles are counted for the cohort statistics).
  int counted_allele = -2;
  bool ref_verified = true;  // false for kPositionOnly and kAllelePair
};

// Matches a record at `pos` (1-based) on a contig, with alleles[0] = REF and alleles[1..] = ALTs,
// against every panel row placed there in `build`. Returns one entry per such row, in panel order.
// Thread-safe: reads only the immutable panel.
std::vector<SiteMatch> match_record(const Panel& panel, Build build, const std::vector<size_t>& rows,
                                    const std::vector<std::string_view>& alleles);

// Matches one row (which must be placed in `build`) against a record's alleles.
SiteMatch match_row(const PanelSite& site, size_t row, Build build, const std::vector<std::string_view>& alleles);

}  // namespace healcap
