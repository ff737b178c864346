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
        "    pass\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "-v",
            "-p",
            "no:cacheprovider",
            str(tmp_path / "test_grouped.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    workers = re.findall(r"^\[(gw\d)\].*PASSED", done.stdout, flags=re.M)
    assert len(workers) == 8 and len(set(workers)) == 1, done.stdout


def _run_with_our_conftest(tmp_path, body: str, *args: str):
    """pytest on one test file beside a copy of tests/conftest.py (its tier guard)."""
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).with_name("conftest.py"), tmp_path / "conftest.py")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    slow: slow tier\n", encoding="utf-8")
    (tmp_path / "test_tier.py").write_text("import pytest\n" + body, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, str(tmp_path / "test_tier.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_test_needing_the_sample_build_without_the_slow_mark_is_refused(tmp_path):
    # the fixture is never set up: collection stops first, naming the test
    done = _run_with_our_conftest(tmp_path, "def test_reads_the_sample(sample_db):\n    pass\n", "-m", "not slow")
    assert done.returncode != 0
    assert "must be marked slow" in done.stdout + done.stderr
    assert "test_reads_the_sample" in done.stdout + done.stderr


def test_the_two_tiers_split_the_tests_without_overlap(tmp_path):
    body = (
        "@pytest.mark.slow\ndef test_slow():\n    pass\n"
        "def test_fast_one():\n    pass\n"
        "def test_fast_two():\n    pass\n"
    )
    fast = _run_with_our_conftest(tmp_path, body, "-m", "not slow", "--collect-only")
    slow = _run_with_our_conftest(tmp_path, body, "-m", "slow", "--collect-only")
    assert "2/3 tests collected" in fast.stdout, fast.stdout
    assert "1/3 tests collected" in slow.stdout, slow.stdout
