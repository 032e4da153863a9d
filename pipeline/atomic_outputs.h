// Temporary files published atomically: each under "<path>.tmp.<pid>" until it is renamed into place, alone
// or together with the other outputs of a run (all or nothing).
#pragma once

#include <string>
#include <vector>

namespace healcap {

// A set of outputs published together. add() names each file's temporary path; publish() renames them all
// into place once every writer has closed successfully. When publish() is not reached (an error, an
// exception) or fails part-way, every temporary file is removed and so is every file this set already moved
// into place: a run leaves all its outputs or none.
class OutputSet {
 public:
  OutputSet() = default;
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;
  ~OutputSet();

  // Registers `final_path` and returns the temporary path to write it under. Throws DataError when the same
  // path is added twice (two outputs would overwrite each other). "-" (standard output) is returned as is
  // and never renamed.
  std::string add(const std::string& final_path);
  // Renames every temporary file into place, in the order added. Throws DataError naming the file when a
  // rename fails, after removing what the set has published and the temporary files left.
  void publish();
  // Removes every temporary file (and nothing published). Safe to call more than once.
  void discard() noexcept;
  bool published() const { return published_; }

 private:
  struct Entry {
    std::string final_path, tmp_path;
  };
  std::vector<Entry> entries_;
  bool published_ = false;
};

// Throws DataError naming `option` when the folder `path` is to be written in does not exist or is not
// writable: checked before any input is read, so a long run does not fail at its end.
void check_output_folder(const std::string& path, const std::string& option);

// Why a write to `path` failed, in words, from the errno it left (cleared before the write, so that a failure
// which sets none is not reported with a stale one). htslib's threaded BGZF writer may lose errno: when it is
// 0 and the file system holding `path` has no space left, that is the cause named.
std::string write_error(int err, const std::string& path);

// The temporary name of `path` for this process: "<path>.tmp.<pid>".
std::string temporary_path(const std::string& path);

// Every output set's temporary files, process-wide, for a signal: removes each file not yet published and
// returns how many it removed. It waits for a publication under way (renames are atomic with respect to it),
// so a run leaves its whole output set or none. Called by the signal thread (signals.h), then the process exits.
size_t remove_unpublished_temporaries() noexcept;

}  // namespace healcap
