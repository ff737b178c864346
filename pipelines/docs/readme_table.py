"""README.md with its metric table regenerated from the registry."""

from __future__ import annotations

import re

from ..metrics import registry

_TABLE = re.compile(r"(<!-- metrics:start -->\n).*?(<!-- metrics:end -->)", re.S)


def readme_with_metric_table(text: str) -> str:
    """README with the block between the metrics markers regenerated from the registry."""
    rows = ["| metric | family | title | unit | interval |", "|---|---|---|---|---|"]
    rows += [f"| `{s.name}` | {s.family} | {s.title} | {s.unit} | {s.ci} |" for s in registry().values()]
    return _TABLE.sub(lambda m: m.group(1) + "\n".join(rows) + "\n" + m.group(2), text)
