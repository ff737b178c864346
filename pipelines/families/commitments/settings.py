"""The `commitments` settings of equity.yml, read once and checked (thresholds live in
pipelines/defaults.yml; this module only validates them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...config import setting
from ...errors import DataError


@dataclass(frozen=True)
class Settings:
    checkpoint_months: tuple[int, ...]
    window_months: int
    no_recent_action_months: int
    min_gain_share: float
    giveback_share: float
    projection_min_periods: int


def _whole(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise DataError(
            f"commitments.{name} must be a whole number of at least {minimum} (got {value!r})", file="equity.yml"
        )
    return value


def _share(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise DataError(f"commitments.{name} must be a number above 0 and at most 1 (got {value!r})", file="equity.yml")
    return float(value)


def commitment_settings(config: dict[str, Any]) -> Settings:
    """The validated settings; a DataError names the setting when one is out of range."""

    def raw(name: str) -> Any:
        return setting(config, f"commitments.{name}")

    months = raw("checkpoint_months")
    if not isinstance(months, list) or not months:
        raise DataError(f"commitments.checkpoint_months must be a list of months (got {months!r})", file="equity.yml")
    checkpoints = tuple(sorted({_whole(m, "checkpoint_months", 1) for m in months}))
    return Settings(
        checkpoint_months=checkpoints,
        window_months=_whole(raw("window_months"), "window_months", 1),
        no_recent_action_months=_whole(raw("no_recent_action_months"), "no_recent_action_months", 1),
        min_gain_share=_share(raw("min_gain_share"), "min_gain_share"),
        giveback_share=_share(raw("giveback_share"), "giveback_share"),
        projection_min_periods=_whole(raw("projection_min_periods"), "projection_min_periods", 3),
    )
