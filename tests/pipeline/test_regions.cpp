// Regions and targets in bcftools notation: parsing, negation, BED coordinates, the words partials record,
// and overlap between shards.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "errors.h"
#include "regions.h"

using namespace healcap;

TEST_CASE("regions: a list is parsed into sorted, joined intervals on canonical contig names") {
  const RegionSet r = RegionSet::parse_list("chr17:48000000-49000000,2,chr1:100-,17:48500000-50000000", "-r");
  CHECK_FALSE(r.empty());
  CHECK_FALSE(r.negated());
  REQUIRE(r.intervals().size() == 3);
  CHECK(r.intervals()[0].contig == "1");
  CHECK(r.intervals()[0].beg == 100);
  CHECK(r.intervals()[1].contig == "2");
  CHECK(r.intervals()[2].contig == "17");
  CHECK(r.intervals()[2].beg == 48000000);
  CHECK(r.intervals()[2].end == 50000000);
  CHECK(r.keeps("17", 48000000));
  CHECK(r.keeps("17", 50000000));
  CHECK_FALSE(r.keeps("17", 50000001));
  CHECK_FALSE(r.keeps("1", 99));
  CHECK(r.keeps("2", 1));
  CHECK_FALSE(r.keeps("3", 1));
}

TEST_CASE("regions: a single position, ^ negation, and bad items") {
  const RegionSet p = RegionSet::parse_list("chr5:1234", "-t");
  CHECK(p.keeps("5", 1234));
  CHECK_FALSE(p.keeps("5", 1235));
  const RegionSet n = RegionSet::parse_list("^chr1,chr2:1-10", "-t");
  CHECK(n.negated());
  CHECK_FALSE(n.keeps("1", 5));
  CHECK_FALSE(n.keeps("2", 10));
  CHECK(n.keeps("2", 11));
  CHECK(n.keeps("3", 1));
  CHECK_THROWS_AS(RegionSet::parse_list("chr1:10-5", "-r"), UsageError);
  CHECK_THROWS_AS(RegionSet::parse_list("chr1:x-5", "-r"), UsageError);
  CHECK_THROWS_AS(RegionSet::parse_list(",", "-r"), UsageError);
  CHECK(RegionSet().keeps("1", 1));
}

TEST_CASE("regions: a BED file is 0-based half-open, a region file 1-based inclusive") {
  const std::string bed = "test_regions_tmp.bed", reg = "test_regions_tmp.txt";
  {
    std::ofstream f(bed);
    f << "track name=x\n# comment\nchr1\t99\t100\nchr2\t0\t10\n";
    std::ofstream g(reg);
    g << "chr1\t100\t100\n\nchr3\t7\n";
  }
  const RegionSet b = RegionSet::parse_file(bed, "-R");
  CHECK(b.keeps("1", 100));
  CHECK_FALSE(b.keeps("1", 99));
  CHECK(b.keeps("2", 10));
  CHECK_FALSE(b.keeps("2", 11));
  const RegionSet t = RegionSet::parse_file(reg, "-R");
  CHECK(t.keeps("1", 100));
  CHECK(t.keeps("3", 7));
  CHECK_FALSE(t.keeps("3", 8));
  CHECK(t.words() != b.words());
  {
    std::ofstream f(bed);
    f << "chr1\tfoo\t3\n";
  }
  CHECK_THROWS_AS(RegionSet::parse_file(bed, "-R"), DataError);
  std::remove(bed.c_str());
  std::remove(reg.c_str());
}

TEST_CASE("regions: words round-trip, overlap and union of shards") {
  const RegionSet a = RegionSet::parse_list("chr1:1-1000,chr2", "-r");
  CHECK(a.words() == std::vector<std::string>{"1:1-1000", "2"});
  const RegionSet back = RegionSet::from_words(a.words());
  CHECK(back.words() == a.words());
  const RegionSet b = RegionSet::parse_list("1:1001-2000", "-r");
  const RegionSet c = RegionSet::parse_list("1:1000", "-r");
  CHECK_FALSE(a.overlaps(b));
  CHECK(a.overlaps(c));
  CHECK(a.overlaps(RegionSet()));  // no restriction covers everything
  RegionSet u = a;
  u.unite(b);
  CHECK(u.words() == std::vector<std::string>{"1:1-2000", "2"});
}
