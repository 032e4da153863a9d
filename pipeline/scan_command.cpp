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

#include "commands.h"
#include "errors.h"
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

std::string usage(bool annotate, const po::options_description& d) {
  std::ostringstream s;
  if (annotate)
    s << "Usage: healcap annotate [options] <in.vcf|in.vcf.gz|in.bcf|->\n\n"
         "Pass every record through to the output, tagging panel hits with HC_* INFO fields\n"
         "(like bcftools annotate, for the healing panel).\n\n";
  else
    s << "Usage: healcap scan [options] --out PREFIX <in.vcf|in.vcf.gz|in.bcf|->\n\n"
         "Find the panel's sites in a VCF/BCF and write per-sample healing-capacity summaries:\n"
         "PREFIX.samples.tsv, PREFIX.sites.tsv and PREFIX.json; with -o, the panel-hit records too.\n"
         "Research use only: the scores are not a diagnosis.\n\n";
  s << d;
  return s.str();
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
  po::options_description d("Options");
  d.add_options()("panel", po::value<std::string>()->value_name("FILE"), "panel TSV [the bundled healing panel]")(
      "build", po::value<std::string>()->value_name("auto|GRCh37|GRCh38")->default_value("auto"),
      "genome build of the input [auto: from the header]")(
      "threads", po::value<int>()->value_name("N"), "threads [the CPUs this process may use]");
  if (annotate) {
    d.add_options()("output,o", po::value<std::string>()->value_name("FILE")->default_value("-"), "output file [stdout]");
  } else {
    d.add_options()("out", po::value<std::string>()->value_name("PREFIX"), "output prefix (required)")(
        "hits,o", po::value<std::string>()->value_name("FILE"), "also write the panel-hit records to FILE")(
        "grades", po::value<std::string>()->value_name("LIST")->default_value(default_grades_text()),
        "evidence grades to score (replicated,suggestive,contested,null)")(
        "allow-no-hits", "exit 0 even when no panel site is found (the outputs say so)")(
        "callable", po::value<std::string>()->value_name("BED"),
        "regions known to be callable: a panel site there without a record is homozygous reference")(
        "absent-as-ref", "all-sites VCF: a panel site without a record is homozygous reference")(
        "min-completeness", po::value<double>()->value_name("X"), "flag samples whose completeness is below X")(
        "fail-on-incomplete", "exit 3 when a sample is below --min-completeness (outputs are still written)");
  }
  d.add_options()("dosage", po::value<std::string>()->value_name("auto|GT|DS|GP")->default_value("auto"),
                  "dosage source [auto: HDS, then DS, then GP, then GT]")(
      "pass-only", "calls at records whose FILTER is not PASS (or '.') are filtered")(
      "min-gq", po::value<int>()->value_name("N")->default_value(0), "calls with GQ below N are filtered")(
      "min-dp", po::value<int>()->value_name("N")->default_value(0), "calls with DP below N are filtered")(
      "min-ref-concordance", po::value<double>()->value_name("X")->default_value(kDefaultMinRefConcordance, number_text(kDefaultMinRefConcordance)),
      "fail when fewer than this share of records at panel sites carry the panel's REF")(
      "samples,s", po::value<std::string>()->value_name("LIST"), "samples to keep (comma-separated; ^LIST excludes)")(
      "samples-file,S", po::value<std::string>()->value_name("FILE"), "samples to keep, one per line (^FILE excludes)")(
      "force-samples", "warn, rather than fail, about requested samples the input does not have");
  if (!annotate)
    d.add_options()("index", po::value<std::string>()->value_name("FILE"),
                    "index of the input [FILE.csi or FILE.tbi when present]: only the panel's positions are read")(
        "stream", "read every record even when the input has an index");
  d.add_options()("output-type,O", po::value<std::string>()->value_name("b|u|z|v"),
                  "b: BCF, u: uncompressed BCF, z: bgzipped VCF, v: VCF [from the file name]")(
      "write-index,W", "index the VCF/BCF output: -W, -W=csi, -W=tbi, --write-index[=csi|tbi] [csi]")(
      "help,h", "print this help and exit");
  po::options_description all;
  all.add(d).add_options()("input", po::value<std::vector<std::string>>());
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
    cfg.help_text = usage(annotate, d);
    return cfg;
  }
  const auto fail = [&](const std::string& m) -> void { throw UsageError("healcap " + cmd + ": " + m); };
  if (!vm.count("input")) fail("missing input file (a VCF, VCF.gz or BCF, or - for standard input)");
  const auto& inputs = vm["input"].as<std::vector<std::string>>();
  if (inputs.size() > 1) fail("one input file at a time; got '" + inputs[1] + "' as well");
  cfg.input = inputs[0];
  if (vm.count("panel")) cfg.panel_path = vm["panel"].as<std::string>();
  const std::string b = vm["build"].as<std::string>();
  if (b != "auto") {
    cfg.build = parse_build(b);
    if (!cfg.build) fail("--build '" + b + "' is not auto, GRCh37 or GRCh38");
  }
  cfg.threads = vm.count("threads") ? vm["threads"].as<int>() : default_thread_count();
  if (cfg.threads < 1 || cfg.threads > 1024) fail("--threads must be between 1 and 1024");
  if (annotate) {
    cfg.vcf_out = vm["output"].as<std::string>();
  } else {
    if (!vm.count("out")) fail("--out PREFIX is required");
    cfg.out_prefix = vm["out"].as<std::string>();
    if (vm.count("hits")) cfg.vcf_out = vm["hits"].as<std::string>();
    cfg.score.grade_scored = parse_grades(vm["grades"].as<std::string>());
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
  if (!annotate) {
    if (vm.count("index")) cfg.index_file = vm["index"].as<std::string>();
    cfg.stream = vm.count("stream") > 0;
    if (cfg.stream && !cfg.index_file.empty()) fail("--stream and --index cannot be combined");
  }
  if (vm.count("output-type")) {
    const std::string t = vm["output-type"].as<std::string>();
    if (t.size() != 1 || std::string("buzv").find(t[0]) == std::string::npos) fail("-O/--output-type '" + t + "' is not b, u, z or v");
    if (cfg.vcf_out.empty()) fail("-O/--output-type needs -o FILE");
    cfg.vcf_type = t[0];
  }
  if (cfg.vcf_type == 0 && !cfg.vcf_out.empty()) cfg.vcf_type = output_type_for(cfg.vcf_out);
  if (!index_kind.empty()) {
    const std::string& w = index_kind;
    if (w != "csi" && w != "tbi") fail("-W/--write-index '" + w + "' is not csi or tbi");
    if (cfg.vcf_out.empty()) fail("-W/--write-index needs -o FILE");
    cfg.index = w == "tbi" ? IndexKind::kTbi : IndexKind::kCsi;
  }
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

// The run's closing lines: what was read, the warnings, what was written; and --min-completeness.
int report_scan(const ScanConfig& cfg, const OpenInput& input, const ScanResult& r, const std::string& read_path,
                const std::vector<std::string>& warnings) {
  const Panel& panel = *r.panel;
  std::fputs(build_line("scan", input, r.run.build, r.run.ref_concordance, panel).c_str(), stderr);
  std::fprintf(stderr, "healcap scan: read path: %s\n", read_path.c_str());
  for (const auto& w : warnings) print_warning(w);
  size_t n_scored = 0, n_scored_found = 0, n_block = 0;
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const SiteState st = r.store->results()[i].state;
    n_block += st == SiteState::kRefBlock;
    if (r.score.scores(panel.sites()[i])) {
      ++n_scored;
      n_scored_found += st == SiteState::kFound || st == SiteState::kRefBlock;
    }
  }
  const bool want_vcf = !cfg.vcf_out.empty();
  std::fprintf(stderr,
               "healcap scan: %llu records read; %zu of %zu panel rows found in records, %zu in reference blocks (%zu of %zu "
               "scored rows); wrote %s.samples.tsv, %s.sites.tsv, %s.json%s%s\n",
               static_cast<unsigned long long>(r.stats.n_records), r.store->n_found(), panel.sites().size(), n_block,
               n_scored_found, n_scored, cfg.out_prefix.c_str(), cfg.out_prefix.c_str(), cfg.out_prefix.c_str(),
               want_vcf ? ", " : "", want_vcf ? cfg.vcf_out.c_str() : "");
  if (!cfg.min_completeness) return 0;
  size_t below = 0;
  std::string first;
  for (size_t k = 0; k < r.samples.size(); ++k)
    if (r.scores[k].all.completeness().value_or(0) < *cfg.min_completeness && below++ == 0) first = r.samples[k];
  if (below == 0) return 0;
  const std::string msg = cfg.input + ": " + std::to_string(below) + " of " + std::to_string(r.samples.size()) +
                          " samples have completeness below " + fixed6(*cfg.min_completeness) + " (first: " + first +
                          "); see below_min_completeness in " + cfg.out_prefix + ".samples.tsv";
  if (cfg.fail_on_incomplete) {
    std::fprintf(stderr, "healcap: error: %s\n", msg.c_str());
    return 3;
  }
  print_warning(msg);
  return 0;
}

}  // namespace

const Panel& load_panel(const ScanConfig& cfg, std::unique_ptr<Panel>& own) {
  if (cfg.panel_path.empty()) return Panel::bundled();
  own = std::make_unique<Panel>(Panel::load(cfg.panel_path));
  return *own;
}

int run_scan_command(const Invocation& inv) {
  const ScanConfig cfg = parse_scan_args(inv.args, false);
  if (cfg.help) {
    std::cout << cfg.help_text;
    return 0;
  }
  // 1. Open the input.
  RunSetup run = set_up_run(cfg, inv.command_line);
  OpenInput& input = run.input;
  const ScanPlan& plan = *run.plan;
  // 2. Scan it into a state.
  HitCollector hits;
  std::string read_mode, read_path;
  std::unique_ptr<ScanState> state = scan_into_state(input, plan, cfg, cfg.vcf_out.empty() ? nullptr : &hits, read_mode, read_path);
  // 3. Finish the state into outputs, published together.
  std::vector<std::string> warnings = state->warnings;
  ScanResult result = finish_scan(*state, input, cfg, inv.command_line, read_mode, warnings);
  result.hits_hdr = plan.work_hdr();
  result.hits = &hits.records();
  const ThreadPool out_pool = output_pool(cfg.threads, !cfg.vcf_out.empty());
  SinkRequest req;
  req.out_prefix = cfg.out_prefix;
  req.hits_path = cfg.vcf_out;
  req.hits_type = cfg.vcf_type;
  req.hits_index = cfg.index;
  req.pool = out_pool.get();
  write_outputs(result, req);
  return report_scan(cfg, input, result, read_path, warnings);
}

}  // namespace healcap
