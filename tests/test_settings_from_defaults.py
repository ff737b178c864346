"""Settings are read from the loaded configuration only (pipelines/defaults.yml: "no default lives
in code"). load_config() and with_defaults() fill every key from defaults.yml, so a family or the
engine reads `setting(config, "workforce.follow_up_days")` and never `config.get(key, 365)` or
`{**default_config()[...], ...}`: a second copy of a default drifts from the first, and a
fallback turns a missing key (a bug) into a silently different figure.

The scan reads every module of pipelines/families/ and pipelines/metrics/ with `ast`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

from pipelines.config import MissingSettingError, default_config, load_config, setting, with_defaults

ROOT = Path(__file__).resolve().parent.parent
SCANNED = [ROOT / "pipelines" / "families", ROOT / "pipelines" / "metrics"]
CONFIG_NAMES = {"config", "cfg", "settings", "rec"}  # what the code calls a config or one of its sections
CONFIG_ATTRIBUTES = {"config"}  # q.config, snap.config (a rule pack's `.settings` are its own file's)


def _names_config(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Name) and n.id in CONFIG_NAMES)
        or (isinstance(n, ast.Attribute) and n.attr in CONFIG_ATTRIBUTES)
        for n in ast.walk(node)
    )


def fallbacks(source: str) -> list[str]:
    """`line: code` of every read that supplies its own default: `default_config()` (the packaged
    defaults, merged in only by pipelines/config.py) and `.get(...)` on a config or a section."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "default_config":
            out.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(func, ast.Attribute) and func.attr == "get" and _names_config(func.value):
            out.append(f"{node.lineno}: {ast.unparse(node)}")
    return out


def _modules():
    for folder in SCANNED:
        yield from sorted(folder.rglob("*.py"))


def test_no_family_or_engine_module_supplies_a_default_of_its_own():
    found = {}
    for path in _modules():
        rel = str(path.relative_to(ROOT))
        hits = fallbacks(path.read_text(encoding="utf-8"))
        if hits:
            found[rel] = hits
    assert found == {}


@pytest.mark.parametrize(
    "source",
    [
        'days = config["workforce"].get("follow_up_days", 365)\n',
        'value = (q.config.get("workforce") or {}).get("impact_months")\n',
        'settings = {**default_config()["voice"], **config["voice"]}\n',
        'alpha = settings.get("alpha", 0.05)\n',
    ],
)
def test_the_scan_finds_a_deliberate_fallback(source):
    assert len(fallbacks(source)) >= 1


def test_the_scan_leaves_reads_of_the_loaded_config_alone():
    source = 'days = setting(config, "workforce.follow_up_days")\nrow = spec.extra.get("keys", ())\n'
    assert fallbacks(source) == []


def _keys(tree: dict, prefix: str = "") -> set[str]:
    out = set()
    for key, value in tree.items():
        out.add(prefix + key)
        if isinstance(value, dict):
            out |= _keys(value, f"{prefix}{key}.")
    return out


def read_settings(path: Path) -> list[tuple[int, str]]:
    """(line, dotted key) of every literal key read through pipelines.config.setting (under any
    alias) or the workforce family's `setting` (its keys sit under `workforce.`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prefixes = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                if alias.name == "setting" and node.module.split(".")[-1] == "config":
                    prefixes[alias.asname or alias.name] = ""
                elif alias.name == "setting" and node.module == "common" and "workforce" in path.parts:
                    prefixes[alias.asname or alias.name] = "workforce."
    if path.name == "common.py" and "workforce" in path.parts:
        prefixes.setdefault("setting", "workforce.")
    out = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in prefixes
            and len(node.args) == 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            out.append((node.lineno, prefixes[node.func.id] + node.args[1].value))
    return out


def test_every_setting_read_by_its_key_is_in_defaults_yml():
    defaults = _keys(yaml.safe_load((ROOT / "pipelines" / "defaults.yml").read_text(encoding="utf-8")))
    read = {(str(p.relative_to(ROOT)), line, key) for p in _modules() for line, key in read_settings(p)}
    assert len(read) >= 15  # not vacuous: the families read their settings this way
    assert sorted(r for r in read if r[2] not in defaults) == []


def test_a_missing_setting_is_an_error_naming_it():
    config = default_config()
    del config["workforce"]["follow_up_days"]
    with pytest.raises(MissingSettingError, match=r"'workforce\.follow_up_days' is missing \('follow_up_days'"):
        setting(config, "workforce.follow_up_days")
    with pytest.raises(MissingSettingError, match=r"'voice\.alpha' is missing \('voice' not found under the top"):
        setting({}, "voice.alpha")


def test_a_family_reading_an_unloaded_config_names_the_setting():
    from pipelines.families.commitments.settings import commitment_settings
    from pipelines.families.voice.sql import voice_settings
    from pipelines.families.workforce.common import setting as workforce_setting

    with pytest.raises(MissingSettingError, match=r"'voice'"):
        voice_settings({"privacy": {"k": 5}})
    with pytest.raises(MissingSettingError, match=r"'workforce\.impact_months'"):
        workforce_setting({"workforce": {}}, "impact_months")
    partial = default_config()
    del partial["commitments"]["giveback_share"]
    with pytest.raises(MissingSettingError, match=r"'commitments\.giveback_share'"):
        commitment_settings(partial)


def test_a_database_built_before_a_setting_existed_reads_it_from_defaults_yml(tmp_path):
    """with_defaults is the one fallback: a stored config without the key gets defaults.yml's."""
    stored = load_config(tmp_path)
    del stored["workforce"]["curve_step_months"]
    expected = yaml.safe_load((ROOT / "pipelines" / "defaults.yml").read_text(encoding="utf-8"))
    got = setting(with_defaults(stored), "workforce.curve_step_months")
    assert got == expected["workforce"]["curve_step_months"]
