// bcf_record_from_bytes: BCF record bytes into a bcf1_t, as htslib's reader builds it, rejecting what
// htslib's bcf_read rejects. Every verdict is checked against bcf_read itself on the same bytes in a BCF file.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "bcf_records.h"
#include "test_support.h"

using namespace healcap_test;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/healcap_bcf_test_XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The records of these tests: the cohort, and some of other shapes (several ALTs, an indel, missing QUAL,
// FILTER and INFO, haploid and missing calls, an ID longer than 15 characters).
std::vector<Line> test_lines() {
  auto v = cohort_lines();
  Line multi = make_line("chr4", 1000, "rs_multi", "A", "C,G,T", 0);
  multi.gts = {"0/1", "1/2", "2/3", "./3", "3|3"};
  multi.info = "DP=7;AF=0.25,0.5,0.125;SOMATIC";  // three INFO fields: an integer, floats and a flag
  v.push_back(multi);
  Line indel = make_line("chr4", 2000, "an_identifier_longer_than_fifteen_characters", "ACGT", "A", 1);
  v.push_back(indel);
  Line haploid = make_line("chr4", 3000, ".", "G", "T", 2);
  haploid.gts = {"0", "1", ".", "1", "0"};
  v.push_back(haploid);
  return v;
}

std::string line_text(const Line& l) {
  if (l.pos != 3000) return l.text();
  std::string t = l.contig + "\t" + std::to_string(l.pos) + "\t.\t" + l.ref + "\t" + l.alt + "\t.\t.\t.\tGT";
  for (const auto& g : l.gts) t += "\t" + g;
  return t;
}

std::vector<std::string> lines_bcf(bcf_hdr_t* hdr, const std::vector<Line>& lines) {
  std::vector<std::string> out;
  bcf1_t* rec = bcf_init();
  for (const auto& l : lines) {
    parse_line(hdr, line_text(l), rec);
    out.push_back(encode_bcf(rec));
  }
  bcf_destroy(rec);
  return out;
}

// An uncompressed BCF file: the magic, the header text's length (with its NUL), the text, the records.
std::string bcf_file(const bcf_hdr_t* hdr, const std::string& records) {
  kstring_t text = {0, 0, nullptr};  // bcf_hdr_fmt_text's text (deprecated in favour of this)
  REQUIRE(bcf_hdr_format(hdr, 1, &text) == 0);
  std::string f = "BCF\2\2";
  put32(f, static_cast<uint32_t>(text.l + 1));
  f.append(text.s, text.l);
  f.push_back('\0');
  free(text.s);
  return f + records;
}

// What htslib's bcf_read returns for the first record of `records`, in a file with `hdr`'s text. `samples`
// selects samples on the header read back, as bcf_hdr_set_samples does; `out` receives the record.
int htslib_read(const bcf_hdr_t* hdr, const std::string& records, bcf1_t* out, const char* samples = nullptr) {
  const std::string dir = temp_dir(), path = dir + "/record.bcf";
  {
    std::ofstream f(path, std::ios::binary);
    const std::string bytes = bcf_file(hdr, records);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  htsFile* fp = hts_open(path.c_str(), "rb");
  REQUIRE(fp != nullptr);
  bcf_hdr_t* h = bcf_hdr_read(fp);
  REQUIRE(h != nullptr);
  if (samples) REQUIRE(bcf_hdr_set_samples(h, samples, 0) == 0);
  const int r = bcf_read(fp, h, out);
  bcf_hdr_destroy(h);
  hts_close(fp);
  std::remove(path.c_str());
  rmdir(dir.c_str());
  return r;
}

std::string allele(const bcf1_t* v, int i) { return v->d.allele[i]; }

// The two records hold the same fields: fixed fields, ID, alleles, FILTER, INFO DP and every GT value.
void check_same_record(bcf_hdr_t* hdr, bcf1_t* want, bcf1_t* got) {
  CHECK(got->rid == want->rid);
  CHECK(got->pos == want->pos);
  CHECK(got->rlen == want->rlen);
  CHECK(std::memcmp(&got->qual, &want->qual, sizeof(float)) == 0);  // bit for bit: a missing QUAL is a NaN
  CHECK(unsigned(got->n_allele) == unsigned(want->n_allele));
  CHECK(unsigned(got->n_info) == unsigned(want->n_info));
  CHECK(unsigned(got->n_fmt) == unsigned(want->n_fmt));
  CHECK(unsigned(got->n_sample) == unsigned(want->n_sample));
  REQUIRE(bcf_unpack(want, BCF_UN_ALL) == 0);
  REQUIRE(bcf_unpack(got, BCF_UN_ALL) == 0);
  CHECK(std::string(got->d.id) == want->d.id);
  REQUIRE(unsigned(got->n_allele) == unsigned(want->n_allele));
  for (int i = 0; i < int(want->n_allele); ++i) CHECK(allele(got, i) == allele(want, i));
  REQUIRE(got->d.n_flt == want->d.n_flt);
  for (int i = 0; i < want->d.n_flt; ++i) CHECK(got->d.flt[i] == want->d.flt[i]);
  int32_t *dp_w = nullptr, *dp_g = nullptr;
  int n_dp_w = 0, n_dp_g = 0;
  const int dw = bcf_get_info_int32(hdr, want, "DP", &dp_w, &n_dp_w), dg = bcf_get_info_int32(hdr, got, "DP", &dp_g, &n_dp_g);
  CHECK(dg == dw);
  if (dw > 0 && dg == dw) CHECK(dp_g[0] == dp_w[0]);
  float *af_w = nullptr, *af_g = nullptr;
  int n_af_w = 0, n_af_g = 0;
  const int aw = bcf_get_info_float(hdr, want, "AF", &af_w, &n_af_w), ag = bcf_get_info_float(hdr, got, "AF", &af_g, &n_af_g);
  CHECK(ag == aw);
  for (int i = 0; i < aw && ag == aw; ++i) CHECK(af_g[i] == af_w[i]);
  CHECK(bcf_get_info_flag(hdr, got, "SOMATIC", nullptr, nullptr) == bcf_get_info_flag(hdr, want, "SOMATIC", nullptr, nullptr));
  free(af_w);
  free(af_g);
  int32_t *gt_w = nullptr, *gt_g = nullptr;
  int n_gt_w = 0, n_gt_g = 0;
  const int gw = bcf_get_genotypes(hdr, want, &gt_w, &n_gt_w), gg = bcf_get_genotypes(hdr, got, &gt_g, &n_gt_g);
  REQUIRE(gw > 0);
  REQUIRE(gg == gw);
  for (int i = 0; i < gw; ++i) CHECK(gt_g[i] == gt_w[i]);
  free(dp_w);
  free(dp_g);
  free(gt_w);
  free(gt_g);
}

std::string from_bytes(const bcf_hdr_t* hdr, const std::string& b, bcf1_t* v) {
  return bcf_record_from_bytes(hdr, reinterpret_cast<const uint8_t*>(b.data()), b.size(), v);
}

// Where the parts of a record's bytes are: each a type byte's offset (keys: the typed integer's type byte).
struct Layout {
  size_t l_shared = 0, l_indiv = 0, indiv = 0;
  size_t id = 0;
  std::vector<size_t> alleles;
  size_t filter = 0;
  std::vector<size_t> filter_ids;
  std::vector<size_t> info_key, info_value;
  std::vector<size_t> fmt_key, fmt_value;
};

uint32_t get32(const std::string& b, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(b[at + i])) << (8 * i);
  return v;
}
void set32(std::string& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
size_t width(int type) { return type == BCF_BT_INT16 ? 2 : type == BCF_BT_INT32 || type == BCF_BT_FLOAT ? 4 : type == BCF_BT_NULL ? 0 : 1; }
int64_t read_int(const std::string& b, size_t at, int type) {
  const size_t w = width(type);
  uint32_t u = 0;
  for (size_t i = 0; i < w; ++i) u |= uint32_t(uint8_t(b[at + i])) << (8 * i);
  return w == 1 ? int8_t(u) : w == 2 ? int16_t(u) : int32_t(u);
}
// A type byte and its count at `at`; returns the offset of the values.
size_t read_size(const std::string& b, size_t at, int& type, int64_t& count) {
  const uint8_t t = uint8_t(b[at++]);
  type = t & 0xf;
  count = t >> 4;
  if (count == 15) {
    int it;
    int64_t ic;
    at = read_size(b, at, it, ic);
    count = read_int(b, at, it);
    at += width(it);
  }
  return at;
}

Layout layout(const std::string& b) {
  Layout L;
  L.l_shared = get32(b, 0);
  L.l_indiv = get32(b, 4);
  L.indiv = 8 + L.l_shared;
  const uint32_t x6 = get32(b, 24), x7 = get32(b, 28);
  const size_t n_info = x6 & 0xffff, n_allele = x6 >> 16, n_fmt = x7 >> 24, n_sample = x7 & 0xffffff;
  int type;
  int64_t count;
  size_t at = 32;
  L.id = at;
  at = read_size(b, at, type, count) + count * width(type);
  for (size_t i = 0; i < n_allele; ++i) {
    L.alleles.push_back(at);
    at = read_size(b, at, type, count) + count * width(type);
  }
  L.filter = at;
  at = read_size(b, at, type, count);
  for (int64_t i = 0; i < count; ++i) L.filter_ids.push_back(at + i * width(type));
  at += count * width(type);
  for (size_t i = 0; i < n_info; ++i) {
    L.info_key.push_back(at);
    at = read_size(b, at, type, count) + width(type);
    L.info_value.push_back(at);
    at = read_size(b, at, type, count) + count * width(type);
  }
  REQUIRE(at == L.indiv);
  for (size_t i = 0; i < n_fmt; ++i) {
    L.fmt_key.push_back(at);
    at = read_size(b, at, type, count) + width(type);
    L.fmt_value.push_back(at);
    at = read_size(b, at, type, count) + count * width(type) * n_sample;
  }
  REQUIRE(at == b.size());
  return L;
}

// Replaces the type code of the type byte at `at`, keeping its count.
void set_type(std::string& b, size_t at, int type) { b[at] = static_cast<char>((uint8_t(b[at]) & 0xf0) | type); }
// Adds to the count of the type byte at `at` (a count below 15).
void add_count(std::string& b, size_t at, int n) {
  const uint8_t t = uint8_t(b[at]);
  REQUIRE((t >> 4) + n < 15);
  b[at] = static_cast<char>(t + (n << 4));
}

struct Corruption {
  std::string name;
  std::function<void(std::string&, const Layout&)> apply;
};

}  // namespace

TEST_CASE("bcf_record_from_bytes builds from good bytes the record vcf_parse made, and the one bcf_read makes") {
  HeaderGuard hdr{parse_header(header_text(all_contigs()))};
  const auto lines = test_lines();
  const auto records = lines_bcf(hdr.h, lines);
  bcf1_t* parsed = bcf_init();
  bcf1_t* got = bcf_init();
  bcf1_t* read = bcf_init();
  for (size_t i = 0; i < lines.size(); ++i) {
    CAPTURE(line_text(lines[i]));
    parse_line(hdr.h, line_text(lines[i]), parsed);
    CHECK(from_bytes(hdr.h, records[i], got) == "");
    check_same_record(hdr.h, parsed, got);
    REQUIRE(htslib_read(hdr.h, records[i], read) == 0);
    check_same_record(hdr.h, read, got);
    // Reused: a second record into the same bcf1_t leaves nothing of the first.
    CHECK(from_bytes(hdr.h, records[(i + 1) % records.size()], got) == "");
    parse_line(hdr.h, line_text(lines[(i + 1) % lines.size()]), parsed);
    check_same_record(hdr.h, parsed, got);
  }
  bcf_destroy(parsed);
  bcf_destroy(got);
  bcf_destroy(read);
}

TEST_CASE("bcf_record_from_bytes keeps the samples a header selects, as vcf_parse and bcf_read do") {
  const std::string text = header_text(all_contigs());
  HeaderGuard full{parse_header(text)};
  HeaderGuard sub{parse_header(text)};
  REQUIRE(bcf_hdr_set_samples(sub.h, "S2,S4", 0) == 0);
  REQUIRE(bcf_hdr_nsamples(sub.h) == 2);
  const auto lines = test_lines();
  const auto records = lines_bcf(full.h, lines);  // five samples in the bytes
  bcf1_t* parsed = bcf_init();
  bcf1_t* got = bcf_init();
  bcf1_t* read = bcf_init();
  for (size_t i = 0; i < lines.size(); ++i) {
    CAPTURE(line_text(lines[i]));
    parse_line(sub.h, line_text(lines[i]), parsed);
    REQUIRE(unsigned(parsed->n_sample) == 2);
    CHECK(from_bytes(sub.h, records[i], got) == "");
    CHECK(unsigned(got->n_sample) == 2);
    check_same_record(sub.h, parsed, got);
    REQUIRE(htslib_read(full.h, records[i], read, "S2,S4") == 0);
    check_same_record(sub.h, read, got);
  }
  bcf_destroy(parsed);
  bcf_destroy(got);
  bcf_destroy(read);
}

TEST_CASE("the test encoder writes the bytes htslib's bcf_write writes") {
  HeaderGuard hdr{parse_header(header_text(all_contigs()))};
  const auto lines = test_lines();
  const std::string dir = temp_dir(), path = dir + "/written.bcf";
  htsFile* fp = hts_open(path.c_str(), "wbu");
  REQUIRE(fp != nullptr);
  REQUIRE(bcf_hdr_write(fp, hdr.h) == 0);
  bcf1_t* rec = bcf_init();
  for (const auto& l : lines) {
    parse_line(hdr.h, line_text(l), rec);
    REQUIRE(bcf_write(fp, hdr.h, rec) == 0);
  }
  bcf_destroy(rec);
  REQUIRE(hts_close(fp) == 0);
  const std::string file = slurp(path);
  std::remove(path.c_str());
  rmdir(dir.c_str());
  REQUIRE(file.size() > 9);
  CHECK(file.substr(0, 5) == "BCF\2\2");
  const size_t records_at = 9 + get32(file, 5);
  CHECK(file.substr(records_at) == join(lines_bcf(hdr.h, lines)));
  CHECK(file.substr(0, records_at) == bcf_file(hdr.h, ""));
}

TEST_CASE("bcf_record_from_bytes rejects the corrupt records htslib's bcf_read rejects") {
  const LogLevel quiet(HTS_LOG_OFF);
  HeaderGuard hdr{parse_header(header_text(all_contigs()))};
  const auto lines = test_lines();
  const auto records = lines_bcf(hdr.h, lines);
  const int n_ids = hdr.h->n[BCF_DT_ID], n_contigs = hdr.h->n[BCF_DT_CTG];
  REQUIRE(n_ids < 100);
  const std::vector<Corruption> corruptions{
      {"a FORMAT id beyond the header's dictionary", [&](std::string& b, const Layout& L) { b[L.fmt_key[0] + 1] = char(n_ids); }},
      {"a negative FORMAT id", [](std::string& b, const Layout& L) { b[L.fmt_key[0] + 1] = char(-3); }},
      {"an INFO id beyond the header's dictionary", [&](std::string& b, const Layout& L) { b[L.info_key[0] + 1] = char(n_ids + 20); }},
      {"a FILTER id beyond the header's dictionary", [&](std::string& b, const Layout& L) { b[L.filter_ids[0]] = char(n_ids); }},
      {"a contig id beyond the header's contigs", [&](std::string& b, const Layout&) { set32(b, 8, uint32_t(n_contigs)); }},
      {"a negative contig id", [](std::string& b, const Layout&) { set32(b, 8, uint32_t(-1)); }},
      {"lengths that claim more bytes than the record has",
       [](std::string& b, const Layout& L) { set32(b, 4, uint32_t(L.l_indiv + 4)); }},
      {"a shared length below the fixed fields' 24 bytes", [](std::string& b, const Layout&) { set32(b, 0, 20); }},
      {"lengths that add up but cut the per-sample part short",
       [](std::string& b, const Layout& L) {
         set32(b, 0, uint32_t(L.l_shared + 2));
         set32(b, 4, uint32_t(L.l_indiv - 2));
       }},
      {"an INFO value that runs past the record",
       [](std::string& b, const Layout& L) {
         size_t last = L.info_value.size();  // the last INFO value with a type that has a width (not a flag)
         while (last > 0 && (uint8_t(b[L.info_value[last - 1]]) & 0xf) == BCF_BT_NULL) --last;
         REQUIRE(last > 0);
         add_count(b, L.info_value[last - 1], 4);
       }},
      {"FORMAT values that run past the record", [](std::string& b, const Layout& L) { add_count(b, L.fmt_value.back(), 1); }},
      {"an invalid INFO type code (4)", [](std::string& b, const Layout& L) { set_type(b, L.info_value[0], 4); }},
      {"an invalid INFO type code (6)", [](std::string& b, const Layout& L) { set_type(b, L.info_value[0], 6); }},
      {"an invalid FORMAT type code (4)", [](std::string& b, const Layout& L) { set_type(b, L.fmt_value[0], 4); }},
      {"an invalid FORMAT type code (15)", [](std::string& b, const Layout& L) { set_type(b, L.fmt_value[0], 15); }},
      {"an INFO key of float type", [](std::string& b, const Layout& L) { set_type(b, L.info_key[0], BCF_BT_FLOAT); }},
      {"a FILTER of float type", [](std::string& b, const Layout& L) { set_type(b, L.filter, BCF_BT_FLOAT); }},
      {"an ID of integer type", [](std::string& b, const Layout& L) { set_type(b, L.id, BCF_BT_INT8); }},
      {"a REF of integer type", [](std::string& b, const Layout& L) { set_type(b, L.alleles[0], BCF_BT_INT8); }},
  };
  bcf1_t* v = bcf_init();
  for (size_t i : {size_t(0), index_of(lines, "site3"), lines.size() - 3, lines.size() - 2}) {
    const std::string& good = records[i];
    const Layout L = layout(good);
    CAPTURE(line_text(lines[i]));
    // The control: the good bytes pass both.
    CHECK(from_bytes(hdr.h, good, v) == "");
    CHECK(htslib_read(hdr.h, good, v) == 0);
    for (const Corruption& c : corruptions) {
      CAPTURE(c.name);
      std::string bad = good;
      c.apply(bad, L);
      REQUIRE(bad != good);
      CHECK_FALSE(from_bytes(hdr.h, bad, v).empty());
      CHECK(htslib_read(hdr.h, bad, v) < 0);
    }
  }
  bcf_destroy(v);
}

// Known divergence (see the report): check_record accepts BCF_BT_NULL for INFO/FORMAT values whatever their
// count, and for an ID, where bcf_record_check rejects both.
TEST_CASE("bcf_record_from_bytes rejects null-typed values that carry a count, as bcf_read does") {
  const LogLevel quiet(HTS_LOG_OFF);
  HeaderGuard hdr{parse_header(header_text(all_contigs()))};
  const auto lines = test_lines();
  const auto records = lines_bcf(hdr.h, lines);
  const std::string& good = records[0];
  const Layout L = layout(good);
  const std::vector<Corruption> corruptions{
      {"an INFO value typed null with a count of 1", [](std::string& b, const Layout& at) { set_type(b, at.info_value[0], BCF_BT_NULL); }},
      {"FORMAT values typed null with a count of 1", [](std::string& b, const Layout& at) { set_type(b, at.fmt_value[0], BCF_BT_NULL); }},
  };
  bcf1_t* v = bcf_init();
  for (const Corruption& c : corruptions) {
    CAPTURE(c.name);
    std::string bad = good;
    c.apply(bad, L);
    CHECK(htslib_read(hdr.h, bad, v) < 0);
    CHECK_FALSE(from_bytes(hdr.h, bad, v).empty());
  }
  // An ID typed null (count 0) instead of the empty string htslib writes for '.'.
  const size_t dot = lines.size() - 1;
  REQUIRE(lines[dot].id == ".");
  std::string bad = records[dot];
  const Layout D = layout(bad);
  REQUIRE(uint8_t(bad[D.id]) == 0x07);
  set_type(bad, D.id, BCF_BT_NULL);
  CHECK(htslib_read(hdr.h, bad, v) < 0);
  CHECK_FALSE(from_bytes(hdr.h, bad, v).empty());
  bcf_destroy(v);
}

// Known divergence (see the report): bcf_read replaces a negative rlen with the REF's length; healcap keeps it.
TEST_CASE("bcf_record_from_bytes reads a negative rlen as bcf_read does") {
  const LogLevel quiet(HTS_LOG_OFF);
  HeaderGuard hdr{parse_header(header_text(all_contigs()))};
  const auto lines = test_lines();
  std::string b = lines_bcf(hdr.h, lines)[0];
  set32(b, 16, uint32_t(-1));
  bcf1_t* read = bcf_init();
  bcf1_t* got = bcf_init();
  REQUIRE(htslib_read(hdr.h, b, read) == 0);
  CHECK(from_bytes(hdr.h, b, got) == "");
  CHECK(read->rlen == 1);  // htslib takes the REF's length
  CHECK(got->rlen == read->rlen);
  bcf_destroy(read);
  bcf_destroy(got);
}
