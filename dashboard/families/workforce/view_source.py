"""The pages' Source for the workforce blocks: the sidebar's view with the dashboard's cached
look-ups (dashboard/data.py), so a block the page draws is built from the same cached tables
as every other chart on it; the PDF builds its own Source without Streamlit."""

from __future__ import annotations

import pandas as pd

from ... import data
from . import blocks as wf


WORKFORCE_FILES = "hr/employees.csv and hr/job_history.csv"


def open_page(title: str, subject: str, metrics: list[str]):
    """The top of a workforce page (dashboard.components.family_page, naming the HR files when
    they were not loaded): the database version, the sidebar's view, k, and those of `metrics`
    this build can compute (a snapshot source has no flows or retention), in their order."""
    from ...components import family_page  # Streamlit: the PDF imports this module's siblings only

    version, view, info = family_page(title, "workforce", subject, WORKFORCE_FILES)
    return version, view, info["k"], data.computable(version, metrics)


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
