"""Numbers in the PDF read one way per column (issue 19): money with separators and no
exponent, shares and quartile shares as %, p below a thousandth as "< 0.001", SHA-256 cells
that wrap, figures as tall as their content, panel titles that do not collide, and money
without float noise."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.families.pay.narrative import statutory_table
from dashboard.families.voice.charts import outcomes_figure
from dashboard.pdf import html as H
from dashboard.pdf.cells import print_frame
from dashboard.pdf.figures import MAX_HEIGHT, print_height
from dashboard.pdf.snapshot import without_title
from pipelines.formatting import format_money, format_p
from pipelines.families.suppliers.metrics import share_rows


def test_columns_print_by_kind():
    df = pd.DataFrame(
        {
            "annual cost (USD)": [253912.7, 1962228.0],
            "12 months": [0.5578, 0.8],
            "Holm p": [0.0004, 0.13],
            "gap_pct": [21.693192, 5.07578],
            "median (months)": [55.72, 58.41],
            "Group": ["Woman", "Man"],
            "flagged": [True, False],
        }
    )
    out = print_frame(df)
    assert list(out["annual cost (USD)"]) == ["253,913", "1,962,228"]
    assert list(out["12 months"]) == ["55.8%", "80.0%"]
    assert list(out["Holm p"]) == ["< 0.001", "0.130"]
    assert list(out["gap_pct"]) == ["21.7%", "5.1%"]
    assert list(out["median (months)"]) == ["55.7", "58.4"]
    assert list(out["flagged"]) == ["yes", "no"]
    assert not out.apply(lambda c: c.astype(str).str.contains("e+", regex=False)).to_numpy().any()


def test_p_values_and_money_in_sentences():
    assert format_p(0.0000123) == "p < 0.001"
    assert format_p(0.0123) == "p = 0.012"
    assert format_p(0.0004, "Holm p") == "Holm p < 0.001"
    assert format_money(4_273_705.4, "USD") == "4.27M USD"
    assert format_money(85_300, "USD") == "85.3k USD"


def test_statutory_table_prints_quartile_shares_as_percentages():
    measures = pd.DataFrame(
        {
            "period": ["2025"] * 2,
            "measure": ["Share of pay quartile: upper", "Mean hourly gap"],
            "uk_measure": ["", ""],
            "eu_article_9_1": ["", ""],
            "group": ["Woman", "Woman"],
            "value": [0.5578, 4.4286],
            "unit": ["share", "percent"],
            "ci_low": [0.51, 1.2],
            "ci_high": [0.60, 7.6],
            "n": [250.5, 1118.0],
            "suppressed": [False, False],
            "note": ["", ""],
        }
    )
    out = statutory_table(measures, 5)
    assert list(out["value"]) == ["55.8%", "4.4%"]
    assert list(out["95% CI"]) == ["51.0% to 60.0%", "1.2% to 7.6%"]
    assert list(out["n"]) == ["250.5", "1,118"]


def test_sha_cells_wrap():
    sha = "a" * 64
    doc = H.table(pd.DataFrame({"file": ["hr/employees.csv"], "sha256": [sha]}))
    assert f'<td class="hash">{sha}</td>' in doc


def test_print_height_follows_the_figure_within_a_page():
    assert print_height({"layout": {}}) == 420
    assert print_height({"layout": {"height": 1700}}) == MAX_HEIGHT
    assert print_height({"layout": {"height": 800}}) == 800


def test_outcome_panel_titles_are_wrapped_and_given_room():
    table = pd.DataFrame({"group": ["Woman", "Man"]})
    metrics = []
    for i, name in enumerate(
        [
            "Promotion rate, 12 months before the survey",
            "Voluntary exit rate, 12 months after the survey",
            "Involuntary exit rate, 12 months after the survey",
        ]
    ):
        for part, v in (("value", 0.1), ("ci_low", 0.05), ("ci_high", 0.2), ("n", 40)):
            table[f"m{i}_{part}"] = v
        metrics.append((f"m{i}", name, "share"))
    fig = outcomes_figure(table, metrics, title="t")
    widths = [max(len(line) for line in a.text.split("<br>")) for a in fig.layout.annotations]
    assert max(widths) <= 84 // 3  # each panel title fits its third of the width
    assert fig.layout.margin.t >= 80 + 18 * 2
    printed = without_title(fig)  # the PDF drops the title, not the panel titles' room
    assert printed.layout.margin.t >= 18 * 2


def test_money_sums_are_published_in_cents():
    df = pd.DataFrame(
        {"numerator": [19720559.130000006], "denominator": [39441118.26000001], "n_in": [6], "n_out": [7]}
    )
    out = share_rows(df)
    assert out["numerator"].iat[0] == 19720559.13 and out["denominator"].iat[0] == 39441118.26
    assert str(float(out["numerator"].iat[0])) == "19720559.13"
    assert abs(out["value"].iat[0] - 0.5) < 1e-12


def test_figure_without_title_keeps_top_axis_room():
    fig = go.Figure().update_layout(title={"text": "A finding"}, margin={"t": 150})
    assert without_title(fig).layout.margin.t == 150 - 24 - 20
