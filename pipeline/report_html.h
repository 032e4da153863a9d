// The HTML report: one self-contained page (inline CSS, SVG and script; no network) rendered from a run's JSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "report_model.h"

namespace healcap {

// What the report highlights and how it summarises; README "healcap report" documents each.
constexpr double kReportLowCallRate = 0.9;            // a site whose call rate is below this
constexpr double kReportHweP = 1e-6;                  // a site whose HWE exact-test p-value is below this
constexpr double kReportEafDifference = 0.15;         // |counted-allele frequency - panel EAF| above this ...
constexpr int64_t kReportMinCalledForFrequency = 10;  // ... with at least this many samples called
// A sample has too little data when its index is NA or its completeness is below --min-completeness (when the
// run set it), else below this.
constexpr double kReportLowCompleteness = 0.5;
constexpr size_t kReportHistogramBins = 20;
// The ledger shows every row up to this many; beyond, the rows with a problem or scored (then the first
// rows), up to this many, with a note pointing to PREFIX.sites.tsv.
constexpr size_t kReportMaxLedgerRows = 2000;
// The cards' per-sample genotypes are embedded as one code per sample and site with calls; beyond this many
// characters they are left out (with a note) and the cards show the scores only.
constexpr size_t kReportMaxGenotypeChars = 16u << 20;

// The run's panels in words: "NAME VERSION" for a panel TSV, "PGS_ID (NAME)" for a PGS Catalog score, joined
// by " + ".
std::string report_panels_title(const RunReport& r);

// Renders the page. Deterministic: the same report gives the same bytes.
std::string render_report_html(const RunReport& r);

// Parses `json` (named `origin` in messages), reads it as a run and renders it. Throws JsonError or DataError
// "ORIGIN:LINE:COLUMN: problem".
std::string report_html_from_json(std::string_view json, const std::string& origin);

// Millionths of a number written with at most 6 decimals (healcap's fixed6), exactly; other numbers are
// rounded. nullopt for null.
std::optional<int64_t> report_millionths(const ReportNumber& x);
// The fixed6 text of a number of millionths: 946530 -> "0.946530".
std::string millionths_text(int64_t m);

}  // namespace healcap
