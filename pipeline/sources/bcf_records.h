// BCF records in batches: the serial stage walks the records of each batch's bytes by their lengths, counts
// every record, and builds a bcf1_t only for the records that may hit the panel.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <htslib/vcf.h>

#include "record_source.h"

namespace healcap {

// Builds `v` from one BCF record's bytes [p, p + n) (its two lengths, the fixed fields, the shared and the
// per-sample parts), as htslib's reader does, and checks it as bcf_read does: the lengths add up, the contig,
// FILTER, INFO and FORMAT ids are the header's, every typed value has a valid type and lies inside the record,
// and the sample count is the header's. Subsets the samples when the header selects some. Returns an empty
// string when the record is good, else what is wrong with it. This is the one place healcap decodes BCF bytes
// itself (bcf1_t's fields are public; its layout is the BCF 2.2 specification's).
std::string bcf_record_from_bytes(const bcf_hdr_t* hdr, const uint8_t* p, size_t n, bcf1_t* v);
// The same checks and sample selection for a record htslib read without them (an index iterator's).
std::string check_bcf_record(const bcf_hdr_t* hdr, bcf1_t* v);

class BcfRecords {
 public:
  BcfRecords(const bcf_hdr_t* hdr, const SourceContext& ctx);
  // Serial, in order: the records of [b.skip, b.len), joined to the one cut at the previous batch's end.
  void stitch(Batch& b);
  // After the last batch: an error when a record is left incomplete.
  void finish() const;

 private:
  void record(Batch& b, const uint8_t* p, size_t n);
  void raise_end_error(Batch& b) const;
  const bcf_hdr_t* hdr_;
  SourceContext ctx_;
  PanelPositions positions_;
  std::vector<uint8_t> carry_;
  int cached_rid_ = -1;
  std::string contig_;
  std::string last_contig_;
  int64_t last_pos_ = 0;
  int last_rid_in_batch_ = -1;
};

}  // namespace healcap
