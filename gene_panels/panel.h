// The panel: site rows loaded from a panel TSV, validated strictly, indexed by contig and position per build.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vocabulary.h"

namespace healcap {

// A bad panel file. what() is one line: "FILE:LINE:COLUMN: message" (COLUMN 1-based, 0 when the whole line).
class PanelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class VariantType { kSnv, kMnv, kIndel, kSymbolic, kUnknown };
std::string_view to_string(VariantType t);

// A site's coordinates and alleles in one build. Positions are 1-based as in VCF text.
struct BuildLocus {
  std::string contig;             // canonical name (normalise_contig), empty when unplaced
  int64_t pos = 0;                // 1-based; 0 when unknown in this build
  std::string ref;                // empty when unknown
  std::vector<std::string> alts;  // empty when unknown
  bool placed() const { return pos > 0; }
  bool alleles_known() const { return !ref.empty() && !alts.empty(); }
};

// One panel row: a site with the effect it has on one trait. Text fields keep the file's exact text.
struct PanelSite {
  std::string id, rsid, gene;  // rsid empty when '.'
  Pathway pathway{};
  Trait trait{};
  std::string chrom;  // as written in the file ('.' when unknown)
  std::array<BuildLocus, 2> locus;  // indexed by Build
  std::string effect_allele;        // empty when unknown
  std::optional<double> odds_ratio;
  double weight = 0;
  Model model{};
  std::optional<double> eaf;
  EvidenceGrade grade{};
  std::string evidence, source, notes;
  std::vector<std::string> fields;  // the row's original text, in the file's column order
  int line = 0;                     // 1-based line in the file

  const BuildLocus& in(Build b) const { return locus[static_cast<size_t>(b)]; }
  bool scored() const { return weight != 0; }  // flag-only sites have weight 0
  VariantType type() const;                    // from the alleles, GRCh38 first
};

// The panel's required columns, in the canonical order written by exports.
const std::vector<std::string>& panel_columns();

// An immutable panel. All indexes are built in the constructor; every method is const and thread-safe.
class Panel {
 public:
  // Parses panel text; `origin` names it in error messages (a path, or "<bundled>").
  // Throws PanelError naming origin:line:column on the first problem found.
  static Panel parse(std::string_view text, const std::string& origin);
  // Reads and parses a file; throws PanelError when it cannot be read.
  static Panel load(const std::string& path);
  // The panel compiled into healcap (gene_panels/healing_panel.tsv at build time).
  static const Panel& bundled();

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& sha256() const { return sha256_; }
  const std::string& origin() const { return origin_; }
  // The '##key=value' header lines in file order.
  const std::vector<std::pair<std::string, std::string>>& meta() const { return meta_; }
  const std::vector<std::string>& column_order() const { return column_order_; }
  const std::vector<PanelSite>& sites() const { return sites_; }

  // Indices into sites() of rows at a 1-based position on a contig (any spelling), in file order.
  std::vector<size_t> sites_at(Build b, std::string_view contig, int64_t pos) const;
  // Indices of rows whose position lies in [beg, end] (1-based, inclusive), sorted by position.
  std::vector<size_t> sites_in(Build b, std::string_view contig, int64_t beg, int64_t end) const;
  // Indices of rows placed in build b, sorted by karyotype contig order then position then file order.
  const std::vector<size_t>& placed(Build b) const { return by_position_[static_cast<size_t>(b)]; }
  // Sorted 1-based positions of the rows placed on a canonical contig in build b (duplicates kept);
  // nullptr when the panel has none there. For a reader's cheap "is this position on the panel?" test.
  const std::vector<int64_t>* positions(Build b, const std::string& canonical_contig) const;
  // Rows whose id, rsID or gene equals `key` (rsID and gene case-insensitively).
  std::vector<size_t> find(std::string_view key) const;

 private:
  Panel() = default;
  void build_index();

  std::string name_, version_, sha256_, origin_;
  std::vector<std::pair<std::string, std::string>> meta_;
  std::vector<std::string> column_order_;
  std::vector<PanelSite> sites_;
  std::array<std::vector<size_t>, 2> by_position_;
  // contig -> [first, last) range in by_position_ for that build
  std::array<std::map<std::string, std::pair<size_t, size_t>, std::less<>>, 2> contig_range_;
  std::array<std::map<std::string, std::vector<int64_t>, std::less<>>, 2> contig_positions_;
};

}  // namespace healcap
