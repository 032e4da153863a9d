// Output files: written under the temporary name of an OutputSet, closed with every step checked.
#include "output_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "atomic_outputs.h"
#include "errors.h"

namespace healcap {

namespace {
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

OutputFile::Compression compression_for(std::string_view path) {
  return ends_with(path, ".gz") || ends_with(path, ".bgz") ? OutputFile::Compression::kBgzf
                                                          : OutputFile::Compression::kNone;
}

OutputFile::OutputFile(std::string path, Compression compression, OutputSet* set)
    : path_(std::move(path)), compression_(compression) {
  open(set, -1);
}

OutputFile::OutputFile(std::string path, int level, OutputSet* set) : path_(std::move(path)), compression_(Compression::kBgzf) {
  open(set, level < 0 || level > 9 ? -1 : level);
}

void OutputFile::open(OutputSet* set, int level) {
  if (!set) {
    own_set_ = std::make_unique<OutputSet>();
    set = own_set_.get();
  }
  tmp_ = set->add(path_);
  const bool to_stdout = tmp_ == "-";
  if (compression_ == Compression::kBgzf) {
    const char mode[3] = {'w', level < 0 ? '\0' : static_cast<char>('0' + level), '\0'};
    bgzf_ = to_stdout ? bgzf_dopen(STDOUT_FILENO, mode) : bgzf_open(tmp_.c_str(), mode);
    if (!bgzf_) throw DataError(path_ + ": cannot create output file: " + std::strerror(errno));
  } else {
    file_ = to_stdout ? stdout : std::fopen(tmp_.c_str(), "wb");
    if (!file_) throw DataError(path_ + ": cannot create output file: " + std::strerror(errno));
  }
}

OutputFile::~OutputFile() {
  if (!closed_) discard();
}

void OutputFile::set_thread_pool(hts_tpool* pool) {
  if (bgzf_ && pool && bgzf_thread_pool(bgzf_, pool, 0) != 0)
    throw DataError(path_ + ": cannot start the compression threads");
}

void OutputFile::write(std::string_view data) {
  if (closed_) throw DataError(path_ + ": write after close");
  if (data.empty()) return;
  errno = 0;
  const bool ok = bgzf_ ? bgzf_write(bgzf_, data.data(), data.size()) == static_cast<ssize_t>(data.size())
                        : std::fwrite(data.data(), 1, data.size(), file_) == data.size();
  if (!ok) throw DataError(path_ + ": write failed: " + write_error(errno, tmp_));
}

void OutputFile::close() {
  if (closed_) return;
  bool ok = true;
  errno = 0;
  if (bgzf_) {
    ok = bgzf_close(bgzf_) == 0;
    bgzf_ = nullptr;
  } else if (file_ == stdout) {
    ok = std::fflush(stdout) == 0;
    file_ = nullptr;
  } else if (file_) {
    ok = std::fclose(file_) == 0;
    file_ = nullptr;
  }
  if (!ok) {
    const int err = errno;
    discard();
    throw DataError(path_ + ": write failed: " + write_error(err, tmp_));
  }
  closed_ = true;
  if (own_set_) own_set_->publish();  // on failure it has removed the temporary file
}

void OutputFile::discard() noexcept {
  if (bgzf_) bgzf_close(bgzf_);
  if (file_ && file_ != stdout) std::fclose(file_);
  bgzf_ = nullptr;
  file_ = nullptr;
  if (tmp_ != "-") std::remove(tmp_.c_str());  // in a set too: a file never closed must not be published
  closed_ = true;
}

}  // namespace healcap
