"""README's "Project layout" and docs/architecture.md name the folders that exist, and every
folder that exists is named (issue 21): a moved or added package fails here until the docs
follow."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pipelines", "dashboard")


def tracked_dirs() -> tuple[set[str], set[str]]:
    """(top-level folders, package sub-folders like pipelines/metrics) holding tracked files."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    top = {f.split("/")[0] for f in files if "/" in f and not f.startswith(".")}
    sub = {"/".join(f.split("/")[:2]) for f in files if f.split("/")[0] in PACKAGES and f.count("/") >= 2}
    return top, sub


def layout_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Project layout", 1)[1]
    return section.split("```", 2)[1]


def named_in_layout() -> tuple[set[str], set[str]]:
    """Top-level folders (at the start of a line) and package sub-folders (`name/` on the
    lines of that package) named in the README's layout block."""
    top, sub, current = set(), set(), None
    for line in layout_block().splitlines():
        head = re.match(r"([A-Za-z_]+)/", line)
        if head:
            current = head.group(1)
            top.add(current)
        rest = line[head.end() :] if head else line
        for name in re.findall(r"(?:^|[\s·])([a-z_]+)/(?=[\s{]|$)", rest):
            if current in PACKAGES:
                sub.add(f"{current}/{name}")
            else:
                top.add(name)  # a second top-level folder on the same line (· docs/ ...)
    return top, sub


def test_readme_layout_names_every_folder_and_only_folders_that_exist():
    top, sub = tracked_dirs()
    named_top, named_sub = named_in_layout()
    assert named_top == top
    assert named_sub == sub


def test_architecture_names_every_package_folder():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    _, sub = tracked_dirs()
    missing = [d for d in sorted(sub) if f"`{d.split('/')[1]}/" not in text]
    assert missing == []
    for mentioned in re.findall(r"`((?:pipelines|dashboard)/[a-z_]+)/", text):
        assert mentioned in sub or mentioned.endswith("/families"), mentioned  # families: the planned move
