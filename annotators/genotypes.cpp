// GT decoding into allele counts, with bcftools' GT text for the JSON output.
#include "genotypes.h"

#include <cstdlib>

namespace healcap {

GenotypeBuffer::~GenotypeBuffer() { std::free(gt); }

void decode_calls(const bcf_hdr_t* hdr, bcf1_t* rec, int counted_allele, GenotypeBuffer& buf,
                  std::vector<Call>& calls, std::vector<std::string>& gts) {
  const int n_samples = bcf_hdr_nsamples(hdr);
  calls.assign(static_cast<size_t>(n_samples), Call{});
  gts.assign(static_cast<size_t>(n_samples), ".");
  if (n_samples == 0) return;
  const int n = bcf_get_genotypes(hdr, rec, &buf.gt, &buf.n_gt);
  if (n <= 0) return;
  const int max_ploidy = n / n_samples;
  for (int s = 0; s < n_samples; ++s) {
    const int32_t* a = buf.gt + static_cast<ptrdiff_t>(s) * max_ploidy;
    Call c;
    int count = 0, ploidy = 0;
    bool missing = false;
    std::string text;
    for (int j = 0; j < max_ploidy && a[j] != bcf_int32_vector_end; ++j) {
      if (j > 0) text += bcf_gt_is_phased(a[j]) ? '|' : '/';
      ++ploidy;
      if (bcf_gt_is_missing(a[j])) {
        missing = true;
        text += '.';
        continue;
      }
      const int allele = bcf_gt_allele(a[j]);
      text += std::to_string(allele);
      if (counted_allele >= 0 ? allele == counted_allele : counted_allele == -2 && allele > 0) ++count;
    }
    if (ploidy == 0) text = ".";
    c.ploidy = static_cast<int8_t>(ploidy);
    c.count = missing || ploidy == 0 ? -1 : static_cast<int8_t>(count);
    calls[static_cast<size_t>(s)] = c;
    gts[static_cast<size_t>(s)] = std::move(text);
  }
}

}  // namespace healcap
