"""New diverse suppliers (issue 19): in the period where the spend data begin every supplier
paid would count as new ("17 new diverse suppliers" in the first year of data), so that period
has no count, published or exact; later periods count first diverse payments by hand."""

from __future__ import annotations

import math

import pandas as pd

from pipelines.metrics._engine import protected_table, unsuppressed_table
from pipelines.families.suppliers.metrics import FIRST_PERIOD
from tests.helpers import build_and_open
from tests.test_suppliers_metrics import cert, pay, procurement_folder, supplier

# A, B, C diverse and paid in 2024 (the first year of spend data); in 2025 A is paid again and
# D, E, F are paid for the first time: 2025 has 3 new diverse suppliers, 2024 none that can be told
SUPPLIERS = [supplier(s) for s in "ABCDEF"]
CERTS = [cert(s, "MBE", "2020-01-01") for s in "ABCDEF"]
SPEND = (
    [pay(f"T{s}24", s, "2024-03-01", "100") for s in "ABC"]
    + [pay("TA25", "A", "2025-03-01", "100")]
    + [pay(f"T{s}25", s, "2025-04-01", "100") for s in "DEF"]
)
CONFIG = {"history_start": "2024-01-01", "as_of": "2025-12-31"}


def _overall(df: pd.DataFrame, period: str) -> pd.Series:
    rows = df[(df["group"] == "All") & (df["period"] == period)]
    assert len(rows) == 1, df
    return rows.iloc[0]


def test_the_first_period_of_spend_data_has_no_new_supplier_count(tmp_path):
    con = build_and_open(procurement_folder(tmp_path, SUPPLIERS, CERTS, SPEND, config=CONFIG))
    exact = unsuppressed_table(con, "new_diverse_suppliers")
    first, second = _overall(exact, "2024"), _overall(exact, "2025")
    assert math.isnan(first["value"]) and first["note"] == FIRST_PERIOD
    assert second["value"] == 3 and not second["note"]
    published = protected_table(con, "new_diverse_suppliers")
    first = _overall(published, "2024")
    assert math.isnan(first["value"]) and first["note"] == FIRST_PERIOD
    assert math.isfinite(_overall(published, "2025")["value"])
    # the count of diverse suppliers paid is not affected: 3 in 2024 (A, B, C), 4 in 2025 (A, D, E, F)
    paid = unsuppressed_table(con, "diverse_supplier_count")
    assert _overall(paid, "2024")["value"] == 3 and _overall(paid, "2025")["value"] == 4
