// The text healcap gives MultiQC: shown as written in its HTML, readable as UTF-8 lines, and ids that never collide.
#include <doctest/doctest.h>

#include <string>

#include "sinks/multiqc.h"

using healcap::multiqc_id;
using healcap::multiqc_text;

TEST_CASE("multiqc_text keeps ordinary names and writes markup as entities") {
  CHECK(multiqc_text("S1.vcf.gz") == "S1.vcf.gz");
  CHECK(multiqc_text("pop/EX05 1001") == "pop/EX05 1001");
  const std::string unicode = "\xc3\x9c" "n" "\xc3\xaf" "c" "\xc3\xb8" "d" "\xc3\xa9";  // Ünïcødé
  CHECK(multiqc_text(unicode) == unicode);
  CHECK(multiqc_text("\xf0\x9f\xa7\xac") == "\xf0\x9f\xa7\xac");                                    // a 4-byte character
  CHECK(multiqc_text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;");
  CHECK(multiqc_text("a&b \"q\" O'Brien") == "a&amp;b &quot;q&quot; O&#39;Brien");
}

TEST_CASE("multiqc_text writes what would end a line or break UTF-8 as visible escapes") {
  CHECK(multiqc_text(std::string("a\tb\nc\rd\x0b" "e\x1c" "f\x7f", 12)) == "a\\x09b\\x0ac\\x0dd\\x0be\\x1cf\\x7f");
  CHECK(multiqc_text(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(multiqc_text("x\xc2\x85y") == "x\\u0085y");        // NEL
  CHECK(multiqc_text("x\xe2\x80\xa8y\xe2\x80\xa9") == "x\\u2028y\\u2029");
  CHECK(multiqc_text("\xef\xbf\xbf") == "\\uffff");
  CHECK(multiqc_text("\xff\xc3") == "\\xff\\xc3");         // not UTF-8; a sequence cut short
  CHECK(multiqc_text("\xc0\xaf") == "\\xc0\\xaf");         // an overlong '/'
  CHECK(multiqc_text("\xed\xa0\x80") == "\\xed\\xa0\\x80"); // a surrogate
  CHECK(multiqc_text("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
}

TEST_CASE("multiqc_id keeps A-Z a-z 0-9 . _ - and writes every other byte as %HH, so labels never share an id") {
  CHECK(multiqc_id("cohort.chr1_v2-b") == "cohort.chr1_v2-b");
  CHECK(multiqc_id("my run") == "my%20run");
  CHECK(multiqc_id("100%") == "100%25");
  CHECK(multiqc_id("my%20run") != multiqc_id("my run"));
  CHECK(multiqc_id("\xc3\xa9") == "%C3%A9");
}
