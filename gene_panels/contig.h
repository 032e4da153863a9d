// Contig-name normalisation, so that chr17, 17 and NC_000017.11 name the same chromosome.
#pragma once

#include <string>
#include <string_view>

namespace healcap {

// Returns the canonical name of a human chromosome: "1".."22", "X", "Y", "MT".
// Strips a leading "chr" (any case), maps M/chrM to MT, and maps RefSeq accessions
// NC_000001..NC_000024 (any version) to 1..22, X, Y and NC_012920 to MT, and GenBank accessions
// CM000663..CM000686 (any version: .1 is GRCh37, .2 GRCh38) to 1..22, X, Y.
// Names that are none of these (alt contigs, decoys, other species) come back unchanged.
std::string normalise_contig(std::string_view name);

// Sort key giving the usual karyotype order 1..22, X, Y, MT, then other names; ties break on name.
int contig_rank(std::string_view canonical);

}  // namespace healcap
