"""Pay equity section of the report, and the (non-Streamlit) table builders the dashboard page
shares with it: relative pay (raw vs adjusted) over the years, the statutory tables with Art. 10
flags, the decomposition, the cohort review and the cost-to-close curve. Every input is a
published (protected) table - the analyses' default, never exact=True; individual remediation
rows never appear here."""

from __future__ import annotations

import pandas as pd

from pipelines.db import has_table, scalar
from pipelines.errors import UsageError
from pipelines.metrics import NoDataError, build_context, compute, families, latest_full_data_period
from pipelines.metrics.pay_analysis import pay_snapshot
from pipelines.metrics.pay_factors import factor_names
from pipelines.metrics.pay_cohorts import cohort_review
from pipelines.metrics.pay_oaxaca import decomposition_tables
from pipelines.metrics.pay_regression import details
from pipelines.metrics.pay_remediation import Remediation, plan_for_target
from pipelines.metrics.pay_remediation_report import CURVE_COLUMNS, cost_curve, total
from pipelines.metrics.pay_remediation_report import summary as plan_by_group
from pipelines.metrics.pay_statutory import art10_assessment, statutory_measures
from pipelines.privacy.keys import read_salt

from ..charts_pay import cost_curve_figure, decomposition_figure, gap_trend_figure, quartile_figure
from ..finding import Finding, by_interval, counted
from ..narrative import FINDING_MIN_N
from ..narrative_pay import (
    art10_summary,
    art10_table,
    cost_curve_title,
    decomposition_title,
    pay_gap_summary,
    pay_gap_table,
    pay_gap_title,
    remediation_summary,
    remediation_table,
    statutory_table,
)
from . import Block, Section
from pipelines.formatting import group_label

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


def relative_pay_rows(con, by, period="year", k=None, filters=None, date_from=None, date_to=None) -> pd.DataFrame:
    """Raw (mean hourly) and adjusted pay relative to the reference, per group and period:
    relative = group / reference - 1 in % (the raw gap with its sign flipped, exp(beta) - 1)."""
    by = list(by)
    parts = []
    for metric, measure, flip in (("pay_gap_mean", "raw", True), ("adjusted_pay_gap", "adjusted", False)):
        t = compute(con, metric, by=by, period=period, k=k, filters=filters, date_from=date_from, date_to=date_to)
        t = t[(t["dimensions"] == "|".join(by)) & (t["group"] != t["reference"])].copy()
        t = (
            details(t, read_salt(con))
            if measure == "adjusted"
            else t.assign(p_value=float("nan"), kennedy_gap=float("nan"))
        )
        sign = -1 if flip else 1
        t["relative"] = sign * t["value"]
        t["ci_low"], t["ci_high"] = (sign * t["ci_high"], sign * t["ci_low"]) if flip else (t["ci_low"], t["ci_high"])
        t["measure"] = measure
        parts.append(
            t[
                [
                    "period",
                    "period_start",
                    "period_end",
                    "group",
                    "reference",
                    "measure",
                    "relative",
                    "ci_low",
                    "ci_high",
                    "n",
                    "suppressed",
                    "note",
                    "p_value",
                    "kennedy_gap",
                ]
            ]
        )
    return pd.concat(parts, ignore_index=True)


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


def _block_trend(con, k, period) -> Block:
    config = build_context(con)["config"]
    rows = relative_pay_rows(con, ["gender"], period, k)
    title = pay_gap_title(rows, factors_text(config))
    summary = pay_gap_summary(rows, k)
    return Block(
        title=title,
        summary=summary,
        table=pay_gap_table(rows, k),
        figure=gap_trend_figure(rows, title=title),
        alt=f"Line chart of raw and adjusted pay relative to men, by gender, over the years. {summary}",
    )


def _block_quartiles(con, k) -> Block:
    table = statutory_measures(con, "gender", k=k)
    quart = table[table["measure"].str.startswith("Share of pay quartile") & ~table["suppressed"]].copy()
    quart["quartile"] = quart["measure"].str.replace("Share of pay quartile: ", "", regex=False)
    title = "Share of each hourly pay quartile by gender"
    fig = quartile_figure(quart, title=title) if len(quart) else None
    shown = statutory_table(table, k)
    return Block(
        title="UK Gender Pay Gap measures / EU Art. 9(1)(a)-(f)",
        summary=(
            "Mean and median hourly and bonus gaps (positive = paid less than men), share receiving a bonus, and the "
            "share of each pay quartile, on the last day of the latest full year."
        ),
        table=shown,
        figure=fig,
        alt="Stacked bar chart of each gender's share of the four hourly pay quartiles.",
    )


def build_section(con, k: int, period: str = "year") -> Section | None:
    if not pay_loaded(con):
        return None
    meta = families()["pay"]
    config = build_context(con)["config"]
    blocks = [_block_trend(con, k, period), _block_quartiles(con, k)]
    flags = art10_rows(con, k)
    blocks.append(
        Block(
            title="EU Art. 10: categories with a gap of 5% or more",
            summary=art10_summary(flags, config["pay"]["category_gap_threshold_pct"]),
            table=art10_table(flags),
        )
    )
    tables = analysis_tables(con, ["gender"], k)
    if len(tables["factors"]):
        title = decomposition_title(tables["summary"])
        blocks.append(
            Block(
                title=title,
                summary="Oaxaca-Blinder (pooled twofold): explained part by factor and the "
                "unexplained part of the ln hourly pay gap.",
                table=tables["summary"],
                figure=decomposition_figure(tables["factors"], title=title),
                alt="Bar chart of each factor's contribution to the pay gap.",
            )
        )
    currency = config["reporting_currency"]
    if tables["remediation_error"]:
        blocks.append(
            Block(
                title="Cost to close the adjusted gap: no plan",
                summary=tables["remediation_error"],
                table=tables["curve"],
            )
        )
        return Section(family="pay", title=meta["title"], intro=meta["description"], order=meta["order"], blocks=blocks)
    title = cost_curve_title(tables["total"], currency)
    blocks.append(
        Block(
            title=title,
            summary="Least annual raise budget against the adjusted gap it leaves, per group, "
            "re-measured by refitting the model on the new salaries. " + constraints_text(tables["settings"]),
            table=tables["curve"],
            figure=cost_curve_figure(tables["curve"], title=title, currency=currency),
            alt="Line chart: adjusted gap falls as the raise budget grows.",
        )
    )
    blocks.append(
        Block(
            title="Remediation plan: adjusted gap before and after the raises (re-measured)",
            summary=remediation_summary(tables["plan"], tables["total"], currency),
            table=remediation_table(tables["plan"], currency),
        )
    )
    return Section(family="pay", title=meta["title"], intro=meta["description"], order=meta["order"], blocks=blocks)


def findings(con, k: int, period: str = "year") -> list[Finding]:
    """Adjusted gaps whose 95% interval excludes zero, and the number of worker categories
    that need a joint pay assessment (EU Art. 10), for the latest full year."""
    if not pay_loaded(con):
        return []
    start, end = latest_full_year(con)
    # the latest full year as a whole period (published figures never use custom ranges)
    try:
        adjusted = compute(con, "adjusted_pay_gap", by=["gender"], period="year", date_from=start, date_to=end, k=k)
    except NoDataError:  # e.g. tenure_years as a factor of snapshots without hire dates: no model
        adjusted = pd.DataFrame(columns=["dimensions", "suppressed"])
    factors = factors_text(build_context(con)["config"])
    out = []
    for _, r in adjusted[(adjusted["dimensions"] == "gender") & ~adjusted["suppressed"]].iterrows():
        if pd.notna(r["ci_high"]) and (r["ci_high"] < 0 or r["ci_low"] > 0):
            less = "less" if r["value"] < 0 else "more"
            text = (
                f"Pay {end.year}: {group_label(r['group'])} paid {abs(r['value']):.1f}% {less} than "
                f"{group_label(r['reference'])} "
                f"with the same {factors} (95% CI {r['ci_low']:.1f}% to {r['ci_high']:.1f}%, n = {int(r['n']):,})."
            )
            out.append(
                by_interval(
                    text,
                    "pay",
                    size=abs(r["value"]),
                    size_text=f"{abs(r['value']):.1f}% {less} pay",
                    value=r["value"],
                    low=r["ci_low"],
                    high=r["ci_high"],
                    boundary=0,
                )
            )
    flags = art10_rows(con, k)
    judged = art10_table(flags)
    judged = judged[judged["Assessment"] == "joint pay assessment needed"] if len(judged) else judged
    if len(judged):
        categories = judged["Category"].nunique()
        text = (
            f"Pay {end.year}: {categories} worker categor{'y has' if categories == 1 else 'ies have'} a gap "
            f"of 5% or more in basic or variable pay for a group of at least {FINDING_MIN_N} people "
            "(EU Art. 10: a joint pay assessment is needed unless objective criteria justify it)."
        )
        out.append(
            counted(
                text,
                "pay",
                size_text=f"{categories} worker categor{'y' if categories == 1 else 'ies'}",
                basis="exact pay records",
            )
        )
    return out
