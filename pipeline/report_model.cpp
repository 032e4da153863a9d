// Reading a run's JSON document into a RunReport: every value the report shows is looked up here, and a value
// that is missing or of the wrong kind is named with its place in the document.
#include "report_model.h"

#include <charconv>
#include <initializer_list>
#include <map>
#include <tuple>

namespace healcap {

namespace {

using Kind = JsonValue::Kind;

// Lookups within one object, whose place in the document (`path`, e.g. samples[3].all) names it in messages.
class Obj {
 public:
  Obj(JsonValue v, std::string path) : v_(v), path_(std::move(path)) {
    if (!v_.is_object()) fail(v_, "expected an object, found " + std::string(JsonValue::kind_name(v_.kind())));
  }

  [[noreturn]] void fail(const JsonValue& at, const std::string& problem) const {
    throw DataError(at.where() + ": " + path_ + ": " + problem);
  }
  const std::string& path() const { return path_; }
  JsonValue value() const { return v_; }
  std::string sub(std::string_view key) const { return path_ + "." + std::string(key); }

  std::optional<JsonValue> opt(std::string_view key) const { return v_.find(key); }
  JsonValue need(std::string_view key) const {
    const auto x = v_.find(key);
    if (!x) fail(v_, "no \"" + std::string(key) + "\" member");
    return *x;
  }
  JsonValue need(std::string_view key, Kind k) const {
    const JsonValue x = need(key);
    if (x.kind() != k) wrong(key, x, JsonValue::kind_name(k));
    return x;
  }
  [[noreturn]] void wrong(std::string_view key, const JsonValue& x, const std::string& wanted) const {
    throw DataError(x.where() + ": " + sub(key) + ": expected " + wanted + ", found " + JsonValue::kind_name(x.kind()));
  }

  std::string str(std::string_view key) const { return std::string(need(key, Kind::kString).string()); }
  // A string or null (""), or absent ("") when `optional`.
  std::string str_or_null(std::string_view key, bool optional = false) const {
    const auto x = opt(key);
    if (!x) {
      if (optional) return "";
      fail(v_, "no \"" + std::string(key) + "\" member");
    }
    if (x->is_null()) return "";
    if (!x->is_string()) wrong(key, *x, "a string or null");
    return std::string(x->string());
  }
  int64_t integer(std::string_view key) const { return integer_of(key, need(key)); }
  int64_t integer_of(std::string_view key, const JsonValue& x) const {
    int64_t n = 0;
    if (x.is_number()) {
      const std::string_view t = x.number_text();
      const auto r = std::from_chars(t.data(), t.data() + t.size(), n);
      if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return n;
    }
    wrong(key, x, "a whole number");
  }
  bool boolean(std::string_view key) const { return need(key, Kind::kBool).boolean(); }
  ReportNumber number_or_null(std::string_view key, bool optional = false) const {
    ReportNumber n;
    const auto x = opt(key);
    if (!x) {
      if (optional) return n;
      fail(v_, "no \"" + std::string(key) + "\" member");
    }
    if (x->is_null()) return n;
    if (!x->is_number()) wrong(key, *x, "a number or null");
    n.present = true;
    n.value = x->number();
    n.text = std::string(x->number_text());
    return n;
  }
  std::vector<std::string> strings(std::string_view key) const {
    const JsonValue a = need(key, Kind::kArray);
    std::vector<std::string> out;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string()) wrong(std::string(key) + "[" + std::to_string(i) + "]", a[i], "a string");
      out.emplace_back(a[i].string());
    }
    return out;
  }

 private:
  JsonValue v_;
  std::string path_;
};

std::string indexed(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

ReportGroup read_group(const Obj& o, const RunReport& r) {
  ReportGroup g;
  g.n_rows = o.integer("n_rows");
  g.n_state.reserve(r.call_states.size());
  for (const auto& cs : r.call_states) g.n_state.push_back(o.integer("n_" + cs.second));
  g.completeness = o.number_or_null("completeness");
  g.index = o.number_or_null("healing_capacity_index");
  g.z_score = o.number_or_null("z_score");
  g.weighted_sum = o.number_or_null("weighted_sum");
  if (o.opt("n_z_sites")) g.n_z_sites = o.integer("n_z_sites");
  g.z_weight_share = o.number_or_null("z_weight_share", true);
  g.z_note = o.str_or_null("z_note", true);
  return g;
}

// A sample's by_pathway or by_trait object: the same keys, in the same order, in every sample (the first
// sample's keys are the panel's).
std::vector<ReportGroup> read_groups(const Obj& s, std::string_view key, std::vector<std::string>& names, bool first,
                                     const RunReport& r) {
  const Obj o(s.need(key), s.sub(key));
  if (first)
    for (size_t i = 0; i < o.value().size(); ++i) names.emplace_back(o.value().key(i));
  if (o.value().size() != names.size())
    o.fail(o.value(), "has " + std::to_string(o.value().size()) + " members where the first sample has " +
                          std::to_string(names.size()));
  std::vector<ReportGroup> out;
  out.reserve(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    if (o.value().key(i) != names[i])
      o.fail(o.value()[i], "member " + std::to_string(i + 1) + " is \"" + std::string(o.value().key(i)) + "\" where the first sample has \"" +
                               names[i] + "\"");
    out.push_back(read_group(Obj(o.value()[i], o.sub(names[i])), r));
  }
  return out;
}

// One sample's scores over one panel: `o` is the sample (a run over one panel) or its by_panel member.
ReportScores read_scores(const Obj& o, ReportPanel& panel, bool first, const RunReport& r) {
  ReportScores x;
  x.all = read_group(Obj(o.need("all"), o.sub("all")), r);
  if (const auto b = o.opt("below_min_completeness")) {
    if (!b->is_bool()) o.wrong("below_min_completeness", *b, "true or false");
    x.below_min_completeness = b->boolean();
  }
  if (panel.score) return x;  // a PGS Catalog score has no pathways or traits
  x.by_pathway = read_groups(o, "by_pathway", panel.pathways, first, r);
  x.by_trait = read_groups(o, "by_trait", panel.traits, first, r);
  return x;
}

ReportLocus read_locus(const Obj& site, std::string_view key, bool seen) {
  ReportLocus l;
  const JsonValue v = site.need(key);
  if (v.is_null()) return l;
  const Obj o(v, site.sub(key));
  l.present = true;
  l.chrom = o.str("chrom");
  l.pos = o.integer("pos");
  l.ref = o.str_or_null("ref");
  l.alt = o.str_or_null("alt");
  if (seen) l.id = o.str("id");
  return l;
}

void read_site(const Obj& o, const RunReport& r, ReportSite& s) {
  s.id = o.str("id");
  s.rsid = o.str_or_null("rsid");
  s.gene = o.str_or_null("gene");  // null on a PGS Catalog score's rows
  s.pathway = o.str_or_null("pathway");
  s.trait = o.str_or_null("trait");
  s.state = o.str("state");
  s.reason = o.str_or_null("reason");
  s.scored = o.boolean("scored");
  s.weight = o.number_or_null("weight");
  s.model = o.str("model");
  s.effect_allele = o.str_or_null("effect_allele");
  s.eaf = o.number_or_null("eaf");
  s.grade = o.str_or_null("evidence_grade");
  s.evidence = o.str_or_null("evidence", true);  // JSON of healcap 0.1.0 before the report lacks it
  if (r.panels_listed) {
    s.other_allele = o.str_or_null("other_allele");
    const std::string id = o.str("panel");
    size_t p = 0;
    while (p < r.panels.size() && r.panels[p].id != id) ++p;
    if (p == r.panels.size()) o.fail(o.need("panel"), "panel \"" + id + "\" is not in the top-level \"panels\" list");
    s.panel = p;
  }
  s.panel_locus = read_locus(o, "panel_locus", false);
  s.seen = read_locus(o, "seen", true);
  s.n_records = o.integer("n_records");
  const Obj counts(o.need("state_counts"), o.sub("state_counts"));
  for (const auto& cs : r.call_states) s.state_counts.push_back(counts.integer(cs.second));
  s.note = o.str_or_null("note");
  s.has_calls = o.opt("match").has_value();
  if (!s.has_calls) return;
  s.match = o.str("match");
  const JsonValue ai = o.need("alt_index");
  if (!ai.is_null()) s.alt_index = o.integer_of("alt_index", ai);
  s.ref_verified = o.boolean("ref_verified");
  s.dosage_source = o.str("dosage_source");
  s.counted_allele = o.str("counted_allele");
  s.n_called = o.integer("n_called");
  s.call_rate = o.number_or_null("call_rate");
  s.counted_freq = o.number_or_null("counted_allele_freq");
  s.hwe_p = o.number_or_null("hwe_p");
  // A JSON written before the calls file had its own per-sample arrays: read when present.
  if (!o.opt("genotypes")) return;
  const size_t n = r.samples.size();
  const JsonValue gts = o.need("genotypes", Kind::kArray);
  const JsonValue states = o.need("call_states", Kind::kString);
  const JsonValue dos = o.need("dosages", Kind::kArray);
  if (gts.size() != n) o.fail(gts, "genotypes has " + std::to_string(gts.size()) + " values for " + std::to_string(n) + " samples");
  if (states.string().size() != n)
    o.fail(states, "call_states has " + std::to_string(states.string().size()) + " codes for " + std::to_string(n) + " samples");
  if (dos.size() != n) o.fail(dos, "dosages has " + std::to_string(dos.size()) + " values for " + std::to_string(n) + " samples");
  std::vector<ReportCall> calls(n);
  for (size_t k = 0; k < n; ++k) {
    if (!gts[k].is_string()) o.wrong(indexed("genotypes", k), gts[k], "a string");
    calls[k].gt = std::string(gts[k].string());
    if (dos[k].is_null()) {
    } else if (dos[k].is_number()) {
      calls[k].dosage = std::string(dos[k].number_text());
    } else {
      o.wrong(indexed("dosages", k), dos[k], "a number or null");
    }
    calls[k].state = states.string()[k];
    bool known = false;
    for (const auto& cs : r.call_states) known = known || cs.first == calls[k].state;
    if (!known) o.fail(states, "call_states: '" + std::string(1, calls[k].state) + "' (sample " + std::to_string(k + 1) +
                                   ") is not a code of scoring.call_state_codes");
  }
  set_site_calls(s, calls);
}

// --- the biomarker layer ------------------------------------------------------------------------------------

// Text of the document quoted for a one-line message: control characters as '?'.
std::string quoted(std::string_view v) {
  std::string q = "\"";
  for (const char c : v) q += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  return q + "\"";
}

// A string that must be one of `allowed`, or null ("") when `nullable`.
std::string choice(const Obj& o, std::string_view key, std::initializer_list<const char*> allowed, bool nullable = false) {
  const JsonValue x = o.need(key);
  if (nullable && x.is_null()) return "";
  if (!x.is_string()) o.wrong(key, x, nullable ? "a string or null" : "a string");
  const std::string v(x.string());
  std::string list;
  for (const char* a : allowed) {
    if (v == a) return v;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  o.fail(x, std::string(key) + " " + quoted(v) + " is not one of " + list + (nullable ? ", null" : ""));
}

// The index of `key`'s timepoint in the run's biomarker timepoints.
size_t timepoint_of(const Obj& o, std::string_view key, const std::vector<std::string>& timepoints, std::string& name) {
  name = o.str(key);
  for (size_t i = 0; i < timepoints.size(); ++i)
    if (timepoints[i] == name) return i;
  o.fail(o.need(key), std::string(key) + " " + quoted(name) + " is not in biomarkers.timepoints");
}

// Each element of the array `key` of `o` as an object, named PATH.key[i] in messages.
template <typename F>
void each_object(const Obj& o, std::string_view key, F&& f) {
  const JsonValue a = o.need(key, Kind::kArray);
  for (size_t i = 0; i < a.size(); ++i) f(Obj(a[i], indexed(o.sub(key), i)));
}

ReportBmValue read_bm_value(const Obj& o, const std::vector<std::string>& timepoints) {
  ReportBmValue v;
  v.tp = timepoint_of(o, "timepoint", timepoints, v.timepoint);
  v.date = o.str_or_null("date");
  v.value = o.number_or_null("value");
  v.text = o.str("text");
  v.censored = choice(o, "censored", {"<", ">"}, true);
  v.bound = o.number_or_null("bound");
  // The plot places a value at its number, a censored one at its bound: each needs it.
  if (v.censored.empty() && !v.value.present) o.fail(o.need("value"), "value is null but the value is not censored");
  if (!v.censored.empty() && !v.bound.present) o.fail(o.need("bound"), "bound is null but the value is censored");
  const Obj w(o.need("as_written"), o.sub("as_written"));
  v.written_value = w.str("value");
  v.written_unit = w.str("unit");
  v.ref_low = o.number_or_null("ref_low");
  v.ref_high = o.number_or_null("ref_high");
  v.ref_flag = choice(o, "ref_flag", {"low", "normal", "high"}, true);
  v.category = o.str_or_null("category");
  v.assay = o.str_or_null("assay");
  v.lab = o.str_or_null("lab");
  v.cv_analytical = o.number_or_null("cv_analytical_pct");
  return v;
}

ReportBmChange read_bm_change(const Obj& o, const std::vector<std::string>& timepoints) {
  ReportBmChange c;
  c.from_tp = timepoint_of(o, "from", timepoints, c.from);
  c.to_tp = timepoint_of(o, "to", timepoints, c.to);
  c.kind = choice(o, "kind", {"consecutive", "baseline_to_last"});
  c.abs_change = o.number_or_null("abs_change");
  c.pct_change = o.number_or_null("pct_change");
  c.cv_within = o.number_or_null("cv_within_pct");
  c.cv_analytical = o.number_or_null("cv_analytical_pct");
  c.cv_analytical_from = choice(o, "cv_analytical_from", {"row", "bundled"}, true);
  c.rcv_symmetric = o.number_or_null("rcv_symmetric_pct");
  c.rcv_lower = o.number_or_null("rcv_lower_pct");
  c.rcv_upper = o.number_or_null("rcv_upper_pct");
  c.verdict = choice(o, "verdict", {"decrease", "increase", "within_variation", "no_rcv", "not_computable"});
  c.direction = choice(o, "direction", {"improved", "worsened"}, true);
  c.text = o.str("text");
  return c;
}

ReportBmSample read_bm_sample(const Obj& o, const std::vector<std::string>& timepoints) {
  ReportBmSample s;
  s.name = o.str("sample");
  s.genotyped = o.boolean("genotyped");
  const Obj sum(o.need("summary"), o.sub("summary"));
  each_object(sum, "by_timepoint", [&](const Obj& t) {
    ReportBmTimepoint x;
    x.tp = timepoint_of(t, "timepoint", timepoints, x.timepoint);
    x.n_measured = t.integer("n_pro_inflammatory_measured");
    x.n_with_range = t.integer("n_pro_inflammatory_with_range");
    x.n_above = t.integer("n_pro_inflammatory_above_range");
    s.by_timepoint.push_back(std::move(x));
  });
  const Obj btl(sum.need("baseline_to_last"), sum.sub("baseline_to_last"));
  s.n_improved = btl.integer("n_improved");
  s.n_worsened = btl.integer("n_worsened");
  s.n_within_variation = btl.integer("n_within_variation");
  s.n_no_rcv = btl.integer("n_no_rcv");
  s.n_not_computable = btl.integer("n_not_computable");
  each_object(o, "markers", [&](const Obj& m) {
    ReportBmMarker x;
    x.marker = m.str("marker");
    x.known = m.boolean("known");
    x.specimen = m.str_or_null("specimen");
    x.unit = m.str("unit");
    x.role = m.str_or_null("role");
    each_object(m, "values", [&](const Obj& v) { x.values.push_back(read_bm_value(v, timepoints)); });
    each_object(m, "changes", [&](const Obj& c) { x.changes.push_back(read_bm_change(c, timepoints)); });
    s.markers.push_back(std::move(x));
  });
  return s;
}

ReportBiomarkers read_biomarkers(const Obj& b, const RunReport& r) {
  ReportBiomarkers x;
  x.present = true;
  x.research_use = b.str("research_use");
  x.file = b.str("file");
  x.sha256 = b.str("sha256");
  x.n_rows = b.integer("n_rows");
  x.sample_map = b.str_or_null("sample_map");
  const Obj rcv(b.need("rcv"), b.sub("rcv"));
  x.verdict_limits = choice(rcv, "verdict_limits", {"lognormal", "symmetric"});
  x.rcv_z = rcv.number_or_null("z");
  if (!x.rcv_z.present) rcv.wrong("z", rcv.need("z"), "a number");
  x.rcv_p = rcv.str("p");
  x.formula_symmetric = rcv.str("formula_symmetric");
  x.formula_lognormal = rcv.str("formula_lognormal");
  x.rcv_source = rcv.str("source");
  x.timepoints = b.strings("timepoints");
  for (size_t i = 0; i < x.timepoints.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (x.timepoints[i] == x.timepoints[j])
        b.fail(b.need("timepoints")[i], "timepoints: " + quoted(x.timepoints[i]) + " is listed twice");
  x.timepoint_order = choice(b, "timepoint_order", {"date", "--timepoints"});

  const Obj ref(b.need("reference"), b.sub("reference"));
  each_object(ref, "markers", [&](const Obj& m) {
    ReportBmRefMarker y;
    y.marker = m.str("marker");
    y.synonyms = m.strings("synonyms");
    y.role = m.str("role");
    y.canonical_unit = m.str("canonical_unit");
    y.decrease_means = m.str("decrease_means");
    y.role_source = m.str("role_source");
    x.ref_markers.push_back(std::move(y));
  });
  each_object(ref, "biological_variation", [&](const Obj& v) {
    ReportBmVariation y;
    y.marker = v.str("marker");
    y.specimen = v.str("specimen");
    y.cv_within = v.number_or_null("cv_within_pct");
    y.cv_analytical = v.number_or_null("cv_analytical_pct");
    y.cv_between = v.number_or_null("cv_between_pct");
    y.critical_difference = v.number_or_null("published_critical_difference_pct");
    y.citation = v.str("citation");
    y.status = v.str("status");
    x.variation.push_back(std::move(y));
  });
  each_object(ref, "categories", [&](const Obj& c) {
    ReportBmCategory y;
    y.marker = c.str("marker");
    y.category = c.str("category");
    y.low = c.number_or_null("low_inclusive");
    y.high = c.number_or_null("high_exclusive");
    y.unit = c.str("unit");
    y.meaning = c.str("meaning");
    y.citation = c.str("citation");
    y.notes = c.str_or_null("notes");
    x.categories.push_back(std::move(y));
  });
  x.caveats = ref.strings("caveats");

  each_object(b, "unknown_markers", [&](const Obj& u) { x.unknown_markers.emplace_back(u.str("name"), u.integer("n_rows")); });
  x.samples_without_genotypes = b.strings("samples_without_genotypes");
  x.genotyped_without_biomarkers = b.strings("genotyped_without_biomarkers");

  // A sample is matched to its card by name: each name once, "genotyped" exactly when the run has the sample.
  std::map<std::string_view, size_t> in_run;
  for (size_t k = 0; k < r.samples.size(); ++k) in_run.emplace(r.samples[k].name, k);
  std::map<std::string, size_t> seen;
  each_object(b, "samples", [&](const Obj& s) {
    ReportBmSample y = read_bm_sample(s, x.timepoints);
    const bool genotyped = in_run.count(y.name) > 0;
    if (y.genotyped != genotyped)
      s.fail(s.need("genotyped"), "sample " + quoted(y.name) + " is " + (y.genotyped ? "marked genotyped but is not" : "marked not genotyped but is") +
                                      " a sample of the run");
    if (!seen.emplace(y.name, x.samples.size()).second)
      s.fail(s.need("sample"), "sample " + quoted(y.name) + " is also biomarkers.samples[" + std::to_string(seen[y.name]) + "]");
    x.samples.push_back(std::move(y));
  });

  const JsonValue crp = b.need("crp_genetic");
  if (!crp.is_null()) {
    const Obj c(crp, b.sub("crp_genetic"));
    ReportCrpGenetic g;
    g.panel = c.str("panel");
    g.column = c.str("column");
    g.n = c.integer("n");
    g.pearson_r = c.number_or_null("pearson_r");
    g.spearman_rho = c.number_or_null("spearman_rho");
    g.label = c.str("label");
    each_object(c, "pairs", [&](const Obj& p) {
      ReportBmPair y;
      y.sample = p.str("sample");
      y.score = p.number_or_null("score");
      y.baseline_crp = p.number_or_null("baseline_crp");
      y.censored = choice(p, "censored", {"<", ">"}, true);
      g.pairs.push_back(std::move(y));
    });
    x.crp_genetic = std::move(g);
  }
  return x;
}

}  // namespace

// The row's calls, one per sample in sample order, as distinct calls in the order of first appearance and each
// sample's index into them.
void set_site_calls(ReportSite& s, const std::vector<ReportCall>& calls) {
  s.calls.clear();
  s.call_of.assign(calls.size(), 0);
  std::map<std::tuple<char, std::string_view, std::string_view>, uint32_t> seen;
  for (size_t k = 0; k < calls.size(); ++k) {
    const ReportCall& c = calls[k];
    const auto [it, fresh] = seen.emplace(std::make_tuple(c.state, std::string_view(c.gt), std::string_view(c.dosage)),
                                          static_cast<uint32_t>(s.calls.size()));
    if (fresh) s.calls.push_back(c);
    s.call_of[k] = it->second;
  }
}

ReportBiomarkers read_report_biomarkers(const JsonValue& biomarkers, const RunReport& r) {
  return read_biomarkers(Obj(biomarkers, "biomarkers"), r);
}

std::string ReportPanel::header_value(std::string_view key) const {
  for (const auto& [k, v] : header)
    if (k == key) return v;
  return "";
}

RunReport read_run_report(const JsonValue& root) {
  RunReport r;
  if (!root.is_object() || !root.find("healcap") || !root.find("healcap")->is_object())
    throw DataError(root.where() + ": not a healcap run: the document has no top-level \"healcap\" object; give the "
                                   "PREFIX.json that healcap scan or merge wrote");
  const Obj top(root, "top level");
  const Obj hc(top.need("healcap"), "healcap");
  r.version = hc.str("version");
  r.research_use = hc.str("research_use");

  const Obj run(top.need("run"), "run");
  r.command_line = run.str("command_line");
  r.threads = run.integer("threads");
  if (run.opt("partials")) r.partials = run.strings("partials");
  r.calls_file = run.str_or_null("calls_file", true);  // absent before the calls file

  const Obj in(top.need("input"), "input");
  r.input_path = in.str_or_null("path");
  r.input_format = in.str("format");
  r.input_read = in.str("read");
  r.n_samples = in.integer("n_samples");
  r.n_records_read = in.integer("n_records_read");
  const JsonValue contigs = in.need("contigs", Kind::kArray);
  for (size_t i = 0; i < contigs.size(); ++i) {
    const Obj c(contigs[i], indexed("input.contigs", i));
    r.contigs.push_back({c.str("name"), c.integer("n_records"), c.integer("first_pos"), c.integer("last_pos")});
  }
  if (const auto inputs = top.opt("inputs")) {
    if (!inputs->is_array()) top.wrong("inputs", *inputs, "an array");
    for (size_t i = 0; i < inputs->size(); ++i) {
      const Obj x((*inputs)[i], indexed("inputs", i));
      r.inputs.push_back({x.str("path"), x.str("format"), x.str("read"), x.str("build"), x.str("build_chosen_by"),
                          x.str("contig_style"), x.str("ref_concordance"), x.integer("n_samples"), x.integer("n_records_read")});
    }
  }
  if (const auto failed = top.opt("failed")) {
    if (!failed->is_array()) top.wrong("failed", *failed, "an array");
    for (size_t i = 0; i < failed->size(); ++i) {
      const Obj x((*failed)[i], indexed("failed", i));
      r.failed.emplace_back(x.str("path"), x.str("reason"));
    }
  }

  const Obj build(top.need("build"), "build");
  r.build_name = build.str("name");
  r.build_chosen_by = build.str("chosen_by");
  r.contig_style = build.str("contig_style");
  r.ref_concordance = build.str("ref_concordance");
  r.build_summary = build.str("summary");
  r.build_warnings = build.strings("warnings");

  const Obj panel(top.need("panel"), "panel");
  if (const auto list = top.opt("panels")) {
    if (!list->is_array() || list->size() == 0) top.wrong("panels", *list, "a non-empty array");
    r.panels_listed = true;
    for (size_t i = 0; i < list->size(); ++i) {
      const Obj x((*list)[i], indexed("panels", i));
      ReportPanel p;
      p.id = x.str("id");
      p.kind = x.str("kind");
      if (p.kind != "healcap_tsv" && p.kind != "pgs_catalog")
        x.fail(x.need("kind"), "kind \"" + p.kind + "\" is neither healcap_tsv nor pgs_catalog");
      p.score = p.kind == "pgs_catalog";
      p.name = x.str("name");
      p.version = x.str_or_null("version");
      p.sha256 = x.str("sha256");
      p.file = x.str("file");
      p.n_rows = x.integer("n_rows");
      p.n_rows_placed = x.integer("n_rows_placed");
      p.n_scored_rows = x.integer("n_scored_rows");
      p.grades_apply = x.boolean("grades_apply");
      for (const ReportPanel& q : r.panels)
        if (q.id == p.id) x.fail(x.need("id"), "id \"" + p.id + "\" is also the id of an earlier panel");
      if (p.score) {
        p.pgs_id = x.str("pgs_id");
        p.positions = x.str("positions");
        p.genome_build = x.str("genome_build");
        p.n_file_rows = x.integer("n_file_rows");
        const Obj skipped(x.need("skipped"), x.sub("skipped"));
        for (size_t k = 0; k < skipped.value().size(); ++k) {
          const std::string key(skipped.value().key(k));
          p.skipped.emplace_back(key, skipped.integer(key));
        }
        const Obj header(x.need("header"), x.sub("header"));
        for (size_t k = 0; k < header.value().size(); ++k) {
          const std::string key(header.value().key(k));
          p.header.emplace_back(key, header.str(key));
        }
      }
      r.panels.push_back(std::move(p));
    }
  } else {
    ReportPanel p;
    p.kind = "healcap_tsv";
    p.name = panel.str("name");
    p.version = panel.str("version");
    p.sha256 = panel.str("sha256");
    p.file = panel.str("file");
    p.n_rows = panel.integer("n_rows");
    r.panels.push_back(std::move(p));
  }

  const Obj scoring(top.need("scoring"), "scoring");
  r.grades_scored = scoring.strings("grades_scored");
  r.eaf_population = scoring.str_or_null("eaf_population", true);
  const Obj codes(scoring.need("call_state_codes"), "scoring.call_state_codes");
  for (size_t i = 0; i < codes.value().size(); ++i) {
    const std::string_view code = codes.value().key(i);
    if (code.size() != 1) codes.fail(codes.value()[i], "\"" + std::string(code) + "\" is not a one-letter code");
    r.call_states.emplace_back(code[0], codes.str(code));
  }
  r.dosage = scoring.str("dosage");
  r.call_state_options = scoring.str("call_state_options");
  r.min_completeness = scoring.number_or_null("min_completeness");
  r.formula = scoring.strings("formula");

  // A sample's own "all" (and groups) are the first panel's; with several panels, "by_panel" has every panel's.
  const JsonValue samples = top.need("samples", Kind::kArray);
  r.samples.resize(samples.size());
  for (size_t k = 0; k < samples.size(); ++k) {
    const Obj s(samples[k], indexed("samples", k));
    ReportSample& x = r.samples[k];
    x.name = s.str("sample");
    if (r.panels.size() == 1) {
      x.panels.push_back(read_scores(s, r.panels[0], k == 0, r));
      continue;
    }
    const Obj by(s.need("by_panel"), s.sub("by_panel"));
    if (by.value().size() != r.panels.size())
      by.fail(by.value(), "has " + std::to_string(by.value().size()) + " members for the run's " +
                              std::to_string(r.panels.size()) + " panels");
    for (size_t p = 0; p < r.panels.size(); ++p) {
      if (by.value().key(p) != r.panels[p].id)
        by.fail(by.value()[p], "member " + std::to_string(p + 1) + " is \"" + std::string(by.value().key(p)) +
                                   "\" where the panels list has \"" + r.panels[p].id + "\"");
      x.panels.push_back(read_scores(Obj(by.value()[p], by.sub(r.panels[p].id)), r.panels[p], k == 0, r));
    }
  }

  const JsonValue sites = top.need("sites", Kind::kArray);
  r.sites.resize(sites.size());
  for (size_t i = 0; i < sites.size(); ++i) read_site(Obj(sites[i], indexed("sites", i)), r, r.sites[i]);
  r.calls_loaded = true;
  for (const ReportSite& s : r.sites) r.calls_loaded = r.calls_loaded && (!s.has_calls || s.call_of.size() == r.samples.size());

  // Present only when the run was given --biomarkers.
  if (const auto b = top.opt("biomarkers")) r.biomarkers = read_biomarkers(Obj(*b, "biomarkers"), r);
  return r;
}

}  // namespace healcap
