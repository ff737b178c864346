"""The glossary of the statistics the pages use (issue 19, item 4): one plain-words entry per
term on the Methodology page, each under its own anchor, and the first use of each term on a
page linked to it. Pure text (no Streamlit), so it is tested without a browser."""

from __future__ import annotations

import re
from dataclasses import dataclass

METHODOLOGY = "methodology"  # the page's url path (st.Page uses the file's name); relative, so a base path still works


@dataclass(frozen=True)
class Term:
    anchor: str
    title: str
    pattern: re.Pattern
    meaning: str


TERMS = (
    Term(
        "holm",
        "Holm-adjusted p",
        re.compile(r"\bHolm\b"),
        "When many groups are tested at once, some would look different by chance alone. Holm's method "
        "raises each p-value so that the chance of even one false alarm across the whole table stays at "
        "5%. A finding is called significant only when its Holm-adjusted p is below 0.05.",
    ),
    Term(
        "katz",
        "Katz interval",
        re.compile(r"\bKatz\b"),
        "The 95% interval of a ratio of two rates, such as an impact ratio (a group's selection rate "
        "divided by the reference group's), computed on the log scale (Katz's method). Ratios inside "
        "the interval are compatible with the data.",
    ),
    Term(
        "cmh",
        "Cochran–Mantel–Haenszel (CMH)",
        re.compile(r"\bCMH\b|Cochran[-–]Mantel[-–]Haenszel"),
        "A test that compares groups within each stratum (for example each department or job level) "
        "and then pools the strata, so a difference that only comes from groups being spread "
        "differently across strata is not counted as a difference within them.",
    ),
    Term(
        "kaplan-meier",
        "Kaplan–Meier retention",
        re.compile(r"Kaplan[-–]Meier"),
        "The estimated share of people still employed a given number of months after they started. "
        "People who have not yet been employed that long count only for the months they were "
        "observed, so recent hires neither raise nor lower the estimate.",
    ),
    Term(
        "log-points",
        "Log points",
        re.compile(r"\blog points\b"),
        "Differences in the natural logarithm of pay, times 100. For small gaps they are close to "
        "percent (5 log points is about 5.1%); they are used because the parts of a decomposition "
        "add up to the whole gap in log points.",
    ),
    Term(
        "pay-gap",
        "Pay gap (raw, adjusted, statutory)",
        re.compile(r"\b[Rr]aw (pay )?gap\b"),
        "One raw pay gap and one sign are used everywhere: how much less a group's mean hourly pay is "
        "than the reference group's (Man for gender unless equity.yml names another), (reference - group) / "
        "reference x 100, of the people employed on the period's last day - the definition of the UK "
        "Gender Pay Gap Regulations (measure 1) and EU Directive 2023/970 Art. 9(1)(a). A positive gap "
        "means the group is paid less, in every table, chart, headline, download and `equity` command "
        "(docs/metrics.md, 'How pay gaps are signed'). The adjusted gap, 1 - exp(beta), compares people "
        "with the same legitimate factors, with the same sign; the statutory tables are labelled "
        "statutory and keep the law's dates. Headlines and titles also word a gap as "
        "'5.4% less' or 'more' than the reference. The decomposition measures the gap in log points "
        "between geometric means (mean ln pay), positive = paid less, so its total differs slightly.",
    ),
    Term(
        "n",
        "n",
        re.compile(r"(?<![\w.-])n(?= = )"),
        "The number behind a figure: people, applications, survey responses or companies. A headcount "
        "counts people on one day; a rate over a period (turnover, promotions) counts everyone "
        "employed at any time in it, so its n is larger than the headcount beside it.",
    ),
)


def link_first_uses(text: str, seen: set[str]) -> str:
    """`text` with the first use on the page of each glossary term (not yet in `seen`) linked
    to its Methodology entry; `seen` is updated. Only the first match of a term is linked, and
    never inside an existing link or code span."""
    for term in TERMS:
        if term.anchor in seen:
            continue
        match = next((m for m in term.pattern.finditer(text) if not _inside_markup(text, m.start())), None)
        if match is None:
            continue
        seen.add(term.anchor)
        link = f"[{match.group(0)}]({METHODOLOGY}#{term.anchor})"
        text = text[: match.start()] + link + text[match.end() :]
    return text


def _inside_markup(text: str, pos: int) -> bool:
    """Inside `code`, or inside the [label](target) of a link made before."""
    before = text[:pos]
    return before.count("`") % 2 == 1 or before.rfind("[") > before.rfind("]") or before.rfind("](") > before.rfind(")")
