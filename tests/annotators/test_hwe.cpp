// The Hardy-Weinberg exact test, checked against a brute-force enumeration of the exact distribution.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "hwe.h"

using namespace healcap;

namespace {

// Reference p-value, computed independently of hwe.cpp: for the observed allele counts, enumerate every
// heterozygote count of the same parity, weigh it by n! / (nAA! nAB! nBB!) * 2^nAB (in log space), and sum
// the normalised probabilities no larger than the observed one.
double reference_p(int64_t n_het, int64_t n_aa, int64_t n_bb) {
  const int64_t n = n_het + n_aa + n_bb;
  if (n == 0) return 1.0;
  const int64_t copies_a = 2 * n_aa + n_het;
  const auto log_weight = [&](int64_t het) {
    const int64_t aa = (copies_a - het) / 2;
    const int64_t bb = n - het - aa;
    return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(aa) + 1) -
           std::lgamma(static_cast<double>(het) + 1) - std::lgamma(static_cast<double>(bb) + 1) +
           static_cast<double>(het) * std::log(2.0);
  };
  std::vector<double> logs;
  std::vector<int64_t> hets;
  for (int64_t het = copies_a % 2; het <= n; het += 2) {
    const int64_t aa = (copies_a - het) / 2;
    const int64_t bb = n - het - aa;
    if (aa < 0 || bb < 0) continue;
    logs.push_back(log_weight(het));
    hets.push_back(het);
  }
  double top = logs[0];
  for (double l : logs) top = std::max(top, l);
  double total = 0, observed = 0;
  for (size_t i = 0; i < logs.size(); ++i) {
    total += std::exp(logs[i] - top);
    if (hets[i] == n_het) observed = std::exp(logs[i] - top);
  }
  double p = 0;
  for (double l : logs) {
    const double x = std::exp(l - top);
    if (x <= observed * (1 + 1e-9)) p += x;
  }
  return std::min(1.0, p / total);
}

void check_against_reference(int64_t het, int64_t aa, int64_t bb) {
  const double want = reference_p(het, aa, bb);
  const double got = hwe_exact_p(het, aa, bb);
  INFO("het=" << het << " hom_a=" << aa << " hom_b=" << bb << " want=" << want << " got=" << got);
  CHECK(got == doctest::Approx(want).epsilon(1e-9));
}

}  // namespace

TEST_CASE("the brute-force reference reproduces hand-computed exact distributions") {
  // One sample, one copy of each allele: only het = 1 is possible.
  CHECK(reference_p(1, 0, 0) == doctest::Approx(1.0).epsilon(1e-12));
  // Two samples, two copies of each allele: het 0 has weight 2!/(1!1!) = 2, het 2 has weight 2!/2! * 4 = 4.
  CHECK(reference_p(0, 1, 1) == doctest::Approx(2.0 / 6.0).epsilon(1e-12));
  CHECK(reference_p(2, 0, 0) == doctest::Approx(1.0).epsilon(1e-12));
  // Three samples, three copies each: het 1 -> 3!/(1!1!1!) * 2 = 12, het 3 -> 8; p(het 3) = 8/20.
  CHECK(reference_p(3, 0, 0) == doctest::Approx(8.0 / 20.0).epsilon(1e-12));
  CHECK(reference_p(1, 1, 1) == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("hwe_exact_p returns 1 when there are no genotypes") {
  CHECK(hwe_exact_p(0, 0, 0) == 1.0);
}

TEST_CASE("hwe_exact_p matches small hand-computed cases exactly") {
  CHECK(hwe_exact_p(0, 1, 1) == doctest::Approx(1.0 / 3.0).epsilon(1e-12));
  CHECK(hwe_exact_p(3, 0, 0) == doctest::Approx(0.4).epsilon(1e-12));
  CHECK(hwe_exact_p(1, 1, 1) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(hwe_exact_p(1, 0, 0) == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("hwe_exact_p equals the brute-force exact p-value for all-het, excess-het, deficit-het and monomorphic sites") {
  check_against_reference(10, 0, 0);   // all heterozygous
  check_against_reference(50, 25, 25); // exactly at expectation
  check_against_reference(99, 1, 0);   // nearly all heterozygous
  check_against_reference(1, 99, 0);   // one carrier of a rare allele
  check_against_reference(10, 45, 45); // strong het deficit
  check_against_reference(0, 100, 0);  // monomorphic
  check_against_reference(0, 0, 100);  // monomorphic, other allele
  check_against_reference(0, 50, 50);  // no hets at all
  check_against_reference(20, 70, 10);
  check_against_reference(5, 3, 1);
}

TEST_CASE("hwe_exact_p is symmetric in the two homozygote classes") {
  CHECK(hwe_exact_p(20, 70, 10) == doctest::Approx(hwe_exact_p(20, 10, 70)).epsilon(1e-12));
  CHECK(hwe_exact_p(10, 45, 45) == doctest::Approx(reference_p(10, 45, 45)).epsilon(1e-9));
  CHECK(hwe_exact_p(3, 7, 0) == doctest::Approx(hwe_exact_p(3, 0, 7)).epsilon(1e-12));
}

TEST_CASE("hwe_exact_p is a probability, 1 at a monomorphic site and tiny for a gross het deficit") {
  CHECK(hwe_exact_p(0, 100, 0) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(hwe_exact_p(0, 0, 100) == doctest::Approx(1.0).epsilon(1e-12));
  const double deficit = hwe_exact_p(0, 50, 50);
  CHECK(deficit > 0);
  CHECK(deficit < 1e-20);
  const double p = hwe_exact_p(10, 45, 45);
  CHECK(p > 0);
  CHECK(p < 1e-10);
}

TEST_CASE("hwe_exact_p agrees with brute force over every genotype split of 12 samples") {
  for (int64_t het = 0; het <= 12; ++het)
    for (int64_t aa = 0; aa + het <= 12; ++aa) check_against_reference(het, aa, 12 - het - aa);
}
