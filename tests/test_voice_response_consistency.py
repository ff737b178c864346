"""A survey response whose rows disagree on its survey or on an attribute of the respondent
stops the build with a message naming the file, the column and the response (nobody could
tell which group the person belongs to)."""

from __future__ import annotations

import pytest

from tests.helpers import build_and_open
from tests.test_voice_metrics import survey_rows, voice_folder_a


def _build_with(tmp_path, column, value):
    rows = survey_rows()
    first = next(i for i, r in enumerate(rows) if r["response_id"] == "R01")
    rows[first + 1] = {**rows[first + 1], column: value}  # R01's second row disagrees
    return build_and_open(voice_folder_a(tmp_path / "data", responses=rows))


@pytest.mark.parametrize(
    "column, value", [("gender", "Man"), ("lgbtq", "Yes"), ("tenure_band", "10+ years"), ("department", "Lab")]
)
def test_an_attribute_that_differs_within_a_response_is_named(tmp_path, column, value):
    with pytest.raises(
        Exception,
        match=(
            rf"voice/survey_responses.csv, column '{column}': response_id 'R01' "
            r"has different values on its rows"
        ),
    ):
        _build_with(tmp_path, column, value)


def test_a_response_in_two_surveys_is_named(tmp_path):
    with pytest.raises(Exception, match=r"column 'survey_id': response_id 'R01' has rows in different surveys"):
        _build_with(tmp_path, "survey_id", "S2")


def test_consistent_responses_build(tmp_path):
    con = build_and_open(voice_folder_a(tmp_path / "data"))
    assert con.execute("SELECT count(*) FROM fct_survey_respondents").fetchone()[0] == len(
        {r["response_id"] for r in survey_rows()}
    )
