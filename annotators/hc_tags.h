// The HC_* INFO fields healcap writes: one definition of each, for every writer of VCF headers.
#pragma once

#include <string>
#include <vector>

namespace healcap {

// The writers of HC_* tags, as bits: which of them puts a tag in its records.
enum HcTagWriter : unsigned {
  kTaggedRecords = 1u << 0,  // scan -o and annotate: records tagged with the panel rows they matched
  kPanelExport = 1u << 1,    // panel export --format vcf: one record per panel site
};

// One HC_* INFO field as its ##INFO header line declares it. Multi-valued fields (one value per panel row,
// in HC_ID order) are Number=. so that a record holding one value, or one for the whole site, is valid too.
struct HcInfoTag {
  const char* id;
  const char* number;  // VCF Number: ".", "1" or "0" (a flag)
  const char* type;    // VCF Type: String, Float, Flag
  const char* description;
  unsigned writers;    // HcTagWriter bits
};

// Every HC_* INFO field, in the order headers list them.
const std::vector<HcInfoTag>& hc_info_tags();
// Returns the tag's header line, "##INFO=<ID=...,Number=...,Type=...,Description=\"...\">", without a newline.
std::string info_header_line(const HcInfoTag& tag);
// Returns the header lines of the tags `writer` puts in its records, in table order.
std::vector<std::string> hc_info_header_lines(HcTagWriter writer);

}  // namespace healcap
