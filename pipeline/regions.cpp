// Region and target parsing (bcftools notation) and the panel rows they keep.
#include "regions.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "contig.h"
#include "errors.h"

namespace healcap {

namespace {

// Reads a 1-based coordinate with optional thousands separators ("48,000,000" is not allowed in a
// comma-separated list, so only digits here).
bool read_pos(const std::string& s, int64_t& out) {
  if (s.empty() || s.size() > 12) return false;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

bool ends_with(const std::string& s, const std::string& t) {
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

}  // namespace

void RegionSet::add(Interval iv) {
  iv.contig = normalise_contig(iv.contig);
  iv_.push_back(std::move(iv));
  active_ = true;
}

void RegionSet::finish() {
  std::sort(iv_.begin(), iv_.end(), [](const Interval& a, const Interval& b) {
    const int ra = contig_rank(a.contig), rb = contig_rank(b.contig);
    if (ra != rb) return ra < rb;
    if (a.contig != b.contig) return a.contig < b.contig;
    return a.beg < b.beg;
  });
  std::vector<Interval> out;
  for (auto& iv : iv_) {
    if (!out.empty() && out.back().contig == iv.contig && iv.beg <= out.back().end + (out.back().end == INT64_MAX ? 0 : 1))
      out.back().end = std::max(out.back().end, iv.end);
    else
      out.push_back(std::move(iv));
  }
  iv_ = std::move(out);
}

RegionSet RegionSet::parse_list(const std::string& text, const std::string& opt) {
  RegionSet r;
  std::string t = text;
  if (!t.empty() && t[0] == '^') {
    r.negated_ = true;
    t = t.substr(1);
  }
  std::stringstream ss(t);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    Interval iv;
    const size_t colon = item.rfind(':');
    if (colon == std::string::npos) {
      iv.contig = item;
    } else {
      iv.contig = item.substr(0, colon);
      const std::string range = item.substr(colon + 1);
      const size_t dash = range.find('-');
      const std::string a = range.substr(0, dash);
      const std::string b = dash == std::string::npos ? a : range.substr(dash + 1);
      if (!read_pos(a, iv.beg) || iv.beg < 1 || (!b.empty() && !read_pos(b, iv.end)) || iv.end < iv.beg)
        throw UsageError(opt + ": '" + item + "' is not CHROM, CHROM:POS or CHROM:BEG-END (1-based)");
      if (b.empty()) iv.end = INT64_MAX;
    }
    if (iv.contig.empty()) throw UsageError(opt + ": '" + item + "' has no chromosome name");
    r.add(std::move(iv));
  }
  if (!r.active_) throw UsageError(opt + ": give at least one region");
  r.finish();
  return r;
}

RegionSet RegionSet::parse_file(const std::string& path_in, const std::string& opt) {
  RegionSet r;
  std::string path = path_in;
  if (!path.empty() && path[0] == '^') {
    r.negated_ = true;
    path = path.substr(1);
  }
  std::ifstream f(path);
  if (!f) throw DataError(path + ": cannot open the " + opt + " file");
  const bool bed = ends_with(path, ".bed");
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#' || line.rfind("track", 0) == 0 || line.rfind("browser", 0) == 0) continue;
    std::vector<std::string> col;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) col.push_back(c);
    Interval iv;
    iv.contig = col[0];
    const auto bad = [&]() {
      return DataError(path + ":" + std::to_string(n) + ": not a " + (bed ? "BED line (CHROM, 0-based BEG, END)" :
                       "region line (CHROM, CHROM<TAB>POS or CHROM<TAB>BEG<TAB>END, 1-based)") + " (" + opt + ")");
    };
    if (col.size() >= 3) {
      if (!read_pos(col[1], iv.beg) || !read_pos(col[2], iv.end)) throw bad();
      if (bed) ++iv.beg;
    } else if (col.size() == 2) {
      if (bed || !read_pos(col[1], iv.beg)) throw bad();
      iv.end = iv.beg;
    } else if (bed) {
      throw bad();
    }
    if (iv.contig.empty() || iv.beg < 1 || iv.end < iv.beg) throw bad();
    r.add(std::move(iv));
  }
  if (!r.active_) throw DataError(path + ": no regions in the " + opt + " file");
  r.finish();
  return r;
}

bool RegionSet::keeps(const std::string& canonical, int64_t pos) const {
  if (!active_) return true;
  bool in = false;
  for (const Interval& iv : iv_)
    if (iv.contig == canonical && pos >= iv.beg && pos <= iv.end) {
      in = true;
      break;
    }
  return in != negated_;
}

std::vector<std::string> RegionSet::words() const {
  std::vector<std::string> w;
  for (const Interval& iv : iv_) {
    std::string s = iv.contig;
    if (iv.beg > 1 || iv.end != INT64_MAX)
      s += ":" + std::to_string(iv.beg) + "-" + (iv.end == INT64_MAX ? std::string() : std::to_string(iv.end));
    w.push_back(s);
  }
  if (negated_ && !w.empty()) w.front() = "^" + w.front();
  return w;
}

bool RegionSet::overlaps(const RegionSet& o) const {
  if (!active_ || !o.active_) return true;  // no restriction covers everything
  for (const Interval& a : iv_)
    for (const Interval& b : o.iv_)
      if (a.contig == b.contig && a.beg <= b.end && b.beg <= a.end) return true;
  return false;
}

void RegionSet::unite(const RegionSet& o) {
  for (const Interval& iv : o.iv_) iv_.push_back(iv);
  active_ = active_ || o.active_;
  finish();
}

RegionSet RegionSet::from_words(const std::vector<std::string>& words) {
  if (words.empty()) return RegionSet();
  std::string list;
  for (const auto& w : words) list += (list.empty() ? "" : ",") + w;
  return parse_list(list, "partial regions");
}

std::vector<bool> rows_kept(const Panel& panel, Build b, const RegionSet& regions, const RegionSet& targets) {
  std::vector<bool> keep(panel.sites().size(), true);
  for (size_t i = 0; i < keep.size(); ++i) {
    const BuildLocus& l = panel.sites()[i].in(b);
    if (!l.placed()) continue;
    const std::string c = normalise_contig(panel.sites()[i].chrom);
    keep[i] = regions.keeps(c, l.pos) && targets.keeps(c, l.pos);
  }
  return keep;
}

}  // namespace healcap
