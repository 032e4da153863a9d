// `healcap scan`: options into a ScanConfig (shared with annotate); open the input, scan it into a state, finish
// the state into the outputs, published whole or not at all.
#include "scan_command.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <iostream>
#include <memory>
#include <sstream>


#include "cohort.h"
#include "commands.h"
#include "contig.h"
#include "driver.h"
#include "calls_options.h"
#include "partial.h"
#include "progress.h"
#include "errors.h"
#include "help_format.h"
#include "panel.h"
#include "scan_report.h"
#include "scan_steps.h"
#include "sink.h"
#include "thread_count.h"
#include "version.h"

namespace po = boost::program_options;

namespace healcap {

namespace {

std::string number_text(double x) {
  std::ostringstream o;
  o << x;
  return o.str();
}

// The command's help: usage, what it does, and its options by group (help_format.h).
std::string usage(bool annotate, const std::vector<const OptionGroup*>& groups) {
  if (annotate)
    return format_help("healcap annotate [options] <in.vcf|in.vcf.gz|in.bcf|->",
                       "Pass every record through to the output, tagging panel hits with HC_* INFO fields\n"
                       "(like bcftools annotate, for the healing panel).",
                       groups);
  return format_help("healcap scan [options] (--out PREFIX | --partial FILE) <in.vcf|in.vcf.gz|in.bcf|->... | --file-list FILE",
                     "Find the panel's sites in a VCF/BCF and write per-sample healing-capacity summaries:\n"
                     "PREFIX.samples.tsv, PREFIX.sites.tsv, PREFIX.json and MultiQC files; each sample's calls in\n"
                     "PREFIX.calls.tsv.gz (up to --calls-max-samples samples, or with --calls); with --html,\n"
                     "PREFIX.html; with -o, the panel-hit records.\n"
                     "Research use only: the scores are not a diagnosis.",
                     groups);
}

std::array<bool, 5> parse_grades(const std::string& list) {
  std::array<bool, 5> g{};
  std::stringstream ss(list);
  std::string item;
  bool any = false;
  while (std::getline(ss, item, ',')) {
    const auto x = parse_grade(item);
    if (!x || *x == EvidenceGrade::kNone)
      throw UsageError("--grades: '" + item + "' is not a scorable grade; use replicated, suggestive, contested, null");
    g[static_cast<size_t>(*x)] = true;
    any = true;
  }
  if (!any) throw UsageError("--grades: give at least one grade");
  return g;
}

}  // namespace

std::string default_grades_text() {
  std::string s;
  for (int g = 0; g <= static_cast<int>(EvidenceGrade::kNone); ++g)
    if (scored_by_default(static_cast<EvidenceGrade>(g)))
      s += (s.empty() ? "" : ",") + std::string(to_string(static_cast<EvidenceGrade>(g)));
  return s;
}

ScanConfig parse_scan_args(const std::vector<std::string>& args, bool annotate) {
  ScanConfig cfg;
  cfg.annotate = annotate;
  const std::string cmd = annotate ? "annotate" : "scan";
  // One options_description per group, in the order the help prints them (help_format.h).
  OptionGroup input("Input options"), panel("Panel and scoring options"), calls("Calls and filters"),
      samples("Sample options"), regions("Region options"), outputs("Output options"), biomarkers("Biomarker options"),
      shards("Shard options"), performance("Performance options"), general("General options");
  if (!annotate)
    input.add_options()("file-list", po::value<std::string>()->value_name("FILE"),
                        "inputs, one path per line ('#' comments and blank lines allowed), after those on the command line");
  input.add_options()("build", po::value<std::string>()->value_name("auto|GRCh37|GRCh38")->default_value("auto"),
                      "genome build of the input [auto: header contig lengths, then ##reference / assembly=, then REF "
                      "concordance]");
  if (!annotate)
    input.add_options()("index", po::value<std::string>()->value_name("FILE"),
                        "index of the input: only the panel's positions are read [FILE.csi or FILE.tbi when present]")(
        "stream", "read every record even when the input has an index")(
        "validate", "parse every record with htslib, as bcftools would (columns, CHROM/POS, REF/ALT, INFO, FORMAT, "
                    "samples), not only those at panel positions; implies --stream")(
        "keep-going", "a file that fails is listed in the JSON and PREFIX.failed.tsv, the others are still read; exit 1");
  panel.add_options()("panel", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
                      "panel TSV or PGS Catalog scoring file (.txt or .txt.gz); repeat for several panels, each scored "
                      "apart ('bundled' names the bundled panel) [the bundled healing panel]")(
      "pgs-skip-unsupported", "skip and count the PGS Catalog rows healcap cannot score (haplotypes, interactions, "
                              "non-ACGT alleles, ...) instead of refusing the file");
  if (!annotate)
    panel.add_options()("grades", po::value<std::string>()->value_name("LIST")->default_value(default_grades_text()),
                        "evidence grades to score: replicated, suggestive, contested, null")(
        "eaf-population", po::value<std::string>()->value_name("POP")->default_value("EUR"),
        "the population whose effect-allele frequencies the z-score's expectation uses: EUR, AFR, AMR, EAS or SAS; "
        "rows without one are left out of it and counted");
  panel.add_options()(
      "min-ref-concordance",
      po::value<double>()->value_name("X")->default_value(kDefaultMinRefConcordance, number_text(kDefaultMinRefConcordance)),
      "fail when fewer than this share of records at panel sites carry the panel's REF");
  if (!annotate)
    panel.add_options()("min-completeness", po::value<double>()->value_name("X"), "flag samples whose completeness is below X")(
        "fail-on-incomplete", "exit 3 when a sample is below --min-completeness (outputs are still written)")(
        "allow-no-hits", "exit 0 even when no panel site is found (the outputs say so)");
  calls.add_options()("dosage", po::value<std::string>()->value_name("auto|GT|DS|GP")->default_value("auto"),
                      "dosage source [auto: HDS, then DS, then GP, then GT]")(
      "pass-only", "calls at records whose FILTER is not PASS (or '.') are filtered")(
      "min-gq", po::value<int>()->value_name("N")->default_value(0), "calls with GQ below N are filtered [0: off]")(
      "min-dp", po::value<int>()->value_name("N")->default_value(0), "calls with DP below N are filtered [0: off]");
  if (!annotate)
    calls.add_options()("callable", po::value<std::string>()->value_name("BED"),
                        "regions known to be callable: a panel site there without a record is homozygous reference")(
        "absent-as-ref", "all-sites VCF: a panel site without a record is homozygous reference");
  samples.add_options()("samples,s", po::value<std::string>()->value_name("[^]LIST"),
                        "samples to keep, comma-separated (^ excludes them)")(
      "samples-file,S", po::value<std::string>()->value_name("[^]FILE"), "samples to keep, one per line (^ excludes them)")(
      "force-samples", "warn, rather than fail, about requested samples the input does not have");
  if (!annotate)
    regions.add_options()("regions,r", po::value<std::string>()->value_name("REG,..."),
                          "read only these regions, through the index (chr1, chr17:48000000-49000000, 2:100-)")(
        "regions-file,R", po::value<std::string>()->value_name("FILE"),
        "regions, one per line: CHROM, CHROM<TAB>POS or CHROM<TAB>BEG<TAB>END; *.bed is BED")(
        "targets,t", po::value<std::string>()->value_name("[^]REG,..."), "scan only these regions while streaming (^: all but these)")(
        "targets-file,T", po::value<std::string>()->value_name("[^]FILE"), "targets, one per line (^: all but these)");
  if (annotate) {
    outputs.add_options()("output,o", po::value<std::string>()->value_name("FILE")->default_value("-"), "output file [stdout]")(
        "compress-level,l", po::value<int>()->value_name("0-9"),
        "BGZF compression level of -O z and -O b, as htslib's: 1 fastest to 9 smallest; 0 writes uncompressed BGZF "
        "blocks (fastest, largest) [6, htslib's default]");
  } else {
    outputs.add_options()("out", po::value<std::string>()->value_name("PREFIX"),
                          "write PREFIX.samples.tsv, PREFIX.sites.tsv, PREFIX.json, PREFIX.calls.tsv.gz and the "
                          "MultiQC files (or give --partial)");
    add_calls_options(outputs);
    outputs.add_options()(
        "html", ("also write PREFIX.html, the report page ('healcap report PREFIX.json' makes the same); at most " +
                 std::to_string(kHtmlMaxSamples) + " samples").c_str())(
        "hits,o", po::value<std::string>()->value_name("FILE"), "also write the panel-hit records (HC_* INFO tags) to FILE");
  }
  // -W is read before Boost sees the arguments (its value is optional and attached); declared here for the help,
  // and for an abbreviation of --write-index, which reaches Boost.
  outputs.add_options()("output-type,O", po::value<std::string>()->value_name("b|u|z|v"),
                        "b: BCF, u: uncompressed BCF, z: bgzipped VCF, v: VCF [from the file name]")(
      "write-index,W", po::value<std::string>()->value_name("[=csi|tbi]"),
      "index the VCF/BCF output: CSI, or TBI with =tbi; needs sorted input [off]");
  if (!annotate) add_biomarker_options(biomarkers);
  if (!annotate)
    shards.add_options()("partial", po::value<std::string>()->value_name("FILE"),
                         "write the shard's exact state to FILE, for 'healcap merge'")(
        "region-shard", po::value<std::string>()->value_name("I/N"),
        "this run's -r/-R regions are shard I of N (recorded in the partial)")(
        "sample-shard", po::value<std::string>()->value_name("I/N"), "scan the I-th of N contiguous ranges of each input's samples")(
        "file-shard", po::value<std::string>()->value_name("I/N"), "scan the I-th of N contiguous ranges of the input list");
  performance.add_options()("threads", po::value<int>()->value_name("N"),
                            "threads [the CPUs this process may use: affinity, cgroup quota, SLURM_CPUS_PER_TASK]");
  general.add_options()("quiet", "no progress line and no closing summary on stderr; warnings and errors still appear")(
      "help,h", "print this help and exit");
  std::vector<const OptionGroup*> groups = {&input, &panel, &calls, &samples, &regions, &outputs};
  if (!annotate) groups.push_back(&biomarkers);
  for (const OptionGroup* g : {&shards, &performance, &general}) groups.push_back(g);
  po::options_description all;
  for (const auto* g : groups) all.add(*g);
  all.add_options()("input", po::value<std::vector<std::string>>());
  if (annotate)  // bcftools' spelling of -l, not in the help
    all.add_options()("compression-level", po::value<int>());
  po::positional_options_description pos;
  pos.add("input", -1);
  // -W takes an optional attached value, as in bcftools (-W, -Wtbi, -W=tbi, --write-index=tbi); Boost would
  // take the next argument as its value, so it is read here.
  std::vector<std::string> rest;
  std::string index_kind;
  for (const auto& a : args) {
    if (a == "-W" || a == "--write-index") index_kind = "csi";
    else if (a.rfind("--write-index=", 0) == 0) index_kind = a.substr(14);
    else if (a.rfind("-W", 0) == 0) index_kind = a.substr(a.size() > 2 && a[2] == '=' ? 3 : 2);
    else rest.push_back(a);
  }
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(rest).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError("healcap " + cmd + ": " + e.what() + "; see 'healcap " + cmd + " --help'");
  }
  if (vm.count("help")) {
    cfg.help = true;
    cfg.help_text = usage(annotate, groups);
    return cfg;
  }
  const auto fail = [&](const std::string& m) -> void { throw UsageError("healcap " + cmd + ": " + m); };
  if (vm.count("input")) cfg.inputs = vm["input"].as<std::vector<std::string>>();
  if (!annotate && vm.count("file-list")) {
    const std::string list = vm["file-list"].as<std::string>();
    std::ifstream f(list);
    if (!f) fail("--file-list: cannot open '" + list + "'");
    size_t n_listed = 0;
    for (std::string line; std::getline(f, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
      const size_t b = line.find_first_not_of(" \t");
      if (b == std::string::npos || line[b] == '#') continue;
      cfg.inputs.push_back(line.substr(b));
      ++n_listed;
    }
    if (n_listed == 0) fail("--file-list: '" + list + "' lists no input file");
    cfg.several = true;
  }
  if (cfg.inputs.empty()) fail("missing input file (a VCF, VCF.gz or BCF, or - for standard input)");
  if (annotate && cfg.inputs.size() > 1) fail("one input file at a time; got '" + cfg.inputs[1] + "' as well");
  if (cfg.inputs.size() > 1) cfg.several = true;
  cfg.input = cfg.inputs[0];
  if (vm.count("panel")) cfg.panel_paths = vm["panel"].as<std::vector<std::string>>();
  cfg.pgs_skip_unsupported = vm.count("pgs-skip-unsupported") > 0;
  const std::string b = vm["build"].as<std::string>();
  if (b != "auto") {
    cfg.build = parse_build(b);
    if (!cfg.build) fail("--build '" + b + "' is not auto, GRCh37 or GRCh38");
  }
  cfg.threads = vm.count("threads") ? vm["threads"].as<int>() : default_thread_count();
  if (cfg.threads < 1 || cfg.threads > 1024) fail("--threads must be between 1 and 1024");
  if (annotate) {
    cfg.vcf_out = vm["output"].as<std::string>();
    if (vm.count("compress-level") && vm.count("compression-level")) fail("give -l/--compress-level once");
    for (const char* o : {"compress-level", "compression-level"})
      if (vm.count(o)) cfg.compress_level = vm[o].as<int>();
    if (cfg.compress_level < 0 || cfg.compress_level > 9)
      fail("-l/--compress-level " + std::to_string(cfg.compress_level) + " is not a level from 0 to 9");
  } else {
    if (vm.count("partial")) cfg.partial = vm["partial"].as<std::string>();
    if (!vm.count("out") && cfg.partial.empty()) fail("--out PREFIX is required (or --partial FILE)");
    if (vm.count("out")) cfg.out_prefix = vm["out"].as<std::string>();
    cfg.html = vm.count("html") > 0;
    if (cfg.html && cfg.out_prefix.empty()) fail("--html writes PREFIX.html: give --out PREFIX");
    cfg.calls = read_calls_options(vm, cmd);
    if (vm.count("calls") && cfg.out_prefix.empty()) fail("--calls writes PREFIX.calls.tsv.gz: give --out PREFIX");
    if (vm.count("hits")) cfg.vcf_out = vm["hits"].as<std::string>();
    cfg.score.grade_scored = parse_grades(vm["grades"].as<std::string>());
    {
      const std::string pop = vm["eaf-population"].as<std::string>();
      const auto p = parse_population(pop);
      if (!p) throw UsageError("--eaf-population: '" + pop + "' is not one of " + population_names());
      cfg.score.eaf_population = *p;
    }
    cfg.allow_no_hits = vm.count("allow-no-hits") > 0;
    if (vm.count("callable")) cfg.callable_bed = vm["callable"].as<std::string>();
    cfg.score.absent_as_ref = vm.count("absent-as-ref") > 0;
    if (vm.count("min-completeness")) {
      cfg.min_completeness = vm["min-completeness"].as<double>();
      if (*cfg.min_completeness < 0 || *cfg.min_completeness > 1) fail("--min-completeness must lie in [0, 1]");
    }
    cfg.fail_on_incomplete = vm.count("fail-on-incomplete") > 0;
    if (cfg.fail_on_incomplete && !cfg.min_completeness) fail("--fail-on-incomplete needs --min-completeness X");
  }
  cfg.dosage_text = vm["dosage"].as<std::string>();
  if (cfg.dosage_text == "auto") cfg.decode.mode = DosageMode::kAuto;
  else if (cfg.dosage_text == "GT") cfg.decode.mode = DosageMode::kGT;
  else if (cfg.dosage_text == "DS") cfg.decode.mode = DosageMode::kDS;
  else if (cfg.dosage_text == "GP") cfg.decode.mode = DosageMode::kGP;
  else fail("--dosage '" + cfg.dosage_text + "' is not auto, GT, DS or GP");
  cfg.decode.pass_only = vm.count("pass-only") > 0;
  cfg.decode.min_gq = vm["min-gq"].as<int>();
  cfg.decode.min_dp = vm["min-dp"].as<int>();
  if (cfg.decode.min_gq < 0 || cfg.decode.min_dp < 0) fail("--min-gq and --min-dp must not be negative");
  cfg.min_ref_concordance = vm["min-ref-concordance"].as<double>();
  if (cfg.min_ref_concordance < 0 || cfg.min_ref_concordance > 1) fail("--min-ref-concordance must lie in [0, 1]");
  if (vm.count("samples") && vm.count("samples-file")) fail("-s and -S cannot be combined");
  if (vm.count("samples")) cfg.samples = vm["samples"].as<std::string>();
  if (vm.count("samples-file")) {
    cfg.samples = vm["samples-file"].as<std::string>();
    cfg.samples_is_file = true;
  }
  cfg.force_samples = vm.count("force-samples") > 0;
  cfg.quiet = vm.count("quiet") > 0;
  if (!annotate) {
    if (vm.count("index")) cfg.index_file = vm["index"].as<std::string>();
    cfg.stream = vm.count("stream") > 0;
    cfg.validate = vm.count("validate") > 0;
    if (cfg.validate && !cfg.index_file.empty()) fail("--validate reads every record: it cannot be combined with --index");
    if (cfg.validate && (vm.count("regions") || vm.count("regions-file")))
      fail("--validate reads every record: it cannot be combined with -r/-R (use -t to score only some regions)");
    cfg.stream = cfg.stream || cfg.validate;
    if (cfg.stream && !cfg.index_file.empty()) fail("--stream and --index cannot be combined");
    if (!cfg.index_file.empty() && cfg.inputs.size() > 1) fail("--index names one input's index; with several inputs keep each index beside its file");
    cfg.keep_going = vm.count("keep-going") > 0;
    if (cfg.keep_going && cfg.out_prefix.empty() && cfg.partial.empty()) fail("--keep-going needs --out or --partial");
    if (vm.count("regions") && vm.count("regions-file")) fail("-r and -R cannot be combined");
    if (vm.count("regions")) cfg.regions = RegionSet::parse_list(vm["regions"].as<std::string>(), "-r/--regions");
    if (vm.count("regions-file")) cfg.regions = RegionSet::parse_file(vm["regions-file"].as<std::string>(), "-R/--regions-file");
    if (cfg.regions.negated()) fail("-r/-R cannot be negated with '^'; use -t/-T ^REGIONS to exclude");
    if (vm.count("targets") && vm.count("targets-file")) fail("-t and -T cannot be combined");
    if (vm.count("targets")) cfg.targets = RegionSet::parse_list(vm["targets"].as<std::string>(), "-t/--targets");
    if (vm.count("targets-file")) {
      std::string t = vm["targets-file"].as<std::string>();
      const bool neg = !t.empty() && t[0] == '^';
      cfg.targets = RegionSet::parse_file(neg ? t.substr(1) : t, "-T/--targets-file");
      cfg.targets.set_negated(neg);
    }
    int n_plans = 0;
    for (const char* o : {"region-shard", "sample-shard", "file-shard"}) {
      if (!vm.count(o)) continue;
      if (++n_plans > 1) fail("give one of --region-shard, --sample-shard and --file-shard");
      const std::string v = vm[o].as<std::string>();
      unsigned i = 0, n = 0;
      char tail = 0;
      if (std::sscanf(v.c_str(), "%u/%u%c", &i, &n, &tail) != 2 || n < 1 || i < 1 || i > n || n > 1000000)
        fail(std::string("--") + o + " '" + v + "' is not I/N with 1 <= I <= N");
      cfg.shard_kind = o[0];
      cfg.shard_i = i;
      cfg.shard_n = n;
    }
    if (cfg.shard_kind == 'r' && cfg.regions.empty()) fail("--region-shard I/N needs the shard's regions (-r or -R)");
    if (cfg.shard_kind == 'f' && !cfg.several) fail("--file-shard I/N needs several inputs (or --file-list)");
    cfg.biomarkers = read_biomarker_options(vm, cmd);
    if (cfg.shard_kind && cfg.partial.empty()) fail(std::string("--") + (cfg.shard_kind == 'r' ? "region" : cfg.shard_kind == 's' ? "sample" : "file") +
                                                    "-shard writes one shard: add --partial FILE and gather the shards with 'healcap merge'");
  }
  if (vm.count("output-type")) {
    const std::string t = vm["output-type"].as<std::string>();
    if (t.size() != 1 || std::string("buzv").find(t[0]) == std::string::npos) fail("-O/--output-type '" + t + "' is not b, u, z or v");
    if (cfg.vcf_out.empty()) fail("-O/--output-type needs -o FILE");
    cfg.vcf_type = t[0];
  }
  if (cfg.vcf_type == 0 && !cfg.vcf_out.empty()) cfg.vcf_type = output_type_for(cfg.vcf_out);
  if (vm.count("write-index")) index_kind = vm["write-index"].as<std::string>();
  if (!index_kind.empty()) {
    const std::string& w = index_kind;
    if (w != "csi" && w != "tbi") fail("-W/--write-index '" + w + "' is not csi or tbi");
    if (cfg.vcf_out.empty()) fail("-W/--write-index needs -o FILE");
    cfg.index = w == "tbi" ? IndexKind::kTbi : IndexKind::kCsi;
  }
  if (!annotate && !cfg.vcf_out.empty() && (cfg.several || !cfg.partial.empty() || cfg.out_prefix.empty()))
    fail("-o/--hits writes one input's panel-hit records: give one input and --out, without --partial");
  return cfg;
}

namespace {

// Keeps the matched records (scan -o) to write them once the scan has succeeded.
class HitCollector : public RecordSink {
 public:
  ~HitCollector() override {
    for (bcf1_t* r : recs_) bcf_destroy(r);
  }
  void consume(bcf_hdr_t*, bcf1_t* rec, bool matched) override {
    if (matched) recs_.push_back(bcf_dup(rec));
  }
  const std::vector<bcf1_t*>& records() const { return recs_; }

 private:
  std::vector<bcf1_t*> recs_;
};

// One input's scan, as the run's serial stage receives it.
struct Scanned {
  uint64_t order = 0;
  std::string path;
  bool ok = false;
  std::string error;  // --keep-going: why the input failed
  Segment seg;
  std::string read_path;
  std::unique_ptr<ScanPlan> plan;      // -o: the header the hits are written with
  std::unique_ptr<HitCollector> hits;  // -o: the matched records
};

InputInfo input_info(const OpenInput& o, const ScanConfig& cfg, uint64_t order, const std::string& read_mode,
                     const Panel& panel) {
  InputInfo i;
  i.path = cfg.input;
  i.format = o.in->format_description();
  i.read_mode = read_mode;
  i.build = o.build;
  i.order = order;
  i.n_file_samples = o.n_file_samples;
  i.sample_begin = o.sample_begin;
  const std::vector<std::string> seq = header_contig_names(o.in->header());
  for (const std::string& name : seq) {
    if (name.empty()) continue;
    ++i.n_header_contigs;
    const std::string c = normalise_contig(name);
    if (panel.positions(Build::kGRCh37, c) || panel.positions(Build::kGRCh38, c)) i.panel_contigs.push_back(name);
  }
  return i;
}

// Where the shard's regions start in the input: the header's index of their first contig, then the position.
uint64_t coverage_rank(const OpenInput& o, const RegionSet& regions) {
  if (regions.empty() || regions.intervals().empty()) return 0;
  const Interval& first = regions.intervals().front();
  const std::vector<std::string> seq = header_contig_names(o.in->header());
  uint64_t tid = seq.size();
  for (size_t k = 0; k < seq.size(); ++k)
    if (!seq[k].empty() && normalise_contig(seq[k]) == first.contig) {
      tid = k;
      break;
    }
  return tid << 32 | static_cast<uint64_t>(std::min<int64_t>(first.beg, 0xffffffff));
}

// Opens and scans one input into its segment. A bad input, with --keep-going, comes back failed with its line.
Scanned scan_one(const ScanConfig& one, const Panel& panel, const std::string& command_line, const std::string& path,
                 uint64_t order, int threads, bool want_hits) {
  Scanned s;
  s.order = order;
  s.path = path;
  ScanConfig cfg = one;
  cfg.input = path;
  cfg.threads = threads;
  try {
    OpenInput input = open_input(cfg);
    if (cfg.html) check_html_samples("scan", input.in->n_samples());  // before the input is read
    auto plan = std::make_unique<ScanPlan>(panel, input, cfg, command_line);
    if (want_hits) s.hits = std::make_unique<HitCollector>();
    std::string read_mode;
    s.seg.state = scan_into_state(input, *plan, cfg, s.hits.get(), read_mode, s.read_path);
    if (s.seg.state->header_incomplete) {  // read again, with the lines htslib added to the header
      cfg.added_header_lines = header_lines_for_second_read(input, cfg);
      plan.reset();
      input = open_input(cfg);
      plan = std::make_unique<ScanPlan>(panel, input, cfg, command_line);
      if (want_hits) s.hits = std::make_unique<HitCollector>();
      s.seg.state = scan_into_state(input, *plan, cfg, s.hits.get(), read_mode, s.read_path);
      if (s.seg.state->header_incomplete) header_lines_for_second_read(input, cfg);  // throws
      s.seg.state->add_warning(added_header_lines_warning(cfg));
    }
    s.seg.info = input_info(input, cfg, order, read_mode, panel);
    s.seg.coverage = cfg.regions;
    s.seg.coverage_rank = coverage_rank(input, cfg.regions);
    if (want_hits) s.plan = std::move(plan);
    s.ok = true;
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    if (!one.keep_going) throw;
    s.error = e.what();
  }
  return s;
}

// The run's closing lines: what was read, the warnings, what was written; and --min-completeness.
int report_scan(const ScanConfig& cfg, const ScanResult& r, const std::string& read_path,
                const std::vector<std::string>& warnings, const std::string& written) {
  const Panel& panel = *r.panel;
  // What was read (--quiet: not said; warnings and failures always are).
  if (!cfg.quiet && !r.several && !r.inputs.empty()) {
    std::fprintf(stderr, "healcap scan: %s: %s (%s), %s-style, %s, %zu samples, panel %s\n", r.inputs[0].path.c_str(),
                 std::string(to_string(r.run.build.build)).c_str(), r.run.build.how.c_str(), r.run.build.contig_style.c_str(),
                 r.run.ref_concordance.c_str(), r.samples.size(), panel_words(panel).c_str());
    std::fprintf(stderr, "healcap scan: read path: %s\n", read_path.c_str());
  } else if (!cfg.quiet) {
    std::fprintf(stderr, "healcap scan: %zu inputs read, %zu failed; %zu samples; %s (%s), %s; panel %s\n",
                 r.inputs.size(), r.failed.size(), r.samples.size(), std::string(to_string(r.run.build.build)).c_str(),
                 r.several && r.inputs.size() != 1 ? "each input's build is in the JSON" : r.run.build.how.c_str(),
                 r.run.ref_concordance.c_str(), panel_words(panel).c_str());
  }
  for (const auto& w : warnings) print_warning(w);
  for (const auto& w : panel_warnings(panel)) print_warning(w);
  for (const auto& f : r.failed) std::fprintf(stderr, "healcap: failed input (--keep-going): %s\n", f.reason.c_str());
  size_t n_scored = 0, n_scored_found = 0, n_block = 0;
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const SiteState st = r.store->results()[i].state;
    n_block += st == SiteState::kRefBlock;
    if (r.score.scores(panel.sites()[i])) {
      ++n_scored;
      n_scored_found += st == SiteState::kFound || st == SiteState::kRefBlock;
    }
  }
  if (!cfg.quiet)
    std::fprintf(stderr,
                 "healcap scan: %llu records read; %zu of %zu panel rows found in records, %zu in reference blocks (%zu of "
                 "%zu scored rows); wrote %s\n",
                 static_cast<unsigned long long>(r.stats.n_records), r.store->n_found(), panel.sites().size(), n_block,
                 n_scored_found, n_scored, written.c_str());
  if (!cfg.quiet && panel.components().size() > 1) {
    std::string by;
    for (const PanelComponent& c : panel.components()) {
      size_t found = 0;
      for (size_t i = c.first_row; i < c.first_row + c.n_rows; ++i) {
        const SiteState st = r.store->results()[i].state;
        found += st == SiteState::kFound || st == SiteState::kRefBlock;
      }
      by += (by.empty() ? "" : "; ") + c.id + " " + std::to_string(found) + " of " + std::to_string(c.n_rows);
    }
    std::fprintf(stderr, "healcap scan: panel rows found by panel: %s\n", by.c_str());
  }
  if (!r.failed.empty()) return 1;
  if (!cfg.min_completeness) return 0;
  size_t below = 0;
  std::string first;
  for (size_t k = 0; k < r.samples.size(); ++k)
    if (below_min_completeness(r.scores[k], *cfg.min_completeness) && below++ == 0) first = r.samples[k];
  if (below == 0) return 0;
  const std::string what = r.several ? std::to_string(r.inputs.size()) + " inputs" : cfg.input;
  const std::string msg = what + ": " + std::to_string(below) + " of " + std::to_string(r.samples.size()) +
                          " samples have completeness below " + fixed6(*cfg.min_completeness) + " (first: " + first +
                          "); see below_min_completeness in " + cfg.out_prefix + ".samples.tsv";
  if (cfg.fail_on_incomplete) {
    std::fprintf(stderr, "healcap: error: %s\n", msg.c_str());
    return 3;
  }
  print_warning(msg);
  return 0;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s;
}

}  // namespace

const Panel& load_panel(const ScanConfig& cfg, std::unique_ptr<Panel>& own) {
  if (cfg.panel_paths.empty() || (cfg.panel_paths.size() == 1 && cfg.panel_paths[0] == kBundledPanelWord))
    return Panel::bundled();
  PanelLoadOptions opt;
  opt.pgs_skip_unsupported = cfg.pgs_skip_unsupported;
  std::vector<Panel> parts;
  for (const std::string& path : cfg.panel_paths)
    parts.push_back(path == kBundledPanelWord ? Panel::bundled() : Panel::load(path, opt));
  own = std::make_unique<Panel>(Panel::combine(std::move(parts)));
  return *own;
}

std::vector<std::string> panel_warnings(const Panel& panel) {
  std::vector<std::string> out;
  for (const PanelComponent& c : panel.components()) {
    if (c.skipped.empty()) continue;
    size_t n = 0;
    std::string why;
    for (const auto& [reason, count] : c.skipped) {
      n += count;
      why += (why.empty() ? "" : ", ") + reason + " " + std::to_string(count);
    }
    out.push_back(c.origin + ": " + std::to_string(n) + " of " + std::to_string(c.n_file_rows) +
                  " variant rows skipped as unsupported (--pgs-skip-unsupported: " + why + "); the score is " +
                  c.pgs_id + " without them");
  }
  return out;
}

std::string panel_words(const Panel& panel) {
  std::string s;
  for (const PanelComponent& c : panel.components()) {
    s += s.empty() ? "" : " + ";
    s += c.kind == PanelKind::kPgsCatalog ? c.pgs_id + " (" + c.name + ")" : c.name + " " + c.version;
  }
  return s;
}

int run_scan_command(const Invocation& inv) {
  const ScanConfig cfg = parse_scan_args(inv.args, false);
  if (cfg.help) {
    std::cout << cfg.help_text;
    return 0;
  }
  check_output_folder(cfg.out_prefix, "--out");
  check_output_folder(cfg.partial, "--partial");
  check_output_folder(cfg.vcf_out, "-o/--hits");
  std::unique_ptr<Panel> own_panel;
  const Panel& panel = load_panel(cfg, own_panel);
  // The biomarker file is read and checked before any input: a bad row fails the run at once.
  std::unique_ptr<BiomarkerSource> biomarkers;
  if (cfg.biomarkers.given()) {
    biomarkers = std::make_unique<BiomarkerSource>(load_biomarker_source(cfg.biomarkers));
    check_biomarker_source(*biomarkers);
  }
  ScanConfig one = cfg;  // what each input is scanned with (without the list)
  one.inputs.clear();
  // A file shard reads its range of the list; the inputs keep their place in the whole list.
  size_t beg = 0, end = cfg.inputs.size();
  if (cfg.shard_kind == 'f') {
    beg = (cfg.shard_i - 1) * cfg.inputs.size() / cfg.shard_n;
    end = cfg.shard_i * cfg.inputs.size() / cfg.shard_n;
  }
  const size_t n = end - beg;
  // The progress line (a terminal only): files, records and bytes read, fed by each input's driver.
  Progress progress;
  progress.expect_inputs(std::vector<std::string>(cfg.inputs.begin() + static_cast<std::ptrdiff_t>(beg),
                                                  cfg.inputs.begin() + static_cast<std::ptrdiff_t>(end)));
  ProgressLine progress_line("healcap scan", progress, progress_wanted(cfg.quiet));
  one.progress = &progress;
  const int workers = static_cast<int>(std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(cfg.threads), n)));
  const int per_input = std::max(1, cfg.threads / workers);
  const bool want_hits = !cfg.vcf_out.empty();
  const bool settle = !cfg.out_prefix.empty();

  OutputSet set;  // the outputs and the partial, published together
  std::unique_ptr<PartialWriter> partial;
  if (!cfg.partial.empty()) {
    partial = std::make_unique<PartialWriter>(cfg.partial, set, partial_header(cfg, panel, cfg.inputs.size()));
    if (biomarkers) partial->add_biomarkers(*biomarkers);  // the merge makes the layer from it
  }
  Cohort cohort(panel, cfg);
  size_t n_segments = 0, n_failed = 0, n_samples = 0;
  std::unique_ptr<Scanned> single;  // one input: kept for its hits and its read path
  const auto consume = [&](std::unique_ptr<Scanned> s) {
    progress.add_files_done(1);
    if (!s->ok) {
      const FailedInput f{s->order, s->path, s->error};
      if (partial) partial->add_failed(f);
      cohort.add_failed(f);
      ++n_failed;
      return;
    }
    if (partial) partial->add_segment(s->seg);
    ++n_segments;
    n_samples += s->seg.state->samples().size();
    if (cfg.html) check_html_samples("scan", n_samples);
    if (settle) {
      try {
        cohort.add(settle_input(std::move(s->seg), one));
      } catch (const DataError& e) {
        if (!cfg.keep_going) throw;
        cohort.add_failed({s->order, s->path, e.what()});
      }
    }
    if (n == 1) single = std::move(s);
  };
  // The inputs, each opened, read and closed by one worker, then settled and appended in list order by the
  // driver's ordered scheme (pipeline/driver.h); the scanned inputs between the two are owned here.
  std::vector<std::unique_ptr<Scanned>> slot(n);
  run_in_order(
      beg, end, workers,
      [&](size_t k) {
        slot[k - beg] = std::make_unique<Scanned>(scan_one(one, panel, inv.command_line, cfg.inputs[k], k, per_input, want_hits));
      },
      [&](size_t k) { consume(std::move(slot[k - beg])); });
  if (partial) partial->close();
  if (!settle) {
    set.publish();
    progress_line.stop();
    if (!cfg.quiet)
      std::fprintf(stderr, "healcap scan: wrote %s: %zu input(s) of %zu, %zu failed, %zu samples%s\n", cfg.partial.c_str(), n,
                   cfg.inputs.size(), n_failed, n_samples,
                   cfg.shard_kind ? (std::string("; ") + (cfg.shard_kind == 'r' ? "region" : cfg.shard_kind == 's' ? "sample" : "file") +
                                     " shard " + std::to_string(cfg.shard_i) + "/" + std::to_string(cfg.shard_n))
                                        .c_str()
                                  : "");
    for (const auto& f : cohort.failed()) std::fprintf(stderr, "healcap: failed input (--keep-going): %s\n", f.reason.c_str());
    return n_failed ? 1 : 0;
  }
  std::vector<std::string> warnings;
  ScanResult result;
  run_on_threads(cfg.threads, [&] { result = cohort.result(inv.command_line, cfg.several, warnings); });
  if (want_hits && single && single->plan) {
    result.hits_hdr = single->plan->work_hdr();
    result.hits = &single->hits->records();
  }
  if (want_hits && !result.hits) throw DataError(cfg.input + ": no records were read; nothing to write to " + cfg.vcf_out);
  SinkRequest req;
  choose_calls(cfg.calls, cfg.out_prefix, result, req);
  const ThreadPool out_pool = output_pool(cfg.threads, want_hits || req.calls);
  req.out_prefix = cfg.out_prefix;
  req.hits_path = cfg.vcf_out;
  req.hits_type = cfg.vcf_type;
  req.hits_index = cfg.index;
  req.pool = out_pool.get();
  req.keep_going = cfg.keep_going;
  req.html = cfg.html;
  if (biomarkers) {
    result.biomarkers = make_biomarker_layer(*biomarkers, genetic_samples(result));
    req.biomarkers = true;
  }
  std::vector<std::string> written;
  run_on_threads(cfg.threads, [&] { written = write_outputs(result, req, set); });
  if (partial) written.push_back(cfg.partial);
  set.publish();
  progress_line.stop();
  const int rc = report_scan(cfg, result, single ? single->read_path : "", warnings, joined(written));
  if (result.biomarkers) print_biomarker_lines(*result.biomarkers, "scan");
  return rc;
}

}  // namespace healcap
