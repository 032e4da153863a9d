// `healcap scan` / `healcap annotate`: parse options, run the engine, write outputs whole or not at all.
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
#include "contig.h"
#include "errors.h"
#include "indexed_scan.h"
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
      "min-ref-concordance", po::value<double>()->value_name("X")->default_value(0.9, "0.9"),
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

namespace {

// Selects samples as bcftools -s/-S does; names the first unknown sample unless --force-samples.
// Returns the selection given to bcf_hdr_set_samples ("" for all samples).
std::string select_samples(VcfInput& in, const ScanConfig& cfg, std::vector<std::string>& warnings) {
  if (cfg.samples.empty()) return "";
  const bool exclude = cfg.samples[0] == '^';
  const std::string list = exclude ? cfg.samples.substr(1) : cfg.samples;
  std::vector<std::string> names;
  if (cfg.samples_is_file) {
    std::ifstream f(list);
    if (!f) throw DataError(list + ": cannot open the samples file (-S)");
    for (std::string line; std::getline(f, line);)
      if (!line.empty()) names.push_back(line.substr(0, line.find_first_of(" \t")));
  } else {
    std::stringstream ss(list);
    for (std::string n; std::getline(ss, n, ',');)
      if (!n.empty()) names.push_back(n);
  }
  const auto have = in.sample_names();
  std::vector<std::string> kept;
  for (const auto& n : names) {
    if (std::find(have.begin(), have.end(), n) == have.end()) {
      if (!cfg.force_samples)
        throw DataError(cfg.input + ": sample '" + n + "' is not in the file; check -s/-S or add --force-samples");
      warnings.push_back(cfg.input + ": requested sample '" + n + "' is not in the file; ignored (--force-samples)");
      continue;
    }
    kept.push_back(n);
  }
  std::string arg = exclude ? "^" : "";
  for (size_t i = 0; i < kept.size(); ++i) arg += (i ? "," : "") + kept[i];
  if (!exclude && kept.empty()) throw DataError(cfg.input + ": none of the requested samples is in the file");
  if (bcf_hdr_set_samples(in.header(), arg.c_str(), 0) < 0)
    throw DataError(cfg.input + ": cannot select samples '" + cfg.samples + "'");
  return arg;
}

// Reads a BED file of callable regions and marks the panel rows (placed in `b`) that lie inside one.
std::vector<bool> callable_rows(const std::string& path, const Panel& panel, Build b) {
  std::ifstream f(path);
  if (!f) throw DataError(path + ": cannot open the --callable BED file");
  std::map<std::string, std::vector<std::pair<int64_t, int64_t>>> iv;
  std::string line;
  int n = 0;
  while (std::getline(f, line)) {
    ++n;
    if (line.empty() || line[0] == '#' || line.rfind("track", 0) == 0 || line.rfind("browser", 0) == 0) continue;
    std::stringstream ss(line);
    std::string chrom;
    int64_t beg = -1, end = -1;
    if (!(ss >> chrom >> beg >> end) || beg < 0 || end < beg)
      throw DataError(path + ":" + std::to_string(n) + ": not a BED line (chrom, 0-based start, end)");
    iv[normalise_contig(chrom)].emplace_back(beg, end);
  }
  std::vector<bool> out(panel.sites().size(), false);
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const BuildLocus& l = panel.sites()[i].in(b);
    if (!l.placed()) continue;
    const auto it = iv.find(l.contig);
    if (it == iv.end()) continue;
    for (const auto& [beg, end] : it->second)
      if (l.pos - 1 >= beg && l.pos - 1 < end) {
        out[i] = true;
        break;
      }
  }
  return out;
}

std::string concordance_words(uint64_t concordant, uint64_t checked) {
  return std::to_string(concordant) + "/" + std::to_string(checked) + " REF concordant";
}

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
  BuildChoice build = choose_build(in.header(), cfg.input, cfg.build);
  // Warnings are printed once the run has succeeded; a failure carries them in its one line instead.
  std::vector<std::string> warnings = build.warnings;
  const std::string sample_arg = select_samples(in, cfg, warnings);
  if (in.n_samples() == 0 && !cfg.annotate)
    warnings.push_back(cfg.input + ": the VCF has no samples: only PREFIX.sites.tsv and the JSON carry results");
  if (!build.determined && cfg.annotate)
    throw DataError(cfg.input + ": cannot tell GRCh37 from GRCh38 from the header (" + build.how +
                    "); pass --build GRCh37 or --build GRCh38");

  // The frozen header for the parallel stage and the outputs: the input's, plus the HC_* lines.
  std::unique_ptr<bcf_hdr_t, void (*)(bcf_hdr_t*)> work_hdr(bcf_hdr_dup(in.header()), bcf_hdr_destroy);
  if (!work_hdr) throw DataError(cfg.input + ": cannot copy the VCF header");
  const Build primary = build.build;
  const Build other = primary == Build::kGRCh37 ? Build::kGRCh38 : Build::kGRCh37;
  const PanelAnnotator annot_primary(panel, primary, cfg.decode), annot_other(panel, other, cfg.decode);
  const bool want_vcf = !cfg.vcf_out.empty();
  if (want_vcf) {
    if (!build.determined) throw UsageError("healcap scan: -o needs the build known before the scan; pass --build");
    annot_primary.add_header_lines(work_hdr.get());
    const std::string v = "##healcapVersion=" HEALCAP_VERSION;
    const std::string c = "##healcapCommand=" + command_line;
    bcf_hdr_append(work_hdr.get(), v.c_str());
    bcf_hdr_append(work_hdr.get(), c.c_str());
    if (bcf_hdr_sync(work_hdr.get()) != 0) throw DataError(cfg.input + ": cannot extend the VCF header");
  }

  const size_t n_samples = static_cast<size_t>(in.n_samples());
  SiteStore store_primary(panel, primary, n_samples), store_other(panel, other, n_samples);
  const std::array<BuildPass, 2> passes = {BuildPass{&annot_primary, &store_primary},
                                           BuildPass{cfg.annotate ? nullptr : &annot_other, &store_other}};
  ScanEngineOptions eo;
  eo.threads = cfg.threads;
  eo.parse_all = cfg.annotate;
  eo.require_sorted = cfg.index != IndexKind::kNone;
  eo.tag = want_vcf;

  // Compression threads for a VCF/BCF output, only when there is one.
  std::unique_ptr<hts_tpool, void (*)(hts_tpool*)> out_pool(cfg.threads > 1 && want_vcf ? hts_tpool_init(cfg.threads) : nullptr,
                                                            [](hts_tpool* p) { if (p) hts_tpool_destroy(p); });
  const auto build_line = [&](const std::string& conc) {
    return std::string("healcap ") + cmd + ": " + cfg.input + ": " + std::string(to_string(build.build)) + " (" +
           build.how + "), " + build.contig_style + "-style, " + conc + ", " + std::to_string(in.n_samples()) +
           " samples, panel " + panel.name() + " " + panel.version() + "\n";
  };
  ScanStats stats;
  if (cfg.annotate) {
    VcfOutput out(cfg.vcf_out, cfg.vcf_type, cfg.index, out_pool.get());
    out.write_header(work_hdr.get());
    PassThrough sink(out);
    stats = run_scan(in, work_hdr.get(), panel, passes, eo, &sink);
    out.close();
    std::fputs(build_line(concordance_words(stats.n_ref_concordant[0], stats.n_ref_checked[0])).c_str(), stderr);
    for (const auto& w : warnings) warn(w);
    std::fprintf(stderr, "healcap annotate: %llu records written, %zu panel rows matched\n",
                 static_cast<unsigned long long>(stats.n_records), store_primary.n_found());
    return 0;
  }

  HitCollector hits;
  // With an index, read only the panel's positions; the results equal a streaming read's.
  const std::string index_path =
      !cfg.stream && build.determined ? find_index(cfg.input, in.is_bcf(), cfg.index_file) : std::string();
  if (!cfg.index_file.empty() && index_path.empty())
    throw UsageError("healcap scan: --index needs the build known from the header; pass --build");
  stats = index_path.empty()
              ? run_scan(in, work_hdr.get(), panel, passes, eo, want_vcf ? &hits : nullptr)
              : run_indexed_scan(cfg.input, index_path, in.is_bcf(), in.header(), work_hdr.get(), panel, passes, eo,
                                 want_vcf ? &hits : nullptr);

  // The build: from the header, or, when it says nothing, from REF concordance at each build's panel sites.
  SiteStore* store = &store_primary;
  SiteStore* other_store = &store_other;
  int p = 0;  // index of the chosen build's pass in the stats
  if (!build.determined) {
    const uint64_t c0 = stats.n_ref_concordant[0], c1 = stats.n_ref_concordant[1];
    if (c0 == 0 && c1 == 0)
      throw DataError(cfg.input + ": cannot tell GRCh37 from GRCh38: the " + build.how + ", and no record at a panel "
                      "position of either build carries the panel's REF; pass --build GRCh37 or --build GRCh38");
    if (c1 > c0) {
      std::swap(store, other_store);
      p = 1;
    }
    build.build = p == 0 ? primary : other;
    build.how = "REF concordance at panel sites: " + std::to_string(stats.n_ref_concordant[p]) + "/" +
                std::to_string(stats.n_ref_checked[p]) + " for " + std::string(to_string(build.build)) + " vs " +
                std::to_string(stats.n_ref_concordant[1 - p]) + "/" + std::to_string(stats.n_ref_checked[1 - p]) +
                " for " + std::string(to_string(p == 0 ? other : primary)) + " (the header says nothing)";
  }
  const Build chosen = build.build, unchosen = chosen == Build::kGRCh37 ? Build::kGRCh38 : Build::kGRCh37;
  const uint64_t checked = stats.n_ref_checked[p], concordant = stats.n_ref_concordant[p];
  const uint64_t o_checked = stats.n_ref_checked[1 - p], o_concordant = stats.n_ref_concordant[1 - p];
  const std::string conc = concordance_words(concordant, checked);

  // Rows missing in the chosen build whose other-build position holds a record with that build's REF.
  for (size_t i = 0; i < panel.sites().size(); ++i) {
    const SiteResult& o = other_store->results()[i];
    const BuildLocus& ol = panel.sites()[i].in(unchosen);
    if (o.state == SiteState::kFound && o.match.type == MatchType::kDirect && !ol.ref.empty() && o.record.ref == ol.ref)
      store->note_build_mismatch(i, o.record);
  }

  if (!stats.first_unsorted.empty())
    warnings.push_back(cfg.input + ": input is not sorted (first at " + stats.first_unsorted +
                       "); scan results do not depend on order");
  if (stats.n_undefined > 0)
    warnings.push_back(cfg.input + ": " + std::to_string(stats.n_undefined) +
                       " records use a contig or tag the header does not define (first at " + stats.first_undefined + ")");

  const auto likely_cause = [&]() -> std::string {
    if (o_concordant > 0 && o_concordant * 2 >= o_checked)
      return "likely cause: wrong build: " + std::to_string(o_concordant) + "/" + std::to_string(o_checked) +
             " records at the panel's " + std::string(to_string(unchosen)) + " positions carry its " +
             std::string(to_string(unchosen)) + " REF; rerun with --build " + std::string(to_string(unchosen));
    if (stats.n_panel_position_records[p] == 0) {
      // Do the input's contigs name chromosomes the panel has sites on?
      // The header's contigs and those seen in records (a file may lack ##contig lines).
      std::vector<std::string> names;
      int n_seq = 0;
      const char** seq = bcf_hdr_seqnames(in.header(), &n_seq);
      for (int i = 0; i < n_seq; ++i) names.emplace_back(seq[i]);
      free(seq);
      for (const auto& c : stats.contigs) names.push_back(c.name);
      std::vector<std::string> shared;
      for (const auto& n : names)
        if (panel.positions(chosen, normalise_contig(n)) && std::find(shared.begin(), shared.end(), n) == shared.end())
          shared.push_back(n);
      if (shared.empty())
        return "likely cause: a contig naming mismatch (none of the input's contig names, " + build.contig_style +
               "-style, is a chromosome the panel has sites on)";
      return "likely cause: the input covers none of the panel's positions on " + shared.front() +
             (shared.size() > 1 ? " and " + std::to_string(shared.size() - 1) + " other contig(s)" : "") +
             " (a region, an exome or a targeted file?), or a build mismatch";
    }
    return "likely cause: a different reference or not a human VCF (REFs at panel positions do not match)";
  };
  if (checked > 0 && static_cast<double>(concordant) < cfg.min_ref_concordance * static_cast<double>(checked)) {
    std::string msg = cfg.input + ": only " + conc + " at " + std::string(to_string(chosen)) +
                      " panel sites (--min-ref-concordance " + fixed6(cfg.min_ref_concordance) + "); " + likely_cause();
    for (const auto& w : warnings) msg += "; note: " + w;
    throw DataError(msg);
  }

  const size_t n_found = store->n_found();
  size_t n_usable = 0;
  for (const auto& r : store->results())
    n_usable += r.state == SiteState::kFound || r.state == SiteState::kRefBlock || r.state == SiteState::kFiltered;
  if (n_usable == 0) {
    std::string msg = cfg.input + ": no panel site found in " + describe_seen(stats, in) +
                      (index_path.empty() ? "" : " (an indexed read of the panel's positions)") + ", read as " +
                      std::string(to_string(chosen)) + " with " + build.contig_style + "-style contig names; " +
                      describe_expected(panel, chosen) + "; " + likely_cause();
    if (!cfg.allow_no_hits) {
      for (const auto& w : warnings) msg += "; note: " + w;
      throw DataError(msg);
    }
    warnings.push_back(msg);
  }

  ScoreOptions score = cfg.score;
  if (!cfg.callable_bed.empty()) score.callable = callable_rows(cfg.callable_bed, panel, chosen);
  const std::vector<std::string> samples = in.sample_names();
  const std::vector<SampleScore> scores = score_samples(panel, chosen, *store, score);
  RunInfo run;
  run.command_line = command_line;
  run.threads = cfg.threads;
  run.input_path = cfg.input;
  run.input_format = in.format_description();
  run.read_mode = index_path.empty() ? "streaming" : "indexed: " + index_path;
  run.build = build;
  run.ref_concordance = conc;
  run.dosage_mode = cfg.dosage_text;
  run.min_completeness = cfg.min_completeness;
  std::vector<std::string> opts;
  if (cfg.decode.pass_only) opts.push_back("--pass-only");
  if (cfg.decode.min_gq > 0) opts.push_back("--min-gq " + std::to_string(cfg.decode.min_gq));
  if (cfg.decode.min_dp > 0) opts.push_back("--min-dp " + std::to_string(cfg.decode.min_dp));
  if (!cfg.callable_bed.empty()) opts.push_back("--callable " + cfg.callable_bed);
  if (cfg.score.absent_as_ref) opts.push_back("--absent-as-ref");
  for (size_t i = 0; i < opts.size(); ++i) run.options += (i ? " " : "") + opts[i];

  // Every output is rendered before any is published, then each appears whole (temporary name, rename).
  const std::string samples_text = samples_tsv(samples, scores, cfg.min_completeness);
  const std::string sites_text = sites_tsv(panel, chosen, *store, score);
  const std::string json_text = report_json(panel, run, stats, samples, scores, *store, score);
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

  std::fputs(build_line(conc).c_str(), stderr);
  for (const auto& w : warnings) warn(w);
  size_t n_scored = 0, n_scored_found = 0;
  for (size_t i = 0; i < panel.sites().size(); ++i)
    if (score.scores(panel.sites()[i])) {
      ++n_scored;
      n_scored_found += store->results()[i].state == SiteState::kFound || store->results()[i].state == SiteState::kRefBlock;
    }
  size_t n_block = 0;
  for (const auto& r : store->results()) n_block += r.state == SiteState::kRefBlock;
  std::fprintf(stderr,
               "healcap scan: %llu records read; %zu of %zu panel rows found in records, %zu in reference blocks (%zu of %zu "
               "scored rows); wrote %s.samples.tsv, %s.sites.tsv, %s.json%s%s\n",
               static_cast<unsigned long long>(stats.n_records), n_found, panel.sites().size(), n_block, n_scored_found, n_scored,
               cfg.out_prefix.c_str(), cfg.out_prefix.c_str(), cfg.out_prefix.c_str(), want_vcf ? ", " : "",
               want_vcf ? cfg.vcf_out.c_str() : "");
  if (cfg.min_completeness) {
    size_t below = 0;
    std::string first;
    for (size_t k = 0; k < samples.size(); ++k)
      if (scores[k].all.completeness().value_or(0) < *cfg.min_completeness && below++ == 0) first = samples[k];
    if (below > 0) {
      const std::string msg = cfg.input + ": " + std::to_string(below) + " of " + std::to_string(samples.size()) +
                              " samples have completeness below " + fixed6(*cfg.min_completeness) + " (first: " + first +
                              "); see below_min_completeness in " + cfg.out_prefix + ".samples.tsv";
      if (cfg.fail_on_incomplete) {
        std::fprintf(stderr, "healcap: error: %s\n", msg.c_str());
        return 3;
      }
      warn(msg);
    }
  }
  return 0;
}

int run_scan_command(const Invocation& inv) {
  return run_scan_command_config(parse_scan_args(inv.args, false), inv.command_line);
}
int run_annotate_command(const Invocation& inv) {
  return run_scan_command_config(parse_scan_args(inv.args, true), inv.command_line);
}

}  // namespace healcap
