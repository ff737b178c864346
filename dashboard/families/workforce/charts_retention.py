"""Retention figures: Kaplan-Meier curves with their 95% bands and the monthly series around a
policy event with its two fitted segments. Data in, plotly figure out, no Streamlit calls, as
charts.py (its layout and accessibility rules)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ...charts import add_events, axis_format, group_label, group_style, lines_and_markers, top_groups
from .charts import titled_layout


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
                line_shape="hv",
                connectgaps=False,
                **lines_and_markers(st_, 6, maxdisplayed=12),
                # published curves show the at-risk count at their steps only (docs/privacy.md)
                customdata=np.concatenate(
                    [[""], [f"<br>at risk {v:,.0f}" if pd.notna(v) else "" for v in part["at_risk"]]]
                ),
                hovertemplate=f"<b>{group_label(group)}</b><br>%{{x:.0f}} months: %{{y:.1%}}%{{customdata}}<extra></extra>",
            )
        )
    fig = titled_layout(
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
    fig = titled_layout(fig, title, "Month", unit.capitalize(), legend={"title": {"text": ""}})
    # monthly rates are small: two decimals of a percent, not whole percents
    fig.update_yaxes(**({"tickformat": ".2%"} if unit in ("share", "rate") else axis_format(unit)))
    return fig
