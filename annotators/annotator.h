// The annotator seam: what the pipeline asks of every annotation it runs over VCF/BCF records.
#pragma once

#include <htslib/vcf.h>

namespace healcap {

// An annotation applied to records concurrently by the pipeline's parallel stage.
// Contract, after bcftools' plugin interface without its globals:
//  - add_header_lines() is called once, on the serial stage, before any record; it may add INFO/FILTER lines.
//  - unpack_level() says which parts of a record annotate() reads (BCF_UN_STR, BCF_UN_FMT, ...); the reader
//    unpacks at least that much before handing the record over.
//  - annotate() may run on many threads at once. It writes only to `rec` and to state it owns per call;
//    it must not touch any htsFile. It returns true when the record is one the annotator cares about.
class Annotator {
 public:
  virtual ~Annotator() = default;
  virtual void add_header_lines(bcf_hdr_t* hdr) = 0;
  virtual int unpack_level() const = 0;
  virtual bool annotate(const bcf_hdr_t* hdr, bcf1_t* rec) const = 0;
};

}  // namespace healcap
