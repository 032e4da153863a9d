// The report's per-sample calls: read from the run's PREFIX.calls.tsv.gz (or handed over by a run in memory) into
// the rows of a RunReport, as each row's distinct calls and each sample's index into them.
#include <htslib/bgzf.h>
#include <htslib/kstring.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "errors.h"
#include "report_model.h"

namespace healcap {

namespace {

constexpr uint32_t kNone = UINT32_MAX;

// The tab-separated fields of a line.
std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> f;
  size_t b = 0;
  for (size_t i = 0; i <= line.size(); ++i)
    if (i == line.size() || line[i] == '\t') {
      f.push_back(line.substr(b, i - b));
      b = i + 1;
    }
  return f;
}

}  // namespace

size_t report_call_count(const RunReport& r) {
  size_t n = 0;
  for (const ReportSite& s : r.sites) n += s.has_calls ? r.samples.size() : 0;
  return n;
}

void set_report_calls(RunReport& r, const std::function<void(size_t, std::vector<ReportCall>&)>& calls) {
  std::vector<ReportCall> one;
  for (size_t i = 0; i < r.sites.size(); ++i) {
    if (!r.sites[i].has_calls) continue;
    one.clear();
    calls(i, one);
    set_site_calls(r.sites[i], one);
  }
  r.calls_loaded = true;
  r.calls_note.clear();
}

void read_report_calls(const std::string& path, RunReport& r) {
  const std::string what = "; give the calls file written with the run's JSON with --calls FILE, or --no-calls to draw "
                           "the cards without genotypes";
  errno = 0;
  std::unique_ptr<BGZF, int (*)(BGZF*)> f(bgzf_open(path.c_str(), "r"), bgzf_close);
  if (!f)
    throw DataError(path + ": cannot open the run's per-sample calls (" +
                    std::string(errno ? std::strerror(errno) : "not a readable file") + ")" + what);
  const size_t n = r.samples.size();
  // The rows with calls by (panel id, row id), and the samples by name.
  std::map<std::pair<std::string, std::string>, size_t> site_of;
  for (size_t i = 0; i < r.sites.size(); ++i)
    if (r.sites[i].has_calls) site_of[{r.panels_listed ? r.panels[r.sites[i].panel].id : "", r.sites[i].id}] = i;
  std::unordered_map<std::string_view, uint32_t> sample_of;
  sample_of.reserve(n);
  for (size_t k = 0; k < n; ++k) sample_of.emplace(r.samples[k].name, static_cast<uint32_t>(k));
  std::map<std::string, char, std::less<>> code_of;
  for (const auto& [code, name] : r.call_states) code_of[name] = code;

  // Each row's calls as read: the distinct calls (by text) and each sample's index into them.
  struct Row {
    std::unordered_map<std::string, uint32_t> index;
    std::vector<ReportCall> calls;
    std::vector<uint32_t> of;
    size_t n_read = 0;
  };
  std::map<size_t, Row> rows;
  struct Line {
    kstring_t s = KS_INITIALIZE;
    ~Line() { ks_free(&s); }
  } buf;
  kstring_t& line = buf.s;
  uint64_t no = 0;
  int c_site = -1, c_sample = -1, c_gt = -1, c_state = -1, c_dosage = -1, c_panel = -1;
  size_t n_cols = 0;
  const auto where = [&] { return path + ":" + std::to_string(no) + ": "; };
  int ret = 0;
  while ((ret = bgzf_getline(f.get(), '\n', &line)) >= 0) {
    ++no;
    const std::string_view text(line.s, line.l);
    if (text.rfind("##", 0) == 0) continue;
    if (text.rfind("#", 0) == 0) {
      const auto h = fields(text.substr(1));
      n_cols = h.size();
      for (size_t c = 0; c < h.size(); ++c) {
        if (h[c] == "site") c_site = static_cast<int>(c);
        if (h[c] == "sample") c_sample = static_cast<int>(c);
        if (h[c] == "gt") c_gt = static_cast<int>(c);
        if (h[c] == "state") c_state = static_cast<int>(c);
        if (h[c] == "dosage") c_dosage = static_cast<int>(c);
        if (h[c] == "panel") c_panel = static_cast<int>(c);
      }
      if (c_site < 0 || c_sample < 0 || c_gt < 0 || c_state < 0 || c_dosage < 0)
        throw DataError(where() + "the header lacks a column of site, sample, gt, state and dosage: not a healcap calls "
                                  "file" + what);
      if (r.panels_listed && c_panel < 0)
        throw DataError(where() + "no panel column, but the run has several panels: not this run's calls file" + what);
      continue;
    }
    if (n_cols == 0)
      throw DataError(where() + "a row before the '#chrom' header line: not a healcap calls file" + what);
    const auto x = fields(text);
    if (x.size() != n_cols)
      throw DataError(where() + std::to_string(x.size()) + " columns where the header has " + std::to_string(n_cols) + what);
    const auto site = site_of.find({c_panel >= 0 && r.panels_listed ? std::string(x[c_panel]) : "", std::string(x[c_site])});
    if (site == site_of.end())
      throw DataError(where() + "row '" + std::string(x[c_site]) + "' is not a row with calls in the run's JSON: not this "
                                "run's calls file" + what);
    const auto sample = sample_of.find(x[c_sample]);
    if (sample == sample_of.end())
      throw DataError(where() + "sample '" + std::string(x[c_sample]) + "' is not in the run's JSON: not this run's calls file" + what);
    const auto state = code_of.find(x[c_state]);
    if (state == code_of.end())
      throw DataError(where() + "state '" + std::string(x[c_state]) + "' is not a call state of the run" + what);
    Row& row = rows[site->second];
    if (row.of.empty()) row.of.assign(n, kNone);
    uint32_t& of = row.of[sample->second];
    if (of != kNone)
      throw DataError(where() + "a second call of sample '" + std::string(x[c_sample]) + "' at row '" +
                      std::string(x[c_site]) + "'" + what);
    std::string key(x[c_gt]);
    key += '\t';
    key += state->second;
    key += '\t';
    const std::string dosage = x[c_dosage] == "." ? std::string() : std::string(x[c_dosage]);
    key += dosage;
    const auto [it, fresh] = row.index.emplace(std::move(key), static_cast<uint32_t>(row.calls.size()));
    if (fresh) row.calls.push_back({std::string(x[c_gt]), state->second, dosage});
    of = it->second;
    ++row.n_read;
  }
  if (ret < -1) throw DataError(path + ": read error after line " + std::to_string(no) + " (a truncated or corrupt file)" + what);
  if (n_cols == 0) throw DataError(path + ": no '#chrom' header line: not a healcap calls file" + what);
  for (const auto& [key, i] : site_of) {
    const auto it = rows.find(i);
    const size_t got = it == rows.end() ? 0 : it->second.n_read;
    if (got != n)
      throw DataError(path + ": row '" + r.sites[i].id + "' has " + std::to_string(got) + " of the run's " + std::to_string(n) +
                      " samples' calls: not this run's calls file, or a truncated one" + what);
  }
  // In the order the samples first have them, as set_report_calls numbers them.
  set_report_calls(r, [&](size_t i, std::vector<ReportCall>& out) {
    const auto it = rows.find(i);
    if (it == rows.end()) return;  // no samples
    const Row& row = it->second;
    out.reserve(n);
    for (size_t k = 0; k < n; ++k) out.push_back(row.calls[row.of[k]]);
  });
}

}  // namespace healcap
