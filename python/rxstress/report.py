"""`rxstress report`: one self-contained HTML file a board can read (no code, no external assets):
the decision table, exceedance curves with Monte Carlo bands over the range the paths support,
the funnel plot with named outliers, the fan chart, attribution, the tornado and a comparison when
given, every assumption with its source, and a reproducibility footer.

    python3 -m rxstress.report results.h5 [-o report.html] [--compare-json FILE] [--tornado T.h5]
                                          [--pdf report.pdf] [--force] [--command TEXT]

`rxstress report` calls it (and runs `rxstress compare` for --compare). --pdf prints the page with
headless Chromium (Debian `chromium`). Bad input exits 2 and writes nothing.
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

import h5py
import jinja2
import numpy as np
import pandas as pd

from . import ResultsInputError, figures, open_input, run_command

GBPM = 1e6
THRESHOLD = 0.05


def money(x, sign=False):
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    return f"{x / GBPM:+,.2f}" if sign else f"{x / GBPM:,.2f}"


def pct(x):
    return "–" if x is None or np.isnan(x) else f"{100 * x:.1f}%"


def decision_rows(res, y):
    """The decision table: per model, what the ICB carries and what the holders need."""
    rows = []
    head = res.headline(y)
    for model in res.model_names:
        h = head.loc[model]
        icb = res.icb_carries_stats(model, y).iloc[0]
        rows.append({
            "model": model, "level": h["holder_level"], "holders": int(h["holders"]),
            "terms": res.terms(model) or "none",
            "capacity": "–" if res.capacity(model) is None else pct(res.capacity(model)),
            "budget": money(h["budget_gbp"]),
            "icb_mean": money(icb["mean"]), "icb_mean_se": money(icb["se_mean"]),
            "icb_var95": money(icb["var95"]), "icb_es95": money(icb["es95"]),
            "reserve95": money(h["holders_reserve95_gbp"]),
            "p5": pct(h["median_holder_p_over_5pct"]),
            "worst": pct(h["worst_holder_var95_share_of_budget"]),
            "top": f"{h['top_driver']} ({100 * h['top_driver_share']:.0f}%)" if h["top_driver"] else "–",
        })
    return rows


def exceedance_figures(res, y):
    K = res.paths
    icb = [(m, res.icb_carries(m)[y] / GBPM) for m in res.model_names if np.any(res.icb_carries(m)[y])]
    out = []
    if icb:
        out.append(figures.exceedance(icb, K, "What the ICB carries: overspend it must meet",
                                      "ICB overspend (GBP m)"))
    holders = []
    for m in res.model_names:
        if res.holder_level(m) == "icb":
            continue
        h = res.typical_holder(m, y)
        b = res.budget(m, y)[h]
        holders.append((f"{m} ({h})", 100 * res.outcomes(m, y, holders=[h])[:, 0] / b))
    if holders:
        out.append(figures.exceedance(holders, K, "A typical (median-budget) holder's retained "
                                      "overspend", "overspend (% of the holder's budget)"))
    return out


def funnel_figure(res, y):
    for level in ("practice", "neighbourhood", "provider"):
        models = res.models_at_level(level)
        if models and len(res.holder_ids(models[0])) > 2:
            m = models[0]
            st = res.stats(m, y)
            hold = res.holders(m)
            names = list(st.index)
            if level == "practice":
                pr = res.practices
                names = [f"{i} {pr.loc[i, 'name']}" if i in pr.index and pr.loc[i, "name"] != i
                         else i for i in st.index]
            fig, above, below = figures.funnel(
                hold.loc[st.index, "list_size"], st[f"p>{100 * THRESHOLD:g}%"], names, level,
                THRESHOLD, f"Funnel plot of {level}s under {m}")
            return {"uri": fig, "model": m, "level": level, "above": above[:20], "below": below[:20],
                    "n_above": len(above), "n_below": len(below)}
    return None


def fan_figure(res):
    level = "icb" if "icb" in res.trajectory_levels else (res.trajectory_levels or [None])[0]
    if level is None:
        return None
    tr = res.trajectories(level)
    spend = tr.spend.sum(axis=2) / GBPM
    budget = tr.budget.sum(axis=1).to_numpy() / GBPM
    return figures.fan(tr.months, spend, budget,
                       f"ICB monthly spend against budget (first {tr.paths:,} paths)")


def attribution_figure(res, y):
    rows = {}
    for level in res.levels:
        att = res.attribution(res.models_at_level(level)[0], y)
        rows[f"{level} ({len(att)})"] = att.mean(axis=0, skipna=True) * 100
    return figures.attribution(pd.DataFrame(rows).T, "What drives each level's variance")


def assumptions(res):
    """Each driver's resolved parameters (/drivers/parameters: 'key = value [unit] (default)  #
    meaning' per line; a long value may run onto further lines) and its source."""
    out = []
    for _, d in res.drivers.iterrows():
        params = []
        for line in str(d.get("parameters", "")).splitlines():
            key, sep, rest = line.partition(" = ")
            if not sep or " " in key:  # the continuation of a multi-line value
                if params:
                    params[-1]["value"] += " " + line.strip()
                continue
            value, _, meaning = rest.partition("  # ")
            params.append({"key": key, "value": value, "meaning": meaning})
        params = [p for p in params if not p["key"].endswith((".type", ".name", ".source"))]
        out.append({"name": d["name"], "type": d.get("type", ""), "source": d.get("source", ""),
                    "parameters": params})
    return out


def tornado_section(path):
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") != "rxstress.sweep" or "tornado" not in f:
            raise ResultsInputError(f"{path}: tornado: not a file written by rxstress tornado; "
                                    f"expected a tornado file")
        t = f["tornado"]
        cols = list(t.attrs["columns"])
        data = {c: t[c].asstr()[()] if t[c].dtype.kind == "O" else t[c][()] for c in cols}
        command = f.attrs["command_line"]
    rows = [{c: data[c][i] for c in cols} for i in range(len(data["rank"]))]
    metric = command.split("--metric ")[1].split()[0] if "--metric " in command else "icb_var95"
    money_metric = metric != "median_p_over_5pct"
    fmt = (lambda v: money(v, sign=True)) if money_metric else (lambda v: f"{100 * v:+.1f}")
    table = [{"rank": int(r["rank"]), "parameter": r["parameter"], "low": f"{r['low']:g}",
              "high": f"{r['high']:g}", "effect": fmt(r["effect"]), "se": fmt(r["se"]).lstrip("+")}
             for r in rows]
    return {"uri": figures.tornado(rows, metric, money_metric), "rows": table, "metric": metric,
            "command": command}


def comparison_section(path):
    with open(path) as f:
        doc = json.load(f)
    rows = {}
    for r in doc["differences"]:
        if r["holder"] != "ICB":
            continue
        key = (r["model"], r["year"])
        rows.setdefault(key, {"model": r["model"], "year": r["year"]})
        s = r["statistic"]
        if s in ("mean_gbp", "var95_gbp", "es95_gbp"):
            rows[key][s] = f"{money(r['difference'], sign=True)} ± {money(r['se'])}"
    return {"a": doc["a"], "b": doc["b"], "paired": doc["paired"], "pairing": doc["pairing"],
            "rows": list(rows.values())}


def review_section(path, shown=12):
    """`rxstress review --format json`: per model, its holders outside the forecast's 90 % band
    (or every holder when there are at most `shown`), the first `shown` of them."""
    with open(path) as f:
        doc = json.load(f)
    models = {}
    for r in doc["holders"]:
        models.setdefault(r["model"], []).append(r)
    out = []
    for model, rows in models.items():
        flagged = [r for r in rows if r["flag"]]
        listed = rows if len(rows) <= shown else flagged[:shown]
        out.append({"model": model, "holders": len(rows), "flagged": len(flagged),
                    "rows": [{"holder": r["holder"], "actual": money(r["actual_ytd"]),
                              "variance": money(r["variance_ytd"], sign=True),
                              "percentile": f"{100 * r['percentile']:.1f} %", "flag": r["flag"],
                              "year_end": f"{money(r['year_end'])} ± {money(r['year_end_se'])}",
                              "band": f"{money(r['year_end_low90'])} to "
                                      f"{money(r['year_end_high90'])}",
                              "budget": money(r["year_budget"])} for r in listed]})
    return {"through": doc["through"], "months": doc["months"], "method": doc["method"],
            "models": out}


def render(res, args) -> str:
    y = 0
    a = res.attrs
    env = jinja2.Environment(loader=jinja2.PackageLoader("rxstress", "templates"),
                             autoescape=jinja2.select_autoescape(["html"]))
    funnel = funnel_figure(res, y)
    return env.get_template("report.html").render(
        scenario=res.scenario_name, year=res.years[y], years=res.years, paths=res.paths,
        seed=res.seed, results=os.path.basename(args.results),
        max_period=f"{figures.max_return_period(res.paths):g}",
        rows=decision_rows(res, y), exceedance=exceedance_figures(res, y), funnel=funnel,
        fan=fan_figure(res), attribution=attribution_figure(res, y),
        tornado=tornado_section(args.tornado) if args.tornado else None,
        comparison=comparison_section(args.compare_json) if args.compare_json else None,
        review=review_section(args.review_json) if args.review_json else None,
        drivers=assumptions(res), population_source=res.h5["practices"].attrs.get("source", ""),
        practices=len(res.practices), version=a.get("rxstress_version", "?"),
        sha256=a.get("scenario_sha256", "?"), command=a.get("command_line", "?"),
        created=a.get("created", "?"), report_command=args.command or " ".join(sys.argv),
        generated=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))


def print_pdf(html_path: str, pdf_path: str) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise ResultsInputError(f"{pdf_path}: --pdf: no chromium on PATH; expected Debian's "
                                f"chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                        "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}",
                        "file://" + os.path.abspath(html_path)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="rxstress report", description=__doc__.split("\n")[0])
    ap.add_argument("results")
    ap.add_argument("-o", "--output", default="report.html")
    ap.add_argument("--compare-json", help="`rxstress compare --format json` output to include")
    ap.add_argument("--review-json", help="`rxstress review --format json` output to include")
    ap.add_argument("--tornado", help="a file written by rxstress tornado")
    ap.add_argument("--pdf", help="also print the report to this PDF (headless Chromium)")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--command", help="the command line shown in the footer")
    args = ap.parse_args(argv)

    def body():
        if args.tornado and not os.path.isfile(args.tornado):
            raise ResultsInputError(f"{args.tornado}: tornado: no such file; expected a file "
                                    f"written by rxstress tornado")
        with open_input(args.results, [args.output, args.pdf], args.force) as res:
            html = render(res, args)
        temporary = f"{args.output}.partial-{os.getpid()}"
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(html)
        os.replace(temporary, args.output)
        print(f"wrote {args.output}")
        if args.pdf:
            print_pdf(args.output, args.pdf)
            print(f"wrote {args.pdf}")

    return run_command(body)

if __name__ == "__main__":
    sys.exit(main())
