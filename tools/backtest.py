#!/usr/bin/python3
"""Backtest of the concessions forecast of scenarios/england.yaml against the public record.

    /usr/bin/python3 tools/backtest.py [--rxstress BIN] [--paths 4000] [--report scenarios/calibration.md]

As of each past start date that the record covers (monthly concession cost 2017-01..2023-12,
scenarios/data/raw/ncso_monthly_summary_2014_2023.csv; NHSBSA/OpenPrescribing, OGL v3, concession
lists CPE), rxstress forecasts the national concession cost of the next 12 months; the realised
cost is the sum of the record's 12 months. A calibrated forecaster's 50 % band (25th-75th
percentile) and 90 % band (5th-95th) contain the outturn about 50 % and 90 % of the time.

Two forecasters, both with the concessions driver of england.yaml as it stands:
- stationary: `start: stationary`, as england.yaml runs (it ignores the current regime, so every
  start date gets the same distribution);
- regime as of start: `start: crisis` when the month before the start cost more than the
  geometric midpoint of the calm and crisis uplifts (as a fraction of the modelled generic spend),
  else `start: calm`.
The national cost of a path is sum_t u_t * G / 12 over its first 12 months (/national/
concession_uplift; G = the modelled England generic spend, tools/calibrate.py), the practice
dispersion averaging out nationally. Caveat: the parameters were fitted to these same months
(tools/calibrate.py fit), so this is an in-sample check of the band widths, not an out-of-sample
test. The 12-month windows starting every month overlap, so their coverage has about a twelfth of
their count in independent outcomes; its standard error below uses windows/12.

The section "## Backtest" of the report is replaced (or added before the closing "Overall:" line);
tools/calibrate.py check keeps it when it rewrites the report.
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import calibrate  # noqa: E402  (the record, the generic spend, finding the program)

SECTION = "## Backtest"


def concessions_driver():
    """The concessions driver of england.yaml, as YAML data."""
    with open(calibrate.SCENARIO) as f:
        sc = yaml.safe_load(f)
    return next(d for d in sc["drivers"] if d["type"] == "concessions")


def scenario_text(driver, start, generic, paths):
    """A one-practice England (all its generic spend) with only the concessions driver."""
    d = dict(driver, start=start)
    d.pop("source", None)
    sc = {"rxstress": 1, "name": f"backtest-{start}", "start": "2017-04", "horizon_months": 12,
          "paths": paths, "seed": 20260401,
          "population": {"practices": [{"id": "ENG", "list_size": 60586739,
                                        "annual_spend": round(generic, 2), "generic_share": 1.0,
                                        "neighbourhood": "ENG", "provider": "ENG"}],
                         "source": "England generic spend (tools/calibrate.py)"},
          "drivers": [d], "delegation": [{"name": "icb", "holder": "icb"}],
          "outputs": {"trajectories": 0}}
    return yaml.safe_dump(sc, sort_keys=False)


def forecast(rx, driver, start, generic, paths, tmp):
    """National 12-month concession cost per path (GBP m) with the driver started in `start`."""
    import h5py
    path = os.path.join(tmp, f"backtest-{start}.yaml")
    with open(path, "w") as f:
        f.write(scenario_text(driver, start, generic, paths))
    out = os.path.join(tmp, f"backtest-{start}.h5")
    cmd = [rx, "run", path, "-o", out, "--force", "--quiet"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"backtest.py: {' '.join(cmd)} failed ({r.returncode}):\n{r.stderr}{r.stdout}")
    with h5py.File(out, "r") as f:
        u = f["national/concession_uplift"][:, :12]
    return u.sum(1) * generic / 12.0 / 1e6


def windows(months, cost):
    """Every 12-month window of the record with the month before it: (start, prior, outturn)."""
    out = []
    for i in range(1, len(months) - 11):
        out.append((months[i], cost[i - 1], float(cost[i:i + 12].sum())))
    return out


def coverage(rows, key):
    """Share of rows whose outturn lies in the 50 % and the 90 % band of forecaster `key`."""
    c50 = np.mean([r[key][1] <= r["outturn"] <= r[key][3] for r in rows])
    c90 = np.mean([r[key][0] <= r["outturn"] <= r[key][4] for r in rows])
    return c50, c90


def band_edge_error(sims, probs):
    """Largest half-width, relative to the edge, of the distribution-free 95 % confidence interval
    of any band edge (order statistics n p -+ 1.96 sqrt(n p (1 - p)))."""
    worst = 0.0
    for v in sims.values():
        x = np.sort(v)
        n = len(x)
        for p in probs:
            h = 1.96 * math.sqrt(n * p * (1 - p))
            lo, hi = x[max(0, int(math.floor(n * p - h)))], x[min(n - 1, int(math.ceil(n * p + h)))]
            worst = max(worst, (hi - lo) / 2 / np.quantile(x, p))
    return worst


def section(rows, fy_rows, driver, paths, threshold, edge_error):
    def band(q):
        return f"£{q[0]:.0f}m / £{q[1]:.0f}m / £{q[2]:.0f}m / £{q[3]:.0f}m / £{q[4]:.0f}m"

    def cov_line(name, sel, eff):
        out = []
        for key, label in (("stationary", "stationary"), ("conditioned", "regime as of start")):
            c50, c90 = coverage(sel, key)
            se50 = math.sqrt(0.25 / eff)
            se90 = math.sqrt(0.09 / eff)
            out.append(f"| {name} | {label} | {len(sel)} | {100 * c50:.0f} % (± {100 * se50:.0f} %) "
                       f"| {100 * c90:.0f} % (± {100 * se90:.0f} %) |")
        return out

    lines = [SECTION, "",
             "Generated by `tools/backtest.py` (method and caveats in its header). The national "
             "cost of concessions over the 12 months from each start date: the realised cost "
             "(scenarios/data/raw/ncso_monthly_summary_2014_2023.csv, est. actual extra cost, "
             "2017-01..2023-12) against the model's bands, "
             f"{paths:,} paths a forecast (the 95 % confidence interval of every band edge within "
             f"± {100 * edge_error:.1f} % of it, distribution-free). "
             f"Regime as of start: crisis when the month before cost more than "
             f"£{threshold:.1f}m (the geometric midpoint of the calm and crisis uplifts, "
             f"{driver['uplift']['calm']} and {driver['uplift']['crisis']} of generic spend). "
             "In-sample: the parameters were fitted to these months.", "",
             "| window | forecaster | outturns | in the 50 % band | in the 90 % band |",
             "|---|---|---|---|---|"]
    lines += cov_line("financial years 2017/18-2022/23", fy_rows, len(fy_rows))
    lines += cov_line("every 12-month window 2017-02..2023-12", rows, len(rows) / 12.0)
    lines += ["", "(± one binomial standard error at the nominal rate; overlapping windows counted "
              "as windows/12 independent outcomes.)", "",
              "| financial year | outturn | stationary 5 / 25 / 50 / 75 / 95 % | start regime | "
              "as of start 5 / 25 / 50 / 75 / 95 % |", "|---|---|---|---|---|"]
    for r in fy_rows:
        lines.append(f"| {r['label']} | £{r['outturn']:.0f}m | {band(r['stationary'])} | "
                     f"{r['regime']} | {band(r['conditioned'])} |")
    return lines + [""]


def write_section(report, lines):
    text = open(report).read() if os.path.exists(report) else ""
    with open(report, "w") as f:
        f.write(calibrate.splice_section(text, SECTION, lines))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rxstress")
    ap.add_argument("--paths", type=int, default=4000)
    ap.add_argument("--report", default=calibrate.REPORT, help="markdown report ('' for none)")
    args = ap.parse_args(argv)
    rx = calibrate.find_rxstress(args.rxstress)
    generic = calibrate.generic_spend_england()[0]
    driver = concessions_driver()
    months, cost, _ = calibrate.concession_series()
    threshold = math.sqrt(driver["uplift"]["calm"] * driver["uplift"]["crisis"]) * generic / 12 / 1e6
    with tempfile.TemporaryDirectory(prefix="rxstress-backtest-") as tmp:
        sims = {s: forecast(rx, driver, s, generic, args.paths, tmp)
                for s in ("stationary", "calm", "crisis")}
    probs = [0.05, 0.25, 0.5, 0.75, 0.95]
    q = {s: np.quantile(v, probs) for s, v in sims.items()}
    rows = []
    for start, prior, outturn in windows(months, cost):
        regime = "crisis" if prior > threshold else "calm"
        rows.append({"start": start, "outturn": outturn, "regime": regime,
                     "stationary": q["stationary"], "conditioned": q[regime],
                     "label": f"{start[:4]}/{(int(start[:4]) + 1) % 100:02d}"})
    fy_rows = [r for r in rows if r["start"].endswith("-04")]
    lines = section(rows, fy_rows, driver, args.paths, threshold, band_edge_error(sims, probs))
    print("\n".join(lines))
    if args.report:
        write_section(args.report, lines)
        print(f"wrote {os.path.relpath(args.report, calibrate.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
