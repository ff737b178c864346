"""Each commitment assessed: baseline, latest and target values with CI and n, the projection
to the due date, the persistence checkpoints with the activity between them, the flags and
one headline label with its reasons in plain language.

`linked_values` does the expensive part (compute() calls, cacheable per database run);
`assess` is pure, so the dashboard can re-assess as soon as a review entry is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ...metrics import build_context, full_period_rows
from . import rules
from .linked import NOT_ENOUGH, checkpoint_rows, yearly_rows
from .precomputed import is_precomputed, stored_linked_values
from .register import Commitment
from .review_log import current_entries, review_dates, review_log_path
from .settings import Settings, commitment_settings
from .store import load_register
from ...formatting import group_label


@dataclass
class Assessment:
    commitment: Commitment
    assessment: str  # the headline label (rules.headline)
    progress: str  # met / on track / at risk / off track / too early / not enough data
    flags: tuple[str, ...]  # no recent action, returned to baseline
    reasons: tuple[str, ...]  # the headline's reason first
    baseline: pd.Series | None  # published rows only: None when hidden
    latest: pd.Series | None
    projection: dict | None
    last_activity: dt.date
    yearly: pd.DataFrame  # the group's published yearly rows (as compute() returns them)
    checkpoints: pd.DataFrame  # linked.checkpoint_rows + actions, reviews, note

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


def _published(row: pd.Series | None) -> bool:
    return row is not None and not bool(row["suppressed"]) and pd.notna(row["value"])


def with_activity(checkpoints: pd.DataFrame, c: Commitment, reviews: list[dt.date]) -> pd.DataFrame:
    """Actions and review entries dated in each checkpoint's interval (up to the announcement,
    then since the previous checkpoint), and a note when a reached interval had none."""
    out = checkpoints.copy()
    actions = [a.date for a in c.actions]
    counts, notes, previous = [], [], None
    for row in out.itertuples():
        inside = (lambda d: d <= row.date) if previous is None else (lambda d: previous < d <= row.date)
        reached = row.state != "not reached yet"
        n_actions = sum(map(inside, actions)) if reached else None
        n_reviews = sum(map(inside, reviews)) if reached else None
        counts.append((n_actions, n_reviews))
        note = row.state if row.state != "published" else ""
        if reached and previous is not None and n_actions == 0 and n_reviews == 0:
            note = "; ".join(p for p in (note, f"no action or review since {previous}") if p)
        notes.append(note)
        previous = row.date
    out["actions"] = pd.array([a for a, _ in counts], dtype="Int64")
    out["reviews"] = pd.array([r for _, r in counts], dtype="Int64")
    out["note"] = notes
    return out


def _not_enough_reason(c: Commitment, baseline: pd.Series | None, latest: pd.Series | None) -> str:
    which = (
        f"the baseline period {c.baseline_period}"
        if not _published(baseline)
        else f"the latest full period {latest['period'] if latest is not None else ''}".strip()
    )
    return (
        f"Not enough data to report: {group_label(c.group)} is below the privacy threshold in {which} (too few people "
        f"or companies once the figures are protected)."
    )


def assess(
    c: Commitment,
    yearly: pd.DataFrame,
    checkpoints: pd.DataFrame,
    reviews: list[dt.date],
    as_of: dt.date,
    settings: Settings,
) -> Assessment:
    """The assessment from published values and dates only (see rules.py for each rule)."""
    spec = c.spec
    full = full_period_rows(yearly)
    base_rows = full[full["period"] == c.baseline_period]
    baseline = base_rows.iloc[0] if len(base_rows) else None
    latest = full.iloc[-1] if len(full) else None
    checkpoints = with_activity(checkpoints, c, reviews)
    last = rules.last_activity(c.announced, [a.date for a in c.actions] + list(reviews))
    flags, extra = [], []
    if rules.no_recent_action(c.status, last, as_of, settings.no_recent_action_months):
        flags.append(rules.NO_RECENT_ACTION)
        extra.append(rules.no_recent_action_reason(c.announced, last, as_of, settings.no_recent_action_months))
    data_ok = _published(baseline) and _published(latest)
    if not data_ok:
        progress = rules.Progress(NOT_ENOUGH, _not_enough_reason(c, baseline, latest))
    else:
        shown = full[(full["period_start"] >= baseline["period_start"]) & ~full["suppressed"] & full["value"].notna()]
        sign = rules.direction(float(baseline["value"]), c.target, spec.higher_is_better)
        progress = rules.progress(shown, c.target, c.due, as_of, sign, spec.unit, settings.projection_min_periods)
        points = checkpoints[(checkpoints["months"] > 0) & (checkpoints["state"] == "published")]
        back = rules.returned_to_baseline(
            baseline,
            points,
            c.target,
            sign,
            spec.unit,
            settings.min_gain_share,
            settings.giveback_share,
            settings.window_months,
        )
        if back:
            flags.append(rules.RETURNED)
            extra.append(back)
    label = rules.headline(c.status, data_ok, progress.label, flags)
    reasons = [progress.reason] + extra
    if label == rules.NO_RECENT_ACTION:  # the headline's reason comes first
        reasons = extra[:1] + [progress.reason] + extra[1:]
    elif label == rules.AT_RISK and progress.label != rules.AT_RISK:  # at risk because the gain was lost
        reasons = extra[-1:] + [progress.reason] + extra[:-1]
    if label == "dropped":
        reasons = ["Dropped: the register marks this commitment as dropped."] + reasons
    return Assessment(
        commitment=c,
        assessment=label,
        progress=progress.label,
        flags=tuple(flags),
        reasons=tuple(reasons),
        baseline=baseline if _published(baseline) else None,
        latest=latest if _published(latest) else None,
        projection=progress.projection,
        last_activity=last,
        yearly=yearly,
        checkpoints=checkpoints,
    )


def linked_values(
    con, c: Commitment, history_start: dt.date, as_of: dt.date, settings: Settings, exact: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(yearly rows, checkpoint rows) of the commitment's linked metric, as published
    (protected), or the data owner's exact figures with `exact`."""
    if is_precomputed(con) and not exact:  # a Spark results database: computed on the cluster
        return stored_linked_values(con, c)
    return yearly_rows(con, c, exact), checkpoint_rows(con, c, history_start, as_of, settings, exact)


def current_reviews(con) -> pd.DataFrame:
    """The review entries in force for the run `con` reads (empty without a log file)."""
    return current_entries(review_log_path(con))


def assess_register(con, reviews: pd.DataFrame | None = None, exact: bool = False) -> list[Assessment]:
    """Every commitment of the run, assessed with the review log beside its database, on
    published (protected) values, or on exact ones for the data owner (`exact`)."""
    register = load_register(con)
    if not register:
        return []
    ctx = build_context(con)
    settings = commitment_settings(ctx["config"])
    reviews = current_reviews(con) if reviews is None else reviews
    out = []
    for c in register:
        yearly, checkpoints = linked_values(con, c, ctx["history_start"], ctx["as_of"], settings, exact)
        out.append(assess(c, yearly, checkpoints, review_dates(reviews, c.id), ctx["as_of"], settings))
    return out


def status_table(assessments: list[Assessment]) -> pd.DataFrame:
    """One row per commitment, numbers as numbers (blank when hidden): the CLI and CSV table."""
    rows = []
    for a in assessments:
        c, b, latest, p = a.commitment, a.baseline, a.latest, a.projection or {}
        rows.append(
            {
                "id": c.id,
                "title": c.title,
                "owner": c.owner,
                "status": c.status,
                "assessment": a.assessment,
                "progress": a.progress,
                "flags": "; ".join(a.flags),
                "linked_metric": c.linked_label,
                "baseline_period": c.baseline_period,
                "baseline": b["value"] if b is not None else None,
                "baseline_ci_low": b["ci_low"] if b is not None else None,
                "baseline_ci_high": b["ci_high"] if b is not None else None,
                "baseline_n": b["n"] if b is not None else None,
                "latest_period": latest["period"] if latest is not None else None,
                "latest": latest["value"] if latest is not None else None,
                "latest_ci_low": latest["ci_low"] if latest is not None else None,
                "latest_ci_high": latest["ci_high"] if latest is not None else None,
                "latest_n": latest["n"] if latest is not None else None,
                "target": c.target,
                "due": c.due,
                "projected": p.get("projected"),
                "projected_low": p.get("projected_low"),
                "projected_high": p.get("projected_high"),
                "announced": c.announced,
                "last_activity": a.last_activity,
                "reason": a.reason,
            }
        )
    frame = pd.DataFrame(rows)
    for col in ("baseline_n", "latest_n"):
        if col in frame:
            frame[col] = pd.array(frame[col].tolist(), dtype="Int64")
    return frame
