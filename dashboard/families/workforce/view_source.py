"""The pages' Source for the workforce blocks: the sidebar's view with the dashboard's cached
look-ups (dashboard/data.py), so a block the page draws is built from the same cached tables
as every other chart on it; the PDF builds its own Source without Streamlit."""

from __future__ import annotations

import pandas as pd

from ... import data
from . import blocks as wf


def page_source(version: data.DbVersion, view, k: int, fetch_curves=None) -> wf.Source:
    """A Source for the sidebar's period, From/To, breakdown and filters."""
    specs = data.registry()

    def table_for(name: str, by: tuple[str, ...]) -> pd.DataFrame:
        spec = specs[name]
        return data.metric_table(version, name, by, view.period, view.date_from, view.date_to, view.filters_for(spec))

    return wf.Source(
        data.cursor(version),
        k,
        period=view.period,
        date_from=view.date_from,
        date_to=view.date_to,
        by=tuple(view.by),
        filters=view.filters,
        events=data.events(version, "workforce"),
        fetch=table_for,
        fetch_curves=fetch_curves,
    )
