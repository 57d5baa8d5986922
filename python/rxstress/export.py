"""`rxstress export`: the statistics of a results file as one tidy table that Excel and Power BI
open, one row per model x holder x year x statistic (columns model, holder_level, holder, year,
statistic, value, unit), and optionally every path's outcome (model, holder, year, path,
outcome_gbp).

    python3 -m rxstress.export results.h5 --format csv|xlsx [-o FILE] [--outcomes] [--force]

CSV: FILE holds the statistics; with --outcomes, FILE's stem + '-outcomes.csv' the outcomes.
Excel: sheets 'statistics', 'headline' (one row per model and year, as `rxstress summary --format
csv`) and, with --outcomes, 'outcomes'. Bad input exits 2 with 'FILE: key: problem; expected ...'
and writes nothing; files are written under a temporary name and renamed when complete.
"""

import argparse
import os
import sys

import numpy as np
import pandas as pd

from . import ResultsInputError, long_statistics, open_input, run_command

XLSX_ROWS = 1_048_576  # Excel's sheet limit


def outcomes_long(res) -> pd.DataFrame:
    """Every path's retained outcome of every holder, model and year, GBP."""
    frames = []
    for model in res.model_names:
        for y, year in enumerate(res.years):
            df = res.outcomes(model, y, long=True).rename(columns={"outcome": "outcome_gbp"})
            frames.append(df.assign(model=model, year=year))
    out = pd.concat(frames, ignore_index=True)
    return out[["model", "holder", "year", "path", "outcome_gbp"]]


def headline_long(res) -> pd.DataFrame:
    frames = [res.headline(y).reset_index().assign(year=year) for y, year in enumerate(res.years)]
    out = pd.concat(frames, ignore_index=True)
    return out[["year"] + [c for c in out.columns if c != "year"]]


def _temporary(path: str) -> str:
    """Where `path` is written until complete (same extension: pandas picks the writer by it)."""
    stem, ext = os.path.splitext(path)
    return f"{stem}.partial-{os.getpid()}{ext}"


def write_csv(res, path: str, outcomes: bool) -> list:
    targets = [(path, long_statistics(res))]
    if outcomes:
        stem, _ = os.path.splitext(path)
        targets.append((stem + "-outcomes.csv", outcomes_long(res)))
    for target, frame in targets:
        frame.to_csv(_temporary(target), index=False, na_rep="")
    for target, _ in targets:
        os.replace(_temporary(target), target)
    return [t for t, _ in targets]


def write_xlsx(res, path: str, outcomes: bool) -> list:
    sheets = {"statistics": long_statistics(res), "headline": headline_long(res)}
    if outcomes:
        sheets["outcomes"] = outcomes_long(res)
    for name, frame in sheets.items():
        if len(frame) + 1 > XLSX_ROWS:
            raise ResultsInputError(
                f"{path}: --outcomes: the {name} sheet would have {len(frame):,} rows; expected at "
                f"most {XLSX_ROWS - 1:,} (Excel's limit): use --format csv")
    with pd.ExcelWriter(_temporary(path), engine="openpyxl") as xl:
        for name, frame in sheets.items():
            frame.replace({np.nan: None}).to_excel(xl, sheet_name=name, index=False)
    os.replace(_temporary(path), path)
    return [path]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="rxstress export", description=__doc__.split("\n")[0])
    ap.add_argument("results")
    ap.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    ap.add_argument("-o", "--output")
    ap.add_argument("--outcomes", action="store_true", help="also every path's outcome")
    ap.add_argument("--force", action="store_true", help="overwrite existing files")
    args = ap.parse_args(argv)
    output = args.output or os.path.splitext(args.results)[0] + "." + args.format

    def body():
        with open_input(args.results, [output], args.force) as res:
            write = write_xlsx if args.format == "xlsx" else write_csv
            for path in write(res, output, args.outcomes):
                print(f"wrote {path}")

    return run_command(body)

if __name__ == "__main__":
    sys.exit(main())
