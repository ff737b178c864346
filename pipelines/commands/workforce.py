"""Workforce commands beyond `equity metrics NAME`: policy-event impact, retention curves
with the log-rank test, and progress towards the targets in equity.yml."""
from __future__ import annotations

import click

from ..cli import DB_OPTION, EXACT_OPTION, _emit, _parse_filters, handle_errors

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
K_OPTION = click.option("--k", type=int, default=None,
                        help="Privacy threshold: groups below it are hidden (default from config; at least 3).")


def _connect(db):
    from ..build import default_db_path
    from ..db import connect_readonly
    return connect_readonly(db or default_db_path())


def _dims(by: str) -> list[str]:
    return [d.strip() for d in by.split(",") if d.strip()]


def _say(text: str, fmt: str) -> None:
    """Sentences around a table go to stderr for csv/json, so the output stays machine-readable."""
    click.echo(text, err=fmt != "table")


@click.command()
@click.argument("metric")
@click.option("--event", required=True, help="Label of an event in reference/events.csv.")
@click.option("--months", type=click.IntRange(min=1), default=None,
              help="Months of the monthly series on each side (default workforce.impact_months).")
@click.option("--by", default="", help="Breakdown of the group to analyse, e.g. gender.")
@click.option("--group", default=None, help="The group within --by, e.g. Man (default: everyone).")
@click.option("--filter", "filters", multiple=True, help="DIM=VALUE[,VALUE], e.g. department=Sales.")
@K_OPTION
@DB_OPTION
@FORMAT
@EXACT_OPTION
@handle_errors
def impact(metric, event, months, by, group, filters, k, db, fmt, exact):
    """Level and slope change of METRIC's monthly series at a policy event (segmented regression),
    fitted to the published (protected) series; --exact for the data owner."""
    from ..metrics.workforce_impact import impact as run
    res = run(_connect(db), metric, event, months=months, by=_dims(by), group=group, k=k,
              filters=_parse_filters(filters), exact=exact)
    _say(f"{metric} for {res.group} around '{res.event}' ({res.event_date}): "
         f"{res.months_before} month(s) before, {res.months_after} after.", fmt)
    _emit(res.coefficients, fmt, exact)
    for note in res.notes:
        _say(note, fmt)
    _say(f"Lag-1 autocorrelation of the residuals: {res.residual_autocorrelation:.2f}.", fmt)
    _say(f"Caution: {res.caution}", fmt)


@click.command()
@click.option("--by", default="", help="Up to three dimensions, e.g. gender,race_ethnicity.")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--filter", "filters", multiple=True, help="DIM=VALUE[,VALUE], e.g. department=Sales.")
@click.option("--curves", is_flag=True, help="Print the curve points instead of the group summary.")
@K_OPTION
@DB_OPTION
@FORMAT
@EXACT_OPTION
@handle_errors
def survival(by, date_from, date_to, filters, curves, k, db, fmt, exact):
    """Kaplan-Meier retention by group over the whole window (or the whole years of --from/--to),
    with a log-rank test; protected for publication, --exact for the data owner."""
    from ..metrics.workforce_curves import group_summary, retention_curves
    con, wanted = _connect(db), _parse_filters(filters)
    res = retention_curves(con, by=_dims(by), date_from=date_from.date() if date_from else None,
                           date_to=date_to.date() if date_to else None, k=k, filters=wanted, exact=exact)
    hidden = "groups under" if exact else "groups whose protected count is under"
    _say(f"Window {res.window.start} to {res.window.end}; {hidden} {res.k} people are not shown.", fmt)
    _emit(res.curves if curves else group_summary(con, res, wanted), fmt, exact)
    if res.logrank is not None:
        lr = res.logrank
        _say(f"Log-rank test across the {len(lr.groups)} groups shown: chi-square {lr.statistic:.2f} "
             f"on {lr.df} df, p = {lr.p_value:.3g}.", fmt)
    elif res.dims:
        _say("Log-rank test: fewer than two groups can be shown" + ("." if exact else
             f" with {2 * res.k} people or more (published tests need groups of 2k)."), fmt)


@click.command()
@K_OPTION
@DB_OPTION
@FORMAT
@EXACT_OPTION
@handle_errors
def targets(k, db, fmt, exact):
    """Progress towards the targets in equity.yml, with a straight-line projection to each due date
    (from the published yearly values; --exact for the data owner)."""
    from ..metrics.workforce_targets import target_progress
    table = target_progress(_connect(db), k=k, exact=exact)
    if table.empty:
        _say("No targets configured (add `targets:` to equity.yml).", fmt)
        return
    _emit(table, fmt, exact)


def register(main: click.Group) -> None:
    for command in (impact, survival, targets):
        main.add_command(command)
