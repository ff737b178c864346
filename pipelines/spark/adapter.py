"""A DuckDB-cursor look-alike over a SparkSession, so the project's SQL runs unchanged.

It offers what the models, validation, quality checks and metric functions call on a DuckDB
connection: `execute(sql, params)` returning a result with `.df()`, `.fetchall()`,
`.fetchone()` and `.to_arrow_table()`; `register(name, frame)`/`unregister(name)`;
`cursor()`; `close()`. Each statement is transpiled from DuckDB SQL (pipelines.spark.dialect).
`CREATE [OR REPLACE] TABLE name AS SELECT ...` materialises the result: a cached temporary
view by default, or a table in `database` (spark.database in equity.yml).

Data crosses between Python and Spark only as Arrow (`DataFrame.toArrow()`,
`createDataFrame(pyarrow.Table)`): PySpark's own pandas conversion is never used.

Person identifiers: once `guard(columns)` was called (the build does, before computing
metrics), values of those columns reach the driver only as per-run pseudonyms
(frames.pseudonymised), so a statistical fit that counts or groups people in pandas works
while no real identifier leaves the cluster.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any, Iterable, Sequence

import pandas as pd
import pyarrow as pa
from sqlglot import exp
from sqlglot.errors import SqlglotError

from . import dialect
from .frames import SHOWN_SQL, Guard, SparkResult, SparkSqlError, first_line, spark_errors

__all__ = ["SparkConnection", "SparkResult", "SparkSqlError"]
log = logging.getLogger(__name__)
_SALT_BYTES = 16  # a 128-bit secret per connection for the identifier pseudonyms


def _parse(sql: str) -> list[exp.Expression]:
    try:
        return dialect.parse(sql)
    except (SqlglotError, dialect.UnsupportedSql) as exc:
        raise SparkSqlError(f"cannot translate to Spark SQL ({first_line(exc)}): {sql[:SHOWN_SQL]}") from exc


class SparkConnection:
    """DuckDB-cursor methods over one SparkSession (see module docstring)."""

    sql_errors: tuple[type[BaseException], ...] = (SparkSqlError,)

    def __init__(self, spark, database: str | None = None, table_format: str = "parquet", _shared: dict | None = None):
        self.spark = spark
        self.database = database
        self.table_format = table_format
        # materialised relations and the identifier guard are shared by every cursor
        self._shared = _shared if _shared is not None else {"cached": {}, "guard": Guard()}
        self._registered: set[str] = set()
        self._last: SparkResult | None = None
        if database and _shared is None:
            self.spark.sql(f"CREATE DATABASE IF NOT EXISTS {_qualified(database)}")
            self.spark.sql(f"USE {_qualified(database)}")

    # -- DuckDB-cursor methods -------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> SparkResult:
        result = SparkResult()
        for statement in _parse(sql):
            result = self._run(statement, list(params or []))
        self._last = result
        return result

    def register(self, name: str, frame) -> "SparkConnection":
        """Expose a pandas/Arrow/Spark frame to SQL as `name` (a temporary view)."""
        self.dataframe_from(frame).createOrReplaceTempView(name)
        self._registered.add(name)
        return self

    def unregister(self, name: str) -> "SparkConnection":
        self.spark.catalog.dropTempView(name)
        self._registered.discard(name)
        return self

    def cursor(self) -> "SparkConnection":
        """Another handle on the same session; the views it registers are dropped on close().
        Temporary views are session-wide, so two cursors must not compute at the same time."""
        return SparkConnection(self.spark, self.database, self.table_format, _shared=self._shared)

    def close(self) -> None:
        for name in list(self._registered):
            self.unregister(name)

    def fetchall(self) -> list[tuple]:
        return self._last.fetchall() if self._last else []

    def df(self) -> pd.DataFrame:
        return self._last.df() if self._last else pd.DataFrame()

    # -- catalog (DuckDB answers these from information_schema) ------------------------
    def has_table(self, name: str) -> bool:
        return bool(self.spark.catalog.tableExists(name))

    def table_names(self) -> list[str]:
        """Temporary views and the tables of the current database."""
        return [t.name for t in self.spark.catalog.listTables()]

    def table_columns(self, name: str) -> list[str]:
        return list(self.spark.table(name).columns)

    # -- Spark-native helpers for the build -------------------------------------------
    def dataframe_from(self, frame):
        """A Spark DataFrame from a pandas or Arrow frame (via Arrow) or a Spark one."""
        if isinstance(frame, pd.DataFrame):
            frame = pa.Table.from_pandas(frame, preserve_index=False)
        if isinstance(frame, pa.Table):
            return self.spark.createDataFrame(frame)
        return frame

    def query(self, sql: str, params: Sequence[Any] | None = None):
        """A DuckDB SELECT as a (lazy) Spark DataFrame."""
        statements = _parse(sql)
        if len(statements) != 1:
            raise SparkSqlError(f"expected one SELECT: {sql[:SHOWN_SQL]}")
        return self._spark_sql(dialect.render(statements[0], self._relation_types), list(params or []))

    def materialize(self, name: str, frame, temporary: bool = False, count: bool = False) -> int | None:
        """Store `frame` under `name` (see module docstring); its row count when `count`.

        Cached views are local checkpoints: the result is computed once and its lineage cut,
        as a DuckDB table would be (a cache that keeps the whole plan makes every later step
        re-plan all earlier ones). `temporary`: a cached view even when a database is set
        (build intermediates)."""
        frame = self.dataframe_from(frame)
        try:
            if self.database and not temporary:
                self._drop(name)
                table = f"{_qualified(self.database)}.{_quote(name)}"
                frame.write.format(self.table_format).mode("overwrite").saveAsTable(table)
                return self.spark.table(table).count() if count else None
            frame = frame.localCheckpoint(eager=True)
            rows = frame.count() if count else None
        except spark_errors() as exc:
            raise SparkSqlError(f"{first_line(exc)} (creating {name})") from exc
        old = self._shared["cached"].pop(name, None)
        frame.createOrReplaceTempView(name)
        self._shared["cached"][name] = frame
        if old is not None:
            old.unpersist()
        return rows

    def drop(self, name: str) -> None:
        self._drop(name)

    def release(self) -> None:
        """Drop every cached view and registered frame (tables in `database` stay)."""
        self.close()
        for name in list(self._shared["cached"]):
            self.spark.catalog.dropTempView(name)
            self._shared["cached"].pop(name).unpersist()

    def guard(self, columns: Iterable[str]) -> None:
        """From now on, values of `columns` reach the driver only as pseudonyms, salted with a
        secret drawn here for this connection (never stored)."""
        self._shared["guard"] = Guard(frozenset(c.lower() for c in columns), secrets.token_hex(_SALT_BYTES))

    # -- internals -------------------------------------------------------------------
    def _relation_types(self, name: str) -> dict[str, str] | None:
        """{column: Spark type} of a table or view, for typed translation (None: unknown)."""
        try:
            if not self.spark.catalog.tableExists(name):
                return None
            return {f.name: f.dataType.simpleString() for f in self.spark.table(name).schema.fields}
        except spark_errors():
            return None

    def _drop(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)
        old = self._shared["cached"].pop(name, None)
        if old is not None:
            old.unpersist()
        if self.database:
            self.spark.sql(f"DROP TABLE IF EXISTS {_qualified(self.database)}.{_quote(name)}")

    def _run(self, statement: exp.Expression, params: list) -> SparkResult:
        if isinstance(statement, exp.Create):
            if statement.expression is None:
                raise SparkSqlError(f"only CREATE ... AS SELECT is supported on Spark: {statement.sql()[:SHOWN_SQL]}")
            name = statement.this.name
            select = dialect.render(statement.expression, self._relation_types)
            if str(statement.args.get("kind", "")).upper() == "VIEW":
                self._spark_sql(select, params).createOrReplaceTempView(name)
            else:
                temporary = bool(statement.find(exp.TemporaryProperty))  # never into spark.database
                self.materialize(name, self._spark_sql(select, params), temporary=temporary)
            return SparkResult()
        if isinstance(statement, exp.Drop):
            for table in statement.args.get("tables") or [statement.this]:
                self._drop(table.name)
            return SparkResult()
        if isinstance(statement, (exp.Insert, exp.Delete, exp.Update, exp.Alter, exp.Merge)):
            raise SparkSqlError(
                f"{type(statement).__name__.upper()} is not supported on Spark "
                f"(write the step as a SELECT): {statement.sql()[:SHOWN_SQL]}"
            )
        sql = dialect.render(statement, self._relation_types if isinstance(statement, exp.Query) else None)
        frame = self._spark_sql(sql, params)
        if isinstance(statement, exp.Query):
            return SparkResult(frame, sql, self._shared["guard"])
        frame.collect()  # a command (USE, SET ...): run it now, as DuckDB does
        return SparkResult()

    def _spark_sql(self, sql: str, params: list):
        try:
            return self.spark.sql(sql, args=params) if params else self.spark.sql(sql)
        except spark_errors() as exc:
            raise SparkSqlError(f"{first_line(exc)} in: {sql[:SHOWN_SQL]}") from exc


def _qualified(name: str) -> str:
    """A possibly qualified name (`catalog.schema`), each part quoted."""
    return ".".join(_quote(part) for part in str(name).split("."))


def _quote(name: str) -> str:
    """A Spark identifier in backquotes (embedded backquotes doubled)."""
    return "`" + str(name).replace("`", "``") + "`"
