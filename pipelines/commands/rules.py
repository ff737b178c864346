"""`equity rules list|show NAME` and `equity report NAME`: statutory rule packs
(pipelines/rules/*.yml, docs/rules.md).

    equity rules list            the packs, their law and version
    equity rules show NAME       what a pack decides, rule by rule, with citations
    equity report NAME           the statutory report in the authority's layout and rounding;
                                 --format csv: one long table (pack, version, section, measure,
                                 group, value, n, suppressed, note)
"""

from __future__ import annotations


import click

from .. import cli_options as opt
from ..cli_output import emit, handle_errors


def register(main: click.Group) -> None:
    @main.group("rules")
    def rules():
        """Statutory rule packs: list them, or show what one decides."""

    @rules.command("list")
    @opt.format_option
    @handle_errors
    def list_packs(fmt):
        """Every rule pack: name, jurisdiction, law, version date, pack version."""
        import pandas as pd
        from ..rules import load_pack, pack_names

        packs = [load_pack(n) for n in pack_names()]
        emit(
            pd.DataFrame(
                [
                    {
                        "name": p.name,
                        "jurisdiction": p.spec["jurisdiction"],
                        "title": p.title,
                        "law_as_of": p.version,
                        "pack_version": p.spec["pack_version"],
                    }
                    for p in packs
                ]
            ),
            fmt,
        )

    @rules.command("show")
    @click.argument("name")
    @opt.folder_option("--data", "Data folder whose equity.yml rule_settings to apply (default: the pack as shipped).")
    @handle_errors
    def show(name, data):
        """A pack's law, version, settings, required data and rules with their citations."""
        from ..config import load_config
        from ..rules import load_pack

        pack = load_pack(name, load_config(data) if data else None)
        s = pack.spec
        click.echo(f"{pack.name}: {pack.title}")
        click.echo(f"Law: {s['law']}\nVersion of the law: {pack.version} (pack version {s['pack_version']})")
        click.echo(f"Source: {s['source']}\nMechanism: {s['mechanism']}")
        if pack.settings:
            click.echo("Settings (change with equity.yml rule_settings):")
            for key, value in pack.settings.items():
                choices = (s.get("setting_choices") or {}).get(key)
                click.echo(f"  {key}: {value}" + (f"  (one of: {', '.join(map(str, choices))})" if choices else ""))
        click.echo("Needs:")
        for req in s["requires"]:
            cols = f" [{', '.join(req['columns'])}]" if req.get("columns") else ""
            flag = " (optional)" if req.get("optional") else (f" (when {req['when']})" if req.get("when") else "")
            click.echo(f"  {req['file']}{cols}{flag}: {req['why']}")
        click.echo("Rules:")
        for rule in s["rules"]:
            click.echo(f"  [{rule['cite']}] {rule['id']}: {rule['text']}")

    @main.command("report")
    @click.argument("name")
    @opt.db_option
    @click.option(
        "--year",
        type=int,
        default=None,
        help="Reporting year (default: the latest snapshot or year end on or before the data's as_of).",
    )
    @opt.k_option("Privacy threshold on top of the pack's rules (default privacy.k)")
    @opt.format_option
    @opt.file_option("--out", "Also write the long table as CSV to this file.")
    @handle_errors
    def report(name, db, year, k, fmt, out):
        """A statutory report (rule pack NAME, see `equity rules list`) for the whole organisation:
        the authority's own layout and rounding, with the pack and its version."""
        from ..families.pay.statutory.report import layout_tables, long_csv, long_table, run_pack, withheld_reasons

        con = opt.open_database(db)
        result = run_pack(con, name, year=year, k=k)
        table = long_table(result)
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(long_csv(result), encoding="utf-8")
        if fmt == "csv":
            click.echo(long_csv(result), nl=False)
        elif fmt == "json":
            emit(table.assign(value=[None if v is None else float(v) for v in table["value"]]), "json")
        else:
            click.echo(result.heading)
            for section, frame in layout_tables(result):
                click.echo(f"\n{section}")
                emit(frame, "table")
            for note in result.notes + [f"Withheld: {w}" for w in withheld_reasons(result)]:
                click.echo(f"- {note}")
        if out and fmt == "table":
            click.echo(f"Wrote {out}")
