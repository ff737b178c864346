"""Certification risk: certifications about to expire (with the spend at risk) and spend booked
after a diverse certification lapsed (a data-quality warning: often a renewal that was never
recorded in procurement/certifications.csv).

These are operational lists that name suppliers, so they carry no per-supplier amounts: the
only money figure is the total across the listed suppliers. Published (default), it is
protected like every figure: the companies behind it (n) and the suppliers losing their
status are protected counts, the amount a protected magnitude (up to 4/n of itself, keyed by
the exact amount), hidden when the protected n is below k. `exact=True` (the data owner's):
exact figures, hidden when fewer than k companies make it up. Certification status and
expiry dates are public directory information.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ...config import effective_k, setting
from ...errors import DataError
from ...metrics._engine import build_context
from ...privacy.cells import definition, hidden_below_k, protected_counts, protected_magnitude, read_salt
from ...metrics._suppression import suppression_mask
from .sql import SETTINGS_FILE, held_on_date_condition, spend_lines_sql, supplier_settings, text_list

EXPIRING_COLUMNS = [
    "supplier_id",
    "supplier_name",
    "certification",
    "certifying_body",
    "valid_to",
    "days_left",
    "counts_as_diverse",
]
LAPSED_COLUMNS = [
    "supplier_id",
    "supplier_name",
    "certification",
    "lapsed_after",
    "transactions_after_lapse",
    "first_transaction",
    "last_transaction",
    "status",
]


def _setting_int(config: dict[str, Any], name: str) -> int:
    value = setting(config, f"procurement.{name}")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataError(f"procurement.{name} must be a whole number, 1 or more (got {value!r})", file=SETTINGS_FILE)
    return value


def supplier_k(config: dict[str, Any], k: int | None = None) -> int:
    """The threshold for supplier figures: --k, else privacy.supplier_k, else privacy.k (never < 3)."""
    return effective_k(config, k if k is not None else setting(config, "privacy.supplier_k"))


def _expiring_sql(config: dict[str, Any], as_of: dt.date, days: int) -> str:
    """Windows in force on as_of that end within `days` and are not continued by a recorded
    renewal (a later window of the same certification starting by valid_to + 1 + grace)."""
    s = supplier_settings(config)
    return (
        f"SELECT c.supplier_id, c.supplier_name, c.certification, c.certifying_body, c.valid_to, "
        f"c.valid_to - DATE '{as_of}' AS days_left, "
        f"list_contains({text_list(s.diverse)}, c.certification) AS counts_as_diverse "
        f"FROM fct_certifications c "
        f"WHERE c.valid_from <= DATE '{as_of}' AND c.valid_to BETWEEN DATE '{as_of}' AND DATE '{as_of}' + {days} "
        f"AND NOT EXISTS (SELECT 1 FROM fct_certifications r WHERE r.supplier_id = c.supplier_id "
        f"AND r.certification = c.certification AND r.valid_from > c.valid_from "
        f"AND r.valid_from <= c.valid_to + 1 + {s.grace_days})"
    )


def expiring_certifications(con, as_of: dt.date | None = None, days: int | None = None) -> pd.DataFrame:
    """Certifications expiring in the next `days` (default procurement.expiring_days) after
    `as_of` (default: the build's as_of), largest trailing spend first (order only)."""
    ctx = build_context(con)
    config = ctx["config"]
    as_of = as_of or ctx["as_of"]
    days = days if days is not None else _setting_int(config, "expiring_days")
    start = _trailing_start(config, as_of)
    order = (
        f"SELECT supplier_id, sum(amount) AS spend FROM ({spend_lines_sql(con, config)}) "
        f"WHERE transaction_date > DATE '{start}' AND transaction_date <= DATE '{as_of}' GROUP BY 1"
    )
    df = con.execute(
        f"SELECT e.* FROM ({_expiring_sql(config, as_of, int(days))}) e "
        f"LEFT JOIN ({order}) o USING (supplier_id) "
        f"ORDER BY coalesce(o.spend, 0) DESC, e.valid_to, e.supplier_id, e.certification"
    ).df()
    df["valid_to"] = pd.to_datetime(df["valid_to"]).dt.date
    return df[EXPIRING_COLUMNS]


def _trailing_start(config: dict[str, Any], as_of: dt.date) -> dt.date:
    months = _setting_int(config, "at_risk_months")
    return (pd.Timestamp(as_of) - pd.DateOffset(months=months)).date()


def spend_at_risk(
    con, as_of: dt.date | None = None, days: int | None = None, k: int | None = None, exact: bool = False
) -> pd.DataFrame:
    """One row: trailing diverse spend with suppliers that would hold no diverse certification
    once their expiring ones end (counted once), the number of those suppliers, and the
    companies behind the sum (n); the amount is hidden when n < k."""
    ctx = build_context(con)
    config = ctx["config"]
    as_of = as_of or ctx["as_of"]
    days = days if days is not None else _setting_int(config, "expiring_days")
    s = supplier_settings(config)
    start = _trailing_start(config, as_of)
    expiring = _expiring_sql(config, as_of, int(days))
    # still diverse afterwards: another diverse window covers the day after the expiring one ends
    keeps = (
        f"SELECT DISTINCT e.supplier_id FROM ({expiring}) e JOIN fct_certifications c "
        f"ON c.supplier_id = e.supplier_id AND list_contains({text_list(s.diverse)}, c.certification) "
        f"AND {held_on_date_condition('c', f'(e.valid_to + {s.grace_days} + 1)', s.grace_days)}"
    )
    losing = f"SELECT DISTINCT supplier_id FROM ({expiring}) WHERE counts_as_diverse AND supplier_id NOT IN ({keeps})"
    row = con.execute(
        f"SELECT count(DISTINCT l.supplier_id), count(DISTINCT t.ultimate_parent_id), coalesce(sum(t.amount), 0) "
        f"FROM ({losing}) l LEFT JOIN ({spend_lines_sql(con, config)}) t ON t.supplier_id = l.supplier_id "
        f"AND t.is_diverse AND t.transaction_date > DATE '{start}' AND t.transaction_date <= DATE '{as_of}'"
    ).fetchone()
    out = pd.DataFrame(
        [
            {
                "as_of": as_of,
                "days": int(days),
                "trailing_from": start,
                "suppliers": int(row[0]),
                "n": int(row[1]),
                "spend_at_risk": float(row[2]),
            }
        ]
    )
    threshold = supplier_k(config, k)
    if exact:
        out["_gid"] = 0
        suppressed, _ = suppression_mask(out, [], threshold)
        out["suppressed"] = suppressed
        out.loc[out["suppressed"], "spend_at_risk"] = None
        return out.drop(columns="_gid")
    salt = read_salt(con)
    cell = [definition("", f"{start}|{as_of}|{int(days)}")]
    for col in ("suppliers", "n"):
        out[col] = protected_counts(salt, f"suppliers.at_risk.{col}", cell, out[col]).astype(int)
    out["spend_at_risk"] = protected_magnitude(salt, "suppliers.spend", out["spend_at_risk"], out["n"])
    out["suppressed"] = hidden_below_k(out["n"], threshold)
    out.loc[out["suppressed"], "spend_at_risk"] = None
    return out


def lapsed_spend(con) -> pd.DataFrame:
    """Per supplier, diverse certification and lapse: transactions dated after the certification
    lapsed (past valid_to + grace, no window in force) although the supplier had held it
    before; status says whether a later renewal exists. No amounts (see module docstring)."""
    config = build_context(con)["config"]
    s = supplier_settings(config)
    grace = s.grace_days
    sql = (
        f"WITH tx AS (SELECT transaction_id, supplier_id, transaction_date FROM fct_spend), "
        f"certs AS (SELECT * FROM fct_certifications WHERE list_contains({text_list(s.diverse)}, certification)), "
        f"after AS (SELECT t.supplier_id, c.certification, t.transaction_id, t.transaction_date, "
        f"  max(c.valid_to) AS lapsed_after FROM tx t JOIN certs c ON c.supplier_id = t.supplier_id "
        f"  AND c.valid_to + {grace} < t.transaction_date GROUP BY ALL), "
        f"uncovered AS (SELECT a.* FROM after a WHERE NOT EXISTS (SELECT 1 FROM certs c "
        f"  WHERE c.supplier_id = a.supplier_id AND c.certification = a.certification "
        f"  AND {held_on_date_condition('c', 'a.transaction_date', grace)})), "
        f"grouped AS (SELECT supplier_id, certification, lapsed_after, count(*) AS transactions_after_lapse, "
        f"  min(transaction_date) AS first_transaction, max(transaction_date) AS last_transaction "
        f"  FROM uncovered GROUP BY ALL) "
        f"SELECT g.*, coalesce(d.supplier_name, g.supplier_id) AS supplier_name, "
        f"  (SELECT min(r.valid_from) FROM certs r WHERE r.supplier_id = g.supplier_id "
        f"   AND r.certification = g.certification AND r.valid_from > g.lapsed_after) AS renewed_on "
        f"FROM grouped g LEFT JOIN dim_suppliers d ON d.supplier_id = g.supplier_id "
        f"ORDER BY g.transactions_after_lapse DESC, g.supplier_id, g.certification"
    )
    df = con.execute(sql).df()
    for col in ("lapsed_after", "first_transaction", "last_transaction"):
        df[col] = pd.to_datetime(df[col]).dt.date
    df["status"] = [
        f"renewed late (new certificate from {r.date()})" if pd.notna(r) else "not renewed"
        for r in pd.to_datetime(df["renewed_on"])
    ]
    return df[LAPSED_COLUMNS]
