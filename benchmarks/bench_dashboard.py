"""Dashboard responsiveness on a generated workload (AppTest, in-process, so Streamlit's
caches behave as in one server process).

- first render: the app's first run (the Overview page), aim < 2 s;
- per page (Overview, Workforce, Pay equity): the first visit, then a round of sidebar changes
  (grain, date range, a department filter, 1, 2 and 3 breakdown dimensions) applied once with
  a cold cache and again with a warm one. Aims: every change < 3 s cold, p95 < 1 s warm;
- the Pay page with three breakdown dimensions on its own row (cold and warm), the slowest view.

A browser (Playwright) adds the websocket and rendering on top; these are the server's share.

    python benchmarks/bench_dashboard.py [--workload W1] [--db built.duckdb]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import Row, add_common_options, built_db, emit, p95  # noqa: E402
from dashboard.pages import page_path

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
PAGES = {page_path("overview"): "Overview", page_path("workforce"): "Workforce", page_path("pay"): "Pay equity"}
THREE = ["gender", "race_ethnicity", "age_band"]
ERRORS: list[str] = []


def changes(at) -> list[tuple[str, str, object]]:
    """(label, widget key, value) of the sidebar changes, ending back at the default view."""
    department = at.multiselect(key="ctl_department").options[:1]
    lo = at.date_input(key="ctl_from").min
    return [
        ("grain quarter", "ctl_period", "quarter"),
        ("grain year", "ctl_period", "year"),
        ("from date", "ctl_from", lo.replace(year=lo.year + 1) if lo else None),
        ("no from date", "ctl_from", None),
        ("department filter", "ctl_department", department),
        ("no filter", "ctl_department", []),
        ("by 1 dimension", "ctl_by", THREE[:1]),
        ("by 2 dimensions", "ctl_by", THREE[:2]),
        ("by 3 dimensions", "ctl_by", THREE),
        ("no breakdown", "ctl_by", []),
    ]


def apply(at, page: str, key: str, value) -> float:
    widget = {"ctl_period": at.selectbox, "ctl_from": at.date_input}.get(key, at.multiselect)(key=key)
    widget.set_value(value)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    sys.stderr.write(f"  {key}={value!r}: {elapsed:.2f} s\n")
    if at.exception:  # a failing view is a finding to report, not a reason to stop
        ERRORS.append(f"{page}, {key}={value!r}: {at.exception[0].message}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_options(parser)
    args = parser.parse_args()
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EQUITY_DB"] = str(built_db(args, tmp))
        start = time.perf_counter()
        at = AppTest.from_file(ENTRY, default_timeout=900).run()
        first = time.perf_counter() - start
        assert not at.exception, at.exception
        sys.stderr.write(f"first render {first:.2f} s\n")
        rows, cold_all, warm_all, details = [], [], [], []
        for page, title in PAGES.items():
            start = time.perf_counter()
            at.switch_page(page).run()
            visit = time.perf_counter() - start
            sys.stderr.write(f"{title}: first visit {visit:.2f} s\n")
            steps = changes(at)
            cold = {label: apply(at, title, key, value) for label, key, value in steps}
            warm = {label: apply(at, title, key, value) for label, key, value in steps}
            cold_all += cold.values()
            warm_all += warm.values()
            details += [f"| {title} | {label} | {cold[label]:.2f} s | {warm[label] * 1000:.0f} ms |" for label in cold]
            details.insert(len(details) - len(cold), f"| {title} | first visit | {visit:.2f} s | |")
            if page.endswith("pay.py"):
                rows += [
                    Row(
                        f"Pay page, 3 breakdown dimensions, cold ({args.workload})",
                        cold["by 3 dimensions"],
                        "s",
                        3,
                        "aim",
                        "< 3 s",
                    ),
                    Row(
                        f"Pay page, 3 breakdown dimensions, warm ({args.workload})",
                        warm["by 3 dimensions"] * 1000,
                        "ms",
                        1000,
                        "aim",
                        "< 1000 ms",
                    ),
                ]
    worst_cold = Row(
        f"dashboard sidebar change, slowest cold ({len(cold_all)} changes on {len(PAGES)} pages, {args.workload})",
        max(cold_all),
        "s",
        3,
        "aim",
        "< 3 s",
    )
    warm = Row(
        f"dashboard sidebar change, p95 warm ({args.workload})", p95(warm_all) * 1000, "ms", 1000, "aim", "< 1000 ms"
    )
    if ERRORS:
        details += ["", f"Views that raised an error ({len(ERRORS)}):", "", *[f"- {e}" for e in ERRORS]]
    emit(
        [
            Row(f"dashboard first render ({args.workload})", first, "s", 2, "aim", "< 2 s"),
            warm,
            worst_cold,
            *rows,
            Row(f"dashboard views that raised an error ({args.workload})", len(ERRORS), "", aim="0"),
        ],
        warm,
        details=[
            "## Dashboard, per page and sidebar change",
            "",
            "| page | change | cold cache | warm cache |",
            "|---|---|---|---|",
            *details,
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
