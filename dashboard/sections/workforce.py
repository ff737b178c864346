"""Workforce section of the report: representation and turnover trends."""
from __future__ import annotations

from pipelines.db import is_built
from pipelines.metrics import compute, families, registry

from ..charts import trend_figure
from ..kpis import full_periods
from ..narrative import display_table, finding_title, summary_text
from . import Block, Section


def _block(con, name: str, by: tuple[str, ...], k: int, period: str) -> Block:
    spec = registry()[name]
    table = full_periods(compute(con, name, by=list(by), period=period))   # a report compares full periods
    rows = table[table["dimensions"] == "|".join(by)]
    overall = table[table["group"] == "All"]
    title = finding_title(spec, rows)
    summary = summary_text(spec, rows, overall, k)
    fig = trend_figure(rows, title=title, y_title=f"{spec.title} ({spec.unit})", unit=spec.unit)
    return Block(title=title, summary=summary, table=display_table(rows, spec, k), figure=fig,
                 alt=f"Line chart of {spec.title.lower()} by {' and '.join(by) or 'period'}. {summary}")


def build_section(con, k: int, period: str = "year") -> Section | None:
    if not is_built(con, "fct_employment_spells"):
        return None
    meta = families()["workforce"]
    return Section(family="workforce", title=meta["title"], intro=meta["description"], order=meta["order"],
                   blocks=[_block(con, "representation", ("gender",), k, period),
                           _block(con, "turnover_rate", ("gender",), k, period)])
