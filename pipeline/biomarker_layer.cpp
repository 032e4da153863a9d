// The biomarker layer's options, its source (files and options, as partials carry it), and the layer made for a
// run's samples.
#include "biomarker_layer.h"

#include <boost/program_options.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <stdexcept>

#include "biomarker_input.h"
#include "byte_codec.h"
#include "errors.h"
#include "report_model.h"
#include "scan_steps.h"

namespace po = boost::program_options;

namespace healcap {

void add_biomarker_options(OptionGroup& group, bool with_file) {
  if (with_file)
    group.add_options()("biomarkers", po::value<std::string>()->value_name("FILE"),
                        "lab measurements (TSV or CSV, one per row: sample, marker, value, unit, timepoint, ...) "
                        "judged beside the genetic index, never folded into it: PREFIX.biomarkers.tsv and the JSON's "
                        "\"biomarkers\"");
  group.add_options()("sample-map", po::value<std::string>()->value_name("FILE"),
                      "lab sample id -> VCF sample id, two tab-separated columns")(
      "timepoints", po::value<std::string>()->value_name("LIST"),
      "the timepoints in order (baseline,3m,12m) [the rows' dates order them]")(
      "rcv", po::value<std::string>()->value_name("lognormal|symmetric")->default_value("lognormal"),
      "which reference change limits decide a verdict");
}

BiomarkerConfig read_biomarker_options(const po::variables_map& vm, const std::string& cmd, const std::string& file) {
  const auto fail = [&](const std::string& m) -> void {
    throw UsageError("healcap " + cmd + ": " + m + "; see 'healcap " + cmd + " --help'");
  };
  BiomarkerConfig c;
  c.path = !file.empty() ? file : vm.count("biomarkers") ? vm["biomarkers"].as<std::string>() : "";
  if (vm.count("biomarkers") && vm["biomarkers"].as<std::string>().empty()) fail("--biomarkers needs a file");
  const std::string rcv = vm.count("rcv") ? vm["rcv"].as<std::string>() : "lognormal";
  if (rcv == "symmetric") c.rcv = RcvLimits::kSymmetric;
  else if (rcv != "lognormal") fail("--rcv '" + rcv + "' is not lognormal or symmetric");
  if (vm.count("sample-map")) c.sample_map = vm["sample-map"].as<std::string>();
  if (vm.count("timepoints")) {
    const std::string list = vm["timepoints"].as<std::string>();
    std::set<std::string> seen;
    size_t b = 0;
    for (size_t i = 0; i <= list.size(); ++i) {
      if (i < list.size() && list[i] != ',') continue;
      std::string t = list.substr(b, i - b);
      while (!t.empty() && t.front() == ' ') t.erase(t.begin());
      while (!t.empty() && t.back() == ' ') t.pop_back();
      if (t.empty()) fail("--timepoints '" + list + "' has an empty timepoint; give them comma-separated, in order");
      if (!seen.insert(t).second) fail("--timepoints '" + list + "' names '" + t + "' twice");
      c.timepoints.push_back(t);
      b = i + 1;
    }
  }
  const bool others = vm.count("sample-map") || vm.count("timepoints") || (vm.count("rcv") && !vm["rcv"].defaulted());
  if (!c.given() && others) fail("--sample-map, --timepoints and --rcv go with --biomarkers FILE");
  return c;
}

namespace {

std::string read_file(const std::string& path, const char* what) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw DataError(path + ": cannot open the " + what + ": " + std::strerror(errno));
  std::string text;
  char buf[1 << 16];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) text.append(buf, static_cast<size_t>(f.gcount()));
  if (f.bad()) throw DataError(path + ": read error in the " + what + ": " + std::strerror(errno));
  return text;
}

BiomarkerInput parse_source(const BiomarkerSource& s) {
  std::unique_ptr<SampleMap> map;
  if (!s.map_path.empty()) map = std::make_unique<SampleMap>(parse_sample_map(s.map_text, s.map_path));
  BiomarkerOptions opt;
  opt.timepoints = s.timepoints;
  opt.rcv = s.rcv;
  return parse_biomarker_input(s.text, s.path, map.get(), opt, BiomarkerReference::bundled());
}

}  // namespace

BiomarkerSource load_biomarker_source(const BiomarkerConfig& cfg) {
  BiomarkerSource s;
  s.path = cfg.path;
  s.text = read_file(cfg.path, "biomarker file");
  if (!cfg.sample_map.empty()) {
    s.map_path = cfg.sample_map;
    s.map_text = read_file(cfg.sample_map, "sample map");
  }
  s.timepoints = cfg.timepoints;
  s.rcv = cfg.rcv;
  return s;
}

std::string encode_biomarker_source(const BiomarkerSource& s) {
  std::string o;
  put_s(o, s.path);
  put_s(o, s.text);
  put_s(o, s.map_path);
  put_s(o, s.map_text);
  put_u(o, s.timepoints.size());
  for (const auto& t : s.timepoints) put_s(o, t);
  o.push_back(static_cast<char>(s.rcv));
  return o;
}

BiomarkerSource decode_biomarker_source(const std::string& in) {
  BiomarkerSource s;
  size_t at = 0;
  s.path = get_s(in, at);
  s.text = get_s(in, at);
  s.map_path = get_s(in, at);
  s.map_text = get_s(in, at);
  const uint64_t n = get_u(in, at);
  if (n > in.size() - at) short_bytes();
  for (uint64_t i = 0; i < n; ++i) s.timepoints.push_back(get_s(in, at));
  if (at >= in.size()) short_bytes();
  const auto r = static_cast<uint8_t>(in[at++]);
  if (r > 1) throw std::runtime_error("bad --rcv");
  s.rcv = static_cast<RcvLimits>(r);
  if (at != in.size()) throw std::runtime_error("bytes left after the biomarker block");
  return s;
}

std::shared_ptr<const BiomarkerLayer> make_biomarker_layer(const BiomarkerSource& s, const GeneticSamples& genetic) {
  auto layer = std::make_shared<BiomarkerLayer>();
  judge_biomarkers(*layer, parse_source(s), BiomarkerReference::bundled(), s.rcv, genetic);
  return layer;
}

void check_biomarker_source(const BiomarkerSource& s) { parse_source(s); }

GeneticSamples genetic_samples(const ScanResult& r) {
  GeneticSamples g;
  g.known = true;
  g.samples = r.samples;
  const auto& comps = r.panel->components();
  for (size_t c = 0; c < comps.size(); ++c) {
    if (comps[c].kind != PanelKind::kPgsCatalog || comps[c].pgs_id != kCrpPgsId) continue;
    g.has_crp_score = true;
    g.crp_panel = comps[c].id;
    g.crp_column = c == 0 ? "weighted_sum" : comps[c].id + "_weighted_sum";
    for (const SampleScore& s : r.scores) {
      const GroupScore& all = s.panels.empty() ? s.all : s.panels[c].all;
      g.crp_scores.push_back(all.completeness() && all.n_observed > 0 ? std::optional<double>(all.weighted_sum) : std::nullopt);
    }
    break;
  }
  return g;
}

GeneticSamples genetic_samples(const JsonValue& root) {
  const RunReport run = read_run_report(root);
  GeneticSamples g;
  g.known = true;
  for (const ReportSample& s : run.samples) g.samples.push_back(s.name);
  for (size_t c = 0; c < run.panels.size(); ++c) {
    const ReportPanel& p = run.panels[c];
    if (!p.score || p.pgs_id != kCrpPgsId) continue;
    g.has_crp_score = true;
    g.crp_panel = p.id;
    g.crp_column = c == 0 ? "weighted_sum" : p.id + "_weighted_sum";
    for (const ReportSample& s : run.samples) {
      const ReportGroup& all = s.panels[c].all;
      g.crp_scores.push_back(all.completeness.present && all.weighted_sum.present && all.completeness.value > 0
                                 ? std::optional<double>(all.weighted_sum.value)
                                 : std::nullopt);
    }
    break;
  }
  return g;
}

void print_biomarker_lines(const BiomarkerLayer& layer, const char* cmd) {
  for (const std::string& w : layer.input.warnings) print_warning(w);
  const auto names = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size() && i < 5; ++i) s += (i ? ", " : "") + v[i];
    return s + (v.size() > 5 ? ", ..." : "");
  };
  if (!layer.without_genotypes.empty())
    std::fprintf(stderr, "healcap %s: %zu sample(s) with biomarkers have no genotypes in the run (%s); shown in the "
                 "biomarker outputs only (a lab id to map with --sample-map?)\n",
                 cmd, layer.without_genotypes.size(), names(layer.without_genotypes).c_str());
  if (!layer.genotyped_without.empty())
    std::fprintf(stderr, "healcap %s: %zu genotyped sample(s) have no biomarker rows (%s)\n", cmd,
                 layer.genotyped_without.size(), names(layer.genotyped_without).c_str());
}

}  // namespace healcap
