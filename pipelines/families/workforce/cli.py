"""Workforce commands beyond `equity metrics NAME`: policy-event impact, retention curves
with the log-rank test, and progress towards the targets in equity.yml."""

from __future__ import annotations

import click

from ... import cli_options as opt
from ...cli_output import emit, handle_errors
from ...cli_table import say as _say  # wrapped for a person, stderr for csv/json


@click.command()
@click.argument("metric")
@opt.metric_options(
    click.option("--event", required=True, help="Label of an event in reference/events.csv."),
    click.option(
        "--months",
        type=click.IntRange(min=1),
        default=None,
        help="Months of the monthly series on each side (default workforce.impact_months).",
    ),
    click.option("--group", default=None, help="The group within --by, e.g. Man (default: everyone)."),
    by=opt.by_option(help="Breakdown of the group to analyse, e.g. gender."),
    period=False,
    dates=False,
)
@handle_errors
def impact(metric, event, months, by, group, filters, k, db, fmt, exact):
    """Level and slope change of METRIC's monthly series at a policy event (segmented regression),
    fitted to the published (protected) series; --exact for the data owner."""
    from ...formatting import group_label
    from .impact import impact as run

    res = run(
        opt.open_database(db),
        metric,
        event,
        months=months,
        by=opt.split_dims(by),
        group=group,
        k=k,
        filters=opt.parse_filters(filters),
        exact=exact,
    )
    _say(
        f"{metric} for {group_label(res.group)} around '{res.event}' ({res.event_date}): "
        f"{res.months_before} month(s) before, {res.months_after} after.",
        fmt,
    )
    emit(res.coefficients, fmt, exact)
    for note in res.notes:
        _say(note, fmt)
    _say(f"Lag-1 autocorrelation of the residuals: {res.residual_autocorrelation:.2f}.", fmt)
    _say(f"Caution: {res.caution}", fmt)


@click.command()
@opt.metric_options(
    click.option("--curves", is_flag=True, help="Print the curve points instead of the group summary."), period=False
)
@handle_errors
def survival(by, date_from, date_to, filters, curves, k, db, fmt, exact):
    """Kaplan-Meier retention by group over the whole window (or the whole years of --from/--to),
    with a log-rank test; protected for publication, --exact for the data owner."""
    from .curves import group_summary, retention_curves

    con, wanted = opt.open_database(db), opt.parse_filters(filters)
    res = retention_curves(
        con,
        by=opt.split_dims(by),
        date_from=opt.day(date_from),
        date_to=opt.day(date_to),
        k=k,
        filters=wanted,
        exact=exact,
    )
    hidden = "groups under" if exact else "groups whose protected count is under"
    _say(f"Window {res.window.start} to {res.window.end}; {hidden} {res.k} people are not shown.", fmt)
    emit(res.curves if curves else group_summary(con, res, wanted), fmt, exact)
    if res.logrank is not None:
        lr = res.logrank
        _say(
            f"Log-rank test across the {len(lr.groups)} groups shown: chi-square {lr.statistic:.2f} "
            f"on {lr.df} df, p = {lr.p_value:.3g}.",
            fmt,
        )
    elif res.dims:
        _say(
            "Log-rank test: fewer than two groups can be shown"
            + ("." if exact else f" with {2 * res.k} people or more (published tests need groups of 2k)."),
            fmt,
        )


@click.command()
@opt.metric_options(by=False, period=False, dates=False, filters=False)
@handle_errors
def targets(k, db, fmt, exact):
    """Progress towards the targets in equity.yml, with a straight-line projection to each due date
    (from the published yearly values; --exact for the data owner)."""
    from .targets import target_progress

    table = target_progress(opt.open_database(db), k=k, exact=exact)
    if table.empty:
        _say("No targets configured (add `targets:` to equity.yml).", fmt)
        return
    emit(table, fmt, exact)


def register(main: click.Group) -> None:
    for command in (impact, survival, targets):
        main.add_command(command)
