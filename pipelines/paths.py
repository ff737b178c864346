"""Where a data folder's files may come from: inside the data folder, or a folder the owner
named in `source_dirs` of equity.yml. Nothing else is ever opened.

Why: a mapping's `file:` is configuration, and configuration is treated as hostile (it may be
copied from a template or a colleague). `../../../../etc/passwd`, `/etc/passwd` or a symlink
inside the folder pointing out of it would otherwise be read, and the first error about it
would show its first line. The check runs on the resolved path (every `..` and symlink
followed), before the file is opened, and its message names only the path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from .errors import DataError

SETTING = "source_dirs"


def allowed_source_dirs(data_dir: Path, config: dict[str, Any]) -> list[Path]:
    """The extra folders of `source_dirs` (relative ones are taken from the data folder)."""
    raw = config.get(SETTING) or []
    if not isinstance(raw, list) or not all(isinstance(d, str) and d.strip() for d in raw):
        raise DataError(f"{SETTING} must be a list of folder paths", file="equity.yml")
    return [(Path(data_dir) / d.strip()).resolve() for d in raw]


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def resolve_source_path(data_dir: Path, name: str, allowed_dirs: Iterable[Path] = ()) -> Path:
    """The absolute, symlink-free path of the file `name` (relative to the data folder).

    Raises DataError (naming the path, never its content) when it resolves outside the data
    folder and outside every allowed folder. The file need not exist: a missing file is the
    caller's error to report.
    """
    text = str(name)
    if not text.strip() or "\x00" in text:
        raise DataError(f"file name {text!r} is not a usable path", file="equity.yml")
    root = Path(data_dir).resolve()
    folders = [root, *(Path(d).resolve() for d in allowed_dirs)]
    candidate = Path(text)
    if candidate.is_absolute() and not any(_inside(candidate.resolve(), f) for f in folders[1:]):
        raise DataError(
            f"file {text!r} is an absolute path; name files relative to the data "
            f"folder, or list their folder under {SETTING} (docs/security.md)",
            file="equity.yml",
        )
    resolved = (root / candidate).resolve()  # follows `..` and every symlink on the way
    if not any(_inside(resolved, f) for f in folders):
        raise DataError(
            f"file {text!r} resolves to {resolved}, outside the data folder {root}; "
            f"list its folder under {SETTING} to allow it (docs/security.md)",
            file="equity.yml",
        )
    return resolved
