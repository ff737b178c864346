"""`equity snapshot`: the PDF snapshot for leadership (same document as the dashboard's
download button)."""

from __future__ import annotations

import time

import click

from .. import cli_options as opt
from ..cli_output import handle_errors


def register(main: click.Group) -> None:
    @main.command()
    @opt.db_option
    @opt.file_option("--out", "PDF file to write.", required=True)
    @opt.period_option(("year", "quarter", "month"), help="Grain of the headline comparison and trends.")
    @click.option("--title", default=None, help="Document title (default: organisation and period).")
    @click.option("--no-charts", is_flag=True, help="Tables only (no Chromium needed).")
    @click.option(
        "--detail",
        is_flag=True,
        help="The detail document: every view and table, the statutory reports and the input "
        "files' SHA-256 (default: the leadership document of about a dozen pages).",
    )
    @handle_errors
    def snapshot(db, out, period, title, no_charts, detail):
        """Write the PDF snapshot: a ranked summary page, commitments, one page per family,
        methodology, data quality (--detail: every table)."""
        from dashboard.pdf import snapshot_pdf
        from dashboard.pdf.figures import ChartRendererMissing
        from ..errors import UsageError

        started = time.perf_counter()
        con = opt.open_database(db)
        try:
            pdf = snapshot_pdf(con, period=period, title=title, charts=not no_charts, detail=detail)
        except ChartRendererMissing as exc:
            raise UsageError(str(exc)) from None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
        click.echo(f"Wrote {out} ({len(pdf) / 1024:.0f} KB) in {time.perf_counter() - started:.1f} s")
