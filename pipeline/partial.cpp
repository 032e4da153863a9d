// Partials on disk. The file is a magic line, then blobs, each a tag byte, the raw and compressed lengths
// (8 bytes each, little-endian), the CRC-32 of the raw bytes (4 bytes) and the zlib-compressed bytes; the last
// blob ('E') counts the others, and the file ends with "HCEND\n". The records inside the blobs are varints,
// zigzag signed varints, length-prefixed strings and raw IEEE floats (byte_codec.h).
#include "partial.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "byte_codec.h"
#include "errors.h"
#include "scan_report.h"
#include "version.h"

namespace healcap {

namespace {

constexpr char kMagic[8] = {'H', 'C', 'P', 'A', 'R', 'T', '\x01', '\n'};
constexpr char kEnd[6] = {'H', 'C', 'E', 'N', 'D', '\n'};

void put_bits(std::string& o, const std::vector<bool>& v) {
  put_u(o, v.size());
  uint8_t b = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i]) b |= static_cast<uint8_t>(1u << (i % 8));
    if (i % 8 == 7 || i + 1 == v.size()) {
      o.push_back(static_cast<char>(b));
      b = 0;
    }
  }
}
std::vector<bool> get_bits(const std::string& in, size_t& at) {
  const uint64_t n = get_u(in, at);
  if (n > (in.size() - at) * 8) short_bytes();  // (n + 7) / 8 would wrap for n near 2^64
  std::vector<bool> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = (static_cast<uint8_t>(in[at + i / 8]) >> (i % 8)) & 1;
  at += (n + 7) / 8;
  return v;
}
void put_strings(std::string& o, const std::vector<std::string>& v) {
  put_u(o, v.size());
  for (const auto& s : v) put_s(o, s);
}
std::vector<std::string> get_strings(const std::string& in, size_t& at) {
  const uint64_t n = get_u(in, at);
  if (n > in.size() - at) short_bytes();
  std::vector<std::string> v;
  v.reserve(n);
  for (uint64_t i = 0; i < n; ++i) v.push_back(get_s(in, at));
  return v;
}
uint8_t get_byte(const std::string& in, size_t& at) {
  if (at >= in.size()) short_bytes();
  return static_cast<uint8_t>(in[at++]);
}

// --- calls and site stores ---

// A call in 2 to ~10 bytes: a flags byte (state, ploidy, phased, which fields follow), then the fields that
// are not at their defaults.
void put_call(std::string& o, const Call& c) {
  const bool has_dosage = c.dosage != -1.0f, has_a0 = c.allele[0] != -1, has_a1 = c.allele[1] != -1;
  const bool has_gq = c.gq != -1, has_dp = c.dp != -1;
  const uint8_t flags = static_cast<uint8_t>(static_cast<uint8_t>(c.state) | (c.phased ? 8 : 0) | (has_dosage ? 16 : 0) |
                                             (has_a0 || has_a1 ? 32 : 0) | (has_gq ? 64 : 0) | (has_dp ? 128 : 0));
  o.push_back(static_cast<char>(flags));
  o.push_back(static_cast<char>(c.ploidy));
  if (has_dosage) {
    // Whole dosages (GT calls) in one byte; fractional ones (DS, GP) as the float itself.
    const float d = c.dosage;
    if (d >= 0 && d <= 100 && static_cast<float>(static_cast<int>(d)) == d) {
      o.push_back(static_cast<char>(static_cast<int>(d)));
    } else {
      o.push_back(static_cast<char>(0xff));
      put_f(o, d);
    }
  }
  if (has_a0 || has_a1) {
    put_i(o, c.allele[0]);
    put_i(o, c.allele[1]);
  }
  if (has_gq) put_i(o, c.gq);
  if (has_dp) put_i(o, c.dp);
}
Call get_call(const std::string& in, size_t& at) {
  Call c;
  const uint8_t flags = get_byte(in, at);
  if ((flags & 7) >= kNumCallStates) throw std::runtime_error("bad call state");
  c.state = static_cast<CallState>(flags & 7);
  c.phased = flags & 8;
  c.ploidy = static_cast<int8_t>(get_byte(in, at));
  if (flags & 16) {
    const uint8_t d = get_byte(in, at);
    c.dosage = d == 0xff ? get_f(in, at) : static_cast<float>(d);
  }
  if (flags & 32) {
    c.allele[0] = static_cast<int16_t>(get_i(in, at));
    c.allele[1] = static_cast<int16_t>(get_i(in, at));
  }
  if (flags & 64) c.gq = static_cast<int32_t>(get_i(in, at));
  if (flags & 128) c.dp = static_cast<int32_t>(get_i(in, at));
  return c;
}

void put_store(std::string& o, const SiteStore& st) {
  put_u(o, st.n_samples());
  put_u(o, st.results().size());
  for (const SiteResult& r : st.results()) {
    o.push_back(static_cast<char>(r.state));
    const SiteMatch& m = r.match;
    put_u(o, m.row);
    o.push_back(static_cast<char>(m.outcome));
    o.push_back(static_cast<char>(m.type));
    o.push_back(static_cast<char>((m.flipped_swapped ? 1 : 0) | (m.panel_alt_present ? 2 : 0) | (m.ref_verified ? 4 : 0) |
                                  (r.site_filtered ? 8 : 0) | (r.calls_materialized ? 16 : 0)));
    put_i(o, m.counted_allele);
    put_s(o, r.record.contig);
    put_s(o, r.record.id);
    put_s(o, r.record.ref);
    put_s(o, r.record.alts);
    put_i(o, r.record.pos);
    o.push_back(static_cast<char>(r.dosage_source));
    put_i(o, r.n_records);
    put_i(o, r.n_matched);
    put_i(o, r.used_match);
    put_u(o, r.key);
    put_u(o, r.matched_keys.size());
    for (uint64_t k : r.matched_keys) put_u(o, k);
    put_u(o, r.n_inputs);
    put_u(o, r.n_inputs_seen);
    put_u(o, r.calls.size());
    for (const Call& c : r.calls) put_call(o, c);
  }
}
void get_store(const std::string& in, size_t& at, SiteStore& st, size_t n_rows) {
  const uint64_t n_samples = get_u(in, at);
  if (get_u(in, at) != n_rows) throw std::runtime_error("the site store has another number of rows than the panel");
  st.set_n_samples(n_samples);
  std::vector<SiteResult>& rows = st.mutable_results();
  rows.assign(n_rows, SiteResult{});
  for (SiteResult& r : rows) {
    const uint8_t state = get_byte(in, at);
    if (state > static_cast<uint8_t>(SiteState::kAlleleMismatch)) throw std::runtime_error("bad site state");
    r.state = static_cast<SiteState>(state);
    SiteMatch& m = r.match;
    m.row = get_u(in, at);
    m.outcome = static_cast<MatchOutcome>(get_byte(in, at));
    m.type = static_cast<MatchType>(get_byte(in, at));
    const uint8_t f = get_byte(in, at);
    m.flipped_swapped = f & 1;
    m.panel_alt_present = f & 2;
    m.ref_verified = f & 4;
    r.site_filtered = f & 8;
    r.calls_materialized = f & 16;
    m.counted_allele = static_cast<int>(get_i(in, at));
    r.record.contig = get_s(in, at);
    r.record.id = get_s(in, at);
    r.record.ref = get_s(in, at);
    r.record.alts = get_s(in, at);
    r.record.pos = get_i(in, at);
    r.dosage_source = get_byte(in, at);
    r.n_records = static_cast<int>(get_i(in, at));
    r.n_matched = static_cast<int>(get_i(in, at));
    r.used_match = static_cast<int>(get_i(in, at));
    r.key = get_u(in, at);
    const uint64_t nk = get_u(in, at);
    if (nk > in.size() - at) short_bytes();
    r.matched_keys.resize(nk);
    for (auto& k : r.matched_keys) k = get_u(in, at);
    r.n_inputs = static_cast<uint32_t>(get_u(in, at));
    r.n_inputs_seen = static_cast<uint32_t>(get_u(in, at));
    const uint64_t nc = get_u(in, at);
    if (nc > in.size() - at) short_bytes();
    r.calls.resize(nc);
    for (Call& c : r.calls) c = get_call(in, at);
    // The scores read one call per sample wherever a site's calls are used (found by the partial fuzzer).
    if (uses_calls(r) && r.calls.size() != n_samples) throw std::runtime_error("a site's calls are not one per sample");
  }
}

// --- segments ---

std::string encode_segment(const Segment& seg) {
  std::string o;
  const InputInfo& i = seg.info;
  put_s(o, i.path);
  put_s(o, i.format);
  put_s(o, i.read_mode);
  o.push_back(static_cast<char>(i.build.build));
  put_s(o, i.build.how);
  put_s(o, i.build.contig_style);
  o.push_back(i.build.determined ? 1 : 0);
  put_strings(o, i.build.warnings);
  put_u(o, i.order);
  put_u(o, i.n_file_samples);
  put_u(o, i.sample_begin);
  put_u(o, i.n_header_contigs);
  put_strings(o, i.panel_contigs);
  put_strings(o, seg.coverage.words());
  put_u(o, seg.coverage_rank);
  const ScanState& st = *seg.state;
  o.push_back(static_cast<char>(st.builds()[0]));
  o.push_back(static_cast<char>(st.builds()[1]));
  put_strings(o, st.samples());
  for (int p = 0; p < 2; ++p) {
    put_u(o, st.n_panel_position_records[p]);
    put_u(o, st.n_ref_checked[p]);
    put_u(o, st.n_ref_concordant[p]);
  }
  put_u(o, st.n_ref_blocks);
  put_u(o, st.n_undefined);
  put_u(o, st.n_pos0);
  put_u(o, st.first_undefined_key);
  put_s(o, st.first_undefined);
  put_strings(o, st.warnings);
  for (int p = 0; p < 2; ++p) put_bits(o, st.kept_rows()[p]);
  st.order.encode(o);
  for (int p = 0; p < 2; ++p) put_store(o, st.stores[p]);
  return o;
}

Build get_build(const std::string& in, size_t& at) {
  const uint8_t b = get_byte(in, at);
  if (b > 1) throw std::runtime_error("bad build");
  return static_cast<Build>(b);
}

Segment decode_segment(const std::string& in, const Panel& panel) {
  size_t at = 0;
  Segment seg;
  InputInfo& i = seg.info;
  i.path = get_s(in, at);
  i.format = get_s(in, at);
  i.read_mode = get_s(in, at);
  i.build.build = get_build(in, at);
  i.build.how = get_s(in, at);
  i.build.contig_style = get_s(in, at);
  i.build.determined = get_byte(in, at) != 0;
  i.build.warnings = get_strings(in, at);
  i.order = get_u(in, at);
  i.n_file_samples = get_u(in, at);
  i.sample_begin = get_u(in, at);
  i.n_header_contigs = get_u(in, at);
  i.panel_contigs = get_strings(in, at);
  const std::vector<std::string> cov = get_strings(in, at);
  if (!cov.empty()) seg.coverage = RegionSet::from_words(cov);
  seg.coverage_rank = get_u(in, at);
  std::array<Build, 2> builds;
  builds[0] = get_build(in, at);
  builds[1] = get_build(in, at);
  std::vector<std::string> samples = get_strings(in, at);
  auto st = std::make_unique<ScanState>(panel, builds, std::move(samples), false, i.path);
  for (int p = 0; p < 2; ++p) {
    st->n_panel_position_records[p] = get_u(in, at);
    st->n_ref_checked[p] = get_u(in, at);
    st->n_ref_concordant[p] = get_u(in, at);
  }
  st->n_ref_blocks = get_u(in, at);
  st->n_undefined = get_u(in, at);
  st->n_pos0 = get_u(in, at);
  st->first_undefined_key = get_u(in, at);
  st->first_undefined = get_s(in, at);
  for (const auto& w : get_strings(in, at)) st->add_warning(w);
  std::array<std::vector<bool>, 2> keep;
  for (int p = 0; p < 2; ++p) keep[p] = get_bits(in, at);
  if (!keep[0].empty() || !keep[1].empty()) st->restrict_rows(std::move(keep));
  st->order.decode(in, at);
  for (int p = 0; p < 2; ++p) get_store(in, at, st->stores[p], panel.sites().size());
  if (at != in.size()) throw std::runtime_error("bytes left after the segment");
  seg.state = std::move(st);
  return seg;
}

std::string encode_failed(const FailedInput& f) {
  std::string o;
  put_u(o, f.order);
  put_s(o, f.path);
  put_s(o, f.reason);
  return o;
}

// --- options ---

std::string encode_options(const ScanConfig& cfg, const Panel& panel, std::string& words) {
  std::string o;
  std::vector<std::string> w;
  for (bool g : cfg.score.grade_scored) o.push_back(g ? 1 : 0);
  put_s(o, cfg.dosage_text);
  o.push_back(cfg.decode.pass_only ? 1 : 0);
  put_i(o, cfg.decode.min_gq);
  put_i(o, cfg.decode.min_dp);
  o.push_back(cfg.score.absent_as_ref ? 1 : 0);
  put_d(o, cfg.min_ref_concordance);
  o.push_back(cfg.build ? static_cast<char>(1 + static_cast<int>(*cfg.build)) : 0);
  o.push_back(cfg.allow_no_hits ? 1 : 0);
  o.push_back(cfg.min_completeness ? 1 : 0);
  put_d(o, cfg.min_completeness.value_or(0));
  o.push_back(cfg.fail_on_incomplete ? 1 : 0);
  o.push_back(cfg.keep_going ? 1 : 0);
  o.push_back(cfg.targets.empty() ? 0 : cfg.targets.negated() ? 2 : 1);
  put_strings(o, cfg.targets.words());
  const bool callable = cfg.callable_given || !cfg.callable_bed.empty();
  o.push_back(callable ? 1 : 0);
  put_s(o, cfg.callable_bed);
  for (Build b : {Build::kGRCh37, Build::kGRCh38}) put_bits(o, callable ? callable_rows(panel, b, cfg) : std::vector<bool>{});
  o.push_back(static_cast<char>(cfg.score.eaf_population));
  w.push_back("--grades " + [&] {
    std::string g;
    for (int k = 0; k < static_cast<int>(cfg.score.grade_scored.size()); ++k)
      if (cfg.score.grade_scored[k]) g += (g.empty() ? "" : ",") + std::string(to_string(static_cast<EvidenceGrade>(k)));
    return g;
  }());
  w.push_back("--eaf-population " + std::string(to_string(cfg.score.eaf_population)));
  w.push_back("--dosage " + cfg.dosage_text);
  if (cfg.decode.pass_only) w.push_back("--pass-only");
  if (cfg.decode.min_gq) w.push_back("--min-gq " + std::to_string(cfg.decode.min_gq));
  if (cfg.decode.min_dp) w.push_back("--min-dp " + std::to_string(cfg.decode.min_dp));
  if (cfg.score.absent_as_ref) w.push_back("--absent-as-ref");
  if (callable) w.push_back("--callable " + cfg.callable_bed);
  w.push_back("--min-ref-concordance " + fixed6(cfg.min_ref_concordance));
  w.push_back("--build " + (cfg.build ? std::string(to_string(*cfg.build)) : std::string("auto")));
  if (cfg.allow_no_hits) w.push_back("--allow-no-hits");
  if (cfg.min_completeness) w.push_back("--min-completeness " + fixed6(*cfg.min_completeness));
  if (cfg.fail_on_incomplete) w.push_back("--fail-on-incomplete");
  if (cfg.keep_going) w.push_back("--keep-going");
  if (!cfg.targets.empty()) {
    std::string t = cfg.targets.negated() ? "^" : "";
    const auto tw = cfg.targets.words();
    for (size_t k = 0; k < tw.size(); ++k) t += (k ? "," : "") + tw[k];
    w.push_back("-t " + t);
  }
  for (size_t k = 0; k < w.size(); ++k) words += (k ? " " : "") + w[k];
  return o;
}

std::string encode_header(const PartialHeader& h) {
  std::string o;
  put_u(o, h.format_version);
  put_s(o, h.healcap_version);
  put_s(o, h.panel_name);
  put_s(o, h.panel_version);
  put_s(o, h.panel_sha256);
  put_s(o, h.options);
  put_s(o, h.options_text);
  o.push_back(h.plan_kind);
  put_u(o, h.plan_i);
  put_u(o, h.plan_n);
  put_strings(o, h.regions);
  put_u(o, h.n_list_inputs);
  o.push_back(h.several ? 1 : 0);
  put_u(o, h.panels.size());
  for (const PartialPanel& p : h.panels) {
    put_s(o, p.id);
    put_s(o, p.kind);
    put_s(o, p.name);
    put_s(o, p.version);
    put_s(o, p.sha256);
    put_u(o, p.n_rows);
  }
  return o;
}
PartialHeader decode_header(const std::string& in) {
  size_t at = 0;
  PartialHeader h;
  h.format_version = static_cast<uint32_t>(get_u(in, at));
  if (h.format_version != kPartialFormatVersion) return h;  // the caller names the version
  h.healcap_version = get_s(in, at);
  h.panel_name = get_s(in, at);
  h.panel_version = get_s(in, at);
  h.panel_sha256 = get_s(in, at);
  h.options = get_s(in, at);
  h.options_text = get_s(in, at);
  h.plan_kind = static_cast<char>(get_byte(in, at));
  h.plan_i = static_cast<uint32_t>(get_u(in, at));
  h.plan_n = static_cast<uint32_t>(get_u(in, at));
  h.regions = get_strings(in, at);
  h.n_list_inputs = get_u(in, at);
  h.several = get_byte(in, at) != 0;
  const uint64_t n = get_u(in, at);
  if (n > in.size() - at) short_bytes();
  for (uint64_t k = 0; k < n; ++k) {
    PartialPanel p;
    p.id = get_s(in, at);
    p.kind = get_s(in, at);
    p.name = get_s(in, at);
    p.version = get_s(in, at);
    p.sha256 = get_s(in, at);
    p.n_rows = get_u(in, at);
    h.panels.push_back(std::move(p));
  }
  return h;
}

std::vector<PartialPanel> partial_panels(const Panel& panel) {
  std::vector<PartialPanel> out;
  for (const PanelComponent& c : panel.components())
    out.push_back({c.id, std::string(to_string(c.kind)), c.name, c.version, c.sha256, c.n_rows});
  return out;
}

std::string panels_words(const std::vector<PartialPanel>& panels) {
  std::string s;
  for (const PartialPanel& p : panels)
    s += (s.empty() ? "" : " + ") + (p.kind == "pgs_catalog" ? p.id + " " + p.name : p.name + " " + p.version) + " (" +
         std::to_string(p.n_rows) + " rows, sha256 " + p.sha256.substr(0, 12) + "...)";
  return s;
}

void put_le(std::string& o, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) o.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t get_le(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

}  // namespace

PartialHeader partial_header(const ScanConfig& cfg, const Panel& panel, uint64_t n_list_inputs) {
  PartialHeader h;
  h.healcap_version = HEALCAP_VERSION;
  h.panel_name = panel.name();
  h.panel_version = panel.version();
  h.panel_sha256 = panel.sha256();
  h.options = encode_options(cfg, panel, h.options_text);
  h.plan_kind = cfg.shard_kind;
  h.plan_i = cfg.shard_i;
  h.plan_n = cfg.shard_n;
  h.regions = cfg.regions.words();
  h.n_list_inputs = n_list_inputs;
  h.several = cfg.several;
  h.panels = partial_panels(panel);
  return h;
}

void apply_partial_options(const PartialHeader& h, ScanConfig& cfg) {
  const std::string& in = h.options;
  size_t at = 0;
  for (bool& g : cfg.score.grade_scored) g = get_byte(in, at) != 0;
  cfg.dosage_text = get_s(in, at);
  if (cfg.dosage_text == "GT") cfg.decode.mode = DosageMode::kGT;
  else if (cfg.dosage_text == "DS") cfg.decode.mode = DosageMode::kDS;
  else if (cfg.dosage_text == "GP") cfg.decode.mode = DosageMode::kGP;
  else cfg.decode.mode = DosageMode::kAuto;
  cfg.decode.pass_only = get_byte(in, at) != 0;
  cfg.decode.min_gq = static_cast<int>(get_i(in, at));
  cfg.decode.min_dp = static_cast<int>(get_i(in, at));
  cfg.score.absent_as_ref = get_byte(in, at) != 0;
  cfg.min_ref_concordance = get_d(in, at);
  const uint8_t b = get_byte(in, at);
  if (b) cfg.build = static_cast<Build>(b - 1);
  cfg.allow_no_hits = get_byte(in, at) != 0;
  const bool has_mc = get_byte(in, at) != 0;
  const double mc = get_d(in, at);
  if (has_mc) cfg.min_completeness = mc;
  cfg.fail_on_incomplete = get_byte(in, at) != 0;
  cfg.keep_going = get_byte(in, at) != 0;
  const uint8_t t = get_byte(in, at);
  const std::vector<std::string> tw = get_strings(in, at);
  if (t) {
    cfg.targets = RegionSet::from_words(tw);
    cfg.targets.set_negated(t == 2);
  }
  const bool callable = get_byte(in, at) != 0;
  cfg.callable_bed = get_s(in, at);
  for (int k = 0; k < 2; ++k) cfg.callable_rows[k] = get_bits(in, at);
  const uint8_t pop = get_byte(in, at);
  if (pop >= kNumPopulations) throw std::runtime_error("bad eaf population");
  cfg.score.eaf_population = static_cast<Population>(pop);
  cfg.callable_given = callable;
  cfg.several = h.several;
}

PartialWriter::PartialWriter(const std::string& path, OutputSet& set, const PartialHeader& h) : path_(path) {
  const std::string tmp = set.add(path);
  fp_ = std::fopen(tmp.c_str(), "wb");
  if (!fp_) throw DataError(path + ": cannot create the partial: " + std::strerror(errno));
  if (std::fwrite(kMagic, 1, sizeof kMagic, fp_) != sizeof kMagic) throw DataError(path + ": cannot write the partial");
  blob('H', encode_header(h));
}

PartialWriter::~PartialWriter() {
  if (fp_) std::fclose(fp_);
}

void PartialWriter::blob(char tag, const std::string& raw) {
  uLongf comp_len = compressBound(raw.size());
  std::string comp(comp_len, '\0');
  if (compress2(reinterpret_cast<Bytef*>(&comp[0]), &comp_len, reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 1) != Z_OK)
    throw DataError(path_ + ": cannot compress a block of the partial");
  std::string head(1, tag);
  put_le(head, raw.size(), 8);
  put_le(head, comp_len, 8);
  put_le(head, crc32(0L, reinterpret_cast<const Bytef*>(raw.data()), raw.size()), 4);
  if (std::fwrite(head.data(), 1, head.size(), fp_) != head.size() || std::fwrite(comp.data(), 1, comp_len, fp_) != comp_len)
    throw DataError(path_ + ": cannot write the partial: " + std::strerror(errno));
}

void PartialWriter::add_biomarkers(const BiomarkerSource& s) { blob('B', encode_biomarker_source(s)); }

void PartialWriter::add_segment(const Segment& seg) {
  blob('S', encode_segment(seg));
  ++n_segments_;
}

void PartialWriter::add_failed(const FailedInput& f) {
  blob('F', encode_failed(f));
  ++n_failed_;
}

void PartialWriter::close() {
  std::string end;
  put_u(end, n_segments_);
  put_u(end, n_failed_);
  blob('E', end);
  const bool ok = std::fwrite(kEnd, 1, sizeof kEnd, fp_) == sizeof kEnd;
  const int rc = std::fclose(fp_);
  fp_ = nullptr;
  if (!ok || rc != 0) throw DataError(path_ + ": cannot write the partial: " + std::strerror(errno));
}

PartialContents read_partial(const std::string& path, const Panel& panel) {
  std::FILE* fp = std::fopen(path.c_str(), "rb");
  if (!fp) throw DataError(path + ": cannot open the partial: " + std::strerror(errno));
  std::string data;
  char buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, fp)) > 0;) data.append(buf, n);
  const bool read_error = std::ferror(fp);
  std::fclose(fp);
  if (read_error) throw DataError(path + ": cannot read the partial");
  if (data.size() < sizeof kMagic || std::memcmp(data.data(), kMagic, 6) != 0)
    throw DataError(path + ": not a healcap partial (it should start with HCPART); make it with 'healcap scan --partial'");
  if (data[6] != kMagic[6])
    throw DataError(path + ": a partial of format " + std::to_string(static_cast<unsigned char>(data[6])) + "; this healcap reads format " +
                    std::to_string(kPartialFormatVersion) + ": rerun the scan with this version");
  PartialContents out;
  out.path = path;
  size_t at = sizeof kMagic;
  bool have_header = false, ended = false;
  uint64_t n_blob = 0;
  const auto corrupt = [&](const std::string& what) -> DataError {
    return DataError(path + ": the partial is corrupt (" + what + " in block " + std::to_string(n_blob) +
                     "); make it again with 'healcap scan --partial'");
  };
  while (!ended) {
    ++n_blob;
    if (data.size() - at < 21)
      throw DataError(path + ": the partial is truncated (" + std::to_string(data.size()) +
                      " bytes, no end block); the scan that wrote it did not finish: run it again");
    const auto* p = reinterpret_cast<const unsigned char*>(data.data() + at);
    const char tag = static_cast<char>(p[0]);
    const uint64_t raw_len = get_le(p + 1, 8), comp_len = get_le(p + 9, 8);
    const uint32_t crc = static_cast<uint32_t>(get_le(p + 17, 4));
    at += 21;
    if (comp_len > data.size() - at)
      throw DataError(path + ": the partial is truncated (block " + std::to_string(n_blob) +
                      " runs past the end of the file); the scan that wrote it did not finish: run it again");
    // Deflate expands at most about 1032-fold: a larger length is corrupt, and must not be allocated.
    if (raw_len > comp_len * 1032 + 64) throw corrupt("an impossible block length");
    std::string raw(raw_len, '\0');
    uLongf got = raw_len;
    if (uncompress(reinterpret_cast<Bytef*>(&raw[0]), &got, reinterpret_cast<const Bytef*>(data.data() + at), comp_len) != Z_OK ||
        got != raw_len)
      throw corrupt("a block does not inflate");
    if (crc32(0L, reinterpret_cast<const Bytef*>(raw.data()), raw.size()) != crc) throw corrupt("a checksum fails");
    at += comp_len;
    try {
      if (!have_header && tag != 'H') throw std::runtime_error("no header block");
      switch (tag) {
        case 'H': {
          out.header = decode_header(raw);
          if (out.header.format_version != kPartialFormatVersion)
            throw DataError(path + ": a partial of format " + std::to_string(out.header.format_version) +
                            "; this healcap reads format " + std::to_string(kPartialFormatVersion));
          const PartialHeader& h = out.header;
          if (h.panel_sha256 != panel.sha256() || h.panels != partial_panels(panel))
            throw DataError(path + ": made with panel" + (h.panels.size() > 1 ? "s " : " ") + panels_words(h.panels) +
                            ", but the merge uses " + panels_words(partial_panels(panel)) +
                            "; pass the scan's panels with --panel, in the same order (and --pgs-skip-unsupported "
                            "when the scan had it)");
          have_header = true;
          break;
        }
        case 'B':
          if (out.biomarkers || !out.segments.empty() || !out.failed.empty())
            throw std::runtime_error("a biomarker block out of place");
          out.biomarkers = decode_biomarker_source(raw);
          break;
        case 'S': out.segments.push_back(decode_segment(raw, panel)); break;
        case 'F': {
          size_t k = 0;
          FailedInput f;
          f.order = get_u(raw, k);
          f.path = get_s(raw, k);
          f.reason = get_s(raw, k);
          out.failed.push_back(std::move(f));
          break;
        }
        case 'E': {
          size_t k = 0;
          const uint64_t ns = get_u(raw, k), nf = get_u(raw, k);
          if (ns != out.segments.size() || nf != out.failed.size()) throw std::runtime_error("block counts differ");
          ended = true;
          break;
        }
        default: throw std::runtime_error(std::string("unknown block tag '") + tag + "'");
      }
    } catch (const DataError&) {
      throw;
    } catch (const std::exception& e) {
      throw corrupt(e.what());
    }
  }
  if (data.size() - at != sizeof kEnd || std::memcmp(data.data() + at, kEnd, sizeof kEnd) != 0)
    throw corrupt("bytes after the end block");
  return out;
}

}  // namespace healcap
