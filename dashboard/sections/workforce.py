"""Workforce section of the report: representation and turnover trends, retention curves,
the leaky pipeline, promotion impact ratios and targets - each from the same published
(protected) tables and figure builders as the dashboard, for the latest full period where
it is one. The report never asks for exact figures."""

from __future__ import annotations
import pandas as pd

from pipelines.db import has_table, is_built
from pipelines.metrics import (
    NoDataError,
    build_context,
    compute,
    data_periods,
    families,
    full_period_rows,
    full_periods,
    latest_full_period_rows,
    registry,
)
from pipelines.metrics.workforce_common import ordered_levels, setting
from pipelines.metrics.workforce_curves import group_summary, retention_curves
from pipelines.metrics.workforce_targets import target_progress

from ..charts import trend_figure
from ..charts_workforce import km_figure, pipeline_figure, ratio_figure
from ..finding import Finding, by_interval
from ..narrative import FINDING_MIN_N, display_table, finding_title, summary_text
from ..narrative_workforce import (
    pipeline_summary,
    pipeline_title,
    ratio_summary,
    ratio_title,
    retention_summary,
    retention_title,
    target_sentence,
)
from . import Block, Section
from pipelines.formatting import group_label


def _block(con, name: str, by: tuple[str, ...], k: int, period: str) -> Block:
    spec = registry()[name]
    table = full_period_rows(compute(con, name, by=list(by), period=period))  # a report compares full periods
    rows = table[table["dimensions"] == "|".join(by)]
    overall = table[table["group"] == "All"]
    title = finding_title(spec, full_period_rows(rows))
    summary = summary_text(spec, full_period_rows(rows), full_period_rows(overall), k)
    fig = trend_figure(rows, title=title, y_title=f"{spec.title} ({spec.unit})", unit=spec.unit)
    return Block(
        title=title,
        summary=summary,
        table=display_table(rows, spec, k),
        figure=fig,
        alt=f"Line chart of {spec.title.lower()} by {' and '.join(by) or 'period'}. {summary}",
    )


def _retention_block(con, k: int) -> Block:
    res = retention_curves(con, by=["gender"], k=k)
    summary_rows = group_summary(con, res)
    title = retention_title(summary_rows)
    summary = retention_summary(summary_rows, res.logrank, k)
    table = summary_rows.rename(columns={"12m": "12 months", "24m": "24 months", "median_months": "median (months)"})
    return Block(
        title=title,
        summary=summary,
        table=table,
        figure=km_figure(res.curves, title=title),
        alt=f"Kaplan-Meier curves of the share still employed by months since hire, by gender. {summary}",
    )


def _pipeline_block(con, k: int, period: str) -> Block:
    spec = registry()["representation_by_level"]
    rows = latest_full_period_rows(compute(con, spec.name, by=["gender"], period=period))
    levels = ordered_levels(rows["job_level"].unique(), build_context(con)["config"])
    by_gender = rows[rows["dimensions"] == "gender"]
    title = pipeline_title(by_gender, levels)
    summary = pipeline_summary(by_gender, levels, k)
    table = display_table(rows, spec, k).assign(Level=rows["job_level"].values)
    return Block(
        title=title,
        summary=summary,
        table=table,
        figure=pipeline_figure(by_gender, levels, title=title),
        alt=f"Line chart of each gender's share of every job level. {summary}",
    )


def _promotion_block(con, k: int, period: str) -> Block:
    spec = registry()["promotion_impact_ratio"]
    rows = latest_full_period_rows(compute(con, spec.name, by=["gender"], period=period))
    by_gender = rows[rows["dimensions"] == "gender"]
    threshold = float(setting(build_context(con)["config"], "impact_ratio_threshold"))
    title = ratio_title(by_gender, threshold)
    summary = ratio_summary(by_gender, k)
    return Block(
        title=title,
        summary=summary,
        table=display_table(rows, spec, k),
        figure=ratio_figure(by_gender, title=title, threshold=threshold),
        alt=f"Dot plot of promotion impact ratios with 95% intervals by gender. {summary}",
    )


def _targets_block(con, k: int) -> Block | None:
    progress = target_progress(con, k=k)
    if progress.empty:
        return None
    sentences = " ".join(target_sentence(r) for _, r in progress.iterrows())
    cols = [
        c
        for c in (
            "target",
            "due",
            "target_value",
            "latest_period",
            "latest",
            "n",
            "projected",
            "projected_low",
            "projected_high",
            "status",
        )
        if c in progress
    ]
    return Block(title="Targets: progress and straight-line projection", summary=sentences, table=progress[cols])


def _or_refused(make, name: str) -> Block:
    """A metric the data cannot support (a snapshot source without person ids has no turnover:
    pipelines/metrics/_snapshots.py) is a block saying why, not a report that fails."""
    try:
        return make()
    except NoDataError as exc:
        return Block(
            title=f"{registry()[name].title}: not available from this data", summary=str(exc), table=pd.DataFrame()
        )


def build_section(con, k: int, period: str = "year") -> Section | None:
    if not is_built(con, "fct_employment_spells"):
        return None
    meta = families()["workforce"]
    blocks = [
        _or_refused(make, name)
        for make, name in (
            (lambda: _block(con, "representation", ("gender",), k, period), "representation"),
            (lambda: _block(con, "turnover_rate", ("gender",), k, period), "turnover_rate"),
            (lambda: _retention_block(con, k), "retention_12m"),
            (lambda: _pipeline_block(con, k, period), "representation_by_level"),
            (lambda: _promotion_block(con, k, period), "promotion_impact_ratio"),
        )
    ]
    targets = _targets_block(con, k)
    return Section(
        family="workforce",
        title=meta["title"],
        intro=meta["description"],
        order=meta["order"],
        blocks=blocks + ([targets] if targets is not None else []),
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
            f"{group_label(r['reference_group'])} (95% CI up to {r['ci_high']:.2f}, below four-fifths; "
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
