"""Build the leadership snapshot: cover, executive summary, one section per loaded family,
methodology and privacy note, data-quality summary and run manifest -> PDF bytes.

Everything comes from the same suppressed tables, figure builders and sentences as the
dashboard (pipelines.headlines, dashboard.sections, dashboard.narrative).
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import nullcontext

import pandas as pd

from pipelines.db import built_tables
from pipelines.metrics import build_context
from pipelines.privacy import wording
from pipelines.quality_report import quality_summary

from ..finding import owner_and_decision, ranked
from ..glossary import TERMS
from pipelines.headlines import headline_figures
from ..sections import family_findings, family_sections
from . import html as H
from .cells import print_frame
from .figures import svg_renderer
from .statutory import statutory_section

log = logging.getLogger(__name__)


class SnapshotError(RuntimeError):
    pass


def _tables(con) -> set[str]:
    return built_tables(con)


PRINT_ROWS = 30  # a leadership snapshot shows the latest picture; the dashboard has every row


def print_table(df: pd.DataFrame, rows: int = PRINT_ROWS) -> tuple[pd.DataFrame, str]:
    """The table as printed: the latest period only (the chart above shows the trend) and at
    most PRINT_ROWS rows, with a sentence saying what was left to the dashboard."""
    note = ""
    if "Period" in df.columns and df["Period"].nunique() > 1:
        latest = df["Period"].iloc[-1]
        note = f"Table shows {latest}; earlier periods are in the chart and on the dashboard."
        df = df[df["Period"] == latest]
    if len(df) > rows:
        note = (note + " " if note else "") + (
            f"First {rows} of {len(df)} rows; the full table is on the dashboard (CSV download)."
        )
        df = df.head(rows)
    return print_frame(df), note


def without_title(fig):
    """The figure for print: its title is the block heading, so the title and the top margin
    it took are removed; what else sits above the plot (axis labels on top, panel titles)
    keeps its room."""
    title = (fig.layout.title.text or "") if fig.layout.title else ""
    lines = title.count("<br>") + 1 if title else 0
    top = fig.layout.margin.t if fig.layout.margin.t is not None else 80
    return fig.update_layout(title=None, margin={"t": max(20, int(top) - 24 * lines - 20)})


def _suppressed_cells(df: pd.DataFrame) -> int:
    text = df.astype(str)
    hidden = ("fewer than", "suppressed", "not enough data to report")  # the last: commitments tables
    return int(text.apply(lambda col: col.str.startswith(hidden)).to_numpy().sum())


def _ranked_findings(con, k: int, period: str, config: dict, limit: int | None) -> str:
    """The summary page's table: the flagged findings ranked by certainty and size
    (dashboard.finding.ranked), each with its owner and the decision it asks for."""
    findings = ranked(family_findings(con, k, period))
    if not findings:
        return "<h2>Flagged findings</h2><p>No findings were flagged.</p>"
    rows = []
    for i, f in enumerate(findings[:limit], start=1):
        owner, decision = owner_and_decision(f, config)
        rows.append(
            {
                "#": i,
                "Finding": str(f),
                "Size": f.size_text or "—",
                "Certainty": f.certainty_text or "—",
                "Owner: decision": f"{owner}: {decision}",
            }
        )
    more = len(findings) - len(rows)
    note = (
        (
            f'<p class="note">{more} more finding(s), smaller or less certain, are in the detail document '
            "(equity snapshot --detail) and on the Overview page.</p>"
        )
        if more
        else ""
    )
    return (
        "<h2>Flagged findings, ranked by size and certainty</h2>"
        '<p class="note">Measured disparities first, strongest evidence (adjusted p below 0.001) before '
        "moderate, each by size: the distance from parity in percent. Counts from the records follow "
        "(certain, but without a size); commitment forecasts come last; the "
        "commitments follow on the next page.</p>" + H.table(pd.DataFrame(rows), css="ranked") + note
    )


def _summary(con, k: int, period: str, config: dict, limit: int | None = None) -> tuple[str, str]:
    rows, period_label = [], ""
    for h in headline_figures(con, _tables(con), period=period):  # the Overview's and the CLI's
        period_label = period_label or h.period
        rows.append(
            {
                "Measure": h.label,
                "Period": h.period,
                "Value": h.value,
                "Change": h.change or "—",
                "n": h.n or "—",
                "95% CI": h.ci or "—",
            }
        )
    # headcount's n and turnover's n sit in one column and differ: say once what n counts
    n_meaning = next(t.meaning for t in TERMS if t.anchor == "n")
    body = (
        _ranked_findings(con, k, period, config, limit)
        + H.table(pd.DataFrame(rows), "Headline measures, latest full period")
        + f'<p class="note">n: {H.esc(n_meaning)}</p>'
    )
    return body, period_label


def _quality(con) -> str:
    q = quality_summary(con)
    files = q["Files"][["file", "rows_in", "rows_loaded", "rows_quarantined"]]
    reasons = q["Quarantined rows by reason"]
    out = H.table(files, "Files loaded (rows in = rows loaded + rows quarantined)")
    if reasons.empty:
        out += "<p>No row was quarantined.</p>"
    else:
        out += H.table(reasons[["file", "column", "reason", "rows"]], "Quarantined rows by reason")
    exp = q.get("Data-quality expectations")
    if exp is not None and not exp.empty:
        failed = exp[~exp["success"]]
        out += (
            f"<p>{len(exp)} data-quality expectations checked; {len(failed)} failed "
            "(warnings only: a failed error-level check stops the build).</p>"
        )
        if not failed.empty:
            out += H.table(
                failed[["suite", "expectation", "column", "unexpected_count", "description"]], "Failed expectations"
            )
    return out


LEADERSHIP_ROWS = 6  # rows of a family's key table in the leadership document
LEADERSHIP_FINDINGS = 6  # findings on the summary page; the detail document lists them all


def _family_pages(sections, render, detail: bool) -> tuple[list[str], int]:
    """HTML of the family sections and the number of hidden cells printed. The leadership
    document keeps one page per family (its first block: key chart, its sentence and the top
    of its table); the detail document every block and table."""
    parts, suppressed = [], 0
    for section in sections:
        parts.append(f'<h1 class="section">{H.esc(section.title)}</h1><p>{H.esc(section.intro)}</p>')
        # commitments are the decisions already taken: each keeps its block in both documents
        keep = section.blocks if detail or section.family == "commitments" else section.blocks[:1]
        for i, block in enumerate(keep):
            svg = None
            # leadership: a commitment's own block is its sentence and checkpoints (the chart is
            # on the Commitments page and in the detail document)
            drawn = detail or section.family != "commitments" or i == 0
            if block.figure is not None and drawn:  # the block heading carries the title in print
                svg = render(without_title(block.figure))
            table, note = print_table(block.table, PRINT_ROWS if detail else LEADERSHIP_ROWS)
            suppressed += _suppressed_cells(table)
            parts.append(
                f"<h2>{H.esc(block.title)}</h2>"
                + H.figure(svg, block.alt, block.summary)
                + H.table(table)
                + (f'<p class="note">{H.esc(note)}</p>' if note else "")
            )
        if len(keep) < len(section.blocks):
            parts.append(
                f'<p class="note">{len(section.blocks) - 1} more view(s) of {H.esc(section.title)} '
                "are in the detail document and on the dashboard.</p>"
            )
    return parts, suppressed


def snapshot_pdf(
    con, *, period: str = "year", title: str | None = None, charts: bool = True, detail: bool = False
) -> bytes:
    """The snapshot as PDF bytes (PDF/UA-1 variant: tagged, with language, title and alt text).

    By default the leadership document: a summary page, commitments, one page per family,
    methodology, data quality and the run (about ten pages for the demo data). `detail`: every
    block with its table, the statutory reports and the input files' SHA-256."""
    from weasyprint import HTML

    ctx = build_context(con)
    config, k = ctx["config"], ctx["config"]["privacy"]["k"]
    org = config.get("organisation") or "Equity metrics"
    # the chart renderer (a headless Chromium) starts in the background while the tables are
    # computed, so its start-up overlaps the queries instead of adding to them
    renderer = svg_renderer() if charts else nullcontext(lambda fig: None)
    with renderer as render:
        summary, period_label = _summary(con, k, period, config, None if detail else LEADERSHIP_FINDINGS)
        parts, suppressed = _family_pages(family_sections(con, k, period), render, detail)
    if detail:
        parts.append(statutory_section(con, config))
    title = title or f"{org}: equity snapshot {period_label}".strip()
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta = (
        f"Organisation: {H.esc(org)} · reporting period: {H.esc(period_label)} ({H.esc(period)}) · "
        f"generated {generated} · data run {H.esc(ctx['run_id'])} (data {ctx['history_start']} to "
        f"{ctx['as_of']})"
    )
    cover = (
        (f'<section class="cover"><h1>{H.esc(title)}</h1><p class="meta">{meta.replace(" · ", "<br>")}</p></section>')
        if detail
        else ""
    )
    opening = (
        f'<h1 class="section">Executive summary</h1>'
        if detail
        else f'<h1>{H.esc(title)}</h1><p class="meta">{meta}</p><h2>Executive summary</h2>'
    )
    method = (
        '<h1 class="section">Methodology and privacy</h1>'
        f'<p>{H.esc(wording.summary(k))} Hidden cells read "fewer than {k}"; this document hides '
        f"{suppressed} table cell(s).</p><p>{H.esc(wording.intervals_note())}</p>"
        "<p>Rates and shares carry 95% intervals (Wilson score for shares, exact Poisson for turnover, "
        "as listed per metric in docs/metrics.md); counts of the whole workforce are a census. Blank "
        "demographic answers are reported as Not disclosed; Prefer not to say and Not asked are kept as "
        "their own groups. Periods cut short by the data window are marked partial and are not used "
        "for the headline comparison.</p>"
    )
    quality = '<h1 class="section">Data quality</h1>' + _quality(con)
    files = con.execute("SELECT file, rows_in, size_bytes, sha256 FROM manifest_files ORDER BY file").df()
    manifest = (
        (f'<h1 class="section">Run manifest</h1>' if detail else "<h2>Run manifest</h2>")
        + f"<p>Run {H.esc(ctx['run_id'])}; configuration hash "
        f"{H.esc(con.execute('SELECT config_hash FROM run_manifest').fetchall()[0][0])}"
        + (
            ".</p>" + H.table(files, "Input files with SHA-256")
            if detail
            else f"; {len(files)} input files (their SHA-256 are in the detail document).</p>"
        )
    )
    body = cover + opening + summary + "".join(parts) + method + quality + manifest
    document = H.document(title, org, body)
    return HTML(string=document).write_pdf(pdf_variant="pdf/ua-1")
