// annotate's verbatim path, bgzipped VCF in and bgzipped VCF out: the lines that hit no panel row are copied
// as read, never parsed, straight into the output's BGZF blocks, which the workers deflate with libdeflate;
// only panel hits are parsed and written by htslib (tagged in INFO, as on the htslib path). A line is parsed
// as well when copying it could differ from what htslib would write or would change the header: a sample
// column count other than the header's, a NUL byte, or a contig, FILTER, INFO or FORMAT id the header does not
// define. So the records and the header are those of the htslib path (VcfOutput), whatever the thread count.
#pragma once

#include <memory>
#include <string>

#include <htslib/kstring.h>
#include <htslib/vcf.h>
#include <tbb/enumerable_thread_specific.h>

#include "bgzf_output.h"
#include "bgzf_writer.h"
#include "scan_steps.h"

namespace healcap {

// True when annotate can take the verbatim path: a bgzipped VCF regular file in (its blocks inflated by
// healcap's workers), bgzipped VCF out (-O z), every sample kept, and HEALCAP_VERBATIM not "0" (which forces
// the htslib path, for comparison). Else false, with the reason in `why`.
bool verbatim_path_applies(const ScanConfig& cfg, const OpenInput& input, std::string& why);

// Which lines the verbatim path must parse although they hit no panel row (see the file comment). Safe to
// call from many threads at once: it reads a copy of the header as it was before the scan, and caches the
// last contig, FILTER, INFO keys and FORMAT each thread saw.
class VerbatimLines {
 public:
  explicit VerbatimLines(const bcf_hdr_t* hdr);  // copies the header
  ~VerbatimLines();
  VerbatimLines(const VerbatimLines&) = delete;
  VerbatimLines& operator=(const VerbatimLines&) = delete;
  // [p, p + n) is a record line without its newline, with at least 8 tab-separated columns.
  bool must_parse(const char* p, size_t n);

 private:
  struct Cache {
    std::string contig, filter, format;
    std::vector<std::string> info_keys;
  };
  bool defined(const char* id, size_t n, int type, std::string& scratch) const;
  bcf_hdr_t* hdr_;
  size_t tabs_;  // a line's tabs: 8 columns, or 9 plus the samples
  tbb::enumerable_thread_specific<Cache> caches_;
};

class VerbatimVcfWriter : public BatchWriter {
 public:
  // Opens the output (cfg.vcf_out, cfg.index) and writes the plan's header into it as htslib writes a VCF
  // header, in blocks of its own, at cfg.compress_level.
  VerbatimVcfWriter(const OpenInput& input, const ScanPlan& plan, const ScanConfig& cfg);
  ~VerbatimVcfWriter() override;
  void configure(SourceContext& ctx) override;
  std::unique_ptr<RecordSource> wrap(std::unique_ptr<RecordSource> src) override;
  void make(Batch& b) override;
  void write(Batch& b) override;
  // The EOF block, the index, the rename; throws DataError (the files are removed).
  void close();

 private:
  struct Worker {
    explicit Worker(int level) : deflater(level) {}
    ~Worker() { free(line.s); }
    BgzfDeflater deflater;
    kstring_t line = {0, 0, nullptr};
  };
  bcf_hdr_t* work_hdr_;
  std::string path_;
  int level_;
  VerbatimLines lines_;
  BgzfBlockOutput out_;
  tbb::enumerable_thread_specific<std::unique_ptr<Worker>> workers_;
};

}  // namespace healcap
