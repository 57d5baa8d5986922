#!/usr/bin/python3
"""Scenario and calibration tests (run by ctest as python.calibration; tests/python.cmake).

    /usr/bin/python3 tests/test_calibration.py [--rxstress BIN] [--paths 400]

1. The population tables are reproducible: tools/make_england_population.py regenerates
   scenarios/data/england_practices*.csv byte for byte, and the benchmark table is the one of
   docs/benchmark.md (6,582 practices, 60,586,739 patients, 135 providers, runs of 5).
2. Every scenario of scenarios/ validates (`rxstress validate`).
3. scenarios/bench/england.yaml states exactly the docs/benchmark.md workload.
4. scenarios/england.yaml and example-icb.yaml carry the fitted concession parameters of
   scenarios/data/fitted_parameters.json (to their rounding).
5. The calibration checks of tools/calibrate.py on england.yaml with a few hundred paths, each
   with a tolerance of 4 Monte Carlo standard errors around the exact model value and the data
   target's tolerance (see tools/calibrate.py): a correct model fails by chance with
   probability below 1e-4 per check; the seed is fixed, so a run is reproducible.
Exits 0 when everything passes, 1 otherwise.
"""
import argparse
import csv
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tools"))
import calibrate  # noqa: E402

PY = sys.executable
FAILURES = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        FAILURES.append(what)


def test_population():
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([PY, os.path.join(ROOT, "tools", "make_england_population.py"),
                            "--out", tmp], capture_output=True, text=True)
        check(r.returncode == 0, "make_england_population.py runs" + (": " + r.stderr if r.returncode else ""))
        for name in ["england_practices.csv", "england_practices_pcn50k.csv"]:
            same = os.path.exists(os.path.join(tmp, name)) and filecmp.cmp(
                os.path.join(tmp, name), os.path.join(ROOT, "scenarios", "data", name), shallow=False)
            check(same, f"scenarios/data/{name} is what the script makes")
    # The benchmark table, rebuilt here independently from the raw file (docs/benchmark.md).
    raw = os.path.join(ROOT, "scenarios", "data", "raw", "practice_list_sizes_england_2021-01.csv")
    with open(raw, newline="") as f:
        src = [r for r in csv.DictReader(f) if int(r["registered_patients"]) >= 1000]
    with open(os.path.join(ROOT, "scenarios", "data", "england_practices.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    check(len(rows) == 6582, f"6,582 benchmark practices (found {len(rows)})")
    check(sum(int(r["list_size"]) for r in rows) == 60586739, "60,586,739 patients")
    check(all(r["id"] == s["practice_code"] and int(r["list_size"]) == int(s["registered_patients"])
              and r["provider"] == s["ccg_code"] for r, s in zip(rows, src)),
          "ids, list sizes and providers in file order")
    check(all(float(r["annual_spend"]) == 160.0 * int(r["list_size"]) and
              float(r["generic_share"]) == 0.22 for r in rows),
          "annual_spend = 160 x list_size, generic_share = 0.22")
    check(len({r["provider"] for r in rows}) == 135, "135 providers")
    ok, rank, prev = True, 0, None
    for r in rows:
        rank = rank + 1 if r["provider"] == prev else 0
        prev = r["provider"]
        ok &= r["neighbourhood"] == f"{r['provider']}-N{rank // 5 + 1:03d}"
    check(ok, "neighbourhoods are runs of 5 practices within each provider (<ccg>-N001, ...)")
    with open(os.path.join(ROOT, "scenarios", "data", "england_practices_pcn50k.csv"), newline="") as f:
        pcn = list(csv.DictReader(f))
    sizes = {}
    for r in pcn:
        sizes[r["neighbourhood"]] = sizes.get(r["neighbourhood"], 0) + int(r["list_size"])
    mean = sum(sizes.values()) / len(sizes)
    check(45000 <= mean <= 55000 and all(r["neighbourhood"].startswith(r["provider"] + "-")
                                         for r in pcn),
          f"pcn50k: neighbourhoods of ~50k patients within providers (mean {mean:,.0f})")


def test_validate(rx):
    for s in ["scenarios/england.yaml", "scenarios/bench/england.yaml", "scenarios/example-icb.yaml"]:
        r = subprocess.run([rx, "validate", os.path.join(ROOT, s)], capture_output=True, text=True)
        check(r.returncode == 0, f"rxstress validate {s}" + (": " + r.stderr.strip() if r.returncode else ""))


def test_bench_is_benchmark():
    import yaml
    with open(os.path.join(ROOT, "scenarios", "bench", "england.yaml")) as f:
        sc = yaml.safe_load(f)
    d = {x.get("name", x["type"]): x for x in sc["drivers"]}
    expect = {
        "baseline": {"growth": {"mean": 0.04, "sd": 0.02},
                     "seasonality": [0.9743, 1.0133, 1.0011, 0.9980, 1.0188, 0.9830, 1.0181,
                                     1.0103, 1.0207, 1.0210, 0.9300, 1.0113],
                     "noise": {"sd_at_10k": 0.03, "autocorrelation": 0.5}},
        "concessions": {"uplift": {"calm": 0.045, "crisis": 0.17}, "enter_crisis": 0.03,
                        "exit_crisis": 0.08, "start": "calm",
                        "noise": {"sd": 0.40, "autocorrelation": 0.88}, "dispersion": 4,
                        "dispersion_scaling": "none"},  # one shape for every practice
        "category_m": {"every_months": 3, "step_sd": 0.05},
        "high_cost_patients": {"rate_per_1000": 0.5,
                               "severity": {"law": "lognormal", "median": 8000, "sigma_log": 1.0},
                               "payment": "monthly", "cohort_years": 3,
                               "leave_hazard": 1.0 / 36.0},
        "new_medicines": {"prevalence": 0.02, "cost_per_patient_month": 150,
                          "launch_month": {"from": 0, "to": 6},
                          "peak_uptake": {"mean": 0.10, "sd": 0.05}, "half_peak_months": 9,
                          "scale_months": 3, "practice_cv": 0.5},
        "patent_expiry": {"share": {"mean": 0.03, "concentration": 50}, "per": "path",
                          "planned_month": 3,
                          "delay": {"values": [0, 3, 6], "probs": [0.6, 0.3, 0.1]},
                          "depth": {"mean": 0.8, "sd": 0.1}, "ramp_months": 4},
        "step_shock": {"probability": 0.3, "month": {"from": 3, "to": 11},
                       "magnitude": {"mean": 0.02, "sd": 0.01}, "segment_share": 0.3},
        "savings_plan": {"planned": 0.02, "start_month": 0, "delivery": {"mean": 0.7, "sd": 0.15},
                         "delay": {"values": [0, 3, 6], "probs": [0.5, 0.3, 0.2]},
                         "practice_cv": 0.3},
    }
    check(sorted(d) == sorted(expect) and len(sc["drivers"]) == 8, "bench: the eight drivers")
    for name, params in expect.items():
        got = {k: v for k, v in d.get(name, {}).items() if k not in ("type", "name", "source")}
        check(got == params, f"bench: {name} parameters are docs/benchmark.md's")
    check((sc["start"], sc["horizon_months"], sc["seed"], sc["paths"]) ==
          ("2026-04", 12, 20260401, 10000), "bench: start, horizon, seed, paths")
    check(sc["population"]["file"] == "../data/england_practices.csv", "bench: population file")
    b = sc["budget"]
    check(b["method"] == "expected" and b.get("uplift", 0) == 0 and
          sorted(b["funded"]) == sorted(n for n in expect if n != "concessions"),
          "bench: budget expected, every driver but concessions funded, uplift 0")
    models = {(m["name"], m["holder"]): m.get("terms") for m in sc["delegation"]}
    check(set(models) == {("icb", "icb"), ("provider", "provider"), ("neighbourhood", "neighbourhood"),
                          ("practice", "practice"), ("practice-shared", "practice")},
          "bench: the five delegation models")
    check(models.get(("practice-shared", "practice")) == {
        "carve_out": {"threshold": 20000},
        "corridor": {"lower": 0.02, "upper": 0.02, "share_over": 0.5, "share_under": 0.5, "cap": 0.05},
        "pool": {"contribution": 0.01, "leftover": "returned"}}, "bench: practice-shared terms")


def test_fitted_in_scenarios():
    import yaml
    with open(calibrate.FITTED) as f:
        c = json.load(f)["concessions"]
    for s in ["england.yaml", "example-icb.yaml"]:
        with open(os.path.join(ROOT, "scenarios", s)) as f:
            sc = yaml.safe_load(f)
        conc = next(x for x in sc["drivers"] if x["type"] == "concessions")
        pairs = [(conc["uplift"]["calm"], c["uplift_calm"]), (conc["uplift"]["crisis"], c["uplift_crisis"]),
                 (conc["enter_crisis"], c["enter_crisis"]), (conc["exit_crisis"], c["exit_crisis"]),
                 (conc["noise"]["sd"], c["noise_sd"]),
                 (conc["noise"]["autocorrelation"], c["noise_autocorrelation"])]
        check(all(abs(a - b) <= 0.005 * max(abs(b), 0.01) + 6e-4 for a, b in pairs) and
              conc.get("start") == "stationary",
              f"{s}: concessions carry the fitted parameters (stationary start)")


def test_calibration(rx, paths):
    with tempfile.TemporaryDirectory(prefix="rxstress-test-calibration-") as tmp:
        out = os.path.join(tmp, "england.h5")
        t0 = time.time()
        calibrate.run_scenario(rx, calibrate.SCENARIO, paths, out)
        res = calibrate.analyse(out, z=4.0)
        print(f"      ({paths} paths of england.yaml in {time.time() - t0:.0f} s)")
    for c in res["checks"]:
        check(c["ok"], f"calibration: {c['name']}: simulated "
                       f"{calibrate.fmt_value(c['sim'], c['fmt'], c['unit'])} ± "
                       f"{calibrate.fmt_se(c['se'], c['fmt'], c['unit'])}, target "
                       f"{calibrate.fmt_value(c['target'], c['fmt'], c['unit'])}, exact "
                       f"{calibrate.fmt_value(c['exact'], c['fmt'], c['unit'])}")
    pp = res.get("per_practice")
    check(pp is not None, "the results file has /drivers/detail/concessions")
    if pp:
        exact, all_ = res["per_practice_exact_mean"], pp["bands"][0]
        # the mean over practices and paths of the per-practice cost is the national mean / P
        se = next(c for c in res["checks"] if c["name"].startswith("mean annual"))["se"] / res["practices"]
        check(abs(all_["mean"] - exact) <= 4 * se,
              f"per-practice mean concession cost £{all_['mean']:,.0f} vs exact £{exact:,.0f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rxstress")
    ap.add_argument("--paths", type=int, default=400)
    args = ap.parse_args()
    rx = calibrate.find_rxstress(args.rxstress)
    test_population()
    test_validate(rx)
    test_bench_is_benchmark()
    test_fitted_in_scenarios()
    test_calibration(rx, args.paths)
    print(f"{len(FAILURES)} failure(s)" if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
