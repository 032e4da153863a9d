// `healcap annotate`: every record passes through to the output, panel hits tagged with HC_* INFO fields.
// The same steps as scan: open the input, scan it (here every record, into the output as it comes), report.
#include <cstdio>
#include <iostream>
#include <cstring>
#include <cstdlib>
#include <memory>

#include "commands.h"
#include "scan_command.h"
#include "scan_steps.h"
#include "vcf_output.h"
#include "errors.h"
#include "atomic_outputs.h"

namespace healcap {

namespace {

// Writes every record as it comes.
class PassThrough : public RecordSink {
 public:
  explicit PassThrough(VcfOutput& out) : out_(out) {}
  void consume(bcf_hdr_t* hdr, bcf1_t* rec, bool) override { out_.write(hdr, rec); }

 private:
  VcfOutput& out_;
};

}  // namespace

int run_annotate_command(const Invocation& inv) {
  const ScanConfig cfg = parse_scan_args(inv.args, true);
  if (cfg.help) {
    std::cout << cfg.help_text;
    return 0;
  }
  check_output_folder(cfg.vcf_out, "-o/--output");
  // -o IN IN would overwrite the input while it is read (and leave its index stale).
  if (cfg.vcf_out != "-" && cfg.input != "-") {
    char* a = realpath(cfg.input.c_str(), nullptr);
    char* b = realpath(cfg.vcf_out.c_str(), nullptr);
    const bool same = a && b && std::strcmp(a, b) == 0;
    std::free(a);
    std::free(b);
    if (same)
      throw UsageError("healcap annotate: -o/--output " + cfg.vcf_out + " is the input file; write to another file");
  }
  RunSetup run = set_up_run(cfg, inv.command_line);
  const Panel& panel = *run.panel;
  OpenInput& input = run.input;
  const ScanPlan& plan = *run.plan;
  const ThreadPool pool = output_pool(cfg.threads, true);
  VcfOutput out(cfg.vcf_out, cfg.vcf_type, cfg.index, pool.get());
  out.write_header(plan.work_hdr());
  PassThrough sink(out);
  std::string read_mode, read_path;
  std::unique_ptr<ScanState> state = scan_into_state(input, plan, cfg, &sink, read_mode, read_path);
  out.close();
  const ScanStats stats = state->stats();
  std::fputs(build_line("annotate", input, input.build, concordance_words(stats.n_ref_concordant[0], stats.n_ref_checked[0]), panel)
                 .c_str(),
             stderr);
  for (const auto& w : state->warnings) print_warning(w);
  std::fprintf(stderr, "healcap annotate: %llu records written, %zu panel rows matched\n",
               static_cast<unsigned long long>(stats.n_records), state->stores[0].n_found());
  return 0;
}

}  // namespace healcap
