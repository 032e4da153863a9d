// GT decoding into allele counts, with bcftools' GT text for the JSON output.
#include "genotypes.h"

#include <algorithm>
#include <cstdlib>

namespace healcap {

GenotypeBuffer::~GenotypeBuffer() { std::free(gt); }

void decode_calls(const bcf_hdr_t* hdr, bcf1_t* rec, int counted_allele, GenotypeBuffer& buf,
                  std::vector<Call>& calls) {
  const int n_samples = bcf_hdr_nsamples(hdr);
  calls.assign(static_cast<size_t>(n_samples), Call{});
  if (n_samples == 0) return;
  const int n = bcf_get_genotypes(hdr, rec, &buf.gt, &buf.n_gt);
  if (n <= 0) return;
  const int max_ploidy = n / n_samples;
  for (int s = 0; s < n_samples; ++s) {
    const int32_t* a = buf.gt + static_cast<ptrdiff_t>(s) * max_ploidy;
    Call c;
    int count = 0, ploidy = 0;
    bool missing = false;
    for (int j = 0; j < max_ploidy && a[j] != bcf_int32_vector_end; ++j) {
      ++ploidy;
      if (j == 1) c.phased = bcf_gt_is_phased(a[j]);
      if (bcf_gt_is_missing(a[j])) {
        missing = true;
        continue;
      }
      const int allele = bcf_gt_allele(a[j]);
      if (j < 2) c.allele[j] = static_cast<int16_t>(allele);
      if (counted_allele >= 0 ? allele == counted_allele : counted_allele == -2 && allele > 0) ++count;
    }
    c.ploidy = static_cast<int8_t>(std::min(ploidy, 127));
    c.count = missing || ploidy == 0 ? -1 : static_cast<int8_t>(std::min(count, 127));
    calls[static_cast<size_t>(s)] = c;
  }
}

}  // namespace healcap
