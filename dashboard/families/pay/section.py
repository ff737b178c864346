"""Pay equity section of the report: the blocks of dashboard/families/pay/blocks.py (the ones
the Pay page draws) for the report's view (by gender, the report's grain and k, no filters),
and the flagged findings. Every input is a published (protected) table; individual
remediation rows never appear here."""

from __future__ import annotations

import pandas as pd

from pipelines.db import events_of
from pipelines.formatting import format_ci, group_label
from pipelines.metrics import NoDataError, build_context, compute, families

from .blocks import (
    art10_block,
    cohort_block,
    cost_blocks,
    decomposition_block,
    statutory_block,
    trend_block,
)
from .tables import (
    analysis_tables,
    art10_rows,
    factors_text,
    latest_full_year,
    pay_loaded,
    pay_gap_rows,
    statutory_tables,
)
from ...finding import Finding, by_interval, counted
from ...narrative import FINDING_MIN_N
from .narrative import art10_table
from ...block import Section


def build_section(con, k: int, period: str = "year") -> Section | None:
    if not pay_loaded(con):
        return None
    meta = families()["pay"]
    config = build_context(con)["config"]
    by = ["gender"]
    measures, flags = statutory_tables(con, k)
    results = analysis_tables(con, by, k)
    blocks = [
        trend_block(pay_gap_rows(con, by, period, k), k, factors_text(config), events_of(con, "pay")),
        statutory_block(measures, k),
        art10_block(flags, config["pay"]["category_gap_threshold_pct"]),
        decomposition_block(results, k),
        cohort_block(results, config["pay"]),
        *cost_blocks(results, config["reporting_currency"], k),
    ]
    return Section(
        family="pay",
        title=meta["title"],
        intro=meta["description"],
        order=meta["order"],
        blocks=[b for b in blocks if b is not None],
    )


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Adjusted gaps whose 95% interval excludes zero, and the number of worker categories
    that need a joint pay assessment (EU Art. 10), for the latest full year."""
    if not pay_loaded(con):
        return []
    start, end = latest_full_year(con)
    # the latest full year as a whole period (published figures never use custom ranges)
    try:
        adjusted = compute(con, "adjusted_pay_gap", by=["gender"], period="year", date_from=start, date_to=end, k=k)
    except NoDataError:  # e.g. tenure_years as a factor of snapshots without hire dates: no model
        adjusted = pd.DataFrame(columns=["dimensions", "suppressed"])
    factors = factors_text(build_context(con)["config"])
    out = []
    for _, r in adjusted[(adjusted["dimensions"] == "gender") & ~adjusted["suppressed"]].iterrows():
        if pd.notna(r["ci_high"]) and (r["ci_high"] < 0 or r["ci_low"] > 0):
            less = "less" if r["value"] > 0 else "more"  # a pay gap is positive when paid less
            text = (
                f"Pay {end.year}: {group_label(r['group'])} paid {abs(r['value']):.1f}% {less} than "
                f"{group_label(r['reference'])} "
                f"with the same {factors} (95% CI {format_ci(r['ci_low'], r['ci_high'], 'percent')}, n = {int(r['n']):,})."
            )
            out.append(
                by_interval(
                    text,
                    "pay",
                    size=abs(r["value"]),
                    size_text=f"{abs(r['value']):.1f}% {less} pay",
                    value=r["value"],
                    low=r["ci_low"],
                    high=r["ci_high"],
                    boundary=0,
                )
            )
    flags = art10_rows(con, k)
    judged = art10_table(flags)
    judged = judged[judged["Assessment"] == "joint pay assessment needed"] if len(judged) else judged
    if len(judged):
        categories = judged["Category"].nunique()
        text = (
            f"Pay {end.year}: {categories} worker categor{'y has' if categories == 1 else 'ies have'} a gap "
            f"of 5% or more in basic or variable pay for a group of at least {FINDING_MIN_N} people "
            "(EU Art. 10: a joint pay assessment is needed unless objective criteria justify it)."
        )
        out.append(
            counted(
                text,
                "pay",
                size_text=f"{categories} worker categor{'y' if categories == 1 else 'ies'}",
                basis="exact pay records",
            )
        )
    return out
