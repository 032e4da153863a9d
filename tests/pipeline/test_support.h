// Shared helpers for the pipeline tests: a small cohort of VCF records at real panel positions, ways to cut
// its bytes into batches, BCF encoding of the same records, an in-memory scan (as scan_steps.cpp runs one),
// and a field-by-field description of a ScanState to compare runs with.
#pragma once

#include <doctest/doctest.h>

#include <htslib/hts_log.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "contig.h"
#include "driver.h"
#include "errors.h"
#include "panel.h"
#include "panel_annotator.h"
#include "record_source.h"
#include "run_state.h"
#include "site_store.h"

namespace healcap_test {

using namespace healcap;

// ---------------------------------------------------------------------------------------------------------
// The panel and the records.

struct PanelSnv {
  std::string contig;  // with "chr"
  int64_t pos = 0;
  std::string ref, alt;
};

// True when any panel row of either build sits at contig:pos.
inline bool is_panel_position(const std::string& contig, int64_t pos) {
  const Panel& p = Panel::bundled();
  return !p.sites_at(Build::kGRCh38, contig, pos).empty() || !p.sites_at(Build::kGRCh37, contig, pos).empty();
}

inline bool is_base(const std::string& a) { return a == "A" || a == "C" || a == "G" || a == "T"; }

// The first n GRCh38 SNV sites of the bundled panel that have an effect allele, one per position, sorted by
// karyotype order and position.
inline std::vector<PanelSnv> panel_snvs(size_t n) {
  std::vector<PanelSnv> out;
  for (const PanelSite& s : Panel::bundled().sites()) {
    const BuildLocus& l = s.in(Build::kGRCh38);
    if (!l.placed() || !is_base(l.ref) || l.alts.empty() || !is_base(l.alts[0]) || s.effect_allele.empty()) continue;
    const std::string contig = "chr" + l.contig;
    bool seen = false;
    for (const auto& o : out) seen = seen || (o.contig == contig && o.pos == l.pos);
    if (seen) continue;
    out.push_back({contig, l.pos, l.ref, l.alts[0]});
    if (out.size() == n) break;
  }
  REQUIRE(out.size() == n);
  std::stable_sort(out.begin(), out.end(), [](const PanelSnv& a, const PanelSnv& b) {
    const int ra = contig_rank(normalise_contig(a.contig)), rb = contig_rank(normalise_contig(b.contig));
    return ra != rb ? ra < rb : a.pos < b.pos;
  });
  return out;
}

inline const std::vector<std::string>& sample_names() {
  static const std::vector<std::string> s{"S1", "S2", "S3", "S4", "S5"};
  return s;
}

// Diploid genotypes, chosen per record and sample so that they vary by both.
inline std::string genotype(size_t record, size_t sample) {
  static const char* const gts[] = {"0/0", "0/1", "1/1", "./.", "0|1", "1|0"};
  return gts[(record * 7 + sample * 5) % 6];
}

struct Line {
  std::string contig;
  int64_t pos = 0;
  std::string pos_text;  // POS as written; empty: pos
  std::string id, ref, alt;
  std::vector<std::string> gts;
  std::string info;  // empty: DP=...
  std::string text() const {
    std::string t = contig + "\t" + (pos_text.empty() ? std::to_string(pos) : pos_text) + "\t" + id + "\t" + ref +
                    "\t" + alt + "\t50\tPASS\t" + (info.empty() ? "DP=" + std::to_string(10 + pos % 50) : info) + "\tGT";
    for (const auto& g : gts) t += "\t" + g;
    return t;
  }
};

inline Line make_line(const std::string& contig, int64_t pos, const std::string& id, const std::string& ref,
                      const std::string& alt, size_t gt_seed) {
  Line l{contig, pos, "", id, ref, alt, {}, ""};
  for (size_t s = 0; s < sample_names().size(); ++s) l.gts.push_back(genotype(gt_seed, s));
  return l;
}

inline std::string other_base(const std::string& a, const std::string& b) {
  for (const char* c : {"A", "C", "G", "T"})
    if (a != c && b != c) return c;
  return "N";
}

// Sorts lines by karyotype order then position; lines at one position keep their order.
inline void sort_lines(std::vector<Line>& v) {
  std::stable_sort(v.begin(), v.end(), [](const Line& a, const Line& b) {
    const int ra = contig_rank(normalise_contig(a.contig)), rb = contig_rank(normalise_contig(b.contig));
    return ra != rb ? ra < rb : a.pos < b.pos;
  });
}

// The cohort: a record at each of 8 panel SNV sites; a second record at site 0 with the same alleles (a
// duplicate of equal rank: the first in input order wins); before site 1's record, one at site 1 with another
// ALT (it matches with a lower rank: the later record wins); a record at site 0's GRCh37 position (a hit of
// the other pass); background records at positions no panel row has, on the sites' contigs and on chr21.
inline std::vector<Line> cohort_lines() {
  const auto sites = panel_snvs(8);
  std::vector<Line> v;
  size_t seed = 0;
  for (size_t i = 0; i < sites.size(); ++i) {
    const PanelSnv& s = sites[i];
    if (i == 1) v.push_back(make_line(s.contig, s.pos, "dup_other_alt", s.ref, other_base(s.ref, s.alt), seed++));
    v.push_back(make_line(s.contig, s.pos, "site" + std::to_string(i), s.ref, s.alt, seed++));
    if (i == 0) v.push_back(make_line(s.contig, s.pos, "dup_same", s.ref, s.alt, seed++ + 2));
    int k = 0;
    for (int64_t off : {-307, 101, 2003}) {
      const int64_t p = s.pos + off;
      if (p < 1 || is_panel_position(s.contig, p)) continue;
      v.push_back(make_line(s.contig, p, "bg" + std::to_string(i) + "_" + std::to_string(k++), "A", "G", seed++));
    }
  }
  // Site 0's position in GRCh37, when it is an SNV there: only the GRCh37 pass finds a row at it.
  for (const PanelSite& ps : Panel::bundled().sites()) {
    const BuildLocus& l38 = ps.in(Build::kGRCh38);
    if ("chr" + l38.contig != sites[0].contig || l38.pos != sites[0].pos) continue;
    const BuildLocus& l37 = ps.in(Build::kGRCh37);
    if (l37.placed() && is_base(l37.ref) && !l37.alts.empty() && is_base(l37.alts[0]) &&
        Panel::bundled().sites_at(Build::kGRCh38, "chr" + l37.contig, l37.pos).empty()) {
      v.push_back(make_line("chr" + l37.contig, l37.pos, "grch37_site0", l37.ref, l37.alts[0], seed++));
      break;
    }
  }
  for (int64_t p : {1000, 5000, 9000}) v.push_back(make_line("chr21", p, ".", "C", "T", seed++));
  sort_lines(v);
  return v;
}

inline std::string lines_text(const std::vector<Line>& v) {
  std::string t;
  for (const auto& l : v) t += l.text() + "\n";
  return t;
}

inline size_t index_of(const std::vector<Line>& lines, const std::string& id) {
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].id == id) return i;
  FAIL("no line with id " << id);
  return 0;
}

// Byte offset at which line i begins in lines_text(lines).
inline size_t line_offset(const std::vector<Line>& lines, size_t i) {
  size_t at = 0;
  for (size_t k = 0; k < i; ++k) at += lines[k].text().size() + 1;
  return at;
}

// Contigs of the lines, in order of first appearance.
inline std::vector<std::string> contigs_of(const std::vector<Line>& v) {
  std::vector<std::string> c;
  for (const auto& l : v)
    if (std::find(c.begin(), c.end(), l.contig) == c.end()) c.push_back(l.contig);
  return c;
}

// A VCF header defining `contigs` (none: no ##contig lines), INFO DP, FORMAT GT and the samples.
inline std::string header_text(const std::vector<std::string>& contigs) {
  std::string h = "##fileformat=VCFv4.2\n";
  for (const auto& c : contigs) h += "##contig=<ID=" + c + ",length=250000000>\n";
  h += "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n";
  h += "##INFO=<ID=AF,Number=A,Type=Float,Description=\"Allele frequency\">\n";
  h += "##INFO=<ID=SOMATIC,Number=0,Type=Flag,Description=\"A flag\">\n";
  h += "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
  h += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";
  for (const auto& s : sample_names()) h += "\t" + s;
  return h + "\n";
}

// Every contig a test uses, so that one header serves them all.
inline std::vector<std::string> all_contigs() {
  std::vector<std::string> c = contigs_of(cohort_lines());
  for (const char* x : {"chr1", "chr2", "chr4", "chr6", "chr17", "chr21"})
    if (std::find(c.begin(), c.end(), x) == c.end()) c.push_back(x);
  return c;
}

inline bcf_hdr_t* parse_header(const std::string& text) {
  bcf_hdr_t* h = bcf_hdr_init("r");
  REQUIRE(h != nullptr);
  std::vector<char> buf(text.begin(), text.end());
  buf.push_back('\0');
  REQUIRE(bcf_hdr_parse(h, buf.data()) == 0);
  return h;
}

// Sets htslib's log level for a scope.
class LogLevel {
 public:
  explicit LogLevel(enum htsLogLevel l) : old_(hts_get_log_level()) { hts_set_log_level(l); }
  ~LogLevel() { hts_set_log_level(old_); }
  LogLevel(const LogLevel&) = delete;
  LogLevel& operator=(const LogLevel&) = delete;

 private:
  enum htsLogLevel old_;
};

struct HeaderGuard {
  bcf_hdr_t* h;
  ~HeaderGuard() {
    if (h) bcf_hdr_destroy(h);
  }
};

// ---------------------------------------------------------------------------------------------------------
// BCF bytes.

inline void put32(std::string& s, uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// One parsed record's BCF bytes: the two lengths, the fixed fields, the shared and the per-sample parts.
inline std::string encode_bcf(const bcf1_t* v) {
  std::string b;
  put32(b, static_cast<uint32_t>(24 + v->shared.l));
  put32(b, static_cast<uint32_t>(v->indiv.l));
  put32(b, static_cast<uint32_t>(v->rid));
  put32(b, static_cast<uint32_t>(v->pos));
  put32(b, static_cast<uint32_t>(v->rlen));
  uint32_t q;
  std::memcpy(&q, &v->qual, 4);
  put32(b, q);
  put32(b, static_cast<uint32_t>(v->n_allele) << 16 | (v->n_info & 0xffff));
  put32(b, static_cast<uint32_t>(v->n_fmt) << 24 | (v->n_sample & 0xffffff));
  b.append(v->shared.s, v->shared.l);
  b.append(v->indiv.s, v->indiv.l);
  return b;
}

// Parses a VCF line with `hdr` into `rec` (REQUIREs success).
inline void parse_line(bcf_hdr_t* hdr, const std::string& line, bcf1_t* rec) {
  kstring_t ks = {0, 0, nullptr};
  kputsn(line.data(), line.size(), &ks);
  const int r = vcf_parse(&ks, hdr, rec);
  free(ks.s);
  REQUIRE_MESSAGE(r == 0, "vcf_parse failed on: " << line);
}

// The BCF bytes of each line, parsed with `hdr`.
inline std::vector<std::string> bcf_records(bcf_hdr_t* hdr, const std::vector<Line>& lines) {
  std::vector<std::string> out;
  bcf1_t* rec = bcf_init();
  for (const auto& l : lines) {
    parse_line(hdr, l.text(), rec);
    out.push_back(encode_bcf(rec));
  }
  bcf_destroy(rec);
  return out;
}

inline std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x;
  return s;
}

// ---------------------------------------------------------------------------------------------------------
// Cutting bytes into batches.

inline std::vector<std::string> cut_every(const std::string& s, size_t k) {
  std::vector<std::string> out;
  for (size_t at = 0; at < s.size(); at += k) out.push_back(s.substr(at, k));
  return out;
}

// Cuts at the given offsets (sorted, deduplicated here).
inline std::vector<std::string> cut_at(const std::string& s, std::vector<size_t> offsets) {
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  std::vector<std::string> out;
  size_t prev = 0;
  for (size_t o : offsets) {
    if (o <= prev || o >= s.size()) continue;
    out.push_back(s.substr(prev, o - prev));
    prev = o;
  }
  out.push_back(s.substr(prev));
  return out;
}

// Chunks of `per_chunk` whole lines each: every cut falls just after a newline.
inline std::vector<std::string> cut_lines(const std::string& s, size_t per_chunk) {
  std::vector<size_t> at;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n' && ++n % per_chunk == 0) at.push_back(i + 1);
  return cut_at(s, at);
}

// Chunks cut exactly at each newline character (the newline begins the next chunk).
inline std::vector<std::string> cut_before_newlines(const std::string& s) {
  std::vector<size_t> at;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n') at.push_back(i);
  return cut_at(s, at);
}

inline std::vector<std::string> with_empty_chunks(const std::vector<std::string>& v) {
  std::vector<std::string> out{"", ""};
  for (const auto& c : v) {
    out.push_back(c);
    out.push_back("");
  }
  return out;
}

inline std::vector<std::string> cut_random(const std::string& s, size_t n_cuts, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<size_t> at;
  for (size_t i = 0; i < n_cuts; ++i) at.push_back(std::uniform_int_distribution<size_t>(1, s.size() - 1)(rng));
  return cut_at(s, at);
}

struct Cut {
  std::string name;
  std::vector<std::string> chunks;
};

// The ways test 1 cuts VCF text: mid-line every k bytes, at newlines, with empty chunks, at random.
inline std::vector<Cut> text_cuts(const std::string& text) {
  std::vector<Cut> c;
  c.push_back({"one chunk", {text}});
  for (size_t k : {1, 2, 3, 7, 13, 64, 100, 257, 1000}) c.push_back({"every " + std::to_string(k) + " bytes", cut_every(text, k)});
  c.push_back({"one byte short of one chunk", cut_every(text, text.size() - 1)});
  c.push_back({"one line per chunk", cut_lines(text, 1)});
  c.push_back({"three lines per chunk", cut_lines(text, 3)});
  c.push_back({"cut before each newline", cut_before_newlines(text)});
  c.push_back({"every 5 bytes with empty chunks between", with_empty_chunks(cut_every(text, 5))});
  c.push_back({"one line per chunk with empty chunks between", with_empty_chunks(cut_lines(text, 1))});
  for (uint32_t seed : {1u, 2u, 3u}) c.push_back({"random cuts, seed " + std::to_string(seed), cut_random(text, 25, seed)});
  return c;
}

// ---------------------------------------------------------------------------------------------------------
// Running a scan in memory, as scan_steps.cpp does.

inline constexpr const char* kPath = "mem.vcf";

class Harness {
 public:
  explicit Harness(const std::string& header)
      : hdr(parse_header(header)),
        a38(Panel::bundled(), Build::kGRCh38),
        a37(Panel::bundled(), Build::kGRCh37),
        passes{&a38, &a37} {
    work_hdr = bcf_hdr_dup(hdr);
    REQUIRE(work_hdr != nullptr);
    for (int i = 0; i < bcf_hdr_nsamples(hdr); ++i) samples.push_back(hdr->samples[i]);
  }
  ~Harness() {
    bcf_hdr_destroy(work_hdr);
    bcf_hdr_destroy(hdr);
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  SourceContext context() const {
    SourceContext c;
    c.panel = &Panel::bundled();
    c.passes = passes;
    c.path = kPath;
    return c;
  }
  std::unique_ptr<RecordSource> source(bool is_bcf, std::vector<std::string> chunks) const {
    return make_memory_source(hdr, is_bcf, std::move(chunks), context());
  }
  std::unique_ptr<ScanState> new_state(bool require_sorted = false) const {
    return std::make_unique<ScanState>(Panel::bundled(), std::array<Build, 2>{Build::kGRCh38, Build::kGRCh37}, samples,
                                       require_sorted, kPath);
  }
  uint64_t run(RecordSource& src, int threads, BatchFold& fold) const {
    DriverOptions opt;
    opt.threads = threads;
    opt.passes = passes;
    opt.work_hdr = work_hdr;
    return run_driver(src, opt, fold);
  }

  bcf_hdr_t* hdr;
  bcf_hdr_t* work_hdr = nullptr;
  PanelAnnotator a38, a37;
  Annotators passes;
  std::vector<std::string> samples;
};

// One scan of `chunks` (VCF text or BCF record bytes) with a fresh header parsed from `header`.
inline std::unique_ptr<ScanState> scan(const std::string& header, bool is_bcf, std::vector<std::string> chunks,
                                       int threads, bool require_sorted = false, uint64_t* n_keys = nullptr) {
  Harness h(header);
  auto state = h.new_state(require_sorted);
  ScanFold fold(*state, h.work_hdr, false, nullptr, kPath);
  auto src = h.source(is_bcf, std::move(chunks));
  const uint64_t n = h.run(*src, threads, fold);
  if (n_keys) *n_keys = n;
  return state;
}

// ---------------------------------------------------------------------------------------------------------
// Comparing states.

inline std::string num(double x) {
  char b[40];
  std::snprintf(b, sizeof b, "%.9g", x);
  return b;
}

// Every field of the statistics and of every SiteResult of both stores, one line per item.
inline std::vector<std::string> describe(const ScanState& st) {
  std::vector<std::string> d;
  const ScanStats s = st.stats();
  d.push_back("n_records=" + std::to_string(s.n_records));
  for (int p = 0; p < 2; ++p)
    d.push_back("pass " + std::to_string(p) + ": n_panel_position_records=" + std::to_string(s.n_panel_position_records[p]) +
                " n_ref_checked=" + std::to_string(s.n_ref_checked[p]) +
                " n_ref_concordant=" + std::to_string(s.n_ref_concordant[p]));
  d.push_back("n_ref_blocks=" + std::to_string(s.n_ref_blocks));
  d.push_back("n_contigs=" + std::to_string(s.contigs.size()));
  for (const auto& c : s.contigs)
    d.push_back("contig " + c.name + " n=" + std::to_string(c.n_records) + " first_pos=" + std::to_string(c.first_pos) +
                " last_pos=" + std::to_string(c.last_pos));
  d.push_back("first_unsorted=" + s.first_unsorted);
  d.push_back("n_undefined=" + std::to_string(s.n_undefined) + " first_undefined=" + s.first_undefined);
  for (int p = 0; p < 2; ++p) {
    const auto& res = st.stores[p].results();
    for (size_t i = 0; i < res.size(); ++i) {
      const SiteResult& r = res[i];
      std::string l = "store " + std::to_string(p) + " row " + std::to_string(i) + ": " + std::string(to_string(r.state)) +
                      " match(row=" + std::to_string(r.match.row) + " outcome=" + std::to_string(int(r.match.outcome)) +
                      " type=" + std::to_string(int(r.match.type)) + " counted=" + std::to_string(r.match.counted_allele) +
                      " alt_present=" + std::to_string(r.match.panel_alt_present) + ")" + " record=" + r.record.contig +
                      ":" + std::to_string(r.record.pos) + " " + r.record.id + " " + r.record.ref + ">" + r.record.alts +
                      " calls=[";
      for (const Call& c : r.calls)
        l += num(c.dosage) + "/" + std::string(to_string(c.state)) + "/" + std::to_string(c.allele[0]) + "," +
             std::to_string(c.allele[1]) + "/p" + std::to_string(c.ploidy) + (c.phased ? "|" : "") + "/gq" +
             std::to_string(c.gq) + "/dp" + std::to_string(c.dp) + " ";
      l += "] src=" + std::to_string(r.dosage_source) + " filtered=" + std::to_string(r.site_filtered) +
           " n_records=" + std::to_string(r.n_records) + " n_matched=" + std::to_string(r.n_matched) +
           " used_match=" + std::to_string(r.used_match) + " key=" + std::to_string(r.key) + " matched_keys=";
      for (uint64_t k : r.matched_keys) l += std::to_string(k) + ",";
      d.push_back(l);
    }
  }
  return d;
}

// One CHECK: `got` equals `want` in every field describe() lists; the message shows the first differences.
inline void check_same_state(const ScanState& want, const ScanState& got, const std::string& label) {
  const auto a = describe(want), b = describe(got);
  size_t n_diff = 0;
  std::string diff;
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "(none)", y = i < b.size() ? b[i] : "(none)";
    if (x == y) continue;
    if (n_diff++ < 4) diff += "\n  want: " + x + "\n  got:  " + y;
  }
  CHECK_MESSAGE(n_diff == 0, label << ": " << n_diff << " lines differ" << diff);
}

// Rows of the GRCh38 store whose panel locus is contig:pos.
inline std::vector<size_t> rows_at(const std::string& contig, int64_t pos, Build b = Build::kGRCh38) {
  return Panel::bundled().sites_at(b, contig, pos);
}

}  // namespace healcap_test
