"""The input data contract (contract.yml) as typed objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

TYPES = {"string", "category", "label", "enum", "date", "month", "integer", "decimal", "money", "boolean", "currency"}
FAMILIES = ("hr", "recruiting", "procurement", "reference", "voice")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    min_exclusive: float | None = None
    default: str | None = None
    example: str = ""
    description: str = ""


@dataclass(frozen=True)
class Table:
    name: str  # e.g. hr__employees (source__entity, as in dbt staging names)
    path: str  # e.g. hr/employees.csv, relative to the data folder
    family: str
    required: bool
    description: str
    columns: dict[str, Column]
    primary_key: tuple[str, ...] = ()
    references: dict[str, str] = field(default_factory=dict)
    checks: tuple[dict[str, Any], ...] = ()
    weight_ids: tuple[str, ...] | None = None  # None: rows may not carry a weight (mapping_weight)

    @property
    def key(self) -> str:
        """The mapping key users write in equity.yml: the path without `.csv`."""
        return self.path.removesuffix(".csv")


def _column(name: str, spec: dict[str, Any]) -> Column:
    if spec["type"] not in TYPES:
        raise ValueError(f"contract column {name}: unknown type {spec['type']}")
    return Column(
        name=name,
        type=spec["type"],
        required=bool(spec.get("required", False)),
        values=tuple(spec.get("values", ())),
        min=spec.get("min"),
        max=spec.get("max"),
        min_exclusive=spec.get("min_exclusive"),
        default=None if spec.get("default") is None else str(spec["default"]),
        example=str(spec.get("example", "")),
        description=spec.get("description", ""),
    )


@lru_cache(maxsize=1)
def load_contract() -> dict[str, Table]:
    """All contract tables, in file order (which is also the load order: references point back)."""
    text = resources.files("pipelines").joinpath("contract.yml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["tables"]
    tables: dict[str, Table] = {}
    for name, spec in raw.items():
        tables[name] = Table(
            name=name,
            path=spec["path"],
            family=spec["family"],
            required=bool(spec.get("required", False)),
            description=spec.get("description", ""),
            columns={c: _column(c, s) for c, s in spec["columns"].items()},
            primary_key=tuple(spec.get("primary_key", ())),
            references=dict(spec.get("references", {})),
            checks=tuple(spec.get("checks", ())),
            weight_ids=tuple(spec["weight_ids"]) if "weight_ids" in spec else None,
        )
    return tables


def table_for_key(key: str) -> Table | None:
    """The contract table a mapping key (`hr/employees`, `hr/employees.csv` or `hr__employees`) names."""
    key = key.removesuffix(".csv")
    for table in load_contract().values():
        if key in (table.key, table.name):
            return table
    return None
