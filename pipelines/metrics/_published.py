"""The published (protected) request: which questions may be asked, and how their answers
are assembled from canonical cells. Grain: compute()'s long table.

Protection keys each cell by its definition (privacy/protect.py), so the set of definitions a
viewer can reach must not offer many names for the same people:
- periods are whole periods of the grain: `--from/--to` select periods, they never cut one
  (two ranges one day apart would otherwise differ by one day's hires), and `custom` ranges
  are for the data owner (`--exact`) only;
- a filter with several values is the sum of its one-value parts (each a canonical cell, with
  its own fixed perturbation), never a new cell: `department in (A, B, Z)` with Z empty then
  adds exactly zero instead of drawing new noise for the same people. Only figures that add
  up (counts, and shares and rates of counts) can be assembled that way; the others take one
  value per filter.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..privacy.bounds import bounded_table
from ..privacy.keys import read_salt
from ..privacy.protect import PROTECTED_BELOW_K, value_rule
from ._context import build_context
from ._long import BLANKED, add_ci, whole_counts
from ._periods import make_periods
from ._registry import registry

EXACT_HINT = "the data owner can ask for it with --exact (exact figures, not for publication)"


def whole_period_range(
    con, period: str, date_from: dt.date | None, date_to: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    """--from/--to widened to the whole periods of the grain that contain them."""
    if period == "custom":
        ctx = build_context(con)
        lo = max(date_from, ctx["history_start"]) if date_from else ctx["history_start"]
        hi = min(date_to, ctx["as_of"]) if date_to else ctx["as_of"]
        if (lo, hi) == whole_years(ctx, lo, hi):
            return date_from, date_to  # whole (fiscal) years of the data window: fixed ranges
        raise UsageError(
            "published figures use whole years, quarters or months (a custom range "
            "must run over whole years of the data window); a range can differ from "
            f"another by a single day, so {EXACT_HINT}"
        )
    if date_from is None and date_to is None:
        return None, None
    ctx = build_context(con)
    every = make_periods(period, ctx["history_start"], ctx["as_of"], ctx["config"]["fiscal_year_start_month"])
    lo = date_from or ctx["history_start"]
    hi = date_to or ctx["as_of"]
    covered = [p for p in every if p.end >= lo and p.start <= hi]
    if not covered:
        return date_from, date_to  # make_periods names the empty range
    first = next(p for p in _unclipped(period, ctx) if p.start <= covered[0].start <= p.end)
    last = next(p for p in _unclipped(period, ctx) if p.start <= covered[-1].end <= p.end)
    return first.start, last.end


def whole_years(ctx, lo: dt.date, hi: dt.date) -> tuple[dt.date, dt.date]:
    """[lo, hi] widened to whole (fiscal) years, clipped to the data window."""
    years = _unclipped("year", ctx)
    start = next(p.start for p in years if p.start <= lo <= p.end)
    end = next(p.end for p in years if p.start <= hi <= p.end)
    return max(start, ctx["history_start"]), min(end, ctx["as_of"])


def _unclipped(period: str, ctx) -> list:
    """Periods of the grain over the data window, not clipped to it (their true bounds)."""
    start, end = ctx["history_start"], ctx["as_of"]
    return make_periods(
        period, dt.date(start.year - 1, 1, 1), dt.date(end.year + 1, 12, 31), ctx["config"]["fiscal_year_start_month"]
    )


def protected_request(
    con, name, by, period, date_from, date_to, k, filters, table_fn, configured_range: bool = False
) -> pd.DataFrame:
    """The protected long table for one request (see the module docstring)."""
    spec = registry().get(name)
    if spec is None:
        raise UsageError(f"unknown metric '{name}'; `equity list` shows the registry")
    if not configured_range:
        date_from, date_to = whole_period_range(con, period, date_from, date_to)
    salt = read_salt(con)
    filters = {d: sorted(dict.fromkeys(map(str, v))) for d, v in filters.items() if v}
    if all(len(v) == 1 for v in filters.values()):
        table = table_fn(con, name, by, period, date_from, date_to, k, filters, suppress=False, salt=salt)
        return _published(table, spec)
    if value_rule(spec) not in ("count", "ratio"):
        many = ", ".join(d for d, v in filters.items() if len(v) > 1)
        raise UsageError(
            f"{name} does not add up over several {many} values (it is a "
            f"{spec.unit} of its own cell): choose one value per filter, or {EXACT_HINT}"
        )
    dims, values = list(filters), [filters[d] for d in filters]
    parts = [
        table_fn(
            con,
            name,
            by,
            period,
            date_from,
            date_to,
            k,
            dict(zip(dims, [[v] for v in combo])),
            suppress=False,
            salt=salt,
            hide=False,
        )
        for combo in itertools.product(*values)
    ]
    out = _summed(parts, spec)
    out.attrs["k"] = parts[0].attrs["k"]
    return _published(out, spec)


def _published(table: pd.DataFrame, spec) -> pd.DataFrame:
    """The one last step of every published table, on every engine (a Spark build stores
    compute()'s tables, and serving them comes back here): values and intervals inside their
    unit's range (privacy/bounds.py), a function of the protected table alone."""
    out = bounded_table(table, spec)
    out.attrs.update(table.attrs)
    return out


def _summed(parts: list[pd.DataFrame], spec) -> pd.DataFrame:
    """One table from one-value parts: counts added, values recomputed, hidden below k."""
    frame = pd.concat(parts, ignore_index=True)
    keys = ["period_start", "period_end", "period", *spec.keys, "dimensions", "group"]
    order = frame.drop_duplicates(keys)[keys]
    counted = ["numerator", "denominator", "n"]
    sums = frame.groupby(keys, dropna=False, sort=False)[counted].sum(min_count=1).reset_index()
    rule = value_rule(spec)
    if rule == "count":
        sums["value"] = sums["numerator"].where(sums["numerator"].notna(), sums["n"])
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = (frame["value"] * frame["denominator"] / frame["numerator"]).replace([np.inf, -np.inf], np.nan)
        scales = frame.assign(_scale=scale).groupby(keys[:3], dropna=False)["_scale"].median()
        s = sums.set_index(keys[:3]).index.map(scales.to_dict().get).astype(float)
        s = np.where(np.isfinite(s), s, 1.0)
        # a share above 1 is brought into range once, with every other table (_published)
        sums["value"] = np.where(sums["numerator"] == 0, 0.0, s * sums["numerator"] / sums["denominator"])
    rest = frame.drop_duplicates(keys).drop(columns=counted + ["value", "ci_low", "ci_high", "suppressed"])
    out = order.merge(sums, on=keys, how="left").merge(rest, on=keys, how="left")
    out = add_ci(out, spec)
    hidden = ~(pd.to_numeric(out["n"], errors="coerce") >= parts[0].attrs["k"])  # finalize's threshold
    out["suppressed"] = hidden.to_numpy()
    for col in BLANKED:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float).where(~out["suppressed"])
    out["note"] = np.where(
        out["suppressed"],
        PROTECTED_BELOW_K,
        out["note"].fillna("").str.replace(PROTECTED_BELOW_K, "", regex=False).str.strip("; "),
    )
    whole_counts(out)
    return out[list(parts[0].columns)]
