"""The Index Egapro's arithmetic shared by every indicator: the simulator's rounding (6
decimals at each step, halves towards +infinity as JavaScript's Math.round), the points grid,
the headcount weighting and the 40% calculability rule (Code du travail, D1142-2 annexes)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, localcontext


PREC = 50


def js_round(value: Decimal, places: int) -> Decimal:
    """Math.round(value x 10^places) / 10^places: halves go towards +infinity (as the simulator)."""
    with localcontext() as ctx:
        ctx.prec = PREC
        scale = Decimal(10) ** places
        return (Decimal(value) * scale + Decimal("0.5")).to_integral_value(rounding=ROUND_FLOOR) / scale


def grid_score(gap_pct: Decimal, grid: list[int]) -> int:
    """Indicator 1 points: the absolute gap rounded to one decimal, then each started point
    of gap moves one step down the grid (0 -> 40, up to 1 -> 39, ... over 20 -> 0)."""
    rounded = js_round(abs(Decimal(gap_pct)), 1)
    step = int(rounded.to_integral_value(rounding="ROUND_CEILING")) if rounded > 0 else 0
    return grid[min(len(grid) - 1, step)]


def weighted_gap(adjusted: Decimal | None, headcount: int, valid_total: int) -> Decimal | None:
    """A valid cell's share of the indicator: gap x cell headcount / headcount of valid cells."""
    if adjusted is None or valid_total <= 0:
        return None
    return js_round(adjusted * headcount / valid_total, 6)


def is_calculable(total: int, valid_total: int, share: Decimal = Decimal("0.4")) -> bool:
    """Valid cells must cover at least 40% of the employees counted."""
    return total > 0 and valid_total >= total * share
