// The progress line: counters the pipeline's serial stages update, and a thread that draws them on stderr
// a few times a second when stderr is a terminal. It never touches an output.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace healcap {

// How far a record source has read, as its read stage sees it between batches (RecordSource::extent).
struct ReadExtent {
  uint64_t bytes = 0;      // bytes of the input file read so far (compressed bytes for a compressed file)
  uint64_t size = 0;       // the input file's size in bytes; 0: unknown (a pipe, a URL)
  uint64_t regions = 0;    // indexed read: region queries handed out so far ...
  uint64_t n_regions = 0;  // ... of this many
};

// The size of a regular file (standard input when `path` is "-"); 0 when it has none (a pipe, a URL).
uint64_t input_size(const std::string& path);

// A snapshot of the counters.
struct ProgressCounts {
  uint64_t records = 0;
  uint64_t bytes_done = 0, bytes_total = 0;  // bytes_total 0: unknown
  uint64_t regions_done = 0, regions_total = 0;
  uint64_t files_done = 0, files_total = 0;
};

// The line for a snapshot taken `seconds` after the run began (no terminal codes), e.g.
//   "healcap scan: 1.23 M records, 12.3 MiB of 24.6 MiB (50%), 6.15 MiB/s, ETA 0:02"
//   "healcap scan: 2/5 files, 183 k records, 40.0 MiB of 100 MiB (40%), 20.0 MiB/s, ETA 0:03"
//   "healcap scan: 97 records, 12/31 region queries (38%), 24.0 queries/s, ETA 0:01"
// Bytes are the measure, except for one input read through its index: region queries done of those planned.
// `files_word` names the files of a run over several ("files", "partials"). Rate and ETA are averages since
// the start; ETA only when the total is known.
std::string progress_text(const std::string& label, const ProgressCounts& c, double seconds,
                          const std::string& files_word);
// "512 B", "1.50 KiB", "12.3 MiB", "456 GiB"; "999", "12.3 k", "1.23 M"; "0:08", "12:34", "1:02:03".
std::string bytes_text(double n);
std::string count_text(double n);
std::string duration_text(double seconds);

// The run's counters. Written by the serial stages a few times per batch (relaxed atomics: a counter is never
// used to order other memory), read by the drawing thread.
class Progress {
 public:
  // The run's inputs, before it reads them: their number and the sum of their sizes (unknown when one's is).
  void expect_inputs(const std::vector<std::string>& paths);
  // From a driver's read stage: the source's extent now and at its last call (per source, so that the
  // drivers of many inputs can add to one Progress).
  void add_read(const ReadExtent& now, const ReadExtent& before);
  // From a driver, when its input has been read to the end: the bytes not yet counted (an indexed read
  // skips most of the file), so that the bytes of every input read add up to the total.
  void finish_input(const ReadExtent& last);
  void add_records(uint64_t n) { records_.fetch_add(n, std::memory_order_relaxed); }
  void add_bytes(uint64_t n) { bytes_done_.fetch_add(n, std::memory_order_relaxed); }
  void add_files_done(uint64_t n) { files_done_.fetch_add(n, std::memory_order_relaxed); }
  ProgressCounts snapshot() const;

 private:
  std::atomic<uint64_t> records_{0}, bytes_done_{0}, bytes_total_{0}, regions_done_{0}, regions_total_{0},
      files_done_{0}, files_total_{0};
};

// True when a progress line may be drawn: stderr is a terminal (not "dumb") and --quiet was not given.
bool progress_wanted(bool quiet);

// Draws `progress` on stderr every 250 ms while it lives, when `enabled`: "\r", the line, and "\033[K" (erase
// to the end of the line), cut to the terminal's width. stop() (or the destructor, also when an exception
// unwinds the command) stops the thread and erases the line, so the command's own lines start clean.
class ProgressLine {
 public:
  ProgressLine(std::string label, const Progress& progress, bool enabled, std::string files_word = "files");
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  void stop();

 private:
  void loop();
  std::string label_, files_word_;
  const Progress& progress_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// For the signal thread: erases a progress line on the screen and keeps any from being drawn again, before it
// prints its own line and exits.
void abandon_progress_line();

}  // namespace healcap
