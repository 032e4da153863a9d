// `healcap annotate`: every record passes through to the output, panel hits tagged with HC_* INFO fields.
// The same steps as scan: open the input, scan it (here every record, into the output as it comes), report.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <cstring>
#include <cstdlib>
#include <memory>

#include "commands.h"
#include "progress.h"
#include "scan_command.h"
#include "scan_steps.h"
#include "vcf_output.h"
#include "verbatim_vcf.h"
#include "errors.h"
#include "record_slot.h"
#include "atomic_outputs.h"

namespace healcap {

namespace {

// Writes every record as it comes.
class PassThrough : public RecordSink {
 public:
  PassThrough(VcfOutput& out, std::string input) : out_(out), input_(std::move(input)) {}
  void consume(bcf_hdr_t* hdr, bcf1_t* rec, bool) override {
    check_sample_columns(hdr, rec, std::string(bcf_seqname_safe(hdr, rec)) + ":" + std::to_string(rec->pos + 1), input_);
    out_.write(hdr, rec);
  }

 private:
  VcfOutput& out_;
  std::string input_;
};

// The verbatim path's sink: its records are written by the batch (VerbatimVcfWriter); each parsed one is
// checked here as PassThrough checks it, in input order.
class CheckColumns : public RecordSink {
 public:
  explicit CheckColumns(std::string input) : input_(std::move(input)) {}
  void consume(bcf_hdr_t* hdr, bcf1_t* rec, bool) override {
    check_sample_columns(hdr, rec, std::string(bcf_seqname_safe(hdr, rec)) + ":" + std::to_string(rec->pos + 1), input_);
  }

 private:
  std::string input_;
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
  ScanConfig c = cfg;
  // The progress line goes to stderr; not when the records go to the same terminal, where it would cut into them.
  Progress progress;
  progress.expect_inputs({c.input});
  ProgressLine progress_line("healcap annotate", progress,
                             progress_wanted(c.quiet) && !(c.vcf_out == "-" && isatty(STDOUT_FILENO)));
  c.progress = &progress;
  RunSetup run = set_up_run(c, inv.command_line);
  // bgzipped VCF in and out: lines that hit no panel row are copied as read (verbatim_vcf.h); else htslib writes.
  std::string why_htslib;
  const bool verbatim = verbatim_path_applies(c, run.input, why_htslib);
  const ThreadPool pool = output_pool(c.threads, !verbatim);
  std::unique_ptr<VcfOutput> out;
  std::unique_ptr<VerbatimVcfWriter> writer;
  std::unique_ptr<RecordSink> sink;
  const auto open_output = [&] {
    if (verbatim) {
      writer = std::make_unique<VerbatimVcfWriter>(run.input, *run.plan, c);
      sink = std::make_unique<CheckColumns>(c.input);
    } else {
      out = std::make_unique<VcfOutput>(c.vcf_out, c.vcf_type, c.index, pool.get(), nullptr, c.compress_level);
      out->write_header(run.plan->work_hdr());
      sink = std::make_unique<PassThrough>(*out, c.input);
    }
  };
  const auto discard_output = [&] {  // its temporary file goes before another is made under the same name
    sink.reset();
    writer.reset();
    out.reset();
  };
  open_output();
  std::string read_mode, read_path;
  std::unique_ptr<ScanState> state =
      scan_into_state(run.input, *run.plan, c, sink.get(), read_mode, read_path, writer.get());
  if (state->header_incomplete) {
    // A record uses a contig or tag the header lacks: as bcftools does, the output's header gets the lines
    // htslib adds for them; they are known only once the input is read, so it is read again.
    c.added_header_lines = header_lines_for_second_read(run.input, c);
    discard_output();
    run.plan.reset();  // it points into the panel that the new set-up replaces
    run = set_up_run(c, inv.command_line);
    open_output();
    state = scan_into_state(run.input, *run.plan, c, sink.get(), read_mode, read_path, writer.get());
    if (state->header_incomplete) header_lines_for_second_read(run.input, c);  // throws
    state->add_warning(added_header_lines_warning(c));
  }
  if (writer) writer->close();
  else out->close();
  progress_line.stop();
  const Panel& panel = *run.panel;
  OpenInput& input = run.input;
  const ScanStats stats = state->stats();
  if (!c.quiet)
    std::fputs(build_line("annotate", input, input.build, concordance_words(stats.n_ref_concordant[0], stats.n_ref_checked[0]),
                          panel)
                   .c_str(),
               stderr);
  if (!c.quiet) {
    if (verbatim)
      std::fprintf(stderr, "healcap annotate: write path: lines that hit no panel row copied verbatim, BGZF level %d "
                           "(libdeflate on the workers)\n", c.compress_level);
    else
      std::fprintf(stderr, "healcap annotate: write path: htslib (%s)\n", why_htslib.c_str());
  }
  for (const auto& w : state->warnings) print_warning(w);
  for (const auto& w : panel_warnings(panel)) print_warning(w);
  if (!c.quiet)
    std::fprintf(stderr, "healcap annotate: %llu records written, %zu panel rows matched\n",
                 static_cast<unsigned long long>(stats.n_records), state->stores[0].n_found());
  return 0;
}

}  // namespace healcap
