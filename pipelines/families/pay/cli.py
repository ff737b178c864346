"""`equity pay ...`: pay-equity analyses beyond single registry metrics.

    equity pay statutory     UK six measures / EU Art. 9 and the Art. 10 category flags
    equity pay adjusted      adjusted gap with beta, robust SE, CI, p, R^2, n, Kennedy gap
    equity pay decomposition Oaxaca-Blinder (twofold pooled, threefold, per factor)
    equity pay cohorts       30/5 cohort review with t-tests and flags
    equity pay remediation   least-cost raises reaching a target adjusted gap (re-measured); cost curve

Everything printed or written is protected for publication like `equity metrics` (protected
counts, means and model results; hidden below k); `--exact` gives the data owner's exact figures
(n < k and complementary suppression) marked "not for publication". Individual remediation rows
are written only with --include-individuals --exact.
"""

from __future__ import annotations

import click

from ... import cli_options as opt
from ...cli_output import emit, handle_errors

BY_GENDER = opt.by_option("gender", "Group dimension(s), comma-separated (e.g. gender,race_ethnicity).")
GRAIN = opt.period_option(("year", "quarter", "month"))
DATE = opt.day_option("--date", "date", "Snapshot date (default: end of the latest full year).")
# the registry metrics of a period (statutory, adjusted), and the analyses of one pay snapshot
# (decomposition, cohorts, remediation): its date in the place of the period
PERIOD_OPTIONS = {"by": BY_GENDER, "period": GRAIN, "dates": False}
SNAPSHOT_OPTIONS = {"by": BY_GENDER, "period": False, "dates": DATE}


def _snapshot(db, by, date, filters, k, exact):
    """The pay snapshot the options of SNAPSHOT_OPTIONS describe."""
    from .analysis import pay_snapshot

    return pay_snapshot(
        opt.open_database(db), opt.split_dims(by), opt.day(date), opt.parse_filters(filters), k, exact=exact
    )


def register(main: click.Group) -> None:

    @main.group("pay")
    def pay():
        """Pay equity: statutory tables, adjusted gap, decomposition, cohorts, remediation."""

    @pay.command("statutory")
    @opt.metric_options(
        click.option("--flags-only", is_flag=True, help="Only the Art. 10 flagged categories."),
        click.option(
            "--snapshot",
            default=None,
            help="UK snapshot date: private (5 April), public (31 March) or YYYY-MM-DD; the "
            "figures are for the 12 months ending on it (bonus window, pay on that day).",
        ),
        click.option("--year", type=int, default=None, help="Year of the private/public snapshot (default: latest)."),
        **PERIOD_OPTIONS,
    )
    @handle_errors
    def statutory(db, by, period, k, filters, flags_only, snapshot, year, fmt, exact):
        """UK Gender Pay Gap six measures and EU Art. 9(1) for the latest full period (or the UK
        snapshot date), then the Art. 10 category assessment (gap >= 5%, exact arithmetic) of that
        period. Organisation-level figures are exact, as the law publishes them; a filtered view
        is protected (exact with --exact); `equity report NAME` gives a rule pack's exact
        organisation-level report."""
        from ...metrics import build_context
        from .statutory.measures import art10_assessment, snapshot_window, statutory_measures

        con = opt.open_database(db)
        dims = opt.split_dims(by)
        window = {}
        if snapshot:
            start, end = snapshot_window(snapshot, year, build_context(con)["as_of"])
            period, window = "custom", {"date_from": start, "date_to": end}
            if fmt == "table":
                click.echo(f"Snapshot date {end} (pay on that day, bonuses of the 12 months to it)")
        measures = statutory_measures(
            con, dims[0], period=period, k=k, filters=opt.parse_filters(filters), exact=exact, **window
        )
        if not flags_only:
            if fmt == "table":
                click.echo("UK Gender Pay Gap / EU Art. 9(1)(a)-(f)")
            emit(measures, fmt, exact)
        latest = measures["period"].iat[0] if len(measures) else None
        flags = art10_assessment(
            con, by=dims, period=period, k=k, filters=opt.parse_filters(filters), exact=exact, **window
        )
        flags = flags[flags["period"] == latest] if latest is not None else flags
        if flags_only:
            flags = flags[flags["flagged"]]
        if fmt == "table":
            click.echo(f"\nEU Art. 9(1)(g) category gaps and Art. 10 flags ({int(flags['flagged'].sum())} flagged)")
        emit(flags, fmt, exact)

    @pay.command("adjusted")
    @opt.metric_options(**PERIOD_OPTIONS)
    @handle_errors
    def adjusted(db, by, period, k, filters, fmt, exact):
        """Adjusted gap per group and period: beta, robust SE, 95% CI, p, R^2, n, the gap
        1 - exp(beta) (positive = paid less) and Kennedy's 1 - exp(beta - Var/2) (published groups only)."""
        from ...metrics import compute
        from .regression import details
        from ...privacy.keys import read_salt

        con = opt.open_database(db)
        table = details(
            compute(
                con,
                "adjusted_pay_gap",
                by=opt.split_dims(by),
                period=period,
                k=k,
                filters=opt.parse_filters(filters),
                exact=exact,
            ),
            None if exact else read_salt(con),
        )
        out = table.rename(columns={"numerator": "beta", "denominator": "se", "value": "gap_pct"})
        emit(
            out[
                [
                    "period",
                    "dimensions",
                    "group",
                    "reference",
                    "n",
                    "beta",
                    "se",
                    "ci_low",
                    "ci_high",
                    "p_value",
                    "gap_pct",
                    "kennedy_gap",
                    "r_squared",
                    "suppressed",
                    "note",
                ]
            ],
            fmt,
            exact,
        )

    @pay.command("decomposition")
    @opt.metric_options(**SNAPSHOT_OPTIONS)
    @handle_errors
    def decomposition(db, by, date, k, filters, fmt, exact):
        """Oaxaca-Blinder decomposition of the ln-pay gap of each published group against the
        reference: twofold (pooled) and threefold, and each factor's explained part."""
        from .oaxaca import decomposition_tables

        snap = _snapshot(db, by, date, filters, k, exact)
        summary, factors = decomposition_tables(snap)
        if fmt == "table":
            click.echo(
                f"Snapshot {snap.date}: gap in log points, above 0 = paid less (reference {snap.label(snap.reference)})"
            )
        emit(summary, fmt, exact)
        if fmt == "table":
            click.echo("\nExplained part by factor (log points)")
        emit(factors, fmt, exact)

    @pay.command("cohorts")
    @opt.metric_options(**SNAPSHOT_OPTIONS)
    @handle_errors
    def cohorts(db, by, date, k, filters, fmt, exact):
        """Cohort review (job family x job level by default): gap and Welch t per cohort,
        tested only with n >= 30 and >= 5 in each group; |t| >= 2 flagged."""
        from .cohorts import cohort_review

        emit(cohort_review(_snapshot(db, by, date, filters, k, exact)), fmt, exact)

    @pay.command("remediation")
    @opt.metric_options(
        click.option(
            "--target-gap",
            "target",
            required=True,
            type=click.FloatRange(min=0, max=99),
            help=(
                "Target adjusted gap in percent (e.g. 0, 1, 2): every published group's gap at the target or "
                "less (positive = paid less)."
            ),
        ),
        opt.amount_option(
            "--budget",
            "budget",
            "Annual budget (reporting currency): if the target costs more, the smallest worst gap it buys.",
        ),
        opt.amount_option(
            "--min-raise", "min_raise", "Smallest raise in % of base salary (default pay.remediation_min_raise_pct)."
        ),
        opt.amount_option(
            "--max-raise", "max_raise", "Largest raise in % of base salary (default pay.remediation_max_raise_pct)."
        ),
        opt.amount_option(
            "--margin", "margin", "Nobody is raised above predicted pay + this % (default pay.remediation_margin_pct)."
        ),
        opt.file_option(
            "--out", "CSV to write: the per-group plan, or individual rows with --include-individuals.", required=True
        ),
        click.option(
            "--include-individuals",
            is_flag=True,
            help="Write one row per person raised (confidential: handle as payroll data; needs --exact).",
        ),
        opt.file_option("--curve", "Also write the cost-to-close curve to this CSV.", name="curve_out"),
        fmt=False,
        **SNAPSHOT_OPTIONS,
    )
    @handle_errors
    def remediation(
        db,
        target,
        budget,
        min_raise,
        max_raise,
        margin,
        out,
        include_individuals,
        curve_out,
        by,
        date,
        k,
        filters,
        exact,
    ):
        """Least-cost raises that bring every published group's adjusted gap to the target, as
        the adjusted model re-measures it after the raises; the per-group plan (or, for the
        data owner, one row per person raised) and the cost-to-close curve."""
        from ...errors import UsageError
        from ...export import to_csv
        from . import remediation_report as report
        from ...publication import EXACT_NOTICE, mark_exact
        from .remediation import Remediation, Settings, plan_for_budget, plan_for_target

        if include_individuals and not exact:
            raise UsageError(
                "--include-individuals writes payroll data for the data owner: add --exact "
                "(exact figures, not for publication)"
            )
        snap = _snapshot(db, by, date, filters, k, exact)
        given = {"min_raise_pct": min_raise, "max_raise_pct": max_raise, "margin_pct": margin}
        rem = Remediation(
            snap, Settings.from_config(snap.config, **{key: v for key, v in given.items() if v is not None})
        )
        plan = plan_for_target(rem, target)
        if budget is not None and float(rem.annual_cost(plan.new_salary).sum()) > budget:
            plan = plan_for_budget(rem, budget, target)
        table = report.individual_rows(rem, plan) if include_individuals else report.summary(rem, plan)
        out.write_text(to_csv(mark_exact(table) if exact else table), encoding="utf-8")
        if exact:
            click.echo(f"Exact figures for the data owner: {EXACT_NOTICE}.")
        for line in report.describe(rem, plan):
            click.echo(line)
        if curve_out:

            def progress(i, n):
                click.echo(f"cost curve: {i}/{n} plans solved", err=True)

            curve = report.cost_curve(rem, snap.config["pay"]["cost_curve_points"], progress)
            curve_out.write_text(to_csv(mark_exact(curve) if exact else curve), encoding="utf-8")
            click.echo(f"Wrote the cost-to-close curve to {curve_out}")
        click.echo(
            f"Wrote {'individual rows (confidential)' if include_individuals else 'the per-group plan'} to {out}"
        )
