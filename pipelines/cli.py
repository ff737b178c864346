"""The `equity` command line. Exit codes: 0 success, 1 data error, 2 usage error."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import cli_options as opt
from .cli_output import console, emit, handle_errors, print_rows

log = logging.getLogger("pipelines")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("-v", "--verbose", is_flag=True, help="Log each step.")
@click.version_option(package_name="equity-metrics")
@click.pass_context
def main(ctx, debug: bool, verbose: bool):
    """Equity metrics: build a database from CSV exports and report intersectional metrics
    with small-group suppression."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.INFO if verbose or debug else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(console=console(), show_path=False)],
        force=True,
    )


@main.command()
@opt.folder_option("--out", "Folder to write the sample data into.", required=True)
@click.option("--employees", default=2000, show_default=True, type=click.IntRange(min=50))
@click.option("--seed", default=42, show_default=True, type=int)
@click.option(
    "--applications",
    default=None,
    type=click.IntRange(min=0),
    help="Applications to generate (default 10 per employee).",
)
@click.option(
    "--spend-rows",
    default=None,
    type=click.IntRange(min=0),
    help="Spend transactions to generate (default 100 per employee).",
)
@handle_errors
def sample(out: Path, employees: int, seed: int, applications, spend_rows):
    """Write a deterministic, realistic sample data folder (all families)."""
    from .sample import write_sample

    summary = write_sample(out, employees=employees, seed=seed, applications=applications, spend_rows=spend_rows)
    click.echo(f"Wrote sample data for {employees} employees (seed {seed}) to {out}")
    for name, rows in (summary.get("files") or {}).items():
        click.echo(f"  {name}: {rows} rows")


@main.command()
@opt.folder_option(
    "--data", "Data folder holding hr/, recruiting/, procurement/ ... and optional equity.yml.", required=True
)
@opt.db_option
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="spark: run the models and metrics on Spark (equity.yml `spark:` section) and "
    "write only suppressed results to --db.",
)
@click.option("--quiet", is_flag=True, help="No progress display (for scripts).")
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild everything, even inputs unchanged since the last build into --db (by default those are reused).",
)
@handle_errors
def build(data: Path, db: Path | None, engine: str, quiet: bool, full: bool):
    """Load a data folder into a new DuckDB database (replaced atomically on success).

    Building into an existing database reuses what did not change: files with the same
    SHA-256 are not read again and models whose inputs are unchanged are copied."""
    from .build import build as run_build

    db = opt.database_path(db)
    if quiet:
        result = run_build(data, db, engine=engine, full=full)
    else:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console(), transient=True
        ) as bar:
            task = bar.add_task("starting", total=None)
            result = run_build(
                data, db, progress=lambda msg: bar.update(task, description=msg), engine=engine, full=full
            )
    if not quiet:
        names = [f["file"] for f in result.files]  # one export may feed two contract tables
        files = ", ".join(
            f"{f['file']}{' (' + f['table_name'] + ')' if names.count(f['file']) > 1 else ''} "
            f"{f['rows_loaded']}/{f['rows_in']}{_records(f)}"
            for f in result.files
        )
        click.echo(f"Built {result.db_path} (run {result.run_id}): {files}")
        reused = [m for m, s in result.models.items() if s.get("reused")]
        if reused:
            click.echo(
                f"Incremental: {len(result.reused_sources)} unchanged file(s) not read again, "
                f"{len(reused)} of {sum(1 for s in result.models.values() if s['status'] == 'built')} "
                "models reused from the last build (--full rebuilds everything)."
            )
        if result.name_matches:  # unmatched and ambiguous list rows are in the quarantine below
            click.echo(
                f"Supplier names matched ({result.name_matches}); unmatched and ambiguous names are "
                f"listed by `equity quality`"
            )
        if result.quarantined:
            click.echo(f"{result.quarantined} row(s) quarantined; see `equity quality --db {result.db_path}`")
        if result.warnings:
            click.echo(f"{result.warnings} data-quality warning(s); see `equity quality --db {result.db_path}`")
        if result.failed_results:
            click.echo(
                f"{len(result.failed_results)} metric table(s) could not be computed on Spark "
                f"(the build log says why): {'; '.join(result.failed_results)}"
            )


@main.command("list")
@opt.format_option
@handle_errors
def list_metrics(fmt: str):
    """List the metric registry: name, family, title, unit."""
    # plain rows, not a DataFrame: this path must stay free of pandas and DuckDB (< 1 s)
    from .export import rows_to_csv, rows_to_json
    from .metrics import registry

    rows = [
        {"name": s.name, "family": s.family, "title": s.title, "unit": s.unit, "dimensions": ",".join(s.dimensions)}
        for s in registry().values()
    ]
    if fmt == "csv":
        click.echo(rows_to_csv(rows), nl=False)
    elif fmt == "json":
        click.echo(rows_to_json(rows))
    else:
        print_rows(["name", "family", "title", "unit"], [[r["name"], r["family"], r["title"], r["unit"]] for r in rows])


@main.command()
@click.argument("name")
@opt.metric_options()
@handle_errors
def metrics(name, db, by, period, date_from, date_to, k, filters, fmt, exact):
    """Compute one registry metric as a long table (protected for publication; --exact for
    the data owner)."""
    from .metrics import compute

    df = compute(
        opt.open_database(db),
        name,
        by=opt.split_dims(by),
        period=period,
        date_from=opt.day(date_from),
        date_to=opt.day(date_to),
        k=k,
        filters=opt.parse_filters(filters),
        exact=exact,
    )
    emit(df, fmt, exact, k=df.attrs.get("k", k))


@main.command()
@opt.db_option
@opt.format_option
@handle_errors
def quality(db, fmt):
    """Summarise quarantined rows and data-quality expectation results."""
    from .quality_report import quality_summary

    con = opt.open_database(db)
    sections = quality_summary(con)
    if fmt == "json":
        # One JSON document keyed by section title: printing one array per section produced
        # several concatenated documents, which no JSON parser accepts.
        import json
        from .export import to_json

        click.echo(
            json.dumps({title: json.loads(to_json(df)) for title, df in sections.items()}, indent=2, ensure_ascii=False)
        )
        return
    for title, df in sections.items():
        if fmt == "table":
            click.echo(f"\n{title}")
        emit(df, fmt)


@main.command()
@opt.db_option
@click.option("--port", default=8501, show_default=True, type=int)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (local only by default).")
@handle_errors
def dashboard(db, port, host):
    """Start the Streamlit dashboard over a built database."""
    import os

    app = Path(__file__).resolve().parent.parent / "dashboard" / "streamlit_app.py"
    env = dict(os.environ, EQUITY_DB=str(opt.database_path(db).resolve()))
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--theme.base",
        "light",
        "--theme.primaryColor",
        "#0B5394",
        "--theme.textColor",
        "#000000",
    ]
    click.echo(f"Dashboard on http://{host}:{port} (Ctrl+C to stop)", err=True)
    # replace this process with Streamlit, so the PID a user (or make demo) sees is the server's
    os.execve(sys.executable, cmd, env)


def _register_family_commands() -> None:
    """A family's commands live in pipelines/families/<family>/cli.py and the commands that are
    no family's (headlines, mapping, rules, snapshot) in pipelines/commands/<name>.py, each
    exposing `register(main)`, so a family adds commands without editing this file."""
    import importlib
    import importlib.util
    import pkgutil

    from . import commands, families

    for info in sorted(pkgutil.iter_modules(families.__path__), key=lambda m: m.name):
        if info.ispkg and importlib.util.find_spec(f"{families.__name__}.{info.name}.cli") is not None:
            importlib.import_module(f"{families.__name__}.{info.name}.cli").register(main)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(main)


def _records(row: dict) -> str:
    """' (4526 records)' when weighted rows stood for more records than rows (mapping_weight)."""
    records = row.get("records_loaded")
    if records is None or records != records or int(records) == int(row["rows_loaded"]):
        return ""
    return f" ({int(records)} records)"


_register_family_commands()

if __name__ == "__main__":
    main()
