"""Workforce figures (heat map, leaky pipeline, impact ratios, flows, targets): data in (published, suppressed tables), plotly figure
out, no Streamlit calls, so the PDF reuses them. Same accessibility rules as charts.py:
Okabe-Ito colours with a marker and dash per series, axis titles with units, titles that
state the finding (built by the callers from the same rows)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ...charts import (
    FONT,
    HIDDEN,
    OUTLINE,
    add_events,
    axis_format,
    error_bars,
    format_value,
    group_label,
    group_style,
    lines_and_markers,
    period_axis,
    style,
    top_groups,
)
from ...narrative import suppressed_label

LAYOUT = {
    "font": {"family": FONT, "size": 14},
    "plot_bgcolor": "#FFFFFF",
    "paper_bgcolor": "#FFFFFF",
    "margin": {"l": 60, "r": 20, "t": 70, "b": 50},
    "hovermode": "closest",
}
# cividis: a sequential scale readable with colour-vision deficiencies; dark text on light cells
HEAT_SCALE = "Cividis"


def titled_layout(fig: go.Figure, title: str, x_title: str, y_title: str, **extra) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"}, xaxis_title=x_title, yaxis_title=y_title, **LAYOUT, **extra
    )
    fig.update_xaxes(gridcolor="#EEEEEE")
    fig.update_yaxes(gridcolor="#DDDDDD", zerolinecolor="#999999")
    return fig


def heatmap_figure(rows: pd.DataFrame, *, title: str, unit: str, k: int, max_groups: int = 20) -> go.Figure:
    """Groups (rows) x periods (columns); a hidden cell is blank and labelled in words."""
    groups = top_groups(rows, max_groups)
    periods = list(dict.fromkeys(rows.sort_values("period_start")["period"]))
    z, text = [], []
    for g in groups:
        part = rows[rows["group"] == g].set_index("period")
        zr, tr = [], []
        for p in periods:
            if p not in part.index:
                zr.append(None), tr.append("")
                continue
            r = part.loc[p]
            if r["suppressed"]:
                zr.append(None)
                tr.append(suppressed_label(r["note"], k))
            else:
                zr.append(r["value"])
                tr.append(f"{format_value(r['value'], unit)}<br>n={int(r['n']):,}" if pd.notna(r["n"]) else "")
        z.append(zr), text.append(tr)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=periods,
            y=[group_label(g) for g in groups],
            text=text,
            texttemplate="%{text}",
            colorscale=HEAT_SCALE,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": unit}, "tickformat": axis_format(unit).get("tickformat", "")},
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category")  # "2019" is a label, not a number to space out
    return titled_layout(fig, title, "Period", "Group", height=max(320, 60 + 34 * len(groups)))


def pipeline_figure(rows: pd.DataFrame, levels: list[str], *, title: str) -> go.Figure:
    """Each group's share of every job level (x = levels low to high): the leaky pipeline."""
    fig = go.Figure()
    shown = rows[rows["group"] != "All"]
    for i, group in enumerate(top_groups(shown)):
        part = shown[shown["group"] == group].set_index("job_level").reindex(levels)
        st_ = group_style(group)
        err = error_bars(part["value"], part["ci_low"], part["ci_high"], color=st_["color"])
        fig.add_trace(
            go.Scatter(
                x=levels,
                y=part["value"],
                name=group_label(group),
                error_y=err,
                connectgaps=False,
                **lines_and_markers(st_, 9),
                customdata=part["n"].astype("string").fillna(HIDDEN),
                hovertemplate=f"<b>{group_label(group)}</b> at %{{x}}: %{{y:.1%}} (n = %{{customdata}})<extra></extra>",
            )
        )
    fig = titled_layout(
        fig, title, "Job level (lowest to highest)", "Share of the level", legend={"title": {"text": "Group"}}
    )
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=levels)
    return fig


def ratio_figure(rows: pd.DataFrame, *, title: str, threshold: float = 0.8) -> go.Figure:
    """Impact ratios with 95% intervals, one row per published group; lines at 1 and 0.8."""
    shown = rows[~rows["suppressed"] & rows["value"].notna() & (rows["group"] != "All")]
    shown = shown.sort_values("value")
    fig = go.Figure(
        go.Scatter(
            x=shown["value"],
            y=shown["group"],
            mode="markers",
            marker={"symbol": "diamond", "size": 11, "color": "#0072B2", "line": OUTLINE},
            error_x=error_bars(shown["value"], shown["ci_low"], shown["ci_high"], color="#0072B2"),
            customdata=np.column_stack([shown["n"].astype(float), shown["note"].fillna("")]),
            hovertemplate="%{y}: %{x:.2f} (n = %{customdata[0]:,.0f}) %{customdata[1]}<extra></extra>",
        )
    )
    for x, dash, label, side in (
        (1.0, "solid", "parity (1.0)", "left"),
        (threshold, "dot", f"four-fifths ({threshold})", "right"),
    ):
        fig.add_vline(x=x, line={"color": "#555555", "dash": dash, "width": 1})
        fig.add_annotation(
            x=x,
            y=1,
            yref="paper",
            text=label,
            showarrow=False,
            xanchor=side,
            yanchor="bottom",
            font={"size": 11, "color": "#333333"},
        )
    return titled_layout(
        fig,
        title,
        "Promotion rate / reference group's rate",
        "Group",
        height=max(300, 80 + 36 * len(shown)),
        showlegend=False,
    )


def flow_figure(tables: dict[str, pd.DataFrame], *, title: str) -> go.Figure:
    """Per group: share of headcount vs share of hires vs share of exits (one period)."""
    fig = go.Figure()
    for i, (label, rows) in enumerate(tables.items()):
        shown = rows[(rows["group"] != "All")]
        st_ = style(i + 1)
        fig.add_trace(
            go.Bar(
                x=shown["group"],
                y=shown["value"],
                name=label,
                marker={"color": st_["color"], "pattern": {"shape": ["", "/", "."][i % 3]}},
                error_y=error_bars(shown["value"], shown["ci_low"], shown["ci_high"], color="#333333"),
                customdata=shown["n"].astype("string").fillna(HIDDEN),
                hovertemplate=f"%{{x}}, {label}: %{{y:.1%}} (n = %{{customdata}})<extra></extra>",
            )
        )
    fig = titled_layout(fig, title, "Group", "Share", barmode="group", legend={"title": {"text": "Share of"}})
    fig.update_yaxes(tickformat=".0%")
    return fig


def target_figure(
    rows: pd.DataFrame, progress: pd.Series, *, title: str, unit: str, events: pd.DataFrame | None = None
) -> go.Figure:
    """Published yearly values, the straight-line projection to the due date and the target."""
    shown = rows[~rows["suppressed"]].sort_values("period_end")
    fig = go.Figure(
        go.Scatter(
            x=pd.to_datetime(shown["period_end"]),
            y=shown["value"],
            name="Actual",
            mode="lines+markers",
            line={"color": "#000000", "width": 2},
            marker={"symbol": "circle", "size": 8, "line": OUTLINE},
        )
    )
    due = pd.Timestamp(progress["due"])
    if pd.notna(progress.get("projected")):
        last = pd.to_datetime(shown["period_end"]).iloc[-1]
        fig.add_trace(
            go.Scatter(
                x=[last, due],
                y=[shown["value"].iloc[-1], progress["projected"]],
                name="Straight-line projection",
                mode="lines+markers",
                line={"color": "#0072B2", "dash": "dash", "width": 2},
                marker={"symbol": "square", "size": 8},
                # the last actual point is drawn with no bar: the projection's interval is at the due date
                error_y=error_bars(
                    [shown["value"].iloc[-1], progress["projected"]],
                    [None, progress["projected_low"]],
                    [None, progress["projected_high"]],
                    color="#0072B2",
                ),
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[due],
            y=[progress["target_value"]],
            name="Target",
            mode="markers",
            marker={"symbol": "star", "size": 16, "color": "#D55E00", "line": OUTLINE},
        )
    )
    add_events(fig, events)
    fig = titled_layout(
        fig,
        title,
        "Period (value on or up to its last day) and due date",
        unit.capitalize(),
        legend={"title": {"text": ""}},
    )
    fig.update_yaxes(rangemode="tozero", **axis_format(unit))
    period_axis(fig, shown, extra={due: f"due {due:%Y-%m-%d}"})
    return fig
