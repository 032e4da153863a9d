// Primary-chromosome lengths of GRCh37 and GRCh38, for telling the builds apart from a VCF header.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vocabulary.h"

namespace healcap {

// Length of a canonical contig (normalise_contig) in a build, or nullopt for contigs outside 1-22, X, Y, MT.
// Values as written in real headers: GRCh37 from the 1000 Genomes phase 3 hs37d5 header, GRCh38 from the
// NYGC 1000 Genomes 30x GRCh38 header (both in ../shared/data/external).
std::optional<int64_t> assembly_length(Build build, std::string_view canonical_contig);

}  // namespace healcap
