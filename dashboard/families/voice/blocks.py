"""The Employee voice view's blocks, defined once for the page and the PDF section (issue 19
item 2): heat-map, gaps to everyone else, item drill-down, trend over waves, response rate and
outcomes side by side. Each function takes published (suppressed) tables and the view (the
page's sidebar and widgets, or the PDF's defaults) and returns a `dashboard.sections.Block`;
the page draws it with `components.show_block`, the PDF prints it, so both show the same
titles, tables and sentences. No Streamlit calls here.
"""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import breakdown_label, group_label
from pipelines.metrics import registry
from pipelines.families.voice.outcomes import outcome_metrics
from pipelines.families.voice.sql import voice_settings

from ...charts import trend_figure
from .charts import (
    construct_title,
    gap_finding,
    heatmap_cells,
    heatmap_figure,
    heatmap_summary,
    interval_figure,
    outcomes_figure,
    points,
    published_first,
)
from ...narrative import FINDING_MIN_N, display_table, large_enough, picked_row, summary_text
from .narrative import difference_table, keyed_display_table, side_by_side_table
from ...block import Block

DEFAULT_BY = ("gender", "race_ethnicity")  # the breakdown when the sidebar chooses none, and the PDF's
VIEW_METRICS = ("favourability", "inclusion_index", "item_favourability")  # the tables every view reads
RATE_BY = ("department",)  # invitations are counted per department only


def view_settings(config: dict, k: int | None = None) -> dict:
    """The survey threshold (never below privacy.survey_k; a stricter `k` is honoured), the HR
    threshold, the significance level, the HR outcome metrics and their window in months."""
    survey_k = int(config["privacy"]["survey_k"])
    return {
        "k": survey_k if k is None else max(int(k), survey_k),
        "hr_k": int(config["privacy"]["k"]),
        "alpha": voice_settings(config)["alpha"],
        "outcomes": outcome_metrics(config),
        "window": voice_settings(config)["outcome_window_months"],
    }


def latest_wave(fav: pd.DataFrame) -> str:
    return fav.sort_values("period_start")["period"].iat[-1]


def heatmap_block(
    fav: pd.DataFrame, index: pd.DataFrame, gaps: pd.DataFrame, survey: str, by: tuple[str, ...], k: int
) -> tuple[Block, pd.Series | None]:
    """Groups x constructs (and the inclusion index) in one wave, titled by the largest
    significant shortfall; that gap row is returned too (the construct the other blocks open on)."""
    level = "|".join(by)
    cells = heatmap_cells(fav[fav["period"] == survey], index[index["period"] == survey], by, k)
    title, finding = gap_finding(gaps[gaps["dimensions"] == level] if by else gaps, survey)
    summary = heatmap_summary(cells, finding, survey, k)
    specs = registry()
    table = pd.concat(
        [
            keyed_display_table(
                fav[fav["period"] == survey], specs["favourability"], k, "construct", "Measure", construct_title
            ),
            keyed_display_table(
                index[index["period"] == survey], specs["inclusion_index"], k, "Inclusion index", "Measure"
            ),
        ],
        ignore_index=True,
    )
    alt = f"Heat-map of favourability by construct, and the inclusion index, for each {breakdown_label(level)} group. {summary}"
    return Block(
        title=title,
        summary=summary,
        table=table,
        figure=heatmap_figure(published_first(cells), title=title, k=k),
        alt=alt,
    ), finding


def opening_construct(fav: pd.DataFrame, finding: pd.Series | None) -> str:
    """The construct the drill-down blocks open on: the heat-map's finding, else the first."""
    return finding["construct"] if finding is not None else fav["construct"].iat[0]


def gaps_block(gaps: pd.DataFrame, survey: str, construct: str, by: tuple[str, ...]) -> Block:
    """Each group of the breakdown against everyone else on one construct, with intervals."""
    level, name = "|".join(by), construct_title(construct)
    rows = gaps[(gaps["period"] == survey) & (gaps["construct"] == construct)]
    title, finding = gap_finding(rows[rows["dimensions"] == level], survey)
    if finding is None:  # gap_finding names the construct only with a finding; this block is of one
        title = f"{name}, {title}"
    summary = (
        f"{title}. Each dot is a group's favourability minus that of all other respondents, with a 95% "
        "Newcombe interval; 'significant' uses a two-proportion z-test with Holm adjustment across the groups "
        "of the breakdown. Everyone else = the overall row minus the group, so nothing hidden is used."
    )
    drawn = rows[rows["dimensions"] == level].rename(columns={"value": "share", "gap": "value"})
    return Block(
        title=title,
        summary=summary,
        table=difference_table(
            rows,
            first={"Survey": "period", "Construct": "construct", "Breakdown": "dimensions", "Group": "group"},
            other=("Everyone else", "rest_value", "rest_n"),
            difference="gap",
        ),
        figure=interval_figure(drawn, title=title, x_title="Gap to everyone else (percentage points)", zero_line=True),
        alt=f"Dot plot of each group's gap to everyone else with 95% intervals. {summary}",
    )


def items_title(rows: pd.DataFrame, name: str, survey: str) -> str:
    """The lowest item and group of one construct, among groups of at least FINDING_MIN_N."""
    groups = rows[rows["group"] != "All"]
    low = picked_row(large_enough(groups, "share"), "lowest")
    if low is not None:
        return (
            f"{name} items, {survey}: lowest is {low['item_id']} for {group_label(low['group'])} ({low['value']:.1%})"
        )
    if (~groups["suppressed"].astype(bool)).any():
        return f"{name} items, {survey}: no group is large enough to judge (n of at least {FINDING_MIN_N})"
    return f"{name} items, {survey}: every group is below the privacy threshold"


def items_block(items: pd.DataFrame, survey: str, construct: str, by: tuple[str, ...], k: int) -> Block:
    """The items of one construct for everyone and each group of the breakdown."""
    name, level = construct_title(construct), "|".join(by)
    rows = items[
        (items["period"] == survey) & (items["construct"] == construct) & items["dimensions"].isin(["", level])
    ].copy()
    rows["item"] = rows["item_id"] + ": " + rows["item_text"]
    title = items_title(rows, name, survey)
    spec = registry()["item_favourability"]
    summary = f"{title}. Reverse-scored items are flipped before counting, so higher is always better. " + summary_text(
        spec, rows, rows[rows["group"] == "All"], k
    )
    return Block(
        title=title,
        summary=summary,
        table=keyed_display_table(rows, spec, k, "item", "Item"),
        figure=interval_figure(rows, title=title, x_title="Favourable answers (%)", series="item"),
        alt=f"Dot plot of favourable answers per item of {name.lower()} with 95% intervals. {summary}",
    )


def trend_block(
    fav: pd.DataFrame, change: pd.DataFrame, survey: str, construct: str, by: tuple[str, ...], k: int
) -> Block:
    """One construct over survey waves; `change` is change_since_previous of its rows."""
    name, level = construct_title(construct), "|".join(by)
    trend = fav[(fav["construct"] == construct) & fav["dimensions"].isin(["", level])]
    overall = change[(change["group"] == "All") & (change["period"] == survey)]
    if len(overall) and overall["change"].notna().iat[0]:
        o = overall.iloc[0]
        title = (
            f"{name}: {o['previous_value']:.1%} in {o['previous_period']}, {o['value']:.1%} in {survey} "
            f"({points(o['change'])}, {'significant' if o['significant'] else 'not significant'})"
        )
    else:
        title = f"{name} across survey waves"
    fig = trend_figure(trend, title=title, y_title=f"{name}: favourable answers (%)", unit="share")
    fig.update_xaxes(title_text="Survey wave (last response date)")
    spec = registry()["favourability"]
    summary = (
        f"{title}. "
        + summary_text(spec, trend, trend[trend["group"] == "All"], k)
        + " The table gives each group's change since the previous wave with a 95% Newcombe interval and a "
        "two-proportion z-test (Holm-adjusted)."
    )
    return Block(
        title=title,
        summary=summary,
        table=difference_table(
            change,
            first={
                "Survey": "period",
                "Previous survey": "previous_period",
                "Breakdown": "dimensions",
                "Group": "group",
            },
            other=("Previous survey", "previous_value", "previous_n"),
            difference="change",
        ),
        figure=fig,
        alt=f"Line chart of favourable answers on {name.lower()} per survey wave and group. {summary}",
    )


def rate_title(rates: pd.DataFrame, survey: str) -> str:
    """The lowest and highest department of one wave, among departments of at least FINDING_MIN_N."""
    departments = large_enough(rates[rates["group"] != "All"], "rate")
    low, high = picked_row(departments, "lowest"), picked_row(departments, "highest")
    if low is None or low.name == high.name:  # fewer than two large enough to compare
        return f"Response rate, {survey}"
    return (
        f"Response rate, {survey}: lowest {group_label(low['group'])} ({low['value']:.1%}), "
        f"highest {group_label(high['group'])} ({high['value']:.1%})"
    )


def rate_block(rates: pd.DataFrame, survey: str, k: int) -> Block:
    """Respondents over invited per department in one wave (`rates`: response_rate by RATE_BY)."""
    rates = rates[rates["period"] == survey]
    title = rate_title(rates, survey)
    spec = registry()["response_rate"]
    summary = summary_text(spec, rates, rates[rates["group"] == "All"], k)
    return Block(
        title=title,
        summary=summary,
        table=display_table(rates, spec, k),
        figure=interval_figure(rates, title=title, x_title="Respondents / invited (%)"),
        alt=f"Dot plot of the response rate per department with 95% intervals. {summary}",
    )


def outcome_view(by: tuple[str, ...], filters: tuple, outcomes: list[str]) -> tuple[tuple, tuple]:
    """The breakdown and filters the HR outcome metrics also record (tenure band is survey-only)."""
    specs = [registry()[m] for m in outcomes]
    shared = tuple(d for d in by if all(d in s.dimensions for s in specs))
    return shared, tuple((d, v) for d, v in filters if all(d in s.dimensions for s in specs))


def outcomes_title(side: pd.DataFrame, survey: str, window: str) -> str:
    """The group with the lowest inclusion index, among groups of at least FINDING_MIN_N respondents."""
    groups = side[side["group"] != "All"]
    index = pd.DataFrame(
        {
            "group": groups["group"],
            "value": groups["inclusion_index_value"],
            "n": groups["inclusion_index_n"],
            "suppressed": groups["inclusion_index_value"].isna(),
        }
    )
    low = picked_row(index, "lowest")
    if low is None:
        return f"Inclusion index and outcomes, {survey}"
    return f"{survey}: lowest inclusion index {group_label(low['group'])} ({low['value']:.1%}); outcomes over {window}"


def outcomes_block(side: pd.DataFrame, survey: str, shared: tuple[str, ...], settings: dict) -> Block:
    """The inclusion index beside each HR outcome rate per group (`side`: outcomes_side_by_side
    by `shared`, the breakdown of outcome_view)."""
    k, hr_k, window_months = settings["k"], settings["hr_k"], settings["window"]
    hr_specs = [registry()[m] for m in settings["outcomes"]]
    side = side[side["dimensions"].isin(["", "|".join(shared)])]
    sides = [("inclusion_index", "Inclusion index", "share", k)] + [
        (s.name, f"{s.title}, {window_months} months before", s.unit, hr_k)
        for s in hr_specs
        if f"{s.name}_value" in side
    ]
    periods = [side[f"{s.name}_period"].dropna() for s in hr_specs if f"{s.name}_period" in side]
    window = periods[0].iat[0] if periods and len(periods[0]) else ""
    title = outcomes_title(side, survey, window)
    summary = (
        f"{title}. Each side is a separately published table with its own threshold ({k} respondents for "
        f"the survey, {hr_k} people for HR data); the survey has no employee ids, so groups are matched "
        "by label and nobody is linked person by person. Side by side is not cause and effect."
    )
    return Block(
        title=title,
        summary=summary,
        table=side_by_side_table(side, sides),
        figure=outcomes_figure(
            side[side["inclusion_index_value"].notna()], [(p, t, u) for p, t, u, _ in sides], title=title
        ),
        alt=f"Dot plots side by side of the inclusion index and HR outcome rates per group. {summary}",
    )
