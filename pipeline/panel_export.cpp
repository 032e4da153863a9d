// Panel exports as panel TSV, BED and sites-only VCF, one build at a time.
#include "panel_export.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "contig.h"
#include "hc_tags.h"
#include "version.h"

namespace healcap {

namespace {
std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string dot_if_empty(const std::string& s) { return s.empty() ? "." : s; }

// Returns the text with characters that VCF INFO strings cannot hold (space, ';', '=', ',') replaced by '_'.
std::string info_safe(std::string s) {
  for (char& c : s)
    if (c == ' ' || c == ';' || c == '=' || c == ',' || c == '\t') c = '_';
  return s;
}

std::string format_weight(double w) {
  std::ostringstream ss;
  ss.precision(6);
  ss << w;
  return ss.str();
}
}  // namespace

std::string styled_contig(const std::string& canonical, Build build, ContigStyle style) {
  const bool chr = style == ContigStyle::kChr || (style == ContigStyle::kAuto && build == Build::kGRCh38);
  if (contig_rank(canonical) >= 1000 || !chr) return canonical;
  return canonical == "MT" ? "chrM" : "chr" + canonical;
}

std::string export_tsv(const Panel& panel, Build build) {
  std::string out;
  for (const auto& [k, v] : panel.meta())
    if (k != "exported_build" && k != "exported_from") out += "##" + k + "=" + v + "\n";
  out += "##exported_build=" + std::string(to_string(build)) + "\n";
  out += "##exported_from=" + panel.name() + " " + panel.version() + " sha256:" + panel.sha256() + "\n";
  out += join(panel.column_order(), "\t") + "\n";
  for (size_t i : panel.placed(build)) out += join(panel.sites()[i].fields, "\t") + "\n";
  return out;
}

std::string export_bed(const Panel& panel, Build build, ContigStyle style) {
  std::string out;
  for (size_t i : panel.placed(build)) {
    const PanelSite& s = panel.sites()[i];
    const BuildLocus& l = s.in(build);
    const int64_t len = l.ref.empty() ? 1 : static_cast<int64_t>(l.ref.size());
    out += styled_contig(l.contig, build, style) + "\t" + std::to_string(l.pos - 1) + "\t" +
           std::to_string(l.pos - 1 + len) + "\t" + s.id + "\t" + dot_if_empty(s.gene) + "\t" +
           (s.curated ? std::string(to_string(s.trait)) : std::string(".")) + "\n";
  }
  return out;
}

std::string export_vcf(const Panel& panel, Build build, ContigStyle style, const std::string& command_line) {
  struct Record {
    const BuildLocus* locus;
    std::vector<const PanelSite*> rows;
  };
  std::vector<Record> records;
  std::vector<std::string> contigs;
  std::set<std::string> symbolic;
  for (size_t i : panel.placed(build)) {  // sorted by contig and position, so equal loci are adjacent
    const PanelSite& s = panel.sites()[i];
    const BuildLocus& l = s.in(build);
    if (contigs.empty() || contigs.back() != l.contig) contigs.push_back(l.contig);
    for (const auto& a : l.alts)
      if (a.front() == '<') symbolic.insert(a.substr(1, a.size() - 2));
    bool merged = false;
    for (auto r = records.rbegin(); r != records.rend() && r->locus->contig == l.contig && r->locus->pos == l.pos; ++r) {
      if (r->locus->ref == l.ref && r->locus->alts == l.alts) {
        r->rows.push_back(&s);
        merged = true;
        break;
      }
    }
    if (!merged) records.push_back({&l, {&s}});
  }

  std::string out = "##fileformat=VCFv4.2\n";
  out += "##source=healcap " HEALCAP_VERSION " panel export\n";
  out += "##healcapVersion=" HEALCAP_VERSION "\n";
  out += "##healcapCommand=" + command_line + "\n";
  out += "##healcapPanel=<Name=" + panel.name() + ",Version=" + panel.version() + ",SHA256=" + panel.sha256() + ">\n";
  out += "##reference=" + std::string(to_string(build)) + "\n";
  for (const auto& c : contigs) out += "##contig=<ID=" + styled_contig(c, build, style) + ">\n";
  for (const auto& a : symbolic) out += "##ALT=<ID=" + a + ",Description=\"Symbolic allele from the panel\">\n";
  for (const std::string& l : hc_info_header_lines(kPanelExport)) out += l + "\n";
  out += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  for (const auto& r : records) {
    const BuildLocus& l = *r.locus;
    const PanelSite& first = *r.rows.front();
    std::vector<std::string> ids, traits, eas, ws, grades;
    for (const PanelSite* s : r.rows) {
      ids.push_back(info_safe(s->id));
      traits.emplace_back(s->curated ? to_string(s->trait) : ".");
      eas.push_back(s->effect_allele.empty() ? "." : s->effect_allele);
      ws.push_back(s->weight_text.empty() ? format_weight(s->weight) : s->weight_text);
      grades.emplace_back(s->curated ? to_string(s->grade) : ".");
    }
    std::string info = "HC_ID=" + join(ids, ",");
    if (!first.rsid.empty()) info += ";HC_RSID=" + first.rsid;
    info += ";HC_GENE=" + info_safe(dot_if_empty(first.gene)) +
            ";HC_PATHWAY=" + (first.curated ? std::string(to_string(first.pathway)) : std::string(".")) +
            ";HC_TRAIT=" + join(traits, ",") + ";HC_EA=" + join(eas, ",") + ";HC_W=" + join(ws, ",") +
            ";HC_GRADE=" + join(grades, ",");
    if (l.ref.empty()) info += ";HC_REF_UNVERIFIED";
    out += styled_contig(l.contig, build, style) + "\t" + std::to_string(l.pos) + "\t" + dot_if_empty(first.rsid) +
           "\t" + (l.ref.empty() ? "N" : l.ref) + "\t" + (l.alts.empty() ? "." : join(l.alts, ",")) + "\t.\t.\t" +
           info + "\n";
  }
  return out;
}

}  // namespace healcap
