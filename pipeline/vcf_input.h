// An input VCF/BCF opened with htslib: format checks, header, thread pool, and the build it was made on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <htslib/bgzf.h>
#include <htslib/hts.h>
#include <htslib/thread_pool.h>
#include <htslib/vcf.h>

#include "vocabulary.h"

namespace healcap {

class VcfInput {
 public:
  // Opens `path` ("-" = standard input; http(s) URLs where htslib supports them) and reads the header.
  // With n_threads > 1, BGZF decompression runs on an htslib thread pool of that size.
  // Throws DataError naming the file when it cannot be opened, is not VCF/BCF, is a BGZF file without its
  // end-of-file block (truncated), or has no readable header.
  VcfInput(const std::string& path, int n_threads);
  VcfInput(const VcfInput&) = delete;
  VcfInput& operator=(const VcfInput&) = delete;
  ~VcfInput();

  const std::string& path() const { return path_; }
  htsFile* file() { return fp_; }
  bcf_hdr_t* header() { return hdr_; }
  const bcf_hdr_t* header() const { return hdr_; }
  bool is_bcf() const { return is_bcf_; }
  int n_samples() const { return bcf_hdr_nsamples(hdr_); }
  std::vector<std::string> sample_names() const;
  // Keeps only these samples (htslib's bcf_hdr_set_samples: a comma-separated list; empty: none), in
  // header order. Throws DataError naming the file when htslib refuses.
  void select_samples(const std::vector<std::string>& keep);
  // A copy of the header as it was opened, with the same sample selection (bcf_hdr_dup alone drops the
  // selection, and a record parsed with it would take the first samples' columns). Safe from several threads.
  bcf_hdr_t* copy_header() const;
  // Adds header lines (e.g. "##contig=<ID=1>") before the scan; throws DataError naming the line if htslib refuses.
  void add_header_lines(const std::vector<std::string>& lines);
  // The header lines htslib added while parsing records that used an undefined contig or tag, as text.
  std::vector<std::string> learned_header_lines() const;
  // htslib's description of the file format, e.g. "VCF version 4.2 BGZF-compressed variant calling data".
  const std::string& format_description() const { return format_; }

 private:
  std::string path_, format_;
  htsFile* fp_ = nullptr;
  bcf_hdr_t* hdr_ = nullptr;
  bcf_hdr_t* full_ = nullptr;  // the header before select_samples (nullptr: no selection)
  std::string selection_;      // the samples kept, as given to bcf_hdr_set_samples
  hts_tpool* pool_ = nullptr;
  bool is_bcf_ = false;
  int n_hrec_opened_ = 0;  // header lines after opening (and add_header_lines)
};

// The header's contig names by contig index (an empty name where IDX= leaves a gap). Unlike htslib's
// bcf_hdr_seqnames, which asserts when a ##contig line carries IDX= beyond the contig count, it never aborts.
std::vector<std::string> header_contig_names(const bcf_hdr_t* hdr);

// The build a scan uses and how it was chosen, in words for the log and the JSON.
struct BuildChoice {
  Build build = Build::kGRCh38;
  std::string how;           // e.g. "header contig lengths: 24 of 24 primary contigs match GRCh38"
  std::string contig_style;  // chr, plain, refseq, genbank, mixed or none (from the header's contig names)
  std::vector<std::string> warnings;
  bool determined = true;  // false: the header says nothing; the scan chooses by REF concordance
};

// Chooses the build from the header: contig lengths first, then ##reference and contig assembly= values.
// With `forced`, uses it and warns when the header says otherwise.
// When the header says nothing, returns determined = false (the caller decides by REF concordance).
// Throws DataError (naming the file) when the contig lengths match both builds.
BuildChoice choose_build(const bcf_hdr_t* hdr, const std::string& path, std::optional<Build> forced);

// Contig name style of a list of names: chr, plain, refseq, mixed or none.
std::string contig_style_of(const std::vector<std::string>& names);

}  // namespace healcap
