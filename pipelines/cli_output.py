"""What every `equity` command shares in its output: errors as one sentence with the right exit
code (`handle_errors`) and tables printed for a person or a machine (`emit`). Commands of
pipelines/commands/ and pipelines/families/<family>/cli.py import these from here, not from
pipelines/cli.py, which imports the commands: so no command and the CLI import each other."""

from __future__ import annotations

import functools
import sys

import click

from .errors import EquityError, missing_extra


def console():
    """The stderr console that progress bars and log lines share."""
    from rich.console import Console

    return Console(stderr=True)


def handle_errors(fn):
    """One clear sentence and the right exit code; the traceback only with --debug."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        try:
            return fn(*args, **kwargs)
        except EquityError as exc:
            if ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, KeyboardInterrupt):
            raise
        except Exception as exc:  # an unexpected failure is still one sentence by default
            if ctx.obj.get("debug"):
                raise
            extra = missing_extra(exc) if isinstance(exc, ImportError) else None
            if extra is not None:  # an optional extra not installed: name it, exit 1
                click.echo(f"Error: {extra}", err=True)
                sys.exit(extra.exit_code)
            click.echo(f"Error: unexpected {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
            sys.exit(1)

    return wrapper


def emit(df, fmt: str, exact: bool = False, k: int | None = None) -> None:
    """Print a table: csv and json are the full table for machines; the table view is the
    readable subset that fits the terminal (pipelines/cli_table.py). Exact (data owner's)
    figures say so in every format."""
    from .export import to_csv, to_json

    if fmt in ("csv", "json"):
        if exact:
            from .publication import mark_exact

            df = mark_exact(df)
        click.echo(to_csv(df) if fmt == "csv" else to_json(df), nl=fmt == "json")
        return
    from .cli_table import readable_frame

    if exact:
        from .publication import EXACT_NOTICE

        click.echo(EXACT_NOTICE.capitalize())
    shown = readable_frame(df, k)
    print_rows(
        [str(c) for c in shown.columns],
        [list(row) for row in shown.itertuples(index=False)],
        shown.attrs.get("first", ()),
    )


def print_rows(columns: list[str], rows: list[list[str]], first: tuple[str, ...] = ()) -> None:
    from .cli_table import print_table

    print_table(columns, rows, first=first)
