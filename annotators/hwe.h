// Hardy-Weinberg exact test for one biallelic site.
#pragma once

#include <cstdint>

namespace healcap {

// Returns the two-sided exact HWE p-value (the sum of the probabilities of all heterozygote counts no more
// likely than the observed one, given the allele counts), following Wigginton, Cutler and Abecasis (2005),
// AJHG 76:887. Returns 1 when there are no genotypes.
double hwe_exact_p(int64_t n_het, int64_t n_hom_a, int64_t n_hom_b);

}  // namespace healcap
