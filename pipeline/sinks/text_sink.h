// The base of the sinks that write one plain text file: an uncompressed OutputFile in the run's set.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "atomic_outputs.h"
#include "output_file.h"
#include "sink.h"

namespace healcap {

class TextSink : public Sink {
 public:
  // Creates `path` under its temporary name in `set`; throws DataError as OutputFile does.
  TextSink(std::string path, OutputSet& set) : out_(std::move(path), OutputFile::Compression::kNone, &set) {}
  void close() override { out_.close(); }
  const std::string& path() const override { return out_.path(); }

 protected:
  void write_text(std::string_view text) { out_.write(text); }

 private:
  OutputFile out_;
};

}  // namespace healcap
