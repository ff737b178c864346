"""`equity suppliers ...`: certification risk, goals and the parent roll-up.

Money figures here are protected as in `equity metrics` (--exact: the data owner's exact
figures, marked not for publication); lists that name suppliers carry no per-supplier amounts
(see pipelines/families/suppliers/risk.py).
"""

from __future__ import annotations

import click

from ... import cli_options as opt
from ...cli_output import emit, handle_errors
from ...cli_table import say

K_OPTION = opt.k_option("Minimum companies behind a money figure (default privacy.supplier_k, else privacy.k)")


def _con(db):
    return opt.open_database(
        db,
        requires="fct_spend",
        missing="no data loaded for supplier metrics (procurement/suppliers.csv, spend.csv and "
        "certifications.csv not supplied): add them and rebuild",
    )


def register(main: click.Group) -> None:
    # money figures: protected unless the data owner asks for --exact
    protected_output = opt.combined(K_OPTION, opt.format_option, opt.exact_option, handle_errors)
    # lists that name suppliers but carry no per-supplier amounts: nothing to protect
    listing = opt.combined(opt.db_option, opt.format_option, handle_errors)

    @main.group()
    def suppliers():
        """Supplier diversity: expiring and lapsed certifications, goals, parent roll-up."""

    @suppliers.command()
    @opt.db_option
    @click.option(
        "--days",
        type=click.IntRange(min=1),
        default=None,
        help="Window in days (default procurement.expiring_days, 90).",
    )
    @opt.day_option("--as-of", "as_of", "Count from this day (default: the build's as_of).")
    @protected_output
    def expiring(db, days, as_of, k, fmt, exact):
        """Certifications expiring soon (largest trailing spend first) and the spend at risk."""
        from ...formatting import HIDDEN
        from .risk import expiring_certifications, spend_at_risk

        con = _con(db)
        as_of_day = opt.day(as_of)
        emit(expiring_certifications(con, as_of_day, days), fmt, exact)
        risk = spend_at_risk(con, as_of_day, days, k, exact=exact).iloc[0]
        if fmt == "table":
            amount = f"{HIDDEN} (fewer than k companies)" if risk["suppressed"] else f"{risk['spend_at_risk']:,.0f}"
            say(
                f"Diverse spend at risk ({risk['trailing_from']} to {risk['as_of']}, suppliers left with no "
                f"diverse certification: {risk['suppliers']}, companies n = {risk['n']}): {amount}"
            )

    @suppliers.command()
    @listing
    def lapsed(db, fmt):
        """Transactions booked after a supplier's diverse certification lapsed (not counted as diverse)."""
        from .risk import lapsed_spend

        emit(lapsed_spend(_con(db)), fmt)

    @suppliers.command()
    @opt.db_option
    @opt.period_option(("year", "quarter", "month"))
    @click.option(
        "--preset", default=None, help="Grade against a goal preset (e.g. sba) instead of the configured goals."
    )
    @protected_output
    def goals(db, period, preset, k, fmt, exact):
        """Goals vs actual share per period, with achievement % and grade."""
        from ...metrics import build_context
        from .goals import goal_progress, preset_config

        con = _con(db)
        config = build_context(con)["config"]
        if preset:
            config = preset_config(config, preset)
        table = goal_progress(con, config, period=period, k=k, exact=exact)
        if table.empty and fmt == "table":
            click.echo(
                "No goals configured: add procurement.goals (or goal_preset: sba) to equity.yml, or pass --preset sba."
            )
            return
        emit(table, fmt, exact)

    @suppliers.command()
    @listing
    def parents(db, fmt):
        """The parent roll-up: each ultimate parent with the suppliers that roll up to it."""
        con = _con(db)
        emit(
            con.execute(
                "SELECT ultimate_parent_id, any_value(ultimate_parent_name) AS ultimate_parent_name, "
                "bool_and(ultimate_parent_in_master) AS parent_in_master, count(*) AS suppliers, "
                "max(group_depth) AS levels, string_agg(supplier_id, ' ' ORDER BY supplier_id) AS members "
                "FROM dim_suppliers GROUP BY 1 HAVING count(*) > 1 OR bool_or(group_depth > 0) "
                "ORDER BY suppliers DESC, 1"
            ).df(),
            fmt,
        )
