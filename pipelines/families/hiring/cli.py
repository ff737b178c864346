"""`equity hiring adverse-impact`: the four-fifths analysis per stage and for the bottom line,
optionally stratified (Cochran-Mantel-Haenszel). Published figures are computed from protected
counts; --exact gives the data owner's exact figures (marked not for publication)."""

from __future__ import annotations

import click

from ... import cli_options as opt
from ...cli_output import emit, handle_errors
from ...cli_table import say


def register(main: click.Group) -> None:
    @main.group()
    def hiring():
        """Hiring-funnel analyses beyond `equity metrics` (adverse impact, stratified view)."""

    @hiring.command("adverse-impact")
    @opt.metric_options(
        click.option(
            "--stage",
            "stages",
            multiple=True,
            help="Only these stages (repeatable); 'bottom line' for hired / decided.",
        ),
        click.option(
            "--stratify", default=None, help="Also compare within this dimension (e.g. department) with a CMH test."
        ),
        click.option(
            "--view",
            type=click.Choice(["pooled", "strata", "cmh"]),
            default=None,
            help="For csv/json: which table (default: cmh with --stratify, else pooled).",
        ),
        click.option("--flagged-only", is_flag=True, help="Only rows below four-fifths or with |z| at the threshold."),
        by=opt.by_option("gender", "Up to three recruiting dimensions, comma-separated (e.g. gender,race_ethnicity)."),
        period=opt.period_option(
            ("all", "year", "quarter", "month", "custom"),
            "all",
            "'all' = every application in the data window (or --from/--to) pooled.",
        ),
        filters=opt.filter_option("DIM=VALUE[,VALUE], e.g. department=Engineering."),
    )
    @handle_errors
    def adverse_impact(
        db, by, stages, stratify, view, period, date_from, date_to, k, filters, flagged_only, fmt, exact
    ):
        """Impact ratios with flags, z, Fisher and Holm p, Katz CI and shortfall."""
        from pipelines.metrics import build_context, compute
        from .display import cmh_display, impact_display, sort_stages
        from .funnel import funnel_data_issues, stage_order
        from .strata import published_impact, stratified_impact, whole_window

        con = opt.open_database(db)
        dims = opt.split_dims(by)
        lo, hi = opt.day(date_from), opt.day(date_to)
        if period == "all":
            period, lo, hi = whole_window(con, lo, hi)
        args = {"period": period, "date_from": lo, "date_to": hi, "k": k}
        flt = opt.parse_filters(filters)
        ctx = build_context(con)
        order = stage_order(ctx["config"])
        k_shown = k or ctx["config"]["privacy"]["k"]

        def keep(rows):
            if stages:
                rows = rows[rows["stage"].isin([s.lower() for s in stages])]
            if flagged_only:
                rows = rows[rows["flagged"].fillna(False).astype(bool) | rows["significant"].fillna(False).astype(bool)]
            return sort_stages(rows, order)

        if stratify:
            result = stratified_impact(con, dims, stratify, filters=flt, exact=exact, **args)
            pooled, strata = keep(result.pooled), keep(result.strata)
            strata = strata[strata["dimensions"] == "|".join(dims)]
            cmh = result.cmh[result.cmh["stage"].isin(pooled["stage"].unique())]
        else:
            table = (
                compute(con, "adverse_impact_ratio", by=dims, filters=flt, exact=True, **args)
                if exact
                else published_impact(con, dims, filters=flt, **args)
            )
            pooled = keep(table[table["dimensions"].isin(["|".join(dims), ""])])
            strata = cmh = None
        if fmt != "table":
            chosen = view or ("cmh" if stratify else "pooled")
            if chosen != "pooled" and not stratify:
                raise click.UsageError(f"--view {chosen} needs --stratify")
            emit({"pooled": pooled, "strata": strata, "cmh": cmh}[chosen].reset_index(drop=True), fmt, exact)
            return
        for row in funnel_data_issues(con, ctx["config"]).itertuples():
            click.echo(f"Note: {row.count:,} {row.issue} - {row.treatment}", err=True)
        label = pooled["period"].iat[0] if len(pooled) and pooled["period"].nunique() == 1 else "by period"
        click.echo(f"\nAdverse impact by {' x '.join(dims)}, applications {label} (pooled)")
        emit(_compact(impact_display(pooled, k_shown), pooled), "table", exact)
        if stratify:
            shown = strata[strata["flagged"].fillna(False).astype(bool)]
            say(
                f"\nWithin each {stratify}: rows below four-fifths "
                f"({len(shown)} of {len(strata)}; all rows with --format csv --view strata)"
            )
            emit(
                _compact(impact_display(shown, k_shown), shown).assign(**{stratify: shown["stratum"].to_numpy()}),
                "table",
                exact,
            )
            click.echo(f"\nPooled vs within-{stratify} (Cochran-Mantel-Haenszel)")
            emit(cmh_display(cmh, stratify).drop(columns=["Note", "Period"]), "table", exact)
            for note in cmh.loc[cmh["disagree"], "note"]:
                say(f"- {note}")


COMPACT = [
    "Stage",
    "Group",
    "Selected / decided (n)",
    "Selection rate",
    "Reference",
    "Impact ratio",
    "95% CI",
    "z",
    "p (Holm)",
    "Shortfall",
    "Flag",
]


def _compact(display, rows):
    """The terminal table: the columns that decide a finding (csv/json carry every column)."""
    out = display[COMPACT]
    if rows["period"].nunique() > 1:
        out = out.assign(Period=display["Period"].to_numpy())[["Period", *COMPACT]]
    return out
