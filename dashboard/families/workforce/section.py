"""Workforce section of the report: the blocks of the Workforce and Retention pages under their
default view (dashboard/families/workforce/blocks.py, which the pages draw too), and the
family's flagged findings. The report never asks for exact figures."""

from __future__ import annotations
import pandas as pd

from pipelines.db import events_of, has_table, is_built
from pipelines.metrics import NoDataError, build_context, compute, data_periods, families, full_periods, registry
from pipelines.families.workforce.common import setting

from ...block import Block, Section
from ...finding import Finding, by_interval
from ...narrative import FINDING_MIN_N
from . import blocks as wf
from pipelines.formatting import format_value, group_label

# The detail document's blocks, in the pages' order: the Workforce page under its default view
# (its trend for each metric the PDF reports), then the Retention page's. Left out: the policy
# event analysis (the page's widgets pick the event, metric, group and months).
PDF_TRENDS = ("representation", "turnover_rate")
RETENTION_TREND = "retention_12m"  # the Retention page's default pick


def _or_refused(make, name: str) -> list[Block]:
    """A metric the data cannot support (a snapshot source without person ids has no turnover:
    pipelines/metrics/_snapshots.py) is a block saying why, not a report that fails."""
    try:
        made = make()
    except NoDataError as exc:
        return [
            Block(
                title=f"{registry()[name].title}: not available from this data", summary=str(exc), table=pd.DataFrame()
            )
        ]
    return made if isinstance(made, list) else [made]


def section_blocks(con, k: int, period: str = "year") -> list[Block]:
    """The blocks of the workforce pages under their default view, as the PDF lists them."""
    src = wf.Source(con, k, period=period, events=events_of(con, "workforce"))
    makers = [(lambda n=n: wf.trend_block(src, n), n) for n in PDF_TRENDS]
    makers += [
        (lambda: wf.heatmap_block(src, PDF_TRENDS[0]), PDF_TRENDS[0]),
        (lambda: wf.flow_block(src), "hire_share"),
        (lambda: wf.pipeline_block(src), "representation_by_level"),
        (lambda: wf.promotion_block(src), "promotion_impact_ratio"),
        (lambda: wf.target_blocks(src), "representation"),
        (lambda: wf.retention_blocks(src), "retention_12m"),
        (lambda: wf.trend_block(src, RETENTION_TREND, wf.retention_by(src, RETENTION_TREND)), RETENTION_TREND),
    ]
    if has_table(con, "fct_leave_spells"):
        makers += [(lambda n=n: wf.trend_block(src, n, wf.leave_by(src, n)), n) for n in wf.LEAVE_METRICS]
    return [block for make, name in makers for block in _or_refused(make, name)]


def build_section(con, k: int, period: str = "year") -> Section | None:
    if not is_built(con, "fct_employment_spells"):
        return None
    meta = families()["workforce"]
    return Section(
        family="workforce",
        title=meta["title"],
        intro=meta["description"],
        order=meta["order"],
        blocks=section_blocks(con, k, period),
    )


FINDING_YEARS = 3  # turnover findings pool the last full years: one year of a small group is noise


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Groups (gender, race/ethnicity and their intersection) whose turnover over the last
    full years is above everyone's with the whole 95% interval, and promotion impact ratios
    clearly below four-fifths (the whole interval under the threshold)."""
    if not has_table(con, "fct_employment_spells"):
        return []
    ctx = build_context(con)
    periods = full_periods(data_periods(con, "year", ctx))
    if not periods:
        return []
    window = periods[-FINDING_YEARS:]
    years = len(window)
    span = window[0].label if years == 1 else f"{window[0].label}-{window[-1].label}"
    try:
        table = compute(
            con,
            "turnover_rate",
            by=["gender", "race_ethnicity"],
            period="custom",
            date_from=window[0].start,
            date_to=window[-1].end,
            k=k,
        )  # whole years: published
        ratios = compute(
            con,
            "promotion_impact_ratio",
            by=["gender"],
            period="custom",
            date_from=window[0].start,
            date_to=window[-1].end,
            k=k,
        )
    except NoDataError:  # snapshots without person ids: no flows to find anything in
        return []
    overall = table[table["group"] == "All"]
    out = []
    if not overall.empty and not overall["suppressed"].iat[0]:
        everyone = overall["value"].iat[0]
        large = table["n"] >= FINDING_MIN_N  # a group large enough to act on (docs/findings.md)
        high = table[(table["dimensions"] != "") & ~table["suppressed"] & large & (table["ci_low"] > everyone)]
        for _, r in high.sort_values("value", ascending=False).iterrows():
            text = (
                f"Turnover {span}: {group_label(r['group'])} left at {r['value'] / years:.0%} a year against "
                f"{everyone / years:.0%} for everyone (the group's 95% interval is above everyone's rate; "
                f"n = {int(r['n']):,})."
            )
            out.append(
                by_interval(
                    text,
                    "workforce",
                    size=(r["value"] / everyone - 1) * 100,
                    size_text=f"{r['value'] / everyone:.1f} times everyone's turnover",
                    value=r["value"],
                    low=r["ci_low"],
                    high=r["ci_high"],
                    boundary=everyone,
                )
            )
    threshold = setting(ctx["config"], "impact_ratio_threshold")
    low = ratios[
        (ratios["dimensions"] == "gender")
        & ~ratios["suppressed"]
        & (ratios["n"] >= FINDING_MIN_N)
        & (ratios["ci_high"] < threshold)
    ]
    for _, r in low.iterrows():
        text = (
            f"Promotions {span}: {group_label(r['group'])} promoted at {r['value']:.2f} times the rate of "
            f"{group_label(r['reference_group'])} (95% CI up to {format_value(r['ci_high'], 'ratio')}, below four-fifths; "
            f"n = {int(r['n']):,})."
        )
        out.append(
            by_interval(
                text,
                "workforce",
                size=(1 - r["value"]) * 100,
                size_text=f"{1 - r['value']:.0%} lower promotion rate",
                value=r["value"],
                low=r["ci_low"],
                high=r["ci_high"],
                boundary=threshold,
            )
        )
    return out
