// The panel's fixed vocabularies (pathway, trait, genetic model, evidence grade) and their text forms.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace healcap {

enum class Pathway { kMatrixStructure, kMatrixRemodelling, kGrowthAngiogenesis, kInflammation, kWntBone, kOther };
enum class Trait { kTendonLigament, kOsteoarthritis, kSpine, kBone, kMuscle, kFibrosis, kInflammation, kUnspecified };
enum class Model { kAdditive, kDominant, kRecessive };
// Ordered from strongest to weakest evidence.
enum class EvidenceGrade { kReplicated, kSuggestive, kContested, kNull, kNone };
enum class Build { kGRCh37, kGRCh38 };

struct VocabularyEntry {
  std::string_view name;         // the text used in panel files and output column names
  std::string_view description;  // one line for help text and documentation
};

const std::vector<VocabularyEntry>& pathway_vocabulary();
const std::vector<VocabularyEntry>& trait_vocabulary();
const std::vector<VocabularyEntry>& model_vocabulary();
const std::vector<VocabularyEntry>& grade_vocabulary();

std::string_view to_string(Pathway v);
std::string_view to_string(Trait v);
std::string_view to_string(Model v);
std::string_view to_string(EvidenceGrade v);
std::string_view to_string(Build v);

// Each parser returns nullopt when the text is not in the vocabulary (exact, case-sensitive match).
std::optional<Pathway> parse_pathway(std::string_view s);
std::optional<Trait> parse_trait(std::string_view s);
std::optional<Model> parse_model(std::string_view s);
std::optional<EvidenceGrade> parse_grade(std::string_view s);
// Accepts GRCh37/hg19/b37 and GRCh38/hg38 in any case.
std::optional<Build> parse_build(std::string_view s);

// Joins a vocabulary's names with `sep`, for error messages that list the allowed values.
std::string vocabulary_names(const std::vector<VocabularyEntry>& v, std::string_view sep = ", ");

// Grades scored when the user does not choose: replicated and suggestive.
bool scored_by_default(EvidenceGrade g);

}  // namespace healcap
