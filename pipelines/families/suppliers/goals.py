"""Supplier-diversity goals: achievement = actual share / goal, graded on a configurable scale.

Goals and the grade scale live in `procurement` of defaults.yml / equity.yml; the optional
`goal_preset: sba` adds the US SBA procurement scorecard goals. Actual shares are read from
the *published* (suppressed) metric tables, so a grade can never reveal a hidden share: a
suppressed share has no achievement and no grade.

Band boundaries: achievement is rounded to 0.01 percentage points (half up) before it is
compared with the band minimums (which include their boundary: 120.00% is A+, 119.99% is A), so
4.5% against a 5% goal is exactly 90.00% (B) even though 0.045 / 0.05 * 100 is
89.99999999999999 in binary floating point; 119.994% rounds to 119.99% (A), 119.996% to 120.00%.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from ...errors import DataError
from ...metrics._engine import compute
from .sql import SETTINGS_FILE, SPEND_BASES
from ...config import setting

UNION = "DIVERSE"  # a goal on the diverse total (counted once), not on one certification
CENT = Decimal("0.01")

GOAL_COLUMNS = [
    "goal",
    "certification",
    "spend_base",
    "target",
    "due",
    "period",
    "period_start",
    "period_end",
    "actual",
    "numerator",
    "denominator",
    "n",
    "suppressed",
    "achievement_pct",
    "grade",
    "status",
    "note",
]


@dataclass(frozen=True)
class Goal:
    certification: str  # upper-cased code, or UNION
    target: float  # share of spend, 0 < target <= 1
    spend_base: str  # total | addressable
    due: dt.date | None  # None: a standing (every period) goal
    label: str

    @property
    def is_union(self) -> bool:
        return self.certification == UNION


@dataclass(frozen=True)
class Band:
    grade: str
    min_pct: Decimal


def _goal(item: Any, where: str) -> Goal:
    if not isinstance(item, dict) or "certification" not in item or "value" not in item:
        raise DataError(f"{where} must be a mapping with certification and value (got {item!r})", file=SETTINGS_FILE)
    cert = str(item["certification"]).strip().upper()
    value = item["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise DataError(
            f"{where}: value must be a share between 0 and 1, e.g. 0.05 for 5% (got {value!r})", file=SETTINGS_FILE
        )
    base = str(item.get("base", "addressable"))
    if base not in SPEND_BASES:
        raise DataError(f"{where}: base must be one of {', '.join(SPEND_BASES)} (got {base!r})", file=SETTINGS_FILE)
    due = item.get("due")
    try:
        due = None if due in (None, "") else pd.Timestamp(due).date()
    except ValueError:
        raise DataError(f"{where}: due must be a date YYYY-MM-DD (got {due!r})", file=SETTINGS_FILE) from None
    name = "Diverse suppliers (counted once)" if cert == UNION else cert
    label = str(item.get("label") or f"{name} {value * 100:.4g}%")
    return Goal(certification=cert, target=float(value), spend_base=base, due=due, label=label)


def configured_goals(config: dict[str, Any]) -> list[Goal]:
    """The preset's goals (if `goal_preset` is set) followed by `goals`, validated."""
    proc = setting(config, "procurement")
    preset = proc.get("goal_preset")
    items: list[tuple[Any, str]] = []
    if preset:
        presets = proc.get("goal_presets") or {}
        if preset not in presets:
            raise DataError(
                f"procurement.goal_preset {preset!r} is not one of: {', '.join(presets) or 'none'}", file=SETTINGS_FILE
            )
        items += [(g, f"procurement.goal_presets.{preset}[{i}]") for i, g in enumerate(presets[preset])]
    items += [(g, f"procurement.goals[{i}]") for i, g in enumerate(proc.get("goals") or [])]
    return [_goal(item, where) for item, where in items]


def preset_config(config: dict[str, Any], preset: str) -> dict[str, Any]:
    """The config with only a preset's goals: to preview e.g. the SBA scorecard without a rebuild."""
    proc = dict(setting(config, "procurement"), goal_preset=preset, goals=[])
    return {**config, "procurement": proc}


def goal_certifications(config: dict[str, Any]) -> set[str]:
    """Every single certification named by a configured goal or by any goal preset."""
    proc = setting(config, "procurement")
    items = list(proc.get("goals") or [])
    for preset in (proc.get("goal_presets") or {}).values():
        items += list(preset or [])
    names = {str(g.get("certification", "")).strip().upper() for g in items if isinstance(g, dict)}
    return {n for n in names if n and n != UNION}


def grade_scale(config: dict[str, Any]) -> list[Band]:
    """Bands from the highest minimum down; the last must start at 0 so every value gets a grade."""
    raw = setting(config, "procurement.grade_scale") or []
    try:
        bands = [Band(str(b["grade"]), Decimal(str(b["min_pct"]))) for b in raw]
    except (KeyError, TypeError, ArithmeticError):
        raise DataError("procurement.grade_scale must be a list of {grade, min_pct}", file=SETTINGS_FILE) from None
    bands.sort(key=lambda b: b.min_pct, reverse=True)
    if not bands or bands[-1].min_pct != 0:
        raise DataError("procurement.grade_scale needs a lowest band with min_pct 0", file=SETTINGS_FILE)
    return bands


def achievement_pct(actual: float, target: float) -> Decimal:
    """actual / target in percent, rounded half up to 0.01 points (see the module docstring)."""
    return Decimal(repr(actual / target * 100)).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_for(pct: Decimal, bands: list[Band]) -> str:
    """The grade of the highest band whose minimum the achievement reaches (>=)."""
    for band in bands:
        if pct >= band.min_pct:
            return band.grade
    return bands[-1].grade


def _status(goal: Goal, period_end: dt.date, pct: Decimal | None) -> str:
    if pct is None:
        return ""
    met = "met" if pct >= 100 else "not met"
    if goal.due is None:
        return met
    return f"{met} (due {goal.due})" if period_end <= goal.due else f"{met} (after the due date {goal.due})"


def _actual_rows(con, goal: Goal, **kwargs) -> pd.DataFrame:
    if goal.is_union:
        table = compute(con, "diverse_spend_share", **kwargs)
    else:
        table = compute(con, "certified_spend_share", **kwargs)
        table = table[table["certification"] == goal.certification]
    return table[(table["group"] == "All") & (table["spend_base"] == goal.spend_base)]


def goal_progress(
    con,
    config: dict[str, Any],
    period: str = "year",
    date_from=None,
    date_to=None,
    k: int | None = None,
    exact: bool = False,
) -> pd.DataFrame:
    """One row per goal x period: the published share, achievement % and grade (blank when the
    share is suppressed or undefined)."""
    goals, bands = configured_goals(config), grade_scale(config)
    out = []
    for goal in goals:
        rows = _actual_rows(con, goal, period=period, date_from=date_from, date_to=date_to, k=k, exact=exact)
        for r in rows.itertuples():
            shown = not r.suppressed and pd.notna(r.value)
            pct = achievement_pct(r.value, goal.target) if shown else None
            out.append(
                {
                    "goal": goal.label,
                    "certification": goal.certification,
                    "spend_base": goal.spend_base,
                    "target": goal.target,
                    "due": goal.due,
                    "period": r.period,
                    "period_start": r.period_start,
                    "period_end": r.period_end,
                    "actual": r.value if shown else None,
                    "numerator": r.numerator,
                    "denominator": r.denominator,
                    "n": r.n,
                    "suppressed": r.suppressed,
                    "achievement_pct": float(pct) if pct is not None else None,
                    "grade": grade_for(pct, bands) if pct is not None else "",
                    "status": _status(goal, r.period_end, pct),
                    "note": r.note,
                }
            )
    return pd.DataFrame(out, columns=GOAL_COLUMNS)
