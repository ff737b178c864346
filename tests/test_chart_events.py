"""Policy events: drawn at their own date on a time axis whose periods are bands, and only
on the charts of the family they name (issue 19)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.charts import trend_figure
from dashboard.families.suppliers.charts import line_figure
from pipelines.db import events_of

from tests.helpers import build_and_open, employees_folder, write_csv


@pytest.fixture(scope="module")
def events_con(tmp_path_factory):
    root = tmp_path_factory.mktemp("events")
    folder = employees_folder(
        root / "data",
        [
            {
                "employee_id": "E1",
                "hire_date": "2020-01-01",
                "gender": "Woman",
                "race_ethnicity": "White",
                "birth_year": "1980",
            }
        ],
        config={"history_start": "2020-01-01", "as_of": "2023-12-31"},
    )
    write_csv(
        folder / "reference" / "events.csv",
        ["event_date", "label", "description", "family"],
        [
            ["2022-01-01", "Parental leave", "HR policy", "workforce"],
            ["2023-06-01", "Supplier portal", "", "suppliers"],
            ["2021-03-01", "Everyone", "no family: every chart", ""],
        ],
    )
    con = build_and_open(folder)
    yield con
    con.close()


def test_events_are_kept_to_their_family(events_con):
    assert list(events_of(events_con)["label"]) == ["Everyone", "Parental leave", "Supplier portal"]
    assert list(events_of(events_con, "workforce")["label"]) == ["Everyone", "Parental leave"]
    assert list(events_of(events_con, "suppliers")["label"]) == ["Everyone", "Supplier portal"]
    assert list(events_of(events_con, "pay")["label"]) == ["Everyone"]


def _yearly(years):
    return pd.DataFrame(
        {
            "period": [str(y) for y in years],
            "period_start": [pd.Timestamp(f"{y}-01-01") for y in years],
            "period_end": [pd.Timestamp(f"{y}-12-31") for y in years],
            "group": "All",
            "value": 0.5,
            "ci_low": 0.4,
            "ci_high": 0.6,
            "n": 100,
            "suppressed": False,
            "series": "All",
        }
    )


def _band_label(fig, x):
    """The tick label of the period band (between minor gridlines) that contains date x."""
    axis = fig.layout.xaxis
    bounds = [pd.Timestamp(b) for b in axis.minor.tickvals]
    for lo, hi in zip(bounds, bounds[1:]):
        if lo <= x < hi:
            inside = [t for v, t in zip(axis.tickvals, axis.ticktext) if lo <= pd.Timestamp(v) < hi]
            assert len(inside) == 1
            return inside[0]
    raise AssertionError(f"{x} is on no band")


@pytest.mark.parametrize(
    "draw",
    [
        lambda rows, ev: trend_figure(rows, title="t", y_title="y", unit="share", events=ev),
        lambda rows, ev: line_figure(rows, "series", title="t", y_title="y", unit="share", events=ev),
    ],
)
def test_an_event_is_drawn_at_its_date_inside_its_own_year(draw):
    ev = pd.DataFrame(
        {
            "event_date": [pd.Timestamp("2022-01-01")],
            "label": ["Parental leave"],
            "description": [""],
            "family": ["workforce"],
        }
    )
    fig = draw(_yearly([2020, 2021, 2022, 2023]), ev)
    line = [s for s in fig.layout.shapes if s.type == "line"][0]
    assert pd.Timestamp(line.x0) == pd.Timestamp("2022-01-01")
    assert _band_label(fig, pd.Timestamp(line.x0)) == "2022"
    # the 2021 point (drawn on 31 Dec 2021) is in the 2021 band, the day before the event
    assert _band_label(fig, pd.Timestamp("2021-12-31")) == "2021"
    assert fig.layout.xaxis.type == "date"


def test_quarters_are_bands_too():
    q = pd.DataFrame(
        {
            "period": ["2022-Q1", "2022-Q2"],
            "period_start": pd.to_datetime(["2022-01-01", "2022-04-01"]),
            "period_end": pd.to_datetime(["2022-03-31", "2022-06-30"]),
            "group": "All",
            "value": 1.0,
            "ci_low": None,
            "ci_high": None,
            "n": 10,
            "suppressed": False,
        }
    )
    fig = trend_figure(q, title="t", y_title="y", unit="count")
    assert _band_label(fig, pd.Timestamp("2022-04-01")) == "2022-Q2"
    assert _band_label(fig, pd.Timestamp("2022-03-31")) == "2022-Q1"
