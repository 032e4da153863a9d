// The table of HC_* INFO fields and their header lines.
#include "hc_tags.h"

namespace healcap {

const std::vector<HcInfoTag>& hc_info_tags() {
  constexpr unsigned kBoth = kTaggedRecords | kPanelExport;
  static const std::vector<HcInfoTag> tags = {
      {"HC_ID", ".", "String", "healcap panel rows at this site (one per trait)", kBoth},
      {"HC_RSID", ".", "String", "dbSNP rsID of the panel rows in HC_ID", kBoth},
      {"HC_GENE", ".", "String", "Gene of the panel rows in HC_ID", kBoth},
      {"HC_PATHWAY", ".", "String", "healcap pathway of the panel rows in HC_ID", kBoth},
      {"HC_TRAIT", ".", "String", "Trait of each panel row, in HC_ID order", kBoth},
      {"HC_EA", ".", "String", "Effect (worse-outcome) allele of each panel row, in HC_ID order; '.' when unknown", kBoth},
      {"HC_W", ".", "Float", "Weight of each panel row, in HC_ID order (0 = flagged, not scored)", kBoth},
      {"HC_GRADE", ".", "String", "Evidence grade of each panel row, in HC_ID order", kBoth},
      {"HC_MATCH", ".", "String",
       "How each panel row matched, in HC_ID order: direct, swapped (REF/ALT reversed), strand_flipped (alleles "
       "complemented), position_only (panel REF unknown) or ref_block (gVCF block)",
       kTaggedRecords},
      {"HC_REF_UNVERIFIED", "0", "Flag", "REF is not known from the panel's sources and is written as N", kPanelExport},
  };
  return tags;
}

std::string info_header_line(const HcInfoTag& tag) {
  return std::string("##INFO=<ID=") + tag.id + ",Number=" + tag.number + ",Type=" + tag.type + ",Description=\"" +
         tag.description + "\">";
}

std::vector<std::string> hc_info_header_lines(HcTagWriter writer) {
  std::vector<std::string> lines;
  for (const HcInfoTag& t : hc_info_tags())
    if (t.writers & writer) lines.push_back(info_header_line(t));
  return lines;
}

}  // namespace healcap
