"""Supplier-diversity blocks: the one definition of what the Suppliers page draws and the PDF
section prints (issue 19 item 2), so the two cannot show different numbers.

No Streamlit here. Each function turns published (suppressed) tables into a `Block`; the page
passes its cached tables and its widgets' choices, the PDF section passes its defaults
(tests/test_page_pdf_parity_suppliers.py checks that both sides draw equal blocks). A block's
table is the period its title and summary speak of (the latest full period) where the chart is
a trend: the PDF prints the table's last period, which must be the title's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from pipelines.metrics import registry

from ...charts import format_value
from .charts import (
    BASE_LABELS,
    breakdown_figure,
    breakdown_summary,
    breakdown_title,
    certification_summary,
    certification_title,
    diverse_share_summary,
    diverse_share_title,
    goals_figure,
    goals_summary,
    goals_title,
    line_figure,
    tier2_figure,
)
from ...narrative import display_table, latest_full_period
from .narrative import format_money, split_share_table
from ...block import Block

BREAKDOWNS = {"category": "category", "business_unit": "business unit", "supplier_country": "supplier country"}
DEFAULT_BASE = "addressable"  # the denominator the page's radio starts on and the PDF uses
DEFAULT_BREAKDOWN = "category"  # the page's first breakdown choice and the PDF's
SPEND_WORDS = {"addressable": "addressable spend", "total": "all spend"}


@dataclass(frozen=True)
class SupplierView:
    """What the blocks are computed from. `metric(name, by=())` returns a metric's published
    long table for the view's grain and dates (the page's is cached, the PDF's calls compute);
    `k` is the spend threshold (privacy.supplier_k, companies)."""

    metric: Callable[..., pd.DataFrame]
    k: int
    currency: str
    events: pd.DataFrame | None = None


def _overall_share(view: SupplierView) -> pd.DataFrame:
    share = view.metric("diverse_spend_share")
    return share[share["group"] == "All"]


def _lines_block(
    view: SupplierView,
    lines: pd.DataFrame,
    series: str,
    legend: str,
    *,
    title: str,
    summary: str,
    y_title: str,
    table: pd.DataFrame,
    drawn: str,
) -> Block:
    """A block of spend shares drawn as one line per value of `series` over the periods (policy
    events marked), with the latest full period's `table`; `drawn` says what the lines are."""
    fig = line_figure(lines, series, title=title, y_title=y_title, unit="share", events=view.events, legend=legend)
    return Block(title=title, summary=summary, figure=fig, table=table, alt=f"Line chart of {drawn}. {summary}")


def share_block(view: SupplierView) -> Block:
    """Tier 1: the diverse share of addressable and of all spend over the periods."""
    overall = _overall_share(view)
    title = diverse_share_title(overall)
    return _lines_block(
        view,
        overall.assign(series=overall["spend_base"].map(BASE_LABELS)),
        "series",
        "Denominator",
        title=title,
        summary=diverse_share_summary(overall, view.currency, view.k),
        y_title="Share of spend",
        table=split_share_table(latest_full_period(overall), view.k, view.currency, "Diverse spend", ("spend_base",)),
        drawn="the diverse share of addressable and of all spend by period",
    )


def tier2_block(view: SupplierView) -> Block:
    """Tier 2 spend reported by primes, by attribution; no chart when every figure is hidden
    (an empty chart says nothing: the table shows what is hidden and why)."""
    table = view.metric("tier2_spend", ("attribution",))
    latest = latest_full_period(table)
    total = latest[latest["group"] == "All"]
    if total.empty or total["suppressed"].iat[0]:
        title = f"Tier 2 spend is not shown for the latest full period: fewer than {view.k} primes report"
    else:
        money = format_money(total["value"].iat[0], view.currency)
        title = f"Tier 2 spend attributed to us was {money} in {total['period'].iat[0]}"
    summary = (
        f"{title}. Tier 2 is reported beside the Tier 1 share, never added to it. Each figure needs at "
        f"least {view.k} primes (companies) behind it; n = primes."
    )
    drawn = not table["suppressed"].all()
    return Block(
        title=title,
        summary=summary,
        figure=tier2_figure(table, title=title, currency=view.currency) if drawn else None,
        table=display_table(latest, registry()["tier2_spend"], view.k),
        alt=(
            "Bar chart of Tier 2 spend by period, split into direct and indirect where both parts are "
            f"published and otherwise the total. {summary}"
            if drawn
            else ""
        ),
    )


def certification_block(view: SupplierView, base: str = DEFAULT_BASE) -> Block:
    """The share of `base` spend per diverse certification, beside the diverse total that
    counts a supplier once."""
    certified = view.metric("certified_spend_share")
    rows = certified[(certified["group"] == "All") & (certified["spend_base"] == base)]
    overall = _overall_share(view)
    union = overall[overall["spend_base"] == base].assign(certification="Diverse total (counted once)")
    lines = pd.concat([union, rows[rows["counts_as_diverse"].astype(bool)]], ignore_index=True)
    return _lines_block(
        view,
        lines,
        "certification",
        "Certification",
        title=certification_title(rows),
        summary=certification_summary(rows, view.k),
        y_title=BASE_LABELS[base],
        table=split_share_table(latest_full_period(rows), view.k, view.currency, "Certified spend", ("certification",)),
        drawn=f"the {BASE_LABELS[base].lower()} per diverse certification and in total",
    )


GOAL_COLUMNS = ["goal", "period", "target", "actual", "achievement_pct", "grade", "status", "n"]


def goal_blocks(goals: pd.DataFrame, grade_scale: list[dict], events: pd.DataFrame | None = None) -> list[Block]:
    """The latest full period's grades against each goal, and achievement over time
    (`goals`: goal_progress's rows; none when no goal is configured)."""
    if goals.empty:
        return []
    latest = latest_full_period(goals)
    title = goals_title(latest)
    scale = ", ".join(f"{b['grade']} from {b['min_pct']}%" for b in grade_scale)
    summary = (
        f"{goals_summary(latest)} Grade by achievement = actual share / goal, in % of the goal: {scale} "
        "(achievement rounded to 0.01 points first). A hidden share gets no grade."
    )
    shares = {c: latest[c].map(lambda v: format_value(v, "share")) for c in ("actual", "target")}
    blocks = [
        Block(
            title=title,
            summary=summary,
            figure=goals_figure(latest, title=title),
            table=latest.assign(**shares)[GOAL_COLUMNS + ["due", "note"]],
            alt=f"Bar chart of each goal's actual share against the goal. {summary}",
        )
    ]
    trend = goals.assign(value=goals["achievement_pct"] / 100)
    if trend["value"].notna().any():
        title = "Achievement of each goal over time (100% = goal met)"
        summary = "Achievement per period; a gap is a period whose share is hidden (too few companies)."
        fig = line_figure(
            trend, "goal", title=title, y_title="Achievement (% of goal)", unit="share", events=events, legend="Goal"
        )
        alt = f"Line chart of each goal's achievement by period. {summary}"
        blocks.append(Block(title=title, summary=summary, figure=fig, table=goals[GOAL_COLUMNS + ["note"]], alt=alt))
    return blocks


EXPIRING_LABELS = {
    "supplier_id": "Supplier ID",
    "supplier_name": "Supplier",
    "certification": "Certification",
    "certifying_body": "Certifying body",
    "valid_to": "Valid to",
    "days_left": "Days left",
    "counts_as_diverse": "Counts as diverse",
}


def expiring_block(expiring: pd.DataFrame, risk: pd.Series, view: SupplierView, at_risk_months: int) -> Block:
    """Certifications expiring with no renewal recorded and the trailing diverse spend at risk
    (`expiring`, `risk`: expiring_certifications and the one row of spend_at_risk)."""
    amount = (
        f"{format_money(risk['spend_at_risk'], view.currency)} of diverse spend in the last "
        f"{at_risk_months} months (n = {risk['n']} companies)"
        if not risk["suppressed"]
        else f"an amount not shown (fewer than {view.k} companies)"
    )
    title = f"{len(expiring)} certification(s) expire in the {risk['days']} days after {risk['as_of']}"
    summary = (
        f"{title} with no renewal recorded. {risk['suppliers']} supplier(s) would then hold no diverse "
        f"certification: {amount} is at risk. Listed by trailing spend (largest first); per-supplier "
        "amounts are not shown."
    )
    return Block(title=title, summary=summary, table=expiring.rename(columns=EXPIRING_LABELS))


def breakdown_block(view: SupplierView, dim: str = DEFAULT_BREAKDOWN, base: str = DEFAULT_BASE) -> Block:
    """The latest full period's diverse share of `base` spend per group of `dim`."""
    by_dim = view.metric("diverse_spend_share", (dim,))
    by_dim = latest_full_period(by_dim[by_dim["spend_base"] == base])
    groups = by_dim[by_dim["dimensions"].isin([dim, ""])]
    label = BREAKDOWNS[dim]
    title = breakdown_title(groups, label)
    summary = breakdown_summary(groups, label, view.k)
    return Block(
        title=title,
        summary=summary,
        figure=breakdown_figure(groups[groups["group"] != "All"], title=title, dim_label=label.capitalize()),
        table=split_share_table(groups, view.k, view.currency, "Diverse spend", ("spend_base",)),
        alt=f"Bar chart of the diverse share of {SPEND_WORDS[base]} per {label}. {summary}",
    )


COUNT_SERIES = {"diverse_supplier_count": "Diverse suppliers paid", "new_diverse_suppliers": "New diverse suppliers"}


def counts_block(view: SupplierView) -> Block:
    """Diverse suppliers paid, and those paid as diverse for the first time, per period."""
    counts = pd.concat([view.metric(name) for name in COUNT_SERIES], ignore_index=True)
    counts = counts[counts["group"] == "All"].assign(series=lambda d: d["metric"].map(COUNT_SERIES))
    last = latest_full_period(counts[counts["metric"] == "diverse_supplier_count"])
    title = (
        f"{int(last['value'].iat[0])} diverse suppliers were paid in {last['period'].iat[0]}"
        if not last.empty and not last["suppressed"].iat[0]
        else "Diverse suppliers paid"
    )
    summary = (
        f"{title}. A count resting on fewer than {view.k} companies (a group or one company under several "
        "vendor ids is one) is not shown; new = first paid as a diverse supplier in the period."
    )
    fig = line_figure(
        counts, "series", title=title, y_title="Suppliers", unit="count", events=view.events, legend="Count"
    )
    latest = latest_full_period(counts)
    table = display_table(latest, registry()["diverse_supplier_count"], view.k).assign(Metric=latest["series"].values)
    return Block(title=title, summary=summary, figure=fig, table=table, alt=f"Line chart of supplier counts. {summary}")
