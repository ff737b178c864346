"""Report sections: what each metric family contributes to the PDF snapshot (and any other
static report), built from the same suppressed tables and figure builders as the dashboard.

A family's section `dashboard/families/<family>/section.py` exposes `build_section(con, k, period)`
returning a Section, or None when its data is not loaded, and optionally
`findings(con, k, period) -> list[Finding]`: flagged findings in plain language (an adverse
impact ratio below 0.8, a pay category gap of 5% or more, an expiring certification) for
the Overview and the executive summary (dashboard/finding.py: each with its size and certainty,
by which the PDF's summary page ranks them). Tables in blocks are display
tables (already suppressed and formatted); figures are plotly figures; `alt` is the
alternative text for the figure and `summary` the sentence(s) printed under it.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

from ..block import Block, Section  # noqa: F401 (re-exported: families import them from here too)
from ..finding import Finding


def _modules():
    """Every family's section module, dashboard/families/<family>/section.py, by family name."""
    from .. import families as family_packages

    for info in sorted(pkgutil.iter_modules(family_packages.__path__), key=lambda m: m.name):
        name = f"{family_packages.__name__}.{info.name}.section"
        if info.ispkg and importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def family_of(module) -> str:
    """The family a section module belongs to: `hiring` for dashboard.families.hiring.section."""
    return module.__name__.split(".")[-2]


def _family_meta(module) -> dict:
    from pipelines.metrics import families

    name = family_of(module)
    return families().get(name, {"title": name.replace("_", " ").capitalize(), "order": 99})


def family_sections(con, k: int, period: str = "year") -> list[Section]:
    """Every family's section whose data is loaded, in registry order. From a Spark results
    database, a section that needs person-level tables says so instead of failing the report."""
    from pipelines.metrics import KEPT_ON_CLUSTER, NoDataError, stayed_on_cluster

    out = []
    for module in _modules():
        try:
            section = module.build_section(con, k, period)
        except Exception as exc:
            # a metric the data cannot support (pipelines/metrics/_snapshots.py) says why
            why = str(exc) if isinstance(exc, NoDataError) else None
            if why is None and not stayed_on_cluster(con, exc):
                raise
            meta = _family_meta(module)
            section = Section(
                family=family_of(module),
                title=meta["title"],
                intro=f"This section is not part of this report: {why or KEPT_ON_CLUSTER}.",
                order=meta.get("order", 99),
            )
        if section is not None:
            out.append(section)
    return sorted(out, key=lambda s: s.order)


def family_findings(con, k: int, period: str = "year") -> list[Finding]:
    """Flagged findings from every family that defines them, family by family."""
    from pipelines.metrics import KEPT_ON_CLUSTER, stayed_on_cluster

    out: list[Finding] = []
    for module in _modules():
        if hasattr(module, "findings"):
            family = family_of(module)
            try:
                out.extend(f if isinstance(f, Finding) else Finding(f, family) for f in module.findings(con, k, period))
            except Exception as exc:
                if not stayed_on_cluster(con, exc):
                    raise
                out.append(
                    Finding(f"{_family_meta(module)['title']}: findings not checked here; {KEPT_ON_CLUSTER}.", family)
                )
    return out
