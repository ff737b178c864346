"""The order of job levels, low to high, shared by every family that ranks them: workforce's
promotions (a move up the order) and pay's statutory indicators (Egapro's promotions) read the
same top-level `job_levels` setting, so the order is the engine's, not one family's."""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..config import setting


def _natural_key(label: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", label))


def ordered_levels(found: Iterable[str], config: dict[str, Any]) -> list[str]:
    """Job levels low to high: the configured `job_levels`, else the natural sort of the
    labels found (L2 < L10), without the Unknown label."""
    configured = setting(config, "job_levels")
    if configured:
        return [str(v) for v in configured]
    unknown = setting(config, "demographics.unknown_label")
    return sorted((v for v in found if v is not None and v != unknown), key=_natural_key)
