"""`equity map` on each real dataset folder (../shared/data/real) against the committed
examples/<dataset>/equity.yml: the two may differ only in the keys the example's README lists
under "Starting from `equity map`" (one bullet per edit, starting with the key path in
backquotes, `mapping.recruiting/applications.weight`), and every key listed must be one that
differs. So the README's list of edits a person must make is checked to be exact and
complete. What is compared is the configuration the build uses (the parsed YAML over
pipelines/defaults.yml), so comments, and a default stated for the reader (`privacy.k: 5`),
are not edits. Skipped when the data are absent."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from pipelines.config import with_defaults
from pipelines.mapping_draft import draft_config
from tests.conftest import REAL_DATA, ROOT

EXAMPLES = [
    "huebner_hr_v14",
    "ibm_hr_attrition",
    "montgomery_salaries",
    "prof_salaries",
    "resume_callbacks",
    "supplier_certified",
    "ucb_admissions",
]
SECTION = "## Starting from `equity map`"


def differing_keys(draft, committed, prefix: str = "") -> list[str]:
    """Dotted key paths where the two parsed documents differ (a key in one only, or another
    value); dicts are compared key by key, anything else as a whole."""
    if not (isinstance(draft, dict) and isinstance(committed, dict)):
        return [] if draft == committed else [prefix]
    out = []
    for key in [*draft, *(k for k in committed if k not in draft)]:
        path = f"{prefix}.{key}" if prefix else str(key)
        if key not in draft or key not in committed:
            out.append(path)
        else:
            out += differing_keys(draft[key], committed[key], path)
    return out


def documented_edits(readme: str) -> list[str]:
    """The key paths of the README's bullets under the `equity map` section."""
    assert SECTION in readme, f"README has no '{SECTION}' section"
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `([^`]+)`", section, flags=re.MULTILINE)


def test_differing_keys_walks_nested_mappings():
    draft = {"a": 1, "m": {"t": {"file": "x.csv", "columns": {"id": "rownames"}}}}
    committed = {
        "a": 1,
        "o": "Org",
        "m": {"t": {"file": "x.csv", "weight": "Freq", "columns": {"id": "rownames", "date": {"value": "1973-01-01"}}}},
    }
    assert set(differing_keys(draft, committed)) == {"o", "m.t.weight", "m.t.columns.date"}
    assert differing_keys(draft, draft) == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_draft_differs_from_the_example_only_where_the_readme_says(name, tmp_path):
    source = REAL_DATA / name
    if not source.is_dir():
        pytest.skip(f"real data not present at {source} (../shared/data/real)")
    folder = tmp_path / name
    folder.mkdir()
    for csv in source.glob("*.csv"):  # the raw folder as a user has it: CSVs only
        shutil.copy(csv, folder)
    draft = yaml.safe_load(draft_config(folder, out=tmp_path / "draft.yml").path.read_text(encoding="utf-8"))
    draft = with_defaults(draft)
    example = ROOT / "examples" / name
    committed = with_defaults(yaml.safe_load((example / "equity.yml").read_text(encoding="utf-8")))
    edits = documented_edits((example / "README.md").read_text(encoding="utf-8"))
    differs = differing_keys(draft, committed)

    def covered(path: str, by: str) -> bool:
        return path == by or path.startswith(by + ".")

    assert [p for p in differs if not any(covered(p, e) for e in edits)] == [], "edits the README does not list"
    assert [e for e in edits if not any(covered(p, e) for p in differs)] == [], "README edits that are not made"
