#!/usr/bin/python3
"""Tests of the decision-support commands (issue 15) against independent numpy computations from
the results files: `compare`, and the machine output of `summary` (one JSON document, one CSV
header per view).

    /usr/bin/python3 tests/test_decisions.py --rxstress build/rxstress [unittest args]

Needs Debian's python3 with h5py and numpy.
"""

import argparse
import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMALL = os.path.join(ROOT, "tests", "data", "small.yaml")
RXSTRESS = None
WORK = None
PATHS = 400
BATCHES = 20  # stats::kBatches
# The corridor of model 4 (practice-shared) of tests/data/small.yaml: upper 0.02 -> 0.03.
CORRIDOR_UP = "delegation.4.terms.corridor.upper=0.03"


def rx(*args, check=True):
    p = subprocess.run([RXSTRESS, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"rxstress {' '.join(args)}: exit {p.returncode}\n{p.stderr}")
    return p


def run(name, *extra, paths=PATHS):
    out = os.path.join(WORK, name + ".h5")
    if not os.path.exists(out):
        rx("run", SMALL, "-o", out, "--quiet", "--paths", str(paths), *extra)
    return out


# ---- the independent computation -------------------------------------------------------------
def figures(x, budget, thresholds):
    """mean, numpy's default quantile at 0.95, ES95 (mean of the ceil(0.05 K) largest), P(x > t b)."""
    x = np.asarray(x, dtype=float)
    tail = int(math.ceil(round(0.05 * x.size, 9)))
    es = np.sort(x)[-tail:].mean()
    return [x.mean(), np.quantile(x, 0.95), es] + [np.mean(x > t * budget) for t in thresholds]


def paired_se(a, b, budget_a, budget_b, thresholds):
    """Batch means: 20 contiguous batches [g K / 20, (g + 1) K / 20), sd(B - A) / sqrt(20)."""
    K = len(a)
    diffs = []
    for g in range(BATCHES):
        lo, hi = g * K // BATCHES, (g + 1) * K // BATCHES
        diffs.append(np.subtract(figures(b[lo:hi], budget_b, thresholds),
                                 figures(a[lo:hi], budget_a, thresholds)))
    return np.std(np.array(diffs), axis=0, ddof=1) / math.sqrt(BATCHES)


def sides(f, model, year, holder):
    g = f[f"models/{model}"]
    if holder == "ICB":
        return g["icb_carries"][year], g["budget"][year].sum()
    h = list(g["holders"].asstr()[()]).index(holder)
    return g["outcome"][year, :, h], g["budget"][year, h]


def compare_rows(a, b, *extra):
    p = rx("compare", a, b, "--format", "csv", *extra)
    return list(csv.DictReader(io.StringIO(p.stdout))), p


class Compare(unittest.TestCase):
    def test_a_against_itself_is_zero(self):
        a = run("a")
        rows, p = compare_rows(a, a)
        self.assertTrue(rows)
        for r in rows:
            self.assertEqual(float(r["difference"]), 0.0, r)
            self.assertEqual(float(r["se"]), 0.0, r)
            self.assertEqual(r["paired"], "yes")
        self.assertEqual(p.stderr, "")

    def test_corridor_change_matches_numpy(self):
        a, b = run("a"), run("corridor-3pct", "--set", CORRIDOR_UP)
        rows, _ = compare_rows(a, b)
        with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
            thresholds = fa["models/icb-held/breaches"].attrs["thresholds"]
            names = ["mean_gbp", "var95_gbp", "es95_gbp"] + \
                [f"p_over_{100 * t:g}pct" for t in thresholds]
            groups = {}
            for r in rows:
                groups.setdefault((r["model"], r["year"], r["holder"]), {})[r["statistic"]] = r
            years = list(fa.attrs["settlement_years"])
            self.assertIn(("practice-shared", years[0], "ICB"), groups)
            nonzero = 0
            for (model, year, holder), stats in groups.items():
                y = years.index(year)
                xa, ba = sides(fa, model, y, holder)
                xb, bb = sides(fb, model, y, holder)
                ref_a, ref_b = figures(xa, ba, thresholds), figures(xb, bb, thresholds)
                se = paired_se(xa, xb, ba, bb, thresholds)
                self.assertEqual(sorted(stats), sorted(names))
                for i, name in enumerate(names):
                    r = stats[name]
                    with self.subTest(model=model, holder=holder, statistic=name):
                        scale = max(1.0, abs(ref_a[i]), abs(ref_b[i]))
                        self.assertAlmostEqual(float(r["A"]), ref_a[i], delta=1e-9 * scale)
                        self.assertAlmostEqual(float(r["B"]), ref_b[i], delta=1e-9 * scale)
                        self.assertAlmostEqual(float(r["difference"]), ref_b[i] - ref_a[i],
                                               delta=1e-9 * scale)
                        self.assertAlmostEqual(float(r["se"]), se[i], delta=1e-9 * scale)
                        nonzero += float(r["difference"]) != 0
            # Only the corridor model changes, and it does change.
            for (model, _, _), stats in groups.items():
                if model != "practice-shared":
                    self.assertTrue(all(float(r["difference"]) == 0 for r in stats.values()))
            self.assertGreater(nonzero, 10)
            # A wider corridor leaves the ICB less: its mean cost falls.
            icb = groups[("practice-shared", years[0], "ICB")]["mean_gbp"]
            self.assertLess(float(icb["difference"]), 0)

    def test_unpaired_is_flagged(self):
        a, c = run("a"), run("seed-2", "--seed", "2")
        rows, p = compare_rows(a, c, "--model", "icb-held")
        self.assertIn("UNPAIRED", p.stderr)
        self.assertIn("seed", p.stderr)
        self.assertTrue(all(r["paired"] == "no" for r in rows))
        # Unpaired errors combine each run's own: sqrt(se_a^2 + se_b^2) > 0.
        self.assertTrue(all(float(r["se"]) > 0 for r in rows if r["statistic"] == "mean_gbp"))

    def test_json_is_one_document(self):
        a, b = run("a"), run("corridor-3pct", "--set", CORRIDOR_UP)
        doc = json.loads(rx("compare", a, b, "--format", "json", "--holder", "ICB").stdout)
        self.assertTrue(doc["paired"])
        self.assertEqual({r["holder"] for r in doc["differences"]}, {"ICB"})

    def test_bad_input_exits_2(self):
        a = run("a")
        p = rx("compare", a, os.path.join(WORK, "missing.h5"), check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("missing.h5: results: no such file", p.stderr)
        self.assertEqual(p.stdout, "")


def h5diff(a, b, obj_a, obj_b):
    p = subprocess.run(["h5diff", a, b, obj_a, obj_b], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


class Sweep(unittest.TestCase):
    """Each point of a sweep equals a separate `rxstress run` with the same --set."""

    def check_points_equal_runs(self, sweep_file, expect_once):
        with h5py.File(sweep_file, "r") as f:
            self.assertEqual(f.attrs["format"], "rxstress.sweep")
            self.assertEqual(int(f.attrs["simulated_once"]), int(expect_once))
            points = sorted(f["points"], key=int)
            sets = {p: list(f[f"points/{p}"].attrs["set"]) for p in points}
            models = list(f["points/0/models"].attrs["order"])
            table = {c: f[f"table/{c}"][()] for c in ("point", "model", "icb_var95_gbp")}
        for p in points:
            args = [a for s in sets[p] for a in ("--set", s)]
            ref = run("sep-" + "-".join(sets[p]).replace("/", "_"), *args)
            for m in models:
                with self.subTest(point=p, model=m):
                    status, report = h5diff(sweep_file, ref, f"/points/{p}/models/{m}/stats",
                                            f"/models/{m}/stats")
                    self.assertEqual(status, 0, report[-2000:])
            with h5py.File(ref, "r") as r:
                for m in models:
                    row = [i for i in range(len(table["point"]))
                           if table["point"][i].decode() == p and table["model"][i].decode() == m]
                    self.assertEqual(len(row), 1)
                    self.assertEqual(table["icb_var95_gbp"][row[0]],
                                     r[f"models/{m}/stats/icb_carries/var"][0, 0, 0])
        return points

    def test_terms_grid_is_simulated_once_and_equals_separate_runs(self):
        out = os.path.join(WORK, "sweep-terms.h5")
        rx("sweep", SMALL, "--paths", str(PATHS), "-o", out, "--quiet",
           "--vary", "delegation.4.terms.corridor.upper=0.02,0.03",
           "--vary", "delegation.4.terms.pool.contribution=0.01,0.02")
        points = self.check_points_equal_runs(out, expect_once=True)
        self.assertEqual(len(points), 4)
        # The check has power: the corridor's points differ from each other.
        status, _ = h5diff(out, out, "/points/0/models/practice-shared/stats",
                           "/points/2/models/practice-shared/stats")
        self.assertEqual(status, 1)

    def test_driver_grid_runs_each_point(self):
        out = os.path.join(WORK, "sweep-growth.h5")
        p = rx("sweep", SMALL, "--paths", str(PATHS), "-o", out, "--format", "json",
               "--vary", "drivers.0.growth.sd=0.01,0.03")
        rows = json.loads(p.stdout)["sweep"]
        self.assertEqual({r["drivers.0.growth.sd"] for r in rows}, {"0.01", "0.03"})
        self.check_points_equal_runs(out, expect_once=False)

    def test_bad_vary_exits_2_and_writes_nothing(self):
        out = os.path.join(WORK, "sweep-bad.h5")
        for spec in ("drivers.0.growth.sd", "drivers.0.growth.sd=0.01,x"):
            p = rx("sweep", SMALL, "-o", out, "--vary", spec, check=False)
            self.assertEqual(p.returncode, 2, p.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertEqual([n for n in os.listdir(WORK) if "sweep-bad" in n], [])


class Tornado(unittest.TestCase):
    """A planted dominant parameter ranks first; each point equals a separate run."""

    def test_planted_parameter_ranks_first_and_points_equal_runs(self):
        out = os.path.join(WORK, "tornado.h5")
        keep = os.path.join(WORK, "tornado-points")
        # Planted: national growth uncertainty (sd 6 %) dominates the ICB's 1-in-20.
        p = rx("tornado", SMALL, "--paths", "200", "--set", "drivers.0.growth.sd=0.06",
               "--swing", "0.3", "--model", "icb-held", "-o", out, "--keep-points", keep,
               "--format", "json", "--quiet")
        rows = json.loads(p.stdout)["tornado"]
        # Every numeric driver parameter is tried; a swing that makes the scenario invalid is
        # reported and left out (the autocorrelation 0.88 x 1.3 > 0.99).
        self.assertIn("skipped drivers.1.noise.autocorrelation", p.stderr)
        params = [r["parameter"] for r in rows]
        for key in ("drivers.0.growth.mean", "drivers.1.dispersion", "drivers.2.rate_per_1000"):
            self.assertIn(key, params)
        self.assertNotIn("drivers.1.noise.autocorrelation", params)
        top = rows[0]
        self.assertEqual(top["parameter"], "drivers.0.growth.sd")
        self.assertEqual([r["rank"] for r in rows], list(range(1, len(rows) + 1)))
        self.assertGreater(abs(top["effect"]), 5 * top["se"])
        self.assertGreater(abs(top["effect"]), abs(rows[1]["effect"]) + 3 * math.hypot(top["se"], rows[1]["se"]))
        # The effect is metric(high) - metric(low), recomputed from the points' files: the ICB
        # carries everything under icb-held; numpy's quantile at 0.95.
        with h5py.File(out, "r") as f:
            sets = {tuple(f[f"points/{i}"].attrs["set"]): i for i in f["points"]}
        low = sets[("drivers.0.growth.sd=0.042",)]
        high = sets[("drivers.0.growth.sd=0.078",)]
        at = {}
        for name, i in (("low", low), ("high", high)):
            path = os.path.join(keep, f"point-{i}.h5")
            with h5py.File(path, "r") as f:
                at[name] = np.quantile(f["models/icb-held/icb_carries"][0], 0.95)
            point_set = next(k for k, v in sets.items() if v == i)[0]
            ref = run(f"tornado-sep-{name}", "--set", "drivers.0.growth.sd=0.06", "--set",
                      point_set, paths=200)
            status, report = h5diff(out, ref, f"/points/{i}/models/icb-held/stats",
                                    "/models/icb-held/stats")
            self.assertEqual(status, 0, report[-2000:])
        self.assertAlmostEqual(top["metric_low"], at["low"], delta=1e-6)
        self.assertAlmostEqual(top["effect"], at["high"] - at["low"], delta=1e-6)


class Export(unittest.TestCase):
    """`rxstress export`: one tidy table, one unit per statistic, the file's own numbers."""

    def test_csv_is_long_form_with_the_files_numbers(self):
        a = run("a")
        out = os.path.join(WORK, "a-export.csv")
        rx("export", a, "-o", out, "--outcomes", "--force")
        with open(out) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(list(rows[0]), ["model", "holder_level", "holder", "year", "statistic",
                                         "value", "unit"])
        units = {}
        for r in rows:
            units.setdefault(r["statistic"], set()).add(r["unit"])
        self.assertEqual({k: v for k, v in units.items() if len(v) != 1}, {})
        self.assertEqual(units["var95_gbp"], {"GBP"})
        self.assertEqual(units["p_over_5pct"], {"probability"})
        by = {(r["model"], r["holder"], r["statistic"]): float(r["value"]) if r["value"] else np.nan
              for r in rows}
        summary = list(csv.DictReader(io.StringIO(rx("summary", a, "--format", "csv").stdout)))
        with h5py.File(a, "r") as f:
            for m in f["models"].attrs["order"]:
                st = f[f"models/{m}/stats"]
                holders = list(f[f"models/{m}/holders"].asstr()[()])
                for h, holder in enumerate(holders):
                    self.assertEqual(by[(m, holder, "var95_gbp")], st["var"][0, h, 0])
                    self.assertEqual(by[(m, holder, "p_over_5pct")], st["p_exceed"][0, h, 3])
                    self.assertEqual(by[(m, holder, "reserve95_gbp")], st["reserve"][0, h, 0])
                self.assertEqual(by[(m, "ICB carries", "var95_gbp")], st["icb_carries/var"][0, 0, 0])
                # The same figure under the same name and unit in `summary --format csv`.
                row = next(r for r in summary if r["model"] == m)
                self.assertEqual(float(row["icb_var95_gbp"]), by[(m, "ICB carries", "var95_gbp")])
            K = int(f.attrs["paths"])
            with open(os.path.join(WORK, "a-export-outcomes.csv")) as o:
                outcomes = list(csv.DictReader(o))
            n = sum(len(f[f"models/{m}/holders"]) for m in f["models"].attrs["order"]) * K
            self.assertEqual(len(outcomes), n)
            first = outcomes[0]
            self.assertEqual(float(first["outcome_gbp"]),
                             f[f"models/{first['model']}/outcome"][0, int(first["path"]), 0])

    def test_xlsx_has_the_same_statistics(self):
        import openpyxl
        a = run("a")
        out = os.path.join(WORK, "a.xlsx")
        rx("export", a, "--format", "xlsx", "-o", out, "--force")
        book = openpyxl.load_workbook(out, read_only=True)
        self.assertEqual(book.sheetnames, ["statistics", "headline"])
        sheet = list(book["statistics"].values)
        self.assertEqual(sheet[0], ("model", "holder_level", "holder", "year", "statistic",
                                    "value", "unit"))
        with h5py.File(a, "r") as f:
            var = f["models/icb-held/stats/icb_carries/var"][0, 0, 0]
        row = next(r for r in sheet if r[0] == "icb-held" and r[2] == "ICB carries"
                   and r[4] == "var95_gbp")
        self.assertEqual(row[5], var)

    def test_bad_input_exits_2_and_writes_nothing(self):
        out = os.path.join(WORK, "none.csv")
        p = rx("export", os.path.join(WORK, "missing.h5"), "-o", out, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("missing.h5: results: no such file", p.stderr)
        self.assertFalse(os.path.exists(out))


def chromium(*args):
    """Headless Chromium (Debian's) as TOOLCHAIN.md says it runs as root; (status, stdout, stderr)."""
    profile = tempfile.mkdtemp(prefix="chromium-", dir=WORK)
    p = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                        "--enable-logging=stderr", "--v=0", *args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


class Report(unittest.TestCase):
    """`rxstress report`: one self-contained page that renders without errors and shows the
    file's figures."""

    @classmethod
    def setUpClass(cls):
        cls.a = run("a")
        cls.b = run("corridor-3pct", "--set", CORRIDOR_UP)
        cls.html = os.path.join(WORK, "report.html")
        # Actuals: path 3's first quarter, practice by practice (rxstress review).
        cls.actuals = os.path.join(WORK, "actuals.csv")
        with h5py.File(cls.a, "r") as f, open(cls.actuals, "w") as out:
            g = f["trajectories/practice"]
            out.write("practice,month,actual_cost\n")
            for h, holder in enumerate(g["holders"].asstr()[()]):
                for t in range(3):
                    out.write(f"{holder},2026-{4 + t:02d},{g['spend'][3, t, h]!r}\n")
        rx("report", cls.a, "--compare", cls.b, "--review", cls.actuals, "-o", cls.html,
           "--force")
        with open(cls.html, encoding="utf-8") as f:
            cls.text = f.read()

    def test_self_contained(self):
        lower = self.text.lower()
        self.assertNotIn("<script", lower)
        for attr in ('src="http', "src='http", 'href="http', "url(http", "@import"):
            self.assertNotIn(attr, lower)
        self.assertGreaterEqual(lower.count('src="data:image/png;base64,'), 4)
        self.assertEqual(lower.count(" src="), lower.count(' src="data:'))

    def test_renders_without_console_errors_and_shows_the_decision_table(self):
        shot = os.path.join(WORK, "report.png")
        status, _, err = chromium(f"--screenshot={shot}", "--window-size=1200,2400",
                                  "file://" + self.html)
        self.assertEqual(status, 0, err[-3000:])
        with open(shot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        self.assertGreater(os.path.getsize(shot), 20000)
        status, dom, err = chromium("--dump-dom", "file://" + self.html)
        self.assertEqual(status, 0)
        console = [l for l in err.splitlines() if "CONSOLE" in l or "Failed to load" in l
                   or "net::ERR" in l]
        self.assertEqual(console, [])
        # The decision table's figures, read from the file, are on the page in their rows.
        table = dom[dom.index('id="decision-table"'):]
        table = table[:table.index("</table>")]
        with h5py.File(self.a, "r") as f:
            for m in f["models"].attrs["order"]:
                row = table[table.index(f"<td>{m}</td>"):]
                row = row[:row.index("</tr>")]
                c = f[f"models/{m}/stats/icb_carries"]
                for value in (c["mean"][0, 0], c["var"][0, 0, 0], c["es"][0, 0, 0]):
                    self.assertIn(f"{value / 1e6:,.2f}", row, m)
                reserve = f[f"models/{m}/stats/reserve"][0, :, 0].sum()
                self.assertIn(f"{reserve / 1e6:,.2f}", row, m)
        # The comparison: what the ICB carries under practice-shared falls with a wider corridor.
        self.assertIn('id="comparison-table"', dom)
        with h5py.File(self.a, "r") as fa, h5py.File(self.b, "r") as fb:
            d = fb["models/practice-shared/stats/icb_carries/mean"][0, 0] - \
                fa["models/practice-shared/stats/icb_carries/mean"][0, 0]
        self.assertIn(f"{d / 1e6:+,.2f} ±", dom)

    def test_review_section(self):
        # Every model's holders are reviewed to June; the ICB row's actual is path 3's quarter.
        self.assertIn('id="review"', self.text)
        self.assertIn("(to 2026-06)", self.text)
        with h5py.File(self.a, "r") as f:
            quarter = f["trajectories/icb/spend"][3, :3, 0].sum()
            for m in f["models"].attrs["order"]:
                holders = len(f[f"models/{m}/holders"])
                self.assertRegex(self.text, rf"{m}: \d+ of {holders} holders outside")
        self.assertIn(f"<td>{quarter / 1e6:,.2f}</td>", self.text)
        # Bad actuals: exit 2 and no report.
        bad = os.path.join(WORK, "bad-actuals.csv")
        with open(bad, "w") as out:
            out.write("practice,month,actual_cost\nNOPE,2026-04,1\n")
        html = os.path.join(WORK, "bad-report.html")
        p = rx("report", self.a, "--review", bad, "-o", html, check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("bad-actuals.csv:2:1:", p.stderr)
        self.assertFalse(os.path.exists(html))

    def test_assumptions_and_footer(self):
        with h5py.File(self.a, "r") as f:
            for source in f["drivers/sources"].asstr()[()]:
                self.assertIn(source, self.text)
            self.assertIn(f.attrs["scenario_sha256"], self.text)
            self.assertIn(f"seed {f.attrs['seed']}", self.text)
        self.assertIn("drivers[0].growth.mean", self.text)

    def test_bad_input_exits_2_and_writes_nothing(self):
        out = os.path.join(WORK, "none.html")
        p = rx("report", os.path.join(WORK, "missing.h5"), "-o", out, check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("missing.h5: results: no such file", p.stderr)
        self.assertFalse(os.path.exists(out))


class Package(unittest.TestCase):
    """python/ installs offline with pip and Debian's setuptools, templates included."""

    def test_pip_installs_offline(self):
        target = os.path.join(WORK, "site")
        p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation",
                            "--no-index", "--no-deps", "--quiet", "--target", target,
                            os.path.join(ROOT, "python")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env=dict(os.environ, PIP_NO_CACHE_DIR="1"))
        self.assertEqual(p.returncode, 0, p.stdout)
        for made in ("build", "rxstress.egg-info"):  # setuptools builds in the source tree
            shutil.rmtree(os.path.join(ROOT, "python", made), ignore_errors=True)
        code = ("import rxstress, rxstress.report, rxstress.export, importlib.resources as r; "
                "print(rxstress.__file__); "
                "print(r.files('rxstress').joinpath('templates/report.html').is_file())")
        p = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                           env=dict(os.environ, PYTHONPATH=target), cwd=WORK)
        self.assertEqual(p.stdout.split(), [os.path.join(target, "rxstress", "__init__.py"), "True"])


class SummaryMachineOutput(unittest.TestCase):
    def test_every_view_is_one_json_document_and_one_csv_table(self):
        a = run("a")
        with h5py.File(a, "r") as f:
            practice = f["models/practice-held/holders"].asstr()[0]
        for view in ([], ["--model", "practice-shared"], ["--holder", practice]):
            with self.subTest(view=view):
                doc = json.loads(rx("summary", a, *view, "--format", "json").stdout)
                self.assertIsInstance(doc, dict)
                text = rx("summary", a, *view, "--format", "csv").stdout
                lines = text.splitlines()
                self.assertIn("model", lines[0].split(","))
                self.assertEqual(lines.count(lines[0]), 1)
                main = next(iter(doc.values()))
                self.assertEqual(len(lines) - 1, len(main))


def main():
    global RXSTRESS, WORK
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rxstress", default=os.environ.get("RXSTRESS_BINARY"))
    args, rest = ap.parse_known_args()
    if not args.rxstress or not os.access(args.rxstress, os.X_OK):
        sys.exit(f"test_decisions: give the rxstress program with --rxstress (got {args.rxstress!r})")
    RXSTRESS = os.path.abspath(args.rxstress)
    WORK = tempfile.mkdtemp(prefix="rxstress-decisions-")
    try:
        prog = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(0 if prog.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
