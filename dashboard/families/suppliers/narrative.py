"""Money formatting and share-of-spend tables for the supplier views.

Shared by the dashboard and the PDF; inputs are suppressed tables."""

from __future__ import annotations

import pandas as pd

from pipelines.metrics._suppression import PRIMARY

from pipelines.formatting import HIDDEN_TO_PROTECT, breakdown_label, group_label
from pipelines.formatting import format_money  # noqa: F401  (the supplier views import it from here)

from ...charts import format_value


def split_share_table(
    rows: pd.DataFrame, k: int, currency: str, numerator: str, keys: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Display table for a share of spend: share, its numerator and denominator in money, and
    n (companies); a hidden row says why and shows no amount."""
    out = pd.DataFrame({"Period": rows["period"]})
    for key in keys:
        out[key.replace("_", " ").capitalize()] = rows[key].values
    out["Breakdown"] = rows["dimensions"].map(breakdown_label).values
    out["Group"] = rows["group"].map(group_label).values
    shares, nums, dens, ns = [], [], [], []
    for _, r in rows.iterrows():
        if r["suppressed"]:
            label = f"fewer than {k} companies" if PRIMARY in (r["note"] or "") else HIDDEN_TO_PROTECT
            shares.append(label)
            nums.append("")
            dens.append("")
            ns.append("")
            continue
        shares.append(format_value(r["value"], "share") or "no share (net spend not positive)")
        nums.append(f"{r['numerator']:,.0f}")
        dens.append(f"{r['denominator']:,.0f}")
        ns.append(f"{int(r['n']):,}")
    out["Share"] = shares
    out[f"{numerator} ({currency})"] = nums
    out[f"Denominator: spend ({currency})"] = dens
    out["n (companies)"] = ns
    out["Note"] = rows["note"].fillna("").values
    return out.reset_index(drop=True)
