// The biomarker layer's judgement: series per sample, marker and specimen; flags, categories, and changes
// judged against the reference change value, with bounds where a value is censored.
#include "biomarkers.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>

namespace healcap {

ReferenceChange reference_change(double cv_analytical_pct, double cv_within_pct, double z) {
  const double a = cv_analytical_pct / 100, i = cv_within_pct / 100;
  ReferenceChange r;
  r.symmetric = std::sqrt(2.0) * z * std::sqrt(a * a + i * i) * 100;
  const double sigma = std::sqrt(std::log(1 + a * a) + std::log(1 + i * i));
  r.upper = (std::exp(std::sqrt(2.0) * z * sigma) - 1) * 100;
  r.lower = (std::exp(-std::sqrt(2.0) * z * sigma) - 1) * 100;
  return r;
}

std::string_view to_string(RefFlag f) {
  switch (f) {
    case RefFlag::kLow: return "low";
    case RefFlag::kNormal: return "normal";
    case RefFlag::kHigh: return "high";
  }
  return "normal";
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kDecrease: return "decrease";
    case Verdict::kIncrease: return "increase";
    case Verdict::kWithinVariation: return "within_variation";
    case Verdict::kNoRcv: return "no_rcv";
    case Verdict::kNotComputable: return "not_computable";
  }
  return "no_rcv";
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::kNone: return "";
    case Outcome::kImproved: return "improved";
    case Outcome::kWorsened: return "worsened";
  }
  return "";
}

std::string bm_number(double x) {
  if (std::fabs(x) < 5e-13) x = 0;  // no "-0" or "1e-16" from a difference of equal values
  char buf[48];
  const auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
  return std::string(buf, r.ptr);
}

namespace {

std::string signed_pct(double x) { return (x > 0 ? "+" : "") + bm_number(x) + " %"; }

// The value's flag against the row's interval; a censored value only where its whole range falls on one side.
std::optional<RefFlag> ref_flag(const Measurement& m) {
  const auto& lo = m.ref_low;
  const auto& hi = m.ref_high;
  if (!lo && !hi) return std::nullopt;
  const double v = m.canonical;
  switch (m.censor) {
    case Censor::kNone:
      if (lo && v < *lo) return RefFlag::kLow;
      if (hi && v > *hi) return RefFlag::kHigh;
      return RefFlag::kNormal;
    case Censor::kBelow:  // somewhere in [0, v)
      if (lo && v <= *lo) return RefFlag::kLow;
      if ((!lo || *lo <= 0) && (!hi || v <= *hi)) return RefFlag::kNormal;
      return std::nullopt;
    case Censor::kAbove:  // somewhere above v
      if (hi && v >= *hi) return RefFlag::kHigh;
      if (!hi && (!lo || v >= *lo)) return RefFlag::kNormal;
      return std::nullopt;
  }
  return std::nullopt;
}

const DecisionCategory* category_of(const Measurement& m, const std::vector<const DecisionCategory*>& cats) {
  const double v = m.canonical;
  for (const DecisionCategory* c : cats) {
    switch (m.censor) {
      case Censor::kNone:
        if (v >= c->low && (!c->high || v < *c->high)) return c;
        break;
      case Censor::kBelow:
        if (c->low <= 0 && (!c->high || v <= *c->high)) return c;
        break;
      case Censor::kAbove:
        if (c->low <= v && !c->high) return c;
        break;
    }
  }
  return nullptr;
}

std::string value_words(const Measurement& m) {
  const std::string n = bm_number(m.canonical);
  return m.censor == Censor::kBelow ? "below " + n : m.censor == Censor::kAbove ? "above " + n : n;
}

BmChange judge_change(const BmSeries& s, const BiomarkerInput& in, const BiomarkerReference& ref, RcvLimits rcv,
                      size_t i, size_t j, bool baseline_to_last) {
  BmChange c;
  c.from = i;
  c.to = j;
  c.baseline_to_last = baseline_to_last;
  const Measurement& a = in.rows[s.values[i].row];
  const Measurement& b = in.rows[s.values[j].row];
  const bool same_unit = s.marker || fold_unit(a.unit) == fold_unit(b.unit);
  const double x = a.canonical, y = b.canonical;
  if (same_unit) {
    if (a.censor == Censor::kNone && b.censor == Censor::kNone) {
      c.abs_change = y - x;
      if (x > 0) c.pct_change = (y / x - 1) * 100;
    } else if (a.censor == Censor::kNone && x > 0) {  // the later value is censored
      c.pct_bound = (y / x - 1) * 100;
      c.bound_side = b.censor;
    } else if (b.censor != a.censor && x > 0) {
      // The earlier is censored: below x, the change is above (y/x - 1); above x, below it. A later censored
      // value on the other side moves the same way.
      const Censor side = a.censor == Censor::kBelow ? Censor::kAbove : Censor::kBelow;
      if (b.censor == Censor::kNone || b.censor == side) {
        c.pct_bound = (y / x - 1) * 100;
        c.bound_side = side;
      }
    }
  }
  // The limits: CVi for this marker and specimen, CVa from the rows (the larger of two) or the bundled one.
  if (!s.marker) {
    c.verdict = Verdict::kNoRcv;
    c.reason = "unknown marker: no reference, no RCV available";
  } else if (!s.variation || !s.variation->cv_within) {
    c.verdict = Verdict::kNoRcv;
    c.reason = s.note;
  } else {
    c.cv_within = s.variation->cv_within;
    if (a.cv_analytical || b.cv_analytical) {
      c.cv_analytical = std::max(a.cv_analytical.value_or(0), b.cv_analytical.value_or(0));
      c.cv_analytical_from = "row";
    } else if (s.variation->cv_analytical) {
      c.cv_analytical = s.variation->cv_analytical;
      c.cv_analytical_from = "bundled";
    }
    if (!c.cv_analytical) {
      c.verdict = Verdict::kNoRcv;
      c.reason = "no RCV available: no analytical CV of " + s.name + " is bundled (" + s.variation->status +
                 "); give the lab's cv_analytical (%) on its rows";
    } else {
      c.rcv = reference_change(*c.cv_analytical, *c.cv_within);
    }
  }
  if (c.rcv) {
    const double lo = rcv == RcvLimits::kSymmetric ? -c.rcv->symmetric : c.rcv->lower;
    const double hi = rcv == RcvLimits::kSymmetric ? c.rcv->symmetric : c.rcv->upper;
    if (c.pct_change) {
      c.verdict = *c.pct_change > hi ? Verdict::kIncrease : *c.pct_change < lo ? Verdict::kDecrease : Verdict::kWithinVariation;
    } else if (c.pct_bound && c.bound_side == Censor::kBelow && *c.pct_bound <= lo) {
      c.verdict = Verdict::kDecrease;
    } else if (c.pct_bound && c.bound_side == Censor::kAbove && *c.pct_bound >= hi) {
      c.verdict = Verdict::kIncrease;
    } else {
      c.verdict = Verdict::kNotComputable;
      if (c.pct_bound)
        c.reason = std::string("a censored value: the change is ") + (c.bound_side == Censor::kBelow ? "below " : "above ") +
                   signed_pct(*c.pct_bound) + ", which does not pass the " + (c.bound_side == Censor::kBelow ? "lower" : "upper") +
                   " limit " + signed_pct(c.bound_side == Censor::kBelow ? lo : hi);
      else if (a.censor != Censor::kNone || b.censor != Censor::kNone)
        c.reason = "a censored value: the direction of the change is not known";
      else
        c.reason = "the earlier value is 0: no percent change";
    }
  }
  if (c.verdict == Verdict::kDecrease || c.verdict == Verdict::kIncrease) {
    const Direction d = ref.markers()[*s.marker].direction;
    const bool fell = c.verdict == Verdict::kDecrease;
    if (d == Direction::kDecreaseImproves) c.outcome = fell ? Outcome::kImproved : Outcome::kWorsened;
    else if (d == Direction::kDecreaseWorsens) c.outcome = fell ? Outcome::kWorsened : Outcome::kImproved;
  }
  // The sentence.
  std::string t;
  const std::string unit = " " + s.unit;
  if (!same_unit) {
    t = "from " + a.value_text + " " + a.unit + " to " + b.value_text + " " + b.unit + ": the units differ";
  } else if (c.pct_change || c.abs_change) {
    t = (y > x ? "rose from " : y < x ? "fell from " : "stayed at ") + bm_number(x) + (y != x ? " to " + bm_number(y) : "") + unit;
    if (c.pct_change) t += " (" + signed_pct(*c.pct_change) + ")";
  } else if (c.pct_bound) {
    const bool fell = c.bound_side == Censor::kBelow && *c.pct_bound <= 0;
    const bool rose = c.bound_side == Censor::kAbove && *c.pct_bound >= 0;
    t = std::string(fell ? "fell from " : rose ? "rose from " : "from ") + value_words(a) + " to " + value_words(b) + unit +
        " (a change " + (c.bound_side == Censor::kBelow ? "below " : "above ") + signed_pct(*c.pct_bound) + ")";
  } else {
    t = "from " + value_words(a) + " to " + value_words(b) + unit;
  }
  const std::string limits =
      c.rcv ? (rcv == RcvLimits::kSymmetric ? "symmetric limit ±" + bm_number(c.rcv->symmetric) + " %"
                                            : "log-normal limits " + signed_pct(c.rcv->lower) + " / " + signed_pct(c.rcv->upper))
            : "";
  switch (c.verdict) {
    case Verdict::kDecrease:
    case Verdict::kIncrease:
      t += std::string("; a significant ") + (c.verdict == Verdict::kDecrease ? "decrease" : "increase") + " (" + limits + ")";
      if (c.outcome != Outcome::kNone) t += ": " + std::string(to_string(c.outcome));
      break;
    case Verdict::kWithinVariation: t += "; within biological variation (" + limits + ")"; break;
    case Verdict::kNoRcv: t += "; " + c.reason; break;
    case Verdict::kNotComputable: t += "; not computable (" + c.reason + ")"; break;
  }
  c.text = std::move(t);
  return c;
}

// What a series of a known marker has no reference for, in words ("" when it has a CVi).
std::string series_note(const BiomarkerReference& ref, size_t m, Specimen sp, const BiologicalVariation* bv) {
  const std::string& name = ref.markers()[m].name;
  if (bv && bv->cv_within) return "";
  if (sp == Specimen::kSynovialFluid)
    return "no RCV available: no within-person variation study of " + name +
           " in synovial fluid exists (none was found for any marker in synovial fluid)";
  if (sp == Specimen::kWholeBlood || !is_blood_fraction(sp))
    return "no RCV available: no within-person variation study of " + name + " in " + std::string(to_string(sp)) + " was found";
  return "no RCV available: no within-person variation study of " + name + " was found";
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < idx.size();) {
    size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
    const double avg = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (size_t k = i; k <= j; ++k) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

}  // namespace

std::optional<double> pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n) return std::nullopt;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx <= 0 || syy <= 0) return std::nullopt;
  return sxy / std::sqrt(sxx * syy);
}

std::optional<double> spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() < 2 || y.size() != x.size()) return std::nullopt;
  return pearson(ranks(x), ranks(y));
}

void judge_biomarkers(BiomarkerLayer& out, BiomarkerInput input, const BiomarkerReference& ref, RcvLimits rcv,
                      const GeneticSamples& genetic) {
  out.input = std::move(input);
  out.rcv = rcv;
  out.genotypes_known = genetic.known;
  const BiomarkerInput& in = out.input;
  std::map<std::string, size_t> tp_rank;
  for (size_t i = 0; i < in.timepoints.size(); ++i) tp_rank[in.timepoints[i]] = i;
  // The samples: the run's with rows in its order, then the others in file order.
  std::map<std::string, std::vector<size_t>> rows_of;
  std::vector<std::string> file_order;
  for (size_t r = 0; r < in.rows.size(); ++r) {
    auto [it, fresh] = rows_of.try_emplace(in.rows[r].sample);
    if (fresh) file_order.push_back(in.rows[r].sample);
    it->second.push_back(r);
  }
  std::unordered_map<std::string, size_t> run_index;
  for (size_t k = 0; k < genetic.samples.size(); ++k) run_index.emplace(genetic.samples[k], k);
  std::vector<std::string> order;
  for (const std::string& s : genetic.samples)
    if (rows_of.count(s)) order.push_back(s);
    else out.genotyped_without.push_back(s);
  for (const std::string& s : file_order)
    if (!run_index.count(s)) {
      order.push_back(s);
      if (genetic.known) out.without_genotypes.push_back(s);
    }
  out.samples.reserve(order.size());
  for (const std::string& name : order) {
    BmSample smp;
    smp.name = name;
    if (genetic.known) smp.genotyped = run_index.count(name) > 0;
    const std::vector<size_t>& rows = rows_of[name];
    smp.n_rows = rows.size();
    // Series keyed by (known marker's index | unknown's index after them, specimen).
    const size_t n_known = ref.markers().size();
    std::map<std::pair<size_t, int>, std::vector<size_t>> by_series;
    for (size_t r : rows) {
      const Measurement& m = in.rows[r];
      by_series[{m.marker ? *m.marker : n_known + m.unknown, static_cast<int>(m.specimen)}].push_back(r);
    }
    for (auto& [key, members] : by_series) {
      BmSeries s;
      const Measurement& first = in.rows[members.front()];
      s.marker = first.marker;
      s.unknown = first.unknown;
      s.specimen = first.specimen;
      if (s.marker) {
        const BiomarkerMarker& mk = ref.markers()[*s.marker];
        s.name = mk.name;
        s.unit = mk.canonical_unit;
        s.variation = ref.variation_for(*s.marker, s.specimen);
        s.note = series_note(ref, *s.marker, s.specimen, s.variation);
      } else {
        s.name = in.unknown[s.unknown].name;
        s.unit = first.unit;
        s.note = "unknown marker: no reference, no RCV available";
      }
      std::sort(members.begin(), members.end(),
                [&](size_t x, size_t y) { return tp_rank[in.rows[x].timepoint] < tp_rank[in.rows[y].timepoint]; });
      const auto cats = s.marker ? ref.categories_for(*s.marker, s.specimen) : std::vector<const DecisionCategory*>{};
      for (size_t r : members) {
        BmValue v;
        v.row = r;
        v.flag = ref_flag(in.rows[r]);
        v.category = category_of(in.rows[r], cats);
        s.values.push_back(v);
      }
      for (size_t i = 0; i + 1 < s.values.size(); ++i) s.changes.push_back(judge_change(s, in, ref, rcv, i, i + 1, false));
      if (s.values.size() >= 2) s.changes.push_back(judge_change(s, in, ref, rcv, 0, s.values.size() - 1, true));
      smp.series.push_back(std::move(s));
    }
    // The summary: pro-inflammatory markers against the lab's range per timepoint; baseline-to-last changes.
    for (const std::string& tp : in.timepoints) {
      BmTimepointSummary t;
      t.timepoint = tp;
      bool any = false;
      for (const BmSeries& s : smp.series)
        for (const BmValue& v : s.values) {
          if (in.rows[v.row].timepoint != tp) continue;
          any = true;
          if (!s.marker || !ref.markers()[*s.marker].pro_inflammatory) continue;
          ++t.n_pro_inflammatory_measured;
          t.n_pro_inflammatory_with_range += v.flag.has_value();
          t.n_pro_inflammatory_above_range += v.flag == RefFlag::kHigh;
        }
      if (any) smp.summary.by_timepoint.push_back(t);
    }
    for (const BmSeries& s : smp.series) {
      if (s.changes.empty()) continue;
      const BmChange& c = s.changes.back();
      BmSummary& u = smp.summary;
      switch (c.verdict) {
        case Verdict::kDecrease:
        case Verdict::kIncrease:
          (c.outcome == Outcome::kImproved ? u.n_improved : c.outcome == Outcome::kWorsened ? u.n_worsened : u.n_changed_no_direction)++;
          break;
        case Verdict::kWithinVariation: ++u.n_within_variation; break;
        case Verdict::kNoRcv: ++u.n_no_rcv; break;
        case Verdict::kNotComputable: ++u.n_not_computable; break;
      }
    }
    out.sample_index.emplace(name, out.samples.size());
    out.samples.push_back(std::move(smp));
  }
  // PGS000314 beside measured CRP at the first timepoint (serum, else plasma).
  if (genetic.known && genetic.has_crp_score) {
    CrpGenetic g;
    g.panel = genetic.crp_panel;
    g.column = genetic.crp_column;
    const auto crp = ref.find_marker("CRP");
    std::vector<double> xs, ys;
    for (size_t k = 0; k < genetic.samples.size(); ++k) {
      CrpGenetic::Pair p;
      p.sample = genetic.samples[k];
      p.score = k < genetic.crp_scores.size() ? genetic.crp_scores[k] : std::nullopt;
      const auto it = out.sample_index.find(p.sample);
      if (it != out.sample_index.end() && crp && !in.timepoints.empty())
        for (Specimen sp : {Specimen::kSerum, Specimen::kPlasma}) {
          if (p.series) break;
          for (const BmSeries& s : out.samples[it->second].series)
            if (s.marker == crp && s.specimen == sp && in.rows[s.values.front().row].timepoint == in.timepoints.front())
              p.series = &s;
        }
      if (p.score && p.series && in.rows[p.series->values.front().row].censor == Censor::kNone) {
        xs.push_back(*p.score);
        ys.push_back(in.rows[p.series->values.front().row].canonical);
      }
      g.pairs.push_back(std::move(p));
    }
    g.n = xs.size();
    if (g.n >= kCrpMinSamples) {
      g.pearson_r = pearson(xs, ys);
      g.spearman_rho = spearman(xs, ys);
    }
    out.crp = std::move(g);
  }
}

}  // namespace healcap
