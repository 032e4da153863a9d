// `healcap biomarkers`: the biomarker layer without a VCF: PREFIX.biomarkers.tsv and PREFIX.biomarkers.json from a
// biomarker file, for the samples of a run's JSON when --samples gives one.
#include <boost/program_options.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>

#include "atomic_outputs.h"
#include "biomarker_layer.h"
#include "biomarker_report.h"
#include "commands.h"
#include "errors.h"
#include "help_format.h"
#include "json_reader.h"
#include "output_file.h"

namespace po = boost::program_options;

namespace healcap {

int run_biomarkers_command(const Invocation& inv) {
  OptionGroup input("Input options"), layer("Biomarker options"), outputs("Output options"), general("General options");
  input.add_options()("samples", po::value<std::string>()->value_name("RUN.json"),
                      "the run whose samples the measurements belong to (PREFIX.json of healcap scan or merge): "
                      "genotyped or not, and PGS000314 beside CRP [none: genotypes unknown]");
  add_biomarker_options(layer, false);
  outputs.add_options()("out", po::value<std::string>()->value_name("PREFIX"),
                        "write PREFIX.biomarkers.tsv and PREFIX.biomarkers.json (required)");
  general.add_options()("quiet", "no closing summary on stderr; warnings and errors still appear")("help,h", "print this help and exit");
  const std::vector<const OptionGroup*> groups = {&input, &layer, &outputs, &general};
  po::options_description all;
  for (const auto* g : groups) all.add(*g);
  all.add_options()("file", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("file", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(inv.args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("healcap biomarkers: ") + e.what() + "; see 'healcap biomarkers --help'");
  }
  if (vm.count("help")) {
    std::cout << format_help(
        "healcap biomarkers [options] --out PREFIX <FILE>",
        "Judge lab measurements (CRP, IL-6, TNF-alpha, IL-1beta, IL-10, TGF-beta1, MMPs, TIMP-1, PGE2, ...; a TSV or\n"
        "CSV file, one measurement per row) without a VCF: values in the canonical unit, flags against the lab's\n"
        "interval, the hs-CRP category, and each change against the reference change value. Writes\n"
        "PREFIX.biomarkers.tsv and PREFIX.biomarkers.json ('scan --biomarkers' puts the same into a run).\n"
        "Research use only: not a diagnosis; never folded into the genetic index.",
        groups);
    return 0;
  }
  const auto fail = [](const std::string& m) -> void {
    throw UsageError("healcap biomarkers: " + m + "; see 'healcap biomarkers --help'");
  };
  if (!vm.count("file")) fail("missing the biomarker file (TSV or CSV)");
  const auto& files = vm["file"].as<std::vector<std::string>>();
  if (files.size() > 1) fail("one biomarker file at a time; got '" + files[1] + "' as well");
  if (!vm.count("out") || vm["out"].as<std::string>().empty()) fail("--out PREFIX is required");
  const std::string prefix = vm["out"].as<std::string>();
  const BiomarkerConfig cfg = read_biomarker_options(vm, "biomarkers", files[0]);
  check_output_folder(prefix, "--out");
  const BiomarkerSource source = load_biomarker_source(cfg);
  GeneticSamples genetic;
  if (vm.count("samples")) {
    const std::string path = vm["samples"].as<std::string>();
    std::ifstream f(path, std::ios::binary);
    if (!f) throw DataError(path + ": cannot open the run's JSON (--samples): " + std::strerror(errno));
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (f.bad()) throw DataError(path + ": read error: " + std::strerror(errno));
    const JsonDocument doc = JsonDocument::parse(text, path);
    genetic = genetic_samples(doc.root());
  }
  const auto bm = make_biomarker_layer(source, genetic);
  OutputSet set;
  OutputFile tsv(prefix + ".biomarkers.tsv", OutputFile::Compression::kNone, &set);
  tsv.write(biomarkers_tsv(*bm, BiomarkerReference::bundled()));
  tsv.close();
  OutputFile json(prefix + ".biomarkers.json", OutputFile::Compression::kNone, &set);
  json.write(biomarkers_json_document(*bm, BiomarkerReference::bundled()));
  json.close();
  set.publish();
  print_biomarker_lines(*bm, "biomarkers");
  if (!vm.count("quiet"))
    std::fprintf(stderr, "healcap biomarkers: %s: %zu rows, %zu samples, %zu timepoints (%s); wrote %s, %s\n",
                 source.path.c_str(), bm->input.n_rows, bm->samples.size(), bm->input.timepoints.size(),
                 bm->input.by_date ? "ordered by date" : "ordered by --timepoints", tsv.path().c_str(), json.path().c_str());
  return 0;
}

}  // namespace healcap
