// An output file published atomically: written under a temporary name, renamed into place on close() or,
// in an OutputSet, together with the set's other files.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <htslib/bgzf.h>
#include <htslib/thread_pool.h>

#include "atomic_outputs.h"

namespace healcap {

class OutputFile {
 public:
  enum class Compression { kNone, kBgzf };

  // Opens `path` for writing ("-" is standard output, written directly). A regular file is written to
  // "<path>.tmp.<pid>" in the same directory. Without a set it appears under its name when close()
  // succeeds; with one it is registered in `set` and appears only when the set is published (the set must
  // outlive this object). Throws DataError when the temporary file cannot be created, or when `set` already
  // holds `path`.
  OutputFile(std::string path, Compression compression, OutputSet* set = nullptr);
  // A BGZF file deflated at `level` (0-9; -1: htslib's default).
  OutputFile(std::string path, int level, OutputSet* set);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Removes the temporary file when close() was not reached (an error on the way), so no partial file is left;
  // a set holding it then fails to publish rather than publish a partial file.
  ~OutputFile();

  // Deflates a BGZF file's blocks on `pool`'s threads (the bytes do not change). Call before the first write.
  void set_thread_pool(hts_tpool* pool);
  // Appends bytes; throws DataError on a write error.
  void write(std::string_view data);
  // Flushes and closes, then (without a set) renames into place. Throws DataError on any failure; the
  // temporary file is removed.
  void close();

  const std::string& path() const { return path_; }

 private:
  void discard() noexcept;

  std::unique_ptr<OutputSet> own_set_;  // a standalone file's set of one
  std::string path_, tmp_;               // tmp_ is "-" for standard output
  Compression compression_;
  FILE* file_ = nullptr;
  BGZF* bgzf_ = nullptr;
  bool closed_ = false;
  void open(OutputSet* set, int level);
};

// Kbgzf when the name ends in .gz or .bgz, else kNone.
OutputFile::Compression compression_for(std::string_view path);

}  // namespace healcap
