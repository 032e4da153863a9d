// The PREFIX.html sink (scan/merge --html): the run's JSON document made in memory, read back and rendered, with each
// sample's call taken from the run itself (the calls file's text, cell for cell), so the page is the one
// 'healcap report PREFIX.json' makes from the JSON and PREFIX.calls.tsv.gz, byte for byte.
#include <memory>
#include <string>

#include "biomarker_report.h"
#include "calls_table.h"
#include "json_reader.h"
#include "report_html.h"
#include "report_model.h"
#include "scan_report.h"
#include "sink_factories.h"
#include "text_sink.h"

namespace healcap {

namespace {
class HtmlSink : public TextSink {
 public:
  HtmlSink(std::string path, std::string json_name, OutputSet& set) : TextSink(std::move(path), set), json_name_(std::move(json_name)) {}
  void write(const ScanResult& r) override {
    RunReport report;
    {
      std::string json;
      report_json(*r.panel, r.run, r.stats, r.samples, r.scores, *r.store, r.score, inputs_json(r.inputs, r.failed, r.several),
                  [&json](std::string_view piece) { json += piece; },
                  r.biomarkers ? biomarkers_json(*r.biomarkers, BiomarkerReference::bundled()) : "",
                  r.site_stats.empty() ? nullptr : &r.site_stats);
      const JsonDocument doc = JsonDocument::parse(json, json_name_);
      report = read_run_report(doc.root());
    }  // the document and its tree are freed before the calls are added
    if (report_call_count(report) <= kReportMaxGenotypeChars) {
      TextBuffer gt;
      set_report_calls(report, [&](size_t i, std::vector<ReportCall>& out) {
        for (const Call& c : r.store->results()[i].calls) {
          gt.clear();
          append_gt(gt, c);
          out.push_back({std::string(gt.view()), report.call_states[static_cast<size_t>(c.state)].first, dosage_text(c.dosage)});
        }
      });
    }
    write_text(render_report_html(report));
  }

 private:
  std::string json_name_;  // names the document in a message (an error there is healcap's own)
};
}  // namespace

std::unique_ptr<Sink> make_html_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<HtmlSink>(req.out_prefix + ".html", req.out_prefix + ".json (in memory)", set);
}

}  // namespace healcap
