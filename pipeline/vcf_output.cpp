// VCF/BCF output with optional CSI/TBI index, written under the temporary names of an OutputSet.
#include "vcf_output.h"

#include <htslib/bgzf.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "atomic_outputs.h"
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

VcfOutput::VcfOutput(std::string path, char type, IndexKind index, hts_tpool* pool, OutputSet* set, int level)
    : path_(std::move(path)), index_(index) {
  std::string mode = type == 'b' ? "wb" : type == 'u' ? "wbu" : type == 'z' ? "wz" : "w";
  if ((type == 'b' || type == 'z') && level >= 0 && level <= 9) mode += static_cast<char>('0' + level);
  if (index_ != IndexKind::kNone) {
    if (path_ == "-") throw UsageError("-W: cannot index standard output; name an output file with -o");
    if (type == 'v' || type == 'u') throw UsageError("-W: an index needs compressed output (-O b or -O z)");
    if (index_ == IndexKind::kTbi && type == 'b') throw UsageError("-W=tbi: a BCF file takes a CSI index; use -W or -W=csi");
    index_path_ = path_ + (index_ == IndexKind::kTbi ? ".tbi" : ".csi");
  }
  if (!set) {
    own_set_ = std::make_unique<OutputSet>();
    set = own_set_.get();
  }
  tmp_ = set->add(path_);
  if (!index_path_.empty()) tmp_index_ = set->add(index_path_);
  errno = 0;
  fp_ = hts_open(tmp_.c_str(), mode.c_str());
  if (!fp_) throw DataError(path_ + ": cannot create output file: " + std::strerror(errno ? errno : EIO));
  // BCF takes the pool through hts_set_thread_pool. For VCF text, htslib 1.16 routes that call through
  // sam_set_thread_pool, whose state hts_close never frees; the BGZF layer takes the pool directly instead,
  // and plain VCF has nothing to compress.
  int rc = 0;
  if (pool && (type == 'b' || type == 'u')) {
    htsThreadPool p = {pool, 0};
    rc = hts_set_thread_pool(fp_, &p);
  } else if (pool && type == 'z' && fp_->is_bgzf) {
    rc = bgzf_thread_pool(fp_->fp.bgzf, pool, 0);
  }
  if (rc != 0) {
    discard();  // the destructor does not run for a constructor that throws
    throw DataError(path_ + ": cannot start htslib threads");
  }
}

VcfOutput::~VcfOutput() {
  if (!closed_) discard();
}

void VcfOutput::write_header(bcf_hdr_t* hdr) {
  errno = 0;
  if (bcf_hdr_write(fp_, hdr) != 0) throw DataError(path_ + ": cannot write the header: " + write_error(errno, tmp_));
}

void VcfOutput::write(bcf_hdr_t* hdr, bcf1_t* rec) {
  errno = 0;
  if (bcf_write(fp_, hdr, rec) != 0)
    throw DataError(path_ + ": cannot write record " + std::string(bcf_seqname_safe(hdr, rec)) + ":" +
                    std::to_string(rec->pos + 1) + ": " + write_error(errno, tmp_));
}

void VcfOutput::close() {
  if (closed_) return;
  errno = 0;
  const int rc = hts_close(fp_);
  const int err = errno;
  fp_ = nullptr;
  if (rc != 0) {
    discard();
    throw DataError(path_ + ": write failed while closing: " + write_error(err, tmp_));
  }
  if (index_ != IndexKind::kNone) {
    const int min_shift = index_ == IndexKind::kTbi ? 0 : 14;
    if (bcf_index_build3(tmp_.c_str(), tmp_index_.c_str(), min_shift, 1) != 0) {
      discard();
      throw DataError(path_ + ": cannot index the output (is the input sorted? sort it with bcftools sort)");
    }
  }
  closed_ = true;
  if (own_set_) own_set_->publish();  // on failure it has removed the temporary files and the file moved
}

void VcfOutput::discard() noexcept {
  if (fp_) hts_close(fp_);
  fp_ = nullptr;
  if (tmp_ != "-") std::remove(tmp_.c_str());  // in a set too: an output never closed must not be published
  if (!tmp_index_.empty()) std::remove(tmp_index_.c_str());
  closed_ = true;
}

}  // namespace healcap
