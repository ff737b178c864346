"""Docs kept honest by tests (datasette-style): generated docs match the code, every
metric and every contract file is documented, every staged table has a suite."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipelines.contract import load_contract
from pipelines.docs import generated_docs
from pipelines.metrics import registry
from pipelines.models import load_models

ROOT = Path(__file__).resolve().parent.parent


def test_generated_docs_are_committed_and_current():
    for path, text in generated_docs().items():
        assert path.exists(), f"{path} missing: run `make docs`"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run `make docs`"


def test_every_metric_has_a_section_in_the_metric_reference():
    text = (ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    for name, spec in registry().items():
        assert f"### `{name}` - {spec.title}" in text
        assert spec.definition and spec.formula and spec.ci_method, name


def test_every_contract_file_and_column_is_documented():
    text = (ROOT / "docs" / "data_contract.md").read_text(encoding="utf-8")
    for table in load_contract().values():
        assert f"## `{table.path}`" in text
        for col in table.columns:
            assert f"| `{col}` |" in text, (table.path, col)


def test_every_staged_table_has_an_expectation_suite():
    staged = {n for n, m in load_models().items() if m.layer == "staging"}
    suites = {p.stem for p in (ROOT / "expectations").glob("*.json")}
    assert staged == suites
    for path in (ROOT / "expectations").glob("*.json"):
        suite = json.loads(path.read_text())
        assert suite["expectations"], path.name
        for exp in suite["expectations"]:
            assert exp["severity"] in ("critical", "warning"), path.name
            assert exp["meta"]["why"], (path.name, exp["type"])


def test_every_sql_model_says_what_one_row_is():
    for model in load_models().values():
        first = model.sql.lstrip().splitlines()[0]
        assert first.startswith("--"), f"{model.path.name} has no header comment"
    # staging models only rename and cast: no joins
    for model in load_models().values():
        if model.layer == "staging":
            assert not re.search(r"\bjoin\b", model.sql, re.I), model.path.name


def test_readme_lists_every_metric():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in registry():
        assert f"`{name}`" in text, f"README does not mention {name}"
