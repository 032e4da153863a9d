// Atomic VCF/BCF output with optional CSI/TBI index.
#include "vcf_output.h"

#include <htslib/bgzf.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "errors.h"

namespace healcap {

namespace {
bool ends_with(const std::string& s, const char* suffix) {
  const size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}
}  // namespace

char output_type_for(const std::string& path) {
  if (ends_with(path, ".bcf")) return 'b';
  if (ends_with(path, ".gz") || ends_with(path, ".bgz")) return 'z';
  return 'v';
}

VcfOutput::VcfOutput(std::string path, char type, IndexKind index, hts_tpool* pool)
    : path_(std::move(path)), index_(index) {
  const char* mode = type == 'b' ? "wb" : type == 'u' ? "wbu" : type == 'z' ? "wz" : "w";
  if (index_ != IndexKind::kNone) {
    if (path_ == "-") throw UsageError("-W: cannot index standard output; name an output file with -o");
    if (type == 'v' || type == 'u') throw UsageError("-W: an index needs compressed output (-O b or -O z)");
    if (index_ == IndexKind::kTbi && type == 'b') throw UsageError("-W=tbi: a BCF file takes a CSI index; use -W or -W=csi");
    index_path_ = path_ + (index_ == IndexKind::kTbi ? ".tbi" : ".csi");
  }
  if (path_ != "-") tmp_ = path_ + ".tmp." + std::to_string(getpid());
  errno = 0;
  fp_ = hts_open(path_ == "-" ? "-" : tmp_.c_str(), mode);
  if (!fp_) throw DataError(path_ + ": cannot create output file: " + std::strerror(errno ? errno : EIO));
  // BCF takes the pool through hts_set_thread_pool. For VCF text, htslib 1.16 routes that call through
  // sam_set_thread_pool, whose state hts_close never frees; the BGZF layer takes the pool directly instead,
  // and plain VCF has nothing to compress.
  if (pool && (type == 'b' || type == 'u')) {
    htsThreadPool p = {pool, 0};
    if (hts_set_thread_pool(fp_, &p) != 0) throw DataError(path_ + ": cannot start htslib threads");
  } else if (pool && type == 'z' && fp_->is_bgzf) {
    if (bgzf_thread_pool(fp_->fp.bgzf, pool, 0) != 0) throw DataError(path_ + ": cannot start htslib threads");
  }
}

VcfOutput::~VcfOutput() {
  if (!closed_) discard();
}

void VcfOutput::write_header(bcf_hdr_t* hdr) {
  if (bcf_hdr_write(fp_, hdr) != 0) throw DataError(path_ + ": cannot write the header: " + std::strerror(errno));
}

void VcfOutput::write(bcf_hdr_t* hdr, bcf1_t* rec) {
  if (bcf_write(fp_, hdr, rec) != 0)
    throw DataError(path_ + ": cannot write record " + std::string(bcf_seqname_safe(hdr, rec)) + ":" +
                    std::to_string(rec->pos + 1) + ": " + std::strerror(errno ? errno : EIO));
}

void VcfOutput::close() {
  if (closed_) return;
  const int rc = hts_close(fp_);
  fp_ = nullptr;
  if (rc != 0) {
    discard();
    throw DataError(path_ + ": write failed while closing");
  }
  if (path_ == "-") {
    closed_ = true;
    return;
  }
  if (index_ != IndexKind::kNone) {
    tmp_index_ = index_path_ + ".tmp." + std::to_string(getpid());
    const int min_shift = index_ == IndexKind::kTbi ? 0 : 14;
    if (bcf_index_build3(tmp_.c_str(), tmp_index_.c_str(), min_shift, 1) != 0) {
      discard();
      throw DataError(path_ + ": cannot index the output (is the input sorted? sort it with bcftools sort)");
    }
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    discard();
    throw DataError(path_ + ": cannot move output into place: " + std::strerror(err));
  }
  if (!tmp_index_.empty() && std::rename(tmp_index_.c_str(), index_path_.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp_index_.c_str());
    closed_ = true;
    throw DataError(index_path_ + ": cannot move index into place: " + std::strerror(err));
  }
  closed_ = true;
}

void VcfOutput::discard() noexcept {
  if (fp_) hts_close(fp_);
  fp_ = nullptr;
  if (!tmp_.empty()) std::remove(tmp_.c_str());
  if (!tmp_index_.empty()) std::remove(tmp_index_.c_str());
  closed_ = true;
}

}  // namespace healcap
