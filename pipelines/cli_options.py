"""The options every `equity` command shares, defined once (issue 21), and the one way a command
opens the built database.

A command that computes metrics takes `@metric_options(...)`: `--db`, `--by`, `--period`,
`--from/--to`, `--k`, `--filter`, its own options, `--format` and `--exact`, in that order (each
slot can be replaced or left out). Other commands take the single decorators they need
(`db_option`, `k_option()`, `filter_option()`, `period_option()`, `date_range_options`,
`format_option`, `exact_option`, and `folder_option`, `file_option`, `day_option`,
`amount_option` for paths, days and amounts) and turn the values into engine arguments
with `open_database`, `parse_filters`, `split_dims` and `day`. Commands import this module as
`from pipelines import cli_options as opt`, at module level: only click is imported here, so
`equity --help` and `equity list` stay free of pandas and DuckDB (tests/test_cli_startup.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .config import MIN_K

FORMATS = ("table", "csv", "json")
GRAINS = ("year", "quarter", "month", "custom")  # the engine's grains (metrics._periods.GRAINS)
DAY = click.DateTime(["%Y-%m-%d"])


class SharedOption(click.Option):
    """An option made by this module: `definition` names the function (or constant) that made
    it, so a test can tell a shared `--k` from a command's own redefinition of it."""

    def __init__(self, *args, definition: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition


def shared(definition: str, *param_decls: str, **attrs):
    """`click.option` marked as made here (SharedOption)."""
    return click.option(*param_decls, cls=SharedOption, definition=definition, **attrs)


db_option = shared(
    "db_option",
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="DuckDB file (default: $EQUITY_DB or ./equity.duckdb; "
    "`make demo-db` builds a sample one at build/demo.duckdb).",
)

format_option = shared("format_option", "--format", "fmt", type=click.Choice(FORMATS), default="table")

# the data owner's exact figures (person-level database in hand); never for publication
exact_option = shared(
    "exact_option",
    "--exact",
    is_flag=True,
    default=False,
    help="Exact figures for the data owner (n<k and complementary suppression "
    "instead of protection). Not for publication.",
)


def k_option(help: str = "Privacy threshold: groups below it are hidden (default privacy.k)", minimum: int = MIN_K):
    """`--k`, refused below `minimum` before anything is read (a smaller k could identify
    people); the engine checks the configured floor again for callers outside the CLI."""

    def check(ctx, param, value):
        if value is not None and value < minimum:
            # one sentence and exit 2, like every other usage error (handle_errors' format)
            click.echo(
                f"Error: k must be at least {minimum} (got {value}); smaller groups could identify people", err=True
            )
            ctx.exit(2)
        return value

    return shared("k_option", "--k", type=int, default=None, callback=check, help=f"{help}; at least {minimum}.")


def filter_option(help: str = "DIM=VALUE[,VALUE], e.g. department=Sales (repeatable)."):
    return shared("filter_option", "--filter", "filters", multiple=True, help=help)


def by_option(default: str = "", help: str = "Up to three dimensions, comma-separated (e.g. gender,race_ethnicity)."):
    return shared("by_option", "--by", default=default, show_default=bool(default), help=help)


def period_option(choices: tuple[str, ...] = GRAINS, default: str = "year", help: str | None = None):
    return shared(
        "period_option", "--period", default=default, type=click.Choice(list(choices)), show_default=True, help=help
    )


def day_option(flag: str, name: str, help: str):
    """An optional day (YYYY-MM-DD); the command takes it as a date with `day`."""
    return click.option(flag, name, type=DAY, default=None, help=help)


def date_range_options(fn):
    """`--from` and `--to` (YYYY-MM-DD): a custom range, or the whole years inside it."""
    fn = shared("date_range_options", "--to", "date_to", type=DAY, default=None, help="Last day (YYYY-MM-DD).")(fn)
    return shared("date_range_options", "--from", "date_from", type=DAY, default=None, help="First day (YYYY-MM-DD).")(
        fn
    )


def _required(required: bool) -> dict:
    """A required option has no default at all (click's usage error names it); others None."""
    return {"required": True} if required else {"default": None}


def folder_option(flag: str, help: str, *, required: bool = False, exists: bool = False):
    """A folder path (`--data`, `--out` of `equity sample`), as a Path named after the flag."""
    kind = click.Path(exists=exists, file_okay=False, path_type=Path)
    return click.option(flag, flag.lstrip("-"), **_required(required), type=kind, help=help)


def file_option(flag: str, help: str, *, name: str | None = None, required: bool = False):
    """A file path to write or read (`--out`, `--curve`), as a Path named `name` (the flag's)."""
    kind = click.Path(dir_okay=False, path_type=Path)
    return click.option(flag, name or flag.lstrip("-"), **_required(required), type=kind, help=help)


def amount_option(flag: str, name: str, help: str):
    """An optional non-negative amount (a percentage or money), None when not given."""
    return click.option(flag, name, type=click.FloatRange(min=0), default=None, help=help)


def metric_options(*extra, by=True, period=True, dates=True, k=True, filters=True, fmt=True, exact=True):
    """The options a metric command takes, in one order: --db, --by, --period, --from/--to,
    --k, --filter, then the command's own `extra` options, then --format and --exact. A slot is
    True for the shared option as defined here, False to leave it out, or a decorator to put in
    its place (another help text or grain choice of the same shared option, or a command's own
    time option such as pay's --date)."""
    defaults = {
        "by": by_option(),
        "period": period_option(),
        "dates": date_range_options,
        "k": k_option(),
        "filters": filter_option(),
        "fmt": format_option,
        "exact": exact_option,
    }
    given = {"by": by, "period": period, "dates": dates, "k": k, "filters": filters, "fmt": fmt, "exact": exact}
    chosen = {slot: defaults[slot] if value is True else value for slot, value in given.items() if value}
    before = [chosen[s] for s in ("by", "period", "dates", "k", "filters") if s in chosen]
    after = [chosen[s] for s in ("fmt", "exact") if s in chosen]
    return combined(db_option, *before, *extra, *after)


def combined(*decorators):
    """One decorator applying `decorators` as if stacked in this order (commands that take the
    same set of options say it once)."""

    def apply(fn):
        for decorator in reversed(decorators):
            fn = decorator(fn)
        return fn

    return apply


def day(value: dt.datetime | None) -> dt.date | None:
    """A click DateTime value as the date the engine takes."""
    return value.date() if value else None


def split_dims(by: str) -> list[str]:
    """`--by gender,race_ethnicity` as a list (blanks dropped; the engine validates names)."""
    return [d.strip() for d in by.split(",") if d.strip()]


def parse_filters(values: tuple[str, ...]) -> dict[str, list[str]]:
    """`--filter DIM=V1,V2` (repeatable) as {dim: [values]}; a malformed one is a usage error."""
    from .errors import UsageError

    out: dict[str, list[str]] = {}
    for item in values:
        dim, sep, vals = item.partition("=")
        if not sep or not vals:
            raise UsageError(f"--filter takes DIM=VALUE[,VALUE] (got '{item}')")
        out.setdefault(dim.strip(), []).extend(v.strip() for v in vals.split(","))
    return out


def database_path(db: Path | None) -> Path:
    """--db, else $EQUITY_DB, else ./equity.duckdb."""
    from .build import default_db_path

    return db or default_db_path()


def missing_default_database() -> None:
    """Without --db, a default database that does not exist is a usage error naming both ways
    on: building one, or the sample database `make demo` builds (and whether it is there)."""
    from .build import DEMO_DB
    from .errors import UsageError

    path = database_path(None)
    if path.exists():
        return
    demo = (
        f"the sample database from `make demo` is at {DEMO_DB}: add --db {DEMO_DB}"
        if Path(DEMO_DB).exists()
        else f"`make demo-db` builds the sample database at {DEMO_DB} (then add --db {DEMO_DB})"
    )
    raise UsageError(
        f"no database at {path} (the default without --db or $EQUITY_DB); build one with "
        f"`equity build --data DIR --db {path}`, or {demo}"
    )


def open_database(db: Path | None, requires: str | None = None, missing: str = ""):
    """The built database, read-only and locked down (pipelines.db.connect_readonly). With
    `requires`, a family's table that must have been built: its absence is a NoDataError
    saying which CSVs to supply (`missing`)."""
    from .db import connect_readonly, has_table

    if db is None:
        missing_default_database()
    con = connect_readonly(database_path(db))
    if requires is not None and not has_table(con, requires):
        from .metrics import NoDataError

        con.close()
        raise NoDataError(missing or f"no data loaded for this command ({requires} not built)")
    return con
