"""Running the pipeline on Apache Spark (`equity build --engine spark`).

The SQL models, the validation rules and the metric functions are the DuckDB ones: a
connection adapter (`adapter.SparkConnection`) offers the DuckDB-cursor methods they use and
transpiles each statement to Spark SQL with sqlglot (`dialect`). Results cross from Spark to
Python as Arrow, never through PySpark's pandas conversion.

Modules: `session` (SparkSession from equity.yml `spark:`), `dialect` (DuckDB -> Spark SQL),
`adapter` (the connection), `frames` (its results shaped like DuckDB's), `ingest` (CSV files or existing tables -> raw_/src_ views with
quarantine), `build` (the build on Spark), `results` (suppressed metric tables -> a local
DuckDB results file).

Nothing here is imported by the DuckDB path: PySpark is an optional extra (`.[spark]`).
"""

from __future__ import annotations

import warnings

from ..errors import MissingExtra

INSTALL_HINT = "install the Spark extra: pip install 'equity-metrics[spark]' (and Java 17)"


def require_spark() -> None:
    """Raise a clear MissingExtra (exit code 1) when PySpark or sqlglot is not installed."""
    try:
        with warnings.catch_warnings():  # PySpark warns about pandas 3 on import; pandas never
            warnings.simplefilter("ignore", FutureWarning)  # crosses into Spark here (Arrow only)
            import pyspark  # noqa: F401
        import sqlglot  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(
            f"--engine spark needs PySpark and sqlglot ({exc.name} is missing); {INSTALL_HINT}"
        ) from None
