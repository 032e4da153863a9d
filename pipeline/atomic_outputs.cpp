// Output sets: temporary names, renamed into place together, every trace removed when any rename fails.
#include "atomic_outputs.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <unordered_set>

#include "errors.h"

namespace healcap {

namespace {
// Removes a file, never a directory (std::remove would rmdir one sitting at the path); errors are ignored.
void unlink_quietly(const std::string& path) noexcept { ::unlink(path.c_str()); }

// The temporary paths of every live output set. The mutex is also held across a set's renames.
std::mutex& live_mutex() {
  static std::mutex m;
  return m;
}
std::unordered_set<std::string>& live_paths() {
  static std::unordered_set<std::string> s;
  return s;
}
}  // namespace

size_t remove_unpublished_temporaries() noexcept {
  std::lock_guard<std::mutex> lock(live_mutex());
  size_t n = 0;
  for (const std::string& p : live_paths())
    if (::unlink(p.c_str()) == 0) ++n;
  live_paths().clear();
  return n;
}

std::string write_error(int err, const std::string& path) {
  if (!err && path != "-") {
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
    struct statvfs fs;
    if (statvfs(dir.c_str(), &fs) == 0 && uint64_t(fs.f_bavail) * fs.f_frsize < 65536) err = ENOSPC;
  }
  if (!err) return "an I/O error";
  return std::string(std::strerror(err)) + (err == ENOSPC || err == EDQUOT ? "; free space or write elsewhere" : "");
}

std::string temporary_path(const std::string& path) { return path + ".tmp." + std::to_string(getpid()); }

void check_output_folder(const std::string& path, const std::string& option) {
  if (path.empty() || path == "-") return;
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw DataError(option + " " + path + ": cannot write in the folder " + dir + " (" + std::strerror(errno) +
                     "); create it or choose another");
}

OutputSet::~OutputSet() {
  if (!published_) discard();
}

std::string OutputSet::add(const std::string& final_path) {
  if (published_) throw std::logic_error(final_path + ": added to an output set already published");
  if (final_path == "-") return final_path;
  for (const Entry& e : entries_)
    if (e.final_path == final_path)
      throw DataError(final_path + ": named twice as an output of this run (one would overwrite the other)");
  entries_.push_back({final_path, temporary_path(final_path)});
  std::lock_guard<std::mutex> lock(live_mutex());
  live_paths().insert(entries_.back().tmp_path);
  return entries_.back().tmp_path;
}

void OutputSet::publish() {
  if (published_) return;
  std::unique_lock<std::mutex> lock(live_mutex());
  for (size_t i = 0; i < entries_.size(); ++i) {
    if (std::rename(entries_[i].tmp_path.c_str(), entries_[i].final_path.c_str()) == 0) continue;
    const int err = errno;
    for (size_t k = 0; k < i; ++k) unlink_quietly(entries_[k].final_path);  // all or nothing
    lock.unlock();
    discard();
    throw DataError(entries_[i].final_path + ": cannot move output into place: " + std::strerror(err));
  }
  for (const Entry& e : entries_) live_paths().erase(e.tmp_path);
  published_ = true;
}

void OutputSet::discard() noexcept {
  if (published_) return;
  std::lock_guard<std::mutex> lock(live_mutex());
  for (const Entry& e : entries_) {
    unlink_quietly(e.tmp_path);
    live_paths().erase(e.tmp_path);
  }
}

}  // namespace healcap
