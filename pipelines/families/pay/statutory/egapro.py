"""The `egapro_index` mechanism: France's Index de l'egalite professionnelle.

Indicator 1 (pay gap, 40 points) by cells of socio-professional category (or coefficient
level) x age band, indicator 5 (under-represented sex among the 10 highest paid, 10 points),
and the index over the calculable indicators; indicators 2, 3, 2-3 and 4 (raises, promotions,
return from maternity leave) are in egapro_careers.py. Every threshold, grid and band comes from the
pack (fr_egapro_2019.yml); the rounding reproduces the Ministry's simulator, which rounds to
6 decimals at each step half towards +infinity (JavaScript Math.round).

The cells are below organisation level: they are inputs of the indicator and are not
published by the report (only the count of valid cells and their coverage are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, localcontext

import pandas as pd

from ....rules import Pack
from .egapro_careers import Ind1, career_rows
from .egapro_grid import PREC, grid_score, is_calculable, js_round, weighted_gap  # noqa: F401
from .gaps import ORGANISATION_LEVEL, row


def cell_gap(mean_women: Decimal, mean_men: Decimal) -> Decimal | None:
    """(men - women) / men to 6 decimals; undefined unless both means are positive (Annexe I 1.4)."""
    if not (mean_women and mean_men and mean_women > 0 and mean_men > 0):
        return None
    with localcontext() as ctx:
        ctx.prec = PREC
        return js_round((mean_men - mean_women) / mean_men, 6)


def after_threshold(gap: Decimal | None, threshold: Decimal) -> Decimal | None:
    """The gap moved towards zero by the pertinence threshold (5% CSP, 2% coefficient)."""
    if gap is None:
        return None
    sign = 1 if gap > 0 else -1 if gap < 0 else 0
    return js_round(sign * max(Decimal(0), abs(gap) - threshold), 6)


@dataclass
class Cell:
    key: tuple
    women: int
    men: int
    mean_women: Decimal | None
    mean_men: Decimal | None

    @property
    def valid(self) -> bool:
        return self.women >= self._min and self.men >= self._min

    _min: int = 3


@dataclass
class Indicator1:
    cells: list[Cell]
    total: int
    valid_total: int
    calculable: bool
    gap_pct: Decimal | None  # signed: > 0 in favour of men
    score: int | None
    details: list[dict] = field(default_factory=list)


def indicator1(cells: list[Cell], threshold: Decimal, calculable_share: Decimal, grid: list[int]) -> Indicator1:
    """Weighted sum of the valid cells' gaps after the pertinence threshold (Annexe I 1.2-1.6)."""
    total = sum(c.women + c.men for c in cells)
    valid_total = sum(c.women + c.men for c in cells if c.valid)
    calculable = is_calculable(total, valid_total, calculable_share)
    weighted, details = [], []
    for c in cells:
        gap = cell_gap(c.mean_women, c.mean_men)
        adjusted = after_threshold(gap, threshold)
        share = None
        if c.valid and valid_total > 0:
            share = weighted_gap(adjusted, c.women + c.men, valid_total)
            weighted.append(share)
        details.append(
            {
                "cell": c.key,
                "women": c.women,
                "men": c.men,
                "valid": c.valid,
                "gap": gap,
                "after_threshold": adjusted,
                "weighted": share,
            }
        )
    if not weighted or any(w is None for w in weighted) or not calculable:
        return Indicator1(cells, total, valid_total, calculable, None, None, details)
    gap_pct = js_round(100 * js_round(sum(weighted, Decimal(0)), 6), 6)
    return Indicator1(cells, total, valid_total, calculable, gap_pct, grid_score(gap_pct, grid), details)


def indicator5(top_women: int, top_men: int, grid: list[int]) -> int:
    """Points for the number of the under-represented sex among the 10 highest paid."""
    return grid[max(0, min(len(grid) - 1, min(top_women, top_men)))]


def index_score(
    points: dict[str, int | None], max_points: dict[str, int], size_band: str, min_calculable: int
) -> tuple[int | None, int, int]:
    """(index or None, points obtained, points calculable): small firms (50 a 250) use
    indicator 2-3 in place of 2 and 3 (Code du travail D1142-2-1)."""
    names = ["indicator1", "indicator4", "indicator5"] + (
        ["indicator2_3"] if size_band == "50 a 250" else ["indicator2", "indicator3"]
    )
    got = sum(points.get(n) or 0 for n in names)
    possible = sum(max_points[n] for n in names if points.get(n) is not None)
    if possible < min_calculable:
        return None, got, possible
    return int(js_round(Decimal(got) * 100 / possible, 0)), got, possible


def build_cells(
    pop: pd.DataFrame, group_column: str, groups: list | None, age_edges: list[int], min_per_sex: int
) -> list[Cell]:
    """Cells of group x age band from a population with `category` F/H, `remuneration`, `age`."""

    def band(age):
        for i, edge in enumerate(age_edges):
            if age < edge:
                return i
        return len(age_edges)

    pop = pop.assign(_band=[band(a) for a in pop["age"]])
    keys = groups if groups is not None else sorted(pop[group_column].dropna().unique())
    cells = []
    for g in keys:
        for b in range(len(age_edges) + 1):
            members = pop[(pop[group_column] == g) & (pop["_band"] == b)]
            women = [v for v in members.loc[members["category"] == "F", "remuneration"]]
            men = [v for v in members.loc[members["category"] == "H", "remuneration"]]
            with localcontext() as ctx:
                ctx.prec = PREC
                mw = sum(women, Decimal(0)) / len(women) if women else None
                mm = sum(men, Decimal(0)) / len(men) if men else None
            cells.append(Cell((g, band_label(b, age_edges)), len(women), len(men), mw, mm, min_per_sex))
    return cells


def band_label(i: int, edges: list[int]) -> str:
    if i == 0:
        return f"under {edges[0]}"
    if i == len(edges):
        return f"{edges[-1]} and over"
    return f"{edges[i - 1]}-{edges[i] - 1}"


def egapro_rows(pack: Pack, pop: pd.DataFrame, returns: tuple[int, int, int]) -> tuple[list[dict], list[str]]:
    """The declaration's indicators and index as report rows, and notes. `pop`: the employees
    counted, with remuneration, age, classification and the period's raise / promotion booleans;
    `returns`: (returns, eligible, raised) from maternity or adoption leave for indicator 4."""
    spec, settings = pack.spec, pack.settings
    grouping = settings["grouping"]
    column = "job_category" if grouping == "csp" else "job_coefficient"
    groups = spec["csp"] if grouping == "csp" else None
    compared = pop[pop["category"].isin(["F", "H"])]
    cells = build_cells(
        compared[compared[column].notna()], column, groups, spec["age_bands"], int(spec["cell_min_per_sex"])
    )
    ind1 = indicator1(
        cells,
        Decimal(str(spec["pertinence_threshold"][grouping])),
        Decimal(str(spec["calculable_share"])),
        spec["indicator1_grid"],
    )
    careers, career_points = career_rows(
        pack, pop, returns, Ind1(ind1.score, int(spec["max_points"]["indicator1"]), ind1.gap_pct)
    )
    size = int(spec["top_earners"])
    top = compared.sort_values("annual_actual", ascending=False, kind="stable").head(size)
    women, men = int((top["category"] == "F").sum()), int((top["category"] == "H").sum())
    ind5 = indicator5(women, men, spec["indicator5_grid"]) if len(top) == size else None
    points = {"indicator1": ind1.score, "indicator5": ind5, **career_points}
    index, got, possible = index_score(
        points, spec["max_points"], settings["size_band"], int(spec["index_min_calculable_points"])
    )
    favour = (
        "" if ind1.gap_pct in (None, 0) else (" (in favour of men)" if ind1.gap_pct > 0 else " (in favour of women)")
    )
    rows = [
        row(
            "Indicator 1: pay gap (%)",
            "All",
            None if ind1.gap_pct is None else abs(ind1.gap_pct),
            ind1.total,
            (
                f"{sum(c.valid for c in cells)} of {len(cells)} groups valid, covering {ind1.valid_total} of "
                f"{ind1.total} employees{favour}"
            )
            if ind1.calculable
            else f"not calculable: valid groups cover {ind1.valid_total} of {ind1.total} employees (under "
            f"{float(spec['calculable_share']):.0%}) ({pack.cite('calculability')})",
            "percent",
            ind1.gap_pct is None,
        ),
        row("Indicator 1: points (of 40)", "All", ind1.score, ind1.total, "", "points", ind1.score is None),
        *careers,
        row(
            f"Indicator 5: under-represented sex among the {size} highest paid",
            "All",
            None if ind5 is None else min(women, men),
            len(top),
            f"{women} women, {men} men" if ind5 is not None else f"fewer than {size} employees compared",
            "count",
            ind5 is None,
        ),
        row("Indicator 5: points (of 10)", "All", ind5, len(top), "", "points", ind5 is None),
        row(
            "Index (of 100)",
            "All",
            index,
            len(compared),
            f"{got} of {possible} calculable points"
            + ("" if index is not None else f"; not calculable under {spec['index_min_calculable_points']}"),
            "points",
            index is None,
        ),
    ]
    notes = []
    if index is not None:
        t = spec["thresholds"]
        if index < t["corrective_measures"]:
            notes.append(
                f"Index under {t['corrective_measures']}: corrective measures are due ({pack.cite('thresholds')})."
            )
        elif index < t["progression_objectives"]:
            notes.append(
                f"Index under {t['progression_objectives']}: progression objectives must be set "
                f"({pack.cite('thresholds')})."
            )
    for r in rows:
        r["level"] = ORGANISATION_LEVEL
    return rows, notes
