// Allele matching of a record against panel rows: direct, swapped, or on position and effect allele.
#include "panel_matcher.h"

#include <algorithm>

namespace healcap {

std::string_view to_string(MatchType t) {
  switch (t) {
    case MatchType::kDirect: return "direct";
    case MatchType::kSwapped: return "swapped";
    case MatchType::kPositionOnly: return "position_only";
    case MatchType::kStrandFlipped: return "strand_flipped";
    case MatchType::kRefBlock: return "ref_block";
    case MatchType::kAllelePair: return "allele_pair";
  }
  return "direct";
}

namespace {
int index_of(const std::vector<std::string_view>& alleles, std::string_view a) {
  for (size_t i = 0; i < alleles.size(); ++i)
    if (alleles[i] == a) return static_cast<int>(i);
  return -1;
}

// The reverse complement of a nucleotide allele; empty for symbolic or non-ACGT alleles.
std::string complement(std::string_view a) {
  std::string out(a.rbegin(), a.rend());
  for (char& c : out) {
    switch (c) {
      case 'A': c = 'T'; break;
      case 'C': c = 'G'; break;
      case 'G': c = 'C'; break;
      case 'T': c = 'A'; break;
      default: return "";
    }
  }
  return out;
}

// A site is palindromic (strand-ambiguous) when an ALT is the complement of the REF: A/T or C/G. dbSNP
// often lists more ALTs (VEGFA rs2010963 is C>G,T); one complementary pair is enough to make a flip
// undecidable from the letters.
bool palindromic(const BuildLocus& l) {
  for (const auto& a : l.alts)
    if (!a.empty() && complement(a) == l.ref) return true;
  return false;
}
}  // namespace

SiteMatch match_row(const PanelSite& site, size_t row, Build build, const std::vector<std::string_view>& alleles) {
  SiteMatch m;
  m.row = row;
  const BuildLocus& l = site.in(build);
  const std::string_view rec_ref = alleles.empty() ? std::string_view() : alleles[0];
  const bool has_effect = !site.effect_allele.empty();

  if (l.ref.empty() && has_effect && !site.other_allele.empty()) {
    // REF unknown, both alleles known (no reference sequence here to tell which is REF): the record must carry
    // the effect and the other allele, either one as REF, ALT index free (a multiallelic record matches when
    // it holds both). Never complemented: a palindromic pair cannot be told from its flip, and without the
    // REF a flip of any pair is a guess; read on the forward strand, as plink2 --score does.
    m.ref_verified = false;
    m.type = MatchType::kAllelePair;
    m.counted_allele = index_of(alleles, site.effect_allele);
    if (m.counted_allele < 0 || index_of(alleles, site.other_allele) < 0) m.outcome = MatchOutcome::kAlleleMismatch;
    return m;
  }
  if (l.ref.empty()) {  // REF unknown in this build: position and effect allele
    m.type = MatchType::kPositionOnly;
    m.ref_verified = false;
    if (has_effect) {
      m.counted_allele = index_of(alleles, site.effect_allele);
      if (m.counted_allele < 0) m.outcome = MatchOutcome::kAlleleAbsent;
    }
    return m;
  }

  // REF/ALT swaps and strand flips are read only at single-base sites: an indel's REF spells the reference
  // sequence, so C>CAA is a different variant from CAA>C, never its swap.
  bool single_base = l.ref.size() == 1 && rec_ref.size() == 1;
  for (const auto& a : l.alts) single_base = single_base && a.size() == 1;
  if (rec_ref == l.ref) {
    m.type = MatchType::kDirect;
  } else if (single_base && std::find(l.alts.begin(), l.alts.end(), rec_ref) != l.alts.end() &&
             index_of(alleles, l.ref) > 0) {
    m.type = MatchType::kSwapped;
  } else if (single_base && !palindromic(l) && !alleles.empty()) {
    // Strand flip: the record's alleles complement the panel's (the effect allele is complemented too).
    const std::string cref = complement(l.ref);
    std::vector<std::string> calts;
    for (const auto& a : l.alts) calts.push_back(complement(a));
    const bool direct_flip = !cref.empty() && rec_ref == cref;
    const bool swapped_flip = std::find(calts.begin(), calts.end(), rec_ref) != calts.end() && !cref.empty() &&
                              index_of(alleles, cref) > 0;
    if (!direct_flip && !swapped_flip) {
      m.outcome = MatchOutcome::kRefMismatch;
      return m;
    }
    m.type = MatchType::kStrandFlipped;
    m.flipped_swapped = !direct_flip;
    if (has_effect) m.counted_allele = index_of(alleles, complement(site.effect_allele));
    if (direct_flip) {  // the complemented panel ALT must be among the record's ALTs, as for a direct match
      m.panel_alt_present = false;
      for (const auto& a : calts)
        if (index_of(alleles, a) > 0) m.panel_alt_present = true;
    }
    return m;
  } else {
    m.outcome = MatchOutcome::kRefMismatch;
    return m;
  }
  if (has_effect) m.counted_allele = index_of(alleles, site.effect_allele);  // -1: no copies in this record
  if (m.type == MatchType::kDirect && !l.alts.empty()) {
    m.panel_alt_present = false;
    for (const auto& a : l.alts)
      if (index_of(alleles, a) > 0) m.panel_alt_present = true;
  }
  return m;
}

std::vector<SiteMatch> match_record(const Panel& panel, Build build, const std::vector<size_t>& rows,
                                    const std::vector<std::string_view>& alleles) {
  std::vector<SiteMatch> out;
  out.reserve(rows.size());
  for (size_t r : rows) out.push_back(match_row(panel.sites()[r], r, build, alleles));
  return out;
}

}  // namespace healcap
