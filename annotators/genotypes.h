// Decodes each sample's call at a matched record: copies of the counted allele, ploidy and GT text.
#pragma once

#include <string>
#include <vector>

#include <htslib/vcf.h>

#include "site_store.h"

namespace healcap {

// Per-thread scratch for bcf_get_genotypes, reused across records.
struct GenotypeBuffer {
  int32_t* gt = nullptr;
  int n_gt = 0;
  GenotypeBuffer() = default;
  GenotypeBuffer(const GenotypeBuffer&) = delete;
  GenotypeBuffer& operator=(const GenotypeBuffer&) = delete;
  ~GenotypeBuffer();
};

// Fills one Call per sample from `rec` (FORMAT unpacked, or unpackable).
// counted_allele >= 0 counts that allele; -1 counts nothing (the record lacks the effect allele, so every
// called sample has 0 copies); -2 counts every non-REF allele. A missing allele anywhere in a call (./.,
// ./1) makes the call missing. A record without GT gives every sample a missing call of ploidy 0.
void decode_calls(const bcf_hdr_t* hdr, bcf1_t* rec, int counted_allele, GenotypeBuffer& buf,
                  std::vector<Call>& calls);

}  // namespace healcap
