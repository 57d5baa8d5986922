#!/usr/bin/python3
"""Calibration of the rxstress scenarios: fit the parameters, then check the simulation against the data.

    /usr/bin/python3 tools/calibrate.py fit             # fit -> scenarios/data/fitted_parameters.json
    /usr/bin/python3 tools/calibrate.py check [--paths 2000] [--rxstress BIN]
                                                        # run scenarios/england.yaml -> scenarios/calibration.md

`fit` (a few minutes; deterministic, seed fixed) derives every calibrated number of
scenarios/england.yaml and scenarios/example-icb.yaml from the public data in scenarios/data/raw/
(sources: scenarios/data/SOURCES.md) and from the figures quoted in docs/sources.md
(cited as "sources §n"). The method of each fit is written next to it below and in
scenarios/README.md. The scenarios carry the fitted values rounded; `check` compares the two.

`check` runs `rxstress run scenarios/england.yaml --paths N` (trajectories off, the concessions
driver's per-practice annual spend written to /drivers/detail/concessions), reads the results
file and compares the simulation with the calibration targets. Each check has
  - a target from the data and its source,
  - the exact value of the model (closed form from the scenario's parameters, where one exists),
  - the simulated value and its Monte Carlo standard error (batch means over 20 blocks of paths),
  - a tolerance: how far the model may be from the data. It passes when
    |simulated - target| <= tolerance + z * SE  (z = 4 by default: a correct model fails by chance
    with probability below 1e-4), and, where the model's exact value is known, when
    |simulated - exact| <= z * SE (the engine simulates what the scenario says).
It prints the table, writes scenarios/calibration.md and exits 1 if a check fails.
tests/test_calibration.py runs the same checks with fewer paths.
"""
import argparse
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "scenarios", "data")
RAW = os.path.join(DATA, "raw")
FITTED = os.path.join(DATA, "fitted_parameters.json")
SCENARIO = os.path.join(ROOT, "scenarios", "england.yaml")
REPORT = os.path.join(ROOT, "scenarios", "calibration.md")

# Calibration targets (sources §1a, §1b, §2d) -------------------------------------------------------
FY_CONCESSION_COST_M = {  # est. actual extra cost of concessions, GBP m, sources §1a (DATA)
    "2017/18": 317.1, "2018/19": 179.4, "2019/20": 93.1,
    "2020/21": 134.6, "2021/22": 51.5, "2022/23": 310.2}
CALM_YEAR_M, CRISIS_YEAR_M = 51.5, 310.2  # 2021/22 and 2022/23 (sources §1a)
SPEND_PER_PATIENT = 160.0  # GBP/patient/year, sources §2d
CONCESSION_AC1 = 0.88  # lag-1 autocorrelation of monthly concession cost, sources §1b
CONCESSION_SD_DLOG = 0.40  # sd of month-on-month log change, sources §1b
PHI = 0.88  # autocorrelation of the log-uplift noise, fixed (sources §1b)
BANDS = [(0, 5000, "<5k"), (5000, 10000, "5-10k"), (10000, 15000, "10-15k"),
         (15000, math.inf, ">15k")]


# ==================================================================================================
# fit
# ==================================================================================================
def read_csv(path):
    import pandas as pd
    return pd.read_csv(path)


def generic_spend_england():
    """Annual generic spend of the England population, sum_i g_i B_i (GBP)."""
    d = read_csv(os.path.join(DATA, "england_practices.csv"))
    return float((d.annual_spend * d.generic_share).sum()), int(d.list_size.sum()), len(d)


def concession_series():
    """Monthly concession cost 2017-01..2023-12 (GBP m) and the financial year of each month."""
    d = read_csv(os.path.join(RAW, "ncso_monthly_summary_2014_2023.csv"))
    d = d.dropna(subset=["excess_est_actual_cost_gbp_m"])
    months = list(d.month)
    fy = [f"{int(m[:4]) - (int(m[5:7]) < 4)}/{(int(m[:4]) - (int(m[5:7]) < 4) + 1) % 100:02d}"
          for m in months]
    return months, d.excess_est_actual_cost_gbp_m.to_numpy(float), fy


def _ac1(x):
    x = x - x.mean(axis=-1, keepdims=True)
    return (x[..., 1:] * x[..., :-1]).sum(-1) / (x * x).sum(-1)


MOMENT_NAMES = ["sd of log u", "lag-1 autocorrelation of log u", "sd of month-on-month log change",
                "lag-1 autocorrelation of u", "CV of financial-year cost (6 FYs)",
                "10th percentile of log u", "90th percentile of log u"]


def series_moments(u, fy_slice):
    """Moments of monthly series u [..., n] (fractions of generic spend)."""
    lu = np.log(u)
    fy = u[..., fy_slice].reshape(u.shape[:-1] + (-1, 12)).sum(-1)
    return np.stack([lu.std(-1), _ac1(lu), np.diff(lu, axis=-1).std(-1, ddof=1), _ac1(u),
                     fy.std(-1, ddof=1) / fy.mean(-1), np.quantile(lu, 0.1, axis=-1),
                     np.quantile(lu, 0.9, axis=-1)], -1)


class RegimeSimulator:
    """Stationary two-state regime + AR(1) log-noise series of length n, common random numbers."""

    def __init__(self, n, paths, seed):
        rng = np.random.default_rng(seed)
        self.u0 = rng.random(paths)
        self.ur = rng.random((paths, n))
        self.z = rng.standard_normal((paths, n))
        self.n = n

    def simulate(self, calm, crisis, enter, exit_, s, phi=PHI):
        pi = enter / (enter + exit_)
        state = self.u0 < pi
        a = s * self.z[:, 0]
        inn = s * math.sqrt(1.0 - phi * phi)
        out = np.empty_like(self.z)
        for t in range(self.n):
            if t > 0:
                state = np.where(state, self.ur[:, t] >= exit_, self.ur[:, t] < enter)
                a = phi * a + inn * self.z[:, t]
            out[:, t] = np.where(state, crisis, calm) * np.exp(a - 0.5 * s * s)
        return out


def fit_concessions(paths=4000, seed=20260401):
    """Simulated method of moments for the concessions regime model.

    Data: monthly estimated actual extra cost 2017-01..2023-12 (84 months) divided by the monthly
    generic spend of the England population (sum g_i B_i / 12), so u_t is "cost as a fraction of
    generic spend" on today's population. Model: the rxstress concessions driver, stationary
    start, noise autocorrelation phi fixed at 0.88 (sources §1b). The stationary mean
    E[u] = (1-pi) u_calm + pi u_crisis, pi = enter/(enter+exit), is pinned to the FY2017/18-2022/23
    average cost (GBP 181m a year, sources §1a): u_crisis follows from the other four parameters.
    The other four (u_calm, enter, exit, s) minimise the weighted distance between 7 moments of
    the data series and their average over `paths` simulated 84-month series (finite-sample
    statistics compared with finite-sample statistics), weights = 1/variance of each simulated
    moment (two steps: weights at the starting point, then at the first-step estimate).
    """
    from scipy import optimize

    g_annual, _, _ = generic_spend_england()
    g_month = g_annual / 12.0 / 1e6  # GBP m
    months, cost, fy = concession_series()
    u = cost / g_month
    first = fy.index("2017/18")
    fy_slice = slice(first, first + 72)  # the six complete FYs 2017/18..2022/23
    data = series_moments(u, fy_slice)
    target_mean = np.mean(list(FY_CONCESSION_COST_M.values())) / (g_annual / 1e6)
    sim = RegimeSimulator(len(u), paths, seed)

    def params(th):
        calm = target_mean / (1.0 + math.exp(-th[0]))  # 0 < calm < E[u]
        enter, exit_ = 1.0 / (1.0 + math.exp(-th[1])), 1.0 / (1.0 + math.exp(-th[2]))
        pi = enter / (enter + exit_)
        crisis = (target_mean - (1.0 - pi) * calm) / pi
        return calm, crisis, enter, exit_, math.exp(th[3])

    def moments(th):
        return series_moments(sim.simulate(*params(th)), fy_slice)

    def theta(calm, enter, exit_, s):
        lg = lambda p: math.log(p / (1.0 - p))
        return np.array([lg(calm / target_mean), lg(enter), lg(exit_), math.log(s)])

    starts = [theta(0.030, 0.04, 0.04, 0.25), theta(0.040, 0.03, 0.08, 0.40),
              theta(0.020, 0.08, 0.08, 0.15)]
    weights = 1.0 / moments(starts[1]).var(0)
    best = None
    for step in range(2):
        for th0 in (starts if step == 0 else [best.x]):
            obj = lambda th: float(np.sum(weights * (moments(th).mean(0) - data) ** 2))
            r = optimize.minimize(obj, th0, method="Nelder-Mead",
                                  options={"maxiter": 600, "xatol": 1e-4, "fatol": 1e-7})
            if best is None or r.fun < best.fun or step == 1:
                best = r
        weights = 1.0 / moments(best.x).var(0)
        best.fun = float(np.sum(weights * (moments(best.x).mean(0) - data) ** 2))
    calm, crisis, enter, exit_, s = params(best.x)
    m = moments(best.x)
    pi = enter / (enter + exit_)
    return {
        "method": "simulated method of moments, stationary regime model, phi fixed, mean pinned",
        "data": f"ncso_monthly_summary_2014_2023.csv, est. actual extra cost, {months[0]}..{months[-1]}"
                f" ({len(u)} months)",
        "denominator_gbp_per_month": g_month * 1e6,
        "target_mean_uplift": target_mean,
        "uplift_calm": calm, "uplift_crisis": crisis, "enter_crisis": enter,
        "exit_crisis": exit_, "noise_sd": s, "noise_autocorrelation": PHI,
        "stationary_crisis_probability": pi,
        "mean_spell_months": {"calm": 1.0 / enter, "crisis": 1.0 / exit_},
        "implied_mean_annual_cost_gbp_m": target_mean * g_annual / 1e6,
        "objective": best.fun, "simulated_series": paths, "seed": seed,
        "moments": [{"name": n, "data": float(d), "model_mean": float(mm), "model_sd": float(sd)}
                    for n, d, mm, sd in zip(MOMENT_NAMES, data, m.mean(0), m.std(0))],
    }


def fit_seasonality():
    d = read_csv(os.path.join(RAW, "items_seasonality_month_profile.csv"))
    by_month = dict(zip(d.calendar_month, d.items_relative_to_1_12th_of_year))
    apr_mar = [float(by_month[m]) for m in [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]]
    return {"april_to_march": apr_mar, "mean": float(np.mean(apr_mar)),
            "method": "items_seasonality_month_profile.csv reordered April..March; the baseline "
                      "driver normalises it to mean 1"}


def fit_growth():
    # NHSBSA PCA year-on-year growth of cost, 2019/20..2024/25 (sources §2a, EST).
    growth = {"2020/21": 0.035, "2021/22": 0.009, "2022/23": 0.075, "2023/24": 0.048,
              "2024/25": 0.028}
    v = np.array(list(growth.values()))
    return {"yearly": growth, "mean": float(v.mean()), "sd": float(v.std(ddof=1)),
            "method": "mean and sd (ddof 1) of the five PCA year-on-year growth rates"}


def fit_doac():
    """Logistic fit of the DOAC share of oral anticoagulant items, months from 2012-01."""
    from scipy import optimize
    d = read_csv(os.path.join(RAW, "doac_uptake_england_monthly_2012_2020.csv"))
    share = d.doac_share_pct.to_numpy(float) / 100.0
    t = np.arange(len(share), dtype=float)
    f = lambda t, p, h, c: p / (1.0 + np.exp(-(t - h) / c))
    (peak, half, scale), cov = optimize.curve_fit(f, t, share, p0=[0.8, 60.0, 15.0])
    se = np.sqrt(np.diag(cov))
    last = d.iloc[-1]
    # Oral anticoagulant patients: DOAC + warfarin items a month, one 28-day item per patient
    # every 28 days (12/13 items a month), over the England list (60.6m, Jan 2021).
    _, patients, _ = generic_spend_england()
    treated = float(last.doac_plus_warfarin_items) * 12.0 / 13.0
    return {"peak": float(peak), "half_peak_months": float(half), "scale_months": float(scale),
            "se": {"peak": float(se[0]), "half_peak_months": float(se[1]),
                   "scale_months": float(se[2])},
            "rmse": float(np.sqrt(np.mean((share - f(t, peak, half, scale)) ** 2))),
            "share_after_12_months": float(f(12.0, peak, half, scale)),
            "prevalence": treated / patients,
            "prevalence_method": f"{int(last.doac_plus_warfarin_items):,} DOAC + warfarin items in "
                                 f"{last.month} x 12/13 (28-day items) / {patients:,} patients",
            "cost_per_patient_month": (620.0 + 710.0) / 2.0 / 12.0,
            "cost_method": "DOAC list price GBP 620-710 a year pre-generic (sources §5), midpoint / 12",
            "method": "least squares of share_t = peak / (1 + exp(-(t - half) / scale)), t months "
                      "from 2012-01 (the first DOAC NICE appraisals, 2012)"}


def fit_category_m():
    # Quarterly Drug Tariff margin adjustments through Category M (sources §3), GBP m a quarter.
    moves = {"2021-07": -49.0, "2022-10": 6.7, "2023-07": 5.0, "2025-01": -34.0, "2026-01": -16.8}
    cat_m_quarter = 128.0 * 3  # Cat M spend, GBP 128m a month (sources §2b)
    g_annual, _, _ = generic_spend_england()
    generic_quarter = g_annual / 4.0 / 1e6
    v = np.array(list(moves.values()))
    rms = float(np.sqrt(np.mean(v ** 2)))
    return {"moves_gbp_m_per_quarter": moves, "rms_gbp_m": rms,
            "rms_share_of_cat_m": rms / cat_m_quarter,
            "rms_share_of_generic": rms / generic_quarter,
            "generic_gbp_m_per_quarter": generic_quarter,
            "method": "root mean square of the quoted quarterly adjustments, as a share of the "
                      "modelled generic spend a quarter (sum g_i B_i / 4)"}


def fit_patent_expiry():
    # dapagliflozin, GBP 333m in 2024/25 of GBP 11.2bn PCA (sources §6, §2a)
    return {"share_mean": 333.0 / 11200.0, "depth_range": [0.70, 0.90],
            "method": "molecule share = dapagliflozin 2024/25 cost / PCA total; depth: generic "
                      "prices 70-90 % below originator (Oxera for BGMA), 'typical 90 %' "
                      "(Medicines UK), edoxaban vs generic apixaban -92 % (sources §7)"}


def cmd_fit(args):
    g_annual, patients, practices = generic_spend_england()
    out = {
        "generated_by": "tools/calibrate.py fit",
        "population": {"practices": practices, "patients": patients,
                       "generic_spend_gbp": g_annual},
        "concessions": fit_concessions(args.series, args.seed),
        "seasonality": fit_seasonality(),
        "growth": fit_growth(),
        "new_medicines_doac": fit_doac(),
        "category_m": fit_category_m(),
        "patent_expiry": fit_patent_expiry(),
    }
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    c = out["concessions"]
    print(f"concessions ({c['method']}):")
    for k in ["uplift_calm", "uplift_crisis", "enter_crisis", "exit_crisis", "noise_sd",
              "stationary_crisis_probability", "implied_mean_annual_cost_gbp_m", "objective"]:
        print(f"  {k:32s} {c[k]:.4f}")
    for m in c["moments"]:
        print(f"  {m['name']:36s} data {m['data']:8.4f}  model {m['model_mean']:8.4f} "
              f"(sd {m['model_sd']:.4f})")
    dq = out["new_medicines_doac"]
    print(f"DOAC logistic: peak {dq['peak']:.3f}, half-peak {dq['half_peak_months']:.1f} months, "
          f"scale {dq['scale_months']:.1f} months, prevalence {dq['prevalence']:.4f}")
    gr = out["growth"]
    print(f"growth: mean {gr['mean']:.4f}, sd {gr['sd']:.4f}")
    cm = out["category_m"]
    print(f"Category M: rms {cm['rms_gbp_m']:.1f}m/quarter = {cm['rms_share_of_generic']:.4f} of "
          f"generic spend")
    print(f"wrote {os.path.relpath(args.out, ROOT)}")


# ==================================================================================================
# check
# ==================================================================================================
def find_rxstress(given):
    if given:
        return given
    if os.environ.get("RXSTRESS"):
        return os.environ["RXSTRESS"]
    for b in ["build", "build-scn", "build-release", "cmake-build-release"]:
        p = os.path.join(ROOT, b, "rxstress")
        if os.access(p, os.X_OK):
            return p
    p = shutil.which("rxstress")
    if p:
        return p
    sys.exit("calibrate.py: no rxstress program found; build it or pass --rxstress")


def run_scenario(rxstress, scenario, paths, out, threads=None):
    cmd = [rxstress, "run", scenario, "-o", out, "--paths", str(paths), "--force", "--quiet",
           "--set", "outputs.trajectories=0", "--set", "outputs.driver_detail=[concessions]"]
    if threads:
        cmd += ["--threads", str(threads)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"calibrate.py: {' '.join(cmd)} failed ({r.returncode}):\n{r.stderr}{r.stdout}")
    shown = [("<tmp>/" + os.path.basename(c)) if c == out and c.startswith(tempfile.gettempdir())
             else os.path.relpath(c, ROOT) if os.path.isabs(c) else c for c in cmd]
    return " ".join(shown)


def driver_parameters(f, type_):
    """The resolved parameters of the first driver of `type_`, from /drivers/parameters."""
    types = list(f["drivers/types"].asstr()[:])
    d = types.index(type_)
    params = {}
    for line in f["drivers/parameters"].asstr()[d].splitlines():
        m = re.match(r"drivers\[\d+\]\.([\w.]+) = (\S+)", line)
        if m:
            params[m.group(1)] = m.group(2)
    return d, params


def batch_se(stat, k, batches=20):
    """Monte Carlo SE of a statistic stat(path_indices) by batch means over contiguous blocks."""
    edges = np.linspace(0, k, batches + 1).astype(int)
    vals = np.array([stat(np.arange(edges[b], edges[b + 1])) for b in range(batches)])
    return float(vals.std(ddof=1) / math.sqrt(batches))


def exact_concession_moments(p):
    """Stationary-model values: lag-1 autocorrelation of u and sd of the monthly log change."""
    u0, u1 = float(p["uplift.calm"]), float(p["uplift.crisis"])
    pe, px = float(p["enter_crisis"]), float(p["exit_crisis"])
    s, phi = float(p["noise.sd"]), float(p["noise.autocorrelation"])
    pi, lam = pe / (pe + px), 1.0 - pe - px
    em, vm = (1 - pi) * u0 + pi * u1, pi * (1 - pi) * (u1 - u0) ** 2
    var_u = (vm + em ** 2) * math.exp(s * s) - em ** 2
    cov1 = (em ** 2 + vm * lam) * math.exp(phi * s * s) - em ** 2
    d = math.log(u1 / u0) if u0 > 0 and u1 > 0 else 0.0
    var_dlog = 2 * pe * px / (pe + px) * d * d + 2 * s * s * (1 - phi)
    return {"ac1": cov1 / var_u, "sd_dlog": math.sqrt(var_dlog), "mean_u": em}


def analyse(h5path, z=4.0):
    """Reads a results file of england.yaml and evaluates every check. Returns a dict."""
    import h5py
    with h5py.File(h5path, "r") as f:
        k = int(f.attrs["paths"])
        pr = f["practices"]
        n = pr["list_size"][:]
        gb = (pr["annual_spend"][:] * pr["generic_share"][:])
        pr_spend = float(pr["annual_spend"][:].sum())
        d_conc, cp = driver_parameters(f, "concessions")
        name_conc = f["drivers/names"].asstr()[d_conc]
        u = f["national/concession_uplift"][:]
        regime = f["national/concession_regime"][:]
        expected_conc = float(f["drivers/expected_annual"][d_conc, 0])
        expected_total = float(f["drivers/expected_annual"][:, 0].sum())
        icb = f["models"][f["models"].attrs["order"][0]]
        if icb.attrs["holder_level"] != "icb":
            icb = next(f["models"][m] for m in f["models"].attrs["order"]
                       if f["models"][m].attrs["holder_level"] == "icb")
        spend = icb["gross"][0, :, 0] + icb["budget"][0, 0]
        detail = None
        if "drivers/detail" in f and name_conc in f["drivers/detail"]:
            detail = f["drivers/detail"][name_conc][0, :, :]  # [K, P]
        months = u.shape[1]
    # national annual concession cost per path (first settlement year)
    formula = u[:, :12].sum(1) * gb.sum() / 12.0
    annual = detail.sum(1) if detail is not None else formula
    source_annual = ("sum over practices of /drivers/detail/" + name_conc) if detail is not None \
        else "sum_t u_t * sum_i g_i B_i / 12 (from /national/concession_uplift)"
    res = {"paths": k, "months": months, "practices": len(n), "patients": float(n.sum()),
           "generic_spend": float(gb.sum()), "annual_source": source_annual, "checks": [],
           "concession_params": cp, "start": cp.get("start", "calm"),
           "spend_per_patient_budget": float(pr_spend / n.sum()),
           "detail_vs_formula": float(np.max(np.abs(annual / formula - 1.0)))}
    stationary = cp.get("start") == "stationary"
    ex = exact_concession_moments(cp)

    def add(name, target, source, exact, sim, se, tol, unit, fmt, extra_ok=True, note=""):
        ok_target = abs(sim - target) <= tol + z * se
        ok_exact = exact is None or abs(sim - exact) <= z * se + 1e-12 * abs(exact)
        res["checks"].append(dict(name=name, target=target, source=source, exact=exact, sim=sim,
                                  se=se, tol=tol, unit=unit, fmt=fmt, note=note,
                                  ok=bool(ok_target and ok_exact and extra_ok)))

    # 1. mean annual concession cost
    m = annual.mean()
    add("mean annual national concession cost", 1e6 * np.mean(list(FY_CONCESSION_COST_M.values())),
        "FY2017/18-2022/23 average, sources §1a", expected_conc, float(m),
        float(annual.std(ddof=1) / math.sqrt(k)), 0.05 * 181e6, "GBP", "m")
    # 2./3. calm and crisis years inside the simulated 2.5-97.5 % range
    q_lo, q_hi = np.quantile(annual, [0.025, 0.975])
    for label, year, value in [("calm", "2021/22", CALM_YEAR_M), ("crisis", "2022/23", CRISIS_YEAR_M)]:
        above = float(np.mean(annual <= value * 1e6)) if label == "calm" else \
            float(np.mean(annual >= value * 1e6))
        se = math.sqrt(max(above * (1 - above), 1e-12) / k)
        # the year must be plausible: the exceedance probability at least 2.5 % (one-sided, z SE)
        ok = above + z * se >= 0.025
        res["checks"].append(dict(
            name=f"P(annual cost {'<=' if label == 'calm' else '>='} GBP {value:.0f}m), a {label} "
                 f"year like {year}",
            target=0.025, source=f"sources §1a ({year}); must be >= 2.5 %, i.e. inside the "
                                 f"2.5-97.5 % range", exact=None, sim=above, se=se, tol=None,
            unit="probability", fmt="pct", note="", ok=bool(ok)))
    res["annual_quantiles"] = {p: float(q) for p, q in
                               zip([0.025, 0.05, 0.5, 0.95, 0.975],
                                   np.quantile(annual, [0.025, 0.05, 0.5, 0.95, 0.975]))}
    res["annual_sd"] = float(annual.std(ddof=1))
    res["crisis_month_share"] = float(regime.mean())
    # 4. lag-1 autocorrelation of monthly national cost (pooled over paths)
    def ac1(idx):
        a, b = u[idx, :-1].ravel(), u[idx, 1:].ravel()
        return float(np.corrcoef(a, b)[0, 1])
    add("lag-1 autocorrelation of monthly national concession cost", CONCESSION_AC1,
        "sources §1b (2017-01..2023-12)", ex["ac1"] if stationary else None, ac1(np.arange(k)),
        batch_se(ac1, k), 0.05, "", "3f",
        note="pooled over paths and months")
    # 5. sd of month-on-month log change
    def sdd(idx):
        return float(np.diff(np.log(u[idx]), axis=1).std(ddof=1))
    add("sd of month-on-month log change of concession cost", CONCESSION_SD_DLOG,
        "sources §1b", ex["sd_dlog"] if stationary else None, sdd(np.arange(k)), batch_se(sdd, k),
        0.05, "", "3f", note="pooled over paths and months")
    # 6. spend per patient
    spp = spend / n.sum()
    add("mean spend per patient, all drivers", SPEND_PER_PATIENT, "sources §2d (2023/24)",
        expected_total / n.sum(),
        float(spp.mean()), float(spp.std(ddof=1) / math.sqrt(k)), 0.05 * SPEND_PER_PATIENT,
        "GBP/patient/year", "2f", note="one year of growth and the unfunded concessions on top "
                                       "of GBP 160 (tolerance 5 %)")
    # per-practice concession pressure
    if detail is not None:
        res["per_practice"] = per_practice(detail, n)
        res["per_practice_exact_mean"] = float(expected_conc / len(n))
    res["ok"] = all(c["ok"] for c in res["checks"])
    return res


def per_practice(detail, n):
    """Distribution over practices and paths of each practice's annual concession cost."""
    def row(x, label, count):
        q = np.quantile(x, [0.05, 0.5, 0.95])
        return {"band": label, "practices": count, "mean": float(x.mean()), "p5": float(q[0]),
                "median": float(q[1]), "p95": float(q[2])}
    out = [row(detail.ravel(), "all practices", detail.shape[1])]
    for lo, hi, label in BANDS:
        sel = (n >= lo) & (n < hi)
        out.append(row(detail[:, sel].ravel(), label, int(sel.sum())))
    # the mean over paths per practice (the expected pressure of each practice)
    per = detail.mean(0)
    q = np.quantile(per, [0.05, 0.5, 0.95])
    expected = {"mean": float(per.mean()), "p5": float(q[0]), "median": float(q[1]),
                "p95": float(q[2]), "share_at_least_30k": float(np.mean(per >= 30000.0))}
    return {"bands": out, "expected_per_practice": expected,
            "per_1000_patients": float(detail.sum(1).mean() / n.sum() * 1000.0)}


def fmt_value(x, fmt, unit=""):
    if x is None:
        return "–"
    if fmt == "m":
        return f"£{x / 1e6:,.1f}m"
    if fmt == "pct":
        return f"{100 * x:.1f} %"
    if fmt == "2f":
        return f"£{x:,.2f}" if unit.startswith("GBP") else f"{x:.2f}"
    return f"{x:.3f}"


def fmt_se(x, fmt, unit=""):
    if fmt == "m":
        return f"£{x / 1e6:,.1f}m"
    if fmt == "pct":
        return f"{100 * x:.1f} %"
    if fmt == "2f":
        return f"£{x:,.2f}" if unit.startswith("GBP") else f"{x:.2f}"
    return f"{x:.3f}"


def table(res):
    head = "| check | target | source | model (exact) | simulated ± MC SE | tolerance | result |"
    rows = [head, "|---|---|---|---|---|---|---|"]
    for c in res["checks"]:
        tol = "≥ 2.5 %" if c["tol"] is None else ("± " + fmt_value(c["tol"], c["fmt"], c["unit"]))
        target = ("2.5 %" if c["fmt"] == "pct" else fmt_value(c["target"], c["fmt"], c["unit"]))
        rows.append(f"| {c['name']} | {target} | {c['source']} | "
                    f"{fmt_value(c['exact'], c['fmt'], c['unit'])} | "
                    f"{fmt_value(c['sim'], c['fmt'], c['unit'])} ± {fmt_se(c['se'], c['fmt'], c['unit'])} | "
                    f"{tol} | {'pass' if c['ok'] else '**FAIL**'} |")
    return "\n".join(rows)


def practice_table(pp):
    rows = ["| practices (list size) | practices | mean | 5th pct | median | 95th pct |",
            "|---|---|---|---|---|---|"]
    for b in pp["bands"]:
        rows.append(f"| {b['band']} | {b['practices']:,} | £{b['mean']:,.0f} | £{b['p5']:,.0f} | "
                    f"£{b['median']:,.0f} | £{b['p95']:,.0f} |")
    return "\n".join(rows)


def fitted_section():
    if not os.path.exists(FITTED):
        return "(scenarios/data/fitted_parameters.json not found: run `tools/calibrate.py fit`)\n"
    with open(FITTED) as f:
        fp = json.load(f)
    c = fp["concessions"]
    lines = [
        f"Method: {c['method']} (`tools/calibrate.py fit`; details in scenarios/README.md). "
        f"Data: {c['data']}, divided by the modelled England generic spend "
        f"£{c['denominator_gbp_per_month'] / 1e6:,.1f}m a month. "
        f"{c['simulated_series']:,} simulated 84-month series, seed {c['seed']}.", "",
        "| parameter | fitted | in england.yaml |", "|---|---|---|"]
    return lines, c, fp


def report(res, cmd, elapsed):
    pp = res.get("per_practice")
    cp = res["concession_params"]
    q = res["annual_quantiles"]
    out = ["# Calibration of scenarios/england.yaml", "",
           "Generated by `tools/calibrate.py check`; do not edit (re-run the script). "
           "Targets and sources: docs/sources.md (\"sources §n\"); method: "
           "scenarios/README.md.", "",
           f"- Run: `{cmd}` ({res['paths']:,} paths, {res['practices']:,} practices, "
           f"{res['patients'] / 1e6:.2f}m patients, {elapsed:.0f} s), "
           f"{datetime.date.today().isoformat()}.",
           f"- Generic spend Σ g_i B_i = £{res['generic_spend'] / 1e6:,.1f}m a year. National "
           f"annual concession cost per path: {res['annual_source']} (it differs from "
           f"Σ_t u_t Σ_i g_i B_i / 12, the expectation over the practice dispersion, by at most "
           f"{100 * res['detail_vs_formula']:.2f} % on any path).",
           f"- Concessions as run: calm {cp['uplift.calm']}, crisis {cp['uplift.crisis']}, "
           f"enter {cp['enter_crisis']}, exit {cp['exit_crisis']}, start {cp.get('start')}, "
           f"noise sd {cp['noise.sd']}, autocorrelation {cp['noise.autocorrelation']}, "
           f"dispersion {cp['dispersion']}.",
           "- A check passes when |simulated − target| ≤ tolerance + 4 SE and, where the model's "
           "exact value is known, |simulated − exact| ≤ 4 SE. SEs of ratios and correlations are "
           "batch means over 20 blocks of paths.", "",
           "## Checks", "", table(res), "",
           f"Simulated annual national concession cost: 2.5 % £{q[0.025] / 1e6:,.0f}m, "
           f"5 % £{q[0.05] / 1e6:,.0f}m, median £{q[0.5] / 1e6:,.0f}m, 95 % £{q[0.95] / 1e6:,.0f}m, "
           f"97.5 % £{q[0.975] / 1e6:,.0f}m; sd £{res['annual_sd'] / 1e6:,.0f}m. Historical "
           f"FY costs (sources §1a): " + ", ".join(f"{y} £{v:.0f}m" for y, v in
                                                FY_CONCESSION_COST_M.items()) +
           f". Share of simulated months in the crisis regime: "
           f"{100 * res['crisis_month_share']:.1f} %.", ""]
    fs = fitted_section()
    if isinstance(fs, str):
        out += ["## Fitted concession parameters", "", fs]
    else:
        lines, c, fp = fs
        out += ["## Fitted concession parameters", ""] + lines
        for key, yk in [("uplift_calm", "uplift.calm"), ("uplift_crisis", "uplift.crisis"),
                        ("enter_crisis", "enter_crisis"), ("exit_crisis", "exit_crisis"),
                        ("noise_sd", "noise.sd"), ("noise_autocorrelation", "noise.autocorrelation")]:
            out.append(f"| {yk} | {c[key]:.4f} | {cp.get(yk, '–')} |")
        out += ["", "| moment of the 84-month series | data | model mean (sd over series) |",
                "|---|---|---|"]
        for m in c["moments"]:
            out.append(f"| {m['name']} | {m['data']:.3f} | {m['model_mean']:.3f} "
                       f"({m['model_sd']:.3f}) |")
        out.append("")
    if pp:
        e = pp["expected_per_practice"]
        out += ["## Per-practice annual concession pressure", "",
                "Each practice's annual spend on concessions (`/drivers/detail/concessions`, "
                "GBP per practice per year), over all practices and paths:", "",
                practice_table(pp), "",
                f"Expected pressure per practice (mean over paths): mean £{e['mean']:,.0f} "
                f"(exact £{res['per_practice_exact_mean']:,.0f}), 5th percentile £{e['p5']:,.0f}, "
                f"median £{e['median']:,.0f}, 95th percentile £{e['p95']:,.0f}; "
                f"{100 * e['share_at_least_30k']:.0f} % of practices expect £30k or more. "
                f"Per 1,000 patients: £{pp['per_1000_patients']:,.0f} a year.", "",
                "The commentary figure \"£170m a year, a £30k pressure on each GP practice\": "
                f"£170m / {res['practices']:,} practices is £{170e6 / res['practices']:,.0f}; the "
                f"simulated mean is £{pp['bands'][0]['mean']:,.0f} a practice-year "
                f"({100 * pp['per_1000_patients'] / 1000 / (res['spend_per_patient_budget']):.1f} % "
                f"of a practice's prescribing spend). £30k is the long-run average of a practice of "
                f"about {round(30000 / pp['per_1000_patients'] * 10) * 100:,} patients. It overstates the "
                f"typical practice-year: the median is £{pp['bands'][0]['median']:,.0f}, because "
                "list sizes are skewed and a calm year costs a fraction of a crisis year; and it "
                "understates the bad years: the 95th percentile is "
                f"£{pp['bands'][0]['p95']:,.0f} (£{pp['bands'][-1]['p95']:,.0f} for practices of "
                "more than 15,000 patients).", ""]
    out += ["Overall: " + ("**all checks pass**." if res["ok"] else "**some checks FAIL**."), ""]
    return "\n".join(out)


def section_lines(text, heading):
    """The lines of section `heading` of a markdown text (to the next "## " or "Overall:")."""
    body = text.splitlines()
    if heading not in body:
        return []
    i = body.index(heading)
    j = next((k for k in range(i + 1, len(body))
              if body[k].startswith("## ") or body[k].startswith("Overall:")), len(body))
    return body[i:j]


def splice_section(text, heading, lines):
    """`text` with section `heading` replaced by `lines`, or added before the "Overall:" line."""
    body = text.splitlines()
    old = section_lines(text, heading)
    if old:
        i = body.index(heading)
        body = body[:i] + lines + body[i + len(old):]
    else:
        j = next((k for k in range(len(body)) if body[k].startswith("Overall:")), len(body))
        body = body[:j] + lines + body[j:]
    return "\n".join(body) + "\n"


def print_table(res):
    for c in res["checks"]:
        print(f"{'PASS' if c['ok'] else 'FAIL'}  {c['name']:62s} target "
              f"{fmt_value(c['target'], c['fmt'], c['unit']):>10s}  exact "
              f"{fmt_value(c['exact'], c['fmt'], c['unit']):>10s}  sim "
              f"{fmt_value(c['sim'], c['fmt'], c['unit']):>10s} ± {fmt_se(c['se'], c['fmt'], c['unit'])}")
    if res.get("per_practice"):
        for b in res["per_practice"]["bands"]:
            print(f"      per-practice concession cost {b['band']:>13s}: mean £{b['mean']:,.0f}, "
                  f"p5 £{b['p5']:,.0f}, median £{b['median']:,.0f}, p95 £{b['p95']:,.0f}")


def cmd_check(args):
    import time
    rx = find_rxstress(args.rxstress)
    with tempfile.TemporaryDirectory(prefix="rxstress-calibrate-") as tmp:
        out = args.keep or os.path.join(tmp, "calibration.h5")
        t0 = time.time()
        cmd = run_scenario(rx, args.scenario, args.paths, out, args.threads)
        elapsed = time.time() - t0
        res = analyse(out, z=args.z)
    print_table(res)
    if args.report:
        # The backtest section (tools/backtest.py) is kept as it was.
        old = open(args.report).read() if os.path.exists(args.report) else ""
        text = report(res, cmd, elapsed)
        kept = section_lines(old, "## Backtest")
        if kept:
            text = splice_section(text, "## Backtest", kept)
        with open(args.report, "w") as f:
            f.write(text)
        print(f"wrote {os.path.relpath(args.report, ROOT)}")
    print("calibration: " + ("all checks pass" if res["ok"] else "FAILED"))
    return 0 if res["ok"] else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd")
    f = sub.add_parser("fit", help="fit the calibrated parameters")
    f.add_argument("--out", default=FITTED)
    f.add_argument("--series", type=int, default=4000, help="simulated series for the SMM fit")
    f.add_argument("--seed", type=int, default=20260401)
    c = sub.add_parser("check", help="run england.yaml and check it against the targets")
    c.add_argument("--paths", type=int, default=2000)
    c.add_argument("--rxstress")
    c.add_argument("--scenario", default=SCENARIO)
    c.add_argument("--report", default=REPORT, help="markdown report ('' for none)")
    c.add_argument("--keep", help="keep the results file at this path")
    c.add_argument("--threads", type=int)
    c.add_argument("--z", type=float, default=4.0, help="Monte Carlo SEs allowed")
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("fit", "check", "-h", "--help"):
        argv = ["check"] + argv  # check is the default command
    args = ap.parse_args(argv)
    if args.cmd == "fit":
        return cmd_fit(args) or 0
    return cmd_check(args)


if __name__ == "__main__":
    sys.exit(main())
