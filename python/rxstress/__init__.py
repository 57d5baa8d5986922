"""rxstress: read results files (HDF5, format version 1) into labelled pandas objects.

The package also holds `rxstress.export` (the tidy CSV / Excel export behind `rxstress export`) and
`rxstress.report` (the board report behind `rxstress report`).

The file layout is documented field by field in sim/io/FORMAT.md; this module is a thin,
read-only layer over h5py that names every axis:

    import rxstress
    with rxstress.open_results("results.h5") as res:
        res.models                       # one row per delegation model
        res.holders("practice-held")     # holder id, list size, budget per settlement year
        res.stats("practice-held")       # mean, sd, quantiles, VaR, ES, P(exceed), 1-in-N losses
        res.attribution("practice-held") # each driver's share of the holder's variance
        res.outcomes("practice-held", year=0)            # ndarray [paths, holders], read on demand
        res.outcomes("practice-held", year=0, long=True) # the same as a long DataFrame
        res.icb_residual("practice-shared")              # ndarray [years, paths]
        res.trajectories("icb")          # monthly spend of the first S paths
        res.national                     # per-path systemic factors
        res.headline()                   # the table `rxstress summary` prints

Money is GBP; variance = spend - budget, positive = overspend. Years are given either as an index
(0, 1, ...) or as a settlement-year label ("2026/27").
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Union

import h5py
import numpy as np
import pandas as pd

FORMAT_NAME = "rxstress.results"
#: MAJOR format versions this reader understands.
SUPPORTED_MAJOR_VERSIONS = (1,)

__all__ = [
    "FORMAT_NAME",
    "SUPPORTED_MAJOR_VERSIONS",
    "ResultsFormatError",
    "NotRxstressResultsError",
    "UnsupportedFormatVersionError",
    "Results",
    "Trajectories",
    "open_results",
    "default_results_path",
    "exceedance_curve",
    "long_statistics",
    "ResultsInputError",
    "open_input",
    "run_command",
]


class ResultsFormatError(Exception):
    """The file cannot be read as an rxstress results file."""


class NotRxstressResultsError(ResultsFormatError):
    """The HDF5 file's root attribute `format` is missing or is not "rxstress.results"."""


class UnsupportedFormatVersionError(ResultsFormatError):
    """The file's `format_version` has a MAJOR version this reader does not know."""


def default_results_path() -> str:
    """The results file the notebooks read: env RXSTRESS_RESULTS, else ../results.h5."""
    return os.environ.get("RXSTRESS_RESULTS", os.path.join("..", "results.h5"))


def _str(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return _str(value[()])
    return str(value)


def _strings(values) -> List[str]:
    return [_str(v) for v in np.atleast_1d(values)]


def _read_strings(dataset: h5py.Dataset) -> List[str]:
    if dataset.shape == ():
        return [dataset.asstr()[()]]
    return list(dataset.asstr()[()])


def _pct(x: float) -> str:
    """0.05 -> '5%', 0.005 -> '0.5%'."""
    return f"{100 * float(x):g}%"


def _major_version(version) -> int:
    """MAJOR part of a format_version attribute: 1 -> 1, "1.2" -> 1."""
    if isinstance(version, (bytes, str, np.bytes_, np.str_)):
        text = _str(version).strip()
        try:
            return int(text.split(".")[0])
        except ValueError:
            raise UnsupportedFormatVersionError(
                f"format_version {text!r} is not a version number") from None
    if isinstance(version, np.ndarray):
        version = version.reshape(-1)[0]
    return int(version)


def exceedance_curve(values: np.ndarray):
    """Empirical exceedance curve of a sample: (sorted values descending, P(X >= value)).

    Point i (0-based) is the (i+1)-th largest outcome, exceeded or equalled with probability
    (i+1)/K, so its return period is K/(i+1); the largest outcome has return period K.
    """
    v = np.sort(np.asarray(values, dtype=float))[::-1]
    p = np.arange(1, v.size + 1) / v.size
    return v, p


@dataclass
class Trajectories:
    """Monthly spend of the first S paths for one holder level (/trajectories/<level>)."""

    level: str
    holders: List[str]
    months: pd.PeriodIndex
    budget: pd.DataFrame  # [T, H] monthly budget, GBP
    spend: np.ndarray  # [S, T, H] monthly spend, GBP

    @property
    def paths(self) -> int:
        return self.spend.shape[0]

    def variance(self) -> np.ndarray:
        """Monthly spend - budget, [S, T, H], GBP (positive = overspend)."""
        return self.spend - self.budget.to_numpy()[None, :, :]


class Results:
    """An open rxstress results file. Use as a context manager or call close()."""

    def __init__(self, path: Union[str, os.PathLike]):
        self.path = os.fspath(path)
        try:
            self._f = h5py.File(self.path, "r")
        except OSError as e:
            raise NotRxstressResultsError(f"{self.path}: not a readable HDF5 file ({e})") from e
        try:
            self._check_format()
        except Exception:
            self._f.close()
            raise
        self._cache: Dict[str, object] = {}

    # ---- file and format -------------------------------------------------------------------
    def _check_format(self) -> None:
        attrs = self._f.attrs
        if "format" not in attrs:
            raise NotRxstressResultsError(
                f"{self.path}: not an rxstress results file (no root attribute 'format'; "
                f"expected format = {FORMAT_NAME!r})")
        fmt = _str(attrs["format"])
        if fmt != FORMAT_NAME:
            raise NotRxstressResultsError(
                f"{self.path}: not an rxstress results file (format = {fmt!r}; "
                f"expected {FORMAT_NAME!r})")
        if "format_version" not in attrs:
            raise UnsupportedFormatVersionError(
                f"{self.path}: rxstress results file without a 'format_version' attribute")
        version = attrs["format_version"]
        major = _major_version(version)
        if major not in SUPPORTED_MAJOR_VERSIONS:
            known = ", ".join(str(v) for v in SUPPORTED_MAJOR_VERSIONS)
            raise UnsupportedFormatVersionError(
                f"{self.path}: rxstress results format_version {_str(version)} is not supported "
                f"by this reader (it reads major version {known}); use the rxstress package "
                f"of the rxstress release that wrote the file")
        self.format_version = version.item() if isinstance(version, np.generic) else version

    def close(self) -> None:
        if getattr(self, "_f", None) is not None and self._f.id.valid:
            self._f.close()

    def __enter__(self) -> "Results":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"<rxstress results {self.path!r}: scenario {self.scenario_name!r}, "
                f"{self.paths} paths, {len(self.model_names)} models, years {self.years}>")

    @property
    def h5(self) -> h5py.File:
        """The underlying h5py.File, for anything this reader does not wrap."""
        return self._f

    # ---- root attributes -------------------------------------------------------------------
    @property
    def attrs(self) -> Dict[str, object]:
        """Root attributes, strings decoded."""
        out = {}
        for k, v in self._f.attrs.items():
            if isinstance(v, (bytes, np.bytes_)):
                v = _str(v)
            elif isinstance(v, np.ndarray) and v.dtype.kind in "OSU":
                v = _strings(v)
            elif isinstance(v, np.generic):
                v = v.item()
            out[k] = v
        return out

    @property
    def paths(self) -> int:
        return int(self._f.attrs["paths"])

    @property
    def horizon_months(self) -> int:
        return int(self._f.attrs["horizon_months"])

    @property
    def start(self) -> pd.Period:
        return pd.Period(_str(self._f.attrs["start"]), freq="M")

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.period_range(self.start, periods=self.horizon_months, freq="M")

    @property
    def years(self) -> List[str]:
        """Settlement-year labels, e.g. ['2026/27']."""
        if "settlement_years" in self._f.attrs:
            return _strings(self._f.attrs["settlement_years"])
        # Older files: derive the count from a budget array.
        first = self.model_names[0]
        n = self._f[f"models/{first}/budget"].shape[0]
        return [str(i) for i in range(n)]

    @property
    def scenario_name(self) -> str:
        return _str(self._f.attrs["scenario_name"])

    @property
    def seed(self) -> int:
        return int(self._f.attrs["seed"])

    @property
    def scenario_text(self) -> str:
        return self._f["scenario"].asstr()[()]

    def year_index(self, year: Union[int, str, None]) -> int:
        """Index of a settlement year given as an index or a label ('2026/27'); None -> 0."""
        if year is None:
            return 0
        if isinstance(year, (int, np.integer)):
            n = len(self.years)
            if not -n <= int(year) < n:
                raise IndexError(f"year index {year} out of range: the file has {n} settlement "
                                 f"year(s) {self.years}")
            return int(year) % n
        try:
            return self.years.index(str(year))
        except ValueError:
            raise KeyError(f"no settlement year {year!r}; the file has {self.years}") from None

    # ---- population and drivers ------------------------------------------------------------
    @property
    def practices(self) -> pd.DataFrame:
        """The practice table, one row per practice (index: practice id), with a budget column per
        settlement year ('budget 2026/27')."""
        if "practices" not in self._cache:
            g = self._f["practices"]
            df = pd.DataFrame({
                "id": _read_strings(g["id"]),
                "name": _read_strings(g["name"]),
                "list_size": g["list_size"][()],
                "annual_spend": g["annual_spend"][()],
                "generic_share": g["generic_share"][()],
                "neighbourhood": _read_strings(g["neighbourhood"]),
                "provider": _read_strings(g["provider"]),
            })
            if "budget" in g:
                b = g["budget"][()]
                for y, label in enumerate(self.years[: b.shape[0]]):
                    df[f"budget {label}"] = b[y]
            self._cache["practices"] = df.set_index("id", drop=False)
        return self._cache["practices"]

    @property
    def drivers(self) -> pd.DataFrame:
        """One row per driver, in scenario order: name, type, source, parameters and the exact
        expected annual spend over all practices per settlement year ('expected 2026/27')."""
        if "drivers" not in self._cache:
            g = self._f["drivers"]
            df = pd.DataFrame({"name": _read_strings(g["names"])})
            for col, key in (("type", "types"), ("source", "sources"), ("parameters", "parameters")):
                if key in g:
                    df[col] = _read_strings(g[key])
            if "expected_annual" in g:
                e = g["expected_annual"][()]
                for y, label in enumerate(self.years[: e.shape[1]]):
                    df[f"expected {label}"] = e[:, y]
            self._cache["drivers"] = df.set_index("name", drop=False)
        return self._cache["drivers"]

    @property
    def national(self) -> Dict[str, pd.DataFrame]:
        """Per-path systemic factors: name -> DataFrame (index: path; one column 'value' for [K]
        series, one column per month for [K, T] series). Units in df.attrs['unit']."""
        if "national" not in self._cache:
            out = {}
            for name, ds in self._f.get("national", {}).items():
                data = ds[()]
                if data.ndim == 1:
                    df = pd.DataFrame({"value": data})
                else:
                    cols = self.months[: data.shape[1]] if data.shape[1] <= self.horizon_months \
                        else range(data.shape[1])
                    df = pd.DataFrame(data, columns=cols)
                df.index.name = "path"
                df.attrs = {k: _str(v) for k, v in ds.attrs.items()}
                out[name] = df
            self._cache["national"] = out
        return self._cache["national"]

    @property
    def detail_drivers(self) -> List[str]:
        """Drivers whose annual spend per practice and path is in the file (outputs.driver_detail)."""
        return list(self._f["drivers"].get("detail", {}).keys())

    def driver_detail(self, driver: str, year=None) -> pd.DataFrame:
        """Annual spend of one driver per path (rows) and practice (columns), GBP, for drivers
        listed in outputs.driver_detail (/drivers/detail/<driver>)."""
        if driver not in self.detail_drivers:
            raise KeyError(f"{self.path}: no detail for driver {driver!r}; the file has "
                           f"{self.detail_drivers} (scenario key outputs.driver_detail)")
        data = self._f["drivers/detail"][driver][self.year_index(year)]
        df = pd.DataFrame(data, columns=self.practices.index[: data.shape[1]])
        df.index.name = "path"
        return df

    # ---- models ----------------------------------------------------------------------------
    @property
    def model_names(self) -> List[str]:
        g = self._f["models"]
        if "order" in g.attrs:
            return _strings(g.attrs["order"])
        return list(g.keys())

    def _model(self, model: str) -> h5py.Group:
        try:
            return self._f["models"][model]
        except KeyError:
            raise KeyError(f"no model {model!r}; the file has {self.model_names}") from None

    def holder_level(self, model: str) -> str:
        return _str(self._model(model).attrs["holder_level"])

    def terms(self, model: str) -> str:
        return _str(self._model(model).attrs.get("terms", ""))

    @property
    def models(self) -> pd.DataFrame:
        """One row per delegation model (scenario order): holder level, terms, number of holders,
        total budget over holders and settlement years, and the total budget of each year."""
        if "models" not in self._cache:
            rows = []
            for name in self.model_names:
                g = self._model(name)
                budget = g["budget"][()]
                row = {
                    "name": name,
                    "holder_level": self.holder_level(name),
                    "terms": self.terms(name),
                    "holders": int(g["holders"].shape[0]),
                    "total_budget": float(budget.sum()),
                }
                for y, label in enumerate(self.years[: budget.shape[0]]):
                    row[f"budget {label}"] = float(budget[y].sum())
                rows.append(row)
            self._cache["models"] = pd.DataFrame(rows).set_index("name", drop=False)
        return self._cache["models"]

    def models_at_level(self, level: str) -> List[str]:
        return [m for m in self.model_names if self.holder_level(m) == level]

    @property
    def levels(self) -> List[str]:
        """Holder levels of the models, from the ICB down, each once."""
        order = ["icb", "provider", "neighbourhood", "practice"]
        present = {self.holder_level(m) for m in self.model_names}
        return [l for l in order if l in present] + sorted(present - set(order))

    def holder_ids(self, model: str) -> List[str]:
        return _read_strings(self._model(model)["holders"])

    def holders(self, model: str) -> pd.DataFrame:
        """Holders of a model (index: holder id): list size and a budget column per year."""
        key = f"holders/{model}"
        if key not in self._cache:
            g = self._model(model)
            df = pd.DataFrame({"id": self.holder_ids(model)})
            if "list_size" in g:
                df["list_size"] = g["list_size"][()]
            b = g["budget"][()]
            for y, label in enumerate(self.years[: b.shape[0]]):
                df[f"budget {label}"] = b[y]
            self._cache[key] = df.set_index("id", drop=False)
        return self._cache[key]

    def budget(self, model: str, year: Union[int, str, None] = None) -> pd.Series:
        """Budget of each holder in one settlement year, GBP (index: holder id)."""
        y = self.year_index(year)
        return pd.Series(self._model(model)["budget"][y], index=self.holder_ids(model),
                         name=f"budget {self.years[y]}")

    def typical_holder(self, model: str, year: Union[int, str, None] = None) -> str:
        """The median-budget holder of a model (the lower median when the count is even)."""
        b = self.budget(model, year)
        order = np.argsort(b.to_numpy(), kind="stable")
        return b.index[order[(len(order) - 1) // 2]]

    # ---- path outcomes (large: read on demand) ---------------------------------------------
    def _holder_selection(self, model: str, holders) -> np.ndarray:
        ids = self.holder_ids(model)
        if holders is None:
            return np.arange(len(ids))
        if isinstance(holders, (str, int, np.integer)):
            holders = [holders]
        pos = {h: i for i, h in enumerate(ids)}
        out = []
        for h in holders:
            if isinstance(h, (int, np.integer)):
                out.append(int(h))
            elif h in pos:
                out.append(pos[h])
            else:
                raise KeyError(f"model {model!r} has no holder {h!r}")
        return np.asarray(out, dtype=int)

    def outcomes(self, model: str, year: Union[int, str, None] = None, holders=None,
                 kind: str = "outcome", long: bool = False):
        """Per-path variance of one settlement year, GBP (positive = overspend).

        kind: 'outcome' (retained by the holder after the terms) or 'gross' (spend - budget).
        holders: None (all), a holder id / index or a list of them.
        Returns an ndarray [paths, holders] or, with long=True, a DataFrame with columns
        path, holder, <kind>. Only the requested holders are read from the file.
        """
        if kind not in ("outcome", "gross"):
            raise ValueError("kind must be 'outcome' or 'gross'")
        g = self._model(model)
        name = kind if kind in g else "gross"  # outcome is a hard link to gross without terms
        ds = g[name]
        y = self.year_index(year)
        sel = self._holder_selection(model, holders)
        if sel.size == ds.shape[2] and np.array_equal(sel, np.arange(ds.shape[2])):
            data = ds[y, :, :]
        else:
            uniq, inverse = np.unique(sel, return_inverse=True)
            data = ds[y, :, uniq.tolist()][:, inverse] if uniq.size > 1 else \
                ds[y, :, int(uniq[0])][:, None][:, inverse]
        if not long:
            return data
        ids = np.asarray(self.holder_ids(model), dtype=object)[sel]
        K, H = data.shape
        return pd.DataFrame({
            "path": np.repeat(np.arange(K), H),
            "holder": np.tile(ids, K),
            kind: data.reshape(-1),
        })

    def gross(self, model: str, year=None, holders=None, long: bool = False):
        """Gross variance (spend - budget) per path; see outcomes()."""
        return self.outcomes(model, year, holders, kind="gross", long=long)

    def has_gross_by_driver(self, model: str) -> bool:
        return "gross_by_driver" in self._model(model)

    def gross_by_driver(self, model: str, year=None, holders=None) -> np.ndarray:
        """Each driver's part of the gross variance (its spend minus the budget allocated to it),
        [paths, holders, drivers], GBP; sums over drivers to gross(). Written by newer versions of
        rxstress for levels with at most 1,000 holders (KeyError otherwise)."""
        g = self._model(model)
        if "gross_by_driver" not in g:
            raise KeyError(f"{self.path}: model {model!r} has no gross_by_driver")
        ds = g["gross_by_driver"]
        y = self.year_index(year)
        sel = self._holder_selection(model, holders)
        uniq, inverse = np.unique(sel, return_inverse=True)
        if uniq.size == ds.shape[2]:
            data = ds[y, :, :, :]
        else:
            data = ds[y, :, uniq.tolist(), :] if uniq.size > 1 else ds[y, :, int(uniq[0]), :][:, None, :]
        return data[:, inverse, :]

    def icb_residual(self, model: str) -> np.ndarray:
        """What the ICB carries per year and path, [years, paths], GBP (0 for models without
        terms: the holders keep everything)."""
        return self._model(model)["icb_residual"][()]

    def icb_carries(self, model: str) -> np.ndarray:
        """What the ICB carries per year and path, [years, paths], GBP: everything when the ICB
        holds the budget, else the residual plus each holder's retained overspend beyond its
        capacity (the model's attribute `capacity`, a fraction of budget; none: nothing beyond)."""
        return self._model(model)["icb_carries"][()]

    def capacity(self, model: str) -> Optional[float]:
        """Retained overspend a holder of the model can absorb (fraction of budget), or None."""
        a = self._model(model).attrs
        return float(a["capacity"]) if "capacity" in a else None

    def reserves(self, model: str, year=slice(None)) -> pd.DataFrame:
        """The reserve each holder needs for each cover level (columns 'reserve95', ...), GBP:
        max(0, the cover quantile of its outcome), at most its capacity. Index (year, holder)."""
        ds = self._model(model)["stats/reserve"]
        Y, H, C = ds.shape
        index = pd.MultiIndex.from_product([self.years[:Y], self.holder_ids(model)],
                                           names=["year", "holder"])
        cols = [f"reserve{100 * c:g}" for c in ds.attrs["cover"]]
        return self._select_year(pd.DataFrame(ds[()].reshape(Y * H, C), index=index,
                                              columns=cols), year)

    def breaches(self, model: str, year=None) -> pd.DataFrame:
        """Per path, the number of holders whose outcome exceeds each threshold (columns '>5%')."""
        ds = self._model(model)["breaches"]
        y = self.year_index(year)
        cols = [f">{_pct(x)}" for x in ds.attrs["thresholds"]]
        df = pd.DataFrame(ds[y], columns=cols)
        df.index.name = "path"
        return df

    def breaches_summary(self, model: str) -> pd.DataFrame:
        """Mean and 95th percentile over paths of the number of holders over each threshold;
        index (year, statistic), columns '>x%'."""
        s = self._model(model)["stats"]
        thresholds = self._model(model)["breaches"].attrs["thresholds"]
        cols = [f">{_pct(x)}" for x in thresholds]
        frames = []
        for stat in ("breaches_mean", "breaches_p95"):
            df = pd.DataFrame(s[stat][()], columns=cols)
            df["year"] = self.years[: len(df)]
            df["statistic"] = stat.replace("breaches_", "")
            frames.append(df)
        return pd.concat(frames).set_index(["year", "statistic"]).sort_index()

    # ---- statistics ------------------------------------------------------------------------
    def _stats_frame(self, group: h5py.Group, ids: Sequence[str], budget: np.ndarray) -> pd.DataFrame:
        Y, H = budget.shape
        index = pd.MultiIndex.from_product([self.years[:Y], list(ids)], names=["year", "holder"])
        cols: Dict[str, np.ndarray] = {"budget": budget.reshape(-1)}
        for name in ("mean", "sd", "se_mean", "cv"):
            if name in group:
                cols[name] = group[name][()].reshape(-1)

        def add(name: str, attr: str, label) -> None:
            if name not in group:
                return
            ds = group[name]
            data = ds[()].reshape(Y * H, -1)
            for j, a in enumerate(ds.attrs[attr]):
                cols[label(a)] = data[:, j]

        add("quantiles", "probs", lambda p: f"q{100 * p:g}")
        add("var", "alphas", lambda a: f"var{100 * a:g}")
        add("es", "alphas", lambda a: f"es{100 * a:g}")
        if "q95_ci" in group:
            ci = group["q95_ci"][()].reshape(Y * H, 2)
            cols["q95_ci_low"], cols["q95_ci_high"] = ci[:, 0], ci[:, 1]
        add("p_exceed", "thresholds", lambda x: f"p>{_pct(x)}")
        add("return_period_loss", "periods", lambda r: f"rp{r:g}")
        return pd.DataFrame(cols, index=index)

    def stats(self, model: str, year: Union[int, str, None, slice] = slice(None)) -> pd.DataFrame:
        """Statistics of each holder's outcome over all paths, GBP. Index (year, holder); columns:
        budget, mean, sd, se_mean, cv, q1 .. q99.5 (quantiles), var95, var99, es95, es99,
        q95_ci_low/high, p>0% .. p>10% (P(outcome > x*budget)), rp5 .. rp200 (1-in-N loss,
        NaN when paths < N). year: a single year (index or label) selects that year's rows."""
        key = f"stats/{model}"
        if key not in self._cache:
            g = self._model(model)
            self._cache[key] = self._stats_frame(g["stats"], self.holder_ids(model), g["budget"][()])
        return self._select_year(self._cache[key], year)

    def icb_residual_stats(self, model: str, year=slice(None)) -> pd.DataFrame:
        """The same statistics for the ICB residual (against the total budget); index (year,
        holder='ICB residual')."""
        key = f"icbstats/{model}"
        if key not in self._cache:
            g = self._model(model)
            total = g["budget"][()].sum(axis=1, keepdims=True)
            self._cache[key] = self._stats_frame(g["stats/icb_residual"], ["ICB residual"], total)
        return self._select_year(self._cache[key], year)

    def icb_carries_stats(self, model: str, year=slice(None)) -> pd.DataFrame:
        """The statistics of what the ICB carries (stats/icb_carries, against the total budget);
        index (year, holder='ICB carries')."""
        key = f"icbcarries/{model}"
        if key not in self._cache:
            g = self._model(model)
            total = g["budget"][()].sum(axis=1, keepdims=True)
            self._cache[key] = self._stats_frame(g["stats/icb_carries"], ["ICB carries"], total)
        return self._select_year(self._cache[key], year)

    def attribution(self, model: str, year=slice(None), kind: str = "variance") -> pd.DataFrame:
        """Each driver's share of each holder's gross variance (spend - budget, before the terms).

        kind='variance': share of the variance, Cov(V_d, V) / Var(V) (stats/attribution; Euler
        allocation, rows sum to 1, NaN when the variance is 0).
        kind='es95': share of the 95 % expected shortfall (stats/es95_attribution, written by newer
        versions of rxstress; KeyError when the file does not have it).
        Index (year, holder); one column per driver."""
        names = {"variance": "attribution", "es95": "es95_attribution"}
        if kind not in names:
            raise ValueError(f"kind must be one of {sorted(names)}")
        key = f"attr/{kind}/{model}"
        if key not in self._cache:
            g = self._model(model)
            if f"stats/{names[kind]}" not in g:
                raise KeyError(f"{self.path}: model {model!r} has no stats/{names[kind]}")
            ds = g[f"stats/{names[kind]}"]
            Y, H, D = ds.shape
            drivers = _strings(ds.attrs["drivers"])
            index = pd.MultiIndex.from_product([self.years[:Y], self.holder_ids(model)],
                                               names=["year", "holder"])
            df = pd.DataFrame(ds[()].reshape(Y * H, D), index=index, columns=drivers)
            df.columns.name = "driver"
            self._cache[key] = df
        return self._select_year(self._cache[key], year)

    def convergence(self, model: str, year=None) -> pd.DataFrame:
        """Mean and 95 % quantile of each holder's outcome, with standard errors, over growing
        subsets of the paths (stats/convergence, newer files). Index (holder, paths)."""
        g = self._model(model)
        if "stats/convergence" not in g:
            raise KeyError(f"{self.path}: model {model!r} has no stats/convergence")
        c = g["stats/convergence"]
        y = self.year_index(year)
        n = c["paths"][()]
        ids = self.holder_ids(model)
        index = pd.MultiIndex.from_product([ids, n.astype(int)], names=["holder", "paths"])
        return pd.DataFrame({k: c[k][y].reshape(-1) for k in ("mean", "se_mean", "q95", "se_q95")
                             if k in c}, index=index)

    def _select_year(self, df: pd.DataFrame, year) -> pd.DataFrame:
        if isinstance(year, slice):
            return df
        return df.xs(self.years[self.year_index(year)], level="year")

    # ---- trajectories ----------------------------------------------------------------------
    @property
    def trajectory_levels(self) -> List[str]:
        return list(self._f.get("trajectories", {}).keys())

    def trajectories(self, level: str = "icb") -> Trajectories:
        """Monthly spend of the first S paths for a holder level (icb, provider, ...)."""
        if level not in self.trajectory_levels:
            raise KeyError(f"no trajectories for level {level!r}; the file has "
                           f"{self.trajectory_levels}")
        g = self._f["trajectories"][level]
        holders = _read_strings(g["holders"])
        spend = g["spend"][()]
        T = spend.shape[1]
        months = pd.period_range(self.start, periods=T, freq="M")
        budget = pd.DataFrame(g["budget"][()], index=months, columns=holders)
        return Trajectories(level, holders, months, budget, spend)

    # ---- headline --------------------------------------------------------------------------
    def headline(self, year: Union[int, str, None] = None) -> pd.DataFrame:
        """The headline table of `rxstress summary --format csv` (sim/app/headline.cpp) for one
        settlement year, one row per model (index: model), with the same column names and units:
        money in GBP, probabilities and shares as fractions (0.059, not 5.9)."""
        y = self.year_index(year)
        rows = []
        for name in self.model_names:
            st = self.stats(name, y)
            icb = self.icb_carries_stats(name, y).iloc[0]
            reserves = self.reserves(name, y)
            att = self.attribution(name, y)
            budget = st["budget"].to_numpy()
            mean_share = att.mean(axis=0, skipna=True)
            top = mean_share.idxmax() if mean_share.notna().any() else None
            bsum = self.breaches_summary(name)
            rows.append({
                "model": name,
                "holder_level": self.holder_level(name),
                "holders": len(st),
                "budget_gbp": budget.sum(),
                "expected_variance_gbp": st["mean"].sum(),
                "icb_expected_gbp": icb["mean"],
                "icb_var95_gbp": icb["var95"],
                "icb_es95_gbp": icb["es95"],
                "holders_reserve95_gbp": reserves["reserve95"].sum()
                if "reserve95" in reserves else np.nan,
                "median_holder_p_over_2pct": st["p>2%"].median() if "p>2%" in st else np.nan,
                "median_holder_p_over_5pct": st["p>5%"].median() if "p>5%" in st else np.nan,
                "worst_holder_var95_share_of_budget": (st["var95"] / st["budget"]).max(),
                "mean_holders_over_5pct": bsum.loc[(self.years[y], "mean"), ">5%"]
                if ">5%" in bsum.columns else np.nan,
                "top_driver": top,
                "top_driver_share": mean_share.max() if top is not None else np.nan,
            })
        return pd.DataFrame(rows).set_index("model")


class ResultsInputError(Exception):
    """Bad input to a command of the package (exit status 2): 'FILE: key: problem; expected ...'."""


def open_input(path: str, force_outputs=(), force: bool = False) -> "Results":
    """Opens the results file a command reads, after refusing outputs that exist without --force:
    every problem is a ResultsInputError ('FILE: results: problem; expected ...', exit 2)."""
    for out in filter(None, force_outputs):
        if os.path.exists(out) and not force:
            raise ResultsInputError(f"{out}: already exists; expected --force to overwrite it")
    if not os.path.isfile(path):
        raise ResultsInputError(f"{path}: results: no such file; expected a results file written "
                                f"by rxstress run")
    try:
        return open_results(path)
    except ResultsFormatError as e:
        raise ResultsInputError(f"{path}: results: {e}") from e


def run_command(main_body) -> int:
    """Runs a command's body: 0, or 2 with 'rxstress: <message>' for a ResultsInputError."""
    try:
        main_body()
    except ResultsInputError as e:
        print(f"rxstress: {e}", file=sys.stderr)
        return 2
    return 0


_UNITS = {"budget": "GBP", "mean": "GBP", "sd": "GBP", "se_mean": "GBP", "cv": "fraction of budget",
          "q95_ci_low": "GBP", "q95_ci_high": "GBP"}


def _statistic_name(column: str) -> (str, str):
    """A stats() column as the CLI names it, with its unit: 'var95' -> ('var95_gbp', 'GBP'),
    'p>5%' -> ('p_over_5pct', 'probability'), 'cv' -> ('cv', 'fraction of budget')."""
    if column.startswith("p>"):
        return f"p_over_{column[2:-1]}pct", "probability"
    if column.startswith("reserve") or column[:1] == "q" or column[:3] in ("var", "es9") \
            or column.startswith("rp") or _UNITS.get(column) == "GBP":
        return f"{column}_gbp", "GBP"
    return column, _UNITS.get(column, "")


def long_statistics(res: "Results") -> pd.DataFrame:
    """Every statistic of every model, holder and settlement year, one row each: columns model,
    holder_level, holder, year, statistic, value, unit (GBP or probability or fraction). The
    holders' rows come with their reserves and attribution; 'ICB carries' and 'ICB residual' rows
    give what the ICB carries and the residual of the terms. Names and units as `rxstress summary
    --format csv` and `rxstress compare` use them."""
    frames = []
    for model in res.model_names:
        parts = [res.stats(model)]
        if "reserve" in res._model(model)["stats"]:
            parts.append(res.reserves(model))
        st = pd.concat(parts, axis=1)
        att = res.attribution(model).add_prefix("attribution_")
        icb = [res.icb_residual_stats(model)]
        if "icb_carries" in res._model(model)["stats"]:
            icb.insert(0, res.icb_carries_stats(model))
        for frame, with_attribution in ((st, True), (pd.concat(icb), False)):
            long = frame.stack(dropna=False).rename("value").reset_index()
            long.columns = ["year", "holder", "column", "value"]
            named = long["column"].map(_statistic_name)
            long["statistic"] = [n for n, _ in named]
            long["unit"] = [u for _, u in named]
            frames.append(long.drop(columns="column").assign(model=model))
            if with_attribution:
                a = att.stack(dropna=False).rename("value").reset_index()
                a.columns = ["year", "holder", "statistic", "value"]
                frames.append(a.assign(unit="fraction of variance", model=model))
    out = pd.concat(frames, ignore_index=True)
    out["holder_level"] = out["model"].map({m: res.holder_level(m) for m in res.model_names})
    return out[["model", "holder_level", "holder", "year", "statistic", "value", "unit"]]


def open_results(path: Union[str, os.PathLike, None] = None) -> Results:
    """Open a results file (default: env RXSTRESS_RESULTS, else ../results.h5).

    Raises NotRxstressResultsError when the file is not an rxstress results file and
    UnsupportedFormatVersionError when its MAJOR format_version is not one this reader knows.
    """
    return Results(default_results_path() if path is None else path)
