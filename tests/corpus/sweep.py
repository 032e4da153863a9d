#!/usr/bin/env python3
"""Corpus sweep: run healcap over every VCF/BCF file of the external corpus and compare with a table.

For each file (see find_inputs for how files are picked):
  * healcap scan --out DIR/t1/out --threads 1 --allow-no-hits FILE, the same at --threads 2, and, when the
    file has an index beside it (FILE.tbi or FILE.csi), also with --threads 2 --stream;
  * healcap annotate --build B --threads 1 -o DIR/annotate/out.vcf FILE, where B is the build the first scan
    detected, else GRCh37 (the annotate_build column says which);
  * each run has a timeout (--timeout, 60 s); a run over it is killed and classed "timeout".
Each run is recorded as an exit code and a class (CLASS_RULES below); the runs of one file are checked for
byte-identical outputs across modes, leftover files and stderr lines that are not healcap's own.

Modes:
  (default)   compare with tests/data/corpus_expectations.tsv: print every row that changed, exit 1 on any
              change, and exit 1 on any crash, timeout, leftover, mode difference or stray stderr line.
  --write     regenerate the table (rows of files outside --only/--max-size are kept from the old table).
  --review    print counts per class and the suspicious files of the table (no healcap run; with --write,
              of the table just written).
Exit codes: 0 match, 1 difference or failure, 2 bad usage, 77 corpus directory missing (CTest skip).
Python 3 standard library only. tests/README.md has the details.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_CORPUS = os.path.normpath(os.path.join(PROJECT_ROOT, "..", "shared", "data", "external"))
DEFAULT_HEALCAP = os.path.join(PROJECT_ROOT, "build", "pipeline", "healcap")
DEFAULT_TABLE = os.path.join(PROJECT_ROOT, "tests", "data", "corpus_expectations.tsv")

# Inputs: names ending in .vcf, .gvcf or .bcf, optionally followed by .gz or .bgz (case-insensitive), plus every
# path the corpus's own MANIFEST.tsv lists (it adds the deliberately odd inputs: emptyfile, a FASTA, a BED, ...).
INPUT_NAME = re.compile(r"\.(g?vcf|bcf)(\.gz|\.bgz)?$", re.IGNORECASE)
MANIFEST = "MANIFEST.tsv"
INDEX_SUFFIXES = (".tbi", ".csi")  # healcap looks for FILE.tbi then FILE.csi (BCF: FILE.csi)

COLUMNS = ["path", "size", "index", "modes", "scan_rc", "scan_class", "scan_warnings", "annotate_build",
           "annotate_rc", "annotate_class", "modes_identical", "leftovers", "stray_stderr", "message"]
MESSAGE_WIDTH = 160

# The one table mapping healcap's error messages to classes. The first matching rule wins. The pattern is
# searched (re.search) in the error line with the input's path replaced by FILE, so a file name such as
# vcfexample.vcf.truncated.gz cannot decide its own class. A line no rule matches is "other", for review.
# The classes accepted, accepted-no-hits, crash, timeout and usage-error are decided before this table.
CLASS_RULES = [
    # The build (scan_steps.cpp, cohort.cpp, vcf_input.cpp).
    (r"cannot tell GRCh37 from GRCh38", "build-unknown"),
    (r"header contig lengths match both GRCh37", "build-ambiguous"),
    (r"likely cause: wrong build", "wrong-build"),
    (r"REF concordant at GRCh3[78] panel sites \(--min-ref-concordance", "ref-discordant"),
    (r"no panel site found", "no-hits"),
    # Opening the file (vcf_input.cpp).
    (r"not a VCF or BCF file \(htslib reads it as: empty\)", "empty"),
    (r"compressed twice", "not-vcf"),
    (r"not a VCF or BCF file|does not recognise its format", "not-vcf"),
    (r"BCF version [0-9.]+, which htslib cannot read", "unsupported-version"),
    (r"cannot open:", "io-error"),
    (r"cannot read a VCF header", "malformed-header"),
    # Reading (sources/*.cpp, record_slot.cpp, run_state.cpp, order_tracker.cpp).
    (r"truncated|ends early|cut short|end-of-file block is missing", "truncated"),
    (r"malformed header", "malformed-header"),
    (r"contig or tag the header does not define", "undefined-contig-or-tag"),
    (r"corrupt BGZF block|inflate or CRC", "corrupt-block"),
    (r"input is not sorted", "unsorted"),
    (r"malformed record", "malformed-record"),
    (r"cannot load the index|index query failed", "index-error"),
    (r"sample '.*' is not in the file|none of the requested samples|cannot select samples", "sample-error"),
    (r"cannot (create|write|move|reopen|seek|copy|extend|start)|write failed|read error|write after close",
     "io-error"),
]
CLASS_RULES = [(re.compile(p), c) for p, c in CLASS_RULES]

ACCEPTED = ("accepted", "accepted-no-hits")
SUSPICIOUS_CLASSES = ("other", "crash", "timeout", "usage-error")
NO_HITS = re.compile(r"no panel site found")
ANNOTATE_NO_HITS = re.compile(r"\b0 panel rows matched")
SANITIZER = re.compile(r"ERROR: (Address|Leak|Thread|Memory|UndefinedBehavior)Sanitizer|"
                       r"SUMMARY: \w+Sanitizer|: runtime error: ")
OWN_LINE = re.compile(r"healcap( [a-z]+)?: ")
DETECTED_BUILD = re.compile(r"^healcap scan: .*: (GRCh3[78]) \(")
# Scan's JSON fields that depend on how much of the file was read (an indexed read sees only the panel's
# windows, --stream sees every record); left out when the indexed runs are compared with the --stream run.
READ_SCOPE_INPUT_KEYS = ("read", "n_records_read", "contigs", "sorted", "first_unsorted",
                         "n_records_with_undefined_contig_or_tag", "n_records_at_pos_0")
# A scan's outputs under --out: its report files, its per-sample calls (written up to 10,000 samples), then its
# MultiQC custom content.
SCAN_OUTPUTS = ("samples.tsv", "sites.tsv", "json", "calls.tsv.gz", "healcap_general_mqc.tsv", "healcap_indexes_mqc.tsv",
                "healcap_problem_sites_mqc.tsv")


def find_inputs(corpus):
    """Relative paths of the corpus's VCF/BCF files, sorted."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames.sort()
        for name in filenames:
            if INPUT_NAME.search(name):
                found.add(os.path.relpath(os.path.join(dirpath, name), corpus))
    manifest = os.path.join(corpus, MANIFEST)
    if os.path.isfile(manifest):
        with open(manifest, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f):
                rel = line.rstrip("\n").split("\t")[0]
                if n == 0 and rel == "path":
                    continue
                if rel and not rel.startswith("#") and os.path.isfile(os.path.join(corpus, rel)):
                    found.add(os.path.normpath(rel))
    return sorted(found)


def clean_text(s):
    """One TSV-safe line: tabs, newlines and other control characters escaped."""
    out = []
    for ch in s:
        if ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def truncate(s, width=MESSAGE_WIDTH):
    return s if len(s) <= width else s[:width - 3] + "..."


class Run:
    """One healcap invocation: exit code (None on timeout), stderr lines, outputs found."""

    def __init__(self, rc, timed_out, lines, seconds):
        self.rc, self.timed_out, self.lines, self.seconds = rc, timed_out, lines, seconds
        self.cls = None
        self.error_line = ""
        self.leftovers = []
        self.stray = []

    def rc_text(self):
        return "timeout" if self.timed_out else str(self.rc)


def run(cmd, timeout, env):
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, start_new_session=True)
    timed_out = False
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the session this run started, nothing else
        except ProcessLookupError:
            pass
        _, err = proc.communicate()
    text = err.decode("utf-8", errors="backslashreplace")
    lines = [l for l in text.splitlines() if l.strip()]
    r = Run(None if timed_out else proc.returncode, timed_out, lines, time.monotonic() - t0)
    r.timeout = timeout
    return r


class Normaliser:
    """Makes messages independent of where the corpus and the temporary directory are."""

    def __init__(self, corpus, rel, tmp):
        self.subs = [(tmp + os.sep, "<tmp>/"), (tmp, "<tmp>"), (corpus + os.sep, ""),
                     (os.path.realpath(corpus) + os.sep, "")]
        self.rel = rel

    def __call__(self, line):
        for a, b in self.subs:
            line = line.replace(a, b)
        line = re.sub(r"==\d+==", "==PID==", line)
        line = re.sub(r"0x[0-9a-fA-F]{6,}", "0xADDR", line)
        return clean_text(line)


def classify(r, command, norm):
    """Sets r.cls and r.error_line."""
    lines = [norm(l) for l in r.lines]
    errors = [l for l in lines if l.startswith("healcap: error:")]
    own = [l for l in lines if OWN_LINE.match(l)]
    r.error_line = (errors or own or lines or [""])[0]
    if r.timed_out:
        r.cls = "timeout"
        r.error_line = "killed after the --timeout of %g s" % r.timeout
        return
    sanitizer = next((l for l in lines if SANITIZER.search(l)), None)
    if r.rc < 0 or r.rc >= 128 or sanitizer:
        r.cls = "crash"
        r.error_line = sanitizer or r.error_line or ("killed by signal %d" % -r.rc if r.rc < 0 else "")
        return
    if r.rc == 0:
        no_hits = NO_HITS if command == "scan" else ANNOTATE_NO_HITS
        r.cls = "accepted-no-hits" if any(no_hits.search(l) for l in lines) else "accepted"
        return
    text = r.error_line.replace(norm.rel, "FILE")
    for pattern, cls in CLASS_RULES:
        if pattern.search(text):
            r.cls = cls
            return
    r.cls = "usage-error" if r.rc == 2 else "other"


def files_under(d):
    out = []
    for dirpath, _, filenames in os.walk(d):
        for name in filenames:
            out.append(os.path.relpath(os.path.join(dirpath, name), d))
    return sorted(out)


def check_outputs(r, mode_dir, expected):
    """Leftovers: files beyond the expected outputs (all of them when rc != 0); '-NAME': an expected output
    missing after rc 0. Digits in names are replaced by N (temporary names carry process ids)."""
    have = files_under(mode_dir)
    want = expected if r.rc == 0 and not r.timed_out else []
    r.leftovers = [re.sub(r"\d+", "N", f) for f in have if f not in want]
    r.leftovers += ["-" + f for f in want if f not in have]


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


RUN_OBJECT = re.compile(rb'"run"\s*:\s*\{[^{}]*\}')


def json_without_run(data):
    """The JSON bytes with its "run" object emptied (command line and thread count differ by design)."""
    if data is None:
        return None
    return RUN_OBJECT.sub(b'"run":{}', data, count=1)


def json_canonical(data, drop_read_scope):
    try:
        d = json.loads(data)
    except (TypeError, ValueError):
        return data
    d.pop("run", None)
    if drop_read_scope and isinstance(d.get("input"), dict):
        for k in READ_SCOPE_INPUT_KEYS:
            d["input"].pop(k, None)
    return json.dumps(d, sort_keys=True)


def compare_modes(runs, dirs):
    """Differences between the first scan (t1) and the others: 'MODE:CLASS' for another class, 'MODE:rc=N'
    for another exit code, 'MODE:NAME' for an output whose bytes differ."""
    diffs = []
    base = runs["t1"]
    base_out = {n: read_bytes(os.path.join(dirs["t1"], "out." + n)) for n in SCAN_OUTPUTS}
    base_read = None
    if base.rc == 0 and base_out["json"] is not None:
        try:
            base_read = json.loads(base_out["json"]).get("input", {}).get("read")
        except ValueError:
            pass
    for mode, r in runs.items():
        if mode == "t1":
            continue
        if r.cls != base.cls:
            diffs.append(mode + ":" + r.cls)
            continue
        if r.rc != base.rc:
            diffs.append(mode + ":rc=" + r.rc_text())
            continue
        if r.rc != 0:
            continue
        out = {n: read_bytes(os.path.join(dirs[mode], "out." + n)) for n in SCAN_OUTPUTS}
        for n in SCAN_OUTPUTS:
            a, b = base_out[n], out[n]
            if n == "json":
                if mode == "stream":
                    other_read = None
                    try:
                        other_read = json.loads(b).get("input", {}).get("read")
                    except (TypeError, ValueError):
                        pass
                    scope = base_read != other_read
                    same = json_canonical(a, scope) == json_canonical(b, scope)
                else:
                    same = json_without_run(a) == json_without_run(b)
            else:
                same = a == b
            if not same:
                diffs.append(mode + ":" + n)
    return diffs


def detected_build(t1, t1_dir):
    if t1.rc == 0:
        try:
            with open(os.path.join(t1_dir, "out.json"), encoding="utf-8") as f:
                name = json.load(f)["build"]["name"]
            if name in ("GRCh37", "GRCh38"):
                return name
        except (OSError, ValueError, KeyError, TypeError):
            pass
    for line in t1.lines:
        m = DETECTED_BUILD.match(line)
        if m:
            return m.group(1)
    return None


def sweep_one(args, rel, session_tmp):
    path = os.path.join(args.corpus, rel)
    tmp = tempfile.mkdtemp(prefix="f", dir=session_tmp)
    try:
        norm = Normaliser(args.corpus, rel, tmp)
        child_tmp = os.path.join(tmp, "tmpdir")
        os.mkdir(child_tmp)
        env = dict(os.environ, TMPDIR=child_tmp, LC_ALL="C")
        env.pop("HEALCAP_HTSLIB_LOG", None)
        index = next((s[1:] for s in INDEX_SUFFIXES if os.path.isfile(path + s)), "-")
        modes = [("t1", ["--threads", "1"]), ("t2", ["--threads", "2"])]
        if index != "-":
            modes.append(("stream", ["--threads", "2", "--stream"]))
        runs, dirs = {}, {}
        scan_expected = ["out." + n for n in SCAN_OUTPUTS]
        for mode, opts in modes:
            d = os.path.join(tmp, mode)
            os.mkdir(d)
            cmd = [args.healcap, "scan", "--out", os.path.join(d, "out")] + opts + ["--allow-no-hits", path]
            r = run(cmd, args.timeout, env)
            classify(r, "scan", norm)
            check_outputs(r, d, scan_expected)
            runs[mode], dirs[mode] = r, d
        build = detected_build(runs["t1"], dirs["t1"])
        annotate_build = build if build else "GRCh37-default"
        d = os.path.join(tmp, "annotate")
        os.mkdir(d)
        cmd = [args.healcap, "annotate", "--build", build or "GRCh37", "--threads", "1",
               "-o", os.path.join(d, "out.vcf"), path]
        ann = run(cmd, args.timeout, env)
        classify(ann, "annotate", norm)
        check_outputs(ann, d, ["out.vcf"])
        diffs = compare_modes(runs, dirs)
        # Anything the runs left in TMPDIR is a leftover too.
        stray_tmp = [re.sub(r"\d+", "N", f) for f in files_under(child_tmp)]

        all_runs = list(runs.items()) + [("annotate", ann)]
        leftovers = []
        for mode, r in all_runs:
            leftovers += ["%s:%s" % (mode, f) for f in r.leftovers]
        leftovers += ["tmpdir:" + f for f in stray_tmp]
        stray = []
        for mode, r in all_runs:
            for line in r.lines:
                if not OWN_LINE.match(line):
                    stray.append("%s:%s" % (mode, norm(line)))
        # Shown: the first stray line that says something (a sanitizer report opens with a line of '=').
        shown = next((l for l in stray if l.split(":", 1)[1].strip("= ")), stray[0] if stray else "")
        t1 = runs["t1"]
        message = truncate(t1.error_line.replace(rel, "FILE"))
        if ann.cls != t1.cls and ann.cls not in ACCEPTED:
            message += " | annotate: " + truncate(ann.error_line.replace(rel, "FILE"))
        row = {
            "path": rel,
            "size": str(os.path.getsize(path)),
            "index": index,
            "modes": ",".join(m for m, _ in modes),
            "scan_rc": t1.rc_text(),
            "scan_class": t1.cls,
            "scan_warnings": str(sum(1 for l in t1.lines if l.startswith("healcap: warning:"))),
            "annotate_build": annotate_build,
            "annotate_rc": ann.rc_text(),
            "annotate_class": ann.cls,
            "modes_identical": "yes" if not diffs else "no(" + ",".join(diffs) + ")",
            "leftovers": ",".join(leftovers) if leftovers else "-",
            "stray_stderr": ("%d:%s" % (len(stray), truncate(shown, 100))) if stray else "-",
            "message": message,
        }
        seconds = sum(r.seconds for _, r in all_runs)
        return row, seconds
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def hard_failures(row):
    """Why a row fails whatever the table says."""
    why = []
    for col in ("scan_class", "annotate_class"):
        if row.get(col) in ("crash", "timeout"):
            why.append("%s=%s" % (col, row[col]))
    if row.get("leftovers", "-") != "-":
        why.append("leftovers=" + row["leftovers"])
    if row.get("modes_identical", "yes") != "yes":
        why.append("modes_identical=" + row["modes_identical"])
    if row.get("stray_stderr", "-") != "-":
        why.append("stray_stderr=" + row["stray_stderr"])
    return why


def read_table(path):
    """(columns, {path: row}); None when the file is missing."""
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = lines[0].split("\t")
    rows = {}
    for n, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise SystemExit("%s:%d: %d columns, the header has %d" % (path, n, len(cells), len(header)))
        row = dict(zip(header, cells))
        rows[row["path"]] = row
    return header, rows


def write_table(path, rows):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".new"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for key in sorted(rows):
            f.write("\t".join(rows[key].get(c, "") for c in COLUMNS) + "\n")
    os.replace(tmp, path)


def in_scope(rel, size, args):
    if args.only and args.only not in rel:
        return False
    if args.max_size is not None and size is not None and size > args.max_size:
        return False
    return True


def review(rows, out=sys.stdout):
    for col in ("scan_class", "annotate_class", "annotate_build"):
        counts = {}
        for r in rows.values():
            counts[r.get(col, "?")] = counts.get(r.get(col, "?"), 0) + 1
        print("%s (%d files):" % (col, len(rows)), file=out)
        for k in sorted(counts, key=lambda k: (-counts[k], k)):
            print("  %6d  %s" % (counts[k], k), file=out)
    suspicious = []
    for key in sorted(rows):
        r = rows[key]
        why = ["%s=%s" % (c, r.get(c)) for c in ("scan_class", "annotate_class") if r.get(c) in SUSPICIOUS_CLASSES]
        why += [w for w in hard_failures(r) if not w.startswith(("scan_class=", "annotate_class="))]
        if why:
            suspicious.append((key, why, r.get("message", "")))
    print("suspicious files: %d" % len(suspicious), file=out)
    for key, why, msg in suspicious:
        print("  %s\n      %s\n      %s" % (key, "; ".join(why), msg), file=out)
    return suspicious


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                epilog="See tests/README.md. Exit: 0 match, 1 difference or failure, 77 no corpus.")
    p.add_argument("--write", action="store_true", help="regenerate the expectations table")
    p.add_argument("--review", action="store_true",
                   help="print counts per class and suspicious files of the table (after --write: the new one)")
    p.add_argument("--expectations", default=DEFAULT_TABLE, metavar="PATH",
                   help="the expectations table [tests/data/corpus_expectations.tsv]")
    p.add_argument("--corpus", default=os.environ.get("HEALCAP_CORPUS", DEFAULT_CORPUS), metavar="DIR",
                   help="corpus root [$HEALCAP_CORPUS, else ../shared/data/external beside the project]")
    p.add_argument("--healcap", default=DEFAULT_HEALCAP, metavar="PATH", help="healcap binary [build/pipeline/healcap]")
    p.add_argument("--max-size", type=int, default=None, metavar="BYTES", help="only files of at most BYTES")
    p.add_argument("--only", default=None, metavar="SUBSTRING", help="only files whose relative path contains it")
    p.add_argument("--jobs", type=int, default=2, metavar="N", help="files swept at once [2]")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="seconds per healcap run [60]")
    p.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    if args.timeout <= 0:
        p.error("--timeout must be positive")
    return args


def main(argv):
    args = parse_args(argv)
    review_only = args.review and not args.write
    if review_only:
        table = read_table(args.expectations)
        if table is None:
            print("sweep: %s not found; make it with --write" % args.expectations)
            return 1
        rows = {k: r for k, r in table[1].items()
                if in_scope(k, int(r["size"]) if r.get("size", "").isdigit() else None, args)}
        review(rows)
        return 0

    args.corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(args.corpus):
        print("skipped: corpus directory %s not found" % args.corpus)
        return 77
    args.healcap = os.path.abspath(args.healcap)
    if not (os.path.isfile(args.healcap) and os.access(args.healcap, os.X_OK)):
        print("sweep: healcap binary %s not found or not executable (--healcap PATH)" % args.healcap)
        return 2

    files = []
    for rel in find_inputs(args.corpus):
        if in_scope(rel, os.path.getsize(os.path.join(args.corpus, rel)), args):
            files.append(rel)
    t0 = time.monotonic()
    rows, busy = {}, 0.0
    session_tmp = tempfile.mkdtemp(prefix="healcap-sweep.")
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {pool.submit(sweep_one, args, rel, session_tmp): rel for rel in files}
            for n, fut in enumerate(concurrent.futures.as_completed(futures), start=1):
                row, seconds = fut.result()
                rows[row["path"]] = row
                busy += seconds
                if args.verbose and (n % 100 == 0 or n == len(files)):
                    print("sweep: %d/%d files, %.0f s" % (n, len(files), time.monotonic() - t0), file=sys.stderr)
    finally:
        shutil.rmtree(session_tmp, ignore_errors=True)
    wall = time.monotonic() - t0
    summary = "sweep: %d files in %.1f s wall (%.1f s of healcap runs, --jobs %d)" % (len(rows), wall, busy, args.jobs)

    failures = [(k, hard_failures(rows[k])) for k in sorted(rows)]
    failures = [(k, w) for k, w in failures if w]

    if args.write:
        old = read_table(args.expectations)
        merged = {}
        if old is not None:
            for k, r in old[1].items():
                # Keep rows outside this run's selection whose files still exist.
                size = os.path.getsize(os.path.join(args.corpus, k)) if os.path.isfile(os.path.join(args.corpus, k)) else None
                if size is not None and not in_scope(k, size, args):
                    merged[k] = r
        merged.update(rows)
        write_table(args.expectations, merged)
        print("%s; wrote %d rows to %s" % (summary, len(merged), args.expectations))
        if args.review:
            review(merged)
        for k, w in failures:
            print("FAIL %s: %s" % (k, "; ".join(w)))
        return 1 if failures else 0

    table = read_table(args.expectations)
    if table is None:
        print("sweep: %s not found; make it with --write" % args.expectations)
        return 1
    header, expected = table
    problems = 0
    if header != COLUMNS:
        print("sweep: %s has columns %s; this script writes %s: regenerate it with --write"
              % (args.expectations, ",".join(header), ",".join(COLUMNS)))
        problems += 1
    # Rows of the table in this run's scope: by --only and by the size the table recorded.
    scope = {k for k, r in expected.items()
             if in_scope(k, int(r["size"]) if r.get("size", "").isdigit() else None, args)}
    for k in sorted(scope | set(rows)):
        old, new = expected.get(k), rows.get(k)
        if old is None:
            problems += 1
            print("NEW     %s (no row in the table)" % k)
            for c in COLUMNS[1:]:
                print("          %-16s %s" % (c, new[c]))
        elif new is None:
            if os.path.isfile(os.path.join(args.corpus, k)):
                continue  # outside --max-size now, but was within it when the table was written
            problems += 1
            print("GONE    %s (in the table, not in the corpus)" % k)
        else:
            changed = [c for c in COLUMNS[1:] if old.get(c) != new[c]]
            if changed:
                problems += 1
                print("CHANGED %s" % k)
                for c in changed:
                    print("          %-16s old: %s" % (c, old.get(c)))
                    print("          %-16s new: %s" % ("", new[c]))
    for k, w in failures:
        print("FAIL    %s: %s" % (k, "; ".join(w)))
    print(summary)
    if problems or failures:
        print("sweep: %d rows differ from %s, %d files fail (crash, timeout, leftovers, mode differences, "
              "stray stderr); if the changes are intended, review them and regenerate the table with "
              "'python3 tests/corpus/sweep.py --write'" % (problems, args.expectations, len(failures)))
        return 1
    print("sweep: all %d rows match %s" % (len(rows), args.expectations))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
