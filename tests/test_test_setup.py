"""The test setup itself: `make test` runs pytest-xdist with --dist loadgroup so every test
that needs the SparkSession runs on one worker (one JVM). Some pytest/xdist combinations
silently stop grouping (pytest-xdist#1386); this notices."""
from __future__ import annotations

import re
import subprocess
import sys


def test_loadgroup_keeps_a_group_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(
        "import pytest\n"
        "pytestmark = [pytest.mark.xdist_group('together')]\n"
        "@pytest.mark.parametrize('i', range(8))\n"
        "def test_one(i):\n"
        "    pass\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v",
                           "-p", "no:cacheprovider", str(tmp_path / "test_grouped.py")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    workers = re.findall(r"^\[(gw\d)\].*PASSED", done.stdout, flags=re.M)
    assert len(workers) == 8 and len(set(workers)) == 1, done.stdout
