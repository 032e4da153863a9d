// What the HTML report shows, read and checked from a run's JSON document (PREFIX.json of scan or merge).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_reader.h"

namespace healcap {

// A number of the document, or null: its value and its text exactly as written (healcap writes indexes,
// completeness and z-scores with 6 decimals, as samples.tsv does).
struct ReportNumber {
  bool present = false;
  double value = 0;
  std::string text;
};

// One sample's statistics over a group of panel rows (all, a pathway or a trait).
struct ReportGroup {
  int64_t n_rows = 0;
  std::vector<int64_t> n_state;  // per call state, in RunReport::call_states order
  ReportNumber completeness, index, z_score, weighted_sum;
  // What the z-score rests on (healcap 1.1; absent in older runs' JSON: n_z_sites -1).
  int64_t n_z_sites = -1;
  ReportNumber z_weight_share;
  std::string z_note;  // why z_score is NA; empty when it is not
};

// One sample's scores over one panel of the run.
struct ReportScores {
  ReportGroup all;
  std::vector<ReportGroup> by_pathway, by_trait;  // in its ReportPanel's pathways / traits order (none for a score)
  std::optional<bool> below_min_completeness;     // present when the run had --min-completeness
};

struct ReportSample {
  std::string name;
  std::vector<ReportScores> panels;  // in RunReport::panels order
};

// One panel of the run: the JSON's "panels" list, or its "panel" object when a run over one panel TSV has no list.
struct ReportPanel {
  std::string id;     // "" when the JSON has no "panels" list
  bool score = false;  // kind pgs_catalog (a PGS Catalog scoring file), else healcap_tsv
  std::string kind, name, version, sha256, file;  // version "" for a score
  int64_t n_rows = 0;
  int64_t n_rows_placed = -1, n_scored_rows = -1;  // -1 when the JSON has no "panels" list
  bool grades_apply = true;
  // A score's: its PGS id, where its positions come from, its build, the variant rows of its file, the rows
  // skipped (reason, rows) and its header (#key=value, in order).
  std::string pgs_id, positions, genome_build;
  int64_t n_file_rows = 0;
  std::vector<std::pair<std::string, int64_t>> skipped;
  std::vector<std::pair<std::string, std::string>> header;
  std::vector<std::string> pathways, traits;  // the samples' by_pathway / by_trait keys for this panel, in order
  // The value of a header key, "" when absent.
  std::string header_value(std::string_view key) const;
};

struct ReportLocus {
  bool present = false;
  std::string chrom, id, ref, alt;  // id: the record's (seen only)
  int64_t pos = 0;                  // 1-based
};

// A sample's call at a row: GT as bcftools query prints it, the call state's code letter (RunReport::call_states)
// and the effect allele's dosage as written ("" when unknown).
struct ReportCall {
  std::string gt;
  char state = 0;
  std::string dosage;
  bool operator==(const ReportCall& o) const { return state == o.state && gt == o.gt && dosage == o.dosage; }
};

// One panel row of the ledger.
struct ReportSite {
  // gene, pathway, trait, grade: "" when null (a score's rows); other_allele: "" when null or absent.
  std::string id, rsid, gene, pathway, trait, state, reason, model, effect_allele, other_allele, grade, evidence, note;
  size_t panel = 0;  // index into RunReport::panels
  bool scored = false;
  ReportNumber weight, eaf;
  ReportLocus panel_locus, seen;
  int64_t n_records = 0;
  std::vector<int64_t> state_counts;  // per call state, in RunReport::call_states order
  bool has_calls = false;             // the fields below are present, and a call per sample exists
  std::string match, dosage_source, counted_allele;
  std::optional<int64_t> alt_index;
  bool ref_verified = false;
  int64_t n_called = 0;
  ReportNumber call_rate, counted_freq, hwe_p;
  // Each sample's call at the row, once loaded (RunReport::calls_loaded): the distinct calls in the order the
  // samples first have them, and each sample's index into them.
  std::vector<ReportCall> calls;
  std::vector<uint32_t> call_of;  // per sample
};

// One input of a run over several.
struct ReportInput {
  std::string path, format, read, build, build_chosen_by, contig_style, ref_concordance;
  int64_t n_samples = 0, n_records_read = 0;
};

struct ReportContig {
  std::string name;
  int64_t n_records = 0, first_pos = 0, last_pos = 0;
};

// --- the biomarker layer (issue 12): the run JSON's optional "biomarkers" object, written by the biomarker
// engine and shown beside the genetic index. Text is "" where the JSON has null; numbers keep their text.

// One measurement of a marker at a timepoint, in the marker's canonical unit.
struct ReportBmValue {
  std::string timepoint;
  size_t tp = 0;                     // its index in ReportBiomarkers::timepoints
  std::string date, text, censored;  // text as written in the canonical unit ("4.1", "<0.15"); censored "", "<" or ">"
  ReportNumber value, bound;         // value: null when censored; bound: the assay's limit a censored value lies beyond
  std::string written_value, written_unit;  // as_written: the row's value and unit before conversion
  ReportNumber ref_low, ref_high;           // the lab's reference interval, in the canonical unit
  std::string ref_flag, category, assay, lab;
  ReportNumber cv_analytical;
};

// A change between two timepoints, judged against the reference change value (RCV).
struct ReportBmChange {
  std::string from, to, kind;  // kind: consecutive or baseline_to_last
  size_t from_tp = 0, to_tp = 0;
  ReportNumber abs_change, pct_change, cv_within, cv_analytical;
  std::string cv_analytical_from;  // "", row or bundled
  ReportNumber rcv_symmetric, rcv_lower, rcv_upper;
  std::string verdict, direction, text;  // direction "" when null
};

struct ReportBmMarker {
  std::string marker, specimen, unit, role;  // specimen and role "" when null
  bool known = false;
  std::vector<ReportBmValue> values;
  std::vector<ReportBmChange> changes;
};

// A sample's pro-inflammatory markers at one timepoint: measured, with a lab range, above it.
struct ReportBmTimepoint {
  std::string timepoint;
  size_t tp = 0;
  int64_t n_measured = 0, n_with_range = 0, n_above = 0;
};

struct ReportBmSample {
  std::string name;
  bool genotyped = false;
  std::vector<ReportBmTimepoint> by_timepoint;
  // Baseline to last, over the sample's markers.
  int64_t n_improved = 0, n_worsened = 0, n_within_variation = 0, n_no_rcv = 0, n_not_computable = 0;
  std::vector<ReportBmMarker> markers;
};

struct ReportBmRefMarker {
  std::string marker, role, canonical_unit, decrease_means, role_source;
  std::vector<std::string> synonyms;
};

struct ReportBmVariation {
  std::string marker, specimen, citation, status;
  ReportNumber cv_within, cv_analytical, cv_between, critical_difference;
};

struct ReportBmCategory {
  std::string marker, category, unit, meaning, citation, notes;
  ReportNumber low, high;  // [low, high), high null when open
};

struct ReportBmPair {
  std::string sample, censored;
  ReportNumber score, baseline_crp;
};

// The genetic CRP score beside measured baseline CRP: a descriptive check, not a validation.
struct ReportCrpGenetic {
  std::string panel, column, label;
  int64_t n = 0;
  ReportNumber pearson_r, spearman_rho;
  std::vector<ReportBmPair> pairs;
};

struct ReportBiomarkers {
  bool present = false;  // the run JSON has the object (the run was given --biomarkers)
  std::string research_use, file, sha256, sample_map;
  int64_t n_rows = 0;
  std::string verdict_limits, rcv_p, formula_symmetric, formula_lognormal, rcv_source;  // the "rcv" object
  ReportNumber rcv_z;
  std::vector<std::string> timepoints;
  std::string timepoint_order;
  std::vector<ReportBmRefMarker> ref_markers;
  std::vector<ReportBmVariation> variation;
  std::vector<ReportBmCategory> categories;
  std::vector<std::string> caveats;
  std::vector<std::pair<std::string, int64_t>> unknown_markers;  // name as written, rows
  std::vector<std::string> samples_without_genotypes, genotyped_without_biomarkers;
  std::vector<ReportBmSample> samples;
  std::optional<ReportCrpGenetic> crp_genetic;
};

struct RunReport {
  std::string version, research_use;
  std::string command_line;
  int64_t threads = 0;
  std::vector<std::string> partials;
  // The input (path empty when null: several inputs), or the inputs and the failed ones.
  std::string input_path, input_format, input_read;
  int64_t n_samples = 0, n_records_read = 0;
  std::vector<ReportContig> contigs;
  std::vector<ReportInput> inputs;
  std::vector<std::pair<std::string, std::string>> failed;  // path, reason
  std::string build_name, build_chosen_by, contig_style, ref_concordance, build_summary;
  std::vector<std::string> build_warnings;
  bool panels_listed = false;      // the JSON has the "panels" list (several panels, or a PGS Catalog score)
  std::vector<ReportPanel> panels;  // at least one
  std::vector<std::string> grades_scored;
  std::vector<std::pair<char, std::string>> call_states;  // code letter and name, in the JSON's order
  std::string dosage, call_state_options;
  std::string eaf_population;  // the z-score's population (scoring.eaf_population); empty in older runs' JSON
  ReportNumber min_completeness;
  std::vector<std::string> formula;
  std::vector<ReportSample> samples;
  std::vector<ReportSite> sites;
  ReportBiomarkers biomarkers;
  // The per-sample calls: the file the run wrote them to (run.calls_file, a name beside the JSON; "" when none),
  // whether every row with calls has them loaded (ReportSite::calls), and otherwise why not, for the page.
  std::string calls_file;
  bool calls_loaded = false;
  std::string calls_note;
};

// How many sample-site calls the run has (the rows with calls times the samples): the report embeds them up to
// kReportMaxGenotypeChars.
size_t report_call_count(const RunReport& r);

// Sets the row's calls from one ReportCall per sample, in sample order: the distinct calls in the order of first
// appearance, and each sample's index into them.
void set_site_calls(ReportSite& s, const std::vector<ReportCall>& calls);

// Each row's calls from `calls(site)`, a function giving one ReportCall per sample in sample order: fills
// ReportSite::calls and call_of of every row with calls and sets calls_loaded.
void set_report_calls(RunReport& r, const std::function<void(size_t site, std::vector<ReportCall>& out)>& calls);

// Reads a run's PREFIX.calls.tsv.gz (named `path`) into the rows of `r` that have calls. Throws DataError
// "PATH[:LINE]: problem; what to do" when the file cannot be opened or read, is not a calls file, names a row or
// sample the run does not have, or lacks or repeats a call.
void read_report_calls(const std::string& path, RunReport& r);

// Reads a run's JSON document. Throws DataError "ORIGIN:LINE:COLUMN: problem" naming the value that is
// missing or of the wrong kind; a document without the top-level "healcap" object is "not a healcap run". The
// optional "biomarkers" object is read as strictly (its places start "biomarkers.").
RunReport read_run_report(const JsonValue& root);

// Reads a "biomarkers" object (as the run JSON holds it) for the run `r` (its samples decide "genotyped"), for a
// caller that has the object apart from the run's document. Throws DataError like read_run_report, the places
// starting "biomarkers.".
ReportBiomarkers read_report_biomarkers(const JsonValue& biomarkers, const RunReport& r);

}  // namespace healcap
