"""Metric registry and engine.

    >>> from pipelines.metrics import registry, metric_frame
    >>> mf = metric_frame(con, "turnover_rate", by=["gender"])
    >>> mf.overall, mf.by_group, mf.difference(), mf.ratio()

`compute()` returns the long table (LONG_COLUMNS) with suppression applied; `MetricFrame`
wraps it with fairlearn-style views.
"""
from ._engine import LONG_COLUMNS, MAX_DIMS, NoDataError, build_context, compute
from ._frame import all_dimensions, dimension_sets
from ._periods import GRAINS, Period, make_periods
from ._registry import MetricSpec, families, registry
from ._results import KEPT_ON_CLUSTER, NotPrecomputedError, stayed_on_cluster
from ._view import MetricFrame, metric_frame

__all__ = ["LONG_COLUMNS", "MAX_DIMS", "GRAINS", "MetricFrame", "MetricSpec", "NoDataError", "NotPrecomputedError", "KEPT_ON_CLUSTER", "stayed_on_cluster", "Period",
           "all_dimensions", "build_context", "compute", "dimension_sets", "families",
           "make_periods", "metric_frame", "registry"]
