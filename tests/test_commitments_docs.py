"""docs/commitments.md stays complete: every register field and every `commitments` setting
is documented (with its default), and the README and the data contract link to it."""

from __future__ import annotations

from pathlib import Path

from pipelines.families.commitments.register import FIELDS, STATUSES
from pipelines.config import default_config

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "commitments.md").read_text(encoding="utf-8")


def test_every_register_field_and_status_is_documented():
    for name in FIELDS:
        assert f"`{name}`" in DOC, name
    for status in STATUSES:
        assert f"`{status}`" in DOC, status


def test_every_setting_is_documented_with_its_default():
    for name, value in default_config()["commitments"].items():
        shown = f"`{value}`".replace("'", "") if not isinstance(value, list) else f"`[{', '.join(map(str, value))}]`"
        assert f"| `{name}` | {shown} |" in DOC, name


def test_readme_and_data_contract_link_the_page():
    assert "(docs/commitments.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(commitments.md)" in (ROOT / "docs" / "data_contract.md").read_text(encoding="utf-8")
