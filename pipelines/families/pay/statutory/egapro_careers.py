"""Egapro indicators on careers: 2 (individual raises), 3 (promotions), 2-3 (raises in firms of
50 to 250) and 4 (raises on return from maternity or adoption leave).

The rules (Decret n. 2019-15, Annexes I and II; the Ministry's FAQ) and their numbers come from
the pack (fr_egapro_2019.yml); the rounding is the simulator's, 6 decimals at each step half
towards +infinity (egapro.js_round), so a declaration computed here and one typed
into the Ministry's simulator give the same points.

- 2 and 3: the share of women and of men raised (promoted) in each of the 4 socio-professional
  categories; a category counts with at least 10 women and 10 men; its gap (men's rate - women's
  rate) weighted by its headcount over the valid headcount; not calculable under 40% coverage or
  when nobody was raised (promoted). Scored on the absolute gap in percentage points.
- 2-3: one rate over the whole workforce (promotions with a raise included), calculable with 5
  women and 5 men; scored on the better of the gap in points and the gap in number of employees
  (gap x the smaller headcount).
- All three: when the raises (promotions) favour the sex paid less in indicator 1 (a catch-up
  under way), full points, if indicator 1 itself is short of its 40 points.
- 4: 15 points if every woman back from maternity or adoption leave in the period, whose leave
  saw raises in the firm, was raised in the period; 0 otherwise; not calculable with none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from .egapro_grid import PREC, grid_score, is_calculable, js_round, weighted_gap
from .gaps import row


@dataclass(frozen=True)
class RateGroup:
    """One socio-professional category: headcounts and how many of each sex were raised (promoted)."""

    key: str
    women: int
    men: int
    women_yes: int
    men_yes: int
    min_per_sex: int = 10

    @property
    def valid(self) -> bool:
        return self.women >= self.min_per_sex and self.men >= self.min_per_sex


@dataclass(frozen=True)
class RateIndicator:
    calculable: bool
    gap_pct: Decimal | None  # signed percentage points: > 0 men raised (promoted) more
    score: int | None
    correction: bool  # full points for a catch-up in favour of the sex paid less
    valid_total: int
    total: int
    note: str = ""


def rate(yes: int, headcount: int) -> Decimal | None:
    if headcount <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = PREC
        return Decimal(yes) / Decimal(headcount)


def rate_gap(rate_women: Decimal | None, rate_men: Decimal | None) -> Decimal | None:
    """Men's rate - women's rate, to 6 decimals; undefined without both (or with a negative rate)."""
    if rate_women is None or rate_men is None or rate_women < 0 or rate_men < 0:
        return None
    return js_round(Decimal(rate_men) - Decimal(rate_women), 6)


def favoured(gap: Decimal | None) -> str | None:
    """'H' when the gap favours men, 'F' women, None at 0 or undefined."""
    if gap is None or gap == 0:
        return None
    return "H" if gap > 0 else "F"


@dataclass(frozen=True)
class Ind1:
    """What the catch-up rule reads of indicator 1: its points, its maximum and its signed gap."""

    score: int | None
    max_points: int
    gap: Decimal | None


def catch_up(ind1: Ind1 | None, gap: Decimal | None) -> bool:
    """Raises (promotions) favour the sex indicator 1 shows paid less, and indicator 1 is short
    of its maximum: full points (Annexes I and II)."""
    if ind1 is None or ind1.score is None or ind1.score >= ind1.max_points:
        return False
    one, this = favoured(ind1.gap), favoured(gap)
    return one is not None and this is not None and one != this


def rate_indicator(
    groups: list[RateGroup], calculable_share: Decimal, grid: list[int], ind1: Ind1 | None = None
) -> RateIndicator:
    """Indicator 2 or 3 from the categories' headcounts and counts raised (promoted)."""
    total = sum(g.women + g.men for g in groups)
    valid_total = sum(g.women + g.men for g in groups if g.valid)
    anyone = sum(g.women_yes + g.men_yes for g in groups) > 0
    if not anyone:
        return RateIndicator(False, None, None, False, valid_total, total, "nobody in the period")
    if not is_calculable(total, valid_total, calculable_share):
        return RateIndicator(
            False, None, None, False, valid_total, total, f"valid categories cover {valid_total} of {total} employees"
        )
    weighted = [
        weighted_gap(rate_gap(rate(g.women_yes, g.women), rate(g.men_yes, g.men)), g.women + g.men, valid_total)
        for g in groups
        if g.valid
    ]
    gap_pct = js_round(100 * js_round(sum(weighted, Decimal(0)), 6), 6)
    if catch_up(ind1, gap_pct):
        return RateIndicator(True, gap_pct, grid[0], True, valid_total, total)
    return RateIndicator(True, gap_pct, grid_score(gap_pct, grid), False, valid_total, total)


@dataclass(frozen=True)
class SmallFirmIndicator:
    calculable: bool
    gap_pct: Decimal | None  # signed percentage points
    gap_employees: Decimal | None  # |gap| x the smaller headcount / 100, to one decimal
    score_pct: int | None
    score_employees: int | None
    score: int | None
    correction: bool
    note: str = ""


def indicator2_3(
    women: int,
    men: int,
    women_raised: int,
    men_raised: int,
    min_per_sex: int,
    grid: list[int],
    ind1: Ind1 | None = None,
) -> SmallFirmIndicator:
    """Firms of 50 to 250 (Annexe II, 2): the better of the two scores."""
    if women < min_per_sex or men < min_per_sex:
        return SmallFirmIndicator(
            False,
            None,
            None,
            None,
            None,
            None,
            False,
            f"fewer than {min_per_sex} women or {min_per_sex} men ({women} women, {men} men)",
        )
    if women_raised + men_raised == 0:
        return SmallFirmIndicator(False, None, None, None, None, None, False, "nobody raised in the period")
    gap_pct = js_round(100 * rate_gap(rate(women_raised, women), rate(men_raised, men)), 6)
    employees = js_round(abs(gap_pct) * min(women, men) / 100, 1)
    by_pct, by_employees = grid_score(gap_pct, grid), grid_score(employees, grid)
    if catch_up(ind1, gap_pct):
        return SmallFirmIndicator(True, gap_pct, employees, by_pct, by_employees, grid[0], True)
    return SmallFirmIndicator(True, gap_pct, employees, by_pct, by_employees, max(by_pct, by_employees), False)


@dataclass(frozen=True)
class ReturnIndicator:
    calculable: bool
    pct: Decimal | None
    score: int | None
    eligible: int
    raised: int


def indicator4(eligible: int, raised: int, points: int) -> ReturnIndicator:
    """Share of the women back from leave (whose leave saw raises) raised, to 3 decimals: full
    points only at 100% (Annexe I, 4)."""
    if raised < 0 or raised > eligible:
        raise ValueError(f"{raised} raised of {eligible} returns: cannot exceed the returns")
    if eligible <= 0:
        return ReturnIndicator(False, None, None, eligible, raised)
    with localcontext() as ctx:
        ctx.prec = PREC
        pct = js_round(Decimal(100) * raised / eligible, 3)
    return ReturnIndicator(True, pct, points if pct == 100 else 0, eligible, raised)


# -- the declaration's rows ----------------------------------------------------------------
def rate_groups(pop, column: str, csp: list[str], min_per_sex: int) -> list[RateGroup]:
    """The 4 categories' headcounts and counts with `column` true, from a population with
    `category` F/H and `job_category`."""
    groups = []
    for key in csp:
        members = pop[pop["job_category"] == key]
        women, men = members[members["category"] == "F"], members[members["category"] == "H"]
        groups.append(
            RateGroup(key, len(women), len(men), int(women[column].sum()), int(men[column].sum()), min_per_sex)
        )
    return groups


def _direction(gap: Decimal | None) -> str:
    side = favoured(gap)
    return "" if side is None else (" (in favour of men)" if side == "H" else " (in favour of women)")


def _rate_rows(label: str, result: RateIndicator, groups: list[RateGroup], max_points: int, cite: str) -> list[dict]:
    if result.calculable:
        note = (
            f"{sum(g.valid for g in groups)} of {len(groups)} categories valid, covering "
            f"{result.valid_total} of {result.total} employees{_direction(result.gap_pct)}"
        )
        if result.correction:
            note += f"; full points: the gap favours the sex paid less in indicator 1 ({cite})"
    else:
        note = f"not calculable: {result.note} ({cite})"
    gap = None if result.gap_pct is None else abs(result.gap_pct)
    number = label.split(":")[0]  # "Indicator 2"
    return [
        row(f"{label} rate gap (percentage points)", "All", gap, result.total, note, "percent", gap is None),
        row(
            f"{number}: points (of {max_points})", "All", result.score, result.total, "", "points", result.score is None
        ),
    ]


def career_rows(pack, pop, returns: tuple[int, int, int], ind1: Ind1) -> tuple[list[dict], dict]:
    """Rows and points of indicators 2 and 3 (or 2-3) and 4; `pop` is indicator 1's population
    with booleans raise_not_promotion, individual_raise and promotion for the period."""
    spec, small = pack.spec, pack.settings["size_band"] == "50 a 250"
    share, mx = Decimal(str(spec["calculable_share"])), spec["max_points"]
    compared = pop[pop["category"].isin(["F", "H"])]
    rows, points = [], {}
    if small:
        women, men = compared[compared["category"] == "F"], compared[compared["category"] == "H"]
        r = indicator2_3(
            len(women),
            len(men),
            int(women["individual_raise"].sum()),
            int(men["individual_raise"].sum()),
            int(spec["indicator2_3_min_per_sex"]),
            spec["indicator2_3_grid"],
            ind1,
        )
        cite, n = pack.cite("indicator2_3"), len(compared)
        note = (
            f"{len(women)} women, {len(men)} men{_direction(r.gap_pct)}"
            if r.calculable
            else f"not calculable: {r.note} ({cite})"
        )
        if r.correction:
            note += f"; full points: the gap favours the sex paid less in indicator 1 ({pack.cite('catch_up')})"
        rows += [
            row(
                "Indicator 2-3: raise rate gap (percentage points)",
                "All",
                None if r.gap_pct is None else abs(r.gap_pct),
                n,
                note,
                "percent",
                not r.calculable,
            ),
            row(
                "Indicator 2-3: gap in number of employees",
                "All",
                r.gap_employees,
                n,
                "" if not r.calculable else f"points: {r.score_pct} on the rate, {r.score_employees} on the number",
                "number",
                not r.calculable,
            ),
            row(f"Indicator 2-3: points (of {mx['indicator2_3']})", "All", r.score, n, "", "points", r.score is None),
        ]
        points["indicator2_3"] = r.score
    else:
        minimum = int(spec["rate_group_min_per_sex"])
        for key, column, label in (
            ("indicator2", "raise_not_promotion", "Indicator 2: individual raise"),
            ("indicator3", "promotion", "Indicator 3: promotion"),
        ):
            groups = rate_groups(compared, column, spec["csp"], minimum)
            result = rate_indicator(groups, share, spec[f"{key}_grid"], ind1)
            rows += _rate_rows(label, result, groups, mx[key], pack.cite(key))
            points[key] = result.score
    returned, eligible, raised = returns
    r4 = indicator4(eligible, raised, int(mx["indicator4"]))
    cite = pack.cite("indicator4")
    note = (
        f"{raised} of {eligible} women back from leave during which raises took effect"
        if r4.calculable
        else f"not calculable: {returned} women back from maternity or adoption leave in the period, "
        f"none whose leave saw raises ({cite})"
    )
    rows += [
        row(
            "Indicator 4: women raised on return from maternity leave (%)",
            "All",
            r4.pct,
            eligible,
            note,
            "percent",
            not r4.calculable,
        ),
        row(f"Indicator 4: points (of {mx['indicator4']})", "All", r4.score, eligible, "", "points", r4.score is None),
    ]
    points["indicator4"] = r4.score
    return rows, points
