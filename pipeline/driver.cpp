// The pipeline driver: one tbb::parallel_pipeline for every read path.
#include "driver.h"

#include "streamed_text.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "thread_count.h"

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace healcap {

namespace {

// ThreadSanitizer cannot see the synchronisation inside Debian's libtbb, which is not instrumented: a batch
// handed from one pipeline stage to the next, on another thread, would look like a race. Under TSan each stage
// acquires what it is handed (the batch, its serial stage's state) as it begins and releases it as it ends;
// `done` is released by every stage and acquired once the pipeline has returned. Nothing in other builds.
inline void tsan_acquire(const void* p) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(const_cast<void*>(p));
#else
  (void)p;
#endif
}
inline void tsan_release(const void* p) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(const_cast<void*>(p));
#else
  (void)p;
#endif
}
// The pipeline's start: released by the thread that calls parallel_pipeline (which builds the filters inside
// TBB, out of reach), acquired by every stage.
const char tsan_pipeline = 0;
// One stage's hand-off: acquires on entry, releases on exit (also when the stage throws).
struct Handoff {
  const void* a;
  const void* b;
  const void* done;
  Handoff(const void* x, const void* y, const void* d) : a(x), b(y), done(d) {
    tsan_acquire(&tsan_pipeline);
    tsan_acquire(a);
    if (b) tsan_acquire(b);
  }
  ~Handoff() {
    if (b) tsan_release(b);
    tsan_release(a);
    tsan_release(done);
    tsan_release(&tsan_pipeline);
  }
  Handoff(const Handoff&) = delete;
  Handoff& operator=(const Handoff&) = delete;
};
// Acquires `done` when the pipeline has returned, or thrown.
struct AfterPipeline {
  const void* done;
  ~AfterPipeline() { tsan_acquire(done); }
};

// One batch per pipeline token: taken by the read stage, given back by the fold stage (or by the stage that
// fails), owned here throughout.
class BatchPool {
 public:
  explicit BatchPool(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      all_.push_back(std::make_unique<Batch>());
      free_.push_back(all_.back().get());
    }
  }
  Batch* take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) throw std::logic_error("driver: no free batch");
    Batch* b = free_.back();
    free_.pop_back();
    b->clear();
    return b;
  }
  void give(Batch* b) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(b);
  }

 private:
  std::vector<std::unique_ptr<Batch>> all_;
  std::vector<Batch*> free_;
  std::mutex mutex_;
};

// Gives a batch back to the pool when the scope ends, unless released to the next stage.
struct GiveBack {
  BatchPool& pool;
  Batch* b;
  ~GiveBack() {
    if (b) pool.give(b);
  }
  Batch* release() {
    Batch* x = b;
    b = nullptr;
    return x;
  }
};

// Feeds the progress counters. The read stage notes the source's extent in each batch it reads; the fold stage
// adds a batch's records and its extent's change since the batch before, so that the line counts work done,
// not work read ahead by the tokens in flight.
struct ReadProgress {
  Progress* progress;
  const RecordSource& src;
  ReadExtent last{};  // of the last batch folded
  void after_read(Batch& b) const {
    if (progress) b.read_extent = src.extent();
  }
  void after_fold(const Batch& b) {
    if (!progress) return;
    progress->add_read(b.read_extent, last);
    progress->add_records(b.n_records);
    last = b.read_extent;
  }
  void at_end() {
    if (progress) progress->finish_input(last);
  }
};

void annotate_batch(const DriverOptions& opt, AnnotatorScratch& scratch, Batch& b) {
  for (size_t i = 0; i < b.n_slots; ++i) {
    Slot& s = *b.slots[i];
    if (!s.annotated) annotate_slot(opt.passes, opt.work_hdr, opt.tag, scratch, s);
  }
  if (opt.after_annotate) opt.after_annotate(b);
}

}  // namespace

int driver_tokens(int threads) { return std::max(1, threads) * 2 + 2; }

uint64_t run_driver(RecordSource& src, const DriverOptions& opt, BatchFold& fold) {
  const int threads = std::max(1, std::min(opt.threads, src.max_threads()));
  const size_t n_tokens = static_cast<size_t>(driver_tokens(threads));
  BatchPool pool(n_tokens);
  tbb::enumerable_thread_specific<AnnotatorScratch> scratch;
  uint64_t next_key = 0;
  ReadProgress read_progress{opt.progress, src};
  const auto fold_one = [&](Batch& b) {
    fold.fold(b, next_key);
    next_key += b.n_records;
    read_progress.after_fold(b);
  };
  // Stitches a batch; true when it failed (here or in prepare), its error kept in b.error for the fold.
  const auto stitch_or_fail = [&](Batch& b) {
    try {
      src.stitch(b);  // raises a prepare error too, in its words (the record before it named)
    } catch (...) {
      b.error = std::current_exception();
    }
    b.failed = b.error != nullptr;  // or a source that left it
    return b.failed;
  };

  if (threads == 1) {
    // One thread (each file of a run over many): the same stages in a loop, without a TBB arena, which would
    // cap the whole process's parallelism while it lives.
    for (;;) {
      GiveBack b{pool, pool.take()};
      if (!src.read(*b.b)) break;
      read_progress.after_read(*b.b);
      try {
        src.prepare(*b.b);
      } catch (const std::exception& e) {
        b.b->error = std::current_exception();
        b.b->needs_context = std::strstr(e.what(), kBeforeMarker) != nullptr;
      } catch (...) {
        b.b->error = std::current_exception();
      }
      if (stitch_or_fail(*b.b)) {
        fold.fold_failed(*b.b, next_key);
        std::rethrow_exception(b.b->error);
      }
      annotate_batch(opt, scratch.local(), *b.b);
      fold_one(*b.b);
    }
  } else {
  allow_threads(threads);
  tbb::task_arena arena(threads);
  const char read_stage = 0, stitch_stage = 0, fold_stage = 0, done = 0;  // addresses for tsan_acquire/release
  std::atomic<bool> stop_reading{false};  // a batch failed: read no more
  bool stitched_failure = false;          // the stitch stage's own
  // The chain is built here, before the hand-off to the pipeline's threads begins.
  const tbb::filter<void, void> chain =
        tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> Batch* {
                                         Handoff h(&read_stage, nullptr, &done);
                                         GiveBack b{pool, pool.take()};  // given back before the hand-off ends
                                         if (stop_reading.load(std::memory_order_acquire) || !src.read(*b.b)) {
                                           fc.stop();
                                           return nullptr;
                                         }
                                         read_progress.after_read(*b.b);
                                         return b.release();
                                       }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                             [&](Batch* b) -> Batch* {
                                               Handoff h(b, nullptr, &done);
                                               try {
                                                 src.prepare(*b);
                                               } catch (const std::exception& e) {
                                                 b->error = std::current_exception();
                                                 b->needs_context = std::strstr(e.what(), kBeforeMarker) != nullptr;
                                               } catch (...) {
                                                 b->error = std::current_exception();
                                               }
                                               return b;
                                             }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::serial_in_order,
                                             [&](Batch* b) -> Batch* {
                                               Handoff h(&stitch_stage, b, &done);
                                               GiveBack g{pool, b};  // given back before the hand-off ends
                                               if (stitched_failure) {
                                                 b->failed = true;  // after a failure: never stitched, never folded
                                                 b->error = nullptr;
                                                 return g.release();
                                               }
                                               if (stitch_or_fail(*b)) {
                                                 stitched_failure = true;
                                                 stop_reading.store(true, std::memory_order_release);
                                               }
                                               return g.release();
                                             }) &
            tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                             [&](Batch* b) -> Batch* {
                                               Handoff h(b, nullptr, &done);
                                               GiveBack g{pool, b};  // given back before the hand-off ends
                                               if (!b->failed) annotate_batch(opt, scratch.local(), *b);
                                               return g.release();
                                             }) &
            tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* b) {
              Handoff h(&fold_stage, b, &done);
              GiveBack g{pool, b};  // given back before the hand-off ends
              if (b->failed) {
                if (!b->error) return;  // after the failed batch, which has thrown by now
                fold.fold_failed(*b, next_key);
                std::rethrow_exception(b->error);
              }
              fold_one(*b);
            });
  tsan_release(&tsan_pipeline);
  const AfterPipeline after{&done};
  arena.execute([&] { tbb::parallel_pipeline(n_tokens, chain); });
  }
  // What a source holds back after the last batch, in this thread.
  GiveBack last{pool, pool.take()};
  last.b->read_extent = read_progress.last;  // nothing more read
  if (src.finish(*last.b)) {
    annotate_batch(opt, scratch.local(), *last.b);
    fold_one(*last.b);
  }
  read_progress.at_end();
  return next_key;
}

void run_in_order(size_t begin, size_t end, int workers, const std::function<void(size_t)>& work,
                  const std::function<void(size_t)>& consume) {
  if (workers <= 1) {
    for (size_t k = begin; k < end; ++k) {
      work(k);
      consume(k);
    }
    return;
  }
  allow_threads(workers);
  tbb::task_arena arena(workers);
  size_t next = begin;
  std::vector<char> handed(end - begin);  // addresses for tsan_acquire/release, one per item
  const char first_stage = 0, last_stage = 0, done = 0;
  const tbb::filter<void, void> chain =
        tbb::make_filter<void, size_t>(tbb::filter_mode::serial_in_order,
                                       [&](tbb::flow_control& fc) -> size_t {
                                         Handoff h(&first_stage, nullptr, &done);
                                         if (next == end) {
                                           fc.stop();
                                           return 0;
                                         }
                                         return next++;
                                       }) &
            tbb::make_filter<size_t, size_t>(tbb::filter_mode::parallel,
                                             [&](size_t k) -> size_t {
                                               Handoff h(&handed[k - begin], nullptr, &done);
                                               work(k);
                                               return k;
                                             }) &
            tbb::make_filter<size_t, void>(tbb::filter_mode::serial_in_order, [&](size_t k) {
              Handoff h(&last_stage, &handed[k - begin], &done);
              consume(k);
            });
  tsan_release(&tsan_pipeline);
  const AfterPipeline after{&done};
  arena.execute([&] { tbb::parallel_pipeline(static_cast<size_t>(workers) * 2, chain); });
}

void stream_blocks(size_t n, size_t per_block, const std::function<void(TextBuffer&, size_t, size_t)>& format,
                   const std::function<void(std::string_view)>& emit, size_t in_flight) {
  if (n == 0) return;
  per_block = std::max<size_t>(1, per_block);
  const size_t n_blocks = (n + per_block - 1) / per_block;
  // run_in_order holds at most 2 items per worker, and the items in flight are consecutive (taken in order,
  // consumed in order): block b can use buffer b % (2 * workers).
  const int workers = static_cast<int>(std::max<size_t>(
      1, std::min<size_t>(static_cast<size_t>(tbb::this_task_arena::max_concurrency()), in_flight / 2)));
  std::vector<TextBuffer> buffers(static_cast<size_t>(workers) * 2);
  run_in_order(
      0, n_blocks, workers,
      [&](size_t b) {
        TextBuffer& t = buffers[b % buffers.size()];
        t.clear();
        format(t, b * per_block, std::min(n, (b + 1) * per_block));
      },
      [&](size_t b) { emit(buffers[b % buffers.size()].view()); });
}

}  // namespace healcap
