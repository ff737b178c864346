"""The `impact_ratio_audit` mechanism: NYC Local Law 144 bias-audit tables.

Selection rate = selected / assessed per category; impact ratio = rate / the highest rate
among the categories in the table (6 RCNY 5-300). One table each for sex, race/ethnicity and
their intersection (5-301(b)(3)); categories under the pack's share of the data (2%,
5-301(d)) are left out of the ratios and listed separately with their count and rate; the
people in an unknown category are counted per table (5-301(b)(5)).

These are the law's own organisation-level tables. The product's k applies on top
(report.py guards every row).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd

from ....errors import UsageError
from ....rules import Pack
from .gaps import row


def categorise(values, spec: dict) -> list:
    mapping = spec["map"]
    return [mapping.get(str(v).strip()) if v is not None and not pd.isna(v) else None for v in values]


def audit_tables(pack: Pack, apps: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """{table: rows with category, applicants, selected, rate (Fraction), impact_ratio, excluded}
    plus 'unknown' (counts per table). Exact fractions: the rounding is the report's."""
    spec = pack.spec
    share = Fraction(str(pack.settings["exclude_below_share"]))
    frame = pd.DataFrame(
        {
            "sex": categorise(apps["gender"], spec["sex"]),
            "race": categorise(apps["race_ethnicity"], spec["race"]),
            "selected": apps["selected"].astype(bool).to_numpy(),
        }
    )
    total = len(frame)
    frame["intersection"] = [
        f"{r} {s}" if pd.notna(r) and pd.notna(s) else None for r, s in zip(frame["race"], frame["sex"])
    ]
    orders = {
        "sex": spec["sex"]["order"],
        "race": spec["race"]["order"],
        "intersection": [f"{r} {s}" for r in spec["race"]["order"] for s in spec["sex"]["order"]],
    }
    out = {}
    for table, order in orders.items():
        known = frame[frame[table].notna()]
        rows = []
        for category in order:
            members = known[known[table] == category]
            n = len(members)
            if n == 0:
                continue
            picked = int(members["selected"].sum())
            rows.append(
                {
                    "category": category,
                    "applicants": n,
                    "selected": picked,
                    "rate": Fraction(picked, n),
                    "excluded": Fraction(n, total) < share,
                }
            )
        df = pd.DataFrame(rows, columns=["category", "applicants", "selected", "rate", "excluded"])
        included = df[~df["excluded"]]
        best = max(included["rate"]) if len(included) else None
        df["impact_ratio"] = [None if e or not best else r / best for r, e in zip(df["rate"], df["excluded"])]
        out[table] = df
        out[f"{table}_unknown"] = total - len(known)
    return out


TITLES = {"sex": "Sex categories", "race": "Race/ethnicity categories", "intersection": "Intersectional categories"}


SOURCES = {
    "historical": "historical data of the employer's use of the tool",
    "test": "test data (not enough historical data of the employer's use of the tool)",
}


def _date_setting(pack: Pack, key: str) -> str:
    value = pack.settings[key]
    if value is None:
        return f"not given (rule_settings.{pack.name}.{key})"
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(f"rule_settings.{pack.name}.{key} must be a date YYYY-MM-DD (got {value!r})") from None


def summary_lines(pack: Pack, assessed: int, period: str) -> list[str]:
    """The published summary's items that are not in the tables (6 RCNY 5-303(a)), in its order."""
    source = SOURCES[pack.settings["data_source"]]
    explanation = pack.settings.get("data_explanation")
    return [
        f"Date of the bias audit: {_date_setting(pack, 'audit_date')} ({pack.cite('summary')}).",
        f"Source of the data: {source}; {period}" + (f". {explanation}" if explanation else "") + ".",
        # the unknown counts are rows of the tables, so the product's k guards them there
        f"Number of individuals assessed: {assessed}; the number in an unknown category, not in the "
        f"calculations, is the last row of each table ({pack.cite('unknown')}).",
        f"Distribution date of the tool: {_date_setting(pack, 'distribution_date')}.",
    ]


def audit_rows(pack: Pack, apps: pd.DataFrame, period: str = "") -> tuple[list[dict], list[str]]:
    """The tables as report rows, and the notes: the published summary's other items first."""
    tables = audit_tables(pack, apps)
    share = float(pack.settings["exclude_below_share"])
    rows, notes = [], summary_lines(pack, len(apps), period)
    for table, title in TITLES.items():
        df = tables[table]
        for r in df.itertuples(index=False):
            section = f"{title} (excluded: under {share:.0%} of the data)" if r.excluded else title
            rows.append(
                row("Number of applicants", r.category, r.applicants, r.applicants, "", "count", section=section)
            )
            rows.append(row("Number selected", r.category, r.selected, r.applicants, "", "count", section=section))
            rows.append(row("Selection rate", r.category, r.rate, r.applicants, "", "rate", section=section))
            if not r.excluded:
                rows.append(
                    row(
                        "Impact ratio",
                        r.category,
                        r.impact_ratio,
                        r.applicants,
                        "highest selection rate" if r.impact_ratio == 1 else "",
                        "ratio",
                        section=section,
                    )
                )
        excluded = df[df["excluded"]]["category"].tolist()
        if excluded:
            notes.append(
                f"{title}: {', '.join(excluded)} left out of the impact ratios as under {share:.0%} "
                f"of the {len(apps)} applications assessed ({pack.cite('exclusion')})."
            )
        rows.append(
            row(
                "Number of applicants",
                "Unknown (not in the calculations)",
                tables[f"{table}_unknown"],
                tables[f"{table}_unknown"],
                pack.cite("unknown"),
                "count",
                section=title,
            )
        )
    return rows, notes
