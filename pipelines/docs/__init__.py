"""Docs generated from the code, so they cannot drift: `python -m pipelines.docs` rewrites
docs/data_contract.md (from contract.yml; data_contract.py), docs/metrics.md (from the metric
registry; metrics_reference.py) and the metric table in README.md (readme_table.py);
tests/test_docs.py fails when a committed file differs from what this produces."""

from __future__ import annotations

import sys
from pathlib import Path

from .data_contract import contract_markdown
from .markdown import DOCS, README
from .metrics_reference import analysis_markdown, metrics_markdown
from .readme_table import readme_with_metric_table

__all__ = [
    "analysis_markdown",
    "contract_markdown",
    "generated_docs",
    "main",
    "metrics_markdown",
    "readme_with_metric_table",
]


def generated_docs() -> dict[Path, str]:
    """Each generated file's path and the text it must hold."""
    docs = {DOCS / "data_contract.md": contract_markdown(), DOCS / "metrics.md": metrics_markdown()}
    if README.exists():
        docs[README] = readme_with_metric_table(README.read_text(encoding="utf-8"))
    return docs


def main() -> int:
    for path, text in generated_docs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        sys.stdout.write(f"wrote {path}\n")
    return 0
