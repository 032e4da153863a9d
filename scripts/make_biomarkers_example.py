#!/usr/bin/env python3
"""Writes tests/data/example_biomarkers.tsv and tests/data/example_biomarkers_sample_map.tsv: synthetic lab
measurements for the 20 samples of the bundled example cohort (tests/data/example_cohort.vcf.gz), for
`healcap scan --biomarkers` (README "Biomarkers").

The values are drawn from a fixed seed and mean nothing: they are not measurements of anyone. They exercise what
real lab exports hold:
  - two timepoints, baseline and 3 months (3m), each row dated (so the dates order them);
  - serum CRP for every sample: lab A in mg/L (reference interval 0-5 mg/L, no analytical CV: the bundled CVa is
    used), lab B in mg/dL (converted: x 10; interval 0-0.5 mg/dL; its own cv_analytical 3.1 %);
  - a value below the quantification limit (<0.15 mg/L, the lower end of Roche cobas CRP) and one for IL-1beta;
  - serum IL-6 with the lab's interval, TNF-alpha and IL-1beta;
  - a synovial-fluid panel (IL-6, TNF-alpha, IL-1beta), which has no within-person variation study: no RCV;
  - markers without biological-variation data (MMP-3, IL-10): the change, and "no RCV available";
  - TIMP-1 in plasma, which has a bundled CVi but no bundled CVa: an RCV only where the row gives cv_analytical;
  - two samples under the lab's own ids, mapped to the VCF's by the sample-map file.
The reference intervals and analytical CVs are the (synthetic) labs' own, as a lab report gives them; healcap's
bundled reference supplies none.
Usage: make_biomarkers_example.py [--out-dir tests/data]
"""
import argparse
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
N_SAMPLES = 20
LAB_IDS = {"EX07": "LAB-A-0007", "EX12": "LAB-B-0012"}  # written under the lab's id, mapped back by the map file


class Rng:
    """A small linear congruential generator, so the file is the same on every machine."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 33) / float(1 << 31)

    def between(self, lo, hi):
        return lo + (hi - lo) * self.next()


def fmt(x, digits=2):
    return f"{x:.{digits}f}"


def day(n):
    """2026-01-05 plus n days, as YYYY-MM-DD (January to June 2026)."""
    months = [31, 28, 31, 30, 31, 30]
    d = 4 + n
    m = 0
    while d >= months[m]:
        d -= months[m]
        m += 1
    return f"2026-{m + 1:02d}-{d + 1:02d}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "tests", "data"))
    args = ap.parse_args()
    rng = Rng(20260105)
    cols = ["sample", "marker", "specimen", "timepoint", "date", "value", "unit", "ref_low", "ref_high",
            "cv_analytical", "assay", "lab"]
    rows = []

    def add(sample, marker, specimen, tp, date, value, unit, lo="", hi="", cva="", assay="", lab=""):
        rows.append([LAB_IDS.get(sample, sample), marker, specimen, tp, date, value, unit, lo, hi, cva, assay, lab])

    # The 3-month change of each sample's inflammation: a strong fall, a modest one, about the same, a rise.
    ratios = [0.25, 0.6, 1.05, 3.2]
    for k in range(1, N_SAMPLES + 1):
        s = f"EX{k:02d}"
        base = rng.between(0, 20)  # days after 2026-01-05
        d0, d3 = day(int(base)), day(int(base) + 91)
        r = ratios[(k * 7) % 4]
        # Serum CRP: lab A (mg/L) for EX01-EX10, lab B (mg/dL, its own CVa) for EX11-EX20.
        crp0 = rng.between(0.8, 9.0)
        crp3 = crp0 * r * rng.between(0.9, 1.1)
        for tp, d, v in (("baseline", d0, crp0), ("3m", d3, crp3)):
            if k <= 10:
                text = "<0.15" if (s == "EX04" and tp == "3m") else fmt(v)
                add(s, "hs-CRP" if k % 3 == 0 else "CRP", "serum", tp, d, text, "mg/L", "0", "5", "",
                    "immunoturbidimetric hs-CRP", "lab A")
            else:
                add(s, "C-reactive protein", "serum", tp, d, fmt(v / 10, 3), "mg/dL", "0", "0.5", "3.1",
                    "hs-CRP", "lab B")
        # Serum IL-6 with the lab's upper limit; TNF-alpha and IL-1beta for EX01-EX10.
        il6 = rng.between(1.5, 12.0)
        add(s, "IL-6", "serum", "baseline", d0, fmt(il6), "pg/mL", "", "7", "", "ECLIA", "lab A" if k <= 10 else "lab B")
        add(s, "interleukin 6", "serum", "3m", d3, fmt(il6 * (0.5 + r / 2)), "pg/mL", "", "7", "", "ECLIA",
            "lab A" if k <= 10 else "lab B")
        if k <= 10:
            tnf = rng.between(8, 20)
            add(s, "TNF-α", "serum", "baseline", d0, fmt(tnf), "pg/mL", "", "", "", "ELISA", "lab A")
            add(s, "TNFa", "serum", "3m", d3, fmt(tnf * (0.7 + r / 4)), "pg/mL", "", "", "", "ELISA", "lab A")
            il1 = rng.between(0.1, 0.6)
            add(s, "IL-1β", "serum", "baseline", d0, "<0.10" if s == "EX09" else fmt(il1), "pg/mL", "", "", "",
                "high-sensitivity ELISA", "lab A")
            add(s, "IL1B", "serum", "3m", d3, fmt(il1 * (0.6 + r / 3)), "pg/mL", "", "", "", "high-sensitivity ELISA",
                "lab A")
        # Synovial fluid (knee aspirate) for EX03-EX08: IL-6 in ng/mL at baseline (converted), pg/mL after.
        if 3 <= k <= 8:
            sf = rng.between(200, 2500)
            add(s, "IL-6", "synovial_fluid", "baseline", d0, fmt(sf / 1000, 3), "ng/mL", "", "", "", "multiplex", "research lab")
            add(s, "IL-6", "synovial_fluid", "3m", d3, fmt(sf * r), "pg/mL", "", "", "", "multiplex", "research lab")
            for marker, lo, hi in (("TNF-alpha", 5, 30), ("IL-1beta", 1, 10)):
                v = rng.between(lo, hi)
                add(s, marker, "synovial_fluid", "baseline", d0, fmt(v), "pg/mL", "", "", "", "multiplex", "research lab")
                add(s, marker, "synovial_fluid", "3m", d3, fmt(v * (0.5 + r / 2)), "pg/mL", "", "", "", "multiplex",
                    "research lab")
        # Markers without biological-variation data: MMP-3 (ng/mL) and IL-10 (pg/mL), EX05-EX14.
        if 5 <= k <= 14:
            mmp = rng.between(10, 60)
            add(s, "MMP-3", "serum", "baseline", d0, fmt(mmp), "ng/mL", "", "", "", "ELISA", "lab A")
            add(s, "MMP3", "serum", "3m", d3, fmt(mmp * (0.6 + r / 3)), "ng/mL", "", "", "", "ELISA", "lab A")
            il10 = rng.between(2, 10)
            add(s, "IL-10", "serum", "baseline", d0, fmt(il10), "pg/mL", "", "", "", "ELISA", "lab A")
            add(s, "IL-10", "serum", "3m", d3, fmt(il10 * rng.between(0.5, 1.5)), "pg/mL", "", "", "", "ELISA", "lab A")
        # TIMP-1 in plasma (EX15-EX20): no bundled CVa, so only EX15-EX17's rows (with cv_analytical) get an RCV.
        if k >= 15:
            t = rng.between(150, 300)
            cva = "4.5" if k <= 17 else ""
            add(s, "TIMP-1", "plasma", "baseline", d0, fmt(t, 1), "ng/mL", "", "", cva, "ELISA", "lab B")
            add(s, "TIMP1", "plasma", "3m", d3, fmt(t * rng.between(0.6, 1.6), 1), "ng/mL", "", "", cva, "ELISA", "lab B")

    os.makedirs(args.out_dir, exist_ok=True)
    path = os.path.join(args.out_dir, "example_biomarkers.tsv")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Synthetic lab measurements for the bundled example cohort, made by "
                "scripts/make_biomarkers_example.py: the values mean nothing and are no one's.\n")
        f.write("\t".join(cols) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    mpath = os.path.join(args.out_dir, "example_biomarkers_sample_map.tsv")
    with open(mpath, "w", encoding="utf-8", newline="\n") as f:
        f.write("# lab sample id<TAB>VCF sample id (synthetic, for tests/data/example_biomarkers.tsv)\n")
        for vcf, lab in sorted(LAB_IDS.items()):
            f.write(f"{lab}\t{vcf}\n")
    print(f"wrote {path} ({len(rows)} rows) and {mpath}")


if __name__ == "__main__":
    main()
