// The progress line's text (units, rate, ETA, which measure) and its counters as the driver feeds them.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "progress.h"
#include "test_support.h"

using namespace healcap_test;

TEST_CASE("bytes, counts and durations are written with three significant digits and their units") {
  CHECK(bytes_text(0) == "0 B");
  CHECK(bytes_text(1023) == "1023 B");
  CHECK(bytes_text(1024) == "1.00 KiB");
  CHECK(bytes_text(1536) == "1.50 KiB");
  CHECK(bytes_text(12.3 * 1024 * 1024) == "12.3 MiB");
  CHECK(bytes_text(456.0 * 1024 * 1024 * 1024) == "456 GiB");
  CHECK(bytes_text(1023.9 * 1024) == "1.00 MiB");  // never "1024 KiB"
  CHECK(bytes_text(3.0 * 1024 * 1024 * 1024 * 1024) == "3.00 TiB");
  CHECK(count_text(0) == "0");
  CHECK(count_text(9999) == "9999");
  CHECK(count_text(12345) == "12.3 k");
  CHECK(count_text(999999) == "1.00 M");
  CHECK(count_text(1234567) == "1.23 M");
  CHECK(count_text(4.5e9) == "4.50 G");
  CHECK(duration_text(0) == "0:00");
  CHECK(duration_text(8.4) == "0:08");
  CHECK(duration_text(754) == "12:34");
  CHECK(duration_text(3723) == "1:02:03");
  CHECK(duration_text(-5) == "0:00");
}

TEST_CASE("one streamed input: records, bytes of the total with the percentage, the rate and the ETA") {
  ProgressCounts c;
  c.records = 1234567;
  c.bytes_done = 12 * 1024 * 1024;
  c.bytes_total = 48 * 1024 * 1024;
  c.files_total = 1;
  // 12 MiB in 2 s: 6 MiB/s, 36 MiB left: 6 s.
  CHECK(progress_text("healcap scan", c, 2.0, "files") ==
        "healcap scan: 1.23 M records, 12.0 MiB of 48.0 MiB (25%), 6.00 MiB/s, ETA 0:06");
  // Nothing read yet: no rate, no ETA.
  c = {};
  c.bytes_total = 1000;
  c.files_total = 1;
  CHECK(progress_text("healcap annotate", c, 0.25, "files") == "healcap annotate: 0 records, 0 B of 1000 B (0%)");
}

TEST_CASE("a read past the total (an input read twice) shows 100% and no time left") {
  ProgressCounts c;
  c.records = 10;
  c.bytes_done = 3000;
  c.bytes_total = 2000;
  CHECK(progress_text("healcap scan", c, 1.0, "files") == "healcap scan: 10 records, 1.95 KiB of 1.95 KiB (100%), 2.93 KiB/s, ETA 0:00");
}

TEST_CASE("an input of unknown size (a pipe) shows the bytes read and the rate, without a total or ETA") {
  ProgressCounts c;
  c.records = 5000;
  c.bytes_done = 3 * 1024 * 1024;
  c.files_total = 1;
  CHECK(progress_text("healcap scan", c, 1.5, "files") == "healcap scan: 5000 records, 3.00 MiB read, 2.00 MiB/s");
}

TEST_CASE("one input read through its index: region queries done of the total are the measure") {
  ProgressCounts c;
  c.records = 97;
  c.regions_done = 12;
  c.regions_total = 48;
  c.bytes_total = 1 << 30;  // the file's size: not the measure, the read skips most of it
  c.files_total = 1;
  CHECK(progress_text("healcap scan", c, 0.5, "files") ==
        "healcap scan: 97 records, 12/48 region queries (25%), 24.0 queries/s, ETA 0:02");
}

TEST_CASE("several inputs: files done of the total, then records and bytes of all the inputs") {
  ProgressCounts c;
  c.files_done = 2;
  c.files_total = 5;
  c.records = 183000;
  c.bytes_done = 40 * 1024 * 1024;
  c.bytes_total = 100 * 1024 * 1024;
  c.regions_total = 30;  // an indexed input among them: bytes stay the measure
  CHECK(progress_text("healcap scan", c, 2.0, "files") ==
        "healcap scan: 2/5 files, 183 k records, 40.0 MiB of 100 MiB (40%), 20.0 MiB/s, ETA 0:03");
  // merge: partials, no records
  ProgressCounts m;
  m.files_done = 1;
  m.files_total = 4;
  m.bytes_done = 1024;
  m.bytes_total = 4096;
  CHECK(progress_text("healcap merge", m, 1.0, "partials") ==
        "healcap merge: 1/4 partials, 1.00 KiB of 4.00 KiB (25%), 1.00 KiB/s, ETA 0:03");
}

TEST_CASE("Progress adds each source's extent as changes, and an input read to its end counts its whole size") {
  Progress p;
  ReadExtent a{100, 1000, 0, 0};
  p.add_read(a, {});
  ReadExtent b{600, 1000, 0, 0};
  p.add_read(b, a);
  CHECK(p.snapshot().bytes_done == 600);
  p.finish_input(b);
  CHECK(p.snapshot().bytes_done == 1000);
  // An indexed input: regions, then its size at the end.
  ReadExtent r1{0, 5000, 2, 8}, r2{0, 5000, 8, 8};
  p.add_read(r1, {});
  p.add_read(r2, r1);
  p.finish_input(r2);
  const ProgressCounts c = p.snapshot();
  CHECK(c.regions_done == 8);
  CHECK(c.regions_total == 8);
  CHECK(c.bytes_done == 6000);
}

TEST_CASE("the driver feeds every record and every byte of the input to the progress counters, at 1, 2 and 4 threads") {
  const auto lines = cohort_lines();
  const std::string header = header_text(all_contigs());
  const std::string text = lines_text(lines);
  for (int threads : {1, 2, 4}) {
    CAPTURE(threads);
    Harness h(header);
    auto state = h.new_state();
    ScanFold fold(*state, h.work_hdr, false, nullptr, kPath);
    auto src = h.source(false, cut_lines(text, 3));
    Progress progress;
    DriverOptions opt;
    opt.threads = threads;
    opt.passes = h.passes;
    opt.work_hdr = h.work_hdr;
    opt.progress = &progress;
    run_driver(*src, opt, fold);
    const ProgressCounts c = progress.snapshot();
    CHECK(c.records == lines.size());
    CHECK(c.bytes_done == text.size());
  }
}
