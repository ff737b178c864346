"""How a commitment is judged: pure functions on published values and dates, so each rule
can be checked on hand-made numbers (tests/test_commitments_rules.py). docs/commitments.md
states the same rules in prose.

- progress: met / on track / at risk / off track / too early to project, from the yearly
  values (the straight-line projection is pipelines.families.workforce.targets.project);
- no recent action: no action, review entry or announcement in the last N months;
- returned to baseline: an early gain at a checkpoint that the latest value has given back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..workforce import project
from .linked import add_months
from .wording import format_value, months_between

MET, ON_TRACK, AT_RISK, OFF_TRACK = "met", "on track", "at risk", "off track"
MET_UNCERTAIN = "met, not yet certain"  # the value reaches the target, its 95% interval does not
TOO_EARLY = "too early to project"
NO_RECENT_ACTION = "no recent action"
RETURNED = "returned to baseline"
ACTIVE_STATUSES = ("planned", "in_progress")


@dataclass(frozen=True)
class Progress:
    label: str
    reason: str
    projection: dict | None = None


def direction(baseline: float, target: float, higher_is_better: bool | None) -> int:
    """+1 when the commitment means raising the value, -1 when lowering it. A target equal to
    the baseline means holding it: the metric's own better direction decides."""
    if target != baseline:
        return 1 if target > baseline else -1
    return -1 if higher_is_better is False else 1


def meets(value: float, target: float, sign: int) -> bool:
    return sign * (value - target) >= 0


def certain(row: pd.Series, target: float, sign: int) -> bool:
    """Does the value's whole 95% interval reach the target? (A census count has no interval:
    its value is the figure.)"""
    far = row.get("ci_low") if sign > 0 else row.get("ci_high")
    return far is None or pd.isna(far) or meets(far, target, sign)


def _met(row: pd.Series, target: float, sign: int, fmt, text: str) -> Progress:
    if certain(row, target, sign):
        return Progress(MET, text)
    return Progress(
        MET_UNCERTAIN,
        text.replace("Met", "Met, not yet certain", 1).rstrip(".")
        + f", but its 95% CI ({fmt(row['ci_low'])} to {fmt(row['ci_high'])}) still reaches "
        "past the target.",
    )


def progress(
    shown: pd.DataFrame, target: float, due: dt.date, as_of: dt.date, sign: int, unit: str, min_periods: int
) -> Progress:
    """`shown`: the published full periods from the baseline on (period, period_start,
    period_end, value), oldest first, at least the baseline itself."""
    fmt = lambda v: format_value(v, unit)  # noqa: E731 - a local shorthand keeps the sentences readable
    goal = f"the target of {fmt(target)}"
    if due <= as_of:  # judged on the period holding the due date (or the last one before it)
        by_due = shown[pd.to_datetime(shown["period_start"]).dt.date <= due].iloc[-1]
        if meets(by_due["value"], target, sign):
            return _met(
                by_due,
                target,
                sign,
                fmt,
                f"Met: {fmt(by_due['value'])} in {by_due['period']}, the period of the due date {due}, against {goal}.",
            )
        return Progress(
            OFF_TRACK,
            f"Missed: the due date {due} has passed and {by_due['period']} was at "
            f"{fmt(by_due['value'])}, short of {goal}.",
        )
    latest = shown.iloc[-1]
    if meets(latest["value"], target, sign):
        return _met(
            latest,
            target,
            sign,
            fmt,
            f"Met early: {fmt(latest['value'])} in {latest['period']} already reaches {goal} due {due}.",
        )
    if len(shown) < min_periods:
        return Progress(
            TOO_EARLY,
            f"Too early to project: {len(shown)} published full period(s) from the "
            f"baseline on; the straight-line trend needs {min_periods}.",
        )
    proj = project(shown, due)
    span = f"{shown['period'].iat[0]} to {shown['period'].iat[-1]}"
    where = f"the straight-line trend of {span} reaches {fmt(proj['projected'])} by {due}"
    interval = f"{fmt(proj['projected_low'])} to {fmt(proj['projected_high'])}"
    if meets(proj["projected"], target, sign):
        return Progress(ON_TRACK, f"On track: {where} (95% CI {interval}), meeting {goal}.", proj)
    # at risk: the trend falls short, but the target is still inside the trend's 95% interval
    favourable_end = proj["projected_high"] if sign > 0 else proj["projected_low"]
    if meets(favourable_end, target, sign):
        return Progress(
            AT_RISK, f"At risk: {where}, short of {goal}, though its 95% interval ({interval}) includes it.", proj
        )
    return Progress(OFF_TRACK, f"Off track: {where} (95% CI {interval}), short of {goal}.", proj)


def last_activity(announced: dt.date, dates: list[dt.date]) -> dt.date:
    """The latest of the announcement, the actions and the review entries."""
    return max([announced, *dates])


def no_recent_action(status: str, last: dt.date, as_of: dt.date, months: int) -> bool:
    """Planned or in-progress, and nothing recorded on or after as_of minus `months`. A done or
    dropped commitment needs no further action."""
    return status in ACTIVE_STATUSES and last < add_months(as_of, -months)


def no_recent_action_reason(announced: dt.date, last: dt.date, as_of: dt.date, months: int) -> str:
    if last == announced:
        return (
            f"No recent action: nothing has been recorded since the announcement on {announced}, "
            f"{months_between(announced, as_of)} months before {as_of}."
        )
    after = months_between(announced, last)
    return (
        f"No recent action: the last action or review was on {last}, {after} month{'s' * (after != 1)} "
        f"after the announcement; nothing was recorded in the {months} months to {as_of}."
    )


def returned_to_baseline(
    baseline: pd.Series,
    points: pd.DataFrame,
    target: float,
    sign: int,
    unit: str,
    min_gain_share: float,
    giveback_share: float,
    window_months: int = 12,
) -> str | None:
    """The reason when an early gain was given back, else None.

    `baseline`: value, ci_low, ci_high, period. `points`: the published checkpoints after the
    announcement (checkpoint, date, value), oldest first; the last one is the latest value.
    An early gain is a checkpoint that covered at least `min_gain_share` of the way from the
    baseline to the target. It counts as given back when the latest value lost more than
    `giveback_share` of the best such gain or - if that gain had left the baseline's 95% CI,
    so it was more than noise - is back inside that CI.
    """
    needed = abs(target - baseline["value"])
    if needed == 0 or len(points) < 2:
        return None
    earlier, latest = points.iloc[:-1], points.iloc[-1]
    gains = sign * (earlier["value"].to_numpy(float) - baseline["value"])
    best_at = int(np.argmax(gains))
    best = gains[best_at]
    if best < min_gain_share * needed:
        return None
    low, high = baseline.get("ci_low"), baseline.get("ci_high")
    has_ci = pd.notna(low) and pd.notna(high)
    inside = lambda v: has_ci and low <= v <= high  # noqa: E731
    now_gain = sign * (latest["value"] - baseline["value"])
    lost_most = now_gain < (1 - giveback_share) * best
    back_in_ci = inside(latest["value"]) and not inside(earlier["value"].iat[best_at])
    if not (lost_most or back_in_ci):
        return None
    peak = earlier.iloc[best_at]
    window = f"in the {window_months} months to"
    return (
        f"Returned to baseline: {format_value(peak['value'], unit)} {window} {peak['date']} "
        f"({peak['checkpoint']}), back to {format_value(latest['value'], unit)} {window} "
        f"{latest['date']} (baseline {format_value(baseline['value'], unit)} in {baseline['period']})."
    )


def headline(status: str, data_ok: bool, progress_label: str, flags: list[str]) -> str:
    """One label per commitment for the Overview and the PDF, in this order of precedence:
    dropped; not enough data to report; met; no recent action; then the progress label. A met
    or on-track commitment whose early gain was given back is at risk: holding the gain after
    the announcement is the point of the persistence check."""
    if status == "dropped":
        return "dropped"
    if not data_ok:
        return "not enough data to report"
    if progress_label in (MET, MET_UNCERTAIN, ON_TRACK) and RETURNED in flags:
        return AT_RISK
    if progress_label in (MET, MET_UNCERTAIN):
        return progress_label
    if NO_RECENT_ACTION in flags:
        return NO_RECENT_ACTION
    return progress_label
