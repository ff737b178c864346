"""The published (protected) tables the pay views are built from, shared by the Pay page (which
caches them per view) and the PDF section: the raw and adjusted pay gaps over the periods, the
statutory measures with the Art. 10 flags, and the decomposition, cohort review and cost-to-close
curve of one snapshot. Every input is the analyses' default, never exact=True; individual
remediation rows never appear here."""

from __future__ import annotations

import pandas as pd

from pipelines.db import has_table, scalar
from pipelines.errors import UsageError
from pipelines.metrics import compute, latest_full_data_period
from pipelines.families.pay.analysis import pay_snapshot
from pipelines.families.pay.cohorts import cohort_review
from pipelines.families.pay.factors import factor_names
from pipelines.families.pay.oaxaca import decomposition_tables
from pipelines.families.pay.regression import details
from pipelines.families.pay.remediation import Remediation, plan_for_target
from pipelines.families.pay.remediation_report import CURVE_COLUMNS, cost_curve, total
from pipelines.families.pay.remediation_report import summary as plan_by_group
from pipelines.families.pay.statutory.measures import art10_assessment, statutory_measures
from pipelines.privacy.keys import read_salt

FACTOR_WORDS = {
    "job_level": "job level",
    "job_family": "job family",
    "location": "location",
    "tenure_years": "tenure",
    "performance_rating": "performance rating",
    "department": "department",
    "country": "country",
    "employment_type": "employment type",
}


def pay_loaded(con) -> bool:
    """HR pay data present: the spells mart exists and someone has a salary."""
    return has_table(con, "fct_employment_spells") and bool(
        scalar(con, "SELECT count(*) FROM fct_employment_spells WHERE annual_base_salary > 0")
    )


def factors_text(config) -> str:
    words = [FACTOR_WORDS.get(f, f.replace("_", " ")) for f in factor_names(config)]
    return ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else (words[0] if words else "factors")


def latest_full_year(con) -> tuple:
    year = latest_full_data_period(con, "year")
    return year.start, year.end


def pay_gap_rows(con, by, period="year", k=None, filters=None, date_from=None, date_to=None) -> pd.DataFrame:
    """The raw gap (pay_gap_mean, the statutory mean hourly gap: one raw gap) and the adjusted
    gap (adjusted_pay_gap) per group and period, each as the registry publishes it: gap in %
    of the reference's pay, positive = paid less (docs/metrics.md, "How pay gaps are signed")."""
    by = list(by)
    parts = []
    for metric, measure in (("pay_gap_mean", "raw"), ("adjusted_pay_gap", "adjusted")):
        t = compute(con, metric, by=by, period=period, k=k, filters=filters, date_from=date_from, date_to=date_to)
        t = t[(t["dimensions"] == "|".join(by)) & (t["group"] != t["reference"])].copy()
        t = (
            details(t, read_salt(con))
            if measure == "adjusted"
            else t.assign(p_value=float("nan"), kennedy_gap=float("nan"))
        )
        t["gap"] = t["value"]
        t["measure"] = measure
        parts.append(t[list(GAP_ROW_COLUMNS)])
    return pd.concat(parts, ignore_index=True)


GAP_ROW_COLUMNS = (
    "period",
    "period_start",
    "period_end",
    "group",
    "reference",
    "measure",
    "gap",
    "ci_low",
    "ci_high",
    "n",
    "suppressed",
    "note",
    "p_value",
    "kennedy_gap",
)


def statutory_tables(con, k=None, filters=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The UK/EU statutory measures by gender and the Art. 10 category flags (latest full year)."""
    return statutory_measures(con, "gender", k=k, filters=filters), art10_rows(con, k, filters)


def art10_rows(con, k=None, filters=None) -> pd.DataFrame:
    start, end = latest_full_year(con)
    return art10_assessment(con, by=["gender"], k=k, filters=filters, date_from=start, date_to=end)


def analysis_tables(con, by, k=None, filters=None) -> dict:
    """Decomposition, cohort review and cost curve on the latest full year's snapshot
    (protected: pay_snapshot's default)."""
    snap = pay_snapshot(con, list(by), None, filters, k)
    summary, factors = decomposition_tables(snap)
    out = {
        "date": snap.date,
        "reference": snap.label(snap.reference),
        "summary": summary,
        "factors": factors,
        "cohorts": cohort_review(snap),
        "excluded": snap.excluded,
    }
    try:
        rem = Remediation(snap)
    except UsageError as exc:  # e.g. a filter leaves fewer people than model terms
        return {
            **out,
            "curve": cost_curve_frame(),
            "total": None,
            "plan": None,
            "settings": None,
            "remediation_error": str(exc),
        }
    plan = plan_for_target(rem, float(snap.config["pay"]["remediation_target_pct"]))
    return {
        **out,
        "curve": cost_curve(rem, snap.config["pay"]["cost_curve_points"]),
        "total": total(rem, plan),
        "plan": plan_by_group(rem, plan),
        "settings": rem.settings,
        "remediation_error": "",
    }


def cost_curve_frame() -> pd.DataFrame:
    return pd.DataFrame(columns=CURVE_COLUMNS)


def constraints_text(settings) -> str:
    top = "no maximum" if settings.max_raise_pct is None else f"at most {settings.max_raise_pct:g}%"
    return (
        f"Only members of published groups paid below the pay the adjusted model predicts for their factors are "
        f"raised; a raise is at least {settings.min_raise_pct:g}% and {top} of base salary and never lifts "
        f"anyone above predicted pay + {settings.margin_pct:g}% (pay.remediation_* settings)."
    )
