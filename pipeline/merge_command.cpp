// `healcap merge`: partials of a sharded scan (by region, sample range or file list) into the outputs the whole
// scan would have written. The partials' segments are grouped by input, each input's segments joined, then
// settled and appended in list order: the steps a scan runs, so the outputs are the same bytes.
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "calls_options.h"
#include "cohort.h"
#include "commands.h"
#include "errors.h"
#include "help_format.h"
#include "partial.h"
#include "progress.h"
#include "scan_command.h"
#include "scan_report.h"
#include "scan_steps.h"
#include "sink.h"
#include "thread_count.h"

namespace po = boost::program_options;

namespace healcap {

namespace {

struct MergeConfig {
  std::vector<std::string> partials;
  std::string out_prefix;
  std::vector<std::string> panel_paths;
  bool pgs_skip_unsupported = false;
  int threads = 1;
  bool quiet = false;
  bool html = false;  // --html: PREFIX.html too
  CallsChoice calls;  // --calls, --no-calls, --calls-max-samples: PREFIX.calls.tsv.gz
  BiomarkerConfig biomarkers;  // --biomarkers: a layer for partials made without one (or in place of theirs)
};

std::string plan_words(const PartialHeader& h) {
  if (!h.plan_kind) return "no shard plan";
  return std::string(h.plan_kind == 'r' ? "region" : h.plan_kind == 's' ? "sample" : "file") + " shard " +
         std::to_string(h.plan_i) + "/" + std::to_string(h.plan_n);
}

// The checks between partials: one panel (read_partial), the same options, one plan, every shard once.
void check_partials(const std::vector<PartialContents>& parts) {
  const PartialContents& a = parts.front();
  for (const PartialContents& b : parts) {
    if (b.header.options != a.header.options)
      throw DataError(b.path + " and " + a.path + " were made with different options (" + b.header.options_text + " vs " +
                      a.header.options_text + "); merge the partials of one run");
    if (b.header.plan_kind != a.header.plan_kind || b.header.plan_n != a.header.plan_n)
      throw DataError(b.path + " (" + plan_words(b.header) + ") and " + a.path + " (" + plan_words(a.header) +
                      ") belong to different shard plans; merge the shards of one plan");
    if (a.header.plan_kind == 'f' && b.header.n_list_inputs != a.header.n_list_inputs)
      throw DataError(b.path + " and " + a.path + " were made from different input lists (" +
                      std::to_string(b.header.n_list_inputs) + " vs " + std::to_string(a.header.n_list_inputs) + " inputs)");
  }
  if (!a.header.plan_kind) return;
  const uint32_t n = a.header.plan_n;
  // The shard numbers come from the files: checked, and kept in a map (a plan of 2^32 - 1 shards is no
  // reason to allocate for each).
  std::map<uint32_t, const PartialContents*> seen;
  for (const PartialContents& b : parts) {
    const uint32_t i = b.header.plan_i;
    if (i < 1 || i > n)
      throw DataError(b.path + ": the partial is corrupt (shard " + std::to_string(i) + " of " + std::to_string(n) +
                      "); make it again with 'healcap scan --partial'");
    const auto it = seen.find(i);
    if (it != seen.end())
      throw DataError(b.path + " and " + it->second->path + " are both " + plan_words(b.header) + "; give each shard once");
    seen[i] = &b;
  }
  std::string missing;
  const uint64_t n_missing = uint64_t(n) - seen.size();
  size_t listed = 0;
  for (uint32_t i = 1; listed < 5 && listed < n_missing; ++i)
    if (!seen.count(i)) {
      missing += (missing.empty() ? "" : ", ") + std::to_string(i) + "/" + std::to_string(n);
      ++listed;
    }
  if (n_missing)
    throw DataError("healcap merge: " + std::to_string(n_missing) + " of " + std::to_string(n) + " " +
                    std::string(a.header.plan_kind == 'r' ? "region" : a.header.plan_kind == 's' ? "sample" : "file") +
                    " shards are missing (" + missing + (n_missing > 5 ? ", ..." : "") + ") from the " +
                    std::to_string(parts.size()) + " partials given (first: " + a.path + "); add them or rerun those shards");
}

MergeConfig parse_merge_args(const std::vector<std::string>& args, bool& help) {
  // One options_description per group, in the order the help prints them (help_format.h).
  OptionGroup input("Input options"), panel("Panel options"), outputs("Output options"), biomarkers("Biomarker options"),
      performance("Performance options"), general("General options");
  input.add_options()("partial-list", po::value<std::string>()->value_name("FILE"),
                      "partials, one path per line ('#' comments allowed), after those on the command line");
  panel.add_options()("panel", po::value<std::vector<std::string>>()->value_name("FILE")->composing(),
                      "the panels the scans used, in their order ('bundled' names the bundled panel) [the bundled "
                      "healing panel]")(
      "pgs-skip-unsupported", "as the scans: skip the PGS Catalog rows healcap cannot score");
  outputs.add_options()("out", po::value<std::string>()->value_name("PREFIX"),
                        "write PREFIX.samples.tsv, PREFIX.sites.tsv, PREFIX.json, PREFIX.calls.tsv.gz and the MultiQC "
                        "files (required)");
  add_calls_options(outputs);
  outputs.add_options()("html", ("also write PREFIX.html, the report page ('healcap report PREFIX.json' makes the same); "
                                 "at most " + std::to_string(kHtmlMaxSamples) + " samples").c_str());
  add_biomarker_options(biomarkers);
  performance.add_options()("threads", po::value<int>()->value_name("N"),
                            "threads reading the partials [the CPUs this process may use]");
  general.add_options()("quiet", "no progress line and no closing summary on stderr; warnings and errors still appear")(
      "help,h", "print this help and exit");
  const std::vector<const OptionGroup*> groups = {&input, &panel, &outputs, &biomarkers, &performance, &general};
  po::options_description all;
  for (const auto* g : groups) all.add(*g);
  all.add_options()("partial", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("partial", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("healcap merge: ") + e.what() + "; see 'healcap merge --help'");
  }
  MergeConfig m;
  if (vm.count("help")) {
    std::cout << format_help("healcap merge [options] --out PREFIX <PARTIAL...> | --partial-list FILE",
                             "Join the partials of a sharded scan (healcap scan --partial, by region, sample range or file\n"
                             "list) into PREFIX.samples.tsv, PREFIX.sites.tsv, PREFIX.json, PREFIX.calls.tsv.gz, the MultiQC\n"
                             "files and, with --html, PREFIX.html: the same bytes as the whole scan, except the JSON's \"run\"\n"
                             "object.\n"
                             "Research use only: the scores are not a diagnosis.",
                             groups);
    help = true;
    return m;
  }
  const auto fail = [](const std::string& msg) -> void { throw UsageError("healcap merge: " + msg); };
  if (vm.count("partial")) m.partials = vm["partial"].as<std::vector<std::string>>();
  if (vm.count("partial-list")) {
    const std::string list = vm["partial-list"].as<std::string>();
    std::ifstream f(list);
    if (!f) fail("--partial-list: cannot open '" + list + "'");
    for (std::string line; std::getline(f, line);) {
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
      const size_t b = line.find_first_not_of(" \t");
      if (b == std::string::npos || line[b] == '#') continue;
      m.partials.push_back(line.substr(b));
    }
  }
  if (m.partials.empty()) fail("no partials given (PARTIAL... or --partial-list FILE)");
  if (!vm.count("out")) fail("--out PREFIX is required");
  m.out_prefix = vm["out"].as<std::string>();
  m.html = vm.count("html") > 0;
  if (vm.count("panel")) m.panel_paths = vm["panel"].as<std::vector<std::string>>();
  m.pgs_skip_unsupported = vm.count("pgs-skip-unsupported") > 0;
  m.threads = vm.count("threads") ? vm["threads"].as<int>() : default_thread_count();
  if (m.threads < 1 || m.threads > 1024) fail("--threads must be between 1 and 1024");
  m.quiet = vm.count("quiet") > 0;
  m.biomarkers = read_biomarker_options(vm, "merge");
  m.calls = read_calls_options(vm, "merge");
  return m;
}

}  // namespace

int run_merge_command(const Invocation& inv) {
  bool help = false;
  const MergeConfig m = parse_merge_args(inv.args, help);
  if (help) return 0;
  check_output_folder(m.out_prefix, "--out");
  ScanConfig cfg;
  cfg.panel_paths = m.panel_paths;
  cfg.pgs_skip_unsupported = m.pgs_skip_unsupported;
  std::unique_ptr<Panel> own_panel;
  const Panel& panel = load_panel(cfg, own_panel);

  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  const auto secs = [](clock::time_point a, clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  // Read (inflate, check, decode) the partials on the threads; an error names its partial. The progress line
  // counts the partials read and their bytes.
  Progress progress;
  progress.expect_inputs(m.partials);
  ProgressLine progress_line("healcap merge", progress, progress_wanted(m.quiet), "partials");
  std::vector<PartialContents> parts(m.partials.size());
  std::vector<std::exception_ptr> errors(parts.size());
  {
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(m.threads));
    tbb::task_arena arena(m.threads);
    arena.execute([&] {
      tbb::parallel_for(size_t{0}, parts.size(), [&](size_t i) {
        try {
          parts[i] = read_partial(m.partials[i], panel);
          progress.add_bytes(input_size(m.partials[i]));
          progress.add_files_done(1);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      });
    });
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  const auto t_read = clock::now();
  check_partials(parts);
  apply_partial_options(parts.front().header, cfg);
  // The biomarker layer: the one the scans carried (the same in every partial), or --biomarkers here.
  std::optional<BiomarkerSource> biomarkers;
  for (const PartialContents& p : parts) {
    const PartialContents& a = parts.front();
    if (p.biomarkers.has_value() != a.biomarkers.has_value() || (p.biomarkers && *p.biomarkers != *a.biomarkers))
      throw DataError(p.path + " and " + a.path + " carry different biomarker layers (" +
                      (p.biomarkers ? p.biomarkers->path : "no --biomarkers") + " vs " +
                      (a.biomarkers ? a.biomarkers->path : "no --biomarkers") +
                      "); merge the partials of one run (or give every scan the same --biomarkers and options)");
  }
  biomarkers = parts.front().biomarkers;
  if (m.biomarkers.given()) {
    BiomarkerSource mine = load_biomarker_source(m.biomarkers);
    if (biomarkers && *biomarkers != mine)
      print_warning("the partials' biomarker layer (" + biomarkers->path + ") is replaced by --biomarkers " + mine.path);
    biomarkers = std::move(mine);
  }
  if (biomarkers) check_biomarker_source(*biomarkers);
  cfg.threads = m.threads;
  cfg.out_prefix = m.out_prefix;

  // Each input's segments, with the partials they came from. An input is its place in its run's list and its
  // path: shards of one run share both; partials of separate runs (one scan per file, no plan) hold different
  // paths at the same place and follow each other in the order the partials are given.
  struct Group {
    std::vector<Segment> segs;
    std::vector<std::string> names;
    std::string failed;  // the reason, when a shard failed on this input
    std::string path;
    uint64_t order = 0;
    size_t first_part = 0;
  };
  std::map<std::pair<uint64_t, std::string>, Group> by_key;
  for (size_t pi = 0; pi < parts.size(); ++pi) {
    PartialContents& p = parts[pi];
    const auto group = [&](uint64_t order, const std::string& path) -> Group& {
      auto [it, fresh] = by_key.try_emplace({order, path});
      if (fresh) {
        it->second.path = path;
        it->second.order = order;
        it->second.first_part = pi;
      }
      return it->second;
    };
    for (Segment& s : p.segments) {
      Group& g = group(s.info.order, s.info.path);
      g.names.push_back(p.path);
      g.segs.push_back(std::move(s));
    }
    for (const FailedInput& f : p.failed) {
      Group& g = group(f.order, f.path);
      if (g.failed.empty()) g.failed = f.reason;
    }
  }
  std::vector<Group*> groups;
  for (auto& [key, g] : by_key) groups.push_back(&g);
  std::sort(groups.begin(), groups.end(), [](const Group* x, const Group* y) {
    return x->order != y->order ? x->order < y->order : x->first_part < y->first_part;
  });
  // The outputs list each input when the run did, or when the partials hold several.
  cfg.several = cfg.several || groups.size() > 1;
  Cohort cohort(panel, cfg);
  uint64_t place = 0;  // the input's place in the merged list
  for (Group* gp : groups) {
    Group& g = *gp;
    const uint64_t order = place++;
    if (!g.failed.empty()) {
      cohort.add_failed({order, g.path, g.failed});
      continue;
    }
    Segment seg = join_segments(std::move(g.segs), g.names);
    if (seg.info.sample_begin != 0 || seg.state->samples().size() != seg.info.n_file_samples) {
      const uint64_t have_beg = seg.info.sample_begin, have_end = have_beg + seg.state->samples().size();
      throw DataError(g.path + ": the partials (" + g.names.front() + (g.names.size() > 1 ? ", ..." : "") + ") hold its samples " +
                      std::to_string(have_beg + 1) + ".." + std::to_string(have_end) + " of " +
                      std::to_string(seg.info.n_file_samples) + "; a sample shard is missing");
    }
    try {
      cohort.add(settle_input(std::move(seg), cfg));
    } catch (const DataError& e) {
      if (!cfg.keep_going) throw;
      cohort.add_failed({order, g.path, e.what()});
    }
  }
  const auto t_join = clock::now();
  std::vector<std::string> warnings;
  ScanResult result;
  run_on_threads(m.threads, [&] { result = cohort.result(inv.command_line, cfg.several, warnings); });
  result.run.partials = m.partials;
  SinkRequest req;
  req.out_prefix = m.out_prefix;
  req.keep_going = cfg.keep_going;
  req.html = m.html;
  if (m.html) check_html_samples("merge", result.samples.size());
  choose_calls(m.calls, m.out_prefix, result, req);
  const ThreadPool out_pool = output_pool(m.threads, req.calls);
  req.pool = out_pool.get();
  if (biomarkers) {
    result.biomarkers = make_biomarker_layer(*biomarkers, genetic_samples(result));
    req.biomarkers = true;
  }
  const auto t_score = clock::now();
  std::vector<std::string> written;
  run_on_threads(m.threads, [&] { written = write_outputs(result, req); });
  const auto t_write = clock::now();
  progress_line.stop();
  for (const auto& w : warnings) std::fprintf(stderr, "healcap: warning: %s\n", w.c_str());
  for (const auto& w : panel_warnings(panel)) std::fprintf(stderr, "healcap: warning: %s\n", w.c_str());
  for (const auto& f : result.failed) std::fprintf(stderr, "healcap: failed input (--keep-going): %s\n", f.reason.c_str());
  std::string w;
  for (size_t i = 0; i < written.size(); ++i) w += (i ? ", " : "") + written[i];
  if (result.biomarkers) print_biomarker_lines(*result.biomarkers, "merge");
  if (!m.quiet) {
    std::fprintf(stderr, "healcap merge: %zu partials, %zu inputs (%zu failed), %zu samples; wrote %s\n", parts.size(),
                 result.inputs.size(), result.failed.size(), result.samples.size(), w.c_str());
    std::fprintf(stderr, "healcap merge: %.3f s reading the partials, %.3f s joining and settling, %.3f s scoring, %.3f s writing\n",
                 secs(t0, t_read), secs(t_read, t_join), secs(t_join, t_score), secs(t_score, t_write));
  }
  if (!result.failed.empty()) return 1;
  if (cfg.min_completeness && cfg.fail_on_incomplete)
    for (const auto& sc : result.scores)
      if (below_min_completeness(sc, *cfg.min_completeness)) {
        std::fprintf(stderr, "healcap: error: samples have completeness below %s; see below_min_completeness in %s.samples.tsv\n",
                     fixed6(*cfg.min_completeness).c_str(), m.out_prefix.c_str());
        return 3;
      }
  return 0;
}

}  // namespace healcap
