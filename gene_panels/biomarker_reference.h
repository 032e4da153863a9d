// The biomarker reference: marker names, units, roles, biological variation and the hs-CRP categories, parsed
// from gene_panels/biomarkers/*.tsv (copies of ../shared/biomarkers) into an immutable index. No htslib, no TBB.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace healcap {

// A bad reference file. what() is one line: "ORIGIN:LINE: message".
class BiomarkerReferenceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where a measurement was made. The order is the outputs' order.
enum class Specimen : uint8_t { kSerum, kPlasma, kSynovialFluid, kWholeBlood };
constexpr size_t kNumSpecimens = 4;
std::string_view to_string(Specimen s);  // serum, plasma, synovial_fluid, whole_blood
// Case-insensitive; ' ' and '-' are read as '_' ("Synovial fluid" is synovial_fluid). nullopt otherwise.
std::optional<Specimen> parse_specimen(std::string_view text);
// Serum and plasma: the specimens the bundled blood CVs are applied to.
inline bool is_blood_fraction(Specimen s) { return s == Specimen::kSerum || s == Specimen::kPlasma; }

// How names and units are compared. Names: surrounding blanks dropped, ASCII letters folded to lower case
// (other bytes, such as the Greek letters of IL-1β, compared as they are). Units: the same, and the micro
// sign (U+00B5) and Greek mu (U+03BC) both read as 'u', so µg/mL, μg/mL and ug/mL are one unit.
std::string fold_name(std::string_view s);
std::string fold_unit(std::string_view s);

// One accepted unit of a marker: value_in_canonical = value x factor.
struct UnitFactor {
  std::string unit;         // as markers.tsv writes it
  std::string factor_text;  // as written
  double factor = 0;
};

// What a significant change means, from markers.tsv's decrease_means.
enum class Direction : uint8_t { kNone, kDecreaseImproves, kDecreaseWorsens };

struct BiomarkerMarker {
  std::string name;                   // canonical: CRP, IL-6, TNF-alpha, ...
  std::vector<std::string> synonyms;  // as written
  std::string role, canonical_unit, decrease_means, role_source;
  std::vector<UnitFactor> units;
  std::vector<Specimen> specimens;    // the usual specimens, in the file's order
  int line = 0;
  // decrease_means less_inflammation, less_matrix_breakdown, less_pain_signal: a fall improves;
  // less_anti_inflammatory_signal, less_matrix_protection: a fall worsens; context_dependent,
  // not_a_treatment_marker: no direction.
  Direction direction = Direction::kNone;
  // decrease_means less_inflammation: counted among the pro-inflammatory markers of the per-sample summary.
  bool pro_inflammatory = false;
};

// One row of biological_variation.tsv. CVs in %, nullopt where the file says '.'.
struct BiologicalVariation {
  size_t marker = 0;           // index into markers()
  std::string specimen_text;   // as written ("serum (ELISA calibrated to WHO reference material)")
  Specimen specimen{};         // its first word: serum or plasma
  std::string population;
  std::optional<double> cv_within, cv_analytical, cv_between, critical_difference;
  std::string n_subjects, sampling, citation, how_read, status;
  int line = 0;
};

// One row of decision_categories.tsv: [low, high) in `unit` (high nullopt: no upper end).
struct DecisionCategory {
  size_t marker = 0;
  std::vector<Specimen> specimens;
  std::string category, unit, meaning, citation, notes;
  double low = 0;
  std::optional<double> high;
  int line = 0;
};

class BiomarkerReference {
 public:
  // Parses the three files' texts; `origin` is the folder they are named under in messages. Throws
  // BiomarkerReferenceError naming ORIGIN/FILE:LINE on the first problem (a missing or misnamed column, a
  // field count, a bad number or factor, an unknown specimen, a name or synonym given to two markers, a
  // variation or category row for a marker markers.tsv lacks, a category unit other than the canonical one).
  static BiomarkerReference parse(std::string_view markers_tsv, std::string_view variation_tsv,
                                  std::string_view categories_tsv, const std::string& origin);
  // The reference compiled into healcap (gene_panels/biomarkers at build time).
  static const BiomarkerReference& bundled();
  // The bundled files' texts, as compiled in (markers, biological_variation, decision_categories).
  static const std::vector<std::pair<std::string, std::string_view>>& bundled_files();

  const std::vector<BiomarkerMarker>& markers() const { return markers_; }
  const std::vector<BiologicalVariation>& variation() const { return variation_; }
  const std::vector<DecisionCategory>& categories() const { return categories_; }

  // The marker a name or synonym means (fold_name), or nullopt.
  std::optional<size_t> find_marker(std::string_view name) const;
  // The accepted unit of marker m that `unit` means (fold_unit), or nullptr.
  const UnitFactor* find_unit(size_t m, std::string_view unit) const;
  // The within-person variation that applies to marker m measured in specimen s: only serum and plasma, from
  // the row of that specimen when there is one, else the other blood fraction's; nullptr for synovial fluid and
  // whole blood (no within-person study), and for markers without a row.
  const BiologicalVariation* variation_for(size_t m, Specimen s) const;
  // The decision categories of marker m in specimen s, in file order (empty for all but CRP in serum/plasma).
  std::vector<const DecisionCategory*> categories_for(size_t m, Specimen s) const;

 private:
  std::vector<BiomarkerMarker> markers_;
  std::vector<BiologicalVariation> variation_;
  std::vector<DecisionCategory> categories_;
  std::unordered_map<std::string, size_t> by_name_;  // fold_name of the name and of each synonym
};

}  // namespace healcap
