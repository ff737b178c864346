"""One raw pay gap and one sign (issue 19, item 1): the glossary states the definition once;
every pay gap is (reference - group) / reference, positive = paid less - the mean hourly gap by
law, the adjusted gap as 1 - exp(beta) - and headlines word both as "% less" or "% more"; the
statutory measures are labelled statutory; the decomposition says its gap is of geometric means.
Expected words are written out by hand."""

from __future__ import annotations

import pandas as pd

from dashboard.glossary import TERMS, link_first_uses
from pipelines.headlines import gap_words


def test_the_glossary_defines_the_raw_gap_and_its_wording_once():
    (term,) = [t for t in TERMS if t.anchor == "pay-gap"]
    assert "(reference - group) / reference x 100" in term.meaning and "positive gap" in term.meaning
    assert "'5.4% less'" in term.meaning and "statutory" in term.meaning and "geometric means" in term.meaning
    assert link_first_uses("the raw gap", set()) == "the [raw gap](methodology#pay-gap)"


def test_every_gap_reads_positive_as_less():
    # Woman's adjusted pay 5.4% below Man's (1 - exp(beta) = +5.4%) and her mean hourly pay 8.9%
    # below his ((m - w) / m = +8.9%): one sign, both "less"; a negative gap is "more"
    assert gap_words(5.4) == "5.4% less"
    assert gap_words(8.9) == "8.9% less"
    assert gap_words(-1.0) == "1.0% more"
    assert gap_words(-2.3) == "2.3% more"


def test_statutory_measures_say_they_are_statutory():
    from dashboard.families.pay.narrative import statutory_table

    measures = pd.DataFrame(
        {
            "period": ["2025"],
            "measure": ["Mean hourly pay gap"],
            "uk_measure": ["1"],
            "eu_article_9_1": ["(a)"],
            "group": ["Woman"],
            "value": [8.76],
            "unit": ["percent"],
            "ci_low": [6.0],
            "ci_high": [11.4],
            "n": [976.0],
            "suppressed": [False],
            "note": [""],
        }
    )
    assert statutory_table(measures, 5)["measure"].tolist() == ["Statutory mean hourly pay gap"]


def test_the_decomposition_names_its_geometric_mean_gap():
    from dashboard.families.pay.narrative import decomposition_title

    summary = pd.DataFrame(
        {
            "n_group": [100],
            "group": ["Woman"],
            "reference": ["Man"],
            "raw_gap_pct": [8.8],
            "gap_log_points": [0.092],
            "unexplained": [0.052],
        }
    )
    # 0.052 / 0.092 = 56.5% -> "57%"
    assert decomposition_title(summary).startswith("57% of the 8.8% gap in geometric-mean pay between Woman and Man")
