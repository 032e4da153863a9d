// Steps 1 and 2 of a scan: open the input, scan it into a run state.
#include "scan_steps.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "driver.h"
#include "errors.h"
#include "record_source.h"
#include "regions.h"
#include "version.h"

namespace healcap {

namespace {

// Selects samples as bcftools -s/-S does (in header order); names the first unknown sample unless
// --force-samples. A sample shard keeps the i-th of n contiguous ranges of what is left.
void select_samples(OpenInput& o, const ScanConfig& cfg) {
  VcfInput& in = *o.in;
  std::vector<std::string> have = in.sample_names();
  o.n_file_samples = have.size();
  if (cfg.samples.empty() && cfg.shard_kind != 's') return;
  std::vector<std::string> sel = have;
  if (!cfg.samples.empty()) {
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
    std::set<std::string> kept;
    for (const auto& n : names) {
      if (std::find(have.begin(), have.end(), n) == have.end()) {
        if (!cfg.force_samples)
          throw DataError(cfg.input + ": sample '" + n + "' is not in the file; check -s/-S or add --force-samples");
        o.warnings.push_back(cfg.input + ": requested sample '" + n + "' is not in the file; ignored (--force-samples)");
        continue;
      }
      kept.insert(n);
    }
    if (!exclude && kept.empty()) throw DataError(cfg.input + ": none of the requested samples is in the file");
    sel.clear();
    for (const auto& h : have)
      if ((kept.count(h) > 0) != exclude) sel.push_back(h);
  }
  o.n_file_samples = sel.size();
  if (cfg.shard_kind == 's') {
    const uint64_t m = sel.size();
    const uint64_t beg = (cfg.shard_i - 1) * m / cfg.shard_n, end = cfg.shard_i * m / cfg.shard_n;
    sel = std::vector<std::string>(sel.begin() + beg, sel.begin() + end);
    o.sample_begin = beg;
  }
  if (sel.size() == have.size()) return;
  in.select_samples(sel);
}

Build other_build(Build b) { return b == Build::kGRCh37 ? Build::kGRCh38 : Build::kGRCh37; }

}  // namespace

OpenInput open_input(const ScanConfig& cfg) {
  OpenInput o;
  o.in = std::make_unique<VcfInput>(cfg.input, cfg.threads);
  if (!cfg.added_header_lines.empty()) o.in->add_header_lines(cfg.added_header_lines);
  o.build = choose_build(o.in->header(), cfg.input, cfg.build);
  o.warnings = o.build.warnings;
  select_samples(o, cfg);
  if (o.in->n_samples() == 0 && !cfg.annotate)
    o.warnings.push_back(cfg.input + ": the VCF has no samples: only PREFIX.sites.tsv and the JSON carry results");
  if (!o.build.determined && cfg.annotate)
    throw DataError(cfg.input + ": cannot tell GRCh37 from GRCh38 from the header (" + o.build.how +
                    "); pass --build GRCh37 or --build GRCh38");
  return o;
}

ScanPlan::ScanPlan(const Panel& panel, const OpenInput& input, const ScanConfig& cfg, const std::string& command_line)
    : panel_(panel),
      annot_{PanelAnnotator(panel, input.build.build, cfg.decode), PanelAnnotator(panel, other_build(input.build.build), cfg.decode)} {
  work_hdr_ = bcf_hdr_dup(input.in->header());
  if (!work_hdr_) throw DataError(cfg.input + ": cannot copy the VCF header");
  passes_ = {&annot_[0], cfg.annotate ? nullptr : &annot_[1]};
  tag_ = !cfg.vcf_out.empty();
  if (tag_) {
    if (!input.build.determined) throw UsageError("healcap scan: -o needs the build known before the scan; pass --build");
    annot_[0].add_header_lines(work_hdr_);
    const std::string v = "##healcapVersion=" HEALCAP_VERSION;
    const std::string c = "##healcapCommand=" + command_line;
    bcf_hdr_append(work_hdr_, v.c_str());
    bcf_hdr_append(work_hdr_, c.c_str());
    if (bcf_hdr_sync(work_hdr_) != 0) throw DataError(cfg.input + ": cannot extend the VCF header");
  }
}

ScanPlan::~ScanPlan() {
  if (work_hdr_) bcf_hdr_destroy(work_hdr_);
}

namespace {
// The fold of a run whose output is written a batch at a time.
class WritingFold : public BatchFold {
 public:
  WritingFold(ScanFold& fold, ScanState& state, BatchWriter& writer) : fold_(fold), state_(state), writer_(writer) {}
  void fold(Batch& b, uint64_t first_key) override {
    fold_.fold(b, first_key);
    if (!state_.header_incomplete) writer_.write(b);  // else the input is read again and this output discarded
  }
  void fold_failed(Batch& b, uint64_t first_key) override { fold_.fold_failed(b, first_key); }

 private:
  ScanFold& fold_;
  ScanState& state_;
  BatchWriter& writer_;
};
}  // namespace

std::unique_ptr<ScanState> scan_into_state(OpenInput& input, const ScanPlan& plan, const ScanConfig& cfg,
                                           RecordSink* sink, std::string& read_mode, std::string& read_path,
                                           BatchWriter* writer) {
  VcfInput& in = *input.in;
  SourceContext ctx;
  ctx.panel = &plan.panel();
  ctx.passes = plan.passes();
  ctx.parse_all = (cfg.annotate && !writer) || cfg.validate;
  ctx.validate = cfg.validate;
  ctx.path = cfg.input;
  ctx.regions = &cfg.regions;
  SourceRequest req;
  req.regions = !cfg.regions.empty();
  req.scan = !cfg.annotate;
  req.stream = cfg.stream;
  req.build_known = input.build.determined;
  req.index_file = cfg.index_file;
  req.threads = cfg.threads;
  if (writer) writer->configure(ctx);
  std::unique_ptr<RecordSource> source = open_source(in, ctx, req);
  if (writer) source = writer->wrap(std::move(source));
  read_path = source->describe();
  read_mode = source->read_mode();

  auto state = std::make_unique<ScanState>(plan.panel(), plan.builds(), in.sample_names(),
                                           cfg.index != IndexKind::kNone, cfg.input);
  for (const auto& w : input.warnings) state->add_warning(w);
  if (!cfg.regions.empty() || !cfg.targets.empty()) {
    const auto b = plan.builds();
    state->restrict_rows({rows_kept(plan.panel(), b[0], cfg.regions, cfg.targets),
                          rows_kept(plan.panel(), b[1], cfg.regions, cfg.targets)});
  }
  DriverOptions d;
  d.threads = cfg.threads;
  d.passes = plan.passes();
  d.work_hdr = plan.work_hdr();
  d.tag = plan.tag();
  d.progress = cfg.progress;
  ScanFold fold(*state, plan.work_hdr(), cfg.annotate, sink, cfg.input);
  if (writer) {
    d.after_annotate = [writer](Batch& b) { writer->make(b); };
    WritingFold writing(fold, *state, *writer);
    run_driver(*source, d, writing);
  } else {
    run_driver(*source, d, fold);
  }
  return state;
}

std::vector<std::string> header_lines_for_second_read(const OpenInput& input, const ScanConfig& cfg) {
  const std::string what = cfg.input + ": records use contigs or tags the header does not define";
  if (!cfg.added_header_lines.empty())
    throw DataError(what + ", even with the lines htslib added; add them to the header (bcftools reheader)");
  if (cfg.input == "-")
    throw DataError(what + " and standard input cannot be read again; add them to the header (bcftools reheader) "
                    "or give the file's path");
  std::vector<std::string> lines = input.in->learned_header_lines();
  if (lines.empty()) throw DataError(what + "; add them to the header (bcftools reheader)");
  return lines;
}

std::string added_header_lines_warning(const ScanConfig& cfg) {
  std::string names;
  const auto& lines = cfg.added_header_lines;
  for (size_t i = 0; i < lines.size() && i < 6; ++i) {
    const std::string& l = lines[i];
    const size_t eq = l.find('='), id = l.find("ID=");
    std::string kind = l.substr(2, eq == std::string::npos ? 0 : eq - 2), name;
    if (id != std::string::npos) name = l.substr(id + 3, l.find_first_of(",>", id + 3) - id - 3);
    names += (i ? ", " : "") + kind + " " + name;
  }
  if (lines.size() > 6) names += ", ...";
  return cfg.input + ": the header lacks " + std::to_string(lines.size()) + " line" + (lines.size() == 1 ? "" : "s") +
         " that records use (" + names + "); added as htslib reads them (undeclared tags as Type=String) and the " +
         "file read again";
}

RunSetup set_up_run(const ScanConfig& cfg, const std::string& command_line) {
  RunSetup r;
  r.panel = &load_panel(cfg, r.own_panel);
  r.input = open_input(cfg);
  r.plan = std::make_unique<ScanPlan>(*r.panel, r.input, cfg, command_line);
  return r;
}

ThreadPool output_pool(int threads, bool wanted) {
  return ThreadPool(threads > 1 && wanted ? hts_tpool_init(threads) : nullptr, [](hts_tpool* p) {
    if (p) hts_tpool_destroy(p);
  });
}

std::string concordance_words(uint64_t concordant, uint64_t checked) {
  return std::to_string(concordant) + "/" + std::to_string(checked) + " REF concordant";
}

std::string build_line(const char* cmd, const OpenInput& input, const BuildChoice& build, const std::string& conc,
                       const Panel& panel) {
  return std::string("healcap ") + cmd + ": " + input.in->path() + ": " + std::string(to_string(build.build)) + " (" +
         build.how + "), " + build.contig_style + "-style, " + conc + ", " + std::to_string(input.in->n_samples()) +
         " samples, panel " + panel_words(panel) + "\n";
}

void print_warning(const std::string& m) { std::fprintf(stderr, "healcap: warning: %s\n", m.c_str()); }

}  // namespace healcap
