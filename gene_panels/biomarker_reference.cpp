// The biomarker reference: the three bundled TSV files parsed and checked strictly, then indexed by name.
#include "biomarker_reference.h"

#include <charconv>
#include <cmath>
#include <map>

namespace healcap {

std::string_view to_string(Specimen s) {
  switch (s) {
    case Specimen::kSerum: return "serum";
    case Specimen::kPlasma: return "plasma";
    case Specimen::kSynovialFluid: return "synovial_fluid";
    case Specimen::kWholeBlood: return "whole_blood";
  }
  return "serum";
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower_ascii(std::string_view s) {
  std::string o(s);
  for (char& c : o)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return o;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t b = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(b, i - b));
      b = i + 1;
    }
  return out;
}

// A finite number as written in the files (no sign other than '-', no blanks); nullopt otherwise.
std::optional<double> number(std::string_view s) {
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// One TSV file: its header's columns by name and its rows, each with its 1-based line.
struct Table {
  std::string origin;
  std::map<std::string, size_t, std::less<>> column;
  std::vector<std::pair<int, std::vector<std::string_view>>> rows;

  [[noreturn]] void fail(int line, const std::string& m) const {
    throw BiomarkerReferenceError(origin + ":" + std::to_string(line) + ": " + m);
  }
  std::string_view at(const std::pair<int, std::vector<std::string_view>>& row, std::string_view name) const {
    return row.second[column.find(name)->second];
  }
};

Table read_table(std::string_view text, const std::string& origin, const std::vector<std::string>& required) {
  Table t;
  t.origin = origin;
  std::vector<std::string_view> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (lines.empty()) t.fail(1, "empty file");
  const std::vector<std::string_view> head = split(lines[0], '\t');
  for (size_t i = 0; i < head.size(); ++i)
    if (!t.column.emplace(std::string(head[i]), i).second) t.fail(1, "column '" + std::string(head[i]) + "' appears twice");
  for (const std::string& c : required)
    if (!t.column.count(c)) t.fail(1, "missing column '" + c + "'");
  for (size_t i = 1; i < lines.size(); ++i) {
    const int line = static_cast<int>(i + 1);
    std::vector<std::string_view> f = split(lines[i], '\t');
    if (f.size() != head.size())
      t.fail(line, std::to_string(f.size()) + " fields, the header has " + std::to_string(head.size()));
    t.rows.emplace_back(line, std::move(f));
  }
  return t;
}

std::vector<Specimen> specimens(const Table& t, int line, std::string_view list) {
  std::vector<Specimen> out;
  for (std::string_view s : split(list, ';')) {
    const auto sp = parse_specimen(s);
    if (!sp) t.fail(line, "unknown specimen '" + std::string(s) + "'");
    out.push_back(*sp);
  }
  return out;
}

}  // namespace

std::optional<Specimen> parse_specimen(std::string_view text) {
  std::string s = lower_ascii(trim(text));
  for (char& c : s)
    if (c == ' ' || c == '-') c = '_';
  for (size_t k = 0; k < kNumSpecimens; ++k)
    if (s == to_string(static_cast<Specimen>(k))) return static_cast<Specimen>(k);
  return std::nullopt;
}

std::string fold_name(std::string_view s) { return lower_ascii(trim(s)); }

std::string fold_unit(std::string_view s) {
  const std::string t = lower_ascii(trim(s));
  std::string o;
  for (size_t i = 0; i < t.size(); ++i) {
    const unsigned c = static_cast<unsigned char>(t[i]), d = i + 1 < t.size() ? static_cast<unsigned char>(t[i + 1]) : 0u;
    if ((c == 0xC2 && d == 0xB5) || (c == 0xCE && d == 0xBC)) {  // micro sign, Greek small mu
      o += 'u';
      ++i;
    } else {
      o += static_cast<char>(c);
    }
  }
  return o;
}

BiomarkerReference BiomarkerReference::parse(std::string_view markers_tsv, std::string_view variation_tsv,
                                             std::string_view categories_tsv, const std::string& origin) {
  BiomarkerReference ref;
  const Table m = read_table(markers_tsv, origin + "/markers.tsv",
                             {"marker", "synonyms", "role", "canonical_unit", "accepted_units", "specimens",
                              "decrease_means", "role_source"});
  for (const auto& row : m.rows) {
    BiomarkerMarker k;
    k.line = row.first;
    k.name = std::string(m.at(row, "marker"));
    if (k.name.empty()) m.fail(k.line, "empty marker name");
    for (std::string_view s : split(m.at(row, "synonyms"), ';'))
      if (!s.empty()) k.synonyms.emplace_back(s);
    k.role = std::string(m.at(row, "role"));
    k.canonical_unit = std::string(m.at(row, "canonical_unit"));
    k.decrease_means = std::string(m.at(row, "decrease_means"));
    k.role_source = std::string(m.at(row, "role_source"));
    bool canonical_listed = false;
    for (std::string_view u : split(m.at(row, "accepted_units"), ';')) {
      const size_t eq = u.rfind('=');
      const auto f = eq == std::string_view::npos ? std::nullopt : number(u.substr(eq + 1));
      if (!f || *f <= 0) m.fail(k.line, "accepted unit '" + std::string(u) + "' is not unit=factor with a factor above 0");
      UnitFactor uf{std::string(u.substr(0, eq)), std::string(u.substr(eq + 1)), *f};
      for (const UnitFactor& o : k.units)
        if (fold_unit(o.unit) == fold_unit(uf.unit) && o.factor != uf.factor)
          m.fail(k.line, "units '" + o.unit + "' and '" + uf.unit + "' are one unit with two factors");
      canonical_listed = canonical_listed || (fold_unit(uf.unit) == fold_unit(k.canonical_unit) && uf.factor == 1);
      k.units.push_back(std::move(uf));
    }
    if (!canonical_listed) m.fail(k.line, "the canonical unit '" + k.canonical_unit + "' is not accepted with factor 1");
    k.specimens = specimens(m, k.line, m.at(row, "specimens"));
    const std::string& d = k.decrease_means;
    if (d == "less_inflammation" || d == "less_matrix_breakdown" || d == "less_pain_signal")
      k.direction = Direction::kDecreaseImproves;
    else if (d == "less_anti_inflammatory_signal" || d == "less_matrix_protection")
      k.direction = Direction::kDecreaseWorsens;
    else if (d == "context_dependent" || d == "not_a_treatment_marker")
      k.direction = Direction::kNone;
    else
      m.fail(k.line, "decrease_means '" + d + "' is not one healcap knows how to read");
    k.pro_inflammatory = d == "less_inflammation";
    const size_t index = ref.markers_.size();
    std::vector<std::string> names{k.name};
    names.insert(names.end(), k.synonyms.begin(), k.synonyms.end());
    for (const std::string& n : names) {
      const auto [it, fresh] = ref.by_name_.emplace(fold_name(n), index);
      if (!fresh && it->second != index)
        m.fail(k.line, "name '" + n + "' also names " + ref.markers_[it->second].name);
    }
    ref.markers_.push_back(std::move(k));
  }
  const auto marker_of = [&](const Table& t, int line, std::string_view name) {
    for (size_t i = 0; i < ref.markers_.size(); ++i)
      if (ref.markers_[i].name == name) return i;
    t.fail(line, "marker '" + std::string(name) + "' is not in markers.tsv");
  };
  const auto optional_cv = [](const Table& t, int line, std::string_view s, const char* what) -> std::optional<double> {
    if (s == ".") return std::nullopt;
    const auto v = number(s);
    if (!v || *v <= 0) t.fail(line, std::string(what) + " '" + std::string(s) + "' is not a number above 0 or '.'");
    return v;
  };
  const Table v = read_table(variation_tsv, origin + "/biological_variation.tsv",
                             {"marker", "specimen", "population", "cv_within_pct", "cv_analytical_pct", "cv_between_pct",
                              "published_critical_difference_pct", "n_subjects", "sampling", "citation", "how_read", "status"});
  for (const auto& row : v.rows) {
    BiologicalVariation b;
    b.line = row.first;
    b.marker = marker_of(v, b.line, v.at(row, "marker"));
    b.specimen_text = std::string(v.at(row, "specimen"));
    const std::string first_word = b.specimen_text.substr(0, b.specimen_text.find(' '));
    const auto sp = parse_specimen(first_word);
    if (!sp || !is_blood_fraction(*sp))
      v.fail(b.line, "specimen '" + b.specimen_text + "' does not start with serum or plasma");
    b.specimen = *sp;
    b.population = std::string(v.at(row, "population"));
    b.cv_within = optional_cv(v, b.line, v.at(row, "cv_within_pct"), "cv_within_pct");
    b.cv_analytical = optional_cv(v, b.line, v.at(row, "cv_analytical_pct"), "cv_analytical_pct");
    b.cv_between = optional_cv(v, b.line, v.at(row, "cv_between_pct"), "cv_between_pct");
    b.critical_difference =
        optional_cv(v, b.line, v.at(row, "published_critical_difference_pct"), "published_critical_difference_pct");
    b.n_subjects = std::string(v.at(row, "n_subjects"));
    b.sampling = std::string(v.at(row, "sampling"));
    b.citation = std::string(v.at(row, "citation"));
    b.how_read = std::string(v.at(row, "how_read"));
    b.status = std::string(v.at(row, "status"));
    for (const BiologicalVariation& o : ref.variation_)
      if (o.marker == b.marker && o.specimen == b.specimen)
        v.fail(b.line, "a second row for " + ref.markers_[b.marker].name + " in " + std::string(to_string(b.specimen)));
    ref.variation_.push_back(std::move(b));
  }
  const Table c = read_table(categories_tsv, origin + "/decision_categories.tsv",
                             {"marker", "specimen", "category", "low_inclusive", "high_exclusive", "unit", "meaning",
                              "citation", "notes"});
  for (const auto& row : c.rows) {
    DecisionCategory d;
    d.line = row.first;
    d.marker = marker_of(c, d.line, c.at(row, "marker"));
    d.specimens = specimens(c, d.line, c.at(row, "specimen"));
    d.category = std::string(c.at(row, "category"));
    const auto low = number(c.at(row, "low_inclusive"));
    if (!low || *low < 0) c.fail(d.line, "low_inclusive is not a number of 0 or more");
    d.low = *low;
    if (c.at(row, "high_exclusive") != ".") {
      d.high = number(c.at(row, "high_exclusive"));
      if (!d.high || *d.high <= d.low) c.fail(d.line, "high_exclusive is not a number above low_inclusive, or '.'");
    }
    d.unit = std::string(c.at(row, "unit"));
    if (fold_unit(d.unit) != fold_unit(ref.markers_[d.marker].canonical_unit))
      c.fail(d.line, "unit '" + d.unit + "' is not " + ref.markers_[d.marker].name + "'s canonical unit");
    d.meaning = std::string(c.at(row, "meaning"));
    d.citation = std::string(c.at(row, "citation"));
    d.notes = std::string(c.at(row, "notes"));
    ref.categories_.push_back(std::move(d));
  }
  return ref;
}

std::optional<size_t> BiomarkerReference::find_marker(std::string_view name) const {
  const auto it = by_name_.find(fold_name(name));
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

const UnitFactor* BiomarkerReference::find_unit(size_t m, std::string_view unit) const {
  const std::string u = fold_unit(unit);
  for (const UnitFactor& f : markers_[m].units)
    if (fold_unit(f.unit) == u) return &f;
  return nullptr;
}

const BiologicalVariation* BiomarkerReference::variation_for(size_t m, Specimen s) const {
  if (!is_blood_fraction(s)) return nullptr;
  const BiologicalVariation* other = nullptr;
  for (const BiologicalVariation& b : variation_) {
    if (b.marker != m) continue;
    if (b.specimen == s) return &b;
    other = &b;
  }
  return other;
}

std::vector<const DecisionCategory*> BiomarkerReference::categories_for(size_t m, Specimen s) const {
  std::vector<const DecisionCategory*> out;
  for (const DecisionCategory& d : categories_)
    if (d.marker == m)
      for (Specimen x : d.specimens)
        if (x == s) {
          out.push_back(&d);
          break;
        }
  return out;
}

}  // namespace healcap
