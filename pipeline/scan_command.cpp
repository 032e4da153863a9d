// `healcap scan` / `healcap annotate`: parse options, run the engine, write outputs whole or not at all.
#include "scan_command.h"

#include <boost/program_options.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.h"
#include "contig.h"
#include "errors.h"
#include "output_file.h"
#include "panel.h"
#include "panel_annotator.h"
#include "scan_engine.h"
#include "scan_report.h"
#include "thread_count.h"
#include "vcf_input.h"
#include "version.h"

namespace po = boost::program_options;

namespace healcap {

namespace {

constexpr const char* kDefaultGrades = "replicated,suggestive";

// Keeps the matched records (scan --hits) to write them once the scan is over.
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

// Writes every record as it comes (annotate).
class PassThrough : public RecordSink {
 public:
  explicit PassThrough(VcfOutput& out) : out_(out) {}
  void consume(bcf_hdr_t* hdr, bcf1_t* rec, bool) override { out_.write(hdr, rec); }

 private:
  VcfOutput& out_;
};

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
        "grades", po::value<std::string>()->value_name("LIST")->default_value(kDefaultGrades),
        "evidence grades to score (replicated,suggestive,contested,null)")(
        "allow-no-hits", "exit 0 even when no panel site is found (the outputs say so)");
  }
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

std::string describe_seen(const ScanStats& st, const VcfInput& in) {
  std::ostringstream o;
  o << st.n_records << " records on " << st.contigs.size() << " contig(s)";
  for (size_t i = 0; i < st.contigs.size() && i < 5; ++i)
    o << (i ? ", " : " (") << st.contigs[i].name << ":" << st.contigs[i].first_pos << "-" << st.contigs[i].last_pos;
  if (!st.contigs.empty()) o << (st.contigs.size() > 5 ? ", ...)" : ")");
  (void)in;
  return o.str();
}

std::string describe_expected(const Panel& panel, Build b) {
  const auto& placed = panel.placed(b);
  if (placed.empty()) return "the panel has no sites in " + std::string(to_string(b));
  std::vector<std::string> contigs;
  for (size_t i : placed) {
    const auto& c = panel.sites()[i].in(b).contig;
    if (contigs.empty() || contigs.back() != c) contigs.push_back(c);
  }
  const PanelSite& ex = panel.sites()[placed.front()];
  std::string s = "the panel's " + std::to_string(placed.size()) + " " + std::string(to_string(b)) + " sites lie on " +
                  std::to_string(contigs.size()) + " chromosomes (" + contigs.front() + ".." + contigs.back() +
                  "), e.g. " + ex.rsid + " at " + ex.in(b).contig + ":" + std::to_string(ex.in(b).pos);
  return s;
}

void warn(const std::string& m) { std::fprintf(stderr, "healcap: warning: %s\n", m.c_str()); }

}  // namespace

int run_scan_command_config(const ScanConfig& cfg, const std::string& command_line) {
  if (cfg.help) {
    std::cout << cfg.help_text;
    return 0;
  }
  std::unique_ptr<Panel> own_panel;
  if (!cfg.panel_path.empty()) own_panel = std::make_unique<Panel>(Panel::load(cfg.panel_path));
  const Panel& panel = own_panel ? *own_panel : Panel::bundled();
  const char* cmd = cfg.annotate ? "annotate" : "scan";

  VcfInput in(cfg.input, cfg.threads);
  const BuildChoice build = choose_build(in.header(), cfg.input, cfg.build);
  // Warnings are printed once the run has succeeded; a failure carries them in its one line instead.
  std::vector<std::string> warnings = build.warnings;
  const auto print_warnings = [&warnings] {
    for (const auto& w : warnings) warn(w);
  };
  const std::string build_line = std::string("healcap ") + cmd + ": " + cfg.input + ": " +
                                 std::string(to_string(build.build)) + " (" + build.how + "), " + build.contig_style +
                                 " contig names, " + std::to_string(in.n_samples()) + " samples, panel " + panel.name() +
                                 " " + panel.version() + "\n";
  if (in.n_samples() == 0 && !cfg.annotate)
    warnings.push_back(cfg.input + ": the VCF has no samples: only PREFIX.sites.tsv and the JSON carry results");

  // The frozen header for the parallel stage and the outputs: the input's, plus the HC_* lines.
  std::unique_ptr<bcf_hdr_t, void (*)(bcf_hdr_t*)> work_hdr(bcf_hdr_dup(in.header()), bcf_hdr_destroy);
  if (!work_hdr) throw DataError(cfg.input + ": cannot copy the VCF header");
  const PanelAnnotator annotator(panel, build.build);
  const bool want_vcf = !cfg.vcf_out.empty();
  if (want_vcf) {
    annotator.add_header_lines(work_hdr.get());
    const std::string v = "##healcapVersion=" HEALCAP_VERSION;
    const std::string c = "##healcapCommand=" + command_line;
    bcf_hdr_append(work_hdr.get(), v.c_str());
    bcf_hdr_append(work_hdr.get(), c.c_str());
    if (bcf_hdr_sync(work_hdr.get()) != 0) throw DataError(cfg.input + ": cannot extend the VCF header");
  }

  SiteStore store(panel, build.build, static_cast<size_t>(in.n_samples()));
  ScanEngineOptions eo;
  eo.threads = cfg.threads;
  eo.parse_all = cfg.annotate;
  eo.require_sorted = cfg.index != IndexKind::kNone;
  eo.tag = want_vcf;

  std::unique_ptr<hts_tpool, void (*)(hts_tpool*)> out_pool(cfg.threads > 1 ? hts_tpool_init(cfg.threads) : nullptr,
                                                            [](hts_tpool* p) { if (p) hts_tpool_destroy(p); });
  ScanStats stats;
  if (cfg.annotate) {
    VcfOutput out(cfg.vcf_out, cfg.vcf_type, cfg.index, out_pool.get());
    out.write_header(work_hdr.get());
    PassThrough sink(out);
    stats = run_scan(in, work_hdr.get(), panel, build.build, annotator, eo, store, &sink);
    out.close();
    std::fputs(build_line.c_str(), stderr);
    print_warnings();
    std::fprintf(stderr, "healcap annotate: %llu records written, %zu panel rows matched\n",
                 static_cast<unsigned long long>(stats.n_records), store.n_found());
    return 0;
  }

  HitCollector hits;
  stats = run_scan(in, work_hdr.get(), panel, build.build, annotator, eo, store, want_vcf ? &hits : nullptr);
  if (!stats.first_unsorted.empty())
    warnings.push_back(cfg.input + ": input is not sorted (first at " + stats.first_unsorted +
                       "); scan results do not depend on order");
  if (stats.n_undefined > 0)
    warnings.push_back(cfg.input + ": " + std::to_string(stats.n_undefined) +
                       " records use a contig or tag the header does not define (first at " + stats.first_undefined + ")");

  const size_t n_found = store.n_found();
  if (n_found == 0) {
    const std::string msg = cfg.input + ": no panel site found in " + describe_seen(stats, in) + ", read as " +
                            std::string(to_string(build.build)) + " with " + build.contig_style +
                            " contig names; " + describe_expected(panel, build.build) +
                            ". Check the build (--build) and the contig names";
    if (!cfg.allow_no_hits) {
      std::string full = msg;
      for (const auto& w : warnings) full += "; note: " + w;
      throw DataError(full);
    }
    warnings.push_back(msg);
  }

  const std::vector<std::string> samples = in.sample_names();
  const std::vector<SampleScore> scores = score_samples(panel, store, cfg.score);
  RunInfo run;
  run.command_line = command_line;
  run.threads = cfg.threads;
  run.input_path = cfg.input;
  run.input_format = in.format_description();
  run.build = build;

  // Every output is rendered before any is published, then each appears whole (temporary name, rename).
  const std::string samples_text = samples_tsv(samples, scores);
  const std::string sites_text = sites_tsv(panel, build.build, store, cfg.score);
  const std::string json_text = report_json(panel, run, stats, samples, scores, store, cfg.score);
  std::unique_ptr<VcfOutput> vcf;
  if (want_vcf) {
    vcf = std::make_unique<VcfOutput>(cfg.vcf_out, cfg.vcf_type, cfg.index, out_pool.get());
    vcf->write_header(work_hdr.get());
    for (bcf1_t* r : hits.records()) vcf->write(work_hdr.get(), r);
  }
  OutputFile f_samples(cfg.out_prefix + ".samples.tsv", OutputFile::Compression::kNone);
  OutputFile f_sites(cfg.out_prefix + ".sites.tsv", OutputFile::Compression::kNone);
  OutputFile f_json(cfg.out_prefix + ".json", OutputFile::Compression::kNone);
  f_samples.write(samples_text);
  f_sites.write(sites_text);
  f_json.write(json_text);
  f_samples.close();
  f_sites.close();
  f_json.close();
  if (vcf) vcf->close();

  std::fputs(build_line.c_str(), stderr);
  print_warnings();
  size_t n_scored = 0, n_scored_found = 0;
  for (size_t i = 0; i < panel.sites().size(); ++i)
    if (cfg.score.scores(panel.sites()[i])) {
      ++n_scored;
      n_scored_found += store.results()[i].state == SiteState::kFound;
    }
  std::fprintf(stderr,
               "healcap scan: %llu records read; %zu of %zu panel rows found (%zu of %zu scored rows); wrote %s.samples.tsv, "
               "%s.sites.tsv, %s.json%s%s\n",
               static_cast<unsigned long long>(stats.n_records), n_found, panel.sites().size(), n_scored_found, n_scored,
               cfg.out_prefix.c_str(), cfg.out_prefix.c_str(), cfg.out_prefix.c_str(), want_vcf ? ", " : "",
               want_vcf ? cfg.vcf_out.c_str() : "");
  return 0;
}

int run_scan_command(const Invocation& inv) {
  return run_scan_command_config(parse_scan_args(inv.args, false), inv.command_line);
}
int run_annotate_command(const Invocation& inv) {
  return run_scan_command_config(parse_scan_args(inv.args, true), inv.command_line);
}

}  // namespace healcap
