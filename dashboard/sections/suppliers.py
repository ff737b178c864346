"""Supplier-diversity section of the report: the latest full period's diverse share (both
denominators), certification lines, Tier 2 beside Tier 1, goals with grades, expiring
certifications. Built from the same suppressed tables and figure builders as the page."""

from __future__ import annotations

from pipelines.db import has_table
from pipelines.metrics import build_context, compute, families, registry
from pipelines.metrics.suppliers_goals import goal_progress
from pipelines.metrics.suppliers_risk import expiring_certifications, spend_at_risk, supplier_k

from ..charts_suppliers import (
    BASE_LABELS,
    UNION_NOTE,
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
from ..finding import Finding, counted
from ..narrative import display_table, latest_full_period
from ..narrative_suppliers import format_money, split_share_table
from . import Block, Section


def _share_block(con, k: int, currency: str, period: str) -> Block:
    table = compute(con, "diverse_spend_share", period=period)
    overall = table[table["group"] == "All"]
    title = diverse_share_title(overall)
    summary = diverse_share_summary(overall, currency, k)
    fig = line_figure(
        overall.assign(series=overall["spend_base"].map(BASE_LABELS)),
        "series",
        title=title,
        y_title="Share of spend",
        unit="share",
        legend="Denominator",
    )
    return Block(
        title=title,
        summary=summary,
        figure=fig,
        table=split_share_table(latest_full_period(overall), k, currency, "Diverse spend", ("spend_base",)),
        alt=f"Line chart of the diverse share of addressable and of all spend by period. {summary}",
    )


def _certification_block(con, k: int, currency: str, period: str) -> Block:
    table = compute(con, "certified_spend_share", period=period)
    rows = table[(table["group"] == "All") & (table["spend_base"] == "addressable")]
    title = certification_title(rows)
    summary = certification_summary(rows, k)
    diverse = rows[rows["counts_as_diverse"].astype(bool)]
    fig = line_figure(
        diverse,
        "certification",
        title=title,
        y_title="Share of addressable spend",
        unit="share",
        legend="Certification",
    )
    return Block(
        title=title,
        summary=summary,
        figure=fig,
        table=split_share_table(latest_full_period(rows), k, currency, "Certified spend", ("certification",)),
        alt=f"Line chart of the addressable spend share per diverse certification. {UNION_NOTE} {summary}",
    )


def _tier2_block(con, k: int, currency: str, period: str) -> Block:
    table = compute(con, "tier2_spend", by=["attribution"], period=period)
    latest = latest_full_period(table)
    total = latest[latest["group"] == "All"]
    if total.empty or total["suppressed"].iat[0]:
        title = f"Tier 2 spend is not shown: fewer than {k} primes report"
    else:
        title = f"Tier 2 spend attributed to us: {format_money(total['value'].iat[0], currency)} in {total['period'].iat[0]}"
    summary = f"{title}. Tier 2 is reported beside the Tier 1 share, never added to it; n = primes."
    fig = tier2_figure(table, title=title, currency=currency)
    return Block(
        title=title,
        summary=summary,
        figure=fig,
        table=display_table(latest, registry()["tier2_spend"], k),
        alt=(
            "Bar chart of Tier 2 spend by period, split into direct and indirect where both parts are "
            f"published and otherwise the total. {summary}"
        ),
    )


def _goals_block(con, config, period: str) -> Block | None:
    goals = goal_progress(con, config, period=period)
    if goals.empty:
        return None
    latest = latest_full_period(goals)
    title, summary = goals_title(latest), goals_summary(latest)
    table = latest[["goal", "period", "target", "actual", "achievement_pct", "grade", "status", "n"]]
    return Block(
        title=title,
        summary=summary,
        figure=goals_figure(latest, title=title),
        table=table,
        alt=f"Bar chart of each goal's actual share against the goal. {summary}",
    )


def _expiring_block(con, k: int, currency: str) -> Block:
    expiring, risk = expiring_certifications(con), spend_at_risk(con).iloc[0]
    amount = (
        format_money(risk["spend_at_risk"], currency)
        if not risk["suppressed"]
        else f"an amount not shown (fewer than {k} companies)"
    )
    title = f"{len(expiring)} certification(s) expire in the {risk['days']} days after {risk['as_of']}"
    summary = (
        f"{title} with no renewal recorded; {risk['suppliers']} supplier(s) would hold no diverse "
        f"certification, putting {amount} of trailing diverse spend at risk."
    )
    return Block(title=title, summary=summary, table=expiring)


def build_section(con, k: int, period: str = "year") -> Section | None:
    """`k` is the people threshold; spend figures use privacy.supplier_k, which defaults to it."""
    if not (has_table(con, "fct_spend") and has_table(con, "fct_certifications")):
        return None
    config = build_context(con)["config"]
    threshold, currency = supplier_k(config), config["reporting_currency"]
    meta = families()["suppliers"]
    blocks = [_share_block(con, threshold, currency, period), _certification_block(con, threshold, currency, period)]
    if has_table(con, "fct_tier2_spend"):
        blocks.append(_tier2_block(con, threshold, currency, period))
    goals = _goals_block(con, config, period)
    blocks += ([goals] if goals else []) + [_expiring_block(con, threshold, currency)]
    return Section(
        family="suppliers", title=meta["title"], intro=meta["description"], order=meta["order"], blocks=blocks
    )


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Diverse certifications about to expire, and spend booked after a certification lapsed."""
    if not (has_table(con, "fct_spend") and has_table(con, "fct_certifications")):
        return []
    from pipelines.metrics.suppliers_risk import expiring_certifications, lapsed_spend

    config = build_context(con)["config"]
    days = config["procurement"]["expiring_days"]
    out = []
    expiring = expiring_certifications(con)
    diverse = expiring[expiring["counts_as_diverse"].astype(bool)] if len(expiring) else expiring
    if len(diverse):
        out.append(
            counted(
                f"Suppliers: {len(diverse)} diverse certification(s) expire in the next {days} days "
                "with no renewal recorded (Suppliers page: expiring certifications).",
                "suppliers",
                size_text=f"{len(diverse)} certification(s)",
            )
        )
    lapsed = lapsed_spend(con)
    if len(lapsed):
        paid = lapsed["supplier_id"].nunique()
        out.append(
            counted(
                f"Suppliers: {paid} supplier(s) were paid after their diverse certification lapsed; "
                "that spend no longer counts as diverse (Data quality page).",
                "suppliers",
                size_text=f"{paid} supplier(s)",
            )
        )
    return out
