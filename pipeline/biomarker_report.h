// The biomarker layer's text: PREFIX.biomarkers.tsv, the JSON's "biomarkers" object and the summary columns
// samples.tsv gains with --biomarkers. Byte-identical for identical layers.
#pragma once

#include <sstream>
#include <string>

#include "biomarker_reference.h"
#include "biomarkers.h"

namespace healcap {

// The JSON member `"biomarkers":{...}` (no comma around it), with the reference facts this layer used.
std::string biomarkers_json(const BiomarkerLayer& layer, const BiomarkerReference& ref);
// A standalone document: {"healcap":{"version","research_use"},"biomarkers":{...}} (healcap biomarkers).
std::string biomarkers_json_document(const BiomarkerLayer& layer, const BiomarkerReference& ref);
// PREFIX.biomarkers.tsv: one row per sample, marker, specimen and timepoint.
std::string biomarkers_tsv(const BiomarkerLayer& layer, const BiomarkerReference& ref);

// samples.tsv's summary columns (each after a tab): the header's, and one sample's ('.' without rows).
void biomarker_summary_header(std::ostringstream& o, const BiomarkerLayer& layer);
void biomarker_summary_cells(std::ostringstream& o, const BiomarkerLayer& layer, const std::string& sample);

}  // namespace healcap
