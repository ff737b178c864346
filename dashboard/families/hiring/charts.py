"""Hiring figures: data in, plotly figure out (no Streamlit calls), for the dashboard and the PDF.

Every series has an Okabe-Ito colour plus its own marker symbol or bar pattern (never colour
alone); hidden (suppressed) values are left out, never drawn as zero; hover text carries n and
the 95% interval.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from pipelines.families.hiring.display import stage_label

from dashboard.charts import (
    FONT,
    HIDDEN,
    OUTLINE,
    error_bars,
    lines_and_markers,
    marker,
    group_label,
    group_style,
    style,
    top_groups,
    wrap_title,
)

PATTERNS = ["", "/", "\\", "x", ".", "+", "-", "|"]


def _pattern(i: int) -> dict:
    """A bar pattern drawn over the colour (not instead of it), so bars differ by both."""
    return {
        "shape": PATTERNS[i % len(PATTERNS)],
        "fillmode": "overlay",
        "fgcolor": "#000000",
        "fgopacity": 0.55,
        "size": 7,
    }


def _counts_and_interval(g: pd.DataFrame, *counts: str) -> list[tuple]:
    """Hover data per point: the `counts` columns as text (blank where a count is hidden, so
    the hover never shows "<NA>"), then the 95% interval's bounds."""
    texts = [g[c].astype("string").fillna("") for c in counts]
    return list(zip(*texts, g["ci_low"], g["ci_high"]))


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int | None = None) -> go.Figure:
    title = wrap_title(title)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"title": {"text": "Group"}},
        margin={"l": 60, "r": 20, "t": 50 + 22 * title.count("<br>") + 20, "b": 50},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        hovermode="closest",
        **({"height": height} if height else {}),
    )
    fig.update_xaxes(gridcolor="#EEEEEE")
    fig.update_yaxes(gridcolor="#DDDDDD", zerolinecolor="#999999")
    return fig


def _shown(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[~rows["suppressed"] & rows["value"].notna()]


def funnel_figure(rows: pd.DataFrame, stages: list[str], title: str) -> go.Figure:
    """Share of each group's applications reaching each stage (stage_reach_rate rows)."""
    fig = go.Figure()
    shown = _shown(rows)
    for i, group in enumerate(top_groups(shown)):
        g = shown[shown["group"] == group].set_index("stage").reindex([s for s in stages])
        s = group_style(group)
        fig.add_trace(
            go.Scatter(
                x=stages,
                y=g["value"],
                name=group_label(group),
                **lines_and_markers(s, 9),
                customdata=_counts_and_interval(g, "numerator", "n"),
                hovertemplate=(
                    f"<b>{group_label(group)}</b><br>%{{x}}: %{{y:.1%}} (%{{customdata[0]}} of %{{customdata[1]}})"
                    "<br>95% CI %{customdata[2]:.1%} to %{customdata[3]:.1%}<extra></extra>"
                ),
            )
        )
    _layout(fig, title, "Stage (in the configured order)", "Share of applications reaching the stage")
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=stages)
    return fig


def impact_figure(rows: pd.DataFrame, title: str, threshold: float, label: str = "stage") -> go.Figure:
    """Impact ratio per group with its 95% Katz interval, a line at the threshold and at 1.
    `label` = 'stage' (y = stage -> next stage) or a stratum column (y = stratum)."""
    fig = go.Figure()
    shown = _shown(rows[rows["group"] != "All"])
    if shown.empty:
        return _layout(fig, title, "Impact ratio (group rate / reference rate)", "")
    ylab = [
        stage_label(s, n) if label == "stage" else str(v)
        for s, n, v in zip(shown["stage"], shown.get("next_stage", shown["stage"]), shown[label])
    ]
    shown = shown.assign(_y=ylab)
    order = list(dict.fromkeys(ylab))
    for i, group in enumerate(top_groups(shown)):
        g = shown[shown["group"] == group]
        s = group_style(group)
        fig.add_trace(
            go.Scatter(
                x=g["value"],
                y=g["_y"],
                name=group_label(group),
                mode="markers",
                orientation="h",
                offsetgroup=str(i),
                alignmentgroup="groups",
                marker=marker(s, 11),
                error_x=error_bars(g["value"], g["ci_low"], g["ci_high"], color=s["color"], thickness=1.5, width=4),
                customdata=list(
                    zip(
                        g["reference_group"],
                        g["numerator"],
                        g["n"],
                        g["ci_low"],
                        g["ci_high"],
                        g["z"],
                        g["p_holm"],
                        g["shortfall"].astype("string").fillna(""),
                    )
                ),
                hovertemplate=(
                    f"<b>{group_label(group)}</b> at %{{y}}<br>ratio %{{x:.2f}} vs %{{customdata[0]}}"
                    "<br>95% CI %{customdata[3]:.2f} to %{customdata[4]:.2f}"
                    "<br>%{customdata[1]} selected of %{customdata[2]}; z %{customdata[5]:.2f}, "
                    "Holm p %{customdata[6]:.3f}<br>shortfall %{customdata[7]}<extra></extra>"
                ),
            )
        )
        flagged = g[g["flagged"].astype(bool)]
        if len(flagged):  # the flag in words, right of the interval (never told by colour alone)
            fig.add_trace(
                go.Scatter(
                    x=flagged["ci_high"].fillna(flagged["value"]),
                    y=flagged["_y"],
                    mode="text",
                    orientation="h",
                    text=["  below 4/5"] * len(flagged),
                    textposition="middle right",
                    offsetgroup=str(i),
                    alignmentgroup="groups",
                    textfont={"size": 11, "color": "#000000"},
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    fig.add_vline(x=threshold, line={"color": "#D55E00", "dash": "dash", "width": 2})
    fig.add_annotation(
        x=threshold,
        y=1,
        yref="paper",
        text=f"four-fifths ({threshold})",
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font={"size": 11, "color": "#000000"},
    )
    fig.add_vline(x=1, line={"color": "#555555", "dash": "dot", "width": 1})
    n_groups = max(1, len(top_groups(shown)))
    _layout(
        fig,
        title,
        "Impact ratio (group rate / reference rate), 95% CI",
        "",
        height=max(340, 90 + (14 * n_groups + 16) * len(order)),
    )
    fig.update_layout(scattermode="group", scattergap=0.3)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=order[::-1])
    fig.update_xaxes(rangemode="tozero")
    return fig


def time_in_stage_figure(rows: pd.DataFrame, stages: list[str], title: str) -> go.Figure:
    """Kaplan-Meier median days per stage and group, bars with the 95% interval."""
    fig = go.Figure()
    shown = _shown(rows)
    labels = {s: f"{s} -> {n}" for s, n in zip(stages, stages[1:])}
    for i, group in enumerate(top_groups(shown)):
        g = shown[shown["group"] == group].set_index("stage").reindex([s for s in stages[:-1]])
        s = group_style(group)
        fig.add_trace(
            go.Bar(
                x=[labels[x] for x in g.index],
                y=g["value"],
                name=group_label(group),
                marker={"color": s["color"], "line": OUTLINE, "pattern": _pattern(i)},
                error_y=error_bars(g["value"], g["ci_low"], g["ci_high"], color="#000000"),
                customdata=_counts_and_interval(g, "n", "still_open"),
                hovertemplate=(
                    f"<b>{group_label(group)}</b><br>%{{x}}: median %{{y:.0f}} days"
                    "<br>95% CI %{customdata[2]:.0f} to %{customdata[3]:.0f}"
                    "<br>n = %{customdata[0]} (%{customdata[1]} still open)<extra></extra>"
                ),
            )
        )
    _layout(fig, title, "Step (stage -> next stage)", "Median days (Kaplan-Meier)")
    fig.update_layout(barmode="group")
    fig.update_yaxes(rangemode="tozero")
    return fig


def share_comparison_figure(table: pd.DataFrame, title: str) -> go.Figure:
    """Applicant share beside workforce share per group (columns group, applicants, workforce,
    *_low, *_high, *_n; blanks where hidden)."""
    fig = go.Figure()
    for i, (col, name) in enumerate([("applicants", "Applicants"), ("workforce", "Workforce (period end)")]):
        s = style(i + 1)
        fig.add_trace(
            go.Bar(
                x=table["group"],
                y=table[col],
                name=name,
                marker={"color": s["color"], "line": OUTLINE, "pattern": _pattern(i)},
                error_y=error_bars(table[col], table[f"{col}_low"], table[f"{col}_high"], color="#000000"),
                customdata=table[f"{col}_n"].astype("string").fillna(HIDDEN),
                hovertemplate=f"<b>%{{x}}</b><br>{name}: %{{y:.1%}}<br>n = %{{customdata}}<extra></extra>",
            )
        )
    _layout(fig, title, "Group", "Share")
    fig.update_layout(barmode="group", legend={"title": {"text": ""}})
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return fig
