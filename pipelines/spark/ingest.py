"""Inputs on Spark: CSV files or existing tables -> raw_<table> -> src_<table> + quarantine.

The steps and their SQL are the DuckDB build's (pipelines.ingest, pipelines.validate): the
same mapping expressions, cast and quarantine rules, orphan checks and structural checks,
transpiled. What differs is only what Spark cannot do in place: views are rebuilt instead of
rows being inserted or deleted, and `_line` is numbered from Spark's partitions.

Everything here is an intermediate: cached temporary views, dropped once the models ran.
"""

from __future__ import annotations

import logging
from typing import Any

import pyarrow as pa

from ..contract import load_contract, table_for_key
from ..errors import DataError
from ..csv_files import file_digest
from ..ingest import raw_expr
from ..source_file import SourceFile
from ..mapping_extra import extra_names
from ..sqlsafe import ident, safe_name
from ..validate import check_order, checked_sql, orphan_checks, orphan_quarantine_sql, quarantine_column_sql, valid_sql
from .adapter import SparkConnection, SparkSqlError

log = logging.getLogger(__name__)

# The CSV dialect of the data contract, as DuckDB reads it in pipelines.ingest: header row,
# '"' quotes escaped by doubling, quoted fields may span lines, every value text; a
# malformed record stops the build instead of being dropped.
CSV_OPTIONS = {
    "header": "true",
    "enforceSchema": "true",
    "multiLine": "true",
    "quote": '"',
    "escape": '"',
    "encoding": "UTF-8",
    "mode": "FAILFAST",
    "nullValue": "",
    "ignoreLeadingWhiteSpace": "false",
    "ignoreTrailingWhiteSpace": "false",
}
QUARANTINE_COLUMNS = "file, table_name, line, column_name, raw_value, reason"
_PID, _MID = "__equity_partition", "__equity_row_id"


def spark_relations(spark, config: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """{contract table name: (relation, columns)} for the `spark.tables` of equity.yml."""
    out = {}
    for key, relation in (config["spark"].get("tables") or {}).items():
        table = table_for_key(str(key))
        if table is None:
            known = ", ".join(t.key for t in load_contract().values())
            raise DataError(
                f"spark.tables names '{key}', which is not a contract file; known: {known}", file="equity.yml"
            )
        if not spark.catalog.tableExists(str(relation)):
            raise DataError(f"spark.tables: table {relation} (for {key}) does not exist", file="equity.yml")
        out[table.name] = (str(relation), list(spark.table(str(relation)).columns))
    return out


def _text_frame(spark, sf: SourceFile):
    """The source rows with every column as text, named as the header."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    if sf.relation is None:
        schema = StructType([StructField(f"_c{i}", StringType()) for i in range(len(sf.header))])
        frame = spark.read.options(**CSV_OPTIONS).schema(schema).csv(str(sf.path))
        return frame.toDF(*sf.header)
    frame = spark.table(sf.relation)
    return frame.select([_as_text(F, field).alias(field.name) for field in frame.schema.fields])


def _as_text(F, field):
    """A typed table column as the text a CSV export would hold."""
    from pyspark.sql import types as T

    column = F.col(f"`{field.name.replace('`', '``')}`")
    if isinstance(field.dataType, (T.TimestampType, T.TimestampNTZType)):
        return F.date_format(column, "yyyy-MM-dd")  # contract dates are days
    if isinstance(field.dataType, (T.FloatType, T.DoubleType)):
        # a double would print as 1.0E7, which is no contract number: plain decimal text
        return F.expr(f"try_cast(`{field.name.replace('`', '``')}` AS DECIMAL(38, 9))").cast("string")
    return column.cast("string")


def _numbered(spark, frame):
    """`frame` with `_line`: its record number counting a header as line 1, in file order.

    Row ids grow in file order within a partition and partitions follow the file, so each
    partition's rows are numbered after all rows of the partitions before it. Only the
    per-partition counts come to the driver. (multiLine CSV files are one partition each.)
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    framed = (
        frame.withColumn(_PID, F.spark_partition_id())
        .withColumn(_MID, F.monotonically_increasing_id())
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    stats = framed.groupBy(_PID).agg(F.count("*").alias("rows"), F.min(_MID).alias("first")).toArrow()
    order = sorted(zip(*(stats.column(c).to_pylist() for c in (_PID, "rows", "first"))))
    offsets, total = [], 0
    for pid, rows, first in order:
        offsets.append((pid, total - first))
        total += rows
    table = pa.table(
        {_PID: pa.array([o[0] for o in offsets], pa.int32()), "_offset": pa.array([o[1] for o in offsets], pa.int64())}
    )
    shifts = spark.createDataFrame(table)
    header_lines = 2  # the first record is line 2: the header is line 1
    numbered = (
        framed.join(F.broadcast(shifts), _PID)
        .withColumn("_line", F.col(_MID) + F.col("_offset") + F.lit(header_lines))
        .drop(_PID, _MID, "_offset")
    )
    return numbered, framed


def load_raw(con: SparkConnection, sf: SourceFile) -> int:
    """Create `raw_<table>` (contract columns as trimmed text, `_line`); returns rows read."""
    name = sf.table.name
    if sf.weight is not None:
        raise DataError(
            f"weighted rows (weight: {sf.weight.column}) are expanded by the duckdb engine "
            "only (build with --engine duckdb)",
            file=sf.display,
        )
    if sf.snapshot is not None:
        raise DataError(
            "snapshot rows are collapsed into people by the duckdb engine only (build with --engine duckdb)",
            file=sf.display,
        )
    if extra_names(sf.table):
        raise DataError(
            "extra_columns are read by the duckdb engine only (build with --engine duckdb)", file=sf.display
        )
    if sf.name_columns or sf.parent_by_name:
        raise DataError(
            "suppliers matched by name (supplier_by_name, parent_by_name) are matched by the "
            "duckdb engine only (build with --engine duckdb)",
            file=sf.display,
        )
    if not sf.plain:
        raise DataError(
            "several files, renames and columns from the file name are read by the "
            "duckdb engine only (build with --engine duckdb)",
            file=sf.display,
        )
    numbered, framed = _numbered(con.spark, _text_frame(con.spark, sf))
    try:
        numbered.createOrReplaceTempView(f"input_{name}")
        selects = [f"{raw_expr(src)} AS {ident(col)}" for col, src in sf.columns.items()]
        rows = con.materialize(
            f"raw_{name}",
            con.query(f"SELECT CAST(_line AS BIGINT) AS _line, {', '.join(selects)} FROM input_{name}"),
            temporary=True,
            count=True,
        )
    except SparkSqlError as exc:
        raise DataError(f"cannot be read: {exc}", file=sf.display) from None
    finally:
        con.spark.catalog.dropTempView(f"input_{name}")
        framed.unpersist()
    sf.rows_in = rows
    if sf.path is not None:
        sf.sha256, sf.size = file_digest(sf.path)
    log.info("read %s: %d rows", sf.display, rows)
    return rows


def cast_and_quarantine(con: SparkConnection, sf: SourceFile, config: dict[str, Any]) -> None:
    """`src_<table>` (typed, valid rows) and `quarantine_<table>` (the rest), as in DuckDB."""
    t = sf.table
    missing = [n for n in t.columns if n not in sf.columns]
    raw = f"raw_{t.name}"
    if missing:  # optional columns absent from the file: NULL for every row
        nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {ident(n)}" for n in missing)
        raw = f"(SELECT *, {nulls} FROM raw_{t.name})"
    con.materialize(f"checked_{t.name}", con.query(checked_sql(sf, config, raw, keep_raw=True)), temporary=True)
    parts = [quarantine_column_sql(sf, n, f"checked_{t.name}", None) for n in t.columns]
    con.query(_as_quarantine(parts)).createOrReplaceTempView(f"quarantine_{t.name}")  # lazy: small
    con.materialize(f"src_{t.name}", con.query(valid_sql(sf, f"checked_{t.name}")), temporary=True)
    check_order(con, sf)


def quarantine_orphans(con: SparkConnection, sf: SourceFile, sources: dict[str, SourceFile]) -> None:
    """Rows pointing at a key that did not load move from src_<table> to its quarantine."""
    t = sf.table
    for col, parent_sf in orphan_checks(sf, sources):
        orphans = f"orphans_{t.name}__{safe_name(col)}"
        con.materialize(orphans, con.query(orphan_quarantine_sql(sf, col, parent_sf)), temporary=True)
        con.query(
            _as_quarantine([f"SELECT * FROM quarantine_{t.name}", f"SELECT * FROM {orphans}"])
        ).createOrReplaceTempView(f"quarantine_{t.name}")
        # NOT EXISTS on the line, not NOT(...): Spark plans it as an anti join
        con.materialize(
            f"src_{t.name}",
            con.query(
                f"SELECT * FROM src_{t.name} s WHERE NOT EXISTS (SELECT 1 FROM {orphans} o WHERE o._line = s._line)"
            ),
            temporary=True,
        )


def _as_quarantine(selects: list[str]) -> str:
    return f"SELECT * FROM ({' UNION ALL '.join(selects)}) AS q({QUARANTINE_COLUMNS})"


def build_quarantine(con: SparkConnection, sources: dict[str, SourceFile]) -> int:
    """`quarantine`: every table's quarantined rows (a table in spark.database if set)."""
    parts = [f"SELECT * FROM quarantine_{name}" for name in sources]
    rows = con.materialize("quarantine", con.query(_as_quarantine(parts)), count=True)
    for name in sources:
        con.drop(f"quarantine_{name}")
    return rows


def drop_intermediates(con: SparkConnection, sources: dict[str, SourceFile]) -> None:
    """Person-level text copies are not needed once staged (as in the DuckDB build)."""
    for name, sf in sources.items():
        for prefix in ("raw_", "checked_", "src_"):
            con.drop(f"{prefix}{name}")
        for col, _parent in orphan_checks(sf, sources):
            con.drop(f"orphans_{name}__{safe_name(col)}")
