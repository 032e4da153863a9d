#!/usr/bin/env python3
"""Adds a synthetic "biomarkers" object (the issue-12 JSON contract) to a run JSON, to measure the report's size
and cost at scale before the biomarker engine writes real ones. Every sample of the run gets six markers
(CRP, IL-6, TNF-alpha, IL-1beta and IL-10 in serum, IL-6 in synovial fluid) at two timepoints, with dates, assay,
lab, a lab range for CRP, IL-6 and TNF-alpha, the CRP category, about 5 % censored values and both change
entries per pair (consecutive and baseline to last), each with its sentence. The values are random and the
verdicts follow the log-normal RCV limits of the bundled CVs; it is render input, not a biomarker result.
Python standard library only.

Usage: add_report_biomarkers.py RUN.json OUT.json [--seed N]
"""
import json
import math
import random
import sys

RCV = {"CRP": (42.2, 5.2), "IL-6": (21.5, 6.4), "TNF-alpha": (12.7, 8.2), "IL-1beta": (30.9, 4.0)}
MARKERS = [  # marker, specimen, unit, role, median, lab range, limit of quantification
    ("CRP", "serum", "mg/L", "acute_phase_protein", 2.0, (0, 5), 0.15),
    ("IL-6", "serum", "pg/mL", "pro_inflammatory_cytokine", 2.5, (0, 7), 1.5),
    ("TNF-alpha", "serum", "pg/mL", "pro_inflammatory_cytokine", 9.0, (0, 8.1), None),
    ("IL-1beta", "serum", "pg/mL", "pro_inflammatory_cytokine", 0.4, None, 0.1),
    ("IL-6", "synovial_fluid", "pg/mL", "pro_inflammatory_cytokine", 600.0, None, None),
    ("IL-10", "serum", "pg/mL", "anti_inflammatory_cytokine", 3.0, None, None),
]
CRP_CATEGORIES = [(0, 1, "low"), (1, 3, "average"), (3, 10, "high"), (10, math.inf, "acute")]


def g6(x):
    return float(f"{x:.6g}")


def rcv(marker):
    if marker not in RCV:
        return None
    cvi, cva = RCV[marker]
    z = 1.96
    sym = math.sqrt(2) * z * math.sqrt(cva ** 2 + cvi ** 2)
    s = math.sqrt(math.log(1 + (cva / 100) ** 2) + math.log(1 + (cvi / 100) ** 2))
    return cvi, cva, round(sym, 1), round((math.exp(-math.sqrt(2) * z * s) - 1) * 100, 1), round((math.exp(math.sqrt(2) * z * s) - 1) * 100, 1)


def main():
    a = sys.argv[1:]
    if len(a) not in (2, 4):
        sys.exit(__doc__)
    seed = int(a[3]) if len(a) == 4 and a[2] == "--seed" else 1
    rnd = random.Random(seed)
    text = open(a[0], encoding="utf-8").read().rstrip()
    names = [s["sample"] for s in json.loads(text)["samples"]]
    samples = []
    for name in names:
        day = rnd.randrange(1, 28)
        dates = [f"2026-01-{day:02d}", f"2026-04-{day:02d}"]
        markers, by_tp, btl = [], [[0, 0, 0], [0, 0, 0]], [0, 0, 0, 0, 0]
        for marker, specimen, unit, role, median, lab, loq in MARKERS:
            values = []
            for t in range(2):
                x = g6(median * rnd.lognormvariate(0, 0.7))
                censored = loq is not None and x < loq
                lo, hi = lab if lab else (None, None)
                flag = None if lab is None or censored else ("high" if x > hi else "normal")
                cat = next(c for l, h, c in CRP_CATEGORIES if l <= (loq if censored else x) < h) if marker == "CRP" else None
                values.append({"timepoint": ["baseline", "3m"][t], "date": dates[t], "value": None if censored else x,
                               "text": f"<{loq}" if censored else f"{x:g}", "censored": "<" if censored else None,
                               "bound": loq if censored else None,
                               "as_written": {"value": f"<{loq}" if censored else f"{x:g}", "unit": unit},
                               "ref_low": lo, "ref_high": hi, "ref_flag": flag, "category": cat,
                               "assay": "ELISA (high sensitivity)" if unit == "pg/mL" else "immunoturbidimetric",
                               "lab": "Lab North", "cv_analytical_pct": None})
                if role != "anti_inflammatory_cytokine":
                    by_tp[t][0] += 1
                    by_tp[t][1] += lab is not None
                    by_tp[t][2] += flag == "high"
            r = rcv(marker) if specimen == "serum" else None
            v0, v1 = values
            if v0["censored"] or v1["censored"]:
                abs_c = pct = None
                verdict, direction = "not_computable", None
                words = f"from {v0['text']} to {v1['text']} {unit}: not computable (a censored value)"
            else:
                abs_c, pct = g6(v1["value"] - v0["value"]), g6((v1["value"] / v0["value"] - 1) * 100)
                if r is None:
                    verdict, direction = "no_rcv", None
                elif pct < r[3]:
                    verdict = "decrease"
                elif pct > r[4]:
                    verdict = "increase"
                else:
                    verdict = "within_variation"
                if verdict in ("decrease", "increase"):
                    better = (verdict == "decrease") != (role == "anti_inflammatory_cytokine")
                    direction = "improved" if better else "worsened"
                else:
                    direction = None
                how = {"decrease": "a significant decrease", "increase": "a significant increase",
                       "within_variation": "within biological variation", "no_rcv": "no RCV available"}[verdict]
                words = f"{'fell' if pct < 0 else 'rose'} from {v0['text']} to {v1['text']} {unit} ({pct:+.1f} %): {how}"
            if direction is not None:
                btl[0 if direction == "improved" else 1] += 1
            else:
                btl[{"within_variation": 2, "no_rcv": 3, "not_computable": 4}[verdict]] += 1
            changes = [{"from": "baseline", "to": "3m", "kind": kind, "abs_change": abs_c, "pct_change": pct,
                        "cv_within_pct": r[0] if r else None, "cv_analytical_pct": r[1] if r else None,
                        "cv_analytical_from": "bundled" if r else None, "rcv_symmetric_pct": r[2] if r else None,
                        "rcv_lower_pct": r[3] if r else None, "rcv_upper_pct": r[4] if r else None,
                        "verdict": verdict, "direction": direction, "text": words} for kind in ("consecutive", "baseline_to_last")]
            markers.append({"marker": marker, "known": True, "specimen": specimen, "unit": unit, "role": role,
                            "values": values, "changes": changes})
        samples.append({"sample": name, "genotyped": True, "summary": {
            "by_timepoint": [{"timepoint": tp, "n_pro_inflammatory_measured": x[0], "n_pro_inflammatory_with_range": x[1],
                              "n_pro_inflammatory_above_range": x[2]} for tp, x in zip(["baseline", "3m"], by_tp)],
            "baseline_to_last": dict(zip(["n_improved", "n_worsened", "n_within_variation", "n_no_rcv", "n_not_computable"], btl))},
            "markers": markers})
    bm = {"research_use": "research use only; synthetic values for a benchmark",
          "file": "synthetic", "sha256": "0" * 64, "n_rows": 12 * len(names), "sample_map": None,
          "rcv": {"verdict_limits": "lognormal", "z": 1.96, "p": "two-sided 0.05",
                  "formula_symmetric": "RCV = sqrt(2) * z * sqrt(CVa^2 + CVi^2)",
                  "formula_lognormal": "sigma = sqrt(ln(1+CVa^2) + ln(1+CVi^2)); up = exp(+sqrt(2) z sigma) - 1; down = exp(-sqrt(2) z sigma) - 1",
                  "source": "Fraser & Harris critical difference; log-normal form Fokkema MR et al. Clin Chem 2006;52(8):1602"},
          "timepoints": ["baseline", "3m"], "timepoint_order": "date",
          "reference": {"markers": [], "biological_variation": [], "categories": [], "caveats": []},
          "unknown_markers": [], "samples_without_genotypes": [], "genotyped_without_biomarkers": [],
          "samples": samples, "crp_genetic": None}
    assert text.endswith("}")
    with open(a[1], "w", encoding="utf-8") as f:
        f.write(text[:-1].rstrip() + ',\n"biomarkers":' + json.dumps(bm, separators=(",", ":")) + "\n}\n")


if __name__ == "__main__":
    main()
