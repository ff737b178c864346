"""Figure builders: data in, plotly figure out (no Streamlit calls), shared by the
dashboard and the PDF snapshot.

Accessibility: colours of at least 3:1 against the page, plus a marker symbol and line dash per
series, so no series is told by colour alone; a demographic group keeps its style everywhere;
markers carry a dark outline (non-text contrast); every chart has a title that states the
finding and axis titles with units.
"""

from __future__ import annotations

import zlib

import pandas as pd
import plotly.graph_objects as go

from pipelines.formatting import HIDDEN, format_value, group_label  # noqa: F401  (the pages import them from here)

# Okabe & Ito (2008), with the three colours that fall below WCAG 1.4.11's 3:1 against the white
# page (orange, sky blue, yellow) replaced by darker hues and reddish purple darkened; every
# colour is checked against PAGE_BACKGROUND in tests/test_chart_style.py
PAGE_BACKGROUND = "#FFFFFF"
PALETTE = ["#000000", "#0072B2", "#D55E00", "#009E73", "#AA4499", "#9C6500", "#5A5AB8", "#666666"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "cross", "triangle-down", "star"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]
MAX_SERIES = 8
FONT = "DejaVu Sans, Arial, sans-serif"
# Demographic values in a fixed order: a value's place gives its colour and marker on every
# chart, page, breakdown and in the PDF (a value not listed gets a place from its name)
KNOWN_VALUES = [
    "woman",
    "man",
    "non-binary",
    "not disclosed",
    "prefer not to say",
    "not asked",
    "white",
    "asian",
    "black or african american",
    "hispanic or latino",
    "two or more races",
    "american indian or alaska native",
    "native hawaiian or other pacific islander",
    "yes",
    "no",
]


def style(i: int) -> dict:
    """The i-th style, for series that are not demographic groups (measures, denominators)."""
    return {"color": PALETTE[i % len(PALETTE)], "symbol": SYMBOLS[i % len(SYMBOLS)], "dash": DASHES[i % len(DASHES)]}


def _place(value: str) -> int:
    key = value.strip().lower()
    if key in KNOWN_VALUES:
        return KNOWN_VALUES.index(key)
    return len(KNOWN_VALUES) + zlib.crc32(key.encode("utf-8")) % 41  # stable across runs


def group_style(group: object) -> dict:
    """The style of a demographic group, the same wherever it is drawn: colour from its
    (first) value, marker from its last value, so "Woman" and "Woman|Asian" share a colour
    and Woman|Asian and Woman|White differ by marker. Everyone ("All") is black."""
    values = [v for v in str(group).split("|") if v]
    if not values or values == ["All"]:
        return {"color": PALETTE[0], "symbol": SYMBOLS[0], "dash": DASHES[0]}
    first, last = _place(values[0]), _place(values[-1])
    colours = len(PALETTE) - 1  # black is kept for everyone and reference lines
    return {
        "color": PALETTE[1 + first % colours],
        "symbol": SYMBOLS[last % len(SYMBOLS)],
        "dash": DASHES[first % len(DASHES)],
    }


def wrap_title(text: str, width: int = 95) -> str:
    """A long finding title broken into lines at word boundaries (plotly titles do not wrap)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def axis_format(unit: str) -> dict:
    if unit in ("share", "rate", "percent_share"):
        return {"tickformat": ".0%"}
    if unit == "percent":
        return {"ticksuffix": "%"}
    return {"tickformat": ",d"} if unit == "count" else {}


def top_groups(rows: pd.DataFrame, limit: int = MAX_SERIES) -> list[str]:
    """The groups to draw: largest first (by their largest published n), at most `limit`."""
    if rows.empty:
        return []
    order = rows.groupby("group")["n"].max().fillna(-1).sort_values(ascending=False, kind="stable")
    return list(order.index[:limit])


# the dark outline every marker and bar carries (WCAG 1.4.11 non-text contrast against the page
# and against a neighbour of similar colour)
OUTLINE = {"color": "#000000", "width": 1}


def marker(style_: dict, size: float, **extra) -> dict:
    """A series' plotly marker: its symbol and colour (from style() or group_style()), outlined."""
    return {"symbol": style_["symbol"], "size": size, "color": style_["color"], "line": dict(OUTLINE), **extra}


def lines_and_markers(style_: dict, size: float = 8, **marker_extra) -> dict:
    """go.Scatter's mode, line and marker for a series drawn as a line with markers, in its
    style: colour, dash and symbol, so no series is told by colour alone."""
    return {
        "mode": "lines+markers",
        "line": {"color": style_["color"], "dash": style_["dash"], "width": 2},
        "marker": marker(style_, size, **marker_extra),
    }


def error_bars(value, low, high, *, color: str, thickness: float = 1, width: float | None = None) -> dict:
    """Plotly's error-bar dict (for error_x or error_y) for a 95% interval low..high around
    `value` (Series or lists of one length): asymmetric, since Wilson, bootstrap and ratio
    intervals are. A point whose interval is unknown (NaN bound) gets no bar, rather than a
    zero-length one that would read as an exact value. `width` is the cap's half-width in px
    (plotly's default when None)."""
    value, low, high = (pd.to_numeric(pd.Series(list(x), dtype="object"), errors="coerce") for x in (value, low, high))
    bars = {
        "type": "data",
        "symmetric": False,
        "array": _lengths(high - value),
        "arrayminus": _lengths(value - low),
        "thickness": thickness,
        "color": color,
    }
    if width is not None:
        bars["width"] = width
    return bars


def _lengths(lengths: pd.Series) -> list[float | None]:
    return [None if pd.isna(x) else float(x) for x in lengths]


def trend_figure(
    rows: pd.DataFrame, *, title: str, y_title: str, unit: str, events: pd.DataFrame | None = None, show_ci: bool = True
) -> go.Figure:
    """One line per group over periods (x = period end), CI as error bars, events as lines.

    Suppressed points are gaps, never zeros.
    """
    fig = go.Figure()
    groups = top_groups(rows)
    for i, group in enumerate(groups):
        g = rows[rows["group"] == group].sort_values("period_end")
        st_ = group_style(group)
        err = None
        if show_ci and g["ci_low"].notna().any():
            err = error_bars(g["value"], g["ci_low"], g["ci_high"], color=st_["color"], width=3)
        fig.add_trace(
            go.Scatter(
                x=g["period_end"],
                y=g["value"],
                name=group_label(group),
                **lines_and_markers(st_),
                error_y=err,
                connectgaps=False,
                customdata=list(zip(g["period"], g["n"].astype("string").fillna(HIDDEN), g["ci_low"], g["ci_high"])),
                hovertemplate=(
                    f"<b>{group_label(group)}</b><br>%{{customdata[0]}}: %{{y}}"
                    "<br>95% CI %{customdata[2]:.3g}-%{customdata[3]:.3g}"
                    "<br>n = %{customdata[1]}<extra></extra>"
                ),
            )
        )
    add_events(fig, events)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 14},
        xaxis_title="Period (each point at its last day; events at their date)",
        yaxis_title=y_title,
        hovermode="closest",
        legend={"title": {"text": "Group"}},
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
    )
    fig.update_yaxes(gridcolor="#DDDDDD", zerolinecolor="#999999", rangemode="tozero", **axis_format(unit))
    period_axis(fig, rows)
    return fig


def period_axis(fig: go.Figure, rows: pd.DataFrame, extra: dict | None = None) -> None:
    """A time axis on which each period is a band between gridlines at its first day, labelled
    at its middle: a point (drawn at its period's last day) sits at the right edge of its band
    and an event at its own date, so a policy of 2022-01-01 opens the 2022 band rather than
    appearing to belong to 2021 (whose point is drawn the day before). `extra`: further
    labelled dates (a due date) past the last band."""
    if rows.empty:
        return
    extra = extra or {}
    ends = pd.to_datetime(rows.drop_duplicates("period")["period_end"])
    starts = pd.to_datetime(rows.drop_duplicates("period")["period_start"]) if "period_start" in rows else ends
    spans = pd.DataFrame(
        {
            "period": rows.drop_duplicates("period")["period"].to_numpy(),
            "start": starts.to_numpy(),
            "end": ends.to_numpy(),
        }
    ).sort_values("start")
    middles = spans["start"] + (spans["end"] - spans["start"]) / 2
    bounds = [*spans["start"], spans["end"].max() + pd.Timedelta(days=1)]
    last = max([bounds[-1], *(pd.Timestamp(x) + pd.Timedelta(days=60) for x in extra)])
    fig.update_xaxes(
        type="date",
        tickmode="array",
        tickvals=[*middles, *map(pd.Timestamp, extra)],
        ticktext=[*spans["period"], *extra.values()],
        showgrid=False,
        ticks="",
        range=[bounds[0] - pd.Timedelta(days=15), last],
        minor={
            "tickmode": "array",
            "tickvals": bounds,
            "showgrid": True,
            "gridcolor": "#DDDDDD",
            "ticks": "outside",
            "ticklen": 6,
        },
    )


def add_events(fig: go.Figure, events: pd.DataFrame | None) -> None:
    """Policy events as dotted vertical lines, labelled with the event and its date; labels of
    successive events are staggered so they do not overlap (drawn on every trend chart)."""
    if events is None or events.empty:
        return
    for i, (_, ev) in enumerate(events.sort_values("event_date").iterrows()):
        x = pd.Timestamp(ev["event_date"])
        fig.add_vline(x=x, line={"color": "#555555", "dash": "dot", "width": 1})
        fig.add_annotation(
            x=x,
            y=1 - 0.07 * (i % 3),
            yref="paper",
            text=f"{ev['label']} ({x:%Y-%m-%d})",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            bgcolor="rgba(255,255,255,0.85)",
            hovertext=str(ev.get("description") or ev["label"]),
            font={"size": 11, "color": "#333333"},
        )


def sparkline(rows: pd.DataFrame, unit: str) -> go.Figure:
    """A small trend for a KPI tile (overall row only)."""
    rows = rows.sort_values("period_end")
    fig = go.Figure(
        go.Scatter(
            x=rows["period_end"],
            y=rows["value"],
            mode="lines+markers",
            line={"color": PALETTE[1], "width": 2},
            marker={"size": 4},
            hovertemplate="%{x|%Y-%m-%d}: %{y}<extra></extra>",
        )
    )
    fig.update_layout(
        height=90,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, **axis_format(unit))
    return fig
