"""The board report's figures (matplotlib, Agg), each returned as a PNG data URI so that the report
is one self-contained file. Every curve stops where the paths stop supporting it."""

import base64
import io
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
from scipy import stats as sps  # noqa: E402

GBPM = 1e6
STYLE = {"figure.dpi": 100, "savefig.dpi": 110, "axes.grid": True, "grid.alpha": 0.3,
         "axes.spines.top": False, "axes.spines.right": False, "font.size": 10}


def data_uri(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def max_return_period(K: int) -> float:
    """The longest return period the paths support: at least 10 paths beyond it."""
    return K / 10


def exceedance_band(values, periods, level=0.95):
    """The (1 - 1/RP) quantile of `values` at each return period (numpy's default interpolation)
    and its distribution-free `level` interval from order statistics: ranks from
    Binomial(K, 1 - 1/RP) quantiles, as the file's q95_ci."""
    x = np.sort(np.asarray(values, float))
    K = x.size
    q = 1 - 1 / np.asarray(periods, float)
    mid = np.quantile(x, q)
    a = (1 - level) / 2
    lo = np.clip(sps.binom.ppf(a, K, q).astype(int), 1, K) - 1
    hi = np.clip(sps.binom.ppf(1 - a, K, q).astype(int) + 1, 1, K) - 1
    return mid, x[lo], x[hi]


def exceedance(curves, K, title, ylabel):
    """curves: list of (label, values in GBP m). Return period from 1-in-1.25 to 1-in-K/10."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8.5, 4.8))
        top = max_return_period(K)
        periods = np.geomspace(1.25, top, 60)
        colours = plt.get_cmap("tab10")
        for i, (label, values) in enumerate(curves):
            mid, lo, hi = exceedance_band(values, periods)
            ax.fill_between(periods, lo, hi, color=colours(i % 10), alpha=0.18, lw=0)
            v20 = np.quantile(values, 0.95)
            ax.plot(periods, mid, color=colours(i % 10), lw=1.8, label=f"{label}: 1-in-20 {v20:,.2f}")
        ax.set_xscale("log")
        ax.set_xlim(1.25, top)
        ticks = [t for t in (2, 5, 10, 20, 50, 100, 200, 500, 1000, 10000) if t <= top]
        ax.set_xticks(ticks)
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda x, _: f"1-in-{x:g}"))
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        if top >= 20:
            ax.axvline(20, color="0.3", ls=":", lw=1)
        ax.set_xlabel(f"return period (years); the {K:,} paths support up to 1-in-{top:g}")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(fontsize=8, loc="upper left")
        return data_uri(fig)


def funnel(n, p, names, level_name, threshold, title):
    """P(overspend > threshold) of each holder against its list size, with 95 % and 99.8 %
    binomial-style limits (overdispersion from 10 % winsorised z-scores); holders beyond the
    99.8 % limits are named. Returns (figure, names above, names below)."""
    n, p = np.asarray(n, float), np.asarray(p, float)
    p_bar = float(np.sum(p * n) / np.sum(n))
    above, below = [], []
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8.5, 4.8))
        grid = np.geomspace(n.min() * 0.9, n.max() * 1.1, 200)
        colour = np.array(["tab:blue"] * len(n), dtype=object)
        if 0 < p_bar < 1:
            z = (p - p_bar) / np.sqrt(p_bar * (1 - p_bar) / n)
            lo, hi = np.percentile(z, [10, 90])
            phi = max(1.0, float(np.mean(np.clip(z, lo, hi) ** 2)))
            for zz, ls, lab in ((1.96, "--", "95% limits"), (3.09, "-", "99.8% limits")):
                se = np.sqrt(phi * p_bar * (1 - p_bar) / grid)
                ax.plot(grid, 100 * np.clip(p_bar + zz * se, 0, 1), color="0.4", ls=ls, lw=1, label=lab)
                ax.plot(grid, 100 * np.clip(p_bar - zz * se, 0, 1), color="0.4", ls=ls, lw=1)
            limit = 3.09 * np.sqrt(phi * p_bar * (1 - p_bar) / n)
            hi_mask, lo_mask = p > p_bar + limit, p < p_bar - limit
            colour[hi_mask], colour[lo_mask] = "tab:red", "tab:green"
            order = np.argsort(-(p - p_bar))
            above = [names[i] for i in order if hi_mask[i]]
            below = [names[i] for i in order[::-1] if lo_mask[i]]
            for i in [j for j in order if hi_mask[j]][:8]:
                ax.annotate(textwrap.shorten(names[i], 28), (n[i], 100 * p[i]), xytext=(4, 3),
                            textcoords="offset points", fontsize=7, color="tab:red")
        ax.scatter(n, 100 * p, s=14, c=list(colour), alpha=0.75, edgecolor="none")
        ax.axhline(100 * p_bar, color="k", lw=1.1, label=f"mean {100 * p_bar:.1f}% (list-size weighted)")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        ax.set_xticks([t for t in (1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000,
                                   1000000) if grid.min() <= t <= grid.max()])
        ax.set_xlabel(f"{level_name} list size (registered patients, log scale)")
        ax.set_ylabel(f"P(retained overspend > {100 * threshold:g}% of budget) (%)")
        ax.set_title(title)
        ax.legend(fontsize=8, loc="upper right")
        return data_uri(fig), above, below


def fan(months, spend, budget, title):
    """Monthly ICB spend (GBP m) of the kept paths: 5-95 % and 25-75 % bands, median, budget."""
    x = np.arange(len(months))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8.5, 4.2))
        q = np.percentile(spend, [5, 25, 50, 75, 95], axis=0)
        ax.fill_between(x, q[0], q[4], color="tab:blue", alpha=0.18, lw=0, label="5-95% of paths")
        ax.fill_between(x, q[1], q[3], color="tab:blue", alpha=0.35, lw=0, label="25-75% of paths")
        ax.plot(x, q[2], color="tab:blue", lw=2, label="median")
        ax.plot(x, budget, color="k", ls="--", lw=1.4, label="budget")
        step = max(1, len(x) // 12)
        ax.set_xticks(x[::step])
        ax.set_xticklabels([m.strftime("%b %y") for m in months[::step]], rotation=45)
        ax.set_ylabel("ICB spend per month (GBP m)")
        ax.set_title(title)
        ax.legend(fontsize=8, loc="upper left")
        return data_uri(fig)


def attribution(shares, title):
    """Stacked bars: shares (%) [level, driver]."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8.5, 4.2))
        xpos = np.arange(len(shares))
        pos, neg = np.zeros(len(shares)), np.zeros(len(shares))
        colours = plt.get_cmap("Set2")
        for j, d in enumerate(shares.columns):
            v = shares[d].fillna(0).to_numpy()
            base = np.where(v >= 0, pos, neg)
            ax.bar(xpos, v, 0.6, bottom=base, color=colours(j % 8), label=d, edgecolor="white")
            for i in range(len(v)):
                if abs(v[i]) >= 5:
                    ax.text(xpos[i], base[i] + v[i] / 2, f"{v[i]:.0f}%", ha="center", va="center", fontsize=8)
            pos += np.where(v >= 0, v, 0)
            neg += np.where(v < 0, v, 0)
        ax.set_xticks(xpos)
        ax.set_xticklabels(list(shares.index))
        ax.set_ylabel("share of the holders' variance (%)")
        ax.set_title(title)
        ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
        return data_uri(fig)


def tornado(rows, metric, money):
    """Horizontal bars of each parameter's effect (high - low) with +/- 2 standard errors."""
    rows = rows[:15]
    scale = 1 / GBPM if money else 100
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8.5, 0.45 * len(rows) + 1.4))
        y = np.arange(len(rows))[::-1]
        e = np.array([r["effect"] for r in rows]) * scale
        se = np.array([r["se"] for r in rows]) * scale
        ax.barh(y, e, color=np.where(e >= 0, "tab:red", "tab:blue"), alpha=0.8,
                xerr=2 * se, error_kw={"ecolor": "0.2", "capsize": 3, "lw": 1})
        ax.set_yticks(y)
        ax.set_yticklabels([r["parameter"] for r in rows], fontsize=8)
        ax.axvline(0, color="k", lw=0.8)
        ax.set_xlabel(f"effect on {metric} (low -> high){' GBP m' if money else ' percentage points'};"
                      " whiskers: 2 standard errors")
        ax.set_title("Which assumptions matter most (tornado)")
        return data_uri(fig)
