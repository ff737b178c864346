"""Every interval on a dashboard/PDF chart is drawn by one helper, dashboard.charts.error_bars
(issue 21): same asymmetric shape everywhere, and an unknown bound draws no bar instead of a
zero-length one that would read as an exact value."""

from __future__ import annotations

import math
import pathlib
import re

import pandas as pd
import pytest

from dashboard.charts import error_bars, trend_figure

DASHBOARD = pathlib.Path(__file__).resolve().parent.parent / "dashboard"


def test_lengths_are_the_distances_to_each_bound():
    # value 0.40 with interval 0.30..0.55: 0.15 up, 0.10 down; 12 with 10..20: 8 up, 2 down
    bars = error_bars(pd.Series([0.40, 12.0]), pd.Series([0.30, 10.0]), pd.Series([0.55, 20.0]), color="#0072B2")
    assert bars["type"] == "data" and bars["symmetric"] is False
    assert bars["array"] == pytest.approx([0.15, 8.0])
    assert bars["arrayminus"] == pytest.approx([0.10, 2.0])
    assert bars["color"] == "#0072B2" and bars["thickness"] == 1 and "width" not in bars


def test_unknown_bound_draws_no_bar_and_index_does_not_misalign():
    # the series come from filtered frames with different indexes: positions, not labels, pair them
    value = pd.Series([0.5, 0.2], index=[7, 9])
    low = pd.Series([float("nan"), 0.1], index=[0, 1])
    high = pd.Series([None, 0.35], index=[3, 4], dtype="object")
    bars = error_bars(value, low, high, color="#000000", thickness=1.5, width=4)
    assert bars["array"][0] is None and bars["arrayminus"][0] is None
    assert bars["array"][1] == pytest.approx(0.15) and bars["arrayminus"][1] == pytest.approx(0.1)
    assert bars["thickness"] == 1.5 and bars["width"] == 4


def test_trend_figure_uses_it():
    rows = pd.DataFrame(
        {
            "group": ["All", "All"],
            "period": ["2023", "2024"],
            "period_end": pd.to_datetime(["2023-12-31", "2024-12-31"]),
            "value": [0.30, 0.25],
            "ci_low": [0.20, math.nan],
            "ci_high": [0.42, math.nan],
            "n": [40, 50],
        }
    )
    err = trend_figure(rows, title="t", y_title="y", unit="share").data[0].error_y
    assert err.array[0] == pytest.approx(0.12) and err.array[1] is None
    assert err.arrayminus[0] == pytest.approx(0.10) and err.arrayminus[1] is None


def test_no_chart_outside_pay_builds_its_own_error_bar_dict():
    # pay adopts the helper in its own change; every other family must already use it
    offenders = [
        str(path.relative_to(DASHBOARD))
        for path in DASHBOARD.rglob("*.py")
        if "families/pay" not in path.as_posix()
        and path.relative_to(DASHBOARD).as_posix() != "charts.py"
        and re.search(r"\"arrayminus\"\s*:", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
