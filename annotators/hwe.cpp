// HWE exact test: the heterozygote-count distribution given allele counts, built by its recurrence.
#include "hwe.h"

#include <algorithm>
#include <vector>

namespace healcap {

double hwe_exact_p(int64_t n_het, int64_t n_hom_a, int64_t n_hom_b) {
  const int64_t n = n_het + n_hom_a + n_hom_b;
  if (n <= 0) return 1.0;
  const int64_t n_rare_hom = std::min(n_hom_a, n_hom_b);
  const int64_t n_rare = 2 * n_rare_hom + n_het;  // copies of the rarer allele
  std::vector<double> prob(static_cast<size_t>(n_rare) + 1, 0.0);

  // Start from the most likely heterozygote count (same parity as n_rare), then walk both ways.
  int64_t mid = n_rare * (2 * n - n_rare) / (2 * n);
  if ((mid % 2) != (n_rare % 2)) ++mid;
  prob[mid] = 1.0;
  double total = 1.0;
  int64_t het = mid, hom_r = (n_rare - mid) / 2, hom_c = n - het - hom_r;
  for (; het >= 2; het -= 2) {  // P(het-2) from P(het)
    prob[het - 2] = prob[het] * het * (het - 1.0) / (4.0 * (hom_r + 1.0) * (hom_c + 1.0));
    total += prob[het - 2];
    ++hom_r;
    ++hom_c;
  }
  het = mid;
  hom_r = (n_rare - mid) / 2;
  hom_c = n - het - hom_r;
  for (; het <= n_rare - 2; het += 2) {  // P(het+2) from P(het)
    prob[het + 2] = prob[het] * 4.0 * hom_r * hom_c / ((het + 2.0) * (het + 1.0));
    total += prob[het + 2];
    --hom_r;
    --hom_c;
  }
  const double observed = prob[static_cast<size_t>(n_het)];
  double p = 0;
  for (double x : prob)
    if (x <= observed * (1 + 1e-7)) p += x;
  return std::min(1.0, p / total);
}

}  // namespace healcap
