#!/usr/bin/python3
"""Build the England practice tables of the scenarios from NHS Digital list sizes.

    /usr/bin/python3 tools/make_england_population.py [--input CSV] [--astro CSV] [--out DIR] [--check]

Inputs (verbatim copies in scenarios/data/raw/, see scenarios/data/SOURCES.md):
  practice_list_sizes_england_2021-01.csv  NHS Digital "Patients Registered at a GP Practice",
                                           Jan 2021: extract_date, ccg_code, practice_code,
                                           registered_patients (OGL v3)
  practice_astro_pu_2016q1.csv             HSCIC/NHS Digital list sizes and ASTRO-PU 2013 cost
                                           weights per practice, Jan-Mar 2016 (OGL v3)

Outputs (in --out, default scenarios/data/):
  england_practices.csv        the benchmark population, exactly as docs/benchmark.md:
                               rows with registered_patients >= 1000 in file order (6,582),
                               id = name = practice_code, list_size = registered_patients,
                               annual_spend = 160 * list_size, generic_share = 0.22,
                               provider = ccg_code, neighbourhood = consecutive runs of 5
                               practices in file order within each provider, labelled
                               "<ccg>-N001", "<ccg>-N002", ... (the labels of the NumPy peer).
  england_practices_pcn50k.csv the same practices and columns, with neighbourhoods of about
                               50,000 patients: within each provider (patients N_p), the number of
                               neighbourhoods is m = max(1, round(N_p / 50,000)) and practices, in
                               file order, are cut into m consecutive groups at the patient
                               quantiles k N_p / m (a practice goes to the group holding the
                               midpoint of its patients). Labels "<ccg>-P01", "<ccg>-P02", ...
Both files carry two extra columns that rxstress ignores unless a budget method names them:
  astro_pu_relative       the practice's ASTRO-PU (2013 cost weights) per patient in Jan-Mar 2016
                          divided by the national value (patient-weighted over all 7,646 practices
                          of the 2016 file). Used only when the practice code is in the 2016 file
                          AND its list changed by less than a factor 2 between 2016 and 2021
                          (a bigger change means a merger or a very different list, whose 2016 age
                          mix is not the 2021 one); otherwise 1 (the national average).
  astro_pu_weighted_list  list_size * astro_pu_relative: an age/sex-weighted list for capitation.
  astro_pu_basis          "practice-2016q1" or "national" (which of the two rules above applied).
The script is deterministic: re-running it reproduces the files byte for byte.
"""
import argparse
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "scenarios", "data")

MIN_LIST = 1000
SPEND_PER_PATIENT = 160.0  # GBP per registered patient a year (sources §2d: GBP 10.1bn / ~63m)
GENERIC_SHARE = 0.22  # share of spend on generic lines (docs/benchmark.md)
RUN_LENGTH = 5  # benchmark neighbourhoods: consecutive runs of 5 practices
PCN_TARGET = 50000.0  # patients per neighbourhood in england_practices_pcn50k.csv
ASTRO_MAX_CHANGE = 2.0  # list-size change 2016 -> 2021 beyond which the 2016 ASTRO-PU is not used

COLUMNS = ["id", "name", "list_size", "annual_spend", "generic_share", "neighbourhood", "provider",
           "astro_pu_relative", "astro_pu_weighted_list", "astro_pu_basis"]


def read_practices(path):
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            n = int(r["registered_patients"])
            if n >= MIN_LIST:
                rows.append({"id": r["practice_code"], "provider": r["ccg_code"], "n": n})
    return rows


def read_astro(path):
    """practice_code -> (2016 list size, ASTRO-PU per patient); and the national value."""
    out, total_pu, total_n = {}, 0.0, 0.0
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            n = float(r["registered_patients"])
            pu = float(r["astro_pu_2013_cost"])
            out[r["practice_code"]] = (n, pu / n)
            total_pu += pu
            total_n += n
    return out, total_pu / total_n


def provider_runs(rows):
    """Runs of consecutive rows with the same provider; each provider must be one run."""
    runs, seen = [], set()
    for i, r in enumerate(rows):
        if i == 0 or r["provider"] != rows[i - 1]["provider"]:
            if r["provider"] in seen:
                sys.exit(f"provider {r['provider']} is not contiguous in the input (row {i + 2})")
            seen.add(r["provider"])
            runs.append([i, i + 1])
        else:
            runs[-1][1] = i + 1
    return runs


def runs_of_five(rows):
    labels = [None] * len(rows)
    for a, b in provider_runs(rows):
        for k in range(a, b):
            labels[k] = f"{rows[k]['provider']}-N{(k - a) // RUN_LENGTH + 1:03d}"
    return labels


def pcn_50k(rows):
    labels = [None] * len(rows)
    for a, b in provider_runs(rows):
        total = sum(rows[k]["n"] for k in range(a, b))
        m = max(1, round(total / PCN_TARGET))
        before = 0
        for k in range(a, b):
            mid = before + rows[k]["n"] / 2.0
            group = min(m - 1, int(mid * m / total))
            labels[k] = f"{rows[k]['provider']}-P{group + 1:02d}"
            before += rows[k]["n"]
    return labels


def fmt(x):
    """Numbers as plain decimals: integers without a fraction, others to 6 significant digits."""
    return str(int(x)) if float(x).is_integer() else f"{x:.6g}"


def write(path, rows, labels, astro):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for r, nb in zip(rows, labels):
            rel, basis = astro[r["id"]]
            w.writerow([r["id"], r["id"], r["n"], fmt(SPEND_PER_PATIENT * r["n"]), GENERIC_SHARE,
                        nb, r["provider"], f"{rel:.4f}", f"{r['n'] * rel:.1f}", basis])


def astro_weights(rows, astro_path):
    table, national = read_astro(astro_path)
    out = {}
    for r in rows:
        hit = table.get(r["id"])
        if hit and 1.0 / ASTRO_MAX_CHANGE < r["n"] / hit[0] < ASTRO_MAX_CHANGE:
            out[r["id"]] = (hit[1] / national, "practice-2016q1")
        else:
            out[r["id"]] = (1.0, "national")
    return out


def summary(rows, labels, name):
    n = sum(r["n"] for r in rows)
    sizes = {}
    for r, nb in zip(rows, labels):
        sizes[nb] = sizes.get(nb, 0) + r["n"]
    s = sorted(sizes.values())
    return (f"{name}: {len(rows)} practices, {n:,} patients, "
            f"{len({r['provider'] for r in rows})} providers, {len(sizes)} neighbourhoods "
            f"(patients min {s[0]:,}, median {s[len(s) // 2]:,}, mean {n / len(s):,.0f}, max {s[-1]:,})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", default=os.path.join(DATA, "raw", "practice_list_sizes_england_2021-01.csv"))
    ap.add_argument("--astro", default=os.path.join(DATA, "raw", "practice_astro_pu_2016q1.csv"))
    ap.add_argument("--out", default=DATA)
    args = ap.parse_args()

    rows = read_practices(args.input)
    astro = astro_weights(rows, args.astro)
    bench, pcn = runs_of_five(rows), pcn_50k(rows)
    os.makedirs(args.out, exist_ok=True)
    write(os.path.join(args.out, "england_practices.csv"), rows, bench, astro)
    write(os.path.join(args.out, "england_practices_pcn50k.csv"), rows, pcn, astro)
    print(summary(rows, bench, "england_practices.csv"))
    print(summary(rows, pcn, "england_practices_pcn50k.csv"))
    used = sum(1 for v in astro.values() if v[1] != "national")
    print(f"ASTRO-PU 2016 per-patient weight used for {used} practices; national average for "
          f"{len(rows) - used}")
    if len(rows) != 6582:
        sys.exit(f"expected 6,582 practices with >= {MIN_LIST} patients (docs/benchmark.md), got {len(rows)}")


if __name__ == "__main__":
    main()
