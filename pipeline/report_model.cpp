// Reading a run's JSON document into a RunReport: every value the report shows is looked up here, and a value
// that is missing or of the wrong kind is named with its place in the document.
#include "report_model.h"

#include <charconv>

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
  const size_t n = r.samples.size();
  const JsonValue gts = o.need("genotypes", Kind::kArray);
  const JsonValue states = o.need("call_states", Kind::kString);
  const JsonValue dos = o.need("dosages", Kind::kArray);
  if (gts.size() != n) o.fail(gts, "genotypes has " + std::to_string(gts.size()) + " values for " + std::to_string(n) + " samples");
  if (states.string().size() != n)
    o.fail(states, "call_states has " + std::to_string(states.string().size()) + " codes for " + std::to_string(n) + " samples");
  if (dos.size() != n) o.fail(dos, "dosages has " + std::to_string(dos.size()) + " values for " + std::to_string(n) + " samples");
  s.genotypes.reserve(n);
  s.dosages.reserve(n);
  for (size_t k = 0; k < n; ++k) {
    if (!gts[k].is_string()) o.wrong(indexed("genotypes", k), gts[k], "a string");
    s.genotypes.emplace_back(gts[k].string());
    if (dos[k].is_null()) s.dosages.emplace_back();
    else if (dos[k].is_number()) s.dosages.emplace_back(dos[k].number_text());
    else o.wrong(indexed("dosages", k), dos[k], "a number or null");
  }
  s.call_states = std::string(states.string());
  for (size_t k = 0; k < n; ++k) {
    bool known = false;
    for (const auto& cs : r.call_states) known = known || cs.first == s.call_states[k];
    if (!known) o.fail(states, "call_states: '" + std::string(1, s.call_states[k]) + "' (sample " + std::to_string(k + 1) +
                                   ") is not a code of scoring.call_state_codes");
  }
}

}  // namespace

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
  return r;
}

}  // namespace healcap
