// The PREFIX.sites.tsv sink: one row per panel row with what the scan found there.
#include <memory>

#include "scan_report.h"
#include "sink_factories.h"
#include "text_sink.h"

namespace healcap {

namespace {
class SitesTsvSink : public TextSink {
 public:
  using TextSink::TextSink;
  void write(const ScanResult& r) override { write_text(sites_tsv(*r.panel, r.build, *r.store, r.score, r.site_stats.empty() ? nullptr : &r.site_stats)); }
};
}  // namespace

std::unique_ptr<Sink> make_sites_tsv_sink(const SinkRequest& req, OutputSet& set) {
  return std::make_unique<SitesTsvSink>(req.out_prefix + ".sites.tsv", set);
}

}  // namespace healcap
