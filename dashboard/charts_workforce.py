"""Workforce and retention figures: data in (published, suppressed tables), plotly figure
out, no Streamlit calls, so the PDF reuses them. Same accessibility rules as charts.py:
Okabe-Ito colours with a marker and dash per series, axis titles with units, titles that
state the finding (built by the callers from the same rows)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .charts import (
    FONT,
    HIDDEN,
    add_events,
    axis_format,
    format_value,
    group_label,
    group_style,
    period_axis,
    style,
    top_groups,
)
from .narrative import suppressed_label

LAYOUT = {
    "font": {"family": FONT, "size": 14},
    "plot_bgcolor": "#FFFFFF",
    "paper_bgcolor": "#FFFFFF",
    "margin": {"l": 60, "r": 20, "t": 70, "b": 50},
    "hovermode": "closest",
}
# cividis: a sequential scale readable with colour-vision deficiencies; dark text on light cells
HEAT_SCALE = "Cividis"


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, **extra) -> go.Figure:
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
    return _layout(fig, title, "Period", "Group", height=max(320, 60 + 34 * len(groups)))


def km_figure(
    curves: pd.DataFrame, *, title: str, first: list[str] | None = None, months: float | None = 120
) -> go.Figure:
    """Step curves of retention by months of tenure with 95% bands; blank points are gaps.
    Draws everyone, the groups in `first` (e.g. the one the title names), then the largest
    groups, eight curves in all; the x axis opens on the first `months` (zoom out for the rest)."""
    fig = go.Figure()
    largest = top_groups(curves[curves["group"] != "All"].rename(columns={"at_risk": "n"}))
    order = list(dict.fromkeys(["All", *(first or []), *largest]))[:8]  # eight distinct styles
    for i, group in enumerate(order):
        part = curves[curves["group"] == group].sort_values("tenure_months")
        if part.empty:
            continue
        st_ = group_style(group)
        x = np.concatenate([[0.0], part["tenure_months"]])
        for run in band_runs(part):  # the band: upper, then lower filled up to it, one run at a time
            for bound, fill in (("ci_high", None), ("ci_low", "tonexty")):
                fig.add_trace(
                    go.Scatter(
                        x=run["tenure_months"],
                        y=run[bound],
                        mode="lines",
                        line_shape="hv",
                        line={"width": 0},
                        fill=fill,
                        fillcolor=_rgba(st_["color"], 0.15),
                        hoverinfo="skip",
                        showlegend=False,
                        legendgroup=group,
                    )
                )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=np.concatenate([[1.0], part["survival"]]),
                name=group_label(group),
                legendgroup=group,
                mode="lines+markers",
                line_shape="hv",
                connectgaps=False,
                line={"color": st_["color"], "dash": st_["dash"], "width": 2},
                marker={
                    "symbol": st_["symbol"],
                    "size": 6,
                    "color": st_["color"],
                    "maxdisplayed": 12,
                    "line": {"color": "#000000", "width": 1},
                },
                # published curves show the at-risk count at their steps only (docs/privacy.md)
                customdata=np.concatenate(
                    [[""], [f"<br>at risk {v:,.0f}" if pd.notna(v) else "" for v in part["at_risk"]]]
                ),
                hovertemplate=f"<b>{group_label(group)}</b><br>%{{x:.0f}} months: %{{y:.1%}}%{{customdata}}<extra></extra>",
            )
        )
    fig = _layout(
        fig, title, "Months since hire", "Still employed (Kaplan-Meier, 95% band)", legend={"title": {"text": "Group"}}
    )
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    top = curves["tenure_months"].max() if len(curves) else 0
    if months and top > months:
        fig.update_xaxes(range=[0, months])
    return fig


def band_runs(part: pd.DataFrame) -> list[pd.DataFrame]:
    """A group's 95% band as runs of consecutive months where both bounds are known.

    A fill drawn "to the next trace" ignores gaps: one trace across months whose interval is
    unknown (few at risk, or no exit yet so Greenwood's interval is undefined) was filled as a
    straight diagonal from 100% at month 0 to the next known bound. Each run is its own pair
    of traces; the first also starts at month 0 (100%, known exactly) when it begins at the
    first month of the curve."""
    part = part.sort_values("tenure_months").reset_index(drop=True)
    known = part["ci_low"].notna() & part["ci_high"].notna()
    runs = []
    for _, idx in part[known].groupby((~known).cumsum()[known]).groups.items():
        run = part.loc[idx, ["tenure_months", "ci_low", "ci_high"]]
        if idx[0] == 0:
            run = pd.concat([pd.DataFrame({"tenure_months": [0.0], "ci_low": [1.0], "ci_high": [1.0]}), run])
        runs.append(run.reset_index(drop=True))
    return runs


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def pipeline_figure(rows: pd.DataFrame, levels: list[str], *, title: str) -> go.Figure:
    """Each group's share of every job level (x = levels low to high): the leaky pipeline."""
    fig = go.Figure()
    shown = rows[rows["group"] != "All"]
    for i, group in enumerate(top_groups(shown)):
        part = shown[shown["group"] == group].set_index("job_level").reindex(levels)
        st_ = group_style(group)
        err = {
            "type": "data",
            "symmetric": False,
            "array": (part["ci_high"] - part["value"]).tolist(),
            "arrayminus": (part["value"] - part["ci_low"]).tolist(),
            "thickness": 1,
            "color": st_["color"],
        }
        fig.add_trace(
            go.Scatter(
                x=levels,
                y=part["value"],
                name=group_label(group),
                mode="lines+markers",
                error_y=err,
                line={"color": st_["color"], "dash": st_["dash"], "width": 2},
                connectgaps=False,
                marker={
                    "symbol": st_["symbol"],
                    "size": 9,
                    "color": st_["color"],
                    "line": {"color": "#000000", "width": 1},
                },
                customdata=part["n"].astype("string").fillna(HIDDEN),
                hovertemplate=f"<b>{group_label(group)}</b> at %{{x}}: %{{y:.1%}} (n = %{{customdata}})<extra></extra>",
            )
        )
    fig = _layout(
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
            marker={"symbol": "diamond", "size": 11, "color": "#0072B2", "line": {"color": "#000000", "width": 1}},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (shown["ci_high"] - shown["value"]).fillna(0),
                "arrayminus": (shown["value"] - shown["ci_low"]).fillna(0),
                "color": "#0072B2",
            },
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
    return _layout(
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
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (shown["ci_high"] - shown["value"]).tolist(),
                    "arrayminus": (shown["value"] - shown["ci_low"]).tolist(),
                    "color": "#333333",
                },
                customdata=shown["n"].astype("string").fillna(HIDDEN),
                hovertemplate=f"%{{x}}, {label}: %{{y:.1%}} (n = %{{customdata}})<extra></extra>",
            )
        )
    fig = _layout(fig, title, "Group", "Share", barmode="group", legend={"title": {"text": "Share of"}})
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
            marker={"symbol": "circle", "size": 8, "line": {"color": "#000000", "width": 1}},
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
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "color": "#0072B2",
                    "array": [0, progress["projected_high"] - progress["projected"]],
                    "arrayminus": [0, progress["projected"] - progress["projected_low"]],
                },
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[due],
            y=[progress["target_value"]],
            name="Target",
            mode="markers",
            marker={"symbol": "star", "size": 16, "color": "#D55E00", "line": {"color": "#000000", "width": 1}},
        )
    )
    add_events(fig, events)
    fig = _layout(
        fig,
        title,
        "Period (value on or up to its last day) and due date",
        unit.capitalize(),
        legend={"title": {"text": ""}},
    )
    fig.update_yaxes(rangemode="tozero", **axis_format(unit))
    period_axis(fig, shown, extra={due: f"due {due:%Y-%m-%d}"})
    return fig


def impact_figure(
    series: pd.DataFrame, coefficients: pd.DataFrame, event_date, *, title: str, unit: str, event_label: str = "event"
) -> go.Figure:
    """Monthly values around the event with the two fitted segments; left-out months hollow."""
    b = coefficients.set_index("term")["estimate"].to_numpy()
    used, left = series[series["used"]], series[~series["used"]]
    fig = go.Figure(
        go.Scatter(
            x=pd.to_datetime(used["period_start"]),
            y=used["value"],
            mode="markers",
            name="Monthly value",
            marker={"color": "#000000", "size": 7, "symbol": "circle"},
        )
    )
    if not left.empty:
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(left["period_start"]),
                y=left["value"],
                mode="markers",
                name="Left out",
                marker={"color": "#000000", "size": 8, "symbol": "circle-open"},
            )
        )
    for post, name, colour, dash in ((0, "Trend before", "#0072B2", "solid"), (1, "Trend after", "#D55E00", "dash")):
        part = used[used["post"] == post]
        t = part["t"].to_numpy(float)
        fitted = b[0] + b[1] * t + post * (b[2] + b[3] * t)
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part["period_start"]),
                y=fitted,
                mode="lines",
                name=name,
                line={"color": colour, "dash": dash, "width": 2},
            )
        )
    add_events(fig, pd.DataFrame({"event_date": [event_date], "label": [event_label]}))
    fig = _layout(fig, title, "Month", unit.capitalize(), legend={"title": {"text": ""}})
    # monthly rates are small: two decimals of a percent, not whole percents
    fig.update_yaxes(**({"tickformat": ".2%"} if unit in ("share", "rate") else axis_format(unit)))
    return fig
