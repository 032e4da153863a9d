// Panel TSV parsing and strict validation, and the immutable per-build position index.
#include "panel.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include <zlib.h>

#include "contig.h"
#include "pgs_catalog.h"
#include "sha256.h"

namespace healcap {

std::string_view to_string(VariantType t) {
  switch (t) {
    case VariantType::kSnv: return "snv";
    case VariantType::kMnv: return "mnv";
    case VariantType::kIndel: return "indel";
    case VariantType::kSymbolic: return "structural";
    case VariantType::kUnknown: return "alleles_unknown";
  }
  return "alleles_unknown";
}

const std::vector<std::string>& panel_columns() {
  static const std::vector<std::string> c = {
      "id", "rsid", "gene", "pathway", "trait", "chrom", "pos_grch37", "ref_grch37", "alt_grch37",
      "pos_grch38", "ref_grch38", "alt_grch38", "effect_allele", "odds_ratio", "weight", "model", "eaf",
      "evidence_grade", "evidence", "source", "notes"};
  return c;
}

const std::vector<std::string>& panel_optional_columns() {
  static const std::vector<std::string> c = {"other_allele", "eaf_population", "eaf_source"};
  return c;
}

namespace {
// Required columns, then optional ones: the order of the Col enum below.
const std::vector<std::string>& all_panel_columns() {
  static const std::vector<std::string> c = [] {
    std::vector<std::string> v = panel_columns();
    for (const auto& o : panel_optional_columns()) v.push_back(o);
    return v;
  }();
  return c;
}
}  // namespace

std::string_view to_string(Population p) {
  switch (p) {
    case Population::kEUR: return "EUR";
    case Population::kAFR: return "AFR";
    case Population::kAMR: return "AMR";
    case Population::kEAS: return "EAS";
    case Population::kSAS: return "SAS";
  }
  return "EUR";
}

std::optional<Population> parse_population(std::string_view s) {
  for (size_t i = 0; i < kNumPopulations; ++i)
    if (to_string(static_cast<Population>(i)) == s) return static_cast<Population>(i);
  return std::nullopt;
}

std::string population_names() {
  std::string s;
  for (size_t i = 0; i < kNumPopulations; ++i) s += (i ? ", " : "") + std::string(to_string(static_cast<Population>(i)));
  return s;
}

const PopulationEaf* PanelSite::eaf_in(Population p) const {
  for (const auto& e : eafs)
    if (e.population == p) return &e;
  return nullptr;
}

std::string_view to_string(PanelKind k) { return k == PanelKind::kPgsCatalog ? "pgs_catalog" : "healcap_tsv"; }

std::string PanelComponent::meta_value(std::string_view key) const {
  for (const auto& [k, v] : meta)
    if (k == key) return v;
  return "";
}

std::string panel_id_of(std::string_view name) {
  std::string id(name);
  for (char& c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  return id;
}

namespace {

bool is_symbolic(std::string_view a) { return a.size() > 2 && a.front() == '<' && a.back() == '>'; }

VariantType type_of(const BuildLocus& l) {
  if (!l.alleles_known()) {
    for (const auto& a : l.alts)
      if (is_symbolic(a)) return VariantType::kSymbolic;
    return VariantType::kUnknown;
  }
  bool indel = false, mnv = false;
  for (const auto& a : l.alts) {
    if (is_symbolic(a)) return VariantType::kSymbolic;
    if (a.size() != l.ref.size()) indel = true;
    else if (a.size() > 1) mnv = true;
  }
  return indel ? VariantType::kIndel : mnv ? VariantType::kMnv : VariantType::kSnv;
}

std::string lower(std::string_view s) {
  std::string t(s);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  return t;
}

// Splits on tabs, keeping empty fields.
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

// The line of `text` at `start`, without its newline (or a CR before it), and `start` moved past it; false at
// the end of the text.
bool next_line(std::string_view text, size_t& start, std::string_view& line) {
  if (start >= text.size()) return false;
  size_t nl = text.find('\n', start);
  if (nl == std::string_view::npos) nl = text.size();
  line = text.substr(start, nl - start);
  start = nl + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

// Parses one row; knows where each field starts so errors can name the column.
class RowParser {
 public:
  RowParser(const std::string& origin, int line, std::string_view text, const std::vector<int>& col_of)
      : origin_(origin), line_(line), fields_(split_tabs(text)), col_of_(col_of) {
    size_t offset = 0;
    for (const auto& f : fields_) {
      starts_.push_back(static_cast<int>(offset) + 1);
      offset += f.size() + 1;
    }
  }

  size_t n_fields() const { return fields_.size(); }
  // An optional column the file lacks reads as '.'.
  std::string_view get(int canonical) const { return col_of_[canonical] < 0 ? "." : fields_[col_of_[canonical]]; }
  int column(int canonical) const { return col_of_[canonical] < 0 ? 0 : starts_[col_of_[canonical]]; }

  [[noreturn]] void fail(int canonical, const std::string& msg) const {
    throw PanelError(origin_ + ":" + std::to_string(line_) + ":" + std::to_string(column(canonical)) + ": " +
                     all_panel_columns()[canonical] + ": " + msg);
  }

  bool unknown(int c) const { return get(c) == "."; }

  std::string text(int c, bool required) const {
    const auto v = get(c);
    if (v.empty()) fail(c, "empty field; write '.' for unknown");
    if (required && v == ".") fail(c, "required, '.' is not allowed");
    return v == "." ? std::string() : std::string(v);
  }

  std::string token(int c, bool required) const {
    std::string v = text(c, required);
    for (char ch : v)
      if (std::isspace(static_cast<unsigned char>(ch))) fail(c, "'" + v + "' contains white space");
    return v;
  }

  double number(int c, const char* what) const {
    const std::string v(get(c));
    if (v.empty()) fail(c, "empty field; write '.' for unknown");
    char* end = nullptr;
    errno = 0;
    const double x = std::strtod(v.c_str(), &end);
    if (end == v.c_str() || *end != '\0' || errno == ERANGE || !std::isfinite(x))
      fail(c, std::string("non-numeric ") + what + " '" + v + "'");
    return x;
  }

  int64_t position(int c) const {
    const std::string v(get(c));
    if (v == ".") return 0;
    if (v.empty() || v.size() > 10 || !std::all_of(v.begin(), v.end(), [](unsigned char ch) { return std::isdigit(ch); }))
      fail(c, "bad position '" + v + "'; expected a 1-based integer or '.'");
    const int64_t p = std::strtoll(v.c_str(), nullptr, 10);
    if (p < 1) fail(c, "bad position '" + v + "'; positions are 1-based");
    return p;
  }

  // A nucleotide allele ([ACGTN]+, upper case) or, when `symbolic_ok`, a symbolic allele such as <INS:ME:ALU>.
  void check_allele(int c, std::string_view a, bool symbolic_ok) const {
    if (symbolic_ok && is_symbolic(a)) {
      for (char ch : a.substr(1, a.size() - 2))
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == ':' || ch == '_' || ch == '.' || ch == '-'))
          fail(c, "bad symbolic allele '" + std::string(a) + "'");
      return;
    }
    if (a.empty()) fail(c, "empty allele");
    for (char ch : a)
      if (ch != 'A' && ch != 'C' && ch != 'G' && ch != 'T' && ch != 'N')
        fail(c, "bad allele '" + std::string(a) + "'; alleles are upper-case A, C, G, T, N or <SYMBOLIC>");
  }

  std::vector<std::string> alleles(int c) const {
    const std::string v = token(c, false);
    std::vector<std::string> out;
    if (v.empty()) return out;
    std::stringstream ss(v);
    std::string a;
    while (std::getline(ss, a, ',')) {
      check_allele(c, a, true);
      if (std::find(out.begin(), out.end(), a) != out.end()) fail(c, "allele '" + a + "' listed twice");
      out.push_back(a);
    }
    if (v.back() == ',') fail(c, "empty allele after ','");
    return out;
  }

  std::vector<std::string> raw() const { return {fields_.begin(), fields_.end()}; }

 private:
  const std::string& origin_;
  int line_;
  std::vector<std::string_view> fields_;
  std::vector<int> starts_;
  const std::vector<int>& col_of_;
};

enum Col { kId, kRsid, kGene, kPathway, kTrait, kChrom, kPos37, kRef37, kAlt37, kPos38, kRef38, kAlt38,
           kEffect, kOr, kWeight, kModel, kEaf, kGrade, kEvidence, kSource, kNotes, kNRequired,
           kOther = kNRequired, kEafPop, kEafSrc, kNCols };

// An eaf_population value: POP or POP:KIND, POP one of the superpopulations, KIND reference_panel or
// study_cohort. Returns an error text, empty when good.
std::string check_eaf_population(std::string_view v, Population& pop, std::string& kind) {
  const size_t colon = v.find(':');
  const auto p = parse_population(v.substr(0, colon));
  if (!p) return "population '" + std::string(v.substr(0, colon)) + "' is not one of " + population_names();
  pop = *p;
  kind = colon == std::string_view::npos ? std::string() : std::string(v.substr(colon + 1));
  if (colon != std::string_view::npos && kind != "reference_panel" && kind != "study_cohort")
    return "cohort kind '" + kind + "' is not reference_panel or study_cohort";
  return "";
}

}  // namespace

VariantType PanelSite::type() const {
  const VariantType t38 = type_of(in(Build::kGRCh38));
  const VariantType t = t38 != VariantType::kUnknown ? t38 : type_of(in(Build::kGRCh37));
  if (t != VariantType::kUnknown || effect_allele.empty() || other_allele.empty()) return t;
  // REF unknown, both alleles known (a PGS Catalog row): the pair tells the type.
  BuildLocus pair;
  pair.ref = other_allele;
  pair.alts = {effect_allele};
  return type_of(pair);
}

Panel Panel::parse(std::string_view text, const std::string& origin) {
  Panel p;
  p.origin_ = origin;
  p.sha256_ = sha256_hex(text);
  const auto& cols = all_panel_columns();
  std::vector<int> col_of(kNCols, -1);
  size_t n_header_cols = 0;
  bool have_header = false;
  std::unordered_map<std::string, int> id_line;

  int line_no = 0;
  size_t start = 0;
  std::string_view line;
  while (next_line(text, start, line)) {
    ++line_no;
    const std::string where = origin + ":" + std::to_string(line_no) + ":";

    if (line.substr(0, 2) == "##") {
      if (have_header) throw PanelError(where + "1: '##' header line after the column header");
      const size_t eq = line.find('=');
      if (eq == std::string_view::npos || eq == 2)
        throw PanelError(where + "1: header lines are '##key=value'");
      p.meta_.emplace_back(std::string(line.substr(2, eq - 2)), std::string(line.substr(eq + 1)));
      if (p.meta_.back().first == "healcap_panel") {
        const std::string& v = p.meta_.back().second;
        if (v.empty() || v.size() > 3 || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }) ||
            std::stoi(v) < 1)
          throw PanelError(where + std::to_string(eq + 2) + ": '##healcap_panel=" + v + "' is not a panel format number");
        if (std::stoi(v) > kPanelFormat)
          throw PanelError(where + std::to_string(eq + 2) + ": panel format " + v + " is newer than this healcap reads (" +
                           std::to_string(kPanelFormat) + "); use a newer healcap");
      }
      continue;
    }
    if (line.empty()) throw PanelError(where + "0: empty line; remove it");

    if (!have_header) {
      const auto names = split_tabs(line);
      std::set<std::string_view> seen;
      int column = 1;
      for (size_t i = 0; i < names.size(); ++i) {
        const auto it = std::find(cols.begin(), cols.end(), names[i]);
        if (it == cols.end())
          throw PanelError(where + std::to_string(column) + ": unknown column '" + std::string(names[i]) +
                           "'; the columns are: " + [&] {
                             std::string s;
                             for (const auto& c : cols) s += (s.empty() ? "" : " ") + c;
                             return s;
                           }());
        if (!seen.insert(names[i]).second)
          throw PanelError(where + std::to_string(column) + ": column '" + std::string(names[i]) + "' appears twice");
        col_of[it - cols.begin()] = static_cast<int>(i);
        p.column_order_.emplace_back(names[i]);
        column += static_cast<int>(names[i].size()) + 1;
      }
      for (int c = 0; c < kNRequired; ++c)
        if (col_of[c] < 0) throw PanelError(where + "0: missing column '" + cols[c] + "'");
      n_header_cols = names.size();
      have_header = true;
      continue;
    }

    RowParser r(origin, line_no, line, col_of);
    if (r.n_fields() != n_header_cols)
      throw PanelError(where + "0: expected " + std::to_string(n_header_cols) + " tab-separated fields, found " +
                       std::to_string(r.n_fields()));
    PanelSite s;
    s.line = line_no;
    s.fields = r.raw();
    s.id = r.token(kId, true);
    if (const auto [it, fresh] = id_line.emplace(s.id, line_no); !fresh)
      r.fail(kId, "duplicate id '" + s.id + "' (first at line " + std::to_string(it->second) + ")");
    s.rsid = r.token(kRsid, false);
    if (!s.rsid.empty() && (s.rsid.size() < 3 || s.rsid.compare(0, 2, "rs") != 0 ||
                            !std::all_of(s.rsid.begin() + 2, s.rsid.end(), [](unsigned char ch) { return std::isdigit(ch); })))
      r.fail(kRsid, "bad rsID '" + s.rsid + "'; expected rs followed by digits, or '.'");
    s.gene = r.token(kGene, true);

    const auto vocab = [&](int c, auto parse, const std::vector<VocabularyEntry>& v, const char* what) {
      const std::string t = r.token(c, true);
      const auto x = parse(t);
      if (!x) r.fail(c, "'" + t + "' is not a " + what + "; use one of " + vocabulary_names(v));
      return *x;
    };
    s.pathway = vocab(kPathway, parse_pathway, pathway_vocabulary(), "pathway");
    s.trait = vocab(kTrait, parse_trait, trait_vocabulary(), "trait");
    s.model = vocab(kModel, parse_model, model_vocabulary(), "model");
    s.grade = vocab(kGrade, parse_grade, grade_vocabulary(), "evidence grade");

    s.chrom = r.token(kChrom, false);
    const std::string contig = s.chrom.empty() ? std::string() : normalise_contig(s.chrom);
    const int pos_col[2] = {kPos37, kPos38}, ref_col[2] = {kRef37, kRef38}, alt_col[2] = {kAlt37, kAlt38};
    for (int b = 0; b < 2; ++b) {
      BuildLocus& l = s.locus[b];
      l.pos = r.position(pos_col[b]);
      const std::string ref = r.token(ref_col[b], false);
      if (!ref.empty()) r.check_allele(ref_col[b], ref, false);
      l.ref = ref;
      l.alts = r.alleles(alt_col[b]);
      if (l.pos > 0 && contig.empty()) r.fail(pos_col[b], "a position needs a chrom");
      if (l.pos == 0 && (!l.ref.empty() || !l.alts.empty()))
        r.fail(l.ref.empty() ? alt_col[b] : ref_col[b], "alleles given without a position in this build");
      if (std::find(l.alts.begin(), l.alts.end(), l.ref) != l.alts.end() && !l.ref.empty())
        r.fail(alt_col[b], "ALT repeats the REF allele '" + l.ref + "'");
      if (l.pos > 0) l.contig = contig;
    }

    s.effect_allele = r.token(kEffect, false);
    if (!s.effect_allele.empty()) {
      r.check_allele(kEffect, s.effect_allele, true);
      for (int b = 0; b < 2; ++b) {
        const BuildLocus& l = s.locus[b];
        if (!l.alleles_known()) continue;
        if (s.effect_allele != l.ref && std::find(l.alts.begin(), l.alts.end(), s.effect_allele) == l.alts.end())
          r.fail(kEffect, "effect allele '" + s.effect_allele + "' is not among " +
                              std::string(to_string(static_cast<Build>(b))) + " REF/ALT " + l.ref + "/" +
                              std::string(r.get(alt_col[b])));
      }
    }
    if (!r.unknown(kOr)) {
      s.odds_ratio = r.number(kOr, "odds ratio");
      if (*s.odds_ratio <= 0) r.fail(kOr, "odds ratio must be positive");
    }
    s.weight = r.number(kWeight, "weight");
    if (s.weight != 0 && s.effect_allele.empty())
      r.fail(kWeight, "non-zero weight needs an effect allele; use weight 0 for a flag-only site");
    if (s.weight != 0 && s.grade == EvidenceGrade::kNone)
      r.fail(kWeight, "evidence grade 'none' means no stated direction, so the weight must be 0");
    if (!r.unknown(kEaf)) {
      s.eaf = r.number(kEaf, "effect-allele frequency");
      if (*s.eaf < 0 || *s.eaf > 1) r.fail(kEaf, "effect-allele frequency must lie in [0, 1]");
      if (s.effect_allele.empty()) r.fail(kEaf, "an effect-allele frequency needs an effect allele");
    }
    s.other_allele = r.token(kOther, false);
    if (!s.other_allele.empty()) {
      r.check_allele(kOther, s.other_allele, true);
      if (s.effect_allele.empty()) r.fail(kOther, "an other allele needs an effect allele");
      if (s.other_allele == s.effect_allele) r.fail(kOther, "the other allele is the effect allele '" + s.effect_allele + "'");
      for (int b = 0; b < 2; ++b) {
        const BuildLocus& l = s.locus[b];
        if (!l.alleles_known()) continue;
        if (s.other_allele != l.ref && std::find(l.alts.begin(), l.alts.end(), s.other_allele) == l.alts.end())
          r.fail(kOther, "other allele '" + s.other_allele + "' is not among " +
                             std::string(to_string(static_cast<Build>(b))) + " REF/ALT " + l.ref + "/" +
                             std::string(r.get(alt_col[b])));
      }
    }
    s.eaf_population = r.token(kEafPop, false);
    s.eaf_source = r.text(kEafSrc, false);
    if (!s.eaf && (!s.eaf_population.empty() || !s.eaf_source.empty()))
      r.fail(s.eaf_population.empty() ? kEafSrc : kEafPop, "given without an eaf; write '.'");
    if (s.eaf) {
      PopulationEaf e;
      e.eaf = *s.eaf;
      e.source = s.eaf_source;
      e.stated = !s.eaf_population.empty();
      if (e.stated) {
        const std::string err = check_eaf_population(s.eaf_population, e.population, e.kind);
        if (!err.empty()) r.fail(kEafPop, err + "; write POP or POP:KIND, e.g. EUR:reference_panel");
      }  // unstated: EUR, the population the eaf column meant before format 2 (README "Panel format")
      s.eafs.push_back(std::move(e));
    }
    s.evidence = r.text(kEvidence, false);
    s.source = r.text(kSource, false);
    s.notes = r.text(kNotes, false);
    p.sites_.push_back(std::move(s));
  }

  if (!have_header) throw PanelError(origin + ":" + std::to_string(line_no) + ":0: no column header line");
  if (p.sites_.empty()) throw PanelError(origin + ":" + std::to_string(line_no) + ":0: the panel has no rows");
  for (const auto& [k, v] : p.meta_) {
    if (k == "panel") p.name_ = v;
    if (k == "version") p.version_ = v;
  }
  if (p.name_.empty()) throw PanelError(origin + ":1:0: missing '##panel=NAME' header line");
  if (p.version_.empty()) throw PanelError(origin + ":1:0: missing '##version=VERSION' header line");
  PanelComponent c;
  c.id = panel_id_of(p.name_);
  c.name = p.name_;
  c.version = p.version_;
  c.sha256 = p.sha256_;
  c.origin = origin;
  c.kind = PanelKind::kTsv;
  c.meta = p.meta_;
  c.n_rows = p.sites_.size();
  p.components_.push_back(std::move(c));
  p.build_index();
  return p;
}

Panel Panel::load(const std::string& path, const PanelLoadOptions& opt) {
  // zlib reads a gzip file (one member or several) and passes plain text through unchanged.
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw PanelError(path + ":0:0: cannot open panel file: " + std::strerror(errno ? errno : ENOENT));
  std::string text;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
  int err = Z_OK;
  const std::string why = n < 0 ? gzerror(f, &err) : "";
  const int rc = gzclose_r(f);
  if (n < 0 || rc != Z_OK)
    throw PanelError(path + ":0:0: cannot read panel file" +
                     (rc == Z_BUF_ERROR ? std::string(": the gzip stream is truncated") : why.empty() ? "" : ": " + why));
  if (looks_like_pgs_catalog(text)) return parse_pgs_catalog(text, path, opt);
  return parse(text, path);
}

namespace {
std::string fixed_text(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", x);
  return b;
}
}  // namespace

void Panel::attach_eafs(std::string_view text, const std::string& origin) {
  static const std::vector<std::string> kCols = {"id", "population", "kind", "eaf", "source", "notes"};
  std::unordered_map<std::string_view, size_t> row_of;
  for (size_t i = 0; i < sites_.size(); ++i) row_of.emplace(sites_[i].id, i);
  // Where each (row, population) came from: the eaf column (line 0) or a line of this table.
  std::map<std::pair<size_t, Population>, int> given;
  for (size_t i = 0; i < sites_.size(); ++i)
    for (const auto& e : sites_[i].eafs) given[{i, e.population}] = 0;
  bool have_header = false;
  int line_no = 0;
  size_t start = 0;
  std::vector<std::pair<size_t, PopulationEaf>> adds;
  std::string_view line;
  while (next_line(text, start, line)) {
    ++line_no;
    const std::string where = origin + ":" + std::to_string(line_no) + ":";
    if (line.substr(0, 2) == "##") {
      if (have_header) throw PanelError(where + "1: '##' line after the column header");
      continue;
    }
    if (line.empty()) throw PanelError(where + "0: empty line; remove it");
    const auto f = split_tabs(line);
    if (!have_header) {
      if (f.size() != kCols.size() || !std::equal(f.begin(), f.end(), kCols.begin()))
        throw PanelError(where + "1: the columns must be: id population kind eaf source notes");
      have_header = true;
      continue;
    }
    if (f.size() != kCols.size())
      throw PanelError(where + "0: expected 6 tab-separated fields, found " + std::to_string(f.size()));
    size_t col = 1;
    std::vector<size_t> at;
    for (const auto& x : f) {
      at.push_back(col);
      col += x.size() + 1;
    }
    const auto fail = [&](size_t c, const std::string& m) {
      throw PanelError(where + std::to_string(at[c]) + ": " + kCols[c] + ": " + m);
    };
    const auto it = row_of.find(f[0]);
    if (it == row_of.end()) fail(0, "no panel row has id '" + std::string(f[0]) + "'");
    const PanelSite& site = sites_[it->second];
    if (site.effect_allele.empty()) fail(0, "row '" + site.id + "' has no effect allele to give a frequency of");
    PopulationEaf e;
    const auto pop = parse_population(f[1]);
    if (!pop) fail(1, "'" + std::string(f[1]) + "' is not one of " + population_names());
    e.population = *pop;
    e.kind = f[2] == "." ? std::string() : std::string(f[2]);
    if (!e.kind.empty() && e.kind != "reference_panel" && e.kind != "study_cohort")
      fail(2, "'" + e.kind + "' is not reference_panel, study_cohort or '.'");
    const std::string v(f[3]);
    char* end = nullptr;
    errno = 0;
    e.eaf = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || errno == ERANGE || !(e.eaf >= 0 && e.eaf <= 1))
      fail(3, "'" + v + "' is not a frequency in [0, 1]");
    e.source = f[4] == "." ? std::string() : std::string(f[4]);
    const auto [g, fresh] = given.emplace(std::make_pair(it->second, e.population), line_no);
    if (!fresh) {
      if (g->second > 0)
        fail(1, std::string(to_string(e.population)) + " is given twice for '" + site.id + "' (first at line " +
                    std::to_string(g->second) + ")");
      const PopulationEaf* col_eaf = site.eaf_in(e.population);
      if (col_eaf->eaf != e.eaf || (!col_eaf->source.empty() && !e.source.empty() && col_eaf->source != e.source))
        fail(3, "disagrees with the panel's eaf column for '" + site.id + "' (" + std::string(to_string(e.population)) +
                    " " + fixed_text(col_eaf->eaf) + "); make them equal");
      g->second = line_no;
      continue;  // the same frequency as the eaf column: kept once
    }
    adds.emplace_back(it->second, std::move(e));
  }
  if (!have_header) throw PanelError(origin + ":" + std::to_string(line_no) + ":0: no column header line");
  for (auto& [i, e] : adds) sites_[i].eafs.push_back(std::move(e));
  eaf_sha256_ = sha256_hex(text);
  eaf_origin_ = origin;
}

Panel Panel::combine(std::vector<Panel> parts) {
  if (parts.size() == 1) return std::move(parts.front());
  Panel p;
  std::unordered_map<std::string, std::pair<size_t, int>> id_at;  // row id -> component, line
  std::string identity;
  for (Panel& part : parts) {
    for (PanelComponent& c : part.components_) {
      for (const PanelComponent& seen : p.components_)
        if (seen.id == c.id)
          throw PanelError(c.origin + ":0:0: panel id '" + c.id + "' is also the id of " + seen.origin +
                           "; give each panel once (the id prefixes its output columns)");
      if (p.components_.size() >= 0xffff) throw PanelError(c.origin + ":0:0: too many panels in one run");
      c.first_row += p.sites_.size();
      identity += std::string(to_string(c.kind)) + "\t" + c.id + "\t" + c.sha256 + "\t" + std::to_string(c.n_rows) + "\n";
    }
    const uint16_t shift = static_cast<uint16_t>(p.components_.size());
    for (PanelSite& s : part.sites_) {
      s.component = static_cast<uint16_t>(s.component + shift);
      const auto [it, fresh] = id_at.emplace(s.id, std::make_pair(size_t{s.component}, s.line));
      if (!fresh) {
        const PanelComponent& other = it->second.first < p.components_.size() ? p.components_[it->second.first]
                                                                               : part.components_[it->second.first - shift];
        throw PanelError(part.components_[s.component - shift].origin + ":" + std::to_string(s.line) + ":1: id: row id '" +
                         s.id + "' is also in " + other.origin + " (line " + std::to_string(it->second.second) +
                         "); row ids must be unique across the panels of a run");
      }
      p.sites_.push_back(std::move(s));
    }
    for (PanelComponent& c : part.components_) p.components_.push_back(std::move(c));
  }
  for (size_t k = 0; k < p.components_.size(); ++k) {
    const PanelComponent& c = p.components_[k];
    p.name_ += (k ? " + " : "") + c.name;
    p.version_ += (k ? " + " : "") + (c.version.empty() ? std::string(".") : c.version);
    p.origin_ += (k ? ", " : "") + c.origin;
  }
  p.sha256_ = sha256_hex(identity);
  p.build_index();
  return p;
}

void Panel::build_index() {
  for (int b = 0; b < 2; ++b) {
    auto& order = by_position_[b];
    for (size_t i = 0; i < sites_.size(); ++i)
      if (sites_[i].locus[b].placed()) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      const BuildLocus& a = sites_[x].locus[b];
      const BuildLocus& c = sites_[y].locus[b];
      const int ra = contig_rank(a.contig), rc = contig_rank(c.contig);
      if (ra != rc) return ra < rc;
      if (a.contig != c.contig) return a.contig < c.contig;
      return a.pos < c.pos;
    });
    for (size_t k = 0; k < order.size();) {
      const std::string& contig = sites_[order[k]].locus[b].contig;
      size_t e = k;
      while (e < order.size() && sites_[order[e]].locus[b].contig == contig) ++e;
      contig_range_[b][contig] = {k, e};
      auto& pos = contig_positions_[b][contig];
      for (size_t j = k; j < e; ++j) pos.push_back(sites_[order[j]].locus[b].pos);
      k = e;
    }
  }
}

std::vector<size_t> Panel::sites_in(Build b, std::string_view contig, int64_t beg, int64_t end) const {
  std::vector<size_t> out;
  const auto& ranges = contig_range_[static_cast<size_t>(b)];
  const auto it = ranges.find(normalise_contig(contig));
  if (it == ranges.end()) return out;
  const auto& order = by_position_[static_cast<size_t>(b)];
  const auto first = order.begin() + it->second.first, last = order.begin() + it->second.second;
  auto lo = std::lower_bound(first, last, beg, [&](size_t i, int64_t p) { return sites_[i].locus[static_cast<size_t>(b)].pos < p; });
  for (; lo != last && sites_[*lo].locus[static_cast<size_t>(b)].pos <= end; ++lo) out.push_back(*lo);
  return out;
}

std::vector<size_t> Panel::sites_at(Build b, std::string_view contig, int64_t pos) const {
  auto out = sites_in(b, contig, pos, pos);
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<int64_t>* Panel::positions(Build b, const std::string& canonical_contig) const {
  const auto& m = contig_positions_[static_cast<size_t>(b)];
  const auto it = m.find(canonical_contig);
  return it == m.end() ? nullptr : &it->second;
}

std::vector<size_t> Panel::find(std::string_view key) const {
  std::vector<size_t> out;
  const std::string k = lower(key);
  for (size_t i = 0; i < sites_.size(); ++i) {
    const PanelSite& s = sites_[i];
    if (s.id == key || (!s.rsid.empty() && lower(s.rsid) == k) || lower(s.gene) == k) out.push_back(i);
  }
  return out;
}

}  // namespace healcap
