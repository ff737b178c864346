"""Issue 17, hole 1: no setting reaches SQL as text, and read-only connections cannot read files.

The attack: an equity.yml value pasted into SQL (`demographics.age_bands` was) can run
`read_text('/path/secret.txt')` and print the file as a group label.
"""

from __future__ import annotations

import duckdb
import pytest

from pipelines.config import default_config, load_config
from pipelines.db import connect_readonly
from pipelines.errors import DataError
from pipelines.metrics._frame import age_band_sql
from tests.helpers import write_config

INJECTION = "200 THEN (SELECT string_agg(content,'') FROM read_text('/etc/hostname')) WHEN false"


def _numeric_settings(tree: dict, prefix: str = "") -> list[str]:
    """Every setting whose packaged default is a number (or a list of numbers). Spark's own
    settings (conf, local_conf) are handed to the Spark session builder, never into SQL."""
    out = []
    for key, value in tree.items():
        if key in ("conf", "local_conf"):
            continue
        if isinstance(value, dict):
            out += _numeric_settings(value, f"{prefix}{key}.")
        elif isinstance(value, bool):
            continue
        elif isinstance(value, (int, float)) or (
            isinstance(value, list) and value and all(isinstance(v, (int, float)) for v in value)
        ):
            out.append(prefix + key)
    return out


def _nested(key: str, value) -> dict:
    out: dict = value
    for part in reversed(key.split(".")):
        out = {part: out}
    return out


NUMERIC = _numeric_settings(default_config())
# settings with no default (null) that are numbers when given
NULLABLE_NUMERIC = ["privacy.supplier_k", "pay.remediation_max_raise_pct", "spark.expectations.max_rows"]


def test_the_numeric_settings_found_include_the_ones_that_reached_sql():
    # guards the parametrised list below from silently shrinking
    assert {
        "demographics.age_bands",
        "workforce.follow_up_days",
        "procurement.grace_days",
        "voice.favourable_from",
        "fiscal_year_start_month",
    } <= set(NUMERIC)
    assert len(NUMERIC) > 40


@pytest.mark.parametrize("key", NUMERIC + NULLABLE_NUMERIC)
def test_sql_text_in_any_numeric_setting_is_refused_naming_the_key(tmp_path, key):
    value = (
        [INJECTION] if key in ("demographics.age_bands", "voice.scale", "commitments.checkpoint_months") else INJECTION
    )
    write_config(tmp_path, _nested(key, value))
    with pytest.raises(DataError) as err:
        load_config(tmp_path)
    assert key in str(err.value)
    assert "read_text('/etc/hostname')) WHEN false" not in str(err.value)  # not echoed whole


@pytest.mark.parametrize(
    "bands, ok",
    [
        ([25, 35, 45], True),
        ([18], True),
        ([35, 25], False),
        ([25, 25, 35], False),
        ([25.5, 35], False),
        ([True, 35], False),
        ("25,35", False),
        ([], False),
        ([0, 10], False),
    ],
)
def test_age_bands_must_be_strictly_increasing_whole_numbers(tmp_path, bands, ok):
    write_config(tmp_path, {"demographics": {"age_bands": bands}})
    if ok:
        assert load_config(tmp_path)["demographics"]["age_bands"] == bands
    else:
        with pytest.raises(DataError, match="demographics.age_bands"):
            load_config(tmp_path)


@pytest.mark.parametrize(
    "key, value",
    [
        ("as_of", "2024-13-01"),
        ("as_of", "2024-01-01' OR 1=1 --"),
        ("workforce.follow_up_days", -1),
        ("workforce.follow_up_days", 1.5),
        ("recruiting.withdrawn_counts_as_rejected", "yes please"),
        ("spark.table_format", "parquet; DROP"),
        ("recruiting.significance_z", float("nan")),
    ],
)
def test_other_typed_settings_are_checked(tmp_path, key, value):
    write_config(tmp_path, _nested(key, value))
    with pytest.raises(DataError, match=key.replace(".", r"\.")):
        load_config(tmp_path)


def test_valid_settings_of_each_kind_still_load(tmp_path):
    write_config(
        tmp_path,
        {
            "as_of": "2024-06-30",
            "pay": {"category_gap_threshold_pct": 5.5, "remediation_max_raise_pct": None},
            "workforce": {"reference_min_share": 0},
            "privacy": {"supplier_k": 4},
        },
    )
    config = load_config(tmp_path)
    assert config["pay"]["category_gap_threshold_pct"] == 5.5 and config["privacy"]["supplier_k"] == 4


def test_age_band_sql_refuses_text_even_past_validation():
    config = {"demographics": {"age_bands": [INJECTION], "not_disclosed": "Not disclosed"}}
    with pytest.raises(ValueError):
        age_band_sql("e.birth_year", "d", config)
    sql = age_band_sql("e.birth_year", "d", {"demographics": {"age_bands": ["30", 40], "not_disclosed": "x"}})
    # the edges are numbers in the SQL: under 30, 30-39, 40 and over
    assert duckdb.sql(
        f"SELECT {sql.replace('e.birth_year', 'b').replace('year(d)', '2020')} "
        "FROM (VALUES (1995), (1985), (1975)) t(b)"
    ).fetchall() == [("Under 30",), ("30-39",), ("40 and over",)]


def test_read_only_connections_cannot_read_files_or_unlock(tmp_path):
    db = tmp_path / "x.duckdb"
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    duckdb.connect(str(db)).execute("CREATE TABLE t AS SELECT 1 AS a").close()
    con = connect_readonly(db)
    assert con.execute("SELECT a FROM t").fetchall() == [(1,)]
    for sql in (
        f"SELECT content FROM read_text('{secret}')",
        f"SELECT * FROM read_csv('{secret}')",
        f"COPY (SELECT 1) TO '{tmp_path / 'out.csv'}'",
    ):
        with pytest.raises(duckdb.Error):
            con.execute(sql)
    with pytest.raises(duckdb.Error, match="locked"):
        con.execute("SET enable_external_access = true")
    assert not (tmp_path / "out.csv").exists()
    con.close()


def test_a_second_read_only_connection_to_the_same_file_works(tmp_path):
    # DuckDB shares one instance per file in a process: the lock-down must not fail the second time
    db = tmp_path / "x.duckdb"
    duckdb.connect(str(db)).execute("CREATE TABLE t AS SELECT 1 AS a").close()
    first, second = connect_readonly(db), connect_readonly(db)
    assert second.execute("SELECT a FROM t").fetchall() == [(1,)]
    with pytest.raises(duckdb.Error):
        second.execute(f"SELECT content FROM read_text('{db}')")
    first.close()
    second.close()


def test_the_dashboard_connection_is_locked_down(tmp_path, monkeypatch):
    from dashboard import data

    db = tmp_path / "d.duckdb"
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    duckdb.connect(str(db)).execute("CREATE TABLE t AS SELECT 1 AS a").close()
    monkeypatch.setenv("EQUITY_DB", str(db))
    cur = data.cursor(data.db_version())
    assert cur.execute("SELECT a FROM t").fetchall() == [(1,)]  # reading the database works
    with pytest.raises(duckdb.Error):
        cur.execute(f"SELECT content FROM read_text('{secret}')").fetchall()
    with pytest.raises(duckdb.Error, match="locked"):
        cur.execute("SET enable_external_access = true")
