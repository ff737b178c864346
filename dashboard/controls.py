"""Global sidebar controls, bound to the URL query string so a link reproduces the view.

Query parameters: period (year|quarter|month), from, to (YYYY-MM-DD), by (comma list of
up to three dimensions), department, location (comma lists). Unknown or invalid values
are ignored, never executed: dimensions and filters are checked against allow-lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import streamlit as st

from pipelines.metrics import MAX_DIMS, dimension_sets

from . import data

GRAINS = ["year", "quarter", "month"]
ORG_FILTERS = {"department": "Department", "location": "Location"}


@dataclass(frozen=True)
class View:
    period: str = "year"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    by: tuple[str, ...] = ()
    filters: tuple[tuple[str, tuple[str, ...]], ...] = field(default_factory=tuple)

    def filters_dict(self) -> dict[str, list[str]]:
        return {d: list(v) for d, v in self.filters}

    def filters_for(self, spec) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The org filters that apply to a metric (a procurement metric has no department)."""
        return tuple((d, v) for d, v in self.filters if d in spec.dimensions)

    def by_for(self, spec) -> tuple[str, ...]:
        """The breakdown dimensions that apply to a metric."""
        return tuple(d for d in self.by if d in spec.dimensions)


GRAIN_NOUN = {"year": "year", "quarter": "quarter", "month": "month"}


def by_note(view: View, used: tuple[str, ...], why: str = "") -> str:
    """A sentence naming what of the sidebar breakdown a chart does not apply ('' when it
    applies all of it), so no dimension is dropped without saying so."""
    dropped = [d for d in view.by if d not in used]
    if not view.by:
        return f"No breakdown chosen in the sidebar: shown by {' × '.join(used)}." if used else ""
    if not dropped:
        return ""
    reason = f" ({why})" if why else ""
    kept = f"shown by {' × '.join(used)}" if used else "shown for everyone"
    return f"The sidebar breakdown by {' × '.join(dropped)} is not applied here{reason}: {kept}."


def filters_note(view: View, spec, what: str) -> str:
    """A sentence naming the sidebar filters a page's metric cannot apply ('' when it applies
    all of them): applications and survey answers record no location, so a location filter
    would otherwise vanish without a word."""
    dropped = [d for d, _ in view.filters if d not in spec.dimensions]
    if not dropped:
        return ""
    names = " and ".join(f"{ORG_FILTERS.get(d, d).lower()} filter" for d in dropped)
    return f"The sidebar's {names} {'does' if len(dropped) == 1 else 'do'} not apply here: {what} record no {' or '.join(dropped)}."


def overview_scope(view: View) -> str:
    """What of the sidebar the Overview applies, and what it does not, in plain words."""
    applied = [f"the {view.period} grain"]
    if view.date_from or view.date_to:
        applied.append(f"the range {view.date_from or 'start'} to {view.date_to or 'end'}")
    applied += [f"{ORG_FILTERS[d].lower()} {', '.join(v)}" for d, v in view.filters]
    ignored = ["flagged findings and commitments are for the whole organisation and every date"]
    if view.by:
        ignored.insert(
            0,
            f"the breakdown by {' × '.join(view.by)} is not applied to the headline figures "
            "(they are for everyone) but is used in the privacy count below",
        )
    return (
        f"This page applies {', '.join(applied)} to the headline figures, representation and the "
        f"privacy count; {'; '.join(ignored)}."
    )


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _initial_state(people_dims: list[str]) -> None:
    """Seed widget state from the URL once per session (later the widgets are the truth)."""
    if st.session_state.get("_controls_seeded"):
        return
    qp = st.query_params
    grain = qp.get("period", "year")
    st.session_state["ctl_period"] = grain if grain in GRAINS else "year"
    st.session_state["ctl_from"] = _date(qp.get("from"))
    st.session_state["ctl_to"] = _date(qp.get("to"))
    by = [d for d in (qp.get("by") or "").split(",") if d in people_dims]
    st.session_state["ctl_by"] = list(dict.fromkeys(by))[:MAX_DIMS]
    for dim in ORG_FILTERS:
        st.session_state[f"ctl_{dim}"] = [v for v in (qp.get(dim) or "").split(",") if v]
    st.session_state["_controls_seeded"] = True


def _write_query(view: View) -> None:
    params = {"period": view.period}
    if view.date_from:
        params["from"] = view.date_from.isoformat()
    if view.date_to:
        params["to"] = view.date_to.isoformat()
    if view.by:
        params["by"] = ",".join(view.by)
    for dim, values in view.filters:
        params[dim] = ",".join(values)
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


def sidebar(version: data.DbVersion | None) -> View:
    """Render the controls; returns the current view (also kept in session_state['view'])."""
    people_dims = list(dimension_sets()["people"])
    _initial_state(people_dims)
    with st.sidebar:
        st.header("View")
        st.selectbox(
            "Period grain",
            GRAINS,
            key="ctl_period",
            help="Trends run over all years by default; pick a shorter grain for detail.",
        )
        bounds = data.run_info(version) if version else None
        lo = bounds["history_start"] if bounds else None
        hi = bounds["as_of"] if bounds else None
        st.date_input("From (optional)", key="ctl_from", min_value=lo, max_value=hi, format="YYYY-MM-DD")
        st.date_input("To (optional)", key="ctl_to", min_value=lo, max_value=hi, format="YYYY-MM-DD")
        st.multiselect(
            "Break down by (up to 3)",
            people_dims,
            key="ctl_by",
            max_selections=MAX_DIMS,
            help="Intersectional groups: e.g. gender and race_ethnicity together.",
        )
        st.subheader("Filter")
        filters = []
        for dim, label in ORG_FILTERS.items():
            options = data.dimension_values(version, dim) if version else []
            # keep only still-valid selections (a rebuild can remove a department)
            st.session_state[f"ctl_{dim}"] = [v for v in st.session_state.get(f"ctl_{dim}", []) if v in options]
            st.multiselect(label, options, key=f"ctl_{dim}")
            if st.session_state[f"ctl_{dim}"]:
                filters.append((dim, tuple(st.session_state[f"ctl_{dim}"])))
        if bounds:
            st.caption(
                f"Data {bounds['history_start']} to {bounds['as_of']} · run {bounds['run_id']} · "
                f"figures are protected (counts within ±2, pay within a few per cent of "
                f"small groups; see Methodology) and groups under {bounds['k']} are not shown "
                f"(survey results: under {bounds['survey_k']} respondents)."
            )
            if bounds["precomputed"]:
                st.caption(
                    "Computed on Spark: this database holds only the suppressed results "
                    "precomputed there (see `spark.results` in equity.yml); filters are not "
                    "available."
                )
    view = View(
        period=st.session_state["ctl_period"],
        date_from=st.session_state["ctl_from"],
        date_to=st.session_state["ctl_to"],
        by=tuple(st.session_state["ctl_by"]),
        filters=tuple(filters),
    )
    _write_query(view)
    st.session_state["view"] = view
    return view


def current_view() -> View:
    return st.session_state.get("view", View())
