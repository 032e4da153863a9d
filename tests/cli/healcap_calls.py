"""Reading a run's PREFIX.calls.tsv.gz for the tests: the calls file beside a run's JSON, its rows, and the JSON's
sites with each sample's call put back as the per-site arrays the JSON held before the calls file (genotypes,
call_states, dosages, gq, dp), so that a check can compare them with bcftools query or with the report page.
"""
import gzip
import json
import os

NULL = object()


def calls_path(run_json, run=None):
    """The calls file the JSON's run.calls_file names, beside the JSON; None when the run wrote none."""
    if run is None:
        with open(run_json, encoding="utf-8") as f:
            run = json.load(f)
    name = run["run"].get("calls_file")
    return None if name is None else os.path.join(os.path.dirname(run_json), name)


def read_calls(path):
    """(header columns, rows as dicts) of a calls file; '.' cells stay '.'."""
    cols, rows = None, []
    with gzip.open(path, "rt", encoding="utf-8", newline="\n") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("##"):
                continue
            if line.startswith("#"):
                cols = line[1:].split("\t")
                continue
            cells = line.split("\t")
            if cols is None or len(cells) != len(cols):
                raise ValueError(f"{path}: a row of {len(cells)} cells where the header has {cols}")
            rows.append(dict(zip(cols, cells)))
    if cols is None:
        raise ValueError(f"{path}: no '#chrom' header line")
    return cols, rows


def number(text, parse_float=float):
    """A dosage cell as the JSON wrote it: an int for whole numbers, else a float (or parse_float's); None for '.'."""
    if text == ".":
        return None
    try:
        return int(text)
    except ValueError:
        return parse_float(text)


def attach(run, path, parse_float=float):
    """Puts each sample's call from the calls file back into the run's sites (those with calls) as arrays in sample
    order; returns the run. Raises ValueError when a row with calls lacks a sample's call."""
    _, rows = read_calls(path)
    codes = {name: code for code, name in run["scoring"]["call_state_codes"].items()}
    samples = [s["sample"] for s in run["samples"]]
    k_of = {s: k for k, s in enumerate(samples)}
    by_site = {}
    for r in rows:
        key = (r.get("panel"), r["site"])
        by_site.setdefault(key, []).append(r)
    for site in run["sites"]:
        if "match" not in site:
            continue
        got = by_site.get((site.get("panel"), site["id"]), [])
        if len(got) != len(samples):
            raise ValueError(f"{path}: row {site['id']} has {len(got)} calls for {len(samples)} samples")
        cells = [None] * len(samples)
        for r in got:
            cells[k_of[r["sample"]]] = r
        site["genotypes"] = [c["gt"] for c in cells]
        site["call_states"] = "".join(codes[c["state"]] for c in cells)
        site["dosages"] = [number(c["dosage"], parse_float) for c in cells]
        for f in ("gq", "dp"):
            if any(c[f] != "." for c in cells):
                site[f] = [None if c[f] == "." else int(c[f]) for c in cells]
    return run


def load_run(run_json, calls=None, **json_args):
    """The run's JSON with its calls attached from `calls` or the file it names (none attached when it names none)."""
    with open(run_json, encoding="utf-8") as f:
        run = json.load(f, **json_args)
    path = calls or calls_path(run_json, run)
    if path is not None:
        attach(run, path, json_args.get("parse_float", float))
    return run
