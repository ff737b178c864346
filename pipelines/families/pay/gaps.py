"""Long rows of raw pay gaps (mean or median) for every subset of the breakdown.

Each row: numerator = the group's mean (median) pay, denominator = the reference group's,
value = gap % = (denominator - numerator) / denominator x 100 (positive: the group is paid
less), n = people in the group. The reference row itself has gap 0. A gap is left blank,
with a note, when the reference group has fewer than k people or nobody in it: a gap against
a handful of people would describe them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...metrics._frame import group_positions
from .groups import label, reference_key, subsets
from .stats import gap_interval, ln_mean_variance, ln_median_variance

STATISTICS = {"mean": (np.mean, ln_mean_variance), "median": (np.median, ln_median_variance)}


def _cells(frame: pd.DataFrame, dims: list[str], value_col: str, stat: str, keys: list[str]) -> list[dict]:
    estimate, variance = STATISTICS[stat]
    values = frame[value_col].to_numpy(dtype=float)
    cells = []
    for gid, present in subsets(dims):
        by = ["period_start", "period_end", *keys, *present]
        for key, positions in group_positions(frame, by):
            cell_values = values[positions]
            cell = dict(zip(by, key))
            cell.update(
                {
                    "_gid": gid,
                    "_present": present,
                    "n": cell_values.size,
                    "est": float(estimate(cell_values)),
                    "var": variance(cell_values),
                }
            )
            cells.append(cell)
    return cells


def gap_rows(
    frame: pd.DataFrame,
    dims: list[str],
    refs: dict[str, str],
    k: int,
    value_col: str,
    stat: str,
    keys: list[str] | None = None,
) -> pd.DataFrame:
    """Unsuppressed long rows (period, keys, dims, _gid, numerator, denominator, value, CI, n,
    note, reference) of the `stat` gap of `value_col` against the reference cells."""
    keys = list(keys or [])
    cells = _cells(frame, dims, value_col, stat, keys)
    index = {}
    for c in cells:
        index[(c["period_start"], *[c[k_] for k_ in keys], c["_gid"], tuple(c[d] for d in c["_present"]))] = c
    rows = []
    for c in cells:
        present = c["_present"]
        values = tuple(c[d] for d in present)
        row = {col: c[col] for col in ["period_start", "period_end", *keys, *present]}
        row.update({d: None for d in dims if d not in present})
        row.update(
            {
                "_gid": c["_gid"],
                "n": c["n"],
                "numerator": c["est"],
                "denominator": np.nan,
                "value": np.nan,
                "ci_low": np.nan,
                "ci_high": np.nan,
                "note": "",
                "reference": "",
            }
        )
        ref_values = reference_key(values, present, refs)
        if ref_values is not None:
            ref_label = label(ref_values, present)
            row["reference"] = ref_label
            ref = index.get((c["period_start"], *[c[k_] for k_ in keys], c["_gid"], ref_values))
            if ref is None:
                row["note"] = f"nobody in the reference group ({ref_label}): no gap"
            elif ref["n"] < k:
                row["note"] = f"the reference group ({ref_label}) has fewer than {k} people: no gap shown"
            elif ref is c:
                row.update({"denominator": c["est"], "value": 0.0, "note": "reference group"})
            else:
                gap, lo, hi = gap_interval(c["est"], ref["est"], c["var"], ref["var"])
                row.update({"denominator": ref["est"], "value": gap, "ci_low": lo, "ci_high": hi})
        rows.append(row)
    return pd.DataFrame(rows, columns=_columns(dims, keys) + ["reference"])


def _columns(dims: list[str], keys: list[str] | None) -> list[str]:
    """A gap table's columns in order (the one list gap_rows and empty_rows share)."""
    return ["period_start", "period_end", *(keys or []), *dims, "_gid", *ESTIMATE_COLUMNS]


ESTIMATE_COLUMNS = ("numerator", "denominator", "value", "ci_low", "ci_high", "n", "note")


def empty_rows(dims: list[str], keys: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(columns=_columns(dims, keys))
