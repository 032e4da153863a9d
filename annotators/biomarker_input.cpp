// The biomarker file parsed and checked: fields (TSV or CSV, quoted or not), values and units into the
// canonical unit, duplicates, and the timepoints put in one order (by --timepoints, else by the rows' dates).
#include "biomarker_input.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "sha256.h"

namespace healcap {

const std::vector<std::string>& biomarker_required_columns() {
  static const std::vector<std::string> c = {"sample", "marker", "value", "unit", "timepoint"};
  return c;
}
const std::vector<std::string>& biomarker_optional_columns() {
  static const std::vector<std::string> c = {"specimen", "date", "assay", "lab", "ref_low", "ref_high", "cv_analytical"};
  return c;
}

std::string_view to_string(RcvLimits r) { return r == RcvLimits::kSymmetric ? "symmetric" : "lognormal"; }

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// The file's lines, each with its 1-based number; "\r\n" read as "\n", a UTF-8 byte-order mark dropped.
std::vector<std::pair<int, std::string_view>> lines_of(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::pair<int, std::string_view>> out;
  int n = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.emplace_back(++n, line);
  }
  return out;
}

bool blank(std::string_view line) { return trim(line).empty(); }

// Splits a line on `sep`; a field that starts with '"' runs to its closing quote ("" is a quote inside it).
// Fields are trimmed of blanks outside quotes. Throws on an unclosed quote, text after a closing quote and
// control characters (other than the tab of a CSV field).
std::vector<std::string> fields_of(std::string_view line, char sep, const std::string& where) {
  std::vector<std::string> out;
  size_t i = 0;
  for (;;) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::string f;
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size())
          throw BiomarkerInputError(where + ": a quoted field is not closed on its line (a line break inside "
                                            "quotes is not read: one measurement per line)");
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            f += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        f += line[i++];
      }
      while (i < line.size() && line[i] == ' ') ++i;
      if (i < line.size() && line[i] != sep)
        throw BiomarkerInputError(where + ": text after the closing quote of field " + std::to_string(out.size() + 1));
    } else {
      const size_t e = line.find(sep, i);
      f = std::string(trim(line.substr(i, e == std::string_view::npos ? std::string_view::npos : e - i)));
      i = e == std::string_view::npos ? line.size() : e;
    }
    for (unsigned char c : f)
      if (c < 0x20 && c != '\t')
        throw BiomarkerInputError(where + ": field " + std::to_string(out.size() + 1) + " holds a control character");
    out.push_back(std::move(f));
    if (i >= line.size()) break;
    ++i;  // the separator
  }
  return out;
}

// A finite number: an optional sign, digits, a '.' and an exponent (no "inf", "nan" or hexadecimal).
std::optional<double> number(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.find_first_not_of("0123456789.-eE+") != std::string_view::npos) return std::nullopt;
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v + 0.0;  // no -0
}

bool same_number(double a, double b) { return a == b || std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)); }

std::string ends_of(const std::string& path) {
  std::string p = path;
  for (char& c : p)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return p;
}
bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

std::optional<int64_t> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const auto num = [&](size_t b, size_t n) {
    int v = 0;
    for (size_t i = b; i < b + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  // Days from the civil date (H. Hinnant's algorithm), proleptic Gregorian.
  const int64_t yy = y - (m <= 2);
  const int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  const int64_t yoe = yy - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

SampleMap parse_sample_map(std::string_view text, const std::string& path) {
  SampleMap map;
  map.path = path;
  for (const auto& [n, line] : lines_of(text)) {
    if (blank(line) || trim(line).front() == '#') continue;
    const std::string where = path + ":" + std::to_string(n);
    std::vector<std::string> f = fields_of(line, '\t', where);
    if (f.size() != 2 || f[0].empty() || f[1].empty())
      throw BiomarkerInputError(where + ": expected two tab-separated fields, the lab's sample id and the VCF sample id");
    const auto [it, fresh] = map.to_vcf.emplace(f[0], f[1]);
    if (!fresh && it->second != f[1])
      throw BiomarkerInputError(where + ": lab id " + quoted(f[0]) + " is mapped to " + quoted(it->second) + " and to " +
                                quoted(f[1]) + "; map each lab id once");
  }
  return map;
}

namespace {

// Puts the timepoints in one order and checks every sample's dates against it (see parse_biomarker_input).
void order_timepoints(BiomarkerInput& in, const BiomarkerOptions& opt) {
  const std::string& path = in.path;
  std::vector<std::string> labels;  // first appearance
  std::map<std::string, size_t> label_index;
  for (const Measurement& m : in.rows)
    if (label_index.emplace(m.timepoint, labels.size()).second) labels.push_back(m.timepoint);
  // Per sample and timepoint: the earliest and latest dated rows.
  struct Span {
    const Measurement* first = nullptr;
    const Measurement* last = nullptr;
  };
  std::map<std::string, std::map<size_t, Span>> spans;
  std::vector<std::string> sample_order;
  for (const Measurement& m : in.rows) {
    if (!spans.count(m.sample)) sample_order.push_back(m.sample);
    Span& s = spans[m.sample][label_index[m.timepoint]];
    if (!m.day) continue;
    if (!s.first || *m.day < *s.first->day) s.first = &m;
    if (!s.last || *m.day > *s.last->day) s.last = &m;
  }
  const auto at = [&](const Measurement* m) {
    return m->date + " at " + path + ":" + std::to_string(m->line);
  };
  if (!opt.timepoints.empty()) {
    in.by_date = false;
    std::map<std::string, size_t> rank;
    for (size_t i = 0; i < opt.timepoints.size(); ++i) rank.emplace(opt.timepoints[i], i);
    for (const Measurement& m : in.rows)
      if (!rank.count(m.timepoint))
        throw BiomarkerInputError(path + ":" + std::to_string(m.line) + ": timepoint " + quoted(m.timepoint) +
                                  " is not among --timepoints " + join(opt.timepoints, ",") + "; add it to the list");
    for (const std::string& t : opt.timepoints)
      if (label_index.count(t)) in.timepoints.push_back(t);
    // A later timepoint must not be dated before an earlier one (the same day is allowed: the list decides).
    for (const std::string& s : sample_order) {
      const auto& per = spans[s];
      for (size_t i = 0; i < in.timepoints.size(); ++i)
        for (size_t j = i + 1; j < in.timepoints.size(); ++j) {
          const auto a = per.find(label_index[in.timepoints[i]]), b = per.find(label_index[in.timepoints[j]]);
          if (a == per.end() || b == per.end() || !a->second.last || !b->second.first) continue;
          if (*b->second.first->day < *a->second.last->day)
            throw BiomarkerInputError(path + ":" + std::to_string(b->second.first->line) + ": sample " + quoted(s) +
                                      ": timepoint " + quoted(in.timepoints[j]) + " is dated " + at(b->second.first) +
                                      ", before " + quoted(in.timepoints[i]) + " (" + at(a->second.last) +
                                      "), which --timepoints puts first; correct the dates or the order");
        }
    }
    return;
  }
  for (const Measurement& m : in.rows)
    if (!m.day)
      throw BiomarkerInputError(path + ":" + std::to_string(m.line) + ": timepoint " + quoted(m.timepoint) +
                                " has no date, and without --timepoints healcap does not guess an order: give each row "
                                "a date, or --timepoints " + join(labels, ","));
  // Edges a -> b (a before b) from every sample whose dates separate them; two timepoints of one sample whose
  // dates overlap cannot be ordered.
  const size_t n = labels.size();
  std::vector<std::vector<std::string>> edge(n * n);  // edge[a * n + b]: the first sample saying a before b
  std::vector<int64_t> earliest(n, INT64_MAX);
  for (const std::string& s : sample_order) {
    const auto& per = spans[s];
    for (const auto& [a, sa] : per) {
      earliest[a] = std::min(earliest[a], *sa.first->day);
      for (const auto& [b, sb] : per) {
        if (a >= b) continue;
        size_t x = a, y = b;
        const Span *sx = &sa, *sy = &sb;
        if (*sb.last->day < *sa.first->day) {
          std::swap(x, y);
          std::swap(sx, sy);
        } else if (!(*sa.last->day < *sb.first->day)) {
          throw BiomarkerInputError(path + ":" + std::to_string(sb.first->line) + ": sample " + quoted(s) +
                                    ": timepoints " + quoted(labels[a]) + " (" + at(sa.first) + ") and " +
                                    quoted(labels[b]) + " (" + at(sb.first) + ") share dates, so their order cannot "
                                    "be told from the dates; give --timepoints");
        }
        if (!edge[y * n + x].empty())
          throw BiomarkerInputError(path + ":" + std::to_string(sx->first->line) + ": the dates put " +
                                    quoted(labels[x]) + " before " + quoted(labels[y]) + " for sample " + quoted(s) +
                                    " but after it for sample " + quoted(edge[y * n + x][0]) +
                                    "; correct the dates or give --timepoints");
        if (edge[x * n + y].empty()) edge[x * n + y] = {s};
      }
    }
  }
  // Kahn's order; among the timepoints free to come next, the earliest date first, then the file's order.
  std::vector<size_t> indegree(n, 0);
  for (size_t a = 0; a < n; ++a)
    for (size_t b = 0; b < n; ++b) indegree[b] += !edge[a * n + b].empty();
  std::vector<bool> done(n, false);
  for (size_t k = 0; k < n; ++k) {
    size_t best = n;
    for (size_t c = 0; c < n; ++c)
      if (!done[c] && indegree[c] == 0 && (best == n || earliest[c] < earliest[best])) best = c;
    if (best == n) {
      std::vector<std::string> left;
      for (size_t c = 0; c < n; ++c)
        if (!done[c]) left.push_back(labels[c]);
      throw BiomarkerInputError(path + ": the rows' dates order the timepoints " + join(left, ", ") +
                                " in a circle (each sample agrees with itself, not with the others); correct the "
                                "dates or give --timepoints");
    }
    done[best] = true;
    in.timepoints.push_back(labels[best]);
    for (size_t b = 0; b < n; ++b) indegree[b] -= !edge[best * n + b].empty();
  }
}

}  // namespace

BiomarkerInput parse_biomarker_input(std::string_view text, const std::string& path, const SampleMap* map,
                                     const BiomarkerOptions& opt, const BiomarkerReference& ref) {
  BiomarkerInput in;
  in.path = path;
  in.sha256 = sha256_hex(text);
  if (map) in.sample_map_path = map->path;
  const auto lines = lines_of(text);
  size_t h = 0;
  while (h < lines.size() && (blank(lines[h].second) || trim(lines[h].second).front() == '#')) ++h;
  if (h == lines.size())
    throw BiomarkerInputError(path + ": empty file: no header line and no measurements; the first line names the "
                                     "columns (sample, marker, value, unit, timepoint, ...)");
  const std::string lower = ends_of(path);
  const std::string_view head_line = lines[h].second;
  if (ends_with(lower, ".csv")) in.delimiter = ',';
  else if (ends_with(lower, ".tsv") || ends_with(lower, ".tab") || ends_with(lower, ".txt")) in.delimiter = '\t';
  else in.delimiter = head_line.find('\t') != std::string_view::npos ? '\t' : ',';
  const char sep = in.delimiter;
  const std::string read_as = sep == '\t' ? "TSV" : "CSV";
  const std::string head_where = path + ":" + std::to_string(lines[h].first);
  const std::vector<std::string> head = fields_of(head_line, sep, head_where);
  std::map<std::string, size_t> col;
  std::vector<std::string> ignored;
  for (size_t i = 0; i < head.size(); ++i) {
    const std::string name = fold_name(head[i]);
    if (!col.emplace(name, i).second)
      throw BiomarkerInputError(head_where + ": column " + quoted(name) + " is given twice");
    const auto& req = biomarker_required_columns();
    const auto& opt_cols = biomarker_optional_columns();
    if (std::find(req.begin(), req.end(), name) == req.end() && std::find(opt_cols.begin(), opt_cols.end(), name) == opt_cols.end())
      ignored.push_back(head[i].empty() ? "(empty)" : head[i]);
  }
  for (const std::string& c : biomarker_required_columns())
    if (!col.count(c))
      throw BiomarkerInputError(head_where + ": missing required column " + quoted(c) + " (read as " + read_as +
                                "; the header has " + join(head, ", ") + "); required: " +
                                join(biomarker_required_columns(), ", "));
  if (!ignored.empty())
    in.warnings.push_back(head_where + ": column" + (ignored.size() > 1 ? "s " : " ") + join(ignored, ", ") +
                          " not read (healcap reads " + join(biomarker_required_columns(), ", ") + ", " +
                          join(biomarker_optional_columns(), ", ") + ")");
  const auto idx = [&](const char* name) -> std::optional<size_t> {
    const auto it = col.find(name);
    return it == col.end() ? std::nullopt : std::optional<size_t>(it->second);
  };
  const auto c_specimen = idx("specimen"), c_date = idx("date"), c_assay = idx("assay"), c_lab = idx("lab"),
             c_low = idx("ref_low"), c_high = idx("ref_high"), c_cva = idx("cv_analytical");

  // Rows kept, by their key (sample, marker, timepoint, specimen), for duplicates.
  std::map<std::tuple<std::string, std::string, std::string, int>, size_t> seen;
  std::map<std::string, size_t> unknown_index;  // fold_name -> index into in.unknown
  size_t n_repeats = 0, n_defaulted = 0;
  int first_repeat = 0, first_repeated = 0, first_defaulted = 0;
  for (size_t li = h + 1; li < lines.size(); ++li) {
    const auto& [n, line] = lines[li];
    if (blank(line)) continue;
    const std::string where = path + ":" + std::to_string(n);
    const auto fail = [&](const std::string& m) -> void { throw BiomarkerInputError(where + ": " + m); };
    std::vector<std::string> f = fields_of(line, sep, where);
    if (f.size() != head.size())
      fail(std::to_string(f.size()) + " fields, the header has " + std::to_string(head.size()) + " (read as " + read_as + ")");
    // An optional field written '.' or NA (as healcap's own tables and R write "not given") is not given.
    for (const std::string& c : biomarker_optional_columns()) {
      const auto it = col.find(c);
      if (it == col.end()) continue;
      std::string& v = f[it->second];
      if (v == "." || v == "NA" || v == "na" || v == "N/A") v.clear();
    }
    ++in.n_rows;
    Measurement m;
    m.line = n;
    const auto field = [&](const char* name) -> const std::string& { return f[col.at(name)]; };
    for (const std::string& c : biomarker_required_columns())
      if (f[col.at(c)].empty()) fail("empty " + c + "; every row needs sample, marker, value, unit and timepoint");
    m.lab_sample = field("sample");
    m.sample = m.lab_sample;
    if (map) {
      const auto it = map->to_vcf.find(m.lab_sample);
      if (it != map->to_vcf.end()) m.sample = it->second;
    }
    m.marker_text = field("marker");
    m.marker = ref.find_marker(m.marker_text);
    m.timepoint = field("timepoint");
    m.unit = field("unit");
    const std::string marker_name = m.marker ? ref.markers()[*m.marker].name : m.marker_text;
    // The value: a number, or <x / >x (outside the assay's range), kept as such.
    m.value_text = field("value");
    std::string_view v = m.value_text;
    if (v.front() == '<' || v.front() == '>') {
      m.censor = v.front() == '<' ? Censor::kBelow : Censor::kAbove;
      v.remove_prefix(1);
    }
    const auto x = number(v);
    if (!x)
      fail("value " + quoted(m.value_text) + " of " + marker_name + " is not a number (write <x or >x for a value "
           "outside the assay's range; a decimal point, not a comma)");
    if (*x < 0) fail("negative concentration " + quoted(m.value_text) + " of " + marker_name + "; a concentration is 0 or more");
    if (m.censor == Censor::kBelow && *x == 0)
      fail("value " + quoted(m.value_text) + " of " + marker_name + ": nothing lies below 0; write the assay's limit");
    m.value = *x;
    double factor = 1;
    if (m.marker) {
      const BiomarkerMarker& mk = ref.markers()[*m.marker];
      const UnitFactor* u = ref.find_unit(*m.marker, m.unit);
      if (!u) {
        std::vector<std::string> ok;
        for (const UnitFactor& a : mk.units) ok.push_back(a.unit);
        fail("unit " + quoted(m.unit) + " is not known for " + mk.name + "; use one of " + join(ok, ", ") +
             " (or convert the value)");
      }
      factor = u->factor;
    } else {
      const std::string key = fold_name(m.marker_text);
      const auto [it, fresh] = unknown_index.emplace(key, in.unknown.size());
      if (fresh) in.unknown.push_back({m.marker_text, 0, n});
      m.unknown = it->second;
      ++in.unknown[m.unknown].n_rows;
    }
    m.canonical = m.value * factor;
    // The specimen: given, or the marker's first usual one (serum for an unknown marker).
    if (c_specimen && !f[*c_specimen].empty()) {
      const auto sp = parse_specimen(f[*c_specimen]);
      if (!sp) fail("specimen " + quoted(f[*c_specimen]) + " is not serum, plasma, synovial_fluid or whole_blood");
      m.specimen = *sp;
      m.specimen_given = true;
    } else {
      m.specimen = m.marker ? ref.markers()[*m.marker].specimens.front() : Specimen::kSerum;
      if (n_defaulted++ == 0) first_defaulted = n;
    }
    if (c_date && !f[*c_date].empty()) {
      m.date = f[*c_date];
      m.day = parse_iso_date(m.date);
      if (!m.day) fail("date " + quoted(m.date) + " is not an ISO 8601 calendar date (YYYY-MM-DD)");
    }
    if (c_assay) m.assay = f[*c_assay];
    if (c_lab) m.lab = f[*c_lab];
    const auto bound = [&](const std::optional<size_t>& c, const char* name) -> std::optional<double> {
      if (!c || f[*c].empty()) return std::nullopt;
      const auto b = number(f[*c]);
      if (!b || *b < 0) fail(std::string(name) + " " + quoted(f[*c]) + " is not a number of 0 or more (in the row's unit, " + m.unit + ")");
      return *b * factor;
    };
    m.ref_low = bound(c_low, "ref_low");
    m.ref_high = bound(c_high, "ref_high");
    if (m.ref_low && m.ref_high && *m.ref_low > *m.ref_high)
      fail("ref_low " + quoted(f[*c_low]) + " is above ref_high " + quoted(f[*c_high]) + "; the lab's interval is ref_low..ref_high");
    if (c_cva && !f[*c_cva].empty()) {
      const auto c = number(f[*c_cva]);
      if (!c || *c <= 0 || *c >= 100)
        fail("cv_analytical " + quoted(f[*c_cva]) + " is not a percentage above 0 and below 100 (e.g. 3.5 for 3.5 %)");
      m.cv_analytical = c;
    }
    // Duplicates: the same measurement twice is read once (counted); with another value or date it is an error.
    const std::string marker_key = m.marker ? "k" + std::to_string(*m.marker) : "u" + std::to_string(m.unknown);
    const auto key = std::make_tuple(m.sample, marker_key, m.timepoint, static_cast<int>(m.specimen));
    const auto [it, fresh] = seen.emplace(key, in.rows.size());
    if (!fresh) {
      const Measurement& o = in.rows[it->second];
      const std::string what = "sample " + quoted(m.sample) + ", " + marker_name + ", timepoint " + quoted(m.timepoint) +
                               ", " + std::string(to_string(m.specimen));
      if (o.censor != m.censor || !same_number(o.canonical, m.canonical) || (!m.marker && fold_unit(o.unit) != fold_unit(m.unit)))
        fail("duplicate of line " + std::to_string(o.line) + " (" + what + ") with another value (" + o.value_text + " " +
             o.unit + " there, " + m.value_text + " " + m.unit + " here); keep one row per measurement");
      if (o.date != m.date)
        fail("duplicate of line " + std::to_string(o.line) + " (" + what + ") with another date (" +
             (o.date.empty() ? "none" : o.date) + " there, " + (m.date.empty() ? "none" : m.date) + " here)");
      if (n_repeats++ == 0) {
        first_repeat = n;
        first_repeated = o.line;
      }
      continue;
    }
    in.rows.push_back(std::move(m));
  }
  if (in.rows.empty())
    throw BiomarkerInputError(head_where + ": no measurements after the header; each row after it is one measurement");
  for (const UnknownMarker& u : in.unknown)
    in.warnings.push_back(path + ": marker " + quoted(u.name) + " is not in healcap's biomarker reference (" +
                          std::to_string(u.n_rows) + (u.n_rows == 1 ? " row" : " rows") + ", first at line " +
                          std::to_string(u.first_line) + "): kept and reported as unknown, with no reference and no RCV");
  if (n_repeats)
    in.warnings.push_back(path + ": " + std::to_string(n_repeats) +
                          (n_repeats == 1 ? " row repeats an earlier row with the same value and was"
                                          : " rows repeat an earlier row with the same value and were") +
                          " read once (first: line " +
                          std::to_string(first_repeat) + " repeats line " + std::to_string(first_repeated) + ")");
  if (n_defaulted)
    in.warnings.push_back(path + ": " + std::to_string(n_defaulted) + (n_defaulted == 1 ? " row gives" : " rows give") +
                          " no specimen (first: line " + std::to_string(first_defaulted) +
                          "); read as the marker's first usual specimen: serum (whole_blood for ESR; serum for an "
                          "unknown marker)");
  order_timepoints(in, opt);
  return in;
}

}  // namespace healcap
