"""Pay-equity figure builders: data in, plotly figure out (no Streamlit calls), shared by the
dashboard page and the PDF section. Inputs are published (suppressed) tables only.

Same accessibility rules as charts.py: colours of at least 3:1 with a marker and dash per series
(`group_style(group)`: one per group everywhere), outlined markers, titles that state the finding, axis titles with units.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ...charts import (
    FONT,
    HIDDEN,
    MAX_SERIES,
    add_events,
    error_bars,
    group_label,
    group_style,
    period_axis,
    wrap_title,
)

PATTERNS = ["", "/", ".", "x", "-", "\\", "+", "|"]  # bar fills: no series told by colour alone
MEASURE_DASH = {"adjusted": "solid", "raw": "dot"}
MEASURE_LABEL = {"adjusted": "adjusted (same factors)", "raw": "raw (mean hourly pay)"}
GAP_AXIS = "Pay gap to the reference, % (above 0 = paid less)"  # the one sign of every pay gap


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 440) -> go.Figure:
    text = wrap_title(title)
    fig.update_layout(
        title={"text": text, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14},
        xaxis_title=x_title,
        yaxis_title=y_title,
        height=height,
        hovermode="closest",
        margin={"l": 60, "r": 20, "t": 70 + 20 * text.count("<br>"), "b": 50},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
    )
    fig.update_yaxes(gridcolor="#DDDDDD", zerolinecolor="#555555", zerolinewidth=1)
    fig.update_xaxes(gridcolor="#EEEEEE")
    return fig


def gap_trend_figure(rows: pd.DataFrame, *, title: str, events: pd.DataFrame | None = None) -> go.Figure:
    """Pay gap to the reference group (%), raw and adjusted, one colour per group, over periods.

    `rows`: period, period_end, group, measure (raw|adjusted), gap, ci_low, ci_high, n (gap in
    percent of the reference's pay, positive = paid less: docs/metrics.md, "How pay gaps are
    signed"). Suppressed points are gaps in the line.
    """
    fig = go.Figure()
    # the group the title names (largest adjusted disadvantage, latest period) and then the
    # largest groups, two lines each; every group is in the data table
    groups = list(dict.fromkeys(rows.sort_values("n", ascending=False)["group"]))
    latest = rows[(rows["period_end"] == rows["period_end"].max()) & (rows["measure"] == "adjusted")]
    latest = latest.dropna(subset=["gap"])
    if len(latest):
        worst = latest.loc[latest["gap"].idxmax(), "group"]
        groups = [worst] + [g for g in groups if g != worst]
    groups = groups[: MAX_SERIES // 2]
    for i, group in enumerate(groups):
        st_ = group_style(group)  # black is kept for everyone and the reference line at 0
        for measure in ("adjusted", "raw"):
            g = rows[(rows["group"] == group) & (rows["measure"] == measure)].sort_values("period_end")
            if g.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=g["period_end"],
                    y=g["gap"],
                    name=f"{group_label(group)}, {MEASURE_LABEL[measure]}",
                    mode="lines+markers",
                    connectgaps=False,
                    error_y=error_bars(g["gap"], g["ci_low"], g["ci_high"], color=st_["color"], width=3),
                    line={"color": st_["color"], "dash": MEASURE_DASH[measure], "width": 2},
                    marker={
                        "symbol": st_["symbol"],
                        "size": 8,
                        "color": st_["color"] if measure == "adjusted" else "#FFFFFF",
                        "line": {
                            "color": st_["color"] if measure == "raw" else "#000000",
                            "width": 2 if measure == "raw" else 1,
                        },
                    },
                    customdata=list(
                        zip(g["period"], g["n"].astype("string").fillna(HIDDEN), g["ci_low"], g["ci_high"])
                    ),
                    hovertemplate=(
                        f"<b>{group_label(group)}</b> {measure}<br>%{{customdata[0]}}: %{{y:.1f}}%"
                        "<br>95% CI %{customdata[2]:.1f}% to %{customdata[3]:.1f}%"
                        "<br>n = %{customdata[1]}<extra></extra>"
                    ),
                )
            )
    fig.add_hline(y=0, line={"color": "#000000", "width": 1})
    add_events(fig, events)
    _layout(fig, title, "Snapshot (period end)", GAP_AXIS)
    fig.update_yaxes(ticksuffix="%")
    period_axis(fig, rows)
    fig.update_layout(legend={"title": {"text": "Group, measure"}})
    return fig


def _bar(group: str, i: int, y, x, value_format: str) -> go.Bar:
    """One group's horizontal bars: its colour, outlined, with the i-th fill pattern (no series
    told by colour alone)."""
    return go.Bar(
        y=y,
        x=x,
        name=group_label(group),
        orientation="h",
        marker={
            "color": group_style(group)["color"],
            "line": {"color": "#000000", "width": 1},
            "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fgcolor": "#FFFFFF", "fillmode": "overlay"},
        },
        hovertemplate=f"<b>{group_label(group)}</b> %{{y}}: {value_format}<extra></extra>",
    )


def quartile_figure(rows: pd.DataFrame, *, title: str) -> go.Figure:
    """Stacked bars: each group's share of each pay quartile (`quartile, group, value`)."""
    fig = go.Figure()
    groups = list(dict.fromkeys(rows.sort_values("value", ascending=False)["group"]))
    for i, group in enumerate(groups):
        g = rows[rows["group"] == group]
        fig.add_trace(_bar(group, i, g["quartile"], g["value"], "%{x:.1%}"))
    fig.update_layout(barmode="stack", legend={"title": {"text": "Group"}})
    _layout(fig, title, "Share of the quartile", "Hourly pay quartile", height=360)
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_yaxes(categoryorder="array", categoryarray=sorted(rows["quartile"].unique(), reverse=True))
    return fig


def decomposition_figure(factors: pd.DataFrame, *, title: str) -> go.Figure:
    """Horizontal bars: each factor's explained part and the unexplained part of the ln-pay gap
    (`group, factor, explained` in log points), shown in % points of ln pay."""
    fig = go.Figure()
    for i, (group, g) in enumerate(factors.groupby("group", sort=False)):
        fig.add_trace(_bar(group, i, g["factor"].str.replace("_", " "), 100 * g["explained"], "%{x:.2f} points"))
    fig.update_layout(barmode="group", legend={"title": {"text": "Group vs reference"}})
    _layout(
        fig,
        title,
        "Contribution to the gap, log points x 100 (about %; above 0 = widens the gap)",
        "Factor",
        height=420,
    )
    fig.add_vline(x=0, line={"color": "#000000", "width": 1})
    return fig


def cost_curve_figure(curve: pd.DataFrame, *, title: str, currency: str) -> go.Figure:
    """Resulting adjusted gap per group against the annual raise budget (`annual_cost, group, gap_pct`)."""
    fig = go.Figure()
    shown = curve.dropna(subset=["annual_cost"])
    for i, (group, g) in enumerate(shown.groupby("group", sort=False)):
        st_ = group_style(group)
        g = g.sort_values("annual_cost")
        fig.add_trace(
            go.Scatter(
                x=g["annual_cost"],
                y=g["gap_pct"],
                name=group_label(group),
                mode="lines+markers",
                line={"color": st_["color"], "dash": st_["dash"], "width": 2},
                marker={
                    "symbol": st_["symbol"],
                    "size": 8,
                    "color": st_["color"],
                    "line": {"color": "#000000", "width": 1},
                },
                hovertemplate=(
                    f"<b>{group_label(group)}</b><br>budget %{{x:,.0f}} {currency}"
                    "<br>adjusted gap %{y:.2f}%<extra></extra>"
                ),
            )
        )
    fig.add_hline(y=0, line={"color": "#000000", "width": 1})
    _layout(fig, title, f"Annual raise budget ({currency})", "Adjusted pay gap after raises, % (above 0 = paid less)")
    fig.update_xaxes(tickformat=",.0f")
    fig.update_yaxes(ticksuffix="%")
    fig.update_layout(legend={"title": {"text": "Group"}})
    return fig
