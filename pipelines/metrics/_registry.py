"""The metric registry: one YAML file per family, `pipelines/families/<family>/metrics.yml`
beside the family's `metrics.py`.

The CLI, the dashboard, the PDF, the methodology docs and the tests all iterate this one
registry; a metric is defined once.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import yaml

from ._frame import dimension_sets

UNITS = {"count", "share", "rate", "ratio", "percent", "days", "months", "currency", "score", "index"}
CI_METHODS = {"wilson", "poisson", "none", "custom"}
FIELDS = {
    "name",
    "family",
    "title",
    "definition",
    "formula",
    "unit",
    "numerator",
    "denominator",
    "n",
    "ci",
    "ci_method",
    "higher_is_better",
    "dimensions",
    "function",
    "requires",
    "references",
    "notes",
    "headline",
    "keys",
    "k_setting",
    "protection",
    "counts",
    "needs_individual_rows",
    "display",
    "from_snapshots",
    "same_people_across",
}
PROTECTION_RULES = {"count", "ratio", "gap", "own", "survival"}  # how a protected value follows from its parts
# A registry `display:` hint lets a page draw the metric with no page code of its own
# (dashboard/hinted.py draws each chart kind; docs/adding_a_metric.md walks through one)
DISPLAY_CHARTS = {"trend", "bar"}
DISPLAY_FIELDS = {"page", "chart", "section", "format", "axis"}
_PAGE_NAME = re.compile(r"^[a-z][a-z_]*$")  # a page name of dashboard/pages.py PAGES (checked by the tests)


@dataclass(frozen=True)
class Display:
    """Where and how a page shows a metric: `page` (a page name of dashboard/pages.py), `chart`
    (trend: one line per group over the periods; bar: the groups' values in one period, one
    bar group per key value), `section` (the heading above it), `format` (a unit whose number
    format the values and axis take) and `axis` (the value axis title)."""

    page: str
    chart: str
    section: str
    format: str
    axis: str


@dataclass(frozen=True)
class MetricSpec:
    name: str
    family: str
    title: str
    definition: str
    formula: str
    unit: str
    numerator: str
    denominator: str
    n: str
    ci: str
    ci_method: str
    higher_is_better: bool | None
    dimensions: tuple[str, ...]
    function: str
    requires: tuple[str, ...]
    references: tuple[str, ...] = ()
    notes: str = ""
    headline: bool = False
    keys: tuple[str, ...] = ()  # extra key columns (e.g. funnel stage): one table per key value
    k_setting: str = "privacy.k"  # which setting gives the suppression threshold
    display: Display | None = None  # a page draws it from this hint alone (no page code)
    extra: dict[str, Any] = field(default_factory=dict)

    def load_function(self) -> Callable:
        module, _, attr = self.function.partition(":")
        return getattr(importlib.import_module(module), attr)


def _dimensions(value) -> tuple[str, ...]:
    sets = dimension_sets()
    names: list[str] = []
    for item in [value] if isinstance(value, str) else list(value or []):
        names.extend(sets[item]) if item in sets else names.append(item)
    return tuple(dict.fromkeys(names))


def _display(entry: dict[str, Any], source: str) -> Display | None:
    hint = entry.get("display")
    if hint is None:
        return None
    where = f"{source}: metric {entry['name']}: display"
    if not isinstance(hint, dict):
        raise ValueError(f"{where} must be a mapping of {sorted(DISPLAY_FIELDS)}")
    unknown = set(hint) - DISPLAY_FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    if not _PAGE_NAME.match(str(hint.get("page", ""))):
        raise ValueError(f"{where}: page must name a dashboard page (e.g. hiring)")
    if hint.get("chart") not in DISPLAY_CHARTS:
        raise ValueError(f"{where}: chart must be one of {sorted(DISPLAY_CHARTS)}")
    if hint["chart"] == "trend" and entry.get("keys"):
        # one table per key value: a line per group and key would not read; a bar chart does
        raise ValueError(f"{where}: a metric with keys ({', '.join(entry['keys'])}) is drawn as a bar chart")
    if not str(hint.get("section") or "").strip():
        raise ValueError(f"{where}: section (the heading shown above the chart) is required")
    fmt = hint.get("format", entry["unit"])
    if fmt not in UNITS:
        raise ValueError(f"{where}: format must be one of {sorted(UNITS)}")
    return Display(
        page=hint["page"],
        chart=hint["chart"],
        section=str(hint["section"]).strip(),
        format=fmt,
        axis=str(hint.get("axis") or entry["title"]).strip(),
    )


def _check_same_people(entry: dict[str, Any], source: str) -> None:
    """`same_people_across: {n: [source]}` says a count holds the same people in every table of
    those keys (source_mix's n is the group's applications whatever the source): its noise is
    drawn once for all of them, or the tables would publish independent draws to average."""
    declared = entry.get("same_people_across")
    if declared is None:
        return
    where = f"{source}: metric {entry.get('name')}: same_people_across"
    if not isinstance(declared, dict):
        raise ValueError(f"{where} must map a count column to a list of key columns")
    for column, keys in declared.items():
        if column not in ("n", "numerator", "denominator"):
            raise ValueError(f"{where}: {column!r} is not a count column (n, numerator, denominator)")
        if not isinstance(keys, list) or not keys or any(k not in entry.get("keys", []) for k in keys):
            raise ValueError(f"{where}: {column} must list some of the metric's keys {entry.get('keys', [])}")


def _spec(entry: dict[str, Any], family: str, source: str) -> MetricSpec:
    unknown = set(entry) - FIELDS
    if unknown:
        raise ValueError(f"{source}: metric {entry.get('name')}: unknown field(s) {sorted(unknown)}")
    if entry["unit"] not in UNITS:
        raise ValueError(f"{source}: metric {entry['name']}: unit must be one of {sorted(UNITS)}")
    if entry.get("protection", "count") not in PROTECTION_RULES:
        raise ValueError(f"{source}: metric {entry['name']}: protection must be one of {sorted(PROTECTION_RULES)}")
    if entry["ci"] not in CI_METHODS:
        raise ValueError(f"{source}: metric {entry['name']}: ci must be one of {sorted(CI_METHODS)}")
    _check_same_people(entry, source)
    return MetricSpec(
        name=entry["name"],
        family=entry.get("family", family),
        title=entry["title"],
        definition=entry["definition"].strip(),
        formula=entry["formula"].strip(),
        unit=entry["unit"],
        numerator=entry.get("numerator", "") or "",
        denominator=entry.get("denominator", "") or "",
        n=entry["n"],
        ci=entry["ci"],
        ci_method=entry["ci_method"].strip(),
        higher_is_better=entry.get("higher_is_better"),
        dimensions=_dimensions(entry.get("dimensions", [])),
        function=entry["function"],
        requires=tuple(entry.get("requires", [])),
        references=tuple(entry.get("references", [])),
        notes=(entry.get("notes") or "").strip(),
        headline=bool(entry.get("headline", False)),
        keys=tuple(entry.get("keys", [])),
        k_setting=entry.get("k_setting", "privacy.k"),
        display=_display(entry, source),
        extra={
            key: entry[key]
            for key in ("protection", "counts", "needs_individual_rows", "from_snapshots", "same_people_across")
            if key in entry
        },
    )


@lru_cache(maxsize=1)
def registry() -> dict[str, MetricSpec]:
    """Every registered metric, keyed by name, in family-file then file order."""
    specs: dict[str, MetricSpec] = {}
    for entry, doc in _family_documents():
        family = doc["family"]
        for item in doc["metrics"]:
            spec = _spec(item, family, entry.name)
            if spec.name in specs:
                raise ValueError(f"{entry.name}: metric {spec.name} is defined twice")
            specs[spec.name] = spec
    return specs


@lru_cache(maxsize=1)
def families() -> dict[str, dict[str, Any]]:
    """{family: {title, description, order, data_family, analyses, conventions}} from the family files' headers."""
    return {
        doc["family"]: {
            "title": doc["title"],
            "description": doc.get("description", ""),
            "order": doc.get("order", 99),
            "data_family": doc.get("data_family"),
            "analyses": doc.get("analyses", []),
            "conventions": doc.get("conventions", []),  # rules every metric of the family follows
        }
        for _, doc in _family_documents()
    }


@dataclass(frozen=True)
class _Source:
    """A family file as error messages name it: `families/hiring/metrics.yml`, not `metrics.yml`."""

    name: str
    path: Any  # importlib.resources Traversable

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.path.read_text(encoding=encoding)


def _family_files() -> list[_Source]:
    """Every family's registry file, pipelines/families/*/metrics.yml (a family without one,
    like commitments, has no registry metrics)."""
    out = []
    families_root = resources.files("pipelines").joinpath("families")
    if families_root.is_dir():
        for package in sorted(families_root.iterdir(), key=lambda p: p.name):
            candidate = package.joinpath("metrics.yml")
            if package.is_dir() and candidate.is_file():
                out.append(_Source(f"families/{package.name}/metrics.yml", candidate))
    return out


@lru_cache(maxsize=1)
def _family_documents() -> list[tuple[Any, dict[str, Any]]]:
    """(file, parsed YAML) of every family file, in the families' display order."""
    # libyaml's loader when present: the pure-Python one takes ~0.2 s here, most of `equity list`
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    docs = [
        (source, yaml.load(source.read_text(encoding="utf-8"), Loader=loader))  # noqa: S506 (safe loader)
        for source in _family_files()
    ]
    names = [doc["family"] for _, doc in docs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"family {', '.join(twice)} has two registry files: keep the one in pipelines/families/")
    return sorted(docs, key=lambda item: (item[1].get("order", 99), item[1]["family"]))
