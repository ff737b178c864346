"""Statutory views built from the metric tables (exact at organisation level, protected below it): the UK Gender Pay Gap
six measures, EU Pay Transparency Art. 9(1)(a)-(g), and the Art. 10 joint-pay-assessment flags.

Art. 10 flag: a category of workers whose gap between a group and the reference is at least
`pay.category_gap_threshold_pct` (5%, inclusive) in either direction. The comparison is done
in exact decimal arithmetic on the stored salaries (40,000 vs 38,000 is exactly 5% and is
flagged): |S_r n_g - S_g n_r| x 100 >= T x S_r n_g, with S the pay sums and n the head counts,
so no division or rounding is involved. Only published rows (both groups at least k) are
assessed; the flag never reveals a suppressed group.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import pandas as pd

from ....db import has_table
from ....metrics._engine import build_context, compute
from ....metrics._frame import Query
from ....metrics._periods import Period, latest_full_period_rows
from ..metrics import BASIC, VARIABLE, category_frame
from ..snapshot import exact_bonus, exact_pay, snapshot_sql
from ....formatting import group_label

MEASURES = [  # (metric, key filter, label, UK measure, EU Art. 9(1))
    ("pay_gap_mean", None, "Mean hourly pay gap", "1", "(a)"),
    ("pay_gap_median", None, "Median hourly pay gap", "2", "(c)"),
    ("bonus_gap_mean", None, "Mean bonus gap (recipients)", "3", "(b)"),
    ("bonus_gap_median", None, "Median bonus gap (recipients)", "4", "(d)"),
    ("bonus_receipt_rate", None, "Share receiving a bonus", "5", "(e)"),
    ("pay_quartile_share", "quartile", "Share of pay quartile", "6", "(f)"),
]


UK_SNAPSHOTS = {"private": (4, 5), "public": (3, 31)}  # SI 2017/172 reg. 1(2); SI 2017/353 Sch. 1


def snapshot_window(snapshot: str, year: int | None, as_of) -> tuple:
    """(date_from, date_to) of the 12 months ending on the snapshot date: `private` (5 April),
    `public` (31 March) of `year` (default: the latest on or before as_of), or YYYY-MM-DD."""
    import datetime as dt
    from ....errors import UsageError

    if snapshot in UK_SNAPSHOTS:
        month, day = UK_SNAPSHOTS[snapshot]
        end = dt.date(year or as_of.year, month, day)
        if year is None and end > as_of:
            end = end.replace(year=end.year - 1)
    else:
        try:
            end = dt.date.fromisoformat(snapshot)
        except ValueError:
            raise UsageError(f"--snapshot takes private, public or YYYY-MM-DD (got {snapshot!r})") from None
    start = (pd.Timestamp(end) - pd.DateOffset(years=1) + pd.DateOffset(days=1)).date()
    return start, end


def organisation_level(filters: dict | None) -> bool:
    """The law publishes the organisation's figures exactly (UK six measures, EU Art. 9 and the
    Art. 10 flags); a filtered view is below organisation level and is protected like the rest."""
    return not any((filters or {}).values())


def statutory_measures(
    con,
    dim: str = "gender",
    period: str = "year",
    k: int | None = None,
    filters: dict | None = None,
    date_from=None,
    date_to=None,
    exact: bool = False,
) -> pd.DataFrame:
    """UK six measures / EU Art. 9(1)(a)-(f) for the latest full period (or the custom period
    date_from..date_to, whose end is the snapshot date), one row per measure x group
    (published values only; suppressed cells say so). Exact at organisation level, as the law
    publishes it, protected below it unless `exact` (the data owner's --exact)."""
    rows = []
    start = None
    for metric, key, title, uk, eu in MEASURES:
        if metric.startswith("bonus") and not has_table(con, "fct_bonuses"):
            continue
        table = compute(
            con,
            metric,
            by=[dim],
            period=period,
            k=k,
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            exact=exact or organisation_level(filters),
        )
        if start is None:  # every measure is for the first measure's latest full period
            latest = latest_full_period_rows(table[table["group"] == "All"])
            start = latest["period_start"].max() if len(latest) else None
        table = table[(table["period_start"] == start) & (table["dimensions"] == dim)]
        for _, r in table.iterrows():
            label = f"{title}: {r[key]}" if key else title
            rows.append(
                {
                    "period": r["period"],
                    "measure": label,
                    "uk_measure": uk,
                    "eu_article_9_1": eu,
                    "group": r["group"],
                    "value": r["value"],
                    "ci_low": r["ci_low"],
                    "ci_high": r["ci_high"],
                    "n": r["n"],
                    "suppressed": r["suppressed"],
                    "note": r["note"],
                    "unit": "share" if metric in ("bonus_receipt_rate", "pay_quartile_share") else "percent",
                }
            )
    return pd.DataFrame(rows)


def _exact_sums(con, periods: list[Period], dims: list[str], filters, config, k: int) -> dict:
    """{(period_start, category, component, group label): (sum as Decimal, n)}."""
    q = Query(con=con.cursor(), dims=dims, periods=periods, filters=dict(filters or {}), config=config, params={"k": k})
    with_bonus = has_table(con, "fct_bonuses")
    frame = category_frame(q, with_bonus)
    day = lambda value: pd.Timestamp(value).date()  # noqa: E731 - one key type for every source
    pay = {(day(s), e): v for s, e, v in exact_pay(q, snapshot_sql(q))}
    bonus = {(day(s), e): v for (s, e), v in exact_bonus(q).items()} if with_bonus else {}
    sums: dict[tuple, list] = {}
    for row in frame[frame["has_pay"]].itertuples(index=False):
        person = (day(row.period_start), row.employee_id)
        group = "|".join(str(getattr(row, d)).replace("|", "/") for d in dims)
        values = {BASIC: pay.get(person)}
        if with_bonus:
            values[VARIABLE] = bonus.get(person, Decimal(0))
        for component, value in values.items():
            if value is None:
                continue
            acc = sums.setdefault((person[0], row.category, component, group), [Decimal(0), 0])
            acc[0] += value
            acc[1] += 1
    return sums


def exact_gap_flag(
    sum_ref: Decimal, n_ref: int, sum_grp: Decimal, n_grp: int, threshold_pct, direction: str = "either"
) -> tuple[bool, Decimal | None]:
    """(|gap| >= threshold, gap %) in exact decimal arithmetic (no division for the flag).
    direction "women_paid_less" (a member-state choice of the EU pack) flags only a group
    paid less than the reference."""
    with localcontext() as ctx:
        ctx.prec = 80
        diff = sum_ref * n_grp - sum_grp * n_ref
        left = abs(diff) * 100
        right = Decimal(str(threshold_pct)) * sum_ref * n_grp
        if sum_ref <= 0:
            return False, None
        gap = diff * 100 / (sum_ref * n_grp)
        return left >= right and (direction == "either" or diff > 0), gap


def art10_assessment(
    con,
    by=("gender",),
    period: str = "year",
    k: int | None = None,
    filters: dict | None = None,
    date_from=None,
    date_to=None,
    threshold_pct=None,
    direction: str = "either",
    exact: bool = False,
) -> pd.DataFrame:
    """Every published category gap with its Art. 10 flag and the reason (threshold: the EU
    pack's, else pay.category_gap_threshold_pct)."""
    dims = list(by)
    exact = exact or organisation_level(filters)  # --exact, or the organisation's own figures
    table = compute(
        con,
        "pay_gap_by_category",
        by=dims,
        period=period,
        k=k,
        filters=filters,
        date_from=date_from,
        date_to=date_to,
        exact=exact,
    )
    full = "|".join(dims)
    rows = table[
        (table["dimensions"] == full)
        & ~table["suppressed"]
        & table["value"].notna()
        & (table["group"] != table["reference"])
    ]
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "period",
                "category",
                "component",
                "group",
                "reference",
                "n",
                "gap_pct",
                "exact_gap_pct",
                "flagged",
                "reason",
            ]
        )
    ctx = build_context(con)
    config = ctx["config"]
    threshold = config["pay"]["category_gap_threshold_pct"] if threshold_pct is None else threshold_pct
    periods = [
        Period(s, e, "") for s, e in rows[["period_start", "period_end"]].drop_duplicates().itertuples(index=False)
    ]
    sums = _exact_sums(con, periods, dims, filters, config, int(k or config["privacy"]["k"])) if exact else {}
    out = []
    for r in rows.itertuples(index=False):
        key = (r.period_start, r.category, r.component)
        ref, grp = sums.get((*key, r.reference)), sums.get((*key, r.group))
        if exact:
            flagged, gap = (
                exact_gap_flag(ref[0], ref[1], grp[0], grp[1], threshold, direction) if ref and grp else (False, None)
            )
        else:  # below organisation level the published (protected) gap decides, nothing exact is shown
            gap = Decimal(str(round(float(r.value), 6)))
            flagged = abs(gap) >= Decimal(str(threshold)) and (direction == "either" or gap > 0)
        side = "below" if (gap or 0) > 0 else "above"
        reason = (
            (
                f"mean {r.component} pay of {group_label(r.group)} is {abs(gap):.2f}% {side} {group_label(r.reference)} in "
                f"{r.category} (n = {int(r.n)}): a difference of {threshold}% or more needs a joint pay "
                f"assessment unless objective, gender-neutral criteria justify it (Art. 10)"
            )
            if flagged
            else ""
        )
        out.append(
            {
                "period": r.period,
                "category": r.category,
                "component": r.component,
                "group": r.group,
                "reference": r.reference,
                "n": int(r.n),
                "gap_pct": float(r.value),
                "exact_gap_pct": None if gap is None or not exact else f"{gap:.4f}",
                "flagged": flagged,
                "reason": reason,
            }
        )
    return pd.DataFrame(out)
