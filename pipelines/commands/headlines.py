"""`equity headlines`: the headline figures as the Overview and the PDF summary show them (one
function per figure, one period rule: pipelines/headlines.py). Published figures only: the data
owner's exact figures are `equity metrics <name> --exact`."""

from __future__ import annotations

import click

from .. import cli_options as opt
from ..cli_output import emit, handle_errors, print_rows


def register(main: click.Group) -> None:
    @main.command()
    @opt.db_option
    @opt.period_option(("year", "quarter", "month"), help="Grain of the headline period.")
    @opt.format_option
    @handle_errors
    def headlines(db, period, fmt):
        """Each headline figure of its latest full period (a partial period is named so), as on
        the Overview and the PDF summary."""
        import pandas as pd

        from ..db import built_tables
        from ..headlines import headline_figures

        con = opt.open_database(db)
        rows = [
            {
                "measure": h.label,
                "period": h.period,
                "value": h.value,
                "change": h.change,
                "n": h.n,
                "95% CI": h.ci,
                "metric": h.spec.name,
                "group": h.group,
                "number": h.number,
            }
            for h in headline_figures(con, built_tables(con), period=period)
        ]
        table = pd.DataFrame(
            rows, columns=["measure", "period", "value", "change", "n", "95% CI", "metric", "group", "number"]
        )
        if fmt != "table":  # csv/json: the metric, the group and the unformatted number for machines
            emit(table, fmt)
            return
        # a person reads the figure as every view words it, its period first of all (a partial
        # one says so)
        shown = table[["measure", "period", "value", "n", "95% CI", "change"]].fillna("")
        print_rows(
            ["Measure", "Period", "Value", "n", "95% CI", "Change"],
            shown.astype(str).values.tolist(),
            first=("Measure", "Period", "Value", "n"),
        )
