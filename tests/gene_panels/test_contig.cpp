// Contig-name normalisation: chr-prefixed, plain and RefSeq names meet on one canonical name.
#include <doctest/doctest.h>

#include "contig.h"

using healcap::contig_rank;
using healcap::normalise_contig;

TEST_CASE("chr17, 17, CHR17 and the RefSeq accessions of both builds normalise to 17") {
  CHECK(normalise_contig("chr17") == "17");
  CHECK(normalise_contig("17") == "17");
  CHECK(normalise_contig("CHR17") == "17");
  CHECK(normalise_contig("NC_000017.10") == "17");
  CHECK(normalise_contig("NC_000017.11") == "17");
}

TEST_CASE("the GenBank accessions of both builds name chromosomes 1-22, X and Y") {
  CHECK(normalise_contig("CM000663.2") == "1");
  CHECK(normalise_contig("CM000663.1") == "1");
  CHECK(normalise_contig("CM000679.2") == "17");
  CHECK(normalise_contig("CM000684.2") == "22");
  CHECK(normalise_contig("CM000685.2") == "X");
  CHECK(normalise_contig("CM000686.1") == "Y");
  CHECK(normalise_contig("CM000662.2") == "CM000662.2");
  CHECK(normalise_contig("CM000687.1") == "CM000687.1");
  CHECK(normalise_contig("CM0006631.1") == "CM0006631.1");
}

TEST_CASE("sex and mitochondrial chromosomes normalise to X, Y and MT") {
  CHECK(normalise_contig("chrX") == "X");
  CHECK(normalise_contig("NC_000023.11") == "X");
  CHECK(normalise_contig("NC_000024.10") == "Y");
  CHECK(normalise_contig("chrM") == "MT");
  CHECK(normalise_contig("M") == "MT");
  CHECK(normalise_contig("NC_012920.1") == "MT");
}

TEST_CASE("names that are not primary human chromosomes are left unchanged") {
  CHECK(normalise_contig("chr1_KI270706v1_random") == "chr1_KI270706v1_random");
  CHECK(normalise_contig("GL000192.1") == "GL000192.1");
  CHECK(normalise_contig("chr23") == "chr23");
  CHECK(normalise_contig("NC_045512.2") == "NC_045512.2");
}

TEST_CASE("contig ranks follow karyotype order and put other contigs last") {
  CHECK(contig_rank("1") < contig_rank("2"));
  CHECK(contig_rank("9") < contig_rank("10"));
  CHECK(contig_rank("22") < contig_rank("X"));
  CHECK(contig_rank("Y") < contig_rank("MT"));
  CHECK(contig_rank("MT") < contig_rank("GL000192.1"));
}
