"""The sentence that counts a summary's hidden groups: one wording (narrative, pay, hinted
sections), and no sentence at all when nothing is hidden."""

from dashboard.narrative import groups_not_shown


def test_hidden_groups_are_counted_with_the_threshold():
    assert groups_not_shown(2, 5) == ["2 group(s) not shown: their protected count is below 5."]


def test_nothing_hidden_says_nothing():
    assert groups_not_shown(0, 5) == []
