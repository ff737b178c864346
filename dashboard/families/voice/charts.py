"""Figure builders and finding titles for the Employee voice page and its PDF section (no
Streamlit calls). Inputs are always published (suppressed) tables or comparisons computed
from them.

Accessibility: the heat-map uses cividis, a sequential scale designed to read the same for
people with colour-vision deficiencies, with every cell labelled in the colour (black or
white) of higher contrast; suppressed cells are grey and say "fewer than k" (never 0).
Point charts use the Okabe-Ito palette with a marker symbol per series.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go

from pipelines.formatting import format_p, interval_cell

from ...charts import FONT, error_bars, format_value, marker, group_label, style, wrap_title
from ...narrative import FINDING_MIN_N, large_enough, suppressed_label

SCALE = "cividis"
HIDDEN_FILL = "#D9D9D9"


def construct_title(construct: str) -> str:
    return str(construct).replace("_", " ").capitalize()


def points(x: float) -> str:
    """A difference of shares in percentage points, signed."""
    return f"{x * 100:+.1f} points"


def _luminance(rgb: str) -> float:
    r, g, b = (c / 255 for c in pc.unlabel_rgb(rgb))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def text_colour(position: float) -> str:
    """Black or white, whichever contrasts more with the scale's colour at `position` (0-1)."""
    lum = _luminance(pc.sample_colorscale(SCALE, [min(max(position, 0.0), 1.0)])[0])
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#FFFFFF"


def _layout(fig: go.Figure, title: str, height: int | None = None, top: int = 80) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        margin={"l": 60, "r": 20, "t": top, "b": 50},
        height=height,
    )
    return fig


def heatmap_figure(cells: pd.DataFrame, *, title: str, k: int) -> go.Figure:
    """Groups (rows) x measures (columns). `cells`: group, measure, value, n, suppressed, label
    (the suppression wording for hidden cells). Row and column order follow first appearance."""
    groups = list(dict.fromkeys(cells["group"]))
    measures = list(dict.fromkeys(cells["measure"]))
    shown = cells[~cells["suppressed"] & cells["value"].notna()]
    lo = math.floor(shown["value"].min() * 10) / 10 if len(shown) else 0.0
    hi = math.ceil(shown["value"].max() * 10) / 10 if len(shown) else 1.0
    hi = hi if hi > lo else lo + 0.1
    z = [[None] * len(measures) for _ in groups]
    grey = [[None] * len(measures) for _ in groups]
    hover = [[""] * len(measures) for _ in groups]
    fig, notes = go.Figure(), []
    for _, c in cells.iterrows():
        i, j = groups.index(c["group"]), measures.index(c["measure"])
        if c["suppressed"] or pd.isna(c["value"]):
            grey[i][j] = 1
            label = c["label"] or f"fewer than {k}"
            # a protecting cell's full wording is too long for a cell: it is in the hover and table
            text = label if label.startswith("fewer") else "hidden to<br>protect others"
            colour = "#000000"
        else:
            z[i][j] = c["value"]
            text = f"{format_value(c['value'], 'share')}<br>n = {int(c['n']):,}"
            colour = text_colour((c["value"] - lo) / (hi - lo))
        hover[i][j] = (
            f"{group_label(c['group'])} · {c['measure']}: {label if grey[i][j] else text.replace('<br>', ', ')}"
        )
        notes.append({"x": j, "y": i, "text": text, "showarrow": False, "font": {"color": colour, "size": 11}})
    fig.add_trace(
        go.Heatmap(
            z=grey,
            x=list(range(len(measures))),
            y=list(range(len(groups))),
            colorscale=[[0, HIDDEN_FILL], [1, HIDDEN_FILL]],
            showscale=False,
            hoverinfo="skip",
            xgap=3,
            ygap=3,
        )
    )
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=list(range(len(measures))),
            y=list(range(len(groups))),
            colorscale=SCALE,
            zmin=lo,
            zmax=hi,
            xgap=3,
            ygap=3,
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorbar={"title": {"text": "Favourable<br>answers"}, "tickformat": ".0%"},
        )
    )
    fig.update_layout(annotations=notes)  # at once: add_annotation one by one is quadratic
    # fixed ranges: plotly would otherwise widen the axes to make room for the cell labels
    fig.update_xaxes(
        tickmode="array",
        tickvals=list(range(len(measures))),
        side="top",
        tickangle=0,
        ticktext=[m.replace(" ", "<br>") if len(m) > 12 else m for m in measures],
        range=[-0.5, len(measures) - 0.5],
        title_text="Construct and inclusion index",
    )
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(groups))),
        ticktext=[group_label(g) for g in groups],
        range=[len(groups) - 0.5, -0.5],
        title_text="Group",
    )
    # column labels on top (read first in a tall map) under the title, which sits at the very top
    fig = _layout(fig, title, height=max(320, 170 + 42 * len(groups)), top=150)
    fig.update_layout(title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}})
    return fig


def interval_figure(
    rows: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    series: str | None = None,
    zero_line: bool = False,
    unit: str = "share",
) -> go.Figure:
    """A dot per row (y = group) with its interval; one Okabe-Ito style per `series` value.
    `rows`: group, value, ci_low, ci_high, n (+ series column). Hidden rows are left out."""
    fig = go.Figure()
    rows = rows[rows["value"].notna()]
    keys = list(dict.fromkeys(rows[series])) if series else [None]
    for i, key in enumerate(keys):
        part = rows if key is None else rows[rows[series] == key]
        st_ = style(i if series else 1)
        fig.add_trace(
            go.Scatter(
                x=part["value"],
                y=part["group"],
                mode="markers",
                name=str(key or ""),
                showlegend=series is not None,
                marker=marker(st_, 10),
                error_x=error_bars(part["value"], part["ci_low"], part["ci_high"], color=st_["color"], thickness=1.5),
                customdata=list(zip(part["n"].astype("string").fillna(""), part["ci_low"], part["ci_high"])),
                hovertemplate=(
                    "%{y}: %{x:.1%}<br>95% CI %{customdata[1]:.1%} to %{customdata[2]:.1%}"
                    "<br>n = %{customdata[0]}<extra></extra>"
                ),
            )
        )
    if zero_line:
        fig.add_vline(x=0, line={"color": "#555555", "dash": "dot", "width": 1})
    fig.update_xaxes(title_text=x_title, gridcolor="#DDDDDD", tickformat="+.0%" if zero_line else ".0%")
    fig.update_yaxes(title_text="Group", autorange="reversed", type="category")
    n_groups = rows["group"].nunique()
    return _layout(fig, title, height=max(300, 110 + 32 * n_groups))


def outcomes_figure(table: pd.DataFrame, metrics: list[tuple[str, str, str]], *, title: str) -> go.Figure:
    """Side-by-side panels sharing the group axis: one per (column prefix, title, unit)."""
    from plotly.subplots import make_subplots

    # panel titles wrapped to their panel's width: unwrapped they ran into each other
    width = max(16, 84 // max(1, len(metrics)))
    titles = [wrap_title(t, width) for _, t, _ in metrics]
    lines = max(t.count("<br>") + 1 for t in titles) if titles else 1
    fig = make_subplots(rows=1, cols=len(metrics), shared_yaxes=True, horizontal_spacing=0.06, subplot_titles=titles)
    for j, (prefix, name, _unit) in enumerate(metrics, start=1):
        part = table[table[f"{prefix}_value"].notna()]
        st_ = style(j)
        fig.add_trace(
            go.Scatter(
                x=part[f"{prefix}_value"],
                y=part["group"],
                mode="markers",
                name=name,
                showlegend=False,
                marker=marker(st_, 10),
                error_x=error_bars(
                    part[f"{prefix}_value"], part[f"{prefix}_ci_low"], part[f"{prefix}_ci_high"], color=st_["color"]
                ),
                customdata=part[f"{prefix}_n"].astype("string").fillna(""),
                hovertemplate=f"%{{y}}: %{{x:.1%}} ({name})<br>n = %{{customdata}}<extra></extra>",
            ),
            row=1,
            col=j,
        )
        fig.update_xaxes(title_text=name, tickformat=".0%", gridcolor="#DDDDDD", row=1, col=j)
    fig.update_yaxes(autorange="reversed", type="category", title_text="Group", row=1, col=1)
    fig.update_annotations(font={"size": 12})
    return _layout(fig, title, height=max(300, 110 + 18 * lines + 32 * table["group"].nunique()), top=80 + 18 * lines)


def gap_finding(gaps: pd.DataFrame, survey: str) -> tuple[str, pd.Series | None]:
    """The title stating the largest significant shortfall of a group against everyone else
    in one wave (full breakdown first), and that gap row (None when there is none). Only a
    group of at least FINDING_MIN_N respondents is named: the shortfall of a handful of people
    is not a headline (docs/findings.md), even when significant."""
    rows = large_enough(gaps[(gaps["period"] == survey) & gaps["significant"].eq(True) & (gaps["gap"] < 0)], "share")
    if rows.empty:
        return (
            f"{survey}: no group of at least {FINDING_MIN_N} respondents is significantly below everyone else "
            "(after Holm adjustment)"
        ), None
    depth = rows["dimensions"].str.count(r"\|")
    top = rows[depth == depth.max()]
    row = top.loc[top["gap"].idxmin()]
    key = construct_title(row.get("construct", row.get("item_id", "")))
    return (
        f"{key}, {survey}: {group_label(row['group'])} {format_value(row['value'], 'share')} favourable, "
        f"{shortfall_points(row['gap'])} points below everyone else (95% CI {shortfall_interval(row)})"
    ), row


def shortfall_points(gap: float) -> str:
    """A (negative) gap in shares as the size of the shortfall in points: -0.123 -> "12.3"."""
    return f"{abs(gap) * 100:.1f}"


def shortfall_interval(row: pd.Series) -> str:
    """The 95% interval of a shortfall in points: the gap is negative, so the shortfall runs from
    the upper bound's size to the lower bound's."""
    return interval_cell(shortfall_points(row["ci_high"]), shortfall_points(row["ci_low"]))


def heatmap_cells(fav: pd.DataFrame, index: pd.DataFrame, dims: tuple[str, ...], k: int) -> pd.DataFrame:
    """Cells of the heat-map for one wave: the overall row and every group of the full
    breakdown, one column per construct plus the inclusion index."""
    level = "|".join(dims)
    parts = []
    for table, measure in ((fav, None), (index, "Inclusion index")):
        rows = table[table["dimensions"].isin(["", level])]
        parts.append(
            pd.DataFrame(
                {
                    "group": rows["group"],
                    "dimensions": rows["dimensions"],
                    "measure": rows["construct"].map(construct_title) if measure is None else measure,
                    "value": rows["value"],
                    "n": rows["n"],
                    "suppressed": rows["suppressed"],
                    "label": [
                        suppressed_label(note, k) if hidden else ""
                        for note, hidden in zip(rows["note"], rows["suppressed"])
                    ],
                }
            )
        )
    cells = pd.concat(parts, ignore_index=True)
    order = {"": 0, level: 1}
    return cells.sort_values(
        ["dimensions", "group"], key=lambda s: s.map(order) if s.name == "dimensions" else s, kind="stable"
    ).reset_index(drop=True)


def published_first(cells: pd.DataFrame) -> pd.DataFrame:
    """The overall row, then groups with at least one published cell, then the groups whose
    every cell is hidden (drawn grey with "fewer than k", so the reader sees they exist)."""
    hidden = cells.groupby("group")["suppressed"].transform("all")
    rank = (cells["group"] != "All").astype(int) + hidden.astype(int)
    return cells.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


def heatmap_summary(cells: pd.DataFrame, finding: pd.Series | None, survey: str, k: int) -> str:
    """What the heat-map shows, in sentences (for screen readers and the PDF)."""
    overall = cells[(cells["group"] == "All") & ~cells["suppressed"]]
    parts = []
    if len(overall):
        values = ", ".join(f"{r['measure'].lower()} {format_value(r['value'], 'share')}" for _, r in overall.iterrows())
        parts.append(f"Survey {survey}, everyone (n = {int(overall['n'].max()):,}): {values}.")
    if finding is not None:
        parts.append(
            f"Largest significant shortfall: {group_label(finding['group'])} on "
            f"{construct_title(finding['construct']).lower()}, "
            f"{format_value(finding['value'], 'share')} favourable (n = {int(finding['n']):,}) against "
            f"{format_value(finding['rest_value'], 'share')} for everyone else, a gap of "
            f"{shortfall_points(finding['gap'])} points (95% CI {shortfall_interval(finding)}, "
            f"Holm-adjusted {format_p(finding['p_holm'])})."
        )
    else:
        parts.append(
            f"No group of at least {FINDING_MIN_N} respondents is significantly below everyone else after "
            "Holm adjustment; smaller groups are too small to judge."
        )
    groups = cells[cells["group"] != "All"].groupby("group")["suppressed"].all()
    if groups.any():
        parts.append(
            f"{int(groups.sum())} of {len(groups)} groups are not shown: their protected "
            f"count of respondents is below {k}."
        )
    return " ".join(parts)
