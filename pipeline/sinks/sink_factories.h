// The concrete sinks' factories, one per file of this folder, for the table in sink_table.cpp.
#pragma once

#include <memory>

#include "atomic_outputs.h"
#include "sink.h"

namespace healcap {

// Each makes its sink with its file created under a temporary name registered in `set`; throws DataError
// when the file cannot be created or `set` already holds its path.

// PREFIX.samples.tsv: samples_tsv() of the result.
std::unique_ptr<Sink> make_samples_tsv_sink(const SinkRequest& req, OutputSet& set);
// PREFIX.sites.tsv: sites_tsv() of the result; needs r.panel and r.store.
std::unique_ptr<Sink> make_sites_tsv_sink(const SinkRequest& req, OutputSet& set);
// PREFIX.json: report_json() of the result; needs r.panel and r.store.
std::unique_ptr<Sink> make_json_sink(const SinkRequest& req, OutputSet& set);
// PREFIX.calls.tsv.gz (req.calls): calls_tsv() of the result, deflated on req.pool when given; needs r.panel and
// r.store.
std::unique_ptr<Sink> make_calls_tsv_sink(const SinkRequest& req, OutputSet& set);
// PREFIX.failed.tsv (--keep-going): failed_tsv() of the result's failed inputs.
std::unique_ptr<Sink> make_failed_tsv_sink(const SinkRequest& req, OutputSet& set);
// req.hits_path: the panel-hit records as VCF/BCF of req.hits_type, indexed as req.hits_index (the index
// joins the set too); needs r.hits_hdr and r.hits, and throws std::logic_error without them.
std::unique_ptr<Sink> make_hits_vcf_sink(const SinkRequest& req, OutputSet& set);
// PREFIX.healcap_general_mqc.tsv, PREFIX.healcap_indexes_mqc.tsv, PREFIX.healcap_problem_sites_mqc.tsv: MultiQC
// custom content (multiqc.h); need r.panel and r.store.
std::unique_ptr<Sink> make_multiqc_general_sink(const SinkRequest& req, OutputSet& set);
std::unique_ptr<Sink> make_multiqc_indexes_sink(const SinkRequest& req, OutputSet& set);
std::unique_ptr<Sink> make_multiqc_problem_sites_sink(const SinkRequest& req, OutputSet& set);
// PREFIX.html (--html): the report page rendered from report_json() of the result, as 'healcap report' renders
// PREFIX.json; needs r.panel and r.store.
std::unique_ptr<Sink> make_html_sink(const SinkRequest& req, OutputSet& set);
// PREFIX.biomarkers.tsv (--biomarkers): biomarkers_tsv() of r.biomarkers.
std::unique_ptr<Sink> make_biomarkers_tsv_sink(const SinkRequest& req, OutputSet& set);

}  // namespace healcap
