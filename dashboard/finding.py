"""A flagged finding: the sentence every reader shows, and what the leadership summary ranks it
by (docs/findings.md, "Ranked summary"): its size, the distance from parity in percent, and its
certainty, how strong the evidence behind the claim is."""

from __future__ import annotations

import math

from pipelines.formatting import format_p

STRONG_P = 0.001  # an adjusted p (or its equivalent from a 95% interval) below this is strong
Z95 = 1.959963984540054  # half-width of a 95% interval in standard errors
# ranked by size and certainty (issue 19): measured findings first, strong before moderate, each
# by its size; a counted finding is certain but has no size on the parity scale (4 expiring
# certificates), so it follows the measured ones instead of pushing a large moderate disparity
# (Engineering hiring at 0.47 times the men's rate) off the summary page; then forecasts (a
# commitment's projected trend); a plain sentence without a rank comes last
TIERS = {"strong": 3, "moderate": 2, "counted": 1, "forecast": 0}
CERTAINTY_WORDS = {
    "strong": "Strong",
    "counted": "Counted from records",
    "moderate": "Moderate",
    "forecast": "Forecast",
}


class Finding(str):
    """The finding's sentence. A str, so the Overview, the detail document and every text check
    read it unchanged; the attributes are only for the ranked summary."""

    def __new__(
        cls,
        text: str,
        family: str = "",
        *,
        size: float | None = None,
        size_text: str = "",
        certainty: str = "",
        basis: str = "",
        owner: str | None = None,
    ):
        self = super().__new__(cls, text)
        self.family, self.size, self.size_text = family, size, size_text
        self.certainty, self.basis, self.owner = certainty, basis, owner
        return self

    @property
    def certainty_text(self) -> str:
        word = CERTAINTY_WORDS.get(self.certainty, "")
        return f"{word} ({self.basis})" if word and self.basis else word


def by_p(text: str, family: str, *, size: float, size_text: str, p: float) -> Finding:
    """A finding tested with an adjusted p (Holm): strong below STRONG_P, else moderate (it was
    flagged, so it is below the configured alpha)."""
    return _tested(text, family, size, size_text, p, basis=f"Holm {format_p(p)}")


def by_interval(
    text: str, family: str, *, size: float, size_text: str, value: float, low: float, high: float, boundary: float
) -> Finding:
    """A finding whose 95% interval lies beyond a boundary (parity, everyone's rate, four-fifths):
    the distance of the value from the boundary in standard errors read off the interval gives the
    two-sided p of the normal approximation, judged as by_p judges an adjusted p."""
    se = (high - low) / (2 * Z95)
    z = abs(value - boundary) / se if se > 0 else math.inf
    p = math.erfc(z / math.sqrt(2))
    return _tested(text, family, size, size_text, p, basis=f"{format_p(p)} from its 95% CI")


def _tested(text: str, family: str, size: float, size_text: str, p: float, basis: str) -> Finding:
    """A flagged finding's certainty from its p: strong below STRONG_P, else moderate."""
    certainty = "strong" if p < STRONG_P else "moderate"
    return Finding(text, family, size=size, size_text=size_text, certainty=certainty, basis=basis)


def counted(
    text: str, family: str, *, size_text: str, owner: str | None = None, certainty: str = "counted", basis: str = ""
) -> Finding:
    """A finding counted from the records (no sampling error), or a commitment's forecast."""
    return Finding(text, family, size_text=size_text, certainty=certainty, basis=basis, owner=owner)


def ranked(findings: list[str]) -> list[Finding]:
    """Measured findings by certainty (strong, moderate) and within it by size, then counted
    findings, then forecasts; findings without a size follow those with one in their tier; equal
    keys keep their family order."""
    items = [f if isinstance(f, Finding) else Finding(f) for f in findings]
    return sorted(items, key=lambda f: (-TIERS.get(f.certainty, -1), f.size is None, -(f.size or 0)))


def owner_and_decision(finding: Finding, config: dict) -> tuple[str, str]:
    """Who owns the finding (a commitment's own owner, else leadership.owners of its family, else
    leadership.default_owner) and the decision it asks for (leadership.decisions)."""
    lead = config["leadership"]
    owner = finding.owner or (lead["owners"] or {}).get(finding.family) or lead["default_owner"]
    return owner, (lead["decisions"] or {}).get(finding.family) or lead["default_decision"]
