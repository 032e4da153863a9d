// Per-record steps shared by every read path.
#include "record_slot.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "contig.h"
#include "errors.h"

namespace healcap {

Slot::~Slot() {
  free(line.s);
  bcf_destroy(rec);
}

void Slot::reset() {
  parsed = undefined = undefined_tag = matched = annotated = reparse = false;
  index = 0;
  for (auto& r : rows) r.clear();
  for (auto& h : hits) h.clear();
}

std::string where(const std::string& contig, int64_t pos) { return contig + ":" + std::to_string(pos); }

std::string errcode_reason(int e) {
  if (!e) return "";
  if (e & BCF_ERR_NCOLS) return "the number of columns does not match the header's samples";
  if (e & BCF_ERR_LIMITS) return "a value is outside htslib's limits";
  if (e & BCF_ERR_CHAR) return "an invalid character";
  if (e & BCF_ERR_CTG_INVALID) return "an invalid contig name";
  if (e & BCF_ERR_TAG_INVALID) return "a tag used with the wrong type or number";
  return "htslib error code " + std::to_string(e);
}

int64_t info_end_value(const char* b, const char* e, int64_t pos) {
  for (const char* p = b; p + 4 <= e; ++p) {
    if ((p == b || p[-1] == ';') && std::memcmp(p, "END=", 4) == 0) {
      int64_t v = 0;
      const char* q = p + 4;
      while (q < e && *q >= '0' && *q <= '9') {
        if (v > (HTS_POS_MAX - 9) / 10) return HTS_POS_MAX;  // beyond htslib's limit (never an int64 overflow)
        v = v * 10 + (*q++ - '0');
      }
      return v >= pos ? v : pos;
    }
  }
  return pos;
}

int64_t parse_raw_fields(Slot& s, const std::string& path, const std::function<std::string()>& after) {
  return parse_raw_fields(s, s.line.s, s.line.l, path, after);
}

int64_t parse_raw_fields(Slot& s, const char* p, size_t n, const std::string& path,
                         const std::function<std::string()>& after) {
  const auto fail = [&](const std::string& at, const std::string& what) { throw DataError(path + ": " + at + ": " + what); };
  const char* end = p + n;
  const char* t1 = static_cast<const char*>(std::memchr(p, '\t', n));
  if (!t1) {
    // Space-separated columns (a hand-made or converted file): name the record by its first two words.
    const char* sp = static_cast<const char*>(std::memchr(p, ' ', n));
    const char* w2 = sp;
    while (w2 && w2 < end && *w2 == ' ') ++w2;
    const char* w2e = w2;
    while (w2e && w2e < end && *w2e >= '0' && *w2e <= '9') ++w2e;
    if (sp && w2e > w2 && (w2e == end || *w2e == ' '))
      fail(std::string(p, sp) + ":" + std::string(w2, w2e),
           "malformed record: its columns are separated by spaces, not tabs; VCF columns must be tab-separated");
    fail("record " + after(), "malformed record: no tab-separated columns");
  }
  s.contig.assign(p, t1);
  const char* q = t1 + 1;
  int64_t pos = 0;
  const char* digits = q;
  bool too_large = false;
  while (q < end && *q >= '0' && *q <= '9') {
    if (pos > (HTS_POS_MAX - 9) / 10) {  // never an int64 overflow
      too_large = true;
      break;
    }
    pos = pos * 10 + (*q++ - '0');
  }
  if (too_large) {
    const char* tab = static_cast<const char*>(std::memchr(digits, '\t', static_cast<size_t>(end - digits)));
    const size_t shown = std::min<size_t>(static_cast<size_t>((tab ? tab : end) - digits), 24);
    fail(s.contig + ":" + std::string(digits, shown), "malformed record: POS is beyond htslib's limit; fix the record or drop it");
  }
  if (q == digits || q == end || *q != '\t') {
    const char* tab = static_cast<const char*>(std::memchr(digits, '\t', static_cast<size_t>(end - digits)));
    const size_t shown = std::min<size_t>(static_cast<size_t>((tab ? tab : end) - digits), 32);
    fail(s.contig + ":" + std::string(digits, shown), "malformed record: POS is not a whole number; fix the record or drop it");
  }
  s.pos = pos;
  // Column starts: col[k] is where column k begins (k = 2 ID ... 7 INFO); a record has at least 8 columns.
  const char* col[9] = {p, t1 + 1, q + 1, nullptr, nullptr, nullptr, nullptr, nullptr, end};
  int k = 2;
  for (const char* t = q + 1; k < 8;) {
    t = static_cast<const char*>(std::memchr(t, '\t', static_cast<size_t>(end - t)));
    if (!t) break;
    col[++k] = ++t;
  }
  if (k < 7) fail(where(s.contig, pos), "malformed record: fewer than 8 tab-separated columns");
  const std::string_view alt(col[4], static_cast<size_t>(col[5] - 1 - col[4]));
  if (alt != "<NON_REF>" && alt != "<*>") return 0;
  return info_end_value(col[7], k >= 8 ? col[8] - 1 : end, pos);
}

void check_sample_columns(const bcf_hdr_t* hdr, const bcf1_t* rec, const std::string& at, const std::string& path) {
  if (static_cast<int>(rec->n_sample) == bcf_hdr_nsamples(hdr)) return;
  throw DataError(path + ": " + at + ": malformed record: it has " + std::to_string(rec->n_sample) +
                  " sample columns, the header names " + std::to_string(bcf_hdr_nsamples(hdr)) +
                  "; fix the record, or drop the samples (bcftools view -G)");
}

void check_record_errcode(Slot& s, const std::string& path) {
  // htslib's text parser can leave a FORMAT field it could not place (an empty key, as in ':GT', or a repeated
  // one, as in 'GT:GT') with no type; htslib's getters then exit the process. Refused here, with the record's place.
  bcf_unpack(s.rec, BCF_UN_FMT);
  for (int i = 0; i < s.rec->n_fmt; ++i) {
    const int t = s.rec->d.fmt[i].type;
    if (t != BCF_BT_INT8 && t != BCF_BT_INT16 && t != BCF_BT_INT32 && t != BCF_BT_FLOAT && t != BCF_BT_CHAR)
      throw DataError(path + ": " + where(s.contig, s.pos) + ": malformed record: FORMAT field " + std::to_string(i + 1) +
                      " cannot be read (an empty or repeated key in the FORMAT column, such as ':GT' or 'GT:GT'); fix the "
                      "FORMAT column");
  }
  const int e = s.rec->errcode;
  if (!e) return;
  if (e & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF))
    throw DataError(path + ": " + where(s.contig, s.pos) + ": malformed record: " +
                    errcode_reason(e & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF)));
  s.undefined = true;
  s.undefined_tag = (e & BCF_ERR_TAG_UNDEF) != 0;
}

void parse_text_record(Slot& s, bcf_hdr_t* hdr, const std::string& path) {
  // A NUL byte is never VCF text, and htslib's verdict on it depends on what the header parsed before.
  if (std::memchr(s.line.s, '\0', s.line.l))
    throw DataError(path + ": " + where(s.contig, s.pos) + ": malformed record: it holds a NUL byte (binary data)");
  if (vcf_parse(&s.line, hdr, s.rec) < 0) {
    const std::string why = errcode_reason(s.rec->errcode & ~(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF));
    throw DataError(path + ": " + where(s.contig, s.pos) + ": malformed record: " +
                    (why.empty() ? std::string("htslib cannot parse it") : why));
  }
  check_record_errcode(s, path);
  s.parsed = true;
}

void PanelPositions::set_contig(const std::string& contig) {
  if (contig == contig_) return;
  contig_ = contig;
  canonical_ = normalise_contig(contig);
  for (int p = 0; p < 2; ++p) positions_[p] = passes_[p] ? panel_->positions(passes_[p]->build(), canonical_) : nullptr;
}

bool PanelPositions::may_hit(int64_t beg, int64_t end) const {
  for (int p = 0; p < 2; ++p) {
    if (!positions_[p]) continue;
    const auto it = std::lower_bound(positions_[p]->begin(), positions_[p]->end(), beg);
    if (it != positions_[p]->end() && *it <= end) return true;
  }
  return false;
}

std::array<bool, 2> PanelPositions::find_rows(int64_t block_end, Slot& s) const {
  std::array<bool, 2> found{};
  for (int p = 0; p < 2; ++p) {
    const auto* pos = positions_[p];
    if (!pos) continue;
    const Build b = passes_[p]->build();
    if (block_end > 0) {
      const auto it = std::lower_bound(pos->begin(), pos->end(), s.pos);
      if (it != pos->end() && *it <= block_end) {
        s.rows[p] = panel_->sites_in(b, canonical_, s.pos, block_end);
        found[p] = true;
      }
    } else if (std::binary_search(pos->begin(), pos->end(), s.pos)) {
      s.rows[p] = panel_->sites_at(b, canonical_, s.pos);
      found[p] = true;
    }
  }
  return found;
}

void annotate_slot(const Annotators& passes, bcf_hdr_t* work_hdr, bool tag, AnnotatorScratch& scratch, Slot& s) {
  s.annotated = true;
  if (!s.parsed) return;
  if (!s.rows[0].empty()) s.matched = passes[0]->annotate(work_hdr, tag ? work_hdr : nullptr, s.rec, s.rows[0], scratch, s.hits[0]);
  if (!s.rows[1].empty()) passes[1]->annotate(work_hdr, nullptr, s.rec, s.rows[1], scratch, s.hits[1]);
}

}  // namespace healcap
