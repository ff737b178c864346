"""The benchmark plumbing: ratios against an aim, detail blocks kept out of the summary, and
the README Performance table copied from a results file without touching the rest."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import run_all  # noqa: E402

from benchmarks._common import Row  # noqa: E402


def test_row_ratio_is_value_over_the_aim():
    row = Row("equity list", 0.6, "s", 1, "aim", "< 1 s")
    assert row.ratio == 0.6
    assert row.markdown() == "| equity list | 0.6 s | 1 s (aim) | 0.60 | < 1 s |"
    assert Row("peak RSS", 900, "MB").markdown() == "| peak RSS | 900 MB |  |  |  |"


def test_readme_table_is_replaced_between_the_markers_only(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    readme.write_text(
        "intro\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nWhere the time goes\n", encoding="utf-8"
    )
    results = run_all.HERE / "results" / "_test_latest.md"
    results.write_text(
        "# Benchmarks (W1)\n\nMeasured 2026-12-04 02:00 on 2 cores.\n\n"
        "| figure | value | floor / baseline | ratio | aim |\n|---|---|---|---|---|\n"
        "| equity list | 0.6 s | 1 s (aim) | 0.60 | < 1 s |\n\n"
        "## Whole registry, per metric\n\n| metric | family | time | share |\n"
        "| headcount | workforce | 12 ms | 1% |\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(run_all, "README", readme)
    try:
        run_all.copy_to_readme(results)
    finally:
        results.unlink()
    assert readme.read_text(encoding="utf-8") == (
        "intro\n<!-- bench:start -->\n"
        "Measured 2026-12-04 02:00 on 2 cores. (from `benchmarks/results/_test_latest.md`)\n\n"
        "| figure | value | floor / baseline | ratio | aim |\n|---|---|---|---|---|\n"
        "| equity list | 0.6 s | 1 s (aim) | 0.60 | < 1 s |\n"
        "<!-- bench:end -->\n\nWhere the time goes\n"
    )


def test_figures_of_separate_runs_come_from_their_files_or_say_not_measured(tmp_path, monkeypatch):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "install.md").write_text(
        "# Demo install\n\nMeasured today.\n\n| figure | value | floor / baseline | ratio | aim |\n"
        "|---|---|---|---|---|\n| make demo | 80 s | 90 s (aim) | 0.89 | < 90 s |\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(run_all, "HERE", tmp_path)
    monkeypatch.setattr(
        run_all,
        "SEPARATE",
        [
            ("W2 peak RSS", "< 8192 MB", "make bench-large", "latest-W2.md"),
            ("demo install", "< 90 s", "bench_install.py", "install.md"),
        ],
    )
    assert run_all.separate_rows() == [
        "| W2 peak RSS | not measured (`make bench-large`) | | | < 8192 MB |",
        "| (separate run, `install.md`) make demo | 80 s | 90 s (aim) | 0.89 | < 90 s |",
    ]


def test_readme_performance_table_is_the_committed_latest_results():
    # `make bench-readme` writes it; a hand edit of the README table or a new run whose
    # latest.md was not copied fails here
    results = run_all.HERE / "results" / "latest.md"
    _, block, _ = run_all.readme_parts(run_all.README.read_text(encoding="utf-8"))
    assert block == run_all.readme_block(results.read_text(encoding="utf-8"), "benchmarks/results/latest.md")
