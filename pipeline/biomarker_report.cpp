// The biomarker layer as text: the TSV, the JSON object (with the reference facts and citations used) and
// samples.tsv's summary columns.
#include "biomarker_report.h"

#include <cctype>
#include <map>
#include <set>

#include "scan_report.h"
#include "version.h"

namespace healcap {

namespace {

constexpr const char* kResearchUse =
    "Research use only: the biomarker layer reads lab measurements against published biological variation; it "
    "is not a diagnosis, must not guide treatment on its own, and is never folded into the genetic index (the "
    "two are different kinds of evidence, and no validated way to combine them exists).";

// The caveats every output of the layer carries (facts from ../shared/biomarkers/README.md, with sources).
const char* const kCaveats[] = {
    "The within-person CVs come from healthy-volunteer studies; in primary-care data the within-person CV of CRP "
    "is 160 % over 472,811 people (PMC12643293). An RCV from healthy-volunteer CVi is therefore a lower bound on "
    "what counts as real change in patients.",
    "No within-person variation study was found for IL-10 (only reliability coefficients), TGF-beta1, the MMPs, "
    "PGE2 and ESR, nor for any marker in synovial fluid: their changes are reported with no RCV and no verdict.",
    "The bundled CVi of CRP, IL-6, TNF-alpha and IL-1beta was measured in serum and TIMP-1's in plasma; healcap "
    "applies each to both serum and plasma results, and never to synovial fluid or whole blood.",
    "TIMP-1 has no bundled analytical CV (Frederiksen CB et al. 2008 gives none in what was read): its changes "
    "get an RCV only from the lab's own cv_analytical.",
    "No universal cut-off exists for IL-6 or the other cytokines (published thresholds are specific to an assay "
    "and a setting): only the lab's own reference interval, given with each result, is used for them.",
    "The AHA/CDC hs-CRP categories (Pearson TA et al. Circulation 2003;107(3):499-511) apply to a high-sensitivity "
    "CRP assay in a metabolically stable person, averaging two measurements about 2 weeks apart.",
    "CRP is kept in mg/L: molar units for CRP are ambiguous (sources disagree on its molecular mass) and are not "
    "accepted. Cytokines are reported in pg/mL in every source read.",
    "Values below or above an assay's range (<x, >x) are kept as such, never replaced by x or 0; e.g. Roche cobas "
    "CRP measures 0.15-20 mg/L, Roche Elecsys IL-6 1.5-5,000 pg/mL, and in one population study 37.6 % of IL-1beta "
    "results were below the detection limit (CoLaus, doi:10.1371/journal.pone.0021002).",
    nullptr};

constexpr const char* kRcvSource =
    "Fraser & Harris critical difference; log-normal form Fokkema MR et al. Clin Chem 2006;52(8):1602";

std::string num(const std::optional<double>& x) { return x ? bm_number(*x) : "null"; }
std::string str_or_null(const std::string& s) { return s.empty() ? "null" : json_str(s); }
const char* censor_json(Censor c) { return c == Censor::kBelow ? "\"<\"" : c == Censor::kAbove ? "\">\"" : "null"; }
const char* censor_text(Censor c) { return c == Censor::kBelow ? "<" : c == Censor::kAbove ? ">" : ""; }

// The value in the canonical unit as the TSV and the JSON's "text" write it: "4.1", "<0.15".
std::string value_text(const Measurement& m) { return censor_text(m.censor) + bm_number(m.canonical); }

std::string tsv(std::string s) {
  for (char& c : s)
    if (c == '\t') c = ' ';
  return s.empty() ? "." : s;
}

std::string join_json(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + json_str(v[i]);
  return s + "]";
}

// The summary columns' names for each timepoint: its label with every character outside [A-Za-z0-9_] made
// '_', made unique with _2, _3, ... when two labels come out alike.
std::vector<std::string> timepoint_columns(const std::vector<std::string>& tps) {
  std::vector<std::string> out;
  std::set<std::string> used;
  for (const std::string& t : tps) {
    std::string c = t;
    for (char& ch : c)
      if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') ch = '_';
    std::string u = c;
    for (int k = 2; used.count(u); ++k) u = c + "_" + std::to_string(k);
    used.insert(u);
    out.push_back(u);
  }
  return out;
}

void change_json(std::string& a, const BmSeries& s, const BmChange& c, const BiomarkerInput& in) {
  a += "{\"from\":" + json_str(in.rows[s.values[c.from].row].timepoint) + ",\"to\":" +
       json_str(in.rows[s.values[c.to].row].timepoint) + ",\"kind\":" +
       (c.baseline_to_last ? "\"baseline_to_last\"" : "\"consecutive\"") + ",\"abs_change\":" + num(c.abs_change) +
       ",\"pct_change\":" + num(c.pct_change) + ",\"pct_change_bound\":" + num(c.pct_bound) +
       ",\"pct_change_bound_side\":" + (c.pct_bound ? censor_json(c.bound_side) : "null") +
       ",\"cv_within_pct\":" + num(c.cv_within) + ",\"cv_analytical_pct\":" + num(c.cv_analytical) +
       ",\"cv_analytical_from\":" + (c.cv_analytical_from ? json_str(c.cv_analytical_from) : "null") +
       ",\"rcv_symmetric_pct\":" + (c.rcv ? bm_number(c.rcv->symmetric) : "null") +
       ",\"rcv_lower_pct\":" + (c.rcv ? bm_number(c.rcv->lower) : "null") +
       ",\"rcv_upper_pct\":" + (c.rcv ? bm_number(c.rcv->upper) : "null") +
       ",\"verdict\":" + json_str(std::string(to_string(c.verdict))) +
       ",\"direction\":" + (c.outcome == Outcome::kNone ? "null" : json_str(std::string(to_string(c.outcome)))) +
       ",\"reason\":" + str_or_null(c.reason) + ",\"text\":" + json_str(c.text) + "}";
}

void series_json(std::string& a, const BmSeries& s, const BiomarkerInput& in, const BiomarkerReference& ref) {
  const BiomarkerMarker* mk = s.marker ? &ref.markers()[*s.marker] : nullptr;
  a += "{\"marker\":" + json_str(s.name) + ",\"known\":" + (mk ? "true" : "false") +
       ",\"specimen\":" + json_str(std::string(to_string(s.specimen))) + ",\"unit\":" + json_str(s.unit) +
       ",\"role\":" + (mk ? json_str(mk->role) : "null") + ",\"decrease_means\":" + (mk ? json_str(mk->decrease_means) : "null") +
       ",\"pro_inflammatory\":" + (mk && mk->pro_inflammatory ? "true" : "false") +
       ",\"note\":" + str_or_null(s.note) + ",\"values\":[";
  for (size_t i = 0; i < s.values.size(); ++i) {
    const BmValue& v = s.values[i];
    const Measurement& m = in.rows[v.row];
    a += std::string(i ? "," : "") + "{\"timepoint\":" + json_str(m.timepoint) + ",\"date\":" + str_or_null(m.date) +
         ",\"value\":" + (m.censor == Censor::kNone ? bm_number(m.canonical) : "null") +
         ",\"text\":" + json_str(value_text(m)) + ",\"censored\":" + censor_json(m.censor) +
         ",\"bound\":" + (m.censor == Censor::kNone ? "null" : bm_number(m.canonical)) +
         ",\"as_written\":{\"value\":" + json_str(m.value_text) + ",\"unit\":" + json_str(m.unit) +
         ",\"sample\":" + json_str(m.lab_sample) + ",\"marker\":" + json_str(m.marker_text) +
         ",\"specimen_given\":" + (m.specimen_given ? "true" : "false") + ",\"line\":" + std::to_string(m.line) + "}" +
         ",\"ref_low\":" + num(m.ref_low) + ",\"ref_high\":" + num(m.ref_high) +
         ",\"ref_flag\":" + (v.flag ? json_str(std::string(to_string(*v.flag))) : "null") +
         ",\"category\":" + (v.category ? json_str(v.category->category) : "null") +
         ",\"assay\":" + str_or_null(m.assay) + ",\"lab\":" + str_or_null(m.lab) +
         ",\"cv_analytical_pct\":" + num(m.cv_analytical) + "}";
  }
  a += "],\"changes\":[";
  for (size_t i = 0; i < s.changes.size(); ++i) {
    if (i) a += ",";
    change_json(a, s, s.changes[i], in);
  }
  a += "]}";
}

}  // namespace

std::string biomarkers_json(const BiomarkerLayer& layer, const BiomarkerReference& ref) {
  const BiomarkerInput& in = layer.input;
  std::string a = "\"biomarkers\":{\"research_use\":" + json_str(kResearchUse);
  a += ",\n\"file\":" + json_str(in.path) + ",\"sha256\":" + json_str(in.sha256) + ",\"n_rows\":" + std::to_string(in.n_rows) +
       ",\"n_measurements\":" + std::to_string(in.rows.size()) + ",\"format\":" + (in.delimiter == ',' ? "\"csv\"" : "\"tsv\"") +
       ",\"sample_map\":" + str_or_null(in.sample_map_path);
  a += ",\n\"rcv\":{\"verdict_limits\":" + json_str(std::string(to_string(layer.rcv))) + ",\"z\":" + bm_number(kRcvZ) +
       ",\"p\":\"two-sided 0.05\",\"formula_symmetric\":\"RCV = sqrt(2) * z * sqrt(CVa^2 + CVi^2)\","
       "\"formula_lognormal\":\"sigma = sqrt(ln(1+CVa^2) + ln(1+CVi^2)); up = exp(+sqrt(2) z sigma) - 1; down = "
       "exp(-sqrt(2) z sigma) - 1\",\"source\":" + json_str(kRcvSource) +
       ",\"rules\":" + json_str(
           "CVi: the bundled within-person CV for the marker in serum or plasma (never synovial fluid or whole blood). "
           "CVa: the rows' cv_analytical (the larger of the two rows' when both give one), else the bundled CVa; "
           "without either there is no RCV (no_rcv), never an invented CV. A censored value (<x, >x) gives a bound "
           "on the change; the verdict is given only when the bound itself passes the limit, else not_computable. "
           "Direction from the marker's decrease_means: a significant fall of a marker whose fall means less "
           "inflammation, matrix breakdown or pain signal is improved, of IL-10 or TIMP-1 worsened; TGF-beta1 "
           "(context dependent) and the autoantibodies (not treatment markers) get none.") + "}";
  a += ",\n\"timepoints\":" + join_json(in.timepoints) + ",\"timepoint_order\":" + (in.by_date ? "\"date\"" : "\"--timepoints\"") +
       ",\"genotypes_known\":" + (layer.genotypes_known ? "true" : "false");
  // The reference facts this layer used: its markers, their variation rows, and the categories it placed values in.
  std::set<size_t> used;
  bool crp_blood = false;
  for (const BmSample& s : layer.samples)
    for (const BmSeries& r : s.series)
      if (r.marker) {
        used.insert(*r.marker);
        crp_blood = crp_blood || !ref.categories_for(*r.marker, r.specimen).empty();
      }
  a += ",\n\"reference\":{\"source\":\"healcap's bundled biomarker reference: copies of ../shared/biomarkers "
       "(gene_panels/biomarkers, SOURCES.md there)\",\"markers\":[";
  bool first = true;
  for (size_t m : used) {
    const BiomarkerMarker& k = ref.markers()[m];
    a += std::string(first ? "\n" : ",\n") + "{\"marker\":" + json_str(k.name) + ",\"synonyms\":" + join_json(k.synonyms) +
         ",\"role\":" + json_str(k.role) + ",\"canonical_unit\":" + json_str(k.canonical_unit) + ",\"accepted_units\":[";
    for (size_t u = 0; u < k.units.size(); ++u)
      a += std::string(u ? "," : "") + "{\"unit\":" + json_str(k.units[u].unit) + ",\"factor\":" + bm_number(k.units[u].factor) + "}";
    std::vector<std::string> sp;
    for (Specimen x : k.specimens) sp.emplace_back(to_string(x));
    a += "],\"specimens\":" + join_json(sp) + ",\"decrease_means\":" + json_str(k.decrease_means) +
         ",\"role_source\":" + json_str(k.role_source) + "}";
    first = false;
  }
  a += "],\n\"biological_variation\":[";
  first = true;
  for (const BiologicalVariation& b : ref.variation()) {
    if (!used.count(b.marker)) continue;
    a += std::string(first ? "\n" : ",\n") + "{\"marker\":" + json_str(ref.markers()[b.marker].name) +
         ",\"specimen\":" + json_str(b.specimen_text) + ",\"applied_to\":[\"serum\",\"plasma\"],\"population\":" +
         json_str(b.population) + ",\"cv_within_pct\":" + num(b.cv_within) + ",\"cv_analytical_pct\":" + num(b.cv_analytical) +
         ",\"cv_between_pct\":" + num(b.cv_between) + ",\"published_critical_difference_pct\":" + num(b.critical_difference) +
         ",\"n_subjects\":" + json_str(b.n_subjects) + ",\"sampling\":" + json_str(b.sampling) +
         ",\"citation\":" + json_str(b.citation) + ",\"how_read\":" + json_str(b.how_read) + ",\"status\":" + json_str(b.status) + "}";
    first = false;
  }
  a += "],\n\"categories\":[";
  first = true;
  for (const DecisionCategory& c : ref.categories()) {
    if (!used.count(c.marker) || !crp_blood) continue;
    std::vector<std::string> sp;
    for (Specimen x : c.specimens) sp.emplace_back(to_string(x));
    a += std::string(first ? "\n" : ",\n") + "{\"marker\":" + json_str(ref.markers()[c.marker].name) +
         ",\"specimens\":" + join_json(sp) + ",\"category\":" + json_str(c.category) + ",\"low_inclusive\":" + bm_number(c.low) +
         ",\"high_exclusive\":" + num(c.high) + ",\"unit\":" + json_str(c.unit) + ",\"meaning\":" + json_str(c.meaning) +
         ",\"citation\":" + json_str(c.citation) + ",\"notes\":" + str_or_null(c.notes) + "}";
    first = false;
  }
  a += "],\n\"caveats\":[";
  for (size_t i = 0; kCaveats[i]; ++i) a += std::string(i ? ",\n" : "\n") + json_str(kCaveats[i]);
  a += "]},\n\"unknown_markers\":[";
  for (size_t i = 0; i < in.unknown.size(); ++i)
    a += std::string(i ? "," : "") + "{\"name\":" + json_str(in.unknown[i].name) + ",\"n_rows\":" +
         std::to_string(in.unknown[i].n_rows) + ",\"first_line\":" + std::to_string(in.unknown[i].first_line) + "}";
  a += "],\n\"warnings\":" + join_json(in.warnings);
  a += ",\n\"samples_without_genotypes\":" + join_json(layer.without_genotypes) +
       ",\n\"genotyped_without_biomarkers\":" + join_json(layer.genotyped_without) + ",\n\"samples\":[";
  for (size_t k = 0; k < layer.samples.size(); ++k) {
    const BmSample& s = layer.samples[k];
    a += std::string(k ? ",\n" : "\n") + "{\"sample\":" + json_str(s.name) +
         ",\"genotyped\":" + (s.genotyped ? (*s.genotyped ? "true" : "false") : "null") + ",\"n_rows\":" +
         std::to_string(s.n_rows) + ",\"summary\":{\"by_timepoint\":[";
    for (size_t t = 0; t < s.summary.by_timepoint.size(); ++t) {
      const BmTimepointSummary& x = s.summary.by_timepoint[t];
      a += std::string(t ? "," : "") + "{\"timepoint\":" + json_str(x.timepoint) +
           ",\"n_pro_inflammatory_measured\":" + std::to_string(x.n_pro_inflammatory_measured) +
           ",\"n_pro_inflammatory_with_range\":" + std::to_string(x.n_pro_inflammatory_with_range) +
           ",\"n_pro_inflammatory_above_range\":" + std::to_string(x.n_pro_inflammatory_above_range) + "}";
    }
    const BmSummary& u = s.summary;
    a += "],\"baseline_to_last\":{\"n_improved\":" + std::to_string(u.n_improved) + ",\"n_worsened\":" +
         std::to_string(u.n_worsened) + ",\"n_changed_no_direction\":" + std::to_string(u.n_changed_no_direction) +
         ",\"n_within_variation\":" + std::to_string(u.n_within_variation) + ",\"n_no_rcv\":" + std::to_string(u.n_no_rcv) +
         ",\"n_not_computable\":" + std::to_string(u.n_not_computable) + "}},\"markers\":[";
    for (size_t i = 0; i < s.series.size(); ++i) {
      a += i ? ",\n" : "\n";
      series_json(a, s.series[i], in, ref);
    }
    a += "]}";
  }
  a += "\n],\n\"crp_genetic\":";
  if (!layer.crp) {
    a += "null";
  } else {
    const CrpGenetic& g = *layer.crp;
    a += "{\"panel\":" + json_str(g.panel) + ",\"column\":" + json_str(g.column) + ",\"timepoint\":" +
         (in.timepoints.empty() ? "null" : json_str(in.timepoints.front())) + ",\"n\":" + std::to_string(g.n) +
         ",\"min_n\":" + std::to_string(kCrpMinSamples) +
         ",\"pearson_r\":" + (g.pearson_r ? fixed6(*g.pearson_r) : "null") +
         ",\"spearman_rho\":" + (g.spearman_rho ? fixed6(*g.spearman_rho) : "null") +
         ",\"label\":" + json_str(std::string("descriptive check of the genetic CRP score (") + kCrpPgsId +
                                  ", its weighted_sum) against measured CRP at the first timepoint (serum, else plasma); "
                                  "not a validation. Correlations need " + std::to_string(kCrpMinSamples) +
                                  " samples with both a score and an uncensored CRP.") +
         ",\"pairs\":[";
    for (size_t i = 0; i < g.pairs.size(); ++i) {
      const CrpGenetic::Pair& p = g.pairs[i];
      const Measurement* m = p.series ? &in.rows[p.series->values.front().row] : nullptr;
      a += std::string(i ? ",\n" : "\n") + "{\"sample\":" + json_str(p.sample) + ",\"score\":" +
           (p.score ? fixed6(*p.score) : "null") + ",\"baseline_crp\":" +
           (m && m->censor == Censor::kNone ? bm_number(m->canonical) : "null") +
           ",\"censored\":" + (m ? censor_json(m->censor) : "null") +
           ",\"bound\":" + (m && m->censor != Censor::kNone ? bm_number(m->canonical) : "null") +
           ",\"specimen\":" + (p.series ? json_str(std::string(to_string(p.series->specimen))) : "null") + "}";
    }
    a += "\n]}";
  }
  a += "\n}";
  return a;
}

std::string biomarkers_json_document(const BiomarkerLayer& layer, const BiomarkerReference& ref) {
  return "{\n\"healcap\":{\"version\":" + json_str(HEALCAP_VERSION) + ",\"research_use\":" + json_str(kResearchUse) + "},\n" +
         biomarkers_json(layer, ref) + "\n}\n";
}

std::string biomarkers_tsv(const BiomarkerLayer& layer, const BiomarkerReference& ref) {
  const BiomarkerInput& in = layer.input;
  std::ostringstream o;
  o << "# healcap " HEALCAP_VERSION " biomarker layer: values in the canonical unit, changes judged against the "
       "reference change value (z = 1.96; verdicts by the "
    << (layer.rcv == RcvLimits::kSymmetric ? "symmetric limit" : "log-normal limits")
    << "; rcv_lower_pct/rcv_upper_pct are the log-normal limits). Research use only: not a diagnosis; never folded "
       "into the genetic index. Reference facts and citations in PREFIX.json.\n";
  o << "sample\tgenotyped\tmarker\tknown\tspecimen\ttimepoint\tdate\tvalue\tunit\tref_low\tref_high\tref_flag\tcategory\t"
       "change_from\tabs_change\tpct_change\trcv_lower_pct\trcv_upper_pct\trcv_symmetric_pct\tverdict\tdirection\t"
       "from_baseline_pct_change\tfrom_baseline_verdict\tfrom_baseline_direction\tnote\n";
  const auto opt = [](const std::optional<double>& x) { return x ? bm_number(*x) : std::string("."); };
  const auto pct = [&](const BmChange& c) {
    if (c.pct_change) return bm_number(*c.pct_change);
    if (c.pct_bound) return censor_text(c.bound_side) + bm_number(*c.pct_bound);
    return std::string(".");
  };
  for (const BmSample& s : layer.samples) {
    const std::string genotyped = s.genotyped ? (*s.genotyped ? "yes" : "no") : ".";
    for (const BmSeries& r : s.series) {
      for (size_t i = 0; i < r.values.size(); ++i) {
        const Measurement& m = in.rows[r.values[i].row];
        o << tsv(s.name) << "\t" << genotyped << "\t" << tsv(r.name) << "\t" << (r.marker ? "yes" : "no") << "\t"
          << to_string(r.specimen) << "\t" << tsv(m.timepoint) << "\t" << tsv(m.date) << "\t" << value_text(m) << "\t"
          << tsv(r.marker ? r.unit : m.unit) << "\t" << opt(m.ref_low) << "\t" << opt(m.ref_high) << "\t"
          << (r.values[i].flag ? std::string(to_string(*r.values[i].flag)) : ".") << "\t"
          << (r.values[i].category ? tsv(r.values[i].category->category) : ".");
        const BmChange* c = nullptr;
        for (const BmChange& x : r.changes)
          if (!x.baseline_to_last && x.to == i) c = &x;
        if (c) {
          o << "\t" << tsv(in.rows[r.values[c->from].row].timepoint) << "\t" << opt(c->abs_change) << "\t" << pct(*c)
            << "\t" << (c->rcv ? bm_number(c->rcv->lower) : ".") << "\t" << (c->rcv ? bm_number(c->rcv->upper) : ".")
            << "\t" << (c->rcv ? bm_number(c->rcv->symmetric) : ".") << "\t" << to_string(c->verdict) << "\t"
            << tsv(std::string(to_string(c->outcome)));
        } else {
          o << "\t.\t.\t.\t.\t.\t.\t.\t.";
        }
        const BmChange* b = !r.changes.empty() && i + 1 == r.values.size() ? &r.changes.back() : nullptr;
        if (b)
          o << "\t" << pct(*b) << "\t" << to_string(b->verdict) << "\t" << tsv(std::string(to_string(b->outcome)));
        else
          o << "\t.\t.\t.";
        o << "\t" << tsv(c && !c->reason.empty() ? c->reason : r.note) << "\n";
      }
    }
  }
  (void)ref;
  return o.str();
}

void biomarker_summary_header(std::ostringstream& o, const BiomarkerLayer& layer) {
  o << "\tbm_n_measurements";
  for (const std::string& c : timepoint_columns(layer.input.timepoints))
    o << "\tbm_" << c << "_pro_inflammatory_above_range\tbm_" << c << "_pro_inflammatory_with_range";
  o << "\tbm_n_improved\tbm_n_worsened\tbm_n_changed_no_direction\tbm_n_within_variation\tbm_n_no_rcv\tbm_n_not_computable";
}

void biomarker_summary_cells(std::ostringstream& o, const BiomarkerLayer& layer, const std::string& sample) {
  const auto it = layer.sample_index.find(sample);
  const size_t n_tp = layer.input.timepoints.size();
  if (it == layer.sample_index.end()) {
    o << "\t0";
    for (size_t t = 0; t < n_tp; ++t) o << "\t.\t.";
    o << "\t.\t.\t.\t.\t.\t.";
    return;
  }
  const BmSample& s = layer.samples[it->second];
  o << "\t" << s.n_rows;
  for (const std::string& tp : layer.input.timepoints) {
    const BmTimepointSummary* x = nullptr;
    for (const BmTimepointSummary& y : s.summary.by_timepoint)
      if (y.timepoint == tp) x = &y;
    if (x && x->n_pro_inflammatory_measured > 0)
      o << "\t" << x->n_pro_inflammatory_above_range << "\t" << x->n_pro_inflammatory_with_range;
    else
      o << "\t.\t.";
  }
  const BmSummary& u = s.summary;
  o << "\t" << u.n_improved << "\t" << u.n_worsened << "\t" << u.n_changed_no_direction << "\t" << u.n_within_variation
    << "\t" << u.n_no_rcv << "\t" << u.n_not_computable;
}

}  // namespace healcap
