// The one pipeline driver: every read path runs through it.
//
//   read      serial, in order   RecordSource::read: the next batch's raw input
//   prepare   parallel           RecordSource::prepare: inflate, split, find panel rows, parse
//   stitch    serial, in order   RecordSource::stitch: join what spans batches; a stage's error is raised here
//   annotate  parallel           PanelAnnotator on every parsed slot not yet annotated
//   fold      serial, in order   BatchFold::fold, with the key of the batch's first record
//
// A batch that fails (in prepare or stitch) stops the reading and goes on to the fold, unannotated, with its
// error: there, after every batch before it, BatchFold::fold_failed sees the records before the failure, and
// then the error is thrown. So the first problem in input order is the one raised, whether a record's own
// (malformed) or one the fold finds (out of order, with -W), however the input was cut into batches.
//
// The driver owns the TBB arena (--threads), the token count (stated once, below), the batch pool (one
// batch per token, recycled) and the in-order fold. Keys number the records of the input 0, 1, 2, ... in
// input order, whatever the thread count and however the input was cut into batches.
#pragma once

#include <functional>

#include <cstdint>

#include <htslib/vcf.h>

#include "progress.h"
#include "record_source.h"

namespace healcap {

// The fold stage: receives each batch once, in input order, with the key of its first record.
class BatchFold {
 public:
  virtual ~BatchFold() = default;
  virtual void fold(Batch& b, uint64_t first_key) = 0;
  // A batch whose read failed (b.error set), in input order after every batch before it was folded: the
  // fold may raise a problem of the records before b.error_at first. The driver raises b.error next.
  virtual void fold_failed(Batch&, uint64_t /*first_key*/) {}
};

struct DriverOptions {
  int threads = 1;
  Annotators passes{};
  bcf_hdr_t* work_hdr = nullptr;  // the frozen header the annotators and sinks use
  bool tag = false;               // write HC_* INFO tags into the first pass's matched records
  Progress* progress = nullptr;   // counters for the progress line: the read stage adds the source's extent,
                                  // the fold stage the records (nullptr: none)
  // Runs on a worker after a batch's annotate stage, before its fold (annotate's verbatim path compresses the
  // batch's output there); not for a batch that failed. Empty: nothing.
  std::function<void(Batch&)> after_annotate;
};

// Batches in flight: two per thread, plus two, keep every thread busy while memory stays a few MB per batch.
int driver_tokens(int threads);

// Runs `src` to its end through the five stages. Returns the number of records. An exception in any stage
// stops the pipeline and reaches the caller; a prepare-stage error is raised in input order (the first bad
// record of the input wins, whatever the thread count).
uint64_t run_driver(RecordSource& src, const DriverOptions& opt, BatchFold& fold);

// The same scheme one level up, over whole inputs: work(k) for k in [begin, end) on `workers` threads, at
// most 2 per worker in flight, and consume(k) serially in k order after work(k). The inputs of a run over
// many files go through it; an exception from either stops the run and is rethrown here.
void run_in_order(size_t begin, size_t end, int workers, const std::function<void(size_t)>& work,
                  const std::function<void(size_t)>& consume);

}  // namespace healcap
