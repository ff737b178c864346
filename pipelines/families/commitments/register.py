"""The commitments register: `commitments.yml` in the data folder, parsed and checked.

Each entry says what the organisation promised, who owns it, which registry metric (group,
breakdown, filters, key values) shows its impact, the baseline period, the target and due
date, its status and the actions taken so far. Errors name the file, the line of the entry,
the commitment id and the field, so a committee secretary can fix the file without reading
code. Checks that need the data (the baseline period exists, the group occurs, the event is
loaded) run at build time in `pipelines.families.commitments.store`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...errors import DataError
from ...metrics import MAX_DIMS, MetricSpec, registry
from ...paths import resolve_source_path
from ...formatting import group_label

FILE_NAME = "commitments.yml"
STATUSES = ("planned", "in_progress", "done", "dropped")
FIELDS = {
    "id",
    "title",
    "announced",
    "owner",
    "metric",
    "dimensions",
    "group",
    "filters",
    "keys",
    "baseline_period",
    "target",
    "due",
    "status",
    "actions",
    "event",
}
REQUIRED = ("id", "title", "announced", "owner", "metric", "baseline_period", "target", "due", "status")
ACTION_FIELDS = {"date", "action"}
# Ids are shown in tables, used in file names of downloads and as keys of the review log.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


@dataclass(frozen=True)
class Action:
    date: dt.date
    text: str


@dataclass(frozen=True)
class Commitment:
    id: str
    title: str
    announced: dt.date
    owner: str
    metric: str
    dims: tuple[str, ...]
    group: str  # "|"-joined as in the long table; "All" without dims
    baseline_period: str
    target: float
    due: dt.date
    status: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()
    event: str | None = None
    line: int | None = None

    @property
    def spec(self) -> MetricSpec:
        return registry()[self.metric]

    @property
    def linked_label(self) -> str:
        """'Representation, Woman (job_level in L5, L6)': the metric, group and selection."""
        where = [f"{d.replace('_', ' ')} in {', '.join(v)}" for d, v in self.filters.items()]
        where += [f"{k} = {v}" for k, v in self.keys.items()]
        selection = f" ({'; '.join(where)})" if where else ""
        return f"{self.spec.title}, {group_label(self.group)}{selection}"


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


class _Entry:
    """Error messages for one entry: file, line, commitment id and field."""

    def __init__(self, source: str, index: int, raw: dict, line: int | None):
        self.source, self.line = source, line
        self.name = f"commitment {raw.get('id')!r}" if raw.get("id") not in (None, "") else f"commitment #{index + 1}"

    def error(self, field_name: str | None, message: str) -> DataError:
        where = f"{self.name}, field '{field_name}'" if field_name else self.name
        return DataError(f"{where}: {message}", file=self.source, line=self.line)


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit dates: `2021-13-01` stays text, so the commitment's own
    check reports it with the id and the field instead of a bare YAML error."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _entry_lines(text: str) -> list[int | None]:
    """Line (1-based) where each item of the `commitments` list starts, for error messages."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "commitments" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def read_register(data_dir: Path) -> list[Commitment] | None:
    """The parsed register of `data_dir`, or None when the folder has no commitments.yml."""
    path = Path(data_dir) / FILE_NAME
    resolve_source_path(data_dir, FILE_NAME)  # a symlink out of the data folder is refused
    if not path.exists():
        return None
    return parse_register(path.read_text(encoding="utf-8-sig"), source=str(path))


def parse_register(text: str, source: str = FILE_NAME) -> list[Commitment]:
    """Commitments from YAML text: `commitments: [{id, title, ...}, ...]`."""
    try:
        doc = yaml.load(text, Loader=_Loader) or {}  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            f"is not valid YAML ({getattr(exc, 'problem', exc)})", file=source, line=mark.line + 1 if mark else None
        ) from None
    if not isinstance(doc, dict) or set(doc) - {"commitments"}:
        raise DataError("must be a mapping with one key, `commitments:`, holding a list of commitments", file=source)
    items = doc.get("commitments") or []
    if not isinstance(items, list):
        raise DataError("`commitments:` must be a list of commitments", file=source)
    lines = _entry_lines(text)
    out: list[Commitment] = []
    seen: set[str] = set()
    for i, raw in enumerate(items):
        line = lines[i] if i < len(lines) else None
        if not isinstance(raw, dict):
            raise DataError(f"commitment #{i + 1} must be a mapping of fields", file=source, line=line)
        c = _commitment(raw, _Entry(source, i, raw, line))
        if c.id in seen:
            raise _Entry(source, i, raw, line).error("id", "the id is used by an earlier commitment")
        seen.add(c.id)
        out.append(c)
    return out


def _commitment(raw: dict, entry: _Entry) -> Commitment:
    unknown = sorted(set(map(str, raw)) - FIELDS)
    if unknown:
        raise entry.error(unknown[0], f"unknown field; known fields: {', '.join(sorted(FIELDS))}")
    for name in REQUIRED:
        if raw.get(name) in (None, ""):
            raise entry.error(name, "is required")
    cid = str(raw["id"]).strip()
    if not ID_PATTERN.match(cid):
        raise entry.error("id", "use 1-40 letters, digits, '.', '_' or '-', starting with a letter or digit")
    spec = registry().get(str(raw["metric"]))
    if spec is None:
        raise entry.error("metric", f"unknown metric {raw['metric']!r}; `equity list` shows the registry")
    dims, group = _linked_group(raw, spec, entry)
    dates = {}
    for name in ("announced", "due"):
        try:
            dates[name] = _as_date(raw[name])
        except (TypeError, ValueError):
            raise entry.error(name, f"{raw[name]!r} is not a date (YYYY-MM-DD)") from None
    if dates["due"] <= dates["announced"]:
        raise entry.error("due", f"the due date {dates['due']} is not after the announcement {dates['announced']}")
    status = str(raw["status"]).strip()
    if status not in STATUSES:
        raise entry.error("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    return Commitment(
        id=cid,
        title=str(raw["title"]).strip(),
        announced=dates["announced"],
        owner=str(raw["owner"]).strip(),
        metric=spec.name,
        dims=tuple(dims),
        group="|".join(group) or "All",
        baseline_period=str(raw["baseline_period"]).strip(),
        target=_target(raw["target"], spec, entry),
        due=dates["due"],
        status=status,
        filters=_filters(raw.get("filters"), spec, entry),
        keys=_keys(raw.get("keys"), spec, entry),
        actions=_actions(raw.get("actions"), entry),
        event=str(raw["event"]).strip() if raw.get("event") not in (None, "") else None,
        line=entry.line,
    )


def _linked_group(raw: dict, spec: MetricSpec, entry: _Entry) -> tuple[list[str], list[str]]:
    dims, group = _as_list(raw.get("dimensions")), _as_list(raw.get("group"))
    bad = [d for d in dims if d not in spec.dimensions]
    if bad:
        raise entry.error(
            "dimensions",
            f"{spec.name} cannot be broken down by {', '.join(bad)}; allowed: {', '.join(spec.dimensions)}",
        )
    if len(dims) > MAX_DIMS or len(set(dims)) != len(dims):
        raise entry.error("dimensions", f"name at most {MAX_DIMS} different dimensions")
    if group == ["All"] and not dims:
        group = []
    if len(dims) != len(group):
        raise entry.error(
            "group",
            f"give one group value per dimension ({len(dims)} dimension(s), "
            f"{len(group)} value(s)); leave both out for everyone",
        )
    # the long table joins intersectional groups with '|' and shows a '|' inside a value as '/'
    return dims, [g.replace("|", "/") for g in group]


def _target(value: Any, spec: MetricSpec, entry: _Entry) -> float:
    if isinstance(value, bool):
        raise entry.error("target", "must be a number")
    try:
        target = float(value)
    except (TypeError, ValueError):
        raise entry.error("target", f"{value!r} is not a number") from None
    if spec.unit == "share" and not 0 <= target <= 1:
        raise entry.error(
            "target",
            f"{spec.name} is a share: give the target as a fraction between 0 and 1 (15% = 0.15), not {value!r}",
        )
    return target


def _filters(value: Any, spec: MetricSpec, entry: _Entry) -> dict[str, list[str]]:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise entry.error("filters", "must be a mapping of dimension to value(s), e.g. {job_level: [L4, L5]}")
    out = {str(d): _as_list(v) for d, v in value.items()}
    bad = [d for d in out if d not in spec.dimensions]
    if bad:
        raise entry.error(
            "filters", f"{spec.name} cannot be filtered by {', '.join(bad)}; allowed: {', '.join(spec.dimensions)}"
        )
    empty = [d for d, v in out.items() if not v]
    if empty:
        raise entry.error("filters", f"give at least one value for {', '.join(empty)}")
    return out


def _keys(value: Any, spec: MetricSpec, entry: _Entry) -> dict[str, str]:
    given = value or {}
    if not isinstance(given, dict):
        raise entry.error("keys", "must be a mapping such as {spend_base: addressable}")
    given = {str(k): str(v) for k, v in given.items()}
    if not spec.keys and given:
        raise entry.error("keys", f"{spec.name} has no key columns; remove `keys`")
    if set(given) != set(spec.keys):
        raise entry.error(
            "keys",
            f"{spec.name} has one table per {', '.join(spec.keys)}: give a value for "
            f"exactly these keys (got {', '.join(given) or 'none'})",
        )
    return given


def _actions(value: Any, entry: _Entry) -> tuple[Action, ...]:
    if value in (None, []):
        return ()
    if not isinstance(value, list):
        raise entry.error("actions", "must be a list of {date, action}")
    out = []
    for j, item in enumerate(value):
        if not isinstance(item, dict) or set(map(str, item)) - ACTION_FIELDS or not item.get("action"):
            raise entry.error(f"actions[{j}]", "each action needs exactly `date` and `action` (the text)")
        try:
            when = _as_date(item.get("date"))
        except (TypeError, ValueError):
            raise entry.error(f"actions[{j}].date", f"{item.get('date')!r} is not a date (YYYY-MM-DD)") from None
        out.append(Action(date=when, text=str(item["action"]).strip()))
    return tuple(sorted(out, key=lambda a: a.date))
