"""`python -m pipelines.cli` (how the snapshot tests and scripts call the CLI) registers every
family's commands: run as __main__, pipelines.cli is loaded a second time by the first family
module that imports it at module level, and that second load finds the family module half
initialised (no `register` yet). A family cli.py therefore imports pipelines.cli inside
register(); this test fails as soon as one does not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_module_entry_lists_the_family_commands():
    out = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "suppliers", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert {"expiring", "goals", "lapsed", "parents"} <= set(out.stdout.split())
