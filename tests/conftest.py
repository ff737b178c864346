"""Shared fixtures. The sample database is built once per test session (it is the
seeded fixture database every end-to-end test reads)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("EQUITY_RECORD_KEY_SALT", "tests-fixed-salt")  # protected figures repeatable across runs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data" / "demo"
REAL_DATA = ROOT.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The committed sample folder built into a temporary database (once per session)."""
    from pipelines.build import build

    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    build(SAMPLE_DIR, db)
    return db


@pytest.fixture()
def sample_con(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


SPARK_GROUP = "spark"  # every test that needs the SparkSession runs on one xdist worker


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """One local SparkSession per test session (JVM start-up takes seconds); builds reuse it
    as the active session. Its warehouse (spark.database tables) is a temporary folder."""
    from pipelines.config import default_config
    from pipelines.spark.session import get_session

    settings = default_config()["spark"]
    settings = {
        **settings,
        "master": "local[2]",
        "conf": {
            **settings["conf"],
            "spark.ui.enabled": "false",
            "spark.ui.retainedJobs": "1000000",  # the metric phase's jobs are counted (test_spark_parity)
            "spark.sql.warehouse.dir": str(tmp_path_factory.mktemp("spark-warehouse")),
        },
    }
    session = get_session(settings)
    yield session
    session.stop()


@pytest.fixture()
def spark_con(spark):
    from pipelines.spark.adapter import SparkConnection

    con = SparkConnection(spark)
    yield con
    con.release()


# What the Spark build of the sample precomputes for the tests: the parity breakdown
# (gender x race_ethnicity, yearly) and what the dashboard's default pages and the PDF ask for.
SPARK_SAMPLE_RESULTS = {"grains": ["year"], "breakdowns": [["gender"], ["gender", "race_ethnicity"]]}


@pytest.fixture(scope="session")
def spark_sample_db(spark, tmp_path_factory) -> Path:
    """The committed sample folder built on local Spark into a results database (once)."""
    import shutil

    import yaml

    from pipelines.build import build

    folder = tmp_path_factory.mktemp("spark-sample") / "data"
    shutil.copytree(SAMPLE_DIR, folder)
    config = yaml.safe_load((folder / "equity.yml").read_text(encoding="utf-8"))
    config["spark"] = {"results": SPARK_SAMPLE_RESULTS}
    (folder / "equity.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    db = folder.parent / "results.duckdb"
    messages: list[str] = []
    build(folder, db, engine="spark", progress=messages.append)
    (folder.parent / "progress.txt").write_text("\n".join(messages), encoding="utf-8")  # what the build said
    return db


# fixtures that make a test slow: the fast CI tier (-m "not slow") must never build the sample
# or start Spark, so a test needing one without the `slow` mark is an error, not a slow fast tier
SLOW_FIXTURES = {"sample_db", "spark", "spark_sample_db"}


def pytest_collection_modifyitems(config, items):
    unmarked = [
        item.nodeid
        for item in items
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            f"tests using the sample build or Spark must be marked slow (pytest.mark.slow): {', '.join(unmarked)}"
        )
