"""Statutory rule packs: one versioned YAML file per jurisdiction in this folder.

A pack holds what the law decides - the categories compared, the reference category, the
minimum counts, the snapshot date, the pay definition, which measures are published and how
they are rounded - each with the article or regulation it implements and the date of the
version implemented. The code (pipelines/families/pay/statutory/*.py) implements the mechanisms
a pack names (`mechanism:`) and never hard-codes a threshold of a particular law.

A data folder selects packs in equity.yml (`reporting: [uk_gpg_2017, eu_2023_970]`) and may
change the choices a pack declares under `settings:` (e.g. a member state's Art. 10 choice)
with `rule_settings: {eu_2023_970: {art10_direction: women_paid_less}}`; nothing else of a
pack can be changed from equity.yml, so a report always says which law it follows.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ..errors import UsageError

MECHANISMS = ("pay_gap_report", "egapro_index", "impact_ratio_audit")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
REQUIRED_KEYS = (
    "name",
    "title",
    "jurisdiction",
    "law",
    "version",
    "pack_version",
    "source",
    "mechanism",
    "requires",
    "settings",
    "rules",
)


@dataclass(frozen=True)
class Pack:
    name: str
    spec: dict[str, Any]  # the YAML, with equity.yml rule_settings applied to `settings`

    @property
    def title(self) -> str:
        return self.spec["title"]

    @property
    def version(self) -> str:
        """The date of the version of the law this pack implements (ISO)."""
        return str(self.spec["version"])

    @property
    def label(self) -> str:
        """'uk_gpg_2017 (pack 1, law as of 2017-04-06)' - printed on every report."""
        return f"{self.name} (pack {self.spec['pack_version']}, law as of {self.version})"

    @property
    def settings(self) -> dict[str, Any]:
        return self.spec["settings"]

    def rule(self, rule_id: str) -> dict[str, Any]:
        for r in self.spec["rules"]:
            if r["id"] == rule_id:
                return r
        raise KeyError(rule_id)

    def cite(self, rule_id: str) -> str:
        return self.rule(rule_id)["cite"]


def _folder():
    return resources.files(__name__)


def pack_names() -> list[str]:
    return sorted(p.name[:-4] for p in _folder().iterdir() if p.name.endswith(".yml"))


def _raw(name: str) -> dict[str, Any]:
    if not _NAME.match(str(name)) or name not in pack_names():
        raise UsageError(f"unknown rule pack {name!r}; known: {', '.join(pack_names())} (`equity rules list`)")
    return yaml.safe_load(_folder().joinpath(f"{name}.yml").read_text(encoding="utf-8"))


def check_pack(name: str, spec: dict[str, Any]) -> None:
    """A malformed pack is a programming error caught by tests; say exactly what is wrong."""
    missing = [k for k in REQUIRED_KEYS if k not in spec]
    if missing:
        raise ValueError(f"rule pack {name}: missing key(s) {', '.join(missing)}")
    if spec["name"] != name:
        raise ValueError(f"rule pack {name}: `name` is {spec['name']!r}, not the file name")
    if spec["mechanism"] not in MECHANISMS:
        raise ValueError(f"rule pack {name}: unknown mechanism {spec['mechanism']!r}")
    dt.date.fromisoformat(str(spec["version"]))
    for rule in spec["rules"]:
        if not rule.get("id") or not rule.get("cite") or not rule.get("text"):
            raise ValueError(f"rule pack {name}: every rule needs id, cite and text ({rule})")
    for req in spec["requires"]:
        if not req.get("file") or not req.get("why"):
            raise ValueError(f"rule pack {name}: every requirement needs file and why ({req})")


def load_pack(name: str, config: dict[str, Any] | None = None) -> Pack:
    """The pack, with the data folder's `rule_settings.<name>` applied to its settings."""
    spec = _raw(name)
    check_pack(name, spec)
    overrides = ((config or {}).get("rule_settings") or {}).get(name) or {}
    if not isinstance(overrides, dict):
        raise UsageError(f"rule_settings.{name} must be a mapping of the pack's settings")
    unknown = sorted(set(overrides) - set(spec["settings"]))
    if unknown:
        raise UsageError(
            f"rule_settings.{name}: unknown setting(s) {', '.join(unknown)}; the pack "
            f"declares: {', '.join(sorted(spec['settings'])) or 'none'}"
        )
    spec = copy.deepcopy(spec)
    for key, value in overrides.items():
        allowed = (spec.get("setting_choices") or {}).get(key)
        if allowed is not None and value not in allowed:
            raise UsageError(
                f"rule_settings.{name}.{key} must be one of {', '.join(map(str, allowed))} (got {value!r})"
            )
        spec["settings"][key] = value
    return Pack(name=name, spec=spec)


def selected_packs(config: dict[str, Any]) -> list[Pack]:
    """The packs equity.yml `reporting:` selects, in that order."""
    names = config.get("reporting") or []
    if not isinstance(names, list):
        raise UsageError("reporting must be a list of rule pack names, e.g. [uk_gpg_2017]")
    return [load_pack(str(n), config) for n in names]


def check_selection(config: dict[str, Any], source: str) -> None:
    """equity.yml names only packs that exist, and sets only settings they declare."""
    from ..errors import DataError

    try:
        selected_packs(config)
        for name in config.get("rule_settings") or {}:
            load_pack(str(name), config)
    except UsageError as exc:
        raise DataError(str(exc), file=source) from None
