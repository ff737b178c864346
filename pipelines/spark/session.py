"""The SparkSession a build runs on, from the `spark:` section of equity.yml.

Where the master comes from, first match wins:
1. `spark.master` in equity.yml (e.g. `local[4]`, `spark://host:7077`, `yarn`);
2. Spark's own configuration: `spark-submit --master ...`, `PYSPARK_SUBMIT_ARGS`,
   `$SPARK_CONF_DIR/spark-defaults.conf`, or the session a Databricks job already runs in;
3. otherwise PySpark starts a local JVM (`local[*]`).
`spark.conf` is applied to every session; `spark.local_conf` only when the master is local
(settings that suit a laptop, such as few shuffle partitions).
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

log = logging.getLogger(__name__)

# PySpark logs every failed query at ERROR on these loggers, traceback included; the adapter
# re-raises the failure with the statement that caused it, so the log would only repeat it.
_QUERY_CONTEXT_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")


def spark_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The `spark:` section of a loaded configuration (defaults already merged in)."""
    return config["spark"]


def _import_pyspark():
    with warnings.catch_warnings():  # PySpark warns about pandas 3 on import; pandas never
        warnings.simplefilter("ignore", FutureWarning)  # crosses into Spark here (Arrow only)
        from pyspark.sql import SparkSession
    return SparkSession


def get_session(settings: dict[str, Any]):
    """The active SparkSession, or a new one configured from `settings`."""
    spark_session = _import_pyspark()
    active = spark_session.getActiveSession()
    builder = spark_session.builder.appName(str(settings["app_name"]))
    if settings.get("master"):
        builder = builder.master(str(settings["master"]))
    for key, value in (settings.get("conf") or {}).items():
        builder = builder.config(str(key), _conf_value(value))
    session = active or builder.getOrCreate()
    if active is not None:  # e.g. a Databricks job: runtime settings still apply
        for key, value in (settings.get("conf") or {}).items():
            _set_runtime(session, str(key), _conf_value(value))
    if session.sparkContext.master.startswith("local"):
        for key, value in (settings.get("local_conf") or {}).items():
            _set_runtime(session, str(key), _conf_value(value))
    session.sparkContext.setLogLevel(str(settings["log_level"]))
    for name in _QUERY_CONTEXT_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    log.info("Spark %s, master %s", session.version, session.sparkContext.master)
    return session


def _conf_value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _set_runtime(session, key: str, value: str) -> None:
    """Set a runtime setting; static ones (fixed when the JVM started) are left as they are."""
    try:
        session.conf.set(key, value)
    except Exception as exc:  # Spark raises AnalysisException for a static setting
        log.info("Spark setting %s not changed on the running session: %s", key, exc)
