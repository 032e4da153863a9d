// The PGS Catalog scoring-file reader: header, columns and variant rows of format 2.0 into a panel.
#include "pgs_catalog.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>

#include "contig.h"
#include "sha256.h"

namespace healcap {

namespace {

constexpr std::string_view kMarker = "###PGS CATALOG SCORING FILE";

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

bool acgt(std::string_view a) {
  if (a.empty()) return false;
  for (char c : a)
    if (c != 'A' && c != 'C' && c != 'G' && c != 'T') return false;
  return true;
}

// The boolean columns (is_dominant, is_haplotype, ...) hold True/False; empty is False.
std::optional<bool> flag(std::string_view v) {
  if (v.empty() || v == "False" || v == "FALSE" || v == "false" || v == "0") return false;
  if (v == "True" || v == "TRUE" || v == "true" || v == "1") return true;
  return std::nullopt;
}

// An unknown value in an optional numeric column.
bool not_reported(std::string_view v) { return v.empty() || v == "NR" || v == "NA" || v == "."; }

// A decimal number as written: digits, one point, an exponent; no hex, infinity or NaN, no spaces.
std::optional<double> decimal(std::string_view v) {
  if (v.empty()) return std::nullopt;
  for (char c : v)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E')
      return std::nullopt;
  const std::string t(v);
  char* end = nullptr;
  errno = 0;
  const double x = std::strtod(t.c_str(), &end);
  if (end == t.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(x)) return std::nullopt;
  return x;
}

// The PGS Catalog numbers chromosomes as plink does: 23 is X, 24 Y, 26 MT.
std::string canonical_chrom(std::string_view c) {
  if (c == "23") return "X";
  if (c == "24") return "Y";
  if (c == "26") return "MT";
  return normalise_contig(c);
}

// A data row with the byte column each field starts at, for errors that name ORIGIN:LINE:COLUMN: column.
class Row {
 public:
  Row(const std::string& origin, int line, std::string_view text, const std::vector<std::string>& names)
      : origin_(origin), line_(line), fields_(split_tabs(text)), names_(names) {
    size_t offset = 0;
    for (const auto& f : fields_) {
      starts_.push_back(static_cast<int>(offset) + 1);
      offset += f.size() + 1;
    }
  }
  size_t n_fields() const { return fields_.size(); }
  std::string_view get(int col) const { return col < 0 ? std::string_view() : fields_[static_cast<size_t>(col)]; }
  std::string where(int col) const {
    return origin_ + ":" + std::to_string(line_) + ":" + std::to_string(col < 0 ? 0 : starts_[static_cast<size_t>(col)]) +
           ": " + (col < 0 ? std::string() : names_[static_cast<size_t>(col)] + ": ");
  }
  [[noreturn]] void fail(int col, const std::string& msg) const { throw PanelError(where(col) + msg); }
  std::vector<std::string> raw() const { return {fields_.begin(), fields_.end()}; }

 private:
  const std::string& origin_;
  int line_;
  std::vector<std::string_view> fields_;
  std::vector<int> starts_;
  const std::vector<std::string>& names_;
};

}  // namespace

const std::vector<std::string>& pgs_unsupported_reasons() {
  static const std::vector<std::string> r = {"haplotype",        "diplotype",
                                             "interaction",      "genotype_weights",
                                             "effect_allele_not_acgt", "other_allele_not_acgt"};
  return r;
}

bool looks_like_pgs_catalog(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && text[start] == '#') {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, kMarker.size()) == kMarker || line.substr(0, 16) == "#format_version=") return true;
    start = nl + 1;
  }
  return false;
}

Panel parse_pgs_catalog(std::string_view text, const std::string& origin, const PanelLoadOptions& opt) {
  Panel p;
  p.origin_ = origin;
  p.sha256_ = sha256_hex(text);
  PanelComponent c;
  c.origin = origin;
  c.kind = PanelKind::kPgsCatalog;
  c.sha256 = p.sha256_;

  std::vector<std::string> names;  // the column header
  std::map<std::string, int, std::less<>> col;
  std::map<std::string, int, std::less<>> meta_line;  // header key -> its line
  bool have_columns = false;
  Build build = Build::kGRCh37;
  bool build_known = false;
  int c_rsid = -1, c_hm_rsid = -1, c_chr = -1, c_pos = -1, c_ea = -1, c_oa = -1, c_w = -1, c_dom = -1, c_rec = -1,
      c_eaf = -1;
  std::vector<std::pair<int, std::string>> c_unsupported_flags;  // column, reason
  std::vector<int> c_dosage_weights;
  std::map<std::string, size_t> skipped;

  int line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string where = origin + ":" + std::to_string(line_no) + ":";

    if (!line.empty() && line[0] == '#') {
      if (have_columns) throw PanelError(where + "1: a '#' header line after the column header");
      if (line.substr(0, 2) == "##") continue;  // the marker line and section titles
      const size_t eq = line.find('=');  // the first '=': a value may hold '=' itself
      if (eq == std::string_view::npos || eq == 1)
        throw PanelError(where + "1: a PGS Catalog header line is '#key=value'");
      std::string key(line.substr(1, eq - 1)), value(line.substr(eq + 1));
      if (meta_line.count(key)) continue;  // the first of a repeated key counts
      meta_line[key] = line_no;
      c.meta.emplace_back(std::move(key), std::move(value));
      continue;
    }
    if (line.empty()) continue;  // no data; a blank last line is common

    if (!have_columns) {
      // The header block is complete: check what the rows depend on.
      const auto value = [&](const char* k) { return c.meta_value(k); };
      const auto at = [&](const char* k) {
        const auto it = meta_line.find(k);
        return origin + ":" + std::to_string(it == meta_line.end() ? 1 : it->second) + ":1: ";
      };
      if (!meta_line.count("format_version"))
        throw PanelError(origin + ":1:0: no '#format_version=' line; healcap reads PGS Catalog scoring files of format 2.0");
      if (value("format_version") != "2.0")
        throw PanelError(at("format_version") + "format_version '" + value("format_version") +
                         "' is not supported; healcap reads format 2.0 (download the file again from the PGS Catalog)");
      c.pgs_id = value("pgs_id");
      if (c.pgs_id.empty()) throw PanelError(at("pgs_id") + "no '#pgs_id=' value: the score has no identity");
      c.id = panel_id_of(c.pgs_id);
      c.name = value("pgs_name").empty() ? c.pgs_id : value("pgs_name");

      const auto names_sv = split_tabs(line);
      int column = 1;
      for (size_t i = 0; i < names_sv.size(); ++i) {
        const std::string n(names_sv[i]);
        if (n.empty()) throw PanelError(where + std::to_string(column) + ": an empty column name");
        if (!col.emplace(n, static_cast<int>(i)).second)
          throw PanelError(where + std::to_string(column) + ": column '" + n + "' appears twice");
        names.push_back(n);
        column += static_cast<int>(n.size()) + 1;
      }
      const auto find = [&](const char* n) {
        const auto it = col.find(n);
        return it == col.end() ? -1 : it->second;
      };
      c_ea = find("effect_allele");
      c_w = find("effect_weight");
      if (c_ea < 0) throw PanelError(where + "0: missing column 'effect_allele'");
      if (c_w < 0)
        throw PanelError(where + "0: missing column 'effect_weight'" +
                         (find("dosage_0_weight") >= 0 ? "; genotype-specific weights (dosage_0/1/2_weight) are not supported"
                                                       : ""));
      c_oa = find("other_allele");
      c_rsid = find("rsID");
      c_hm_rsid = find("hm_rsID");
      c_dom = find("is_dominant");
      c_rec = find("is_recessive");
      c_eaf = find("allelefrequency_effect");
      for (const auto& [n, reason] : {std::pair<const char*, const char*>{"is_haplotype", "haplotype"},
                                      {"is_diplotype", "diplotype"},
                                      {"is_interaction", "interaction"}})
        if (find(n) >= 0) c_unsupported_flags.emplace_back(find(n), reason);
      for (const char* n : {"dosage_0_weight", "dosage_1_weight", "dosage_2_weight"})
        if (find(n) >= 0) c_dosage_weights.push_back(find(n));
      // Harmonised positions win over the authors' when the file has both.
      c.harmonised = find("hm_chr") >= 0 && find("hm_pos") >= 0;
      const char* build_key = c.harmonised ? "HmPOS_build" : "genome_build";
      c_chr = find(c.harmonised ? "hm_chr" : "chr_name");
      c_pos = find(c.harmonised ? "hm_pos" : "chr_position");
      if ((c_chr < 0) != (c_pos < 0))
        throw PanelError(where + "0: column '" + std::string(c_chr < 0 ? "chr_name" : "chr_position") +
                         "' is missing beside '" + names[static_cast<size_t>(c_chr < 0 ? c_pos : c_chr)] + "'");
      c.genome_build = value(build_key);
      if (const auto b = parse_build(c.genome_build)) {
        build = *b;
        build_known = true;
        c.genome_build = std::string(to_string(build));
      }
      // A file whose build is not reported is checked at its first row with a position.
      meta_line.emplace(build_key, 1);
      have_columns = true;
      p.column_order_ = names;
      continue;
    }

    Row r(origin, line_no, line, names);
    if (r.n_fields() != names.size())
      throw PanelError(where + "0: expected " + std::to_string(names.size()) + " tab-separated fields, found " +
                       std::to_string(r.n_fields()));
    const size_t n_row = ++c.n_file_rows;

    // Rows healcap cannot score: refused, or skipped and counted.
    std::string reason, why;
    int why_col = -1;
    for (const auto& [k, rs] : c_unsupported_flags) {
      const auto f = flag(r.get(k));
      if (!f) r.fail(k, "'" + std::string(r.get(k)) + "' is not True or False");
      if (*f && reason.empty()) {
        reason = rs;
        why_col = k;
        why = std::string(rs[0] == 'i' ? "an " : "a ") + rs + " row: healcap scores single variants only";
      }
    }
    for (int k : c_dosage_weights)
      if (reason.empty() && !r.get(k).empty()) {
        reason = "genotype_weights";
        why_col = k;
        why = "a genotype-specific weight: healcap scores effect_weight per effect-allele copy only";
      }
    if (reason.empty() && !acgt(r.get(c_ea))) {
      reason = "effect_allele_not_acgt";
      why_col = c_ea;
      why = "effect allele '" + std::string(r.get(c_ea)) + "' is not made of A, C, G and T (a haplotype, HLA or indel code?)";
    }
    if (reason.empty() && !r.get(c_oa).empty() && !acgt(r.get(c_oa))) {
      reason = "other_allele_not_acgt";
      why_col = c_oa;
      why = "other allele '" + std::string(r.get(c_oa)) + "' is not made of A, C, G and T";
    }
    if (!reason.empty()) {
      if (!opt.pgs_skip_unsupported)
        r.fail(why_col, why + "; healcap cannot score this row (pass --pgs-skip-unsupported to skip and count such rows)");
      ++skipped[reason];
      continue;
    }

    PanelSite s;
    s.line = line_no;
    s.fields = r.raw();
    s.curated = false;
    s.id = c.pgs_id + ":" + std::to_string(n_row);
    for (int k : {c_rsid, c_hm_rsid}) {
      const std::string_view v = r.get(k);
      if (s.rsid.empty() && v.size() > 2 && v.substr(0, 2) == "rs" &&
          std::all_of(v.begin() + 2, v.end(), [](unsigned char ch) { return std::isdigit(ch); }))
        s.rsid = std::string(v);
    }
    s.pathway = Pathway::kOther;
    s.trait = Trait::kUnspecified;
    s.grade = EvidenceGrade::kNone;
    s.effect_allele = std::string(r.get(c_ea));
    s.other_allele = std::string(r.get(c_oa));
    if (s.other_allele == s.effect_allele) r.fail(c_oa, "the other allele is the effect allele '" + s.effect_allele + "'");

    s.weight_text = std::string(r.get(c_w));
    const auto w = decimal(s.weight_text);
    if (!w) r.fail(c_w, "'" + s.weight_text + "' is not a number");
    s.weight = *w;

    const auto dom = flag(r.get(c_dom)), rec = flag(r.get(c_rec));
    if (!dom) r.fail(c_dom, "'" + std::string(r.get(c_dom)) + "' is not True or False");
    if (!rec) r.fail(c_rec, "'" + std::string(r.get(c_rec)) + "' is not True or False");
    if (*dom && *rec) r.fail(c_rec, "is_dominant and is_recessive are both True");
    s.model = *dom ? Model::kDominant : *rec ? Model::kRecessive : Model::kAdditive;

    if (!not_reported(r.get(c_eaf))) {
      const auto f = decimal(r.get(c_eaf));
      if (!f || *f < 0 || *f > 1)
        r.fail(c_eaf, "'" + std::string(r.get(c_eaf)) + "' is not an effect-allele frequency in [0, 1]");
      s.eaf = *f;
      PopulationEaf e;  // the Catalog's allelefrequency_effect names no population: taken as EUR, marked unstated
      e.eaf = *f;
      e.stated = false;
      s.eafs.push_back(e);
    }

    const std::string_view chrom = r.get(c_chr), pos = r.get(c_pos);
    s.chrom = chrom.empty() ? "." : std::string(chrom);
    if (!pos.empty()) {
      if (pos.size() > 10 || !std::all_of(pos.begin(), pos.end(), [](unsigned char ch) { return std::isdigit(ch); }) ||
          std::strtoll(std::string(pos).c_str(), nullptr, 10) < 1)
        r.fail(c_pos, "bad position '" + std::string(pos) + "'; expected a 1-based integer");
      if (chrom.empty()) r.fail(c_chr, "a position needs a chromosome");
      if (!build_known)
        throw PanelError(origin + ":" + std::to_string(meta_line[c.harmonised ? "HmPOS_build" : "genome_build"]) +
                         ":1: the genome build is '" + c.genome_build + "', not GRCh37 or GRCh38, so the positions " +
                         "cannot be placed; use the PGS Catalog's harmonised file (hmPOS) for your build");
      BuildLocus& l = s.locus[static_cast<size_t>(build)];
      l.contig = canonical_chrom(chrom);
      l.pos = std::strtoll(std::string(pos).c_str(), nullptr, 10);
    }
    s.source = "PGS Catalog " + c.pgs_id;
    p.sites_.push_back(std::move(s));
  }

  if (!have_columns) throw PanelError(origin + ":" + std::to_string(line_no) + ":0: no column header line");
  if (const std::string n = c.meta_value("variants_number"); !n.empty() && n != std::to_string(c.n_file_rows))
    throw PanelError(origin + ":" + std::to_string(meta_line["variants_number"]) + ":1: variants_number is " + n +
                     " but the file has " + std::to_string(c.n_file_rows) +
                     " variant rows: is it truncated or edited? Download it again");
  for (const std::string& k : pgs_unsupported_reasons())
    if (skipped.count(k)) c.skipped.emplace_back(k, skipped[k]);
  if (p.sites_.empty())
    throw PanelError(origin + ":" + std::to_string(line_no) + ":0: no variant row" +
                     (skipped.empty() ? "" : " healcap can score (all were skipped as unsupported)"));
  c.n_rows = p.sites_.size();
  p.name_ = c.name;
  p.meta_ = c.meta;
  p.components_.push_back(std::move(c));
  p.build_index();
  return p;
}

}  // namespace healcap
