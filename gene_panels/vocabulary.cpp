// Text forms and descriptions of the panel vocabularies.
#include "vocabulary.h"

#include <algorithm>
#include <cctype>

namespace healcap {

const std::vector<VocabularyEntry>& pathway_vocabulary() {
  static const std::vector<VocabularyEntry> v = {
      {"matrix_structure", "collagens, proteoglycans and other structural extracellular-matrix genes"},
      {"matrix_remodelling", "matrix metalloproteinases and their inhibitors (MMP/TIMP)"},
      {"growth_angiogenesis", "growth factors and angiogenesis (TGF-beta, VEGF, GDF5, BMP, IGF, NOS3, HIF1A)"},
      {"inflammation", "cytokines, their receptors and inflammatory mediators (IL, TNF, CRP, PTGS2, NF-kB)"},
      {"wnt_bone", "Wnt and bone signalling (FRZB, LRP5, SOST, WNT7B, RSPO2, CTNNB1, ESR1, VDR, DOT1L)"},
      {"other", "loci outside these pathways (GWAS loci of unclear mechanism, ACTN3, ACE, SOD2, CASP8)"},
  };
  return v;
}

const std::vector<VocabularyEntry>& trait_vocabulary() {
  static const std::vector<VocabularyEntry> v = {
      {"tendon_ligament", "tendon or ligament injury, rupture or tendinopathy"},
      {"osteoarthritis", "osteoarthritis of hip, knee or hand"},
      {"spine", "intervertebral disc degeneration or herniation, spinal ligament ossification"},
      {"bone", "bone mineral density, bone geometry or fracture"},
      {"muscle", "muscle injury"},
      {"fibrosis", "fibroproliferative connective-tissue disease (Dupuytren's disease)"},
      {"inflammation", "inflammatory markers or inflammatory disease"},
      {"unspecified", "no healing outcome stated by a source: the site is flagged, not scored"},
  };
  return v;
}

const std::vector<VocabularyEntry>& model_vocabulary() {
  static const std::vector<VocabularyEntry> v = {
      {"additive", "weight times the number of effect alleles"},
      {"dominant", "weight once for one or more effect alleles"},
      {"recessive", "weight once when every allele is the effect allele"},
  };
  return v;
}

const std::vector<VocabularyEntry>& grade_vocabulary() {
  static const std::vector<VocabularyEntry> v = {
      {"replicated", "same direction in independent large samples or a meta-analysis, no large null"},
      {"suggestive", "a stated direction from a single or small study, not contradicted in the sources"},
      {"contested", "sources disagree on direction, or a positive result sits beside a null of similar size"},
      {"null", "the largest available analyses found no association"},
      {"none", "no source states a direction; weight must be 0"},
  };
  return v;
}

namespace {
template <typename E>
std::optional<E> lookup(const std::vector<VocabularyEntry>& v, std::string_view s) {
  for (size_t i = 0; i < v.size(); ++i)
    if (v[i].name == s) return static_cast<E>(i);
  return std::nullopt;
}
}  // namespace

std::string_view to_string(Pathway v) { return pathway_vocabulary()[static_cast<size_t>(v)].name; }
std::string_view to_string(Trait v) { return trait_vocabulary()[static_cast<size_t>(v)].name; }
std::string_view to_string(Model v) { return model_vocabulary()[static_cast<size_t>(v)].name; }
std::string_view to_string(EvidenceGrade v) { return grade_vocabulary()[static_cast<size_t>(v)].name; }
std::string_view to_string(Build v) { return v == Build::kGRCh37 ? "GRCh37" : "GRCh38"; }

std::optional<Pathway> parse_pathway(std::string_view s) { return lookup<Pathway>(pathway_vocabulary(), s); }
std::optional<Trait> parse_trait(std::string_view s) { return lookup<Trait>(trait_vocabulary(), s); }
std::optional<Model> parse_model(std::string_view s) { return lookup<Model>(model_vocabulary(), s); }
std::optional<EvidenceGrade> parse_grade(std::string_view s) { return lookup<EvidenceGrade>(grade_vocabulary(), s); }

std::optional<Build> parse_build(std::string_view s) {
  std::string t(s);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "grch37" || t == "hg19" || t == "b37") return Build::kGRCh37;
  if (t == "grch38" || t == "hg38") return Build::kGRCh38;
  return std::nullopt;
}

std::string vocabulary_names(const std::vector<VocabularyEntry>& v, std::string_view sep) {
  std::string out;
  for (const auto& e : v) {
    if (!out.empty()) out += sep;
    out += e.name;
  }
  return out;
}

bool scored_by_default(EvidenceGrade g) {
  return g == EvidenceGrade::kReplicated || g == EvidenceGrade::kSuggestive;
}

}  // namespace healcap
