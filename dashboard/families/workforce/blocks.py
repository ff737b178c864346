"""The workforce family's blocks, defined once: the Workforce and Retention pages draw them
(components.show_block) and the PDF section lists them, so a figure's title, summary and
table cannot differ between the two (issue 19 item 2; tests/test_page_pdf_parity_workforce.py).

Every block is built for a `Source`: the page's sidebar view with its cached look-ups, or the
PDF's defaults (yearly, the whole history, no breakdown, no filters). Each block derives its
own breakdown from the view's (`*_by` below), so the page's notes on what of the sidebar a
chart does not apply name the breakdown the block really used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipelines.formatting import group_label
from pipelines.metrics import build_context, compute, full_period_rows, latest_full_period_rows, registry
from pipelines.families.workforce.common import ordered_levels, setting
from pipelines.families.workforce.curves import group_summary, retention_curves
from pipelines.families.workforce.targets import parse_targets, target_progress, target_series

from ...charts import trend_figure
from ...narrative import display_table, finding_title, periods_with_values, summary_text
from .charts import flow_figure, heatmap_figure, pipeline_figure, ratio_figure, target_figure
from .charts_retention import km_figure
from .narrative import (
    flow_summary,
    lowest_retention_group,
    pipeline_summary,
    pipeline_title,
    ratio_summary,
    ratio_title,
    retention_summary,
    retention_title,
    target_sentence,
)
from ...block import Block
from .curve_table import curve_table, group_table

HEAT_BY = ("gender", "race_ethnicity")  # the heat map crosses two dimensions when the sidebar gives fewer
# the parental-leave trends, in this order on the Retention page and in the PDF
LEAVE_METRICS = ("parental_leave_uptake", "return_after_leave_12m")
FLOW_METRICS = {"headcount": "representation", "hires": "hire_share", "exits": "exit_share"}


@dataclass
class Source:
    """Where a view's published tables come from. The page passes its sidebar and its cached
    look-ups (`fetch(name, by)`, `fetch_curves(by)`); the PDF only the connection and k."""

    con: object
    k: int
    period: str = "year"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    by: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    events: pd.DataFrame | None = None  # policy events drawn on the trends (the workforce family's)
    fetch: Callable[[str, tuple[str, ...]], pd.DataFrame] | None = None
    fetch_curves: Callable[[tuple[str, ...]], tuple] | None = None

    def table(self, name: str, by: tuple[str, ...]) -> pd.DataFrame:
        """compute()'s published table of `name` by `by` for the view (filters the metric has)."""
        if self.fetch is not None:
            return self.fetch(name, by)
        spec = registry()[name]
        filters = {d: list(v) for d, v in self.filters if d in spec.dimensions}
        return compute(
            self.con,
            name,
            by=list(by),
            period=self.period,
            date_from=self.date_from,
            date_to=self.date_to,
            filters=filters,
        )

    def curves(self, by: tuple[str, ...]):
        """The protected Kaplan-Meier curves by `by` over the view's range, with their groups."""
        if self.fetch_curves is not None:
            return self.fetch_curves(by)
        filters = {d: list(v) for d, v in self.filters}
        res = retention_curves(
            self.con, by=list(by), date_from=self.date_from, date_to=self.date_to, k=self.k, filters=filters
        )
        return res, group_summary(self.con, res, filters)

    def config(self) -> dict:
        return build_context(self.con)["config"]


# --- the breakdown each block uses ------------------------------------------------------------
def trend_by(src: Source, name: str) -> tuple[str, ...]:
    """The sidebar's breakdown, or gender when it gives none (as the PDF always showed)."""
    return tuple(d for d in src.by if d in registry()[name].dimensions) or ("gender",)


def heat_by(src: Source, name: str) -> tuple[str, ...]:
    by = trend_by(src, name)
    return by if len(by) >= 2 else tuple(d for d in HEAT_BY if d in registry()[name].dimensions)


def first_dimension_by(src: Source, drop: str = "") -> tuple[str, ...]:
    """Flows and levels compare one dimension at a time (levels are the x axis: never job_level)."""
    return tuple(d for d in src.by if d != drop)[:1] or ("gender",)


def retention_by(src: Source, name: str) -> tuple[str, ...]:
    """Retention trends follow the sidebar as given (everyone when it gives no breakdown)."""
    return tuple(d for d in src.by if d in registry()[name].dimensions)


def leave_by(src: Source, name: str) -> tuple[str, ...]:
    """Leave is taken by few people: one dimension at a time, gender when none is chosen."""
    return retention_by(src, name)[:1] or ("gender",)


def curves_by(src: Source) -> tuple[str, ...]:
    return tuple(src.by) or ("gender",)


# --- the blocks -------------------------------------------------------------------------------
def shown_periods(rows: pd.DataFrame) -> pd.DataFrame:
    """A trend compares full periods (a half year beside full ones misleads); when every
    period is partial (a From/To shorter than one period), the partial ones, so nothing vanishes."""
    full = full_period_rows(rows)
    return full if len(full) else rows


def trend_block(src: Source, name: str, by: tuple[str, ...] | None = None) -> Block:
    """A metric's trend by `by` (trend_by by default): lines, the finding title of the latest
    full period with a published overall value, and every group in the table."""
    spec = registry()[name]
    by = trend_by(src, name) if by is None else by
    table = shown_periods(src.table(name, by))
    rows = table[table["dimensions"] == "|".join(by)]
    overall = table[table["group"] == "All"]
    said = periods_with_values(rows, overall)  # a cohort still being followed up has no value yet
    title = finding_title(spec, said)
    summary = summary_text(spec, said, periods_with_values(overall, overall), k=src.k)
    fig = trend_figure(rows, title=title, y_title=f"{spec.title} ({spec.unit})", unit=spec.unit, events=src.events)
    return Block(
        title=title,
        summary=summary,
        table=display_table(table, spec, src.k),
        figure=fig,
        alt=f"Line chart of {spec.title.lower()} by {' and '.join(by) or 'period'}. {summary}",
    )


def heatmap_block(src: Source, name: str) -> Block:
    spec = registry()[name]
    by = heat_by(src, name)
    table = src.table(name, by)
    rows = table[table["dimensions"] == "|".join(by)]
    latest = latest_full_period_rows(rows)
    title = finding_title(spec, latest)
    summary = summary_text(spec, latest, table[table["group"] == "All"], src.k)
    return Block(
        title=title,
        summary=summary,
        table=display_table(table, spec, src.k),
        figure=heatmap_figure(rows, title=title, unit=spec.unit, k=src.k),
        alt=f"Heat map of {spec.title.lower()} for every {' and '.join(by)} group and period. {summary}",
    )


def flow_block(src: Source) -> Block:
    """Each group's share of headcount, hires and exits in the latest full period."""
    by = first_dimension_by(src)
    specs = registry()
    flows = {label: latest_full_period_rows(src.table(m, by)) for label, m in FLOW_METRICS.items()}
    flows = {label: t[t["dimensions"] == by[0]] for label, t in flows.items()}
    period = flows["headcount"]["period"].iat[0] if len(flows["headcount"]) else ""
    table = pd.concat(
        [display_table(flows[label], specs[m], src.k) for label, m in FLOW_METRICS.items()], ignore_index=True
    )
    table.insert(1, "Share of", sum(([label] * len(t) for label, t in flows.items()), []))
    title = f"Share of headcount, hires and exits by {by[0]}, {period}"
    summary = flow_summary(flows)
    return Block(
        title=title,
        summary=summary,
        table=table,
        figure=flow_figure(flows, title=title),
        alt=f"Bar chart of each {by[0]} group's share of headcount, hires and exits. {summary}",
    )


def pipeline_block(src: Source) -> Block:
    """Each group's share of every level with the pipeline index (share over the share one level down)."""
    specs = registry()
    by = first_dimension_by(src, drop="job_level")
    rep = latest_full_period_rows(src.table("representation_by_level", by))
    index = latest_full_period_rows(src.table("pipeline_index", by))
    levels = ordered_levels(rep["job_level"].dropna().unique(), src.config())
    rows = rep[rep["dimensions"] == by[0]]
    table = pd.concat(
        [
            display_table(rep, specs["representation_by_level"], src.k).assign(Level=rep["job_level"].values),
            display_table(index, specs["pipeline_index"], src.k).assign(Level=index["job_level"].values),
        ],
        ignore_index=True,
    )
    title = pipeline_title(rows, levels)
    summary = pipeline_summary(rows, levels, src.k)
    return Block(
        title=title,
        summary=summary,
        table=table,
        figure=pipeline_figure(rows, levels, title=title),
        alt=f"Line chart of each {by[0]} group's share of every job level. {summary}",
    )


def promotion_block(src: Source) -> Block:
    """Promotion impact ratios against the reference group, latest full period."""
    spec = registry()["promotion_impact_ratio"]
    by = tuple(src.by) or ("gender",)
    ratios = latest_full_period_rows(src.table(spec.name, by))
    rows = ratios[ratios["dimensions"] == "|".join(by)]
    threshold = float(setting(src.config(), "impact_ratio_threshold"))
    # a table with no promotions to compare has no reference or test columns: blank, not an error
    reference = ratios.get("reference_group", pd.Series("", index=ratios.index)).fillna("")
    fisher = ratios.get("p_value_fisher", pd.Series(float("nan"), index=ratios.index))
    table = display_table(ratios, spec, src.k).assign(
        Reference=reference.values,
        **{"Fisher p": fisher.map(lambda v: "" if pd.isna(v) else f"{v:.3g}").values},
    )
    title = ratio_title(rows, threshold)
    summary = ratio_summary(rows, src.k)
    return Block(
        title=title,
        summary=summary,
        table=table,
        figure=ratio_figure(rows, title=title, threshold=threshold),
        alt=f"Dot plot of promotion impact ratios with 95% intervals by {' and '.join(by)}. {summary}",
    )


def target_blocks(src: Source) -> list[Block]:
    """One block per configured target: its yearly values, the straight-line projection to the
    due date and the status (targets are for the whole organisation: the view's filters do not apply)."""
    progress = target_progress(src.con, k=src.k)
    if progress.empty:
        return []
    specs = registry()
    out = []
    for row, series in zip(
        progress.to_dict("records"), (target_series(src.con, t, src.k) for t in parse_targets(src.config()))
    ):
        spec, shown = specs[row["metric"]], full_period_rows(series)
        title = f"{row['target']}: {row['status']}"
        summary = target_sentence(pd.Series(row))
        out.append(
            Block(
                title=title,
                summary=summary,
                table=display_table(shown, spec, src.k),
                figure=target_figure(shown, pd.Series(row), title=title, unit=spec.unit, events=src.events),
                alt=f"Line chart of {spec.title.lower()} for {group_label(row['group'])} against its target. {summary}",
            )
        )
    return out


def retention_blocks(src: Source) -> list[Block]:
    """Kaplan-Meier curves by group (protected) and the groups' 12- and 24-month retention and
    median tenure over the same window."""
    by = curves_by(src)
    res, summary_rows = src.curves(by)
    title = retention_title(summary_rows)
    summary = retention_summary(summary_rows, res.logrank, src.k)
    low = lowest_retention_group(summary_rows)
    curves = Block(
        title=title,
        summary=summary,
        table=curve_table(res.curves, src.k),
        figure=km_figure(res.curves, title=title, first=[low] if low else None),
        alt=f"Kaplan-Meier curves of the share still employed by months since hire, by {' and '.join(by)}. {summary}",
    )
    groups = Block(
        title=f"Retention by group, {res.window.start} to {res.window.end}",
        summary="Each group's share still employed 12 and 24 months after hire and its median tenure, "
        "with 95% intervals, over the curves' window.",
        table=group_table(summary_rows, src.k),
    )
    return [curves, groups]
