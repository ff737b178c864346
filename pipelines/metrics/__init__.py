"""Metric registry and engine.

    >>> from pipelines.metrics import registry, metric_frame
    >>> mf = metric_frame(con, "turnover_rate", by=["gender"])
    >>> mf.overall, mf.by_group, mf.difference(), mf.ratio()

`compute()` returns the long table (LONG_COLUMNS) with suppression applied; `MetricFrame`
wraps it with fairlearn-style views.

Names are imported on first use (PEP 562): the engine pulls in DuckDB, pandas and SciPy
(seconds), and `equity list` / `--help` need only the registry, which reads YAML.
"""

from __future__ import annotations

import importlib

_SOURCES = {
    "LONG_COLUMNS": "_long",
    "MAX_DIMS": "_engine",
    "NoDataError": "_refusals",
    "build_context": "_context",
    "compute": "_engine",
    "data_periods": "_engine",
    "latest_full_data_period": "_engine",
    "all_dimensions": "_frame",
    "dimension_sets": "_frame",
    "GRAINS": "_periods",
    "Period": "_periods",
    "make_periods": "_periods",
    "full_periods": "_periods",
    "latest_full_period": "_periods",
    "full_period_rows": "_periods",
    "latest_full_period_rows": "_periods",
    "DISPLAY_CHARTS": "_registry",
    "Display": "_registry",
    "MetricSpec": "_registry",
    "families": "_registry",
    "registry": "_registry",
    "KEPT_ON_CLUSTER": "_results",
    "NotPrecomputedError": "_results",
    "stayed_on_cluster": "_results",
    "MetricFrame": "_view",
    "metric_frame": "_view",
}
__all__ = sorted(_SOURCES)


def __getattr__(name: str):
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{source}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SOURCES))
