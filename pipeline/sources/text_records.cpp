// VCF text lines in batches: split, prefilter on raw CHROM/POS, parse only what may hit the panel.
#include "text_records.h"

#include <htslib/kstring.h>

#include <cstring>

#include "errors.h"

namespace healcap {

void raise_batch_error(Batch& b, const std::string& before) {
  if (!b.error) return;
  std::exception_ptr e = b.error;
  b.error = nullptr;
  if (!b.needs_context) std::rethrow_exception(e);
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    std::string m = x.what();
    const size_t at = m.find(kBeforeMarker);
    if (at != std::string::npos) m.replace(at, std::strlen(kBeforeMarker), before);
    throw DataError(m);
  }
}

TextRecords::Worker::~Worker() {
  if (hdr) bcf_hdr_destroy(hdr);
}

TextRecords::TextRecords(VcfInput& in, const SourceContext& ctx) : TextRecords(in.header(), ctx, &in) {}

TextRecords::TextRecords(bcf_hdr_t* hdr, const SourceContext& ctx) : TextRecords(hdr, ctx, nullptr) {}

TextRecords::TextRecords(bcf_hdr_t* hdr, const SourceContext& ctx, const VcfInput* in)
    : hdr_(hdr),
      in_(in),
      ctx_(ctx),
      workers_([this] { return Worker(PanelPositions(*ctx_.panel, ctx_.passes)); }),
      serial_positions_(*ctx.panel, ctx.passes) {
  n_ctg_ = hdr_->n[BCF_DT_CTG];
  n_id_ = hdr_->n[BCF_DT_ID];
  if (in_) return;  // the workers copy the input's header as opened (a copy of a wide cohort's costs its sample names)
  frozen_ = bcf_hdr_dup(hdr_);
  if (!frozen_) throw DataError(ctx.path + ": cannot copy the VCF header");
}

TextRecords::~TextRecords() {
  if (frozen_) bcf_hdr_destroy(frozen_);
}

TextRecords::Worker& TextRecords::worker(bool with_header) {
  Worker& w = workers_.local();
  if (!w.hdr && with_header) {
    // The workers copy the header as opened (with its sample selection), never the input's, which the
    // serial stage may be extending.
    w.hdr = in_ ? in_->copy_header() : bcf_hdr_dup(frozen_);
    if (!w.hdr) throw DataError(ctx_.path + ": cannot copy the VCF header");
  }
  return w;
}

namespace {
// True when a record parsed with a header copy uses a contig or tag beyond the first n_ctg / n_id entries,
// those of the input's header before the scan: the copy may have added it, so the input's header must decide.
bool uses_added_ids(bcf1_t* rec, int n_ctg, int n_id) {
  if (rec->rid >= n_ctg) return true;
  bcf_unpack(rec, BCF_UN_ALL);
  for (int i = 0; i < rec->d.n_flt; ++i)
    if (rec->d.flt[i] >= n_id) return true;
  for (int i = 0; i < rec->n_info; ++i)
    if (rec->d.info[i].key >= n_id) return true;
  for (int i = 0; i < rec->n_fmt; ++i)
    if (rec->d.fmt[i].id >= n_id) return true;
  return false;
}
}  // namespace

void TextRecords::scan_line(Batch& b, const char* p, size_t n, bcf_hdr_t* hdr, bool per_thread,
                            PanelPositions& positions, const std::function<std::string()>& before) {
  Slot& s = b.next_slot();
  const int64_t block_end = parse_raw_fields(s, p, n, ctx_.path, [&] {
    return b.runs.empty() ? before() : "after " + where(b.runs.back().contig, b.runs.back().last_pos);
  });
  add_to_runs(b.runs, s.contig, s.pos);
  s.index = b.n_records++;
  if (s.pos == 0) ++b.n_pos0;  // POS=0 (a telomere, as the VCF spec allows): never at a panel position
  positions.set_contig(s.contig);
  const auto found = positions.find_rows(block_end, s);
  for (int q = 0; q < 2; ++q) b.n_panel[q] += found[q];
  if (found[0] && block_end > 0) ++b.n_ref_blocks;
  if (!ctx_.parse_all && !s.any_rows() && !(ctx_.must_parse && ctx_.must_parse(p, n)))
    return;  // the slot is reused for the next line
  s.line.l = 0;
  kputsn(p, n, &s.line);
  const auto check_samples = [&] {
    if (ctx_.validate) check_sample_columns(hdr, s.rec, where(s.contig, s.pos), ctx_.path);
  };
  if (!per_thread) {
    parse_text_record(s, hdr, ctx_.path);
    check_samples();
    ++b.n_slots;
    return;
  }
  // A header copy may lack what the input's header has learnt from earlier records (a contig, a tag), or
  // may have learnt it itself: then the input's header decides, in the serial stage, in input order, both
  // whether the record is good and what it uses.
  if (std::memchr(s.line.s, '\0', s.line.l)) parse_text_record(s, hdr, ctx_.path);  // throws: a NUL byte
  const bool parsed = vcf_parse(&s.line, hdr, s.rec) == 0;
  const bool undefined = (s.rec->errcode & (BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF)) != 0;
  if (parsed && !undefined && !uses_added_ids(s.rec, n_ctg_, n_id_)) {
    check_record_errcode(s, ctx_.path);
    check_samples();
    s.parsed = true;
  } else if (!parsed && !undefined) {
    s.line.l = 0;  // vcf_parse split the copy in place
    kputsn(p, n, &s.line);
    parse_text_record(s, hdr, ctx_.path);  // fails again, with the words for why
  } else {
    s.reparse = true;  // vcf_parse split the copy in place: keep the line whole for the serial parse
    s.line.l = 0;
    kputsn(p, n, &s.line);
  }
  ++b.n_slots;
}

void TextRecords::prepare(Batch& b) {
  LineFeed feed(*this, b);
  feed.take(b.len);
  feed.end();
}

TextRecords::LineFeed::LineFeed(TextRecords& t, Batch& b) : t_(t), b_(b), w_(t.worker()) {}

// Splits the complete lines of [at_, upto) and scans them; the first line (to the first newline) is the one
// cut at the previous batch's end, left for stitch(). `upto` only grows; the bytes before it stay put.
void TextRecords::LineFeed::take(size_t upto) {
  if (upto <= b_.skip) return;
  const char* base = b_.bytes.get() + b_.skip;
  const size_t end = upto - b_.skip;
  if (!b_.has_newline) {
    const char* nl = at_ < end ? static_cast<const char*>(std::memchr(base + at_, '\n', end - at_)) : nullptr;
    if (!nl) {
      at_ = end;
      return;
    }
    b_.has_newline = true;
    b_.head_end = at_ = static_cast<size_t>(nl - base) + 1;
  }
  const auto before = [] { return std::string(kBeforeMarker); };
  uint64_t record = 0;  // the line's place among the batch's records
  try {
    while (at_ < end) {
      const char* p = base + at_;
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', end - at_));
      if (!nl) break;  // continues in the bytes still to come
      size_t n = static_cast<size_t>(nl - p);
      at_ += n + 1;
      if (n > 0 && p[n - 1] == '\r') --n;
      if (n == 0) continue;  // blank lines carry nothing
      record = b_.n_records;
      t_.scan_line(b_, p, n, w_.hdr, true, w_.positions, before);
    }
  } catch (...) {
    b_.error_at = record;
    throw;
  }
}

void TextRecords::LineFeed::end() {
  const size_t size = b_.len > b_.skip ? b_.len - b_.skip : 0;
  if (!b_.has_newline) {
    b_.head_end = b_.tail_beg = size;
    return;
  }
  // The last newline ends the last complete line: after it, a line the next batch ends.
  size_t last = size;
  const char* base = b_.bytes.get() + b_.skip;
  while (last > 0 && base[last - 1] != '\n') --last;
  b_.tail_beg = last;
}

std::string TextRecords::before_text() const {
  return !any_record_ ? "before the first record" : "after " + where(last_contig_, last_pos_);
}

void TextRecords::note_last(const Batch& b) {
  if (b.runs.empty()) return;
  last_contig_ = b.runs.back().contig;
  last_pos_ = b.runs.back().last_pos;
  any_record_ = true;
}

void TextRecords::reparse(Batch& b) {
  for (size_t i = 0; i < b.n_slots; ++i) {
    Slot& s = *b.slots[i];
    if (!s.reparse) continue;
    s.reparse = false;
    s.undefined = s.undefined_tag = false;
    try {
      parse_text_record(s, hdr_, ctx_.path);
      if (ctx_.validate) check_sample_columns(hdr_, s.rec, where(s.contig, s.pos), ctx_.path);
    } catch (...) {
      b.error_at = s.index;
      throw;
    }
  }
}

void TextRecords::stitch(Batch& b) {
  // A worker's error is raised after the line cut at the batch's start, which comes before it.
  const char* base = b.bytes.get() + b.skip;
  const size_t size = b.len - b.skip;
  if (!b.has_newline) {  // no line ends here: all of it continues the cut line
    carry_.append(base, size);
    raise_batch_error(b, before_text());
    raise_end_error(b);
    return;
  }
  carry_.append(base, b.head_end - 1);  // the line cut at the previous batch's end, now whole
  size_t n = carry_.size();
  if (n > 0 && carry_[n - 1] == '\r') --n;
  if (n > 0) {
    // Parsed here, with the input's header, and placed before the batch's own records.
    std::vector<Run> body = std::move(b.runs);
    b.runs.clear();
    const size_t kept = b.n_slots;
    const uint64_t body_records = b.n_records;
    b.n_records = 0;
    const std::string before = before_text();
    try {
      scan_line(b, carry_.data(), n, hdr_, false, serial_positions_, [&] { return before; });
    } catch (...) {
      b.error_at = 0;  // the batch's first record; the rest of its records (body) come after it
      throw;
    }
    for (auto& r : body) b.runs.push_back(std::move(r));
    if (b.n_slots > kept) b.rotate_last_slot_to_front();
    const uint64_t shift = b.n_records;  // 1: the stitched record comes first
    for (size_t i = 0; i < b.n_slots; ++i)
      if (!(i == 0 && b.n_slots > kept)) b.slots[i]->index += shift;
    if (b.error_at != UINT64_MAX) b.error_at += shift;
    b.n_records += body_records;
    last_contig_ = b.runs.front().contig;
    last_pos_ = b.runs.front().last_pos;
    any_record_ = true;
  }
  carry_.clear();
  reparse(b);  // every slot comes before the record a worker failed at, if one did
  raise_batch_error(b, before_text());
  note_last(b);
  carry_.assign(base + b.tail_beg, size - b.tail_beg);
  raise_end_error(b);
}

void TextRecords::raise_end_error(Batch& b) const {
  if (!b.end_error) return;
  b.error = b.end_error;
  b.needs_context = true;
  raise_batch_error(b, before_text());
}

bool TextRecords::finish(Batch&) {
  size_t n = carry_.size();
  if (n > 0 && carry_[n - 1] == '\r') --n;
  if (n == 0) return false;
  // Every VCF line ends in a newline: a last line without one is what a cut-off copy looks like, and its
  // record may be cut short (a call, an ALT allele), so it is never read as if whole.
  throw DataError(ctx_.path + ": " + (!any_record_ ? std::string("at the first record") : before_text()) +
                  ": truncated: the last line is incomplete (no newline at its end); the file was cut short: copy or "
                  "write it again (if that line is whole, add the newline)");
}

}  // namespace healcap
