"""One style per demographic group on every chart, colours readable on the page (WCAG 1.4.11:
3:1 for graphical objects), readable group labels (issue 19)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts import PAGE_BACKGROUND, PALETTE, group_label, group_style, trend_figure
from dashboard.families.hiring.charts import funnel_figure
from dashboard.families.workforce.charts_retention import km_figure


def _relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance, from the sRGB definition."""

    def channel(c8: int) -> float:
        c = c8 / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_helper_matches_known_values():
    assert _contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert _contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # WebAIM's worked grey


@pytest.mark.parametrize("colour", PALETTE)
def test_every_palette_colour_has_3_to_1_on_the_page(colour):
    assert _contrast(colour, PAGE_BACKGROUND) >= 3.0, colour


def test_old_yellow_would_fail():
    assert _contrast("#F0E442", "#FFFFFF") < 3.0


def _funnel_rows():
    rows = []
    for group, n in (("Man", 900), ("Woman", 800), ("Non-binary", 40)):
        for stage, v in (("applied", 1.0), ("screen", 0.5)):
            rows.append(
                {
                    "group": group,
                    "stage": stage,
                    "value": v,
                    "n": n,
                    "numerator": n * v,
                    "denominator": n,
                    "suppressed": False,
                    "ci_low": v,
                    "ci_high": v,
                    "note": "",
                }
            )
    return pd.DataFrame(rows)


def test_a_group_keeps_its_style_across_two_charts_whatever_its_rank():
    funnel = funnel_figure(_funnel_rows(), ["applied", "screen"], "t")
    # the same groups in another chart, ranked differently (Woman largest here)
    km = pd.DataFrame(
        [
            {"group": g, "tenure_months": m, "survival": 0.9, "ci_low": 0.8, "ci_high": 0.95, "at_risk": n}
            for g, n in (("Woman", 500), ("Non-binary", 30), ("Man", 100))
            for m in (1.0, 2.0)
        ]
    )
    curves = km_figure(km, title="t", months=None)

    def styles(fig):
        return {t.name: (t.marker.color, t.marker.symbol) for t in fig.data if t.showlegend is not False}

    a, b = styles(funnel), styles(curves)
    for group in ("Woman", "Man", "Non-binary"):
        assert a[group] == b[group] == (group_style(group)["color"], group_style(group)["symbol"])
    assert len({a[g] for g in ("Woman", "Man", "Non-binary")}) == 3


def test_intersections_share_the_colour_of_their_first_value_and_differ_by_marker():
    wa, ww = group_style("Woman|Asian"), group_style("Woman|White")
    assert wa["color"] == ww["color"] == group_style("Woman")["color"]
    assert wa["symbol"] != ww["symbol"]
    assert group_style("Some new value") == group_style("Some new value")  # stable, not by rank


def test_group_labels_read_as_words():
    assert group_label("Woman|Asian") == "Woman, Asian"
    assert group_label(None) == "Not disclosed"
    assert group_label("Man|None") == "Man, Not disclosed"
    rows = pd.DataFrame(
        {
            "period": ["2024"],
            "period_start": pd.to_datetime(["2024-01-01"]),
            "period_end": pd.to_datetime(["2024-12-31"]),
            "group": ["Woman|Asian"],
            "value": [0.2],
            "ci_low": [0.1],
            "ci_high": [0.3],
            "n": [50],
            "suppressed": [False],
        }
    )
    fig = trend_figure(rows, title="t", y_title="y", unit="share")
    assert [t.name for t in fig.data] == ["Woman, Asian"]
