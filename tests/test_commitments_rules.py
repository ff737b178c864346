"""How a commitment is judged, on hand-made numbers: progress (met / on track / at risk / off
track / too early), no recent action and returned to baseline at +6 and +12 months, and the
headline precedence. Every expected value is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.charts import format_value as dashboard_format
from pipelines.families.commitments import rules
from pipelines.families.commitments.linked import add_months, checkpoint_dates
from pipelines.families.commitments.wording import format_value, months_between

D = dt.date
T_975_DF2 = 4.302653  # Student t, 97.5th percentile, 2 degrees of freedom (printed tables)


def series(values, ends=("2000-01-01", "2004-01-01", "2008-01-01", "2012-01-01")) -> pd.DataFrame:
    """Published rows whose period ends are exactly 1,461 days (4 x 365.25) apart, so time in
    years is exactly 0, 4, 8, 12 and the straight line can be worked out by hand."""
    return pd.DataFrame(
        {
            "period": [f"P{i + 1}" for i in range(len(values))],
            "period_start": [D.fromisoformat(e) - dt.timedelta(days=365) for e in ends[: len(values)]],
            "period_end": [D.fromisoformat(e) for e in ends[: len(values)]],
            "value": values,
        }
    )


# y = 1, 3, 2, 4 (%, scaled to shares below) at t = -6, -2, 2, 6 years from the centre:
#   mean 2.5; slope = sum(t y) / sum(t^2) = (-6 - 6 + 4 + 24) / 80 = 0.2 per year
#   fitted 1.3, 2.1, 2.9, 3.7; residuals -0.3, 0.9, -0.9, 0.3; RSS 1.8; s^2 = 1.8 / 2 = 0.9
# due 2020-01-01 is 8 years after the last point: t = 14
#   projection 2.5 + 0.2 x 14 = 5.3
#   variance of the line there 0.9 x (1/4 + 14^2/80) = 0.9 x 2.7 = 2.43, half-width 4.302653 x sqrt(2.43)
RISING = series([0.01, 0.03, 0.02, 0.04])
DUE, AS_OF = D(2020, 1, 1), D(2012, 6, 30)
PROJECTED = 0.053
HALF = T_975_DF2 * (2.43**0.5) / 100


def test_projection_equals_the_hand_calculation():
    p = rules.progress(RISING, 0.05, DUE, AS_OF, +1, "share", 3).projection
    assert p["projected"] == pytest.approx(PROJECTED, abs=1e-9)
    assert p["projected_low"] == pytest.approx(PROJECTED - HALF, abs=1e-6)  # -1.41%
    assert p["projected_high"] == pytest.approx(PROJECTED + HALF, abs=1e-6)  # 12.01%
    assert p["slope_per_year"] == pytest.approx(0.002, abs=1e-12)


@pytest.mark.parametrize(
    "target,label",
    [
        (0.05, rules.ON_TRACK),  # 5.3% >= 5%
        (0.06, rules.AT_RISK),  # 5.3% < 6%, but the interval reaches 12.0% >= 6%
        (0.13, rules.OFF_TRACK),  # even the top of the interval (12.0%) is below 13%
    ],
)
def test_rising_target_on_track_at_risk_off_track(target, label):
    result = rules.progress(RISING, target, DUE, AS_OF, +1, "share", 3)
    assert result.label == label
    assert "5.3%" in result.reason and "-1.4% to 12.0%" in result.reason


# A pay gap to close (lower is better), in percent: 4, 2, 3, 1 at t = -6, -2, 2, 6:
#   mean 2.5, slope (-24 - 4 + 6 + 6) / 80 = -0.2; projection at t = 14: 2.5 - 2.8 = -0.3
#   same residuals (0.3, -0.9, 0.9, -0.3), so the same half-width 6.707: -7.0 to 6.4
FALLING = series([4.0, 2.0, 3.0, 1.0])


@pytest.mark.parametrize(
    "target,label",
    [
        (0.0, rules.ON_TRACK),  # -0.3 <= 0
        (-1.0, rules.AT_RISK),  # -0.3 > -1, but the favourable end -7.0 <= -1
        (-8.0, rules.OFF_TRACK),  # -7.0 > -8
    ],
)
def test_falling_target_uses_the_lower_end_of_the_interval(target, label):
    sign = rules.direction(4.0, target, higher_is_better=False)
    assert sign == -1
    result = rules.progress(FALLING, target, DUE, AS_OF, sign, "percent", 3)
    assert result.label == label
    assert result.projection["projected"] == pytest.approx(-0.3, abs=1e-9)
    assert result.projection["projected_low"] == pytest.approx(-0.3 - T_975_DF2 * 2.43**0.5, abs=1e-5)


def test_met_early_too_early_and_after_the_due_date():
    assert rules.progress(RISING, 0.035, DUE, AS_OF, +1, "share", 3).label == rules.MET  # 4% >= 3.5%
    early = rules.progress(RISING.iloc[:2], 0.05, DUE, AS_OF, +1, "share", 3)
    assert early.label == rules.TOO_EARLY and "2 published full period(s)" in early.reason
    # due 2009-06-30 has passed by 2012-06-30: judged on the last period starting on or before
    # it, P3 (starts 2007-01-01, value 2%); P4 (4%) came later and does not count
    missed = rules.progress(RISING, 0.025, D(2009, 6, 30), AS_OF, +1, "share", 3)
    assert missed.label == rules.OFF_TRACK and missed.reason.startswith("Missed") and "P3 was at 2.0%" in missed.reason
    met = rules.progress(RISING, 0.02, D(2009, 6, 30), AS_OF, +1, "share", 3)
    assert met.label == rules.MET and "P3" in met.reason


def test_direction_of_a_hold_target_follows_the_metric():
    assert rules.direction(0.2, 0.3, None) == 1
    assert rules.direction(0.2, 0.1, True) == -1  # the target says lower, whatever the metric
    assert rules.direction(0.2, 0.2, False) == -1  # hold a turnover rate: at or below
    assert rules.direction(0.2, 0.2, None) == 1


# --- persistence: no recent action at +6 and +12 months ---------------------------------------
# Announced 2024-01-15; actions on 2024-02-01 and 2024-04-30; N = 6 months.
ANNOUNCED = D(2024, 1, 15)
ACTIONS = [D(2024, 2, 1), D(2024, 4, 30)]


def test_no_recent_action_at_six_and_twelve_months():
    last = rules.last_activity(ANNOUNCED, ACTIONS)
    assert last == D(2024, 4, 30)
    # +6 months (2024-07-15): the window starts 2024-01-15; 2024-04-30 is inside -> not flagged
    assert not rules.no_recent_action("in_progress", last, add_months(ANNOUNCED, 6), 6)
    # +12 months (2025-01-15): the window starts 2024-07-15; nothing since 2024-04-30 -> flagged
    assert rules.no_recent_action("in_progress", last, add_months(ANNOUNCED, 12), 6)
    # the window's first day counts as recent: as_of 2024-10-30 starts it on 2024-04-30
    assert not rules.no_recent_action("in_progress", last, D(2024, 10, 30), 6)
    assert rules.no_recent_action("in_progress", last, D(2024, 11, 1), 6)  # window from 2024-05-01
    # a committee review on 2024-09-01 is activity too
    assert not rules.no_recent_action(
        "in_progress", rules.last_activity(ANNOUNCED, ACTIONS + [D(2024, 9, 1)]), add_months(ANNOUNCED, 12), 6
    )
    # done and dropped commitments need no further action; planned ones do
    assert not rules.no_recent_action("done", last, add_months(ANNOUNCED, 12), 6)
    assert not rules.no_recent_action("dropped", last, add_months(ANNOUNCED, 12), 6)
    assert rules.no_recent_action("planned", ANNOUNCED, add_months(ANNOUNCED, 12), 6)


def test_no_recent_action_reason_says_when_activity_stopped():
    text = rules.no_recent_action_reason(ANNOUNCED, D(2024, 4, 30), D(2025, 1, 15), 6)
    assert "2024-04-30" in text and "3 months after the announcement" in text  # Jan 15 -> Apr 30
    assert "since the announcement on 2024-01-15, 12 months" in rules.no_recent_action_reason(
        ANNOUNCED, ANNOUNCED, D(2025, 1, 15), 6
    )


def test_checkpoint_dates_at_six_and_twelve_months():
    at_12 = checkpoint_dates(ANNOUNCED, D(2025, 1, 15), (6, 12, 24))
    assert [(label, day) for label, _, day in at_12] == [
        ("announcement", ANNOUNCED),
        ("+6 months", D(2024, 7, 15)),
        ("+12 months", D(2025, 1, 15)),
        ("+24 months", D(2026, 1, 15)),
    ]  # not reached; as_of is the +12 date: no 'now'
    at_8 = checkpoint_dates(ANNOUNCED, D(2024, 9, 30), (6, 12, 24))
    assert at_8[-1] == ("now", 8, D(2024, 9, 30))  # Jan -> Sep = 8 months
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)  # the 31st becomes the month's last day


# --- persistence: returned to baseline ----------------------------------------------------------
# Baseline 20% (95% CI 16% to 24%), target 30%: 10 points to go; an early gain needs 25% of
# that (2.5 points); given back = the latest value keeps less than half of the best gain.
BASELINE = pd.Series({"value": 0.20, "ci_low": 0.16, "ci_high": 0.24, "period": "2023"})


def points(*values) -> pd.DataFrame:
    labels = ["+6 months", "+12 months", "+24 months", "now"][: len(values)]
    days = [D(2024, 7, 15), D(2025, 1, 15), D(2026, 1, 15), D(2026, 6, 30)][: len(values)]
    return pd.DataFrame({"checkpoint": labels, "date": days, "value": values})


def back(pts, baseline=BASELINE, giveback=0.5, target=0.30):
    return rules.returned_to_baseline(baseline, pts, target, +1, "share", 0.25, giveback)


def test_returned_to_baseline_at_twelve_months():
    # +6: 26% (gain 6 points >= 2.5); +12: 22% keeps 2 points < half of 6 -> returned
    reason = back(points(0.26, 0.22))
    assert reason is not None and "26.0%" in reason and "22.0%" in reason and "+6 months" in reason
    # +12: 24.5% keeps 4.5 points >= 3, and is outside the baseline CI -> holding
    assert back(points(0.26, 0.245)) is None
    # only one checkpoint reached (+6): nothing to compare yet
    assert back(points(0.26)) is None


def test_back_inside_the_baseline_interval_counts_only_after_a_gain_beyond_it():
    # giveback 0.9: losing most would need < 0.6 points kept; 23.5% keeps 3.5 points, but the
    # +6 value (26%) had left the CI (24%) and 23.5% is back inside it -> returned
    assert back(points(0.26, 0.235), giveback=0.9) is not None
    # a peak of 23% never left the CI (gain 3 points >= 2.5, so an early gain): being inside
    # the CI again at 22.5% is not evidence of a return; 2.5 points kept >= 10% of 3 -> holding
    assert back(points(0.23, 0.225), giveback=0.9) is None


def test_no_early_gain_or_no_interval():
    # +6 at 21%: 1 point < 2.5 -> no early gain, so nothing to give back
    assert back(points(0.21, 0.20)) is None
    # a metric without an interval (spend share): only the give-back rule applies
    no_ci = pd.Series({"value": 0.20, "ci_low": float("nan"), "ci_high": float("nan"), "period": "2023"})
    assert back(points(0.26, 0.22), baseline=no_ci) is not None  # keeps 2 < 3
    assert back(points(0.26, 0.235), baseline=no_ci, giveback=0.9) is None


def test_headline_precedence():
    flags = [rules.NO_RECENT_ACTION, rules.RETURNED]
    assert rules.headline("dropped", False, rules.MET, flags) == "dropped"
    assert rules.headline("in_progress", False, "not enough data to report", flags) == "not enough data to report"
    assert rules.headline("in_progress", True, rules.MET, [rules.NO_RECENT_ACTION]) == rules.MET
    # met by the due date, but the gain was given back since: not a commitment kept
    assert rules.headline("done", True, rules.MET, [rules.RETURNED]) == rules.AT_RISK
    assert rules.headline("in_progress", True, rules.MET, flags) == rules.AT_RISK
    assert rules.headline("in_progress", True, rules.OFF_TRACK, flags) == rules.NO_RECENT_ACTION
    assert rules.headline("in_progress", True, rules.ON_TRACK, [rules.RETURNED]) == rules.AT_RISK
    assert rules.headline("in_progress", True, rules.OFF_TRACK, [rules.RETURNED]) == rules.OFF_TRACK
    assert rules.headline("in_progress", True, rules.ON_TRACK, []) == rules.ON_TRACK


@pytest.mark.parametrize("unit", ["share", "rate", "percent", "count", "currency", "ratio", "days"])
def test_sentences_format_numbers_like_the_dashboard(unit):
    for value in (0.0, 0.0534, 0.5, 1.0, 12.3456, 1234.5, float("nan")):
        assert format_value(value, unit) == dashboard_format(value, unit), (value, unit)


def test_months_between_counts_whole_months():
    assert months_between(D(2022, 1, 15), D(2022, 6, 30)) == 5
    assert months_between(D(2022, 1, 15), D(2022, 7, 14)) == 5
    assert months_between(D(2022, 1, 15), D(2022, 7, 15)) == 6


def test_a_met_commitment_that_gave_its_gain_back_is_at_risk_with_that_reason_first():
    """Assessed from hand-made published rows: met by the due date (2022: 31% >= 30%), but the
    share over the 12 months to each checkpoint went 20% -> 28% -> 30% -> 21%, keeping 1 of the
    best 10 points (< half): returned to baseline, so the headline is at risk."""
    from pipelines.families.commitments import Commitment, assess
    from pipelines.families.commitments.linked import CHECKPOINT_COLUMNS
    from pipelines.families.commitments.settings import Settings

    c = Commitment(
        id="K1",
        title="t",
        announced=D(2021, 1, 1),
        owner="o",
        metric="representation",
        dims=("gender",),
        group="Woman",
        baseline_period="2020",
        target=0.30,
        due=D(2022, 12, 31),
        status="done",
    )
    yearly = pd.DataFrame(
        {
            "period": ["2020", "2021", "2022"],
            "period_start": [D(2020, 1, 1), D(2021, 1, 1), D(2022, 1, 1)],
            "period_end": [D(2020, 12, 31), D(2021, 12, 31), D(2022, 12, 31)],
            "value": [0.20, 0.30, 0.31],
            "ci_low": [0.16, 0.26, 0.27],
            "ci_high": [0.24, 0.34, 0.35],
            "n": [40, 60, 62],
            "suppressed": [False] * 3,
            "note": [""] * 3,
        }
    )
    cps = pd.DataFrame(
        [
            ("announcement", 0, D(2021, 1, 1), D(2020, 1, 2), "published", 0.20, 0.16, 0.24, 40, "w"),
            ("+6 months", 6, D(2021, 7, 1), D(2020, 7, 2), "published", 0.28, 0.24, 0.32, 56, "w"),
            ("+12 months", 12, D(2022, 1, 1), D(2021, 1, 2), "published", 0.30, 0.26, 0.34, 60, "w"),
            ("+24 months", 24, D(2023, 1, 1), D(2022, 1, 2), "published", 0.21, 0.17, 0.25, 42, "w"),
        ],
        columns=CHECKPOINT_COLUMNS,
    )
    settings = Settings((6, 12, 24), 12, 6, 0.25, 0.5, 3)
    a = assess(c, yearly, cps, [], D(2023, 1, 1), settings)
    # 31% reaches the 30% target but its interval (27% to 35%) does not: met, not yet certain
    assert a.progress == rules.MET_UNCERTAIN and a.flags == (rules.RETURNED,)
    assert a.assessment == rules.AT_RISK
    assert a.reasons[0].startswith("Returned to baseline: 30.0%")
    assert a.reasons[1].startswith("Met, not yet certain: 31.0% in 2022")


@pytest.mark.parametrize(
    "setting,value,words",
    [
        ("window_months", 0, "commitments.window_months must be a whole number of at least 1"),
        ("giveback_share", 1.5, "commitments.giveback_share must be a number above 0 and at most 1"),
        ("projection_min_periods", 2, "at least 3"),  # two points leave no degree of freedom for the interval
        ("checkpoint_months", [], "commitments.checkpoint_months must be a list"),
    ],
)
def test_out_of_range_settings_are_refused_by_name(setting, value, words):
    from pipelines.families.commitments.settings import commitment_settings
    from pipelines.config import default_config
    from pipelines.errors import DataError

    config = default_config()
    config["commitments"][setting] = value
    with pytest.raises(DataError, match=words):
        commitment_settings(config)
    assert commitment_settings(default_config()).checkpoint_months == (6, 12, 24)
