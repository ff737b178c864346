"""Supplier-diversity section of the report: the blocks the Suppliers page draws
(dashboard/families/suppliers/blocks.py), under the PDF's defaults - the sidebar's grain,
addressable spend, the breakdown by category and the goals configured in equity.yml."""

from __future__ import annotations

from pipelines.db import events_of, has_table
from pipelines.metrics import build_context, compute, families
from pipelines.families.suppliers.goals import goal_progress
from pipelines.families.suppliers.risk import expiring_certifications, lapsed_spend, spend_at_risk, supplier_k

from .blocks import (
    SupplierView,
    breakdown_block,
    certification_block,
    counts_block,
    expiring_block,
    goal_blocks,
    share_block,
    tier2_block,
)
from ...finding import Finding, counted
from ...block import Section


def build_section(con, k: int, period: str = "year") -> Section | None:
    """`k` is the people threshold; spend figures use privacy.supplier_k, which defaults to it."""
    if not (has_table(con, "fct_spend") and has_table(con, "fct_certifications")):
        return None
    config = build_context(con)["config"]
    view = SupplierView(
        metric=lambda name, by=(): compute(con, name, by=list(by), period=period),
        k=supplier_k(config),
        currency=config["reporting_currency"],
        events=events_of(con, "suppliers"),
    )
    proc = config["procurement"]
    blocks = [share_block(view)]
    if has_table(con, "fct_tier2_spend"):
        blocks.append(tier2_block(view))
    blocks.append(certification_block(view))
    blocks += goal_blocks(goal_progress(con, config, period=period), proc["grade_scale"], view.events)
    risk = spend_at_risk(con).iloc[0]
    blocks += [expiring_block(expiring_certifications(con), risk, view, proc["at_risk_months"])]
    blocks += [breakdown_block(view), counts_block(view)]
    meta = families()["suppliers"]
    return Section(
        family="suppliers", title=meta["title"], intro=meta["description"], order=meta["order"], blocks=blocks
    )


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Diverse certifications about to expire, and spend booked after a certification lapsed."""
    if not (has_table(con, "fct_spend") and has_table(con, "fct_certifications")):
        return []
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
