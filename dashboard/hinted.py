"""Blocks for metrics that carry a `display:` hint in the registry: a metric is shown on a
page (and in its PDF section) from its registry entry alone, with no page code of its own
(docs/adding_a_metric.md). Streamlit-free, shared by the dashboard and the PDF.

Input is always compute()'s published (protected) long table, as for every other block:
nothing here reads data, so a hinted metric cannot bypass protection.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import plotly.graph_objects as go

from pipelines.db import events_of, has_table
from pipelines.metrics import MetricSpec, compute, latest_full_data_period, registry

from .charts import (
    FONT,
    OUTLINE,
    axis_format,
    error_bars,
    format_value,
    group_label,
    group_style,
    top_groups,
    trend_figure,
)
from .narrative import display_table, finding_title, groups_not_shown, large_enough, latest_full_period, summary_text
from .sections import Block

CHART_WORDS = {"trend": "Line chart", "bar": "Bar chart"}  # one builder per registry DISPLAY_CHARTS kind
REPORT_BY = ("gender",)  # the report sections' breakdown (as their own blocks)


def hinted_specs(page: str) -> list[MetricSpec]:
    """The metrics whose display hint names `page`, in registry order."""
    return [s for s in registry().values() if s.display is not None and s.display.page == page]


def hinted_by(spec: MetricSpec, by: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The page's breakdown as far as the metric takes it (never one of its key columns; its
    first dimension when none of the page's applies)."""
    usable = tuple(d for d in by if d in spec.dimensions and d not in spec.keys)
    return usable or tuple(spec.dimensions[:1])


def hinted_block(
    spec: MetricSpec, table: pd.DataFrame, by: tuple[str, ...], k: int, events: pd.DataFrame | None = None
) -> Block:
    """The hinted metric's block from its published long table (by = the breakdown asked for)."""
    hint = spec.display
    shown = dataclasses.replace(spec, unit=hint.format)  # titles and tables in the hint's format
    rows = table[table["dimensions"] == "|".join(by)]
    if hint.chart == "trend":
        overall = table[table["group"] == "All"]
        title, summary = finding_title(shown, rows), summary_text(shown, rows, overall, k)
        figure = trend_figure(rows, title=title, y_title=hint.axis, unit=hint.format, events=events)
        shown_table = display_table(table[table["dimensions"].isin(["", "|".join(by)])], shown, k)
    else:
        table = latest_full_period(table)  # a bar chart shows one period: the latest full one
        rows = latest_full_period(rows)
        title, summary = bar_sentences(shown, table, rows, k)
        figure = bar_figure(rows, shown, title)
        kept = table[table["dimensions"].isin(["", "|".join(by)])].sort_values([*spec.keys], kind="stable")
        shown_table = display_table(kept, shown, k)
        for i, key in enumerate(spec.keys):
            shown_table.insert(3 + i, key.replace("_", " ").capitalize(), kept[key].to_numpy())
    alt = f"{CHART_WORDS[hint.chart]}: {spec.title.lower()} by {' × '.join(by)}. {summary}"
    return Block(title=title, summary=summary, table=shown_table, figure=figure, alt=alt)


def section_blocks(
    con, page: str, k: int, period: str = "year", snapshot: tuple | None = None, by: tuple[str, ...] = REPORT_BY
) -> list[Block]:
    """The PDF section's blocks for the metrics hinted to `page` (the section of the same
    family): a trend over every period of the grain, a bar chart over `snapshot` (period,
    from, to) — the page's default window, which a section passes so that the page and the
    PDF draw the same bars — or else the latest full period; by `by` (the page's default
    breakdown), from the published table. A metric whose marts are not built is left out
    (its section says nothing of it, as the page does)."""
    if snapshot is None:
        chosen = latest_full_data_period(con, period)
        snapshot = (period, chosen.start, chosen.end)
    blocks = []
    for spec in hinted_specs(page):
        if not all(has_table(con, table) for table in spec.requires):
            continue
        by_ = hinted_by(spec, by)
        trend = spec.display.chart == "trend"
        bar_period, lo, hi = snapshot
        window = {"period": period} if trend else {"period": bar_period, "date_from": lo, "date_to": hi}
        table = compute(con, spec.name, by=list(by_), k=k, **window)
        blocks.append(hinted_block(spec, table, by_, k, events_of(con, spec.family) if trend else None))
    return blocks


def _key_label(row) -> str:
    return " / ".join(str(v) for v in row) if isinstance(row, tuple) else str(row)


def bar_sentences(spec: MetricSpec, table: pd.DataFrame, rows: pd.DataFrame, k: int) -> tuple[str, str]:
    """(title, summary) of one period's bars: per key value the overall figure and the highest
    and lowest group shown; the title names the key value where groups differ most."""
    if rows.empty:
        return f"{spec.title}: no data for the selected period", "No rows for the selected period."
    if not spec.keys:
        return finding_title(spec, rows), summary_text(spec, rows, table[table["group"] == "All"], k)
    period = rows["period"].iat[0]
    keys = list(spec.keys)
    overall = {_key_label(tuple(r[keys])): r for _, r in table[table["group"] == "All"].iterrows()}
    parts, widest = [], None
    for key, part in rows.groupby(keys, sort=True):
        label = _key_label(key)
        # highest and lowest only among groups large enough to judge (FINDING_MIN_N)
        visible = large_enough(
            part[~part["suppressed"].astype(bool) & part["value"].notna() & (part["group"] != "All")], spec.unit
        )
        text = f"{label}:"
        whole = overall.get(label)
        if whole is not None and not bool(whole["suppressed"]):
            text += f" overall {format_value(whole['value'], spec.unit)} (n = {int(whole['n']):,})"
        if len(visible) > 1:
            hi, lo = visible.loc[visible["value"].idxmax()], visible.loc[visible["value"].idxmin()]
            text += (
                f"; highest {group_label(hi['group'])} {format_value(hi['value'], spec.unit)} (n = {int(hi['n']):,}), "
                f"lowest {group_label(lo['group'])} {format_value(lo['value'], spec.unit)} (n = {int(lo['n']):,})"
            )
            spread = hi["value"] - lo["value"]
            if widest is None or spread > widest[0]:
                widest = (spread, label, hi, lo)
        parts.append(text + ".")
    hidden = rows.loc[rows["suppressed"].astype(bool) & (rows["group"] != "All"), "group"].nunique()
    parts += groups_not_shown(hidden, k)
    if widest is None:
        title = f"{spec.title}, {period}: no two groups can be compared"
    else:
        _, label, hi, lo = widest
        title = (
            f"{spec.title}, {period}, {label}: {group_label(hi['group'])} highest ({format_value(hi['value'], spec.unit)}), "
            f"{group_label(lo['group'])} lowest ({format_value(lo['value'], spec.unit)})"
        )
    return title, " ".join(parts)


def bar_figure(rows: pd.DataFrame, spec: MetricSpec, title: str) -> go.Figure:
    """One period's values as bars: with key columns one bar group per key value and one bar
    per group, else one bar per group. A hidden group has no bar (never a zero)."""
    fig = go.Figure()
    x_of = (
        (lambda part: [_key_label(tuple(r)) for r in part[list(spec.keys)].itertuples(index=False)])
        if spec.keys
        else (lambda part: [group_label(g) for g in part["group"]])
    )
    visible = rows[~rows["suppressed"].astype(bool)]
    for group in top_groups(visible) if spec.keys else [None]:  # a group hidden everywhere has no legend entry
        part = rows if group is None else rows[rows["group"] == group]
        values = part["value"].where(~part["suppressed"].astype(bool))
        style = group_style(group if group is not None else "All")
        fig.add_trace(
            go.Bar(
                x=x_of(part),
                y=values,
                name=group_label(group) if group is not None else spec.title,
                marker={"color": style["color"], "line": OUTLINE},
                error_y=error_bars(values, part["ci_low"], part["ci_high"], color="#000000"),
                customdata=part["n"].where(~part["suppressed"].astype(bool)).astype("string").fillna("hidden"),
                hovertemplate="<b>%{x}</b><br>%{y}<br>n = %{customdata}<extra></extra>",
            )
        )
    x_title = " / ".join(key.replace("_", " ").capitalize() for key in spec.keys) or "Group"
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14},
        barmode="group",
        xaxis_title=x_title,
        yaxis_title=spec.display.axis,
        legend={"title": {"text": "Group"}},
        showlegend=bool(spec.keys),
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
    )
    fig.update_yaxes(gridcolor="#DDDDDD", rangemode="tozero", **axis_format(spec.unit))
    return fig
