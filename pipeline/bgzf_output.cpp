// BGZF blocks to a file: the bytes as given, the EOF block at the end, the index built on the temporary file.
#include "bgzf_output.h"

#include <htslib/vcf.h>

#include <string_view>

#include "bgzf_writer.h"
#include "errors.h"

namespace healcap {

BgzfBlockOutput::BgzfBlockOutput(std::string path, IndexKind index) : path_(std::move(path)), index_(index) {
  if (index_ != IndexKind::kNone) {
    if (path_ == "-") throw UsageError("-W: cannot index standard output; name an output file with -o");
    index_path_ = path_ + (index_ == IndexKind::kTbi ? ".tbi" : ".csi");
  }
  file_ = std::make_unique<OutputFile>(path_, OutputFile::Compression::kNone, &set_);
  tmp_ = path_ == "-" ? path_ : temporary_path(path_);
  if (!index_path_.empty()) tmp_index_ = set_.add(index_path_);
}

BgzfBlockOutput::~BgzfBlockOutput() = default;  // the file, then the set, discard what was not published

void BgzfBlockOutput::write(const std::vector<uint8_t>& blocks) {
  if (blocks.empty()) return;
  file_->write(std::string_view(reinterpret_cast<const char*>(blocks.data()), blocks.size()));
}

void BgzfBlockOutput::close() {
  file_->write(std::string_view(reinterpret_cast<const char*>(kBgzfEof), sizeof kBgzfEof));
  file_->close();  // in the set: not yet renamed
  if (index_ != IndexKind::kNone) {
    const int min_shift = index_ == IndexKind::kTbi ? 0 : 14;
    if (bcf_index_build3(tmp_.c_str(), tmp_index_.c_str(), min_shift, 1) != 0) {
      set_.discard();
      throw DataError(path_ + ": cannot index the output (is the input sorted? sort it with bcftools sort)");
    }
  }
  set_.publish();  // on failure it has removed the temporary files and the file moved
}

}  // namespace healcap
