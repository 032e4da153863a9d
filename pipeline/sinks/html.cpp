// The PREFIX.html sink (scan/merge --html): the run's JSON document made in memory, read back and rendered, so the
// page is the one 'healcap report PREFIX.json' makes, byte for byte.
#include <memory>
#include <string>

#include "report_html.h"
#include "biomarker_report.h"
#include "scan_report.h"
#include "sink_factories.h"
#include "text_sink.h"

namespace healcap {

namespace {
class HtmlSink : public TextSink {
 public:
  HtmlSink(std::string path, std::string json_name, OutputSet& set) : TextSink(std::move(path), set), json_name_(std::move(json_name)) {}
  void write(const ScanResult& r) override {
    std::string json;
    report_json(*r.panel, r.run, r.stats, r.samples, r.scores, *r.store, r.score, inputs_json(r.inputs, r.failed, r.several),
                [&json](std::string_view piece) { json += piece; },
                r.biomarkers ? biomarkers_json(*r.biomarkers, BiomarkerReference::bundled()) : "");
    write_text(report_html_from_json(json, json_name_));
  }

 private:
  std::string json_name_;  // names the document in a message (an error there is healcap's own)
};
}  // namespace

std::unique_ptr<Sink> make_html_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<HtmlSink>(req.out_prefix + ".html", req.out_prefix + ".json (in memory)", set);
}

}  // namespace healcap
