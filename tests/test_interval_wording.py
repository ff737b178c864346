"""Every 95% interval the dashboard and the PDF print reads the same way, "42.6% to 54.5%"
(issue 19): text joins its bounds through pipelines.formatting.format_ci (or interval_cell for
bounds that are not a registry unit, such as points), never by an f-string of its own that
drifts to "0.51-0.60" or to two decimals where the table prints three significant figures."""

from __future__ import annotations

import ast
import pathlib
import re

import pandas as pd

from dashboard.families.commitments.narrative import ci_text
from dashboard.families.voice.charts import shortfall_interval
from pipelines.formatting import format_ci

DASHBOARD = pathlib.Path(__file__).resolve().parent.parent / "dashboard"
MARK = "\x00"
# the formatters, and helpers built on them (tested below): an interval after "CI" comes from one
JOINERS = ("format_ci(", "interval_cell(", "ci_text(", "shortfall_interval(")
HAND_JOINED = re.compile(rf"{MARK}[^{MARK}]*(?:low|lower)[^{MARK}]*{MARK}\s*(?:to|-|–)\s*{MARK}", re.IGNORECASE)
AFTER_CI = re.compile(rf"CI\s*{MARK}([^{MARK}]*){MARK}")
# a whole cell "{a} to {b}" (a table's interval column) whatever its bounds are called, unless
# they are dates (a window "2024-01-01 to 2024-12-31" is no interval estimate)
BARE_CELL = re.compile(
    rf"{MARK}((?:(?!date|start|window|period)[^{MARK}])*){MARK} to {MARK}((?:(?!date|period)[^{MARK}])*){MARK}"
)
UPPER_ONLY = re.compile(rf"CI up to\s*{MARK}([^{MARK}]*){MARK}")


def _template(node: ast.JoinedStr) -> str:
    """The f-string with each replacement field as its source between MARKs."""
    return "".join(
        str(part.value) if isinstance(part, ast.Constant) else f"{MARK}{ast.unparse(part.value)}{MARK}"
        for part in node.values
    )


def hand_built_intervals(source: str) -> list[str]:
    """The f-strings in `source` that join an interval's bounds themselves."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        text = _template(node)
        after_ci = [field for field in AFTER_CI.findall(text) if not field.startswith(JOINERS) and field != "h.ci"]
        # one bound alone ("95% CI up to 0.72") is a value: it takes the unit's formatter
        upper = [field for field in UPPER_ONLY.findall(text) if not field.startswith("format_value(")]
        if HAND_JOINED.search(text) or BARE_CELL.fullmatch(text) or after_ci or upper:
            found.append(f"line {node.lineno}: {text.replace(MARK, '|')[:120]}")
    return found


def test_the_scan_finds_the_forms_that_drifted():
    assert hand_built_intervals("f\"ratio {v:.2f} (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f})\"")
    assert hand_built_intervals('f"{format_value(lo_low, u)} to {format_value(hi, u)}"')
    assert hand_built_intervals("f\"(95% CI up to {r['ci_high']:.2f})\"")
    assert not hand_built_intervals("f\"(95% CI {format_ci(lo, hi, 'share')}), from {start} to {end}\"")
    assert not hand_built_intervals("f\"(95% CI up to {format_value(hi, 'ratio')})\"")


def test_no_dashboard_text_joins_an_interval_by_hand():
    offenders = {
        str(path.relative_to(DASHBOARD)): found
        for path in sorted(DASHBOARD.rglob("*.py"))
        if (found := hand_built_intervals(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_helpers_read_as_format_ci():
    # hand values: 0.426..0.545 as a share; a gap of -12.3 points with CI -18.0..-6.6 points
    row = pd.Series({"ci_low": 0.426, "ci_high": 0.545})
    assert ci_text(row, "share") == "42.6% to 54.5%" == format_ci(0.426, 0.545, "share")
    assert ci_text(pd.Series({"ci_low": float("nan"), "ci_high": float("nan")}), "share") == ""
    assert shortfall_interval(pd.Series({"ci_low": -0.180, "ci_high": -0.066})) == "6.6 to 18.0"
