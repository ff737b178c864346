"""The `pay_gap_report` mechanism: pay gaps, receipt rates and quartile bands by category, as
the UK regulations, the BC regulation and Art. 9 of the EU Directive publish them.

Input is a population frame with one row per person (never published): `category` (the
pack's code, or None for people the law does not compare), `hourly`, `total_hourly`,
`bonus`, `overtime_pay`, `overtime_hours` (Decimal or None) and `full_pay` (bool). Every
choice a law makes - which categories, which reference, minimum counts, whether zeros count,
how ties in quartiles are split, rounding - comes from the pack, never from this module.

These are organisation-level figures (ORGANISATION_LEVEL): exact, as the law publishes them,
with the pack's own minimum counts and the product's k on top (`guard_organisation_rows`).
Breakdowns below organisation level never come from here (see report.py).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import numpy as np
import pandas as pd

from ....rules import Pack
from ..quartiles import QUARTILES, quartile_weights

ORGANISATION_LEVEL = "organisation"  # the hook for the privacy redesign (issue 16)
PREC = 50
VALUE_COLUMNS = ("hourly", "total_hourly", "bonus", "overtime_pay", "overtime_hours")
# measure id -> (population column, statistic, kind): kind "pay" = % gap, "hours" = difference
GAP_MEASURES = {
    "hourly_mean": ("hourly", "mean", "pay"),
    "hourly_median": ("hourly", "median", "pay"),
    "total_hourly_mean": ("total_hourly", "mean", "pay"),
    "total_hourly_median": ("total_hourly", "median", "pay"),
    "bonus_mean": ("bonus", "mean", "pay"),
    "bonus_median": ("bonus", "median", "pay"),
    "overtime_pay_mean": ("overtime_pay", "mean", "pay"),
    "overtime_pay_median": ("overtime_pay", "median", "pay"),
    "overtime_hours_mean": ("overtime_hours", "mean", "hours"),
    "overtime_hours_median": ("overtime_hours", "median", "hours"),
}
RECEIPT_MEASURES = {"bonus_receipt": "bonus", "overtime_receipt": "overtime_pay"}
# which population restriction (pack population.full_pay_only) applies to each value column
FULL_PAY_SCOPE = {"hourly": "hourly", "total_hourly": "hourly"}


def mean(values: list[Decimal]) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PREC
        return sum(values, Decimal(0)) / len(values)


def median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    with localcontext() as ctx:
        ctx.prec = PREC
        return (ordered[mid - 1] + ordered[mid]) / 2


def gap_pct(reference: Decimal, group: Decimal) -> Decimal | None:
    """(reference - group) / reference x 100 (UK reg. 8, BC s. 1, EU Art. 3(1)(c))."""
    if reference is None or group is None or reference == 0:
        return None
    with localcontext() as ctx:
        ctx.prec = PREC
        return (reference - group) * 100 / reference


def round_half_up(value: Decimal | None, places: int) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def row(
    measure: str, group: str, value, n, note: str = "", unit: str = "percent", withheld: bool = False, section: str = ""
) -> dict:
    return {
        "section": section,
        "measure": measure,
        "group": group,
        "value": value,
        "n": n,
        "suppressed": withheld,
        "note": note,
        "unit": unit,
        "level": ORGANISATION_LEVEL,
    }


class GapReport:
    """One pack's gap measures over one population."""

    def __init__(self, pack: Pack, population: pd.DataFrame):
        self.pack = pack
        self.spec = pack.spec
        self.order = list(self.spec["categories"]["order"])
        self.labels = self.spec["categories"]["labels"]
        self.min = int(self.spec["min_count"]["per_category"])
        self.needed = int(self.spec["min_count"]["categories_needed"])
        self.pop = population[population["category"].isin(self.order)]
        self.reference = self._reference()
        self.gate_note = self._gate()

    # -- who is compared -------------------------------------------------------------------
    def values(self, column: str, category: str) -> list[Decimal]:
        """Non-zero values of `column` for one category (zeros are "not paid this component";
        hourly pay of 0 means no hourly rate), restricted to full-pay people where the pack says."""
        pop = self.pop[self.pop["category"] == category]
        scope = FULL_PAY_SCOPE.get(column)
        if scope and scope in (self.spec["population"].get("full_pay_only") or []):
            pop = pop[pop["full_pay"]]
        return [v for v in pop[column] if v is not None and not pd.isna(v) and v > 0]

    def count(self, category: str) -> int:
        return int((self.pop["category"] == category).sum())

    def _reference(self) -> str | None:
        ref = self.spec["reference"]
        if ref["rule"] == "fixed":
            return ref["category"]
        for category in ref["order"]:  # first_with_min: BC s. 1(4), among people with an hourly rate
            if len(self.values("hourly", category)) >= int(ref["min"]):
                return category
        return None

    def _gate(self) -> str:
        """A reason the whole report is withheld, or ''."""
        floor = max(self.min, 1)
        enough = [c for c in self.order if self.count(c) >= floor]
        if len(enough) < self.needed:
            return (
                f"withheld: fewer than {self.needed} categories have {floor} or more people "
                f"({self.pack.cite('whole_report') if self._has_rule('whole_report') else 'pack rule'})"
            )
        if self.reference is None:
            return (
                f"withheld: no reference category has {self.spec['reference'].get('min')} or more "
                f"people with an hourly rate ({self.pack.cite('reference')})"
            )
        return ""

    def _has_rule(self, rule_id: str) -> bool:
        return any(r["id"] == rule_id for r in self.spec["rules"])

    def shown_groups(self) -> list[str]:
        show_ref = bool(self.spec["reference"].get("show", len(self.order) > 2))
        return [c for c in self.order if c != self.reference or show_ref]

    # -- measures -------------------------------------------------------------------------
    def gap_rows(self, measure: str, title: str) -> list[dict]:
        column, stat, kind = GAP_MEASURES[measure]
        unit = "hours" if kind == "hours" else "percent"
        fn = mean if stat == "mean" else median
        groups = self.shown_groups()
        if self.gate_note:
            return [row(title, self.labels[c], None, None, self.gate_note, unit, True) for c in groups]
        ref_values = self.values(column, self.reference)
        floor = max(self.min, 1)
        out = {}
        for c in self.order:
            vals = self.values(column, c)
            ok = len(ref_values) >= floor and len(vals) >= floor
            if not ok:
                out[c] = (
                    None,
                    len(vals),
                    f"withheld: fewer than {floor} people with a value in this category or the reference",
                )
                continue
            ref, grp = fn(ref_values), fn(vals)
            value = (grp - ref) if kind == "hours" else gap_pct(ref, grp)
            out[c] = (value, len(vals), "reference category" if c == self.reference else "")
        published = [c for c in self.order if out[c][0] is not None]
        if len(published) < self.needed:
            reason = f"withheld: fewer than {self.needed} categories have a figure"
            out = {c: (None, n, reason) for c, (_, n, _) in out.items()}
        return [row(title, self.labels[c], out[c][0], out[c][1], out[c][2], unit, out[c][0] is None) for c in groups]

    def receipt_rows(self, measure: str, title: str) -> list[dict]:
        column = RECEIPT_MEASURES[measure]
        groups = list(self.order)
        if self.gate_note:
            return [row(title, self.labels[c], None, None, self.gate_note, "percent", True) for c in groups]
        floor = max(self.min, 1) if self.min else 0
        ref_paid = len(self.values(column, self.reference))
        out = {}
        for c in groups:
            paid, everyone = len(self.values(column, c)), self.count(c)
            if everyone == 0 or (floor and (paid < floor or ref_paid < floor)):
                out[c] = (
                    None,
                    everyone,
                    f"withheld: fewer than {floor} recipients in this category or the reference"
                    if everyone
                    else "no one in this category",
                )
                continue
            with localcontext() as ctx:
                ctx.prec = PREC
                out[c] = (Decimal(paid) * 100 / everyone, everyone, f"{paid} of {everyone}")
        if sum(v is not None for v, _, _ in out.values()) < self.needed:
            out = {
                c: (None, n, f"withheld: fewer than {self.needed} categories have a figure")
                for c, (_, n, _) in out.items()
            }
        return [row(title, self.labels[c], v, n, note, "percent", v is None) for c, (v, n, note) in out.items()]

    def quartile_rows(self, title: str) -> list[dict]:
        q = self.spec["quartiles"]
        pop = self.pop
        if "quartiles" in (self.spec["population"].get("full_pay_only") or []):
            pop = pop[pop["full_pay"]]
        pop = pop[pop["hourly"].map(lambda v: v is not None and not pd.isna(v) and v > 0)]
        rows = []
        if self.gate_note or pop.empty:
            note = self.gate_note or "withheld: no one with an hourly rate"
            return [
                row(f"{title}: {band}", self.labels[c], None, None, note, "percent", True)
                for band in QUARTILES
                for c in self.order
            ]
        if q["ties"] != "proportional":
            raise ValueError(f"unknown quartile tie rule {q['ties']!r}")
        weights = quartile_weights(np.array([float(v) for v in pop["hourly"]]))
        cats = pop["category"].to_numpy()
        for j, band in enumerate(QUARTILES):
            # fractional people from split ties, rounded so 70 x 1/7 counts as the 10 it is
            counts = {c: round(float(weights[cats == c, j].sum()), 9) for c in self.order}
            shown = {c: n for c, n in counts.items() if n >= int(q.get("min_per_category") or 0) and n > 0}
            total = sum(shown.values()) if q["share_over"] == "shown_categories" else float(weights[:, j].sum())
            for c in self.order:
                n = round(counts[c], 9)
                if c not in shown:
                    why = (
                        "no one in this band"
                        if counts[c] == 0
                        else f"withheld: fewer than {q['min_per_category']} people of this category in the band"
                    )
                    withheld = counts[c] > 0 or bool(q.get("min_per_category"))
                    rows.append(
                        row(
                            f"{title}: {band}",
                            self.labels[c],
                            None if withheld else Decimal(0),
                            n,
                            why,
                            "percent",
                            withheld,
                        )
                    )
                    continue
                with localcontext() as ctx:
                    ctx.prec = PREC
                    share = Decimal(repr(n)) * 100 / Decimal(repr(round(total, 9)))
                rows.append(row(f"{title}: {band}", self.labels[c], share, n, "", "percent"))
        return rows

    def rows(self) -> list[dict]:
        out = []
        for m in self.spec["measures"]:
            mid, label = m["id"], m["label"]
            if mid in GAP_MEASURES:
                out += self.gap_rows(mid, label)
            elif mid in RECEIPT_MEASURES:
                out += self.receipt_rows(mid, label)
            elif mid == "quartiles":
                out += self.quartile_rows(label)
        return out


def guard_organisation_rows(rows: list[dict], k: int, band_key=lambda r: r["measure"]) -> list[dict]:
    """The product's privacy rule on top of the law's: a published figure resting on fewer than
    k people is suppressed; in a quartile band (shares adding up to 100%) a single hidden share
    could be recovered from the others, so the next-smallest shown share is hidden too."""
    for r in rows:
        if not r["suppressed"] and r["n"] is not None and 0 < r["n"] < k:
            r.update(suppressed=True, value=None, note=f"fewer than {k} people")
    bands: dict[str, list[dict]] = {}
    for r in rows:
        if ": Q" in r["measure"]:
            bands.setdefault(band_key(r), []).append(r)
    for members in bands.values():
        hidden = [r for r in members if r["suppressed"] and r["n"]]
        shown = [r for r in members if not r["suppressed"] and r["value"] is not None and r["n"]]
        if len(hidden) == 1 and shown:
            smallest = min(shown, key=lambda r: r["n"])
            smallest.update(
                suppressed=True, value=None, note="suppressed so that another suppressed share cannot be recovered"
            )
    return rows
