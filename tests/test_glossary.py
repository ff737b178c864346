"""The Methodology glossary (issue 19, item 4): an entry with its own anchor for Holm, Katz,
CMH, Kaplan–Meier, log points and n, and the first use of each on a page linked to it (later
uses, other words that contain the term, code and existing links are left alone)."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.glossary import TERMS, link_first_uses

ROOT = Path(__file__).resolve().parent.parent


def test_every_statistic_named_in_the_issue_has_one_entry():
    assert [t.anchor for t in TERMS] == ["holm", "katz", "cmh", "kaplan-meier", "log-points", "pay-gap", "n"]
    assert all(len(t.meaning) > 80 for t in TERMS)


def test_the_first_use_on_a_page_links_and_later_ones_do_not():
    seen: set[str] = set()
    first = link_first_uses("Woman 0.71 (Katz 95% CI 0.6 to 0.8), Holm p = 0.002, n = 120; Holm again.", seen)
    assert first == (
        "Woman 0.71 ([Katz](methodology#katz) 95% CI 0.6 to 0.8), [Holm](methodology#holm) p = 0.002, "
        "[n](methodology#n) = 120; Holm again."
    )
    second = link_first_uses("Holm p = 0.2 and n = 40; Kaplan–Meier at 12 months; 5.1 log points.", seen)
    assert second == (
        "Holm p = 0.2 and n = 40; [Kaplan–Meier](methodology#kaplan-meier) at 12 months; "
        "5.1 [log points](methodology#log-points)."
    )
    assert seen == {"katz", "holm", "n", "kaplan-meier", "log-points"}


def test_words_code_and_links_that_contain_a_term_are_left_alone():
    seen: set[str] = set()
    text = "Holmes said `Holm` and [Holm](elsewhere); within CMHx, n=3 or an = 4."
    assert link_first_uses(text, seen) == text and seen == set()
    assert (
        link_first_uses("Pooled vs within (Cochran-Mantel-Haenszel)", seen)
        == "Pooled vs within ([Cochran-Mantel-Haenszel](methodology#cmh))"
    )


def test_methodology_page_and_page_blocks_use_the_glossary():
    page = (ROOT / "dashboard" / "app_pages" / "methodology.py").read_text(encoding="utf-8")
    assert "for term in TERMS" in page and "anchor=term.anchor" in page
    components = (ROOT / "dashboard" / "components.py").read_text(encoding="utf-8")
    assert len(re.findall(r"st\.markdown\(glossary_linked\(summary\)\)", components)) == 2
