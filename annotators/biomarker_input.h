// The biomarker file (--biomarkers): long-format TSV or CSV, one measurement per row, parsed and checked into
// measurements in the canonical unit, with their timepoints put in one order. Text in, rows out: no file access.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "biomarker_reference.h"

namespace healcap {

// Bad biomarker input. what() is one line naming FILE:LINE (or the file) and what to do; exit 1.
class BiomarkerInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The file's columns: required, then optional.
const std::vector<std::string>& biomarker_required_columns();  // sample, marker, value, unit, timepoint
const std::vector<std::string>& biomarker_optional_columns();  // specimen, date, assay, lab, ref_low, ref_high, cv_analytical

// --sample-map FILE: lab sample id -> VCF sample id, two tab-separated columns, '#' comments and blank lines
// allowed, no header. Ids not in the map are used as they are.
struct SampleMap {
  std::string path;
  std::unordered_map<std::string, std::string> to_vcf;
};
// Throws BiomarkerInputError naming PATH:LINE for a line without exactly two non-empty fields, or a lab id
// mapped to two different samples.
SampleMap parse_sample_map(std::string_view text, const std::string& path);

// Which limits decide a verdict (--rcv).
enum class RcvLimits : uint8_t { kLognormal, kSymmetric };
std::string_view to_string(RcvLimits r);  // lognormal, symmetric

struct BiomarkerOptions {
  std::vector<std::string> timepoints;  // --timepoints, in order; empty: ordered by the rows' dates
  RcvLimits rcv = RcvLimits::kLognormal;
};

enum class Censor : uint8_t { kNone, kBelow, kAbove };  // a value written as is, <x, >x

// One measurement, as read and checked.
struct Measurement {
  int line = 0;                  // 1-based line in the file
  std::string sample;            // after --sample-map
  std::string lab_sample;        // as written
  std::optional<size_t> marker;  // the reference's marker; nullopt: unknown
  std::string marker_text;       // as written (trimmed)
  size_t unknown = 0;            // unknown marker: index into BiomarkerInput::unknown
  Specimen specimen = Specimen::kSerum;
  bool specimen_given = false;   // false: the default (the marker's first usual specimen; serum when unknown)
  std::string timepoint;
  std::string date;              // YYYY-MM-DD as written, empty when none
  std::optional<int64_t> day;    // the date as days since 1970-01-01
  std::string value_text, unit;  // as written (trimmed)
  Censor censor = Censor::kNone;
  double value = 0;              // the number written (the bound of a censored value), in the row's unit
  double canonical = 0;          // in the canonical unit (value x factor); unknown marker: the value as written
  std::optional<double> ref_low, ref_high;  // the lab's interval, converted like the value
  std::optional<double> cv_analytical;      // %, the lab's own
  std::string assay, lab;
};

struct UnknownMarker {
  std::string name;  // as first written
  size_t n_rows = 0;
  int first_line = 0;
};

struct BiomarkerInput {
  std::string path;      // as given
  std::string sha256;    // of the file's bytes
  size_t n_rows = 0;     // data rows read (duplicates included)
  char delimiter = '\t';
  std::vector<Measurement> rows;        // in file order; a row repeating an earlier one with the same value is dropped
  std::vector<std::string> timepoints;  // every timepoint of the file, in order
  bool by_date = true;                  // ordered by the rows' dates; false: by --timepoints
  std::vector<UnknownMarker> unknown;   // in order of first appearance
  std::vector<std::string> warnings;    // counted: one line per kind (unknown markers: one per marker)
  std::string sample_map_path;          // empty: no --sample-map
};

// Parses the file's text (`path` names it in messages). TSV or CSV from the name (.csv; .tsv, .tab, .txt),
// else from the header line (a tab: TSV). Quoted fields ("a ""b"", c") are read in both. '#' lines and blank
// lines before the header are skipped, blank lines after it too. Throws BiomarkerInputError for: an empty
// file or one without measurements, a missing required column, a column given twice, a row with another
// number of fields, an empty required field, a value that is not a number (or <x, >x), a negative
// concentration, a unit the marker does not accept, an unknown specimen, a bad date, a bad or negative
// ref_low/ref_high or ref_low above ref_high, a cv_analytical not above 0, a duplicate (sample, marker,
// timepoint, specimen) with another value or date, and timepoints that cannot be ordered (no date and not
// in --timepoints, a timepoint not in --timepoints, dates that contradict the order).
BiomarkerInput parse_biomarker_input(std::string_view text, const std::string& path, const SampleMap* map,
                                     const BiomarkerOptions& opt, const BiomarkerReference& ref);

// Days since 1970-01-01 of a YYYY-MM-DD date (a real calendar date), else nullopt.
std::optional<int64_t> parse_iso_date(std::string_view s);

}  // namespace healcap
