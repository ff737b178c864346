"""The pay views, defined once (issue 19 item 2): each function turns the published tables of one
view (dashboard/families/pay/tables.py, for the sidebar's breakdown, grain, filters and From/To
on the page, the report's defaults in the PDF) into the Block that the Pay page draws with
components.show_block and the PDF section prints. A figure block's title is its chart's title
(the PDF prints it as the heading); a table block's title is the heading both print above it.
tests/test_page_pdf_parity_pay.py checks that page and PDF show the same blocks."""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import group_label

from .charts import cost_curve_figure, decomposition_figure, gap_trend_figure, quartile_figure
from .narrative import (
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
from ...block import Block
from .tables import constraints_text

QUARTILE_PREFIX = "Share of pay quartile: "


def trend_block(rows: pd.DataFrame, k: int, factors: str, events: pd.DataFrame | None = None) -> Block:
    """Raw vs adjusted pay gap to the reference over the periods (pay_gap_rows)."""
    title = pay_gap_title(rows, factors)
    summary = pay_gap_summary(rows, k)
    return Block(
        title=title,
        summary=summary,
        table=pay_gap_table(rows, k),
        figure=gap_trend_figure(rows, title=title, events=events),
        alt=(
            "Line chart of the raw and adjusted pay gap to the reference group (above 0 = paid less), per group, "
            f"over the periods. {summary}"
        ),
    )


def _quartile_title(quart: pd.DataFrame, period: str) -> str:
    top = quart[
        (quart["group"] == "Woman")
        & quart["quartile"].str.contains("upper")
        & ~quart["quartile"].str.contains("middle")
    ]
    if len(top):
        return f"Women hold {top['value'].iat[0]:.0%} of the upper pay quartile, {period}"
    return f"Share of each hourly pay quartile by gender, {period}"


def statutory_block(measures: pd.DataFrame, k: int) -> Block | None:
    """The UK Gender Pay Gap / EU Art. 9(1)(a)-(f) measures with the quartile chart; None
    when no measure could be computed."""
    if measures.empty:
        return None
    period = measures["period"].iat[0]
    quart = measures[measures["measure"].str.startswith(QUARTILE_PREFIX) & ~measures["suppressed"]].copy()
    quart["quartile"] = quart["measure"].str.replace(QUARTILE_PREFIX, "", regex=False)
    title = _quartile_title(quart, period)
    return Block(
        title=title,
        summary=(
            f"UK Gender Pay Gap measures / EU Pay Transparency Art. 9(1)(a)-(f), {period}: mean and median hourly "
            "and bonus gaps, the share receiving a bonus and each gender's share of the hourly pay quartiles, on "
            "the last day of the period. Gaps are (men - group) / men x 100, the sign of every pay gap here: "
            "positive = the group is paid less. "
            "Bonus gaps compare bonus recipients only; quartiles split people on the same rate at a boundary in "
            "proportion."
        ),
        table=statutory_table(measures, k),
        figure=quartile_figure(quart, title=title) if len(quart) else None,
        alt="Stacked bar chart of each gender's share of the four hourly pay quartiles.",
    )


def art10_block(flags: pd.DataFrame, threshold) -> Block:
    """The categories of workers at or over the Art. 10 threshold, each judged or too small."""
    return Block(
        title=f"EU Art. 9(1)(g) and Art. 10: categories of workers with a gap of {threshold}% or more",
        summary=art10_summary(flags, threshold),
        table=art10_table(flags),
    )


def decomposition_block(results: dict, k: int) -> Block:
    """Oaxaca-Blinder: each factor's explained part and the unexplained part (analysis_tables)."""
    if not len(results["factors"]):
        return Block(
            title="Explained and unexplained gap: no group to compare",
            summary=f"No group other than the reference has at least {k} people (snapshot {results['date']}).",
            table=results["summary"],
        )
    title = decomposition_title(results["summary"])
    return Block(
        title=title,
        summary=(
            f"Oaxaca-Blinder decomposition of the ln hourly pay gap against {group_label(results['reference'])} on "
            f"the snapshot of {results['date']} (pooled twofold; threefold columns in the table), in log points x 100 "
            "(about %) with the sign of every pay gap: above 0 = toward the group being paid less. Each bar is how "
            "much a legitimate factor explains; 'unexplained' is what remains with the same factors."
        ),
        table=results["summary"].round(4),
        figure=decomposition_figure(results["factors"], title=title),
        alt="Bar chart of each factor's contribution to the pay gap.",
    )


def cohort_block(results: dict, pay_config: dict) -> Block:
    """Welch's t per cohort and group (pay.cohort_* gates); comparisons not shown are counted."""
    cohorts = results["cohorts"]
    counts = cohorts["status"].value_counts()
    columns = " × ".join(c.replace("_", " ") for c in pay_config["cohort_columns"])
    return Block(
        title=f"Cohort review ({columns})",
        summary=(
            f"{int(counts.get('flagged', 0))} cohort comparison(s) flagged (|t| ≥ {pay_config['cohort_t_threshold']}), "
            f"{int(counts.get('tested, not flagged', 0))} tested and not flagged; a cohort is tested only with at "
            f"least {pay_config['cohort_min_n']} people and {pay_config['cohort_min_group_n']} in each group. "
            f"{int(cohorts['status'].str.startswith('not').sum())} comparison(s) not tested or not shown."
        ),
        table=cohorts[~cohorts["status"].str.startswith("not shown")].round(4).reset_index(drop=True),
    )


def cost_blocks(results: dict, currency: str, k: int) -> list[Block]:
    """The cost-to-close curve and the plan for the configured target, or why there is none."""
    curve = results["curve"]
    if results["remediation_error"]:
        return [
            Block(
                title="Cost to close the adjusted gap: no plan",
                summary=f"No remediation plan: {results['remediation_error']}",
                table=curve,
            )
        ]
    if not len(curve):
        return [
            Block(
                title="Cost to close the adjusted gap: nothing to close",
                summary="No published group is paid less than the reference after legitimate factors.",
                table=curve,
            )
        ]
    title = cost_curve_title(results["total"], currency)
    return [
        Block(
            title=title,
            summary=(
                "Each point is the least-cost set of raises (a linear programme) that brings every published group's "
                "adjusted gap to that level, re-measured by refitting the adjusted model on the new salaries. "
                f"{constraints_text(results['settings'])} Budgets and gaps are protected figures; budgets over "
                f"fewer than {k} raised people (protected count) are not shown; individual raises are only "
                "available to the data owner through `equity pay remediation --include-individuals --exact`."
            ),
            table=curve.round(4),
            figure=cost_curve_figure(curve, title=title, currency=currency),
            alt="Line chart: adjusted gap falls as the raise budget grows.",
        ),
        Block(
            title="Remediation plan: adjusted gap before and after the raises (re-measured)",
            summary=remediation_summary(results["plan"], results["total"], currency),
            table=remediation_table(results["plan"], currency),
        ),
    ]
