"""Incremental builds: a rebuild into an existing database reuses unchanged inputs and
models, and the result is table for table what a full build of the same folder gives (the
second method: a full build with --full)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from pipelines.build import build
from pipelines.cli import main

pytestmark = pytest.mark.slow
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "demo"
PROCUREMENT = {
    "procurement__spend",
    "procurement__suppliers",
    "procurement__certifications",
    "procurement__tier2_spend",
}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> tuple[Path, Path]:
    """The sample folder and a full build of it (copied by each test before it changes anything)."""
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(SAMPLE, root / "data")
    build(root / "data", root / "first.duckdb")
    return root / "data", root / "first.duckdb"


@pytest.fixture()
def workspace(baseline, tmp_path) -> tuple[Path, Path]:
    data, db = baseline
    shutil.copytree(data, tmp_path / "data")
    shutil.copy(db, tmp_path / "inc.duckdb")
    return tmp_path / "data", tmp_path / "inc.duckdb"


def _tables(con) -> dict[str, pd.DataFrame]:
    names = sorted(r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall())
    out = {}
    for name in names:
        df = con.execute(f"SELECT * FROM {name}").df()
        out[name] = df.astype(str).sort_values(list(df.columns), kind="stable").reset_index(drop=True)
    return out


def assert_same_database(incremental: Path, full: Path) -> None:
    """Every table equal (as a set of rows), except the run's own bookkeeping."""
    a, b = duckdb.connect(str(incremental), read_only=True), duckdb.connect(str(full), read_only=True)
    try:
        got, expected = _tables(a), _tables(b)
    finally:
        a.close(), b.close()
    assert set(got) == set(expected)
    for name in expected:
        if name == "run_manifest":  # ids and times of the run
            continue
        g, e = got[name], expected[name]
        if name == "commitments_meta":  # names the review log after the database file
            g, e = g.drop(columns="review_log_name"), e.drop(columns="review_log_name")
        pd.testing.assert_frame_equal(g, e, obj=name)


def _reused(result) -> set[str]:
    return {m for m, s in result.models.items() if s.get("reused")}


def test_unchanged_folder_reuses_everything_but_the_core(workspace, tmp_path):
    data, db = workspace
    result = build(data, db)
    # only the HR core and the FX rates are read again; every model is copied
    contract_tables = {f["table_name"] for f in result.files if f["family"] != "commitments"}
    assert set(result.reused_sources) == contract_tables - {"hr__employees", "hr__job_history", "reference__fx_rates"}
    assert _reused(result) == {m for m, s in result.models.items() if s["status"] == "built"}
    build(data, tmp_path / "full.duckdb", full=True)
    assert_same_database(db, tmp_path / "full.duckdb")


def test_changed_spend_rebuilds_only_what_reads_it(workspace, tmp_path):
    data, db = workspace
    spend = data / "procurement" / "spend.csv"
    lines = spend.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    bad = lines[1].rstrip("\n").split(",")
    bad[header.index("amount")] = "12x"  # a value that must be quarantined
    bad[header.index("transaction_id")] = "T-NEW-1"
    spend.write_text("".join(lines[:-1] + [",".join(bad) + "\n"]), encoding="utf-8")
    result = build(data, db)
    assert "procurement__spend" not in result.reused_sources
    assert {"recruiting__applications", "voice__survey_responses"} <= set(result.reused_sources)
    rebuilt = {m for m, s in result.models.items() if s["status"] == "built"} - _reused(result)
    assert "fct_spend" in rebuilt and "fct_applications" not in rebuilt and "fct_employment_spells" not in rebuilt
    full = build(data, tmp_path / "full.duckdb", full=True)
    assert not _reused(full)
    assert_same_database(db, tmp_path / "full.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    try:  # the bad amount is in quarantine, named by its line
        reasons = con.execute(
            "SELECT line, column_name FROM quarantine WHERE table_name = 'procurement__spend' "
            "AND column_name = 'amount'"
        ).fetchall()
    finally:
        con.close()
    assert (len(lines), "amount") in reasons


def test_removed_parent_rechecks_unchanged_children(workspace, tmp_path):
    """A supplier removed from suppliers.csv orphans its spend rows although spend.csv is
    byte-identical: spend must be read and checked again."""
    data, db = workspace
    suppliers = data / "procurement" / "suppliers.csv"
    with open(data / "procurement" / "spend.csv", newline="", encoding="utf-8") as f:
        gone = next(csv.DictReader(f))["supplier_id"]  # a supplier that was paid
    lines = suppliers.read_text(encoding="utf-8").splitlines(keepends=True)
    suppliers.write_text("".join(ln for ln in lines if not ln.startswith(f"{gone},")), encoding="utf-8")
    result = build(data, db)
    assert "procurement__spend" not in result.reused_sources
    build(data, tmp_path / "full.duckdb", full=True)
    assert_same_database(db, tmp_path / "full.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    try:
        orphans = con.execute(
            "SELECT count(*) FROM quarantine WHERE table_name = 'procurement__spend' AND raw_value = ?", [gone]
        ).fetchone()[0]
        with open(data / "procurement" / "spend.csv", newline="", encoding="utf-8") as f:
            spent = sum(1 for row in csv.DictReader(f) if row["supplier_id"] == gone)
    finally:
        con.close()
    assert orphans > 0 and orphans == spent


def test_changed_config_rebuilds_everything(workspace):
    data, db = workspace
    path = data / "equity.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    config.setdefault("privacy", {})["k"] = 6
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = build(data, db)
    assert not _reused(result) and not result.reused_sources
    assert "equity.yml changed" in result.full_reason


def test_cli_says_what_was_reused_and_full_rebuilds_all(workspace):
    from click.testing import CliRunner

    data, db = workspace
    out = CliRunner().invoke(main, ["build", "--data", str(data), "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "Incremental:" in out.output and "--full" in out.output
    out = CliRunner().invoke(main, ["build", "--data", str(data), "--db", str(db), "--full"])
    assert out.exit_code == 0, out.output
    assert "Incremental:" not in out.output


def test_failed_incremental_build_keeps_the_last_good_database(workspace):
    import hashlib
    from pipelines.errors import DataError

    data, db = workspace
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    spend = data / "procurement" / "spend.csv"
    lines = spend.read_text(encoding="utf-8").splitlines(keepends=True)
    # line 2's transaction id again with another amount: a conflicting key (an exact repeat
    # of the line would be quarantined instead, tests/test_mapping_rows.py)
    fields = lines[1].rstrip("\n").split(",")
    fields[3] = "1.00"
    spend.write_text("".join(lines + [",".join(fields) + "\n"]), encoding="utf-8")
    with pytest.raises(DataError, match="duplicate key"):
        build(data, db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not list(db.parent.glob(f".{db.name}.building-*"))


def test_removed_file_leaves_no_trace(workspace, tmp_path):
    """A family's file deleted since the last build: its tables, quarantine rows and
    expectation results are gone, as in a full build of the folder."""
    data, db = workspace
    invited = data / "voice" / "invited.csv"
    lines = invited.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = lines[1].rstrip("\n").split(",")
    bad[1], bad[-1] = "A new department", "many"  # `invited` must be a whole number
    invited.write_text("".join(lines + [",".join(bad) + "\n"]), encoding="utf-8")
    build(data, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM quarantine WHERE table_name = 'voice__invited'").fetchone()[0] == 1
    finally:
        con.close()
    invited.unlink()
    result = build(data, db)
    assert "stg_voice__invited" not in _reused(result)
    build(data, tmp_path / "full.duckdb", full=True)
    assert_same_database(db, tmp_path / "full.duckdb")
