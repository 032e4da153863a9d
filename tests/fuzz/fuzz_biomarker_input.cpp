// libFuzzer target: the biomarker file parser (annotators/biomarker_input.h), then the judgement and the
// layer's outputs (biomarkers_json, biomarkers_tsv, samples.tsv's summary cells) over what it read.
//
// Input:  byte 0   bit 0: the file is named .csv (else .tsv); bit 1: it has no extension (the header decides);
//                  bit 2: --rcv symmetric; bit 3: a --sample-map (the text after the first NUL byte);
//                  bit 4: --timepoints (the first line of the text, comma-separated); bit 5: the run knows its
//                  samples (the first 3 sample names met, and "EXTRA" unless met), with PGS000314 scores
//         the rest   the biomarker file's text (then, with bit 3, a NUL and the map's text)
// Every input must end in a BiomarkerInput or a BiomarkerInputError, the parser's one documented error. What it
// reads must hold: each series' values in timepoint order, one row per measurement in the TSV, every TSV row as
// wide as its header, and the JSON readable by healcap's own JSON reader with one sample per layer sample.
#include <algorithm>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "biomarker_input.h"
#include "biomarker_report.h"
#include "biomarkers.h"
#include "fuzz_support.h"
#include "json_reader.h"

using namespace healcap;

namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::stringstream ss(s);
  for (std::string t; std::getline(ss, t, ',');)
    if (!t.empty() && seen.insert(t).second) out.push_back(t);  // as --timepoints accepts them
  return out;
}

size_t count_fields(const std::string& line) {
  size_t n = 1;
  for (char c : line) n += c == '\t';
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  healcap_fuzz::init();
  (void)BiomarkerReference::bundled();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  healcap_fuzz::ByteReader in(data, size);
  const uint8_t flags = in.u8();
  std::string text = in.rest(), map_text;
  const bool with_map = flags & 8;
  if (with_map) {
    const size_t nul = text.find('\0');
    if (nul != std::string::npos) {
      map_text = text.substr(nul + 1);
      text.resize(nul);
    }
  }
  BiomarkerOptions opt;
  opt.rcv = flags & 4 ? RcvLimits::kSymmetric : RcvLimits::kLognormal;
  if (flags & 16) {
    const size_t nl = text.find('\n');
    opt.timepoints = split_commas(text.substr(0, nl));
    text = nl == std::string::npos ? std::string() : text.substr(nl + 1);
  }
  const std::string path = flags & 2 ? "bm" : flags & 1 ? "bm.csv" : "bm.tsv";
  const BiomarkerReference& ref = BiomarkerReference::bundled();
  BiomarkerInput input;
  try {
    SampleMap map;
    if (with_map) map = parse_sample_map(map_text, "map.tsv");
    input = parse_biomarker_input(text, path, with_map ? &map : nullptr, opt, ref);
  } catch (const BiomarkerInputError& e) {
    healcap_fuzz::note(std::string("refused: ") + e.what());
    return 0;
  } catch (...) {
    healcap_fuzz::fail("the biomarker parser threw something other than a BiomarkerInputError: " +
                       healcap_fuzz::current_exception_text());
  }
  if (input.rows.empty()) healcap_fuzz::fail("a file without measurements was accepted");
  GeneticSamples genetic;
  if (flags & 32) {
    genetic.known = true;
    for (const Measurement& m : input.rows)
      if (genetic.samples.size() < 3 && std::find(genetic.samples.begin(), genetic.samples.end(), m.sample) == genetic.samples.end())
        genetic.samples.push_back(m.sample);
    // A run's sample names are unique (a VCF header's are): "EXTRA" only when the file has not named it.
    if (std::find(genetic.samples.begin(), genetic.samples.end(), "EXTRA") == genetic.samples.end())
      genetic.samples.push_back("EXTRA");
    genetic.has_crp_score = true;
    genetic.crp_panel = kCrpPgsId;
    genetic.crp_column = "weighted_sum";
    for (size_t k = 0; k < genetic.samples.size(); ++k) genetic.crp_scores.push_back(0.25 * static_cast<double>(k));
  }
  const size_t n_rows = input.rows.size();
  BiomarkerLayer layer;
  judge_biomarkers(layer, std::move(input), ref, opt.rcv, genetic);
  // The series: every measurement in exactly one, in timepoint order.
  size_t n_values = 0;
  for (const BmSample& s : layer.samples)
    for (const BmSeries& r : s.series) {
      n_values += r.values.size();
      for (size_t i = 1; i < r.values.size(); ++i) {
        const auto& tps = layer.input.timepoints;
        const auto a = std::find(tps.begin(), tps.end(), layer.input.rows[r.values[i - 1].row].timepoint);
        const auto b = std::find(tps.begin(), tps.end(), layer.input.rows[r.values[i].row].timepoint);
        if (a == tps.end() || b == tps.end() || !(a < b)) healcap_fuzz::fail("a series' values are not in timepoint order");
      }
      if (r.values.size() >= 2 && (r.changes.empty() || !r.changes.back().baseline_to_last))
        healcap_fuzz::fail("a series of two or more values without its baseline-to-last change");
    }
  if (n_values != n_rows) healcap_fuzz::fail("the series hold " + std::to_string(n_values) + " values of " + std::to_string(n_rows) + " rows");
  // The TSV: two header lines, one row per measurement, each as wide as the header.
  std::istringstream tsv(biomarkers_tsv(layer, ref));
  std::string line;
  std::getline(tsv, line);
  std::getline(tsv, line);
  const size_t width = count_fields(line);
  size_t n_lines = 0;
  while (std::getline(tsv, line)) {
    ++n_lines;
    if (count_fields(line) != width) healcap_fuzz::fail("a TSV row of another width than its header: " + line);
  }
  if (n_lines != n_rows) healcap_fuzz::fail("the TSV has " + std::to_string(n_lines) + " rows for " + std::to_string(n_rows) + " measurements");
  // The JSON: healcap's own reader reads it back.
  try {
    const JsonDocument doc = JsonDocument::parse(biomarkers_json_document(layer, ref), "fuzz.json");
    const auto b = doc.root().find("biomarkers");
    if (!b || !b->find("samples") || b->find("samples")->size() != layer.samples.size())
      healcap_fuzz::fail("the JSON does not list the layer's samples");
  } catch (const JsonError& e) {
    healcap_fuzz::fail(std::string("the layer's JSON does not read back: ") + e.what());
  }
  std::ostringstream cells;
  biomarker_summary_header(cells, layer);
  for (const std::string& s : genetic.samples) biomarker_summary_cells(cells, layer, s);
  return 0;
}
