"""Results of Spark queries as DuckDB presents them, and the errors the adapter raises.

A result crosses from Spark to Python once, as Arrow (`DataFrame.toArrow()`), and is then
shaped like DuckDB's: `.df()` has the dtypes DuckDB's `.df()` has for the same query, so
pandas code in the metric functions behaves the same on both engines.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SHOWN_SQL = 300  # characters of a failing statement quoted in the error


class SparkSqlError(Exception):
    """A statement failed on Spark (or has no Spark translation); names the statement."""


# 64 bits of a SHA-256 (16 hex digits): no two of a few hundred million ids collide in practice
PSEUDONYM_HEX = 16


@dataclass(frozen=True)
class Guard:
    """Columns whose values never reach the driver (person identifiers), and the run's
    secret salt for the pseudonyms that replace them."""

    columns: frozenset[str] = frozenset()
    salt: str = ""


def pseudonymised(frame, guard: Guard):
    """`frame` with every guarded column replaced, on the executors, by a pseudonym: the first
    16 hex digits of SHA-256(salt + value). The same value gets the same pseudonym for the
    whole run (so pandas code can still count or group people); NULL stays NULL; the salt
    lives only in the driver's memory and is never written, so a pseudonym leads nowhere."""
    if not any(c.lower() in guard.columns for c in frame.columns):
        return frame
    from pyspark.sql import functions as F

    names = list(frame.columns)
    slots = frame.toDF(*[f"_c{i}" for i in range(len(names))])  # positions: names may repeat
    columns = []
    for i, name in enumerate(names):
        column = F.col(f"_c{i}")
        if name.lower() in guard.columns:
            column = F.substring(F.sha2(F.concat(F.lit(guard.salt), column.cast("string")), 256), 1, PSEUDONYM_HEX)
        columns.append(column.alias(name))
    return slots.select(*columns)


def spark_errors() -> tuple[type[BaseException], ...]:
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JError)


def duckdb_like(table: pa.Table) -> pa.Table:
    """Arrow types as DuckDB's `.df()` presents them: DATE as a timestamp, DECIMAL as a
    double, timestamps with a zone as local wall time (so pandas code sees the same dtypes)."""
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if pa.types.is_decimal(field.type):
            column = column.cast(pa.float64())
        elif pa.types.is_date(field.type):
            column = column.cast(pa.timestamp("us"))
        elif pa.types.is_timestamp(field.type) and field.type.tz:
            column = pc.local_timestamp(column)
        else:
            continue
        table = table.set_column(i, field.name, column)
    return table


# DuckDB's .df() gives integer and boolean columns that hold NULLs pandas' nullable dtypes
_NULLABLE = {
    pa.int8(): pd.Int8Dtype(),
    pa.int16(): pd.Int16Dtype(),
    pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def duckdb_like_frame(table: pa.Table) -> pd.DataFrame:
    """A pandas frame with the dtypes DuckDB's `.df()` gives for the same result."""
    table = duckdb_like(table)
    if table.num_columns == 0:
        return pd.DataFrame(index=range(table.num_rows))
    series = []
    for name, column in zip(table.column_names, table.columns):
        mapper = _NULLABLE.get if column.null_count and column.type in _NULLABLE else None
        series.append(pd.Series(column.to_pandas(types_mapper=mapper), name=name))
    return pd.concat(series, axis=1)


class SparkResult:
    """The result of one statement; a query runs on Spark when it is first fetched."""

    def __init__(self, frame=None, sql: str = "", guard: Guard = Guard()):
        self._frame, self._sql, self._guard = frame, sql, guard
        self._table: pa.Table | None = None

    def to_arrow_table(self) -> pa.Table:
        if self._table is None:
            if self._frame is None:
                self._table = pa.table({})
            else:
                try:
                    self._table = pseudonymised(self._frame, self._guard).toArrow()
                except spark_errors() as exc:
                    raise SparkSqlError(f"{first_line(exc)} in: {self._sql[:SHOWN_SQL]}") from exc
        return self._table

    def df(self) -> pd.DataFrame:
        return duckdb_like_frame(self.to_arrow_table())

    fetchdf = df

    def fetchall(self) -> list[tuple]:
        table = self.to_arrow_table()
        return list(zip(*(table.column(i).to_pylist() for i in range(table.num_columns))))

    def fetchone(self) -> tuple | None:
        rows = self.fetchall()
        return rows[0] if rows else None


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
