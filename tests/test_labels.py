"""Labels a reader sees (issue 19, item 4): a combined group reads "Woman, Asian", never
`Woman|Asian`; a missing value reads "Not disclosed", never None; a breakdown names its
dimensions in words; a hidden figure has one wording in every view. Expected strings are
written out by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from dashboard.narrative import display_table, finding_title, summary_text
from pipelines.formatting import HIDDEN, breakdown_label, format_ci, group_label, hidden_label
from pipelines.metrics import registry
from pipelines.families.workforce.targets import Target

ROOT = Path(__file__).resolve().parent.parent


def test_groups_and_breakdowns_read_as_words():
    assert group_label("Woman|Asian") == "Woman, Asian"
    assert group_label("Man|None") == "Man, Not disclosed"
    assert group_label(None) == "Not disclosed"
    assert breakdown_label("gender|race_ethnicity") == "gender × race ethnicity"
    assert breakdown_label("") == "overall"


def test_an_interval_is_one_cell():
    # one wording in every view (issue 19: the dashboard's "51.0% to 60.0%", the CLI's "51.0–60.0%")
    assert format_ci(0.426, 0.545, "share") == "42.6% to 54.5%"
    assert format_ci(1962228.0, 2539000.0, "currency") == "1,962,228 to 2,539,000"
    assert format_ci(None, 0.5, "share") == ""
    assert format_ci(-1.23, 8.5, "percent") == "-1.2% to 8.5%"  # a dash beside a minus would be misread


def test_dashboard_and_cli_word_an_interval_alike():
    from pipelines.cli_table import readable_frame

    rows = pd.DataFrame(
        {
            "metric": ["representation"],
            "period": ["2025"],
            "period_start": [dt.date(2025, 1, 1)],
            "dimensions": ["gender"],
            "group": ["Woman"],
            "value": [0.555],
            "ci_low": [0.51],
            "ci_high": [0.60],
            "n": [400],
            "suppressed": [False],
            "note": [""],
        }
    )
    spec = registry()["representation"]
    shown = display_table(rows, spec, 5)
    assert shown["95% CI"].iat[0] == "51.0% to 60.0%" == readable_frame(rows, 5)["95% CI"].iat[0]
    overall = rows.assign(group="All", dimensions="", value=0.8, ci_low=0.51, ci_high=0.6, numerator=1, denominator=2)
    assert "(95% CI 51.0% to 60.0%)" in summary_text(spec, rows, overall, 5)


def test_a_hidden_figure_has_one_wording():
    assert HIDDEN == "hidden"
    assert hidden_label("fewer than k (protected count)", 5) == "fewer than 5"
    assert hidden_label("n<k", 10) == "fewer than 10"
    assert (
        hidden_label("suppressed so that another suppressed cell cannot be recovered from totals", 5)
        == "hidden (protects a smaller group)"
    )


def rows() -> pd.DataFrame:
    data = [
        ("gender|race_ethnicity", "Woman|Asian", 0.62, 40),
        ("gender|race_ethnicity", "Man|None", 0.31, 35),
        ("gender|race_ethnicity", "Woman|Black", None, None),
    ]
    return pd.DataFrame(
        [
            {
                "metric": "representation",
                "period": "2025",
                "period_start": pd.Timestamp("2025-01-01"),
                "period_end": pd.Timestamp("2025-12-31"),
                "dimensions": d,
                "group": g,
                "value": v,
                "ci_low": None if v is None else v - 0.1,
                "ci_high": None if v is None else v + 0.1,
                "n": n,
                "suppressed": v is None,
                "note": "fewer than k (protected count)" if v is None else None,
            }
            for d, g, v, n in data
        ]
    )


def test_dashboard_titles_summaries_and_tables_use_the_words():
    spec = registry()["representation"]
    title = finding_title(spec, rows())
    assert "Woman, Asian" in title and "Man, Not disclosed" in title and "|" not in title and "None" not in title
    summary = summary_text(spec, rows(), rows().iloc[0:0], 5)
    assert "Woman, Asian" in summary and "|" not in summary
    table = display_table(rows(), spec, 5)
    assert table["Group"].tolist() == ["Woman, Asian", "Man, Not disclosed", "Woman, Black"]
    assert table["Breakdown"].tolist() == ["gender × race ethnicity"] * 3
    assert table.loc[2, spec.title] == "fewer than 5"


def test_a_target_label_names_group_and_filter_in_words():
    target = Target(
        index=0,
        metric="turnover_rate",
        dims=("gender", "race_ethnicity"),
        group="Woman|Black",
        value=0.1,
        due=dt.date(2027, 12, 31),
        filters={"job_level": ["L5", "L6"]},
    )
    assert target.label == "Turnover rate, Woman, Black (job level in L5, L6)"


# an f-string field that prints a raw group key ({r['group']}, {row.reference}) instead of group_label(...)
RAW_GROUP = re.compile(
    r"""(?<!- )\{\w+(\[['"](group|reference|reference_group)['"]\]|\.(group|reference))\}"""
    r"""|\{\w+\.loc\[.*?, ['"](group|reference)['"]\]\}"""
)
OTHER_WORDS = re.compile(r"""["']suppressed \(|fillna\(["']suppressed["']\)|["']withheld["']""")


def test_no_view_prints_a_raw_group_key_or_another_word_for_hidden():
    found = []
    for folder in ("dashboard", "pipelines"):
        for f in (ROOT / folder).rglob("*.py"):
            text = f.read_text(encoding="utf-8")
            found += [f"{f.relative_to(ROOT)}: {m.group(0)}" for m in RAW_GROUP.finditer(text)]
            found += [f"{f.relative_to(ROOT)}: {m.group(0)}" for m in OTHER_WORDS.finditer(text)]
    assert found == []


def test_voice_tables_show_groups_and_breakdowns_in_words():
    from dashboard.families.voice.narrative import difference_table

    rows = pd.DataFrame(
        {
            "period": ["2025"],
            "dimensions": ["gender|race_ethnicity"],
            "group": ["Woman|None"],
            "value": [0.7],
            "n": [40],
            "rest": [0.6],
            "rest_n": [400],
            "gap": [0.1],
            "ci_low": [0.02],
            "ci_high": [0.18],
            "p_holm": [0.04],
            "significant": [True],
            "note": [None],
        }
    )
    out = difference_table(
        rows,
        first={"Survey": "period", "Breakdown": "dimensions", "Group": "group"},
        other=("Everyone else", "rest", "rest_n"),
        difference="gap",
    )
    assert out.loc[0, ["Survey", "Breakdown", "Group"]].tolist() == [
        "2025",
        "gender × race ethnicity",
        "Woman, Not disclosed",
    ]
    assert out.loc[0, "95% CI (points)"] == "+2.0 to +18.0"


def test_hiring_tables_show_groups_in_words():
    from pipelines.families.hiring.display import impact_display

    row = {
        "period": "2025",
        "stage": "screen",
        "next_stage": "interview",
        "group": "Woman|Asian",
        "suppressed": False,
        "note": "",
        "flagged": True,
        "p_holm": 0.13,
        "significant": True,
        "numerator": 12,
        "n": 40,
        "selection_rate": 0.3,
        "reference_group": "Man|White",
        "reference_rate": 0.45,
        "value": 0.667,
        "ci_low": 0.42,
        "ci_high": 1.05,
        "z": -2.1,
        "p_fisher": 0.04,
        "shortfall": 6,
    }
    out = impact_display(pd.DataFrame([row]), 5)
    assert out.loc[0, "Group"] == "Woman, Asian" and out.loc[0, "Reference"] == "Man, White"
    assert out.loc[0, "Flag"] == "below 4/5; not significant after Holm"
