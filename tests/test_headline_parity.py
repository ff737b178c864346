"""One definition per displayed figure (issue 19, item 1): each headline - the largest group's
representation, the adjusted and the raw pay gap, 12-month retention, the selection rate and
the diverse spend share - reads the same on the Overview, in its family page's title (or the
summary under it), in the PDF summary and in `equity headlines`, and equals a value computed
here by hand with pandas (and statsmodels for the adjusted gap) from the person-level tables,
within what the published protection may move it (docs/privacy.md: counts by at most 2, means
by a factor 1 + 4u/n, model results by 2/n of themselves). The sample's data end on 2026-09-30,
so the headline period is the full 2025, never the partial 2026."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow
ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py")
YEAR_END = dt.date(2025, 12, 31)  # as_of 2026-09-30: 2026 is partial, 2025 the latest full year
ROUNDING = 0.05  # a figure is printed to one decimal (of a percent)
GAPS = ("adjusted_pay_gap", "pay_gap_mean")


# --- the four views, read once -----------------------------------------------------------------


def _app(db, page: str | None = None) -> AppTest:
    from dashboard.pages import page_path

    at = AppTest.from_file(ENTRY, default_timeout=300).run()
    if page:
        at = at.switch_page(page_path(page)).run()
    assert not at.exception, at.exception
    return at


def _page_text(at) -> str:
    """Every chart title and sentence of a page, one per line."""
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in at.get("plotly_chart")]
    said = [re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", m.value) for m in at.markdown]  # glossary links as words
    return "\n".join(titles + said)


@pytest.fixture(scope="module")
def views(sample_db):
    from dashboard.pdf.snapshot import _summary
    from pipelines.cli import main
    from pipelines.metrics import build_context

    saved = os.environ.get("EQUITY_DB")
    os.environ["EQUITY_DB"] = str(sample_db)
    try:
        overview = {m.label: m.value for m in _app(sample_db).metric}
        pages = {p: _page_text(_app(sample_db, p)) for p in ("workforce", "retention", "pay", "hiring", "suppliers")}
    finally:
        os.environ.pop("EQUITY_DB") if saved is None else os.environ.__setitem__("EQUITY_DB", saved)
    con = duckdb.connect(str(sample_db), read_only=True)
    body, _ = _summary(con, 5, "year", build_context(con)["config"])
    con.close()
    pdf_rows = [
        [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    runner = CliRunner()
    cli_json = runner.invoke(main, ["headlines", "--db", str(sample_db), "--format", "json"])
    assert cli_json.exit_code == 0, cli_json.output
    cli_table = runner.invoke(main, ["headlines", "--db", str(sample_db)], env={"COLUMNS": "200"})
    assert cli_table.exit_code == 0, cli_table.output
    return {
        "overview": overview,
        "pages": pages,
        "pdf": pdf_rows,
        "cli": {r["metric"]: r for r in json.loads(cli_json.output)},
        "cli_table": cli_table.output,
    }


# --- the values by hand --------------------------------------------------------------------------


def _people_on(con, day: dt.date) -> pd.DataFrame:
    """Spells covering `day` (inclusive at both ends): one row per person employed that day."""
    spells = con.execute("SELECT * FROM fct_employment_spells").df()
    on = spells[(spells["valid_from"].dt.date <= day) & (day <= spells["valid_to"].dt.date)].copy()
    on["gender"] = on["gender"].fillna("Not disclosed").replace("", "Not disclosed")
    return on


def _pay_on(con, day: dt.date) -> pd.DataFrame:
    """People with a salary on `day`, annual pay in USD at that month's FX rate (GBP salaries)."""
    on = _people_on(con, day)
    on = on[on["annual_base_salary"] > 0].copy()
    fx = con.execute("SELECT currency, month_start, rate_to_reporting FROM dim_fx_rates").df()
    month = fx[fx["month_start"].dt.date == day.replace(day=1)].set_index("currency")["rate_to_reporting"]
    rate = on["currency"].fillna("USD").map(lambda c: 1.0 if c == "USD" else month[c])
    on["pay"] = on["annual_base_salary"].astype(float) * rate
    return on


def _share_bound(num: int, den: int) -> float:
    """How far a share of protected counts (each moved by at most 2) can lie from num / den."""
    exact = num / den
    return max(abs((num + a) / (den + b) - exact) for a in (-2, 2) for b in (-2, 2))


def _representation(con) -> tuple[str, float, float]:
    on = _people_on(con, YEAR_END)
    counts = on.groupby("gender")["employee_id"].nunique()
    largest = counts.idxmax()
    return largest, counts[largest] / counts.sum(), _share_bound(counts[largest], counts.sum())


def _retention_12m(con) -> tuple[float, float]:
    """Kaplan-Meier at 365 days of tenure over 2025 with left truncation (workforce.yml): a
    person enters at their tenure on 1 January (hired earlier) and leaves at exit or 31 December."""
    spells = con.execute(
        "SELECT employee_id, valid_from, valid_to, hire_date, termination_date FROM fct_employment_spells"
    ).df()
    start, end = pd.Timestamp(2025, 1, 1), pd.Timestamp(YEAR_END)
    on = spells["hire_date"].where(spells["hire_date"] > start, start)
    s = spells[
        (spells["valid_from"] <= on)
        & (on <= spells["valid_to"])
        & (spells["hire_date"] <= end)
        & (spells["termination_date"].isna() | (spells["termination_date"] >= start))
    ]
    entry = (start - s["hire_date"]).dt.days.clip(lower=0)
    stop = s["termination_date"].where(s["termination_date"].notna() & (s["termination_date"] <= end), end)
    exit_ = (stop - s["hire_date"]).dt.days + 1
    event = s["termination_date"].notna() & (s["termination_date"] <= end)
    keep = entry < 365
    entry, exit_, event = entry[keep], exit_[keep], event[keep]
    survival = 1.0
    for t in sorted(exit_[event & (exit_ <= 365)].unique()):
        at_risk = ((entry < t) & (t <= exit_)).sum()
        survival *= 1 - ((exit_ == t) & event).sum() / at_risk
    return survival, 2 / int(keep.sum()) * survival  # model results move by up to 2/n of themselves


def _selection_rate(con) -> tuple[float, float]:
    """Hires / decided (hired or rejected; withdrawals left out) of the applications of 2025."""
    apps = con.execute("SELECT applied_date, status FROM fct_applications").df()
    year = apps[apps["applied_date"].dt.year == 2025]
    hired, decided = int((year["status"] == "hired").sum()), int(year["status"].isin(["hired", "rejected"]).sum())
    return hired / decided, _share_bound(hired, decided)


def _diverse_spend_share(con) -> tuple[float, float]:
    """Addressable spend of 2025 paid while the supplier held a diverse certification, in USD."""
    from pipelines.metrics import build_context

    proc = build_context(con)["config"]["procurement"]
    diverse = {c.upper() for c in proc["diverse_certifications"]}
    spend = con.execute(
        "SELECT transaction_id, supplier_id, transaction_date, amount, currency, is_addressable FROM fct_spend"
    ).df()
    spend = spend[(spend["transaction_date"].dt.year == 2025) & spend["is_addressable"]].copy()
    fx = con.execute("SELECT currency, month_start, rate_to_reporting FROM dim_fx_rates").df()
    rates = {(c, m.date()): r for c, m, r in fx.itertuples(index=False)}
    spend["usd"] = [
        float(a) * (1.0 if c in (None, "USD") else rates[(c, d.date().replace(day=1))])
        for a, c, d in zip(spend["amount"], spend["currency"], spend["transaction_date"])
    ]
    certs = con.execute("SELECT supplier_id, certification, valid_from, valid_to FROM fct_certifications").df()
    certs = certs[certs["certification"].str.upper().isin(diverse)]
    grace = pd.Timedelta(days=int(proc["grace_days"]))
    held = spend.merge(certs, on="supplier_id")
    held = held[
        (held["transaction_date"] >= held["valid_from"])
        & (held["valid_to"].isna() | (held["transaction_date"] <= held["valid_to"] + grace))
    ]
    diverse_ids = set(held["transaction_id"])
    share = spend.loc[spend["transaction_id"].isin(diverse_ids), "usd"].sum() / spend["usd"].sum()
    # both sums are magnitudes moved by a factor 1 + 4u/n, n the companies behind them (21 here)
    return share, share * 2 * 4 / 21


def _raw_gap(con) -> tuple[float, float]:
    """(mean pay of men - mean pay of women) / mean pay of men x 100 on 31 December 2025 (the
    hourly divisor is one constant for everyone, so it cancels)."""
    paid = _pay_on(con, YEAR_END)
    means, n = paid.groupby("gender")["pay"].mean(), paid.groupby("gender").size()
    gap = (means["Man"] - means["Woman"]) / means["Man"] * 100
    return gap, (100 - gap) * (4 / n["Woman"] + 4 / n["Man"])  # each mean moved by up to 4/n


def _adjusted_gap(con) -> tuple[float, float]:
    """1 - exp(beta) for Woman against Man (positive = paid less) in ln pay ~ gender + job level,
    family, location, tenure (years) and performance rating (categorical), the sample's
    legitimate factors."""
    paid = _pay_on(con, YEAR_END)
    paid["tenure"] = (pd.Timestamp(YEAR_END) - paid["hire_date"]).dt.days / 365.25
    for c in ("job_level", "job_family", "location", "performance_rating"):
        paid[c] = paid[c].astype(object).where(paid[c].notna(), "Not disclosed").astype(str)
    fit = smf.ols(
        "np.log(pay) ~ C(gender, Treatment('Man')) + C(job_level) + C(job_family) + C(location) + tenure"
        " + C(performance_rating)",
        data=paid,
    ).fit()
    gap = (1 - np.exp(fit.params["C(gender, Treatment('Man'))[T.Woman]"])) * 100
    return gap, abs(gap) * 2 / int((paid["gender"] == "Woman").sum())


@pytest.fixture(scope="module")
def by_hand(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    group, share, share_tol = _representation(con)
    out = {
        "representation": (group, share * 100, share_tol * 100),
        "retention_12m": (None, *(v * 100 for v in _retention_12m(con))),
        "selection_rate": (None, *(v * 100 for v in _selection_rate(con))),
        "diverse_spend_share": (None, *(v * 100 for v in _diverse_spend_share(con))),
        "pay_gap_mean": ("Woman", *_raw_gap(con)),
        "adjusted_pay_gap": ("Woman", *_adjusted_gap(con)),
    }
    con.close()
    return out


def _number(text: str) -> float:
    return float(re.search(r"-?\d+(\.\d+)?", text.replace(",", "")).group(0))


# each figure's evidence on its family page: the title (or the sentence under it) with the value
PAGE = {
    "representation": ("workforce", r"Representation, 2025: {group} highest \({value}\)"),
    "retention_12m": ("retention", r"Retention at 12 months of tenure was {value} in 2025"),
    "selection_rate": ("hiring", r"Overall selection rate \(bottom line\) in 2025: {value} "),
    "diverse_spend_share": ("suppliers", r"Diverse suppliers received {value} of addressable spend in 2025"),
    "adjusted_pay_gap": ("pay", r"Adjusted pay gap, 2025: {group} paid {value} than Man with the same"),
    "pay_gap_mean": (
        "pay",
        r"\(2025\)\..*{group} \(n = [\d,]+\): paid [\d.]+% (less|more) than Man .*?, {value} before them",
    ),
}


@pytest.mark.parametrize("metric", list(PAGE))
def test_a_headline_reads_the_same_everywhere_and_equals_the_hand_value(views, by_hand, metric):
    cli = views["cli"][metric]
    label, period, value = cli["measure"], cli["period"], cli["value"]
    # the latest full year, never the partial 2026 (nor marked partial)
    assert period == "2025", cli
    # Overview: the same label, period and value
    assert views["overview"].get(f"{label}, {period}") == value, (label, views["overview"])
    # PDF summary: a row of the headline table with the same measure, period and value
    assert [label, period, value] in [r[:3] for r in views["pdf"]], views["pdf"]
    # the CLI's default (table) view prints the same row
    assert re.search(rf"{re.escape(label)}\s*│\s*{period}\s*│\s*{re.escape(value)}\s*│", views["cli_table"])
    # the family page: its title (or its summary) states the same value for the same group
    page, pattern = PAGE[metric]
    group, expected, tolerance = by_hand[metric]
    assert group is None or cli["group"] == group, cli
    regex = pattern.format(group=re.escape(group or ""), value=re.escape(value))
    assert re.search(regex, views["pages"][page], re.S), (regex, views["pages"][page])
    # and the value equals the one computed by hand, within the protection's movement
    # a gap is worded "5.4% less" for +5.4 (positive = paid less) and "2.0% more" for -2.0
    shown = _number(value) * (-1 if metric in GAPS and value.endswith("more") else 1)
    assert abs(shown - expected) <= tolerance + ROUNDING, (metric, value, expected, tolerance)


def _signed(text: str) -> float:
    """The first signed percentage of a sentence or cell ('+5.4%')."""
    return float(re.search(r"[+-]\d+(\.\d+)?(?=%)", text).group(0))


def test_every_view_of_a_pay_gap_gives_the_same_sign(views, by_hand, sample_db):
    """One sign everywhere (docs/metrics.md, "How pay gaps are signed"): Woman's raw and adjusted
    gaps are positive by hand (she is paid less), and positive in `equity metrics` and `equity pay
    adjusted`, in the headline (CLI json number and the "% less" words), in the chart's data, in
    the page's table and summary and in the PDF section's (the page and PDF blocks are the same,
    tests/test_page_pdf_parity_pay.py), and the decomposition's log-point gap has the same sign."""
    from dashboard.families.pay.section import build_section
    from pipelines.cli import main

    assert by_hand["adjusted_pay_gap"][1] > 1 and by_hand["pay_gap_mean"][1] > 1  # the planted truth: paid less
    runner = CliRunner()
    cli = {}
    for metric in GAPS:
        out = runner.invoke(
            main, ["metrics", metric, "--db", str(sample_db), "--by", "gender", "--period", "year", "--format", "json"]
        )
        assert out.exit_code == 0, out.output
        rows = pd.DataFrame(json.loads(out.output))
        cli[metric] = float(rows[(rows["period"] == "2025") & (rows["group"] == "Woman")]["value"].iat[0])
    out = runner.invoke(main, ["pay", "adjusted", "--db", str(sample_db), "--format", "json"])
    assert out.exit_code == 0, out.output
    adjusted = pd.DataFrame(json.loads(out.output))
    cli["pay adjusted"] = float(
        adjusted[(adjusted["period"] == "2025") & (adjusted["group"] == "Woman")]["gap_pct"].iat[0]
    )
    for metric in GAPS:
        headline = views["cli"][metric]
        assert headline["number"] > 0 and headline["value"].endswith("less"), headline
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        trend = build_section(con, 5).blocks[0]  # the raw-vs-adjusted chart block
        from dashboard.families.pay.tables import analysis_tables

        decomposition = analysis_tables(con, ["gender"], 5)["summary"].set_index("group")
    finally:
        con.close()
    chart = {}
    for trace in trend.figure.data:
        if trace.name.startswith("Woman, "):
            points = dict(zip(pd.to_datetime(pd.Series(trace.x)).dt.date, trace.y))
            chart[trace.name.split(", ")[1].split()[0]] = float(points[YEAR_END])
    table = trend.table[(trend.table["Period"] == "2025") & (trend.table["Group"] == "Woman")].set_index("Measure")
    cells = {m: _signed(table.loc[m, "Pay gap (above 0 = paid less)"]) for m in ("raw", "adjusted")}
    sentence = re.search(
        r"Woman \(n = [\d,]+\): paid [\d.]+% less than Man after legitimate factors \(pay gap ([^,]+)", trend.summary
    )
    values = [*cli.values(), chart["raw"], chart["adjusted"], *cells.values(), _signed(sentence.group(1))]
    assert all(v > 0 for v in values), (cli, chart, cells, trend.summary)
    assert trend.figure.layout.yaxis.title.text == "Pay gap to the reference, % (above 0 = paid less)"
    # the chart's raw series is pay_gap_mean itself and its adjusted series adjusted_pay_gap
    assert chart["raw"] == pytest.approx(cli["pay_gap_mean"], abs=1e-9)
    assert chart["adjusted"] == pytest.approx(cli["adjusted_pay_gap"], abs=1e-9) == cli["pay adjusted"]
    assert decomposition.loc["Woman", "gap_log_points"] > 0 and decomposition.loc["Woman", "raw_gap_pct"] > 0


def test_the_cli_table_names_a_partial_period_at_80_columns(sample_db):
    """`equity metrics` prints every period: the partial 2026 says so in its own cell, which
    stays when the Note column does not fit."""
    from pipelines.cli import main

    out = CliRunner().invoke(
        main, ["metrics", "representation", "--db", str(sample_db), "--by", "gender"], env={"COLUMNS": "80"}
    )
    assert out.exit_code == 0, out.output
    rows = [ln for ln in out.output.splitlines() if "│" in ln and re.search(r"\b20\d\d\b", ln)]
    assert rows and all(("2026 partial" in ln) == ("2026" in ln) for ln in rows), rows
    assert any("2025" in ln and "partial" not in ln for ln in rows)


def test_a_window_of_only_partial_periods_is_labelled_partial_on_every_view(tmp_path, monkeypatch):
    """Data from March to September 2025: the only year is partial, so every headline names it
    '2025 (partial period)' - on the Overview, in the PDF summary and in `equity headlines`."""
    from dashboard.pdf.snapshot import _summary
    from pipelines.cli import main
    from pipelines.metrics import build_context
    from tests.helpers import build_and_open, employees_folder

    people = [
        {"employee_id": f"E{i}", "gender": "Woman" if i % 2 else "Man", "hire_date": "2020-01-01"} for i in range(80)
    ]
    folder = employees_folder(tmp_path / "data", people, config={"history_start": "2025-03-01", "as_of": "2025-09-30"})
    con = build_and_open(folder)
    db = tmp_path / "data.duckdb"
    body, _ = _summary(con, 5, "year", build_context(con)["config"])
    con.close()
    assert ">2025 (partial period)</td>" in body and ">2025</td>" not in body
    rows = json.loads(CliRunner().invoke(main, ["headlines", "--db", str(db), "--format", "json"]).output)
    assert rows and {r["period"] for r in rows} == {"2025 (partial period)"}
    monkeypatch.setenv("EQUITY_DB", str(db))
    at = _app(db)
    assert at.metric and all(m.label.endswith(", 2025 (partial period)") for m in at.metric), [
        m.label for m in at.metric
    ]
    assert "Share of headcount, 2025 (partial period)" in [c.value for c in at.caption]
