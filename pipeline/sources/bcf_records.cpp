// Walking BCF records by their lengths, and one record's bytes into a checked bcf1_t.
#include "bcf_records.h"

#include <htslib/kstring.h>

#include <algorithm>
#include <cstring>

#include "errors.h"
#include "text_records.h"

namespace healcap {

namespace {

uint32_t le32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

// Reads typed BCF values from [p, end), never past end.
class TypedReader {
 public:
  TypedReader(const uint8_t* p, const uint8_t* end) : p_(p), end_(end) {}
  // A type byte and its count (a count of 15 is followed by a typed integer holding it).
  bool header(int& type, int64_t& count) {
    if (p_ >= end_) return false;
    const uint8_t t = *p_++;
    type = t & 0xf;
    count = t >> 4;
    if (count != 15) return true;
    int it;
    int64_t ic;
    if (!header(it, ic) || ic != 1) return false;
    return integer(it, count) && count >= 0;
  }
  // One integer of an integer type.
  bool integer(int type, int64_t& v) {
    const size_t w = width(type);
    if (!is_int(type) || static_cast<size_t>(end_ - p_) < w) return false;
    uint64_t u = 0;
    for (size_t i = 0; i < w; ++i) u |= uint64_t(p_[i]) << (8 * i);
    p_ += w;
    v = w == 1 ? int64_t(int8_t(u)) : w == 2 ? int64_t(int16_t(u)) : int64_t(int32_t(u));
    return true;
  }
  // A typed integer (count 1): a key into the header's dictionary.
  bool typed_int(int64_t& v) {
    int type;
    int64_t count;
    return header(type, count) && count == 1 && integer(type, v);
  }
  bool skip(size_t bytes) {
    if (static_cast<size_t>(end_ - p_) < bytes) return false;
    p_ += bytes;
    return true;
  }
  static bool is_int(int type) { return type == BCF_BT_INT8 || type == BCF_BT_INT16 || type == BCF_BT_INT32; }
  static bool valid(int type) { return is_int(type) || type == BCF_BT_NULL || type == BCF_BT_FLOAT || type == BCF_BT_CHAR; }
  static size_t width(int type) {
    switch (type) {
      case BCF_BT_INT8: case BCF_BT_CHAR: return 1;
      case BCF_BT_INT16: return 2;
      case BCF_BT_INT32: case BCF_BT_FLOAT: return 4;
      default: return 0;
    }
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

bool defined_id(const bcf_hdr_t* hdr, int64_t key) {
  return key >= 0 && key < hdr->n[BCF_DT_ID] && hdr->id[BCF_DT_ID][key].key != nullptr;
}

// The checks bcf_read makes of a record's shared and per-sample parts; empty when they pass.
std::string check_record(const bcf_hdr_t* hdr, bcf1_t* v) {
  if (v->rid < 0 || v->rid >= hdr->n[BCF_DT_CTG] || hdr->id[BCF_DT_CTG][v->rid].key == nullptr)
    return "contig id " + std::to_string(v->rid) + " is not in the header";
  const auto* s = reinterpret_cast<const uint8_t*>(v->shared.s);
  TypedReader r(s, s + v->shared.l);
  int type;
  int64_t count;
  int64_t reflen = -1;
  const auto sized = [&](const char* what) -> std::string {
    if (!r.valid(type) || (type == BCF_BT_NULL && count > 0)) return std::string("an invalid ") + what + " type";
    if (!r.skip(static_cast<size_t>(count) * TypedReader::width(type))) return std::string("its ") + what + " runs past the record";
    return "";
  };
  // ID, then REF and the ALTs: strings.
  for (int i = 0; i <= v->n_allele; ++i) {
    if (!r.header(type, count)) return "its shared part is too short";
    if (type != BCF_BT_CHAR) return i == 0 ? "an invalid ID type" : "an invalid REF/ALT type";
    if (i == 1) reflen = count;
    if (std::string e = sized(i == 0 ? "ID" : "allele"); !e.empty()) return e;
  }
  // FILTER: a vector of ids.
  if (!r.header(type, count)) return "its shared part is too short";
  if (count > 0) {
    if (!TypedReader::is_int(type)) return "an invalid FILTER type";
    for (int64_t i = 0; i < count; ++i) {
      int64_t key;
      if (!r.integer(type, key)) return "its FILTER runs past the record";
      if (!defined_id(hdr, key)) return "FILTER id " + std::to_string(key) + " is not in the header";
    }
  }
  for (uint32_t i = 0; i < v->n_info; ++i) {
    int64_t key;
    if (!r.typed_int(key)) return "its shared part is too short";
    if (!defined_id(hdr, key)) return "INFO id " + std::to_string(key) + " is not in the header";
    if (!r.header(type, count)) return "its shared part is too short";
    if (std::string e = sized("INFO"); !e.empty()) return e;
  }
  // A negative rlen is read as the REF's length, as htslib does.
  if (v->rlen < 0) v->rlen = reflen >= 0 ? static_cast<int32_t>(reflen) : 0;
  const auto* d = reinterpret_cast<const uint8_t*>(v->indiv.s);
  TypedReader f(d, d + v->indiv.l);
  for (uint32_t i = 0; i < v->n_fmt; ++i) {
    int64_t key;
    if (!f.typed_int(key)) return "its per-sample part is too short";
    if (!defined_id(hdr, key)) return "FORMAT id " + std::to_string(key) + " is not in the header";
    if (!f.header(type, count)) return "its per-sample part is too short";
    if (!TypedReader::valid(type) || (type == BCF_BT_NULL && count > 0)) return "an invalid FORMAT type";
    if (!f.skip(static_cast<size_t>(count) * TypedReader::width(type) * v->n_sample)) return "its FORMAT values run past the record";
  }
  return "";
}

}  // namespace

std::string bcf_record_from_bytes(const bcf_hdr_t* hdr, const uint8_t* p, size_t n, bcf1_t* v) {
  if (n < 8) return "the record is shorter than its lengths";
  const uint32_t l_shared = le32(p), l_indiv = le32(p + 4);
  if (l_shared < 24 || n != 8 + size_t(l_shared) + l_indiv) return "its lengths do not add up";
  bcf_clear(v);
  v->rid = static_cast<int32_t>(le32(p + 8));
  v->pos = static_cast<int32_t>(le32(p + 12));
  v->rlen = static_cast<int32_t>(le32(p + 16));
  const uint32_t q = le32(p + 20);
  std::memcpy(&v->qual, &q, 4);
  const uint32_t x6 = le32(p + 24), x7 = le32(p + 28);
  v->n_info = x6 & 0xffff;
  v->n_allele = x6 >> 16;
  v->n_fmt = x7 >> 24;
  v->n_sample = x7 & 0xffffff;
  // The samples the file's records carry: the header's before a selection (every sample dropped leaves
  // keep_samples unset).
  const bool selected = hdr->keep_samples || (hdr->nsamples_ori > 0 && bcf_hdr_nsamples(hdr) == 0);
  const int n_expected = selected ? hdr->nsamples_ori : bcf_hdr_nsamples(hdr);
  if (static_cast<int>(v->n_sample) != n_expected && v->n_fmt > 0)
    return "it has " + std::to_string(v->n_sample) + " samples, the header " + std::to_string(n_expected);
  v->shared.l = 0;
  kputsn(reinterpret_cast<const char*>(p + 32), l_shared - 24, &v->shared);
  v->indiv.l = 0;
  kputsn(reinterpret_cast<const char*>(p + 8 + l_shared), l_indiv, &v->indiv);
  return check_bcf_record(hdr, v);
}

std::string check_bcf_record(const bcf_hdr_t* hdr, bcf1_t* v) {
  if (std::string e = check_record(hdr, v); !e.empty()) return e;
  if (hdr->keep_samples && bcf_subset_format(hdr, v) != 0) return "its samples cannot be selected";
  if (!hdr->keep_samples && hdr->nsamples_ori > 0 && bcf_hdr_nsamples(hdr) == 0) {
    v->indiv.l = 0;  // every sample dropped (an empty sample shard)
    v->n_sample = 0;
    v->n_fmt = 0;
  }
  return "";
}

BcfRecords::BcfRecords(const bcf_hdr_t* hdr, const SourceContext& ctx)
    : hdr_(hdr), ctx_(ctx), positions_(*ctx.panel, ctx.passes) {}

void BcfRecords::record(Batch& b, const uint8_t* p, size_t n) {
  b.error_at = b.n_records;  // this record, should it fail; reset by stitch once the batch's records are read
  const int32_t rid = static_cast<int32_t>(le32(p + 8)), pos0 = static_cast<int32_t>(le32(p + 12));
  const int32_t rlen = static_cast<int32_t>(le32(p + 16));
  if (rid < 0 || rid >= hdr_->n[BCF_DT_CTG] || hdr_->id[BCF_DT_CTG][rid].key == nullptr || pos0 < -1)
    throw DataError(ctx_.path + ": record " +
                    (last_contig_.empty() ? std::string("before the first record") : "after " + where(last_contig_, last_pos_)) +
                    ": malformed record: contig id " + std::to_string(rid) + " is not in the header");
  if (rid != cached_rid_) {
    cached_rid_ = rid;
    contig_ = bcf_hdr_id2name(hdr_, rid);
    positions_.set_contig(contig_);
  }
  const int64_t pos = int64_t(pos0) + 1;
  if (rid == last_rid_in_batch_) extend_last_run(b.runs.back(), pos);
  else add_to_runs(b.runs, contig_, pos);
  last_rid_in_batch_ = rid;
  last_contig_ = contig_;
  last_pos_ = pos;
  const uint64_t index = b.n_records++;
  if (pos == 0) ++b.n_pos0;  // POS=0 (a telomere): never at a panel position
  // Could a panel position lie in [pos, pos + rlen - 1]? Only then is the record decoded.
  if (!ctx_.parse_all && !positions_.may_hit(pos, pos + std::max<int64_t>(rlen, 1) - 1)) return;
  Slot& s = b.next_slot();
  if (std::string e = bcf_record_from_bytes(hdr_, p, n, s.rec); !e.empty())
    throw DataError(ctx_.path + ": " + where(contig_, pos) + ": malformed record: " + e +
                    "; the file is corrupt: re-create it");
  s.contig = contig_;
  s.pos = pos;
  s.index = index;
  int64_t block_end = 0;
  if (rlen > 1) {  // END or a long REF: a reference block if every ALT is <NON_REF>/<*>
    bcf_unpack(s.rec, BCF_UN_STR);
    if (is_ref_block(s.rec)) block_end = pos0 + int64_t(rlen);
  }
  const auto found = positions_.find_rows(block_end, s);
  for (int q = 0; q < 2; ++q) b.n_panel[q] += found[q];
  if (found[0] && block_end > 0) ++b.n_ref_blocks;
  s.parsed = true;
  if (!ctx_.parse_all && !s.any_rows()) return;  // overlaps a panel position, but no row is there
  ++b.n_slots;
}

void BcfRecords::stitch(Batch& b) {
  if (b.error) std::rethrow_exception(b.error);
  last_rid_in_batch_ = -1;
  const auto* p = reinterpret_cast<const uint8_t*>(b.bytes.get()) + b.skip;
  const size_t n = b.len - b.skip;
  size_t at = 0;
  if (!carry_.empty()) {
    if (carry_.size() < 8) {
      const size_t take = std::min(n, 8 - carry_.size());
      carry_.insert(carry_.end(), p, p + take);
      at += take;
      if (carry_.size() < 8) return raise_end_error(b);
    }
    const size_t total = 8 + size_t(le32(carry_.data())) + le32(carry_.data() + 4);
    const size_t take = std::min(n - at, total - carry_.size());
    carry_.insert(carry_.end(), p + at, p + at + take);
    at += take;
    if (carry_.size() < total) return raise_end_error(b);
    record(b, carry_.data(), total);
    carry_.clear();
  }
  while (n - at >= 8) {
    const size_t total = 8 + size_t(le32(p + at)) + le32(p + at + 4);
    if (total < 32 || n - at < total) break;
    record(b, p + at, total);
    at += total;
  }
  b.error_at = UINT64_MAX;  // what fails from here on comes after every record of the batch
  if (n - at >= 8 && 8 + size_t(le32(p + at)) + le32(p + at + 4) < 32)
    throw DataError(ctx_.path + ": record after " + where(last_contig_, last_pos_) +
                    ": malformed record: its lengths are too small; the file is corrupt: re-create it");
  carry_.insert(carry_.end(), p + at, p + n);
  raise_end_error(b);
}

void BcfRecords::raise_end_error(Batch& b) const {
  if (!b.end_error) return;
  b.error = b.end_error;
  b.needs_context = true;
  raise_batch_error(b, last_contig_.empty() ? "before the first record" : "after " + where(last_contig_, last_pos_));
}

void BcfRecords::finish() const {
  if (!carry_.empty())
    throw DataError(ctx_.path + ": truncated: the last record ends early after " + where(last_contig_, last_pos_) +
                    "; re-download or re-create the file");
}

}  // namespace healcap
