// VCF text in batches, shared by the text sources (htslib stream, BGZF blocks, memory): workers split a
// batch's complete lines and parse those that may hit the panel; the serial stage stitches the line cut at
// each batch edge and parses again, with the input's header, records that use a contig or tag it lacks.
#pragma once

#include <string>

#include <tbb/enumerable_thread_specific.h>

#include "record_source.h"
#include "vcf_input.h"

namespace healcap {

class TextRecords {
 public:
  // `hdr` is the input's header: only stitch() and finish() parse with it (and may extend it).
  TextRecords(VcfInput& in, const SourceContext& ctx);
  // A header alone (no sample selection): the workers copy a frozen copy of it.
  TextRecords(bcf_hdr_t* hdr, const SourceContext& ctx);
  ~TextRecords();
  TextRecords(const TextRecords&) = delete;
  TextRecords& operator=(const TextRecords&) = delete;

  // Parallel: the lines of [b.skip, b.len) that end in the batch.
  void prepare(Batch& b);
  // The same, fed as the batch's bytes arrive (a BGZF block at a time, while they are in cache): take(upto)
  // scans the lines that end before `upto`, end() marks where the last complete line ends. The batch's
  // buffer must not move in between.
  class LineFeed;

  // Serial, in order: the line cut at the previous batch's end comes first; re-parses; raises b.error.
  void stitch(Batch& b);
  // After the last batch: a last line without its newline is an error (the file was cut short).
  bool finish(Batch& b);

  // One line [p, p + n) (no newline): its fields, its run, its panel rows; kept as a slot and parsed (with
  // `hdr`, a per-thread header when `per_thread`) when it may hit. For the indexed source as well.
  void scan_line(Batch& b, const char* p, size_t n, bcf_hdr_t* hdr, bool per_thread, PanelPositions& positions,
                 const std::function<std::string()>& before);
  // Serial: parses again, with the input's header, the slots whose worker parse met something it lacked.
  void reparse(Batch& b);
  // The words for a record before b's first, and the last record seen by the serial stage.
  std::string before_text() const;
  void note_last(const Batch& b);
  // Raises b.end_error, naming the last record before it.
  void raise_end_error(Batch& b) const;

  // A worker's header copy and panel-position cache.
  struct Worker {
    bcf_hdr_t* hdr = nullptr;
    PanelPositions positions;
    explicit Worker(PanelPositions p) : positions(std::move(p)) {}
    ~Worker();
  };
  // This thread's worker; its header copy is made on the first call that asks for it (BCF records need none).
  Worker& worker(bool with_header = true);

 private:
  TextRecords(bcf_hdr_t* hdr, const SourceContext& ctx, const VcfInput* in);
  bcf_hdr_t* hdr_;
  const VcfInput* in_ = nullptr;  // its copy_header() is what the workers parse with (the header before the scan)
  bcf_hdr_t* frozen_ = nullptr;   // without an input: a copy of hdr_ as it was before the scan
  SourceContext ctx_;
  int n_ctg_ = 0, n_id_ = 0;  // the header's dictionary sizes before the scan
  tbb::enumerable_thread_specific<Worker> workers_;
  PanelPositions serial_positions_;
  std::string carry_;  // a line cut at the end of the previous batch
  std::string last_contig_;  // may be empty: a record with an empty CHROM
  int64_t last_pos_ = 0;
  bool any_record_ = false;  // a record has been seen (before_text says "after" it)
};

class TextRecords::LineFeed {
 public:
  LineFeed(TextRecords& t, Batch& b);
  void take(size_t upto);
  void end();

 private:
  TextRecords& t_;
  Batch& b_;
  Worker& w_;
  size_t at_ = 0;  // from b.skip: bytes before it are scanned
};

// Raises b.error, naming the record before the batch's first as `before` where the message needs it.
void raise_batch_error(Batch& b, const std::string& before);

}  // namespace healcap
