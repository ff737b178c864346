"""`equity commitments`: the status of each commitment in the run's register (and, with
--log, the committee review log kept beside the database)."""

from __future__ import annotations

import click

from ... import cli_options as opt
from ...cli_output import emit, handle_errors
from ...cli_table import say as _say  # wrapped for a person, stderr for csv/json

# the terminal table keeps the columns a committee scans; csv/json carry every column
TABLE_COLUMNS = ["id", "owner", "status", "assessment", "flags", "latest_period", "latest", "target", "due"]


def register(main: click.Group) -> None:
    @main.command()
    @opt.db_option
    @click.option(
        "--log",
        "show_log",
        is_flag=True,
        help="Print the committee review log (every entry, corrections included) instead.",
    )
    @opt.format_option
    @opt.exact_option
    @handle_errors
    def commitments(db, show_log, fmt, exact):
        """Each commitment in commitments.yml: assessment with its reason, baseline, latest, target."""
        from . import ReviewLog, assess_register, review_log_path, status_table

        con = opt.open_database(db)
        if show_log:
            path = review_log_path(con)
            if path is None:
                _say("No commitments in this build, so no review log.", fmt)
                return
            log = ReviewLog(path)
            _say(f"Review log {path} (append-only; a correction supersedes an earlier entry).", fmt)
            emit(log.entries().drop(columns=["prev_hash", "row_hash"]), fmt)
            for problem in log.verify():
                _say(f"Warning: {problem}", fmt)
            return
        table = status_table(assess_register(con, exact=exact))
        if table.empty:
            _say("No commitments in this build: add commitments.yml to the data folder and rebuild.", fmt)
            return
        emit(table[TABLE_COLUMNS] if fmt == "table" else table, fmt, exact)
        if fmt == "table":
            for row in table.itertuples():
                _say(f"{row.id}: {row.reason}", fmt)
