"""Commitments: the register of what the organisation promised, where each linked metric
stands against its baseline and target (with CI and n), whether the trend reaches the target,
whether the commitment persisted after the announcement, and the committee review log.

The register, each trajectory and each persistence table are blocks of blocks.py, which the
PDF section prints too, drawn with show_block; what stays here is the page's own, each piece
saying why: the tiles, the downloads, the recorded actions and the review log with its form."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.auth import auth_configured
from dashboard.components import require_db, safe_dataframe, show_block, table_block
from dashboard.families.commitments import data as cd
from dashboard.families.commitments.blocks import commitment_blocks, register_block
from pipelines.formatting import format_ci
from dashboard.families.commitments.narrative import (
    actions_table,
    ci_text,
    n_text,
    page_title,
    review_table,
    value_text,
)
from dashboard.review_access import write_access
from pipelines.families.commitments import ReviewLogError, status_table
from pipelines.export import to_csv

version = require_db()
info = data.run_info(version)
assessments = cd.assessments(version)
st.title(page_title(assessments) if assessments else "Commitments")
if not assessments:
    st.info(
        "No commitments in this build. Add `commitments.yml` to the data folder (see docs/commitments.md) "
        "and rebuild with `equity build`."
    )
    st.stop()
st.caption(
    f"Data to {info['as_of']}. Values are the latest full years, from the same published tables as "
    'every other page: a group below the privacy threshold reads "not enough data to report". '
    "The sidebar's period and filters do not apply here: each commitment fixes its own metric, group "
    "and filters. The rules behind each label are in docs/commitments.md."
)

# --- Register --------------------------------------------------------------------------------
st.header("Register")
show_block(register_block(assessments), key="cm-register", filename="commitments_register_summary.csv")
# page-only: the machine-readable register (numbers as numbers, every reason) and the register
# file's recorded actions are downloads for whoever works on the commitments, not figures to print
st.download_button(
    "Download the full register with reasons (CSV)",
    data=to_csv(status_table(assessments)),
    file_name="commitments_register.csv",
    mime="text/csv",
    key="download-cm-register-full",
)
actions = [actions_table(a).assign(Commitment=a.commitment.id) for a in assessments]
st.download_button(
    "Download every recorded action (CSV)",
    data=to_csv(pd.concat(actions, ignore_index=True)[["Commitment", "Date", "Action"]]),
    file_name="commitment_actions.csv",
    mime="text/csv",
    key="download-cm-actions",
)

# --- One section per commitment ---------------------------------------------------------------
per_commitment = commitment_blocks(
    assessments, info["k"], lambda family: data.events(version, family), lambda c: cd.impact_text(version, c)
)
for a, (trajectory, persistence) in zip(assessments, per_commitment):
    c, unit = a.commitment, a.commitment.spec.unit
    st.header(f"{c.id}: {c.title}")
    # page-only: a heading line and four tiles restating this commitment's register row at a
    # glance (the PDF prints the same values once, in the register block's table and sentence)
    st.markdown(
        f"**{a.assessment.capitalize()}** · owner: {c.owner} · status: {c.status.replace('_', ' ')} · "
        f"announced {c.announced} · linked metric: {c.linked_label}"
    )
    tiles = st.columns(4)
    for col, (label, row) in zip(
        tiles[:2],
        (
            (f"Baseline, {c.baseline_period}", a.baseline),
            (f"Latest, {a.latest['period'] if a.latest is not None else 'latest'}", a.latest),
        ),
    ):
        with col, st.container(border=True):
            st.metric(label, value_text(row, unit))
            if row is not None:
                st.caption(
                    " · ".join(
                        p
                        for p in (f"95% CI {ci_text(row, unit)}" if ci_text(row, unit) else "", f"n = {n_text(row)}")
                        if p
                    )
                )
    with tiles[2], st.container(border=True):
        st.metric(f"Target by {c.due}", value_text({"value": c.target}, unit))
    with tiles[3], st.container(border=True):
        p = a.projection
        st.metric(f"Trend at {c.due}", value_text({"value": p["projected"]}, unit) if p else "—")
        st.caption(
            f"95% CI {format_ci(p['projected_low'], p['projected_high'], unit)}"
            if p
            else f"not projected: {a.progress}"
        )
    show_block(trajectory, key=f"cm-trend-{c.id}", filename=f"commitment_{c.id}_yearly.csv")
    st.subheader(persistence.title)
    show_block(persistence, key=f"cm-persist-{c.id}", filename=f"commitment_{c.id}_checkpoints.csv")
    # page-only: the register file's own text of each action (the PDF counts them per checkpoint)
    st.subheader(f"{c.id}: actions recorded in the register")
    safe_dataframe(actions_table(a), hide_index=True, width="stretch", key=f"cm-actions-{c.id}")

# --- Committee review log ----------------------------------------------------------------------
# page-only: the log is read fresh on every rerun and written through the form below; the PDF
# counts its entries as activity (the persistence blocks' Reviews column)
st.header("Committee review log")
log = cd.review_log(version)
entries = log.entries()
signed_in = bool(getattr(st.user, "is_logged_in", False))
access = write_access(
    auth_configured(), signed_in, (st.user.get("email") or st.user.get("name")) if signed_in else None
)
st.markdown(
    f"Entries are stored in `{log.path.name}` beside the database and survive every rebuild. The log "
    "is append-only: a correction is a new entry that replaces the one it corrects, which stays "
    'visible. Review entries count as activity for "no recent action". An entry can only be '
    "corrected by whoever recorded it."
)
if access.allowed and not access.verified:
    st.caption(
        'No sign-in is configured: the names typed under "Reviewed by" are recorded as given and '
        'cannot be verified; each entry is marked "not signed in" with the time it was saved.'
    )
saved = st.session_state.pop("cm_saved", None)
if saved:
    st.success(saved)
if not access.allowed:
    st.info(access.reason)
else:
    ids = [a.commitment.id for a in assessments]
    titles = {a.commitment.id: a.commitment.title for a in assessments}
    chosen = st.selectbox("Commitment reviewed", ids, format_func=lambda i: f"{i}: {titles[i]}", key="cm_review_id")
    # only this visitor's own entries can be corrected (the log refuses the others anyway)
    in_force = entries[
        entries["current"]
        & (entries["commitment_id"] == chosen)
        & (entries["recorded_by"] == access.recorder)
        & (entries["identity_verified"].astype(bool) == access.verified)
    ]
    with st.form("cm-review-form", clear_on_submit=True, enter_to_submit=False):
        corrects = st.selectbox(
            "Correct an earlier entry you recorded (optional)",
            [None] + [int(e) for e in in_force["entry_id"]],
            format_func=lambda e: (
                "No: a new entry"
                if e is None
                else f"Entry {e}: {in_force.loc[in_force['entry_id'] == e, 'review_date'].iat[0]}, "
                f"{in_force.loc[in_force['entry_id'] == e, 'decision'].iat[0][:60]}"
            ),
            key="cm_review_corrects",
        )
        when = st.date_input(
            "Review date", value=dt.date.today(), max_value=dt.date.today(), format="YYYY-MM-DD", key="cm_review_date"
        )
        # labels carry the hints (no help icons: each would be one more stop for keyboard users)
        decision = st.text_area(
            "Decision (required): continue, change course, escalate, close ...",
            key="cm_review_decision",
            max_chars=2000,
        )
        next_step = st.text_input("Next step: who does what by when", key="cm_review_next", max_chars=1000)
        reviewed_by = st.text_input(
            "Reviewed by (required): names or roles of the reviewers", key="cm_review_by", max_chars=200
        )
        submitted = st.form_submit_button("Save review entry", key="cm_review_save")
    if submitted:
        try:
            entry = log.append(
                chosen,
                when,
                decision,
                reviewed_by,
                access.recorder,
                next_step=next_step,
                identity_verified=access.verified,
                supersedes=corrects,
            )
        except ReviewLogError as exc:
            st.error(f"Not saved: {exc}.")
        except sqlite3.Error as exc:  # e.g. a read-only folder
            st.error(f"Not saved: the review log at {log.path} cannot be written ({exc}).")
        else:
            st.session_state["cm_saved"] = f"Saved entry {entry} for {chosen}."
            st.rerun()  # the assessments above count the new entry as activity
shown = review_table(entries)
table_block(
    shown,
    f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} in the log, "
    f"{int(entries['current'].sum()) if len(entries) else 0} in force.",
    key="cm-log",
    filename="commitments_review_log.csv",
)
problems = log.verify()
if problems:
    st.warning("The review log was changed outside the dashboard: " + "; ".join(problems))
