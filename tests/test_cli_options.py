"""Shared CLI options (issue 21): `--db`, `--k`, `--filter`, `--period`, `--from/--to`,
`--format` and `--exact` are defined once, in pipelines/cli_options.py, and behave the same in
every command; one helper opens the database; settings come from the loaded defaults only."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import click
import duckdb
import pytest
import yaml
from click.testing import CliRunner

from pipelines import cli_options as opt
from pipelines.cli import main
from pipelines.cli_options import SharedOption, parse_filters, split_dims
from pipelines.config import MIN_K, MIN_SURVEY_K
from pipelines.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("--db", "--k", "--filter", "--period", "--from", "--to", "--format", "--exact")


def commands(group: click.Group = main, path: tuple[str, ...] = ()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from commands(cmd, path + (name,))
        else:
            yield path + (name,), cmd


def option(cmd: click.Command, flag: str) -> click.Option | None:
    return next((p for p in cmd.params if isinstance(p, click.Option) and flag in p.opts), None)


def test_no_shared_option_is_defined_outside_cli_options():
    # the text `click.option("--k"` anywhere else would be a second definition drifting apart
    pattern = re.compile(r"click\.option\(\s*\"(" + "|".join(re.escape(f) for f in SHARED) + r")\"")
    found = [
        f"{f.relative_to(ROOT)}: {m.group(1)}"
        for f in (ROOT / "pipelines").rglob("*.py")
        if f.name != "cli_options.py"
        for m in pattern.finditer(f.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_commands_open_the_database_one_way():
    direct = [
        str(f.relative_to(ROOT))
        for f in [ROOT / "pipelines" / "cli.py", *(ROOT / "pipelines" / "commands").glob("*.py")]
        if re.search(r"connect_readonly|default_db_path", f.read_text(encoding="utf-8"))
    ]
    assert direct == []


def test_every_k_says_its_floor_and_refuses_below_it(tmp_path):
    with_k = [(path, option(cmd, "--k")) for path, cmd in commands() if option(cmd, "--k")]
    assert len(with_k) >= 12  # metrics, hiring, pay x5, voice x2, workforce x3, suppliers x2, report
    runner = CliRunner()
    missing_db = str(tmp_path / "none.duckdb")
    for path, opt in with_k:
        floor = 5 if path[0] == "voice" else 3
        assert f"at least {floor}" in opt.help, path
        args = [
            *path,
            *(["headcount"] if path == ("metrics",) else []),
            *(["x"] if path == ("report",) else []),
            *(["--event", "x", "headcount"] if path == ("impact",) else []),
            *(["--target-gap", "1", "--out", str(tmp_path / "o.csv")] if path == ("pay", "remediation") else []),
            "--db",
            missing_db,
            "--k",
            str(floor - 1),
        ]
        result = runner.invoke(main, args)
        # refused before the database is opened (the path does not exist): the k sentence, exit 2
        assert result.exit_code == 2, (path, result.output)
        assert f"k must be at least {floor} (got {floor - 1})" in result.output, (path, result.output)
        assert "no database" not in result.output, path


def test_the_same_option_is_the_same_everywhere():
    seen: dict[str, set] = {}
    for path, cmd in commands():
        for flag in ("--db", "--format", "--exact", "--filter"):
            opt = option(cmd, flag)
            if opt is not None:
                seen.setdefault(flag, set()).add((opt.name, repr(opt.type), opt.multiple, opt.is_flag))
    assert {flag: len(v) for flag, v in seen.items()} == {"--db": 1, "--format": 1, "--exact": 1, "--filter": 1}


def _command(*decorators) -> click.Command:
    return click.command()(opt.combined(*decorators)(lambda **kwargs: None))


# what cli_options itself makes: a command's --db, --k and --filter must be these
REFERENCE = {
    flag: option(_command(made), flag)
    for flag, made in (("--db", opt.db_option), ("--k", opt.k_option()), ("--filter", opt.filter_option()))
}


def shared_option_problems(cmd: click.Command) -> list[str]:
    """How the command's --db, --k and --filter differ from the one definition in cli_options:
    made elsewhere, another name, type, default or callback; --db's help word for word, and a
    --k or --filter help text only in its wording (a --k always says its floor)."""
    problems = []
    for flag, ref in REFERENCE.items():
        got = option(cmd, flag)
        if got is None:
            continue
        if not isinstance(got, SharedOption) or got.definition != ref.definition:
            problems.append(f"{flag} is not made by cli_options.{ref.definition}")
            continue
        attrs = ("name", "default", "multiple", "required", "is_flag", "show_default", "count", "hidden")
        problems += [f"{flag} {a}" for a in attrs if getattr(got, a) != getattr(ref, a)]
        if got.type.to_info_dict() != ref.type.to_info_dict():
            problems.append(f"{flag} type")
        if getattr(got.callback, "__qualname__", None) != getattr(ref.callback, "__qualname__", None):
            problems.append(f"{flag} callback")
        if flag == "--db" and got.help != ref.help:
            problems.append("--db help")
        if flag == "--k" and not re.fullmatch(rf".+; at least ({MIN_K}|{MIN_SURVEY_K})\.", got.help or ""):
            problems.append("--k help does not say its floor")
    return problems


def test_every_db_k_and_filter_comes_from_the_one_shared_definition():
    counted = {flag: 0 for flag in REFERENCE}
    for path, cmd in commands():
        assert shared_option_problems(cmd) == [], path
        for flag in REFERENCE:
            counted[flag] += option(cmd, flag) is not None
    # every command that reads the database, every protected one and every filtered one
    assert counted["--db"] >= 25 and counted["--k"] >= 15 and counted["--filter"] >= 12, counted


def test_a_command_defining_its_own_k_filter_or_db_is_found():
    own_k = _command(opt.db_option, click.option("--k", type=int, default=None, help="Threshold; at least 3."))
    assert shared_option_problems(own_k) == ["--k is not made by cli_options.k_option"]
    # made by the shared function but changed after: another default, a single --filter
    changed = _command(opt.filter_option(), opt.k_option())
    option(changed, "--k").default = 5
    option(changed, "--filter").multiple = False
    assert shared_option_problems(changed) == ["--k default", "--filter multiple"]
    other_db = _command(click.option("--db", type=click.Path(), default=None, help="A file."))
    assert shared_option_problems(other_db) == ["--db is not made by cli_options.db_option"]


def test_metric_options_put_the_shared_options_in_one_order():
    cmd = _command(opt.metric_options(click.option("--own", is_flag=True), dates=False, by=opt.by_option("gender")))
    assert [p.opts[0] for p in cmd.params] == [
        "--db",
        "--by",
        "--period",
        "--k",
        "--filter",
        "--own",
        "--format",
        "--exact",
    ]
    assert option(cmd, "--by").default == "gender"
    metrics = main.commands["metrics"]
    assert [p.opts[0] for p in metrics.params if isinstance(p, click.Option)] == [
        "--db",
        "--by",
        "--period",
        "--from",
        "--to",
        "--k",
        "--filter",
        "--format",
        "--exact",
    ]


def test_filters_and_dimensions_parse_as_the_engine_takes_them():
    assert parse_filters(("department=Sales, HR", "gender=Woman")) == {
        "department": ["Sales", "HR"],
        "gender": ["Woman"],
    }
    assert parse_filters(("department=Sales", "department=HR")) == {"department": ["Sales", "HR"]}
    assert split_dims(" gender, ,race_ethnicity ") == ["gender", "race_ethnicity"]
    with pytest.raises(UsageError, match="--filter takes DIM=VALUE"):
        parse_filters(("department",))


def test_a_setting_missing_from_an_older_database_comes_from_defaults_yml():
    from pipelines.config import default_config
    from pipelines.metrics import build_context

    stored = default_config()
    del stored["recruiting"]["significance_alpha"]
    stored["recruiting"]["significance_z"] = 3.0  # a setting the database does have stays
    con = duckdb.connect()
    con.execute("CREATE TABLE run_manifest (config_json VARCHAR, history_start DATE, as_of DATE, run_id VARCHAR)")
    con.execute("INSERT INTO run_manifest VALUES (?, DATE '2020-01-01', DATE '2024-12-31', 'r1')", [json.dumps(stored)])
    packaged = yaml.safe_load((ROOT / "pipelines" / "defaults.yml").read_text(encoding="utf-8"))
    config = build_context(con)["config"]
    assert config["recruiting"]["significance_alpha"] == packaged["recruiting"]["significance_alpha"] == 0.05
    assert config["recruiting"]["significance_z"] == 3.0


def _leaf_keys(tree: dict) -> set[str]:
    out = set()
    for key, value in tree.items():
        out |= _leaf_keys(value) if isinstance(value, dict) else {key}
    return out


def test_no_setting_repeats_its_default_in_code():
    """`x.get("significance_alpha", 0.05)` is a second default that drifts from defaults.yml."""
    settings = _leaf_keys(yaml.safe_load((ROOT / "pipelines" / "defaults.yml").read_text(encoding="utf-8")))
    found = []
    for f in [*(ROOT / "pipelines").rglob("*.py"), *(ROOT / "dashboard").rglob("*.py")]:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and len(node.args) == 2
                and all(isinstance(a, ast.Constant) for a in node.args)
                and node.args[0].value in settings
                and node.args[1].value is not None
            ):
                found.append(f"{f.relative_to(ROOT)}:{node.lineno} {node.args[0].value}")
    assert found == []
