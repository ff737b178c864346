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

METRICS = click.Choice(["favourability", "item_favourability", "inclusion_index"])


def register(main: click.Group) -> None:
    from ..cli import DB_OPTION, EXACT_OPTION, _emit, _parse_filters, handle_errors

    def _open(db):
        from ..build import default_db_path
        from ..db import connect_readonly, has_table
        from ..metrics import NoDataError
        con = connect_readonly(db or default_db_path())
        if not has_table(con, "dim_survey_waves"):
            raise NoDataError("no data loaded for voice (add voice/survey_responses.csv and "
                              "voice/items.csv to the data folder and rebuild)")
        return con

    def _by(text: str) -> list[str]:
        return [d.strip() for d in text.split(",") if d.strip()]

    by_option = click.option("--by", default="", help="Up to three dimensions, e.g. gender,race_ethnicity.")
    filter_option = click.option("--filter", "filters", multiple=True,
                                 help="DIM=VALUE[,VALUE]; refused if it would single out a small group.")
    k_option = click.option("--k", type=int, default=None,
                            help="Survey threshold (default privacy.survey_k; at least 5).")
    fmt_option = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")

    @main.group()
    def voice():
        """Employee voice: survey gaps, change between waves, outcomes side by side."""

    @voice.command()
    @DB_OPTION
    @fmt_option
    @EXACT_OPTION
    @handle_errors
    def waves(db, fmt, exact):
        """List the survey waves loaded (the periods of every voice metric)."""
        import pandas as pd
        from ..metrics import build_context
        con = _open(db)
        ctx = build_context(con)
        k = ctx["config"]["privacy"]["survey_k"]
        df = con.execute("SELECT survey_id AS period, wave_start AS period_start, wave_end AS period_end, "
                         "responses FROM dim_survey_waves ORDER BY wave_start").df()
        for col in ("period_start", "period_end"):
            df[col] = df[col].dt.date
        # a wave's size is shown like any other count: protected, never below the survey threshold
        n = df["responses"].to_numpy()
        if not exact:
            from ..privacy.cells import definition, protected_counts, read_salt
            n = protected_counts(read_salt(con), "voice.responses",
                                 [definition("", str(w)) for w in df["period"]], n).astype(int)
        df["responses"] = [str(v) if v >= k else f"fewer than {k}" for v in n]
        # metrics use the waves that start inside the build's data window: say which do not
        start, end = (ctx["history_start"], ctx["as_of"])
        df["in_data_window"] = [bool(start <= pd.Timestamp(d).date() <= end) for d in df["period_start"]]
        _emit(df, fmt, exact)

    @voice.command()
    @DB_OPTION
    @click.option("--metric", type=click.Choice(["favourability", "item_favourability"]), default="favourability",
                  show_default=True)
    @by_option
    @filter_option
    @k_option
    @click.option("--significant", is_flag=True, help="Only gaps significant after Holm adjustment.")
    @fmt_option
    @EXACT_OPTION
    @handle_errors
    def gaps(db, metric, by, filters, k, significant, fmt, exact):
        """Each group's favourability minus everyone else's, per wave, with a 95% CI and test."""
        from ..metrics.voice_compare import voice_gaps
        df = voice_gaps(_open(db), metric, by=_by(by), filters=_parse_filters(filters), k=k, exact=exact)
        _emit(df[df["significant"].eq(True)] if significant else df, fmt, exact)

    @voice.command()
    @DB_OPTION
    @click.option("--metric", type=METRICS, default="favourability", show_default=True)
    @by_option
    @filter_option
    @k_option
    @fmt_option
    @EXACT_OPTION
    @handle_errors
    def change(db, metric, by, filters, k, fmt, exact):
        """Change of each group since the previous survey wave, with a 95% CI and test."""
        from ..metrics.voice_compare import voice_change
        _emit(voice_change(_open(db), metric, by=_by(by), filters=_parse_filters(filters), k=k, exact=exact),
              fmt, exact)

    @voice.command()
    @DB_OPTION
    @by_option
    @filter_option
    @click.option("--survey", default=None, help="survey_id (default: the latest wave).")
    @fmt_option
    @EXACT_OPTION
    @handle_errors
    def outcomes(db, by, filters, survey, fmt, exact):
        """Inclusion index per group beside turnover (and promotion) rate, aggregated only."""
        from ..metrics.voice_outcomes import outcomes_side_by_side
        _emit(outcomes_side_by_side(_open(db), by=_by(by), filters=_parse_filters(filters),
                                    survey_id=survey, exact=exact), fmt, exact)
