"""Configuration: packaged defaults merged with the data folder's optional equity.yml.

Every threshold the metrics use lives in `defaults.yml`, so a reader can find and change it
in one place; this module only merges, validates and fingerprints.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .config_checks import _FREE_FORM, check_types, shown
from .errors import DataError, EquityError, UsageError

CONFIG_FILE = "equity.yml"
MIN_K = 3
MIN_SURVEY_K = 5


def default_config() -> dict[str, Any]:
    """The packaged defaults (a fresh copy each call)."""
    return copy.deepcopy(_packaged_defaults())


@functools.lru_cache(maxsize=1)
def _packaged_defaults() -> dict[str, Any]:
    text = resources.files("pipelines").joinpath("defaults.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def with_defaults(stored: dict[str, Any]) -> dict[str, Any]:
    """A database's stored config with any setting it lacks taken from defaults.yml (a database
    built before the setting existed): the one fallback, so no default is repeated in code."""
    return _merged(_packaged_defaults(), stored)


def _merged(base: dict, override: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_config(data_dir: Path | None) -> dict[str, Any]:
    """Defaults overridden by `<data_dir>/equity.yml` when present; validated."""
    config = default_config()
    if data_dir is not None:
        path = Path(data_dir) / CONFIG_FILE
        if path.exists():
            try:
                user = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise DataError(
                    f"is not valid YAML ({getattr(exc, 'problem', exc)})",
                    file=str(path),
                    line=mark.line + 1 if mark else None,
                ) from None
            if not isinstance(user, dict):
                raise DataError("must be a mapping of settings", file=str(path))
            _check_known(user, config, str(path))
            config = _merged(config, user)
    validate_config(config, source=str(Path(data_dir) / CONFIG_FILE) if data_dir else "defaults")
    return config


def _check_known(user: dict, defaults: dict, source: str, prefix: str = "") -> None:
    """A misspelt setting (e.g. privacy.kk) is an error, not silently ignored."""
    unknown = sorted(set(user) - set(defaults))
    if unknown:
        raise DataError(
            f"unknown setting(s) {', '.join(prefix + u for u in unknown)}; known: "
            f"{', '.join(prefix + d for d in sorted(defaults))}",
            file=source,
        )
    for key, value in user.items():
        if key in _FREE_FORM or not isinstance(defaults.get(key), dict):
            continue
        if not isinstance(value, dict):
            raise DataError(f"{prefix}{key} must be a mapping of settings", file=source)
        _check_known(value, defaults[key], source, f"{prefix}{key}.")


def validate_config(config: dict[str, Any], source: str = "equity.yml") -> None:
    """Raise DataError naming the setting when a value has the wrong type or is out of range."""
    k = config["privacy"]["k"]
    if not isinstance(k, int) or k < MIN_K:
        raise DataError(f"privacy.k must be a whole number of at least {MIN_K} (got {shown(k)})", file=source)
    sk = config["privacy"]["survey_k"]
    if not isinstance(sk, int) or sk < MIN_SURVEY_K:
        raise DataError(
            f"privacy.survey_k must be a whole number of at least {MIN_SURVEY_K} (got {shown(sk)})", file=source
        )
    supplier_k = config["privacy"].get("supplier_k")
    if supplier_k is not None and (not isinstance(supplier_k, int) or supplier_k < MIN_K):
        raise DataError(
            f"privacy.supplier_k must be a whole number of at least {MIN_K} (got {shown(supplier_k)})", file=source
        )
    month = config["fiscal_year_start_month"]
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise DataError(f"fiscal_year_start_month must be 1-12 (got {shown(month)})", file=source)
    cur = config["reporting_currency"]
    if not (isinstance(cur, str) and len(cur) == 3 and cur.isalpha()):
        raise DataError(f"reporting_currency must be a 3-letter ISO code (got {shown(cur)})", file=source)
    if not isinstance(config.get("mapping") or {}, dict):
        raise DataError("mapping must be a mapping of contract table names", file=source)
    check_types(config, default_config(), source)
    from .rules import check_selection

    check_selection(config, source)


def effective_k(config: dict[str, Any], k: int | None) -> int:
    """The suppression threshold for a request: `k` if given, else the configured one; never < 3."""
    value = config["privacy"]["k"] if k is None else k
    if value < MIN_K:
        raise UsageError(f"k must be at least {MIN_K} (got {value}); smaller groups could identify people")
    return int(value)


def config_hash(config: dict[str, Any]) -> str:
    """A stable fingerprint of the effective configuration (recorded in the run manifest)."""
    blob = json.dumps(config, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()


class MissingSettingError(EquityError, LookupError):
    """A setting read from a configuration that was not filled from defaults.yml."""


def setting(config: dict[str, Any], dotted: str) -> Any:
    """The setting `dotted` ("workforce.follow_up_days") of a loaded configuration: load_config()
    and with_defaults() fill every key from defaults.yml, the one place a default lives, so code
    reads settings with no fallback of its own. A missing key is a bug to name, not to paper over."""
    value: Any = config
    for depth, part in enumerate(dotted.split(".")):
        if not isinstance(value, dict) or part not in value:
            where = ".".join(dotted.split(".")[:depth]) or "the top level"
            raise MissingSettingError(
                f"setting '{dotted}' is missing ({part!r} not found under {where}): read it from a "
                f"configuration loaded with load_config() or with_defaults(), which take every "
                f"setting from pipelines/defaults.yml"
            )
        value = value[part]
    return value
