// annotate's verbatim path: copy what needs no parse, parse the rest, deflate on the workers.
#include "verbatim_vcf.h"

#include <htslib/hts.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "errors.h"
#include "record_slot.h"

namespace healcap {

namespace {

// The tabs in [p, p + n), and whether a NUL byte is among the bytes: one pass, 16 bytes at a time.
size_t count_tabs(const char* p, size_t n, bool& nul) {
  size_t tabs = 0, i = 0;
  nul = false;
#if defined(__SSE2__)
  const __m128i tab = _mm_set1_epi8('\t'), zero = _mm_setzero_si128();
  __m128i zeros = zero;
  while (i + 16 <= n) {
    // Byte counters, summed before any of them can pass 255.
    __m128i acc = zero;
    const size_t end = i + 16 * std::min<size_t>(255, (n - i) / 16);
    for (; i < end; i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, tab));
      zeros = _mm_or_si128(zeros, _mm_cmpeq_epi8(v, zero));
    }
    const __m128i sums = _mm_sad_epu8(acc, zero);
    tabs += static_cast<size_t>(_mm_cvtsi128_si32(sums)) + static_cast<size_t>(_mm_extract_epi16(sums, 4));
  }
  nul = _mm_movemask_epi8(zeros) != 0;
#endif
  for (; i < n; ++i) {
    tabs += p[i] == '\t';
    nul |= p[i] == '\0';
  }
  return tabs;
}

bool env_says_htslib() {
  const char* v = std::getenv("HEALCAP_VERBATIM");
  return v && std::strcmp(v, "0") == 0;
}

// Forwards every call to the source it wraps; its serial stage first keeps, in the batch, the line cut at the
// batch's start as it will be whole (the bytes the text source carries over from the batch before).
class HeadLineSource : public RecordSource {
 public:
  explicit HeadLineSource(std::unique_ptr<RecordSource> src) : src_(std::move(src)) {}
  std::string describe() const override { return src_->describe(); }
  std::string read_mode() const override { return src_->read_mode(); }
  bool read(Batch& b) override { return src_->read(b); }
  void prepare(Batch& b) override { src_->prepare(b); }
  void stitch(Batch& b) override {
    if (!b.error && !b.end_error) {  // a batch that fails writes nothing
      const char* base = b.bytes.get() + b.skip;
      const size_t size = b.len - b.skip;
      if (!b.has_newline) {
        carry_.append(base, size);
      } else {
        b.head_line.swap(carry_);
        b.head_line.append(base, b.head_end - 1);
        carry_.assign(base + b.tail_beg, size - b.tail_beg);
      }
    }
    src_->stitch(b);
  }
  bool finish(Batch& b) override { return src_->finish(b); }
  int max_threads() const override { return src_->max_threads(); }
  ReadExtent extent() const override { return src_->extent(); }

 private:
  std::unique_ptr<RecordSource> src_;
  std::string carry_;
};

}  // namespace

bool verbatim_path_applies(const ScanConfig& cfg, const OpenInput& input, std::string& why) {
  VcfInput& in = *input.in;  // a unique_ptr: the input itself is not const
  htsFile* fp = in.file();
  if (env_says_htslib()) why = "HEALCAP_VERBATIM=0";
  else if (cfg.vcf_type != 'z') why = "the output is not bgzipped VCF";
  else if (in.path() == "-") why = "standard input";
  else if (in.is_bcf() || fp->format.compression != bgzf || !fp->is_bgzf) why = "the input is not a bgzipped VCF file";
  else if (!cfg.samples.empty()) why = "samples are selected (-s/-S)";
  else return true;
  return false;
}

VerbatimLines::VerbatimLines(const bcf_hdr_t* hdr) : hdr_(bcf_hdr_dup(hdr)) {
  if (!hdr_) throw DataError("cannot copy the VCF header");
  const size_t n = static_cast<size_t>(bcf_hdr_nsamples(hdr_));
  tabs_ = n ? 8 + n : 7;
}

VerbatimLines::~VerbatimLines() { bcf_hdr_destroy(hdr_); }

bool VerbatimLines::defined(const char* id, size_t n, int type, std::string& scratch) const {
  if (n == 0) return false;
  scratch.assign(id, n);
  if (type == BCF_HL_CTG) return bcf_hdr_name2id(hdr_, scratch.c_str()) >= 0;
  const int k = bcf_hdr_id2int(hdr_, BCF_DT_ID, scratch.c_str());
  return k >= 0 && bcf_hdr_idinfo_exists(hdr_, type, k);
}

bool VerbatimLines::must_parse(const char* p, size_t n) {
  bool nul = false;
  if (count_tabs(p, n, nul) != tabs_ || nul) return true;
  // Columns 1 (CHROM), 7 (FILTER), 8 (INFO) and 9 (FORMAT, when there are samples).
  const char* col[10];
  col[0] = p;
  const char* end = p + n;
  const int n_cols = tabs_ == 7 ? 8 : 9;
  for (int i = 1; i <= n_cols; ++i) {
    const char* t = i < n_cols || tabs_ > 7 ? static_cast<const char*>(std::memchr(col[i - 1], '\t', end - col[i - 1])) : nullptr;
    col[i] = t ? t + 1 : end + 1;  // the last column ends at the line's end
  }
  const auto field = [&](int i) { return std::string_view(col[i], static_cast<size_t>(col[i + 1] - 1 - col[i])); };
  Cache& c = caches_.local();
  std::string scratch;
  // A run of one contig asks once.
  const std::string_view contig = field(0);
  if (contig != c.contig) {
    if (!defined(contig.data(), contig.size(), BCF_HL_CTG, scratch)) return true;
    c.contig.assign(contig);
  }
  // Ids separated by `sep`, each defined as `type`; "." alone names none.
  const auto ids_defined = [&](std::string_view f, char sep, int type) {
    if (f == ".") return true;
    for (size_t at = 0;;) {
      const size_t e = std::min(f.find(sep, at), f.size());
      if (!defined(f.data() + at, e - at, type, scratch)) return false;
      if (e == f.size()) return true;
      at = e + 1;
    }
  };
  const std::string_view filter = field(6);
  if (filter != c.filter) {
    if (!ids_defined(filter, ';', BCF_HL_FLT)) return true;
    c.filter.assign(filter);
  }
  if (n_cols == 9) {
    const std::string_view format = field(8);
    if (format != c.format) {
      if (!ids_defined(format, ':', BCF_HL_FMT)) return true;
      c.format.assign(format);
    }
  }
  // INFO keys (before '=' in each ';'-separated entry), compared with the keys in the same places on the line
  // before; a new one is looked up.
  const std::string_view info = field(7);
  if (info == ".") return false;
  size_t k = 0;
  for (size_t at = 0;; ++k) {
    const size_t e = std::min(info.find(';', at), info.size());
    const std::string_view entry = info.substr(at, e - at);
    const std::string_view key = entry.substr(0, std::min(entry.find('='), entry.size()));
    if (k >= c.info_keys.size()) c.info_keys.emplace_back();
    if (key != c.info_keys[k]) {
      if (!defined(key.data(), key.size(), BCF_HL_INFO, scratch)) return true;
      c.info_keys[k].assign(key);
    }
    if (e == info.size()) break;
    at = e + 1;
  }
  return false;
}

VerbatimVcfWriter::VerbatimVcfWriter(const OpenInput& input, const ScanPlan& plan, const ScanConfig& cfg)
    : work_hdr_(plan.work_hdr()),
      path_(cfg.vcf_out),
      level_(cfg.compress_level),
      lines_(input.in->header()),
      out_(cfg.vcf_out, cfg.index) {
  // As vcf_hdr_write: the header's text (trailing NULs dropped), flushed into blocks of its own.
  kstring_t h = {0, 0, nullptr};
  if (bcf_hdr_format(work_hdr_, 0, &h) != 0) {
    free(h.s);
    throw DataError(path_ + ": cannot format the VCF header");
  }
  while (h.l && h.s[h.l - 1] == '\0') --h.l;
  std::vector<uint8_t> blocks;
  BgzfDeflater d(level_);
  d.blocks(h.s, h.l, blocks);
  free(h.s);
  out_.write(blocks);
}

VerbatimVcfWriter::~VerbatimVcfWriter() = default;

void VerbatimVcfWriter::configure(SourceContext& ctx) {
  ctx.must_parse = [this](const char* p, size_t n) { return lines_.must_parse(p, n); };
}

std::unique_ptr<RecordSource> VerbatimVcfWriter::wrap(std::unique_ptr<RecordSource> src) {
  return std::make_unique<HeadLineSource>(std::move(src));
}

void VerbatimVcfWriter::make(Batch& b) {
  b.out.clear();
  if (!b.has_newline) return;  // no line ends in the batch: it is all carried to the next
  std::unique_ptr<Worker>& w = workers_.local();
  if (!w) w = std::make_unique<Worker>(level_);
  BgzfBlockBuilder out(w->deflater, b.out);
  size_t k = 0;      // the next parsed slot
  uint64_t r = 0;    // the record's place among the batch's records
  const auto format = [&](Slot& s) {
    // A record with a contig or tag the output's header lacks: the fold finds the header incomplete and the
    // input is read again with the lines added (as on the htslib path); this batch's output is never written.
    if (s.undefined || s.rec->rid >= work_hdr_->n[BCF_DT_CTG]) return;
    w->line.l = 0;
    if (vcf_format(work_hdr_, s.rec, &w->line) != 0)
      throw DataError(path_ + ": cannot write record " + where(s.contig, s.pos));
    out.add(w->line.s, w->line.l);
  };
  const auto parsed = [&]() -> Slot* { return k < b.n_slots && b.slots[k]->index == r ? b.slots[k++].get() : nullptr; };
  // The line stitched at the start, then the batch's own whole lines; a line's '\r' and blank lines are dropped
  // as the text source drops them, so that records are counted alike.
  size_t n = b.head_line.size();
  if (n && b.head_line[n - 1] == '\r') --n;
  if (n) {
    if (Slot* s = parsed()) format(*s);
    else {
      out.add(b.head_line.data(), n);
      out.add("\n", 1);
    }
    ++r;
  }
  const char* base = b.bytes.get() + b.skip;
  const char* run = nullptr;  // verbatim lines, newlines included, as they lie in the batch
  size_t run_n = 0;
  const auto flush = [&] {
    if (run_n) out.add(run, run_n);
    run = nullptr;
    run_n = 0;
  };
  for (size_t at = b.head_end; at < b.tail_beg;) {
    const char* p = base + at;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', b.tail_beg - at));
    const size_t len = static_cast<size_t>(nl - p);
    at += len + 1;
    size_t m = len;
    if (m && p[m - 1] == '\r') --m;
    if (m == 0) {
      flush();
      continue;
    }
    Slot* s = parsed();
    if (!s && m == len) {
      if (!run) run = p;
      run_n = static_cast<size_t>(nl + 1 - run);
    } else {
      flush();
      if (s) format(*s);
      else {
        out.add(p, m);
        out.add("\n", 1);
      }
    }
    ++r;
  }
  flush();
  out.finish();
  if (k != b.n_slots) throw std::logic_error(path_ + ": verbatim output: records and parsed lines do not line up");
}

void VerbatimVcfWriter::write(Batch& b) { out_.write(b.out); }

void VerbatimVcfWriter::close() { out_.close(); }

}  // namespace healcap
