// Panel matching, call decoding and INFO tagging of one record.
#include "panel_annotator.h"

#include <stdexcept>
#include <string>

#include "hc_tags.h"

namespace healcap {

namespace {
std::string join_field(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
  return s;
}
std::string info_safe(std::string s) {
  for (char& c : s)
    if (c == ' ' || c == ';' || c == '=' || c == ',' || c == '\t') c = '_';
  return s.empty() ? "." : s;
}

// A value for a structured header line: no characters that end or split it.
std::string header_safe(std::string s) {
  for (char& c : s)
    if (c == ',' || c == '<' || c == '>' || c == '"' || c == '=' || c == ' ' || c == '\t') c = '_';
  return s.empty() ? "." : s;
}
}  // namespace

void PanelAnnotator::add_header_lines(bcf_hdr_t* hdr) const {
  // One line per panel file; a PGS Catalog file's also names its kind and pgs_id.
  std::vector<std::string> panel_lines;
  for (const PanelComponent& c : panel_.components()) {
    std::string l = "##healcapPanel=<Name=" + header_safe(c.name) + ",Version=" + header_safe(c.version) +
                    ",SHA256=" + c.sha256 + ",Build=" + std::string(to_string(build_));
    if (c.kind == PanelKind::kPgsCatalog) l += ",Kind=pgs_catalog,PGS=" + header_safe(c.pgs_id);
    panel_lines.push_back(l + ">");
  }
  for (const std::string& l : hc_info_header_lines(kTaggedRecords))
    if (bcf_hdr_append(hdr, l.c_str()) != 0) throw std::runtime_error("cannot add " + l + " to the VCF header");
  bool ok = true;
  for (const std::string& l : panel_lines) ok = ok && bcf_hdr_append(hdr, l.c_str()) == 0;
  ok = ok && bcf_hdr_append(hdr, "##healcapNote=healcap scores are research measures, not a diagnosis") == 0 &&
       bcf_hdr_sync(hdr) == 0;
  if (!ok) throw std::runtime_error("cannot add the healcap lines to the VCF header");
}

bool PanelAnnotator::annotate(const bcf_hdr_t* in_hdr, const bcf_hdr_t* out_hdr, bcf1_t* rec,
                              const std::vector<size_t>& rows, AnnotatorScratch& scratch,
                              std::vector<RecordHit>& hits) const {
  if (rows.empty()) return false;
  bcf_unpack(rec, BCF_UN_ALL);
  scratch.alleles.clear();
  for (int i = 0; i < rec->n_allele; ++i) scratch.alleles.emplace_back(rec->d.allele[i]);
  const size_t first = hits.size();
  bool any = false;
  const bool block = is_ref_block(rec);
  const bool filtered = opt_.pass_only && !passes_filter(in_hdr, rec);
  for (size_t r : rows) {
    const PanelSite& site = panel_.sites()[r];
    RecordHit h;
    h.site_filtered = filtered;
    if (block) {  // a reference block: every sample is homozygous reference at the row's position
      h.match.row = r;
      h.match.type = MatchType::kRefBlock;
      const BuildLocus& l = site.in(build_);
      h.match.ref_verified = !l.ref.empty();
      const int per_allele = site.effect_allele.empty() ? 0
                             : l.ref.empty()            ? -1
                                                        : (site.effect_allele == l.ref ? 1 : 0);
      decode_ref_block(in_hdr, rec, per_allele, opt_, scratch.gt, h.calls);
      h.source = DosageSource::kRefBlock;
      any = true;
    } else {
      h.match = match_row(site, r, build_, scratch.alleles);
      if (h.match.outcome == MatchOutcome::kMatched) {
        h.source = decode_calls(in_hdr, rec, h.match.counted_allele, opt_, scratch.gt, h.calls);
        any = true;
      }
    }
    hits.push_back(std::move(h));
  }
  if (any && out_hdr) tag(out_hdr, rec, hits, first, scratch);
  return any;
}

void PanelAnnotator::tag(const bcf_hdr_t* out_hdr, bcf1_t* rec, const std::vector<RecordHit>& hits, size_t first,
                         AnnotatorScratch& scratch) const {
  std::vector<std::string> ids, rsids, genes, pathways, traits, eas, grades, types;
  scratch.weights.clear();
  for (size_t i = first; i < hits.size(); ++i) {
    if (hits[i].match.outcome != MatchOutcome::kMatched) continue;
    const PanelSite& s = panel_.sites()[hits[i].match.row];
    ids.push_back(info_safe(s.id));
    rsids.push_back(info_safe(s.rsid));
    genes.push_back(info_safe(s.gene));
    pathways.emplace_back(s.curated ? to_string(s.pathway) : ".");
    traits.emplace_back(s.curated ? to_string(s.trait) : ".");
    eas.push_back(info_safe(s.effect_allele));
    grades.emplace_back(s.curated ? to_string(s.grade) : ".");
    types.emplace_back(to_string(hits[i].match.type));
    scratch.weights.push_back(static_cast<float>(s.weight));
  }
  bcf_hdr_t* h = const_cast<bcf_hdr_t*>(out_hdr);  // bcf_update_info only reads the header
  bcf_update_info_string(h, rec, "HC_ID", join_field(ids).c_str());
  bcf_update_info_string(h, rec, "HC_RSID", join_field(rsids).c_str());
  bcf_update_info_string(h, rec, "HC_GENE", join_field(genes).c_str());
  bcf_update_info_string(h, rec, "HC_PATHWAY", join_field(pathways).c_str());
  bcf_update_info_string(h, rec, "HC_TRAIT", join_field(traits).c_str());
  bcf_update_info_string(h, rec, "HC_EA", join_field(eas).c_str());
  bcf_update_info_float(h, rec, "HC_W", scratch.weights.data(), static_cast<int>(scratch.weights.size()));
  bcf_update_info_string(h, rec, "HC_GRADE", join_field(grades).c_str());
  bcf_update_info_string(h, rec, "HC_MATCH", join_field(types).c_str());
}

}  // namespace healcap
