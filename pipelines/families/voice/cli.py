"""`equity voice ...`: survey comparisons beyond `equity metrics favourability`.

    equity voice waves                                   # surveys loaded, dates, responses
    equity voice gaps --by gender,race_ethnicity         # each group vs everyone else, with CI
    equity voice change --metric inclusion_index --by gender
    equity voice outcomes --by gender                    # inclusion index beside turnover

Every figure comes from the published (protected) tables, and filtered requests pass the
differencing guard, exactly as `equity metrics` does; --exact gives the data owner's exact
figures, marked not for publication.
"""

from __future__ import annotations

import click

from ... import cli_options as opt
from ...cli_output import emit, handle_errors
from ...config import MIN_SURVEY_K

METRICS = click.Choice(["favourability", "item_favourability", "inclusion_index"])
# the options of a survey comparison: no period (the waves are the periods), a guarded filter
# and the survey threshold
SURVEY_OPTIONS = {
    "period": False,
    "dates": False,
    "filters": opt.filter_option("DIM=VALUE[,VALUE]; refused if it would single out a small group."),
    "k": opt.k_option("Survey threshold (default privacy.survey_k)", minimum=MIN_SURVEY_K),
}


def _open(db):
    return opt.open_database(
        db,
        requires="dim_survey_waves",
        missing="no data loaded for voice (add voice/survey_responses.csv and "
        "voice/items.csv to the data folder and rebuild)",
    )


def _query(by, filters, k, exact) -> dict:
    """The engine arguments of SURVEY_OPTIONS' values."""
    return {"by": opt.split_dims(by), "filters": opt.parse_filters(filters), "k": k, "exact": exact}


def register(main: click.Group) -> None:

    @main.group()
    def voice():
        """Employee voice: survey gaps, change between waves, outcomes side by side."""

    @voice.command()
    @opt.db_option
    @opt.format_option
    @opt.exact_option
    @handle_errors
    def waves(db, fmt, exact):
        """List the survey waves loaded (the periods of every voice metric)."""
        import pandas as pd
        from ...metrics import build_context

        con = _open(db)
        ctx = build_context(con)
        k = ctx["config"]["privacy"]["survey_k"]
        df = con.execute(
            "SELECT survey_id AS period, wave_start AS period_start, wave_end AS period_end, "
            "responses FROM dim_survey_waves ORDER BY wave_start"
        ).df()
        for col in ("period_start", "period_end"):
            df[col] = df[col].dt.date
        # a wave's size is shown like any other count: protected, never below the survey threshold
        n = df["responses"].to_numpy()
        if not exact:
            from ...privacy.cells import definition, protected_counts, read_salt

            n = protected_counts(
                read_salt(con), "voice.responses", [definition("", str(w)) for w in df["period"]], n
            ).astype(int)
        df["responses"] = [str(v) if v >= k else f"fewer than {k}" for v in n]
        # metrics use the waves that start inside the build's data window: say which do not
        start, end = (ctx["history_start"], ctx["as_of"])
        df["in_data_window"] = [bool(start <= pd.Timestamp(d).date() <= end) for d in df["period_start"]]
        emit(df, fmt, exact)

    @voice.command()
    @opt.metric_options(
        click.option(
            "--metric",
            type=click.Choice(["favourability", "item_favourability"]),
            default="favourability",
            show_default=True,
        ),
        click.option("--significant", is_flag=True, help="Only gaps significant after Holm adjustment."),
        **SURVEY_OPTIONS,
    )
    @handle_errors
    def gaps(db, metric, by, filters, k, significant, fmt, exact):
        """Each group's favourability minus everyone else's, per wave, with a 95% CI and test."""
        from .compare import voice_gaps

        df = voice_gaps(_open(db), metric, **_query(by, filters, k, exact))
        emit(df[df["significant"].eq(True)] if significant else df, fmt, exact)

    @voice.command()
    @opt.metric_options(
        click.option("--metric", type=METRICS, default="favourability", show_default=True), **SURVEY_OPTIONS
    )
    @handle_errors
    def change(db, metric, by, filters, k, fmt, exact):
        """Change of each group since the previous survey wave, with a 95% CI and test."""
        from .compare import voice_change

        emit(voice_change(_open(db), metric, **_query(by, filters, k, exact)), fmt, exact)

    @voice.command()
    @opt.metric_options(
        click.option("--survey", default=None, help="survey_id (default: the latest wave)."),
        **{**SURVEY_OPTIONS, "k": False},
    )
    @handle_errors
    def outcomes(db, by, filters, survey, fmt, exact):
        """Inclusion index per group beside turnover (and promotion) rate, aggregated only."""
        from .outcomes import outcomes_side_by_side

        table = outcomes_side_by_side(
            _open(db), by=opt.split_dims(by), filters=opt.parse_filters(filters), survey_id=survey, exact=exact
        )
        emit(table, fmt, exact)
