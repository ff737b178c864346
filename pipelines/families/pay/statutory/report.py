"""Run a statutory rule pack on a built database: `equity report NAME`, the PDF section and
`--format csv` all come from `run_pack()`.

Levels, explicitly (for the privacy redesign, issue 16):
- ORGANISATION_LEVEL rows are the law's own whole-organisation figures, computed exactly from
  person-level populations (population.py) by the pack's mechanism; the pack's
  minimum counts apply, then `guard_organisation_rows` applies the product's k.
- BREAKDOWN_LEVEL rows (the EU Art. 9(1)(g) categories and their Art. 10 flags) go through the
  normal publication path, `compute()` via measures.art10_assessment, never exact here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from ....config import effective_k
from ....errors import UsageError
from ....rules import Pack, load_pack
from . import population as P
from ....metrics._engine import build_context
from .egapro import egapro_rows
from .egapro_data import drop_excluded_types, drop_long_absences, mark_career_events, reference_population
from .gaps import GapReport, guard_organisation_rows, round_half_up, row
from .ll144 import audit_rows
from ....formatting import HIDDEN, group_label

BREAKDOWN_LEVEL = "breakdown"
LONG = ["pack", "version", "section", "measure", "group", "value", "n", "suppressed", "note"]


@dataclass
class Report:
    pack: Pack
    period: str  # "snapshot 2024-04-05", "2024-01-01 to 2024-12-31"
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.pack.title} - {self.period} - rule pack {self.pack.label}"


def latest_date(month_day: str, as_of: dt.date, year: int | None) -> dt.date:
    """The given year's MM-DD, else the latest one on or before the data's as_of date."""
    month, day = (int(x) for x in str(month_day).split("-"))
    if year is not None:
        return dt.date(year, month, day)
    candidate = dt.date(as_of.year, month, day)
    return candidate if candidate <= as_of else dt.date(as_of.year - 1, month, day)


def _requirements(pack: Pack) -> dict[str, str]:
    """{file: why the pack needs it}: the first (main) requirement of each file."""
    out: dict[str, str] = {}
    for r in pack.spec["requires"]:
        out.setdefault(r["file"], r["why"])
    return out


def run_pack(con, name: str, year: int | None = None, k: int | None = None) -> Report:
    ctx = build_context(con)
    config = ctx["config"]
    pack = load_pack(name, config)
    threshold = effective_k(config, k)
    mechanism = pack.spec["mechanism"]
    if mechanism == "pay_gap_report":
        report = _gap_report(con, pack, config, ctx, year, threshold)
    elif mechanism == "egapro_index":
        report = _egapro_report(con, pack, config, ctx, year)
    else:
        report = _ll144_report(con, pack, config, ctx, year)
    guard_organisation_rows(
        [r for r in report.rows if r["level"] != BREAKDOWN_LEVEL],
        threshold,
        band_key=lambda r: (r["section"], r["measure"]),
    )
    return report


def _excluded_note(pop: pd.DataFrame, pack: Pack) -> str:
    other = int(pop["category"].isna().sum())
    if not other:
        return ""
    return (
        f"{other} employee(s) with another or no recorded gender are not in these figures: "
        f"{pack.cite('categories') if any(r['id'] == 'categories' for r in pack.spec['rules']) else 'the law compares ' + ' and '.join(pack.spec['categories']['labels'].values())}."
    )


def _gap_report(con, pack, config, ctx, year, k) -> Report:
    source, reqs, cats = pack.spec["population"]["source"], _requirements(pack), pack.spec["categories"]
    if source == "relevant_pay_period":
        day = latest_date(pack.spec["snapshot"][pack.settings["sector"]], ctx["as_of"], year)
        countries = pack.settings.get("countries")
        if countries is not None and (not isinstance(countries, list) or not countries):
            raise UsageError(f"rule_settings.{pack.name}.countries must be a list of country codes, e.g. [GB]")
        pop = P.relevant_pay_period(con, config, cats, day, reqs, countries)
        period = f"snapshot date {day}" + (f", employees in {', '.join(map(str, countries))}" if countries else "")
    elif source == "reporting_year":
        end = latest_date(pack.settings["reporting_year_end"], ctx["as_of"], year)
        pop = P.reporting_year(con, config, cats, end, reqs)
        period = f"reporting period {P.months_before(end, 12) + dt.timedelta(days=1)} to {end}"
    else:
        end = latest_date(pack.settings["reporting_year_end"], ctx["as_of"], year)
        pop, period = P.snapshot_population(con, config, cats, end), f"workers employed on {end}"
    report = Report(pack, period)
    report.rows = GapReport(pack, pop).rows()
    for r in report.rows:
        r["section"] = "Quartiles" if ": Q" in r["measure"] else "Pay gaps"
    notes = [_excluded_note(pop, pack)]
    if source == "relevant_pay_period":
        no_period = int(pop["hourly"].isna().sum())
        reduced = int((~pop["full_pay"]).sum())
        notes.append(
            f"{len(pop)} relevant employees; {reduced} on leave at reduced pay or nil in the relevant "
            f"pay period are in the bonus measures only ({pack.cite('relevant_employee')})."
        )
        if no_period:
            notes.append(
                f"{no_period} relevant employee(s) have no pay period containing the snapshot date "
                "(or no hours) and are not in the hourly pay measures."
            )
    if any(m["id"] == "categories" for m in pack.spec["measures"]):
        report.rows += _art10_rows(con, pack, config, ctx, year, k)
    report.notes = [n for n in notes if n]
    return report


def _art10_rows(con, pack, config, ctx, year, k) -> list[dict]:
    """EU Art. 9(1)(g) / Art. 10: below organisation level, so through the publication path."""
    from .measures import art10_assessment

    end = latest_date(pack.settings["reporting_year_end"], ctx["as_of"], year)
    start = P.months_before(end, 12) + dt.timedelta(days=1)
    table = art10_assessment(
        con,
        by=("gender",),
        period="custom",
        k=k,
        date_from=start,
        date_to=end,
        threshold_pct=pack.settings["art10_threshold_pct"],
        direction=pack.settings["art10_direction"],
    )
    rows = []
    for r in table.itertuples(index=False):
        exact = None if r.exact_gap_pct is None else Decimal(r.exact_gap_pct)
        note = ("joint pay assessment needed unless justified: " if r.flagged else "") + (r.reason or "")
        out = row(
            f"{r.category} ({r.component} pay): gap vs {group_label(r.reference)}",
            r.group,
            exact,
            r.n,
            note or f"under {pack.settings['art10_threshold_pct']}%",
            "percent",
            section="(g) Categories of workers and Art. 10",
        )
        out["level"] = BREAKDOWN_LEVEL
        rows.append(out)
    if not rows:
        out = row(
            "Categories of workers",
            "All",
            None,
            None,
            "no category has a published gap (every compared group under k)",
            "percent",
            True,
            section="(g) Categories of workers and Art. 10",
        )
        out["level"] = BREAKDOWN_LEVEL
        rows.append(out)
    return rows


def _egapro_report(con, pack, config, ctx, year) -> Report:
    end = latest_date(pack.settings["reference_year_end"], ctx["as_of"], year)
    start = P.months_before(end, 12)
    pop, excluded = drop_excluded_types(pack, reference_population(con, config, pack.spec["categories"], start, end))
    classes = P.latest_classification(con, start, end)
    pop = pop.merge(classes, on="employee_id", how="left")
    column = "job_category" if pack.settings["grouping"] == "csp" else "job_coefficient"
    P.require_values(pop, [column], "hr/pay_periods.csv", _requirements(pack)["hr/pay_periods.csv"])
    if pop["birth_year"].isna().all():
        raise P.StatutoryDataMissing(
            "has no birth_year; Egapro cells use age bands", file="hr/employees.csv", column="birth_year"
        )
    pop["age"] = [d.year - int(b) if not pd.isna(b) else 0 for d, b in zip(pop["last_day"], pop["birth_year"])]
    pop["remuneration"] = [
        a + b / f if a is not None else None for a, b, f in zip(pop["annual_fte"], pop["bonus"], pop["fte"])
    ]
    pop["annual_actual"] = [
        float(a * f + b) if a is not None else 0.0 for a, b, f in zip(pop["annual_fte"], pop["bonus"], pop["fte"])
    ]
    pop = pop[pop["remuneration"].notna()].copy()
    # present 6 months: hired in time, still there or left after 6, not on leave half the period
    pop, absent = drop_long_absences(con, pop, start, end, int(pack.settings["min_presence_months"]))
    returns = mark_career_events(con, pack, config, pop, start, end)
    report = Report(pack, f"reference period {start + dt.timedelta(days=1)} to {end}")
    report.rows, report.notes = egapro_rows(pack, pop, returns)
    for r in report.rows:
        r["section"] = "Index"
    missing = int(pop[column].isna().sum())
    report.notes += [
        n
        for n in [
            _excluded_note(pop, pack),
            f"{absent} employee(s) present (employed, not on leave) under "
            f"{pack.settings['min_presence_months']} months of the period are left out "
            f"({pack.cite('presence')})."
            if absent
            else "",
            f"{excluded} employee(s) of an excluded employment_type "
            f"({', '.join(pack.settings['excluded_employment_types'])}) are left out "
            f"({pack.cite('presence')})."
            if excluded
            else "",
            f"{missing} employee(s) without a {column} in the period are not in indicator 1." if missing else "",
        ]
        if n
    ]
    return report


def _ll144_report(con, pack, config, ctx, year) -> Report:
    stage = pack.settings["selected_stage"] or config["recruiting"]["stage_order"][1]
    end = ctx["as_of"] if year is None else dt.date(year, 12, 31)
    start = P.months_before(end, int(pack.settings["window_months"]))
    apps = P.applications(con, start, end, stage)
    period = f"applications {start + dt.timedelta(days=1)} to {end}, selected = entered '{stage}'"
    report = Report(pack, period)
    report.rows, report.notes = audit_rows(pack, apps, period)
    return report


# -- output -------------------------------------------------------------------------------
def formatted(r: dict, pack: Pack) -> str:
    """A value in the authority's rounding (half up), '' when withheld."""
    v, unit = r["value"], r["unit"]
    if v is None or r["suppressed"]:
        return ""
    rounding = pack.spec.get("rounding") or {}
    if unit == "percent":
        return str(round_half_up(Decimal(v), int(rounding.get("percent", 1))))
    if unit == "hours":
        return str(round_half_up(Decimal(v), int(rounding.get("hours", 1))))
    if unit == "number":
        return str(round_half_up(Decimal(v), int(rounding.get("number", 1))))
    if unit == "rate":
        return str(round_half_up(_dec(v) * 100, int(rounding.get("rate_percent", 1))))
    if unit == "ratio":
        return str(round_half_up(_dec(v), int(rounding.get("ratio", 2))))
    return str(int(v))


def _dec(v) -> Decimal:
    if isinstance(v, Fraction):
        return Decimal(v.numerator) / Decimal(v.denominator)
    return Decimal(v)


def long_table(report: Report) -> pd.DataFrame:
    """One row per measure x group: pack, version, section, measure, group, value (rounded as the
    authority does; blank when withheld), n, suppressed, note."""
    out = []
    for r in report.rows:
        n = r["n"]
        out.append(
            {
                "pack": report.pack.name,
                "version": report.pack.version,
                "section": r["section"],
                "measure": r["measure"],
                "group": r["group"],
                "value": _number(formatted(r, report.pack)),
                "n": None
                if n is None or r["suppressed"] and r["note"].startswith("fewer than")
                else (round(float(n), 3) if not float(n).is_integer() else int(n)),
                "suppressed": bool(r["suppressed"]),
                "note": r["note"],
            }
        )
    return pd.DataFrame(out, columns=LONG, dtype=object)  # ints stay ints, Decimals keep their places


def long_csv(report: Report) -> str:
    """The long table as spreadsheet-safe CSV; counts written as whole numbers where they are
    (the export's formula guard would otherwise turn an object column of ints into floats)."""
    from ....export import to_csv

    table = long_table(report)
    return to_csv(table.assign(n=["" if v is None else str(v) for v in table["n"]]))


def _number(text: str):
    """The rounded value as a Decimal (written as the authority rounds it, "5.00"; a number,
    so a negative gap is not mistaken for a formula), None when withheld."""
    return Decimal(text) if text else None


SUFFIX = {"percent": "%", "rate": "%", "hours": " h"}


def layout_tables(report: Report) -> list[tuple[str, pd.DataFrame]]:
    """The authority's layout: per section a table of measures (rows) x groups (columns)."""
    tables = []
    for section in dict.fromkeys(r["section"] for r in report.rows):
        rows = [r for r in report.rows if r["section"] == section]
        groups = list(dict.fromkeys(r["group"] for r in rows))
        measures = list(dict.fromkeys(r["measure"] for r in rows))
        cell = {(r["measure"], r["group"]): _shown(r, report.pack) for r in rows}
        by_group = report.pack.spec.get("layout") == "groups_as_rows"  # e.g. the DCWP's tables
        outer, inner, name = (groups, measures, "Category") if by_group else (measures, groups, "Measure")
        data = []
        for o in outer:
            line = {name: o}
            for i in inner:
                line[i] = cell.get((i, o) if by_group else (o, i), "")
            data.append(line)
        tables.append((section, pd.DataFrame(data)))
    return tables


def _shown(r: dict, pack: Pack) -> str:
    if r["suppressed"]:
        return r["note"] if r["note"].startswith("fewer than") else HIDDEN
    text = formatted(r, pack)
    return text + SUFFIX.get(r["unit"], "") if text else ""


def withheld_reasons(report: Report) -> list[str]:
    """The distinct reasons figures were withheld (printed once under the tables)."""
    return list(dict.fromkeys(r["note"] for r in report.rows if r["suppressed"] and r["note"]))
