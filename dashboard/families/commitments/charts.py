"""The trajectory of a commitment's linked metric: the yearly values, the straight-line
projection and the target (families/workforce/charts.py target_figure, shared with the workforce
targets), plus the value over the months up to each persistence checkpoint and the date the
commitment was announced. No Streamlit calls, so the PDF reuses it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pipelines.families.commitments import Assessment
from pipelines.metrics import full_period_rows

from ...charts import error_bars, marker, style
from ..workforce import target_figure


def trajectory_figure(a: Assessment, *, title: str, events: pd.DataFrame | None = None) -> go.Figure:
    c = a.commitment
    rows = full_period_rows(a.yearly)
    rows = (
        rows[pd.to_datetime(rows["period_start"]).dt.date >= pd.Timestamp(a.baseline["period_start"]).date()]
        if a.baseline is not None
        else rows
    )
    projection = a.projection or {}
    progress = pd.Series(
        {
            "due": c.due,
            "target_value": c.target,
            "projected": projection.get("projected"),
            "projected_low": projection.get("projected_low"),
            "projected_high": projection.get("projected_high"),
        }
    )
    fig = target_figure(rows, progress, title=title, unit=c.spec.unit, events=events)
    points = a.checkpoints[a.checkpoints["state"] == "published"]
    if not points.empty:
        s = style(4)
        has_ci = points["ci_low"].notna().any()
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(points["date"]),
                y=points["value"],
                name="Months up to each checkpoint",
                mode="markers",
                marker=marker({**s, "symbol": "diamond"}, 11),
                error_y=error_bars(points["value"], points["ci_low"], points["ci_high"], color=s["color"])
                if has_ci
                else None,
                customdata=points["checkpoint"],
                hovertemplate="%{customdata}: %{y}<extra></extra>",
            )
        )
    announced = pd.Timestamp(c.announced)
    fig.add_vline(x=announced, line={"color": "#000000", "dash": "dash", "width": 1})
    fig.add_annotation(
        x=announced,
        y=0,
        yref="paper",
        text="Announced",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font={"size": 11, "color": "#000000"},
    )
    return fig
