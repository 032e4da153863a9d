// The sink seam: one output format each. A sink is made with the run's OutputSet, writes the finished result
// to a temporary file of that set, and close() checks the write; the set is published only when every sink
// has closed, so a run leaves all of its outputs or none.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <htslib/thread_pool.h>

#include "atomic_outputs.h"
#include "scan_result.h"
#include "vcf_output.h"

namespace healcap {

class Sink {
 public:
  virtual ~Sink() = default;
  // Writes the whole output (to its temporary file). Throws DataError naming the file on failure.
  virtual void write(const ScanResult& r) = 0;
  // Flushes and closes, checking every step; throws DataError naming the file. The file is published by the
  // OutputSet afterwards.
  virtual void close() = 0;
  // The final path, for the run's summary line.
  virtual const std::string& path() const = 0;
};

// What the sinks of a scan need to know beyond the result: where to write and how.
struct SinkRequest {
  std::string out_prefix;  // PREFIX for PREFIX.samples.tsv, PREFIX.sites.tsv, PREFIX.json
  std::string hits_path;   // -o FILE: the panel-hit records; empty: none
  char hits_type = 'v';    // -O
  IndexKind hits_index = IndexKind::kNone;  // -W
  hts_tpool* pool = nullptr;                // compression threads for the hits file and the calls file
  bool keep_going = false;                  // --keep-going: PREFIX.failed.tsv too
  bool calls = false;                       // PREFIX.calls.tsv.gz: each sample's call (CallsChoice::wanted)
  bool html = false;                        // --html: PREFIX.html, the report page
  bool biomarkers = false;                  // --biomarkers: PREFIX.biomarkers.tsv (needs r.biomarkers)
};

// One row of the sink table: a name, whether the request wants it, and how to make it.
struct SinkKind {
  const char* name;
  bool (*wanted)(const SinkRequest&);
  std::unique_ptr<Sink> (*make)(const SinkRequest&, OutputSet&);
};
// The table, in the order the outputs are written: samples.tsv, sites.tsv, json, calls.tsv.gz, the MultiQC files,
// failed.tsv, hits (VCF/BCF), html, biomarkers.tsv.
const std::vector<SinkKind>& sink_kinds();

// Makes every wanted sink, writes `r` to each, closes each, then publishes the set. Nothing is left behind
// when any step fails. Returns the paths written, in table order.
std::vector<std::string> write_outputs(const ScanResult& r, const SinkRequest& req);
// The same into `set`, which the caller publishes with its other outputs (a partial).
std::vector<std::string> write_outputs(const ScanResult& r, const SinkRequest& req, OutputSet& set);

}  // namespace healcap
