// The biomarker layer in a run: its options (--biomarkers, --sample-map, --timepoints, --rcv, on scan, merge,
// report and biomarkers), its source (the files' bytes and options, which a partial carries so that merge needs
// no file), and the layer made for a run's samples (from a finished scan or from a run's JSON).
#pragma once

#include <boost/program_options/variables_map.hpp>

#include <memory>
#include <string>
#include <vector>

#include "biomarkers.h"
#include "help_format.h"
#include "json_reader.h"
#include "scan_result.h"

namespace healcap {

struct BiomarkerConfig {
  std::string path;                     // --biomarkers FILE; empty: no layer
  std::string sample_map;               // --sample-map FILE
  std::vector<std::string> timepoints;  // --timepoints LIST
  RcvLimits rcv = RcvLimits::kLognormal;  // --rcv
  bool given() const { return !path.empty(); }
};

// Adds --biomarkers (unless `with_file` is false: healcap biomarkers takes the file as its argument),
// --sample-map, --timepoints and --rcv to `group`.
void add_biomarker_options(OptionGroup& group, bool with_file = true);
// Reads them; throws UsageError ("healcap CMD: ...") for a bad --rcv or --timepoints, or a --sample-map,
// --timepoints or --rcv without a biomarker file (`file` overrides --biomarkers when not empty).
BiomarkerConfig read_biomarker_options(const boost::program_options::variables_map& vm, const std::string& cmd,
                                       const std::string& file = "");

// What the layer is made from: the files' bytes as read, and the options.
struct BiomarkerSource {
  std::string path, text;          // the file as given, its bytes
  std::string map_path, map_text;  // --sample-map; map_path empty: none
  std::vector<std::string> timepoints;
  RcvLimits rcv = RcvLimits::kLognormal;
  bool operator==(const BiomarkerSource& o) const {
    return path == o.path && text == o.text && map_path == o.map_path && map_text == o.map_text &&
           timepoints == o.timepoints && rcv == o.rcv;
  }
  bool operator!=(const BiomarkerSource& o) const { return !(*this == o); }
};
// Reads the files. Throws DataError naming a file that cannot be read.
BiomarkerSource load_biomarker_source(const BiomarkerConfig& cfg);
// The source as a partial's 'B' block, and back (std::runtime_error on bytes that do not decode).
std::string encode_biomarker_source(const BiomarkerSource& s);
BiomarkerSource decode_biomarker_source(const std::string& bytes);

// Parses the source and judges it for `genetic`'s samples. Throws BiomarkerInputError (exit 1) on bad input.
std::shared_ptr<const BiomarkerLayer> make_biomarker_layer(const BiomarkerSource& s, const GeneticSamples& genetic);
// Parses only (a scan writing a partial checks its file before it reads the VCF).
void check_biomarker_source(const BiomarkerSource& s);

// The run's samples and PGS000314's scores, from a finished scan or merge, or from a run's JSON document.
GeneticSamples genetic_samples(const ScanResult& r);
GeneticSamples genetic_samples(const JsonValue& run_root);

// The layer's lines on stderr: its counted warnings, and one line each for samples with biomarkers but no
// genotypes and genotyped samples without biomarkers (with counts), when there are any.
void print_biomarker_lines(const BiomarkerLayer& layer, const char* cmd);

}  // namespace healcap
