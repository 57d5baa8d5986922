#!/usr/bin/python3
"""Tests of the analysis notebooks (notebooks/) and their reader (the rxstress package, python/).

    /usr/bin/python3 tests/test_notebooks.py --rxstress build/rxstress [--work-dir DIR] [unittest args]

The rxstress binary may also be given as env RXSTRESS_BINARY. The test
 1. writes two small results files with the program: scenarios/example-icb.yaml with 500 paths, and
    notebooks/tests/small-two-years.yaml (two settlement years, 150 paths < the 1-in-200 period);
 2. checks the reader on both: format checks, shapes against the file's attributes, statistics
    against the path outcomes, the headline against `rxstress summary --format csv`;
 3. checks that the committed notebooks carry no outputs;
 4. executes every notebook headless on both files (`jupyter nbconvert --to notebook --execute`),
    with RXSTRESS_RESULTS and RXSTRESS_FIGURES set, and fails if a cell errors or a figure the
    notebook declares (metadata rxstress.figures) is missing or empty.
Executed notebooks and figures are kept under the work directory (default: a temporary directory,
removed afterwards) for inspection.
Needs Debian's python3 with h5py, numpy, pandas, matplotlib, nbformat, nbconvert and ipykernel.
"""

import argparse
import csv
import glob
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = os.path.join(ROOT, "notebooks")
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "python"))  # the rxstress package

MISSING = []
for _module in ("h5py", "numpy", "pandas", "matplotlib", "nbformat", "nbconvert", "ipykernel"):
    try:
        __import__(_module)
    except ImportError:
        MISSING.append(_module)
if MISSING:
    sys.exit(f"test_notebooks: {sys.executable} lacks the Python modules {', '.join(MISSING)} "
             f"(Debian: python3-h5py python3-numpy python3-pandas python3-matplotlib "
             f"jupyter-nbconvert python3-ipykernel; see tools/install-deps.sh)")

import h5py  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402

import rxstress as rx  # noqa: E402

RXSTRESS = None  # path of the rxstress program (set in main)
WORK = None  # work directory
RESULTS = {}  # name -> results file
RUNS = {
    # name: (scenario, extra arguments)
    "example-icb-500": (os.path.join(ROOT, "scenarios", "example-icb.yaml"), ["--paths", "500"]),
    "small-two-years": (os.path.join(NOTEBOOKS, "tests", "small-two-years.yaml"), []),
}


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def setUpModule():
    os.makedirs(WORK, exist_ok=True)
    for name, (scenario, extra) in RUNS.items():
        out = os.path.join(WORK, name + ".h5")
        t0 = time.time()
        p = run([RXSTRESS, "run", scenario, "-o", out, "--force", "--quiet", "--threads", "2"]
                + extra)
        if p.returncode != 0 or not os.path.exists(out):
            raise RuntimeError(f"rxstress run {scenario} failed (exit {p.returncode}):\n{p.stdout}")
        print(f"[test_notebooks] {name}: wrote {out} in {time.time() - t0:.1f}s", file=sys.stderr)
        RESULTS[name] = out


def notebook_paths():
    return sorted(glob.glob(os.path.join(NOTEBOOKS, "*.ipynb")))


# ---------------------------------------------------------------------------------------------
class CommittedNotebooks(unittest.TestCase):
    """The notebooks in the repository are valid and stripped of outputs."""

    def test_there_are_notebooks(self):
        names = [os.path.basename(p) for p in notebook_paths()]
        self.assertIn("delegation-volatility.ipynb", names)

    def test_outputs_stripped(self):
        for path in notebook_paths():
            with self.subTest(notebook=os.path.basename(path)):
                nb = nbformat.read(path, as_version=4)
                nbformat.validate(nb)
                for i, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    self.assertEqual(cell.get("outputs"), [],
                                     f"cell {i} has outputs: strip them before committing")
                    self.assertIsNone(cell.get("execution_count"),
                                      f"cell {i} has an execution count: strip outputs")

    def test_figures_declared_and_titled(self):
        # Every notebook declares the figures it saves; each is drawn by one code cell that gives
        # it a title, right after a one-line markdown cell saying what question it answers.
        for path in notebook_paths():
            with self.subTest(notebook=os.path.basename(path)):
                nb = nbformat.read(path, as_version=4)
                figures = nb.metadata.get("rxstress", {}).get("figures", [])
                self.assertTrue(figures, "metadata rxstress.figures lists no figure")
                for name in figures:
                    idx = [i for i, c in enumerate(nb.cells)
                           if c.cell_type == "code" and f'save(fig, "{name}")' in c.source]
                    self.assertEqual(len(idx), 1, f"figure {name!r} is not saved by one cell")
                    src = nb.cells[idx[0]].source
                    self.assertTrue("set_title" in src or "suptitle" in src,
                                    f"figure {name!r} has no title")
                    q = nb.cells[idx[0] - 1]
                    self.assertEqual(q.cell_type, "markdown", f"no markdown cell before {name!r}")
                    self.assertTrue(q.source.startswith("**Question:**") and "\n" not in q.source.strip(),
                                    f"the cell before figure {name!r} is not a one-line question")


# ---------------------------------------------------------------------------------------------
class Reader(unittest.TestCase):
    """The rxstress package (python/) against the files the program writes."""

    def each(self):
        for name, path in RESULTS.items():
            with self.subTest(results=name), rx.open_results(path) as res, \
                    h5py.File(path, "r") as f:
                yield name, res, f

    def test_root_attributes(self):
        for name, res, f in self.each():
            self.assertEqual(res.attrs["format"], "rxstress.results")
            self.assertEqual(res.format_version, 1)
            self.assertEqual(res.paths, int(f.attrs["paths"]))
            self.assertEqual(res.horizon_months, int(f.attrs["horizon_months"]))
            self.assertEqual(str(res.start), f.attrs["start"])
            self.assertEqual(res.years, list(f.attrs["settlement_years"]))
            self.assertIn("rxstress:", res.scenario_text)
        self.assertEqual(len(rx.open_results(RESULTS["small-two-years"]).years), 2)

    def test_shapes_match_attributes(self):
        for name, res, f in self.each():
            K, Y, T = res.paths, len(res.years), res.horizon_months
            P = len(f["practices/id"])
            self.assertEqual(len(res.practices), P)
            self.assertEqual(res.practices.filter(like="budget ").shape, (P, Y))
            self.assertEqual(list(res.drivers.index), list(f["drivers/names"].asstr()[()]))
            D = len(res.drivers)
            self.assertEqual(list(res.models.index), list(f["models"].attrs["order"]))
            for m in res.model_names:
                H = len(f[f"models/{m}/holders"])
                g = f[f"models/{m}/stats"]
                self.assertEqual(res.models.loc[m, "holders"], H)
                self.assertAlmostEqual(res.models.loc[m, "total_budget"],
                                       f[f"models/{m}/budget"][()].sum(), delta=1e-6)
                self.assertEqual(res.holders(m).shape[0], H)
                self.assertEqual(list(res.holders(m).index), list(f[f"models/{m}/holders"].asstr()[()]))
                st = res.stats(m)
                self.assertEqual(st.shape[0], Y * H)
                for col, key, attr in (("q", "quantiles", "probs"), ("var", "var", "alphas"),
                                       ("es", "es", "alphas"), ("p>", "p_exceed", "thresholds"),
                                       ("rp", "return_period_loss", "periods")):
                    n = len(g[key].attrs[attr])
                    self.assertEqual(len([c for c in st.columns if c.startswith(col)
                                          and not c.startswith("q95_ci")]), n, key)
                self.assertEqual(res.attribution(m).shape, (Y * H, D))
                self.assertEqual(list(res.attribution(m).columns), list(g["attribution"].attrs["drivers"]))
                self.assertEqual(res.outcomes(m, 0).shape, (K, H))
                self.assertEqual(res.gross(m, Y - 1).shape, (K, H))
                self.assertEqual(res.outcomes(m, 0, long=True).shape, (K * H, 3))
                self.assertEqual(res.icb_residual(m).shape, (Y, K))
                self.assertEqual(res.icb_residual_stats(m).shape[0], Y)
                self.assertEqual(res.breaches(m, 0).shape, (K, len(f[f"models/{m}/breaches"].attrs["thresholds"])))
            S = int(f["trajectories"].attrs["paths"])
            for level in res.trajectory_levels:
                tr = res.trajectories(level)
                self.assertEqual(tr.spend.shape, (S, T, len(tr.holders)))
                self.assertEqual(tr.budget.shape, (T, len(tr.holders)))
            for series, df in res.national.items():
                self.assertEqual(df.shape[0], K, series)

    def test_statistics_agree_with_outcomes(self):
        for name, res, f in self.each():
            for m in res.model_names:
                for y in range(len(res.years)):
                    h = res.typical_holder(m, y)
                    o = res.outcomes(m, y, holders=[h])[:, 0]
                    st = res.stats(m, y).loc[h]
                    scale = max(1.0, abs(st["budget"]) * 1e-9)
                    self.assertAlmostEqual(st["mean"], o.mean(), delta=scale)
                    self.assertAlmostEqual(st["var95"], np.quantile(o, 0.95), delta=scale)
                    self.assertAlmostEqual(st["q50"], np.quantile(o, 0.5), delta=scale)
                    self.assertAlmostEqual(st["p>5%"], np.mean(o > 0.05 * st["budget"]), delta=1e-12)
                    r = res.icb_residual(m)[y]
                    self.assertAlmostEqual(res.icb_residual_stats(m, y).iloc[0]["mean"], r.mean(),
                                           delta=scale)
                    # The ICB residual is what the holders do not keep.
                    total = res.gross(m, y).sum(axis=1) - res.outcomes(m, y).sum(axis=1)
                    np.testing.assert_allclose(r, total, atol=1e-3 * max(1.0, np.abs(total).max()))
            if res.paths < 200:
                self.assertTrue(np.isnan(res.stats(res.model_names[0])["rp200"]).all())

    def test_holder_selection(self):
        res = rx.open_results(RESULTS["example-icb-500"])
        m = "practice-held"
        ids = res.holder_ids(m)
        full = res.outcomes(m, 0)
        part = res.outcomes(m, 0, holders=[ids[5], ids[2], ids[5]])
        np.testing.assert_array_equal(part, full[:, [5, 2, 5]])
        np.testing.assert_array_equal(res.outcomes(m, "2026/27", holders=3), full[:, [3]])
        with self.assertRaises(KeyError):
            res.outcomes(m, 0, holders=["no such practice"])
        with self.assertRaises(KeyError):
            res.stats("no such model")
        with self.assertRaises(KeyError):
            res.year_index("1999/00")
        res.close()

    def test_headline_matches_cli_summary(self):
        for name, res, f in self.each():
            p = run([RXSTRESS, "summary", RESULTS[name], "--format", "csv"])
            self.assertEqual(p.returncode, 0, p.stdout)
            # One table for all settlement years, with a `year` column.
            by_year = {}
            for r in csv.DictReader(io.StringIO(p.stdout)):
                by_year.setdefault(r["year"], []).append(r)
            self.assertEqual(list(by_year), list(res.years))
            blocks = list(by_year.values())
            self.assertEqual(len(blocks), len(res.years))
            for y, rows in enumerate(blocks):
                ours = res.headline(y)
                self.assertEqual([r["model"] for r in rows], list(ours.index))
                # One name and one unit per figure: every column the reader gives is in the
                # CLI's CSV under the same name, with the same value (GBP, fractions).
                self.assertEqual(set(ours.columns) - set(rows[0]), set())
                for r in rows:
                    o = ours.loc[r["model"]]
                    for col in ours.columns:
                        if isinstance(o[col], str) or o[col] is None:
                            self.assertEqual(r[col], o[col] or "", (r["model"], col))
                            continue
                        cli = float(r[col]) if r[col] not in ("", "-", "nan") else np.nan
                        ref = float(o[col])
                        if np.isnan(cli):
                            self.assertTrue(np.isnan(ref), (r["model"], col))
                        else:
                            self.assertAlmostEqual(cli, ref, delta=1e-9 * max(1.0, abs(cli)),
                                                   msg=f"{r['model']} {col}")

    def test_refuses_unknown_major_version(self):
        copy = os.path.join(WORK, "format-version-99.h5")
        shutil.copyfile(RESULTS["small-two-years"], copy)
        with h5py.File(copy, "r+") as f:
            f.attrs["format_version"] = np.int64(99)
        with self.assertRaises(rx.UnsupportedFormatVersionError) as cm:
            rx.open_results(copy)
        msg = str(cm.exception)
        self.assertIn("format_version 99 is not supported", msg)
        self.assertIn("major version 1", msg)
        self.assertIsInstance(cm.exception, rx.ResultsFormatError)
        # A later minor version of major 1 is still read.
        with h5py.File(copy, "r+") as f:
            f.attrs["format_version"] = "1.4"
        rx.open_results(copy).close()

    def test_refuses_other_hdf5_files(self):
        other = os.path.join(WORK, "not-rxstress.h5")
        with h5py.File(other, "w") as f:
            f["x"] = np.arange(3)
        with self.assertRaises(rx.NotRxstressResultsError) as cm:
            rx.open_results(other)
        self.assertIn("not an rxstress results file", str(cm.exception))
        with h5py.File(other, "a") as f:
            f.attrs["format"] = "something.else"
        with self.assertRaises(rx.NotRxstressResultsError) as cm:
            rx.open_results(other)
        self.assertIn("'something.else'", str(cm.exception))
        text = os.path.join(WORK, "not-hdf5.h5")
        with open(text, "w") as f:
            f.write("model,holder\n")
        with self.assertRaises(rx.NotRxstressResultsError):
            rx.open_results(text)


# ---------------------------------------------------------------------------------------------
class ExecuteNotebooks(unittest.TestCase):
    """Every notebook runs headless on every results file and saves the figures it declares."""

    def nbconvert(self):
        jupyter = os.path.join(os.path.dirname(sys.executable), "jupyter")
        if os.path.exists(jupyter):
            return [jupyter, "nbconvert"]
        return [sys.executable, "-m", "nbconvert"]

    def test_execute(self):
        for path in notebook_paths():
            nb_name = os.path.splitext(os.path.basename(path))[0]
            figures = nbformat.read(path, as_version=4).metadata.get("rxstress", {}).get("figures", [])
            for name, results in RESULTS.items():
                with self.subTest(notebook=nb_name, results=name):
                    out = os.path.join(WORK, "executed", name)
                    shutil.rmtree(out, ignore_errors=True)
                    os.makedirs(out)
                    env = dict(os.environ, RXSTRESS_RESULTS=results, RXSTRESS_FIGURES=out,
                               PYDEVD_DISABLE_FILE_VALIDATION="1", MPLBACKEND="Agg",
                               PYTHONDONTWRITEBYTECODE="1")
                    t0 = time.time()
                    p = run(self.nbconvert() + ["--to", "notebook", "--execute", "--output-dir", out,
                                                "--ExecutePreprocessor.timeout=600", path],
                            env=env, cwd=NOTEBOOKS)
                    print(f"[test_notebooks] {nb_name} on {name}: {time.time() - t0:.1f}s",
                          file=sys.stderr)
                    self.assertEqual(p.returncode, 0, f"notebook failed:\n{p.stdout[-6000:]}")
                    executed = nbformat.read(os.path.join(out, nb_name + ".ipynb"), as_version=4)
                    for i, cell in enumerate(executed.cells):
                        for o in cell.get("outputs", []):
                            self.assertNotEqual(o.get("output_type"), "error", f"cell {i} errored")
                            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                                self.assertNotIn("Warning", o.get("text", ""),
                                                 f"cell {i} warns: {o.get('text')}")
                    for fig in figures:
                        png = os.path.join(out, fig + ".png")
                        self.assertTrue(os.path.exists(png), f"figure {fig}.png missing")
                        with open(png, "rb") as fh:
                            head = fh.read(8)
                        self.assertEqual(head, b"\x89PNG\r\n\x1a\n", f"{fig}.png is not a PNG")
                        self.assertGreater(os.path.getsize(png), 5000, f"{fig}.png is empty")


def main():
    global RXSTRESS, WORK
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rxstress", default=os.environ.get("RXSTRESS_BINARY"),
                    help="the rxstress program (default: env RXSTRESS_BINARY)")
    ap.add_argument("--work-dir", help="keep results, executed notebooks and figures here")
    args, rest = ap.parse_known_args()
    if not args.rxstress or not os.access(args.rxstress, os.X_OK):
        sys.exit("test_notebooks: give the rxstress program with --rxstress PATH or env "
                 f"RXSTRESS_BINARY (got {args.rxstress!r})")
    RXSTRESS = os.path.abspath(args.rxstress)
    if args.work_dir:
        WORK = os.path.abspath(args.work_dir)
        shutil.rmtree(WORK, ignore_errors=True)
        temporary = False
    else:
        WORK = tempfile.mkdtemp(prefix="rxstress-notebooks-")
        temporary = True
    try:
        prog = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2)
    finally:
        if temporary:
            shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(0 if prog.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
