"""Supplier-diversity metrics: diverse and certified spend shares, diverse supplier counts.

Each function returns unsuppressed long rows for every subset of the requested dimensions;
the engine adds suppression and labels. Tier 2 is in tier2.py, goals and grades in
goals.py, expiring and lapsed certifications in risk.py.

What `n` means here: spend is company data, and a sum over one or two companies tells a
reader what those companies earn from us (for a one-person certified business, what its
owner earns). So `n` counts companies (ultimate parents, so one group is one company), and
for a share it is the count on the *smaller non-empty side* of the split the row publishes
(e.g. diverse spend vs the rest of the cell): the row is shown only when neither the
numerator nor denominator - numerator rests on fewer than k companies.
"""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd

from ...sqlsafe import literal
from ...metrics._frame import Query
from .sql import (
    SPEND_BASES,
    contributors_sql,
    period_cells_sql,
    spend_lines_sql,
    supplier_settings,
    text_list,
)

NOT_POSITIVE = "net spend in this cell is not positive (credits exceed payments): no share"
FIRST_PERIOD = (
    "spend data begin in this period, so no supplier paid in it can be told new from one paid "
    "before the data: not counted"
)
COMBINATION_JOIN = " + "


def smaller_side(n_in: pd.Series, n_out: pd.Series) -> np.ndarray:
    """Companies on the smaller non-empty side of a split (0 when both sides are empty)."""
    a = pd.to_numeric(n_in).fillna(0).to_numpy(dtype=int)
    b = pd.to_numeric(n_out).fillna(0).to_numpy(dtype=int)
    return np.where(a == 0, b, np.where(b == 0, a, np.minimum(a, b)))


def with_overall_rows(df: pd.DataFrame, q: Query, keys: dict[str, list]) -> pd.DataFrame:
    """An overall row for every period x key value, zero when nothing was booked: the engine
    only fills periods, and 'no spend with WOSB suppliers' is a result, not a gap."""
    all_gid = (1 << len(q.dims)) - 1
    names = list(keys)
    have = set()
    if len(df):
        top = df[df["_gid"] == all_gid]
        starts = pd.to_datetime(top["period_start"]).dt.date
        have = set(zip(starts, *(top[k] for k in names)))
    missing = [(p, combo) for p in q.periods for combo in product(*keys.values()) if (p.start, *combo) not in have]
    if not missing:
        return df
    extra = pd.DataFrame(
        [
            {
                "period_start": p.start,
                "period_end": p.end,
                **dict(zip(names, combo)),
                "_gid": all_gid,
                "numerator": 0.0,
                "denominator": 0.0,
                "n_in": 0,
                "n_out": 0,
            }
            for p, combo in missing
        ]
    )
    for d in q.dims:
        extra[d] = None
    if not len(df):
        return extra
    df = df.copy()
    df["period_start"] = pd.to_datetime(df["period_start"]).dt.date
    df["period_end"] = pd.to_datetime(df["period_end"]).dt.date
    return pd.concat([df, extra], ignore_index=True)


def share_rows(df: pd.DataFrame) -> pd.DataFrame:
    """value = numerator / denominator where the denominator is positive; n = smaller side."""
    df = df.copy()
    df["numerator"] = pd.to_numeric(df["numerator"]).fillna(0.0).astype(float)
    df["denominator"] = pd.to_numeric(df["denominator"]).fillna(0.0).astype(float)
    positive = df["denominator"] > 0
    df["value"] = (df["numerator"] / df["denominator"].where(positive)).astype(float)
    # sums of converted amounts carry float noise (19720559.130000006): money is published in cents,
    # the share above is taken before the rounding
    df["numerator"], df["denominator"] = df["numerator"].round(2), df["denominator"].round(2)
    df["n"] = smaller_side(df["n_in"], df["n_out"])
    has_rows = (df["n_in"] + df["n_out"]) > 0
    df["note"] = np.where(~positive & has_rows, NOT_POSITIVE, "")
    return df.drop(columns=["n_in", "n_out"])


def _split_measures(flag: str) -> dict[str, str]:
    return {
        "numerator": f"coalesce(sum(amount) FILTER (WHERE {flag}), 0)",
        "denominator": "coalesce(sum(amount), 0)",
        **contributors_sql(flag),
    }


def diverse_spend_share(q: Query) -> pd.DataFrame:
    q.register_periods()
    cells = period_cells_sql(q, spend_lines_sql(q.con, q.config))
    df = q.frame(q.grouped(cells, _split_measures("is_diverse"), keys=["spend_base"]))
    return share_rows(with_overall_rows(df, q, {"spend_base": list(SPEND_BASES)}))


def certification_lines(q: Query, lines: str) -> pd.DataFrame:
    """The certification key values: every certification in the data or named by a goal or a
    goal preset (so a preset can be previewed without a rebuild), and
    every combination of two or more diverse certifications held together on a paid date
    (the intersection views, e.g. `MBE + WBE` = minority- and woman-owned)."""
    from .goals import goal_certifications

    settings = supplier_settings(q.config)
    singles = {r[0] for r in q.con.execute("SELECT DISTINCT certification FROM fct_certifications").fetchall()}
    singles |= goal_certifications(q.config)
    held_diverse = f"list_sort(list_intersect(held, {text_list(settings.diverse)}))"
    combos = q.con.execute(f"SELECT DISTINCT {held_diverse} FROM ({lines}) WHERE len({held_diverse}) >= 2").fetchall()
    rows = [{"certification": c, "members": [c], "counts_as_diverse": c in settings.diverse} for c in sorted(singles)]
    rows += [
        {"certification": COMBINATION_JOIN.join(m), "members": list(m), "counts_as_diverse": True}
        for (m,) in sorted(combos)
    ]
    return pd.DataFrame(rows, columns=["certification", "members", "counts_as_diverse"])


def _lines_values(keys: pd.DataFrame) -> str:
    if keys.empty:
        return "(SELECT NULL::VARCHAR AS certification, NULL::VARCHAR[] AS members WHERE false)"
    values = ", ".join(f"({literal(r.certification)}, {text_list(r.members)})" for r in keys.itertuples())
    return f"(VALUES {values}) AS k(certification, members)"


def certified_spend_share(q: Query) -> pd.DataFrame:
    q.register_periods()
    lines = spend_lines_sql(q.con, q.config)
    keys = certification_lines(q, lines)
    inner = (
        f"SELECT c.*, k.certification, list_has_all(c.held, k.members) AS holds "
        f"FROM ({period_cells_sql(q, lines)}) c CROSS JOIN {_lines_values(keys)}"
    )
    df = q.frame(q.grouped(inner, _split_measures("holds"), keys=["certification", "spend_base"]))
    df = share_rows(
        with_overall_rows(df, q, {"certification": list(keys["certification"]), "spend_base": list(SPEND_BASES)})
    )
    df["counts_as_diverse"] = df["certification"].map(dict(zip(keys["certification"], keys["counts_as_diverse"])))
    return df


def _supplier_count(q: Query, condition: str, lines: str, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    inner = f"SELECT * FROM ({period_cells_sql(q, lines, extra)}) WHERE spend_base = 'total'"
    # the count is of suppliers; n (what the k rule tests) of companies, so one company under
    # several vendor ids or a group of subsidiaries is one contributor
    df = q.frame(
        q.grouped(
            inner,
            {
                "numerator": f"count(DISTINCT supplier_id) FILTER (WHERE {condition})",
                "n": f"count(DISTINCT ultimate_parent_id) FILTER (WHERE {condition})",
            },
        )
    )
    df["value"] = df["numerator"].astype(float)
    return df


PAID_DIVERSE = "is_diverse AND payments > 0"


def diverse_supplier_count(q: Query) -> pd.DataFrame:
    q.register_periods()
    return _supplier_count(q, PAID_DIVERSE, spend_lines_sql(q.con, q.config))


def new_diverse_suppliers(q: Query) -> pd.DataFrame:
    q.register_periods()
    # the first paid diverse transaction of each supplier over all the data, whatever the filters
    lines = (
        f"SELECT l.*, min(CASE WHEN l.is_diverse AND l.amount > 0 THEN l.transaction_date END) "
        f"OVER (PARTITION BY l.supplier_id) AS first_diverse_payment "
        f"FROM ({spend_lines_sql(q.con, q.config)}) l"
    )
    df = _supplier_count(
        q,
        f"{PAID_DIVERSE} AND first_diverse_payment BETWEEN period_start AND period_end",
        lines,
        extra=("first_diverse_payment",),
    )
    first = q.con.execute("SELECT min(transaction_date) FROM fct_spend").fetchone()[0]
    if first is not None and len(df):
        starts = pd.to_datetime(df["period_start"]).dt.date
        opening = (starts <= first).to_numpy()
        df["note"] = np.where(opening, FIRST_PERIOD, "")
        # every supplier paid in the first period would count as new ("17 new diverse suppliers"
        # in the first year of data): that count says nothing, so it is not published at all
        df.loc[opening, ["numerator", "value"]] = np.nan
    return df
