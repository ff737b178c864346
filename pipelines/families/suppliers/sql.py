"""SQL building blocks shared by the supplier-diversity metrics.

Spend is converted to the reporting currency and matched to the certifications its supplier
held *on the transaction date* when a metric is computed, not in the marts, because both
depend on settings of the build (`procurement.grace_days`, `procurement.diverse_certifications`)
and on whether reference/fx_rates.csv was supplied at all (a one-currency organisation need
not supply it, and a mart that read it would then not be built).

Disclosure unit: a published spend figure is a sum over companies, so `n` counts companies,
never transactions, and a group of companies counts once (its ultimate parent): three
subsidiaries of one group are one contributor. See `contributors_sql`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...db import has_table
from ...errors import DataError
from ...sqlsafe import ident, literal

SPEND_BASES = ("total", "addressable")
SETTINGS_FILE = "equity.yml"


@dataclass(frozen=True)
class SupplierSettings:
    diverse: tuple[str, ...]  # upper-cased certification codes that count as diverse
    grace_days: int  # a certification still counts this many days after valid_to


def supplier_settings(config: dict[str, Any]) -> SupplierSettings:
    """The validated `procurement` settings the metrics need (a clear error naming the setting)."""
    proc = config["procurement"]
    grace = proc["grace_days"]
    if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
        raise DataError(
            f"procurement.grace_days must be a whole number of days, 0 or more (got {grace!r})", file=SETTINGS_FILE
        )
    diverse = proc.get("diverse_certifications") or []
    if not isinstance(diverse, list) or not all(isinstance(c, str) and c.strip() for c in diverse):
        raise DataError("procurement.diverse_certifications must be a list of certification codes", file=SETTINGS_FILE)
    return SupplierSettings(diverse=tuple(dict.fromkeys(c.strip().upper() for c in diverse)), grace_days=grace)


def text_list(values) -> str:
    """A VARCHAR[] literal (typed, so an empty list still has a type)."""
    return f"CAST([{', '.join(literal(v) for v in values)}] AS VARCHAR[])"


def reporting_rate_sql(con, config: dict[str, Any], alias: str, date_expr: str, source: str) -> tuple[str, str]:
    """(join clause, rate expression) converting `alias.currency` at the rate of `date_expr`'s month.

    The build already stops when a rate is missing (validate.check_fx); the error() branch
    only guards a database edited by hand, so a missing rate can never become a silent NULL.
    """
    reporting = literal(config["reporting_currency"])
    missing = (
        f"error('no FX rate for ' || {alias}.currency || ' in ' || strftime({date_expr}, '%Y-%m') "
        f"|| ' in reference/fx_rates.csv ({source}, reporting currency ' || {reporting} || ')')"
    )
    if not has_table(con, "stg_reference__fx_rates"):
        return "", f"CASE WHEN {alias}.currency = {reporting} THEN 1.0 ELSE {missing} END"
    join = (
        f" LEFT JOIN stg_reference__fx_rates fx ON fx.currency = {alias}.currency "
        f"AND fx.month_start = date_trunc('month', {date_expr})"
    )
    rate = (
        f"CASE WHEN {alias}.currency = {reporting} THEN 1.0 "
        f"WHEN fx.rate_to_reporting IS NULL THEN {missing} ELSE fx.rate_to_reporting END"
    )
    return join, rate


def converted_spend_sql(con, config: dict[str, Any]) -> str:
    """One row per transaction with `amount` in the reporting currency (credits stay negative)."""
    join, rate = reporting_rate_sql(con, config, "s", "s.transaction_date", "procurement/spend.csv")
    return (
        f"SELECT s.transaction_id, s.supplier_id, s.ultimate_parent_id, s.transaction_date, "
        f"s.category, s.business_unit, s.supplier_country, s.is_addressable, "
        f"CAST(s.amount AS DOUBLE) * {rate} AS amount FROM fct_spend s{join}"
    )


def held_on_date_condition(cert: str, date_expr: str, grace_days: int) -> str:
    """`valid_from <= date <= valid_to + grace_days` (no valid_to: no expiry recorded)."""
    return (
        f"{date_expr} >= {cert}.valid_from AND ({cert}.valid_to IS NULL "
        f"OR {date_expr} <= {cert}.valid_to + {int(grace_days)})"
    )


def spend_lines_sql(con, config: dict[str, Any]) -> str:
    """Converted transactions with `held` (certifications held on the transaction date, sorted,
    each once even when renewal windows overlap) and `is_diverse` (holds at least one diverse
    certification: the union, so a multi-certified supplier's spend counts once)."""
    s = supplier_settings(config)
    held = (
        f"SELECT t.transaction_id, list_sort(list_distinct(list(c.certification))) AS held "
        f"FROM fct_spend t JOIN fct_certifications c ON c.supplier_id = t.supplier_id "
        f"AND {held_on_date_condition('c', 't.transaction_date', s.grace_days)} GROUP BY t.transaction_id"
    )
    return (
        f"SELECT x.*, coalesce(h.held, {text_list([])}) AS held, "
        f"list_has_any(coalesce(h.held, {text_list([])}), {text_list(s.diverse)}) AS is_diverse "
        f"FROM ({converted_spend_sql(con, config)}) x LEFT JOIN ({held}) h USING (transaction_id)"
    )


def bases_sql() -> str:
    return "(VALUES " + ", ".join(f"({literal(b)})" for b in SPEND_BASES) + ") AS b(spend_base)"


def period_cells_sql(q, lines: str, extra: tuple[str, ...] = ()) -> str:
    """Transactions of each period collapsed to one row per period x spend base x requested
    dimensions x supplier x certifications held, so the metric queries (and their CUBE) run
    over thousands of rows rather than every transaction. `payments` counts positive rows
    (a supplier with only credit notes in a period was not paid in it)."""
    more = "".join(f", t.{ident(c)}" for c in extra)
    return (
        f"SELECT p.period_start, p.period_end, b.spend_base{q.dim_select('t', 'p.period_end')}, "
        f"t.supplier_id, t.ultimate_parent_id, t.held, t.is_diverse{more}, "
        f"sum(t.amount) AS amount, count(*) FILTER (WHERE t.amount > 0) AS payments "
        f"FROM q_periods p JOIN ({lines}) t "
        f"ON t.transaction_date BETWEEN p.period_start AND p.period_end "
        f"JOIN {bases_sql()} ON b.spend_base = 'total' OR t.is_addressable "
        f"WHERE true{q.filter_where('t', 'p.period_end')} GROUP BY ALL"
    )


def contributors_sql(flag: str) -> dict[str, str]:
    """Measures counting the companies (ultimate parents) behind each side of a split sum:
    the part where `flag` holds and the rest of the cell."""
    return {
        "n_in": f"count(DISTINCT ultimate_parent_id) FILTER (WHERE {flag})",
        "n_out": f"count(DISTINCT ultimate_parent_id) FILTER (WHERE NOT ({flag}))",
    }
