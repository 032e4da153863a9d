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

// The populations an effect-allele frequency is given for (1000 Genomes superpopulations). The z-score's
// expectation uses one of them (--eaf-population; default EUR, the bundled panel's default).
enum class Population { kEUR, kAFR, kAMR, kEAS, kSAS };
constexpr size_t kNumPopulations = 5;
std::string_view to_string(Population p);
std::optional<Population> parse_population(std::string_view s);  // "EUR", ... (exact, upper case)
std::string population_names();                                    // "EUR, AFR, AMR, EAS, SAS"

// One effect-allele frequency of a row: for a population, from a kind of cohort, traced to a source.
struct PopulationEaf {
  Population population = Population::kEUR;
  std::string kind;    // reference_panel or study_cohort; empty when the panel does not say
  double eaf = 0;
  std::string source;  // e.g. panel_frequencies.tsv:138; empty when the panel does not say
  // false: the panel gives no population (a format-1 panel's eaf column, a PGS Catalog allelefrequency_effect);
  // such a frequency is taken as EUR, the default population, and the outputs say it was unstated.
  bool stated = true;
};

// One panel row: a site with the effect it has on one trait. Text fields keep the file's exact text.
struct PanelSite {
  std::string id, rsid, gene;  // rsid empty when '.'; gene empty for a PGS Catalog row
  Pathway pathway{};
  Trait trait{};
  std::string chrom;  // as written in the file ('.' when unknown)
  std::array<BuildLocus, 2> locus;  // indexed by Build
  std::string effect_allele;        // empty when unknown
  // The allele the effect allele is set against, when the panel knows it but not which one is REF (a PGS
  // Catalog row's other_allele); empty when unknown. A record must then carry both (annotators/panel_matcher).
  std::string other_allele;
  std::optional<double> odds_ratio;
  double weight = 0;
  std::string weight_text;  // the weight as written (a PGS Catalog effect_weight); empty: outputs format `weight`
  Model model{};
  std::optional<double> eaf;   // the eaf column: the row's frequency in eaf_population (EUR when unstated)
  std::string eaf_population;  // the eaf_population column as written ("EUR:reference_panel"); empty when '.'
  std::string eaf_source;      // the eaf_source column; empty when '.'
  // Every frequency the panel gives the row: the eaf column's, then a side table's (Panel::attach_eafs), one
  // per population.
  std::vector<PopulationEaf> eafs;
  EvidenceGrade grade{};
  std::string evidence, source, notes;
  std::vector<std::string> fields;  // the row's original text, in the file's column order
  int line = 0;                     // 1-based line in the file
  uint16_t component = 0;           // index into Panel::components(): the panel file the row came from
  // A row of a healcap panel TSV: pathway, trait and evidence grade apply, and a weight of 0 flags a site
  // without scoring it. A PGS Catalog row has none of these and is always scored (the score is used whole).
  bool curated = true;

  const BuildLocus& in(Build b) const { return locus[static_cast<size_t>(b)]; }
  bool scored() const { return !curated || weight != 0; }  // flag-only sites have weight 0
  const PopulationEaf* eaf_in(Population p) const;  // nullptr when the panel gives none for p
  VariantType type() const;                    // from the alleles, GRCh38 first
};

// The panel's required columns, in the canonical order written by exports.
const std::vector<std::string>& panel_columns();
// Columns a panel may have (format 2, healcap 1.1): other_allele, eaf_population, eaf_source. A panel without
// them loads as before ('.' everywhere).
const std::vector<std::string>& panel_optional_columns();
// The newest panel format this healcap reads ('##healcap_panel=N'; a file without the line is format 1).
constexpr int kPanelFormat = 2;

enum class PanelKind { kTsv, kPgsCatalog };
std::string_view to_string(PanelKind k);  // "healcap_tsv", "pgs_catalog"

// How panel files are read.
struct PanelLoadOptions {
  // PGS Catalog files: rows healcap cannot score (haplotypes, diplotypes, interactions, genotype-specific
  // weights, non-ACGT alleles) are skipped and counted instead of refused.
  bool pgs_skip_unsupported = false;
};

// One panel file of a run: its identity, its kind and where its rows sit in Panel::sites().
struct PanelComponent {
  std::string id;       // the output prefix and JSON key: ##panel name or pgs_id, with [^A-Za-z0-9_] made '_'
  std::string name;     // ##panel, or the PGS Catalog pgs_name (pgs_id when it has none)
  std::string version;  // ##version; empty for a PGS Catalog file (it has none)
  std::string sha256;   // of the (decompressed) file text
  std::string origin;   // the path, or "<bundled>/healing_panel.tsv"
  PanelKind kind = PanelKind::kTsv;
  std::vector<std::pair<std::string, std::string>> meta;  // '##key=value' / PGS '#key=value' lines, in order
  size_t first_row = 0, n_rows = 0;                        // [first_row, first_row + n_rows) in sites()
  // PGS Catalog files only.
  std::string pgs_id, genome_build;  // genome_build: the build the positions are read in (HmPOS_build when harmonised)
  bool harmonised = false;           // positions from hm_chr/hm_pos
  size_t n_file_rows = 0;            // variant rows in the file, skipped ones included
  // Rows skipped under --pgs-skip-unsupported, per reason (see pgs_catalog.h), in the order first met.
  std::vector<std::pair<std::string, size_t>> skipped;
  std::string meta_value(std::string_view key) const;  // "" when absent
};

// A panel's id from its name: characters other than [A-Za-z0-9_] become '_' (healcap-healing -> healcap_healing).
std::string panel_id_of(std::string_view name);

// An immutable panel. All indexes are built in the constructor; every method is const and thread-safe.
class Panel {
 public:
  // Parses panel text; `origin` names it in error messages (a path, or "<bundled>").
  // Throws PanelError naming origin:line:column on the first problem found.
  static Panel parse(std::string_view text, const std::string& origin);
  // Reads and parses a file: a healcap panel TSV, or a PGS Catalog scoring file (format 2.0), plain or
  // gzipped; throws PanelError when it cannot be read.
  static Panel load(const std::string& path, const PanelLoadOptions& opt = {});
  // One panel of several files' rows, in order, for a run with several --panel: each row keeps its component.
  // One part comes back unchanged. Throws PanelError when two parts share an id or a row id.
  static Panel combine(std::vector<Panel> parts);
  // The panel compiled into healcap (gene_panels/healing_panel.tsv at build time), with its side table of
  // effect-allele frequencies by population (gene_panels/healing_panel_eaf.tsv) attached.
  static const Panel& bundled();
  // Adds a side table of frequencies by population (columns id population kind eaf source notes; '##' lines
  // first) to the rows it names. Throws PanelError naming origin:line:column: an unknown row id, a population
  // given twice for a row, or one that disagrees with the row's eaf column.
  void attach_eafs(std::string_view text, const std::string& origin);
  // The side table's identity, when one is attached (its sha256 and origin); empty otherwise.
  const std::string& eaf_table_sha256() const { return eaf_sha256_; }
  const std::string& eaf_table_origin() const { return eaf_origin_; }

  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& sha256() const { return sha256_; }
  const std::string& origin() const { return origin_; }
  // The '##key=value' header lines in file order.
  const std::vector<std::pair<std::string, std::string>>& meta() const { return meta_; }
  const std::vector<std::string>& column_order() const { return column_order_; }
  const std::vector<PanelSite>& sites() const { return sites_; }
  // The panel files the rows came from (one for a single file); name/version/sha256 above are the first's
  // when there is one, else joined (sha256: of the components' identities).
  const std::vector<PanelComponent>& components() const { return components_; }
  const PanelComponent& component_of(const PanelSite& s) const { return components_[s.component]; }

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
  friend Panel parse_pgs_catalog(std::string_view text, const std::string& origin, const PanelLoadOptions& opt);

  std::string name_, version_, sha256_, origin_;
  std::string eaf_sha256_, eaf_origin_;
  std::vector<std::pair<std::string, std::string>> meta_;
  std::vector<std::string> column_order_;
  std::vector<PanelSite> sites_;
  std::vector<PanelComponent> components_;
  std::array<std::vector<size_t>, 2> by_position_;
  // contig -> [first, last) range in by_position_ for that build
  std::array<std::map<std::string, std::pair<size_t, size_t>, std::less<>>, 2> contig_range_;
  std::array<std::map<std::string, std::vector<int64_t>, std::less<>>, 2> contig_positions_;
};

}  // namespace healcap
