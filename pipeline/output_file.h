// An output sink that publishes its file atomically: written to a temporary name, renamed on close().
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include <htslib/bgzf.h>

namespace healcap {

class OutputFile {
 public:
  enum class Compression { kNone, kBgzf };

  // Opens `path` for writing ("-" is standard output, written directly). A regular file is written to
  // "<path>.tmp.<pid>" in the same directory and appears under its name only when close() succeeds.
  // Throws DataError when the temporary file cannot be created.
  OutputFile(std::string path, Compression compression);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  // Removes the temporary file when close() was not reached (an error on the way), so no partial file is left.
  ~OutputFile();

  // Appends bytes; throws DataError on a write error.
  void write(std::string_view data);
  // Flushes, closes and renames into place; throws DataError on any failure (the temporary file is removed).
  void close();

  const std::string& path() const { return path_; }

 private:
  void discard() noexcept;

  std::string path_, tmp_;
  Compression compression_;
  FILE* file_ = nullptr;
  BGZF* bgzf_ = nullptr;
  bool closed_ = false;
};

// Kbgzf when the name ends in .gz or .bgz, else kNone.
OutputFile::Compression compression_for(std::string_view path);

}  // namespace healcap
