// The HTML report's biomarker layer (issue 12): the Biomarkers section and the compact data the sample cards
// draw their biomarker plots from. It renders the run JSON's "biomarkers" object; it computes no judgement.
#pragma once

#include <cstddef>
#include <string>

#include "report_model.h"

namespace healcap {

// The section lists at most this many names of samples with biomarkers but no genotypes (and the reverse);
// PREFIX.json holds every one.
constexpr size_t kReportMaxListedBiomarkerSamples = 500;

// Appends <section id="biomarkers"> when the run has biomarkers (nothing otherwise): the research-use line,
// the input and RCV settings, the cohort table of baseline-to-last changes per marker and specimen, the
// timepoint summary, unknown markers and unmatched samples, the genetic CRP score beside baseline CRP, and the
// reference facts with their citations. Every value from an input is escaped.
void render_biomarker_section(std::string& h, const RunReport& r);

// Appends ,"bm":{...} to the data block's top-level object when the run has biomarkers (nothing otherwise):
// per sample with biomarker rows, its summary and each marker's values and changes, in positional arrays with
// repeated text in one string table (the layout is described in report_biomarkers.cpp and read by report.js).
// Strings are written for a script context (append_script_json_string).
void append_biomarker_card_data(std::string& h, const RunReport& r);

}  // namespace healcap
