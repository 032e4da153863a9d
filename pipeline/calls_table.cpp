// PREFIX.calls.tsv.gz's text: a preamble, a header, then one row per sample at each panel row with calls.
#include "calls_table.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <tuple>

#include "scan_report.h"
#include "streamed_text.h"
#include "version.h"

namespace healcap {

namespace {

// Rows per block handed on: a few hundred kilobytes of text.
constexpr size_t kCallsPerBlock = 8192;

// A contig's place: 1..22 by number, then X, Y, M (MT), then other names by their text.
std::tuple<int, long, std::string> contig_rank(const std::string& canonical) {
  std::string c = canonical;
  if (c.size() > 3 && (c[0] == 'c' || c[0] == 'C') && (c[1] == 'h' || c[1] == 'H') && (c[2] == 'r' || c[2] == 'R'))
    c = c.substr(3);
  if (!c.empty() && c.size() <= 9 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return {0, std::stol(c), ""};
  if (c == "X") return {1, 0, ""};
  if (c == "Y") return {1, 1, ""};
  if (c == "M" || c == "MT") return {1, 2, ""};
  return {2, 0, canonical};
}

const char* state_name(CallState s) {
  static const std::array<std::string, kNumCallStates> names = [] {
    std::array<std::string, kNumCallStates> n;
    for (size_t k = 0; k < kNumCallStates; ++k) n[k] = std::string(to_string(static_cast<CallState>(k)));
    return n;
  }();
  return names[static_cast<size_t>(s)].c_str();
}

}  // namespace

std::string calls_path(const std::string& out_prefix) { return out_prefix + ".calls.tsv.gz"; }

bool site_has_calls(const SiteResult& r) {
  return r.state == SiteState::kFound || r.state == SiteState::kRefBlock || r.state == SiteState::kFiltered;
}

std::vector<size_t> calls_rows(const Panel& panel, Build build, const SiteStore& store) {
  struct Key {
    std::tuple<int, long, std::string> contig;
    int64_t pos;
    size_t row;
  };
  std::vector<Key> keys;
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const SiteResult& r = store.results()[i];
    if (!site_has_calls(r)) continue;
    const BuildLocus& l = panel.sites()[i].in(build);
    keys.push_back({contig_rank(l.placed() ? l.contig : r.record.contig), l.placed() ? l.pos : r.record.pos, i});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return std::tie(a.contig, a.pos, a.row) < std::tie(b.contig, b.pos, b.row);
  });
  std::vector<size_t> rows;
  rows.reserve(keys.size());
  for (const Key& k : keys) rows.push_back(k.row);
  return rows;
}

void append_gt(TextBuffer& t, const Call& c) {
  if (c.ploidy == 0) {
    t += '.';
    return;
  }
  const auto allele = [&t](int a) {
    if (a < 0) t += '.';
    else if (a < 10) t += static_cast<char>('0' + a);
    else t.integer(a);
  };
  allele(c.allele[0]);
  if (c.ploidy >= 2) {
    t += c.phased ? '|' : '/';
    allele(c.allele[1]);
  }
  if (c.ploidy > 2) t += "/...";
}

void append_dosage(TextBuffer& t, float d) {
  if (d < 0) {
    t += '.';
    return;
  }
  if (d < 128 && d == static_cast<float>(static_cast<int>(d))) {
    t.integer(static_cast<int>(d));
    return;
  }
  char buf[48];
  const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<double>(d), std::chars_format::general, 6);
  t.append(buf, static_cast<size_t>(r.ptr - buf));
}

std::string dosage_text(float d) {
  if (d < 0) return "";
  TextBuffer t;
  append_dosage(t, d);
  return std::string(t.view());
}

void calls_tsv(const ScanResult& r, const std::function<void(std::string_view)>& emit) {
  const Panel& panel = *r.panel;
  const SiteStore& store = *r.store;
  const bool named = panels_reported(panel);
  std::string head = "## healcap " HEALCAP_VERSION
                     " per-sample calls: one row per sample at each panel row with a record (state found, ref_block "
                     "or filtered in PREFIX.sites.tsv), sorted by chrom and pos (tabix -s1 -b2 -e2). Research use "
                     "only: not a diagnosis.\n";
  head += "## build " + std::string(to_string(r.build)) + "; ";
  const auto& comps = panel.components();
  head += comps.size() > 1 ? "panels " : "panel ";
  for (size_t c = 0; c < comps.size(); ++c) {
    const PanelComponent& p = comps[c];
    head += (c ? "; " : "") + (named ? p.id + " " : std::string()) +
            (p.kind == PanelKind::kPgsCatalog ? p.pgs_id + " (" + p.name + ")" : p.name + " " + p.version) +
            " sha256 " + p.sha256;
  }
  head += "\n## chrom: the input's contig; pos: the panel row's position in the build (1-based); site, rsid: the "
          "panel row (PREFIX.sites.tsv id, rsid); gt: GT as bcftools query prints it; state: the call state (called, "
          "ref_block, filtered, missing, ...); dosage: the effect (counted) allele's dosage, '.' when unknown; gq, "
          "dp: '.' when absent";
  if (named) head += "; panel: the panel the row belongs to";
  head += "\n#chrom\tpos\tsite\trsid\tsample\tgt\tstate\tdosage\tgq\tdp";
  if (named) head += "\tpanel";
  head += '\n';
  emit(head);

  const std::vector<size_t> rows = calls_rows(panel, r.build, store);
  const size_t n = r.samples.size();
  if (n == 0 || rows.empty()) return;
  // Each row's cells before and after the sample's, made once.
  std::vector<std::string> before(rows.size()), after(rows.size());
  for (size_t j = 0; j < rows.size(); ++j) {
    const PanelSite& s = panel.sites()[rows[j]];
    const SiteResult& res = store.results()[rows[j]];
    const BuildLocus& l = s.in(r.build);
    before[j] = res.record.contig + "\t" + std::to_string(l.placed() ? l.pos : res.record.pos) + "\t" + s.id + "\t" +
                (s.rsid.empty() ? "." : s.rsid) + "\t";
    after[j] = named ? "\t" + panel.component_of(s).id + "\n" : "\n";
  }
  stream_blocks(rows.size() * n, kCallsPerBlock, [&](TextBuffer& t, size_t x0, size_t x1) {
    for (size_t x = x0; x < x1; ++x) {
      const size_t j = x / n, k = x % n;
      const Call& c = store.results()[rows[j]].calls[k];
      t += before[j];
      t += r.samples[k];
      t += '\t';
      append_gt(t, c);
      t += '\t';
      t += std::string_view(state_name(c.state));
      t += '\t';
      append_dosage(t, c.dosage);
      t += '\t';
      if (c.gq < 0) t += '.';
      else t.integer(c.gq);
      t += '\t';
      if (c.dp < 0) t += '.';
      else t.integer(c.dp);
      t += after[j];
    }
  }, emit);
}

}  // namespace healcap
