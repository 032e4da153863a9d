// The record-source seam: every read path (streaming text, BGZF or BCF, indexed regions, memory) hands the
// one pipeline driver batches of the same kind. See driver.h for the stages and who calls what.
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <htslib/vcf.h>

#include "panel.h"
#include "progress.h"
#include "record_slot.h"

namespace healcap {

class VcfInput;
class RegionSet;

// A run of consecutive records on one contig, in input order: all that the order and contig statistics need.
struct Run {
  std::string contig;                   // as written in the input
  uint64_t n = 0;                       // records in the run
  int64_t first_pos = 0, last_pos = 0;  // of its first and last record (1-based)
  int64_t min_pos = 0, max_pos = 0;
  uint64_t unsorted_index = 0;          // the first record going backwards inside the run (0: none; else its
  int64_t unsorted_pos = 0, unsorted_after = 0;  // 0-based place in the run), its POS, and the POS before it
  uint64_t first_key = 0;               // set by the driver: the key of the run's first record
};
// Appends a record to `runs`: extends the last run, or starts one when the contig changes.
void add_to_runs(std::vector<Run>& runs, const std::string& contig, int64_t pos);
// The same, for a record whose contig is known to equal the last run's (a BCF walk that compares ids).
void extend_last_run(Run& r, int64_t pos);

// One unit of work. The raw input is set by RecordSource::read; runs, slots and counts by prepare and
// stitch. Batches are recycled by the driver: clear() keeps the buffers and slots for reuse.
struct Batch {
  // Raw input.
  std::vector<std::vector<uint8_t>> blocks;  // BGZF blocks, still compressed
  std::unique_ptr<char[]> bytes;             // decompressed input: [skip, len) belongs to this batch
  size_t cap = 0, len = 0, skip = 0;
  size_t first_region = 0, last_region = 0;  // indexed: regions [first, last)
  // Text lines cut at the batch's edges: [skip, head_end) ends the line the previous batch began, and
  // [tail_beg, len) begins one the next batch ends.
  size_t head_end = 0, tail_beg = 0;
  bool has_newline = false;
  // What the batch holds, in input order.
  std::vector<Run> runs;
  std::vector<std::unique_ptr<Slot>> slots;  // [0, n_slots): records that may hit the panel (every record, for annotate)
  size_t n_slots = 0;
  uint64_t n_records = 0;                    // every record in the batch (the sum of the runs' n)
  std::array<uint64_t, 2> n_panel{};         // per pass: records at (or, blocks, over) a panel position
  uint64_t n_ref_blocks = 0;                 // reference blocks over a panel position of the first pass
  uint64_t n_pos0 = 0;                       // records at POS=0 (telomeres): counted, never matched
  std::exception_ptr error;                  // a parallel stage's failure, raised in input order by the driver
  std::exception_ptr end_error;              // met after the batch's bytes (a read error): raised by stitch once
                                             // the records before it are counted, naming the last of them
  bool needs_context = false;                // error names "the record before": see kBeforeMarker
  // The batch's record that `error` is about (its place among the batch's records, in input order), so that
  // the records before it can still be checked for order (-W) before the error is raised: the first problem
  // in input order wins, wherever the batches were cut. UINT64_MAX: every record in `runs` comes before it.
  uint64_t error_at = UINT64_MAX;
  bool failed = false;                       // set by the driver: the batch carries its error to the fold
  ReadExtent read_extent;                    // set by the driver's read stage, for the progress line
  // annotate's verbatim path (verbatim_vcf.h): the line stitched at the batch's start as read (no newline), and
  // the batch's records as BGZF blocks, made by a worker after the annotate stage.
  std::string head_line;
  std::vector<uint8_t> out;

  void clear();
  // A reset slot at n_slots, reused from an earlier batch when there is one; keep it with ++n_slots.
  Slot& next_slot();
  // Moves the last kept slot to the front (a record stitched from the previous batch comes first).
  void rotate_last_slot_to_front();
  // Grows the byte buffer to hold at least n bytes (contents are not kept).
  void reserve_bytes(size_t n);
};

// A parallel stage cannot know the record before the first one of its batch: it words that part of an error
// as this marker, which the serial stitch stage replaces with "after CHROM:POS" (or "before the first record").
extern const char* const kBeforeMarker;

// What every source needs to know of the scan.
struct SourceContext {
  const Panel* panel = nullptr;
  Annotators passes{};      // which builds' positions to test records against
  bool parse_all = false;   // annotate: every record is parsed and handed on; else only records that may hit
  std::string path;         // for messages
  const RegionSet* regions = nullptr;  // -r/-R: the indexed source reads only these (nullptr or empty: all)
  bool validate = false;    // --validate: every record parsed (parse_all), and its sample columns counted
  // Text sources without parse_all: a line [p, p + n) that hits no panel row is still parsed when this says so
  // (annotate's verbatim path: a line it cannot copy as it is). Called on many threads at once.
  std::function<bool(const char* p, size_t n)> must_parse;
};

// The seam's contract:
//  - read() runs serially, in input order; it fills the batch's raw input and returns false at the end.
//  - prepare() runs on many threads at once, each batch on one; it may inflate, split records, find panel
//    rows and parse, touching only the batch and per-thread state of its own (never the input's header).
//  - stitch() runs serially, in input order, after prepare(); it joins what spans batches (a line or record
//    cut at a batch's edge), may parse with the input's header, and may put records before the batch's own.
//  - finish() runs once after the last batch: a record left over (true), or an error (a text line without its newline).
//  - Every record that prepare/stitch keep as a slot is parsed (unless parse_all is false and it hits no
//    row); the driver annotates slots in parallel and folds batches in input order.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual std::string describe() const = 0;  // the read path in words, e.g. "streaming BCF, read through htslib"
  // What the JSON's input.read says: "streaming", or "indexed: INDEX".
  virtual std::string read_mode() const { return "streaming"; }
  virtual bool read(Batch& b) = 0;
  virtual void prepare(Batch&) {}
  virtual void stitch(Batch&) {}
  virtual bool finish(Batch&) { return false; }
  // The most threads the source can use (the indexed path: its batches).
  virtual int max_threads() const { return 1024; }
  // How far read() has got, for the progress line: called by the driver in the read stage, after each read
  // (so it may look at what read() alone touches), when the run draws a progress line. Bytes of the file read so far and its size, or for an
  // indexed read the region queries handed out; all zero when unknown (memory).
  virtual ReadExtent extent() const { return {}; }
};

// How a record source is chosen: the one place that picks a read path.
struct SourceRequest {
  bool scan = true;            // scan (may jump through an index); false: annotate (every record, streamed)
  bool stream = false;         // --stream: never use an index
  bool build_known = true;     // the index path needs the build fixed before the scan
  std::string index_file;      // --index FILE
  int threads = 1;
  bool regions = false;        // -r/-R: the read must jump through an index
};
// Opens the read path for `in`: indexed region batches when the input has an index and the run needs only
// the panel's positions; else a stream, inflated by healcap's workers for a BGZF file (VCF or BCF) and read
// through htslib otherwise (plain or gzip text, standard input, uncompressed BCF). `main_hdr` is the input's
// header (with its sample selection); it must outlive the source.
std::unique_ptr<RecordSource> open_source(VcfInput& in, const SourceContext& ctx, const SourceRequest& req);

// The concrete sources (pipeline/sources/). Each takes the input's header, which its serial stage may extend.
// Streaming VCF text through htslib (plain, gzip, BGZF from standard input): one thread reads, workers scan.
std::unique_ptr<RecordSource> make_vcf_text_source(VcfInput& in, const SourceContext& ctx);
// Streaming BGZF VCF: raw blocks inflated by workers with libdeflate.
std::unique_ptr<RecordSource> make_bgzf_vcf_source(VcfInput& in, const SourceContext& ctx);
// Streaming BCF: `parallel` inflates raw BGZF blocks on workers, else htslib reads the bytes serially.
std::unique_ptr<RecordSource> make_bcf_source(VcfInput& in, const SourceContext& ctx, bool parallel);
// Region queries at the panel's positions through the index at `index_path`.
std::unique_ptr<RecordSource> make_indexed_source(VcfInput& in, const SourceContext& ctx, const std::string& index_path,
                                                  int threads);
// Memory (tests): `chunks` are the batches' bytes, VCF record lines or BCF record bytes after the header,
// cut anywhere; `hdr` is the header they are read with.
std::unique_ptr<RecordSource> make_memory_source(bcf_hdr_t* hdr, bool is_bcf, std::vector<std::string> chunks,
                                                 const SourceContext& ctx);

// Returns the index to use for `input`: `explicit_index` when given, else the .csi or .tbi htslib finds
// beside it; empty when there is none (or the input is standard input). Throws DataError when an explicit
// index cannot be read.
std::string find_index(const std::string& input, bool is_bcf, const std::string& explicit_index);

}  // namespace healcap
