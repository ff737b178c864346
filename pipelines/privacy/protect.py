"""Protected long tables: perturbed counts and magnitudes, hidden below k. Grain: one row per
cell of the metric's long table (period x key columns x breakdown cell), as compute() makes.

What each column becomes (docs/privacy.md has the reasoning):
- `n` and every count (`numerator`, `denominator` when they count people or events) get the
  cell-key perturbation of `ptable`, keyed by the cell's *definition*: what is counted, the
  period, the key columns, the filters and the breakdown values. The definition is reduced to
  its smallest equivalent form first: when the cell (Engineering, Woman) counts exactly as many
  people as (Engineering), the constraint `Woman` changes nothing, the two cells are the same
  people, and they get the same key, so asking for the same people in many ways gives the
  same noise every time instead of many independent draws to average.
- magnitudes (mean and median pay, spend, model estimates) move by a keyed fraction of the
  figure, up to MAGNITUDE_SPREAD / n of it: as much as one contributor of several times the
  average could move it, so differencing two published means cannot return one person's pay.
  The key is a function of the exact figure, so the same mean gets the same noise wherever it
  is shown.
- `value` is recomputed from the protected parts (a share from protected counts, a gap from
  protected means) or, when it is a model result, perturbed as a magnitude.
- a row is hidden when its *protected* n is below k: no complementary suppression is needed,
  because the published neighbours no longer add up to the hidden cell exactly.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from . import keys as keymod
from .ptable import perturbed_counts

PROTECTED_BELOW_K = "fewer than k (protected count)"
MAGNITUDE_SPREAD = 4.0  # a mean of n moves by up to 4/n of itself (one person at 4x the mean)
VALUE_SPREAD = 2.0  # a model result (ratio, survival, regression gap) by up to 2/n


def value_rule(spec) -> str:
    """How `value` follows from the protected parts: count | ratio | gap | own."""
    explicit = spec.extra.get("protection") if spec.extra else None
    if explicit:
        return explicit
    if spec.unit == "count":
        return "count"
    if spec.unit in ("share", "rate") and spec.ci in ("wilson", "poisson", "none"):
        return "ratio"
    return "own"


def _canonical(column: pd.Series) -> list[str]:
    """Cell values as text that does not depend on the engine's types (DuckDB and Spark
    return dates, integers and decimals differently; the key must not)."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return [str(v.date()) if not pd.isna(v) else "" for v in column]
    out = []
    for v in column.tolist():
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append("")
        elif hasattr(v, "isoformat"):
            out.append(
                v.isoformat()[:10]
                if not hasattr(v, "hour") or (v.hour, v.minute, v.second) == (0, 0, 0)
                else v.isoformat()
            )
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v))
    return out


def _present(gid: int, ndims: int) -> list[int]:
    return [j for j in range(ndims) if not (gid >> (ndims - 1 - j)) & 1]


class _Cells:
    """Each row's partition and breakdown constraints, and an index from (partition,
    constraint set) to row, to find a row's smallest equivalent definition."""

    def __init__(self, df: pd.DataFrame, dims: list[str], key_cols: list[str]):
        self.partition = (
            list(zip(*[_canonical(df[c]) for c in ["period_start", "period_end", *key_cols]])) if len(df) else []
        )
        gids = df["_gid"].astype(int).to_numpy() if len(df) else []
        values = [_canonical(df[d]) for d in dims]
        self.items: list[tuple[tuple[str, str], ...]] = []
        for i, gid in enumerate(gids):
            self.items.append(tuple((dims[j], values[j][i]) for j in _present(int(gid), len(dims))))
        self.index = {(p, frozenset(it)): i for i, (p, it) in enumerate(zip(self.partition, self.items))}

    def minimal(self, column: np.ndarray) -> list[tuple[tuple[str, str], ...]]:
        """Per row, the smallest subset of its constraints that selects a row of the same
        partition with the same value in `column` (the same people: a narrower cell of a
        nested pair with an equal count holds exactly the same people)."""
        out = []
        for i, items in enumerate(self.items):
            chosen = items
            v = column[i]
            if np.isfinite(v):
                for size in range(len(items)):
                    hit = next(
                        (
                            sub
                            for sub in combinations(items, size)
                            if (j := self.index.get((self.partition[i], frozenset(sub)))) is not None and column[j] == v
                        ),
                        None,
                    )
                    if hit is not None:
                        chosen = hit
                        break
            out.append(chosen)
        return out


def _labels(counted: str, cells: _Cells, constraints, filters: dict[str, list[str]]) -> list[str]:
    """The definition each key is drawn from. A one-value filter is a constraint like a
    breakdown value (`--by department,gender` and `--by gender --filter department=X` name
    the same cell); a several-value filter never reaches here (summed from its parts)."""
    fixed = tuple((d, str(v[0])) for d, v in filters.items() if len(v) == 1)
    wider = ";".join(f"{d}={','.join(sorted(map(str, v)))}" for d, v in sorted(filters.items()) if len(v) > 1)
    return [
        f"{counted}|{'|'.join(p)}|{';'.join(f'{d}={v}' for d, v in sorted(set(c) | set(fixed)))}|{wider}"
        for p, c in zip(cells.partition, constraints)
    ]


def _is_count(values: np.ndarray) -> bool:
    finite = values[np.isfinite(values)]
    return bool(len(finite)) and bool(np.all(finite == np.round(finite)))


def _protect_counts(salt, counted, column, cells, filters) -> np.ndarray:
    labels = _labels(counted, cells, cells.minimal(column), filters)
    return perturbed_counts(column, keymod.cell_keys(salt, labels).astype(np.uint64) % np.uint64(256))


def _cells_for(col: str, spec, df: pd.DataFrame, dims: list[str], cells: _Cells) -> _Cells:
    """The cells a count's noise is keyed by: without the key columns the registry says it does
    not depend on (`same_people_across`), so every key table publishes one draw of it."""
    ignored = set((spec.extra or {}).get("same_people_across", {}).get(col, ()))
    if not ignored:
        return cells
    return _Cells(df, dims, [k for k in spec.keys if k not in ignored])


def protected_magnitude(
    salt: str, kind: str, values: np.ndarray, scale_n: np.ndarray, spread: float = MAGNITUDE_SPREAD
) -> np.ndarray:
    """values x (1 + spread x u / n), u in [-1, 1) keyed by the exact value: the same figure
    gets the same noise in every view; a figure of fewer than one contributor is not shown."""
    values = np.asarray(values, dtype=float)
    # 10 significant digits: the same figure summed in another order (Spark, DuckDB threads)
    # differs in the last bits and must keep its key
    labels = [f"{kind}|{v:.10g}" for v in values]
    u = keymod.uniform(keymod.cell_keys(salt, labels))
    n = np.maximum(np.nan_to_num(np.asarray(scale_n, dtype=float), nan=1.0), 1.0)
    return values * (1.0 + spread * u / n)


def protect_table(
    df: pd.DataFrame, spec, dims: list[str], k: int, salt: str, filters: dict[str, list[str]]
) -> tuple[pd.DataFrame, np.ndarray]:
    """(protected copy of the rows, hidden mask). `df` holds exact rows with _gid and the
    dimension columns, as the metric function returned them (after the overall rows)."""
    df = df.copy()
    cells = _Cells(df, dims, list(spec.keys))
    counts = {
        c: pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float)
        for c in ("numerator", "denominator", "n", "value")
    }
    rule = value_rule(spec)
    shared = spec.extra.get("counts", {}) if spec.extra else {}
    out = {}
    n_exact = counts["n"]
    out["n"] = _protect_counts(
        salt, shared.get("n", f"{spec.name}.n"), n_exact, _cells_for("n", spec, df, dims, cells), filters
    )
    for col in ("numerator", "denominator"):
        v = counts[col]
        if not np.isfinite(v).any():
            out[col] = v
        elif rule != "gap" and (_is_count(v) or (spec.unit == "rate" and col == "denominator")):
            if np.array_equal(v, n_exact, equal_nan=True) and col not in shared:
                out[col] = out["n"]  # the same people as n: one published figure
            else:
                out[col] = _protect_counts(
                    salt, shared.get(col, f"{spec.name}.{col}"), v, _cells_for(col, spec, df, dims, cells), filters
                )
        else:  # means, medians, spend, coefficients: magnitudes of the cell
            scale = (
                (_reference_n(v, counts["numerator"], n_exact) if rule == "gap" else _base_n(v, n_exact))
                if col == "denominator"
                else n_exact
            )
            out[col] = protected_magnitude(salt, f"{spec.family}.{col if rule != 'gap' else 'mean'}", v, scale)
    value = counts["value"]
    if rule == "count":
        new_value = np.where(np.isfinite(out["numerator"]), out["numerator"], out["n"])
        # a count the metric leaves without a value (nothing to count) stays without one
        new_value = np.where(np.isfinite(value), new_value, np.nan)
    elif rule == "ratio":
        num, den = counts["numerator"], counts["denominator"]
        with np.errstate(divide="ignore", invalid="ignore"):
            factor = np.where(num > 0, out["numerator"] / num, 1.0) * np.where(
                out["denominator"] > 0, den / out["denominator"], np.nan
            )
        # kept in its unit's range afterwards, for every metric at once (bounds.py)
        new_value = np.where(value == 0, 0.0, value * factor)
    elif rule == "gap":
        with np.errstate(divide="ignore", invalid="ignore"):
            new_value = 100.0 * (out["denominator"] - out["numerator"]) / out["denominator"]
        new_value = np.where(np.isfinite(value), new_value, np.nan)
    else:
        new_value = _own_value(salt, spec, df, value, n_exact)
    for col in ("numerator", "denominator", "n"):
        df[col] = out[col]
    df["value"] = new_value
    # extras first: a survival's interval is drawn from the published (protected) at-risk count
    _protect_extras(salt, spec, df, dims, n_exact)
    if spec.ci not in ("wilson", "poisson") and "ci_low" in df:
        _protected_interval(salt, spec, df, value, new_value, counts, out, n_exact, rule)
    hidden = ~(out["n"] >= k)
    return df, hidden


def _half_widths(df: pd.DataFrame, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = pd.to_numeric(df["ci_low"], errors="coerce").to_numpy(dtype=float)
    hi = pd.to_numeric(df["ci_high"], errors="coerce").to_numpy(dtype=float)
    return value - lo, hi - value


def _own_value(salt, spec, df, value, n_exact) -> np.ndarray:
    """A model result moves by up to VALUE_SPREAD / n of itself, keyed by the exact figure
    (the same rule family analyses use for the same figure, e.g. remediation's gap before)."""
    return protected_magnitude(salt, f"{spec.name}.value", value, n_exact, VALUE_SPREAD)


def _protected_interval(salt, spec, df, value, new_value, counts, out, n_exact, rule) -> None:
    """Intervals the engine does not compute itself. Shifting an exact interval would keep its
    exact half-widths, from which the exact estimate can be worked back (a Wilson interval's
    ends determine p and n). So: a share of counts gets a Wilson interval of its protected
    counts, widened by the metric's own design effect rounded to one decimal; any other
    interval keeps its shape with each half-width moved like a magnitude."""
    if rule == "survival":
        df["ci_low"], df["ci_high"] = _survival_interval(df, new_value)
        return
    below, above = _half_widths(df, value)
    if rule == "ratio" and np.isfinite(counts["denominator"]).any():
        from ..metrics._stats import wilson_interval

        num, den = counts["numerator"], counts["denominator"]
        with np.errstate(divide="ignore", invalid="ignore"):
            w_lo, w_hi = (np.asarray(a, dtype=float) for a in wilson_interval(pd.Series(num), pd.Series(den)))
            deff = np.round(np.nan_to_num((below + above) / (w_hi - w_lo), nan=1.0), 1)
            deff = np.where(np.isfinite(deff) & (deff > 0), deff, 1.0) ** 2
            # a protected numerator above its denominator is shown as 100%: its interval too
            shown = np.minimum(out["numerator"], out["denominator"])
            p_lo, p_hi = wilson_interval(pd.Series(shown / deff), pd.Series(out["denominator"] / deff))
        df["ci_low"], df["ci_high"] = np.asarray(p_lo, dtype=float), np.asarray(p_hi, dtype=float)
        return
    n = np.nan_to_num(n_exact, nan=1.0)
    lo_w = protected_magnitude(salt, f"{spec.name}.ci_low", below, n)
    hi_w = protected_magnitude(salt, f"{spec.name}.ci_high", above, n)
    df["ci_low"], df["ci_high"] = new_value - lo_w, new_value + hi_w


def _survival_interval(df: pd.DataFrame, new_value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson interval of the protected survival on the protected at-risk count at the
    horizon (`at_risk`, already protected): a function of published figures only. The exact
    Greenwood interval is blank exactly when nobody left (S = 1), so any rule that keeps it
    where it exists would tell "nobody left" by its blank or its shape; this one is blank only
    where the value is. Using the people still at risk at the horizon as the binomial size is
    conservative: without censoring Greenwood's variance is S(1 - S) / (people at the start)."""
    from ..metrics._stats import wilson_interval

    # at least one person: a shown value stands on someone even where its protected count
    # rounds to 0, and a blank there would again depend on the exact count
    at_risk = np.maximum(pd.to_numeric(df["at_risk"], errors="coerce").to_numpy(dtype=float), 1.0)
    shown = np.clip(new_value, 0.0, 1.0)  # the share it is published as (bounds.py)
    low, high = wilson_interval(shown * at_risk, at_risk)
    known = np.isfinite(shown)
    return np.where(known, low, np.nan), np.where(known, high, np.nan)


def _protect_extras(salt, spec, df, dims, n_exact) -> None:
    """Extra numeric columns a metric adds (selection rates, z, p, R²...) are exact statistics
    of the cell: they move like model results, so they cannot be inverted to exact counts or
    pay. Whole-number columns stay whole numbers."""
    skip = set(LONG) | set(dims) | set(spec.keys) | {"_gid", "_level"}
    for col in [c for c in df.columns if c not in skip and not str(c).startswith("_")]:
        series = df[col]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        v = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
        moved = protected_magnitude(salt, f"{spec.name}.{col}", v, n_exact, VALUE_SPREAD)
        if _is_count(v):
            moved = np.round(moved)
        df[col] = moved


# the long table's columns, the one list the engine publishes (metrics._engine.LONG_COLUMNS is
# this list: the privacy layer sits below the engine and cannot import it)
LONG = [
    "metric",
    "period_start",
    "period_end",
    "period",
    "dimensions",
    "group",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "suppressed",
    "note",
]


def _base_n(den: np.ndarray, n: np.ndarray) -> np.ndarray:
    """For a share's denominator (a total such as all spend): the largest n among the rows
    sharing it, i.e. the n of the population it is the total of, not of the row's group."""
    largest: dict[float, float] = {}
    for value, count in zip(den, n):
        if np.isfinite(value):
            largest[value] = max(largest.get(value, 0.0), count if np.isfinite(count) else 0.0)
    return np.array([largest.get(v, c) for v, c in zip(den, n)], dtype=float)


def _reference_n(den: np.ndarray, num: np.ndarray, n: np.ndarray) -> np.ndarray:
    """For a gap's denominator (the reference group's figure): the n of the row whose own
    figure it is, so the reference mean gets the same protected value on every row."""
    own = {}
    for value, count in zip(num, n):
        if np.isfinite(value):
            own.setdefault(value, count)
    return np.array([own.get(v, c) for v, c in zip(den, n)], dtype=float)
