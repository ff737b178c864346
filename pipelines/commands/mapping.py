"""`equity map`: a draft equity.yml from a folder of CSV exports (pipelines/mapping_draft.py)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import cli_options as opt
from ..cli_output import handle_errors


def register(main: click.Group) -> None:

    @main.command("map")
    @opt.folder_option(
        "--data", "Folder of CSV exports to inspect (only files inside it are read).", required=True, exists=True
    )
    @opt.file_option(
        "--out", "Where to write the draft (default: FOLDER/equity.yml). An existing file is never overwritten."
    )
    @handle_errors
    def map_command(data: Path, out: Path | None):
        """Write a draft equity.yml: detected encodings, delimiters, date formats, candidate
        columns for each contract field, value maps and what could not be matched."""
        from ..mapping_draft import draft_config

        result = draft_config(data, out, progress=lambda msg: click.echo(msg, err=True))
        click.echo(
            f"Wrote the draft {result.path}: {len(result.tables)} contract file(s) "
            f"({', '.join(result.tables) or 'none'}), {result.todo} TODO decision(s), "
            f"{result.unmatched} note(s) on what was not matched. Review it, then run "
            f"`equity build --data {data}`."
        )
