"""Supplier-diversity figures and the sentences that title and summarise them (no Streamlit
calls), shared by the Suppliers page and the PDF section.

Inputs are always published (suppressed) tables: a hidden share is a gap in a line or a
missing bar, never a zero. Colours, markers and dashes come from `charts.style(i)`.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from ...charts import (
    FONT,
    HIDDEN,
    OUTLINE,
    add_events,
    lines_and_markers,
    marker,
    axis_format,
    format_value,
    period_axis,
    style,
)
from ...narrative import FINDING_MIN_N, large_enough, latest_full_period, too_small_to_judge
from .narrative import format_money
from pipelines.formatting import group_label

BASE_LABELS = {"addressable": "Share of addressable spend", "total": "Share of all spend"}
UNION_NOTE = (
    "A supplier holding several certifications counts in each of its lines, so the lines can "
    "add up to more than the diverse total, which counts it once."
)


def wrapped(title: str, width: int = 60) -> str:
    """A long title broken into lines (plotly does not wrap, and a half-width column cuts it off)."""
    return "<br>".join(textwrap.wrap(title, width)) or title


def _layout(fig: go.Figure, title: str, y_title: str, x_title: str, legend: str) -> go.Figure:
    lines = wrapped(title).count("<br>") + 1
    fig.update_layout(
        title={"text": wrapped(title), "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"title": {"text": legend}, "orientation": "h", "x": 0, "y": -0.3, "yanchor": "top"},
        margin={"l": 60, "r": 20, "t": 70 + 22 * lines, "b": 50},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        hovermode="closest",
    )
    fig.update_yaxes(gridcolor="#DDDDDD", zerolinecolor="#999999")
    fig.update_xaxes(gridcolor="#EEEEEE")
    return fig


def line_figure(
    rows: pd.DataFrame,
    series: str,
    *,
    title: str,
    y_title: str,
    unit: str,
    events: pd.DataFrame | None = None,
    legend: str = "Series",
) -> go.Figure:
    """One line per value of `series` over periods (x = period end); hidden points are gaps."""
    fig = go.Figure()
    for i, (name, g) in enumerate(rows.groupby(series, sort=False)):
        g = g.sort_values("period_end")
        s = style(i)
        n = g["n"].astype("string").fillna(HIDDEN)
        fig.add_trace(
            go.Scatter(
                x=g["period_end"],
                y=g["value"],
                name=str(name),
                connectgaps=False,
                **lines_and_markers(s),
                customdata=list(zip(g["period"], n)),
                hovertemplate=f"<b>{name}</b><br>%{{customdata[0]}}: %{{y}}<br>n = %{{customdata[1]}}<extra></extra>",
            )
        )
    add_events(fig, events)
    _layout(fig, title, y_title, "Period (each point at its last day; events at their date)", legend)
    fig.update_yaxes(rangemode="tozero", **axis_format(unit))
    period_axis(fig, rows)
    return fig


def tier2_bars(table: pd.DataFrame) -> pd.DataFrame:
    """The bars of the Tier 2 chart (period, period_start, period_end, part, value, n): a period
    whose direct and indirect parts are both published is split into them; otherwise its
    published total is one bar "Total (split hidden)", so a year whose parts are hidden for
    too few primes still shows the figure the title quotes."""
    cols = ["period", "period_start", "period_end", "part", "value", "n"]
    bars = []
    for period, g in table.groupby("period", sort=True):
        parts = g[(g["dimensions"] == "attribution") & ~g["suppressed"] & g["value"].notna()]
        total = g[(g["group"] == "All") & ~g["suppressed"] & g["value"].notna()]
        if len(parts) == len(g[g["dimensions"] == "attribution"]) and len(parts):
            bars.append(parts.assign(part=parts["group"].str.capitalize()))
        elif len(total):
            bars.append(total.assign(part="Total (split hidden)"))
    if not bars:
        return pd.DataFrame(columns=cols)
    return pd.concat(bars, ignore_index=True)[cols]


def tier2_figure(table: pd.DataFrame, *, title: str, currency: str) -> go.Figure:
    """Stacked bars per period: direct and indirect Tier 2, or the published total when the
    split is hidden (`table`: the published table by attribution, total rows included)."""
    fig = go.Figure()
    bars = tier2_bars(table)
    for i, (name, g) in enumerate(bars.groupby("part", sort=True)):
        s = style(i + 1)
        fig.add_trace(
            go.Bar(
                x=g["period"],
                y=g["value"],
                name=str(name),
                marker={
                    "color": s["color"],
                    "pattern": {"shape": ["", "/", "x"][i % 3]},
                    "line": OUTLINE,
                },
                customdata=g["n"],
                hovertemplate=f"<b>{name}</b> %{{x}}: %{{y:,.0f}} {currency}"
                "<br>primes n = %{customdata}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    return _layout(fig, title, f"Tier 2 spend ({currency})", "Period", "Attribution")


def goals_figure(latest: pd.DataFrame, *, title: str) -> go.Figure:
    """Actual share (bar, with its grade) against the goal (diamond) per goal line."""
    shown = latest[latest["actual"].notna()]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=shown["goal"],
            x=shown["actual"],
            orientation="h",
            name="Actual share",
            marker={"color": style(1)["color"], "line": OUTLINE},
            text=[f"{a:.1%} - grade {g}" for a, g in zip(shown["actual"], shown["grade"])],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=latest["goal"],
            x=latest["target"],
            mode="markers",
            name="Goal",
            marker=marker({**style(2), "symbol": "diamond"}, 13),
            hovertemplate="%{y}: goal %{x:.1%}<extra></extra>",
        )
    )
    _layout(fig, title, "Goal", "Share of spend", "")
    top = float(max(latest["target"].max(), shown["actual"].max() if len(shown) else 0))
    fig.update_xaxes(range=[0, top * 1.35], **axis_format("share"))
    fig.update_yaxes(autorange="reversed")
    return fig


def breakdown_figure(rows: pd.DataFrame, *, title: str, dim_label: str) -> go.Figure:
    """Horizontal bars: diverse share per group (published groups; hidden ones are listed in the summary)."""
    shown = rows[~rows["suppressed"] & rows["value"].notna()].sort_values("value")
    fig = go.Figure(
        go.Bar(
            y=shown["group"],
            x=shown["value"],
            orientation="h",
            marker={"color": style(1)["color"], "line": OUTLINE},
            text=[f"{v:.1%} (n = {int(n)})" for v, n in zip(shown["value"], shown["n"])],
            textposition="outside",
            hovertemplate="%{y}: %{x:.1%}<extra></extra>",
        )
    )
    _layout(fig, title, dim_label, "Diverse share of spend", "")
    top = float(shown["value"].max()) if len(shown) else 0.0
    fig.update_xaxes(range=[0, max(top, 0.01) * 1.35], **axis_format("share"))  # room for the labels
    fig.update_layout(showlegend=False, height=max(320, 60 + 40 * len(shown)))
    return fig


# --- sentences ------------------------------------------------------------------------------


def _shown(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[~rows["suppressed"] & rows["value"].notna()]


def diverse_share_title(overall: pd.DataFrame) -> str:
    latest = _shown(latest_full_period(overall))
    by_base = {r["spend_base"]: r for _, r in latest.iterrows()}
    if "addressable" not in by_base:
        return "Diverse share of spend: not shown for the latest full period (too few companies)"
    a = by_base["addressable"]
    extra = f" ({format_value(by_base['total']['value'], 'share')} of all spend)" if "total" in by_base else ""
    return (
        f"Diverse suppliers received {format_value(a['value'], 'share')} of addressable spend in {a['period']}{extra}"
    )


def diverse_share_summary(overall: pd.DataFrame, currency: str, k: int) -> str:
    """Latest full period with both denominators, and the change from the full period before."""
    latest = latest_full_period(overall)
    if latest.empty:
        return "No spend in the selected periods."
    shares, hidden = [], []
    for _, r in latest.sort_values("spend_base").iterrows():
        base = "addressable spend" if r["spend_base"] == "addressable" else "all spend"
        if r["suppressed"] or pd.isna(r["value"]):
            hidden.append(base)
            continue
        shares.append(
            f"{format_money(r['numerator'], currency)} of {format_money(r['denominator'], currency)} "
            f"{base} ({format_value(r['value'], 'share')}, n = {int(r['n'])} companies)"
        )
    period = latest["period"].iat[0]
    parts = [f"In {period} diverse suppliers received " + " and ".join(shares) + "."] if shares else []
    if hidden:
        parts.append(
            f"The share of {' and of '.join(hidden)} in {period} is not shown (fewer than {k} companies on one side)."
        )
    before = overall[
        (overall["spend_base"] == "addressable") & (overall["period_start"] < latest["period_start"].iat[0])
    ]
    before = _shown(before).sort_values("period_start")
    if not before.empty:
        b = before.iloc[-1]
        parts.append(f"{b['period']}: {format_value(b['value'], 'share')} of addressable spend.")
    return " ".join(parts)


def certification_title(rows: pd.DataFrame) -> str:
    latest = _shown(latest_full_period(rows))
    if latest.empty:
        return "Certified spend shares: every certification line is below the privacy threshold"
    top = latest.loc[latest["value"].idxmax()]
    return (
        f"{top['certification']}-certified suppliers had the largest share in {top['period']} "
        f"({format_value(top['value'], 'share')} of {'addressable' if top['spend_base'] == 'addressable' else 'all'} spend)"
    )


def certification_summary(rows: pd.DataFrame, k: int) -> str:
    latest = latest_full_period(rows)
    if latest.empty:
        return "No certified spend in the selected periods."
    shown = _shown(latest)
    listed = "; ".join(
        f"{r['certification']} {format_value(r['value'], 'share')} (n = {int(r['n'])})"
        for _, r in shown.sort_values("value", ascending=False).iterrows()
    )
    hidden = sorted(latest.loc[latest["suppressed"], "certification"])
    text = f"{latest['period'].iat[0]}: {listed or 'no line can be shown'}."
    if hidden:
        text += f" Not shown (fewer than {k} companies on one side): {', '.join(hidden)}."
    return f"{text} {UNION_NOTE}"


def breakdown_title(rows: pd.DataFrame, dim_label: str) -> str:
    """Highest and lowest group, named only among groups of at least FINDING_MIN_N companies
    (docs/findings.md): a 14% share resting on 3 companies is drawn, not a headline."""
    shown = _shown(rows[rows["group"] != "All"])
    if shown.empty:
        return f"Diverse share by {dim_label}: no group can be shown"
    judged = large_enough(shown, "share")
    period = shown["period"].iat[0]
    if len(judged) < 2:
        return (
            f"Diverse share by {dim_label}, {period}: {'no two groups are' if judged.empty else 'only one group is'} "
            f"large enough to compare (n of at least {FINDING_MIN_N} companies)"
        )
    hi, lo = judged.loc[judged["value"].idxmax()], judged.loc[judged["value"].idxmin()]
    return (
        f"Diverse share by {dim_label}, {period}: highest in {group_label(hi['group'])} ({format_value(hi['value'], 'share')}), "
        f"lowest in {group_label(lo['group'])} ({format_value(lo['value'], 'share')})"
    )


def breakdown_summary(rows: pd.DataFrame, dim_label: str, k: int) -> str:
    groups = rows[rows["group"] != "All"]
    shown = _shown(groups).sort_values("value", ascending=False)
    listed = "; ".join(
        f"{group_label(r['group'])} {format_value(r['value'], 'share')} (n = {int(r['n'])})"
        for _, r in shown.iterrows()
    )
    hidden = int(groups["suppressed"].sum())
    text = f"By {dim_label}: {listed or 'no group can be shown'}."
    text += "".join(f" {sentence}" for sentence in too_small_to_judge(shown, "share", "companies"))
    if hidden:
        text += (
            f" {hidden} group(s) not shown: fewer than {k} companies on one side, or hidden to protect such a group."
        )
    return text


def goals_title(latest: pd.DataFrame) -> str:
    graded = latest[latest["grade"] != ""]
    if graded.empty:
        return "Goals: no goal can be graded for the latest full period"
    met = int((graded["achievement_pct"] >= 100).sum())
    return f"{met} of {len(graded)} supplier-diversity goals met in {graded['period'].iat[0]}"


def goals_summary(latest: pd.DataFrame) -> str:
    parts = []
    for _, r in latest.iterrows():
        if r["grade"]:
            parts.append(
                f"{r['goal']}: {format_value(r['actual'], 'share')} against {format_value(r['target'], 'share')} "
                f"= {r['achievement_pct']:.2f}% of the goal, grade {r['grade']} ({r['status']})."
            )
        else:
            parts.append(f"{r['goal']}: not graded (share not shown: too few companies).")
    return " ".join(parts)
