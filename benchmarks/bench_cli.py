"""Start-up of the commands a user types first: `equity list`, `equity --help` and the slowest
subcommand's `--help`, whole process (best of 3, the least disturbed by other work).
Aim: each under 1 s, which holds only while none of them imports pandas, DuckDB or SciPy
(tests/test_cli_startup.py checks that cause directly).

    python benchmarks/bench_cli.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import EQUITY, Row, add_common_options, emit, timed_run  # noqa: E402


def subcommands() -> list[list[str]]:
    from pipelines.cli import main

    def walk(cmd, path):
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            yield path + [name]
            yield from walk(sub, path + [name])

    return list(walk(main, []))


def best(cmd: list[str], repeat: int = 3) -> float:
    return min(timed_run(cmd)[0] for _ in range(repeat))


def main() -> int:
    parser = argparse.ArgumentParser()
    add_common_options(parser)  # accepted for run_all; the registry does not depend on data
    parser.parse_args()
    listing = best(EQUITY + ["list"])
    helps = {" ".join(path): best(EQUITY + path + ["--help"], repeat=1) for path in subcommands()}
    slowest = max(helps, key=helps.get)
    rows = [
        Row("equity list", listing, "s", 1, "aim", "< 1 s"),
        Row("equity --help", best(EQUITY + ["--help"]), "s", 1, "aim", "< 1 s"),
        Row(
            f"slowest subcommand --help of {len(helps)} (equity {slowest} --help)",
            best(EQUITY + slowest.split() + ["--help"]),
            "s",
            1,
            "aim",
            "< 1 s",
        ),
    ]
    emit(rows, rows[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
